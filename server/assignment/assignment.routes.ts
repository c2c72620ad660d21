// Rater assignment: the lead's page of cases × raters with a save per case and "assign evenly",
// and every member's "my cases" with their own progress only (blinding).
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import type { Services } from '../services.ts';
import { FormRefusal } from '../lib/errors.ts';
import { chosenRaters, evenSchema, ratersSchema } from './assignment.schemas.ts';
import { AssignmentRefusal } from './assignment.service.ts';
import { assignmentView, myCasesView, type RowRefusal } from './assignment.view.ts';

export function assignmentRoutes(s: Services): RouteDef[] {
  const base = (req: Request) => `/studies/${req.study!.id}/assignment`;

  /** The page; `refused` puts one case's problem and the lead's choices back next to its row (422). */
  const renderPage = (req: Request, res: Response, refused?: RowRefusal, evenErrors: FieldErrors = {}, ticked?: string[]) => {
    const study = req.study!;
    const page = s.assignment.page(study.id);
    res.status(refused || Object.keys(evenErrors).length ? 422 : 200).render('assignment/index', {
      title: req.t('assignment.title'),
      ...assignmentView(study.id, page, req.t, refused),
      // "Assign evenly" offers the members who may rate, researchers ticked (or what the lead ticked).
      evenRaters: page.evenCandidates.map((m) => ({
        id: m.user_id, name: m.name, role: m.role,
        checked: ticked ? ticked.includes(String(m.user_id)) : m.role === 'researcher',
      })),
      errors: evenErrors,
    });
  };

  return [
    /** @route GET /studies/:id/assignment — cases × raters with rating counts, a save per case, "assign evenly". */
    route('get', '/studies/:id/assignment', studyRole('lead'), (req, res) => renderPage(req, res)),

    /** @route POST /studies/:id/assignment/even — `mode`: fill (only cases lacking raters) or replace (assignments without ratings). */
    route('post', '/studies/:id/assignment/even', studyRole('lead'), (req, res) => {
      const form = parseForm(evenSchema, req.body);
      const ticked = ([] as unknown[]).concat((req.body as Record<string, unknown>)?.raters ?? []).map(String);
      if (!form.ok) return renderPage(req, res, undefined, form.errors, ticked);
      let result: { filled: number; unfilled: number };
      try {
        result = s.assignment.assignEvenly(req.study!.id, req.user!.id, form.data.mode === 'replace', form.data.raters);
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        return renderPage(req, res, undefined, err.fields as FieldErrors, ticked);
      }
      const key = result.filled === 0 && result.unfilled === 0 ? 'assignment.even.nothing' : result.unfilled ? 'assignment.even.partly' : 'assignment.even.done';
      setFlash(req, { kind: result.unfilled ? 'info' : 'success', key, params: { filled: result.filled, unfilled: result.unfilled } });
      res.redirect(303, base(req));
    }),

    /** @route POST /studies/:id/assignment/cases/:case — `rater1` … `raterN` (user ids, empty = none); all empty clears. */
    route('post', '/studies/:id/assignment/cases/:case', studyRole('lead'), (req, res) => {
      const caseKey = String(req.params.case);
      const values = formValues(req.body);
      const form = parseForm(ratersSchema, req.body);
      if (!form.ok) return renderPage(req, res, { caseKey, errors: form.errors, values });
      try {
        const changed = s.assignment.save(req.study!.id, req.user!.id, caseKey, chosenRaters(form.data, req.study!.raters_per_case));
        setFlash(req, { kind: 'success', key: changed ? 'assignment.saved' : 'assignment.unchanged', params: { case: s.repos.cases.findByKey(req.study!.id, caseKey)?.name ?? caseKey } });
      } catch (err) {
        if (!(err instanceof AssignmentRefusal)) throw err;
        return renderPage(req, res, { caseKey, errors: err.fields as FieldErrors, values });
      }
      res.redirect(303, `${base(req)}#case-${encodeURIComponent(caseKey)}`);
    }),

    /** @route GET /studies/:id/my-cases — the current user's cases with their own progress; empty for others. */
    route('get', '/studies/:id/my-cases', studyRole('viewer'), (req, res) => {
      res.render('assignment/my-cases', {
        title: req.t('myCases.title'),
        ...myCasesView(req.study!.id, s.assignment.myCases(req.study!.id, req.user!.id)),
        isLead: req.studyRole === 'lead',
      });
    }),
  ];
}
