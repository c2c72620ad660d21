// What reconciliation decides about one item (case, condition) from its raters' submitted scores
// (null = cannot judge): whether the raters agree, how far apart they are, and the final score.
// PRODUCT.md workflow step 6: equal scores become final automatically; a difference of one point is
// minor, more is major; an item where some but not all raters could not judge needs a decision too.

export type Score = number | null;

/** `agreed`: nothing to reconcile. Otherwise the item is in the queue. */
export type ItemKind = 'agreed' | 'minor' | 'major' | 'partly-judged';

export interface ItemAssessment {
  kind: ItemKind;
  /** Largest minus smallest score among the raters who judged (0 when fewer than two did). */
  difference: number;
  /** Some raters gave a score and some could not judge. */
  partlyJudged: boolean;
  /** The final score when the raters agree (null: all could not judge); undefined while open. */
  agreedScore?: Score;
}

/** Whether an item needs reconciling, and how. Its SQL form, for counts only, is ITEM_COUNTS in reconcile.repo.ts. */
export function assessItem(scores: readonly Score[]): ItemAssessment {
  const judged = scores.filter((s): s is number => s !== null);
  const difference = judged.length ? Math.max(...judged) - Math.min(...judged) : 0;
  const partlyJudged = judged.length > 0 && judged.length < scores.length;
  if (difference === 0 && !partlyJudged) return { kind: 'agreed', difference, partlyJudged, agreedScore: judged[0] ?? null };
  const kind: ItemKind = difference >= 2 ? 'major' : difference === 1 ? 'minor' : 'partly-judged';
  return { kind, difference, partlyJudged };
}

/** The rules a lead may apply to every open minor difference at once. */
export const BULK_RULES = ['lower', 'higher'] as const;
export type BulkRule = (typeof BULK_RULES)[number];

/** Whether the bulk rule applies: a minor difference (one point) that every rater judged. */
export function bulkApplies(a: ItemAssessment): boolean {
  return a.kind === 'minor' && !a.partlyJudged;
}

/** The final score a bulk rule gives an item it applies to. */
export function bulkScore(scores: readonly Score[], rule: BulkRule): number {
  const judged = scores.filter((s): s is number => s !== null);
  return rule === 'lower' ? Math.min(...judged) : Math.max(...judged);
}

/** Where an item's final score stands. */
export type FinalStatus = 'agreed' | 'reconciled' | 'open';

/** The final score of an item: the lead's decision if there is one, else the agreed score, else open. */
export function finalOf(a: ItemAssessment, decision: { score: Score } | undefined): { status: FinalStatus; score: Score } {
  if (decision) return { status: 'reconciled', score: decision.score };
  if (a.kind === 'agreed') return { status: 'agreed', score: a.agreedScore ?? null };
  return { status: 'open', score: null };
}

/** The most messages one item's thread holds: the item page shows them all. */
export const MAX_COMMENTS = 200;

/** An item's assessment and its final score, from its raters' scores (in any order) and the lead's decision, if any. */
export function assess(scores: readonly Score[], decision: { score: Score } | undefined): { assessment: ItemAssessment; final: { status: FinalStatus; score: Score } } {
  const assessment = assessItem(scores);
  return { assessment, final: finalOf(assessment, decision) };
}

/** Queue order: open items first, largest difference first, items partly not judged before equal ones. */
export function queueOrder(x: { open: boolean; assessment: ItemAssessment }, y: { open: boolean; assessment: ItemAssessment }): number {
  return (
    Number(y.open) - Number(x.open) ||
    y.assessment.difference - x.assessment.difference ||
    Number(y.assessment.partlyJudged) - Number(x.assessment.partlyJudged)
  );
}

/** An item as the queue orders it: its case, whether it is open, and its assessment. */
export interface Queued {
  open: boolean;
  assessment: ItemAssessment;
  row: { case_id: number; code: string };
}

/**
 * The queue: grouped per case, in the order the cases come (case order), and within a case by
 * queueOrder (stable, so equal items keep the framework order they came in).
 */
export function inQueueOrder<T extends Queued>(items: readonly T[]): T[] {
  const caseIndex = new Map<number, number>();
  for (const i of items) if (!caseIndex.has(i.row.case_id)) caseIndex.set(i.row.case_id, caseIndex.size);
  return [...items].sort((x, y) => caseIndex.get(x.row.case_id)! - caseIndex.get(y.row.case_id)! || queueOrder(x, y));
}

/**
 * The open item after (case, code) in queue order (`ordered` as inQueueOrder gives it): the first open
 * item of the same case, else of the next case that has one, wrapping round to the cases before it;
 * null when nothing else is open.
 */
export function nextOpen<T extends Queued>(ordered: readonly T[], caseId: number, code: string): T | null {
  const open = ordered.filter((i) => i.open && !(i.row.case_id === caseId && i.row.code === code));
  const same = open.find((i) => i.row.case_id === caseId);
  if (same) return same;
  const cases = [...new Set(ordered.map((i) => i.row.case_id))];
  const at = cases.indexOf(caseId);
  const rotated = at < 0 ? cases : [...cases.slice(at + 1), ...cases.slice(0, at)];
  for (const id of rotated) {
    const first = open.find((i) => i.row.case_id === id);
    if (first) return first;
  }
  return null;
}
