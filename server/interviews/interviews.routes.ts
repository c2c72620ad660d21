// Interviews: the study's list, logging one for a case, the interview page with its notes, editing
// (a stale form keeps the user's text), and removal by a lead.
import type { Request, Response } from 'express';
import { FIELDWORK, route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal, notFound, RuleError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { conditionChoices } from '../framework/framework.view.ts';
import { STATUSES, STEPS, STEP_COLUMNS, type InterviewRow } from './interviews.repo.ts';
import { interviewListQuery, interviewSchema, stepSchema } from './interviews.schemas.ts';
import { listPager, paging, queryString, rangeText } from '../lib/paging.ts';
import { formValuesOf, interviewView, nextStepView, notesHtml } from './interviews.view.ts';

/** Interviews per page of the study's list. */
export const LIST_PAGE_SIZE = 50;

/** Form input as given, with checkbox groups as arrays, to put back into a refused form. */
function submitted(body: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body ?? {})) {
    if (k === '_csrf') continue;
    values[k] = ['roles', 'interviewers', 'conditions'].includes(k) ? ([] as unknown[]).concat(v) : v;
  }
  return values;
}

export function interviewsRoutes(s: Services): RouteDef[] {
  const base = (req: Request) => `/studies/${req.study!.id}/interviews`;
  /** Condition code → name, for evidence lists (the framework is read once per revision). */
  const conditionNamesOf = (req: Request) =>
    Object.fromEntries(s.repos.framework.load(req.study!.id, req.study!.framework_title, req.study!.framework_revision).doc.conditions.map((c) => [c.code, c.name]));
  const find = (req: Request) => {
    const row = s.repos.interviews.findByKey(req.study!.id, String(req.params.interview));
    if (!row) throw notFound();
    return row;
  };

  /** The form for a new interview (`key` null) or an existing one. */
  const renderForm = (req: Request, res: Response, key: string | null, values: Record<string, unknown>, errors: FieldErrors = {}) => {
    const study = req.study!;
    const loaded = s.repos.framework.load(study.id, study.framework_title, study.framework_revision);
    res.status(Object.keys(errors).length ? 422 : 200).render('interviews/form', {
      title: key ? req.t('interviews.edit') : req.t('interviews.new'),
      action: key ? `${base(req)}/${encodeURIComponent(key)}` : base(req),
      interviewKey: key,
      draftKey: `kader:interview:${req.user!.id}:${study.id}:${key ?? `new:${String(values.case ?? '')}`}`,
      cases: s.repos.cases.list(study.id).map((c) => ({ value: c.key, label: c.name })),
      roles: s.repos.guides.roles(study.id),
      members: s.repos.studies.members(study.id),
      levels: conditionChoices(loaded.doc),
      statuses: STATUSES,
      steps: STEPS.map((step) => STEP_COLUMNS[step]),
      values,
      errors,
    });
  };

  /** The interview page; `errors` and `values` put a refused status step back on it (422). */
  const renderShow = (req: Request, res: Response, row: InterviewRow, errors: FieldErrors = {}, values: Record<string, unknown> = {}) => {
    const canEdit = req.studyRole !== 'viewer';
    res.status(Object.keys(errors).length ? 422 : 200).render('interviews/show', {
      title: `${row.case_name} · ${row.date ?? row.key}`,
      interview: interviewView(row),
      notesHtml: notesHtml(row),
      conditionNames: conditionNamesOf(req),
      evidence: s.repos.evidence.list(req.study!.id, { source: `interview:${row.key}` }).map((e) => ({ ...e, conditions: JSON.parse(e.conditions) as string[] })),
      // After a save, the browser's copy of the form is no longer needed.
      savedDraftKey: req.query.saved ? `kader:interview:${req.user!.id}:${req.study!.id}:${row.key}` : null,
      savedNewDraftKey: req.query.saved ? `kader:interview:${req.user!.id}:${req.study!.id}:new:${row.case_key}` : null,
      canEdit,
      canDelete: req.studyRole === 'lead',
      next: canEdit ? nextStepView(row, s.clock().toISOString().slice(0, 10), values) : null,
      errors,
    });
  };

  const save = (req: Request, res: Response, key: string | null) => {
    const values = submitted(req.body as Record<string, unknown>);
    const form = parseForm(interviewSchema, req.body);
    if (!form.ok) return renderForm(req, res, key, values, form.errors);
    try {
      const savedKey = key === null ? s.interviews.create(req.study!.id, form.data, req.user!.id) : key;
      if (key !== null) s.interviews.update(req.study!.id, key, form.data.version ?? -1, form.data, req.user!.id);
      setFlash(req, { kind: 'success', key: key === null ? 'interviews.created' : 'interviews.saved' });
      res.redirect(303, `${base(req)}/${encodeURIComponent(savedKey)}?saved=1`);
    } catch (err) {
      if (err instanceof FormRefusal) return renderForm(req, res, key, values, err.fields as FieldErrors);
      if (err instanceof RuleError && err.messageKey === 'error.notFound') throw notFound();
      throw err;
    }
  };

  return [
    /** @route GET /studies/:id/interviews?case=&status=&role=&page= — the study's interviews by case, filtered, a page at a time. */
    route('get', '/studies/:id/interviews', FIELDWORK, (req, res) => {
      const study = req.study!;
      const q = interviewListQuery.parse(req.query);
      const filter = { caseKey: q.case || null, status: q.status ?? null, roleId: q.role ?? null };
      const params = { case: filter.caseKey, status: filter.status, role: filter.roleId };
      const { rows, total } = s.repos.interviews.page(study.id, filter, LIST_PAGE_SIZE, (q.page - 1) * LIST_PAGE_SIZE);
      // Past the last page (a list that shrank): the first page of the same filter.
      if (total === null) return res.redirect(303, `${base(req)}${queryString(params)}`);
      const cases = s.repos.cases.list(study.id);
      const shown = paging(q.page, LIST_PAGE_SIZE, total);
      res.render('interviews/index', {
        title: req.t('interviews.title'),
        interviews: rows.map(interviewView),
        filter: { case: filter.caseKey ?? '', status: filter.status ?? '', role: filter.roleId === null ? '' : String(filter.roleId) },
        filtered: filter.caseKey !== null || filter.status !== null || filter.roleId !== null,
        cases: cases.map((c) => ({ value: c.key, label: c.name })),
        roles: s.repos.guides.roles(study.id).map((r) => ({ value: String(r.id), label: r.name })),
        statuses: STATUSES,
        pager: listPager(shown, base(req), params, rangeText(shown, req.t, req.language)),
        newHref: `${base(req)}/new${filter.caseKey && cases.some((c) => c.key === filter.caseKey) ? `?case=${encodeURIComponent(filter.caseKey)}` : ''}`,
        canLog: req.studyRole !== 'viewer',
      });
    }),

    /** @route GET /studies/:id/interviews/new — `?case=KEY` preselects the case. */
    route('get', '/studies/:id/interviews/new', studyRole('researcher'), (req, res) => {
      renderForm(req, res, null, {
        case: typeof req.query.case === 'string' ? req.query.case : '',
        participants: '1',
        status: 'planned',
        interviewers: [String(req.user!.id)],
      });
    }),

    /** @route POST /studies/:id/interviews */
    route('post', '/studies/:id/interviews', studyRole('researcher'), (req, res) => save(req, res, null)),

    /** @route GET /studies/:id/interviews/:interview */
    route('get', '/studies/:id/interviews/:interview', FIELDWORK, (req, res) => renderShow(req, res, find(req))),

    /**
     * @route POST /studies/:id/interviews/:interview/status — the next status step in one click:
     * `step` (the next status), `on` (its date; empty = today) and the `version` the page showed.
     */
    route('post', '/studies/:id/interviews/:interview/status', studyRole('researcher'), (req, res) => {
      const row = find(req);
      const values = submitted(req.body as Record<string, unknown>);
      const form = parseForm(stepSchema, req.body);
      if (!form.ok) return renderShow(req, res, row, form.errors.version || form.errors.step ? { _form: { key: 'interviews.stepStale' } } : form.errors, values);
      let on: string;
      try {
        on = s.interviews.advance(req.study!.id, row.key, form.data, req.user!.id);
      } catch (err) {
        // A stale page shows the interview as it is now; a refused date keeps what the user chose.
        if (err instanceof FormRefusal) return renderShow(req, res, find(req), err.fields as FieldErrors, err.fields.on ? values : {});
        throw err;
      }
      setFlash(req, { kind: 'success', key: 'interviews.stepDone', params: { status: req.t(`interviews.status.${form.data.step}`), date: on } });
      res.redirect(303, `${base(req)}/${encodeURIComponent(row.key)}`);
    }),

    /** @route GET /studies/:id/interviews/:interview/edit */
    route('get', '/studies/:id/interviews/:interview/edit', studyRole('researcher'), (req, res) => {
      const row = find(req);
      renderForm(req, res, row.key, formValuesOf(row));
    }),

    /** @route POST /studies/:id/interviews/:interview — carries the version it was edited on. */
    route('post', '/studies/:id/interviews/:interview', studyRole('researcher'), (req, res) => save(req, res, find(req).key)),

    /** @route POST /studies/:id/interviews/:interview/delete */
    route('post', '/studies/:id/interviews/:interview/delete', studyRole('lead'), (req, res) => {
      const row = find(req);
      try {
        s.interviews.remove(req.study!.id, row.key, req.user!.id);
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        setFlash(req, { kind: 'error', key: err.fields._form!.key, params: err.fields._form!.params });
        return res.redirect(303, `${base(req)}/${encodeURIComponent(row.key)}`);
      }
      setFlash(req, { kind: 'success', key: 'interviews.deleted' });
      res.redirect(303, base(req));
    }),
  ];
}
