// SQL for analysis: the lead's case analyses (explanation degree and narrative) and the complexity-
// reduction log. Reads fetch whole sets per study, so the analysis loads in a constant number of
// statements whatever the number of cases; final scores come from reconcile.repo.ts.
import type { Db } from '../lib/db.ts';
import type { ExplanationDegree, ReductionMethod } from './analysis.rules.ts';

export interface CaseAnalysisRow {
  case_id: number;
  case_key: string;
  explanation_degree: ExplanationDegree | null;
  narrative: string;
  updated_at: string;
  updated_by: string | null;
}

/** One reduction decision, active (reverted_at NULL) or reverted. */
export interface ReductionRow {
  id: number;
  condition_id: number;
  code: string;
  method: ReductionMethod;
  reason: string;
  decided_by: string;
  decided_by_email: string;
  decided_at: string;
  reverted_by: string | null;
  reverted_by_email: string | null;
  reverted_at: string | null;
}

export function analysisRepo(db: Db) {
  const caseAnalyses = db.prepare<[number], CaseAnalysisRow>(
    `SELECT a.case_id, c.key AS case_key, a.explanation_degree, a.narrative, a.updated_at, u.name AS updated_by
     FROM case_analyses a JOIN cases c ON c.id = a.case_id LEFT JOIN users u ON u.id = a.updated_by
     WHERE c.study_id = ? ORDER BY c.position, c.id`,
  );
  const caseAnalysis = db.prepare<[number], CaseAnalysisRow>(
    `SELECT a.case_id, c.key AS case_key, a.explanation_degree, a.narrative, a.updated_at, u.name AS updated_by
     FROM case_analyses a JOIN cases c ON c.id = a.case_id LEFT JOIN users u ON u.id = a.updated_by WHERE a.case_id = ?`,
  );
  const saveCaseAnalysis = db.prepare<{ caseId: number; degree: ExplanationDegree | null; narrative: string; by: number | null; at: string }>(
    `INSERT INTO case_analyses (case_id, explanation_degree, narrative, updated_by, updated_at) VALUES (@caseId, @degree, @narrative, @by, @at)
     ON CONFLICT (case_id) DO UPDATE SET explanation_degree = excluded.explanation_degree, narrative = excluded.narrative,
       updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  );
  const reductions = db.prepare<[number], ReductionRow>(
    `SELECT r.id, r.condition_id, k.code, r.method, r.reason, d.name AS decided_by, d.email AS decided_by_email, r.decided_at,
            v.name AS reverted_by, v.email AS reverted_by_email, r.reverted_at
     FROM reductions r JOIN conditions k ON k.id = r.condition_id JOIN users d ON d.id = r.decided_by LEFT JOIN users v ON v.id = r.reverted_by
     WHERE r.study_id = ? ORDER BY r.id DESC`,
  );
  const active = db.prepare<[number], ReductionRow>(
    `SELECT r.id, r.condition_id, k.code, r.method, r.reason, d.name AS decided_by, d.email AS decided_by_email, r.decided_at,
            NULL AS reverted_by, NULL AS reverted_by_email, NULL AS reverted_at
     FROM reductions r JOIN conditions k ON k.id = r.condition_id JOIN users d ON d.id = r.decided_by
     WHERE r.condition_id = ? AND r.reverted_at IS NULL`,
  );
  const insertReduction = db.prepare<{ studyId: number; conditionId: number; method: ReductionMethod; reason: string; by: number; at: string }>(
    `INSERT INTO reductions (study_id, condition_id, method, reason, decided_by, decided_at)
     VALUES (@studyId, @conditionId, @method, @reason, @by, @at)`,
  );
  const revert = db.prepare<{ id: number; by: number; at: string }>(
    'UPDATE reductions SET reverted_by = @by, reverted_at = @at WHERE id = @id AND reverted_at IS NULL',
  );

  return {
    /** Every case analysis of the study, in case order (one statement). */
    caseAnalyses: (studyId: number) => caseAnalyses.all(studyId),
    caseAnalysis: (caseId: number) => caseAnalysis.get(caseId),
    /** Writes a case's explanation degree and narrative (`by` null: an import from the command line). */
    saveCaseAnalysis: (a: { caseId: number; degree: ExplanationDegree | null; narrative: string; by: number | null; at: string }) => void saveCaseAnalysis.run(a),
    /** The whole reduction log of the study, active and reverted decisions, newest first (one statement). */
    reductions: (studyId: number) => reductions.all(studyId),
    activeReduction: (conditionId: number) => active.get(conditionId),
    insertReduction: (r: { studyId: number; conditionId: number; method: ReductionMethod; reason: string; by: number; at: string }) =>
      Number(insertReduction.run(r).lastInsertRowid),
    revertReduction: (id: number, by: number, at: string) => revert.run({ id, by, at }).changes === 1,
  };
}
export type AnalysisRepo = ReturnType<typeof analysisRepo>;
