// SQL for reconciliation. Only cases whose assigned raters have ALL submitted take part (the
// ALL_SUBMITTED fragment of ratings.repo.ts), so nothing here can reveal a blind case's scores; only
// submitted ratings of ratable conditions (rated, without sub-conditions) are read.
import type { Db } from '../lib/db.ts';
import { ALL_SUBMITTED, OPEN_TO_LEADS, RATABLE } from '../ratings/ratings.repo.ts';
import type { BulkRule, Score } from './reconcile.rules.ts';

/** One item (case, condition) of a case ready for reconciliation, with its scores and any decision. */
export interface ItemRow {
  case_id: number;
  case_key: string;
  case_name: string;
  condition_id: number;
  code: string;
  condition_name: string;
  level: number;
  scores: string; // JSON [{ rater, score }] in the case's rater order
  final_score: Score;
  final_note: string | null;
  final_rule: BulkRule | null;
  decided_at: string | null;
  decided_by: string | null;
  comments: number;
}

/** An item of a ready case as the analysis reads it: its scores (JSON [score], in no particular order) and any decision. */
export interface FinalScoreRow {
  case_key: string;
  code: string;
  scores: string;
  final_score: Score;
  decided: 0 | 1;
}

/** A case whose raters have all submitted, with its sign-off. */
export interface ReadyCaseRow {
  id: number;
  key: string;
  name: string;
  signed_off_at: string | null;
  signed_off_by: string | null;
  changed_after_sign_off: 0 | 1;
}

/** One rater's submitted rating of an item, with the evidence they cited. */
export interface ItemRatingRow {
  rater_id: number;
  name: string;
  score: Score;
  cannot_judge_reason: string | null;
  rationale: string;
  evidence: string; // JSON [{ quote, locator, source }]
}

export interface CommentRow {
  id: number;
  author: string;
  body: string;
  created_at: string;
}

/** Whether a decision came after the case's sign-off (on a case row aliased `c`): the sign-off no longer holds. */
export const CHANGED_AFTER_SIGN_OFF = 'EXISTS (SELECT 1 FROM reconciliations f WHERE f.case_id = c.id AND f.decided_at > c.signed_off_at)';

/**
 * Per ready case (ids from the CTE `ready`): its items and how many are open. An item is a ratable
 * condition with submitted ratings; it is agreed — final by itself — when nobody could judge it or
 * every rater judged it with the same score, and open when it is not agreed and has no decision. This
 * is assessItem/finalOf of reconcile.rules.ts in SQL, kept beside the queue's SQL (pinned against the
 * queue in test/integration/dashboard.test.ts), so the dashboard counts a whole study, or all of a
 * user's studies, in one statement.
 */
export const ITEM_COUNTS = `item AS (
    SELECT r.case_id, r.condition_id, count(*) AS n, count(r.score) AS judged, max(r.score) = min(r.score) AS same
    FROM ratings r JOIN ready ON ready.id = r.case_id JOIN conditions k ON k.id = r.condition_id
    WHERE r.submitted_at IS NOT NULL AND ${RATABLE}
    GROUP BY r.case_id, r.condition_id),
  item_counts AS (
    SELECT i.case_id, count(*) AS items,
           sum(NOT (i.judged = 0 OR (i.judged = i.n AND i.same)) AND f.case_id IS NULL) AS open
    FROM item i LEFT JOIN reconciliations f ON f.case_id = i.case_id AND f.condition_id = i.condition_id
    GROUP BY i.case_id)`;

