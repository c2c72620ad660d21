// SQL for reports: a case's ratings and reconciliation notes (only where the ratings repository's
// blinding rule, NOT_BLIND, lets anyone but the rater read them; drafts never), and the study's report
// templates. What anonymisation needs of the cases comes from anonymise.context.ts.
import type { Db } from '../lib/db.ts';
import { NOT_BLIND } from '../ratings/ratings.repo.ts';
import type { ReportKind } from './reports.templates.ts';

/** One rater's submitted rating of a condition of a case that is not blind. */
export interface ReportRatingRow {
  code: string;
  rater_id: number;
  rater: string;
  score: number | null;
  cannot_judge_reason: string | null;
  rationale: string;
}

/** The lead's reconciliation of a condition of a case that is not blind. */
export interface ReportReconciliationRow {
  code: string;
  score: number | null;
  note: string;
  rule: 'lower' | 'higher' | null;
  decided_at: string;
  decided_by: string;
}

export interface TemplateRow {
  kind: ReportKind;
  body: string;
  updated_at: string;
  updated_by: string | null;
}

export function reportsRepo(db: Db) {
  const ratings = db.prepare<[number], ReportRatingRow>(
    `SELECT k.code, r.rater_id, u.name AS rater, r.score, r.cannot_judge_reason, r.rationale
     FROM ratings r JOIN cases c ON c.id = r.case_id JOIN conditions k ON k.id = r.condition_id JOIN users u ON u.id = r.rater_id
     LEFT JOIN case_raters cr ON cr.case_id = r.case_id AND cr.user_id = r.rater_id
     WHERE r.case_id = ? AND r.submitted_at IS NOT NULL AND ${NOT_BLIND}
     ORDER BY k.position, cr.position IS NULL, cr.position, u.id`,
  );
  const reconciliations = db.prepare<[number], ReportReconciliationRow>(
    `SELECT k.code, f.score, f.note, f.rule, f.decided_at, u.name AS decided_by
     FROM reconciliations f JOIN cases c ON c.id = f.case_id JOIN conditions k ON k.id = f.condition_id JOIN users u ON u.id = f.decided_by
     WHERE f.case_id = ? AND ${NOT_BLIND} ORDER BY k.position`,
  );
  const templates = db.prepare<[number], TemplateRow>(
    `SELECT t.kind, t.body, t.updated_at, u.name AS updated_by FROM report_templates t LEFT JOIN users u ON u.id = t.updated_by
     WHERE t.study_id = ? ORDER BY t.kind`,
  );
  const template = db.prepare<[number, string], TemplateRow>(
    `SELECT t.kind, t.body, t.updated_at, u.name AS updated_by FROM report_templates t LEFT JOIN users u ON u.id = t.updated_by
     WHERE t.study_id = ? AND t.kind = ?`,
  );
  const save = db.prepare<{ studyId: number; kind: ReportKind; body: string; by: number; at: string }>(
    `INSERT INTO report_templates (study_id, kind, body, updated_by, updated_at) VALUES (@studyId, @kind, @body, @by, @at)
     ON CONFLICT (study_id, kind) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare<[number, string]>('DELETE FROM report_templates WHERE study_id = ? AND kind = ?');

  return {
    /** Submitted ratings of a case that is not blind (none of a blind case), in framework and rater order. */
    ratings: (caseId: number) => ratings.all(caseId),
    /** Reconciliation decisions of a case that is not blind. */
    reconciliations: (caseId: number) => reconciliations.all(caseId),
    templates: (studyId: number) => templates.all(studyId),
    template: (studyId: number, kind: ReportKind) => template.get(studyId, kind),
    saveTemplate: (t: { studyId: number; kind: ReportKind; body: string; by: number; at: string }) => void save.run(t),
    removeTemplate: (studyId: number, kind: ReportKind) => remove.run(studyId, kind).changes > 0,
  };
}
export type ReportsRepo = ReturnType<typeof reportsRepo>;
