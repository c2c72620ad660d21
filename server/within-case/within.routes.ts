// Within-case analysis of one case (PRODUCT.md workflow step 8): every member reads the diagram, the
// verdicts, the level pairs, the "skip level 1" view and the final scores; the lead records the
// explanation degree and narrative. The form carries the stamp of the analysis it was opened on: a
// stale save is refused with the lead's text kept (422).
import type { Request, Response } from 'express';
import { roleAtLeast, route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal, HttpError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { explanationSchema, stampSchema } from './within.schemas.ts';
import { withinService } from './within.service.ts';
import { withinCaseView } from './within.view.ts';

export function withinRoutes(s: Services): RouteDef[] {
  const within = withinService({ analysis: s.analysis, repos: s.repos });
  const caseKey = (req: Request) => String(req.params.case);

  /** The page; `refused` puts the lead's posted form back with its problems (422). */
  const render = (req: Request, res: Response, refused?: { errors: FieldErrors; stale?: boolean }) => {
    const view = withinCaseView(within.page(req.study!, caseKey(req)), {
      studyId: req.study!.id,
      t: req.t,
      lang: req.language,
      canReconcile: roleAtLeast(req.studyRole, 'researcher'),
    });
    const saved = { explanationDegree: view.explanation.degree ?? '', narrative: view.explanation.narrative, updatedAt: view.explanation.updatedAt ?? '' };
    const values = refused ? { ...saved, ...formValues(req.body) } : saved;
    // A stale form learns the stamp saved now, so that saving it again knowingly replaces the other change.
    if (refused?.stale) values.updatedAt = saved.updatedAt;
    res.status(refused ? 422 : 200).render('within-case/show', {
      title: req.t('within.title', { case: view.caseName }),
      ...view,
      isLead: req.studyRole === 'lead',
      values,
      errors: refused?.errors ?? {},
    });
  };

  return [
    /** @route GET /studies/:id/cases/:case/analysis — the case's diagram, verdicts, level pairs, skip-level-1 view, final scores, explanation degree. */
    route('get', '/studies/:id/cases/:case/analysis', studyRole('viewer'), (req, res) => render(req, res)),

    /** @route POST /studies/:id/cases/:case/analysis — `explanationDegree` ('' or a degree), `narrative` (Markdown), `updatedAt` (the stamp the form was opened on). */
    route('post', '/studies/:id/cases/:case/analysis', studyRole('lead'), (req, res) => {
      const stamp = parseForm(stampSchema, req.body);
      if (!stamp.ok) throw new HttpError(400, 'error.badRequest');
      const form = parseForm(explanationSchema, req.body);
      if (!form.ok) return render(req, res, { errors: form.errors });
      try {
        s.analysis.setCaseAnalysis(req.study!.id, caseKey(req), req.user!.id, form.data, stamp.data.updatedAt);
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        return render(req, res, { errors: err.fields as FieldErrors, stale: err.fields._form?.key === 'within.stale' });
      }
      setFlash(req, { kind: 'success', key: 'within.saved' });
      res.redirect(303, `/studies/${req.study!.id}/cases/${encodeURIComponent(caseKey(req))}/analysis#explanation`);
    }),
  ];
}
