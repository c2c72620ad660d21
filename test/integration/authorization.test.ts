// Every route with the personas allowed to use it. A route registered without an entry here, or
// an entry without a route, fails the suite: a new route must state who may use it.
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginAs, makeUser, testApp, type Agent, type TestContext } from '../helpers/app.ts';

type Persona = 'anonymous' | 'user' | 'viewer' | 'researcher' | 'lead' | 'admin';
const PERSONAS: Persona[] = ['anonymous', 'user', 'viewer', 'researcher', 'lead', 'admin'];

const everyone: Persona[] = PERSONAS;
const signedIn: Persona[] = ['user', 'viewer', 'researcher', 'lead', 'admin'];
const members: Persona[] = ['viewer', 'researcher', 'lead', 'admin'];
const leads: Persona[] = ['lead', 'admin'];
const admins: Persona[] = ['admin'];
const nobodyOnceSetUp: Persona[] = [];

/** "METHOD path" → who may use it. `:id` is a study every member persona belongs to. */
const TABLE: Record<string, Persona[]> = {
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
  'GET /studies/:id/framework': members,
  'GET /studies/:id/framework/edit': leads,
  'POST /studies/:id/framework/title': leads,
  'POST /studies/:id/framework/levels': leads,
  'POST /studies/:id/framework/levels/:number': leads,
  'POST /studies/:id/framework/levels/:number/delete': leads,
  'POST /studies/:id/framework/categories': leads,
  'POST /studies/:id/framework/categories/:key': leads,
  'POST /studies/:id/framework/categories/:key/delete': leads,
  'GET /studies/:id/framework/conditions/new': leads,
  'POST /studies/:id/framework/conditions': leads,
  'GET /studies/:id/framework/conditions/:conditionId/edit': leads,
  'POST /studies/:id/framework/conditions/:conditionId': leads,
  'POST /studies/:id/framework/conditions/:conditionId/delete': leads,
  'POST /studies/:id/framework/relations': leads,
  'POST /studies/:id/framework/relations/:relationId/delete': leads,
  'POST /studies/:id/framework/groupings': leads,
  'POST /studies/:id/framework/groupings/:key': leads,
  'POST /studies/:id/framework/groupings/:key/delete': leads,
};

