// Access to search: every member of the study.
import { members, type AccessSection } from './personas.ts';

export const search: AccessSection = {
  table: { 'GET /studies/:id/search': members },
};
