// The rating form and the lead's ratings page as plain data for the templates: conditions grouped
// by level and category, with Markdown rendered and the form's values per condition.
import type { FieldErrors } from '../http/forms.ts';
import type { CsvProblem } from '../cases/cases.schemas.ts';
import { translate, type Language } from '../lib/i18n.ts';
import { renderMarkdown, type SafeHtml } from '../lib/markdown.ts';
import type { EvidenceRow } from '../evidence/evidence.repo.ts';
import type { Framework } from '../studyfile/studyfile.schema.ts';
import type { RatingRow } from './ratings.repo.ts';
import type { RatingsService } from './ratings.service.ts';

/** What one condition's controls hold: `score` is '' (no choice), 'n' (cannot judge) or a number. */
export interface RatingValues {
  score: string;
  reason: string;
  rationale: string;
  evidence: string[];
}

export interface ConditionGroup<T> {
  level: number;
  levelName: string;
  categories: { name: string | null; conditions: T[] }[];
}

/** Groups conditions (in framework order) by level, then by category in the framework's order. */
export function groupByLevel<T>(doc: Framework, codes: readonly string[], item: (code: string) => T): ConditionGroup<T>[] {
  const wanted = new Set(codes);
  const conditions = doc.conditions.filter((c) => wanted.has(c.code));
  const levelNames = new Map(doc.levels.map((l) => [l.number, l.name]));
  const categoryOrder = new Map(doc.categories.map((c, i) => [c.key, i]));
  const categoryNames = new Map(doc.categories.map((c) => [c.key, c.name]));
  const levels = [...new Set(conditions.map((c) => c.level))].sort((a, b) => a - b);
  return levels.map((level) => {
    const inLevel = conditions.filter((c) => c.level === level);
    const keys = [...new Set(inLevel.map((c) => c.category ?? ''))].sort(
      (a, b) => (a === '' ? Infinity : categoryOrder.get(a) ?? Infinity) - (b === '' ? Infinity : categoryOrder.get(b) ?? Infinity),
    );
    return {
      level,
      levelName: levelNames.get(level) ?? '',
      categories: keys.map((key) => ({
        name: key === '' ? null : categoryNames.get(key) ?? key,
        conditions: inLevel.filter((c) => (c.category ?? '') === key).map((c) => item(c.code)),
      })),
    };
  });
}

/** Whether a condition's values are complete enough to submit (ratings.rules.ts isComplete, on form values). */
export function valuesComplete(v: RatingValues): boolean {
  return /^\d+$/.test(v.score) || (v.score === 'n' && v.reason.trim() !== '');
}

export function valuesOf(r: RatingRow | undefined): RatingValues {
  if (!r) return { score: '', reason: '', rationale: '', evidence: [] };
  const cannotJudge = r.score === null && (r.cannot_judge_reason !== null || r.submitted_at !== null);
  return {
    score: r.score !== null ? String(r.score) : cannotJudge ? 'n' : '',
    reason: r.cannot_judge_reason ?? '',
    rationale: r.rationale,
    evidence: (JSON.parse(r.evidence) as number[]).map(String),
  };
}

/** The values a refused form puts back: what the rater sent, for the conditions they sent. */
export function postedValues(body: Record<string, unknown>): Map<string, RatingValues> {
  const codes = ([] as unknown[]).concat(body.c ?? []).map(String);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return new Map(
    codes.map((c) => [c, {
      score: str(body[`score:${c}`]), reason: str(body[`reason:${c}`]), rationale: str(body[`rationale:${c}`]),
      evidence: ([] as unknown[]).concat(body[`evidence:${c}`] ?? []).map(String),
    }]),
  );
}

