// Access to interviews: every member reads them, researchers and leads log and edit, leads delete.
import type { TestContext } from '../../helpers/app.ts';
import { fieldwork, leads, researchers, type AccessSection } from './personas.ts';

function logInterview(ctx: TestContext, studyId: number, actorId: number | null): string {
  const form = { case: 'int-case', date: '2026-03-01', participants: 1, notes: 'n', status: 'held' as const, roles: [], interviewers: [], conditions: [] };
  return ctx.services.interviews.create(studyId, form, actorId);
}

export const interviews: AccessSection = {
  table: {
    'GET /studies/:id/interviews': fieldwork,
    'GET /studies/:id/interviews/new': researchers,
    'POST /studies/:id/interviews': researchers,
    'GET /studies/:id/interviews/:interview': fieldwork,
    'GET /studies/:id/interviews/:interview/edit': researchers,
    'POST /studies/:id/interviews/:interview': researchers,
    'POST /studies/:id/interviews/:interview/status': researchers,
    'POST /studies/:id/interviews/:interview/delete': leads,
  },
  setUp(ctx, study) {
    ctx.services.repos.cases.insert(study.id, { key: 'int-case', name: 'Interviewed', pseudonym: null, group: '', attributes: {}, selectionReason: '' }, 99, '2026-01-01T00:00:00Z');
    return { interview: logInterview(ctx, study.id, study.ids.lead) };
  },
  restore(ctx, route, params) {
    if (route.endsWith('/delete') && !ctx.services.repos.interviews.findByKey(Number(params.id), params.interview!)) {
      params.interview = logInterview(ctx, Number(params.id), null);
    }
  },
};
