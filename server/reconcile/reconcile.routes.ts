// Reconciliation: the queue (leads: every case; raters: the cases they rate), one item side by side
// with its thread, the lead's final score, bulk resolution of minor differences, sign-off per case,
// and the final scores as CSV.
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { bulkSchema, commentSchema, decisionSchema } from './reconcile.schemas.ts';
import type { Reader } from './reconcile.service.ts';
import { finalScoresCsv, itemView, queueView } from './reconcile.view.ts';
import { wantsAnonymised } from '../anonymise/anonymise.routes.ts';

export function reconcileRoutes(s: Services): RouteDef[] {
  const reader = (req: Request): Reader => ({ id: req.user!.id, isLead: req.studyRole === 'lead' });
  const base = (req: Request) => `/studies/${req.study!.id}/reconcile`;
  const itemUrl = (req: Request) =>
    `${base(req)}/cases/${encodeURIComponent(String(req.params.case))}/items/${encodeURIComponent(String(req.params.code))}`;
  const caseFilter = (req: Request) => (typeof req.query.case === 'string' && req.query.case !== '' ? req.query.case : null);

  const renderQueue = (req: Request, res: Response, bulkErrors: FieldErrors = {}) => {
    const view = queueView(s.reconcile.queue(req.study!.id, reader(req)), caseFilter(req), req.t);
    res.status(Object.keys(bulkErrors).length ? 422 : 200).render('reconcile/index', {
      title: req.t('reconcile.title'), base: base(req), isLead: req.studyRole === 'lead', ...view, errors: bulkErrors,
    });
  };

  /** The item page; `refused` puts the posted form back with its problems (422). */
  const renderItem = (req: Request, res: Response, refused?: { form: 'decision' | 'comment'; errors: FieldErrors }) => {
    const data = s.reconcile.item(req.study!.id, String(req.params.case), String(req.params.code), reader(req));
    res.status(refused ? 422 : 200).render('reconcile/item', {
      title: req.t('reconcile.item.title', { case: data.case.name, code: data.condition.code }),
      base: base(req),
      action: itemUrl(req),
      isLead: req.studyRole === 'lead',
      ...itemView(data),
      refusedForm: refused?.form ?? null,
      values: refused ? formValues(req.body) : {},
      errors: refused?.errors ?? {},
    });
  };

  return [
    /** @route GET /studies/:id/reconcile — items whose raters disagree, largest difference first; `?case=` narrows to one case. */
    route('get', '/studies/:id/reconcile', studyRole('researcher'), (req, res) => renderQueue(req, res)),

    /** @route POST /studies/:id/reconcile/bulk — `rule` lower|higher for every open minor difference (of `case`, if given). */
    route('post', '/studies/:id/reconcile/bulk', studyRole('lead'), (req, res) => {
      const form = parseForm(bulkSchema, req.body);
      if (!form.ok) return renderQueue(req, res, form.errors);
      const count = s.reconcile.bulk(req.study!.id, req.user!.id, { rule: form.data.rule, caseKey: form.data.case, expected: form.data.expected });
      setFlash(req, { kind: 'success', key: 'reconcile.bulk.done', params: { count, rule: req.t(`reconcile.bulk.rule.${form.data.rule}`) } });
      res.redirect(303, form.data.case ? `${base(req)}?case=${encodeURIComponent(form.data.case)}` : base(req));
    }),

    /** @route GET /studies/:id/reconcile/cases/:case/items/:code — scores, rationales and evidence side by side, the thread. */
    route('get', '/studies/:id/reconcile/cases/:case/items/:code', studyRole('researcher'), (req, res) => renderItem(req, res)),

    /** @route POST /studies/:id/reconcile/cases/:case/items/:code — the final score (`score`: number or n) and its `note`. */
    route('post', '/studies/:id/reconcile/cases/:case/items/:code', studyRole('lead'), (req, res) => {
      const form = parseForm(decisionSchema, req.body);
      if (!form.ok) return renderItem(req, res, { form: 'decision', errors: form.errors });
      try {
        s.reconcile.decide(req.study!.id, String(req.params.case), String(req.params.code), req.user!.id, form.data);
      } catch (err) {
        if (err instanceof FormRefusal) return renderItem(req, res, { form: 'decision', errors: err.fields as FieldErrors });
        throw err;
      }
      setFlash(req, { kind: 'success', key: 'reconcile.decided', params: { code: String(req.params.code) } });
      res.redirect(303, itemUrl(req));
    }),

    /** @route POST /studies/:id/reconcile/cases/:case/items/:code/comments — a message (`body`, Markdown) in the item's thread. */
    route('post', '/studies/:id/reconcile/cases/:case/items/:code/comments', studyRole('researcher'), (req, res) => {
      const form = parseForm(commentSchema, req.body);
      if (!form.ok) return renderItem(req, res, { form: 'comment', errors: form.errors });
      s.reconcile.comment(req.study!.id, String(req.params.case), String(req.params.code), reader(req), form.data.body);
      res.redirect(303, `${itemUrl(req)}#thread`);
    }),

    /** @route POST /studies/:id/reconcile/cases/:case/sign-off — refused while an item of the case is open. */
    route('post', '/studies/:id/reconcile/cases/:case/sign-off', studyRole('lead'), (req, res) => {
      const result = s.reconcile.signOff(req.study!.id, String(req.params.case), req.user!.id);
      setFlash(req, { kind: result === 'signed' ? 'success' : 'info', key: result === 'signed' ? 'reconcile.signOff.done' : 'reconcile.signOff.unchanged', params: { case: s.repos.cases.findByKey(req.study!.id, String(req.params.case))?.name ?? String(req.params.case) } });
      res.redirect(303, `${base(req)}#cases`);
    }),

    /** @route GET /studies/:id/final-scores.csv — the final score of every item of every case whose raters all submitted; `?anonymised=1`. */
    route('get', '/studies/:id/final-scores.csv', studyRole('viewer'), (req, res) => {
      const csv = finalScoresCsv(s.reconcile.finalScores(req.study!.id));
      res.type('text/csv; charset=utf-8');
      res.attachment(`study-${req.study!.id}-final-scores.csv`);
      res.send(wantsAnonymised(req) ? s.anonymise.csv(req.study!.id, csv, { numeric: ['score'] }) : csv);
    }),
  ];
}
