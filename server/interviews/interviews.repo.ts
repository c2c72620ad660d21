// SQL for interviews (being written).
import type { Db } from '../lib/db.ts';

export function interviewsRepo(_db: Db) {
  return {};
}
export type InterviewsRepo = ReturnType<typeof interviewsRepo>;
