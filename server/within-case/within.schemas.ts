// Form input of the within-case analysis: the lead's explanation degree (or none) and narrative, and
// the stamp of the saved analysis the form was opened on (optimistic concurrency).
import { z } from 'zod';
import { EXPLANATION_DEGREES } from '../analysis/analysis.rules.ts';

/** The most characters a narrative may have (the analysis service refuses more as well). */
export const MAX_NARRATIVE = 100_000;

export const explanationSchema = z.object({
  /** '' = no explanation degree (yet). */
  explanationDegree: z
    .enum(['', ...EXPLANATION_DEGREES], { message: 'within.chooseDegree' })
    .transform((v) => (v === '' ? null : v)),
  /** Markdown; line ends as the browser sends them are normalised. */
  narrative: z
    .string()
    .max(MAX_NARRATIVE)
    .optional()
    .transform((v) => (v ?? '').replace(/\r\n?/g, '\n')),
});

/**
 * The case's `analysisUpdatedAt` when the form was rendered: '' when nothing was saved yet. A form
 * without it was not made by this page (400).
 */
export const stampSchema = z.object({
  updatedAt: z
    .string()
    .regex(/^(|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z)$/)
    .transform((v) => (v === '' ? null : v)),
});
