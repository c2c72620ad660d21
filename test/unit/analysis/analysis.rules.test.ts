// The analysis rules of PRODUCT.md ("Rules that must be exact"), each against small cases worked out
// by hand in the comments.
import { describe, expect, it } from 'vitest';
import {
  absoluteClass,
  averageRanks,
  distinguishingPower,
  dropsCondition,
  favourability,
  mean,
  pearson,
  pseudonymWord,
  relativeClasses,
  sd,
  skipLevelChains,
  spearman,
  strength,
  strengthLabel,
  total,
  verdict,
  type Verdict,
} from '../../../server/analysis/analysis.rules.ts';

const ONE_TO_FIVE = { min: 1, max: 5 };
const rated = (polarity: 'higher-is-favourable' | 'lower-is-favourable') => ({ kind: 'rated' as const, polarity });
const measured = (polarity: 'higher-is-favourable' | 'lower-is-favourable') => ({ kind: 'measured' as const, polarity });

describe('analysis.rules favourability', () => {
  it('keeps a higher-is-favourable score and mirrors a lower-is-favourable one as min + max − score', () => {
    expect(favourability(4, rated('higher-is-favourable'), ONE_TO_FIVE)).toBe(4);
    // 1 + 5 − 4 = 2; 1 + 5 − 1 = 5
    expect(favourability(4, rated('lower-is-favourable'), ONE_TO_FIVE)).toBe(2);
    expect(favourability(1, rated('lower-is-favourable'), ONE_TO_FIVE)).toBe(5);
    // On 0–10: 0 + 10 − 3 = 7
    expect(favourability(3, rated('lower-is-favourable'), { min: 0, max: 10 })).toBe(7);
  });

  it('takes a measured value as it is or its negative', () => {
    expect(favourability(-3.5, measured('higher-is-favourable'), ONE_TO_FIVE)).toBe(-3.5);
    expect(favourability(12.5, measured('lower-is-favourable'), ONE_TO_FIVE)).toBe(-12.5);
  });
});

describe('analysis.rules averageRanks', () => {
  it('ranks ascending and gives tied values their average rank', () => {
    expect(averageRanks([3, 1, 2])).toEqual([3, 1, 2]);
    // 10 → 1; the two 20s take ranks 2 and 3 → 2.5 each; 30 → 4
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    // 1,1 → ranks 1,2 → 1.5; 2,2,2 → ranks 3,4,5 → 4
    expect(averageRanks([2, 1, 2, 1, 2])).toEqual([4, 1.5, 4, 1.5, 4]);
    expect(averageRanks([5, 5, 5])).toEqual([2, 2, 2]);
    expect(averageRanks([])).toEqual([]);
  });
});

describe('analysis.rules relativeClasses', () => {
  it('classes three distinct values low, medium, high', () => {
    // p = (1 − 0.5)/3 = 1/6 < 1/3 low; (2 − 0.5)/3 = 1/2 medium; (3 − 0.5)/3 = 5/6 > 2/3 high
    expect(relativeClasses([1, 2, 3])).toEqual(['low', 'medium', 'high']);
    expect(relativeClasses([30, 10, 20])).toEqual(['high', 'low', 'medium']);
  });

  it('gives ties their average rank', () => {
    // [2, 4, 4, 5]: ranks 1, 2.5, 2.5, 4; p = 0.5/4 = .125 low, 2/4 = .5 medium (twice), 3.5/4 = .875 high
    expect(relativeClasses([2, 4, 4, 5])).toEqual(['low', 'medium', 'medium', 'high']);
    // [1, 1, 2, 3, 3, 3], n = 6: ranks 1.5, 1.5, 3, 5, 5, 5;
    // p = 1/6 low (twice), 2.5/6 = .417 medium, 4.5/6 = .75 high (three times)
    expect(relativeClasses([1, 1, 2, 3, 3, 3])).toEqual(['low', 'low', 'medium', 'high', 'high', 'high']);
  });

  it('puts p exactly 1/3 or 2/3 in medium (the bounds are strict)', () => {
    // [1, 1, 2]: ranks 1.5, 1.5, 3; p = 1/3 (not < 1/3) medium twice, 2.5/3 = .833 high
    expect(relativeClasses([1, 1, 2])).toEqual(['medium', 'medium', 'high']);
    // [1, 2, 2]: ranks 1, 2.5, 2.5; p = 1/6 low, 2/3 (not > 2/3) medium twice
    expect(relativeClasses([1, 2, 2])).toEqual(['low', 'medium', 'medium']);
    // Six distinct: p = .083 .25 | .417 .583 | .75 .917
    expect(relativeClasses([1, 2, 3, 4, 5, 6])).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
  });

  it('makes every case medium when all values are equal, and one case medium too', () => {
    expect(relativeClasses([3, 3, 3, 3])).toEqual(['medium', 'medium', 'medium', 'medium']);
    expect(relativeClasses([4])).toEqual(['medium']);
    expect(relativeClasses([])).toEqual([]);
  });

  it('ranks favourability, so a lower-is-favourable condition turns the classes round', () => {
    // raw scores 1, 3, 5 with lower favourable: favourability 5, 3, 1 → high, medium, low
    const favs = [1, 3, 5].map((s) => favourability(s, rated('lower-is-favourable'), ONE_TO_FIVE));
    expect(favs).toEqual([5, 3, 1]);
    expect(relativeClasses(favs)).toEqual(['high', 'medium', 'low']);
  });
});

