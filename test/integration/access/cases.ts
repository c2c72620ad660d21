// Access to the routes of cases.
import type { AccessSection } from './personas.ts';

export const cases: AccessSection = {
  table: {},
};
