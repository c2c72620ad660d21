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
  newPseudonymClashes,
  numberedPseudonyms,
  pseudonymAllowed,
  pseudonymClashes,
  pseudonymNumber,
  pseudonymousKeys,
  replacementsOf,
  shuffled,
  sourceKeys,
  studyAliasesProblem,
  textsOf,
  wordProblem,
  type RandomInt,
} from '../../../server/anonymise/anonymise.rules.ts';
import { foldName, matcherBuilds } from '../../../server/anonymise/anonymise.matcher.ts';

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
    [
      { key: 'dordrecht-1', caseKey: 'dordrecht', kind: 'interview' },
      { key: 'i1', caseKey: 'ede', kind: 'interview' },
      { key: 'd7', caseKey: 'dordrecht', kind: 'document' },
    ],
  );

  it('maps case keys, source keys and texts; addresses that name a case are numbered in the members’ order', () => {
    expect(a.caseKey('dordrecht')).toBe('gemeente-4');
    expect(a.caseKey('Ede')).toBe('Gemeente 1');
    expect(a.sourceKey('dordrecht-1')).toBe('gemeente-4-1');
    expect(a.sourceKey('i1')).toBe('gemeente-1-i1');
    expect(a.sourceKey('d7')).toBe('gemeente-4-d1');
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

describe('names with and without their accents', () => {
  const frisian = [
    { key: 'swf', name: 'Súdwest-Fryslân', aliases: [], pseudonym: 'Gemeente 2', pseudonymKey: 'gemeente-2' },
    { key: 'ijs', name: 'IJsselstein', aliases: ['Straße', 'Tromsø'], pseudonym: 'Gemeente 5', pseudonymKey: 'gemeente-5' },
  ];
  const replace = anonymiser(replacementsOf(frisian));

  it('replaces a name in any letter case, with or without its accents, with spaces, dashes or underscores', () => {
    expect(replace('Sudwest-Fryslan, SÚDWEST-FRYSLÂN, sudwest fryslan, SUDWEST_FRYSLAN en Súdwest-Fryslân.')).toBe(
      'Gemeente 2, Gemeente 2, Gemeente 2, Gemeente 2 en Gemeente 2.',
    );
  });

  it('keeps the text around a match intact when accents are written as combining marks (NFD: other lengths)', () => {
    // "Café" and the name with U+0301 and U+0302 as separate characters, before and inside the match.
    const text = 'Cafe\u0301 in Su\u0301dwest-Frysla\u0302n, daarna Sudwest-Fryslan\u0301 en Fryslân.';
    expect(replace(text)).toBe('Cafe\u0301 in Gemeente 2, daarna Gemeente 2 en Fryslân.');
    expect(replace(text.normalize('NFC'))).toBe('Café in Gemeente 2, daarna Gemeente 2 en Fryslân.');
  });

  it('compares letters without a decomposition as they are commonly written plainly (ĳ and ij, ß and ss, ø and o)', () => {
    expect(replace('Ĳsselstein, ijsselstein, Strasse, STRASSE, Tromso.')).toBe('Gemeente 5, Gemeente 5, Gemeente 5, Gemeente 5, Gemeente 5.');
  });

  it('leaves a name inside a longer word, which the leak check then finds, accents or not', () => {
    const names = replacementsOf(frisian);
    expect(replace('De Súdwest-Fryslânske aanpak')).toBe('De Súdwest-Fryslânske aanpak');
    expect(findSuspects('De SUDWEST-FRYSLANSKE aanpak en Sudwest Fryslan.', names).map((s) => [s.text, s.name, s.kind])).toEqual([
      ['SUDWEST-FRYSLANSKE', 'Súdwest-Fryslân', 'part'],
      ['Sudwest Fryslan', 'Súdwest-Fryslân', 'word'],
    ]);
    // A combining mark belongs to its letter: the word around a match takes it in.
    expect(findSuspects('Su\u0301dwest-Fryslânske\u0301', names).map((s) => s.text)).toEqual(['Su\u0301dwest-Fryslânske\u0301']);
  });

  it('folds names the one way for comparing them (dedupe, pseudonym rule)', () => {
    expect(foldName('  Súdwest--Fryslân ')).toBe('sudwest fryslan');
    expect(foldName('Ĳssel_STRASSE')).toBe(foldName('ijssel straße'));
    expect(replacementsOf([{ name: 'Súdwest-Fryslân', aliases: ['sudwest fryslan', 'SUDWEST-FRYSLAN'], pseudonym: 'G' }])).toHaveLength(1);
  });
});

describe('case keys in texts', () => {
  const a = anonymisation(
    [
      { key: 'oost', name: 'Oost-Groningen', aliases: [], pseudonym: 'Gemeente 4', pseudonymKey: 'gemeente-4' },
      { key: 'den-haag', name: 'Den Haag', aliases: [], pseudonym: 'Gemeente 1', pseudonymKey: 'gemeente-1' },
      { key: '12', name: 'Zwolle', aliases: [], pseudonym: 'Gemeente 2', pseudonymKey: 'gemeente-2' },
    ],
    [],
  );

  it('are replaced by the pseudonymous key, also in keys, addresses and file names made of them', () => {
    expect(a.text('Zie oost-1 en /studies/3/cases/oost/report; bestand OOST_plan.pdf.')).toBe('Zie gemeente-4-1 en /studies/3/cases/gemeente-4/report; bestand gemeente-4_plan.pdf.');
  });

  it('a key that is the name written as a key takes the pseudonym; a key of digits only names nothing and stays', () => {
    expect(a.text('den-haag en Den Haag; 12 dossiers')).toBe('Gemeente 1 en Gemeente 1; 12 dossiers');
    expect(a.replacements.map((r) => [r.text, r.kind])).toContainEqual(['oost', 'key']);
    expect(a.replacements.some((r) => r.text === '12')).toBe(false);
  });

  it('the leak check finds a key inside a longer word or key', () => {
    expect(findSuspects('bestand oostplan.pdf, sleutel oost-doc-2', a.replacements).map((s) => [s.text, s.kind])).toEqual([
      ['oostplan', 'part'],
      ['oost', 'word'],
    ]);
  });
});

describe('sourceKeys', () => {
  const cases = [
    { key: 'oost', name: 'Oost', aliases: [], pseudonym: 'Gemeente 4', pseudonymKey: 'gemeente-4' },
    { key: 'west', name: 'West', aliases: [], pseudonym: 'Gemeente 1', pseudonymKey: 'gemeente-1' },
  ];

  it('makes every interview and document key of the pseudonymous case key: Kader’s "<case>-<n>" keep n, others are numbered per case', () => {
    const key = sourceKeys(
      [
        { key: 'oost-2', caseKey: 'oost', kind: 'interview' },
        { key: 'oost-1', caseKey: 'oost', kind: 'interview' },
        { key: 'oost-doc-2', caseKey: 'oost', kind: 'document' },
        { key: 'd10', caseKey: 'oost', kind: 'document' },
        { key: 'd9', caseKey: 'west', kind: 'document' },
        { key: 'gesprek-wethouder-oost', caseKey: 'oost', kind: 'interview' },
      ],
      cases,
    );
    expect(['oost-1', 'oost-2', 'gesprek-wethouder-oost', 'd10', 'oost-doc-2', 'd9'].map(key)).toEqual([
      'gemeente-4-1', 'gemeente-4-2', 'gemeente-4-i1', 'gemeente-4-d1', 'gemeente-4-d2', 'gemeente-1-d1',
    ]);
    // A key that is no source of the study gets a neutral one, the same each time.
    expect(key('elders')).toBe(key('elders'));
    expect(key('elders')).toMatch(/^source-\d+$/);
  });

  it('a source key made of a case key, written in a text, becomes the source’s new key there too', () => {
    const a = anonymisation(cases, [], [
      { key: 'oost-doc-2', caseKey: 'oost', kind: 'document' },
      { key: 'oost-3', caseKey: 'oost', kind: 'interview' },
      { key: 'd4', caseKey: 'west', kind: 'document' },
    ]);
    // "oost-7" is no source: its "oost" is the case's name (and key), which becomes the pseudonym.
    expect(a.text('Zie oost-doc-2, OOST-3 en d4; oost-7 bestaat niet.')).toBe('Zie gemeente-4-d1, gemeente-4-3 en d4; Gemeente 4-7 bestaat niet.');
    expect(a.sourceKey('oost-doc-2')).toBe('gemeente-4-d1');
  });

  it('never gives two sources one key, whatever the pseudonyms', () => {
    const odd = [
      { key: 'a', name: 'A a', aliases: [], pseudonym: 'G 3', pseudonymKey: 'g-3' },
      { key: 'b', name: 'B b', aliases: [], pseudonym: 'G 3 1', pseudonymKey: 'g-3-1' },
    ];
    const key = sourceKeys([{ key: 'a-1', caseKey: 'a', kind: 'interview' }, { key: 'x', caseKey: 'b', kind: 'interview' }, { key: 'a-01', caseKey: 'a', kind: 'interview' }], odd);
    const keys = ['a-1', 'a-01', 'x'].map(key);
    expect(new Set(keys).size).toBe(3);
  });
});

describe('pseudonyms that give a case away', () => {
  const study = [
    { key: 'oost', name: 'Oost-Groningen', aliases: ['Oostelijk'], pseudonym: 'Gemeente 1' },
    { key: 'swf', name: 'Súdwest-Fryslân', aliases: [], pseudonym: 'Gemeente 2' },
  ];

  it('are pseudonyms that are, or hold as a word, a name, alias or key of any case, compared as names are', () => {
    const clashes = pseudonymClashes([
      ...study,
      { key: 'a', name: 'Aa', aliases: [], pseudonym: 'sudwest fryslan' },
      { key: 'b', name: 'Bb', aliases: [], pseudonym: 'Regio OOSTELIJK 3' },
      { key: 'c', name: 'Cc', aliases: [], pseudonym: 'Oost' },
      { key: 'd', name: 'Dd', aliases: [], pseudonym: 'Gemeente 3' },
      { key: 'e', name: 'Gemeente 9', aliases: [], pseudonym: null },
      { key: 'f', name: 'Ff', aliases: [], pseudonym: 'Gemeente 9' },
      { key: 'g', name: 'Gg', aliases: [], pseudonym: 'gg' },
    ]);
    expect(clashes.map((c) => [c.key, c.term, c.kind, c.of])).toEqual([
      ['a', 'Súdwest-Fryslân', 'name', 'swf'],
      ['b', 'Oostelijk', 'alias', 'oost'],
      ['c', 'oost', 'key', 'oost'],
      ['f', 'Gemeente 9', 'name', 'e'],
      // A case's own name as its pseudonym gives it away just as well.
      ['g', 'Gg', 'name', 'g'],
    ]);
  });

  it('a change is judged by the clashes it brings, not by those that were there', () => {
    const before = [...study, { key: 'x', name: 'Xx', aliases: [], pseudonym: 'Oost-Groningen 1' }];
    expect(newPseudonymClashes(before, before)).toEqual([]);
    const after = before.map((c) => (c.key === 'swf' ? { ...c, pseudonym: 'Gemeente Oostelijk' } : c));
    expect(newPseudonymClashes(before, after).map((c) => [c.key, c.term])).toEqual([['swf', 'Oostelijk']]);
  });

  it('generated pseudonyms skip the numbers a name rules out', () => {
    const named = [{ key: 'a', name: 'Gemeente 2', aliases: ['gemeente-3'], pseudonym: null }];
    const inOrder: RandomInt = (n) => n - 1;
    expect(numberedPseudonyms(3, 'Gemeente', inOrder, pseudonymAllowed(named))).toEqual(['Gemeente 1', 'Gemeente 4', 'Gemeente 5']);
    expect(fillPseudonyms([null, 'Gemeente 1', null], 'Gemeente', inOrder, pseudonymAllowed(named))).toEqual(['Gemeente 4', 'Gemeente 1', 'Gemeente 5']);
  });

  it('a word that is itself a name would rule out every number: that is a problem, not a loop', () => {
    const named = [{ key: 'a', name: 'Gemeente', aliases: [], pseudonym: null }];
    expect(wordProblem('Gemeente', named)).toEqual({ key: 'anonymise.wordGivesAway', params: { word: 'Gemeente', term: 'Gemeente', case: 'a' } });
    expect(wordProblem('Stad', named)).toBeNull();
    expect(() => numberedPseudonyms(2, 'Gemeente', () => 0, pseudonymAllowed(named))).toThrow();
  });
});
