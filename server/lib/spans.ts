// Span arithmetic for passages. The study file, REFI-QDA and the database count a passage's start
// and end in Unicode code points (end exclusive); JavaScript strings count UTF-16 units, which differ
// from code points after any character outside the Basic Multilingual Plane (an emoji). Everything
// that turns one into the other goes through here.

export interface Span {
  start: number;
  end: number;
}

/**
 * Conversions on one text, in O(log n) each after one pass: the UTF-16 positions of the text's
 * astral characters (surrogate pairs) are all that tell the two counts apart.
 */
export class CodePoints {
  /** UTF-16 index of every astral character, ascending. */
  private readonly astral: number[] = [];
  /** The text's length in code points. */
  readonly length: number;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) this.astral.push(i++);
      }
    }
    this.length = text.length - this.astral.length;
  }

  /** The code-point offset of a UTF-16 offset (one inside a surrogate pair counts as after it). */
  fromUtf16(offset: number): number {
    // Less one for every astral character wholly before `offset`: a pair that `offset` splits then
    // counts as one code point, so the offset lands after it.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astral[mid]! < offset - 1) lo = mid + 1;
      else hi = mid;
    }
    return offset - lo;
  }

  /** The UTF-16 offset of a code-point offset. */
  toUtf16(codePoint: number): number {
    // The UTF-16 offset is codePoint + (astral characters before it); astral[k] - k is the
    // code-point offset of the k-th astral character.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astral[mid]! - mid < codePoint) lo = mid + 1;
      else hi = mid;
    }
    return codePoint + lo;
  }

  /** The text of a span given in code points. */
  slice(span: Span): string {
    return this.text.slice(this.toUtf16(span.start), this.toUtf16(span.end));
  }

  /** Whether a span lies within the text and is not empty. */
  holds(span: Span): boolean {
    return Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.end > span.start && span.end <= this.length;
  }
}

/** The text of a code-point span of `text` (for one span; use CodePoints for many on one text). */
export const sliceCodePoints = (text: string, span: Span): string => new CodePoints(text).slice(span);

/**
 * Where a passage lies after its source text changed from `before` to `after`, or null when it
 * cannot be placed (it is then flagged for review, never moved silently). `span` is in code points
 * of `before`; `quote` is the passage's text.
 *
 * 1. The edit is taken as one changed region (common start and end of both texts kept): a passage
 *    outside it shifts with it, and is placed if its text is unchanged there.
 * 2. Otherwise the quote is looked for in the new text: one occurrence places it; of several, the
 *    one nearest to where the passage would have shifted to, if no other is as near.
 */
export function reanchor(before: string, after: string, span: Span, quote: string): Span | null {
  if (!quote) return null;
  const old = new CodePoints(before);
  const now = new CodePoints(after);
  // Common prefix and suffix in UTF-16 units, not splitting a surrogate pair.
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && prefix < max && isLowSurrogate(before.charCodeAt(prefix))) prefix--;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && suffix < max - prefix && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;

  const start16 = old.toUtf16(span.start);
  const end16 = old.toUtf16(span.end);
  const delta = after.length - before.length;
  // Where the passage's start lands: unchanged before the edit, shifted after it.
  const shifted16 = start16 < prefix ? start16 : start16 >= before.length - suffix ? start16 + delta : prefix;
  if (end16 <= prefix || start16 >= before.length - suffix) {
    const moved = { start: now.fromUtf16(shifted16), end: now.fromUtf16(shifted16 + (end16 - start16)) };
    if (now.holds(moved) && now.slice(moved) === quote) return moved;
  }

  const hits: number[] = [];
  for (let at = after.indexOf(quote); at !== -1; at = after.indexOf(quote, at + 1)) hits.push(at);
  if (hits.length === 0) return null;
  const distance = (at: number) => Math.abs(at - shifted16);
  const nearest = hits.reduce((min, at) => Math.min(min, distance(at)), Infinity);
  const best = hits.filter((at) => distance(at) === nearest);
  if (best.length !== 1) return null;
  const start = now.fromUtf16(best[0]!);
  return { start, end: start + new CodePoints(quote).length };
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
