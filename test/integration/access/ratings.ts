// Access to rating: only an assigned rater rates a case (a lead or administrator who is not assigned
// gets 403); leads see a case's ratings page, reopen a rater's submission and unblind a case, and
// import ratings from CSV; every member downloads the ratings CSV (only what they may see).
import { makeUser, type TestContext } from '../../helpers/app.ts';
import { leads, members, type AccessSection, type Persona } from './personas.ts';

const assignedRaters: Persona[] = ['researcher'];

function assign(ctx: TestContext, params: Record<string, string>): void {
  const caseRow = ctx.services.repos.cases.findByKey(Number(params.id), params.case!)!;
  const want = [Number(params.rater), Number(params.secondRater)];
  const now = ctx.services.repos.cases.ratersOf(caseRow.id).map((r) => r.user_id);
  if (now.join(',') !== want.join(',')) ctx.services.repos.assignment.setRaters(caseRow.id, want);
}

export const ratings: AccessSection = {
  table: {
    'GET /studies/:id/cases/:case/rate': assignedRaters,
    'POST /studies/:id/cases/:case/rate': assignedRaters,
    'POST /studies/:id/cases/:case/rate/submit': assignedRaters,
    'GET /studies/:id/cases/:case/ratings': leads,
    'POST /studies/:id/cases/:case/raters/:rater/reopen': leads,
    'POST /studies/:id/cases/:case/unblind': leads,
    'GET /studies/:id/ratings.csv': members,
    'GET /studies/:id/ratings/import': leads,
    'POST /studies/:id/ratings/import': leads,
  },
  // Runs after the cases section: its case k1 gets the researcher and a second researcher as raters.
  async setUp(ctx, study) {
    const second = await makeUser(ctx.services, { email: 'second-rater@example.org' });
    ctx.services.studies.addMember(study.id, 'second-rater@example.org', 'researcher', study.ids.lead);
    const params = { id: String(study.id), case: 'k1', rater: String(study.ids.researcher), secondRater: String(second) };
    assign(ctx, params);
    return { rater: params.rater, secondRater: params.secondRater };
  },
  // The assignment section's requests may clear k1's raters: put them back.
  restore(ctx, _route, params) {
    assign(ctx, params);
  },
};
