// Anonymisation replaces whole names and aliases, longest first, in any letter case, and the leak
// check finds what is left.
import { describe, expect, it } from 'vitest';
import {
  anonymisation,
  anonymiser,
  fillPseudonyms,
  findLeaks,
  findSuspects,
  keyOf,
  numberedPseudonyms,
  pseudonymNumber,
  pseudonymousKeys,
  replacementsOf,
  shuffled,
  textsOf,
  type RandomInt,
} from '../../../server/anonymise/anonymise.rules.ts';

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

describe('anonymiser separators', () => {
  it('treats spaces, dashes and underscores between the words of a name alike', () => {
    const replace = anonymiser(replacementsOf(cases));
    expect(replace('den-haag-beleidsplan.pdf, Den_Haag en DEN  HAAG')).toBe('Gemeente 2-beleidsplan.pdf, Gemeente 2 en Gemeente 2');
  });
});

describe('pseudonyms', () => {
  const first: RandomInt = () => 0;
  const inOrder: RandomInt = (n) => n - 1;

  it('shuffle with an injected source; numbered pseudonyms are a permutation of 1…n', () => {
    expect(numberedPseudonyms(4, 'Gemeente', inOrder)).toEqual(['Gemeente 1', 'Gemeente 2', 'Gemeente 3', 'Gemeente 4']);
    expect(numberedPseudonyms(4, 'Gemeente', first)).toEqual(['Gemeente 2', 'Gemeente 3', 'Gemeente 4', 'Gemeente 1']);
    expect(shuffled([], first)).toEqual([]);
  });

  it('fills missing pseudonyms with the free numbers and keeps the others', () => {
    expect(fillPseudonyms(['Gemeente 2', null, 'Eigen', null], 'Gemeente', inOrder)).toEqual(['Gemeente 2', 'Gemeente 1', 'Eigen', 'Gemeente 3']);
    expect(fillPseudonyms([null, null], 'School', first)).toEqual(['School 2', 'School 1']);
  });

  it('reads the number of a pseudonym made of the word, in any letter case', () => {
    expect(pseudonymNumber('gemeente 12', 'Gemeente')).toBe(12);
    expect(pseudonymNumber('Gemeente twaalf', 'Gemeente')).toBeNull();
    expect(pseudonymNumber('Stad 3', 'Gemeente')).toBeNull();
  });

  it('makes unique keys of pseudonyms', () => {
    expect(pseudonymousKeys(['Gemeente 7', 'gemeente-7', 'Ézé 1', '???', 'New'])).toEqual(['gemeente-7', 'gemeente-7-2', 'eze-1', 'case', 'new-case']);
    expect(keyOf('Gemeente 10')).toBe('gemeente-10');
  });
});

describe('one study’s anonymisation', () => {
  const a = anonymisation(
    [
      { key: 'dordrecht', name: 'Dordrecht', aliases: ['Dordt'], pseudonym: 'Gemeente 4', pseudonymKey: 'gemeente-4' },
      { key: 'ede', name: 'Ede', aliases: [], pseudonym: 'Gemeente 1', pseudonymKey: 'gemeente-1' },
    ],
    ['a@example.org', 'jan@dordrecht.nl', 'piet@ede.nl'],
  );

  it('maps case keys, other keys and texts; addresses that name a case are numbered in the members’ order', () => {
    expect(a.caseKey('dordrecht')).toBe('gemeente-4');
    expect(a.caseKey('Ede')).toBe('Gemeente 1');
    expect(a.otherKey('dordrecht-1')).toBe('gemeente-4-1');
    expect(a.otherKey('i1')).toBe('i1');
    expect(a.text('Mail piet@ede.nl of jan@dordrecht.nl, niet a@example.org, over Dordt.')).toBe(
      'Mail member-2@example.invalid of member-1@example.invalid, niet a@example.org, over Gemeente 4.',
    );
  });
});

describe('findSuspects', () => {
  const replacements = replacementsOf(cases);

  it('finds names as words and inside longer words, not short names inside words', () => {
    const found = findSuspects('De Dordrechtse aanpak en Ede; mede in Ederveen. Over den-haag.', replacements);
    expect(found.map((s) => [s.text, s.name, s.kind])).toEqual([
      ['Dordrechtse', 'Dordrecht', 'part'],
      ['Ede', 'Ede', 'word'],
      ['den-haag', 'Den Haag', 'word'],
    ]);
    expect(found[0]!.context).toContain('De Dordrechtse aanpak');
    expect(findSuspects('Niets te zien.', replacements)).toEqual([]);
  });

  it('lists every string of a JSON value with its path', () => {
    expect(textsOf({ a: [{ b: 'x' }], n: 1, r: { Dordt: 2 } })).toEqual([
      { path: 'a (key)', text: 'a' },
      { path: 'a[0].b (key)', text: 'b' },
      { path: 'a[0].b', text: 'x' },
      { path: 'n (key)', text: 'n' },
      { path: 'r (key)', text: 'r' },
      { path: 'r.Dordt (key)', text: 'Dordt' },
    ]);
  });
});
