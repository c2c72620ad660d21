// Reports (PRODUCT.md step 10): the case report and the cross-case report from the study's template,
// as content for HTML and DOCX; the anonymised switch; and the study's report templates (a lead saves
// or resets them, audited). Reads in a constant number of statements whatever the number of cases:
// the analysis model (final scores of ready cases only), the framework, and one statement per list.
//
// Anonymised: every case needs a pseudonym (otherwise refused, 409, with what to do); the case names
// in the report become pseudonyms, and every text written (titles, names, narratives, rationales,
// notes, quotes, roles, document titles, the template itself) goes through the study's anonymisation
// (anonymise.context.ts, the one every anonymised output uses: names, aliases and case keys, in any
// letter case, with or without accents). In the cross-case report cases are then listed by pseudonym,
// so their order does not give them away.
import { studyAnonymisation } from '../anonymise/anonymise.context.ts';
import type { Anonymisation } from '../anonymise/anonymise.rules.ts';
import type { AnalysisModel, AnalysisService } from '../analysis/analysis.service.ts';
import type { Db } from '../lib/db.ts';
import { FormRefusal, notFound } from '../lib/errors.ts';
import { translator } from '../lib/i18n.ts';
import type { Repos } from '../repos.ts';
import type { StudyRow } from '../studies/studies.repo.ts';
import type { Framework } from '../studyfile/studyfile.schema.ts';
import { mapTexts, type ReportContent } from './reports.blocks.ts';
import { caseReportContent, crossCaseReportContent } from './reports.sections.ts';
import { defaultTemplate, mapOutsidePlaceholders, MAX_PLACEHOLDERS, PLACEHOLDER, REPORT_KINDS, repeatedSections, unknownPlaceholders, type ReportKind } from './reports.templates.ts';

export const MAX_TEMPLATE = 100_000;

/**
 * How a report is asked for. `anonymisation`: the study's (anonymise.context.ts), when the caller has
 * it already (the leak check, which may look while pseudonyms are provisional); else it is read, and
 * refused while a case has no stored pseudonym. `model`: the analysis model, when the caller has it
 * (the leak check writes every case report of a study from one).
 */
export interface ReportOptions {
  anonymised: boolean;
  anonymisation?: Anonymisation;
  model?: AnalysisModel;
}

/** A report ready to render: the template (anonymised where needed) and the content. */
export interface Report {
  template: string;
  content: ReportContent;
  language: StudyRow['language'];
  anonymised: boolean;
}