describe('analysis.rules absoluteClass', () => {
  it('on 1–5: 1–2 low, 3 medium, 4–5 high', () => {
    // t = (f − 1)/4: 0, .25 low; .5 medium; .75, 1 high
    expect([1, 2, 3, 4, 5].map((f) => absoluteClass(f, ONE_TO_FIVE))).toEqual(['low', 'low', 'medium', 'high', 'high']);
  });

  it('uses favourability: a lower-is-favourable 2 is a 4, high', () => {
    expect(absoluteClass(favourability(2, rated('lower-is-favourable'), ONE_TO_FIVE), ONE_TO_FIVE)).toBe('high');
  });

  it('on 0–10: t = f/10, so 3 low, 4 and 6 medium, 7 high', () => {
    expect([3, 4, 6, 7].map((f) => absoluteClass(f, { min: 0, max: 10 }))).toEqual(['low', 'medium', 'medium', 'high']);
  });
});

describe('analysis.rules verdict', () => {
  it('equal applies, one step possibly, low vs high unlikely, missing unknown', () => {
    expect(verdict('low', 'low')).toBe('applies');
    expect(verdict('high', 'high')).toBe('applies');
    expect(verdict('medium', 'medium')).toBe('applies');
    expect(verdict('low', 'medium')).toBe('possibly');
    expect(verdict('high', 'medium')).toBe('possibly');
    expect(verdict('low', 'high')).toBe('unlikely');
    expect(verdict('high', 'low')).toBe('unlikely');
    expect(verdict(null, 'low')).toBe('unknown');
    expect(verdict('high', undefined)).toBe('unknown');
  });
});

describe('analysis.rules strength', () => {
  const s = (...v: Verdict[]) => strength(v);
  it('is (applies + ½ possibly) / relations with a verdict other than unknown', () => {
    // (1 + 0.5) / 3 = 0.5 (the unknown does not count) → fair, since 0.5 is not < 0.5
    expect(s('applies', 'possibly', 'unlikely', 'unknown')).toBe(0.5);
    expect(strengthLabel(0.5)).toBe('fair');
    // (1 + 0.5) / 2 = 0.75 → good (not < 0.75)
    expect(s('applies', 'possibly')).toBe(0.75);
    expect(strengthLabel(0.75)).toBe('good');
    // 1 / 4 = 0.25 → limited (not < 0.25)
    expect(s('applies', 'unlikely', 'unlikely', 'unlikely')).toBe(0.25);
    expect(strengthLabel(0.25)).toBe('limited');
    // 0.5 / 3 = 0.1667 → hardly
    expect(s('possibly', 'unlikely', 'unlikely')).toBeCloseTo(1 / 6, 12);
    expect(strengthLabel(1 / 6)).toBe('hardly');
    // 1 / 3 → limited; 2 / 3 → fair; 1 → good; 0 → hardly
    expect(strengthLabel(s('applies', 'unlikely', 'unlikely'))).toBe('limited');
    expect(strengthLabel(s('applies', 'applies', 'unlikely'))).toBe('fair');
    expect(strengthLabel(s('applies'))).toBe('good');
    expect(strengthLabel(s('unlikely'))).toBe('hardly');
  });

  it('is null, without a label, when no verdict other than unknown exists', () => {
    expect(s('unknown', 'unknown')).toBeNull();
    expect(s()).toBeNull();
    expect(strengthLabel(null)).toBeNull();
  });
});

describe('analysis.rules distinguishingPower', () => {
  it('none when all equal, limited when max − min = 1, else yes', () => {
    expect(distinguishingPower([3, 3, 3])).toBe('none');
    expect(distinguishingPower([3, 4, 4, 3])).toBe('limited');
    expect(distinguishingPower([1, 3])).toBe('yes');
    expect(distinguishingPower([])).toBeNull();
  });

  it('is the same on raw scores and on favourability (the spread does not change)', () => {
    const raw = [2, 3, 3];
    const favs = raw.map((x) => favourability(x, rated('lower-is-favourable'), ONE_TO_FIVE)); // 4, 3, 3
    expect(distinguishingPower(raw)).toBe('limited');
    expect(distinguishingPower(favs)).toBe('limited');
  });

  it('treats a spread up to 1 of non-integer values (grouping means) as limited', () => {
    expect(distinguishingPower([3.5, 4])).toBe('limited');
    expect(distinguishingPower([2, 3.5])).toBe('yes');
  });
});

