// Anonymising a download's table and a Kader CSV (the "anonymised" switch of every export): case keys
// become pseudonymous keys, every other text cell (names, rationales, notes, narratives, headers)
// goes through the anonymiser, and rows are put in the order of the pseudonyms, because the order of
// the cases (often alphabetical by real name) would itself give the names away.
import { caseColumn, tableCsv, tableFromCsv, type Cell, type Table } from '../exports/exports.tables.ts';
import { naturalCompare, type Anonymisation } from './anonymise.rules.ts';

export function anonymiseTable(table: Table, a: Anonymisation): Table {
  const isCase = table.caseCell ?? caseColumn(table);
  const caseOf = new Map<readonly Cell[], string>();
  const rows = table.rows.map((row) => {
    const out = row.map((cell, j) => (typeof cell !== 'string' ? cell : isCase(row, j) ? a.caseKey(cell) : a.text(cell)));
    const j = row.findIndex((cell, i) => typeof cell === 'string' && isCase(row, i));
    if (j >= 0) caseOf.set(out, out[j] as string);
    return out;
  });
  // Rows about a case change places only among themselves: other rows (an agreement's overall and
  // per-level records) keep theirs. The sort is stable, so a case's rows keep their order.
  const slots = rows.flatMap((row, i) => (caseOf.has(row) ? [i] : []));
  const sorted = slots.map((i) => rows[i]!).sort((x, y) => naturalCompare(caseOf.get(x)!, caseOf.get(y)!));
  slots.forEach((slot, n) => (rows[slot] = sorted[n]!));
  return { ...table, header: table.header.map((h) => a.text(h)), rows, caseCell: undefined };
}

/** A CSV Kader wrote, anonymised; `caseCell` as in Table (default: the column `case`). */
export function anonymiseCsv(csv: string, a: Anonymisation, options: { numeric?: readonly string[]; caseCell?: (header: readonly string[]) => Table['caseCell'] } = {}): string {
  const table = tableFromCsv('csv', 'csv', csv, options.numeric);
  return tableCsv(anonymiseTable({ ...table, caseCell: options.caseCell?.(table.header) }, a));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A JSON download anonymised (the agreement's JSON): strings in fields named `case` are case keys and
 * become pseudonymous keys, every other string goes through the anonymiser, and lists of entries
 * about cases are put in the order of the pseudonyms.
 */
export function anonymiseJson<T>(value: T, a: Anonymisation): T {
  const walk = (v: Json, field: string | null): Json => {
    if (typeof v === 'string') return field === 'case' ? a.caseKey(v) : a.text(v);
    if (Array.isArray(v)) {
      const items = v.map((x) => walk(x, null));
      const aboutCases = items.length > 0 && items.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x) && typeof x.case === 'string');
      return aboutCases ? items.sort((x, y) => naturalCompare((x as { case: string }).case, (y as { case: string }).case)) : items;
    }
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value as Json, null) as T;
}
