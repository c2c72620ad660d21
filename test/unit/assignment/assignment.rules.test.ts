// The pure rules of rater assignment: eligibility of a case's raters and "assign evenly".
import { describe, expect, it } from 'vitest';
import { assignEvenly, checkAssignment, type EvenCase, type RaterCheck } from '../../../server/assignment/assignment.rules.ts';

const A = 1, B = 2, C = 3, D = 4;

function loadsAndPairs(assigned: Map<number, number[]>) {
  const loads: Record<number, number> = {};
  const pairs: Record<string, number> = {};
  for (const list of assigned.values()) {
    for (const id of list) loads[id] = (loads[id] ?? 0) + 1;
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      const key = [list[i]!, list[j]!].sort().join('-');
      pairs[key] = (pairs[key] ?? 0) + 1;
    }
  }
  return { loads, pairs };
}

const emptyCases = (n: number, attendees: (i: number) => number[] = () => []): EvenCase[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, fixed: [], attendees: new Set(attendees(i + 1)) }));

describe('assignment.rules assignEvenly', () => {
  it('over 15 cases and 3 raters gives every rater 10 cases and every pair 5', () => {
    const { assigned, unfilled } = assignEvenly({ ratersPerCase: 2, raters: [A, B, C], cases: emptyCases(15), secondRaterNotAtInterviews: false });
    expect(unfilled).toEqual([]);
    expect(assigned.size).toBe(15);
    expect(loadsAndPairs(assigned)).toEqual({ loads: { 1: 10, 2: 10, 3: 10 }, pairs: { '1-2': 5, '1-3': 5, '2-3': 5 } });
  });

  it('cycles through the pairs in candidate order: AB, then AC (C first: never first yet), then BC', () => {
    const { assigned } = assignEvenly({ ratersPerCase: 2, raters: [A, B, C], cases: emptyCases(3), secondRaterNotAtInterviews: false });
    expect([...assigned.values()]).toEqual([[A, B], [C, A], [B, C]]);
  });

  it('over 12 cases and 4 raters gives every rater 6 cases and every one of the 6 pairs 2', () => {
    const { assigned } = assignEvenly({ ratersPerCase: 2, raters: [A, B, C, D], cases: emptyCases(12), secondRaterNotAtInterviews: false });
    expect(loadsAndPairs(assigned)).toEqual({
      loads: { 1: 6, 2: 6, 3: 6, 4: 6 },
      pairs: { '1-2': 2, '1-3': 2, '1-4': 2, '2-3': 2, '2-4': 2, '3-4': 2 },
    });
  });

  it('with 3 raters per case out of 4, balances loads (3 of 4 cases each) and pairs (2 each)', () => {
    const { assigned } = assignEvenly({ ratersPerCase: 3, raters: [A, B, C, D], cases: emptyCases(4), secondRaterNotAtInterviews: false });
    const { loads, pairs } = loadsAndPairs(assigned);
    expect(loads).toEqual({ 1: 3, 2: 3, 3: 3, 4: 3 });
    expect(Object.values(pairs)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('keeps the raters a case has and counts them towards loads and pairs', () => {
    const cases: EvenCase[] = [
      { id: 1, fixed: [A, B], attendees: new Set() },
      { id: 2, fixed: [A, B], attendees: new Set() },
      { id: 3, fixed: [], attendees: new Set() },
      { id: 4, fixed: [C], attendees: new Set() },
    ];
    const { assigned } = assignEvenly({ ratersPerCase: 2, raters: [A, B, C], cases, secondRaterNotAtInterviews: false });
    expect(assigned.has(1)).toBe(false);
    expect(assigned.has(2)).toBe(false);
    // A and B have 2 cases each, C none: case 3 gets C and (tie in load and pairs) A; case 4 keeps C first and gets B.
    expect(assigned.get(3)).toEqual([C, A]);
    expect(assigned.get(4)).toEqual([C, B]);
  });

  it('with the interview rule, puts an attendee first and never later', () => {
    // A attended every case: A may only be first rater.
    const { assigned } = assignEvenly({ ratersPerCase: 2, raters: [A, B, C], cases: emptyCases(6, () => [A]), secondRaterNotAtInterviews: true });
    for (const list of assigned.values()) expect(list.indexOf(A)).not.toBeGreaterThan(0);
    expect(loadsAndPairs(assigned).loads).toEqual({ 1: 4, 2: 4, 3: 4 });
  });

  it('never adds an attendee to a case that already has a first rater, and reports cases it cannot fill', () => {
    const cases: EvenCase[] = [
      { id: 1, fixed: [B], attendees: new Set([A, C]) },
      { id: 2, fixed: [], attendees: new Set([A, B]) },
    ];
    const { assigned, unfilled } = assignEvenly({ ratersPerCase: 2, raters: [A, B, C], cases, secondRaterNotAtInterviews: true });
    expect(unfilled).toEqual([1]);
    // Two attendees cannot both rate case 2: one of them first, C second.
    expect(assigned.get(2)![1]).toBe(C);
  });

  it('is deterministic', () => {
    const input = { ratersPerCase: 2, raters: [A, B, C, D], cases: emptyCases(9, (i) => (i % 2 ? [B] : [])), secondRaterNotAtInterviews: true };
    expect([...assignEvenly(input).assigned]).toEqual([...assignEvenly(input).assigned]);
  });
});

describe('assignment.rules checkAssignment', () => {
  const base: RaterCheck = {
    chosen: [A, B], ratersPerCase: 2, eligible: new Set([A, B, C]), attendees: new Set(),
    secondRaterNotAtInterviews: false, current: [], withRatings: new Set(),
  };
  const check = (over: Partial<RaterCheck>) => checkAssignment({ ...base, ...over });

  it('accepts exactly ratersPerCase distinct eligible raters, in the chosen order', () => {
    expect(check({ chosen: [B, A] })).toEqual({ raters: [B, A] });
  });
  it('accepts none (clearing) when nobody has ratings', () => {
    expect(check({ chosen: [null, null], current: [A, B] })).toEqual({ raters: [] });
  });
  it('refuses too few, a gap and too many', () => {
    expect(check({ chosen: [A, null] })).toEqual({ problem: 'count' });
    expect(check({ chosen: [null, A] })).toEqual({ problem: 'count' });
    expect(check({ chosen: [A, B, C] })).toEqual({ problem: 'count' });
  });
  it('refuses the same rater twice', () => {
    expect(check({ chosen: [A, A] })).toEqual({ problem: 'duplicate', userId: A });
  });
  it('refuses a rater who is not a researcher or lead of the study', () => {
    expect(check({ chosen: [A, D] })).toEqual({ problem: 'notEligible', userId: D });
  });
  it('with the interview rule, refuses an attendee as second rater and accepts them as first', () => {
    const rule = { secondRaterNotAtInterviews: true, attendees: new Set([A]) };
    expect(check({ ...rule, chosen: [B, A] })).toEqual({ problem: 'attended', userId: A, position: 2 });
    expect(check({ ...rule, chosen: [A, B] })).toEqual({ raters: [A, B] });
    expect(check({ chosen: [B, A], attendees: new Set([A]) })).toEqual({ raters: [B, A] });
  });
  it('refuses to remove a rater who has ratings, but lets them change position', () => {
    expect(check({ chosen: [A, C], current: [A, B], withRatings: new Set([B]) })).toEqual({ problem: 'hasRatings', userId: B });
    expect(check({ chosen: [null, null], current: [A, B], withRatings: new Set([A]) })).toEqual({ problem: 'hasRatings', userId: A });
    expect(check({ chosen: [B, A], current: [A, B], withRatings: new Set([A, B]) })).toEqual({ raters: [B, A] });
  });
});
