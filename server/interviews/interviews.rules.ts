// The status steps of an interview and their dates: the one place their rules live, for the edit
// form and for the one-click steps on the interview page alike. No database here.
//
// Rules: every step up to the status has a date and later steps have none; a step is never dated
// after today (a step that has not happened cannot be recorded), "held" never before the
// interview's own date, and no step before the step that comes before it. A reached step left
// empty gets a date that keeps these rules: "held" the interview's date, any other step the
// previous step's date or later — the date of the next step given, else today.
import type { MessageKey } from '../lib/i18n.ts';
import { STATUSES, STEP_COLUMNS, STEPS, type InterviewStatus, type Step } from './interviews.repo.ts';

export type StepColumn = (typeof STEP_COLUMNS)[Step];

export interface StepsInput {
  status: InterviewStatus;
  /** The interview's own date (the date field of the form). */
  date: string | null;
  /** The step dates as given; null or absent: left empty. */
  given: Partial<Record<StepColumn, string | null>>;
  /** Today as YYYY-MM-DD. */
  today: string;
}

/** A problem with the value of one field: a step column, or `date` when the interview's date made it. */
export interface StepProblem {
  field: StepColumn | 'date';
  key: MessageKey;
  params: Record<string, string>;
}

export type StepsResult = { ok: true; dates: Record<StepColumn, string | null> } | { ok: false; problems: StepProblem[] };

/** The status after `status`, or null when it is the last. */
export function nextStatus(status: InterviewStatus): Step | null {
  const next = STATUSES[STATUSES.indexOf(status) + 1];
  return (next as Step | undefined) ?? null;
}

export function resolveSteps(input: StepsInput): StepsResult {
  const reached = STATUSES.indexOf(input.status);
  const reachedSteps = STEPS.filter((step) => STATUSES.indexOf(step) <= reached);
  const given = (step: Step) => input.given[STEP_COLUMNS[step]] || null;
  const dates = Object.fromEntries(STEPS.map((s) => [STEP_COLUMNS[s], null])) as Record<StepColumn, string | null>;
  const problems: StepProblem[] = [];
  let previous: string | null = null;

  reachedSteps.forEach((step, i) => {
    const column = STEP_COLUMNS[step];
    const own = given(step);
    let value: string;
    let field: StepProblem['field'] = column;
    if (own) value = own;
    else if (step === 'held' && input.date) {
      value = input.date;
      field = 'date';
    } else {
      // The earliest date given to a later reached step, else today; never before the previous step.
      const later = reachedSteps.slice(i + 1).map(given).filter((d): d is string => d !== null).sort()[0];
      value = [later ?? input.today, input.today].sort()[0]!;
      if (previous && value < previous) value = previous;
    }

    if (value > input.today) {
      problems.push({ field, key: field === 'date' ? 'interviews.heldFuture' : 'interviews.stepFuture', params: { date: value, today: input.today } });
    } else if (step === 'held' && input.date && value < input.date) {
      problems.push({ field, key: 'interviews.heldBeforeDate', params: { date: input.date } });
    } else if (previous && value < previous) {
      problems.push({ field, key: 'interviews.stepOrder', params: { previous } });
    }
    // A refused value is not a base for the next step's check: one wrong date, one message.
    if (!problems.some((p) => p.field === field)) previous = value;
    dates[column] = value;
  });

  return problems.length ? { ok: false, problems } : { ok: true, dates };
}
