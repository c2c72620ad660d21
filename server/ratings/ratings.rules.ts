// What is on a rater's form of a case, and when their ratings of it may be submitted: every
// condition of their form has a complete rating. Pure; used by the rating form's submit
// (ratings.service.ts), its progress count (ratings.view.ts), "My cases" (assignment.service.ts) and
// the ratings CSV import (ratings.csv.ts), which submits too.
import type { RatingRow } from './ratings.repo.ts';

/**
 * The conditions on a rater's form of a case: the ratable ones (in framework order), less those an
 * active reduction dropped that the rater has not rated (reduction.repo.ts droppedUnrated).
 */
export function formCodes(ratable: readonly string[], dropped: ReadonlySet<string> | undefined): string[] {
  return dropped ? ratable.filter((code) => !dropped.has(code)) : [...ratable];
}

/** Whether a rating is complete enough to submit: a score, or cannot judge with a reason. */
export function isComplete(r: Pick<RatingRow, 'score' | 'cannot_judge_reason'> | undefined): boolean {
  return !!r && (r.score !== null || (r.cannot_judge_reason ?? '').trim() !== '');
}

/** The ratable conditions of a framework that have no complete rating, in framework order. */
export function missingCodes(ratable: readonly string[], own: readonly Pick<RatingRow, 'code' | 'score' | 'cannot_judge_reason'>[]): string[] {
  const byCode = new Map(own.map((r) => [r.code, r]));
  return ratable.filter((code) => !isComplete(byCode.get(code)));
}
