// Interviews: rules and changes, each with its audit entry in one transaction (being written).
import type { Db } from '../lib/db.ts';
import type { Repos } from '../services.ts';

export function interviewsService(_deps: { db: Db; repos: Repos; now: () => Date }) {
  return {};
}
export type InterviewsService = ReturnType<typeof interviewsService>;
