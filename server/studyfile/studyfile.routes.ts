// Study files in the browser: import a .json as a new study (every problem shown, nothing stored on
// failure) and export a study (blinded ratings left out).
import type { Request } from 'express';
import { route, studyRole, uploadRoute, USER, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { studyFileUpload } from '../http/upload.ts';
import { translate } from '../lib/i18n.ts';
import type { Services } from '../services.ts';
import { AccountsMissing, type NamedPerson } from './studyfile.import.ts';
import { parseStudyFileText, type Problem } from './studyfile.validate.ts';

/** A file name without characters that need quoting in a header. */
export function slug(text: string): string {
  return text.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-').toLowerCase().slice(0, 60) || 'study';
}

export function studyFileRoutes(s: Services): RouteDef[] {
  const importView = (req: Request, problems: Problem[] = [], fileName = '', missingAccounts: NamedPerson[] = []) => ({
    title: req.t('import.title'),
    problems: problems.map((p) => ({ path: p.path, message: translate(req.language, p.key, p.params) })),
    fileName,
    missingAccounts,
  });

  return [
    /** @route GET /studies/import */
    route('get', '/studies/import', USER, (req, res) => res.render('studyfile/import', importView(req))),

    /**
     * @route POST /studies/import — multipart: `_csrf`, `file` (.json). The importer becomes a lead.
     * Only an administrator's import creates the accounts the file needs; anyone else gets the list.
     */
    uploadRoute('/studies/import', USER, studyFileUpload, async (req, res) => {
      const file = req.file;
      if (!file || file.size === 0) {
        return res.status(422).render('studyfile/import', importView(req, [{ path: '', key: 'import.noFile' }]));
      }
      const result = parseStudyFileText(file.buffer.toString('utf8'));
      if (!result.ok) return res.status(422).render('studyfile/import', importView(req, result.problems, file.originalname));
      let imported;
      try {
        imported = await s.studyFile.importer.run(result.doc, { owner: req.user!.id, actorId: req.user!.id });
      } catch (err) {
        if (!(err instanceof AccountsMissing)) throw err;
        return res.status(422).render('studyfile/import', importView(req, [], file.originalname, err.people));
      }
      const { studyId, createdAccounts } = imported;
      setFlash(req, createdAccounts.length
        ? { kind: 'success', key: 'import.doneWithAccounts', params: { count: createdAccounts.length, emails: createdAccounts.map((a) => a.email).join(', ') } }
        : { kind: 'success', key: 'import.done' });
      res.redirect(303, `/studies/${studyId}`);
    }),

    /** @route GET /studies/:id/export.json — the study file; ratings of cases still blind are left out. */
    route('get', '/studies/:id/export.json', studyRole('lead'), (req, res) => {
      const study = req.study!;
      const doc = s.studyFile.exporter.run(study.id, 'unblinded');
      res.setHeader('Content-Disposition', `attachment; filename="kader-${study.id}-${slug(study.title)}.json"`);
      res.setHeader('Cache-Control', 'no-store');
      res.type('application/json').send(`${JSON.stringify(doc, null, 2)}\n`);
    }),
  ];
}
