// Rating: a rater's form for one case (drafts by form or autosave, submit), and the lead's page of a
// case's ratings with reopen and unblind. Who sees whose scores is decided in ratings.repo.ts.
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import type { FieldErrors } from '../http/forms.ts';
import { FormRefusal, notFound } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { parseRatingForm } from './ratings.schemas.ts';
import { overviewView, postedValues, ratingFormView } from './ratings.view.ts';

/** The browser's autosave asks for JSON; a plain form post wants a page. */
const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

export function ratingsRoutes(s: Services): RouteDef[] {
  const caseKey = (req: Request) => String(req.params.case);
  const rateUrl = (req: Request) => `/studies/${req.study!.id}/cases/${encodeURIComponent(caseKey(req))}/rate`;
  const overviewUrl = (req: Request) => `/studies/${req.study!.id}/cases/${encodeURIComponent(caseKey(req))}/ratings`;

  /** The form; `refused` puts the rater's posted values and the problems back (422). */
  const renderForm = (req: Request, res: Response, refused?: { body: Record<string, unknown>; errors: FieldErrors }) => {
    const data = s.ratings.form(req.study!.id, caseKey(req), req.user!.id);
    const view = ratingFormView(data, refused ? postedValues(refused.body) : undefined, refused?.errors);
    res.status(refused ? 422 : 200).render('ratings/form', {
      title: req.t('ratings.title', { case: data.case.name }),
      action: rateUrl(req),
      ...view,
      errors: refused?.errors ?? {},
    });
  };

  const refuse = (req: Request, res: Response, errors: FieldErrors) => {
    if (wantsJson(req)) {
      res.status(422).json({ ok: false, errors: Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, req.t(e.key, e.params)])) });
      return;
    }
    renderForm(req, res, { body: (req.body ?? {}) as Record<string, unknown>, errors });
  };

  return [
    /** @route GET /studies/:id/cases/:case/rate — an assigned rater's own ratings of the case (others: 403). */
    route('get', '/studies/:id/cases/:case/rate', studyRole('researcher'), (req, res) => renderForm(req, res)),

    /** @route POST /studies/:id/cases/:case/rate — saves drafts of the posted conditions (form or autosave). */
    route('post', '/studies/:id/cases/:case/rate', studyRole('researcher'), (req, res) => {
      const form = parseRatingForm(req.body);
      if (!form.ok) return refuse(req, res, form.errors);
      try {
        const { savedAt } = s.ratings.save(req.study!.id, caseKey(req), req.user!.id, form.data);
        if (wantsJson(req)) return void res.json({ ok: true, savedAt });
        setFlash(req, { kind: 'success', key: 'ratings.saved' });
        res.redirect(303, rateUrl(req));
      } catch (err) {
        if (err instanceof FormRefusal) return refuse(req, res, err.fields as FieldErrors);
        throw err;
      }
    }),

    /** @route POST /studies/:id/cases/:case/rate/submit — refuses with the missing codes; locks on success. */
    route('post', '/studies/:id/cases/:case/rate/submit', studyRole('researcher'), (req, res) => {
      try {
        s.ratings.submit(req.study!.id, caseKey(req), req.user!.id);
        setFlash(req, { kind: 'success', key: 'ratings.submitted', params: { case: caseKey(req) } });
        res.redirect(303, rateUrl(req));
      } catch (err) {
        if (err instanceof FormRefusal) return renderForm(req, res, { body: {}, errors: err.fields as FieldErrors });
        throw err;
      }
    }),

    /** @route GET /studies/:id/cases/:case/ratings — progress per rater; scores only when the case is not blind. */
    route('get', '/studies/:id/cases/:case/ratings', studyRole('lead'), (req, res) => {
      const view = overviewView(s.ratings.overview(req.study!.id, caseKey(req)));
      res.render('ratings/overview', { title: req.t('ratings.overview.title', { case: view.caseName }), base: overviewUrl(req).replace(/\/ratings$/, ''), ...view });
    }),

    /** @route POST /studies/:id/cases/:case/raters/:rater/reopen — `:rater` is the user id; logged. */
    route('post', '/studies/:id/cases/:case/raters/:rater/reopen', studyRole('lead'), (req, res) => {
      const raterId = Number(req.params.rater);
      if (!Number.isSafeInteger(raterId) || raterId < 1) throw notFound();
      const { rater } = s.ratings.reopen(req.study!.id, caseKey(req), raterId, req.user!.id);
      setFlash(req, { kind: 'success', key: 'ratings.overview.reopened', params: { name: rater } });
      res.redirect(303, overviewUrl(req));
    }),

    /** @route POST /studies/:id/cases/:case/unblind — an explicit, logged unblinding. */
    route('post', '/studies/:id/cases/:case/unblind', studyRole('lead'), (req, res) => {
      const changed = s.ratings.unblind(req.study!.id, caseKey(req), req.user!.id);
      setFlash(req, { kind: changed ? 'success' : 'info', key: changed ? 'ratings.overview.unblinded' : 'ratings.overview.alreadyOpen' });
      res.redirect(303, overviewUrl(req));
    }),
  ];
}