export interface TemplateState {
  kind: ReportKind;
  body: string;
  /** The study has its own template (else the built-in one). */
  custom: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** Every text of a framework document through `fn` (codes and numbers stay). */
function mapFramework(doc: Framework, fn: (s: string) => string): Framework {
  const opt = (s: string | undefined) => (s === undefined ? undefined : fn(s));
  return {
    ...doc,
    title: fn(doc.title),
    levels: doc.levels.map((l) => ({ ...l, name: fn(l.name), description: opt(l.description) })),
    categories: doc.categories.map((c) => ({ ...c, name: fn(c.name) })),
    conditions: doc.conditions.map((c) => ({
      ...c,
      name: fn(c.name),
      description: opt(c.description),
      assessedOn: opt(c.assessedOn),
      anchors: c.anchors ? Object.fromEntries(Object.entries(c.anchors).map(([k, v]) => [k, fn(v)])) : undefined,
    })),
    relations: doc.relations.map((r) => ({ ...r, note: opt(r.note) })),
    groupings: doc.groupings.map((g) => ({ ...g, name: fn(g.name), reason: opt(g.reason) })),
  };
}

const byPseudonym = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** A case's pseudonym in an anonymisation (every case of the study is in it). */
const pseudonymOf = (a: Anonymisation, caseKey: string) => a.cases.find((c) => c.key === caseKey)!.pseudonym;

export function reportsService(deps: { db: Db; repos: Repos; analysis: AnalysisService; now: () => Date }) {
  const { db, repos } = deps;
  const today = () => deps.now().toISOString().slice(0, 10);

  const anonymisationOf = studyAnonymisation({ db, repos });

  /** The anonymisation of a report, or null; refused (409, naming how many) while a case lacks a pseudonym. */
  const anonymisationFor = (studyId: number, options: ReportOptions): Anonymisation | null =>
    options.anonymised ? (options.anonymisation ?? anonymisationOf.context(studyId)) : null;

  function templateBody(studyId: number, kind: ReportKind, language: StudyRow['language']): string {
    return repos.reports.template(studyId, kind)?.body ?? defaultTemplate(kind, language);
  }

  /** The template and content as given, or both through the anonymiser (placeholders left intact). */
  function finish(study: StudyRow, kind: ReportKind, content: ReportContent, anon: ((s: string) => string) | null): Report {
    const template = templateBody(study.id, kind, study.language);
    return {
      template: anon ? mapOutsidePlaceholders(template, anon) : template,
      content: anon ? mapTexts(content, anon) : content,
      language: study.language,
      anonymised: anon !== null,
    };
  }

  const frameworkOf = (study: StudyRow) => repos.framework.load(study.id, study.framework_title, study.framework_revision).doc;

  return {
    /** The case report; 404 for an unknown case, 409 when anonymised and a case has no pseudonym. */
    caseReport(study: StudyRow, caseKey: string, options: ReportOptions): Report {
      const a = anonymisationFor(study.id, options);
      const anon = a ? a.text : null;
      const model = options.model ?? deps.analysis.model(study.id);
      const found = model.cases.find((c) => c.key === caseKey);
      const row = repos.cases.findByKey(study.id, caseKey);
      if (!found || !row) throw notFound();
      const framework = frameworkOf(study);
      const content = caseReportContent(
        {
          study: { title: anon ? anon(study.title) : study.title, question: study.question, language: study.language },
          model,
          case: found,
          displayName: a ? pseudonymOf(a, caseKey) : found.name,
          selectionReason: row.selection_reason,
          framework: anon ? mapFramework(framework, anon) : framework,
          ratings: repos.reports.ratings(row.id),
          reconciliations: repos.reports.reconciliations(row.id),
          evidence: repos.evidence.list(study.id, { caseKey }),
          interviews: repos.interviews.listForCase(row.id),
          documents: repos.documents.listForCase(row.id),
          date: today(),
        },
        translator(study.language),
      );
      return finish(study, 'case', content, anon);
    },

    /** The cross-case report; 409 when anonymised and a case has no pseudonym. */
    crossCaseReport(study: StudyRow, options: ReportOptions): Report {
      const a = anonymisationFor(study.id, options);
      const anon = a ? a.text : null;
      const model = options.model ?? deps.analysis.model(study.id);
      const framework = frameworkOf(study);
      // Outcome groups in their order, cases in case order within a group (by pseudonym when anonymised).
      const groupRank = new Map(model.outcomeGroups.map((g, i) => [g, i]));
      const rank = (g: string) => (g === '' ? model.outcomeGroups.length : groupRank.get(g)!);
      const cases = model.cases
        .map((c) => ({ case: c, displayName: a ? pseudonymOf(a, c.key) : c.name }))
        .sort((x, y) => rank(x.case.group) - rank(y.case.group) || (a ? byPseudonym.compare(x.displayName, y.displayName) : x.case.position - y.case.position));
      const content = crossCaseReportContent(
        {
          study: { title: anon ? anon(study.title) : study.title, question: study.question, language: study.language },
          model,
          framework: anon ? mapFramework(framework, anon) : framework,
          cases,
          date: today(),
        },
        translator(study.language),
      );
      return finish(study, 'cross-case', content, anon);
    },

    /** Both templates of the study: its own or the built-in one in the study's language. */
    templates(study: StudyRow): TemplateState[] {
      const own = new Map(repos.reports.templates(study.id).map((r) => [r.kind, r]));
      return REPORT_KINDS.map((kind) => {
        const row = own.get(kind);
        return {
          kind,
          body: row?.body ?? defaultTemplate(kind, study.language),
          custom: row !== undefined,
          updatedAt: row?.updated_at ?? null,
          updatedBy: row?.updated_by ?? null,
        };
      });
    },

    /**
     * A lead saves the study's template of a kind. Refused: an empty or too long body, a placeholder
     * the kind does not know, or a form opened before someone else saved (`expectedUpdatedAt`: the
     * template's updatedAt when the form was opened, '' for the built-in one).
     */
    saveTemplate(studyId: number, kind: ReportKind, body: string, actorId: number, expectedUpdatedAt?: string): void {
      const text = body.replace(/\r\n?/g, '\n');
      if (text.trim() === '') throw new FormRefusal({ body: { key: 'form.required' } });
      if (text.length > MAX_TEMPLATE) throw new FormRefusal({ body: { key: 'form.tooLong', params: { max: MAX_TEMPLATE } } });
      const unknown = unknownPlaceholders(text, kind);
      if (unknown.length) throw new FormRefusal({ body: { key: 'reports.templates.unknown', params: { names: unknown.map((n) => `{{${n}}}`).join(', ') } } });
      const repeated = repeatedSections(text);
      if (repeated.length) throw new FormRefusal({ body: { key: 'reports.templates.repeated', params: { names: repeated.map((n) => `{{${n}}}`).join(', ') } } });
      if ([...text.matchAll(PLACEHOLDER)].length > MAX_PLACEHOLDERS) throw new FormRefusal({ body: { key: 'reports.templates.tooMany', params: { max: MAX_PLACEHOLDERS } } });
      db.transaction(() => {
        if (!repos.studies.findById(studyId)) throw notFound();
        const before = repos.reports.template(studyId, kind);
        if (expectedUpdatedAt !== undefined && (before?.updated_at ?? '') !== expectedUpdatedAt) {
          throw new FormRefusal({ _form: { key: 'reports.templates.stale' } });
        }
        const at = deps.now().toISOString();
        repos.reports.saveTemplate({ studyId, kind, body: text, by: actorId, at });
        repos.audit.record({
          at, actorId, studyId, entity: 'report-template', action: 'report-template-save',
          before: before ? { kind, body: before.body } : { kind, builtIn: true },
          after: { kind, body: text },
        });
      })();
    },

    /** A lead goes back to the built-in template of a kind (audited; nothing to do when already built-in). */
    resetTemplate(studyId: number, kind: ReportKind, actorId: number): boolean {
      return db.transaction(() => {
        if (!repos.studies.findById(studyId)) throw notFound();
        const before = repos.reports.template(studyId, kind);
        if (!before) return false;
        repos.reports.removeTemplate(studyId, kind);
        repos.audit.record({
          at: deps.now().toISOString(), actorId, studyId, entity: 'report-template', action: 'report-template-reset',
          before: { kind, body: before.body }, after: { kind, builtIn: true },
        });
        return true;
      })();
    },
  };
}
export type ReportsService = ReturnType<typeof reportsService>;
