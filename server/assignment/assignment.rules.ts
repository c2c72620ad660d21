// Pure rules of rater assignment: which raters a case may have (eligibility, the interview rule,
// raters with ratings stay) and the "assign evenly" balancing. No database here; ids in, ids out.
//
// Positions: a case's raters form an ordered list; index 0 is the first rater, index 1 the second
// and so on (stored as case_raters.position 0, 1, …; shown to people as 1, 2, …).

/** Why a case's list of raters is refused; `userId`/`position` (1-based) name the culprit. */
export type AssignmentProblem =
  | { problem: 'count' }
  | { problem: 'duplicate'; userId: number }
  | { problem: 'notEligible'; userId: number }
  | { problem: 'attended'; userId: number; position: number }
  | { problem: 'hasRatings'; userId: number };

export interface RaterCheck {
  /** The submitted choice per position; null is an empty select. */
  chosen: readonly (number | null)[];
  ratersPerCase: number;
  /** Members with the role researcher or lead. */
  eligible: ReadonlySet<number>;
  /** Everyone who attended an interview of the case. */
  attendees: ReadonlySet<number>;
  secondRaterNotAtInterviews: boolean;
  /** The raters the case has now, in order. */
  current: readonly number[];
  /** The raters who have at least one rating (draft or submitted) for the case. */
  withRatings: ReadonlySet<number>;
}

/**
 * Checks a full assignment of one case: exactly `ratersPerCase` distinct eligible raters, or none
 * (clearing). With the interview rule on, only the first rater may have attended an interview of
 * the case (seed 002: one rater attended, the other worked from the approved reports). A rater who
 * has ratings for the case may not be removed from it. Returns the first problem, or null.
 */
export function checkAssignment(c: RaterCheck): { raters: number[] } | AssignmentProblem {
  const filled = c.chosen.filter((id): id is number => id !== null);
  if (filled.length > 0) {
    const gaps = c.chosen.slice(0, c.ratersPerCase).some((id) => id === null);
    if (gaps || filled.length !== c.ratersPerCase || c.chosen.length > c.ratersPerCase) return { problem: 'count' };
    const seen = new Set<number>();
    for (const id of filled) {
      if (seen.has(id)) return { problem: 'duplicate', userId: id };
      seen.add(id);
    }
    for (const id of filled) if (!c.eligible.has(id)) return { problem: 'notEligible', userId: id };
    if (c.secondRaterNotAtInterviews) {
      for (let i = 1; i < filled.length; i++) {
        if (c.attendees.has(filled[i]!)) return { problem: 'attended', userId: filled[i]!, position: i + 1 };
      }
    }
  }
  const kept = new Set(filled);
  for (const id of c.current) if (!kept.has(id) && c.withRatings.has(id)) return { problem: 'hasRatings', userId: id };
  return { raters: filled };
}

export function isProblem(r: { raters: number[] } | AssignmentProblem): r is AssignmentProblem {
  return 'problem' in r;
}

/** One case as "assign evenly" sees it. */
export interface EvenCase {
  id: number;
  /** Raters that stay, in their order; the case is filled after them up to `ratersPerCase`. */
  fixed: readonly number[];
  attendees: ReadonlySet<number>;
}

export interface EvenInput {
  ratersPerCase: number;
  /** The candidate raters, in a fixed order: the order breaks every tie. */
  raters: readonly number[];
  /** Every case of the study in its order; cases already full only count towards loads and pairs. */
  cases: readonly EvenCase[];
  secondRaterNotAtInterviews: boolean;
}

export interface EvenResult {
  /** The new full list of raters of every case that was filled. */
  assigned: Map<number, number[]>;
  /** Cases that needed raters but for which no valid choice exists (too few raters, the interview rule). */
  unfilled: number[];
}

/** At most this many least-loaded candidates who did not attend are considered per case (see below). */
export const POOL_SIZE = 16;

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** Every k-element subset of `items`, in lexicographic order of their indices. */
function* combinations<T>(items: readonly T[], k: number, start = 0, prefix: T[] = []): Generator<T[]> {
  if (prefix.length === k) {
    yield prefix.slice();
    return;
  }
  for (let i = start; i <= items.length - (k - prefix.length); i++) {
    prefix.push(items[i]!);
    yield* combinations(items, k, i + 1, prefix);
    prefix.pop();
  }
}

