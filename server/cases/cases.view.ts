// Cases as plain data for the templates: the list with one column per attribute, a case page, and
// the values of the case form.
import { groupBy } from '../lib/collections.ts';
import type { Language, Translate } from '../lib/i18n.ts';
import { renderMarkdown, type SafeHtml } from '../lib/markdown.ts';
import type { AttributeType, AttributeTypeRow, AttributeValue, CaseFullRow, CaseListRow, MeasureRow, RaterRow } from './cases.repo.ts';
import { attributeField, MAX_MEASURE_ROWS, measureField } from './cases.schemas.ts';
import { parseAliases, parseAttributes, type CaseSnapshot } from './cases.service.ts';

export const caseHref = (studyId: number, key: string) => `/studies/${studyId}/cases/${encodeURIComponent(key)}`;

/** Numbers as written in the user's language: a decimal comma in Dutch, never grouping. */
export function formatNumber(value: number, lang: Language): string {
  const text = String(value);
  return lang === 'nl' ? text.replace('.', ',') : text;
}

/** An attribute value for reading: yes/no for booleans, numbers in the user's language. */
export function formatAttribute(value: AttributeValue | undefined, t: Translate, lang: Language): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'number') return formatNumber(value, lang);
  return value;
}

export interface AttributeColumn {
  key: string;
  /** null: found in cases (e.g. from an imported file) but not declared as a type. */
  type: AttributeType | null;
}

/** The declared types in their order, then attributes the cases have without a declared type. */
export function attributeColumns(types: AttributeTypeRow[], attributeSets: Record<string, AttributeValue>[]): AttributeColumn[] {
  const columns: AttributeColumn[] = types.map((t) => ({ key: t.key, type: t.type }));
  const known = new Set(columns.map((c) => c.key));
  for (const attributes of attributeSets) {
    for (const key of Object.keys(attributes)) {
      if (!known.has(key)) {
        known.add(key);
        columns.push({ key, type: null });
      }
    }
  }
  return columns;
}

export function caseListView(studyId: number, data: { types: AttributeTypeRow[]; cases: CaseListRow[]; raters: RaterRow[] }, t: Translate, lang: Language) {
  const attributeSets = data.cases.map((c) => parseAttributes(c.attributes));
  const columns = attributeColumns(data.types, attributeSets);
  const raters = groupBy(data.raters, (r) => r.case_id);
  return {
    columns,
    undeclared: columns.filter((c) => c.type === null).map((c) => c.key),
    rows: data.cases.map((c, i) => ({
      key: c.key,
      href: caseHref(studyId, c.key),
      name: c.name,
      group: c.grp,
      cells: columns.map((col) => formatAttribute(attributeSets[i]![col.key], t, lang)),
      measureCount: c.measure_count,
      progress: { held: c.interviews_held, approved: c.interviews_approved, documents: c.document_count },
      raters: (raters.get(c.id) ?? []).map((r) => r.name),
    })),
  };
}

export function casePageView(
  studyId: number,
  data: { row: CaseFullRow; types: AttributeTypeRow[]; measures: MeasureRow[]; raters: RaterRow[] },
  t: Translate,
  lang: Language,
) {
  const attributes = parseAttributes(data.row.attributes);
  const columns = attributeColumns(data.types, [attributes]);
  return {
    key: data.row.key,
    href: caseHref(studyId, data.row.key),
    name: data.row.name,
    pseudonym: data.row.pseudonym ?? '',
    group: data.row.grp,
    version: data.row.version,
    selectionReasonHtml: renderMarkdown(data.row.selection_reason) as SafeHtml,
    attributes: columns.map((c) => ({ key: c.key, type: c.type, value: formatAttribute(attributes[c.key], t, lang) })),
    measures: data.measures.map((m) => ({ variable: m.variable, year: m.year, value: formatNumber(m.value, lang) })),
    raters: data.raters.map((r) => ({ name: r.name, email: r.email })),
  };
}

/** The case form's fields for a saved case (numbers with a point, as number inputs expect). */
export function caseFormValues(row: CaseFullRow, types: AttributeTypeRow[], measures: MeasureRow[]): Record<string, string> {
  const attributes = parseAttributes(row.attributes);
  const values: Record<string, string> = {
    key: row.key,
    name: row.name,
    pseudonym: row.pseudonym ?? '',
    group: row.grp,
    selectionReason: row.selection_reason,
    aliases: parseAliases(row.aliases).join('\n'),
    version: String(row.version),
  };
  for (const type of types) {
    const value = attributes[type.key];
    if (value === undefined) continue;
    values[attributeField(type.key)] = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  }
  measures.forEach((m, i) => {
    values[measureField('variable', i)] = m.variable;
    values[measureField('year', i)] = m.year === null ? '' : String(m.year);
    values[measureField('value', i)] = String(m.value);
  });
  return values;
}

/** How many measure rows the form shows: every row the values have, plus one empty row. */
export function measureRowCount(values: Record<string, string>): number {
  let highest = -1;
  for (const name of Object.keys(values)) {
    const m = /^measure_(?:variable|year|value)_(\d{1,4})$/.exec(name);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  return Math.min(highest + 2, MAX_MEASURE_ROWS + 1);
}

/**
 * For a stale form: the saved fields that differ from what the user sent, so they can see what
 * the other person changed before saving again.
 */
export function conflictsView(current: CaseSnapshot, submitted: Record<string, string>, types: AttributeTypeRow[], t: Translate, lang: Language) {
  const conflicts: { label: string; saved: string }[] = [];
  const compare = (label: string, saved: string, sent: string | undefined) => {
    if (saved.trim() !== (sent ?? '').trim()) conflicts.push({ label, saved: saved || '—' });
  };
  compare(t('field.name'), current.name, submitted.name);
  if (submitted.pseudonym !== undefined) compare(t('cases.pseudonym'), current.pseudonym ?? '', submitted.pseudonym);
  compare(t('cases.group'), current.group, submitted.group);
  compare(t('cases.selectionReason'), current.selectionReason, submitted.selectionReason);
  if (submitted.aliases !== undefined) compare(t('anonymise.aliases'), (current.aliases ?? []).join('\n'), submitted.aliases.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join('\n'));
  for (const type of types) {
    const value = current.attributes[type.key];
    const asForm = value === undefined ? '' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
    const sent = submitted[attributeField(type.key)];
    if (sent !== undefined && asForm !== sent.trim()) conflicts.push({ label: type.key, saved: formatAttribute(value, t, lang) || '—' });
  }
  const savedMeasures = current.measures.map((m) => `${m.variable}${m.year === null ? '' : ` (${m.year})`}: ${formatNumber(m.value, lang)}`).join('; ');
  const sentMeasures: string[] = [];
  for (let i = 0; i < measureRowCount(submitted); i++) {
    const variable = (submitted[measureField('variable', i)] ?? '').trim();
    if (!variable) continue;
    const year = (submitted[measureField('year', i)] ?? '').trim();
    const value = Number((submitted[measureField('value', i)] ?? '').trim().replace(',', '.'));
    sentMeasures.push(`${variable}${year ? ` (${year})` : ''}: ${formatNumber(value, lang)}`);
  }
  if (savedMeasures !== sentMeasures.join('; ')) conflicts.push({ label: t('cases.measures'), saved: savedMeasures || '—' });
  return conflicts;
}
