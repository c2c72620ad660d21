// The downloads of a study (PRODUCT.md step 10, issue 6 item 8): ratings, final scores, classes,
// analysis and agreement as CSV and XLSX, each optionally anonymised. Every table comes from the
// service that already applies blinding (ratings: the user's own and others' only when not blind;
// final scores, classes and analysis: cases whose raters all submitted; agreement: cases no longer
// blind), so an export never shows more than the pages do.
import type { Writable } from 'node:stream';
import type { Db } from '../lib/db.ts';
import type { Repos } from '../repos.ts';
import { agreementCsv } from '../agreement/agreement.csv.ts';
import { agreementService } from '../agreement/agreement.service.ts';
import { analysisService, type AnalysisModel } from '../analysis/analysis.service.ts';
import { anonymiseService } from '../anonymise/anonymise.service.ts';
import { ratingsService } from '../ratings/ratings.service.ts';
import { reconcileService } from '../reconcile/reconcile.service.ts';
import { finalScoresCsv } from '../reconcile/reconcile.view.ts';
import {
  AGREEMENT_NUMERIC,
  agreementCaseCell,
  analysisTables,
  classesTable,
  classMatrixTable,
  tableCsv,
  tableFromCsv,
  type Table,
} from './exports.tables.ts';
import { writeWorkbook } from './exports.xlsx.ts';

/** The workbooks (one XLSX each, a sheet per table). */
export const WORKBOOKS = ['ratings', 'final-scores', 'classes', 'analysis', 'agreement'] as const;
export type Workbook = (typeof WORKBOOKS)[number];

/** Tables with a CSV of their own under /exports (ratings, final scores and agreement have theirs already). */
export const CSV_TABLES = {
  classes: 'classes',
  'class-matrix': 'classes',
  'analysis-cases': 'analysis',
  'analysis-conditions': 'analysis',
  'analysis-relations': 'analysis',
  'analysis-level-pairs': 'analysis',
  'analysis-correlations': 'analysis',
  'analysis-groupings': 'analysis',
} as const satisfies Record<string, Workbook>;
export type CsvTable = keyof typeof CSV_TABLES;

export const isWorkbook = (name: string): name is Workbook => (WORKBOOKS as readonly string[]).includes(name);
export const isCsvTable = (name: string): name is CsvTable => Object.hasOwn(CSV_TABLES, name);

export function exportsService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const ratings = ratingsService(deps);
  const reconcile = reconcileService(deps);
  const agreement = agreementService(deps);
  const analysis = analysisService(deps);
  const anonymise = anonymiseService(deps);

  /** The tables of a workbook as `userId` may see them; `model`: the study's analysis model, when the caller has it. */
  function tables(workbook: Workbook, studyId: number, userId: number, model?: AnalysisModel): Table[] {
    switch (workbook) {
      case 'ratings':
        return [tableFromCsv('ratings', 'ratings', ratings.csv(studyId, userId), ['score'])];
      case 'final-scores':
        return [tableFromCsv('final-scores', 'final scores', finalScoresCsv(reconcile.finalScores(studyId)), ['score'])];
      case 'agreement': {
        const table = tableFromCsv('agreement', 'agreement', agreementCsv(agreement.agreement(studyId)), AGREEMENT_NUMERIC);
        return [{ ...table, caseCell: agreementCaseCell(table.header) }];
      }
      case 'classes': {
        const m = model ?? analysis.model(studyId);
        return [classesTable(m), classMatrixTable(m)];
      }
      case 'analysis':
        return analysisTables(model ?? analysis.model(studyId));
    }
  }

  const maybeAnonymised = (studyId: number, list: Table[], anonymised: boolean) => (anonymised ? anonymise.tables(studyId, list) : list);

  return {
    tables: (workbook: Workbook, studyId: number, userId: number, anonymised: boolean) => maybeAnonymised(studyId, tables(workbook, studyId, userId), anonymised),

    /** The tables of a workbook as they are before anonymising (the leak check anonymises them with its own mapping). */
    namedTables: tables,

    /** One table as CSV. */
    csv(name: CsvTable, studyId: number, userId: number, anonymised: boolean): string {
      const table = tables(CSV_TABLES[name], studyId, userId).find((t) => t.name === name)!;
      return tableCsv(maybeAnonymised(studyId, [table], anonymised)[0]!);
    },

    /**
     * A workbook as XLSX: its tables are read now (so a problem with them is an error page), and the
     * returned function streams the file to `out` (see writeWorkbook).
     */
    xlsx(workbook: Workbook, studyId: number, userId: number, anonymised: boolean): (out: Writable) => Promise<void> {
      const list = maybeAnonymised(studyId, tables(workbook, studyId, userId), anonymised);
      const created = deps.now();
      return (out) => writeWorkbook(out, list, { title: workbook, created });
    },
  };
}
export type ExportsService = ReturnType<typeof exportsService>;
