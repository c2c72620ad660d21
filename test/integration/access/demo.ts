// Access to the demo study's button: only a site administrator loads the demo.
import { admins, type AccessSection } from './personas.ts';

export const demo: AccessSection = {
  table: {
    'POST /demo': admins,
  },
};
