// Input for cases: the case form (fixed fields, typed attributes, measure rows), the attribute-type
// form, and the rows of a measures CSV. Numbers accept a decimal point or a decimal comma
// ("12.5" or "12,5"), never thousands separators; years are four digits.
import { z } from 'zod';
import type { FieldErrors, FormResult } from '../http/forms.ts';
import { parseForm } from '../http/forms.ts';
import type { MessageKey, Params } from '../lib/i18n.ts';
import { ATTRIBUTE_TYPES, type AttributeType, type AttributeTypeRow, type AttributeValue, type MeasureWrite } from './cases.repo.ts';
import type { CsvRecord } from './cases.csv.ts';

/** Letters, digits, - _ and . ; starting with a letter or digit (so "." and ".." are not keys). */
export const KEY_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u;
/** Words the case URLs use next to /cases/:case (Express matches paths case-insensitively). */
export const RESERVED_KEYS: readonly string[] = ['new', 'measures', 'attributes'];
export const VARIABLE_MAX = 100;
export const MAX_MEASURE_ROWS = 500;
export const MAX_REPORTED_PROBLEMS = 100;

const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$/;

/** A decimal number written with a point or a comma as decimal mark; null for anything else. */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  const value = Number(t.replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

/** A year of four digits (1000–9999); null for anything else. */
export function parseYear(text: string): number | null {
  const t = text.trim();
  return /^[1-9]\d{3}$/.test(t) ? Number(t) : null;
}

const attributeKey = z.string().trim().min(1).max(100).regex(KEY_PATTERN, 'cases.keyFormat');
const key = attributeKey.refine((k) => !RESERVED_KEYS.includes(k.toLowerCase()), 'cases.keyReserved');

const fixedFields = {
  name: z.string().trim().min(1).max(300),
  /** Only a lead's form has it (anonymise.leadOnly); absent: unchanged. */
  pseudonym: z.string().trim().max(300).optional(),
  group: z.string().trim().max(100).default(''),
  selectionReason: z.string().trim().max(50_000).default(''),
};
const newCaseSchema = z.object({ key, ...fixedFields });
const editCaseSchema = z.object(fixedFields);
export const versionSchema = z.object({ version: z.coerce.number().int().min(1) });

export const attributeTypeSchema = z.object({
  key: attributeKey,
  type: z.enum(ATTRIBUTE_TYPES as [AttributeType, ...AttributeType[]]),
});

export interface CaseInput {
  name: string;
  /** null: none (a provisional one until a lead assigns); absent when the form had no such field (a researcher's): none for a new case, unchanged for an edit. */
  pseudonym?: string | null;
  group: string;
  selectionReason: string;
  /**
   * The attributes the form sent: a value, or null to clear it. An attribute whose field was not in
   * the form (a type added after the form was opened) is absent and keeps its value.
   */
  attributes: Record<string, AttributeValue | null>;
  measures: MeasureWrite[];
  /** Other ways the name is written, one per line in the form; absent when the form had no such field (a researcher's): kept. */
  aliases?: string[];
}

export const ALIAS_MAX = 300;
export const MAX_ALIASES = 50;

/** Aliases from a textarea, one per line: trimmed, empty lines dropped, duplicates (in any letter case) once. */
export function parseAliases(text: string): { ok: true; aliases: string[] } | { ok: false; error: { key: MessageKey; params?: Params } } {
  const aliases: string[] = [];
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const alias = line.trim();
    if (alias === '' || seen.has(alias.toLocaleLowerCase())) continue;
    if (alias.length > ALIAS_MAX) return { ok: false, error: err('anonymise.aliasTooLong', { max: ALIAS_MAX }) };
    seen.add(alias.toLocaleLowerCase());
    aliases.push(alias);
  }
  if (aliases.length > MAX_ALIASES) return { ok: false, error: err('anonymise.tooManyAliases', { max: MAX_ALIASES }) };
  return { ok: true, aliases };
}

export const attributeField = (attributeKey: string) => `attr_${attributeKey}`;
export const measureField = (part: 'variable' | 'year' | 'value', row: number) => `measure_${part}_${row}`;

const err = (key: MessageKey, params?: Params) => (params ? { key, params } : { key });

