// Interviews as plain data for the templates.
import { renderMarkdown, type SafeHtml } from '../lib/markdown.ts';
import { STEPS, STEP_COLUMNS, type InterviewRow, type InterviewStatus, type InterviewSummary } from './interviews.repo.ts';
import { nextStatus } from './interviews.rules.ts';

export interface InterviewView {
  key: string;
  caseKey: string;
  caseName: string;
  date: string | null;
  participants: number;
  status: InterviewStatus;
  steps: { column: string; date: string }[];
  roles: { id: number; name: string }[];
  interviewers: { id: number; name: string; email: string }[];
  conditions: string[];
  version: number;
  updatedAt: string;
}

export function interviewView(row: InterviewSummary): InterviewView {
  return {
    key: row.key,
    caseKey: row.case_key,
    caseName: row.case_name,
    date: row.date,
    participants: row.participants,
    status: row.status,
    steps: STEPS.flatMap((s) => {
      const date = row[STEP_COLUMNS[s]];
      return date ? [{ column: STEP_COLUMNS[s] as string, date }] : [];
    }),
    roles: JSON.parse(row.roles) as InterviewView['roles'],
    interviewers: JSON.parse(row.interviewers) as InterviewView['interviewers'],
    conditions: JSON.parse(row.conditions) as string[],
    version: row.version,
    updatedAt: row.updated_at.replace('T', ' ').slice(0, 16),
  };
}

export function notesHtml(row: InterviewRow): SafeHtml {
  return renderMarkdown(row.notes);
}

/** The values an interview form starts with. */
export function formValuesOf(row: InterviewRow): Record<string, unknown> {
  const v = interviewView(row);
  return {
    version: String(row.version),
    case: row.case_key,
    date: row.date ?? '',
    participants: String(row.participants),
    notes: row.notes,
    status: row.status,
    held_on: row.held_on ?? '',
    drafted_on: row.drafted_on ?? '',
    sent_on: row.sent_on ?? '',
    approved_on: row.approved_on ?? '',
    roles: v.roles.map((r) => String(r.id)),
    interviewers: v.interviewers.map((u) => String(u.id)),
    conditions: v.conditions,
  };
}

/**
 * The one-click next step of the interview page, or null when the report is approved. The date
 * starts as today ("held": the interview's date when that has passed); `plannedFor` is set instead
 * of a form while the interview's date is still to come.
 */
export function nextStepView(row: InterviewSummary, today: string, values: Record<string, unknown>) {
  const step = nextStatus(row.status);
  if (!step) return null;
  const previous = STEPS.map((s) => row[STEP_COLUMNS[s]]).filter((d): d is string => d !== null).sort().at(-1) ?? null;
  const held = step === 'held';
  const defaultOn = held && row.date && row.date <= today ? row.date : today;
  return {
    step,
    column: STEP_COLUMNS[step],
    version: row.version,
    on: typeof values.on === 'string' ? values.on : defaultOn,
    max: today,
    min: held ? row.date : previous,
    previous,
    plannedFor: held && row.date && row.date > today ? row.date : null,
  };
}
