// Access to the routes of cases: every member reads, leads and researchers change cases and
// import measures, leads declare attribute types.
import { leads, members, researchers, type AccessSection } from './personas.ts';

export const cases: AccessSection = {
  table: {
    'GET /studies/:id/cases': members,
    'GET /studies/:id/cases/new': researchers,
    'POST /studies/:id/cases': researchers,
    'POST /studies/:id/cases/attributes': leads,
    'GET /studies/:id/cases/measures': researchers,
    'POST /studies/:id/cases/measures': researchers,
    'GET /studies/:id/cases/:case': members,
    'GET /studies/:id/cases/:case/edit': researchers,
    'POST /studies/:id/cases/:case': researchers,
  },
  setUp(ctx, study) {
    // A case with the key the routes' :case parameter takes.
    ctx.services.cases.create(study.id, { id: study.ids.lead, isLead: true }, 'k1', {
      name: 'Case one', pseudonym: null, group: '', selectionReason: '', attributes: {}, measures: [],
    });
    return { case: 'k1' };
  },
};
