// Access to evidence and coverage: every member reads; researchers and leads add and delete evidence.
import type { TestContext } from '../../helpers/app.ts';
import { fieldwork, members, researchers, type AccessSection } from './personas.ts';

function addEvidence(ctx: TestContext, studyId: number): string {
  const interview = ctx.services.repos.interviews.listForStudy(studyId).find((i) => i.case_key === 'ev-case')!;
  ctx.services.evidence.add(studyId, { source: `interview:${interview.key}`, quote: 'citaat', locator: '', conditions: ['1.a'] }, null);
  return String(ctx.services.repos.evidence.list(studyId, { caseKey: 'ev-case' }).at(-1)!.id);
}

export const evidence: AccessSection = {
  table: {
    'GET /studies/:id/evidence': fieldwork,
    'GET /studies/:id/evidence/new': researchers,
    'POST /studies/:id/evidence': researchers,
    'POST /studies/:id/evidence/:evidenceId/delete': researchers,
    'GET /studies/:id/coverage': members,
    'GET /studies/:id/cases/:case/coverage': members,
  },
  // Runs after the framework and interview sections: uses condition 1.a of the shared framework.
  setUp(ctx, study) {
    ctx.services.repos.cases.insert(study.id, { key: 'ev-case', name: 'Evidenced', pseudonym: null, group: '', attributes: {}, selectionReason: '' }, 97, '2026-01-01T00:00:00Z');
    ctx.services.interviews.create(study.id, { case: 'ev-case', date: '2026-03-02', participants: 1, notes: 'n', status: 'held', roles: [], interviewers: [], conditions: ['1.a'] }, null);
    return { evidenceId: addEvidence(ctx, study.id) };
  },
  restore(ctx, route, params) {
    if (route.endsWith('/delete') && !ctx.services.repos.evidence.findById(Number(params.id), Number(params.evidenceId))) {
      params.evidenceId = addEvidence(ctx, Number(params.id));
    }
  },
};
