// SQL for a study's framework. The whole framework loads with five statements, whatever its size.
import type { Db } from '../lib/db.ts';
import type { ConditionDoc, Framework } from '../studyfile/studyfile.schema.ts';

export interface ConditionRow {
  id: number;
  code: string;
  level: number;
  category_id: number | null;
  category_key: string | null;
  name: string;
  description: string;
  assessed_on: string;
  anchors: string;
  polarity: ConditionDoc['polarity'];
  kind: ConditionDoc['kind'];
  parent_id: number | null;
  parent_code: string | null;
  position: number;
}

export interface RelationRow {
  id: number;
  from_id: number;
  to_id: number;
  from_code: string;
  to_code: string;
  note: string;
  feedback: 0 | 1;
}

export interface LoadedFramework {
  doc: Framework;
  conditionIds: Map<string, number>;
  categoryIds: Map<string, number>;
  relationIds: Map<string, number>;
  groupingIds: Map<string, number>;
  conditions: ConditionRow[];
}

/** Leaves out optional values that are empty, so an exported document says only what is there. */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '' && v !== null && v !== false)) as T;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of value instanceof Map ? value.values() : Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export function frameworkRepo(db: Db) {
  const levels = db.prepare<[number], { number: number; name: string; description: string }>(
    'SELECT number, name, description FROM levels WHERE study_id = ? ORDER BY number',
  );
  const categories = db.prepare<[number], { id: number; key: string; level: number; name: string }>(
    'SELECT id, key, level, name FROM categories WHERE study_id = ? ORDER BY level, position, id',
  );
  const conditions = db.prepare<[number], ConditionRow>(
    `SELECT c.id, c.code, c.level, c.category_id, cat.key AS category_key, c.name, c.description, c.assessed_on, c.anchors,
            c.polarity, c.kind, c.parent_id, p.code AS parent_code, c.position
     FROM conditions c LEFT JOIN categories cat ON cat.id = c.category_id LEFT JOIN conditions p ON p.id = c.parent_id
     WHERE c.study_id = ? ORDER BY c.position, c.id`,
  );
  const relations = db.prepare<[number], RelationRow>(
    `SELECT r.id, r.from_id, r.to_id, f.code AS from_code, t.code AS to_code, r.note, r.feedback
     FROM relations r JOIN conditions f ON f.id = r.from_id JOIN conditions t ON t.id = r.to_id
     WHERE r.study_id = ? ORDER BY r.position, r.id`,
  );
  const groupings = db.prepare<[number], { id: number; key: string; name: string; reason: string; members: string }>(
    `SELECT g.id, g.key, g.name, g.reason,
            (SELECT json_group_array(code) FROM (SELECT c.code FROM grouping_members m JOIN conditions c ON c.id = m.condition_id
                                                  WHERE m.grouping_id = g.id ORDER BY m.position)) AS members
     FROM groupings g WHERE g.study_id = ? ORDER BY g.position, g.id`,
  );
  const anyRating = db.prepare<[number], { one: number }>(
    'SELECT 1 AS one FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.study_id = ? LIMIT 1',
  );
  const bump = db.prepare<[string, number]>('UPDATE studies SET framework_revision = framework_revision + 1, updated_at = ? WHERE id = ?');
  const setTitle = db.prepare<[string, number]>('UPDATE studies SET framework_title = ? WHERE id = ?');
  const nextPosition = (table: 'categories' | 'conditions' | 'relations' | 'groupings') =>
    db.prepare<[number], { p: number }>(`SELECT coalesce(max(position), -1) + 1 AS p FROM ${table} WHERE study_id = ?`);
  const positions = {
    categories: nextPosition('categories'),
    conditions: nextPosition('conditions'),
    relations: nextPosition('relations'),
    groupings: nextPosition('groupings'),
  };

  const insertLevel = db.prepare<{ studyId: number; number: number; name: string; description: string }>(
    'INSERT INTO levels (study_id, number, name, description) VALUES (@studyId, @number, @name, @description)',
  );
  const updateLevel = db.prepare<{ studyId: number; old: number; number: number; name: string; description: string }>(
    'UPDATE levels SET number = @number, name = @name, description = @description WHERE study_id = @studyId AND number = @old',
  );
  const deleteLevel = db.prepare<[number, number]>('DELETE FROM levels WHERE study_id = ? AND number = ?');
  const insertCategory = db.prepare<{ studyId: number; key: string; level: number; name: string; position: number }>(
    'INSERT INTO categories (study_id, key, level, name, position) VALUES (@studyId, @key, @level, @name, @position)',
  );
  const updateCategory = db.prepare<{ id: number; key: string; level: number; name: string }>(
    'UPDATE categories SET key = @key, level = @level, name = @name WHERE id = @id',
  );
  const deleteCategory = db.prepare<[number]>('DELETE FROM categories WHERE id = ?');
  const conditionColumns = '@studyId, @code, @level, @categoryId, @name, @description, @assessedOn, @anchors, @polarity, @kind, @parentId';
  const insertCondition = db.prepare(
    `INSERT INTO conditions (study_id, code, level, category_id, name, description, assessed_on, anchors, polarity, kind, parent_id, position)
     VALUES (${conditionColumns}, @position)`,
  );
  const updateCondition = db.prepare(
    `UPDATE conditions SET code = @code, level = @level, category_id = @categoryId, name = @name, description = @description,
       assessed_on = @assessedOn, anchors = @anchors, polarity = @polarity, kind = @kind, parent_id = @parentId
     WHERE id = @id AND study_id = @studyId`,
  );
  const setParent = db.prepare<[number | null, number]>('UPDATE conditions SET parent_id = ? WHERE id = ?');
  const deleteCondition = db.prepare<[number]>('DELETE FROM conditions WHERE id = ?');
  const conditionRatings = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM ratings WHERE condition_id = ?');
  const insertRelation = db.prepare<{ studyId: number; fromId: number; toId: number; note: string; feedback: number; position: number }>(
    'INSERT INTO relations (study_id, from_id, to_id, note, feedback, position) VALUES (@studyId, @fromId, @toId, @note, @feedback, @position)',
  );
  const deleteRelation = db.prepare<[number, number]>('DELETE FROM relations WHERE id = ? AND study_id = ?');
  const insertGrouping = db.prepare<{ studyId: number; key: string; name: string; reason: string; position: number }>(
    'INSERT INTO groupings (study_id, key, name, reason, position) VALUES (@studyId, @key, @name, @reason, @position)',
  );
  const updateGrouping = db.prepare<{ id: number; key: string; name: string; reason: string }>(
    'UPDATE groupings SET key = @key, name = @name, reason = @reason WHERE id = @id',
  );
  const clearGroupingMembers = db.prepare<[number]>('DELETE FROM grouping_members WHERE grouping_id = ?');
  const insertGroupingMember = db.prepare<[number, number, number]>(
    'INSERT INTO grouping_members (grouping_id, condition_id, position) VALUES (?, ?, ?)',
  );
  const deleteGrouping = db.prepare<[number, number]>('DELETE FROM groupings WHERE id = ? AND study_id = ?');

  function readFramework(studyId: number, title: string, revision: number): LoadedFramework {
    const categoryRows = categories.all(studyId);
    const conditionRows = conditions.all(studyId);
    const relationRows = relations.all(studyId);
    const groupingRows = groupings.all(studyId);
    const doc: Framework = {
      title,
      revision,
      levels: levels.all(studyId).map((l) => compact({ number: l.number, name: l.name, description: l.description })),
      categories: categoryRows.map((c) => ({ key: c.key, level: c.level, name: c.name })),
      conditions: conditionRows.map((c) => {
        const anchors = JSON.parse(c.anchors) as Record<string, string>;
        return compact({
          code: c.code,
          level: c.level,
          category: c.category_key ?? undefined,
          name: c.name,
          description: c.description,
          assessedOn: c.assessed_on,
          anchors: Object.keys(anchors).length ? anchors : undefined,
          polarity: c.polarity,
          kind: c.kind,
          parent: c.parent_code ?? undefined,
        });
      }),
      relations: relationRows.map((r) => compact({ from: r.from_code, to: r.to_code, note: r.note, feedback: r.feedback === 1 })),
      groupings: groupingRows.map((g) => compact({ key: g.key, name: g.name, members: JSON.parse(g.members) as string[], reason: g.reason })),
    };
    return {
      doc,
      conditions: conditionRows,
      conditionIds: new Map(conditionRows.map((c) => [c.code, c.id])),
      categoryIds: new Map(categoryRows.map((c) => [c.key, c.id])),
      relationIds: new Map(relationRows.map((r) => [`${r.from_code}→${r.to_code}`, r.id])),
      groupingIds: new Map(groupingRows.map((g) => [g.key, g.id])),
    };
  }

  // A framework changes only with its revision (every write bumps it, in the same transaction), and
  // pages read it on almost every request: loaded once per (study, revision, title), frozen so no
  // reader can change what the next one gets. Not while a transaction is open, which could still
  // write and roll back under the same revision.
  const loadedByStudy = new Map<number, { revision: number; title: string; loaded: LoadedFramework }>();
  const MAX_CACHED_STUDIES = 100;

  type ConditionWrite = { code: string; level: number; categoryId: number | null; name: string; description: string; assessedOn: string; anchors: string; polarity: string; kind: string; parentId: number | null };

  return {
    /** The study's whole framework (five statements, or none when this revision was read before). */
    load(studyId: number, title: string, revision: number): LoadedFramework {
      const cached = loadedByStudy.get(studyId);
      if (cached && cached.revision === revision && cached.title === title) return cached.loaded;
      const loaded = readFramework(studyId, title, revision);
      if (db.inTransaction) return loaded;
      if (loadedByStudy.size >= MAX_CACHED_STUDIES) loadedByStudy.delete(loadedByStudy.keys().next().value!);
      loadedByStudy.set(studyId, { revision, title, loaded: deepFreeze(loaded) });
      return loaded;
    },
    relationRows: (studyId: number) => relations.all(studyId),
    hasRatings: (studyId: number) => anyRating.get(studyId) !== undefined,
    conditionHasRatings: (conditionId: number) => conditionRatings.get(conditionId)!.n > 0,
    bumpRevision: (studyId: number, at: string) => bump.run(at, studyId),
    setTitle: (studyId: number, title: string) => setTitle.run(title, studyId),

    insertLevel: (studyId: number, l: { number: number; name: string; description: string }) => insertLevel.run({ studyId, ...l }),
    updateLevel: (studyId: number, old: number, l: { number: number; name: string; description: string }) => updateLevel.run({ studyId, old, ...l }),
    deleteLevel: (studyId: number, number: number) => deleteLevel.run(studyId, number),
    insertCategory: (studyId: number, c: { key: string; level: number; name: string }) =>
      Number(insertCategory.run({ studyId, ...c, position: positions.categories.get(studyId)!.p }).lastInsertRowid),
    updateCategory: (id: number, c: { key: string; level: number; name: string }) => updateCategory.run({ id, ...c }),
    deleteCategory: (id: number) => deleteCategory.run(id),
    insertCondition: (studyId: number, c: ConditionWrite) =>
      Number(insertCondition.run({ studyId, ...c, position: positions.conditions.get(studyId)!.p }).lastInsertRowid),
    updateCondition: (studyId: number, id: number, c: ConditionWrite) => updateCondition.run({ studyId, id, ...c }),
    setParent: (id: number, parentId: number | null) => setParent.run(parentId, id),
    deleteCondition: (id: number) => deleteCondition.run(id),
    insertRelation: (studyId: number, r: { fromId: number; toId: number; note: string; feedback: boolean }) =>
      Number(insertRelation.run({ studyId, ...r, feedback: r.feedback ? 1 : 0, position: positions.relations.get(studyId)!.p }).lastInsertRowid),
    deleteRelation: (studyId: number, id: number) => deleteRelation.run(id, studyId),
    insertGrouping: (studyId: number, g: { key: string; name: string; reason: string }) =>
      Number(insertGrouping.run({ studyId, ...g, position: positions.groupings.get(studyId)!.p }).lastInsertRowid),
    updateGrouping: (id: number, g: { key: string; name: string; reason: string }) => updateGrouping.run({ id, ...g }),
    setGroupingMembers(groupingId: number, conditionIds: number[]): void {
      clearGroupingMembers.run(groupingId);
      conditionIds.forEach((id, i) => insertGroupingMember.run(groupingId, id, i));
    },
    deleteGrouping: (studyId: number, id: number) => deleteGrouping.run(id, studyId),
  };
}
export type FrameworkRepo = ReturnType<typeof frameworkRepo>;

/** The values of a condition document as the repository writes them. */
export function conditionWrite(c: ConditionDoc, ids: { categoryId: number | null; parentId: number | null }) {
  return {
    code: c.code,
    level: c.level,
    categoryId: ids.categoryId,
    name: c.name,
    description: c.description ?? '',
    assessedOn: c.assessedOn ?? '',
    anchors: JSON.stringify(c.anchors ?? {}),
    polarity: c.polarity,
    kind: c.kind,
    parentId: ids.parentId,
  };
}
