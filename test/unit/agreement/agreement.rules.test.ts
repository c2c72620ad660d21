// Agreement statistics checked against published examples and small cases worked out by hand in the comments.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  byRaterPair,
  cohenKappa,
  intraclassCorrelations,
  kappaWeight,
  krippendorffAlpha,
  percentAgreement,
  summarise,
  summariseBy,
  unitsFromRaterRows,
  type AlphaLevel,
  type IccKind,
  type KappaWeighting,
  type RatedUnit,
  type Score,
  type ScorePair,
} from '../../../server/agreement/agreement.rules.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURE = path.resolve(ROOT, '../shared/fixtures/agreement-fixtures.json');

interface Fixtures {
  krippendorff: { name: string; raters: Score[][]; alpha: Record<AlphaLevel, number> }[];
  cohen: { name: string; table: number[][]; kappa: Partial<Record<KappaWeighting, number>> }[];
  icc: { name: string; ratings: number[][]; icc: Record<IccKind, number> }[];
}
const fixtures = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Fixtures;

const SCALE = { min: 1, max: 5 };
const ALPHA_LEVELS: AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];
const WEIGHTINGS: KappaWeighting[] = ['unweighted', 'linear', 'quadratic'];

/** The fixtures give 6 decimals, so a correct value lies within 1e-6 of them. */
function expectWithin1e6(actual: number | null, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThan(1e-6);
}

describe('agreement.rules krippendorffAlpha', () => {
  for (const example of fixtures.krippendorff) {
    it(`reproduces ${example.name} at all four levels`, () => {
      const units = unitsFromRaterRows(example.raters);
      for (const level of ALPHA_LEVELS) expectWithin1e6(krippendorffAlpha(units, level).value, example.alpha[level]);
    });
  }

  it('counts only units with at least two values, and the pairs within them', () => {
    // Krippendorff 2011: unit 12 has a single value (3), so 11 of the 12 units can be paired. Units 2–9 have 4 values
    // (6 pairs each), units 1 and 10 have 3 (3 pairs each) and unit 11 has 2 (1 pair): 48 + 6 + 1 = 55 pairs.
    const result = krippendorffAlpha(unitsFromRaterRows(fixtures.krippendorff[0]!.raters), 'nominal');
    expect(result.units).toBe(11);
    expect(result.pairs).toBe(55);
  });

  it('does not depend on the order of the raters or of the units', () => {
    for (const example of fixtures.krippendorff) {
      const reference = unitsFromRaterRows(example.raters);
      const ratersReversed = unitsFromRaterRows([...example.raters].reverse());
      const ratersRotated = unitsFromRaterRows([...example.raters.slice(1), example.raters[0]!]);
      const unitsReversed = [...reference].reverse();
      const unitsInterleaved = [...reference.filter((_, i) => i % 2 === 1), ...reference.filter((_, i) => i % 2 === 0)];
      for (const level of ALPHA_LEVELS) {
        const expected = krippendorffAlpha(reference, level).value!;
        for (const variant of [ratersReversed, ratersRotated, unitsReversed, unitsInterleaved]) {
          expect(krippendorffAlpha(variant, level).value).toBeCloseTo(expected, 12);
        }
      }
    }
  });

  it('is undefined, not 0 or 1, when every value is the same', () => {
    for (const level of ALPHA_LEVELS) {
      expect(krippendorffAlpha([[3, 3], [3, null, 3], [3, 3, 3]], level)).toEqual({ value: null, reason: 'no-variation', units: 3, pairs: 5 });
    }
  });

  it('is undefined when no unit has two values', () => {
    for (const level of ALPHA_LEVELS) {
      expect(krippendorffAlpha([], level)).toEqual({ value: null, reason: 'no-pairable-units', units: 0, pairs: 0 });
      expect(krippendorffAlpha([[1, null], [null, 4], [null, null]], level)).toEqual({ value: null, reason: 'no-pairable-units', units: 0, pairs: 0 });
    }
  });

  it('unitsFromRaterRows turns rater rows into unit rows, short rows counting as missing', () => {
    expect(unitsFromRaterRows([[1, 2, 3], [4, null]])).toEqual([[1, 4], [2, null], [3, null]]);
    expect(unitsFromRaterRows([])).toEqual([]);
  });
});

