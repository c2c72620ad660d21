// Reports: the case report and the cross-case report as a printable HTML page and as a Word file, for
// every member (only final scores, and ratings of cases that are no longer blind, appear: the service
// reads nothing else); `?anonymised=1` on each. The study's report templates: a lead edits or resets them.
import type { Request, Response } from 'express';
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { formValues, parseForm, type FieldErrors } from '../http/forms.ts';
import { FormRefusal, HttpError } from '../lib/errors.ts';
import { translator } from '../lib/i18n.ts';
import type { Services } from '../services.ts';
import { renderReportDocx } from './reports.docx.ts';
import { isAnonymised, resetSchema, templateSchema } from './reports.schemas.ts';
import type { Report } from './reports.service.ts';
import { reportPageView, safeFileName, templatesView } from './reports.view.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function sendDocx(res: Response, report: Report, fileName: string, landscape: boolean): Promise<void> {
  const buffer = await renderReportDocx(report.template, report.content, { landscape, pageLabel: translator(report.language)('reports.page') });
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  res.type(DOCX).send(buffer);
}

export function reportsRoutes(s: Services): RouteDef[] {
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
    /** @route GET /studies/:id/cases/:case/report — the case report, ready to print; ?anonymised=1 for pseudonyms. */
    route('get', '/studies/:id/cases/:case/report', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const anonymised = isAnonymised(req.query.anonymised);
      const report = s.reports.caseReport(study, String(req.params.case), { anonymised });
      res.render(
        'reports/report',
        reportPageView(report, {
          t: req.t,
          back: anonymised ? `/studies/${study.id}/cases` : `/studies/${study.id}/cases/${encodeURIComponent(String(req.params.case))}`,
          backLabel: anonymised ? req.t('reports.backToCases') : req.t('reports.backToCase'),
          templatesHref: templatesHref(req),
          crossCaseHref: `/studies/${study.id}/report${anonymised ? '?anonymised=1' : ''}`,
        }),
      );
    }),

    /** @route GET /studies/:id/cases/:case/report.docx — the case report as a Word file (attachment). */
    route('get', '/studies/:id/cases/:case/report.docx', studyRole('viewer'), async (req, res) => {
      const study = req.study!;
      const anonymised = isAnonymised(req.query.anonymised);
      const report = s.reports.caseReport(study, String(req.params.case), { anonymised });
      const name = anonymised ? `kader-${study.id}-${safeFileName(report.content.texts['case.name'] ?? 'case')}-anonymised` : `kader-${study.id}-${safeFileName(String(req.params.case))}`;
      await sendDocx(res, report, `${name}-report.docx`, false);
    }),

    /** @route GET /studies/:id/report — the cross-case report, ready to print; ?anonymised=1 for pseudonyms. */
    route('get', '/studies/:id/report', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const anonymised = isAnonymised(req.query.anonymised);
      const report = s.reports.crossCaseReport(study, { anonymised });
      res.render(
        'reports/report',
        reportPageView(report, { t: req.t, back: `/studies/${study.id}`, backLabel: req.t('reports.backToStudy'), templatesHref: templatesHref(req), crossCaseHref: null }),
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
