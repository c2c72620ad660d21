// SQL for a study's cases, their attribute types, measures and raters. Pages read whole sets per
// study (a constant number of statements whatever the number of cases); writes go one row at a time.
import type { Db } from '../lib/db.ts';

export type AttributeValue = string | number | boolean;
export type AttributeType = 'text' | 'number' | 'boolean';
export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['text', 'number', 'boolean'];

export interface CaseRow {
  id: number;
  key: string;
  name: string;
  pseudonym: string | null;
  grp: string;
  attributes: string; // JSON object
  selection_reason: string;
  position: number;
  /** JSON array of other ways the case's name is written ("Dordt"): anonymisation replaces them too. */
  aliases: string;
}

/** A case with its optimistic-concurrency version and the number of its measures. */
export interface CaseListRow extends CaseRow {
  version: number;
  measure_count: number;
  /** Fieldwork progress: interviews held or later, interviews approved, documents. */
  interviews_held: number;
  interviews_approved: number;
  document_count: number;
}

export interface CaseFullRow extends CaseRow {
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CaseWrite {
  key: string;
  name: string;
  pseudonym: string | null;
  group: string;
  attributes: Record<string, AttributeValue>;
  selectionReason: string;
  /** Other ways the name is written; absent: none (insert) or unchanged (update). */
  aliases?: readonly string[];
}

export interface AttributeTypeRow {
  id: number;
  key: string;
  type: AttributeType;
  position: number;
}

export interface MeasureRow {
  case_id: number;
  variable: string;
  year: number | null;
  value: number;
}

export interface RaterRow {
  case_id: number;
  user_id: number;
  email: string;
  name: string;
}

export interface MeasureWrite {
  variable: string;
  year: number | null;
  value: number;
}

export function casesRepo(db: Db) {
  const list = db.prepare<[number], CaseRow>(
    'SELECT id, key, name, pseudonym, grp, attributes, selection_reason, position, aliases FROM cases WHERE study_id = ? ORDER BY position, id',
  );
  const listWithCounts = db.prepare<[number], CaseListRow>(
    `SELECT c.id, c.key, c.name, c.pseudonym, c.grp, c.attributes, c.selection_reason, c.position, c.aliases, c.version,
            (SELECT count(*) FROM case_measures m WHERE m.case_id = c.id) AS measure_count,
            (SELECT count(*) FROM interviews i WHERE i.case_id = c.id AND i.status <> 'planned') AS interviews_held,
            (SELECT count(*) FROM interviews i WHERE i.case_id = c.id AND i.status = 'approved') AS interviews_approved,
            (SELECT count(*) FROM documents d WHERE d.case_id = c.id) AS document_count
     FROM cases c WHERE c.study_id = ? ORDER BY c.position, c.id`,
  );
  const measures = db.prepare<[number], MeasureRow>(
    `SELECT m.case_id, m.variable, m.year, m.value FROM case_measures m JOIN cases c ON c.id = m.case_id
     WHERE c.study_id = ? ORDER BY c.position, m.position, m.id`,
  );
  const raters = db.prepare<[number], RaterRow>(
    `SELECT r.case_id, r.user_id, u.email, u.name FROM case_raters r JOIN cases c ON c.id = r.case_id JOIN users u ON u.id = r.user_id
     WHERE c.study_id = ? ORDER BY c.position, r.position`,
  );
  const count = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM cases WHERE study_id = ?');
  const byKey = db.prepare<[number, string], CaseFullRow>(
    `SELECT id, key, name, pseudonym, grp, attributes, selection_reason, position, aliases, version, created_at, updated_at
     FROM cases WHERE study_id = ? AND key = ?`,
  );
  const measuresOf = db.prepare<[number], MeasureRow>(
    'SELECT case_id, variable, year, value FROM case_measures WHERE case_id = ? ORDER BY position, id',
  );
  const ratersOf = db.prepare<[number], RaterRow>(
    `SELECT r.case_id, r.user_id, u.email, u.name FROM case_raters r JOIN users u ON u.id = r.user_id
     WHERE r.case_id = ? ORDER BY r.position`,
  );
  const nextPosition = db.prepare<[number], { p: number }>('SELECT coalesce(max(position) + 1, 0) AS p FROM cases WHERE study_id = ?');
  const insert = db.prepare(
    `INSERT INTO cases (study_id, key, name, pseudonym, grp, attributes, selection_reason, aliases, position, created_at, updated_at)
     VALUES (@studyId, @key, @name, @pseudonym, @group, @attributes, @selectionReason, @aliases, @position, @now, @now)`,
  );
  const update = db.prepare<{ id: number; version: number; name: string; pseudonym: string | null; group: string; attributes: string; selectionReason: string; aliases: string | null; now: string }>(
    `UPDATE cases SET name = @name, pseudonym = @pseudonym, grp = @group, attributes = @attributes, selection_reason = @selectionReason,
       aliases = coalesce(@aliases, aliases), version = version + 1, updated_at = @now
     WHERE id = @id AND version = @version`,
  );
  const bumpVersion = db.prepare<[string, number]>('UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ?');
  const setAliases = db.prepare<[string, string, number]>('UPDATE cases SET aliases = ?, version = version + 1, updated_at = ? WHERE id = ?');
  const setPseudonym = db.prepare<[string | null, string, number]>('UPDATE cases SET pseudonym = ?, version = version + 1, updated_at = ? WHERE id = ?');
  const insertMeasure = db.prepare<[number, string, number | null, number, number]>(
    'INSERT INTO case_measures (case_id, variable, year, value, position) VALUES (?, ?, ?, ?, ?)',
  );
  const deleteMeasures = db.prepare<[number]>('DELETE FROM case_measures WHERE case_id = ?');
  // The unique index is on (case_id, variable, ifnull(year, -1)): a value without a year is one slot.
  const upsertMeasure = db.prepare<{ caseId: number; variable: string; year: number | null; value: number }>(
    `INSERT INTO case_measures (case_id, variable, year, value, position)
     VALUES (@caseId, @variable, @year, @value, (SELECT coalesce(max(position) + 1, 0) FROM case_measures WHERE case_id = @caseId))
     ON CONFLICT (case_id, variable, ifnull(year, -1)) DO UPDATE SET value = excluded.value`,
  );
  const insertRater = db.prepare<[number, number, number]>('INSERT INTO case_raters (case_id, user_id, position) VALUES (?, ?, ?)');
  const attributeTypes = db.prepare<[number], AttributeTypeRow>(
    'SELECT id, key, type, position FROM case_attribute_types WHERE study_id = ? ORDER BY position, id',
  );
  const insertAttributeType = db.prepare<{ studyId: number; key: string; type: AttributeType }>(
    `INSERT INTO case_attribute_types (study_id, key, type, position)
     VALUES (@studyId, @key, @type, (SELECT coalesce(max(position) + 1, 0) FROM case_attribute_types WHERE study_id = @studyId))`,
  );

  return {
    list: (studyId: number) => list.all(studyId),
    /** The cases with their version and number of measures, in one statement. */
    listWithCounts: (studyId: number) => listWithCounts.all(studyId),
    measures: (studyId: number) => measures.all(studyId),
    raters: (studyId: number) => raters.all(studyId),
    count: (studyId: number) => count.get(studyId)!.n,
    findByKey: (studyId: number, key: string) => byKey.get(studyId, key),
    measuresOf: (caseId: number) => measuresOf.all(caseId),
    ratersOf: (caseId: number) => ratersOf.all(caseId),
    nextPosition: (studyId: number) => nextPosition.get(studyId)!.p,
    insert: (studyId: number, c: CaseWrite, position: number, now: string) =>
      Number(insert.run({ studyId, ...c, attributes: JSON.stringify(c.attributes), aliases: JSON.stringify(c.aliases ?? []), position, now }).lastInsertRowid),
    /** Writes the case if it is still at `version`; false when someone else saved it first. */
    update: (id: number, version: number, c: Omit<CaseWrite, 'key'>, now: string) =>
      update.run({
        id, version, name: c.name, pseudonym: c.pseudonym, group: c.group, attributes: JSON.stringify(c.attributes), selectionReason: c.selectionReason,
        aliases: c.aliases === undefined ? null : JSON.stringify(c.aliases), now,
      }).changes === 1,
    bumpVersion: (caseId: number, now: string) => bumpVersion.run(now, caseId),
    /** Replaces the case's aliases and raises its version (a case form opened before is then stale). */
    setAliases: (caseId: number, aliases: readonly string[], now: string) => setAliases.run(JSON.stringify(aliases), now, caseId),
    /** Sets the pseudonym and raises the version: a case form opened before would otherwise write the old one back. */
    setPseudonym: (caseId: number, pseudonym: string | null, now: string) => setPseudonym.run(pseudonym, now, caseId),
    insertMeasure: (caseId: number, variable: string, year: number | null, value: number, position: number) =>
      insertMeasure.run(caseId, variable, year, value, position),
    /** Replaces every measure of a case by `rows`, in their order. */
    replaceMeasures: (caseId: number, rows: MeasureWrite[]) => {
      deleteMeasures.run(caseId);
      rows.forEach((m, i) => insertMeasure.run(caseId, m.variable, m.year, m.value, i));
    },
    /** Sets one value: replaces the value for the same (case, variable, year) or adds it at the end. */
    upsertMeasure: (caseId: number, m: MeasureWrite) => upsertMeasure.run({ caseId, ...m }),
    insertRater: (caseId: number, userId: number, position: number) => insertRater.run(caseId, userId, position),
    attributeTypes: (studyId: number) => attributeTypes.all(studyId),
    insertAttributeType: (studyId: number, key: string, type: AttributeType) =>
      Number(insertAttributeType.run({ studyId, key, type }).lastInsertRowid),
  };
}
export type CasesRepo = ReturnType<typeof casesRepo>;
