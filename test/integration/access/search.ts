// Access to search: every member of the study.
import { fieldwork, type AccessSection } from './personas.ts';

export const search: AccessSection = {
  table: { 'GET /studies/:id/search': fieldwork },
};
