// Access to agreement: every member of the study reads the statistics and downloads them.
import { members, type AccessSection } from './personas.ts';

export const agreement: AccessSection = {
  table: {
    'GET /studies/:id/agreement': members,
    'GET /studies/:id/agreement.csv': members,
    'GET /studies/:id/agreement.json': members,
  },
};
