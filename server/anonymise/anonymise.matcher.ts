// Finding a study's case names and aliases in a text in time linear in the text: one trie of every
// name (each character case-folded, each run of spaces, dashes and underscores one "separator" step),
// walked from each position. It replaces a regular expression with one alternative per name, which
// V8 compiles in time that grows with the square of its size (seconds for a few hundred long
// aliases, on every request) and refuses above about a megabyte. Alias text is data here, never
// pattern syntax: whatever the aliases, the work per position is bounded by the longest name.
//
// A trie is built once per set of names and kept in a small cache keyed by a hash of the names and
// their pseudonyms, so a repeated request finds it and a changed alias is simply another key.
import { createHash } from 'node:crypto';

/** A name or alias with the pseudonym that replaces it (anonymise.rules' Replacement). */
export interface NameEntry {
  text: string;
  pseudonym: string;
}

/** One place a name was found: `index` is the name's place in the list, [start, end) in UTF-16 units. */
export interface NameMatch {
  index: number;
  start: number;
  end: number;
}

// ───────────────────────────── Characters ─────────────────────────────

const OTHER = 1;
const WORD = 2; // \p{L} or \p{N}: the characters a name must not continue into (whole words)
const SEPARATOR = 3; // \s, _ or -: interchangeable between the words of a name

const isWordRe = /^[\p{L}\p{N}]$/u;
const isSeparatorRe = /^[\s_-]$/u;
const classify = (cp: number) => {
  const s = String.fromCodePoint(cp);
  return isWordRe.test(s) ? WORD : isSeparatorRe.test(s) ? SEPARATOR : OTHER;
};
/** Kinds of the Basic Multilingual Plane, filled as met (0 = not yet). */
const bmpKinds = new Uint8Array(0x10000);
function kindOf(cp: number): number {
  if (cp >= 0x10000) return classify(cp);
  let kind = bmpKinds[cp]!;
  if (kind === 0) bmpKinds[cp] = kind = classify(cp);
  return kind;
}

/** The code point of a one-code-point string, else -1. */
const single = (s: string) => {
  const cp = s.codePointAt(0);
  return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1) ? cp : -1;
};
/**
 * A character's simple case folding, as a case-insensitive Unicode regular expression compares them
 * ("ſ" and "s", "ς" and "σ", the Kelvin sign and "k"); characters whose upper or lower case is longer
 * ("ß" → "SS", "İ" → "i̇") stay themselves.
 */
function computeFold(cp: number): number {
  const s = String.fromCodePoint(cp);
  const upper = single(s.toUpperCase());
  const lower = single((upper >= 0 ? String.fromCodePoint(upper) : s).toLowerCase());
  return lower >= 0 ? lower : cp;
}
const bmpFolds = new Int32Array(0x10000).fill(-1);
function fold(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
  if (cp >= 0x10000) return computeFold(cp);
  let folded = bmpFolds[cp]!;
  if (folded < 0) bmpFolds[cp] = folded = computeFold(cp);
  return folded;
}

const widthOf = (cp: number) => (cp > 0xffff ? 2 : 1);
/** Whether position i holds the second half of a character outside the BMP. */
const isLowSurrogate = (text: string, i: number) => {
  const unit = text.charCodeAt(i);
  return unit >= 0xdc00 && unit <= 0xdfff && i >= 1;
};
/** The kind of the character before position i (OTHER at the start). */
function kindBefore(text: string, i: number): number {
  if (i === 0) return OTHER;
  return kindOf(text.codePointAt(isLowSurrogate(text, i - 1) ? i - 2 : i - 1)!);
}

// ───────────────────────────── The trie ─────────────────────────────

/** Edge keys are folded code points, and this one for a run of separators. */
const SEPARATOR_KEY = 0x110000;
const KEYS = 0x110001;

export class NameMatcher {
  /** node × KEYS + key → child node; node 0 is the root. */
  private readonly edges = new Map<number, number>();
  /** Per node: the first name (lowest index) that ends there, else -1. */
  private readonly terminal: number[] = [-1];
  // Scratch for one walk: the names ending along it, where, and where the separator run they end with started.
  private readonly hitIndex: number[] = [];
  private readonly hitEnd: number[] = [];
  private readonly hitRunStart: number[] = [];

  /** `names` in order of preference where several match at one place (anonymise.rules sorts them longest first). */
  constructor(readonly names: readonly NameEntry[]) {
    names.forEach((name, index) => this.add(name.text, index));
  }

