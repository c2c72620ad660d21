// Plain data for the report pages and the templates page. Report pages link relatively (report.docx,
// report?anonymised=1) so that an anonymised page carries no case key in its links.
import type { Translate } from '../lib/i18n.ts';
import { renderReportHtml } from './reports.html.ts';
import type { Report, TemplateState } from './reports.service.ts';
import { PLACEHOLDERS, type ReportKind } from './reports.templates.ts';

export function reportPageView(report: Report, opts: { t: Translate; back: string; backLabel: string; templatesHref: string | null; crossCaseHref: string | null }) {
  const { t } = opts;
  const suffix = report.anonymised ? '?anonymised=1' : '';
  return {
    layout: false,
    title: report.content.title,
    reportLang: report.language,
    anonymised: report.anonymised,
    reportHtml: renderReportHtml(report.template, report.content),
    toolbar: {
      back: opts.back,
      backLabel: opts.backLabel,
      docx: `report.docx${suffix}`,
      switchHref: report.anonymised ? 'report' : 'report?anonymised=1',
      switchLabel: report.anonymised ? t('reports.showNormal') : t('reports.showAnonymised'),
      templates: opts.templatesHref,
      crossCase: opts.crossCaseHref,
    },
  };
}

/** A file name for Content-Disposition: ASCII letters, digits, dot, dash and underscore only. */
export function safeFileName(s: string): string {
  const cleaned = s
    .normalize('NFKD')
    .replace(/[^\x20-\x7E]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned.slice(0, 80) || 'report';
}

export function templatesView(templates: TemplateState[], t: Translate) {
  return templates.map((tpl) => ({
    kind: tpl.kind,
    heading: t(`reports.templates.kind.${tpl.kind}`),
    status: tpl.custom ? t('reports.templates.custom', { name: tpl.updatedBy ?? '–', date: (tpl.updatedAt ?? '').replace('T', ' ').slice(0, 16) }) : t('reports.templates.builtIn'),
    custom: tpl.custom,
    body: tpl.body,
    updatedAt: tpl.updatedAt ?? '',
    placeholders: PLACEHOLDERS[tpl.kind as ReportKind].map((p) => ({ name: `{{${p.name}}}`, sort: t(`reports.templates.sort.${p.sort}`), help: t(p.help) })),
  }));
}
