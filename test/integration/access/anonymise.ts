// Access to anonymisation: only leads see the pseudonyms with the real names, edit the word and the
// aliases, regenerate, and run the leak check. The case is the one the cases section creates.
import { leads, type AccessSection } from './personas.ts';

export const anonymise: AccessSection = {
  table: {
    'GET /studies/:id/anonymisation': leads,
    'POST /studies/:id/anonymisation/leak-check': leads,
    'POST /studies/:id/anonymisation/word': leads,
    'POST /studies/:id/anonymisation/aliases': leads,
    'GET /studies/:id/anonymisation/regenerate': leads,
    'POST /studies/:id/anonymisation/regenerate': leads,
    'POST /studies/:id/anonymisation/assign': leads,
  },
};
