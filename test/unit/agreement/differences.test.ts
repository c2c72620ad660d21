// The distribution of score differences, checked on small sets of units worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { differenceCounts, type RatedUnit } from '../../../server/agreement/agreement.rules.ts';

const SCALE = { min: 1, max: 5 };
const unit = (id: string, scores: Record<string, number | null>): RatedUnit => ({ id, scores });

describe('agreement.rules differenceCounts', () => {
  it('counts the pairs of two raters by how many points they are apart, 0 … max − min', () => {
    // Differences: |3−3| = 0, |2−4| = 2, |5−1| = 4, |4−3| = 1 → one pair each at 0, 1, 2 and 4.
    const units = [unit('u1', { a: 3, b: 3 }), unit('u2', { a: 2, b: 4 }), unit('u3', { a: 5, b: 1 }), unit('u4', { a: 4, b: 3 })];
    expect(differenceCounts(units, SCALE)).toEqual([1, 1, 1, 0, 1]);
  });

  it('leaves out cannot judge and units with fewer than two scores, and pairs every two raters of a unit', () => {
    // u1: a = 2, b = 3, c = 5 → pairs (2,3) = 1, (2,5) = 3, (3,5) = 2. u2: one score left after cannot judge → no pair.
    // u3: every score cannot judge → no pair. u4: a = 4, c = 4 (b cannot judge) → one pair at 0.
    const units = [
      unit('u1', { a: 2, b: 3, c: 5 }),
      unit('u2', { a: 1, b: null }),
      unit('u3', { a: null, b: null }),
      unit('u4', { a: 4, b: null, c: 4 }),
    ];
    expect(differenceCounts(units, SCALE)).toEqual([1, 1, 1, 1, 0]);
  });

  it('has one zero count per possible difference when there is nothing to pair, on any scale', () => {
    expect(differenceCounts([], { min: 0, max: 3 })).toEqual([0, 0, 0, 0]);
    expect(differenceCounts([unit('u1', { a: 7 })], { min: 1, max: 7 })).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses a score outside the scale', () => {
    expect(() => differenceCounts([unit('u1', { a: 6, b: 1 })], SCALE)).toThrow(RangeError);
  });
});
