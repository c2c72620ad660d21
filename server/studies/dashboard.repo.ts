// SQL for the study dashboard (where every case stands) and for "Waiting for you" (what waits for one
// person across their studies). Every read is one set-based statement whatever the number of cases
// or studies. Blinding: nothing here reads a score for display. Reconciliation items are counted only
// for cases whose raters have ALL submitted (ratings.repo.ts, the case is then not blind); a rater's
// progress is counts of drafts and submitted ratings, which the view shows to leads and to that rater only.
import { REDUCTION_METHODS, dropsCondition, type ExplanationDegree } from '../analysis/analysis.rules.ts';
import type { Db } from '../lib/db.ts';
import { ALL_SUBMITTED, RATABLE } from '../ratings/ratings.repo.ts';
import { CHANGED_AFTER_SIGN_OFF, ITEM_COUNTS } from '../reconcile/reconcile.repo.ts';

/** One case of the study with its fieldwork counts, sign-off and explanation degree. */
export interface DashboardCaseRow {
  id: number;
  key: string;
  name: string;
  position: number;
  raters: number;
  all_submitted: 0 | 1;
  signed_off_at: string | null;
  changed_after_sign_off: 0 | 1;
  interviews: number;
  held: number;
  approved: number;
  documents: number;
  explanation_degree: ExplanationDegree | null;
}

/** One assigned rater of one case: counts only, never a score. */
export interface DashboardRaterRow {
  case_id: number;
  user_id: number;
  name: string;
  drafts: number;
  submitted: number;
  /** The conditions on this rater's form of the case (ratable, less those a reduction dropped that they have not rated). */
  on_form: number;
}

/** The reconciliation items of a case whose raters all submitted: how many, and how many still open. */
export interface ItemCountRow {
  case_id: number;
  items: number;
  open: number;
}

/** A case the user rates and has not submitted. */
export interface ToRateRow {
  study_id: number;
  study_title: string;
  case_key: string;
  case_name: string;
  drafts: number;
  submitted: number;
  on_form: number;
}

/** A case of a study the user leads, or a case they rate, that is in reconciliation. */
export interface InReconciliationRow {
  study_id: number;
  study_title: string;
  case_key: string;
  case_name: string;
  leads: 0 | 1;
  items: number;
  open: number;
  signed_off_at: string | null;
  changed_after_sign_off: 0 | 1;
}

/** The reduction methods that take a condition off the rating forms (analysis.rules.ts), as an SQL list. */
const DROPPING = REDUCTION_METHODS.filter(dropsCondition).join(', ');

/**
 * The number of conditions on a rater's form of a case (case aliased `c`, rater id in `rater`): the
 * ratable ones (`ratable`, their count in the case's study) less those an active dropping decision
 * took off that this rater has not rated — the SQL form of formCodes(ratable, droppedUnrated) in
 * ratings.rules.ts / reduction.repo.ts.
 */
const onForm = (rater: string, ratable: string) => `(${ratable}
  - (SELECT count(*) FROM reductions d JOIN conditions k ON k.id = d.condition_id
     WHERE d.study_id = c.study_id AND d.reverted_at IS NULL AND d.method IN (${DROPPING}) AND ${RATABLE}
       AND NOT EXISTS (SELECT 1 FROM ratings g WHERE g.case_id = c.id AND g.condition_id = d.condition_id AND g.rater_id = ${rater})))`;