export function reconcileRepo(db: Db) {
  // `@raterId` NULL: every ready case (a lead); otherwise only the cases that user rates.
  const readyCases = `SELECT c.id FROM cases c WHERE c.study_id = @studyId
      AND (@raterId IS NULL OR EXISTS (SELECT 1 FROM case_raters x WHERE x.case_id = c.id AND x.user_id = @raterId))
      AND ${ALL_SUBMITTED}`;
  const itemsOf = (ready: string) =>
    `WITH ready AS (${ready})
     SELECT c.id AS case_id, c.key AS case_key, c.name AS case_name, k.id AS condition_id, k.code, k.name AS condition_name, k.level,
            json_group_array(json_object('rater', u.name, 'score', r.score) ORDER BY cr.position, u.id) AS scores,
            f.score AS final_score, f.note AS final_note, f.rule AS final_rule, f.decided_at, d.name AS decided_by,
            (SELECT count(*) FROM reconciliation_comments m WHERE m.case_id = c.id AND m.condition_id = k.id) AS comments
     FROM ratings r JOIN ready ON ready.id = r.case_id JOIN cases c ON c.id = r.case_id
     JOIN conditions k ON k.id = r.condition_id JOIN users u ON u.id = r.rater_id
     LEFT JOIN case_raters cr ON cr.case_id = r.case_id AND cr.user_id = r.rater_id
     LEFT JOIN reconciliations f ON f.case_id = c.id AND f.condition_id = k.id LEFT JOIN users d ON d.id = f.decided_by
     WHERE r.submitted_at IS NOT NULL AND ${RATABLE}
     GROUP BY r.case_id, r.condition_id
     ORDER BY c.position, k.position`;
  const items = db.prepare<{ studyId: number; raterId: number | null }, ItemRow>(itemsOf(readyCases));
  const itemsOfCase = db.prepare<{ studyId: number; raterId: null; caseId: number }, ItemRow>(itemsOf(`${readyCases} AND c.id = @caseId`));
  // The analysis needs only each item's scores, in any order, and its decision: no names, notes or comment
  // counts, which make `items` several times slower on a large study.
  const finalScores = db.prepare<{ studyId: number; raterId: null }, FinalScoreRow>(
    `WITH ready AS (${readyCases})
     SELECT c.key AS case_key, k.code, json_group_array(r.score) AS scores, f.score AS final_score, f.case_id IS NOT NULL AS decided
     FROM ratings r JOIN ready ON ready.id = r.case_id JOIN cases c ON c.id = r.case_id JOIN conditions k ON k.id = r.condition_id
     LEFT JOIN reconciliations f ON f.case_id = r.case_id AND f.condition_id = r.condition_id
     WHERE r.submitted_at IS NOT NULL AND ${RATABLE}
     GROUP BY r.case_id, r.condition_id
     ORDER BY c.position, k.position`,
  );
  const cases = db.prepare<{ studyId: number; raterId: number | null }, ReadyCaseRow>(
    `SELECT c.id, c.key, c.name, c.signed_off_at, s.name AS signed_off_by,
            ${CHANGED_AFTER_SIGN_OFF} AS changed_after_sign_off
     FROM cases c LEFT JOIN users s ON s.id = c.signed_off_by
     WHERE c.id IN (${readyCases}) ORDER BY c.position`,
  );
  const waiting = db.prepare<[number], { n: number }>(`SELECT count(*) AS n FROM cases c WHERE c.study_id = ? AND NOT ${ALL_SUBMITTED}`);
  const isReady = db.prepare<[number], { ready: 0 | 1 }>(`SELECT ${ALL_SUBMITTED} AS ready FROM cases c WHERE c.id = ?`);
  const itemRatings = db.prepare<[number, number], ItemRatingRow>(
    `SELECT r.rater_id, u.name, r.score, r.cannot_judge_reason, r.rationale,
            (SELECT json_group_array(json_object('quote', e.quote, 'locator', e.locator, 'source', coalesce(i.date, i.key, d.title)) ORDER BY e.id)
             FROM rating_evidence re JOIN evidence e ON e.id = re.evidence_id
             LEFT JOIN interviews i ON i.id = e.interview_id LEFT JOIN documents d ON d.id = e.document_id
             WHERE re.rating_id = r.id) AS evidence
     FROM ratings r JOIN users u ON u.id = r.rater_id JOIN conditions k ON k.id = r.condition_id
     LEFT JOIN case_raters cr ON cr.case_id = r.case_id AND cr.user_id = r.rater_id
     WHERE r.case_id = ? AND r.condition_id = ? AND r.submitted_at IS NOT NULL AND ${RATABLE}
     ORDER BY cr.position, u.id`,
  );
  const decision = db.prepare<[number, number], { score: Score; note: string; rule: BulkRule | null; decided_at: string; decided_by: string }>(
    `SELECT f.score, f.note, f.rule, f.decided_at, u.name AS decided_by
     FROM reconciliations f JOIN users u ON u.id = f.decided_by WHERE f.case_id = ? AND f.condition_id = ?`,
  );
  const comments = db.prepare<[number, number], CommentRow>(
    `SELECT m.id, u.name AS author, m.body, m.created_at FROM reconciliation_comments m JOIN users u ON u.id = m.author_id
     WHERE m.case_id = ? AND m.condition_id = ? ORDER BY m.id`,
  );
  const decide = db.prepare<{ caseId: number; conditionId: number; score: Score; note: string; rule: BulkRule | null; by: number; at: string }>(
    `INSERT INTO reconciliations (case_id, condition_id, score, note, rule, decided_by, decided_at)
     VALUES (@caseId, @conditionId, @score, @note, @rule, @by, @at)
     ON CONFLICT (case_id, condition_id) DO UPDATE SET score = excluded.score, note = excluded.note, rule = excluded.rule,
       decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
  );
  const comment = db.prepare<{ caseId: number; conditionId: number; authorId: number; body: string; at: string }>(
    `INSERT INTO reconciliation_comments (case_id, condition_id, author_id, body, created_at) VALUES (@caseId, @conditionId, @authorId, @body, @at)`,
  );
  const signOff = db.prepare<{ caseId: number; by: number; at: string }>('UPDATE cases SET signed_off_at = @at, signed_off_by = @by WHERE id = @caseId');
  const exportSelect = `SELECT c.key AS case_key, k.code, f.score, f.note, f.rule, u.email AS by_email
     FROM reconciliations f JOIN cases c ON c.id = f.case_id JOIN conditions k ON k.id = f.condition_id JOIN users u ON u.id = f.decided_by
     WHERE c.study_id = ?`;
  const exportOrder = 'ORDER BY c.position, k.position';
  type ExportRow = { case_key: string; code: string; score: Score; note: string; rule: BulkRule | null; by_email: string };
  const exportAll = db.prepare<[number], ExportRow>(`${exportSelect} ${exportOrder}`);
  // A case that became blind again (a rater added after reconciliation) keeps its decisions out of a lead's export.
  const exportUnblinded = db.prepare<[number], ExportRow>(`${exportSelect} AND ${OPEN_TO_LEADS} ${exportOrder}`);
  const commentsSelect = `SELECT c.key AS case_key, k.code, u.email AS by_email, m.body
     FROM reconciliation_comments m JOIN cases c ON c.id = m.case_id JOIN conditions k ON k.id = m.condition_id JOIN users u ON u.id = m.author_id
     WHERE c.study_id = ?`;
  type CommentExportRow = { case_key: string; code: string; by_email: string; body: string };
  const commentsOrder = 'ORDER BY c.position, k.position, m.id';
  const commentsAll = db.prepare<[number], CommentExportRow>(`${commentsSelect} ${commentsOrder}`);
  const commentsUnblinded = db.prepare<[number], CommentExportRow>(`${commentsSelect} AND ${OPEN_TO_LEADS} ${commentsOrder}`);
  // Sign-offs that still hold, for the study file (a stale one would look fresh after an import).
  const signOffs = db.prepare<[number], { case_key: string; by_email: string }>(
    `SELECT c.key AS case_key, u.email AS by_email FROM cases c JOIN users u ON u.id = c.signed_off_by
     WHERE c.study_id = ? AND c.signed_off_at IS NOT NULL AND NOT ${CHANGED_AFTER_SIGN_OFF}`,
  );
  const started = db.prepare<[number], { started: 0 | 1 }>(
    'SELECT EXISTS (SELECT 1 FROM reconciliations WHERE case_id = c.id) OR c.signed_off_at IS NOT NULL AS started FROM cases c WHERE c.id = ?',
  );

  return {
    /** Every item of the ready cases (of one rater's cases when `raterId` is given), in case and framework order. */
    items: (studyId: number, raterId: number | null = null) => items.all({ studyId, raterId }),
    /** The items of one case, if it is ready. */
    itemsOfCase: (studyId: number, caseId: number) => itemsOfCase.all({ studyId, raterId: null, caseId }),
    /** Every item of the ready cases with only its scores and decision (for the analysis), in case and framework order. */
    finalScores: (studyId: number) => finalScores.all({ studyId, raterId: null }),
    readyCases: (studyId: number, raterId: number | null = null) => cases.all({ studyId, raterId }),
    /** How many cases still wait for a rater's submission (or have no raters). */
    waitingCount: (studyId: number) => waiting.get(studyId)!.n,
    isReady: (caseId: number) => isReady.get(caseId)?.ready === 1,
    itemRatings: (caseId: number, conditionId: number) => itemRatings.all(caseId, conditionId),
    decision: (caseId: number, conditionId: number) => decision.get(caseId, conditionId),
    comments: (caseId: number, conditionId: number) => comments.all(caseId, conditionId),
    decide: (d: { caseId: number; conditionId: number; score: Score; note: string; rule: BulkRule | null; by: number; at: string }) => void decide.run(d),
    comment: (c: { caseId: number; conditionId: number; authorId: number; body: string; at: string }) => void comment.run(c),
    signOff: (caseId: number, by: number, at: string) => void signOff.run({ caseId, by, at }),
    /** The decisions for a study file: `archive` all, `unblinded` those of cases that are not blind. */
    forExport: (studyId: number, scope: 'archive' | 'unblinded') => (scope === 'archive' ? exportAll : exportUnblinded).all(studyId),
    /** Who signed off each case whose sign-off still holds (the study file). */
    signOffsForExport: (studyId: number) => signOffs.all(studyId),
    /** Every thread message of the study for the study file, in thread order; as forExport, none of a case that became blind again. */
    commentsForExport: (studyId: number, scope: 'archive' | 'unblinded') => (scope === 'archive' ? commentsAll : commentsUnblinded).all(studyId),
    /** Whether reconciliation of the case has begun (a decision or a sign-off): its ratings are then final. */
    hasStarted: (caseId: number) => started.get(caseId)?.started === 1,
  };
}
export type ReconcileRepo = ReturnType<typeof reconcileRepo>;