/** Typed attribute values from `attr_<key>` fields: text as is, numbers parsed, yes/no/unknown. */
function parseAttributes(body: Record<string, unknown>, types: AttributeTypeRow[], errors: FieldErrors): CaseInput['attributes'] {
  const attributes: CaseInput['attributes'] = {};
  for (const type of types) {
    const field = attributeField(type.key);
    const raw = body[field];
    if (raw === undefined) continue;
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      attributes[type.key] = null;
      continue;
    }
    if (type.type === 'text') {
      if (text.length > 1_000) errors[field] = err('form.tooLong', { max: 1_000 });
      else attributes[type.key] = text;
    } else if (type.type === 'number') {
      const value = parseDecimal(text);
      if (value === null) errors[field] = err('cases.notANumber');
      else attributes[type.key] = value;
    } else if (text === 'yes' || text === 'no') {
      attributes[type.key] = text === 'yes';
    } else {
      errors[field] = err('form.choice');
    }
  }
  return attributes;
}

/** Measure rows from `measure_{variable,year,value}_<n>`; a row left wholly empty is dropped. */
function parseMeasures(body: Record<string, unknown>, errors: FieldErrors): MeasureWrite[] {
  const rows = new Set<number>();
  for (const name of Object.keys(body)) {
    const m = /^measure_(?:variable|year|value)_(\d{1,4})$/.exec(name);
    if (m) rows.add(Number(m[1]));
  }
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const measures: MeasureWrite[] = [];
  const seen = new Map<string, number>();
  for (const row of [...rows].sort((a, b) => a - b)) {
    const variable = text(measureField('variable', row));
    const yearText = text(measureField('year', row));
    const valueText = text(measureField('value', row));
    if (!variable && !yearText && !valueText) continue;
    let ok = true;
    if (!variable) {
      errors[measureField('variable', row)] = err('form.required');
      ok = false;
    } else if (variable.length > VARIABLE_MAX) {
      errors[measureField('variable', row)] = err('form.tooLong', { max: VARIABLE_MAX });
      ok = false;
    }
    const year = yearText ? parseYear(yearText) : null;
    if (yearText && year === null) {
      errors[measureField('year', row)] = err('cases.badYear');
      ok = false;
    }
    const value = parseDecimal(valueText);
    if (value === null) {
      errors[measureField('value', row)] = valueText ? err('cases.notANumber') : err('form.required');
      ok = false;
    }
    if (!ok) continue;
    const slot = `${variable}\u0000${year ?? ''}`;
    if (seen.has(slot)) {
      errors[measureField('variable', row)] = err('cases.duplicateMeasure', { variable, year: year ?? '—' });
      continue;
    }
    seen.set(slot, row);
    measures.push({ variable, year, value: value! });
  }
  if (measures.length > MAX_MEASURE_ROWS) errors._form = err('cases.tooManyMeasures', { max: MAX_MEASURE_ROWS });
  return measures;
}

function parseCase<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  body: unknown,
  types: AttributeTypeRow[],
): FormResult<{ fixed: z.output<S>; input: CaseInput }> {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fixed = parseForm(schema, record);
  const errors: FieldErrors = fixed.ok ? {} : { ...fixed.errors };
  const attributes = parseAttributes(record, types, errors);
  const measures = parseMeasures(record, errors);
  let aliases: string[] | undefined;
  if (typeof record.aliases === 'string') {
    const parsed = parseAliases(record.aliases);
    if (parsed.ok) aliases = parsed.aliases;
    else errors.aliases = parsed.error;
  }
  if (!fixed.ok || Object.keys(errors).length) return { ok: false, errors };
  const data = fixed.data as { name: string; pseudonym?: string; group: string; selectionReason: string };
  return {
    ok: true,
    data: {
      fixed: fixed.data,
      input: {
        name: data.name, group: data.group, selectionReason: data.selectionReason, attributes, measures,
        ...(data.pseudonym === undefined ? {} : { pseudonym: data.pseudonym || null }),
        ...(aliases === undefined ? {} : { aliases }),
      },
    },
  };
}

/** The new-case form: its key and the case. */
export function parseNewCase(body: unknown, types: AttributeTypeRow[]): FormResult<{ key: string; input: CaseInput }> {
  const result = parseCase(newCaseSchema, body, types);
  return result.ok ? { ok: true, data: { key: result.data.fixed.key, input: result.data.input } } : result;
}

