// Access to the foundation's routes: sign-in, accounts, studies and members.
import { makeUser, type TestContext } from '../../helpers/app.ts';
import { admins, everyone, leads, members, nobodyOnceSetUp, signedIn, type AccessSection } from './personas.ts';

let requests = 0;
/** A pending account request in the study, as a lead who is not an administrator leaves one; returns its id. */
function requestAccount(ctx: TestContext, studyId: number, leadId: number | null): number {
  leadId ??= ctx.services.repos.studies.members(studyId).find((m) => m.role === 'lead')!.user_id;
  const email = `requested-${++requests}@example.org`;
  ctx.services.studies.addPerson(studyId, { email, name: 'Requested Person', role: 'researcher' }, { id: leadId, isAdmin: false });
  return ctx.services.repos.accountRequests.pendingForStudy(studyId).find((r) => r.email === email)!.id;
}

export const foundation: AccessSection = {
  table: {
    'GET /healthz': everyone,
    'GET /': everyone,
    'GET /login': everyone,
    'POST /login': everyone,
    'POST /logout': everyone,
    'GET /setup': nobodyOnceSetUp,
    'POST /setup': nobodyOnceSetUp,
    'GET /set-password/:token': everyone,
    'POST /set-password/:token': everyone,
    'POST /language': everyone,
    'GET /account': signedIn,
    'POST /account': signedIn,
    'POST /account/password': signedIn,
    'GET /admin/users': admins,
    'POST /admin/users': admins,
    'GET /admin/users/:userId': admins,
    'POST /admin/users/:userId/active': admins,
    'POST /admin/users/:userId/admin': admins,
    'POST /admin/users/:userId/reset-password': admins,
    'POST /admin/account-requests/:requestId/create': admins,
    'POST /admin/account-requests/:requestId/dismiss': admins,
    'GET /admin/audit': admins,
    'GET /studies': signedIn,
    'GET /studies/new': signedIn,
    'POST /studies': signedIn,
    'GET /studies/:id': members,
    'GET /studies/:id/edit': leads,
    'POST /studies/:id': leads,
    'GET /studies/:id/members': members,
    'POST /studies/:id/members': leads,
    'POST /studies/:id/members/:userId': leads,
    'POST /studies/:id/members/:userId/remove': leads,
    'GET /studies/:id/audit': leads,
    'GET /studies/import': signedIn,
    'POST /studies/import': signedIn,
    'GET /studies/:id/export.json': leads,
  },
  async setUp(ctx, study) {
    const userId = await makeUser(ctx.services, { email: 'target@example.org' });
    ctx.services.studies.addMember(study.id, 'target@example.org', 'viewer', study.ids.lead);
    return { userId: String(userId), token: 'not-a-real-token', requestId: String(requestAccount(ctx, study.id, study.ids.lead)) };
  },
  restore(ctx, route, params) {
    // A decided request is decided for good: ask again, under a new address, for the next persona.
    if (route.startsWith('POST /admin/account-requests/') && !ctx.services.repos.accountRequests.findPending(Number(params.requestId))) {
      params.requestId = String(requestAccount(ctx, Number(params.id), null));
    }
    if (route.endsWith('/members/:userId/remove') && !ctx.services.repos.studies.member(Number(params.id), Number(params.userId))) {
      ctx.services.studies.addMember(Number(params.id), 'target@example.org', 'viewer', null);
    }
  },
};
