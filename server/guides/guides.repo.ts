// SQL for a study's interview roles and question bank.
import type { Db } from '../lib/db.ts';

export interface QuestionRow {
  id: number;
  section: string;
  text: string;
  roles: string; // JSON array of role names
  conditions: string; // JSON array of condition codes
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
  };
}
export type GuidesRepo = ReturnType<typeof guidesRepo>;
