// The cross-case page's per-condition table as CSV: one record per analysed condition and per active
// grouping, with n, mean, sd, min, max, distinguishing power, the mean and n per outcome group and
// the difference, then the same without the cases explained hardly. Numbers at full precision, on
// favourability. The exports of final scores, classes and the whole analysis live elsewhere.
import type { AnalysisModel, RowStats } from '../analysis/analysis.service.ts';
import { toCsv, type CsvCell } from '../lib/csv.ts';

function statsHeader(groups: readonly string[], prefix: string): string[] {
  return [
    'n', 'mean', 'sd', 'min', 'max', 'distinguishing',
    ...groups.flatMap((g) => [`n ${g}`, `mean ${g}`]),
    'difference', 'difference_high', 'difference_low',
  ].map((h) => prefix + h);
}

function statsCells(s: RowStats, groups: readonly string[]): CsvCell[] {
  return [
    s.n, s.mean, s.sd, s.min, s.max, s.distinguishing ?? '',
    ...groups.flatMap((g) => [s.groups[g]?.n ?? 0, s.groups[g]?.mean ?? null]),
    s.difference?.value ?? null, s.difference?.high ?? '', s.difference?.low ?? '',
  ];
}

export function crossCaseCsv(model: AnalysisModel): string {
  const groups = model.outcomeGroups;
  const byCode = new Map(model.conditions.map((c) => [c.code, c]));
  const header = ['condition', 'name', 'kind', 'level', ...statsHeader(groups, ''), ...statsHeader(groups, 'without_hardly_')];
  const rows: CsvCell[][] = [
    ...model.conditionStats.map((s) => {
      const c = byCode.get(s.condition)!;
      return [c.code, c.name, c.kind, c.level, ...statsCells(s, groups), ...statsCells(s.withoutHardly, groups)];
    }),
    ...model.groupings
      .filter((g) => g.active)
      .map((g) => [g.key, `${g.name} (${g.members.join(' + ')})`, 'grouping', null, ...statsCells(g.stats, groups), ...statsCells(g.stats.withoutHardly, groups)]),
  ];
  return toCsv([header, ...rows]);
}
