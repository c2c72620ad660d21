// Access to rater assignment: leads assign; every member has a "my cases" page (empty unless assigned).
import { leads, members, type AccessSection } from './personas.ts';

export const assignment: AccessSection = {
  table: {
    'GET /studies/:id/assignment': leads,
    'POST /studies/:id/assignment/even': leads,
    // :case is the cases section's case without raters: an empty form clears nothing.
    'POST /studies/:id/assignment/cases/:case': leads,
    'GET /studies/:id/my-cases': members,
  },
};
