// Editing a framework. Every edit is applied to the framework document first and checked with the
// study file's own rules (frameworkProblems), so the editor and the importer share one set of
// rules; then it is written, the revision goes up by one and the audit log gets before and after.
// Once any rating exists, conditions cannot be removed and their kind and polarity are fixed.
import type { Db } from '../lib/db.ts';
import { FormRefusal, RuleError } from '../lib/errors.ts';
import type { AuditRepo } from '../audit/audit.repo.ts';
import type { StudiesRepo } from '../studies/studies.repo.ts';
import type { ConditionDoc, Framework } from '../studyfile/studyfile.schema.ts';
import { frameworkProblems, type Problem } from '../studyfile/studyfile.validate.ts';
import { conditionWrite, type FrameworkRepo, type LoadedFramework } from './framework.repo.ts';


type Section = 'levels' | 'categories' | 'conditions' | 'relations' | 'groupings';

/** Maps problems at `framework.<section>[index].<field>` to that field; the rest to `_form`. */
function toFields(problems: Problem[], section: Section, index: number): FormRefusal['fields'] {
  const fields: FormRefusal['fields'] = {};
  const own = `framework.${section}[${index}]`;
  for (const p of problems) {
    const field = p.path.startsWith(own) ? (p.path.slice(own.length).match(/^\.(\w+)/)?.[1] ?? '_form') : '_form';
    fields[field] ??= { key: p.key, params: p.params };
  }
  return fields;
}

export interface LevelInput { number: number; name: string; description: string }
export interface CategoryInput { key: string; level: number; name: string }
export interface RelationInput { from: string; to: string; note: string; feedback: boolean }
export interface GroupingInput { key: string; name: string; members: string[]; reason: string }

