// Access to the within-case analysis: every member of the study reads a case's analysis; only leads
// record the explanation degree and narrative. The case is the one the cases section creates (:case).
import { leads, members, type AccessSection } from './personas.ts';

export const withinCase: AccessSection = {
  table: {
    'GET /studies/:id/cases/:case/analysis': members,
    'POST /studies/:id/cases/:case/analysis': leads,
  },
};
