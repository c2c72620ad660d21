// Finding a study's case names, aliases and keys in a text in time linear in the text: one trie of
// every name (each character folded, each run of spaces, dashes and underscores one "separator" step),
// walked from each position. It replaces a regular expression with one alternative per name, which
// V8 compiles in time that grows with the square of its size (seconds for a few hundred long
// aliases, on every request) and refuses above about a megabyte. Alias text is data here, never
// pattern syntax: whatever the aliases, the work per position is bounded by the longest name.
//
// Folding ignores letter case AND accents: "Súdwest-Fryslân", "SUDWEST FRYSLAN" and "sudwest-fryslan"
// are one name, because a name written without its accents gives a case away just as well. Each
// character of the text is folded on its own and the walk goes over the original text, so every match
// is a span of the original (NFD would change lengths: "â" is one unit, "a" + U+0302 two); combining
// marks belong to the character before them.
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
const MARK = 4; // \p{M}: a combining mark, part of the character before it ("a" + U+0302 is "â")

const isWordRe = /^[\p{L}\p{N}]$/u;
const isSeparatorRe = /^[\s_-]$/u;
const isMarkRe = /^\p{M}$/u;
const classify = (cp: number) => {
  const s = String.fromCodePoint(cp);
  return isWordRe.test(s) ? WORD : isSeparatorRe.test(s) ? SEPARATOR : isMarkRe.test(s) ? MARK : OTHER;
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
function caseFold(cp: number): number {
  const s = String.fromCodePoint(cp);
  const upper = single(s.toUpperCase());
  const lower = single((upper >= 0 ? String.fromCodePoint(upper) : s).toLowerCase());
  return lower >= 0 ? lower : cp;
}
/** Letters that have no decomposition but are commonly written without their stroke or as two letters. */
const PLAIN_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', ı: 'i',
};
/**
 * What a character is compared as: its compatibility decomposition without combining marks ("Ú" →
 * "U", "ĳ" → "ij", "ﬁ" → "fi", a full-width "Ａ" → "A"), or its plain letters (PLAIN_LETTERS), each
 * case-folded. Usually one code point; a few characters give two or three.
 */
function computeKeys(cp: number): number[] {
  const s = String.fromCodePoint(cp);
  const plain = PLAIN_LETTERS[s] ?? s.normalize('NFKD').replace(/\p{M}/gu, '');
  if (plain === '') return [caseFold(cp)];
  return Array.from(plain, (c) => caseFold(c.codePointAt(0)!));
}
/** Folds of the BMP with one key, filled as met (-1 = not yet, -2 = several keys, in `multiKeys`). */
const bmpFolds = new Int32Array(0x10000).fill(-1);
const multiKeys = new Map<number, readonly number[]>();
/** The fold of a character: one key (a number) or several (an array). */
function foldOf(cp: number): number | readonly number[] {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
  if (cp < 0x10000) {
    const folded = bmpFolds[cp]!;
    if (folded >= 0) return folded;
    if (folded === -2) return multiKeys.get(cp)!;
  }
  const keys = computeKeys(cp);
  if (cp >= 0x10000) return keys.length === 1 ? keys[0]! : keys;
  if (keys.length === 1) return (bmpFolds[cp] = keys[0]!);
  bmpFolds[cp] = -2;
  multiKeys.set(cp, keys);
  return keys;
}

const widthOf = (cp: number) => (cp > 0xffff ? 2 : 1);
/** Whether position i holds the second half of a character outside the BMP. */
const isLowSurrogate = (text: string, i: number) => {
  const unit = text.charCodeAt(i);
  return unit >= 0xdc00 && unit <= 0xdfff && i >= 1;
};
/** Where the character before position i starts. */
const startBefore = (text: string, i: number) => (isLowSurrogate(text, i - 1) ? i - 2 : i - 1);
/** Position i moved past any combining marks there. */
function pastMarks(text: string, i: number): number {
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (kindOf(cp) !== MARK) break;
    i += widthOf(cp);
  }
  return i;
}
/** The kind of the character before position i, combining marks passed over (OTHER at the start). */
function kindBefore(text: string, i: number): number {
  while (i > 0) {
    i = startBefore(text, i);
    const kind = kindOf(text.codePointAt(i)!);
    if (kind !== MARK) return kind;
  }
  return OTHER;
}