/** The edit form (its version is read apart: a form without one is a bad request, not a mistake). */
export function parseCaseEdit(body: unknown, types: AttributeTypeRow[]): FormResult<CaseInput> {
  const result = parseCase(editCaseSchema, body, types);
  return result.ok ? { ok: true, data: result.data.input } : result;
}

// ---- Measures CSV ----

export interface CsvProblem {
  /** The line in the file, or null for a problem with the whole file. */
  line: number | null;
  key: MessageKey;
  params?: Params;
}

export interface MeasureImportRow extends MeasureWrite {
  line: number;
  caseId: number;
}

/** How a `case` cell finds its case: by key, else by exact name; ambiguous names are refused. */
export interface CaseLookup {
  byKey: Map<string, number>;
  byName: Map<string, number[]>;
}

const COLUMNS = ['case', 'variable', 'value', 'year'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Checks every record of a measures file and returns the rows, or every problem found (each with
 * its line). Columns are found by their header names, in any order; `year` is optional.
 */
export function checkMeasureRecords(records: CsvRecord[], cases: CaseLookup): { ok: true; rows: MeasureImportRow[] } | { ok: false; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const [header, ...body] = records;
  if (!header) return { ok: false, problems: [{ line: null, key: 'cases.csv.empty' }] };
  const index = new Map<Column, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(COLUMNS as readonly string[]).includes(name)) problems.push({ line: header.line, key: 'cases.csv.unknownColumn', params: { column: raw } });
    else if (index.has(name as Column)) problems.push({ line: header.line, key: 'cases.csv.duplicateColumn', params: { column: raw } });
    else index.set(name as Column, i);
  });
  for (const column of ['case', 'variable', 'value'] as const) {
    if (!index.has(column)) problems.push({ line: header.line, key: 'cases.csv.missingColumn', params: { column } });
  }
  if (problems.length) return { ok: false, problems };

  const rows: MeasureImportRow[] = [];
  const seen = new Map<string, number>();
  const width = header.fields.length;
  for (const record of body) {
    const { line, fields } = record;
    if (fields.every((f) => f.trim() === '')) continue;
    if (fields.length !== width) {
      problems.push({ line, key: 'cases.csv.fieldCount', params: { expected: width, found: fields.length } });
      continue;
    }
    const cell = (c: Column) => (index.has(c) ? fields[index.get(c)!]!.trim() : '');
    // Enough to fix a file; a file of thousands of bad lines must not yield a page of thousands.
    if (problems.length >= MAX_REPORTED_PROBLEMS) {
      problems.push({ line: null, key: 'cases.csv.tooManyProblems', params: { max: MAX_REPORTED_PROBLEMS } });
      break;
    }
    const before = problems.length;

    const caseText = cell('case');
    let caseId: number | undefined;
    if (!caseText) problems.push({ line, key: 'cases.csv.noCase' });
    else {
      caseId = cases.byKey.get(caseText);
      const named = cases.byName.get(caseText) ?? [];
      if (caseId === undefined && named.length === 1) caseId = named[0];
      if (caseId === undefined) {
        problems.push(named.length > 1
          ? { line, key: 'cases.csv.ambiguousCase', params: { case: caseText } }
          : { line, key: 'cases.csv.unknownCase', params: { case: caseText } });
      }
    }
    const variable = cell('variable');
    if (!variable) problems.push({ line, key: 'cases.csv.noVariable' });
    else if (variable.length > VARIABLE_MAX) problems.push({ line, key: 'cases.csv.variableTooLong', params: { max: VARIABLE_MAX } });
    const valueText = cell('value');
    const value = parseDecimal(valueText);
    if (value === null) problems.push({ line, key: 'cases.csv.notANumber', params: { value: valueText } });
    const yearText = cell('year');
    const year = yearText ? parseYear(yearText) : null;
    if (yearText && year === null) problems.push({ line, key: 'cases.csv.badYear', params: { value: yearText } });
    if (problems.length > before) continue;

    const slot = `${caseId}\u0000${variable}\u0000${year ?? ''}`;
    const first = seen.get(slot);
    if (first !== undefined) {
      problems.push({ line, key: 'cases.csv.duplicate', params: { first } });
      continue;
    }
    seen.set(slot, line);
    rows.push({ line, caseId: caseId!, variable, year, value: value! });
  }
  if (problems.length) return { ok: false, problems };
  if (rows.length === 0) return { ok: false, problems: [{ line: null, key: 'cases.csv.noRows' }] };
  return { ok: true, rows };
}
