// The cross-case page's query: the measure the cases are ordered by (or "case"), the direction, and
// the measure on the scatter plot's horizontal axis. Whatever does not fit falls back to the default
// (a bookmarked page whose measure was removed still opens); the service checks the names.
import { z } from 'zod';

export const crossCaseQuerySchema = z.object({
  order: z.string().max(300).optional().catch(undefined),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
  x: z.string().max(300).optional().catch(undefined),
});
