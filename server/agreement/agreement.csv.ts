// The agreement statistics as CSV (the page's download and `kader agreement ID --format csv`): one
// record per group of units, empty cells where a statistic does not apply or is undefined, and a
// note in English that says why a value is undefined.
import { toCsv, type CsvCell } from '../lib/csv.ts';
import { translate } from '../lib/i18n.ts';
import type { AgreementSummary, RaterPairAgreement, UndefinedReason } from './agreement.rules.ts';
import type { AgreementReport } from './agreement.service.ts';

export const AGREEMENT_CSV_HEADER = [
  'scope',
  'key',
  'units',
  'exact',
  'within1',
  'alpha_nominal',
  'alpha_ordinal',
  'alpha_interval',
  'kappa_unweighted',
  'kappa_linear',
  'kappa_quadratic',
  'note',
] as const;

/** "exact, within1: no two scores to compare; alpha_nominal: all scores are the same": undefined columns grouped by reason. */
function note(undefinedColumns: [string, UndefinedReason | undefined][]): string {
  const byReason = new Map<UndefinedReason, string[]>();
  for (const [column, reason] of undefinedColumns) if (reason) byReason.set(reason, [...(byReason.get(reason) ?? []), column]);
  return [...byReason].map(([reason, columns]) => `${columns.join(', ')}: ${translate('en', `agreement.reason.${reason}`)}`).join('; ');
}

function summaryRecord(scope: string, key: string | number, s: AgreementSummary): CsvCell[] {
  const { reasons } = s;
  return [
    scope, key, s.units, s.exact, s.within1, s.alpha.nominal, s.alpha.ordinal, s.alpha.interval, null, null, null,
    note([
      ['exact', reasons.exact],
      ['within1', reasons.within1],
      ['alpha_nominal', reasons.alpha?.nominal],
      ['alpha_ordinal', reasons.alpha?.ordinal],
      ['alpha_interval', reasons.alpha?.interval],
    ]),
  ];
}

function pairRecord(p: RaterPairAgreement): CsvCell[] {
  const { reasons } = p;
  return [
    'rater-pair', p.raters.join('|'), p.units, p.exact, p.within1, null, null, null, p.kappa.unweighted, p.kappa.linear, p.kappa.quadratic,
    note([
      ['exact', reasons.exact],
      ['within1', reasons.within1],
      ['kappa_unweighted', reasons.kappa?.unweighted],
      ['kappa_linear', reasons.kappa?.linear],
      ['kappa_quadratic', reasons.kappa?.quadratic],
    ]),
  ];
}

export function agreementCsv(report: AgreementReport): string {
  return toCsv([
    AGREEMENT_CSV_HEADER,
    summaryRecord('overall', '', report.overall),
    ...report.byLevel.map((g) => summaryRecord('level', g.level, g)),
    ...report.byCondition.map((g) => summaryRecord('condition', g.condition, g)),
    ...report.byCase.map((g) => summaryRecord('case', g.case, g)),
    ...report.byRaterPair.map(pairRecord),
  ]);
}
