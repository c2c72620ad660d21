// Complexity reduction (method-notes.md step 7, seed 000 A.4 and D): every member reads the log and
// the state of each condition; a lead records a decision (method 1–4 with a reason) or reverts the
// active one ("restore"). The writes and their audit entries are analysis.service.ts's.
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal, HttpError, notFound } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { decisionSchema } from './reduction.schemas.ts';
import { reductionService } from './reduction.service.ts';
import { reductionView } from './reduction.view.ts';
import { z } from 'zod';
import { requestedPage } from '../lib/paging.ts';

/** The log's filters (?level=, ?condition=, ?method=1–4, ?state=active|reverted) and ?page=; a bad value is ignored. */
const logQuery = z.object({
  level: z.string().regex(/^\d{1,3}$/).transform(Number).optional().catch(undefined),
  condition: z.string().trim().min(1).max(50).optional().catch(undefined),
  method: z.enum(['1', '2', '3', '4']).transform((m) => Number(m) as 1 | 2 | 3 | 4).optional().catch(undefined),
  state: z.enum(['active', 'reverted']).optional().catch(undefined),
  page: z.unknown().optional().transform(requestedPage),
});

export function reductionRoutes(s: Services): RouteDef[] {
  const reduction = reductionService({ analysis: s.analysis, repos: s.repos });
  const base = (req: Request) => `/studies/${req.study!.id}/reduction`;
  const code = (req: Request) => String(req.params.code);

  /** The page; `errors` puts the lead's posted decision form back with its problems (422). */
  const render = (req: Request, res: Response, errors?: FieldErrors) => {
    const data = reduction.page(req.study!);
    if (errors && !data.framework.conditions.some((c) => c.code === code(req))) throw notFound();
    const refused = errors ? { code: code(req), errors, values: { method: '', reason: '', ...formValues(req.body) } } : undefined;
    const view = reductionView(data, { studyId: req.study!.id, t: req.t, lang: req.language, refused, log: logQuery.parse(req.query) });
    res.status(errors ? 422 : 200).render('reduction/show', { title: req.t('reduction.title'), ...view, isLead: req.studyRole === 'lead', refusedCode: refused?.code ?? null });
  };

  return [
    /** @route GET /studies/:id/reduction — the log (filters ?level= ?condition= ?method= ?state=, 25 a page), every condition's state and decisions, method-1 suggestions; forms for leads. */
    route('get', '/studies/:id/reduction', studyRole('viewer'), (req, res) => render(req, res)),

    /** @route POST /studies/:id/reduction/:code — a decision on the condition: `method` 1–4 and `reason` (required); replaces an active one. */
    route('post', '/studies/:id/reduction/:code', studyRole('lead'), (req, res) => {
      const form = parseForm(decisionSchema, req.body);
      if (!form.ok) return render(req, res, form.errors);
      try {
        s.analysis.decideReduction(req.study!.id, code(req), req.user!.id, form.data);
      } catch (err) {
        if (err instanceof FormRefusal) return render(req, res, err.fields as FieldErrors);
        throw err;
      }
      setFlash(req, { kind: 'success', key: 'reduction.decided', params: { code: code(req), method: req.t(`analysis.reduction.method.${form.data.method as 1 | 2 | 3 | 4}`) } });
      res.redirect(303, `${base(req)}#r-${encodeURIComponent(code(req))}`);
    }),

    /** @route POST /studies/:id/reduction/:code/revert — reverts the condition's active decision: it takes part again; the log keeps it. */
    route('post', '/studies/:id/reduction/:code/revert', studyRole('lead'), (req, res) => {
      try {
        s.analysis.revertReduction(req.study!.id, code(req), req.user!.id);
        setFlash(req, { kind: 'success', key: 'reduction.reverted', params: { code: code(req) } });
      } catch (err) {
        // Nothing to revert (reverted meanwhile, e.g. in another tab): say so on the page.
        if (!(err instanceof HttpError) || err.status !== 409) throw err;
        setFlash(req, { kind: 'error', key: err.messageKey, params: err.params });
      }
      res.redirect(303, `${base(req)}#r-${encodeURIComponent(code(req))}`);
    }),
  ];
}