/**
 * A text as the matcher compares it: every character folded, combining marks dropped, each run of
 * separators one space, none at either end. Two names with the same folded form are the same name.
 */
export function foldName(text: string): string {
  let out = '';
  let separator = false;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const kind = kindOf(cp);
    if (kind === MARK) continue;
    if (kind === SEPARATOR) {
      separator = out !== '';
      continue;
    }
    if (separator) out += ' ';
    separator = false;
    const keys = foldOf(cp);
    out += typeof keys === 'number' ? String.fromCodePoint(keys) : String.fromCodePoint(...keys);
  }
  return out;
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
      const kind = kindOf(cp);
      if (kind === MARK) continue; // compared without accents
      if (kind === SEPARATOR) {
        if (previous === SEPARATOR_KEY) continue; // a run is one step
        node = this.child(node, SEPARATOR_KEY);
        previous = SEPARATOR_KEY;
        continue;
      }
      const keys = foldOf(cp);
      if (typeof keys === 'number') node = this.child(node, keys);
      else for (const key of keys) node = this.child(node, key);
      previous = -1;
    }
    if (node !== 0 && this.terminal[node] === -1) this.terminal[node] = index;
  }

  /** The child of a node by a key, made when missing (while adding names). */
  private child(node: number, key: number): number {
    let child = this.edges.get(node * KEYS + key);
    if (child === undefined) {
      child = this.terminal.length;
      this.terminal.push(-1);
      this.edges.set(node * KEYS + key, child);
    }
    return child;
  }

  /** The node after a character's keys from `node`, else -1. */
  private follow(node: number, keys: number | readonly number[]): number {
    if (typeof keys === 'number') return this.edges.get(node * KEYS + keys) ?? -1;
    for (const key of keys) {
      const next = this.edges.get(node * KEYS + key);
      if (next === undefined) return -1;
      node = next;
    }
    return node;
  }

  /** Follows the text from `start` as far as the trie goes; returns how many names end along the way (in the scratch arrays). */
  private walk(text: string, start: number): number {
    const n = text.length;
    let node = 0;
    let hits = 0;
    for (let i = start; i < n; ) {
      const cp = text.codePointAt(i)!;
      const kind = kindOf(cp);
      let keys: number | readonly number[];
      let runStart = -1;
      if (kind === MARK) {
        if (i === start) break; // a name starts with a letter, not with the accent of one
        i += widthOf(cp); // an accent after a separator: nothing to compare
        continue;
      } else if (kind === SEPARATOR) {
        // Greedy, as [\s_-]+ is: the whole run (it is followed by a character that is no separator).
        runStart = i;
        i += widthOf(cp);
        while (i < n) {
          const next = text.codePointAt(i)!;
          if (kindOf(next) !== SEPARATOR) break;
          i += widthOf(next);
        }
        keys = SEPARATOR_KEY;
      } else {
        keys = foldOf(cp);
        // The accents of the character are part of it.
        i = pastMarks(text, i + widthOf(cp));
      }
      const child = this.follow(node, keys);
      if (child < 0) break;
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
   * matches as /(?<![\p{L}\p{N}])(?:name1|name2|…)(?![\p{L}\p{N}])/giu would find in the folded text.
   */
  words(text: string): NameMatch[] {
    const out: NameMatch[] = [];
    const n = text.length;
    let previous = OTHER;
    for (let i = 0; i < n; ) {
      const cp = text.codePointAt(i)!;
      if (previous !== WORD && kindOf(cp) !== MARK) {
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
      const kind = kindOf(cp);
      if (kind !== MARK) previous = kind; // an accent continues the character before it
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

/** The span [start, end) widened to the whole word(s) around it: a match inside "Dordrechtse" becomes the word. */
export function wholeWordsAround(text: string, start: number, end: number): [number, number] {
  const inWord = (cp: number) => {
    const kind = kindOf(cp);
    return kind === WORD || kind === MARK;
  };
  while (start > 0 && inWord(text.codePointAt(startBefore(text, start))!)) start = startBefore(text, start);
  while (end < text.length && inWord(text.codePointAt(end)!)) end += widthOf(text.codePointAt(end)!);
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
