// Access to cross-case analysis and complexity reduction: every member reads the cross-case page, its
// CSV and the reduction log; only leads record or revert a reduction decision. The condition is the
// framework section's 1.a (`:code`, shared with reconciliation), which belongs to grouping G1.
import type { TestContext } from '../../helpers/app.ts';
import { leads, members, type AccessSection } from './personas.ts';

/** Before each revert: 1.a has an active decision (method 3, which keeps it in every view), so an allowed revert succeeds. */
function activeDecision(ctx: TestContext, params: Record<string, string>): void {
  const studyId = Number(params.id);
  if (ctx.services.analysis.model(studyId).reductions.some((r) => r.condition === params.code)) return;
  const lead = ctx.services.repos.users.findByEmail('lead@example.org')!.id;
  ctx.services.analysis.decideReduction(studyId, params.code!, lead, { method: 3, reason: 'Access test.' });
}

export const crossCase: AccessSection = {
  table: {
    'GET /studies/:id/cross-case': members,
    'GET /studies/:id/cross-case.csv': members,
    'GET /studies/:id/reduction': members,
    'POST /studies/:id/reduction/:code': leads,
    'POST /studies/:id/reduction/:code/revert': leads,
  },
  restore(ctx, route, params) {
    if (route === 'POST /studies/:id/reduction/:code/revert') activeDecision(ctx, params);
  },
};