/**
 * "Assign evenly": fills every case that has fewer than `ratersPerCase` raters, keeping the
 * raters it has, so that the load per rater is as even as possible and every pair of raters
 * shares roughly the same number of cases.
 *
 * Algorithm (greedy, deterministic given the inputs):
 * 1. Count the load of every candidate (cases they rate) and the number of cases every pair
 *    rates together, over all cases, including the ones that are already full.
 * 2. Go through the cases that need raters in their order. Let k be the number of missing raters.
 *    Candidates are the raters not already on the case. With the interview rule on, an attendee
 *    of the case can only be added as first rater, so only when the case has no raters yet, and at
 *    most one attendee per case. The pool is the POOL_SIZE least-loaded non-attendees plus (when
 *    an attendee may be added) the k least-loaded attendees, ties by candidate order; this bounds
 *    the search at C(POOL_SIZE + 4, 4) subsets per case without affecting studies with up to 16
 *    raters.
 * 3. Among all k-subsets of the pool that keep the rule, choose the one with the smallest key,
 *    compared in order:
 *      a. the highest load among the subset after adding the case (keeps the maximum load down),
 *      b. the sum of the subset's loads (spreads the work),
 *      c. the highest pair count among the pairs the case would form (balances pairs),
 *      d. the sum of those pair counts,
 *      e. the first subset in candidate order.
 * 4. Order the new raters: an attendee first (the rule allows no other place), then the one who
 *    has been first rater least often, then candidate order. Update loads and pair counts.
 *
 * With 3 raters and 2 per case this cycles through the pairs AB, AC, BC: over 15 cases every rater
 * rates 10 cases and every pair 5; over 6 cases every rater 4 and every pair 2.
 */
export function assignEvenly(input: EvenInput): EvenResult {
  const { ratersPerCase, raters } = input;
  const order = new Map(raters.map((id, i) => [id, i]));
  const load = new Map<number, number>(raters.map((id) => [id, 0]));
  const firsts = new Map<number, number>(raters.map((id) => [id, 0]));
  const pairs = new Map<string, number>();
  const addCase = (list: readonly number[]) => {
    list.forEach((id, i) => {
      load.set(id, (load.get(id) ?? 0) + 1);
      if (i === 0) firsts.set(id, (firsts.get(id) ?? 0) + 1);
      for (let j = i + 1; j < list.length; j++) pairs.set(pairKey(id, list[j]!), (pairs.get(pairKey(id, list[j]!)) ?? 0) + 1);
    });
  };
  for (const c of input.cases) addCase(c.fixed);

  const byLoad = (a: number, b: number) => load.get(a)! - load.get(b)! || order.get(a)! - order.get(b)!;
  const assigned = new Map<number, number[]>();
  const unfilled: number[] = [];

  for (const c of input.cases) {
    const k = ratersPerCase - c.fixed.length;
    if (k <= 0) continue;
    const fixed = new Set(c.fixed);
    const open = raters.filter((id) => !fixed.has(id));
    const rule = input.secondRaterNotAtInterviews;
    const attendeeMayJoin = !rule || c.fixed.length === 0;
    const others = open.filter((id) => !rule || !c.attendees.has(id)).sort(byLoad).slice(0, POOL_SIZE);
    const attendees = rule && attendeeMayJoin ? open.filter((id) => c.attendees.has(id)).sort(byLoad).slice(0, k) : [];
    const pool = [...others, ...attendees].sort((a, b) => order.get(a)! - order.get(b)!);

    let best: { subset: number[]; key: number[] } | null = null;
    for (const subset of combinations(pool, k)) {
      if (rule && subset.filter((id) => c.attendees.has(id)).length > (attendeeMayJoin ? 1 : 0)) continue;
      const loads = subset.map((id) => load.get(id)! + 1);
      const pairCounts: number[] = [];
      const all = [...c.fixed, ...subset];
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) if (subset.includes(all[i]!) || subset.includes(all[j]!)) pairCounts.push(pairs.get(pairKey(all[i]!, all[j]!)) ?? 0);
      }
      const key = [Math.max(...loads), sum(loads), pairCounts.length ? Math.max(...pairCounts) : 0, sum(pairCounts)];
      if (!best || lexLess(key, best.key)) best = { subset, key };
    }
    if (!best) {
      unfilled.push(c.id);
      continue;
    }
    const added = best.subset.sort(
      (a, b) =>
        Number(rule && c.attendees.has(b)) - Number(rule && c.attendees.has(a)) ||
        firsts.get(a)! - firsts.get(b)! ||
        order.get(a)! - order.get(b)!,
    );
    const list = [...c.fixed, ...added];
    // Only the new raters change the counts: the fixed ones were counted in step 1.
    for (const id of added) load.set(id, load.get(id)! + 1);
    if (c.fixed.length === 0) firsts.set(list[0]!, firsts.get(list[0]!)! + 1);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (added.includes(list[i]!) || added.includes(list[j]!)) pairs.set(pairKey(list[i]!, list[j]!), (pairs.get(pairKey(list[i]!, list[j]!)) ?? 0) + 1);
      }
    }
    assigned.set(c.id, list);
  }
  return { assigned, unfilled };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
