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
  MAX_STUDY_ALIAS_CHARS,
  MAX_STUDY_ALIASES,
  numberedPseudonyms,
  pseudonymNumber,
  pseudonymousKeys,
  replacementsOf,
  shuffled,
  studyAliasesProblem,
  textsOf,
  type RandomInt,
} from '../../../server/anonymise/anonymise.rules.ts';
import { matcherBuilds } from '../../../server/anonymise/anonymise.matcher.ts';

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

  it('widens a name inside a word to the whole word, also over letters outside the BMP (two UTF-16 units each)', () => {
    // U+10437 and U+1D400 are letters (\p{L}) written as surrogate pairs.
    const found = findSuspects('Bij \u{10437}Dordrecht\u{1D400}\u{1D400} en x', replacements);
    expect(found.map((s) => [s.text, s.name, s.kind])).toEqual([['\u{10437}Dordrecht\u{1D400}\u{1D400}', 'Dordrecht', 'part']]);
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

describe('aliases per study', () => {
  const lists = (count: number, length = 5) => [Array.from({ length: count }, (_, i) => `${i}`.padStart(length, 'x'))];

  it(`refuses more than ${MAX_STUDY_ALIASES} aliases or ${MAX_STUDY_ALIAS_CHARS} characters in all, unless the change makes it no worse`, () => {
    expect(studyAliasesProblem([], lists(MAX_STUDY_ALIASES))).toBeNull();
    expect(studyAliasesProblem([], lists(MAX_STUDY_ALIASES + 1))).toEqual({ key: 'anonymise.tooManyStudyAliases', params: { max: MAX_STUDY_ALIASES, count: MAX_STUDY_ALIASES + 1 } });
    expect(studyAliasesProblem([], lists(400, 300))).toEqual({ key: 'anonymise.studyAliasesTooLong', params: { max: MAX_STUDY_ALIAS_CHARS, count: 120_000 } });
    // A study over a limit (from before it existed) may come down step by step.
    expect(studyAliasesProblem(lists(MAX_STUDY_ALIASES + 10), lists(MAX_STUDY_ALIASES + 5))).toBeNull();
    expect(studyAliasesProblem(lists(MAX_STUDY_ALIASES + 10), lists(MAX_STUDY_ALIASES + 11))).not.toBeNull();
  });
});

describe('finding names', () => {
  it('builds the matcher of a set of names once: a repeated request with the same names reuses it, a changed alias does not', () => {
    const names = () => replacementsOf([{ name: 'Zutphen', aliases: ['Zutfe'], pseudonym: 'Gemeente 9' }]);
    const before = matcherBuilds();
    expect(anonymiser(names())('In Zutphen en Zutfe.')).toBe('In Gemeente 9 en Gemeente 9.');
    expect(anonymiser(names())('Zutfe')).toBe('Gemeente 9');
    expect(findSuspects('Zutphense', names())).toHaveLength(1);
    expect(matcherBuilds()).toBe(before + 1);
    const changed = replacementsOf([{ name: 'Zutphen', aliases: ['Zutfen'], pseudonym: 'Gemeente 9' }]);
    expect(anonymiser(changed)('Zutfe en Zutfen.')).toBe('Zutfe en Gemeente 9.');
    expect(matcherBuilds()).toBe(before + 2);
  });

  it('takes alias text literally: pattern characters are only characters', () => {
    const hostile = replacementsOf([{ name: 'Stad', aliases: ['(a+)+$', '.*.*=.*', '[\\s_-]+x', 'a|b', '(?<=q)z', '\\d{2}'], pseudonym: 'P' }]);
    expect(anonymiser(hostile)('aaaa (a+)+$ en .*.*=.* en a|b, ab, qz, (?<=q)z, 12, \\d{2}.')).toBe('aaaa P en P en P, ab, qz, P, 12, P.');
  });

  it('stays fast with thousands of long aliases that share their beginning, on a text made to match them almost', () => {
    // A regular expression of these (one alternative per alias) is too large for V8 to compile at all.
    const prefix = 'a '.repeat(140);
    const cases = Array.from({ length: 40 }, (_, i) => ({ name: `Plaats ${i}`, pseudonym: `P${i}`, aliases: Array.from({ length: 50 }, (_, j) => `${prefix}b${i}x${j}`) }));
    const replacements = replacementsOf(cases);
    const text = `${'a '.repeat(10_000)}${prefix}b7x3 en Plaats 12.`;
    const started = performance.now();
    const out = anonymiser(replacements)(text);
    const suspects = findSuspects(text, replacements);
    expect(out.endsWith('a P7 en P12.')).toBe(true);
    expect(suspects.map((s) => s.name)).toEqual([`${prefix}b7x3`.trim(), 'Plaats 12']);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('compares letters as case-insensitive Unicode matching does (ſ and s, Kelvin sign and k)', () => {
    const replace = anonymiser(replacementsOf([{ name: 'Kessel', aliases: [], pseudonym: 'G1' }]));
    expect(replace('KESSEL, keſſel en \u212Aessel; Kesselse niet.')).toBe('G1, G1 en G1; Kesselse niet.');
  });
});
