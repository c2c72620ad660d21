// Access to interview roles, the question bank and the interview guides: every member reads,
// leads edit.
import { leads, members, type AccessSection } from './personas.ts';

export const guides: AccessSection = {
  table: {
    'GET /studies/:id/guides': members,
    'POST /studies/:id/guides/roles': leads,
    'POST /studies/:id/guides/roles/:role': leads,
    'POST /studies/:id/guides/roles/:role/delete': leads,
    'GET /studies/:id/guides/questions/new': leads,
    'POST /studies/:id/guides/questions': leads,
    'GET /studies/:id/guides/questions/:question/edit': leads,
    'POST /studies/:id/guides/questions/:question': leads,
    'POST /studies/:id/guides/questions/:question/delete': leads,
    'POST /studies/:id/guides/questions/:question/move': leads,
    'POST /studies/:id/guides/sections/move': leads,
    'GET /studies/:id/guides/:role': members,
  },
  setUp(ctx, study) {
    // A role with a question asked to it: the role cannot be deleted (a question uses it), and
    // deleting the question needs its stamp, which the test's incomplete bodies do not carry.
    const g = ctx.services.guides;
    const role = g.addRole(study.id, study.ids.lead, 'Wethouder');
    const question = g.addQuestion(study.id, study.ids.lead, { section: 'Opening', text: 'What explains the result?', roleIds: [role], conditionCodes: [] });
    return { role: String(role), question: String(question) };
  },
};
