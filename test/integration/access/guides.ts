// Access to the routes of guides.
import type { AccessSection } from './personas.ts';

export const guides: AccessSection = {
  table: {},
};
