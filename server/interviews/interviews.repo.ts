// SQL for interviews. Lists load roles, interviewers and touched conditions in the same statement
// (JSON sub-selects), so a page of interviews costs one statement however long it is.
import type { Db } from '../lib/db.ts';

export const STATUSES = ['planned', 'held', 'drafted', 'sent', 'approved'] as const;
export type InterviewStatus = (typeof STATUSES)[number];
/** The column that holds the date a status was reached ('planned' has none). */
export const STEP_COLUMNS = { held: 'held_on', drafted: 'drafted_on', sent: 'sent_on', approved: 'approved_on' } as const;
export type Step = keyof typeof STEP_COLUMNS;
export const STEPS = Object.keys(STEP_COLUMNS) as Step[];

/** An interview as lists show it: everything but the notes, which can be long (a study holds megabytes of them). */
export type InterviewSummary = Omit<InterviewRow, 'notes'>;

export interface InterviewRow {
  id: number;
  key: string;
  case_id: number;
  case_key: string;
  case_name: string;
  date: string | null;
  participants: number;
  notes: string;
  status: InterviewStatus;
  held_on: string | null;
  drafted_on: string | null;
  sent_on: string | null;
  approved_on: string | null;
  version: number;
  updated_at: string;
  roles: string; // JSON [{id, name}]
  interviewers: string; // JSON [{id, name, email}]
  conditions: string; // JSON [code]
}

/** What the study's interview list is filtered by (absent: any). */
export interface InterviewFilter {
  caseKey?: string | null;
  status?: InterviewStatus | null;
  roleId?: number | null;
}
interface InterviewFilterParams {
  studyId: number;
  caseKey: string | null;
  status: string | null;
  roleId: number | null;
  limit: number;
  offset: number;
}

export interface InterviewWrite {
  caseId: number;
  date: string | null;
  participants: number;
  notes: string;
  status: InterviewStatus;
  heldOn: string | null;
  draftedOn: string | null;
  sentOn: string | null;
  approvedOn: string | null;
}

const columns = (notes: boolean) => `SELECT i.id, i.key, i.case_id, c.key AS case_key, c.name AS case_name, i.date, i.participants,${notes ? ' i.notes,' : ''} i.status,
       i.held_on, i.drafted_on, i.sent_on, i.approved_on, i.version, i.updated_at,
       (SELECT json_group_array(json_object('id', r.id, 'name', r.name)) FROM (SELECT r.id, r.name FROM interview_roles ir
          JOIN roles r ON r.id = ir.role_id WHERE ir.interview_id = i.id ORDER BY r.position) r) AS roles,
       (SELECT json_group_array(json_object('id', u.id, 'name', u.name, 'email', u.email)) FROM (SELECT u.id, u.name, u.email
          FROM interview_interviewers ii JOIN users u ON u.id = ii.user_id WHERE ii.interview_id = i.id ORDER BY u.name) u) AS interviewers,
       (SELECT json_group_array(code) FROM (SELECT k.code FROM interview_conditions ic JOIN conditions k ON k.id = ic.condition_id
          WHERE ic.interview_id = i.id ORDER BY k.position)) AS conditions
     FROM interviews i JOIN cases c ON c.id = i.case_id`;

