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

/**
 * "Assign evenly": the mode, and the members to assign (`raters`, the ticked boxes). The form says
 * `pick=1` when it carries the boxes, so no box ticked is told apart from a form without them (a
 * script), which gets the default: the researchers.
 */
export const evenSchema = z
  .object({
    mode: z.enum(['fill', 'replace']),
    pick: z.literal('1').optional(),
    raters: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
      .transform((v) => v.map(Number))
      .pipe(z.array(z.number({ message: 'form.choice' }).int('form.choice').positive('form.choice'))),
  })
  .transform(({ mode, pick, raters }) => ({ mode, raters: pick || raters.length ? raters : undefined }));
