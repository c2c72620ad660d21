// Rating: a rater's form for one case (drafts by form or autosave, submit), the lead's page of a
// case's ratings with reopen and unblind, and the ratings CSV (a lead's import, everyone's download).
// Who sees whose scores is decided in ratings.repo.ts.
import type { Request, Response } from 'express';
import { cachedPage, route, studyRole, uploadRoute, type RouteDef } from '../http/authorize.ts';
import { askToConfirm, isConfirmed } from '../http/confirm.ts';
import { setFlash } from '../http/flash.ts';
import { csvUpload, CSV_FILE_MAX_BYTES } from '../http/upload.ts';
import type { FieldErrors } from '../http/forms.ts';
import { FormRefusal, notFound } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import type { CsvProblem } from '../cases/cases.schemas.ts';
import { settingsOf } from '../studies/studies.repo.ts';
import { wantsAnonymised } from '../anonymise/anonymise.routes.ts';
import { parseRatingForm } from './ratings.schemas.ts';
import { importView, overviewView, postedValues, ratingFormView } from './ratings.view.ts';


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

  /** The import form, with the problems of a refused file (422). */
  const renderImport = (req: Request, res: Response, problems: CsvProblem[] = [], fileName = '') => {
    const settings = settingsOf(req.study!);
    res.status(problems.length ? 422 : 200).render('ratings/import', {
      title: req.t('ratings.import.title'),
      ...importView(req.language, problems, fileName),
      maxMb: CSV_FILE_MAX_BYTES / 1024 / 1024,
      scale: settings.scale,
      ratersPerCase: settings.ratersPerCase,
    });
  };

  return [
    /** @route GET /studies/:id/ratings.csv — the ratings the user may see (own drafts marked; others' only when not blind); `?anonymised=1`. */
    route('get', '/studies/:id/ratings.csv', studyRole('viewer'), (req, res) => {
      const named = s.ratings.csv(req.study!.id, req.user!.id);
      const csv = wantsAnonymised(req) ? s.anonymise.csv(req.study!.id, named, { numeric: ['score'] }) : named;
      res.set('Content-Type', 'text/csv; charset=utf-8');
      res.set('Content-Disposition', `attachment; filename="study-${req.study!.id}-ratings.csv"`);
      res.set('Cache-Control', 'private, no-store');
      res.send(csv);
    }),

    /** @route GET /studies/:id/ratings/import — the CSV import form. */
    route('get', '/studies/:id/ratings/import', studyRole('lead'), (req, res) => renderImport(req, res)),

    /** @route POST /studies/:id/ratings/import — multipart: `_csrf`, `file` (.csv, at most 5 MB); all or nothing. */
    uploadRoute('/studies/:id/ratings/import', studyRole('lead'), csvUpload, (req, res) => {
      const file = req.file;
      if (res.locals.uploadTooLarge) {
        return renderImport(req, res, [{ line: null, key: 'cases.csv.tooLarge', params: { max: CSV_FILE_MAX_BYTES / 1024 / 1024 } }]);
      }
      if (!file || file.size === 0) return renderImport(req, res, [{ line: null, key: 'cases.csv.noFile' }]);
      const result = s.ratings.importCsv(req.study!.id, req.user!.id, file.originalname, file.buffer);
      if (!result.ok) return renderImport(req, res, result.problems, file.originalname);
      setFlash(req, { kind: 'success', key: 'ratings.import.done', params: { ratings: result.ratings, cases: result.cases, file: file.originalname } });
      res.redirect(303, `/studies/${req.study!.id}/ratings/import`);
    }),

    /** @route GET /studies/:id/cases/:case/rate — an assigned rater's own ratings of the case (others: 403). */
    cachedPage('/studies/:id/cases/:case/rate', studyRole('researcher'), (req, res) => renderForm(req, res)),

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

    /**
     * @route POST /studies/:id/cases/:case/rate/submit — refuses with the incomplete conditions (the
     * form again, each linked); a complete set asks first (`confirmed=yes` submits); locks on success.
     */
    route('post', '/studies/:id/cases/:case/rate/submit', studyRole('researcher'), (req, res) => {
      try {
        if (!isConfirmed(req)) {
          // Completeness first: nobody is asked to confirm a submit that would be refused.
          const { caseName, count } = s.ratings.submittable(req.study!.id, caseKey(req), req.user!.id);
          return askToConfirm(req, res, {
            title: req.t('ratings.submitConfirmTitle', { case: caseName }), text: req.t('ratings.submitConfirm', { case: caseName, count }),
            button: req.t('ratings.submit'), back: rateUrl(req),
          });
        }
        s.ratings.submit(req.study!.id, caseKey(req), req.user!.id);
        setFlash(req, { kind: 'success', key: 'ratings.submitted', params: { case: s.repos.cases.findByKey(req.study!.id, caseKey(req))?.name ?? caseKey(req) } });
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

    /** @route POST /studies/:id/cases/:case/raters/:rater/reopen — `:rater` is the user id; asks first (`confirmed=yes`); logged. */
    route('post', '/studies/:id/cases/:case/raters/:rater/reopen', studyRole('lead'), (req, res) => {
      const raterId = Number(req.params.rater);
      if (!Number.isSafeInteger(raterId) || raterId < 1) throw notFound();
      if (!isConfirmed(req)) {
        // Refusals (nothing submitted, reconciliation begun) come before the question.
        const { rater, caseName, count } = s.ratings.reopenable(req.study!.id, caseKey(req), raterId);
        return askToConfirm(req, res, {
          title: req.t('ratings.overview.reopenConfirmTitle', { name: rater, case: caseName }),
          text: req.t('ratings.overview.reopenConfirm', { name: rater, case: caseName, count }),
          button: req.t('ratings.overview.reopen', { name: rater }), back: overviewUrl(req),
        });
      }
      const { rater } = s.ratings.reopen(req.study!.id, caseKey(req), raterId, req.user!.id);
      setFlash(req, { kind: 'success', key: 'ratings.overview.reopened', params: { name: rater } });
      res.redirect(303, overviewUrl(req));
    }),

    /** @route POST /studies/:id/cases/:case/unblind — an explicit, logged unblinding. */
    route('post', '/studies/:id/cases/:case/unblind', studyRole('lead'), (req, res) => {
      if (!isConfirmed(req)) {
        const name = s.cases.casePage(req.study!.id, caseKey(req)).row.name;
        return askToConfirm(req, res, {
          title: req.t('ratings.overview.unblindConfirmTitle', { case: name }), text: req.t('ratings.overview.unblindConfirm', { case: name }),
          button: req.t('ratings.overview.unblind'), back: overviewUrl(req),
        });
      }
      const changed = s.ratings.unblind(req.study!.id, caseKey(req), req.user!.id);
      setFlash(req, { kind: changed ? 'success' : 'info', key: changed ? 'ratings.overview.unblinded' : 'ratings.overview.alreadyOpen' });
      res.redirect(303, overviewUrl(req));
    }),
  ];
}