export function frameworkService(deps: { db: Db; framework: FrameworkRepo; studies: StudiesRepo; audit: AuditRepo; now: () => Date }) {
  const { db, framework, studies, audit } = deps;

  /**
   * Runs one edit: loads the framework, refuses a stale form, lets `edit` change a copy of the
   * document and say where (section and index), checks the rules, then lets `write` store it.
   */
  function edit(
    studyId: number,
    actorId: number,
    expectedRevision: number | null,
    describe: { entity: string; action: string },
    change: (doc: Framework, loaded: LoadedFramework) => { section: Section; index: number; before?: unknown; after?: unknown },
    write: (loaded: LoadedFramework, doc: Framework) => void,
  ): void {
    db.transaction(() => {
      const study = studies.findById(studyId);
      if (!study) throw new RuleError('error.notFound');
      if (expectedRevision !== null && expectedRevision !== study.framework_revision) {
        throw new FormRefusal({ _form: { key: 'framework.stale', params: { revision: study.framework_revision } } });
      }
      const loaded = framework.load(studyId, study.framework_title, study.framework_revision);
      const doc = structuredClone(loaded.doc);
      const where = change(doc, loaded);
      const problems = frameworkProblems(doc);
      if (problems.length) throw new FormRefusal(toFields(problems, where.section, where.index));
      write(loaded, doc);
      const at = deps.now().toISOString();
      framework.bumpRevision(studyId, at);
      audit.record({ at, actorId, studyId, entity: describe.entity, action: describe.action, before: where.before, after: where.after });
    })();
  }

  const indexOf = <T>(list: T[], found: (item: T) => boolean): number => {
    const i = list.findIndex(found);
    if (i < 0) throw new RuleError('error.notFound');
    return i;
  };

  return {
    setTitle(studyId: number, actorId: number, title: string): void {
      edit(studyId, actorId, null, { entity: 'framework', action: 'update-title' },
        (doc) => {
          const before = doc.title;
          doc.title = title;
          return { section: 'levels', index: -1, before: { title: before }, after: { title } };
        },
        () => framework.setTitle(studyId, title));
    },

    saveLevel(studyId: number, actorId: number, revision: number, oldNumber: number | null, input: LevelInput): void {
      edit(studyId, actorId, revision, { entity: 'level', action: oldNumber === null ? 'create' : 'update' },
        (doc) => {
          if (oldNumber === null) {
            doc.levels.push(input);
            return { section: 'levels', index: doc.levels.length - 1, after: input };
          }
          const i = indexOf(doc.levels, (l) => l.number === oldNumber);
          const before = doc.levels[i];
          doc.levels[i] = input;
          // Everything on the level moves with it (the database cascades the number).
          for (const c of doc.categories) if (c.level === oldNumber) c.level = input.number;
          for (const c of doc.conditions) if (c.level === oldNumber) c.level = input.number;
          return { section: 'levels', index: i, before, after: input };
        },
        () => (oldNumber === null ? framework.insertLevel(studyId, input) : framework.updateLevel(studyId, oldNumber, input)));
    },

    deleteLevel(studyId: number, actorId: number, revision: number, number: number): void {
      edit(studyId, actorId, revision, { entity: 'level', action: 'delete' },
        (doc) => {
          const i = indexOf(doc.levels, (l) => l.number === number);
          const [before] = doc.levels.splice(i, 1);
          return { section: 'levels', index: -1, before };
        },
        () => framework.deleteLevel(studyId, number));
    },

    saveCategory(studyId: number, actorId: number, revision: number, oldKey: string | null, input: CategoryInput): void {
      edit(studyId, actorId, revision, { entity: 'category', action: oldKey === null ? 'create' : 'update' },
        (doc) => {
          if (oldKey === null) {
            doc.categories.push(input);
            return { section: 'categories', index: doc.categories.length - 1, after: input };
          }
          const i = indexOf(doc.categories, (c) => c.key === oldKey);
          const before = doc.categories[i];
          doc.categories[i] = input;
          for (const c of doc.conditions) if (c.category === oldKey) c.category = input.key;
          return { section: 'categories', index: i, before, after: input };
        },
        (loaded) => (oldKey === null ? framework.insertCategory(studyId, input) : framework.updateCategory(loaded.categoryIds.get(oldKey)!, input)));
    },

    deleteCategory(studyId: number, actorId: number, revision: number, key: string): void {
      edit(studyId, actorId, revision, { entity: 'category', action: 'delete' },
        (doc) => {
          const i = indexOf(doc.categories, (c) => c.key === key);
          const [before] = doc.categories.splice(i, 1);
          return { section: 'categories', index: -1, before };
        },
        (loaded) => framework.deleteCategory(loaded.categoryIds.get(key)!));
    },

    saveCondition(studyId: number, actorId: number, revision: number, oldCode: string | null, input: ConditionDoc): void {
      edit(studyId, actorId, revision, { entity: 'condition', action: oldCode === null ? 'create' : 'update' },
        (doc) => {
          if (oldCode === null) {
            doc.conditions.push(input);
            return { section: 'conditions', index: doc.conditions.length - 1, after: input };
          }
          const i = indexOf(doc.conditions, (c) => c.code === oldCode);
          const before = doc.conditions[i]!;
          if ((before.kind !== input.kind || before.polarity !== input.polarity) && framework.hasRatings(studyId)) {
            throw new FormRefusal({ [before.kind !== input.kind ? 'kind' : 'polarity']: { key: 'framework.lockedKindPolarity' } });
          }
          doc.conditions[i] = input;
          for (const c of doc.conditions) if (c.parent === oldCode) c.parent = input.code;
          for (const r of doc.relations) {
            if (r.from === oldCode) r.from = input.code;
            if (r.to === oldCode) r.to = input.code;
          }
          for (const g of doc.groupings) g.members = g.members.map((m) => (m === oldCode ? input.code : m));
          return { section: 'conditions', index: i, before, after: input };
        },
        (loaded) => {
          const ids = {
            categoryId: input.category ? loaded.categoryIds.get(input.category)! : null,
            parentId: input.parent ? loaded.conditionIds.get(input.parent)! : null,
          };
          if (oldCode === null) framework.insertCondition(studyId, conditionWrite(input, ids));
          else framework.updateCondition(studyId, loaded.conditionIds.get(oldCode)!, conditionWrite(input, ids));
        });
    },

    deleteCondition(studyId: number, actorId: number, revision: number, code: string): void {
      if (framework.hasRatings(studyId)) throw new FormRefusal({ _form: { key: 'framework.lockedDelete' } });
      edit(studyId, actorId, revision, { entity: 'condition', action: 'delete' },
        (doc) => {
          const i = indexOf(doc.conditions, (c) => c.code === code);
          const [before] = doc.conditions.splice(i, 1);
          // Its relations and grouping memberships go with it; sub-conditions must be moved first.
          doc.relations = doc.relations.filter((r) => r.from !== code && r.to !== code);
          for (const g of doc.groupings) g.members = g.members.filter((m) => m !== code);
          const emptied = doc.groupings.find((g) => g.members.length === 0);
          if (emptied) throw new FormRefusal({ _form: { key: 'framework.groupingWouldEmpty', params: { grouping: emptied.key } } });
          return { section: 'conditions', index: -1, before };
        },
        (loaded) => framework.deleteCondition(loaded.conditionIds.get(code)!));
    },

    addRelation(studyId: number, actorId: number, revision: number, input: RelationInput): void {
      edit(studyId, actorId, revision, { entity: 'relation', action: 'create' },
        (doc) => {
          doc.relations.push(input);
          return { section: 'relations', index: doc.relations.length - 1, after: input };
        },
        (loaded) =>
          framework.insertRelation(studyId, { fromId: loaded.conditionIds.get(input.from)!, toId: loaded.conditionIds.get(input.to)!, note: input.note, feedback: input.feedback }));
    },

    deleteRelation(studyId: number, actorId: number, revision: number, relationId: number): void {
      edit(studyId, actorId, revision, { entity: 'relation', action: 'delete' },
        (doc) => {
          const row = framework.relationRows(studyId).find((r) => r.id === relationId);
          if (!row) throw new RuleError('error.notFound');
          const i = indexOf(doc.relations, (r) => r.from === row.from_code && r.to === row.to_code);
          const [before] = doc.relations.splice(i, 1);
          return { section: 'relations', index: -1, before };
        },
        () => framework.deleteRelation(studyId, relationId));
    },

    saveGrouping(studyId: number, actorId: number, revision: number, oldKey: string | null, input: GroupingInput): void {
      edit(studyId, actorId, revision, { entity: 'grouping', action: oldKey === null ? 'create' : 'update' },
        (doc) => {
          if (oldKey === null) {
            doc.groupings.push(input);
            return { section: 'groupings', index: doc.groupings.length - 1, after: input };
          }
          const i = indexOf(doc.groupings, (g) => g.key === oldKey);
          const before = doc.groupings[i];
          doc.groupings[i] = input;
          return { section: 'groupings', index: i, before, after: input };
        },
        (loaded) => {
          const id = oldKey === null ? framework.insertGrouping(studyId, input) : loaded.groupingIds.get(oldKey)!;
          if (oldKey !== null) framework.updateGrouping(id, input);
          framework.setGroupingMembers(id, input.members.map((m) => loaded.conditionIds.get(m)!));
        });
    },

    deleteGrouping(studyId: number, actorId: number, revision: number, key: string): void {
      edit(studyId, actorId, revision, { entity: 'grouping', action: 'delete' },
        (doc) => {
          const i = indexOf(doc.groupings, (g) => g.key === key);
          const [before] = doc.groupings.splice(i, 1);
          return { section: 'groupings', index: -1, before };
        },
        (loaded) => framework.deleteGrouping(studyId, loaded.groupingIds.get(key)!));
    },
  };
}
export type FrameworkService = ReturnType<typeof frameworkService>;
