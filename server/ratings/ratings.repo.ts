// SQL for ratings. Blinding lives here, next to the SQL, in ONE place: `NOT_BLIND` is the condition
// under which a case's ratings may be read by anyone but their own rater (every assigned rater has
// submitted), and `OPEN_TO_LEADS` adds a lead's explicit unblinding for the lead's own pages. Every
// query that returns another rater's score, rationale or evidence choice includes one of them; a
// rater's own rows are read only by `ownOfCase` and `csvRows`, both bound to that one rater.
import type { Db } from '../lib/db.ts';

export interface ExportRatingRow {
  case_key: string;
  code: string;
  email: string;
  score: number | null;
  cannot_judge_reason: string | null;
  rationale: string;
  submitted_at: string | null;
  evidence: string; // JSON [evidence id], the evidence the rater cited
}

/** One rating with the ids of the evidence its rater linked (JSON array). */
export interface RatingRow {
  id: number;
  condition_id: number;
  code: string;
  rater_id: number;
  score: number | null;
  cannot_judge_reason: string | null;
  rationale: string;
  submitted_at: string | null;
  evidence: string; // JSON [evidence id]
}

/** Submission progress of one assigned rater of a case: counts only, never scores. */
export interface ProgressRow {
  user_id: number;
  name: string;
  email: string;
  drafts: number;
  submitted: number;
  submitted_at: string | null;
}

/** One rating as the ratings CSV download writes it. */
export interface RatingCsvRow {
  case_key: string;
  code: string;
  email: string;
  score: number | null;
  cannot_judge_reason: string | null;
  rationale: string;
  submitted_at: string | null;
}

/** Which (case, condition, rater) has a rating and whether it is submitted: no scores. */
export interface RatingSlotRow {
  case_id: number;
  code: string;
  rater_id: number;
  submitted: 0 | 1;
}

export interface BlindState {
  blind: 0 | 1;
  unblinded_at: string | null;
  unblinded_by: string | null;
}

/**
 * A condition aliased `k` that raters score: rated, and without sub-conditions (the SQL form of
 * `ratableCodes` in studyfile.validate.ts), for queries that read ratings by condition.
 */
export const RATABLE = `(k.kind = 'rated' AND NOT EXISTS (SELECT 1 FROM conditions ch WHERE ch.parent_id = k.id))`;

/**
 * Whether every assigned rater of a case (aliased `c`) has submitted: the case has its study's
 * `raters_per_case` raters (fewer — one rater imported before a second was assigned, or a study that
 * raised the number — keeps it blind), and each of them has ratings and no draft among them
 * (submitting locks all of a rater's ratings of the case at once; a reopen makes them all drafts).
 * Reconciliation and agreement start from here.
 */
export const ALL_SUBMITTED = `((SELECT count(*) FROM case_raters cr WHERE cr.case_id = c.id)
          >= (SELECT s.raters_per_case FROM studies s WHERE s.id = c.study_id)
    AND NOT EXISTS (SELECT 1 FROM case_raters cr WHERE cr.case_id = c.id AND (
          NOT EXISTS (SELECT 1 FROM ratings x WHERE x.case_id = c.id AND x.rater_id = cr.user_id)
          OR EXISTS (SELECT 1 FROM ratings x WHERE x.case_id = c.id AND x.rater_id = cr.user_id AND x.submitted_at IS NULL))))`;

/**
 * THE blinding rule, as an SQL condition on a case row aliased `c`: another rater's submitted ratings
 * may be read when every assigned rater has submitted, or when the study does not rate blind. Drafts
 * stay private to their rater in every case (queries add `submitted_at IS NOT NULL`).
 */
export const NOT_BLIND = `((SELECT s.blind_rating FROM studies s WHERE s.id = c.study_id) = 0
    OR ${ALL_SUBMITTED})`;

/**
 * What a LEAD may read: also the submitted ratings of a case the lead unblinded explicitly (logged).
 * Only for pages and exports that leads alone can open; raters, viewers and every shared download use
 * NOT_BLIND, so a rater who has not submitted never sees the others' scores.
 */
export const OPEN_TO_LEADS = `(c.unblinded_at IS NOT NULL OR ${NOT_BLIND})`;

/** The ids of the evidence a rating (aliased `r`) cites, as a JSON array. */
const CITED_EVIDENCE = '(SELECT json_group_array(evidence_id) FROM (SELECT re.evidence_id FROM rating_evidence re WHERE re.rating_id = r.id ORDER BY re.evidence_id)) AS evidence';
const RATING_COLUMNS = `r.id, r.condition_id, k.code, r.rater_id, r.score, r.cannot_judge_reason, r.rationale, r.submitted_at,
       ${CITED_EVIDENCE}`;