describe('agreement.rules cohenKappa', () => {
  for (const example of fixtures.cohen) {
    it(`reproduces ${example.name}`, () => {
      const given = WEIGHTINGS.filter((w) => example.kappa[w] !== undefined);
      expect(given.length).toBeGreaterThan(0);
      for (const weighting of given) expectWithin1e6(cohenKappa({ table: example.table }, { weighting }).value, example.kappa[weighting]!);
    });
  }

  it('gives the same kappa from score pairs as from their table', () => {
    // The Wikipedia 2×2 table, rebuilt as 50 pairs with 1 = yes and 2 = no.
    const [[yy, yn], [ny, nn]] = fixtures.cohen[0]!.table as [[number, number], [number, number]];
    const pairs: ScorePair[] = [
      ...Array<ScorePair>(yy).fill([1, 1]),
      ...Array<ScorePair>(yn).fill([1, 2]),
      ...Array<ScorePair>(ny).fill([2, 1]),
      ...Array<ScorePair>(nn).fill([2, 2]),
      [null, 1], // cannot judge: left out
    ];
    const kappa = cohenKappa({ pairs, scale: { min: 1, max: 2 } });
    expect(kappa.pairs).toBe(50);
    expectWithin1e6(kappa.value, 0.4);
  });

  it('weights over the full scale: scores only in 2..4 on a 1–5 scale use k = 5', () => {
    // Rater A: 2 3 4 2 3 4. Rater B: 2 3 4 3 4 2. The scale is 1–5, so k = 5 and linear w = 1 − |i − j|/4.
    // p_o = (3·1 + 2·0.75 + 1·0.5)/6 = 5/6.
    // Both raters put 1/3 on each of 2, 3 and 4. Over the 9 cells of 2..4 the weights sum to 3·1 + 4·0.75 + 2·0.5 = 7,
    //   so p_e = 7/9.
    // κ_linear = (5/6 − 7/9)/(1 − 7/9) = (1/18)/(2/9) = 0.25.
    // With k = 3 the weights would be 1 − |i − j|/2, but the 1/(k − 1) factor cancels in κ. Scores in 2..4 have no gap,
    // so the value is also 0.25 with k = 3. What changes is the weight of each single pair, which must use k = 5:
    expect(kappaWeight(1, 3, 5, 'linear')).toBe(0.5); // scores 2 and 4 on the 1–5 scale
    expect(kappaWeight(1, 3, 5, 'quadratic')).toBe(0.75);
    expect(kappaWeight(2, 2, 5, 'linear')).toBe(1);
    expect(kappaWeight(0, 4, 5, 'linear')).toBe(0);
    const pairs: ScorePair[] = [[2, 2], [3, 3], [4, 4], [2, 3], [3, 4], [4, 2]];
    expectWithin1e6(cohenKappa({ pairs, scale: SCALE }, { weighting: 'linear' }).value, 0.25);
  });

  it('keeps the distances of the scale when the observed scores leave a gap (2, 3, 5 on 1–5)', () => {
    // Rater A: 2 3 5 3 5. Rater B: 2 3 5 5 3. k = 5 and linear w = 1 − |i − j|/4.
    // p_o = (3·1 + 2·(1 − 2/4))/5 = 0.8.
    // Both raters have marginals 2: 1/5, 3: 2/5, 5: 2/5. So p_e = 9/25 (diagonal) + 2·(2/25)·0.75 + 2·(2/25)·0.25
    //   + 2·(4/25)·0.5 = 17/25 = 0.68.
    // κ_linear = (0.8 − 0.68)/(1 − 0.68) = 0.375. Numbering only the observed categories 2, 3, 5 as 1, 2, 3 would give 0.5.
    const pairs: ScorePair[] = [[2, 2], [3, 3], [5, 5], [3, 5], [5, 3]];
    expectWithin1e6(cohenKappa({ pairs, scale: SCALE }, { weighting: 'linear' }).value, 0.375);
  });

  it('is undefined when the expected agreement is 1 (every score the same)', () => {
    for (const weighting of WEIGHTINGS) {
      expect(cohenKappa({ pairs: [[3, 3], [3, 3], [3, null]], scale: SCALE }, { weighting })).toEqual({ value: null, reason: 'no-variation', pairs: 2 });
    }
  });

  it('is undefined when there are no pairs', () => {
    for (const weighting of WEIGHTINGS) {
      expect(cohenKappa({ pairs: [], scale: SCALE }, { weighting })).toEqual({ value: null, reason: 'no-pairs', pairs: 0 });
      expect(cohenKappa({ pairs: [[null, 3], [2, null]], scale: SCALE }, { weighting })).toEqual({ value: null, reason: 'no-pairs', pairs: 0 });
      expect(cohenKappa({ table: [[0, 0], [0, 0]] }, { weighting })).toEqual({ value: null, reason: 'no-pairs', pairs: 0 });
    }
  });

  it('refuses scores outside the scale and tables that are not square', () => {
    expect(() => cohenKappa({ pairs: [[0, 3]], scale: SCALE })).toThrow(RangeError);
    expect(() => cohenKappa({ pairs: [[2.5, 3]], scale: SCALE })).toThrow(RangeError);
    expect(() => cohenKappa({ table: [[1, 2, 3], [4, 5, 6]] })).toThrow(RangeError);
  });
});