describe('authorisation of every route', () => {
  let ctx: TestContext;
  const agents = {} as Record<Persona, { agent: Agent; csrf: string }>;
  let studyId: number;
  let targetUserId: number;
  let conditionId: number;
  let relationId: number;
  /** A concrete path for a route pattern, with ids of things that exist in the study. */
  const fill = (pattern: string) =>
    pattern
      .replace(':id', String(studyId))
      .replace(':userId', String(targetUserId))
      .replace(':token', 'not-a-real-token')
      .replace(':number', '0')
      .replace(':conditionId', String(conditionId))
      .replace(':relationId', String(relationId))
      .replace(':key', pattern.includes('/groupings/') ? 'G1' : 'CAT');

  beforeAll(async () => {
    ctx = testApp();
    const ids: Record<string, number> = {};
    for (const p of ['user', 'viewer', 'researcher', 'lead', 'admin'] as const) {
      ids[p] = await makeUser(ctx.services, { email: `${p}@example.org`, isAdmin: p === 'admin' });
    }
    targetUserId = await makeUser(ctx.services, { email: 'target@example.org' });
    studyId = ctx.services.studies.create({ title: 'Study', question: '', language: 'nl' }, ids.lead!);
    ctx.services.studies.addMember(studyId, 'viewer@example.org', 'viewer', ids.lead!);
    ctx.services.studies.addMember(studyId, 'researcher@example.org', 'researcher', ids.lead!);
    ctx.services.studies.addMember(studyId, 'target@example.org', 'viewer', ids.lead!);
    // A small framework, so that every framework route has something to act on.
    const f = ctx.services.framework;
    f.saveLevel(studyId, ids.lead!, 0, null, { number: 0, name: 'Outcome', description: '' });
    f.saveLevel(studyId, ids.lead!, 1, null, { number: 1, name: 'Cause', description: '' });
    f.saveCategory(studyId, ids.lead!, 2, null, { key: 'CAT', level: 1, name: 'Category' });
    f.saveCondition(studyId, ids.lead!, 3, null, { code: '0', level: 0, name: 'Result', polarity: 'higher-is-favourable', kind: 'measured' });
    f.saveCondition(studyId, ids.lead!, 4, null, { code: '1.a', level: 1, category: 'CAT', name: 'Cause', polarity: 'higher-is-favourable', kind: 'rated' });
    f.addRelation(studyId, ids.lead!, 5, { from: '1.a', to: '0', note: '', feedback: false });
    f.saveGrouping(studyId, ids.lead!, 6, null, { key: 'G1', name: 'Group', members: ['1.a'], reason: '' });
    conditionId = ctx.services.repos.framework.load(studyId, '', 0).conditionIds.get('1.a')!;
    relationId = ctx.services.repos.framework.relationRows(studyId)[0]!.id;
    const anonymous = request.agent(ctx.app);
    const anonymousCsrf = /<meta name="csrf-token" content="([^"]+)">/.exec((await anonymous.get('/login')).text)![1]!;
    agents.anonymous = { agent: anonymous, csrf: anonymousCsrf };
    for (const p of ['user', 'viewer', 'researcher', 'lead', 'admin'] as const) agents[p] = await loginAs(ctx.app, `${p}@example.org`);
  });

  it('has an entry for every registered route and a route for every entry', () => {
    const registered = ctx.app.routeTable.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    expect(registered).toEqual(Object.keys(TABLE).sort());
  });

  it('every route that changes something refuses a request without the CSRF token with 403', async () => {
    const { agent } = agents.admin;
    for (const r of ctx.app.routeTable.filter((r) => r.method !== 'get' && r.access.kind !== 'setup')) {
      const path = fill(r.path);
      const res = await agent.post(path).type('form').send({ role: 'viewer', value: '1', language: 'nl' });
      expect(res.status, `${r.method.toUpperCase()} ${r.path}`).toBe(403);
    }
  });

  it('sends a signed-out visitor of a protected page to the login page', async () => {
    const res = await request(ctx.app).get(`/studies/${studyId}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/studies/${studyId}`)}`);
  });

  // Each request below is one the persona may or may not make; "denied" means a redirect to the
  // login page (signed out; GETs carry ?next=), 403 (signed in without the role) or 404 (setup
  // after the first run).
  for (const [key, allowed] of Object.entries(TABLE)) {
    const [method, pattern] = key.split(' ') as ['GET' | 'POST', string];
    for (const persona of PERSONAS) {
      // Logging out or changing sessions would disturb the shared agents; those routes are tested elsewhere.
      if (key === 'POST /logout' || key === 'POST /login' || key.startsWith('POST /set-password') || key === 'POST /language') continue;
      const expectAllowed = allowed.includes(persona);
      it(`${key} is ${expectAllowed ? 'allowed' : 'denied'} for ${persona}`, async () => {
        const path = fill(pattern);
        const { agent, csrf } = agents[persona];
        // Removal needs someone to remove: put the target back before each attempt.
        if (key.endsWith('/remove') && !ctx.services.repos.studies.member(studyId, targetUserId)) {
          ctx.services.studies.addMember(studyId, 'target@example.org', 'viewer', null);
        }
        // POST bodies are deliberately incomplete: an allowed caller gets a validation answer, not a change.
        const res = method === 'GET' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: csrf });
        const toLogin = method === 'GET' ? String(res.headers.location).startsWith('/login?next=') : res.headers.location === '/login';
        const deniedStatus = res.status === 403 || res.status === 404 || (res.status === 303 && toLogin);
        if (expectAllowed) {
          expect(deniedStatus, `${key} as ${persona} answered ${res.status} ${res.headers.location ?? ''}`).toBe(false);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(deniedStatus, `${key} as ${persona} answered ${res.status}`).toBe(true);
        }
      });
    }
  }
});
