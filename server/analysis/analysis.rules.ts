// The analysis rules of PRODUCT.md ("Rules that must be exact"), as pure functions without any
// dependency: favourability, classes (relative and absolute), relation verdicts, level-pair strength,
// distinguishing power, descriptive statistics, totals, Pearson and Spearman correlation, and the
// "skip level 1" chains of the within-case analysis. Undefined results are null, never 0 or NaN.

export type Polarity = 'higher-is-favourable' | 'lower-is-favourable';
export type ConditionKind = 'rated' | 'measured';
export type ClassName = 'low' | 'medium' | 'high';
export type Verdict = 'applies' | 'possibly' | 'unlikely' | 'unknown';
export type StrengthLabel = 'hardly' | 'limited' | 'fair' | 'good';
export type Distinguishing = 'none' | 'limited' | 'yes';
export type Classification = 'relative' | 'absolute';
export interface Scale {
  min: number;
  max: number;
}

export const EXPLANATION_DEGREES = ['hardly', 'limited', 'fair', 'good'] as const;
export type ExplanationDegree = (typeof EXPLANATION_DEGREES)[number];

/** Complexity-reduction methods (method-notes.md step 7, seed 000 A.4.2). */
export const REDUCTION_METHODS = [1, 2, 3, 4] as const;
export type ReductionMethod = (typeof REDUCTION_METHODS)[number];

/**
 * Whether an active decision with this method takes the condition out of the analysis: 1 (no
 * distinguishing power), 2 (substantive grounds) and 4 (levels: the condition's class differs from
 * every condition it is linked to, seed 000 D.4) drop it. 3 (grouping) keeps the members and shows
 * their grouping as one combined row beside them.
 */
export function dropsCondition(method: ReductionMethod): boolean {
  return method !== 3;
}

/**
 * Favourability (PRODUCT.md): a rated score as it is when higher is favourable, else min + max − score
 * (on 1–5: 6 − score); a measured value as it is, or its negative.
 */
export function favourability(value: number, c: { kind: ConditionKind; polarity: Polarity }, scale: Scale): number {
  if (c.polarity === 'higher-is-favourable') return value;
  return c.kind === 'rated' ? scale.min + scale.max - value : -value;
}

/** Ranks 1 … n in ascending order; tied values share their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    // Positions start … end (0-based) hold ranks start + 1 … end + 1; their average:
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Low below one third, high above two thirds, else medium. */
function tercile(x: number): ClassName {
  return x < 1 / 3 ? 'low' : x > 2 / 3 ? 'high' : 'medium';
}

/**
 * Relative classes of one condition over the cases that have a value (favourability): rank with
 * average ranks for ties, p = (r − 0.5) / n, low if p < 1/3, high if p > 2/3, else medium. All values
 * equal: every case medium. Returns the classes in the order of `values`.
 */
export function relativeClasses(values: readonly number[]): ClassName[] {
  if (values.length === 0) return [];
  if (values.every((v) => v === values[0])) return values.map(() => 'medium');
  const n = values.length;
  return averageRanks(values).map((r) => tercile((r - 0.5) / n));
}

/** Absolute class of a rated condition's favourability: t = (f − min) / (max − min). */
export function absoluteClass(f: number, scale: Scale): ClassName {
  return tercile((f - scale.min) / (scale.max - scale.min));
}

const STEP: Record<ClassName, number> = { low: 0, medium: 1, high: 2 };

/** A relation's verdict in a case: equal classes apply, one step apart possibly, low vs high unlikely, a missing class unknown. */
export function verdict(cause: ClassName | null | undefined, effect: ClassName | null | undefined): Verdict {
  if (!cause || !effect) return 'unknown';
  const apart = Math.abs(STEP[cause] - STEP[effect]);
  return apart === 0 ? 'applies' : apart === 1 ? 'possibly' : 'unlikely';
}

export interface VerdictCounts {
  applies: number;
  possibly: number;
  unlikely: number;
  unknown: number;
}

export function countVerdicts(verdicts: readonly Verdict[]): VerdictCounts {
  const counts: VerdictCounts = { applies: 0, possibly: 0, unlikely: 0, unknown: 0 };
  for (const v of verdicts) counts[v]++;
  return counts;
}

/** s = (applies + ½ · possibly) / (relations with a verdict other than unknown); null when there are none. */
export function strength(verdicts: readonly Verdict[]): number | null {
  const c = countVerdicts(verdicts);
  const judged = c.applies + c.possibly + c.unlikely;
  return judged === 0 ? null : (c.applies + 0.5 * c.possibly) / judged;
}

