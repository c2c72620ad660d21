// SQL for a study's cases, their measures and their raters.
import type { Db } from '../lib/db.ts';

export interface CaseRow {
  id: number;
  key: string;
  name: string;
  pseudonym: string | null;
  grp: string;
  attributes: string; // JSON object
  selection_reason: string;
  position: number;
}

export interface CaseWrite {
  key: string;
  name: string;
  pseudonym: string | null;
  group: string;
  attributes: Record<string, string | number | boolean>;
  selectionReason: string;
}

export function casesRepo(db: Db) {
  const list = db.prepare<[number], CaseRow>(
    'SELECT id, key, name, pseudonym, grp, attributes, selection_reason, position FROM cases WHERE study_id = ? ORDER BY position, id',
  );
  const measures = db.prepare<[number], { case_id: number; variable: string; year: number | null; value: number }>(
    `SELECT m.case_id, m.variable, m.year, m.value FROM case_measures m JOIN cases c ON c.id = m.case_id
     WHERE c.study_id = ? ORDER BY c.position, m.position, m.id`,
  );
  const raters = db.prepare<[number], { case_id: number; user_id: number; email: string; name: string }>(
    `SELECT r.case_id, r.user_id, u.email, u.name FROM case_raters r JOIN cases c ON c.id = r.case_id JOIN users u ON u.id = r.user_id
     WHERE c.study_id = ? ORDER BY c.position, r.position`,
  );
  const count = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM cases WHERE study_id = ?');
  const insert = db.prepare(
    `INSERT INTO cases (study_id, key, name, pseudonym, grp, attributes, selection_reason, position, created_at, updated_at)
     VALUES (@studyId, @key, @name, @pseudonym, @group, @attributes, @selectionReason, @position, @now, @now)`,
  );
  const insertMeasure = db.prepare<[number, string, number | null, number, number]>(
    'INSERT INTO case_measures (case_id, variable, year, value, position) VALUES (?, ?, ?, ?, ?)',
  );
  const insertRater = db.prepare<[number, number, number]>('INSERT INTO case_raters (case_id, user_id, position) VALUES (?, ?, ?)');

  return {
    list: (studyId: number) => list.all(studyId),
    measures: (studyId: number) => measures.all(studyId),
    raters: (studyId: number) => raters.all(studyId),
    count: (studyId: number) => count.get(studyId)!.n,
    insert: (studyId: number, c: CaseWrite, position: number, now: string) =>
      Number(insert.run({ studyId, ...c, attributes: JSON.stringify(c.attributes), position, now }).lastInsertRowid),
    insertMeasure: (caseId: number, variable: string, year: number | null, value: number, position: number) =>
      insertMeasure.run(caseId, variable, year, value, position),
    insertRater: (caseId: number, userId: number, position: number) => insertRater.run(caseId, userId, position),
  };
}
export type CasesRepo = ReturnType<typeof casesRepo>;
