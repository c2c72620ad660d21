// Anonymisation (PRODUCT.md step 10, report 000 E.3): every real case name, alias and key is replaced
// by the case's pseudonym (a key by the pseudonymous key), in every text an anonymised report or
// export writes, and every key made of a case key (interviews, documents) by one made of the
// pseudonymous key. Pure functions: the replacements of a study, replacing them in a text, finding
// what is left (the leak check), assigning pseudonyms in random order (the random source is passed
// in; cryptoRandom by default), and the rule that a pseudonym must not give a case away.
// Names are found by anonymise.matcher.ts (a cached trie, linear in the text, whatever the aliases;
// letter case and accents ignored).
import { randomInt } from 'node:crypto';
import type { MessageKey, Params } from '../lib/i18n.ts';
import { escapeRegExp } from '../lib/escape.ts';
import { foldName, nameMatcher, wholeWordsAround } from './anonymise.matcher.ts';

export interface CaseNames {
  /** The case's key: looked for too (keys are often made of the name: "sw-fryslan", "oost"), and replaced by `pseudonymKey`. */
  key?: string;
  name: string;
  aliases: readonly string[];
  pseudonym: string;
  pseudonymKey?: string;
}

export interface Replacement {
  /** The real name, alias or key as written. */
  text: string;
  /** What replaces it: the case's pseudonym (for a key: its pseudonymous key). */
  pseudonym: string;
  /** Which of the case's texts it is, and the case's key (when known). */
  kind: 'name' | 'alias' | 'key';
  of?: string;
}

/**
 * Whether a case key is worth looking for in texts: it has a letter and two characters at least. A key
 * of digits only ("12") names no case and would replace every such number in every text.
 */
