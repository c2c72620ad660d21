// Access to the framework page and editor.
import { leads, members, type AccessSection } from './personas.ts';

export const framework: AccessSection = {
  table: {
    'GET /studies/:id/framework': members,
    'GET /studies/:id/framework/edit': leads,
    'POST /studies/:id/framework/title': leads,
    'POST /studies/:id/framework/levels': leads,
    'POST /studies/:id/framework/levels/:number': leads,
    'POST /studies/:id/framework/levels/:number/delete': leads,
    'POST /studies/:id/framework/categories': leads,
    'POST /studies/:id/framework/categories/:categoryKey': leads,
    'POST /studies/:id/framework/categories/:categoryKey/delete': leads,
    'GET /studies/:id/framework/conditions/new': leads,
    'POST /studies/:id/framework/conditions': leads,
    'GET /studies/:id/framework/conditions/:conditionId/edit': leads,
    'POST /studies/:id/framework/conditions/:conditionId': leads,
    'POST /studies/:id/framework/conditions/:conditionId/delete': leads,
    'POST /studies/:id/framework/relations': leads,
    'POST /studies/:id/framework/relations/:relationId/delete': leads,
    'POST /studies/:id/framework/groupings': leads,
    'POST /studies/:id/framework/groupings/:groupingKey': leads,
    'POST /studies/:id/framework/groupings/:groupingKey/delete': leads,
  },
  setUp(ctx, study) {
    // A small framework, so that every framework route has something to act on.
    const f = ctx.services.framework;
    const lead = study.ids.lead;
    f.saveLevel(study.id, lead, 0, null, { number: 0, name: 'Outcome', description: '' });
    f.saveLevel(study.id, lead, 1, null, { number: 1, name: 'Cause', description: '' });
    f.saveCategory(study.id, lead, 2, null, { key: 'CAT', level: 1, name: 'Category' });
    f.saveCondition(study.id, lead, 3, null, { code: '0', level: 0, name: 'Result', polarity: 'higher-is-favourable', kind: 'measured' });
    f.saveCondition(study.id, lead, 4, null, { code: '1.a', level: 1, category: 'CAT', name: 'Cause', polarity: 'higher-is-favourable', kind: 'rated' });
    f.addRelation(study.id, lead, 5, { from: '1.a', to: '0', note: '', feedback: false });
    f.saveGrouping(study.id, lead, 6, null, { key: 'G1', name: 'Group', members: ['1.a'], reason: '' });
    const loaded = ctx.services.repos.framework.load(study.id, '', 0);
    return {
      number: '0',
      categoryKey: 'CAT',
      groupingKey: 'G1',
      conditionId: String(loaded.conditionIds.get('1.a')),
      relationId: String(ctx.services.repos.framework.relationRows(study.id)[0]!.id),
    };
  },
};
