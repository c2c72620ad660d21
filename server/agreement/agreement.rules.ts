// Agreement statistics written straight from the published formulas: Krippendorff's alpha, Cohen's kappa, percent agreement and ICC.
//
// Pure functions: no I/O, no database. A score of null means *cannot judge*, which counts as missing, not as zero.
// An undefined statistic is null and comes with a reason. It is never reported as 0 or 1.

/** A score, or null for a missing value (*cannot judge*). */
export type Score = number | null;

/** One unit (here: a case × condition), with the value each rater gave, in rater order. Missing values are null. */
export type UnitValues = readonly Score[];

/** The scoring scale, e.g. { min: 1, max: 5 }: the categories are the integers min..max. */
export interface Scale {
  min: number;
  max: number;
}

export type UndefinedReason = 'no-pairable-units' | 'no-pairs' | 'no-variation' | 'too-few-ratings';

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';
export type KappaWeighting = 'unweighted' | 'linear' | 'quadratic';

export interface AlphaResult {
  value: number | null;
  reason?: 'no-pairable-units' | 'no-variation';
  /** Units that hold at least two values. */
  units: number;
  /** Pairs of values within those units: the sum of m(m − 1)/2. */
  pairs: number;
}

export interface KappaResult {
  value: number | null;
  reason?: 'no-pairs' | 'no-variation';
  /** Units that both raters scored (the total of the table). */
  pairs: number;
}

export interface PercentAgreement {
  exact: number | null;
  within1: number | null;
  reason?: 'no-pairs';
  units: number;
  pairs: number;
}

const presentValues = (unit: UnitValues): number[] => unit.filter((v): v is number => v !== null);
const pairsIn = (m: number): number => (m * (m - 1)) / 2;

/**
 * Turns the fixtures' layout (one row per rater, one column per unit, null = missing) into the layout used here:
 * one row per unit, one column per rater. Rows that are too short count as missing values.
 */
export function unitsFromRaterRows(raterRows: readonly (readonly Score[])[]): Score[][] {
  const unitCount = Math.max(0, ...raterRows.map((row) => row.length));
  return Array.from({ length: unitCount }, (_, u) => raterRows.map((row) => row[u] ?? null));
}

// ---------------------------------------------------------------------------------------------------------------
// Krippendorff's alpha
// ---------------------------------------------------------------------------------------------------------------

/**
 * Krippendorff's alpha, coincidence-matrix method (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability",
 * Annenberg School for Communication Departmental Papers 43, University of Pennsylvania).
 *
 * `units` is units × raters: one array per unit holding each rater's value, with null for a missing value. Use
 * `unitsFromRaterRows` for data laid out with one row per rater. Only units that have m_u ≥ 2 values are pairable.
 * Any number of raters is allowed.
 *   coincidences  o_ck = Σ_u (number of ordered pairs (c, k) of values from different raters in u) / (m_u − 1)
 *   marginals     n_c = Σ_k o_ck,  n = Σ_c n_c  (the number of pairable values)
 *   alpha         α = 1 − D_o / D_e = 1 − (n − 1) · Σ_ck o_ck δ²(c,k) / Σ_ck n_c n_k δ²(c,k)
 * Distances: nominal δ² = 0 if c = k, else 1. Ordinal δ² = (Σ_{g=c..k} n_g − (n_c + n_k)/2)². Interval δ² = (c − k)².
 * Ratio δ² = ((c − k)/(c + k))², which needs values ≥ 0.
 * Alpha is undefined (null) when no unit is pairable, or when D_e = 0 because every pairable value is the same.
 */
export function krippendorffAlpha(units: readonly UnitValues[], level: AlphaLevel): AlphaResult {
  return alphaOf(coincidencesOf(units), level);
}

/** What alpha at every level is computed from: the coincidence matrix and its marginals (the same for each level). */
interface Coincidences {
  categories: number[];
  coincidences: number[][];
  marginals: number[];
  units: number;
  pairs: number;
}

