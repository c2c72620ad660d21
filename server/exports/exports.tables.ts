// The tables of the downloads (PRODUCT.md step 10): one shape for CSV and XLSX, so both formats and
// the anonymised variants say the same. Pure: the service passes in what the blinding-aware services
// returned. Tables of existing CSV downloads (ratings, final scores, agreement) are read back from
// those CSV writers, so their columns are defined in one place.
import { parseCsv } from '../cases/cases.csv.ts';
import { toCsv, unguardFormula } from '../lib/csv.ts';
import type { AnalysisModel } from '../analysis/analysis.service.ts';

export type Cell = string | number | boolean | null;

export interface Table {
  /** The CSV file name without extension ("analysis-cases"). */
  name: string;
  /** The worksheet name in an XLSX workbook (at most 31 characters). */
  sheet: string;
  header: string[];
  rows: Cell[][];
  /** Which cells hold a case key (anonymisation replaces them by pseudonymous keys). Default: the column `case`. */
  caseCell?: (row: readonly Cell[], column: number) => boolean;
}

/** The default: the cells of a column named `case`. */
export const caseColumn = (table: Pick<Table, 'header'>) => {
  const index = table.header.indexOf('case');
  return (_row: readonly Cell[], column: number) => column === index;
};

/** The table as CSV with the shared writer (formula-guarded, CRLF); booleans as true/false. */
export function tableCsv(table: Table): string {
  return toCsv([table.header, ...table.rows.map((row) => row.map((c) => (typeof c === 'boolean' ? String(c) : c)))]);
}

const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A table from a CSV that Kader wrote: cells of `numeric` columns that were written as numbers become
 * numbers again (the writer wrote them with String(), so this is exact), empty cells null, and the
 * formula guard is taken off text (the writers put it back).
 */
export function tableFromCsv(name: string, sheet: string, csv: string, numeric: readonly string[] = []): Table {
  const [head, ...body] = parseCsv(csv);
  const header = head?.fields ?? [];
  const numericAt = new Set(numeric.map((c) => header.indexOf(c)).filter((i) => i >= 0));
  return {
    name,
    sheet,
    header,
    rows: body.map((r) => r.fields.map((f, i) => (f === '' ? null : numericAt.has(i) && NUMBER.test(f) ? Number(f) : unguardFormula(f)))),
  };
}

/** The agreement CSV's numeric columns, and its case cells: the key of a `case` record. */
export const AGREEMENT_NUMERIC = ['units', 'exact', 'within1', 'alpha_nominal', 'alpha_ordinal', 'alpha_interval', 'kappa_unweighted', 'kappa_linear', 'kappa_quadratic'];
export const agreementCaseCell = (header: readonly string[]) => {
  const scope = header.indexOf('scope');
  const key = header.indexOf('key');
  return (row: readonly Cell[], column: number) => column === key && row[scope] === 'case';
};

const orNull = (v: number | null | undefined) => (v === undefined || v === null || !Number.isFinite(v) ? null : v);

/** Per case and analysed condition: value, favourability and class (only where a value exists). */
export function classesTable(m: AnalysisModel): Table {
  const rows: Cell[][] = [];
  for (const c of m.cases) {
    for (const k of m.conditions) {
      const cell = m.cells[c.key]?.[k.code];
      if (cell) rows.push([c.key, k.code, k.level, k.kind, cell.raw, cell.favourability, cell.class, cell.source]);
    }
  }
  return { name: 'classes', sheet: 'classes', header: ['case', 'condition', 'level', 'kind', 'value', 'favourability', 'class', 'source'], rows };
}

/** Cases × conditions: the class of each cell (empty where there is no value), as in the heat map. */
export function classMatrixTable(m: AnalysisModel): Table {
  return {
    name: 'class-matrix',
    sheet: 'class matrix',
    header: ['case', ...m.conditions.map((k) => k.code)],
    rows: m.cases.map((c) => [c.key, ...m.conditions.map((k) => m.cells[c.key]?.[k.code]?.class ?? null)]),
  };
}

/** One row per case: outcome group, total, explanation degree, narrative, attributes and measures. */
export function analysisCasesTable(m: AnalysisModel): Table {
  const attributes = [...new Set(m.cases.flatMap((c) => Object.keys(c.attributes)))];
  return {
    name: 'analysis-cases',
    sheet: 'cases',
    header: [
      'case', 'name', 'group', 'ready', 'total_sum', 'total_mean', 'total_n', 'explanation_degree', 'suggested_strength', 'suggested_degree', 'narrative',
      ...attributes.map((a) => `attribute:${a}`), ...m.measures.map((v) => `measure:${v}`),
    ],
    rows: m.cases.map((c) => [
      c.key, c.name, c.group || null, c.ready, c.total.sum, orNull(c.total.mean), c.total.n, c.explanationDegree, orNull(c.suggestion.strength), c.suggestion.label, c.narrative || null,
      ...attributes.map((a) => c.attributes[a] ?? null), ...m.measures.map((v) => orNull(c.measures[v])),
    ]),
  };
}