describe('agreement.rules percentAgreement', () => {
  it('counts rater pairs within units, three raters, a missing value skipped', () => {
    // u1 3 3 4: pairs (3,3) (3,4) (3,4). 1 exact, 3 within one point.
    // u2 2 – 5: pair (2,5). 0 exact, 0 within one point.
    // u3 1 1 1: 3 pairs, all exact.
    // u4 4 – –: a single value, so the unit cannot be paired.
    // 7 pairs in 3 units: exact = 4/7, within1 = 6/7.
    const result = percentAgreement([
      [3, 3, 4],
      [2, null, 5],
      [1, 1, 1],
      [4, null, null],
    ]);
    expect(result.units).toBe(3);
    expect(result.pairs).toBe(7);
    expect(result.exact).toBeCloseTo(4 / 7, 12);
    expect(result.within1).toBeCloseTo(6 / 7, 12);
    expect(result.reason).toBeUndefined();
  });

  it('is undefined when there are no pairs', () => {
    expect(percentAgreement([])).toEqual({ exact: null, within1: null, reason: 'no-pairs', units: 0, pairs: 0 });
    expect(percentAgreement([[5, null], [null, null]])).toEqual({ exact: null, within1: null, reason: 'no-pairs', units: 0, pairs: 0 });
  });
});

describe('agreement.rules intraclassCorrelations', () => {
  for (const example of fixtures.icc) {
    it(`reproduces ${example.name} to 4 decimals`, () => {
      const result = intraclassCorrelations(example.ratings);
      for (const kind of Object.keys(example.icc) as IccKind[]) {
        expect(Number(result[kind].value!.toFixed(4)), kind).toBe(example.icc[kind]);
      }
    });
  }

  it('is undefined with fewer than two targets or judges, or without variation', () => {
    expect(intraclassCorrelations([[1, 2, 3]]).ICC1).toEqual({ value: null, reason: 'too-few-ratings' });
    expect(intraclassCorrelations([[4, 4], [4, 4]]).ICC3).toEqual({ value: null, reason: 'no-variation' });
  });
});

describe('agreement.rules summarise', () => {
  // Two raters, a and b. u3 has only one score, so it is not a unit.
  // Pairs (3,3) (2,4) (1,2): exact = 1/3, within1 = 2/3.
  // The 6 pairable values have marginals n_1 = 1, n_2 = 2, n_3 = 2, n_4 = 1, and n = 6. Each unit has m = 2, so every
  // ordered pair has weight 1. The disagreeing pairs are (2,4) in u2 and (1,2) in u4.
  //   nominal:  observed Σ o δ² = 4; expected Σ n_c n_k δ² = 36 − (1 + 4 + 4 + 1) = 26. α = 1 − 5·4/26 = 3/13.
  //   interval: observed 2·4 + 2·1 = 10. expected = 2·(2·1 + 8 + 9 + 4 + 8 + 2) = 66 (unordered n_c·n_k·(c − k)² as
  //             1–2 2, 1–3 8, 1–4 9, 2–3 4, 2–4 8, 3–4 2). α = 1 − 5·10/66 = 8/33.
  //   ordinal:  δ(c,k) = Σ_{g=c..k} n_g − (n_c + n_k)/2, which gives 1–2 1.5, 1–3 3.5, 1–4 5, 2–3 2, 2–4 3.5, 3–4 1.5.
  //             observed 2·3.5² + 2·1.5² = 29. expected 2·(2·2.25 + 2·12.25 + 25 + 4·4 + 2·12.25 + 2·2.25) = 198.
  //             α = 1 − 5·29/198 = 53/198.
  const units: RatedUnit[] = [
    { id: 'u1', level: 2, case: 'x', scores: { a: 3, b: 3 } },
    { id: 'u2', level: 2, case: 'y', scores: { a: 2, b: 4 } },
    { id: 'u3', level: 1, case: 'x', scores: { a: 5, b: null } },
    { id: 'u4', level: 1, case: 'y', scores: { a: 1, b: 2 } },
  ];

  it('gives the cli.md shape with hand-worked numbers', () => {
    const summary = summarise(units, SCALE);
    expect(summary.units).toBe(3);
    expect(summary.exact).toBeCloseTo(1 / 3, 12);
    expect(summary.within1).toBeCloseTo(2 / 3, 12);
    expect(summary.alpha.nominal).toBeCloseTo(3 / 13, 12);
    expect(summary.alpha.ordinal).toBeCloseTo(53 / 198, 12);
    expect(summary.alpha.interval).toBeCloseTo(8 / 33, 12);
    expect(summary.reasons).toEqual({});
  });

  it('names the reason for every null', () => {
    expect(summarise([], SCALE)).toEqual({
      units: 0,
      exact: null,
      within1: null,
      alpha: { nominal: null, ordinal: null, interval: null },
      reasons: {
        exact: 'no-pairs',
        within1: 'no-pairs',
        alpha: { nominal: 'no-pairable-units', ordinal: 'no-pairable-units', interval: 'no-pairable-units' },
      },
    });
    expect(summarise([{ id: 'u', scores: { a: 4, b: 4, c: 4 } }], SCALE)).toEqual({
      units: 1,
      exact: 1,
      within1: 1,
      alpha: { nominal: null, ordinal: null, interval: null },
      reasons: { alpha: { nominal: 'no-variation', ordinal: 'no-variation', interval: 'no-variation' } },
    });
  });

  it('summariseBy groups by a key in order of first appearance', () => {
    const byLevel = summariseBy(units, SCALE, 'level');
    expect(byLevel.map((g) => [g.level, g.units, g.exact])).toEqual([
      [2, 2, 0.5],
      [1, 1, 0],
    ]);
    expect(summariseBy(units, SCALE, 'condition')).toEqual([]);
  });

  it('refuses a score outside the scale', () => {
    expect(() => summarise([{ id: 'u', scores: { a: 6, b: 1 } }], SCALE)).toThrow(/unit u, rater a/);
  });
});

