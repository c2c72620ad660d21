// Every rule of the study file (study-format.md, "Validation rules"), in one place: the importer
// runs all of them, and the framework editor runs the framework rules on the edited framework, so
// a rule is never written twice. Problems name the path and a message key; all are reported.
import type { z } from 'zod';
import { isMessageKey, type MessageKey, type Params } from '../lib/i18n.ts';
import { caseIdentities, evidenceIdentity, NOT_YET_SUPPORTED, studyFileSchema, type Framework, type StudyFile } from './studyfile.schema.ts';
import { KEY_PATTERN, RESERVED_KEYS } from '../cases/cases.schemas.ts';
import { groupBy } from '../lib/collections.ts';
import { clashMessage, pseudonymClashes, studyAliasesProblem, wordProblem } from '../anonymise/anonymise.rules.ts';
import { pseudonymWord } from '../analysis/analysis.rules.ts';
import { assess, MAX_COMMENTS } from '../reconcile/reconcile.rules.ts';

export interface Problem {
  path: string;
  key: MessageKey;
  params?: Params;
}

export function pathString(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

function zodProblem(issue: z.core.$ZodIssue): Problem {
  const path = pathString(issue.path);
  if (isMessageKey(issue.message)) return { path, key: issue.message };
  switch (issue.code) {
    case 'unrecognized_keys':
      return { path, key: 'file.unknownKey', params: { keys: issue.keys.join(', ') } };
    case 'invalid_type':
      return issue.input === undefined
        ? { path, key: 'file.required' }
        : { path, key: 'file.wrongType', params: { expected: String(issue.expected) } };
    case 'invalid_value':
      return { path, key: 'file.choice', params: { options: issue.values.map((v) => JSON.stringify(v)).join(', ') } };
    case 'too_small':
      return issue.origin === 'string' ? { path, key: 'file.empty' } : { path, key: 'file.tooSmall', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return { path, key: 'file.tooBig', params: { max: Number(issue.maximum) } };
    case 'invalid_format':
      return { path, key: issue.format === 'email' ? 'file.email' : 'file.invalid' };
    case 'invalid_key': {
      // A record key that breaks its rule: the rule's own message names the problem.
      const inner = issue.issues[0]?.message;
      return { path, key: isMessageKey(inner) ? inner : 'file.invalid' };
    }
    default:
      return { path, key: 'file.invalid' };
  }
}

/** Finds values that occur more than once and reports each repeat at its own path. */
function duplicates<T>(items: T[], valueOf: (item: T) => string, pathOf: (i: number) => string, problems: Problem[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const value = valueOf(item);
    if (seen.has(value)) problems.push({ path: pathOf(i), key: 'file.duplicate', params: { value } });
    seen.add(value);
  });
}

/** The framework rules; `prefix` is the path of the framework in the document. */
export function frameworkProblems(fw: Framework, prefix = 'framework'): Problem[] {
  const problems: Problem[] = [];
  const at = (section: string, i: number, field?: string) => `${prefix}.${section}[${i}]${field ? `.${field}` : ''}`;

  duplicates(fw.levels, (l) => String(l.number), (i) => at('levels', i, 'number'), problems);
  const levels = new Set(fw.levels.map((l) => l.number));

  duplicates(fw.categories, (c) => c.key, (i) => at('categories', i, 'key'), problems);
  const categoryLevel = new Map(fw.categories.map((c) => [c.key, c.level]));
  fw.categories.forEach((c, i) => {
    if (!levels.has(c.level)) problems.push({ path: at('categories', i, 'level'), key: 'file.unknownLevel', params: { level: c.level } });
  });

  duplicates(fw.conditions, (c) => c.code, (i) => at('conditions', i, 'code'), problems);
  const byCode = new Map(fw.conditions.map((c) => [c.code, c]));
  fw.conditions.forEach((c, i) => {
    if (!levels.has(c.level)) problems.push({ path: at('conditions', i, 'level'), key: 'file.unknownLevel', params: { level: c.level } });
    if (c.category !== undefined) {
      const level = categoryLevel.get(c.category);
      if (level === undefined) problems.push({ path: at('conditions', i, 'category'), key: 'file.unknownCategory', params: { category: c.category } });
      else if (level !== c.level) {
        problems.push({ path: at('conditions', i, 'category'), key: 'file.categoryLevel', params: { category: c.category, level } });
      }
    }
    if (c.parent !== undefined) {
      const parent = byCode.get(c.parent);
      if (c.parent === c.code) problems.push({ path: at('conditions', i, 'parent'), key: 'file.parentSelf' });
      else if (!parent) problems.push({ path: at('conditions', i, 'parent'), key: 'file.unknownCondition', params: { code: c.parent } });
      else if (parent.parent !== undefined) problems.push({ path: at('conditions', i, 'parent'), key: 'file.parentIsChild', params: { code: c.parent } });
    }
    if (c.anchors && c.kind === 'measured' && Object.keys(c.anchors).length > 0) {
      problems.push({ path: at('conditions', i, 'anchors'), key: 'file.anchorsMeasured' });
    }
  });

  duplicates(fw.relations, (r) => `${r.from} → ${r.to}`, (i) => at('relations', i), problems);
  fw.relations.forEach((r, i) => {
    const from = byCode.get(r.from);
    const to = byCode.get(r.to);
    if (!from) problems.push({ path: at('relations', i, 'from'), key: 'file.unknownCondition', params: { code: r.from } });
    if (!to) problems.push({ path: at('relations', i, 'to'), key: 'file.unknownCondition', params: { code: r.to } });
    if (r.from === r.to) problems.push({ path: at('relations', i, 'to'), key: 'file.relationSelf' });
    else if (from && to && from.level < to.level && !r.feedback) {
      problems.push({ path: at('relations', i), key: 'file.relationUpward', params: { from: r.from, to: r.to, fromLevel: from.level, toLevel: to.level } });
    }
  });

  duplicates(fw.groupings, (g) => g.key, (i) => at('groupings', i, 'key'), problems);
  fw.groupings.forEach((g, i) => {
    g.members.forEach((m, j) => {
      if (!byCode.has(m)) problems.push({ path: `${at('groupings', i, 'members')}[${j}]`, key: 'file.unknownCondition', params: { code: m } });
    });
    duplicates(g.members, (m) => m, (j) => `${at('groupings', i, 'members')}[${j}]`, problems);
  });
  return problems;
}

/** Conditions a rater scores: rated, and without sub-conditions of their own. */
export function ratableCodes(fw: Framework): Set<string> {
  const parents = new Set(fw.conditions.flatMap((c) => (c.parent ? [c.parent] : [])));
  return new Set(fw.conditions.filter((c) => c.kind === 'rated' && !parents.has(c.code)).map((c) => c.code));
}

/** A measure key that starts with a digit is taken to be a condition code (e.g. "0", "1.b"). */
const looksLikeCode = (key: string) => /^\d/.test(key);

function crossSectionProblems(doc: StudyFile): Problem[] {
  const problems: Problem[] = [];
  const fw = doc.framework;
  const { scale, ratersPerCase } = doc.study.settings;
  if (scale.min >= scale.max) problems.push({ path: 'study.settings.scale', key: 'file.scaleOrder' });

  const byCode = new Map(fw.conditions.map((c) => [c.code, c]));
  duplicates(doc.roles, (r) => r.name, (i) => `roles[${i}].name`, problems);
  const roles = new Set(doc.roles.map((r) => r.name));
  doc.questions.forEach((q, i) => {
    q.roles.forEach((r, j) => {
      if (!roles.has(r)) problems.push({ path: `questions[${i}].roles[${j}]`, key: 'file.unknownRole', params: { role: r } });
    });
    q.conditions.forEach((c, j) => {
      if (!byCode.has(c)) problems.push({ path: `questions[${i}].conditions[${j}]`, key: 'file.unknownCondition', params: { code: c } });
    });
  });

  duplicates(doc.members, (m) => m.email, (i) => `members[${i}].email`, problems);
  const members = new Set(doc.members.map((m) => m.email));

  duplicates(doc.cases, (c) => c.key, (i) => `cases[${i}].key`, problems);
  const aliasProblem = studyAliasesProblem([], doc.cases.map((c) => c.aliases ?? []));
  if (aliasProblem) problems.push({ path: 'cases', ...aliasProblem });
  // A pseudonym must not give a case away; generated ones avoid that, unless the word itself would.
  const identities = caseIdentities(doc.cases);
  const caseIndex = new Map(doc.cases.map((c, i) => [c.key, i]));
  for (const clash of pseudonymClashes(identities)) problems.push({ path: `cases[${caseIndex.get(clash.key)}].pseudonym`, ...clashMessage(clash, 'pseudonym') });
  const wordGivesAway = doc.cases.some((c) => c.pseudonym === undefined) ? wordProblem(pseudonymWord('', doc.study.language), identities) : null;
  if (wordGivesAway) problems.push({ path: 'cases', ...wordGivesAway });
  const caseRaters = new Map<string, Set<string>>();
  doc.cases.forEach((c, i) => {
    if (!KEY_PATTERN.test(c.key) || RESERVED_KEYS.includes(c.key.toLowerCase())) problems.push({ path: `cases[${i}].key`, key: 'file.caseKey', params: { key: c.key } });
    const raters = c.raters ?? [];
    caseRaters.set(c.key, new Set(raters));
    raters.forEach((r, j) => {
      if (!members.has(r)) problems.push({ path: `cases[${i}].raters[${j}]`, key: 'file.raterNotMember', params: { email: r } });
    });
    duplicates(raters, (r) => r, (j) => `cases[${i}].raters[${j}]`, problems);
    if (raters.length > 0 && raters.length !== ratersPerCase) {
      problems.push({ path: `cases[${i}].raters`, key: 'file.raterCount', params: { count: raters.length, expected: ratersPerCase } });
    }
    for (const variable of [...Object.keys(c.measures ?? {}), ...Object.keys(c.measuresByYear ?? {})]) {
      const condition = byCode.get(variable);
      if (condition && condition.kind !== 'measured') {
        problems.push({ path: `cases[${i}].measures.${variable}`, key: 'file.measureOfRated', params: { code: variable } });
      } else if (!condition && looksLikeCode(variable)) {
        problems.push({ path: `cases[${i}].measures.${variable}`, key: 'file.unknownCondition', params: { code: variable } });
      }
    }
  });

  const roleNames = new Set(doc.roles.map((r) => r.name));
  duplicates(doc.interviews, (i) => i.key, (i) => `interviews[${i}].key`, problems);
  doc.interviews.forEach((iv, i) => {
    if (!caseRaters.has(iv.case)) problems.push({ path: `interviews[${i}].case`, key: 'file.unknownCase', params: { case: iv.case } });
    iv.roles.forEach((r, j) => {
      if (!roleNames.has(r)) problems.push({ path: `interviews[${i}].roles[${j}]`, key: 'file.unknownRole', params: { role: r } });
    });
    iv.interviewers.forEach((e, j) => {
      if (!members.has(e)) problems.push({ path: `interviews[${i}].interviewers[${j}]`, key: 'file.raterNotMember', params: { email: e } });
    });
    iv.conditions.forEach((c, j) => {
      if (!byCode.has(c)) problems.push({ path: `interviews[${i}].conditions[${j}]`, key: 'file.unknownCondition', params: { code: c } });
    });
  });

  duplicates(doc.documents, (d) => d.key, (i) => `documents[${i}].key`, problems);
  doc.documents.forEach((d, i) => {
    if (!caseRaters.has(d.case)) problems.push({ path: `documents[${i}].case`, key: 'file.unknownCase', params: { case: d.case } });
  });
  // A source is an interview or document key; both share one namespace in the file.
  const sourceCase = new Map<string, string>([...doc.interviews.map((iv) => [iv.key, iv.case] as const), ...doc.documents.map((d) => [d.key, d.case] as const)]);
  doc.documents.forEach((d, i) => {
    if (doc.interviews.some((iv) => iv.key === d.key)) problems.push({ path: `documents[${i}].key`, key: 'file.duplicate', params: { value: d.key } });
  });
  doc.evidence.forEach((e, i) => {
    if (!caseRaters.has(e.case)) problems.push({ path: `evidence[${i}].case`, key: 'file.unknownCase', params: { case: e.case } });
    if (!byCode.has(e.condition)) problems.push({ path: `evidence[${i}].condition`, key: 'file.unknownCondition', params: { code: e.condition } });
    const ofCase = sourceCase.get(e.source);
    if (ofCase === undefined) problems.push({ path: `evidence[${i}].source`, key: 'file.unknownSource', params: { source: e.source } });
    else if (ofCase !== e.case) problems.push({ path: `evidence[${i}].source`, key: 'file.sourceOtherCase', params: { source: e.source, case: ofCase } });
    if (!e.quote && !e.locator) problems.push({ path: `evidence[${i}]`, key: 'file.quoteOrLocator' });
  });

  const evidenceEntries = new Set(doc.evidence.map((e) => evidenceIdentity(e.case, e)));
  const ratable = ratableCodes(fw);
  duplicates(doc.ratings, (r) => `${r.case} / ${r.condition} / ${r.rater}`, (i) => `ratings[${i}]`, problems);
  doc.ratings.forEach((r, i) => {
    const raters = caseRaters.get(r.case);
    if (!raters) problems.push({ path: `ratings[${i}].case`, key: 'file.unknownCase', params: { case: r.case } });
    else if (!raters.has(r.rater)) problems.push({ path: `ratings[${i}].rater`, key: 'file.raterNotAssigned', params: { email: r.rater, case: r.case } });
    if (!byCode.has(r.condition)) problems.push({ path: `ratings[${i}].condition`, key: 'file.unknownCondition', params: { code: r.condition } });
    else if (!ratable.has(r.condition)) problems.push({ path: `ratings[${i}].condition`, key: 'file.notRatable', params: { code: r.condition } });
    if (r.score !== null && (r.score < scale.min || r.score > scale.max)) {
      problems.push({ path: `ratings[${i}].score`, key: 'file.scoreRange', params: { min: scale.min, max: scale.max } });
    }
    if (r.score !== null && r.cannotJudgeReason) problems.push({ path: `ratings[${i}].cannotJudgeReason`, key: 'file.reasonWithScore' });
    r.evidence?.forEach((cited, j) => {
      if (!evidenceEntries.has(evidenceIdentity(r.case, cited))) {
        problems.push({ path: `ratings[${i}].evidence[${j}]`, key: 'file.unknownCitation', params: { case: r.case, source: cited.source } });
      }
    });
  });

  const ratingsOfItem = groupBy(doc.ratings, (r) => `${r.case} / ${r.condition}`);
  /** A decision or a thread needs the item's ratings, every one of them submitted. */
  const itemSubmitted = (caseKey: string, code: string) => {
    const rated = ratingsOfItem.get(`${caseKey} / ${code}`) ?? [];
    return rated.length > 0 && rated.every((x) => x.submitted);
  };
  duplicates(doc.reconciliations, (r) => `${r.case} / ${r.condition}`, (i) => `reconciliations[${i}]`, problems);
  doc.reconciliations.forEach((r, i) => {
    if (!caseRaters.has(r.case)) problems.push({ path: `reconciliations[${i}].case`, key: 'file.unknownCase', params: { case: r.case } });
    if (!byCode.has(r.condition)) problems.push({ path: `reconciliations[${i}].condition`, key: 'file.unknownCondition', params: { code: r.condition } });
    else if (!ratable.has(r.condition)) problems.push({ path: `reconciliations[${i}].condition`, key: 'file.notRatable', params: { code: r.condition } });
    if (caseRaters.has(r.case) && !itemSubmitted(r.case, r.condition)) {
      problems.push({ path: `reconciliations[${i}]`, key: 'file.reconcileNotSubmitted', params: { case: r.case, code: r.condition } });
    }
    if (r.score !== null && (r.score < scale.min || r.score > scale.max)) {
      problems.push({ path: `reconciliations[${i}].score`, key: 'file.scoreRange', params: { min: scale.min, max: scale.max } });
    }
  });

  // A sign-off needs what the reconciliation page asks for (reconcile.service.ts signOff): every rater
  // of the case has submitted, and no item is open (reconcile.rules.ts decides which are).
  const decided = new Set(doc.reconciliations.map((r) => `${r.case} / ${r.condition}`));
  const ratingsOfCase = groupBy(doc.ratings, (r) => r.case);
  doc.cases.forEach((c, i) => {
    if (!c.signedOffBy) return;
    const own = ratingsOfCase.get(c.key) ?? [];
    const raters = c.raters ?? [];
    if (raters.length === 0 || !raters.every((email) => own.some((r) => r.rater === email)) || own.some((r) => !r.submitted)) {
      problems.push({ path: `cases[${i}].signedOffBy`, key: 'file.signOffNotReady', params: { case: c.key } });
      return;
    }
    const open = [...new Set(own.filter((r) => ratable.has(r.condition)).map((r) => r.condition))].filter((code) => {
      const item = `${c.key} / ${code}`;
      const scores = (ratingsOfItem.get(item) ?? []).map((r) => r.score);
      return assess(scores, decided.has(item) ? { score: null } : undefined).final.status === 'open';
    });
    if (open.length) problems.push({ path: `cases[${i}].signedOffBy`, key: 'file.signOffOpen', params: { case: c.key, codes: open.join(', ') } });
  });

  // Thread messages: by a member, on an item whose ratings are all submitted (as a decision), at most MAX_COMMENTS an item.
  const perItem = new Map<string, number>();
  doc.reconciliationComments.forEach((m, i) => {
    if (!caseRaters.has(m.case)) problems.push({ path: `reconciliationComments[${i}].case`, key: 'file.unknownCase', params: { case: m.case } });
    if (!byCode.has(m.condition)) problems.push({ path: `reconciliationComments[${i}].condition`, key: 'file.unknownCondition', params: { code: m.condition } });
    else if (!ratable.has(m.condition)) problems.push({ path: `reconciliationComments[${i}].condition`, key: 'file.notRatable', params: { code: m.condition } });
    if (!members.has(m.by)) problems.push({ path: `reconciliationComments[${i}].by`, key: 'file.authorNotMember', params: { email: m.by } });
    const item = `${m.case} / ${m.condition}`;
    if (caseRaters.has(m.case) && !itemSubmitted(m.case, m.condition)) {
      problems.push({ path: `reconciliationComments[${i}]`, key: 'file.reconcileNotSubmitted', params: { case: m.case, code: m.condition } });
    }
    const count = (perItem.get(item) ?? 0) + 1;
    perItem.set(item, count);
    if (count === MAX_COMMENTS + 1) problems.push({ path: `reconciliationComments[${i}]`, key: 'file.threadTooLong', params: { case: m.case, code: m.condition, max: MAX_COMMENTS } });
  });

  // At most one active reduction decision per condition; method 3 (grouping) needs a grouping to belong to.
  duplicates(doc.reductions, (r) => r.condition, (i) => `reductions[${i}].condition`, problems);
  const grouped = new Set(fw.groupings.flatMap((g) => g.members));
  doc.reductions.forEach((r, i) => {
    if (!byCode.has(r.condition)) problems.push({ path: `reductions[${i}].condition`, key: 'file.unknownCondition', params: { code: r.condition } });
    else if (r.method === 3 && !grouped.has(r.condition)) problems.push({ path: `reductions[${i}].method`, key: 'file.reductionNoGrouping', params: { code: r.condition } });
  });
  // A decision taken back need not fit the framework as it is now (a grouping may have gone since).
  doc.revertedReductions.forEach((r, i) => {
    if (!byCode.has(r.condition)) problems.push({ path: `revertedReductions[${i}].condition`, key: 'file.unknownCondition', params: { code: r.condition } });
  });

  duplicates(doc.caseAnalyses, (a) => a.case, (i) => `caseAnalyses[${i}].case`, problems);
  doc.caseAnalyses.forEach((a, i) => {
    if (!caseRaters.has(a.case)) problems.push({ path: `caseAnalyses[${i}].case`, key: 'file.unknownCase', params: { case: a.case } });
  });
  return problems;
}

/** Sections of the format that this version cannot import yet, found in the raw input. */
function unsupportedSections(input: unknown): Problem[] {
  if (!input || typeof input !== 'object') return [];
  return NOT_YET_SUPPORTED.filter((section) => {
    const value = (input as Record<string, unknown>)[section];
    return !(Array.isArray(value) && value.length === 0) && value !== undefined;
  }).map((section) => ({ path: section, key: 'file.sectionNotSupported', params: { section } }));
}

/** A copy of `input` without the unknown keys the issues name. */
function withoutKeys(input: unknown, issues: z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(input) as Record<string, unknown>;
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const parent = issue.path.reduce<unknown>((node, part) => (node as Record<PropertyKey, unknown>)?.[part as string], copy) as Record<string, unknown>;
    for (const key of issue.keys) delete parent[key];
  }
  return copy;
}

