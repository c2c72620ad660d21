// Form input of a complexity-reduction decision: the method (1–4) and the reason, which is required.
import { z } from 'zod';

/** The most characters a reason may have. */
export const MAX_REASON = 2_000;

export const decisionSchema = z.object({
  method: z.enum(['1', '2', '3', '4'], { message: 'analysis.reduction.methodInvalid' }).transform(Number),
  reason: z
    .string({ message: 'analysis.reduction.reasonRequired' })
    .trim()
    .min(1, { message: 'analysis.reduction.reasonRequired' })
    .max(MAX_REASON),
});