describe('agreement.rules byRaterPair', () => {
  it('gives kappas per sorted pair of raters over the units they share', () => {
    // (a,b) share u1 (3,3), u2 (2,4) and u3 (1,2) on 1–5. a has 1/3 on each of 1, 2, 3. b has 1/3 on each of 2, 3, 4.
    //   unweighted: p_o = 1/3 and p_e = 2/9 (the shared 2 and 3). κ = (1/9)/(7/9) = 1/7.
    //   linear:     p_o = (1 + 0.5 + 0.75)/3 = 3/4. The |i − j| over the 3×3 cells sum to 11, so
    //               p_e = (9 − 11/4)/9 = 25/36, and κ = (27/36 − 25/36)/(11/36) = 2/11.
    //   quadratic:  p_o = (1 + 0.75 + 15/16)/3 = 129/144. The (i − j)² over the cells sum to 21, so
    //               p_e = (9 − 21/16)/9 = 123/144, and κ = 6/21 = 2/7.
    // (a,c) and (b,c) share only u1: one pair (3,4). p_e ≠ 1, so κ = 0 and is defined.
    // d only said cannot judge, so (a,d) and (b,d) have no pairs.
    const units: RatedUnit[] = [
      { id: 'u1', scores: { b: 3, a: 3, c: 4 } },
      { id: 'u2', scores: { a: 2, b: 4, c: null } },
      { id: 'u3', scores: { d: null, b: 2, a: 1 } },
    ];
    const pairs = byRaterPair(units, SCALE);
    expect(pairs.map((p) => p.raters)).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'd'],
      ['b', 'c'],
      ['b', 'd'],
    ]);

    const ab = pairs[0]!;
    expect(ab.units).toBe(3);
    expect(ab.exact).toBeCloseTo(1 / 3, 12);
    expect(ab.within1).toBeCloseTo(2 / 3, 12);
    expect(ab.kappa.unweighted).toBeCloseTo(1 / 7, 12);
    expect(ab.kappa.linear).toBeCloseTo(2 / 11, 12);
    expect(ab.kappa.quadratic).toBeCloseTo(2 / 7, 12);
    expect(ab.reasons).toEqual({});

    expect(pairs[1]).toMatchObject({ units: 1, exact: 0, within1: 1, kappa: { unweighted: 0, linear: 0, quadratic: 0 } });
    expect(pairs[2]).toEqual({
      raters: ['a', 'd'],
      units: 0,
      exact: null,
      within1: null,
      kappa: { unweighted: null, linear: null, quadratic: null },
      reasons: { exact: 'no-pairs', within1: 'no-pairs', kappa: { unweighted: 'no-pairs', linear: 'no-pairs', quadratic: 'no-pairs' } },
    });
  });
});
