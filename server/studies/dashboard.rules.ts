// Where a case stands and what it needs next, as pure functions (no database, no Express). The
// phases follow the method (PRODUCT.md, workflow): fieldwork until the case has its raters, rating
// until every rater submitted, reconciliation until a lead signed off (again, after a later change),
// then signed off. The next action depends on who asks: a rater's own unsubmitted case says "Rate",
// a lead is sent to assign, follow, reconcile or sign off, a viewer only reads.
import type { StudyRole } from './studies.repo.ts';

export const PHASES = ['fieldwork', 'rating', 'reconciliation', 'signed-off'] as const;
export type Phase = (typeof PHASES)[number];

/** The matrix's orders: study order, name, earliest phase first, most open items first. */
export const SORTS = ['case', 'name', 'phase', 'open'] as const;
export type Sort = (typeof SORTS)[number];

/** Cases on one page of the dashboard. */
export const PAGE_SIZE = 50;

export interface CaseState {
  position: number;
  name: string;
  /** Assigned raters. */
  raters: number;
  /** Every assigned rater submitted and the case has its raters (ALL_SUBMITTED in ratings.repo.ts). */
  allSubmitted: boolean;
  signedOff: boolean;
  changedAfterSignOff: boolean;
  /** Interviews past "planned". */
  held: number;
  /** Open reconciliation items (0 while the case is not in reconciliation). */
  open: number;
  explanationDegree: string | null;
}

export function phaseOf(c: Pick<CaseState, 'raters' | 'allSubmitted' | 'signedOff' | 'changedAfterSignOff'>, ratersPerCase: number): Phase {
  if (c.allSubmitted) return c.signedOff && !c.changedAfterSignOff ? 'signed-off' : 'reconciliation';
  return c.raters >= ratersPerCase ? 'rating' : 'fieldwork';
}

/** Who looks at the case: their study role and, if they rate it, whether they submitted. */
export interface Looker {
  role: StudyRole;
  rates: boolean;
  submitted: boolean;
}

export type NextAction =
  | { kind: 'log-interview' }
  | { kind: 'assign-raters' }
  | { kind: 'rate' }
  | { kind: 'follow-ratings' }
  | { kind: 'reconcile'; open: number }
  | { kind: 'sign-off' }
  | { kind: 'sign-off-again' }
  | { kind: 'record-degree' }
  | { kind: 'view-analysis' }
  | { kind: 'wait'; on: 'fieldwork' | 'raters' | 'reconciliation' | 'sign-off' };

export function nextAction(phase: Phase, c: Pick<CaseState, 'raters' | 'held' | 'open' | 'changedAfterSignOff' | 'explanationDegree'>, who: Looker): NextAction {
  const lead = who.role === 'lead';
  switch (phase) {
    case 'fieldwork':
      // Raters once there is something to rate from (or some are assigned already); interviews before that.
      if (lead && (c.held > 0 || c.raters > 0)) return { kind: 'assign-raters' };
      return who.role === 'viewer' ? { kind: 'wait', on: 'fieldwork' } : { kind: 'log-interview' };
    case 'rating':
      if (who.rates && !who.submitted) return { kind: 'rate' };
      return lead ? { kind: 'follow-ratings' } : { kind: 'wait', on: 'raters' };
    case 'reconciliation':
      if (c.open > 0) return lead || who.rates ? { kind: 'reconcile', open: c.open } : { kind: 'wait', on: 'reconciliation' };
      if (lead) return c.changedAfterSignOff ? { kind: 'sign-off-again' } : { kind: 'sign-off' };
      return { kind: 'wait', on: 'sign-off' };
    case 'signed-off':
      return lead && !c.explanationDegree ? { kind: 'record-degree' } : { kind: 'view-analysis' };
  }
}

/** The cases of one phase (all with null), in the chosen order. */
export function filterAndSort<T extends { phase: Phase; state: CaseState }>(rows: readonly T[], phase: Phase | null, sort: Sort, collator: Intl.Collator): T[] {
  const chosen = phase ? rows.filter((r) => r.phase === phase) : [...rows];
  const byPosition = (x: T, y: T) => x.state.position - y.state.position;
  const order: Record<Sort, (x: T, y: T) => number> = {
    case: byPosition,
    name: (x, y) => collator.compare(x.state.name, y.state.name) || byPosition(x, y),
    phase: (x, y) => PHASES.indexOf(x.phase) - PHASES.indexOf(y.phase) || byPosition(x, y),
    open: (x, y) => y.state.open - x.state.open || byPosition(x, y),
  };
  return chosen.sort(order[sort]);
}
