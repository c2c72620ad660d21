// Pure computations of the cross-case page on top of the analysis model: the order of the cases by a
// measure, the number of cases behind a correlation that was left out (n < 3), and explanation
// degree × attribute contingency tables.
import type { AttributeValue } from '../cases/cases.repo.ts';
import { EXPLANATION_DEGREES, type ExplanationDegree } from '../analysis/analysis.rules.ts';

export type Direction = 'asc' | 'desc';

/**
 * Cases ordered by a measure: those with a value by value (ties keep case order), then those without
 * it in case order, whichever the direction. `measure` null keeps the cases' own order.
 */
export function orderCases<C extends { position: number; measures: Record<string, number> }>(
  cases: readonly C[],
  measure: string | null,
  dir: Direction,
): C[] {
  const byPosition = [...cases].sort((a, b) => a.position - b.position);
  if (measure === null) return dir === 'desc' ? byPosition.reverse() : byPosition;
  const withValue = byPosition.filter((c) => c.measures[measure] !== undefined);
  const without = byPosition.filter((c) => c.measures[measure] === undefined);
  const sign = dir === 'asc' ? 1 : -1;
  // Array.prototype.sort is stable, so equal values keep case order.
  withValue.sort((a, b) => sign * (a.measures[measure]! - b.measures[measure]!));
  return [...withValue, ...without];
}

/** How many cases have both an x value and a y value (the n of a correlation). */
export function pairCount<C>(cases: readonly C[], x: (c: C) => number | undefined, y: (c: C) => number | undefined): number {
  return cases.filter((c) => x(c) !== undefined && y(c) !== undefined).length;
}

export interface ContingencyTable {
  /** The attribute key, or null for the outcome group. */
  attribute: string | null;
  /** The column values in order; null = the case has no value. */
  values: Array<AttributeValue | null>;
  /** One row per explanation degree in the method's order, then "not set" (null). */
  rows: Array<{ degree: ExplanationDegree | null; counts: number[]; total: number }>;
  /** Column totals, and the number of cases. */
  totals: number[];
  n: number;
}

function compareValues(a: AttributeValue, b: AttributeValue): number {
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? -1 : 1; // yes before no
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  return String(a).localeCompare(String(b));
}

/**
 * Explanation degree × attribute value, counting cases (report 000 §3.3.1: joint service or not).
 * Columns are the values the cases have, sorted (yes before no, numbers ascending, text
 * alphabetically), then "none" when some case lacks the attribute. `valueOf` returns undefined for
 * a case without a value.
 */
export function contingency<C extends { explanationDegree: ExplanationDegree | null }>(
  attribute: string | null,
  cases: readonly C[],
  valueOf: (c: C) => AttributeValue | undefined,
): ContingencyTable {
  const id = (v: AttributeValue | undefined | null) => (v === undefined || v === null ? '\u0000none' : `${typeof v}:${String(v)}`);
  const present = new Map<string, AttributeValue>();
  let missing = false;
  for (const c of cases) {
    const v = valueOf(c);
    if (v === undefined || v === null || v === '') missing = true;
    else present.set(id(v), v);
  }
  const values: Array<AttributeValue | null> = [...present.values()].sort(compareValues);
  if (missing) values.push(null);
  const column = new Map(values.map((v, i) => [id(v), i]));
  const degrees: Array<ExplanationDegree | null> = [...EXPLANATION_DEGREES, null];
  const rows = degrees.map((degree) => ({ degree, counts: values.map(() => 0), total: 0 }));
  const totals = values.map(() => 0);
  for (const c of cases) {
    const v = valueOf(c);
    const col = column.get(id(v === '' ? undefined : v))!;
    const row = rows[c.explanationDegree === null ? degrees.length - 1 : EXPLANATION_DEGREES.indexOf(c.explanationDegree)]!;
    row.counts[col]!++;
    row.total++;
    totals[col]!++;
  }
  return { attribute, values, rows, totals, n: cases.length };
}