export function interviewsRepo(db: Db) {
  const SELECT = columns(true);
  const studyOrder = 'WHERE i.study_id = ? ORDER BY c.position, i.date IS NULL, i.date, i.id';
  const forStudy = db.prepare<[number], InterviewSummary>(`${columns(false)} ${studyOrder}`);
  const withNotesForStudy = db.prepare<[number], InterviewRow>(`${SELECT} ${studyOrder}`);
  // One page of the study's list, filtered; `total` counts every row the filter keeps (a window over the
  // whole result, before LIMIT), so a page with its count is one statement.
  const filtered = db.prepare<InterviewFilterParams, InterviewSummary & { total: number }>(
    `${columns(false).replace(/\s+FROM interviews i JOIN/, ', count(*) OVER () AS total FROM interviews i JOIN')}
     WHERE i.study_id = @studyId AND (@caseKey IS NULL OR c.key = @caseKey) AND (@status IS NULL OR i.status = @status)
       AND (@roleId IS NULL OR EXISTS (SELECT 1 FROM interview_roles ir WHERE ir.interview_id = i.id AND ir.role_id = @roleId))
     ORDER BY c.position, i.date IS NULL, i.date, i.id LIMIT @limit OFFSET @offset`,
  );
  const forCase = db.prepare<[number], InterviewSummary>(`${columns(false)} WHERE i.case_id = ? ORDER BY i.date IS NULL, i.date, i.id`);
  const byKey = db.prepare<[number, string], InterviewRow>(`${SELECT} WHERE i.study_id = ? AND i.key = ?`);
  const keys = db.prepare<[number, string], { key: string }>("SELECT key FROM interviews WHERE study_id = ? AND key LIKE ? || '%'");
  const insert = db.prepare(
    `INSERT INTO interviews (study_id, case_id, key, date, participants, notes, status, held_on, drafted_on, sent_on, approved_on, created_by, created_at, updated_at)
     VALUES (@studyId, @caseId, @key, @date, @participants, @notes, @status, @heldOn, @draftedOn, @sentOn, @approvedOn, @createdBy, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE interviews SET case_id = @caseId, date = @date, participants = @participants, notes = @notes, status = @status,
       held_on = @heldOn, drafted_on = @draftedOn, sent_on = @sentOn, approved_on = @approvedOn, version = version + 1, updated_at = @now
     WHERE id = @id AND version = @version`,
  );
  const remove = db.prepare<[number]>('DELETE FROM interviews WHERE id = ?');
  const clearRoles = db.prepare<[number]>('DELETE FROM interview_roles WHERE interview_id = ?');
  const addRole = db.prepare<[number, number]>('INSERT INTO interview_roles (interview_id, role_id) VALUES (?, ?)');
  const clearInterviewers = db.prepare<[number]>('DELETE FROM interview_interviewers WHERE interview_id = ?');
  const addInterviewer = db.prepare<[number, number]>('INSERT INTO interview_interviewers (interview_id, user_id) VALUES (?, ?)');
  const clearConditions = db.prepare<[number]>('DELETE FROM interview_conditions WHERE interview_id = ?');
  const addCondition = db.prepare<[number, number]>('INSERT INTO interview_conditions (interview_id, condition_id) VALUES (?, ?)');

  return {
    /** The study's interviews without their notes (lists). */
    listForStudy: (studyId: number) => forStudy.all(studyId),
    /** The study's interviews with their notes (the study file). */
    withNotesForStudy: (studyId: number) => withNotesForStudy.all(studyId),
    /** A page of the study's interviews (without notes) that pass the filter, and how many pass it in all. */
    page(studyId: number, filter: InterviewFilter, limit: number, offset: number): { rows: InterviewSummary[]; total: number | null } {
      const rows = filtered.all({ studyId, caseKey: filter.caseKey ?? null, status: filter.status ?? null, roleId: filter.roleId ?? null, limit, offset });
      return { rows, total: rows[0]?.total ?? (offset === 0 ? 0 : null) };
    },
    listForCase: (caseId: number) => forCase.all(caseId),
    findByKey: (studyId: number, key: string) => byKey.get(studyId, key),
    /** A key not yet used in the study: the case key and a number (dordrecht-1, dordrecht-2, …). */
    nextKey(studyId: number, caseKey: string): string {
      const used = new Set(keys.all(studyId, caseKey).map((r) => r.key));
      let n = 1;
      while (used.has(`${caseKey}-${n}`)) n++;
      return `${caseKey}-${n}`;
    },
    insert: (studyId: number, key: string, w: InterviewWrite, createdBy: number | null, now: string) =>
      Number(insert.run({ studyId, key, ...w, createdBy, now }).lastInsertRowid),
    /** False when the version is no longer current (someone else saved first). */
    update: (id: number, version: number, w: InterviewWrite, now: string) => update.run({ id, version, ...w, now }).changes === 1,
    remove: (id: number) => remove.run(id),
    setLinks(id: number, links: { roleIds: number[]; interviewerIds: number[]; conditionIds: number[] }): void {
      clearRoles.run(id);
      for (const r of links.roleIds) addRole.run(id, r);
      clearInterviewers.run(id);
      for (const u of links.interviewerIds) addInterviewer.run(id, u);
      clearConditions.run(id);
      for (const c of links.conditionIds) addCondition.run(id, c);
    },
  };
}
export type InterviewsRepo = ReturnType<typeof interviewsRepo>;