/** s < 0.25 hardly, < 0.5 limited, < 0.75 fair, else good. */
export function strengthLabel(s: number | null): StrengthLabel | null {
  if (s === null) return null;
  return s < 0.25 ? 'hardly' : s < 0.5 ? 'limited' : s < 0.75 ? 'fair' : 'good';
}

/**
 * Distinguishing power over a condition's final values: none if all equal, limited if max − min = 1,
 * else yes; null without values. Favourability and raw scores give the same answer (min + max − s
 * keeps every distance). For non-integer values (a grouping's mean of members) a spread up to 1 is
 * limited, which is the same rule on integers.
 */
export function distinguishingPower(values: readonly number[]): Distinguishing | null {
  if (values.length === 0) return null;
  const spread = Math.max(...values) - Math.min(...values);
  return spread === 0 ? 'none' : spread <= 1 ? 'limited' : 'yes';
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n − 1); null for fewer than two values. */
export function sd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values)!;
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** A case's total: the sum and the mean of the favourability of its final scores of rated conditions. */
export function total(favourabilities: readonly number[]): { sum: number; mean: number | null; n: number } {
  let sum = 0;
  for (const f of favourabilities) sum += f;
  return { sum, mean: mean(favourabilities), n: favourabilities.length };
}

/** Pearson's r over pairs; null for fewer than 3 pairs or when either variable does not vary. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n !== ys.length) throw new Error('pearson: xs and ys differ in length');
  if (n < 3) return null;
  const mx = mean(xs)!;
  const my = mean(ys)!;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's ρ: Pearson's r of the average ranks (ties share their rank); null as for pearson. */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new Error('spearman: xs and ys differ in length');
  if (xs.length < 3) return null;
  return pearson(averageRanks(xs), averageRanks(ys));
}

export interface ChainCondition {
  code: string;
  level: number;
}
export interface ChainRelation {
  from: string;
  to: string;
  feedback?: boolean;
}
export interface SkipChain {
  /** The condition on the level above the skipped one (level 2). */
  from: string;
  /** The condition on the level below it (level 0). */
  to: string;
  /** The conditions on the skipped level (1) through which `from` reaches `to`, in relation order. */
  via: string[];
  /** Whether the framework also has the relation from → to itself. */
  direct: boolean;
}

/**
 * The "skip level 1" comparisons (method-notes.md step 8, "looser second way"): every pair of a
 * condition on level `top` (2) and one on level `bottom` (0) joined by a chain top → skipped → bottom
 * through a condition on level `skipped` (1). Only the given relations count and feedback relations
 * never do; pairs in the order of their first relation.
 */
export function skipLevelChains(
  conditions: readonly ChainCondition[],
  relations: readonly ChainRelation[],
  levels: { top: number; skipped: number; bottom: number } = { top: 2, skipped: 1, bottom: 0 },
): SkipChain[] {
  const level = new Map(conditions.map((c) => [c.code, c.level]));
  const forward = relations.filter((r) => !r.feedback && level.has(r.from) && level.has(r.to));
  const direct = new Set(forward.map((r) => `${r.from}\u0000${r.to}`));
  const chains = new Map<string, SkipChain>();
  for (const first of forward) {
    if (level.get(first.from) !== levels.top || level.get(first.to) !== levels.skipped) continue;
    for (const second of forward) {
      if (second.from !== first.to || level.get(second.to) !== levels.bottom) continue;
      const id = `${first.from}\u0000${second.to}`;
      const chain = chains.get(id) ?? { from: first.from, to: second.to, via: [], direct: direct.has(id) };
      if (!chain.via.includes(first.to)) chain.via.push(first.to);
      chains.set(id, chain);
    }
  }
  return [...chains.values()];
}

/** The word pseudonyms are made of ("Gemeente 1 … n"): the study's own, else one by its language. */
export function pseudonymWord(stored: string, language: 'nl' | 'en'): string {
  return stored.trim() || (language === 'nl' ? 'Gemeente' : 'Case');
}

/**
 * The classes of one row's favourability values by the study's rule: absolute on the rating scale for
 * rated rows (conditions and groupings of rated members) in absolute mode, else relative over the
 * values given. Measured conditions have no scale, so they are always classed relatively.
 */
export function classesOf(favourabilities: readonly number[], rated: boolean, classification: Classification, scale: Scale): ClassName[] {
  return classification === 'absolute' && rated ? favourabilities.map((f) => absoluteClass(f, scale)) : relativeClasses(favourabilities);
}