const searchableKey = (key: string) => key.length >= 2 && /\p{L}/u.test(key);

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
 * Every name and alias with its pseudonym, and every case key (with a letter) with its pseudonymous
 * key, longest first, so that "Den Haag Zuid" is replaced before "Den Haag". Texts that fold alike
 * (letter case, accents, separators) are one; names and aliases come before keys, so a key that is
 * the name written as a key ("den-haag") becomes the pseudonym. Empty and one-character texts are
 * left out (they would replace parts of words). `more`: other keys to replace (anonymisation's source keys).
 */
export function replacementsOf(cases: readonly CaseNames[], more: readonly Replacement[] = []): Replacement[] {
  const seen = new Set<string>();
  const out: (Replacement & { folded: number })[] = [];
  const add = (raw: string, pseudonym: string, kind: Replacement['kind'], of: string | undefined) => {
    const text = raw.trim();
    if (text.length < 2) return;
    const folded = foldName(text);
    if (folded.length < 2 || seen.has(folded)) return;
    seen.add(folded);
    out.push({ text, pseudonym, kind, ...(of === undefined ? {} : { of }), folded: folded.length });
  };
  for (const c of cases) {
    add(c.name, c.pseudonym, 'name', c.key);
    for (const alias of c.aliases) add(alias, c.pseudonym, 'alias', c.key);
  }
  for (const c of cases) if (c.key !== undefined && searchableKey(c.key)) add(c.key, c.pseudonymKey ?? c.pseudonym, 'key', c.key);
  for (const r of more) add(r.text, r.pseudonym, r.kind, r.of);
  // Stable: among texts of one length, names before keys and in case order.
  return out.sort((a, b) => b.folded - a.folded).map(({ folded: _folded, ...r }) => r);
}

/**
 * A function that replaces every real name, alias and key in a text by its pseudonym: whole words only
 * (a name inside a longer word, such as "Ede" in "Ederveen", is not a name), in any letter case, with
 * or without accents ("Sudwest-Fryslan" for Súdwest-Fryslân), with Unicode letters and digits as word
 * characters, and any run of spaces, dashes or underscores where the name has one ("den-haag" in a
 * file name). Where names overlap, the longer one ("Den Haag Zuid").
 */
export function anonymiser(replacements: readonly Replacement[]): (text: string) => string {
  if (replacements.length === 0) return (text) => text;
  const matcher = nameMatcher(replacements);
  return (text) => matcher.replace(text);
}

/** Where a real name, alias or key still occurs as a word: each hit with its text and some context. */
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

/** A test a generated pseudonym must pass (pseudonymAllowed): by default every one passes. */
export type Allowed = (pseudonym: string) => boolean;
const anyPseudonym: Allowed = () => true;

/**
 * The lowest `count` numbers n ≥ 1 that are not `taken` and whose "<word> n" is allowed. A word that
 * gives no case away rules out at most one number per name, alias or key ("Gemeente 3" as a name, "3"
 * as an alias); the search stops after that many, so a word that is itself a name (every number ruled
 * out) is an error, not a loop. Callers check the word first (wordProblem).
 */
function freeNumbers(count: number, word: string, taken: ReadonlySet<number>, allowed: Allowed): number[] {
  const out: number[] = [];
  const last = count + taken.size + MAX_STUDY_ALIASES + 10_000;
  for (let n = 1; out.length < count; n++) {
    if (n > last) throw new Error(`no pseudonyms of "${word}" are allowed`);
    if (!taken.has(n) && allowed(`${word} ${n}`)) out.push(n);
  }
  return out;
}

/** "<word> 1" … "<word> n" in a random order (numbers a name rules out skipped): the i-th case gets the i-th pseudonym. */
export function numberedPseudonyms(count: number, word: string, random: RandomInt, allowed: Allowed = anyPseudonym): string[] {
  return shuffled(freeNumbers(count, word, new Set(), allowed), random).map((n) => `${word} ${n}`);
}

/**
 * Pseudonyms for cases that have none (null), keeping the ones they have: the missing ones take the
 * lowest numbers no case uses yet (and no name rules out), in a random order. With no pseudonym at all
 * this is a random permutation of 1…n.
 */
export function fillPseudonyms(stored: readonly (string | null)[], word: string, random: RandomInt, allowed: Allowed = anyPseudonym): string[] {
  const taken = new Set(stored.flatMap((p) => (p === null ? [] : [pseudonymNumber(p, word)])).filter((n): n is number => n !== null));
  const order = shuffled(freeNumbers(stored.filter((p) => p === null).length, word, taken, allowed), random);
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

// ───────────────────────────── Pseudonyms that give a case away ─────────────────────────────

/** What a case is known by, and its pseudonym (null: none stored yet). */
export interface CaseIdentity {
  key: string;
  name: string;
  aliases: readonly string[];
  pseudonym: string | null;
}

/**
 * A pseudonym that gives a case away: it is, or holds as a word, a real name, alias or key of a case of
 * the study (itself included), compared as anonymisation compares names (letter case, accents and
 * separators ignored). "Oost", "oost" or "Gemeente Oost" for a study with a case Oost; "Súdwest
 * Fryslan" for Súdwest-Fryslân. Anonymised outputs would print it, and the leak check find it.
 */
export interface PseudonymClash {
  /** The case whose pseudonym it is. */
  key: string;
  pseudonym: string;
  /** The name, alias or key found in it, as written; which of these it is; and its case. */
  term: string;
  kind: Replacement['kind'];
  of: string;
}

const termsOf = (cases: readonly CaseIdentity[]) => replacementsOf(cases.map((c) => ({ ...c, pseudonym: '' })));

/** Every pseudonym of the cases that gives a case away, each with the name it holds (case order). */
export function pseudonymClashes(cases: readonly CaseIdentity[]): PseudonymClash[] {
  const terms = termsOf(cases);
  if (terms.length === 0) return [];
  const matcher = nameMatcher(terms);
  return cases.flatMap((c) =>
    c.pseudonym === null ? [] : matcher.words(c.pseudonym).map((m) => ({ key: c.key, pseudonym: c.pseudonym!, term: terms[m.index]!.text, kind: terms[m.index]!.kind, of: terms[m.index]!.of! })),
  );
}

/**
 * The clashes a change brings (in `after`, not in `before`): a change may leave a clash that was there
 * (from before the rule) alone, but not add one. Compared by case, pseudonym and the name it holds.
 */
export function newPseudonymClashes(before: readonly CaseIdentity[], after: readonly CaseIdentity[]): PseudonymClash[] {
  const id = (c: PseudonymClash) => JSON.stringify([c.key, foldName(c.pseudonym), foldName(c.term), c.of]);
  const old = new Set(pseudonymClashes(before).map(id));
  return pseudonymClashes(after).filter((c) => !old.has(id(c)));
}

/** The first name, alias or key of the cases that `text` holds as a word, else null. */
function heldTerm(cases: readonly CaseIdentity[]): (text: string) => Replacement | null {
  const terms = termsOf(cases);
  if (terms.length === 0) return () => null;
  const matcher = nameMatcher(terms);
  return (text) => {
    const [m] = matcher.words(text);
    return m ? terms[m.index]! : null;
  };
}

/** The test generated pseudonyms must pass: they hold no name, alias or key of the cases. */
export function pseudonymAllowed(cases: readonly CaseIdentity[]): Allowed {
  const held = heldTerm(cases);
  return (pseudonym) => held(pseudonym) === null;
}

/**
 * Why pseudonyms made of `word` would give a case away (the word holds a name, alias or key: "Gemeente"
 * in a study with a case Gemeente), else null. Every number would be ruled out.
 */
export function wordProblem(word: string, cases: readonly CaseIdentity[]): { key: MessageKey; params: Params } | null {
  const term = heldTerm(cases)(word);
  return term ? { key: 'anonymise.wordGivesAway', params: { word, term: term.text, case: term.of ?? '' } } : null;
}

/** The message for a clash, on the field whose change brought it: the pseudonym's, or the name's, alias's or key's. */
export function clashMessage(clash: PseudonymClash, on: 'pseudonym' | 'term'): { key: MessageKey; params: Params } {
  const params = { pseudonym: clash.pseudonym, term: clash.term, case: on === 'pseudonym' ? clash.of : clash.key };
  return { key: on === 'pseudonym' ? 'anonymise.pseudonymGivesAway' : 'anonymise.nameInPseudonym', params };
}

// ───────────────────────────── One study's anonymisation ─────────────────────────────

export interface AnonymisedCase {
  key: string;
  name: string;
  aliases: readonly string[];
  pseudonym: string;
  /** The pseudonymous key that replaces `key` in every anonymised output. */
  pseudonymKey: string;
}

/** An interview or a document: a source of evidence, whose key is often made of its case's key ("oost-1"). */
export interface SourceRef {
  key: string;
  caseKey: string;
  kind: 'interview' | 'document';
}

/** Everything an anonymised output needs: built once per export from the study's cases, sources and members. */
export interface Anonymisation {
  cases: readonly AnonymisedCase[];
  replacements: readonly Replacement[];
  /** Any text: an email address that contains a name becomes member-N@example.invalid, then names, aliases and keys become pseudonyms. */
  text(value: string): string;
  /** A case key → its pseudonymous key; anything else goes through text(). */
  caseKey(key: string): string;
  /** An interview's or document's key → the key the anonymised outputs give it (sourceKeys), the same in every part of one. */
  sourceKey(key: string): string;
}

/** The longest key the study file takes (studyfile.schema.ts). */
const MAX_KEY = 100;

/**
 * The keys of the sources in anonymised outputs, each made of its case's pseudonymous key, so that no
 * real key is left in one (not even as part of "oost-doc-2"): an interview keyed "<case key>-<n>" (as
 * Kader makes them) becomes "<pseudonymous key>-<n>", so that "oost-3" written in a note (made
 * "gemeente-4-3" by the text replacement of the key) still names the same interview; other
 * interviews become "<pseudonymous key>-i<m>" and documents "<pseudonymous key>-d<m>", numbered per
 * case in the natural order of their keys. Unique whatever the pseudonyms; a source of no known case
 * becomes "source-<m>".
 */
export function sourceKeys(sources: readonly SourceRef[], cases: readonly AnonymisedCase[]): (key: string) => string {
  const pseudonymKeyOf = new Map(cases.map((c) => [c.key, c.pseudonymKey]));
  const out = new Map<string, string>();
  const used = new Set<string>();
  const counters = new Map<string, number>();
  const next = (counter: string) => {
    const n = (counters.get(counter) ?? 0) + 1;
    counters.set(counter, n);
    return n;
  };
  const claim = (key: string, wanted: string) => {
    const base = wanted.length <= MAX_KEY ? wanted : `source-${next('\u0000')}`;
    let mapped = base;
    for (let i = 2; used.has(mapped); i++) mapped = `${base.slice(0, MAX_KEY - 12)}-x${i}`;
    used.add(mapped);
    out.set(key, mapped);
    return mapped;
  };
  const sorted = [...sources].sort((x, y) => naturalCompare(x.key, y.key));
  // Kader's own interview keys first, so that they keep their numbers whatever else a case has.
  const numbered = (s: SourceRef) => s.kind === 'interview' && pseudonymKeyOf.has(s.caseKey) ? new RegExp(`^${escapeRegExp(s.caseKey)}-(\\d{1,9})$`).exec(s.key) : null;
  for (const s of sorted) {
    const m = numbered(s);
    if (m) claim(s.key, `${pseudonymKeyOf.get(s.caseKey)!}-${m[1]}`);
  }
  for (const s of sorted) {
    if (out.has(s.key)) continue;
    const base = pseudonymKeyOf.get(s.caseKey);
    claim(s.key, base === undefined ? `source-${next('\u0000')}` : `${base}-${s.kind === 'interview' ? 'i' : 'd'}${next(`${s.kind}\u0000${s.caseKey}`)}`);
  }
  // A key that is none of the sources given: a neutral key, the same one each time it is asked for.
  return (key) => out.get(key) ?? claim(key, `source-${next('\u0000')}`);
}

const EMAIL = /[^\s@<>()[\]"',;:|]+@[^\s@<>()[\]"',;:|]+\.[^\s@<>()[\]"',;:|]+/gu;

/**
 * `emails`: the study's member addresses in a stable order, so that an address numbered
 * member-3@example.invalid is the same one in every export of the study. `sources`: the study's
 * interviews and documents (sourceKeys).
 */
export function anonymisation(cases: readonly AnonymisedCase[], emails: readonly string[] = [], sources: readonly SourceRef[] = []): Anonymisation {
  const sourceKey = sourceKeys(sources, cases);
  // A source key made of a case key, written in a text ("see oost-doc-2"), becomes the source's new
  // key there too ("gemeente-4-d1"), not just "gemeente-4-doc-2": references in texts still resolve.
  const byCaseKey = anonymiser(replacementsOf(cases));
  const sourceTerms = sources.filter((s) => byCaseKey(s.key) !== s.key).map((s): Replacement => ({ text: s.key, pseudonym: sourceKey(s.key), kind: 'key', of: s.caseKey }));
  const replacements = replacementsOf(cases, sourceTerms);
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
  return {
    cases,
    replacements,
    text,
    caseKey: (key) => byKey.get(key) ?? text(key),
    sourceKey,
  };
}

// ───────────────────────────── The leak check ─────────────────────────────

export interface Suspect {
  /** What was found: a name, alias or key as written, or the whole word it is part of ("Dordrechtse"). */
  text: string;
  /** The case's name, alias or key it stems from. */
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
 * What the leak check lists in one text: every name, alias or key still there as a word, and every
 * word that contains one of at least PART_MIN_LENGTH letters ("Dordrechtse", "Amstelveners",
 * "oostplan.pdf"), which whole-word anonymising leaves alone; in any letter case, accents or not.
 * Adding such a word as an alias makes it go away.
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
