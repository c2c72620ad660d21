// Form input of reconciliation: the queue's filters, the lead's final score with a note, a message
// in an item's thread, the bulk rule for minor differences and the sign-off's way back.
import { z } from 'zod';
import { BULK_RULES } from './reconcile.rules.ts';

export const QUEUE_STATUSES = ['open', 'resolved', 'all'] as const;
export const QUEUE_KINDS = ['all', 'major', 'minor', 'partly-judged'] as const;

/**
 * The queue's filters (a GET form). A value the form does not offer falls back to the default, so an
 * old or hand-made link still shows a queue: the open items of every case, of every kind, page 1.
 */
export const queueFilterSchema = z.object({
  status: z.enum(QUEUE_STATUSES).catch('open'),
  case: z.string().trim().max(100).catch('').transform((v) => (v ? v : null)),
  kind: z.enum(QUEUE_KINDS).catch('all'),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type QueueFilters = z.infer<typeof queueFilterSchema>;

/** The queue's address with these filters (defaults left out). */
export function queueHref(base: string, f: Partial<QueueFilters>): string {
  const q = new URLSearchParams();
  if (f.status && f.status !== 'open') q.set('status', f.status);
  if (f.case) q.set('case', f.case);
  if (f.kind && f.kind !== 'all') q.set('kind', f.kind);
  if (f.page && f.page > 1) q.set('page', String(f.page));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

export const decisionSchema = z.object({
  /** A number on the scale (checked by the service) or `n` for "cannot be judged". */
  score: z
    .string({ message: 'reconcile.chooseScore' })
    .trim()
    .regex(/^(n|-?\d{1,3})$/, 'reconcile.chooseScore')
    .transform((v) => (v === 'n' ? ('cannot-judge' as const) : Number(v))),
  note: z.string({ message: 'reconcile.noteRequired' }).trim().min(1, 'reconcile.noteRequired').max(10_000),
  /** The second submit button, "Save and next open item". */
  next: z.literal('1').optional().catch(undefined).transform((v) => v === '1'),
});

export const commentSchema = z.object({
  body: z.string({ message: 'form.required' }).trim().min(1, 'form.required').max(20_000),
});

/** The preview (GET) and the change (POST): the rule and the scope; empty case = every case. */
export const bulkSchema = z.object({
  rule: z.enum(BULK_RULES, { message: 'reconcile.bulk.chooseRule' }),
  case: z.string().trim().max(100).optional().transform((v) => (v ? v : null)),
});

/** The confirmed change also names the exact items the lead was shown (a digest of their list). */
export const bulkConfirmSchema = bulkSchema.extend({
  items: z.string().regex(/^[0-9a-f]{64}$/, 'form.invalid'),
});

/** Where the sign-off returns to: the queue's filters as they were (anything else: the plain queue). */
export const signOffSchema = z.object({
  status: z.enum(QUEUE_STATUSES).optional().catch(undefined),
  filterCase: z.string().trim().max(100).optional().catch(undefined),
  kind: z.enum(QUEUE_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});
