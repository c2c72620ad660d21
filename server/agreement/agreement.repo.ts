// SQL for agreement: the submitted scores that count, in one statement. Which cases may be read is
// the ratings repository's blinding rule (NOT_BLIND), used here, not restated.
import type { Db } from '../lib/db.ts';
import { NOT_BLIND, RATABLE } from '../ratings/ratings.repo.ts';

/** One submitted rating of a ratable condition of a case that is no longer blind. score NULL = cannot judge. */
export interface AgreementRatingRow {
  case_key: string;
  case_name: string;
  code: string;
  condition_name: string;
  level: number;
  /** The condition's place in the framework, for listing conditions in framework order. */
  condition_position: number;
  email: string;
  score: number | null;
}

export function agreementRepo(db: Db) {
  // Only what counts: submitted (drafts stay private and may still change), cases that are not blind,
  // and ratable conditions (rated, without sub-conditions; as ratableCodes in studyfile.validate.ts).
  const submitted = db.prepare<[number], AgreementRatingRow>(
    `SELECT c.key AS case_key, c.name AS case_name, k.code, k.name AS condition_name, k.level, k.position AS condition_position, u.email, r.score
     FROM ratings r
       JOIN cases c ON c.id = r.case_id
       JOIN conditions k ON k.id = r.condition_id
       JOIN users u ON u.id = r.rater_id
     WHERE c.study_id = ? AND r.submitted_at IS NOT NULL AND ${NOT_BLIND}
       AND ${RATABLE}
     ORDER BY c.position, k.position, u.email`,
  );

  return {
    /** Every submitted score that counts for agreement, by case, condition and rater. */
    submittedScores: (studyId: number) => submitted.all(studyId),
  };
}
export type AgreementRepo = ReturnType<typeof agreementRepo>;
