// Access to reconciliation: the queue and an item's page for leads and the case's raters (another
// researcher sees an empty queue, and 403 on an item), final scores, the bulk rule (its preview too) and sign-off for
// leads, the thread for leads and the case's raters, the final scores CSV for every member.
import type { TestContext } from '../../helpers/app.ts';
import { leads, members, researchers, type AccessSection, type Persona } from './personas.ts';

const leadsAndTheCaseRater: Persona[] = ['researcher', 'lead', 'admin'];

/** The route's case, rated by the researcher (1) and the second rater (3) and submitted by both: every item disagrees. */
function readyWithDisagreement(ctx: TestContext, params: Record<string, string>): void {
  const { repos } = ctx.services;
  const studyId = Number(params.id);
  const caseRow = repos.cases.findByKey(studyId, params.case!)!;
  const raters = [Number(params.rater), Number(params.secondRater)];
  if (repos.cases.ratersOf(caseRow.id).map((r) => r.user_id).join(',') !== raters.join(',')) repos.assignment.setRaters(caseRow.id, raters);
  const ratable = ctx.db
    .prepare<[number], { id: number }>("SELECT id FROM conditions k WHERE study_id = ? AND kind = 'rated' AND NOT EXISTS (SELECT 1 FROM conditions ch WHERE ch.parent_id = k.id)")
    .all(studyId);
  const now = new Date().toISOString();
  raters.forEach((raterId, i) => {
    for (const { id } of ratable) repos.ratings.saveDraft({ caseId: caseRow.id, conditionId: id, raterId, score: 1 + 2 * i, reason: null, rationale: 'access', now });
    repos.ratings.submit(caseRow.id, raterId, now);
  });
}

export const reconcile: AccessSection = {
  table: {
    'GET /studies/:id/reconcile': researchers,
    'GET /studies/:id/reconcile/bulk': leads,
    'POST /studies/:id/reconcile/bulk': leads,
    'GET /studies/:id/reconcile/cases/:case/items/:code': leadsAndTheCaseRater,
    'POST /studies/:id/reconcile/cases/:case/items/:code': leads,
    'POST /studies/:id/reconcile/cases/:case/items/:code/comments': leadsAndTheCaseRater,
    'POST /studies/:id/reconcile/cases/:case/sign-off': leads,
    'GET /studies/:id/final-scores.csv': members,
  },
  // The rated condition of the framework section.
  setUp: () => ({ code: '1.a' }),
  restore(ctx, _route, params) {
    readyWithDisagreement(ctx, params);
  },
};
