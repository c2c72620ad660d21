// Ratings CSV (study-format.md, "Ratings CSV"): checking every record of an import against the study,
// and the rows of the download. Pure: the service loads the study's cases, conditions, members,
// raters and existing ratings and passes them in; nothing here reads the database.
//
// Columns are found by their header names, in any order. `case`, `condition`, `rater` and `score`
// are required, `rationale` optional. The download's extra columns are accepted so that a
// downloaded file imports again: `status` and `submitted_at` are ignored (imported ratings are
// always submitted, now); `cannot_judge_reason` is used as the reason of an NA score when it is not
// empty. Any other column is refused, so a typo in a header does not silently drop data.
// Imported ratings are submitted, so a rater's ratings of a case are imported only as a complete set
// (with the ones they submitted before), as the rating form submits them.
import type { CsvRecord } from '../cases/cases.csv.ts';
import { MAX_REPORTED_PROBLEMS, type CaseLookup, type CsvProblem } from '../cases/cases.schemas.ts';
import { checkAssignment, isProblem } from '../assignment/assignment.rules.ts';
import { unguardFormula, type CsvCell } from '../lib/csv.ts';
import type { RatingCsvRow } from './ratings.repo.ts';
import { missingCodes } from './ratings.rules.ts';

/** The columns of study-format.md, in the order the download writes them. */
export const IMPORT_COLUMNS = ['case', 'condition', 'rater', 'score', 'rationale'] as const;
/** The download: the import's columns, then the ones the import ignores (or uses for NA only). */
export const EXPORT_COLUMNS = [...IMPORT_COLUMNS, 'status', 'cannot_judge_reason', 'submitted_at'] as const;
type Column = (typeof EXPORT_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['case', 'condition', 'rater', 'score'];

export const RATIONALE_MAX = 50_000;
export const REASON_MAX = 5_000;

/** The study as the import sees it. Emails are lower case. */
export interface RatingImportStudy {
  cases: CaseLookup;
  caseKeys: ReadonlyMap<number, string>;
  /** Every condition code of the framework, and the ones that are rated (ratableCodes). */
  conditions: ReadonlySet<string>;
  ratable: ReadonlySet<string>;
  scale: { min: number; max: number };
  ratersPerCase: number;
  secondRaterNotAtInterviews: boolean;
  /** The study's members by email. */
  members: ReadonlyMap<string, { userId: number; email: string }>;
  /** The members who may rate (researchers and leads). */
  eligible: ReadonlySet<number>;
  /** Whether an account has this email; asked only about emails of non-members, for a precise message. */
  hasAccount: (email: string) => boolean;
  /** Each case's raters now, in order. */
  raters: ReadonlyMap<number, readonly number[]>;
  /** Each case's interview attendees (for the study rule secondRaterNotAtInterviews). */
  attendees: ReadonlyMap<number, ReadonlySet<number>>;
  /** Every existing rating by slotKey → whether it is submitted. */
  existing: ReadonlyMap<string, boolean>;
  /**
   * The ratable codes an imported set must cover, in framework order: `ratable` less every condition
   * an active reduction dropped. Unlike the rating form's list it does not depend on what the rater
   * has drafted, so no message of the import can tell the lead which conditions a rater drafted.
   */
  required: readonly string[];
  /** The reason stored for an NA (or empty) score without a reason of its own. */
  defaultReason: string;
}

export interface RatingImportRow {
  line: number;
  caseId: number;
  code: string;
  raterId: number;
  /** null: cannot judge, with `reason`. */
  score: number | null;
  reason: string | null;
  rationale: string;
}

export interface RatingImportPlan {
  rows: RatingImportRow[];
  /** Per case, the raters the import adds after the ones it has, in the order the file names them. */
  addRaters: Map<number, number[]>;
  /** How many rows replace a draft of their rater. */
  replacedDrafts: number;
  /**
   * The drafts the import discards: a rater's drafts of a case the file completes, on conditions it
   * does not hold (only conditions a reduction dropped, since the file covers all others).
   */
  discardedDrafts: { caseId: number; code: string; raterId: number }[];
}

export const slotKey = (caseId: number, code: string, raterId: number) => `${caseId}\u0000${code}\u0000${raterId}`;

/** A score cell: an integer, null for cannot judge (NA or empty), or undefined when it is neither. */
export function parseScore(text: string): number | null | undefined {
  if (text === '' || text.toUpperCase() === 'NA') return null;
  return /^[+-]?\d{1,6}$/.test(text) ? Number(text) : undefined;
}

/**
 * Checks every record of a ratings file and returns what to write, or every problem found (each with
 * its line; at most MAX_REPORTED_PROBLEMS). A rater who is not yet a rater of the case is added to it
 * while it has fewer than `ratersPerCase` raters, in the order the file names them, under the same
 * rules as the assignment page (checkAssignment: eligible role, the interview rule).
 */
export function checkRatingRecords(records: readonly CsvRecord[], study: RatingImportStudy): { ok: true; plan: RatingImportPlan } | { ok: false; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const [header, ...body] = records;
  if (!header) return { ok: false, problems: [{ line: null, key: 'cases.csv.empty' }] };
  const index = new Map<Column, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(EXPORT_COLUMNS as readonly string[]).includes(name)) problems.push({ line: header.line, key: 'ratings.csv.unknownColumn', params: { column: raw } });
    else if (index.has(name as Column)) problems.push({ line: header.line, key: 'cases.csv.duplicateColumn', params: { column: raw } });
    else index.set(name as Column, i);
  });
  for (const column of REQUIRED) if (!index.has(column)) problems.push({ line: header.line, key: 'cases.csv.missingColumn', params: { column } });
  if (problems.length) return { ok: false, problems };

  const rows: RatingImportRow[] = [];
  const seen = new Map<string, number>();
  /** The case's raters as the import goes: the ones it has, then the ones accepted so far. */
  const raterList = new Map<number, number[]>();
  /** Per "case rater": null when the rater may rate the case, else the problem every row of theirs gets. */
  const decided = new Map<string, Omit<CsvProblem, 'line'> | null>();
  /** Per "case rater": the line they first occur on, the codes the file gives them and those rows. */
  const inFile = new Map<string, { line: number; caseId: number; raterId: number; email: string; codes: Set<string>; rows: RatingImportRow[] }>();
  /** Per "case rater": the codes of their lines that have a problem (reported on those lines). */
  const refusedCodes = new Map<string, Set<string>>();
  const emailOf = new Map([...study.members.values()].map((m) => [m.userId, m.email]));
  let replacedDrafts = 0;
  const width = header.fields.length;
  const { min, max } = study.scale;

  const decide = (caseId: number, raterId: number): Omit<CsvProblem, 'line'> | null => {
    const list = raterList.get(caseId) ?? [...(study.raters.get(caseId) ?? [])];
    raterList.set(caseId, list);
    if (list.includes(raterId)) return null;
    const names = { email: emailOf.get(raterId) ?? '', case: study.caseKeys.get(caseId) ?? '' };
    if (list.length >= study.ratersPerCase) {
      return { key: 'ratings.csv.caseFull', params: { ...names, count: study.ratersPerCase, raters: list.map((id) => emailOf.get(id) ?? `#${id}`).join(', ') } };
    }
    // The assignment rules on the case's list with this rater appended: counted as complete at its
    // own length, since an import may fill a case one rater at a time.
    const chosen = [...list, raterId];
    const result = checkAssignment({
      chosen, ratersPerCase: chosen.length, eligible: study.eligible, attendees: study.attendees.get(caseId) ?? new Set(),
      secondRaterNotAtInterviews: study.secondRaterNotAtInterviews, current: list, withRatings: new Set(),
    });
    if (isProblem(result)) {
      if (result.problem === 'attended') return { key: 'ratings.csv.attended', params: { ...names, position: result.position } };
      return { key: 'ratings.csv.notEligible', params: names };
    }
    list.push(raterId);
    return null;
  };

  for (const { line, fields } of body) {
    if (fields.every((f) => f.trim() === '')) continue;
    // Enough to fix a file; a file of thousands of bad lines must not yield a page of thousands.
    if (problems.length >= MAX_REPORTED_PROBLEMS) {
      problems.push({ line: null, key: 'cases.csv.tooManyProblems', params: { max: MAX_REPORTED_PROBLEMS } });
      break;
    }
    if (fields.length !== width) {
      problems.push({ line, key: 'cases.csv.fieldCount', params: { expected: width, found: fields.length } });
      continue;
    }
    const cell = (c: Column) => (index.has(c) ? unguardFormula(fields[index.get(c)!]!.trim()).trim() : '');
    const before = problems.length;

    const caseText = cell('case');
    let caseId: number | undefined;
    if (!caseText) problems.push({ line, key: 'cases.csv.noCase' });
    else {
      caseId = study.cases.byKey.get(caseText);
      const named = study.cases.byName.get(caseText) ?? [];
      if (caseId === undefined && named.length === 1) caseId = named[0];
      if (caseId === undefined) {
        problems.push(named.length > 1
          ? { line, key: 'cases.csv.ambiguousCase', params: { case: caseText } }
          : { line, key: 'cases.csv.unknownCase', params: { case: caseText } });
      }
    }

    const code = cell('condition');
    if (!code) problems.push({ line, key: 'ratings.csv.noCondition' });
    else if (!study.conditions.has(code)) problems.push({ line, key: 'ratings.csv.unknownCondition', params: { code } });
    else if (!study.ratable.has(code)) problems.push({ line, key: 'ratings.notRatable', params: { code } });

    const email = cell('rater').toLowerCase();
    const member = study.members.get(email);
    if (!email) problems.push({ line, key: 'ratings.csv.noRater' });
    else if (!member) problems.push({ line, key: study.hasAccount(email) ? 'ratings.csv.notMember' : 'ratings.csv.unknownRater', params: { email } });

    const scoreText = cell('score');
    const score = parseScore(scoreText);
    if (score === undefined || (score !== null && (score < min || score > max))) {
      problems.push({ line, key: 'ratings.csv.badScore', params: { value: scoreText, min, max } });
    }
    const rationale = cell('rationale');
    if (rationale.length > RATIONALE_MAX) problems.push({ line, key: 'ratings.csv.rationaleTooLong', params: { max: RATIONALE_MAX } });
    const ownReason = cell('cannot_judge_reason');
    if (score === null && ownReason.length > REASON_MAX) problems.push({ line, key: 'ratings.csv.reasonTooLong', params: { max: REASON_MAX } });

    // Whether this rater may rate this case is known as soon as both are; every row of a refused
    // rater says so, whatever else is wrong with it.
    if (caseId !== undefined && member) {
      const pair = `${caseId}\u0000${member.userId}`;
      if (!decided.has(pair)) decided.set(pair, decide(caseId, member.userId));
      const refused = decided.get(pair);
      if (refused) problems.push({ line, ...refused });
    }
    if (problems.length > before) {
      if (caseId !== undefined && member && code) {
        const pair = `${caseId}\u0000${member.userId}`;
        refusedCodes.set(pair, (refusedCodes.get(pair) ?? new Set()).add(code));
      }
      continue;
    }

    const slot = slotKey(caseId!, code, member!.userId);
    const first = seen.get(slot);
    if (first !== undefined) {
      problems.push({ line, key: 'ratings.csv.duplicate', params: { first } });
      continue;
    }
    seen.set(slot, line);
    const existing = study.existing.get(slot);
    if (existing === true) {
      problems.push({ line, key: 'ratings.csv.alreadySubmitted', params: { email, case: study.caseKeys.get(caseId!) ?? caseText, code } });
      continue;
    }
    if (existing === false) replacedDrafts++;
    const pair = `${caseId}\u0000${member!.userId}`;
    const entry = inFile.get(pair) ?? { line, caseId: caseId!, raterId: member!.userId, email, codes: new Set<string>(), rows: [] };
    const row: RatingImportRow = { line, caseId: caseId!, code, raterId: member!.userId, score: score!, reason: score === null ? ownReason || study.defaultReason : null, rationale };
    entry.codes.add(code);
    entry.rows.push(row);
    inFile.set(pair, entry);
    rows.push(row);
  }

  // Imported ratings are submitted, and a rater's ratings of a case are submitted all together, so,
  // as on the rating form, only as a complete set: every required condition needs a complete rating
  // in the file (the form's rule, missingCodes) or one the rater submitted before. A condition on a
  // refused line of theirs has its own problem already. What is missing is decided from the file and
  // the submitted ratings alone, never from the rater's drafts (blinding: a lead must not learn which
  // conditions a rater drafted). Their drafts the file does not hold can then only be of dropped
  // conditions; a draft next to submitted ratings could never be submitted, so those are discarded.
  const draftsOf = new Map<string, string[]>();
  const submittedOf = new Map<string, Set<string>>();
  for (const [slot, submitted] of study.existing) {
    const [caseId, code, raterId] = slot.split('\u0000');
    const pair = `${caseId}\u0000${raterId}`;
    if (submitted) submittedOf.set(pair, (submittedOf.get(pair) ?? new Set()).add(code!));
    else draftsOf.set(pair, [...(draftsOf.get(pair) ?? []), code!]);
  }
  const discardedDrafts: RatingImportPlan['discardedDrafts'] = [];
  for (const [pair, entry] of inFile) {
    if (problems.length >= MAX_REPORTED_PROBLEMS) break;
    const refused = refusedCodes.get(pair);
    const submitted = submittedOf.get(pair);
    const missing = missingCodes(study.required, entry.rows.map((r) => ({ code: r.code, score: r.score, cannot_judge_reason: r.reason })))
      .filter((code) => !submitted?.has(code) && !refused?.has(code));
    if (missing.length) {
      problems.push({ line: entry.line, key: 'ratings.csv.incomplete', params: { email: entry.email, case: study.caseKeys.get(entry.caseId) ?? '', count: missing.length, codes: missing.join(', ') } });
      continue;
    }
    for (const code of draftsOf.get(pair) ?? []) {
      if (!entry.codes.has(code)) discardedDrafts.push({ caseId: entry.caseId, code, raterId: entry.raterId });
    }
  }

  if (problems.length) return { ok: false, problems: byLine(problems) };
  if (rows.length === 0) return { ok: false, problems: [{ line: null, key: 'ratings.csv.noRows' }] };
  const addRaters = new Map<number, number[]>();
  for (const [caseId, list] of raterList) {
    const added = list.slice((study.raters.get(caseId) ?? []).length);
    if (added.length) addRaters.set(caseId, added);
  }
  return { ok: true, plan: { rows, addRaters, replacedDrafts, discardedDrafts } };
}

/** Problems in the order of their lines; the ones about the whole file last. */
function byLine(problems: CsvProblem[]): CsvProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map(({ p }) => p);
}

/** One rating as a row of the download, in EXPORT_COLUMNS order; a draft without a choice has an empty score. */
export function exportRow(r: RatingCsvRow): CsvCell[] {
  const cannotJudge = r.score === null && (r.cannot_judge_reason !== null || r.submitted_at !== null);
  return [
    r.case_key, r.code, r.email, r.score ?? (cannotJudge ? 'NA' : ''), r.rationale,
    r.submitted_at ? 'submitted' : 'draft', r.cannot_judge_reason ?? '', r.submitted_at ?? '',
  ];
}
