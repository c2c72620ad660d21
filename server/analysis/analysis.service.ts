// Analysis (PRODUCT.md workflow steps 8–9, "Rules that must be exact"; cli.md "analysis ID"): the
// within-case and cross-case analysis of a study computed from its final scores and measures, the
// lead's explanation degree and narrative per case, and the complexity-reduction log. `model()` is
// the one source the within-case page, the cross-case page, the reports and the CLI are built on; it
// loads in a constant number of statements. The rules themselves live in analysis.rules.ts.
//
// What takes part. A condition is analysed unless it has sub-conditions or an active reduction with
// method 1, 2 or 4 (dropped: it leaves every analysis view but keeps its data). Method 3 (grouping)
// keeps the condition; its groupings are added as combined rows (`groupings`, the mean of the
// members' favourability). Rated conditions take their FINAL score: the raters' equal score or the
// lead's reconciled one (reconcile.rules.ts finalOf); an item still open or judged "cannot judge" has
// no value. Only cases whose raters all submitted have final scores, so nothing blind is read.
// Measured conditions take the case's measure of the same name without a year.
//
// Choices that PRODUCT.md leaves open, made here:
// - Absolute classification applies to rated conditions; measured conditions have no scale and are
//   always classed relatively.
// - Distinguishing power is computed on favourability (the spread equals that of the raw scores); for
//   measured conditions it is null, because the rule (max − min = 1) is defined on the rating scale.
// - Feedback relations get verdicts but are left out of the level pairs and the suggested degree:
//   they run against the explanatory chain (from a lower level number to a higher one).
// - In correlations, x = "total" is the case's mean favourability (sum / n). When every case has all
//   its rated conditions scored this is the sum divided by a constant, so r and ρ equal those of the
//   sum (seed 002); when some are missing, the mean keeps cases comparable.
// - Outcome groups are the cases' `group` labels; cases without one are in no group. The difference
//   between groups is the highest group mean minus the lowest (named), defined for two groups or more.
import type { Db } from '../lib/db.ts';
import { groupBy } from '../lib/collections.ts';
import { FormRefusal, HttpError, notFound } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import { parseAttributes } from '../cases/cases.service.ts';
import type { AttributeValue } from '../cases/cases.repo.ts';
import { settingsOf } from '../studies/studies.repo.ts';
import type { Language } from '../lib/i18n.ts';
import {
  classesOf,
  countVerdicts,
  distinguishingPower,
  dropsCondition,
  EXPLANATION_DEGREES,
  favourability,
  mean,
  pearson,
  pseudonymWord,
  REDUCTION_METHODS,
  sd,
  skipLevelChains,
  spearman,
  strength,
  strengthLabel,
  total,
  verdict,
  type ClassName,
  type Classification,
  type ConditionKind,
  type Distinguishing,
  type ExplanationDegree,
  type Polarity,
  type ReductionMethod,
  type Scale,
  type SkipChain,
  type StrengthLabel,
  type Verdict,
  type VerdictCounts,
} from './analysis.rules.ts';
import type { ReductionRow } from './analysis.repo.ts';
import { assess, type Score } from '../reconcile/reconcile.rules.ts';

// ───────────────────────────── The model (read by pages, reports and the CLI) ─────────────────────────────

export interface AnalysisStudy {
  id: number;
  title: string;
  language: Language;
  scale: Scale;
  classification: Classification;
  /** The word pseudonyms are made of: the study's own, or 'Gemeente' (nl) / 'Case' (en). */
  pseudonymWord: string;
}

/** A case's total over its analysed rated conditions: sum and mean of favourability, n values (mean null when n = 0). */
export interface Total {
  sum: number;
  mean: number | null;
  n: number;
}

