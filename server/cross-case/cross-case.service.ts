// What the cross-case page reads (PRODUCT.md workflow step 9): the study's analysis model (final
// scores of ready cases only, so nothing blind is read here), the framework's level names and the
// case attribute types, in a constant number of statements whatever the number of cases. On top of
// the model: the cases in the chosen order, the classes of the groupings' combined rows, the
// correlation grid with the n of the pairs left out, the scatter plot's points and the explanation
// degree × attribute tables.
import type { AnalysisCase, AnalysisModel, AnalysisService, Correlation } from '../analysis/analysis.service.ts';
import type { ClassName } from '../analysis/analysis.rules.ts';
import { attributeColumns, type AttributeColumn } from '../cases/cases.view.ts';
import type { Repos } from '../repos.ts';
import type { StudyRow } from '../studies/studies.repo.ts';
import { contingency, orderCases, pairCount, type ContingencyTable, type Direction } from './cross-case.rules.ts';

/** `?order=case`: the cases' own order. */
export const CASE_ORDER = 'case';

export interface CrossCaseQuery {
  order?: string | undefined;
  dir?: Direction | undefined;
  x?: string | undefined;
}

export interface CorrelationCell extends Correlation {
  /** Fewer than 3 cases have both values: the model leaves the pair out, the page says so. */
  omitted: boolean;
}

export interface CrossCasePage {
  model: AnalysisModel;
  levelNames: Map<number, string>;
  /** Every condition's name by code, dropped ones too. */
  conditionNames: Map<string, string>;
  /** The measure the cases are ordered by (null: case order), the direction, and the default measure. */
  order: { measure: string | null; dir: Direction; defaultMeasure: string | null };
  cases: AnalysisCase[];
  /** Active groupings (a member has a method-3 decision) with their classes per case. */
  groupings: Array<{ key: string; classes: Record<string, ClassName> }>;
  /** x = "total" and every analysed rated condition; y = every measure. */
  correlations: { xs: string[]; ys: string[]; cells: Map<string, CorrelationCell> };
  scatter: {
    measure: string | null;
    points: Array<{ case: AnalysisCase; x: number; y: number }>;
    correlation: CorrelationCell | null;
  };
  attributes: AttributeColumn[];
  /** The outcome group first (when cases have groups), then one per attribute. */
  tables: ContingencyTable[];
}

export const correlationKey = (x: string, y: string) => `${x}\u0000${y}`;

export function crossCaseService(deps: { analysis: AnalysisService; repos: Repos }) {
  return {
    page(study: StudyRow, query: CrossCaseQuery): CrossCasePage {
      const model = deps.analysis.model(study.id);
      const framework = deps.repos.framework.load(study.id, study.framework_title, study.framework_revision).doc;
      const types = deps.repos.cases.attributeTypes(study.id);

      // Order: a measure the cases have, or case order; by default the outcome (a level-0 measured condition).
      const measures = new Set(model.measures);
      const outcome = model.conditions.find((c) => c.level === 0 && c.kind === 'measured' && measures.has(c.code));
      const defaultMeasure = outcome?.code ?? null;
      const measure = query.order === CASE_ORDER ? null : query.order !== undefined && measures.has(query.order) ? query.order : defaultMeasure;
      const dir = query.dir ?? 'asc';
      const cases = orderCases(model.cases, measure, dir);

      const groupings = model.groupings
        .filter((g) => g.active)
        .map((g) => ({ key: g.key, classes: g.classes }));

      // Correlations: every pair, with the n of the ones the model left out (n < 3).
      const rated = model.conditions.filter((c) => c.kind === 'rated');
      const xs = ['total', ...rated.map((c) => c.code)];
      const xOf = (x: string) => (c: AnalysisCase) => (x === 'total' ? (c.total.mean ?? undefined) : model.cells[c.key]?.[x]?.favourability);
      const found = new Map(model.correlations.map((c) => [correlationKey(c.x, c.y), c]));
      const cells = new Map<string, CorrelationCell>();
      for (const x of xs) {
        for (const y of model.measures) {
          const c = found.get(correlationKey(x, y));
          cells.set(
            correlationKey(x, y),
            c ? { ...c, omitted: false } : { x, y, n: pairCount(model.cases, xOf(x), (k) => k.measures[y]), pearson: null, spearman: null, omitted: true },
          );
        }
      }

      // Scatter: total (mean) against the chosen measure; by default the ordering measure, else the first.
      const scatterMeasure =
        query.x !== undefined && measures.has(query.x) ? query.x : measure ?? defaultMeasure ?? model.measures[0] ?? null;
      const points =
        scatterMeasure === null
          ? []
          : cases.flatMap((c) =>
              c.total.mean !== null && c.measures[scatterMeasure] !== undefined ? [{ case: c, x: c.measures[scatterMeasure]!, y: c.total.mean }] : [],
            );

      // Explanation degree × outcome group and × each attribute.
      const attributes = attributeColumns(types, model.cases.map((c) => c.attributes));
      const tables: ContingencyTable[] = [];
      if (model.outcomeGroups.length) tables.push(contingency(null, model.cases, (c) => (c.group === '' ? undefined : c.group)));
      for (const a of attributes) tables.push(contingency(a.key, model.cases, (c) => c.attributes[a.key]));

      return {
        model,
        levelNames: new Map(framework.levels.map((l) => [l.number, l.name])),
        conditionNames: new Map(framework.conditions.map((c) => [c.code, c.name])),
        order: { measure, dir, defaultMeasure },
        cases,
        groupings,
        correlations: { xs, ys: model.measures, cells },
        scatter: {
          measure: scatterMeasure,
          points,
          correlation: scatterMeasure === null ? null : (cells.get(correlationKey('total', scatterMeasure)) ?? null),
        },
        attributes,
        tables,
      };
    },
  };
}
export type CrossCaseService = ReturnType<typeof crossCaseService>;
