// Reconciliation: the queue (leads: every case; raters: the cases they rate), one item side by side
// with its thread, the lead's final score, bulk resolution of minor differences, sign-off per case,
// and the final scores as CSV.
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { askToConfirm, isConfirmed } from '../http/confirm.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { bulkConfirmSchema, bulkSchema, commentSchema, decisionSchema, queueFilterSchema, queueHref, signOffSchema } from './reconcile.schemas.ts';
import type { Reader } from './reconcile.service.ts';
import { bulkView, finalScoresCsv, itemView, queueView } from './reconcile.view.ts';
import { wantsAnonymised } from '../anonymise/anonymise.routes.ts';

export function reconcileRoutes(s: Services): RouteDef[] {
  const reader = (req: Request): Reader => ({ id: req.user!.id, isLead: req.studyRole === 'lead' });
  const base = (req: Request) => `/studies/${req.study!.id}/reconcile`;
  const itemUrl = (req: Request) =>
    `${base(req)}/cases/${encodeURIComponent(String(req.params.case))}/items/${encodeURIComponent(String(req.params.code))}`;
  const itemHref = (req: Request, caseKey: string, code: string) => `${base(req)}/cases/${encodeURIComponent(caseKey)}/items/${encodeURIComponent(code)}`;

  /** The queue with the filters of the query string; `bulkErrors` puts a refused bulk rule back (422). */
  const renderQueue = (req: Request, res: Response, bulkErrors: FieldErrors = {}, bulkOpen = false) => {
    const filters = queueFilterSchema.parse(req.query);
    const isLead = req.studyRole === 'lead';
    const view = queueView(s.reconcile.queue(req.study!.id, reader(req)), filters, base(req), isLead, req.t);
    res.status(Object.keys(bulkErrors).length ? 422 : 200).render('reconcile/index', {
      title: req.t('reconcile.title'), base: base(req), isLead, ...view, errors: bulkErrors, bulkOpen: bulkOpen || 'rule' in bulkErrors,
    });
  };

  /** The bulk rule's preview, which is its confirmation too: the list of items it changes. */
  const renderBulk = (req: Request, res: Response, input: { rule: 'lower' | 'higher'; case: string | null }) => {
    const view = bulkView(s.reconcile.bulkPreview(req.study!.id, { rule: input.rule, caseKey: input.case }), req.t);
    res.render('reconcile/bulk', {
      title: req.t('reconcile.bulk.confirmTitle', { count: view.count, rule: req.t(`reconcile.bulk.rule.${view.rule}`) }),
      base: base(req),
      back: queueHref(base(req), { case: input.case }),
      ...view,
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
    /**
     * @route GET /studies/:id/reconcile — the items whose raters disagree, grouped per case with its
     * sign-off, paged; filters `status` (open, the default; resolved; all), `case`, `kind` (major,
     * minor, partly-judged) and `page`.
     */
    route('get', '/studies/:id/reconcile', studyRole('researcher'), (req, res) => renderQueue(req, res)),

    /**
     * @route GET /studies/:id/reconcile/bulk — the preview of `rule` (lower|higher) for the open minor
     * differences (of `case`, if given): exactly the items it changes. The queue's form sends `ask=1`:
     * without a rule it comes back with the problem (422); the bare address shows the queue with the
     * rule's form open.
     */
    route('get', '/studies/:id/reconcile/bulk', studyRole('lead'), (req, res) => {
      const form = parseForm(bulkSchema, req.query);
      if (!form.ok) return req.query.ask === undefined ? renderQueue(req, res, {}, true) : renderQueue(req, res, form.errors);
      renderBulk(req, res, form.data);
    }),

    /**
     * @route POST /studies/:id/reconcile/bulk — applies `rule` to the items of the preview; `items` is
     * the preview's digest. Without `confirmed=yes` it answers with the preview and changes nothing.
     */
    route('post', '/studies/:id/reconcile/bulk', studyRole('lead'), (req, res) => {
      const form = parseForm(bulkSchema, req.body);
      if (!form.ok) return renderQueue(req, res, form.errors);
      const confirmed = isConfirmed(req) ? parseForm(bulkConfirmSchema, req.body) : null;
      if (!confirmed?.ok) return renderBulk(req, res, form.data);
      const { rule, case: caseKey, items } = confirmed.data;
      const count = s.reconcile.bulk(req.study!.id, req.user!.id, { rule, caseKey, items });
      setFlash(req, { kind: 'success', key: 'reconcile.bulk.done', params: { count, rule: req.t(`reconcile.bulk.rule.${rule}`) } });
      res.redirect(303, queueHref(base(req), { case: caseKey }));
    }),

    /** @route GET /studies/:id/reconcile/cases/:case/items/:code — scores, rationales and evidence side by side, the thread. */
    route('get', '/studies/:id/reconcile/cases/:case/items/:code', studyRole('researcher'), (req, res) => renderItem(req, res)),

    /**
     * @route POST /studies/:id/reconcile/cases/:case/items/:code — the final score (`score`: number or n)
     * and its `note`; with `next=1` ("Save and next open item") on to the next open item in queue
     * order, or back to the queue when none is left.
     */
    route('post', '/studies/:id/reconcile/cases/:case/items/:code', studyRole('lead'), (req, res) => {
      const form = parseForm(decisionSchema, req.body);
      if (!form.ok) return renderItem(req, res, { form: 'decision', errors: form.errors });
      const code = String(req.params.code);
      let result;
      try {
        result = s.reconcile.decide(req.study!.id, String(req.params.case), code, req.user!.id, form.data);
      } catch (err) {
        if (err instanceof FormRefusal) return renderItem(req, res, { form: 'decision', errors: err.fields as FieldErrors });
        throw err;
      }
      if (!result) {
        setFlash(req, { kind: 'success', key: 'reconcile.decided', params: { code } });
        return res.redirect(303, itemUrl(req));
      }
      if (!result.next) {
        setFlash(req, { kind: 'success', key: 'reconcile.decidedNoneLeft', params: { code } });
        return res.redirect(303, base(req));
      }
      setFlash(req, {
        kind: 'success',
        key: result.caseDone ? 'reconcile.decidedCaseDone' : 'reconcile.decidedNext',
        params: { code, next: `${result.next.caseName} ${result.next.code}`, case: result.caseName },
      });
      res.redirect(303, itemHref(req, result.next.caseKey, result.next.code));
    }),

    /** @route POST /studies/:id/reconcile/cases/:case/items/:code/comments — a message (`body`, Markdown) in the item's thread. */
    route('post', '/studies/:id/reconcile/cases/:case/items/:code/comments', studyRole('researcher'), (req, res) => {
      const form = parseForm(commentSchema, req.body);
      if (!form.ok) return renderItem(req, res, { form: 'comment', errors: form.errors });
      s.reconcile.comment(req.study!.id, String(req.params.case), String(req.params.code), reader(req), form.data.body);
      res.redirect(303, `${itemUrl(req)}#thread`);
    }),

    /**
     * @route POST /studies/:id/reconcile/cases/:case/sign-off — refused while an item of the case is open;
     * asks first (without `confirmed=yes` it answers with the confirmation page). The queue's filters
     * (`status`, `filterCase`, `kind`, `page`) bring the lead back to the queue as it was.
     */
    route('post', '/studies/:id/reconcile/cases/:case/sign-off', studyRole('lead'), (req, res) => {
      const back = signOffSchema.parse(req.body ?? {});
      const backHref = queueHref(base(req), { status: back.status, case: back.filterCase || null, kind: back.kind, page: back.page });
      if (!isConfirmed(req)) {
        const ask = s.reconcile.signOffAsk(req.study!.id, String(req.params.case), req.user!.id);
        return askToConfirm(req, res, {
          title: req.t('reconcile.signOff.confirmTitle', { case: ask.name }),
          text: req.t(ask.again ? 'reconcile.signOff.confirmAgain' : 'reconcile.signOff.confirm', { case: ask.name, items: ask.items, reconciled: ask.reconciled }),
          button: req.t(ask.again ? 'reconcile.signOff.again' : 'reconcile.signOff.button'),
          back: backHref,
        });
      }
      const result = s.reconcile.signOff(req.study!.id, String(req.params.case), req.user!.id);
      setFlash(req, { kind: result === 'signed' ? 'success' : 'info', key: result === 'signed' ? 'reconcile.signOff.done' : 'reconcile.signOff.unchanged', params: { case: s.repos.cases.findByKey(req.study!.id, String(req.params.case))?.name ?? String(req.params.case) } });
      res.redirect(303, backHref);
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
