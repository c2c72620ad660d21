// Anonymisation replaces whole names and aliases, longest first, in any letter case, and the leak
// check finds what is left.
import { describe, expect, it } from 'vitest';
import { anonymiser, findLeaks, replacementsOf } from '../../../server/anonymise/anonymise.rules.ts';

const cases = [
  { name: 'Den Haag', aliases: ["'s-Gravenhage"], pseudonym: 'Gemeente 2' },
  { name: 'Den Haag Zuid', aliases: [], pseudonym: 'Gemeente 3' },
  { name: 'Ede', aliases: ['E'], pseudonym: 'Gemeente 1' },
  { name: 'Dordrecht', aliases: ['Dordt'], pseudonym: 'Gemeente 4' },
];

describe('anonymiser', () => {
  const replace = anonymiser(replacementsOf(cases));

  it('replaces names and aliases in any letter case, longer names first', () => {
    expect(replace('In DEN HAAG Zuid en den haag, en in Dordt (Dordrecht).')).toBe('In Gemeente 3 en Gemeente 2, en in Gemeente 4 (Gemeente 4).');
    expect(replace("De gemeente 's-Gravenhage")).toBe('De gemeente Gemeente 2');
  });

  it('leaves names inside longer words and one-letter aliases alone', () => {
    expect(replace('Ederveen ligt bij Ede. E is geen naam.')).toBe('Ederveen ligt bij Gemeente 1. E is geen naam.');
  });

  it('the leak check lists every remaining name with its context', () => {
    const leaks = findLeaks('Rapport over Dordt en over Ede.', replacementsOf(cases));
    expect(leaks.map((l) => l.text)).toEqual(['Dordt', 'Ede']);
    expect(leaks[0]!.context).toContain('Rapport over Dordt');
    expect(findLeaks(replace('Rapport over Dordt en over Ede.'), replacementsOf(cases))).toEqual([]);
  });
});
