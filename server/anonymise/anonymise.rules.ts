// Anonymisation (PRODUCT.md step 10, report 000 E.3): every real case name and alias is replaced by
// the case's pseudonym, in every text an anonymised report or export writes. Pure functions: the
// replacements of a study, replacing them in a text, finding what is left (the leak check), and
// assigning pseudonyms in random order (the random source is passed in; cryptoRandom by default).
// Names are found by anonymise.matcher.ts (a cached trie, linear in the text, whatever the aliases).
import { randomInt } from 'node:crypto';
import type { MessageKey, Params } from '../lib/i18n.ts';
import { escapeRegExp } from '../lib/escape.ts';
import { nameMatcher, wholeWordsAround } from './anonymise.matcher.ts';

export interface CaseNames {
  name: string;
  aliases: readonly string[];
  pseudonym: string;
}

export interface Replacement {
  /** The real name or alias as written. */
  text: string;
  pseudonym: string;
}


/** Spaces, dashes and underscores between the words of a name are interchangeable: "Den Haag", "den-haag", "den_haag". */
const SEPARATORS = /[\s_-]+/gu;
const normalName = (text: string) => text.toLocaleLowerCase().replace(SEPARATORS, ' ');

// ───────────────────────────── Aliases per study ─────────────────────────────

/**
 * At most this many aliases across all cases of a study (besides at most MAX_ALIASES of at most
 * ALIAS_MAX characters per case, cases.schemas.ts), and at most this many characters of them: every
 * anonymised output and the leak check look for all of them.
 */
export const MAX_STUDY_ALIASES = 2_000;
export const MAX_STUDY_ALIAS_CHARS = 100_000;

/**
 * Why a study's aliases would be too many after a change (the aliases of each case before and after),
 * else null. A change that does not add to an excess is allowed, so that a study over the limit (from
 * before it existed) can be brought under it step by step.
 */
export function studyAliasesProblem(
  before: readonly (readonly string[])[],
  after: readonly (readonly string[])[],
): { key: MessageKey; params: Params } | null {
  const count = (lists: readonly (readonly string[])[]) => lists.reduce((sum, list) => sum + list.length, 0);
  const chars = (lists: readonly (readonly string[])[]) => lists.reduce((sum, list) => sum + list.reduce((s, a) => s + a.length, 0), 0);
  const n = count(after);
  if (n > MAX_STUDY_ALIASES && n > count(before)) return { key: 'anonymise.tooManyStudyAliases', params: { max: MAX_STUDY_ALIASES, count: n } };
  const c = chars(after);
  if (c > MAX_STUDY_ALIAS_CHARS && c > chars(before)) return { key: 'anonymise.studyAliasesTooLong', params: { max: MAX_STUDY_ALIAS_CHARS, count: c } };
  return null;
}

/**
 * Every name and alias with its pseudonym, longest first, so that "Den Haag Zuid" is replaced before
 * "Den Haag". Empty and one-character texts are left out (they would replace parts of words).
 */
export function replacementsOf(cases: readonly CaseNames[]): Replacement[] {
  const seen = new Set<string>();
  const out: Replacement[] = [];
  for (const c of cases) {
    for (const text of [c.name, ...c.aliases].map((t) => t.trim())) {
      if (text.length < 2) continue;
      const normal = normalName(text);
      if (seen.has(normal)) continue;
      seen.add(normal);
      out.push({ text, pseudonym: c.pseudonym });
    }
  }
  return out.sort((a, b) => b.text.length - a.text.length);
}

/**
 * A function that replaces every real name and alias in a text by its pseudonym: whole words only (a
 * name inside a longer word, such as "Ede" in "Ederveen", is not a name), in any letter case, with
 * Unicode letters and digits as word characters, and any run of spaces, dashes or underscores where
 * the name has one ("den-haag" in a file name). Where names overlap, the longer one ("Den Haag Zuid").
 */
export function anonymiser(replacements: readonly Replacement[]): (text: string) => string {
  if (replacements.length === 0) return (text) => text;
  const matcher = nameMatcher(replacements);
  return (text) => matcher.replace(text);
}

/** Where a real name or alias still occurs as a word: each hit with its text and some context, for the leak check. */
export function findLeaks(text: string, replacements: readonly Replacement[]): { text: string; context: string }[] {
  if (replacements.length === 0) return [];
  return nameMatcher(replacements)
    .words(text)
    .map((m) => ({ text: text.slice(m.start, m.end), context: text.slice(Math.max(0, m.start - 40), m.end + 40) }));
}

