// Evidence (quotes and locators from interviews and documents, linked to conditions) and coverage
// (which conditions of a case rest on fewer than two independent sources; report 000, B.3).
import type { Request, Response } from 'express';
import { z } from 'zod';
import { FIELDWORK, route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal, notFound, RuleError } from '../lib/errors.ts';
import { groupBy } from '../lib/collections.ts';
import type { Services } from '../services.ts';
import { conditionChoices } from '../framework/framework.view.ts';
import { ratableCodes } from '../studyfile/studyfile.validate.ts';
import { safeNext } from '../auth/auth.schemas.ts';
import { pager, paging, queryString, rangeText, requestedPage } from '../lib/paging.ts';
import { ftsQuery } from '../search/search.query.ts';

const evidenceSchema = z.object({
  source: z.string().trim().regex(/^(interview|document):.+$/, 'evidence.unknownSource'),
  quote: z.string().trim().max(20_000).default(''),
  locator: z.string().trim().max(300).default(''),
  conditions: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : ([] as string[]).concat(v).map((c) => c.trim()).filter(Boolean))),
  returnTo: z.string().optional(),
});

/** Evidence items a page of the evidence list shows. */
export const PAGE_SIZE = 25;

const optional = z.string().trim().max(200).optional().catch(undefined).transform((v) => v || undefined);
/** The evidence list's filters and page; a bad value is ignored, never refused. */
const listQuery = z.object({
  case: optional,
  condition: optional,
  kind: z.enum(['interview', 'document']).optional().catch(undefined),
  q: optional,
  page: z.unknown().optional().transform(requestedPage),
});

/** The interviews and documents of the study that evidence may come from, as select options. */
function sourceOptions(s: Services, studyId: number, caseKey?: string) {
  const interviews = s.repos.interviews.listForStudy(studyId).filter((i) => !caseKey || i.case_key === caseKey);
  const documents = s.repos.documents.listForStudy(studyId).filter((d) => !caseKey || d.case_key === caseKey);
  return [
    ...interviews.map((i) => ({ value: `interview:${i.key}`, label: `${i.case_name} · ${i.date ?? i.key}` })),
    ...documents.map((d) => ({ value: `document:${d.key}`, label: `${d.title} (${d.filename})` })),
  ];
}