describe('analysis.rules mean, sd and total', () => {
  it('sd uses n − 1', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sqrt(32/7) = 2.13809
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.13809, 5);
    expect(sd([3, 3])).toBe(0);
    expect(sd([5])).toBeNull();
    expect(mean([])).toBeNull();
  });

  it('total is the sum and the mean of favourability, with n', () => {
    // A case rated H = 4 (higher), P = 4 (lower → 2), W = 5 (higher): 4 + 2 + 5 = 11, mean 11/3
    const favs = [favourability(4, rated('higher-is-favourable'), ONE_TO_FIVE), favourability(4, rated('lower-is-favourable'), ONE_TO_FIVE), 5];
    expect(total(favs)).toEqual({ sum: 11, mean: 11 / 3, n: 3 });
    expect(total([])).toEqual({ sum: 0, mean: null, n: 0 });
  });
});

describe('analysis.rules pearson and spearman', () => {
  it('pearson on five pairs', () => {
    // x 1..5 (mean 3), y 2,4,5,4,5 (mean 4): dx −2,−1,0,1,2; dy −2,0,1,0,1
    // Sxy = 4 + 0 + 0 + 0 + 2 = 6; Sxx = 10; Syy = 4 + 0 + 1 + 0 + 1 = 6; r = 6 / sqrt(60) = 0.774597
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(6 / Math.sqrt(60), 12);
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.774597, 6);
  });

  it('spearman uses average ranks for ties', () => {
    // y 2,4,5,4,5 ranks 1, 2.5, 4.5, 2.5, 4.5 (mean 3): dy −2, −.5, 1.5, −.5, 1.5; x ranks 1..5, dx −2..2
    // Sxy = 4 + .5 + 0 − .5 + 3 = 7; Sxx = 10; Syy = 4 + .25 + 2.25 + .25 + 2.25 = 9; ρ = 7 / sqrt(90) = 0.737865
    expect(spearman([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(7 / Math.sqrt(90), 12);
    // Without ties the textbook formula 1 − 6Σd²/(n(n² − 1)) agrees: x 1,2,3,4 vs y 20,30,40,10:
    // ranks of y 2,3,4,1; d = −1,−1,−1,3; Σd² = 12; ρ = 1 − 72/60 = −0.2
    expect(spearman([1, 2, 3, 4], [20, 30, 40, 10])).toBeCloseTo(-0.2, 12);
    // A monotone but not linear relation: ρ = 1, r < 1
    expect(spearman([1, 2, 3, 4], [1, 10, 100, 1000])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [1, 10, 100, 1000])!).toBeLessThan(0.9);
  });

  it('is null for fewer than three pairs or a variable that does not vary', () => {
    expect(pearson([1, 2], [3, 4])).toBeNull();
    expect(spearman([1, 2], [3, 4])).toBeNull();
    expect(pearson([3, 3, 3], [1, 2, 3])).toBeNull();
    expect(spearman([1, 2, 3], [7, 7, 7])).toBeNull();
  });
});

describe('analysis.rules skipLevelChains', () => {
  it('links a level-2 condition to level 0 where a chain 2 → 1 → 0 exists, naming every level-1 step', () => {
    const conditions = [
      { code: '0', level: 0 },
      { code: '1.a', level: 1 },
      { code: '1.b', level: 1 },
      { code: '1.c', level: 1 },
      { code: '2.a', level: 2 },
      { code: '2.b', level: 2 },
      { code: '2.c', level: 2 },
      { code: '2.d', level: 2 },
      { code: '3.a', level: 3 },
    ];
    const relations = [
      { from: '2.a', to: '1.a' },
      { from: '2.a', to: '1.b' },
      { from: '1.a', to: '0' },
      { from: '1.b', to: '0' },
      { from: '2.b', to: '1.a' },
      { from: '2.b', to: '0' }, // also direct
      { from: '2.c', to: '0' }, // direct only: no chain
      { from: '2.d', to: '1.c' },
      { from: '1.c', to: '0', feedback: true }, // feedback relations never form a chain
      { from: '3.a', to: '2.a' }, // other levels do not take part
      { from: '0', to: '2.a', feedback: true },
    ];
    expect(skipLevelChains(conditions, relations)).toEqual([
      { from: '2.a', to: '0', via: ['1.a', '1.b'], direct: false },
      { from: '2.b', to: '0', via: ['1.a'], direct: true },
    ]);
  });

  it('ignores relations whose conditions are not given (dropped ones)', () => {
    const chains = skipLevelChains([{ code: '0', level: 0 }, { code: '2.a', level: 2 }], [{ from: '2.a', to: '1.a' }, { from: '1.a', to: '0' }]);
    expect(chains).toEqual([]);
  });
});

describe('analysis.rules reductions and pseudonyms', () => {
  it('methods 1, 2 and 4 drop a condition; 3 (grouping) keeps it', () => {
    expect([1, 2, 3, 4].map((m) => dropsCondition(m as 1 | 2 | 3 | 4))).toEqual([true, true, false, true]);
  });

  it('pseudonyms use the study word, else Gemeente (nl) or Case (en)', () => {
    expect(pseudonymWord('', 'nl')).toBe('Gemeente');
    expect(pseudonymWord('  ', 'en')).toBe('Case');
    expect(pseudonymWord('School', 'nl')).toBe('School');
  });
});