export interface AnalysisCase {
  id: number;
  key: string;
  name: string;
  pseudonym: string | null;
  /** The outcome group label ('' = none). */
  group: string;
  attributes: Record<string, AttributeValue>;
  position: number;
  /** Every assigned rater has submitted: only such cases have final scores. */
  ready: boolean;
  /** Analysed rated conditions of a ready case that have no final value yet (open in reconciliation). */
  open: string[];
  total: Total;
  /** The case's measures without a year, by variable (measured-condition codes and named variables). */
  measures: Record<string, number>;
  explanationDegree: ExplanationDegree | null;
  narrative: string;
  analysisUpdatedAt: string | null;
  analysisUpdatedBy: string | null;
  /** A suggestion beside the lead's decision: the strength over all the case's (non-feedback) relations and its label. */
  suggestion: { strength: number | null; label: StrengthLabel | null };
}

/** An active reduction decision (or, in `reductionLog`, any decision). */
export interface ReductionEntry {
  id: number;
  condition: string;
  method: ReductionMethod;
  reason: string;
  decidedBy: string;
  decidedByEmail: string;
  decidedAt: string;
  revertedBy: string | null;
  revertedAt: string | null;
}

/** An analysed condition, in framework order. */
export interface AnalysisCondition {
  id: number;
  code: string;
  name: string;
  level: number;
  kind: ConditionKind;
  polarity: Polarity;
  category: string | null;
  parent: string | null;
  position: number;
  /** Keys of the framework groupings it belongs to. */
  groupings: string[];
  /** Its active method-3 (grouping) decision, if any; dropping methods never reach this list. */
  reduction: ReductionEntry | null;
}

/** One case × condition value: the final score (rated) or the measure (measured), its favourability and class. */
export interface Cell {
  raw: number;
  favourability: number;
  class: ClassName;
  source: 'agreed' | 'reconciled' | 'measured';
}

export interface RelationVerdict {
  case: string;
  from: string;
  to: string;
  fromLevel: number;
  toLevel: number;
  feedback: boolean;
  verdict: Verdict;
}

/** The relations of one case between a level of causes and a level of effects. */
export interface LevelPair extends VerdictCounts {
  case: string;
  /** Level of the causes. */
  from: number;
  /** Level of the effects. */
  to: number;
  /** All relations of the pair, unknown verdicts included. */
  relations: number;
  strength: number | null;
  label: StrengthLabel | null;
}

export interface SkipVerdict extends SkipChain {
  case: string;
  verdict: Verdict;
}

export interface GroupStats {
  n: number;
  mean: number | null;
}

/** Statistics of one row (condition or grouping) over the cases that have a value. */
export interface RowStats {
  n: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  /** null for measured conditions and rows without values. */
  distinguishing: Distinguishing | null;
  /** By outcome group label, in the order the groups first occur among the cases. */
  groups: Record<string, GroupStats>;
  /** Highest group mean minus lowest (equal means: the first group in case order is `high`, the last `low`); null with fewer than two groups. */
  difference: { high: string; low: string; value: number } | null;
}

export interface ConditionStats extends RowStats {
  condition: string;
  kind: ConditionKind;
  /** The same without the cases whose explanation degree is 'hardly' (robustness). */
  withoutHardly: RowStats;
}

/** A framework grouping as one combined row: per case the mean favourability of its analysed rated members that have a value. */
export interface GroupingRow {
  key: string;
  name: string;
  reason: string;
  members: string[];
  /** Some member has an active method-3 decision: the cross-case view shows this row. */
  active: boolean;
  values: Record<string, number>;
  /** The class of each case's combined value, by the study's rule (as for a rated condition). */
  classes: Record<string, ClassName>;
  stats: RowStats & { withoutHardly: RowStats };
}

export interface Correlation {
  /** "total" or a rated condition's code (favourability). */
  x: string;
  /** A measured condition's code or a named variable (raw value). */
  y: string;
  n: number;
  pearson: number | null;
  spearman: number | null;
}

