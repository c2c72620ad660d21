// Access to the routes of interviews.
import type { AccessSection } from './personas.ts';

export const interviews: AccessSection = {
  table: {},
};