export function dashboardRepo(db: Db) {
  const cases = db.prepare<[number], DashboardCaseRow>(
    `SELECT c.id, c.key, c.name, c.position,
            (SELECT count(*) FROM case_raters cr WHERE cr.case_id = c.id) AS raters,
            ${ALL_SUBMITTED} AS all_submitted,
            c.signed_off_at, ${CHANGED_AFTER_SIGN_OFF} AS changed_after_sign_off,
            (SELECT count(*) FROM interviews i WHERE i.case_id = c.id) AS interviews,
            (SELECT count(*) FROM interviews i WHERE i.case_id = c.id AND i.status <> 'planned') AS held,
            (SELECT count(*) FROM interviews i WHERE i.case_id = c.id AND i.status = 'approved') AS approved,
            (SELECT count(*) FROM documents d WHERE d.case_id = c.id) AS documents,
            a.explanation_degree
     FROM cases c LEFT JOIN case_analyses a ON a.case_id = c.id
     WHERE c.study_id = ? ORDER BY c.position, c.id`,
  );
  // The ratable count is read once (a subquery that depends only on the parameter), not per rater.
  const raters = db.prepare<{ studyId: number }, DashboardRaterRow>(
    `SELECT cr.case_id, cr.user_id, u.name,
            count(r.id) - count(r.submitted_at) AS drafts, count(r.submitted_at) AS submitted,
            ${onForm('cr.user_id', `(SELECT count(*) FROM conditions k WHERE k.study_id = @studyId AND ${RATABLE})`)} AS on_form
     FROM case_raters cr JOIN cases c ON c.id = cr.case_id JOIN users u ON u.id = cr.user_id
     LEFT JOIN ratings r ON r.case_id = cr.case_id AND r.rater_id = cr.user_id
     WHERE c.study_id = @studyId GROUP BY cr.case_id, cr.user_id ORDER BY cr.case_id, cr.position`,
  );
  const itemCounts = db.prepare<[number], ItemCountRow>(
    `WITH ready AS (SELECT c.id FROM cases c WHERE c.study_id = ? AND ${ALL_SUBMITTED}),
     ${ITEM_COUNTS}
     SELECT case_id, items, open FROM item_counts`,
  );
  // Only where the user is a researcher or lead of the study: the rating form needs that role.
  const toRate = db.prepare<{ userId: number }, ToRateRow>(
    `WITH ratable AS (
       SELECT k.study_id, count(*) AS n FROM memberships m JOIN conditions k ON k.study_id = m.study_id
       WHERE m.user_id = @userId AND ${RATABLE} GROUP BY k.study_id)
     SELECT s.id AS study_id, s.title AS study_title, c.key AS case_key, c.name AS case_name,
            count(r.id) - count(r.submitted_at) AS drafts, count(r.submitted_at) AS submitted, ${onForm('cr.user_id', 'ratable.n')} AS on_form
     FROM case_raters cr JOIN cases c ON c.id = cr.case_id JOIN studies s ON s.id = c.study_id
     JOIN memberships m ON m.study_id = c.study_id AND m.user_id = cr.user_id AND m.role IN ('researcher', 'lead')
     JOIN ratable ON ratable.study_id = c.study_id
     LEFT JOIN ratings r ON r.case_id = cr.case_id AND r.rater_id = cr.user_id
     WHERE cr.user_id = @userId
     GROUP BY cr.case_id HAVING count(r.id) = 0 OR count(r.submitted_at) < count(r.id)
     ORDER BY s.title COLLATE NOCASE, s.id, c.position, c.id`,
  );
  // Cases in reconciliation of studies the user leads, or that they rate as a researcher.
  const inReconciliation = db.prepare<{ userId: number }, InReconciliationRow>(
    `WITH mine AS (
       SELECT c.id, m.role = 'lead' AS leads FROM memberships m JOIN cases c ON c.study_id = m.study_id
       WHERE m.user_id = @userId
         AND (m.role = 'lead' OR (m.role = 'researcher' AND EXISTS (SELECT 1 FROM case_raters x WHERE x.case_id = c.id AND x.user_id = @userId)))
         AND ${ALL_SUBMITTED}),
     ready AS (SELECT id FROM mine),
     ${ITEM_COUNTS}
     SELECT s.id AS study_id, s.title AS study_title, c.key AS case_key, c.name AS case_name, mine.leads,
            coalesce(n.items, 0) AS items, coalesce(n.open, 0) AS open,
            c.signed_off_at, ${CHANGED_AFTER_SIGN_OFF} AS changed_after_sign_off
     FROM mine JOIN cases c ON c.id = mine.id JOIN studies s ON s.id = c.study_id LEFT JOIN item_counts n ON n.case_id = c.id
     WHERE coalesce(n.open, 0) > 0 OR (mine.leads AND (c.signed_off_at IS NULL OR ${CHANGED_AFTER_SIGN_OFF}))
     ORDER BY s.title COLLATE NOCASE, s.id, c.position, c.id`,
  );

  return {
    /** Every case of the study, in study order, with fieldwork counts, sign-off and explanation degree. */
    cases: (studyId: number) => cases.all(studyId),
    /** Every assigned rater of every case with their counts of drafts and submitted ratings. */
    raters: (studyId: number) => raters.all({ studyId }),
    /** Items and open items of every case whose raters all submitted. */
    itemCounts: (studyId: number) => itemCounts.all(studyId),
    /** The user's assigned cases, across their studies, that they have not submitted. */
    toRate: (userId: number) => toRate.all({ userId }),
    /** Cases with open items the user may discuss, and cases a lead can sign off, across their studies. */
    inReconciliation: (userId: number) => inReconciliation.all({ userId }),
  };
}
export type DashboardRepo = ReturnType<typeof dashboardRepo>;