export interface AnalysisModel {
  study: AnalysisStudy;
  /** Every case of the study, in case order. */
  cases: AnalysisCase[];
  /** The analysed conditions, in framework order. */
  conditions: AnalysisCondition[];
  /** Conditions left out: dropped by an active reduction (method 1, 2 or 4), or having sub-conditions. */
  excluded: { dropped: string[]; withSubConditions: string[] };
  /** cells[caseKey][code]: only where a value exists. */
  cells: Record<string, Record<string, Cell>>;
  /** Every framework relation between analysed conditions, for every case (case order, then relation order). */
  relations: RelationVerdict[];
  /** Per case, its non-feedback relations grouped by (cause level, effect level); effect level, then cause level ascending. */
  levelPairs: LevelPair[];
  /** The "skip level 1" view: chains 2 → 1 → 0, the direct comparison of their ends per case, and its strength per case. */
  skipLevel1: { chains: SkipChain[]; verdicts: SkipVerdict[]; levelPairs: LevelPair[] };
  /** One per analysed condition, framework order. */
  conditionStats: ConditionStats[];
  groupings: GroupingRow[];
  /** Outcome group labels in the order they first occur among the cases. */
  outcomeGroups: string[];
  /** x = "total" and every analysed rated condition; y = every measure; pairs with n < 3 are omitted. */
  correlations: Correlation[];
  measures: string[];
  /** Active decisions, newest first. */
  reductions: ReductionEntry[];
  /** Every decision, reverted ones too, newest first. */
  reductionLog: ReductionEntry[];
}

/** The shape of `analysis ID --format json` (cli.md), numbers at full precision. */
export interface AnalysisReport {
  study: number;
  classification: Classification;
  cases: Array<{ case: string; total: Total; classes: Record<string, ClassName>; explanationDegree: ExplanationDegree | null }>;
  relations: Array<{ case: string; from: string; to: string; verdict: Verdict }>;
  levelPairs: Array<{ case: string; from: number; to: number; relations: number; strength: number | null; label: StrengthLabel | null }>;
  conditions: Array<{ condition: string; n: number; mean: number | null; sd: number | null; distinguishing: Distinguishing | null; groups: Record<string, GroupStats> }>;
  correlations: Correlation[];
}

// ───────────────────────────── Computation ─────────────────────────────

const entry = (r: ReductionRow): ReductionEntry => ({
  id: r.id,
  condition: r.code,
  method: r.method,
  reason: r.reason,
  decidedBy: r.decided_by,
  decidedByEmail: r.decided_by_email,
  decidedAt: r.decided_at,
  revertedBy: r.reverted_by,
  revertedAt: r.reverted_at,
});

/** Statistics of `values` (case key → value) over `cases`. */
function rowStats(values: Record<string, number>, cases: readonly AnalysisCase[], measured: boolean): RowStats {
  const present = cases.filter((c) => values[c.key] !== undefined);
  const all = present.map((c) => values[c.key]!);
  const byGroup = new Map([...groupBy(present.filter((c) => c.group !== ''), (c) => c.group)].map(([g, cs]) => [g, cs.map((c) => values[c.key]!)]));
  const groups: Record<string, GroupStats> = {};
  for (const [g, vs] of byGroup) groups[g] = { n: vs.length, mean: mean(vs) };
  const means = [...byGroup].map(([g, vs]) => ({ g, m: mean(vs)! }));
  let difference: RowStats['difference'] = null;
  if (means.length >= 2) {
    // Highest mean first; equal means keep case order, so the first group is `high` and the last `low`.
    const sorted = [...means].sort((a, b) => b.m - a.m);
    const high = sorted[0]!;
    const low = sorted.at(-1)!;
    difference = { high: high.g, low: low.g, value: high.m - low.m };
  }
  return {
    n: all.length,
    mean: mean(all),
    sd: sd(all),
    min: all.length ? Math.min(...all) : null,
    max: all.length ? Math.max(...all) : null,
    distinguishing: measured ? null : distinguishingPower(all),
    groups,
    difference,
  };
}

/** Groups verdicts by (cause level, effect level) for one case. */
function levelPairsOf(caseKey: string, rows: readonly { fromLevel: number; toLevel: number; verdict: Verdict }[]): LevelPair[] {
  const pairs = new Map<string, { from: number; to: number; verdicts: Verdict[] }>();
  for (const r of rows) {
    const id = `${r.fromLevel}:${r.toLevel}`;
    const pair = pairs.get(id) ?? { from: r.fromLevel, to: r.toLevel, verdicts: [] };
    pair.verdicts.push(r.verdict);
    pairs.set(id, pair);
  }
  return [...pairs.values()]
    .sort((a, b) => a.to - b.to || a.from - b.from)
    .map((p) => {
      const s = strength(p.verdicts);
      return { case: caseKey, from: p.from, to: p.to, relations: p.verdicts.length, ...countVerdicts(p.verdicts), strength: s, label: strengthLabel(s) };
    });
}

