// Turns what a user typed into a safe FTS5 query: plain words and "quoted phrases", AND-ed, with a
// trailing * allowed on at most two words of three letters or more. FTS5 operators (NEAR, OR,
// column filters, parentheses) are not passed through: a few wildcards over a large index can
// keep SQLite busy for minutes, and the server with it.
const MAX_TERMS = 8;
const MAX_PREFIXES = 2;

/** The FTS5 query, or null when nothing searchable is left. */
export function ftsQuery(input: string): string | null {
  const terms: string[] = [];
  let prefixes = 0;
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  // Phrases first, then the loose words around them.
  const rest = input.replace(/"([^"]*)"/g, (_whole, phrase: string) => {
    const words = phrase.match(/[\p{L}\p{N}]+/gu);
    if (words && terms.length < MAX_TERMS) terms.push(quote(words.join(' ')));
    return ' ';
  });
  for (const token of rest.split(/\s+/)) {
    if (terms.length >= MAX_TERMS) break;
    const word = (token.match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
    if (!word) continue;
    const prefix = token.endsWith('*') && word.length >= 3 && !word.includes(' ') && prefixes < MAX_PREFIXES;
    if (prefix) prefixes++;
    terms.push(prefix ? `${quote(word)}*` : quote(word));
  }
  return terms.length ? terms.join(' ') : null;
}