// ───────────────────────────── Pseudonyms ─────────────────────────────

/** A random integer in [0, maxExclusive). Services use node:crypto's randomInt; tests inject a seeded one. */
export type RandomInt = (maxExclusive: number) => number;
export const cryptoRandom: RandomInt = (maxExclusive) => randomInt(maxExclusive);

/** The items in a random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: RandomInt): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The number of a pseudonym made of `word` ("Gemeente 7" → 7, whatever the letter case), else null. */
export function pseudonymNumber(pseudonym: string, word: string): number | null {
  const m = new RegExp(`^${escapeRegExp(word.trim())}\\s+(\\d{1,6})$`, 'iu').exec(pseudonym.trim());
  return m ? Number(m[1]) : null;
}

/** "<word> 1" … "<word> n" in a random order: the i-th case gets the i-th pseudonym. */
export function numberedPseudonyms(count: number, word: string, random: RandomInt): string[] {
  return shuffled(Array.from({ length: count }, (_, i) => i + 1), random).map((n) => `${word} ${n}`);
}

/**
 * Pseudonyms for cases that have none (null), keeping the ones they have: the missing ones take the
 * lowest numbers no case uses yet, in a random order. With no pseudonym at all this is a random
 * permutation of 1…n.
 */
export function fillPseudonyms(stored: readonly (string | null)[], word: string, random: RandomInt): string[] {
  const taken = new Set(stored.flatMap((p) => (p === null ? [] : [pseudonymNumber(p, word)])).filter((n): n is number => n !== null));
  const free: number[] = [];
  const missing = stored.filter((p) => p === null).length;
  for (let n = 1; free.length < missing; n++) if (!taken.has(n)) free.push(n);
  const order = shuffled(free, random);
  let next = 0;
  return stored.map((p) => p ?? `${word} ${order[next++]}`);
}

/** The identity of an order: whether the i-th of `after` equals the i-th of `before` for every i. */
export const sameAssignment = (before: readonly (string | null)[], after: readonly string[]) => before.every((p, i) => p === after[i]);

const RESERVED_KEYS = new Set(['new', 'measures', 'attributes']);

/** A key made of a text: "Gemeente 7" → "gemeente-7" (letters without accents, digits and dashes). */
export function keyOf(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90);
  if (slug === '') return 'case';
  return RESERVED_KEYS.has(slug) ? `${slug}-case` : slug;
}

/** Pseudonymous keys for pseudonyms, unique: a second "gemeente-7" becomes "gemeente-7-2". */
export function pseudonymousKeys(pseudonyms: readonly string[]): string[] {
  const used = new Set<string>();
  return pseudonyms.map((p) => {
    const base = keyOf(p);
    let key = base;
    for (let i = 2; used.has(key); i++) key = `${base}-${i}`;
    used.add(key);
    return key;
  });
}

/** Natural order of pseudonyms or their keys: "gemeente-2" before "gemeente-10". */
export const naturalCompare = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);

// ───────────────────────────── One study's anonymisation ─────────────────────────────

export interface AnonymisedCase {
  key: string;
  name: string;
  aliases: readonly string[];
  pseudonym: string;
  /** The pseudonymous key that replaces `key` in every anonymised output. */
  pseudonymKey: string;
}

/** Everything an anonymised output needs: built once per export from the study's cases and members. */
export interface Anonymisation {
  cases: readonly AnonymisedCase[];
  replacements: readonly Replacement[];
  /** Any text: an email address that contains a name becomes member-N@example.invalid, then names and aliases become pseudonyms. */
  text(value: string): string;
  /** A case key → its pseudonymous key; anything else goes through text(). */
  caseKey(key: string): string;
  /** Another key (an interview's, a document's): unchanged unless it contains a name, then a key made of its anonymised text. */
  otherKey(key: string): string;
}

const EMAIL = /[^\s@<>()[\]"',;:|]+@[^\s@<>()[\]"',;:|]+\.[^\s@<>()[\]"',;:|]+/gu;

/**
 * `emails`: the study's member addresses in a stable order, so that an address numbered
 * member-3@example.invalid is the same one in every export of the study.
 */
