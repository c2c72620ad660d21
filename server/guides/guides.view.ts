// The guides pages as plain data: the question bank grouped by theme, the roles with their use,
// and one role's interview guide with its questions numbered.
import type { BankQuestion, RoleUsage } from './guides.repo.ts';
import { groupSections, questionStamp, roleStamp } from './guides.service.ts';

export interface RoleView extends RoleUsage {
  stamp: string;
}

export interface BankQuestionView {
  id: number;
  number: number;
  text: string;
  roles: { id: number; name: string }[];
  conditions: { code: string; name: string }[];
  stamp: string;
  /** First or last of its theme: it cannot move further that way. */
  first: boolean;
  last: boolean;
}

export interface BankSectionView {
  section: string;
  first: boolean;
  last: boolean;
  questions: BankQuestionView[];
}

export function rolesView(roles: readonly RoleUsage[]): RoleView[] {
  return roles.map((r) => ({ ...r, stamp: roleStamp(r) }));
}

/** The bank by theme, numbered 1…n in reading order. */
export function bankView(roles: readonly RoleUsage[], questions: readonly BankQuestion[]): { sections: BankSectionView[]; count: number } {
  const roleNames = new Map(roles.map((r) => [r.id, r.name]));
  let number = 0;
  const groups = groupSections(questions);
  const sections = groups.map((g, gi) => ({
    section: g.section,
    first: gi === 0,
    last: gi === groups.length - 1,
    questions: g.items.map((q, qi) => ({
      id: q.id,
      number: ++number,
      text: q.text,
      roles: q.roleIds.map((id) => ({ id, name: roleNames.get(id) ?? '' })),
      conditions: q.conditions,
      stamp: questionStamp(q),
      first: qi === 0,
      last: qi === g.items.length - 1,
    })),
  }));
  return { sections, count: number };
}

/** One role's guide: its questions by theme, numbered 1…n across the themes. */
export function guideView(questions: readonly { id: number; section: string; text: string }[]): { section: string; start: number; questions: { id: number; number: number; text: string }[] }[] {
  let number = 0;
  return groupSections(questions).map((g) => ({
    section: g.section,
    start: number + 1,
    questions: g.items.map((q) => ({ id: q.id, number: ++number, text: q.text })),
  }));
}