/** Per analysed condition: n, mean, sd, distinguishing power, the mean per outcome group and the difference, and the same without 'hardly' cases. */
export function analysisConditionsTable(m: AnalysisModel): Table {
  const groups = m.outcomeGroups;
  const names = new Map(m.conditions.map((k) => [k.code, k]));
  return {
    name: 'analysis-conditions',
    sheet: 'conditions',
    header: [
      'condition', 'name', 'level', 'kind', 'n', 'mean', 'sd', 'min', 'max', 'distinguishing',
      ...groups.flatMap((g) => [`n:${g}`, `mean:${g}`]), 'difference', 'difference_high', 'difference_low',
      'n_without_hardly', 'mean_without_hardly', 'sd_without_hardly', 'difference_without_hardly',
    ],
    rows: m.conditionStats.map((s) => [
      s.condition, names.get(s.condition)?.name ?? '', names.get(s.condition)?.level ?? null, s.kind, s.n, orNull(s.mean), orNull(s.sd), orNull(s.min), orNull(s.max), s.distinguishing,
      ...groups.flatMap((g) => [s.groups[g]?.n ?? 0, orNull(s.groups[g]?.mean)]),
      orNull(s.difference?.value), s.difference?.high ?? null, s.difference?.low ?? null,
      s.withoutHardly.n, orNull(s.withoutHardly.mean), orNull(s.withoutHardly.sd), orNull(s.withoutHardly.difference?.value),
    ]),
  };
}

/** Every relation's verdict in every case. */
export function analysisRelationsTable(m: AnalysisModel): Table {
  return {
    name: 'analysis-relations',
    sheet: 'relations',
    header: ['case', 'from', 'to', 'from_level', 'to_level', 'feedback', 'verdict'],
    rows: m.relations.map((r) => [r.case, r.from, r.to, r.fromLevel, r.toLevel, r.feedback, r.verdict]),
  };
}

/** Per case and pair of levels: the verdict counts and the strength; the skip-level-1 pairs marked as such. */
export function analysisLevelPairsTable(m: AnalysisModel): Table {
  const row = (view: string) => (p: AnalysisModel['levelPairs'][number]): Cell[] => [
    p.case, view, p.from, p.to, p.relations, p.applies, p.possibly, p.unlikely, p.unknown, orNull(p.strength), p.label,
  ];
  return {
    name: 'analysis-level-pairs',
    sheet: 'level pairs',
    header: ['case', 'view', 'from_level', 'to_level', 'relations', 'applies', 'possibly', 'unlikely', 'unknown', 'strength', 'label'],
    rows: [...m.levelPairs.map(row('relations')), ...m.skipLevel1.levelPairs.map(row('skip-level-1'))],
  };
}

/** Pearson and Spearman of the total and every rated condition with every measure. */
export function analysisCorrelationsTable(m: AnalysisModel): Table {
  return {
    name: 'analysis-correlations',
    sheet: 'correlations',
    header: ['x', 'y', 'n', 'pearson', 'spearman'],
    rows: m.correlations.map((c) => [c.x, c.y, c.n, orNull(c.pearson), orNull(c.spearman)]),
  };
}

/** The framework's groupings as combined rows: members, whether a method-3 decision makes them active, and their statistics. */
export function analysisGroupingsTable(m: AnalysisModel): Table {
  return {
    name: 'analysis-groupings',
    sheet: 'groupings',
    header: ['grouping', 'name', 'members', 'active', 'n', 'mean', 'sd', 'distinguishing'],
    rows: m.groupings.map((g) => [g.key, g.name, g.members.join(' '), g.active, g.stats.n, orNull(g.stats.mean), orNull(g.stats.sd), g.stats.distinguishing]),
  };
}

/** The analysis workbook, one table per sheet. */
export function analysisTables(m: AnalysisModel): Table[] {
  return [
    analysisCasesTable(m),
    analysisConditionsTable(m),
    classesTable(m),
    analysisRelationsTable(m),
    analysisLevelPairsTable(m),
    analysisCorrelationsTable(m),
    analysisGroupingsTable(m),
  ];
}