function coincidencesOf(units: readonly UnitValues[]): Coincidences {
  const pairable = units.map(presentValues).filter((values) => values.length >= 2);
  const pairs = pairable.reduce((sum, values) => sum + pairsIn(values.length), 0);
  const categories = [...new Set(pairable.flat())].sort((a, b) => a - b);
  const indexOf = new Map(categories.map((c, i) => [c, i]));
  const coincidences = categories.map(() => categories.map(() => 0));
  const marginals = categories.map(() => 0);
  for (const values of pairable) {
    const idx = values.map((v) => indexOf.get(v)!);
    for (const c of idx) marginals[c]! += 1;
    for (let i = 0; i < idx.length; i++) {
      for (let j = 0; j < idx.length; j++) {
        if (i !== j) coincidences[idx[i]!]![idx[j]!]! += 1 / (idx.length - 1);
      }
    }
  }
  return { categories, coincidences, marginals, units: pairable.length, pairs };
}

function alphaOf(table: Coincidences, level: AlphaLevel): AlphaResult {
  const { categories, coincidences, marginals, units, pairs } = table;
  if (units === 0) return { value: null, reason: 'no-pairable-units', units: 0, pairs: 0 };
  if (categories.length < 2) return { value: null, reason: 'no-variation', units, pairs };
  if (level === 'ratio' && categories[0]! < 0) throw new RangeError('ratio alpha needs values of 0 or more');

  const n = marginals.reduce((a, b) => a + b, 0);
  const distance = squaredDistance(level, categories, marginals);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < categories.length; c++) {
    for (let k = 0; k < categories.length; k++) {
      const d = distance(c, k);
      observed += coincidences[c]![k]! * d;
      expected += marginals[c]! * marginals[k]! * d;
    }
  }
  return { value: 1 - ((n - 1) * observed) / expected, units, pairs };
}