export type ValidationResult = { ok: true; doc: StudyFile } | { ok: false; problems: Problem[] };

/** Checks a parsed JSON value against the whole format; returns the normalised document or every problem. */
export function validateStudyFile(input: unknown): ValidationResult {
  const unsupported = unsupportedSections(input);
  const parsed = studyFileSchema.safeParse(input);
  if (!parsed.success) {
    const problems = [...unsupported, ...parsed.error.issues.map(zodProblem)];
    // Unknown keys alone do not stop the other checks: without them the file may parse, and then
    // its references are checked too, so the user sees every problem at once.
    if (parsed.error.issues.every((i) => i.code === 'unrecognized_keys')) {
      const retry = studyFileSchema.safeParse(withoutKeys(input, parsed.error.issues));
      if (retry.success) problems.push(...frameworkProblems(retry.data.framework), ...crossSectionProblems(retry.data));
    }
    return { ok: false, problems };
  }
  const problems = [...unsupported, ...frameworkProblems(parsed.data.framework), ...crossSectionProblems(parsed.data)];
  return problems.length ? { ok: false, problems } : { ok: true, doc: parsed.data };
}

/** Parses JSON text, reporting a syntax error as a problem rather than throwing. */
export function parseStudyFileText(textContent: string): ValidationResult {
  let json: unknown;
  try {
    json = JSON.parse(textContent.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { ok: false, problems: [{ path: '', key: 'file.notJson', params: { detail: (err as Error).message } }] };
  }
  return validateStudyFile(json);
}
