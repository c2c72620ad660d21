// Input of the anonymisation page: the pseudonym word, the aliases table and the regenerate confirmation.
import { z } from 'zod';
import type { FieldErrors } from '../http/forms.ts';
import { parseAliases } from '../cases/cases.schemas.ts';

/** Empty (the default word) or a word starting with a letter; numbers are added after it. The field must be sent. */
export const wordSchema = z.object({
  word: z.string().trim().max(100).regex(/^(?:|\p{L}[\p{L}\p{N} '’.-]*)$/u, 'anonymise.wordFormat'),
});

export const confirmSchema = z.object({ confirm: z.literal('yes', { message: 'anonymise.confirmRequired' }) });

/** At most this many rows are read from the aliases table (a study has far fewer cases). */
const MAX_ROWS = 5_000;

/**
 * The aliases table: rows `key_<i>` (the case key, hidden) with `aliases_<i>` (one alias per line).
 * Errors are named by the row's `aliases_<i>` field.
 */
export function parseAliasesTable(body: unknown): { ok: true; rows: { key: string; aliases: string[] }[] } | { ok: false; errors: FieldErrors } {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const rows: { key: string; aliases: string[] }[] = [];
  const errors: FieldErrors = {};
  for (let i = 0; i < MAX_ROWS && typeof record[`key_${i}`] === 'string'; i++) {
    const text = record[`aliases_${i}`];
    const parsed = parseAliases(typeof text === 'string' ? text : '');
    if (parsed.ok) rows.push({ key: record[`key_${i}`] as string, aliases: parsed.aliases });
    else errors[`aliases_${i}`] = parsed.error;
  }
  if (rows.length === 0 && Object.keys(errors).length === 0) errors._form = { key: 'anonymise.noRows' };
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, rows };
}
