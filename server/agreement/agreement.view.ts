// The agreement page as plain data: every statistic formatted for the reader's language, or n/a with
// the reason in words, so the template only prints.
import type { Language, Translate } from '../lib/i18n.ts';
import type { AgreementSummary, RaterPairAgreement, UndefinedReason } from './agreement.rules.ts';
import type { AgreementService } from './agreement.service.ts';

/** A formatted value, or n/a with the reason. */
export type ValueView = { na: false; text: string } | { na: true; reason: string };

export interface SummaryRowView {
  label: string;
  /** A second line under the label, e.g. the condition's name. */
  detail?: string;
  units: number;
  exact: ValueView;
  within1: ValueView;
  alpha: { nominal: ValueView; ordinal: ValueView; interval: ValueView };
}

export interface PairRowView {
  raters: [string, string];
  units: number;
  exact: ValueView;
  within1: ValueView;
  kappa: { unweighted: ValueView; linear: ValueView; quadratic: ValueView };
}

const LOCALES: Record<Language, string> = { en: 'en-GB', nl: 'nl-NL' };

export function agreementView(studyId: number, data: ReturnType<AgreementService['page']>, t: Translate, language: Language) {
  const { report, caseNames, conditionNames } = data;
  const percentFormat = new Intl.NumberFormat(LOCALES[language], { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const coefficientFormat = new Intl.NumberFormat(LOCALES[language], { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const value = (v: number | null, reason: UndefinedReason | undefined, format: Intl.NumberFormat): ValueView =>
    v === null ? { na: true, reason: t(`agreement.reason.${reason ?? 'no-pairs'}`) } : { na: false, text: format.format(v) };
  const percent = (v: number | null, reason?: UndefinedReason) => value(v, reason, percentFormat);
  const coefficient = (v: number | null, reason?: UndefinedReason) => value(v, reason, coefficientFormat);

  const summaryRow = (label: string, s: AgreementSummary, detail?: string): SummaryRowView => ({
    label,
    ...(detail ? { detail } : {}),
    units: s.units,
    exact: percent(s.exact, s.reasons.exact),
    within1: percent(s.within1, s.reasons.within1),
    alpha: {
      nominal: coefficient(s.alpha.nominal, s.reasons.alpha?.nominal),
      ordinal: coefficient(s.alpha.ordinal, s.reasons.alpha?.ordinal),
      interval: coefficient(s.alpha.interval, s.reasons.alpha?.interval),
    },
  });
  const pairRow = (p: RaterPairAgreement): PairRowView => ({
    raters: p.raters,
    units: p.units,
    exact: percent(p.exact, p.reasons.exact),
    within1: percent(p.within1, p.reasons.within1),
    kappa: {
      unweighted: coefficient(p.kappa.unweighted, p.reasons.kappa?.unweighted),
      linear: coefficient(p.kappa.linear, p.reasons.kappa?.linear),
      quadratic: coefficient(p.kappa.quadratic, p.reasons.kappa?.quadratic),
    },
  });

  const { pairs, counts } = report.differences;
  return {
    scale: report.scale,
    hasUnits: report.overall.units > 0,
    basis: { units: report.overall.units, cases: report.byCase.filter((c) => c.units > 0).length, pairs, ...report.scale },
    csvHref: `/studies/${studyId}/agreement.csv`,
    jsonHref: `/studies/${studyId}/agreement.json`,
    overall: [summaryRow(t('agreement.allUnits'), report.overall)],
    byLevel: report.byLevel.map((g) => summaryRow(t('agreement.level', { level: g.level }), g)),
    byCondition: report.byCondition.map((g) => summaryRow(g.condition, g, conditionNames.get(g.condition))),
    byCase: report.byCase.map((g) => summaryRow(caseNames.get(g.case) ?? g.case, g)),
    byRaterPair: report.byRaterPair.map(pairRow),
    differences: {
      pairs,
      rows: counts.map((count, difference) => ({
        difference,
        count,
        share: pairs > 0 ? percent(count / pairs) : percent(null, 'no-pairs'),
      })),
    },
  };
}
