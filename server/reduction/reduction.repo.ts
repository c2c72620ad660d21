// SQL of complexity reduction that the rating forms need: which conditions a case's form leaves out.
// The reduction log itself (insert, revert, read) is in analysis.repo.ts; which methods drop a
// condition is dropsCondition in analysis.rules.ts.
import type { Db } from '../lib/db.ts';
import { dropsCondition, type ReductionMethod } from '../analysis/analysis.rules.ts';

export function reductionRepo(db: Db) {
  // Active decisions on conditions without a rating row in this case (a draft counts) by the rater,
  // or, with @raterId NULL (the lead's page), by anyone.
  const unratedActive = db.prepare<{ studyId: number; caseId: number; raterId: number | null }, { code: string; method: ReductionMethod }>(
    `SELECT k.code, r.method FROM reductions r JOIN conditions k ON k.id = r.condition_id
     WHERE r.study_id = @studyId AND r.reverted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM ratings g WHERE g.case_id = @caseId AND g.condition_id = r.condition_id
                       AND (@raterId IS NULL OR g.rater_id = @raterId))`,
  );

  // The same for every case of one rater at once (their "My cases"), as (case, code, method) rows.
  const unratedActiveOfRater = db.prepare<{ studyId: number; raterId: number }, { case_id: number; code: string; method: ReductionMethod }>(
    `SELECT cr.case_id, k.code, r.method FROM case_raters cr JOIN cases c ON c.id = cr.case_id
       JOIN reductions r ON r.study_id = c.study_id AND r.reverted_at IS NULL JOIN conditions k ON k.id = r.condition_id
     WHERE c.study_id = @studyId AND cr.user_id = @raterId
       AND NOT EXISTS (SELECT 1 FROM ratings g WHERE g.case_id = cr.case_id AND g.condition_id = r.condition_id AND g.rater_id = @raterId)`,
  );

  const active = db.prepare<[number], { code: string; method: ReductionMethod }>(
    `SELECT k.code, r.method FROM reductions r JOIN conditions k ON k.id = r.condition_id WHERE r.study_id = ? AND r.reverted_at IS NULL`,
  );

  return {
    /** The codes an active decision drops, whoever rated them (the ratings CSV import's required set). */
    dropped(studyId: number): Set<string> {
      return new Set(active.all(studyId).filter((r) => dropsCondition(r.method)).map((r) => r.code));
    },
    /**
     * The codes a rater's form of a case leaves out (one statement): conditions dropped by an active
     * decision (method 1, 2 or 4) that this rater has not rated in this case. A condition the rater
     * has a rating of stays, so they can finish and submit; what other raters did never changes a
     * rater's form (blinding). Without a rater (the lead's page): dropped unless anyone rated it.
     */
    droppedUnrated(studyId: number, caseId: number, raterId: number | null): Set<string> {
      return new Set(unratedActive.all({ studyId, caseId, raterId }).filter((r) => dropsCondition(r.method)).map((r) => r.code));
    },
    /** `droppedUnrated` for every case the rater is assigned to (one statement): case id → codes left out of their form. */
    droppedUnratedOfRater(studyId: number, raterId: number): Map<number, Set<string>> {
      const dropped = new Map<number, Set<string>>();
      for (const r of unratedActiveOfRater.all({ studyId, raterId })) {
        if (!dropsCondition(r.method)) continue;
        const codes = dropped.get(r.case_id);
        if (codes) codes.add(r.code);
        else dropped.set(r.case_id, new Set([r.code]));
      }
      return dropped;
    },
  };
}
export type ReductionRepo = ReturnType<typeof reductionRepo>;