export function ratingFormView(data: ReturnType<RatingsService['form']>, posted?: Map<string, RatingValues>, errors: FieldErrors = {}) {
  const byCode = new Map(data.doc.conditions.map((c) => [c.code, c]));
  const ratings = new Map(data.ratings.map((r) => [r.code, r]));
  const evidence = new Map<string, EvidenceRow[]>();
  for (const e of data.evidence) for (const code of JSON.parse(e.conditions) as string[]) evidence.set(code, [...(evidence.get(code) ?? []), e]);
  const scale = Array.from({ length: data.study.scale.max - data.study.scale.min + 1 }, (_, i) => data.study.scale.min + i);
  let index = 0;
  const groups = groupByLevel(data.doc, data.ratable, (code) => {
    const c = byCode.get(code)!;
    const r = ratings.get(code);
    const values = posted?.get(code) ?? valuesOf(r);
    const ev = evidence.get(code) ?? [];
    const cited = new Set(values.evidence);
    return {
      index: index++,
      code,
      name: c.name,
      descriptionHtml: renderMarkdown(c.description ?? ''),
      assessedOn: c.assessedOn ?? '',
      anchors: scale.map((score) => ({ score, text: c.anchors?.[String(score)] ?? '' })),
      evidence: ev.map((e) => ({ id: String(e.id), quote: e.quote, locator: e.locator, source: e.source_title, sourceKind: e.source_kind, cited: cited.has(String(e.id)) })),
      values,
      // What the row shows: complete as the form holds it (a refused form: as posted).
      complete: valuesComplete(values),
      rationaleHtml: renderMarkdown(values.rationale) as SafeHtml,
      errors: Object.fromEntries(['score', 'reason', 'rationale', 'evidence'].flatMap((f) => (errors[`${f}:${code}`] ? [[f, errors[`${f}:${code}`]!]] : []))),
    };
  });
  const conditions = groups.flatMap((g) => g.categories.flatMap((cat) => cat.conditions));
  // Without JavaScript every row with a problem is open; otherwise the first one still to do (the
  // script then keeps one row open at a time).
  const withErrors = conditions.filter((c) => Object.keys(c.errors).length > 0);
  const open = new Set(withErrors.length ? withErrors.map((c) => c.code) : conditions.filter((c) => !c.complete).slice(0, 1).map((c) => c.code));
  return {
    caseKey: data.case.key,
    caseName: data.case.name,
    scale,
    min: data.study.scale.min,
    max: data.study.scale.max,
    groups: groups.map((g) => ({ ...g, categories: g.categories.map((cat) => ({ ...cat, conditions: cat.conditions.map((c) => ({ ...c, open: open.has(c.code) })) })) })),
    /** The error summary's links: each condition with a problem, its row's id and its first message. */
    problems: withErrors.map((c) => ({ id: `r${c.index}`, code: c.code, name: c.name, error: Object.values(c.errors)[0]! })),
    total: data.ratable.length,
    done: conditions.filter((c) => c.complete).length,
    submitted: data.submitted,
    submittedAt: data.submittedAt ? data.submittedAt.replace('T', ' ').slice(0, 16) : null,
  };
}

export function overviewView(data: ReturnType<RatingsService['overview']>) {
  const byCode = new Map(data.doc.conditions.map((c) => [c.code, c]));
  const cells = new Map(data.ratings.map((r) => [`${r.code}:${r.rater_id}`, r]));
  return {
    caseKey: data.case.key,
    caseName: data.case.name,
    total: data.ratable.length,
    blind: data.blind,
    reconciling: data.reconciling,
    unblindedAt: data.unblindedAt ? data.unblindedAt.replace('T', ' ').slice(0, 16) : null,
    unblindedBy: data.unblindedBy,
    raters: data.progress.map((p) => ({
      id: p.user_id, name: p.name, email: p.email, drafts: p.drafts, submittedCount: p.submitted,
      submitted: p.submitted > 0 && p.drafts === 0,
    })),
    // Built only from the rows the repository released: empty while the case is blind.
    rows: data.blind
      ? []
      : data.ratable.map((code) => ({
          code,
          name: byCode.get(code)!.name,
          cells: data.progress.map((p) => {
            const r = cells.get(`${code}:${p.user_id}`);
            return r
              ? { rated: true, score: r.score, cannotJudge: r.score === null, reason: r.cannot_judge_reason ?? '', rationaleHtml: renderMarkdown(r.rationale), evidence: (JSON.parse(r.evidence) as number[]).length }
              : { rated: false, score: null, cannotJudge: false, reason: '', rationaleHtml: renderMarkdown(''), evidence: 0 };
          }),
        })),
  };
}

/** The import page: the problems of a refused file, each with its line (null: the whole file). */
export function importView(language: Language, problems: readonly CsvProblem[], fileName: string) {
  return {
    fileName,
    problems: problems.map((p) => ({ line: p.line, message: translate(language, p.key, p.params) })),
  };
}
