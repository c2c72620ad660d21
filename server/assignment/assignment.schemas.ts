// Form input of rater assignment: one select per position (rater1 … rater4; empty = none) and
// the mode of "assign evenly".
import { z } from 'zod';

/** The most raters a case can have (studies.raters_per_case is 2…4). */
export const MAX_RATERS = 4;

const raterId = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : Number(v)))
  .pipe(z.number().int('form.choice').positive('form.choice').nullable());

export const ratersSchema = z.object({ rater1: raterId, rater2: raterId, rater3: raterId, rater4: raterId });
export type RatersForm = z.output<typeof ratersSchema>;

/** The choices in position order, cut to the study's number of raters per case (later selects are not shown). */
export function chosenRaters(form: RatersForm, ratersPerCase: number): (number | null)[] {
  return [form.rater1, form.rater2, form.rater3, form.rater4].slice(0, ratersPerCase);
}

export const evenSchema = z.object({ mode: z.enum(['fill', 'replace']) });
