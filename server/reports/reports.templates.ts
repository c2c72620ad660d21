// Report templates (PRODUCT.md step 10): Markdown with {{placeholders}}. The catalogue of
// placeholders per report kind (documented on the templates page), the built-in template per kind
// in the study's language, and the pure helpers that find placeholders in a template.
//
// Two sorts of placeholder: a *text* placeholder ({{case.name}}) is replaced by escaped plain text
// wherever it stands in running text; a *block* placeholder ({{section.scores}}) is replaced by a
// section the server builds, and belongs on a line of its own.
import type { Language, MessageKey } from '../lib/i18n.ts';

export const REPORT_KINDS = ['case', 'cross-case'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface PlaceholderDef {
  name: string;
  sort: 'text' | 'block';
  /** What it inserts, for the documentation on the templates page. */
  help: MessageKey;
}

const text = (name: string, help: MessageKey): PlaceholderDef => ({ name, sort: 'text', help });
const block = (name: string, help: MessageKey): PlaceholderDef => ({ name, sort: 'block', help });

export const PLACEHOLDERS: Record<ReportKind, readonly PlaceholderDef[]> = {
  case: [
    text('study.title', 'reports.ph.study.title'),
    text('study.question', 'reports.ph.study.question'),
    text('report.date', 'reports.ph.report.date'),
    text('case.name', 'reports.ph.case.name'),
    text('case.group', 'reports.ph.case.group'),
    text('case.explanationDegree', 'reports.ph.case.explanationDegree'),
    text('case.suggestion', 'reports.ph.case.suggestion'),
    text('case.total', 'reports.ph.case.total'),
    block('case.narrative', 'reports.ph.case.narrative'),
    block('section.case', 'reports.ph.section.case'),
    block('section.explanation', 'reports.ph.section.explanation'),
    block('section.diagram', 'reports.ph.section.caseDiagram'),
    block('section.relations', 'reports.ph.section.relations'),
    block('section.scores', 'reports.ph.section.scores'),
    block('section.evidence', 'reports.ph.section.evidence'),
    block('section.interviews', 'reports.ph.section.interviews'),
    block('section.documents', 'reports.ph.section.documents'),
  ],
  'cross-case': [
    text('study.title', 'reports.ph.study.title'),
    text('study.question', 'reports.ph.study.question'),
    text('study.framework', 'reports.ph.study.framework'),
    text('study.cases', 'reports.ph.study.cases'),
    text('report.date', 'reports.ph.report.date'),
    block('section.framework', 'reports.ph.section.framework'),
    block('section.diagram', 'reports.ph.section.frameworkDiagram'),
    block('section.cases', 'reports.ph.section.cases'),
    block('section.heatmap', 'reports.ph.section.heatmap'),
    block('section.statistics', 'reports.ph.section.statistics'),
    block('section.correlations', 'reports.ph.section.correlations'),
  ],
};

/**
 * Text placeholders whose value is Markdown a user wrote (the research question): rendered with its
 * inline formatting where it stands (bold and italics in HTML and Word, never the raw `**`), as a
 * paragraph of its own when the placeholder stands alone on a line.
 */
export const MARKDOWN_TEXTS: ReadonlySet<string> = new Set(['study.question']);

/** `{{ name }}`: letters and dots, spaces allowed inside the braces. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z]+(?:\.[A-Za-z]+)*)\s*\}\}/g;

/** Placeholders the template uses that the kind does not know, each once, in order of appearance. */
export function unknownPlaceholders(body: string, kind: ReportKind): string[] {
  const known = new Set(PLACEHOLDERS[kind].map((p) => p.name));
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => !known.has(n)))];
}

/** The most placeholders a template may hold: each renders study data, so their number bounds a report's cost. */
export const MAX_PLACEHOLDERS = 200;

/**
 * Section placeholders (whole tables and lists) used more than once: a report shows each section
 * once, and repeating one thousands of times would make a report of gigabytes.
 */
export function repeatedSections(body: string): string[] {
  const names = [...body.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((n) => n.startsWith('section.'));
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

/** Applies `fn` to the text between placeholders, leaving every placeholder as written. */
export function mapOutsidePlaceholders(body: string, fn: (text: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of body.matchAll(PLACEHOLDER)) {
    out += fn(body.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + fn(body.slice(last));
}

const DEFAULTS: Record<ReportKind, Record<Language, string>> = {
  case: {
    en: `# {{case.name}}

{{study.title}} · case report · {{report.date}}

**Research question.** {{study.question}}

## The case

{{section.case}}

## Explanation

{{section.explanation}}

## Within-case diagram

{{section.diagram}}

{{section.relations}}

## Scores per condition

{{section.scores}}

## Evidence

{{section.evidence}}

## Interviews

{{section.interviews}}

## Documents

{{section.documents}}
`,
    nl: `# {{case.name}}

{{study.title}} · casusrapport · {{report.date}}

**Onderzoeksvraag.** {{study.question}}

## De casus

{{section.case}}

## Verklaring

{{section.explanation}}

## Diagram van de casus

{{section.diagram}}

{{section.relations}}

## Scores per conditie

{{section.scores}}

## Bewijs

{{section.evidence}}

## Interviews

{{section.interviews}}

## Documenten

{{section.documents}}
`,
  },
  'cross-case': {
    en: `# {{study.title}}

Cross-case report · {{study.cases}} cases · {{report.date}}

**Research question.** {{study.question}}

## Framework

{{section.framework}}

{{section.diagram}}

## Cases

{{section.cases}}

## Heat map

{{section.heatmap}}

## Conditions

{{section.statistics}}

## Correlations

{{section.correlations}}
`,
    nl: `# {{study.title}}

Casusoverstijgend rapport · {{study.cases}} casussen · {{report.date}}

**Onderzoeksvraag.** {{study.question}}

## Raamwerk

{{section.framework}}

{{section.diagram}}

## Casussen

{{section.cases}}

## Heatmap

{{section.heatmap}}

## Condities

{{section.statistics}}

## Correlaties

{{section.correlations}}
`,
  },
};

/** The built-in template of a kind in a language. */
export function defaultTemplate(kind: ReportKind, language: Language): string {
  return DEFAULTS[kind][language];
}
