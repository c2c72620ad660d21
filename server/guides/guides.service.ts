// Interview roles and the question bank: the rules (a role in use cannot be deleted, roles and
// condition codes must belong to the study, themes stay together in the bank) and every change
// with its audit entry (before and after) in one transaction. Forms carry a stamp, a fingerprint
// of the role or question they were made from, so a change made meanwhile by someone else is not
// silently overwritten or deleted.
import { createHash } from 'node:crypto';
import type { Db } from '../lib/db.ts';
import { FormRefusal, notFound } from '../lib/errors.ts';
import { groupBy } from '../lib/collections.ts';
import type { MessageKey } from '../lib/i18n.ts';
import type { Repos } from '../repos.ts';
import type { BankQuestion } from './guides.repo.ts';

/**
 * Input refused, with the problem per form field (`_form` for the form as a whole). A form refused
 * as stale learns the current stamp, so that saving it again knowingly replaces the other change.
 */
export class GuidesRefusal extends FormRefusal {
  constructor(
    fields: FormRefusal['fields'],
    readonly currentStamp?: string,
  ) {
    super(fields);
  }
}

export interface QuestionInput {
  section: string;
  text: string;
  roleIds: number[];
  conditionCodes: string[];
}

export type Direction = 'up' | 'down';

// --- Pure rules ---

function stampOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

/** Changes whenever the question's theme, text, roles or conditions change (not its place). */
export function questionStamp(q: Pick<BankQuestion, 'section' | 'text' | 'roleIds' | 'conditions'>): string {
  return stampOf([q.section, q.text, [...q.roleIds].sort((a, b) => a - b), q.conditions.map((c) => c.code).sort()]);
}

export function roleStamp(r: { name: string }): string {
  return stampOf([r.name]);
}

/** Groups rows by section: sections in the order of their first row, rows in their own order. */
export function groupSections<T extends { section: string }>(rows: readonly T[]): { section: string; items: T[] }[] {
  return [...groupBy(rows, (row) => row.section)].map(([section, items]) => ({ section, items }));
}

type Ordered = { id: number; section: string };
const flatten = (groups: { items: Ordered[] }[]) => groups.flatMap((g) => g.items.map((q) => q.id));

/** The bank order with question `id` (whose section is now `section`) at the end of its theme. */
export function placeInSection(rows: readonly Ordered[], id: number, section: string): number[] {
  const groups = groupSections(rows.filter((r) => r.id !== id));
  const own = groups.find((g) => g.section === section);
  if (own) own.items.push({ id, section });
  else groups.push({ section, items: [{ id, section }] });
  return flatten(groups);
}

/** The bank order with question `id` swapped with its neighbour in its theme; null at the edge. */
export function moveWithinSection(rows: readonly Ordered[], id: number, direction: Direction): number[] | null {
  const groups = groupSections(rows);
  for (const g of groups) {
    const i = g.items.findIndex((q) => q.id === id);
    if (i < 0) continue;
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= g.items.length) return null;
    [g.items[i], g.items[j]] = [g.items[j]!, g.items[i]!];
    return flatten(groups);
  }
  return null;
}

/** The bank order with a whole theme swapped with the theme before or after it; null at the edge. */
export function moveSectionInOrder(rows: readonly Ordered[], section: string, direction: Direction): number[] | null {
  const groups = groupSections(rows);
  const i = groups.findIndex((g) => g.section === section);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= groups.length) return null;
  [groups[i], groups[j]] = [groups[j]!, groups[i]!];
  return flatten(groups);
}

const plural = (count: number, one: MessageKey, other: MessageKey) => (count === 1 ? one : other);