export function ratingsRepo(db: Db) {
  const select = `SELECT c.key AS case_key, k.code, u.email, r.score, r.cannot_judge_reason, r.rationale, r.submitted_at, ${CITED_EVIDENCE}
     FROM ratings r JOIN cases c ON c.id = r.case_id JOIN conditions k ON k.id = r.condition_id JOIN users u ON u.id = r.rater_id
     WHERE c.study_id = ?`;
  const order = 'ORDER BY c.position, k.position, u.email';
  const all = db.prepare<[number], ExportRatingRow>(`${select} ${order}`);
  // Drafts never leave their rater, even from a case that is not blind.
  const unblinded = db.prepare<[number], ExportRatingRow>(`${select} AND r.submitted_at IS NOT NULL AND ${OPEN_TO_LEADS} ${order}`);
  const insert = db.prepare(
    `INSERT INTO ratings (case_id, condition_id, rater_id, score, cannot_judge_reason, rationale, submitted_at, created_at, updated_at)
     VALUES (@caseId, @conditionId, @raterId, @score, @cannotJudgeReason, @rationale, @submittedAt, @now, @now)`,
  );
  const blindState = db.prepare<[number], BlindState>(
    `SELECT NOT ${OPEN_TO_LEADS} AS blind, c.unblinded_at, u.name AS unblinded_by
     FROM cases c LEFT JOIN users u ON u.id = c.unblinded_by WHERE c.id = ?`,
  );
  // A rater's own rows: the only query without the blinding condition, bound to one rater.
  const own = db.prepare<{ caseId: number; raterId: number }, RatingRow>(
    `SELECT ${RATING_COLUMNS} FROM ratings r JOIN conditions k ON k.id = r.condition_id
     WHERE r.case_id = @caseId AND r.rater_id = @raterId ORDER BY k.position`,
  );
  const visible = db.prepare<[number], RatingRow>(
    `SELECT ${RATING_COLUMNS} FROM ratings r JOIN conditions k ON k.id = r.condition_id JOIN cases c ON c.id = r.case_id
     WHERE r.case_id = ? AND r.submitted_at IS NOT NULL AND ${OPEN_TO_LEADS} ORDER BY k.position, r.rater_id`,
  );
  const progress = db.prepare<[number], ProgressRow>(
    `SELECT cr.user_id, u.name, u.email, count(r.id) - count(r.submitted_at) AS drafts, count(r.submitted_at) AS submitted,
            max(r.submitted_at) AS submitted_at
     FROM case_raters cr JOIN users u ON u.id = cr.user_id LEFT JOIN ratings r ON r.case_id = cr.case_id AND r.rater_id = cr.user_id
     WHERE cr.case_id = ? GROUP BY cr.user_id ORDER BY cr.position`,
  );
  // Writes touch only the (case, condition, rater) row of the rater who saves, and never a submitted one.
  const upsert = db.prepare<{ caseId: number; conditionId: number; raterId: number; score: number | null; reason: string | null; rationale: string; now: string }, { id: number }>(
    `INSERT INTO ratings (case_id, condition_id, rater_id, score, cannot_judge_reason, rationale, submitted_at, created_at, updated_at)
     VALUES (@caseId, @conditionId, @raterId, @score, @reason, @rationale, NULL, @now, @now)
     ON CONFLICT (case_id, condition_id, rater_id) DO UPDATE
       SET score = excluded.score, cannot_judge_reason = excluded.cannot_judge_reason, rationale = excluded.rationale, updated_at = excluded.updated_at
       WHERE ratings.submitted_at IS NULL
     RETURNING id`,
  );
  const removeDraft = db.prepare<[number, number, number]>(
    'DELETE FROM ratings WHERE case_id = ? AND condition_id = ? AND rater_id = ? AND submitted_at IS NULL',
  );
  const clearEvidence = db.prepare<[number]>('DELETE FROM rating_evidence WHERE rating_id = ?');
  const clearDraftEvidence = db.prepare<{ caseId: number; conditionId: number; raterId: number }>(
    `DELETE FROM rating_evidence WHERE rating_id IN (SELECT id FROM ratings
       WHERE case_id = @caseId AND condition_id = @conditionId AND rater_id = @raterId AND submitted_at IS NULL)`,
  );
  const linkEvidence = db.prepare<[number, number]>('INSERT INTO rating_evidence (rating_id, evidence_id) VALUES (?, ?)');
  const submit = db.prepare<{ caseId: number; raterId: number; now: string }>(
    'UPDATE ratings SET submitted_at = @now, updated_at = @now WHERE case_id = @caseId AND rater_id = @raterId AND submitted_at IS NULL',
  );
  const reopen = db.prepare<{ caseId: number; raterId: number; now: string }>(
    'UPDATE ratings SET submitted_at = NULL, updated_at = @now WHERE case_id = @caseId AND rater_id = @raterId AND submitted_at IS NOT NULL',
  );
  // The ratings CSV for one user: their own ratings (drafts included), and other raters' submitted
  // ratings of cases that are not blind; never another rater's draft.
  const csvRows = db.prepare<{ studyId: number; userId: number }, RatingCsvRow>(
    `SELECT c.key AS case_key, k.code, u.email, r.score, r.cannot_judge_reason, r.rationale, r.submitted_at
     FROM ratings r JOIN cases c ON c.id = r.case_id JOIN conditions k ON k.id = r.condition_id JOIN users u ON u.id = r.rater_id
     WHERE c.study_id = @studyId AND (r.rater_id = @userId OR (r.submitted_at IS NOT NULL AND ${NOT_BLIND}))
     ORDER BY c.position, c.id, k.position, u.email`,
  );
  const slots = db.prepare<[number], RatingSlotRow>(
    `SELECT r.case_id, k.code, r.rater_id, r.submitted_at IS NOT NULL AS submitted
     FROM ratings r JOIN cases c ON c.id = r.case_id JOIN conditions k ON k.id = r.condition_id WHERE c.study_id = ?`,
  );
  // An imported rating: new, or replacing a draft of the same rater; never a submitted one.
  const importSubmitted = db.prepare<{ caseId: number; conditionId: number; raterId: number; score: number | null; reason: string | null; rationale: string; now: string }, { id: number }>(
    `INSERT INTO ratings (case_id, condition_id, rater_id, score, cannot_judge_reason, rationale, submitted_at, created_at, updated_at)
     VALUES (@caseId, @conditionId, @raterId, @score, @reason, @rationale, @now, @now, @now)
     ON CONFLICT (case_id, condition_id, rater_id) DO UPDATE
       SET score = excluded.score, cannot_judge_reason = excluded.cannot_judge_reason, rationale = excluded.rationale,
           submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
       WHERE ratings.submitted_at IS NULL
     RETURNING id`,
  );
  const unblind = db.prepare<{ caseId: number; actorId: number; now: string }>(
    'UPDATE cases SET unblinded_at = @now, unblinded_by = @actorId WHERE id = @caseId AND unblinded_at IS NULL',
  );

  return {
    /** `archive`: every rating, drafts included (operators' full export); `unblinded`: what a lead may see. */
    forExport: (studyId: number, scope: 'archive' | 'unblinded') => (scope === 'archive' ? all : unblinded).all(studyId),
    insert: (r: { caseId: number; conditionId: number; raterId: number; score: number | null; cannotJudgeReason?: string | null; rationale: string; submittedAt: string | null; now: string }) =>
      insert.run({ cannotJudgeReason: null, ...r }),
    /** Whether the case is blind, and who unblinded it explicitly (if anyone). */
    blindState: (caseId: number) => blindState.get(caseId)!,
    isBlind: (caseId: number) => blindState.get(caseId)!.blind === 1,
    /** The rater's own ratings of the case, drafts included. */
    ownOfCase: (caseId: number, raterId: number) => own.all({ caseId, raterId }),
    /** Every rater's submitted ratings of the case, or none while the case is blind. */
    visibleOfCase: (caseId: number) => visible.all(caseId),
    /** Per assigned rater: counts of drafts and submitted ratings. */
    progressOfCase: (caseId: number) => progress.all(caseId),
    /** Saves a draft; undefined when the rating is submitted (and so locked). */
    saveDraft: (r: { caseId: number; conditionId: number; raterId: number; score: number | null; reason: string | null; rationale: string; now: string }) =>
      upsert.get(r)?.id,
    removeDraft: (caseId: number, conditionId: number, raterId: number) => removeDraft.run(caseId, conditionId, raterId).changes,
    setEvidence(ratingId: number, evidenceIds: readonly number[]): void {
      clearEvidence.run(ratingId);
      for (const id of evidenceIds) linkEvidence.run(ratingId, id);
    },
    /** Submits all of a rater's drafts of the case; returns how many. */
    submit: (caseId: number, raterId: number, now: string) => submit.run({ caseId, raterId, now }).changes,
    /** Turns a rater's submitted ratings of the case back into drafts; returns how many. */
    reopen: (caseId: number, raterId: number, now: string) => reopen.run({ caseId, raterId, now }).changes,
    /** The rows of the ratings CSV that `userId` may see (see csvRows above). */
    csvRows: (studyId: number, userId: number) => csvRows.all({ studyId, userId }),
    /** Every rating slot of the study with whether it is submitted (for the import's checks; no scores). */
    slots: (studyId: number) => slots.all(studyId),
    /** Writes an imported, submitted rating; undefined when that slot is submitted already. */
    /**
     * Stores an imported rating as submitted, replacing the rater's draft of it (whose cited evidence
     * belonged to the text the import replaces, so it goes first: a submitted rating's citations are
     * locked). Undefined when the rating was submitted already.
     */
    importSubmitted: (r: { caseId: number; conditionId: number; raterId: number; score: number | null; reason: string | null; rationale: string; now: string }) => {
      clearDraftEvidence.run({ caseId: r.caseId, conditionId: r.conditionId, raterId: r.raterId });
      return importSubmitted.get(r)?.id;
    },
    /** Records an explicit unblinding; false when the case was unblinded already. */
    unblind: (caseId: number, actorId: number, now: string) => unblind.run({ caseId, actorId, now }).changes === 1,
  };
}
export type RatingsRepo = ReturnType<typeof ratingsRepo>;
