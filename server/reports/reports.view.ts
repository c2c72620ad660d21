// Plain data for the report pages and the templates page. The Word file is linked relatively
// (report.docx beside report), and an anonymised case report is addressed by the case's pseudonymous
// key, so that an anonymised page carries the real case key in no link and no address.
import type { Translate } from '../lib/i18n.ts';
import { renderReportHtml } from './reports.html.ts';
import type { Report, TemplateState } from './reports.service.ts';
import { PLACEHOLDERS, type ReportKind } from './reports.templates.ts';

/** The anonymised case report of the case with this pseudonymous key (`.docx` after it for the Word file). */
export const anonymisedCaseReportHref = (studyId: number, pseudonymKey: string) => `/studies/${studyId}/anonymised/cases/${encodeURIComponent(pseudonymKey)}/report`;

export function reportPageView(
  report: Report,
  opts: {
    t: Translate;
    back: string;
    backLabel: string;
    templatesHref: string | null;
    crossCaseHref: string | null;
    /** The Word file of the same report, relative to the page ("report.docx", "report.docx?anonymised=1"). */
    docxHref: string;
    /** The other version (anonymised or with real names); null: no link (an anonymised case report links to no real key). */
    switchHref: string | null;
  },
) {
  const { t } = opts;
  return {
    layout: false,
    title: report.content.title,
    reportLang: report.language,
    anonymised: report.anonymised,
    reportHtml: renderReportHtml(report.template, report.content),
    toolbar: {
      back: opts.back,
      backLabel: opts.backLabel,
      docx: opts.docxHref,
      switchHref: opts.switchHref,
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
