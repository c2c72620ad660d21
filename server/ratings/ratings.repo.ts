// SQL for ratings. Blinding lives here, next to the SQL: `visibleForExport` returns a rating only
// when its case is no longer blind (every assigned rater has submitted every rating of the case),
// and never a draft, unless the caller asks for the complete archive.
import type { Db } from '../lib/db.ts';

export interface ExportRatingRow {
  case_key: string;
  code: string;
  email: string;
  score: number | null;
  rationale: string;
  submitted_at: string | null;
}

export function ratingsRepo(db: Db) {
  const select = `SELECT c.key AS case_key, k.code, u.email, r.score, r.rationale, r.submitted_at
     FROM ratings r JOIN cases c ON c.id = r.case_id JOIN conditions k ON k.id = r.condition_id JOIN users u ON u.id = r.rater_id
     WHERE c.study_id = ?`;
  const order = 'ORDER BY c.position, k.position, u.email';
  const all = db.prepare<[number], ExportRatingRow>(`${select} ${order}`);
  // A case is unblinded when it has raters and none of them has a draft or a missing submission.
  const unblinded = db.prepare<[number], ExportRatingRow>(
    `${select} AND r.submitted_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM case_raters cr WHERE cr.case_id = c.id)
       AND NOT EXISTS (SELECT 1 FROM case_raters cr WHERE cr.case_id = c.id AND (
             NOT EXISTS (SELECT 1 FROM ratings x WHERE x.case_id = c.id AND x.rater_id = cr.user_id)
             OR EXISTS (SELECT 1 FROM ratings x WHERE x.case_id = c.id AND x.rater_id = cr.user_id AND x.submitted_at IS NULL)))
     ${order}`,
  );
  const insert = db.prepare(
    `INSERT INTO ratings (case_id, condition_id, rater_id, score, rationale, submitted_at, created_at, updated_at)
     VALUES (@caseId, @conditionId, @raterId, @score, @rationale, @submittedAt, @now, @now)`,
  );

  return {
    /** `archive`: every rating, drafts included (operators' full export); `unblinded`: what a lead may see. */
    forExport: (studyId: number, scope: 'archive' | 'unblinded') => (scope === 'archive' ? all : unblinded).all(studyId),
    insert: (r: { caseId: number; conditionId: number; raterId: number; score: number | null; rationale: string; submittedAt: string | null; now: string }) =>
      insert.run(r),
  };
}
export type RatingsRepo = ReturnType<typeof ratingsRepo>;
