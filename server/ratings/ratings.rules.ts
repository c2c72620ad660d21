// When a rater's ratings of a case may be submitted: every ratable condition of their form has a
// complete rating. Pure; used by the rating form's submit (ratings.service.ts), its progress count
// (ratings.view.ts) and the ratings CSV import (ratings.csv.ts), which submits too.
import type { RatingRow } from './ratings.repo.ts';

/** Whether a rating is complete enough to submit: a score, or cannot judge with a reason. */
export function isComplete(r: Pick<RatingRow, 'score' | 'cannot_judge_reason'> | undefined): boolean {
  return !!r && (r.score !== null || (r.cannot_judge_reason ?? '').trim() !== '');
}

/** The ratable conditions of a framework that have no complete rating, in framework order. */
export function missingCodes(ratable: readonly string[], own: readonly Pick<RatingRow, 'code' | 'score' | 'cannot_judge_reason'>[]): string[] {
  const byCode = new Map(own.map((r) => [r.code, r]));
  return ratable.filter((code) => !isComplete(byCode.get(code)));
}