/** δ²(c, k) for the category indices c and k of the sorted `categories`, whose marginal counts are in `marginals`. */
function squaredDistance(level: AlphaLevel, categories: readonly number[], marginals: readonly number[]): (c: number, k: number) => number {
  switch (level) {
    case 'nominal':
      return (c, k) => (c === k ? 0 : 1);
    case 'ordinal': {
      // cumulative[i] = n_0 + … + n_{i−1}, so the sum of n_g for g = c..k is cumulative[k + 1] − cumulative[c].
      const cumulative = [0];
      for (const count of marginals) cumulative.push(cumulative[cumulative.length - 1]! + count);
      return (c, k) => {
        const [lo, hi] = c <= k ? [c, k] : [k, c];
        return (cumulative[hi + 1]! - cumulative[lo]! - (marginals[lo]! + marginals[hi]!) / 2) ** 2;
      };
    }
    case 'interval':
      return (c, k) => (categories[c]! - categories[k]!) ** 2;
    case 'ratio':
      return (c, k) => (c === k ? 0 : ((categories[c]! - categories[k]!) / (categories[c]! + categories[k]!)) ** 2);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cohen's kappa
// ---------------------------------------------------------------------------------------------------------------

/** A k × k table of counts. Rows are rater A's categories and columns rater B's, in scale order. */
export type ContingencyTable = readonly (readonly number[])[];

/** One unit scored by two raters: [score of A, score of B]. A pair with a null (cannot judge) is left out. */
export type ScorePair = readonly [Score, Score];

export type KappaInput = { table: ContingencyTable } | { pairs: readonly ScorePair[]; scale: Scale };

function checkScale(scale: Scale): number {
  if (!Number.isInteger(scale.min) || !Number.isInteger(scale.max) || scale.max < scale.min) {
    throw new RangeError(`invalid scale ${scale.min}..${scale.max}`);
  }
  return scale.max - scale.min + 1;
}

function checkScore(score: number, scale: Scale, where: string): void {
  if (!Number.isInteger(score) || score < scale.min || score > scale.max) {
    throw new RangeError(`score ${score} is outside the scale ${scale.min}..${scale.max} (${where})`);
  }
}

/** The k × k table of the pairs where both raters gave a score, with k = max − min + 1 (the full scale). */
export function contingencyTable(pairs: readonly ScorePair[], scale: Scale): number[][] {
  const k = checkScale(scale);
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  pairs.forEach(([a, b], i) => {
    if (a === null || b === null) return;
    checkScore(a, scale, `pair ${i}`);
    checkScore(b, scale, `pair ${i}`);
    table[a - scale.min]![b - scale.min]! += 1;
  });
  return table;
}

/**
 * The agreement weight of the categories i and j (0-based positions on a scale of k categories). The weights come
 * from the full scale, not from the values that were observed. Unweighted: w = 1 if i = j, else 0.
 * Linear: w = 1 − |i − j|/(k − 1) (Cicchetti & Allison 1971). Quadratic: w = 1 − ((i − j)/(k − 1))² (Fleiss & Cohen 1973).
 */
export function kappaWeight(i: number, j: number, k: number, weighting: KappaWeighting): number {
  if (i === j) return 1;
  if (weighting === 'unweighted' || k < 2) return 0;
  const d = Math.abs(i - j) / (k - 1);
  return weighting === 'linear' ? 1 - d : 1 - d * d;
}

/**
 * Cohen's kappa for two raters (Cohen 1960; weighted kappa: Cohen 1968).
 *   p_o = Σ_ij w_ij · t_ij / N,   p_e = Σ_ij w_ij · r_i · c_j / N²,   κ = (p_o − p_e) / (1 − p_e)
 * Here t is the table, r_i and c_j are its row and column totals, and N is its total. Give either a k × k table over
 * the full scale, or score pairs together with the scale. Pairs with a null are left out. Kappa is undefined (null)
 * when there are no pairs, or when the expected agreement p_e is 1.
 */
export function cohenKappa(input: KappaInput, options: { weighting?: KappaWeighting } = {}): KappaResult {
  const weighting = options.weighting ?? 'unweighted';
  const table = 'table' in input ? input.table : contingencyTable(input.pairs, input.scale);
  const k = table.length;
  if (table.some((row) => row.length !== k)) throw new RangeError('a contingency table must be square');

  const rowTotals = table.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = table.map((_, j) => table.reduce((sum, row) => sum + row[j]!, 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  if (total === 0) return { value: null, reason: 'no-pairs', pairs: 0 };

  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = kappaWeight(i, j, k, weighting);
      observed += (w * table[i]![j]!) / total;
      expected += (w * rowTotals[i]! * columnTotals[j]!) / (total * total);
    }
  }
  if (1 - expected <= 1e-12) return { value: null, reason: 'no-variation', pairs: total };
  return { value: (observed - expected) / (1 - expected), pairs: total };
}

// ---------------------------------------------------------------------------------------------------------------
// Percent agreement
// ---------------------------------------------------------------------------------------------------------------

/**
 * Percent agreement over the pairs of raters within each unit. Missing values are skipped, so a unit with m values
 * gives m(m − 1)/2 pairs. exact = the share of pairs that gave the same score. within1 = the share of pairs whose
 * scores are at most one point apart. Both are null when there are no pairs.
 */
export function percentAgreement(units: readonly UnitValues[]): PercentAgreement {
  let pairable = 0;
  let pairs = 0;
  let exact = 0;
  let within1 = 0;
  for (const unit of units) {
    const values = presentValues(unit);
    if (values.length < 2) continue;
    pairable += 1;
    for (let i = 0; i < values.length; i++) {
      for (let j = i + 1; j < values.length; j++) {
        const gap = Math.abs(values[i]! - values[j]!);
        pairs += 1;
        if (gap === 0) exact += 1;
        if (gap <= 1) within1 += 1;
      }
    }
  }
  if (pairs === 0) return { exact: null, within1: null, reason: 'no-pairs', units: 0, pairs: 0 };
  return { exact: exact / pairs, within1: within1 / pairs, units: pairable, pairs };
}

// ---------------------------------------------------------------------------------------------------------------
// Intraclass correlation (not used by the product; here for completeness)
// ---------------------------------------------------------------------------------------------------------------

export type IccKind = 'ICC1' | 'ICC2' | 'ICC3' | 'ICC1k' | 'ICC2k' | 'ICC3k';

export interface Statistic {
  value: number | null;
  reason?: UndefinedReason;
}

/**
 * Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing rater reliability", Psychological Bulletin
 * 86(2), 420–428. `ratings` is targets × judges, with n targets and k judges, complete and with no missing values.
 * The mean squares are BMS (between targets), WMS (within targets), JMS (between judges) and EMS (residual).
 *   ICC(1,1) = (BMS − WMS) / (BMS + (k−1)·WMS)              ICC(1,k) = (BMS − WMS) / BMS
 *   ICC(2,1) = (BMS − EMS) / (BMS + (k−1)·EMS + k(JMS − EMS)/n)   ICC(2,k) = (BMS − EMS) / (BMS + (JMS − EMS)/n)
 *   ICC(3,1) = (BMS − EMS) / (BMS + (k−1)·EMS)              ICC(3,k) = (BMS − EMS) / BMS
 */
export function intraclassCorrelations(ratings: readonly (readonly number[])[]): Record<IccKind, Statistic> {
  const n = ratings.length;
  const k = ratings[0]?.length ?? 0;
  if (ratings.some((row) => row.length !== k)) throw new RangeError('every target needs a rating from every judge');
  if (n < 2 || k < 2) {
    const none: Statistic = { value: null, reason: 'too-few-ratings' };
    return { ICC1: none, ICC2: none, ICC3: none, ICC1k: none, ICC2k: none, ICC3k: none };
  }

  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const grand = mean(ratings.flat());
  const targetMeans = ratings.map(mean);
  const judgeMeans = Array.from({ length: k }, (_, j) => mean(ratings.map((row) => row[j]!)));

  const ssTotal = ratings.flat().reduce((sum, x) => sum + (x - grand) ** 2, 0);
  const ssTargets = k * targetMeans.reduce((sum, m) => sum + (m - grand) ** 2, 0);
  const ssJudges = n * judgeMeans.reduce((sum, m) => sum + (m - grand) ** 2, 0);
  const bms = ssTargets / (n - 1);
  const wms = (ssTotal - ssTargets) / (n * (k - 1));
  const jms = ssJudges / (k - 1);
  const ems = (ssTotal - ssTargets - ssJudges) / ((n - 1) * (k - 1));

  const ratio = (numerator: number, denominator: number): Statistic =>
    Math.abs(denominator) <= 1e-12 ? { value: null, reason: 'no-variation' } : { value: numerator / denominator };
  return {
    ICC1: ratio(bms - wms, bms + (k - 1) * wms),
    ICC2: ratio(bms - ems, bms + (k - 1) * ems + (k * (jms - ems)) / n),
    ICC3: ratio(bms - ems, bms + (k - 1) * ems),
    ICC1k: ratio(bms - wms, bms),
    ICC2k: ratio(bms - ems, bms + (jms - ems) / n),
    ICC3k: ratio(bms - ems, bms),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Summaries in the shape of `agreement` (../shared/design/cli.md)
// ---------------------------------------------------------------------------------------------------------------

/** A unit as the product sees it: a (case, condition) with the submitted score of each rater, null = cannot judge. */
export interface RatedUnit {
  id: string;
  level?: number | string;
  condition?: string;
  case?: string;
  /** Rater id → score. null = cannot judge. */
  scores: Readonly<Record<string, Score>>;
}

type ReportedAlphaLevel = 'nominal' | 'ordinal' | 'interval';
const REPORTED_ALPHA_LEVELS: readonly ReportedAlphaLevel[] = ['nominal', 'ordinal', 'interval'];
const KAPPA_WEIGHTINGS: readonly KappaWeighting[] = ['unweighted', 'linear', 'quadratic'];

export interface AgreementSummary {
  /** Units with at least two scores that are not *cannot judge*. */
  units: number;
  exact: number | null;
  within1: number | null;
  alpha: Record<ReportedAlphaLevel, number | null>;
  /** Why each null above is null. A key is present only for a null value. */
  reasons: {
    exact?: UndefinedReason;
    within1?: UndefinedReason;
    alpha?: Partial<Record<ReportedAlphaLevel, UndefinedReason>>;
  };
}

export interface RaterPairAgreement {
  /** The two rater ids, sorted. */
  raters: [string, string];
  /** Units both raters scored (not *cannot judge*). */
  units: number;
  exact: number | null;
  within1: number | null;
  kappa: Record<KappaWeighting, number | null>;
  reasons: {
    exact?: UndefinedReason;
    within1?: UndefinedReason;
    kappa?: Partial<Record<KappaWeighting, UndefinedReason>>;
  };
}

function checkedScoreRows(units: readonly RatedUnit[], scale: Scale): Score[][] {
  checkScale(scale);
  return units.map((unit) =>
    Object.entries(unit.scores).map(([rater, score]) => {
      if (score !== null) checkScore(score, scale, `unit ${unit.id}, rater ${rater}`);
      return score;
    }),
  );
}

/** Percent agreement and Krippendorff's alpha (nominal, ordinal, interval) of a set of units, shaped like `overall` in cli.md. */
export function summarise(units: readonly RatedUnit[], scale: Scale): AgreementSummary {
  const rows = checkedScoreRows(units, scale);
  const percent = percentAgreement(rows);
  const summary: AgreementSummary = {
    units: percent.units,
    exact: percent.exact,
    within1: percent.within1,
    alpha: { nominal: null, ordinal: null, interval: null },
    reasons: {},
  };
  if (percent.reason) summary.reasons = { exact: percent.reason, within1: percent.reason };
  const table = coincidencesOf(rows);
  for (const level of REPORTED_ALPHA_LEVELS) {
    const alpha = alphaOf(table, level);
    summary.alpha[level] = alpha.value;
    if (alpha.reason) summary.reasons.alpha = { ...summary.reasons.alpha, [level]: alpha.reason };
  }
  return summary;
}

/**
 * `summarise` per group, e.g. byLevel / byCondition / byCase. Groups come in the order they first appear. Units
 * without the key are left out.
 */
export function summariseBy<K extends 'level' | 'condition' | 'case'>(
  units: readonly RatedUnit[],
  scale: Scale,
  key: K,
): Array<Record<K, NonNullable<RatedUnit[K]>> & AgreementSummary> {
  const groups = new Map<NonNullable<RatedUnit[K]>, RatedUnit[]>();
  for (const unit of units) {
    const value = unit[key];
    if (value === undefined) continue;
    const group = groups.get(value as NonNullable<RatedUnit[K]>);
    if (group) group.push(unit);
    else groups.set(value as NonNullable<RatedUnit[K]>, [unit]);
  }
  return [...groups].map(([value, members]) => ({ [key]: value, ...summarise(members, scale) }) as Record<K, NonNullable<RatedUnit[K]>> & AgreementSummary);
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Agreement per pair of raters: percent agreement, and Cohen's kappa with unweighted, linear and quadratic weights
 * over the full scale. A pair is listed when both raters appear in some unit's scores, even as *cannot judge*. The
 * pairs are sorted by rater id.
 */
export function byRaterPair(units: readonly RatedUnit[], scale: Scale): RaterPairAgreement[] {
  checkedScoreRows(units, scale);
  const shared = new Map<string, { raters: [string, string]; pairs: ScorePair[] }>();
  for (const unit of units) {
    const raters = Object.keys(unit.scores).sort(byCodeUnits);
    for (let i = 0; i < raters.length; i++) {
      for (let j = i + 1; j < raters.length; j++) {
        const pair: [string, string] = [raters[i]!, raters[j]!];
        const id = JSON.stringify(pair);
        const entry = shared.get(id) ?? { raters: pair, pairs: [] };
        entry.pairs.push([unit.scores[pair[0]] ?? null, unit.scores[pair[1]] ?? null]);
        shared.set(id, entry);
      }
    }
  }

  return [...shared.values()]
    .sort((x, y) => byCodeUnits(x.raters[0], y.raters[0]) || byCodeUnits(x.raters[1], y.raters[1]))
    .map(({ raters, pairs }) => {
      const percent = percentAgreement(pairs);
      const result: RaterPairAgreement = {
        raters,
        units: percent.units,
        exact: percent.exact,
        within1: percent.within1,
        kappa: { unweighted: null, linear: null, quadratic: null },
        reasons: percent.reason ? { exact: percent.reason, within1: percent.reason } : {},
      };
      for (const weighting of KAPPA_WEIGHTINGS) {
        const kappa = cohenKappa({ pairs, scale }, { weighting });
        result.kappa[weighting] = kappa.value;
        if (kappa.reason) result.reasons.kappa = { ...result.reasons.kappa, [weighting]: kappa.reason };
      }
      return result;
    });
}

/**
 * The distribution of absolute score differences: counts[d] is the number of rater pairs within units whose two
 * scores are d points apart, for d = 0 … max − min. The pairs are the ones percent agreement counts (every pair of
 * scores that are not *cannot judge* within a unit), so counts[0] / total = exact and (counts[0] + counts[1]) / total
 * = within1.
 */
export function differenceCounts(units: readonly RatedUnit[], scale: Scale): number[] {
  const counts = new Array<number>(checkScale(scale)).fill(0);
  for (const values of checkedScoreRows(units, scale).map(presentValues)) {
    for (let i = 0; i < values.length; i++) {
      for (let j = i + 1; j < values.length; j++) counts[Math.abs(values[i]! - values[j]!)]! += 1;
    }
  }
  return counts;
}