const MAX_NARRATIVE = 100_000;

export function analysisService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const { db, repos } = deps;

  function studyOf(studyId: number) {
    const study = repos.studies.findById(studyId);
    if (!study) throw notFound();
    return study;
  }

  /** Everything the analysis needs, in a constant number of statements (twelve; seven once the framework is cached) whatever the number of cases. */
  function model(studyId: number): AnalysisModel {
    const study = studyOf(studyId);
    const settings = settingsOf(study);
    const scale = settings.scale;
    const loaded = repos.framework.load(study.id, study.framework_title, study.framework_revision);
    const caseRows = repos.cases.list(studyId);
    const ready = new Set(repos.reconcile.readyCases(studyId).map((c) => c.id));
    const items = repos.reconcile.finalScores(studyId).map((row) => ({
      row,
      ...assess(JSON.parse(row.scores) as Score[], row.decided ? { score: row.final_score } : undefined),
    }));
    const measureRows = repos.cases.measures(studyId).filter((m) => m.year === null);
    const analyses = new Map(repos.analysis.caseAnalyses(studyId).map((a) => [a.case_id, a]));
    const log = repos.analysis.reductions(studyId).map(entry);
    const active = log.filter((r) => r.revertedAt === null);
    const activeByCode = new Map(active.map((r) => [r.condition, r]));

    // Which conditions take part.
    const parents = new Set(loaded.conditions.flatMap((c) => (c.parent_code ? [c.parent_code] : [])));
    const dropped = loaded.conditions.filter((c) => !parents.has(c.code) && activeByCode.has(c.code) && dropsCondition(activeByCode.get(c.code)!.method));
    const droppedCodes = new Set(dropped.map((c) => c.code));
    const groupingsOf = new Map<string, string[]>();
    for (const g of loaded.doc.groupings) for (const m of g.members) groupingsOf.set(m, [...(groupingsOf.get(m) ?? []), g.key]);
    const conditions: AnalysisCondition[] = loaded.conditions
      .filter((c) => !parents.has(c.code) && !droppedCodes.has(c.code))
      .map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        level: c.level,
        kind: c.kind,
        polarity: c.polarity,
        category: c.category_key,
        parent: c.parent_code,
        position: c.position,
        groupings: groupingsOf.get(c.code) ?? [],
        reduction: activeByCode.get(c.code) ?? null,
      }));
    const byCode = new Map(conditions.map((c) => [c.code, c]));

    // Raw values per condition: final scores of rated conditions, measures of measured ones.
    const raw = new Map<string, Map<string, { value: number; source: Cell['source'] }>>(conditions.map((c) => [c.code, new Map()]));
    const keyOfCase = new Map(caseRows.map((c) => [c.id, c.key]));
    const ofRated = items.filter((item) => byCode.get(item.row.code)?.kind === 'rated');
    const open = groupBy(ofRated.filter((item) => item.final.status === 'open'), (item) => item.row.case_key);
    for (const item of ofRated) {
      if (item.final.status !== 'open' && item.final.score !== null) raw.get(item.row.code)!.set(item.row.case_key, { value: item.final.score, source: item.final.status });
    }
    const measuresOf = new Map<string, Record<string, number>>();
    for (const m of measureRows) {
      const caseKey = keyOfCase.get(m.case_id)!;
      const own = measuresOf.get(caseKey) ?? {};
      own[m.variable] = m.value;
      measuresOf.set(caseKey, own);
      if (byCode.get(m.variable)?.kind === 'measured') raw.get(m.variable)!.set(caseKey, { value: m.value, source: 'measured' });
    }

    // Favourability and classes.
    const cells: Record<string, Record<string, Cell>> = Object.fromEntries(caseRows.map((c) => [c.key, {}]));
    for (const c of conditions) {
      const entries = [...raw.get(c.code)!];
      const favs = entries.map(([, v]) => favourability(v.value, c, scale));
      const classes = classesOf(favs, c.kind === 'rated', settings.classification, scale);
      entries.forEach(([caseKey, v], i) => {
        cells[caseKey]![c.code] = { raw: v.value, favourability: favs[i]!, class: classes[i]!, source: v.source };
      });
    }
    const classOf = (caseKey: string, code: string) => cells[caseKey]?.[code]?.class ?? null;

    // Relations, level pairs and the skip-level-1 view.
    const frameworkRelations = loaded.doc.relations.filter((r) => byCode.has(r.from) && byCode.has(r.to));
    const relations: RelationVerdict[] = [];
    const levelPairs: LevelPair[] = [];
    const chains = skipLevelChains(conditions, frameworkRelations);
    const skipVerdicts: SkipVerdict[] = [];
    const skipPairs: LevelPair[] = [];
    const suggestions = new Map<string, AnalysisCase['suggestion']>();
    for (const c of caseRows) {
      const own = frameworkRelations.map((r) => ({
        case: c.key,
        from: r.from,
        to: r.to,
        fromLevel: byCode.get(r.from)!.level,
        toLevel: byCode.get(r.to)!.level,
        feedback: r.feedback === true,
        verdict: verdict(classOf(c.key, r.from), classOf(c.key, r.to)),
      }));
      relations.push(...own);
      const forward = own.filter((r) => !r.feedback);
      levelPairs.push(...levelPairsOf(c.key, forward));
      const s = strength(forward.map((r) => r.verdict));
      suggestions.set(c.key, { strength: s, label: strengthLabel(s) });
      const skips = chains.map((ch) => ({ ...ch, case: c.key, verdict: verdict(classOf(c.key, ch.from), classOf(c.key, ch.to)) }));
      skipVerdicts.push(...skips);
      skipPairs.push(...levelPairsOf(c.key, skips.map((v) => ({ fromLevel: byCode.get(v.from)!.level, toLevel: byCode.get(v.to)!.level, verdict: v.verdict }))));
    }

    // Cases.
    const rated = conditions.filter((c) => c.kind === 'rated');
    const cases: AnalysisCase[] = caseRows.map((c) => {
      const analysis = analyses.get(c.id);
      return {
        id: c.id,
        key: c.key,
        name: c.name,
        pseudonym: c.pseudonym,
        group: c.grp,
        attributes: parseAttributes(c.attributes),
        position: c.position,
        ready: ready.has(c.id),
        open: (open.get(c.key) ?? []).map((item) => item.row.code),
        total: total(rated.flatMap((k) => (cells[c.key]![k.code] ? [cells[c.key]![k.code]!.favourability] : []))),
        measures: measuresOf.get(c.key) ?? {},
        explanationDegree: analysis?.explanation_degree ?? null,
        narrative: analysis?.narrative ?? '',
        analysisUpdatedAt: analysis?.updated_at ?? null,
        analysisUpdatedBy: analysis?.updated_by ?? null,
        suggestion: suggestions.get(c.key)!,
      };
    });
    const robust = cases.filter((c) => c.explanationDegree !== 'hardly');
    const outcomeGroups = [...new Set(cases.map((c) => c.group).filter((g) => g !== ''))];

    // Per-condition statistics on favourability, and groupings as combined rows.
    const favourabilities = (code: string) => {
      const values: Record<string, number> = {};
      for (const c of cases) {
        const cell = cells[c.key]![code];
        if (cell) values[c.key] = cell.favourability;
      }
      return values;
    };
    const conditionStats: ConditionStats[] = conditions.map((c) => {
      const values = favourabilities(c.code);
      const measured = c.kind === 'measured';
      return { condition: c.code, kind: c.kind, ...rowStats(values, cases, measured), withoutHardly: rowStats(values, robust, measured) };
    });
    const classesByCase = (values: Record<string, number>) => {
      const keys = Object.keys(values);
      const classes = classesOf(keys.map((k) => values[k]!), true, settings.classification, scale);
      return Object.fromEntries(keys.map((k, i) => [k, classes[i]!]));
    };
    const groupings: GroupingRow[] = loaded.doc.groupings.map((g) => {
      const members = g.members.filter((m) => byCode.get(m)?.kind === 'rated');
      const values: Record<string, number> = {};
      for (const c of cases) {
        const m = mean(members.flatMap((code) => (cells[c.key]![code] ? [cells[c.key]![code]!.favourability] : [])));
        if (m !== null) values[c.key] = m;
      }
      return {
        key: g.key,
        name: g.name,
        reason: g.reason ?? '',
        members,
        active: g.members.some((m) => activeByCode.get(m)?.method === 3),
        values,
        classes: classesByCase(values),
        stats: { ...rowStats(values, cases, false), withoutHardly: rowStats(values, robust, false) },
      };
    });

    // Correlations: x total (mean favourability) and rated conditions; y measured conditions and named variables (raw).
    const codes = new Set(loaded.conditions.map((c) => c.code));
    const measures = [
      ...conditions.filter((c) => c.kind === 'measured').map((c) => c.code),
      ...new Set(measureRows.map((m) => m.variable).filter((v) => !codes.has(v))),
    ];
    const xs: Array<{ name: string; of: (c: AnalysisCase) => number | undefined }> = [
      { name: 'total', of: (c) => c.total.mean ?? undefined },
      ...rated.map((k) => ({ name: k.code, of: (c: AnalysisCase) => cells[c.key]![k.code]?.favourability })),
    ];
    const correlations: Correlation[] = [];
    for (const x of xs) {
      for (const y of measures) {
        const pairs = cases.flatMap((c) => {
          const a = x.of(c);
          const b = c.measures[y];
          return a === undefined || b === undefined ? [] : [[a, b] as const];
        });
        if (pairs.length < 3) continue;
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        correlations.push({ x: x.name, y, n: pairs.length, pearson: pearson(a, b), spearman: spearman(a, b) });
      }
    }

    return {
      study: {
        id: study.id,
        title: study.title,
        language: study.language,
        scale,
        classification: settings.classification,
        pseudonymWord: pseudonymWord(study.pseudonym_word, study.language),
      },
      cases,
      conditions,
      excluded: { dropped: dropped.map((c) => c.code), withSubConditions: loaded.conditions.filter((c) => parents.has(c.code)).map((c) => c.code) },
      cells,
      relations,
      levelPairs,
      skipLevel1: { chains, verdicts: skipVerdicts, levelPairs: skipPairs },
      conditionStats,
      groupings,
      outcomeGroups,
      correlations,
      measures,
      reductions: active,
      reductionLog: log,
    };
  }

  /** The study's condition by code, for a write; 404 when unknown. */
  function conditionOf(studyId: number, code: string) {
    const study = studyOf(studyId);
    const loaded = repos.framework.load(study.id, study.framework_title, study.framework_revision);
    const condition = loaded.conditions.find((c) => c.code === code);
    if (!condition) throw notFound();
    return { study, condition, loaded };
  }

  const at = () => deps.now().toISOString();

  return {
    model,

    /** The analysis in the shape of cli.md "analysis ID --format json"; 404 for an unknown study. */
    analysis(studyId: number): AnalysisReport {
      const m = model(studyId);
      return {
        study: m.study.id,
        classification: m.study.classification,
        cases: m.cases.map((c) => ({
          case: c.key,
          total: c.total,
          classes: Object.fromEntries(m.conditions.flatMap((k) => (m.cells[c.key]![k.code] ? [[k.code, m.cells[c.key]![k.code]!.class]] : []))),
          explanationDegree: c.explanationDegree,
        })),
        relations: m.relations.map((r) => ({ case: r.case, from: r.from, to: r.to, verdict: r.verdict })),
        levelPairs: m.levelPairs.map((p) => ({ case: p.case, from: p.from, to: p.to, relations: p.relations, strength: p.strength, label: p.label })),
        conditions: m.conditionStats.map((s) => ({ condition: s.condition, n: s.n, mean: s.mean, sd: s.sd, distinguishing: s.distinguishing, groups: s.groups })),
        correlations: m.correlations,
      };
    },

    /**
     * The lead records a case's explanation degree (or clears it) and narrative. With
     * `expectedUpdatedAt` (the case's `analysisUpdatedAt` when the form was opened; null = never
     * saved) a form saved meanwhile by someone else is refused as stale and nothing is written.
     */
    setCaseAnalysis(
      studyId: number,
      caseKey: string,
      actorId: number,
      input: { explanationDegree: ExplanationDegree | null; narrative: string },
      expectedUpdatedAt?: string | null,
    ): void {
      if (input.explanationDegree !== null && !EXPLANATION_DEGREES.includes(input.explanationDegree)) {
        throw new FormRefusal({ explanationDegree: { key: 'analysis.degreeInvalid' } });
      }
      if (input.narrative.length > MAX_NARRATIVE) throw new FormRefusal({ narrative: { key: 'analysis.narrativeTooLong', params: { max: MAX_NARRATIVE } } });
      db.transaction(() => {
        studyOf(studyId);
        const row = repos.cases.findByKey(studyId, caseKey);
        if (!row) throw notFound();
        const before = repos.analysis.caseAnalysis(row.id);
        if (expectedUpdatedAt !== undefined && (before?.updated_at ?? null) !== expectedUpdatedAt) {
          throw new FormRefusal({ _form: { key: 'within.stale' } });
        }
        const now = at();
        repos.analysis.saveCaseAnalysis({ caseId: row.id, degree: input.explanationDegree, narrative: input.narrative, by: actorId, at: now });
        repos.audit.record({
          at: now, actorId, studyId, entity: 'case', entityId: row.id, action: 'case-analysis',
          before: before ? { case: row.key, explanationDegree: before.explanation_degree, narrative: before.narrative } : undefined,
          after: { case: row.key, explanationDegree: input.explanationDegree, narrative: input.narrative },
        });
      })();
    },

    /**
     * Records a reduction decision for a condition. A condition has at most one active decision: an
     * earlier one is reverted by the same actor in the same transaction, and stays in the log.
     */
    decideReduction(studyId: number, code: string, actorId: number, input: { method: number; reason: string }): number {
      const reason = input.reason.trim();
      if (!(REDUCTION_METHODS as readonly number[]).includes(input.method)) throw new FormRefusal({ method: { key: 'analysis.reduction.methodInvalid' } });
      if (reason === '') throw new FormRefusal({ reason: { key: 'analysis.reduction.reasonRequired' } });
      const method = input.method as ReductionMethod;
      return db.transaction(() => {
        const { condition, loaded } = conditionOf(studyId, code);
        if (method === 3 && !loaded.doc.groupings.some((g) => g.members.includes(code))) {
          throw new FormRefusal({ method: { key: 'analysis.reduction.noGrouping', params: { code } } });
        }
        const before = repos.analysis.activeReduction(condition.id);
        const now = at();
        if (before) repos.analysis.revertReduction(before.id, actorId, now);
        const id = repos.analysis.insertReduction({ studyId, conditionId: condition.id, method, reason, by: actorId, at: now });
        repos.audit.record({
          at: now, actorId, studyId, entity: 'condition', entityId: condition.id, action: 'reduction',
          before: before ? { condition: code, method: before.method, reason: before.reason } : undefined,
          after: { condition: code, method, reason },
        });
        return id;
      })();
    },

    /** Reverts the condition's active reduction decision: the condition takes part again; the decision stays in the log. */
    revertReduction(studyId: number, code: string, actorId: number): void {
      db.transaction(() => {
        const { condition } = conditionOf(studyId, code);
        const before = repos.analysis.activeReduction(condition.id);
        if (!before) throw new HttpError(409, 'analysis.reduction.noneActive', { code });
        const now = at();
        repos.analysis.revertReduction(before.id, actorId, now);
        repos.audit.record({
          at: now, actorId, studyId, entity: 'condition', entityId: condition.id, action: 'reduction-revert',
          before: { condition: code, method: before.method, reason: before.reason },
        });
      })();
    },
  };
}
export type AnalysisService = ReturnType<typeof analysisService>;
