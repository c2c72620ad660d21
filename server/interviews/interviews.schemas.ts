// Form input of an interview. Checkbox groups arrive as one string or an array of strings.
import { z } from 'zod';
import { pageParam } from '../lib/paging.ts';
import { STATUSES, STEPS } from './interviews.repo.ts';

const isoDate = z
  .string()
  .trim()
  .transform((v) => (v === '' ? null : v))
  .pipe(z.iso.date({ message: 'interviews.badDate' }).nullable());

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const ids = list.transform((v) => v.map(Number)).pipe(z.array(z.number().int().positive()));

export const interviewSchema = z.object({
  version: z.coerce.number().int().min(0).optional(),
  case: z.string().trim().min(1, 'interviews.caseRequired').max(100),
  date: isoDate,
  participants: z.coerce.number({ message: 'form.invalid' }).int('form.invalid').min(0).max(999),
  notes: z.string().max(500_000).default(''),
  status: z.enum(STATUSES),
  held_on: isoDate.optional(),
  drafted_on: isoDate.optional(),
  sent_on: isoDate.optional(),
  approved_on: isoDate.optional(),
  roles: ids,
  interviewers: ids,
  conditions: list.pipe(z.array(z.string().trim().min(1).max(30))),
});
export type InterviewForm = z.output<typeof interviewSchema>;

/** A one-click status step on the interview page: the next status, its date, and the version shown. */
export const stepSchema = z.object({
  version: z.coerce.number().int().min(0),
  step: z.enum(STEPS),
  on: isoDate,
});

/** The study's interview list: `?case=KEY&status=held&role=ID&page=N`; anything not understood means "any". */
export const interviewListQuery = z.object({
  case: z.string().trim().max(200).catch(''),
  status: z.enum(STATUSES).optional().catch(undefined),
  role: z.coerce.number().int().positive().optional().catch(undefined),
  page: pageParam,
});
