// The study's documents (a filtered list in pages); a case's documents: list and upload (multipart,
// streamed to disk, checked by content), download with the original name as an attachment, and
// deletion by a lead.
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { FIELDWORK, route, studyRole, uploadRoute, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { listPager, pageParam, paging, queryString, rangeText } from '../lib/paging.ts';
import { FormRefusal, notFound, RuleError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { documentUpload } from './documents.storage.ts';
import { downloadName } from './documents.sniff.ts';

const uploadSchema = z.object({
  title: z.string().trim().min(1).max(300),
  kind: z.string().trim().max(100).default(''),
  date: z
    .string()
    .trim()
    .default('')
    .transform((v) => (v === '' ? null : v))
    .pipe(z.iso.date({ message: 'interviews.badDate' }).nullable()),
});

/** Documents per page of the study's list. */
export const LIST_PAGE_SIZE = 50;

/** The study's document list: `?case=KEY&kind=K&page=N`; anything not understood means "any". */
const listQuery = z.object({
  case: z.string().trim().max(200).catch(''),
  kind: z.string().trim().max(100).catch(''),
  page: pageParam,
});

/** Content-Disposition for a download: an ASCII fallback and the exact name (RFC 6266 / 5987). */
export function attachmentHeader(filename: string): string {
  const ascii = filename.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function documentsRoutes(s: Services, config: Pick<Config, 'uploadsDir' | 'documentMaxBytes'>): RouteDef[] {
  const maxMb = Math.round(config.documentMaxBytes / 1024 / 1024);
  const caseOf = (req: Request) => {
    const row = s.repos.cases.list(req.study!.id).find((c) => c.key === String(req.params.case));
    if (!row) throw notFound();
    return row;
  };
  const render = (req: Request, res: Response, status = 200, values: Record<string, string> = {}, errors: FieldErrors = {}) => {
    const c = caseOf(req);
    res.status(status).render('documents/case', {
      title: req.t('documents.forCase', { case: c.name }),
      caseRow: c,
      documents: s.repos.documents.listForCase(c.id),
      canUpload: req.studyRole !== 'viewer',
      canDelete: req.studyRole === 'lead',
      maxMb,
      values,
      errors,
    });
  };

  return [
    /** @route GET /studies/:id/documents?case=&kind=&page= — every document of the study, filtered, a page at a time. */
    route('get', '/studies/:id/documents', FIELDWORK, (req, res) => {
      const study = req.study!;
      const q = listQuery.parse(req.query);
      const filter = { caseKey: q.case || null, kind: q.kind || null };
      const params = { case: filter.caseKey, kind: filter.kind };
      const base = `/studies/${study.id}/documents`;
      const { rows, total } = s.repos.documents.page(study.id, filter, LIST_PAGE_SIZE, (q.page - 1) * LIST_PAGE_SIZE);
      // Past the last page (a list that shrank): the first page of the same filter.
      if (total === null) return res.redirect(303, `${base}${queryString(params)}`);
      const cases = s.repos.cases.list(study.id);
      const chosen = cases.find((c) => c.key === filter.caseKey) ?? null;
      const shown = paging(q.page, LIST_PAGE_SIZE, total);
      res.render('documents/index', {
        title: req.t('documents.title'),
        documents: rows,
        filter: { case: filter.caseKey ?? '', kind: filter.kind ?? '' },
        filtered: filter.caseKey !== null || filter.kind !== null,
        cases: cases.map((c) => ({ value: c.key, label: c.name })),
        kinds: s.repos.documents.kinds(study.id),
        chosenCase: chosen ? { name: chosen.name, href: `/studies/${study.id}/cases/${encodeURIComponent(chosen.key)}/documents` } : null,
        pager: listPager(shown, base, params, rangeText(shown, req.t, req.language)),
        canUpload: req.studyRole !== 'viewer',
      });
    }),

    /** @route GET /studies/:id/cases/:case/documents */
    route('get', '/studies/:id/cases/:case/documents', FIELDWORK, (req, res) => render(req, res)),

    /** @route POST /studies/:id/cases/:case/documents — multipart: _csrf, title, kind, date, file. */
    uploadRoute('/studies/:id/cases/:case/documents', studyRole('researcher'), documentUpload(path.join(config.uploadsDir, '.incoming'), config.documentMaxBytes), (req, res) => {
      caseOf(req);
      const values = formValues(req.body);
      const form = parseForm(uploadSchema, req.body);
      const file = req.file;
      if (!form.ok || !file || file.size === 0) {
        const errors: FieldErrors = form.ok ? {} : form.errors;
        errors.file = { key: !file || file.size === 0 ? 'documents.noFile' : 'documents.chooseAgain' };
        return render(req, res, 422, values, errors);
      }
      const added = s.documents.add(req.study!.id, String(req.params.case), form.data, { path: file.path, size: file.size, sha256: file.sha256!, isText: file.isText, originalName: file.originalname }, req.user!.id);
      if (added.unsupported) return render(req, res, 415, values, { file: { key: 'documents.unsupported' } });
      setFlash(req, { kind: 'success', key: 'documents.uploaded' });
      res.redirect(303, `/studies/${req.study!.id}/cases/${encodeURIComponent(String(req.params.case))}/documents`);
    }),

    /** @route GET /studies/:id/documents/:doc/download */
    route('get', '/studies/:id/documents/:doc/download', FIELDWORK, (req, res) => {
      const doc = s.repos.documents.findByKey(req.study!.id, String(req.params.doc));
      if (!doc?.storage_name) throw notFound();
      const file = s.documents.pathOf(doc.storage_name);
      if (!fs.existsSync(file)) throw notFound();
      res.setHeader('Content-Type', doc.media_type);
      res.setHeader('Content-Disposition', attachmentHeader(downloadName(doc.filename, doc.media_type)));
      res.setHeader('Content-Length', String(doc.size));
      res.setHeader('Cache-Control', 'private, no-store');
      fs.createReadStream(file).pipe(res);
    }),

    /** @route POST /studies/:id/documents/:doc/delete */
    route('post', '/studies/:id/documents/:doc/delete', studyRole('lead'), (req, res) => {
      const doc = s.repos.documents.findByKey(req.study!.id, String(req.params.doc));
      if (!doc) throw notFound();
      try {
        s.documents.remove(req.study!.id, doc.key, req.user!.id);
        setFlash(req, { kind: 'success', key: 'documents.deleted' });
      } catch (err) {
        if (err instanceof FormRefusal) setFlash(req, { kind: 'error', key: err.fields._form!.key, params: err.fields._form!.params });
        else if (err instanceof RuleError) throw notFound();
        else throw err;
      }
      res.redirect(303, `/studies/${req.study!.id}/cases/${encodeURIComponent(doc.case_key)}/documents`);
    }),
  ];
}
