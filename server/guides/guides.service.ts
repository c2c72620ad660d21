// Guides: rules and changes, each with its audit entry in one transaction (being written).
import type { Db } from '../lib/db.ts';
import type { Repos } from '../services.ts';

export function guidesService(_deps: { db: Db; repos: Repos; now: () => Date }) {
  return {};
}
export type GuidesService = ReturnType<typeof guidesService>;
