// Form input of reconciliation: the lead's final score with a note, a message in an item's thread,
// and the bulk rule for minor differences.
import { z } from 'zod';
import { BULK_RULES } from './reconcile.rules.ts';

export const decisionSchema = z.object({
  /** A number on the scale (checked by the service) or `n` for "cannot be judged". */
  score: z
    .string({ message: 'reconcile.chooseScore' })
    .trim()
    .regex(/^(n|-?\d{1,3})$/, 'reconcile.chooseScore')
    .transform((v) => (v === 'n' ? ('cannot-judge' as const) : Number(v))),
  note: z.string({ message: 'reconcile.noteRequired' }).trim().min(1, 'reconcile.noteRequired').max(10_000),
});

export const commentSchema = z.object({
  body: z.string({ message: 'form.required' }).trim().min(1, 'form.required').max(20_000),
});

export const bulkSchema = z.object({
  rule: z.enum(BULK_RULES, { message: 'reconcile.bulk.chooseRule' }),
  /** Empty: every case. */
  case: z.string().trim().max(100).optional().transform((v) => (v ? v : null)),
  expected: z.string().regex(/^\d{1,6}$/, 'form.invalid').transform(Number),
});