  private add(text: string, index: number): void {
    let node = 0;
    let previous = -1;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      i += widthOf(cp);
      const separator = kindOf(cp) === SEPARATOR;
      if (separator && previous === SEPARATOR_KEY) continue; // a run is one step
      const key = separator ? SEPARATOR_KEY : fold(cp);
      previous = key;
      let child = this.edges.get(node * KEYS + key);
      if (child === undefined) {
        child = this.terminal.length;
        this.terminal.push(-1);
        this.edges.set(node * KEYS + key, child);
      }
      node = child;
    }
    if (node !== 0 && this.terminal[node] === -1) this.terminal[node] = index;
  }

  /** Follows the text from `start` as far as the trie goes; returns how many names end along the way (in the scratch arrays). */
  private walk(text: string, start: number): number {
    const n = text.length;
    let node = 0;
    let hits = 0;
    for (let i = start; i < n; ) {
      const cp = text.codePointAt(i)!;
      let key: number;
      let runStart = -1;
      if (kindOf(cp) === SEPARATOR) {
        // Greedy, as [\s_-]+ is: the whole run (it is followed by a character that is no separator).
        runStart = i;
        i += widthOf(cp);
        while (i < n) {
          const next = text.codePointAt(i)!;
          if (kindOf(next) !== SEPARATOR) break;
          i += widthOf(next);
        }
        key = SEPARATOR_KEY;
      } else {
        key = fold(cp);
        i += widthOf(cp);
      }
      const child = this.edges.get(node * KEYS + key);
      if (child === undefined) break;
      node = child;
      const index = this.terminal[node]!;
      if (index >= 0) {
        this.hitIndex[hits] = index;
        this.hitEnd[hits] = i;
        this.hitRunStart[hits] = runStart;
        hits++;
      }
    }
    return hits;
  }

  /**
   * Every name as a whole word (not preceded or followed by a letter or digit), left to right without
   * overlaps; where several names start at one place, the first in the list's order. The same
   * matches as /(?<![\p{L}\p{N}])(?:name1|name2|…)(?![\p{L}\p{N}])/giu.
   */
  words(text: string): NameMatch[] {
    const out: NameMatch[] = [];
    const n = text.length;
    let previous = OTHER;
    for (let i = 0; i < n; ) {
      const cp = text.codePointAt(i)!;
      if (previous !== WORD) {
        const hits = this.walk(text, i);
        let best = -1;
        let bestEnd = -1;
        for (let h = 0; h < hits; h++) {
          const index = this.hitIndex[h]!;
          if (best >= 0 && index >= best) continue;
          let end = this.hitEnd[h]!;
          if (end < n && kindOf(text.codePointAt(end)!) === WORD) {
            // A name that ends in a separator may give back the run's last one (a separator is no letter).
            const runStart = this.hitRunStart[h]!;
            if (runStart < 0 || end - runStart < 2) continue;
            end -= 1;
          }
          best = index;
          bestEnd = end;
        }
        if (best >= 0) {
          out.push({ index: best, start: i, end: bestEnd });
          previous = kindBefore(text, bestEnd);
          i = bestEnd;
          continue;
        }
      }
      previous = kindOf(cp);
      i += widthOf(cp);
    }
    return out;
  }

  /** The text with every name (as a whole word) replaced by its pseudonym. */
  replace(text: string): string {
    const matches = this.words(text);
    if (matches.length === 0) return text;
    let out = '';
    let at = 0;
    for (const m of matches) {
      out += text.slice(at, m.start) + this.names[m.index]!.pseudonym;
      at = m.end;
    }
    return out + text.slice(at);
  }

  /**
   * Every name anywhere, also inside longer words: per name, its matches left to right without
   * overlaps (as /name/giu finds them), in the list's order of names. What the leak check looks at.
   */
  anywhere(text: string): NameMatch[] {
    const out: NameMatch[] = [];
    let lastEnd: Int32Array | null = null;
    for (let i = 0; i < text.length; ) {
      const hits = this.walk(text, i);
      for (let h = 0; h < hits; h++) {
        const index = this.hitIndex[h]!;
        lastEnd ??= new Int32Array(this.names.length);
        if (i < lastEnd[index]!) continue;
        lastEnd[index] = this.hitEnd[h]!;
        out.push({ index, start: i, end: this.hitEnd[h]! });
      }
      i += widthOf(text.codePointAt(i)!);
    }
    return out.sort((x, y) => x.index - y.index || x.start - y.start);
  }
}

/** Whether the character at or before a position is a letter or digit (for widening a match to whole words). */
/** The span [start, end) widened to the whole word(s) around it: a match inside "Dordrechtse" becomes the word. */
export function wholeWordsAround(text: string, start: number, end: number): [number, number] {
  while (kindBefore(text, start) === WORD) start -= widthOf(text.codePointAt(start - 1 - (isLowSurrogate(text, start - 1) ? 1 : 0))!);
  while (end < text.length && kindOf(text.codePointAt(end)!) === WORD) end += widthOf(text.codePointAt(end)!);
  return [start, end];
}

// ───────────────────────────── The cache ─────────────────────────────

/** Tries kept: a few studies' worth (each at most the study's names and MAX_STUDY_ALIAS_CHARS of aliases). */
const CACHE_SIZE = 8;
const cache = new Map<string, NameMatcher>();
/** The same list asked for again (the leak check asks once per text) needs no hash. */
const byList = new WeakMap<readonly NameEntry[], NameMatcher>();
let builds = 0;

/** How many tries were built since start: a test shows that a repeated request builds none. */
export const matcherBuilds = () => builds;

/** The matcher of a list of names, from the cache when the same names and pseudonyms were seen before. */
export function nameMatcher(names: readonly NameEntry[]): NameMatcher {
  const known = byList.get(names);
  if (known) return known;
  const hash = createHash('sha256');
  for (const n of names) hash.update(JSON.stringify([n.text, n.pseudonym]));
  const key = hash.digest('base64');
  let matcher = cache.get(key);
  if (matcher) {
    cache.delete(key); // most recently used last
  } else {
    matcher = new NameMatcher(names.map((n) => ({ text: n.text, pseudonym: n.pseudonym })));
    builds++;
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, matcher);
  byList.set(names, matcher);
  return matcher;
}
