// Input of the report templates page and the reports' query string.
import { z } from 'zod';
import { REPORT_KINDS } from './reports.templates.ts';

export const templateSchema = z.object({
  kind: z.enum(REPORT_KINDS),
  // The length limit is the service's (with its own message); this only bounds what is parsed.
  body: z.string().max(1_000_000),
  /** The template's updatedAt when the form was opened ('' = the built-in one). */
  updatedAt: z.string().max(100).default(''),
});

export const resetSchema = z.object({ kind: z.enum(REPORT_KINDS) });

/** `?anonymised=1` (also "true"/"on"); anything else is the normal report. */
export const isAnonymised = (value: unknown): boolean => value === '1' || value === 'true' || value === 'on';
