// The anonymisation page for leads: the pseudonym word, the table of cases with their pseudonyms and
// aliases, regenerating the pseudonyms (after a confirmation), and the leak check. Also the one test
// every download uses for its "anonymised" switch.
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { confirmSchema, parseAliasesTable, wordSchema } from './anonymise.schemas.ts';
import { anonymisationHref, anonymisationView } from './anonymise.view.ts';

/** Whether a download was asked for anonymised: `?anonymised=1` (also `true` or `on`, from a checkbox). */
export function wantsAnonymised(req: Request): boolean {
  const value = req.query.anonymised;
  return value === '1' || value === 'true' || value === 'on';
}

export function anonymiseRoutes(s: Services): RouteDef[] {
  const render = async (req: Request, res: Response, form: { errors?: FieldErrors; values?: Record<string, string> } = {}) => {
    const studyId = req.study!.id;
    const errors = form.errors ?? {};
    const leaks = s.leakCheck.latest(studyId, req.user!.id) ?? null;
    res.status(Object.keys(errors).length ? 422 : 200).render('anonymise/index', {
      title: req.t('anonymise.title'),
      ...anonymisationView(studyId, s.anonymise.page(studyId), leaks, req.t, form.values),
      errors,
    });
  };

  const renderConfirm = (req: Request, res: Response, errors: FieldErrors = {}) => {
    const page = s.anonymise.page(req.study!.id);
    res.status(Object.keys(errors).length ? 422 : 200).render('anonymise/regenerate', {
      title: req.t('anonymise.regenerate.title'),
      base: anonymisationHref(req.study!.id),
      count: page.cases.length,
      word: page.word,
      errors,
    });
  };

  return [
    /** @route GET /studies/:id/anonymisation — word, pseudonyms, aliases and the leak check. */
    route('get', '/studies/:id/anonymisation', studyRole('lead'), async (req, res) => render(req, res)),

    /**
     * @route POST /studies/:id/anonymisation/word — `word` ('' = the default for the study's language).
     * A word whose pseudonyms would hold a case's name, alias or key: 422, the page with the problem.
     */
    route('post', '/studies/:id/anonymisation/word', studyRole('lead'), async (req, res) => {
      const form = parseForm(wordSchema, req.body);
      if (!form.ok) return render(req, res, { errors: form.errors, values: formValues(req.body) });
      let renamed: number;
      try {
        renamed = s.anonymise.setWord(req.study!.id, req.user!.id, form.data.word);
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        return render(req, res, { errors: err.fields as FieldErrors, values: formValues(req.body) });
      }
      setFlash(req, { kind: 'success', key: 'anonymise.wordSaved', params: { count: renamed } });
      res.redirect(303, anonymisationHref(req.study!.id));
    }),

    /**
     * @route POST /studies/:id/anonymisation/aliases — rows `key_<i>` and `aliases_<i>` (one alias per
     * line). Too many aliases for the study in all, or an alias that is part of a pseudonym: 422, the
     * table comes back as typed with the problem.
     */
    route('post', '/studies/:id/anonymisation/aliases', studyRole('lead'), async (req, res) => {
      const form = parseAliasesTable(req.body);
      if (!form.ok) return render(req, res, { errors: form.errors, values: formValues(req.body) });
      let changed: number;
      try {
        changed = s.anonymise.saveAliases(req.study!.id, req.user!.id, form.rows);
      } catch (err) {
        if (!(err instanceof FormRefusal)) throw err;
        return render(req, res, { errors: err.fields as FieldErrors, values: formValues(req.body) });
      }
      setFlash(req, { kind: 'success', key: 'anonymise.aliasesSaved', params: { count: changed } });
      res.redirect(303, `${anonymisationHref(req.study!.id)}#leaks`);
    }),

    /**
     * @route POST /studies/:id/anonymisation/leak-check — runs the leak check (seconds to minutes: every
     * anonymised output is written and read back), then shows the page with its findings.
     */
    route('post', '/studies/:id/anonymisation/leak-check', studyRole('lead'), async (req, res) => {
      await s.leakCheck.check(req.study!.id, req.user!.id);
      res.redirect(303, `${anonymisationHref(req.study!.id)}#leaks`);
    }),

    /** @route GET /studies/:id/anonymisation/regenerate — asks for confirmation. */
    route('get', '/studies/:id/anonymisation/regenerate', studyRole('lead'), (req, res) => renderConfirm(req, res)),

    /** @route POST /studies/:id/anonymisation/regenerate — `confirm=yes`: new pseudonyms for every case, in random order. */
    route('post', '/studies/:id/anonymisation/regenerate', studyRole('lead'), (req, res) => {
      const form = parseForm(confirmSchema, req.body);
      if (!form.ok) return renderConfirm(req, res, form.errors);
      s.anonymise.regenerate(req.study!.id, req.user!.id);
      setFlash(req, { kind: 'success', key: 'anonymise.regenerated' });
      res.redirect(303, anonymisationHref(req.study!.id));
    }),

    /** @route POST /studies/:id/anonymisation/assign — `confirm=yes`: stores random pseudonyms for the cases that have none. */
    route('post', '/studies/:id/anonymisation/assign', studyRole('lead'), async (req, res) => {
      const form = parseForm(confirmSchema, req.body);
      if (!form.ok) return render(req, res, { errors: { _form: form.errors.confirm ?? { key: 'anonymise.confirmRequired' } } });
      const count = s.anonymise.assignMissing(req.study!.id, req.user!.id);
      setFlash(req, { kind: 'success', key: 'anonymise.assigned', params: { count } });
      res.redirect(303, anonymisationHref(req.study!.id));
    }),
  ];
}