export function evidenceRoutes(s: Services): RouteDef[] {
  const renderForm = (req: Request, res: Response, values: Record<string, unknown>, errors: FieldErrors = {}) => {
    const study = req.study!;
    const loaded = s.repos.framework.load(study.id, study.framework_title, study.framework_revision);
    res.status(Object.keys(errors).length ? 422 : 200).render('evidence/new', {
      title: req.t('evidence.new'),
      sources: sourceOptions(s, study.id, typeof values.case === 'string' && values.case ? values.case : undefined),
      levels: conditionChoices(loaded.doc),
      values,
      errors,
    });
  };

  return [
    /**
     * @route GET /studies/:id/evidence — filters ?case=KEY, ?condition=CODE, ?kind=interview|document,
     * ?q=words of the quote or locator; 25 a page (?page=N). Four statements, however many there are.
     */
    route('get', '/studies/:id/evidence', FIELDWORK, (req, res) => {
      const study = req.study!;
      const query = listQuery.parse(req.query);
      const filter = { caseKey: query.case, code: query.condition, kind: query.kind, q: query.q };
      const fts = query.q ? (ftsQuery(query.q) ?? undefined) : undefined;
      let shown = paging(1, PAGE_SIZE, 0);
      const { rows } = s.repos.evidence.page(study.id, { ...filter, fts }, (total) => {
        shown = paging(query.page, PAGE_SIZE, total);
        return { limit: shown.size, offset: shown.offset };
      });
      const href = (page: number) =>
        `/studies/${study.id}/evidence${queryString({ case: filter.caseKey, condition: filter.code, kind: filter.kind, q: filter.q, page: page > 1 ? page : null })}`;
      const conditions = s.repos.framework.load(study.id, study.framework_title, study.framework_revision).doc.conditions;
      res.render('evidence/index', {
        title: req.t('evidence.title'),
        evidence: rows.map((e) => ({ ...e, conditions: JSON.parse(e.conditions) as string[] })),
        filter,
        filtered: Object.values(filter).some(Boolean),
        pager: pager(shown, href, rangeText(shown, req.t, req.language)),
        cases: s.repos.cases.list(study.id),
        conditions,
        conditionNames: Object.fromEntries(conditions.map((c) => [c.code, c.name])),
        canEdit: req.studyRole !== 'viewer',
      });
    }),

    /** @route GET /studies/:id/evidence/new — ?source=interview:KEY or ?case=KEY preselect. */
    route('get', '/studies/:id/evidence/new', studyRole('researcher'), (req, res) => {
      renderForm(req, res, {
        source: typeof req.query.source === 'string' ? req.query.source : '',
        case: typeof req.query.case === 'string' ? req.query.case : '',
        quote: typeof req.query.quote === 'string' ? req.query.quote.slice(0, 20_000) : '',
        returnTo: safeNext(req.query.returnTo),
        conditions: [],
      });
    }),

    /** @route POST /studies/:id/evidence */
    route('post', '/studies/:id/evidence', studyRole('researcher'), (req, res) => {
      const body = req.body as Record<string, unknown>;
      const values = { ...body, conditions: ([] as unknown[]).concat(body.conditions ?? []) };
      const form = parseForm(evidenceSchema, body);
      if (!form.ok) return renderForm(req, res, values, form.errors);
      try {
        const { caseKey } = s.evidence.add(req.study!.id, form.data, req.user!.id);
        setFlash(req, { kind: 'success', key: 'evidence.added' });
        const back = safeNext(form.data.returnTo);
        res.redirect(303, back !== '/' ? back : `/studies/${req.study!.id}/evidence?case=${encodeURIComponent(caseKey)}`);
      } catch (err) {
        if (err instanceof FormRefusal) return renderForm(req, res, values, err.fields as FieldErrors);
        throw err;
      }
    }),

    /** @route POST /studies/:id/evidence/:evidenceId/delete */
    route('post', '/studies/:id/evidence/:evidenceId/delete', studyRole('researcher'), (req, res) => {
      try {
        s.evidence.remove(req.study!.id, Number(req.params.evidenceId), req.user!.id);
        setFlash(req, { kind: 'success', key: 'evidence.deleted' });
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        if (err.messageKey === 'error.notFound') throw notFound();
        setFlash(req, { kind: 'error', key: err.messageKey, params: err.params });
      }
      res.redirect(303, safeNext(req.body.returnTo) !== '/' ? safeNext(req.body.returnTo) : `/studies/${req.study!.id}/evidence`);
    }),

    /** @route GET /studies/:id/coverage — every case × every rated condition: the number of independent sources. */
    route('get', '/studies/:id/coverage', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const fw = s.repos.framework.load(study.id, '', 0).doc;
      const ratable = ratableCodes(fw);
      const pairs = groupBy(s.repos.evidence.coverage(study.id), (p) => `${p.case_id}|${p.code}`);
      const cases = s.repos.cases.list(study.id);
      res.render('evidence/coverage', {
        title: req.t('coverage.title'),
        cases,
        rows: fw.conditions.filter((c) => ratable.has(c.code)).map((c) => ({
          code: c.code,
          name: c.name,
          counts: cases.map((k) => pairs.get(`${k.id}|${c.code}`)?.length ?? 0),
        })),
      });
    }),

    /** @route GET /studies/:id/cases/:case/coverage — one case: condition × source. */
    route('get', '/studies/:id/cases/:case/coverage', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const caseRow = s.repos.cases.list(study.id).find((c) => c.key === String(req.params.case));
      if (!caseRow) throw notFound();
      const fw = s.repos.framework.load(study.id, '', 0).doc;
      const ratable = ratableCodes(fw);
      const sources = sourceOptions(s, study.id, caseRow.key);
      const pairs = new Set(s.repos.evidence.coverage(study.id, caseRow.id).map((p) => `${p.code}|${p.source}`));
      res.render('evidence/case-coverage', {
        title: req.t('coverage.forCase', { case: caseRow.name }),
        caseRow,
        sources,
        rows: fw.conditions.filter((c) => ratable.has(c.code)).map((c) => {
          const cells = sources.map((src) => pairs.has(`${c.code}|${src.value}`));
          return { code: c.code, name: c.name, cells, count: cells.filter(Boolean).length };
        }),
      });
    }),
  ];
}