export function guidesService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const { db } = deps;
  const { guides, audit } = deps.repos;
  const iso = () => deps.now().toISOString();

  const roleOf = (studyId: number, roleId: number) => {
    const role = guides.role(studyId, roleId);
    if (!role) throw notFound();
    return role;
  };
  const questionOf = (studyId: number, questionId: number) => {
    const q = guides.question(studyId, questionId);
    if (!q) throw notFound();
    return q;
  };

  /** Refuses a name another role of the study already has (ignoring case). */
  const assertNameFree = (studyId: number, name: string, exceptId: number | null) => {
    const taken = guides.roleUsage(studyId).some((r) => r.id !== exceptId && r.name.toLocaleLowerCase() === name.toLocaleLowerCase());
    if (taken) throw new GuidesRefusal({ name: { key: 'guides.roleExists', params: { name } } });
  };

  /** Checks roles and codes against the study; returns the condition ids and what the audit log shows. */
  const resolve = (studyId: number, input: QuestionInput) => {
    const roles = new Map(guides.roles(studyId).map((r) => [r.id, r.name]));
    const conditions = new Map(guides.conditions(studyId).map((c) => [c.code, c.id]));
    const fields: GuidesRefusal['fields'] = {};
    if (input.roleIds.length === 0) fields.roles = { key: 'guides.rolesRequired' };
    else if (input.roleIds.some((id) => !roles.has(id))) fields.roles = { key: 'guides.unknownRole' };
    const unknown = input.conditionCodes.filter((c) => !conditions.has(c));
    if (unknown.length) fields.conditions = { key: 'guides.unknownConditions', params: { codes: unknown.join(', ') } };
    if (Object.keys(fields).length) throw new GuidesRefusal(fields);
    // Stored and logged in the order of the roles and of the framework, whatever order was typed.
    const roleIds = [...roles.keys()].filter((id) => input.roleIds.includes(id));
    const codes = [...conditions.keys()].filter((c) => input.conditionCodes.includes(c));
    return {
      write: { section: input.section, text: input.text, roleIds, conditionIds: codes.map((c) => conditions.get(c)!) },
      audit: { section: input.section, text: input.text, roles: roleIds.map((id) => roles.get(id)!), conditions: codes },
    };
  };
  const auditOfQuestion = (q: BankQuestion, roleNames: Map<number, string>) => ({
    section: q.section,
    text: q.text,
    roles: q.roleIds.map((id) => roleNames.get(id) ?? String(id)),
    conditions: q.conditions.map((c) => c.code),
  });

  return {
    /** Everything the guides page shows, in three statements, however many questions there are. */
    page(studyId: number) {
      const conditions = guides.coverage(studyId);
      return {
        roles: guides.roleUsage(studyId),
        questions: guides.bank(studyId),
        conditionCount: conditions.length,
        unprobed: conditions.filter((c) => !c.probed).map(({ probed: _, ...c }) => c),
      };
    },

    /** One role of the study and the questions asked to it; 404 for a role of another study. */
    guide(studyId: number, roleId: number) {
      return { role: roleOf(studyId, roleId), questions: guides.forRole(studyId, roleId) };
    },

    /** What the question form offers: the study's roles, conditions and existing themes, and the question's number. */
    formOptions(studyId: number, questionId: number | null) {
      const groups = groupSections(guides.order(studyId));
      return {
        roles: guides.roles(studyId),
        sections: groups.map((g) => g.section).filter(Boolean),
        number: questionId === null ? null : flatten(groups).indexOf(questionId) + 1,
      };
    },

    question: (studyId: number, questionId: number) => questionOf(studyId, questionId),

    addRole(studyId: number, actorId: number, name: string): number {
      return db.transaction(() => {
        assertNameFree(studyId, name, null);
        const id = guides.appendRole(studyId, name);
        audit.record({ at: iso(), actorId, studyId, entity: 'role', entityId: id, action: 'create', after: { name } });
        return id;
      })();
    },

    renameRole(studyId: number, actorId: number, roleId: number, stamp: string, name: string): void {
      db.transaction(() => {
        const role = roleOf(studyId, roleId);
        if (roleStamp(role) !== stamp) throw new GuidesRefusal({ _form: { key: 'guides.stale' } });
        assertNameFree(studyId, name, roleId);
        guides.renameRole(studyId, roleId, name);
        audit.record({ at: iso(), actorId, studyId, entity: 'role', entityId: roleId, action: 'update', before: { name: role.name }, after: { name } });
      })();
    },

    /** Refused while any interview records the role or any question is asked to it. */
    deleteRole(studyId: number, actorId: number, roleId: number, stamp: string): void {
      db.transaction(() => {
        const role = roleOf(studyId, roleId);
        if (roleStamp(role) !== stamp) throw new GuidesRefusal({ _form: { key: 'guides.staleDelete' } });
        if (role.interviews > 0) {
          const key = plural(role.interviews, 'guides.roleUsedByInterviews.one', 'guides.roleUsedByInterviews.other');
          throw new GuidesRefusal({ _form: { key, params: { name: role.name, count: role.interviews } } });
        }
        if (role.questions > 0) {
          const key = plural(role.questions, 'guides.roleUsedByQuestions.one', 'guides.roleUsedByQuestions.other');
          throw new GuidesRefusal({ _form: { key, params: { name: role.name, count: role.questions } } });
        }
        guides.deleteRole(studyId, roleId);
        audit.record({ at: iso(), actorId, studyId, entity: 'role', entityId: roleId, action: 'delete', before: { name: role.name } });
      })();
    },

    /** Adds a question at the end of its theme (a new theme goes at the end of the bank). */
    addQuestion(studyId: number, actorId: number, input: QuestionInput): number {
      return db.transaction(() => {
        const { write, audit: after } = resolve(studyId, input);
        const id = guides.addQuestion(studyId, write);
        guides.setOrder(studyId, placeInSection(guides.order(studyId), id, input.section));
        audit.record({ at: iso(), actorId, studyId, entity: 'question', entityId: id, action: 'create', after });
        return id;
      })();
    },

    /** Saves a question; one moved to another theme goes to the end of that theme. */
    updateQuestion(studyId: number, actorId: number, questionId: number, stamp: string, input: QuestionInput): void {
      db.transaction(() => {
        const current = questionOf(studyId, questionId);
        const currentStamp = questionStamp(current);
        if (currentStamp !== stamp) throw new GuidesRefusal({ _form: { key: 'guides.stale' } }, currentStamp);
        const { write, audit: after } = resolve(studyId, input);
        const roleNames = new Map(guides.roles(studyId).map((r) => [r.id, r.name]));
        guides.updateQuestion(studyId, questionId, write);
        if (current.section !== input.section) guides.setOrder(studyId, placeInSection(guides.order(studyId), questionId, input.section));
        audit.record({ at: iso(), actorId, studyId, entity: 'question', entityId: questionId, action: 'update', before: auditOfQuestion(current, roleNames), after });
      })();
    },

    deleteQuestion(studyId: number, actorId: number, questionId: number, stamp: string): void {
      db.transaction(() => {
        const current = questionOf(studyId, questionId);
        if (questionStamp(current) !== stamp) throw new GuidesRefusal({ _form: { key: 'guides.staleDelete' } });
        const roleNames = new Map(guides.roles(studyId).map((r) => [r.id, r.name]));
        guides.deleteQuestion(studyId, questionId);
        audit.record({ at: iso(), actorId, studyId, entity: 'question', entityId: questionId, action: 'delete', before: auditOfQuestion(current, roleNames) });
      })();
    },

    /** Moves a question one place within its theme; false when it is already first or last. */
    moveQuestion(studyId: number, actorId: number, questionId: number, direction: Direction): boolean {
      return db.transaction(() => {
        const rows = guides.order(studyId);
        const before = flatten(groupSections(rows));
        const i = before.indexOf(questionId);
        if (i < 0) throw notFound();
        const order = moveWithinSection(rows, questionId, direction);
        if (!order) return false;
        guides.setOrder(studyId, order);
        audit.record({ at: iso(), actorId, studyId, entity: 'question', entityId: questionId, action: 'move', before: { number: i + 1 }, after: { number: order.indexOf(questionId) + 1 } });
        return true;
      })();
    },

    /** Moves a whole theme before the previous or after the next one; false at the edge. */
    moveSection(studyId: number, actorId: number, section: string, direction: Direction): boolean {
      return db.transaction(() => {
        const rows = guides.order(studyId);
        const sections = groupSections(rows).map((g) => g.section);
        if (!sections.includes(section)) throw notFound();
        const order = moveSectionInOrder(rows, section, direction);
        if (!order) return false;
        guides.setOrder(studyId, order);
        const byId = new Map(rows.map((r) => [r.id, r]));
        const after = groupSections(order.map((id) => byId.get(id)!)).map((g) => g.section);
        audit.record({ at: iso(), actorId, studyId, entity: 'section', action: 'move', before: { themes: sections }, after: { themes: after } });
        return true;
      })();
    },
  };
}
export type GuidesService = ReturnType<typeof guidesService>;