export function anonymisation(cases: readonly AnonymisedCase[], emails: readonly string[] = []): Anonymisation {
  const replacements = replacementsOf(cases);
  const names = anonymiser(replacements);
  const byKey = new Map(cases.map((c) => [c.key, c.pseudonymKey]));
  const emailMap = new Map<string, string>();
  const mapEmail = (email: string) => {
    const lower = email.toLowerCase();
    let mapped = emailMap.get(lower);
    if (mapped === undefined) {
      mapped = names(email) === email ? email : `member-${emailMap.size + 1}@example.invalid`;
      emailMap.set(lower, mapped);
    }
    return mapped;
  };
  // Numbers follow the members' order, whichever address an export meets first.
  for (const e of emails) if (names(e) !== e) mapEmail(e);
  const text = (value: string) => names(value.replace(EMAIL, mapEmail));
  const otherKeys = new Map<string, string>();
  return {
    cases,
    replacements,
    text,
    caseKey: (key) => byKey.get(key) ?? text(key),
    otherKey(key) {
      let mapped = otherKeys.get(key);
      if (mapped === undefined) {
        const anonymised = text(key);
        mapped = anonymised === key ? key : keyOf(anonymised);
        otherKeys.set(key, mapped);
      }
      return mapped;
    },
  };
}

// ───────────────────────────── The leak check ─────────────────────────────

export interface Suspect {
  /** What was found: a name or alias as written, or the whole word a name is part of ("Dordrechtse"). */
  text: string;
  /** The case's name or alias it stems from. */
  name: string;
  /** 'word': the name as a word (the anonymiser missed this text); 'part': inside a longer word. */
  kind: 'word' | 'part';
  context: string;
}

/** Names shorter than this are not looked for inside words: "Ede" is in "mede", "Oss" in "Grossen". */
export const PART_MIN_LENGTH = 4;

const contextOf = (text: string, start: number, end: number) =>
  `${start > 40 ? '…' : ''}${text.slice(Math.max(0, start - 40), end + 40)}${end + 40 < text.length ? '…' : ''}`;

/**
 * What the leak check lists in one text: every name or alias still there as a word, and every word
 * that contains a name of at least PART_MIN_LENGTH letters ("Dordrechtse", "Amstelveners"), which
 * whole-word anonymising leaves alone. Adding such a word as an alias makes it go away.
 */
export function findSuspects(text: string, replacements: readonly Replacement[]): Suspect[] {
  if (replacements.length === 0 || text === '') return [];
  const matches = nameMatcher(replacements).anywhere(text);
  if (matches.length === 0) return [];
  // Names in the list's order (longest first), each name's matches left to right. A match inside a
  // word or words listed before is not listed again. `covered` answers "is there a listed span that
  // starts at or before `at` and ends at or after `end`" in logarithmic time (a Fenwick tree of the
  // largest end by start), so that a text with many findings is not quadratic.
  const covered = new Int32Array(text.length + 2).fill(-1);
  const coveredTo = (at: number) => {
    let best = -1;
    for (let i = at + 1; i > 0; i -= i & -i) best = Math.max(best, covered[i]!);
    return best;
  };
  const cover = (start: number, stop: number) => {
    for (let i = start + 1; i < covered.length; i += i & -i) covered[i] = Math.max(covered[i]!, stop);
  };
  const out: (Suspect & { at: number })[] = [];
  for (const m of matches) {
    const name = replacements[m.index]!.text;
    if (coveredTo(m.start) >= m.end) continue;
    const [start, stop] = wholeWordsAround(text, m.start, m.end);
    const whole = start === m.start && stop === m.end;
    if (!whole && name.length < PART_MIN_LENGTH) continue;
    cover(start, stop);
    out.push({ at: start, text: text.slice(start, stop), name, kind: whole ? 'word' : 'part', context: contextOf(text, start, stop) });
  }
  // In the order of the text.
  return out.sort((x, y) => x.at - y.at).map(({ at: _at, ...suspect }) => suspect);
}

/** Every string in a JSON value with its path ("interviews[2].notes"), object keys included. */
export function textsOf(value: unknown, path = ''): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => textsOf(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const at = path ? `${path}.${k}` : k;
      return [{ path: `${at} (key)`, text: k }, ...textsOf(v, at)];
    });
  }
  return [];
}
