// SQL for rater assignment beyond cases.repo: whole-study sets of rating counts and interview
// attendance (one statement each, whatever the number of cases), a rater's own cases with only
// their own progress (blinding: no other rater's row is ever read here), and replacing a case's raters.
import type { Db } from '../lib/db.ts';

export interface RatingCountRow {
  case_id: number;
  rater_id: number;
  drafts: number;
  submitted: number;
}

export interface AttendanceRow {
  case_id: number;
  user_id: number;
}

export interface MyCaseRow {
  id: number;
  key: string;
  name: string;
  pseudonym: string | null;
  /** 1 for the first rater, 2 for the second, … (whatever the stored position numbers). */
  rank: number;
  drafts: number;
  submitted: number;
}

export function assignmentRepo(db: Db) {
  const ratingCounts = db.prepare<[number], RatingCountRow>(
    `SELECT r.case_id, r.rater_id, sum(r.submitted_at IS NULL) AS drafts, sum(r.submitted_at IS NOT NULL) AS submitted
     FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.study_id = ? GROUP BY r.case_id, r.rater_id`,
  );
  const ratingCountsOf = db.prepare<[number], RatingCountRow>(
    `SELECT case_id, rater_id, sum(submitted_at IS NULL) AS drafts, sum(submitted_at IS NOT NULL) AS submitted
     FROM ratings WHERE case_id = ? GROUP BY rater_id`,
  );
  const attendance = db.prepare<[number], AttendanceRow>(
    `SELECT DISTINCT i.case_id, ii.user_id FROM interviews i JOIN interview_interviewers ii ON ii.interview_id = i.id
     WHERE i.study_id = ?`,
  );
  const attendeesOf = db.prepare<[number], { user_id: number }>(
    `SELECT DISTINCT ii.user_id FROM interviews i JOIN interview_interviewers ii ON ii.interview_id = i.id WHERE i.case_id = ?`,
  );
  // Only the current user's own ratings are counted: the query cannot return another rater's progress.
  const myCases = db.prepare<{ studyId: number; userId: number }, MyCaseRow>(
    `SELECT c.id, c.key, c.name, c.pseudonym,
            (SELECT count(*) FROM case_raters x WHERE x.case_id = c.id AND x.position < cr.position) + 1 AS rank,
            (SELECT count(*) FROM ratings r WHERE r.case_id = c.id AND r.rater_id = @userId AND r.submitted_at IS NULL) AS drafts,
            (SELECT count(*) FROM ratings r WHERE r.case_id = c.id AND r.rater_id = @userId AND r.submitted_at IS NOT NULL) AS submitted
     FROM case_raters cr JOIN cases c ON c.id = cr.case_id
     WHERE c.study_id = @studyId AND cr.user_id = @userId ORDER BY c.position, c.id`,
  );
  const clearRaters = db.prepare<[number]>('DELETE FROM case_raters WHERE case_id = ?');
  const insertRater = db.prepare<[number, number, number]>('INSERT INTO case_raters (case_id, user_id, position) VALUES (?, ?, ?)');

  return {
    /** Drafts and submitted ratings per (case, rater) of the study. */
    ratingCounts: (studyId: number) => ratingCounts.all(studyId),
    ratingCountsOf: (caseId: number) => ratingCountsOf.all(caseId),
    /** Who attended an interview of which case. */
    attendance: (studyId: number) => attendance.all(studyId),
    attendeesOf: (caseId: number) => attendeesOf.all(caseId).map((r) => r.user_id),
    /** The cases assigned to a user with their position and the user's own rating counts. */
    myCases: (studyId: number, userId: number) => myCases.all({ studyId, userId }),
    /** Replaces the raters of a case by `userIds`, stored at positions 0, 1, … in that order. */
    setRaters(caseId: number, userIds: readonly number[]): void {
      clearRaters.run(caseId);
      userIds.forEach((id, i) => insertRater.run(caseId, id, i));
    },
  };
}
export type AssignmentRepo = ReturnType<typeof assignmentRepo>;
