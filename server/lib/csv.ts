// Writing CSV (RFC 4180, CRLF line ends, no BOM) for downloads that people open in spreadsheets.
// Text cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
// return) get a leading apostrophe; numbers are written as they are. Reading CSV is parseCsv in
// server/cases/cases.csv.ts; `unguardFormula` undoes the apostrophe when such a file comes back
// (exactly: text that already starts with apostrophes before such a character gets one more).

export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A text cell made harmless for spreadsheets: `=1+1` → `'=1+1`. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The inverse of guardFormula, for a cell read back from a file Kader wrote. */
export function unguardFormula(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its CRLF line end. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(cell).join(',')}\r\n`;
}

/** A whole file: one record per row (the header is the first row). */
export function toCsv(rows: Iterable<readonly CsvCell[]>): string {
  let out = '';
  for (const row of rows) out += csvLine(row);
  return out;
}
