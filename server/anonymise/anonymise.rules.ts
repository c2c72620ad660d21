// Anonymisation (PRODUCT.md step 10, report 000 E.3): every real case name and alias is replaced by
// the case's pseudonym, in every text an anonymised report or export writes. Pure functions: the
// replacements of a study, replacing them in a text, and finding what is left (the leak check).

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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every name and alias with its pseudonym, longest first, so that "Den Haag Zuid" is replaced before
 * "Den Haag". Empty and one-character texts are left out (they would replace parts of words).
 */
export function replacementsOf(cases: readonly CaseNames[]): Replacement[] {
  const seen = new Set<string>();
  const out: Replacement[] = [];
  for (const c of cases) {
    for (const text of [c.name, ...c.aliases].map((t) => t.trim())) {
      if (text.length < 2 || seen.has(text.toLocaleLowerCase())) continue;
      seen.add(text.toLocaleLowerCase());
      out.push({ text, pseudonym: c.pseudonym });
    }
  }
  return out.sort((a, b) => b.text.length - a.text.length);
}

/**
 * One pattern for all replacements: whole words only (a name inside a longer word, such as "Ede" in
 * "Ederveen", is not a name), case-insensitive, with Unicode letters and digits as word characters.
 */
function patternOf(replacements: readonly Replacement[]): RegExp | null {
  if (replacements.length === 0) return null;
  const alternatives = replacements.map((r) => escapeRegExp(r.text)).join('|');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'giu');
}

/** A function that replaces every real name and alias in a text by its pseudonym. */
export function anonymiser(replacements: readonly Replacement[]): (text: string) => string {
  const pattern = patternOf(replacements);
  if (!pattern) return (text) => text;
  const byLower = new Map(replacements.map((r) => [r.text.toLocaleLowerCase(), r.pseudonym]));
  return (text) => text.replace(pattern, (match) => byLower.get(match.toLocaleLowerCase()) ?? match);
}

/** Where a real name or alias still occurs: each hit with its text and some context, for the leak check. */
export function findLeaks(text: string, replacements: readonly Replacement[]): { text: string; context: string }[] {
  const pattern = patternOf(replacements);
  if (!pattern) return [];
  return [...text.matchAll(pattern)].map((m) => ({
    text: m[0],
    context: text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40),
  }));
}
