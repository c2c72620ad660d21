// Agreement of the independent scores of a study (PRODUCT.md "Agreement"; cli.md "agreement ID"):
// the submitted scores that count come from one statement, the statistics from agreement.rules.ts.
import { notFound } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import type { AgreementRatingRow } from './agreement.repo.ts';
import {
  byRaterPair,
  differenceCounts,
  summarise,
  summariseBy,
  type AgreementSummary,
  type RatedUnit,
  type RaterPairAgreement,
  type Scale,
  type Score,
} from './agreement.rules.ts';

/**
 * The shape of `agreement ID --format json` in cli.md. Undefined statistics are null, and `reasons`
 * on each row says why. `differences` extends the documented shape: counts[d] is the number of rater
 * pairs within units whose scores are d points apart, d = 0 … max − min; `pairs` is their total.
 */
export interface AgreementReport {
  study: number;
  scale: Scale;
  overall: AgreementSummary;
  byLevel: Array<{ level: number } & AgreementSummary>;
  byCondition: Array<{ condition: string } & AgreementSummary>;
  byCase: Array<{ case: string } & AgreementSummary>;
  /** Raters by email, sorted. */
  byRaterPair: RaterPairAgreement[];
  differences: { pairs: number; counts: number[] };
}

/** One unit per (case, condition) that has submitted scores, with every rater's score (null = cannot judge). */
function unitsOf(rows: readonly AgreementRatingRow[]): Array<RatedUnit & { level: number; condition: string; case: string; position: number }> {
  const units = new Map<string, RatedUnit & { level: number; condition: string; case: string; position: number; scores: Record<string, Score> }>();
  for (const row of rows) {
    const id = JSON.stringify([row.case_key, row.code]);
    let unit = units.get(id);
    if (!unit) {
      unit = { id, case: row.case_key, condition: row.code, level: row.level, position: row.condition_position, scores: {} };
      units.set(id, unit);
    }
    unit.scores[row.email] = row.score;
  }
  return [...units.values()];
}

export function agreementService(deps: { repos: Repos }) {
  const { repos } = deps;

  function compute(studyId: number) {
    const study = repos.studies.findById(studyId);
    if (!study) throw notFound();
    const scale: Scale = { min: study.scale_min, max: study.scale_max };
    const rows = repos.agreement.submittedScores(studyId);
    // Rows come in case order, then framework order; the groups keep that order, levels go by number.
    const units = unitsOf(rows);
    const inFrameworkOrder = [...units].sort((a, b) => a.position - b.position);
    const byLevelNumber = [...units].sort((a, b) => a.level - b.level);
    const counts = differenceCounts(units, scale);
    const report: AgreementReport = {
      study: studyId,
      scale,
      overall: summarise(units, scale),
      byLevel: summariseBy(byLevelNumber, scale, 'level') as AgreementReport['byLevel'],
      byCondition: summariseBy(inFrameworkOrder, scale, 'condition'),
      byCase: summariseBy(units, scale, 'case'),
      byRaterPair: byRaterPair(units, scale),
      differences: { pairs: counts.reduce((a, b) => a + b, 0), counts },
    };
    return { report, rows };
  }

  return {
    /** The statistics of the study in the shape of cli.md; 404 for an unknown study. */
    agreement: (studyId: number): AgreementReport => compute(studyId).report,

    /** The statistics with the names of the cases and conditions they mention, for the page. */
    page(studyId: number) {
      const { report, rows } = compute(studyId);
      return {
        report,
        caseNames: new Map(rows.map((r) => [r.case_key, r.case_name])),
        conditionNames: new Map(rows.map((r) => [r.code, r.condition_name])),
      };
    },
  };
}
export type AgreementService = ReturnType<typeof agreementService>;
