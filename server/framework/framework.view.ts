// The framework page as plain data: levels → categories → conditions, each with its rubric and its
// relations in and out; groupings; the layered diagram.
import { groupBy } from '../lib/collections.ts';
import { renderMarkdown, type SafeHtml } from '../lib/markdown.ts';
import type { Framework } from '../studyfile/studyfile.schema.ts';
import type { ConditionRow, LoadedFramework } from './framework.repo.ts';

export interface RelationLink {
  code: string;
  name: string;
  note: string;
  feedback: boolean;
}

export interface ConditionView {
  id: number;
  code: string;
  name: string;
  kind: 'rated' | 'measured';
  polarity: 'higher-is-favourable' | 'lower-is-favourable';
  descriptionHtml: SafeHtml;
  assessedOnHtml: SafeHtml;
  anchors: { score: string; text: string }[];
  parent: string | null;
  children: string[];
  relationsOut: RelationLink[];
  relationsIn: RelationLink[];
}

export interface LevelView {
  number: number;
  name: string;
  descriptionHtml: SafeHtml;
  groups: { key: string | null; name: string | null; conditions: ConditionView[] }[];
}

/** Conditions grouped by level, for checkbox lists (views/_condition-choices.ejs). */
export function conditionChoices(fw: Framework) {
  return fw.levels.map((l) => ({ number: l.number, name: l.name, conditions: fw.conditions.filter((c) => c.level === l.number) }));
}

export function frameworkView(loaded: LoadedFramework): { levels: LevelView[]; groupings: { key: string; name: string; members: string[]; reasonHtml: SafeHtml }[]; counts: { conditions: number; relations: number } } {
  const fw: Framework = loaded.doc;
  const names = new Map(fw.conditions.map((c) => [c.code, c.name]));
  const link = (code: string, note?: string, feedback?: boolean): RelationLink => ({ code, name: names.get(code) ?? code, note: note ?? '', feedback: feedback ?? false });
  const out = groupBy(fw.relations, (r) => r.from);
  const into = groupBy(fw.relations, (r) => r.to);
  const children = groupBy(fw.conditions.filter((c) => c.parent), (c) => c.parent!);
  const rowsByCode = new Map<string, ConditionRow>(loaded.conditions.map((c) => [c.code, c]));
  const docsByCode = new Map(fw.conditions.map((c) => [c.code, c]));

  const conditionView = (code: string): ConditionView => {
    const c = docsByCode.get(code)!;
    return {
      id: rowsByCode.get(code)!.id,
      code: c.code,
      name: c.name,
      kind: c.kind,
      polarity: c.polarity,
      descriptionHtml: renderMarkdown(c.description ?? ''),
      assessedOnHtml: renderMarkdown(c.assessedOn ?? ''),
      anchors: Object.entries(c.anchors ?? {})
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([score, text]) => ({ score, text })),
      parent: c.parent ?? null,
      children: (children.get(c.code) ?? []).map((x) => x.code),
      relationsOut: (out.get(c.code) ?? []).map((r) => link(r.to, r.note, r.feedback)),
      relationsIn: (into.get(c.code) ?? []).map((r) => link(r.from, r.note, r.feedback)),
    };
  };

  const byLevel = groupBy(fw.conditions, (c) => c.level);
  const categoryName = new Map(fw.categories.map((c) => [c.key, c.name]));
  const levels = fw.levels.map((l) => {
    const conditions = byLevel.get(l.number) ?? [];
    const byCategory = groupBy(conditions, (c) => c.category ?? null);
    const keys = [...fw.categories.filter((c) => c.level === l.number).map((c) => c.key), null];
    return {
      number: l.number,
      name: l.name,
      descriptionHtml: renderMarkdown(l.description ?? ''),
      groups: keys
        .map((key) => ({ key, name: key ? categoryName.get(key)! : null, conditions: (byCategory.get(key) ?? []).map((c) => conditionView(c.code)) }))
        .filter((g) => g.key !== null || g.conditions.length > 0),
    };
  });
  return {
    levels,
    groupings: fw.groupings.map((g) => ({ key: g.key, name: g.name, members: g.members, reasonHtml: renderMarkdown(g.reason ?? '') })),
    counts: { conditions: fw.conditions.length, relations: fw.relations.length },
  };
}
