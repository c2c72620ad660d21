// Form input of the rating form. One form holds every condition; the browser's autosave posts the
// same fields for one condition. Per condition (CODE), named after the hidden marker `c` = CODE:
// `score:CODE` (a number on the scale, `n` for cannot judge, or absent), `reason:CODE`,
// `rationale:CODE` and `evidence:CODE` (evidence ids, one string or several).
import { z } from 'zod';
import type { FieldErrors } from '../http/forms.ts';

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const code = z.string().trim().min(1).max(30);

export const conditionRatingSchema = z.object({
  code,
  /** null: no choice yet; 'cannot-judge'; or an integer (the scale is checked by the service). */
  score: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return null;
      if (v === 'n') return 'cannot-judge' as const;
      if (!/^-?\d{1,3}$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'ratings.badScore' });
        return z.NEVER;
      }
      return Number(v);
    }),
  reason: z.string().max(5_000).default(''),
  rationale: z.string().max(50_000).default(''),
  evidence: list.pipe(z.array(z.string().regex(/^\d{1,12}$/, 'form.choice').transform(Number))),
});
export type ConditionRatingInput = z.output<typeof conditionRatingSchema>;

/** The conditions named by the `c` markers of a posted rating form, each with its fields. */
export function parseRatingForm(body: unknown): { ok: true; data: ConditionRatingInput[] } | { ok: false; errors: FieldErrors } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const codes = list.safeParse(b.c);
  if (!codes.success) return { ok: false, errors: { _form: { key: 'form.invalid' } } };
  const data: ConditionRatingInput[] = [];
  const errors: FieldErrors = {};
  for (const c of new Set(codes.data)) {
    const parsed = conditionRatingSchema.safeParse({
      code: c, score: b[`score:${c}`], reason: b[`reason:${c}`], rationale: b[`rationale:${c}`], evidence: b[`evidence:${c}`],
    });
    if (parsed.success) data.push(parsed.data);
    else {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? 'score');
      errors[`${field}:${c}`] = { key: issue.message === 'ratings.badScore' ? 'ratings.badScore' : issue.code === 'too_big' ? 'form.tooLong' : 'form.invalid', ...(issue.code === 'too_big' ? { params: { max: Number(issue.maximum) } } : {}) };
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data };
}
