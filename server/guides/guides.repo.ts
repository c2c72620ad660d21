// SQL for a study's interview roles and question bank. The study-file importer and exporter use
// roles, questions, insertRole and insertQuestion; the guides pages load with a constant number of
// statements (roles with their use, the bank with its links, the conditions with whether a question probes them).
import type { Db } from '../lib/db.ts';

export interface QuestionRow {
  id: number;
  section: string;
  text: string;
  roles: string; // JSON array of role names
  conditions: string; // JSON array of condition codes
}

/** A role with how many questions are asked to it and how many interviews record it. */
export interface RoleUsage {
  id: number;
  name: string;
  questions: number;
  interviews: number;
}

export interface ConditionRef {
  id: number;
  code: string;
  name: string;
  kind: 'rated' | 'measured';
}

/** A question of the bank with its links, in bank order. */
export interface BankQuestion {
  id: number;
  section: string;
  text: string;
  roleIds: number[];
  conditions: { code: string; name: string }[];
}

interface BankRow {
  id: number;
  section: string;
  text: string;
  role_ids: string; // JSON number[]
  conditions: string; // JSON [{code, name}]
}

export function guidesRepo(db: Db) {
  const roles = db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM roles WHERE study_id = ? ORDER BY position, id');
  const questions = db.prepare<[number], QuestionRow>(
    `SELECT q.id, q.section, q.text,
            (SELECT json_group_array(name) FROM (SELECT r.name FROM question_roles qr JOIN roles r ON r.id = qr.role_id
                                                  WHERE qr.question_id = q.id ORDER BY r.position)) AS roles,
            (SELECT json_group_array(code) FROM (SELECT c.code FROM question_conditions qc JOIN conditions c ON c.id = qc.condition_id
                                                  WHERE qc.question_id = q.id ORDER BY c.position)) AS conditions
     FROM questions q WHERE q.study_id = ? ORDER BY q.position, q.id`,
  );
  const insertRole = db.prepare<[number, string, number]>('INSERT INTO roles (study_id, name, position) VALUES (?, ?, ?)');
  const insertQuestion = db.prepare<[number, string, string, number]>('INSERT INTO questions (study_id, section, text, position) VALUES (?, ?, ?, ?)');
  const insertQuestionRole = db.prepare<[number, number]>('INSERT INTO question_roles (question_id, role_id) VALUES (?, ?)');
  const insertQuestionCondition = db.prepare<[number, number]>('INSERT INTO question_conditions (question_id, condition_id) VALUES (?, ?)');

  // --- The guides pages and editor ---
  const usageColumns = `SELECT r.id, r.name,
            (SELECT count(*) FROM question_roles qr WHERE qr.role_id = r.id) AS questions,
            (SELECT count(*) FROM interview_roles ir WHERE ir.role_id = r.id) AS interviews
     FROM roles r`;
  const roleUsage = db.prepare<[number], RoleUsage>(`${usageColumns} WHERE r.study_id = ? ORDER BY r.position, r.id`);
  const oneRole = db.prepare<[number, number], RoleUsage>(`${usageColumns} WHERE r.study_id = ? AND r.id = ?`);
  const appendRole = db.prepare<{ studyId: number; name: string }>(
    `INSERT INTO roles (study_id, name, position)
     SELECT @studyId, @name, coalesce(max(position), -1) + 1 FROM roles WHERE study_id = @studyId`,
  );
  const renameRole = db.prepare<[string, number, number]>('UPDATE roles SET name = ? WHERE study_id = ? AND id = ?');
  const deleteRole = db.prepare<[number, number]>('DELETE FROM roles WHERE study_id = ? AND id = ?');

  const bankColumns = `SELECT q.id, q.section, q.text,
            (SELECT json_group_array(role_id) FROM (SELECT qr.role_id FROM question_roles qr JOIN roles r ON r.id = qr.role_id
                                                     WHERE qr.question_id = q.id ORDER BY r.position, r.id)) AS role_ids,
            (SELECT json_group_array(json_object('code', code, 'name', name)) FROM (
                SELECT c.code, c.name FROM question_conditions qc JOIN conditions c ON c.id = qc.condition_id
                WHERE qc.question_id = q.id ORDER BY c.position, c.id)) AS conditions
     FROM questions q`;
  const bank = db.prepare<[number], BankRow>(`${bankColumns} WHERE q.study_id = ? ORDER BY q.position, q.id`);
  const oneQuestion = db.prepare<[number, number], BankRow>(`${bankColumns} WHERE q.study_id = ? AND q.id = ?`);
  const forRole = db.prepare<[number, number], { id: number; section: string; text: string }>(
    `SELECT q.id, q.section, q.text FROM questions q JOIN question_roles qr ON qr.question_id = q.id AND qr.role_id = ?
     WHERE q.study_id = ? ORDER BY q.position, q.id`,
  );
  const order = db.prepare<[number], { id: number; section: string }>('SELECT id, section FROM questions WHERE study_id = ? ORDER BY position, id');
  // Every condition, rated and measured alike, in framework order, and whether any question probes it.
  const coverage = db.prepare<[number], ConditionRef & { probed: 0 | 1 }>(
    `SELECT c.id, c.code, c.name, c.kind, EXISTS (SELECT 1 FROM question_conditions qc WHERE qc.condition_id = c.id) AS probed
     FROM conditions c WHERE c.study_id = ? ORDER BY c.position, c.id`,
  );
  const conditions = db.prepare<[number], ConditionRef>('SELECT id, code, name, kind FROM conditions WHERE study_id = ? ORDER BY position, id');

  const addQuestion = db.prepare<{ studyId: number; section: string; text: string }>(
    `INSERT INTO questions (study_id, section, text, position)
     SELECT @studyId, @section, @text, coalesce(max(position), -1) + 1 FROM questions WHERE study_id = @studyId`,
  );
  const updateQuestion = db.prepare<[string, string, number, number]>('UPDATE questions SET section = ?, text = ? WHERE study_id = ? AND id = ?');
  const deleteQuestion = db.prepare<[number, number]>('DELETE FROM questions WHERE study_id = ? AND id = ?');
  const clearRoles = db.prepare<[number]>('DELETE FROM question_roles WHERE question_id = ?');
  const addRoles = db.prepare<[number, string]>('INSERT INTO question_roles (question_id, role_id) SELECT ?, value FROM json_each(?)');
  const clearConditions = db.prepare<[number]>('DELETE FROM question_conditions WHERE question_id = ?');
  const addConditions = db.prepare<[number, string]>('INSERT INTO question_conditions (question_id, condition_id) SELECT ?, value FROM json_each(?)');
  // The whole new order in one statement: position = index in the JSON array of question ids.
  const setPositions = db.prepare<{ studyId: number; ids: string }>(
    `UPDATE questions SET position = (SELECT CAST(j.key AS INTEGER) FROM json_each(@ids) j WHERE j.value = questions.id)
     WHERE study_id = @studyId AND id IN (SELECT value FROM json_each(@ids))`,
  );

  const toBank = (row: BankRow): BankQuestion => ({
    id: row.id,
    section: row.section,
    text: row.text,
    roleIds: JSON.parse(row.role_ids) as number[],
    conditions: JSON.parse(row.conditions) as { code: string; name: string }[],
  });

  return {
    roles: (studyId: number) => roles.all(studyId),
    questions: (studyId: number) => questions.all(studyId),
    insertRole: (studyId: number, name: string, position: number) => Number(insertRole.run(studyId, name, position).lastInsertRowid),
    insertQuestion(studyId: number, q: { section: string; text: string; position: number; roleIds: number[]; conditionIds: number[] }): number {
      const id = Number(insertQuestion.run(studyId, q.section, q.text, q.position).lastInsertRowid);
      for (const roleId of q.roleIds) insertQuestionRole.run(id, roleId);
      for (const conditionId of q.conditionIds) insertQuestionCondition.run(id, conditionId);
      return id;
    },

    /** Roles in order, each with its number of questions and interviews. */
    roleUsage: (studyId: number) => roleUsage.all(studyId),
    role: (studyId: number, roleId: number) => oneRole.get(studyId, roleId),
    appendRole: (studyId: number, name: string) => Number(appendRole.run({ studyId, name }).lastInsertRowid),
    renameRole: (studyId: number, roleId: number, name: string) => void renameRole.run(name, studyId, roleId),
    deleteRole: (studyId: number, roleId: number) => void deleteRole.run(studyId, roleId),

    /** Every question in bank order, with its role ids and the conditions it probes. */
    bank: (studyId: number) => bank.all(studyId).map(toBank),
    question(studyId: number, questionId: number): BankQuestion | undefined {
      const row = oneQuestion.get(studyId, questionId);
      return row && toBank(row);
    },
    /** The questions asked to one role, in bank order. */
    forRole: (studyId: number, roleId: number) => forRole.all(roleId, studyId),
    /** Question ids with their section, in bank order: what reordering works on. */
    order: (studyId: number) => order.all(studyId),
    /** Every condition with whether a question probes it (question_conditions is per question of the same study). */
    coverage: (studyId: number) => coverage.all(studyId),
    conditions: (studyId: number) => conditions.all(studyId),

    /** Appends a question at the end of the bank (the service then places it in its section). */
    addQuestion(studyId: number, q: { section: string; text: string; roleIds: number[]; conditionIds: number[] }): number {
      const id = Number(addQuestion.run({ studyId, section: q.section, text: q.text }).lastInsertRowid);
      addRoles.run(id, JSON.stringify(q.roleIds));
      addConditions.run(id, JSON.stringify(q.conditionIds));
      return id;
    },
    updateQuestion(studyId: number, questionId: number, q: { section: string; text: string; roleIds: number[]; conditionIds: number[] }): void {
      updateQuestion.run(q.section, q.text, studyId, questionId);
      clearRoles.run(questionId);
      addRoles.run(questionId, JSON.stringify(q.roleIds));
      clearConditions.run(questionId);
      addConditions.run(questionId, JSON.stringify(q.conditionIds));
    },
    deleteQuestion: (studyId: number, questionId: number) => void deleteQuestion.run(studyId, questionId),
    /** Positions 0…n−1 in the order of `ids` (questions of the study). */
    setOrder: (studyId: number, ids: number[]) => void setPositions.run({ studyId, ids: JSON.stringify(ids) }),
  };
}
export type GuidesRepo = ReturnType<typeof guidesRepo>;
