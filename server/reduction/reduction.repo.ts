// SQL of complexity reduction that the rating forms need: which conditions a case's form leaves out.
// The reduction log itself (insert, revert, read) is in analysis.repo.ts; which methods drop a
// condition is dropsCondition in analysis.rules.ts.
import type { Db } from '../lib/db.ts';
import { dropsCondition, type ReductionMethod } from '../analysis/analysis.rules.ts';

export function reductionRepo(db: Db) {
  // Active decisions on conditions that nobody has a rating row of in this case (a draft counts).
  const unratedActive = db.prepare<{ studyId: number; caseId: number }, { code: string; method: ReductionMethod }>(
    `SELECT k.code, r.method FROM reductions r JOIN conditions k ON k.id = r.condition_id
     WHERE r.study_id = @studyId AND r.reverted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM ratings g WHERE g.case_id = @caseId AND g.condition_id = r.condition_id)`,
  );

  return {
    /**
     * The codes a case's rating form leaves out (one statement): conditions dropped by an active
     * decision (method 1, 2 or 4) that no rater of the case has rated yet. Where someone has, the
     * condition stays, so every rater of the case rates the same conditions and can submit.
     */
    droppedUnrated(studyId: number, caseId: number): Set<string> {
      return new Set(unratedActive.all({ studyId, caseId }).filter((r) => dropsCondition(r.method)).map((r) => r.code));
    },
  };
}
export type ReductionRepo = ReturnType<typeof reductionRepo>;
