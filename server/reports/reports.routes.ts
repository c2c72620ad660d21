// Reports: the case report and the cross-case report as a printable HTML page and as a Word file, for
// every member (only final scores, and ratings of cases that are no longer blind, appear: the service
// reads nothing else). The study's report templates: a lead edits or resets them.
//
// Anonymised: the cross-case report with `?anonymised=1`; a case report at
// /studies/:id/anonymised/cases/:pseudokey/report(.docx), addressed by the case's pseudonymous key (the
// one the anonymised exports use), so that the real key is in no address, browser history, shared
// link or printed footer of an anonymised report. The real-key address with `?anonymised=1` (links
// made before) only redirects there: anonymised content is never served at an address with the real key.
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal, HttpError, notFound } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { reportDocx } from './reports.docx.ts';
import { isAnonymised, resetSchema, templateSchema } from './reports.schemas.ts';
import type { Report } from './reports.service.ts';
import { anonymisedCaseReportHref, reportPageView, safeFileName, templatesView } from './reports.view.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function sendDocx(res: Response, report: Report, fileName: string, landscape: boolean): Promise<void> {
  const buffer = await reportDocx(report, landscape);
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.type(DOCX).send(buffer);
}

export function reportsRoutes(s: Services): RouteDef[] {
  /** The pseudonymous key of a case; 404 for an unknown case, 409 while a case has no pseudonym. */
  const realToPseudonymous = (studyId: number, caseKey: string) => {
    const key = s.anonymise.pseudonymKeyOf(studyId, caseKey);
    if (key === null) throw notFound();
    return key;
  };
  const templatesHref = (req: Request) => (req.studyRole === 'lead' ? `/studies/${req.study!.id}/report-templates` : null);

  const renderTemplates = (req: Request, res: Response, failed?: { kind: string; errors: FieldErrors; body: string }) => {
    const study = req.study!;
    const templates = templatesView(s.reports.templates(study), req.t).map((tpl) => ({
      ...tpl,
      value: failed?.kind === tpl.kind ? failed.body : tpl.body,
      errors: failed?.kind === tpl.kind ? failed.errors : {},
    }));
    res.status(failed ? 422 : 200).render('reports/templates', { title: req.t('reports.templates.title'), templates });
  };

  return [
    /** @route GET /studies/:id/cases/:case/report — the case report, ready to print; ?anonymised=1 redirects to the anonymised one. */
    route('get', '/studies/:id/cases/:case/report', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const caseKey = String(req.params.case);
      if (isAnonymised(req.query.anonymised)) return res.redirect(302, anonymisedCaseReportHref(study.id, realToPseudonymous(study.id, caseKey)));
      const report = s.reports.caseReport(study, caseKey, { anonymised: false });
      const pseudonymKey = s.anonymise.pseudonymKeyOf(study.id, caseKey, true);
      res.render(
        'reports/report',
        reportPageView(report, {
          t: req.t,
          back: `/studies/${study.id}/cases/${encodeURIComponent(caseKey)}`,
          backLabel: req.t('reports.backToCase'),
          templatesHref: templatesHref(req),
          crossCaseHref: `/studies/${study.id}/report`,
          docxHref: 'report.docx',
          switchHref: pseudonymKey === null ? null : anonymisedCaseReportHref(study.id, pseudonymKey),
        }),
      );
    }),

    /** @route GET /studies/:id/cases/:case/report.docx — the case report as a Word file (attachment); ?anonymised=1 redirects to the anonymised one. */
    route('get', '/studies/:id/cases/:case/report.docx', studyRole('viewer'), async (req, res) => {
      const study = req.study!;
      const caseKey = String(req.params.case);
      if (isAnonymised(req.query.anonymised)) return res.redirect(302, `${anonymisedCaseReportHref(study.id, realToPseudonymous(study.id, caseKey))}.docx`);
      const report = s.reports.caseReport(study, caseKey, { anonymised: false });
      await sendDocx(res, report, `kader-${study.id}-${safeFileName(caseKey)}-report.docx`, false);
    }),

    /**
     * @route GET /studies/:id/anonymised/cases/:pseudokey/report — the anonymised case report, ready
     * to print, addressed by the case's pseudonymous key; 409 while a case has no pseudonym.
     */
    route('get', '/studies/:id/anonymised/cases/:pseudokey/report', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const found = s.anonymise.caseOfPseudonymKey(study.id, String(req.params.pseudokey));
      const report = s.reports.caseReport(study, found.key, { anonymised: true });
      res.render(
        'reports/report',
        reportPageView(report, {
          t: req.t,
          // Nothing on the page leads to an address with the real key: back to the list, no switch.
          back: `/studies/${study.id}/cases`,
          backLabel: req.t('reports.backToCases'),
          templatesHref: templatesHref(req),
          crossCaseHref: `/studies/${study.id}/report?anonymised=1`,
          docxHref: 'report.docx',
          switchHref: null,
        }),
      );
    }),

    /** @route GET /studies/:id/anonymised/cases/:pseudokey/report.docx — the anonymised case report as a Word file, named by the pseudonymous key. */
    route('get', '/studies/:id/anonymised/cases/:pseudokey/report.docx', studyRole('viewer'), async (req, res) => {
      const study = req.study!;
      const found = s.anonymise.caseOfPseudonymKey(study.id, String(req.params.pseudokey));
      const report = s.reports.caseReport(study, found.key, { anonymised: true });
      await sendDocx(res, report, `kader-${study.id}-${safeFileName(found.pseudonymKey)}-anonymised-report.docx`, false);
    }),

    /** @route GET /studies/:id/report — the cross-case report, ready to print; ?anonymised=1 for pseudonyms. */
    route('get', '/studies/:id/report', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const anonymised = isAnonymised(req.query.anonymised);
      const report = s.reports.crossCaseReport(study, { anonymised });
      res.render(
        'reports/report',
        reportPageView(report, {
          t: req.t,
          back: `/studies/${study.id}`,
          backLabel: req.t('reports.backToStudy'),
          templatesHref: templatesHref(req),
          crossCaseHref: null,
          docxHref: anonymised ? 'report.docx?anonymised=1' : 'report.docx',
          switchHref: anonymised ? 'report' : 'report?anonymised=1',
        }),
      );
    }),

    /** @route GET /studies/:id/report.docx — the cross-case report as a Word file (attachment, landscape). */
    route('get', '/studies/:id/report.docx', studyRole('viewer'), async (req, res) => {
      const study = req.study!;
      const anonymised = isAnonymised(req.query.anonymised);
      const report = s.reports.crossCaseReport(study, { anonymised });
      await sendDocx(res, report, `kader-${study.id}-cross-case${anonymised ? '-anonymised' : ''}-report.docx`, true);
    }),

    /** @route GET /studies/:id/report-templates — both templates with the placeholders documented. */
    route('get', '/studies/:id/report-templates', studyRole('lead'), (req, res) => renderTemplates(req, res)),

    /** @route POST /studies/:id/report-templates — saves the study's template of a kind. */
    route('post', '/studies/:id/report-templates', studyRole('lead'), (req, res) => {
      const form = parseForm(templateSchema, req.body);
      const kind = formValues(req.body).kind ?? '';
      if (!form.ok) return renderTemplates(req, res, { kind, errors: form.errors, body: formValues(req.body).body ?? '' });
      try {
        s.reports.saveTemplate(req.study!.id, form.data.kind, form.data.body, req.user!.id, form.data.updatedAt);
      } catch (err) {
        if (err instanceof FormRefusal) return renderTemplates(req, res, { kind, errors: err.fields as FieldErrors, body: form.data.body });
        throw err;
      }
      setFlash(req, { kind: 'success', key: 'reports.templates.saved' });
      res.redirect(303, `/studies/${req.study!.id}/report-templates#tpl-${form.data.kind}`);
    }),

    /** @route POST /studies/:id/report-templates/reset — back to the built-in template of a kind. */
    route('post', '/studies/:id/report-templates/reset', studyRole('lead'), (req, res) => {
      const form = parseForm(resetSchema, req.body);
      if (!form.ok) throw new HttpError(400, 'error.badRequest');
      const changed = s.reports.resetTemplate(req.study!.id, form.data.kind, req.user!.id);
      setFlash(req, { kind: changed ? 'success' : 'info', key: changed ? 'reports.templates.wasReset' : 'reports.templates.alreadyBuiltIn' });
      res.redirect(303, `/studies/${req.study!.id}/report-templates#tpl-${form.data.kind}`);
    }),
  ];
}
