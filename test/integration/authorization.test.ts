// Every route with the personas allowed to use it. A route registered without an entry in one of
// the sections in ./access/, or an entry without a route, fails the suite: a new route must state
// who may use it.
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginAs, makeUser, testApp, type Agent, type TestContext } from '../helpers/app.ts';
import { foundation } from './access/foundation.ts';
import { framework } from './access/framework.ts';
import { cases } from './access/cases.ts';
import { guides } from './access/guides.ts';
import { interviews } from './access/interviews.ts';
import { documents } from './access/documents.ts';
import { search } from './access/search.ts';
import { evidence } from './access/evidence.ts';
import { assignment } from './access/assignment.ts';
import { ratings } from './access/ratings.ts';
import { agreement } from './access/agreement.ts';
import { reconcile } from './access/reconcile.ts';
import { crossCase } from './access/cross-case.ts';
import { reports } from './access/reports.ts';
import { withinCase } from './access/within-case.ts';
import { anonymise } from './access/anonymise.ts';
import { exportsSection } from './access/exports.ts';
import { demo } from './access/demo.ts';
import { settingsOf } from '../../server/studies/studies.repo.ts';
import { PERSONAS, type AccessSection, type Persona, type SharedStudy } from './access/personas.ts';

/** Every feature's section; a new feature adds its file here. */
const SECTIONS: AccessSection[] = [foundation, framework, cases, guides, interviews, documents, search, evidence, assignment, ratings, reconcile, agreement, withinCase, anonymise, exportsSection, reports, demo, crossCase];
const TABLE: Record<string, Persona[]> = Object.assign({}, ...SECTIONS.map((s) => s.table));

/** Routes whose use would disturb the shared sessions; they are tested in auth.test.ts. */
const SESSION_CHANGING = new Set(['POST /logout', 'POST /login', 'POST /set-password/:token', 'POST /language']);

describe('authorisation of every route', () => {
  let ctx: TestContext;
  const agents = {} as Record<Persona, { agent: Agent; csrf: string }>;
  const params: Record<string, string> = {};
  const fill = (pattern: string) =>
    pattern.replace(/:(\w+)/g, (whole, name: string) => {
      if (!(name in params)) throw new Error(`no value for ${whole} in ${pattern}: give one from the section's setUp`);
      return encodeURIComponent(params[name]!);
    });

  beforeAll(async () => {
    ctx = testApp();
    const ids = {} as SharedStudy['ids'];
    for (const p of ['user', 'viewer', 'researcher', 'lead', 'admin'] as const) {
      ids[p] = await makeUser(ctx.services, { email: `${p}@example.org`, isAdmin: p === 'admin' });
    }
    const id = ctx.services.studies.create({ title: 'Study', question: '', language: 'nl' }, ids.lead);
    ctx.services.studies.addMember(id, 'viewer@example.org', 'viewer', ids.lead);
    ctx.services.studies.addMember(id, 'researcher@example.org', 'researcher', ids.lead);
    params.id = String(id);
    for (const section of SECTIONS) Object.assign(params, await section.setUp?.(ctx, { id, ids }));
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
      const res = await agent.post(fill(r.path)).type('form').send({ role: 'viewer', value: '1', language: 'nl' });
      expect(res.status, `${r.method.toUpperCase()} ${r.path}`).toBe(403);
    }
  });

  it('sends a signed-out visitor of a protected page to the login page', async () => {
    const res = await request(ctx.app).get(`/studies/${params.id}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/studies/${params.id}`)}`);
  });

  // Each request below is one the persona may or may not make; "denied" means a redirect to the
  // login page (signed out; GETs carry ?next=), 403 (signed in without the role) or 404 (setup
  // after the first run).
  for (const [key, allowed] of Object.entries(TABLE)) {
    const [method, pattern] = key.split(' ') as ['GET' | 'POST', string];
    if (SESSION_CHANGING.has(key)) continue;
    for (const persona of PERSONAS) {
      const expectAllowed = allowed.includes(persona);
      it(`${key} is ${expectAllowed ? 'allowed' : 'denied'} for ${persona}`, async () => {
        const { agent, csrf } = agents[persona];
        for (const section of SECTIONS) if (key in section.table) section.restore?.(ctx, key, params);
        const path = fill(pattern);
        // POST bodies are deliberately incomplete: an allowed caller gets a validation answer, not a change.
        const res = method === 'GET' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: csrf });
        const toLogin = method === 'GET' ? String(res.headers.location).startsWith('/login?next=') : res.headers.location === '/login';
        const denied = res.status === 403 || res.status === 404 || (res.status === 303 && toLogin);
        if (expectAllowed) {
          expect(denied, `${key} as ${persona} answered ${res.status} ${res.headers.location ?? ''}`).toBe(false);
          expect(res.status).toBeLessThan(500);
        } else {
          expect(denied, `${key} as ${persona} answered ${res.status}`).toBe(true);
        }
      });
    }
  }

  // Last, as it changes the shared study: the raw fieldwork opens to viewers only with the lead's setting (issue 13).
  it('opens every fieldwork route to the viewer once a lead opens the fieldwork to viewers, and only then', async () => {
    const fieldworkRoutes = ctx.app.routeTable.filter((r) => r.access.kind === 'fieldwork');
    expect(fieldworkRoutes.map((r) => r.path).sort()).toEqual([
      '/studies/:id/cases/:case/documents', '/studies/:id/documents', '/studies/:id/documents/:doc/download', '/studies/:id/evidence',
      '/studies/:id/interviews', '/studies/:id/interviews/:interview', '/studies/:id/search',
    ]);
    // Put back what the delete routes above removed.
    for (const section of SECTIONS) for (const key of Object.keys(section.table)) section.restore?.(ctx, key, params);
    const { agent } = agents.viewer;
    for (const r of fieldworkRoutes) expect((await agent.get(fill(r.path))).status, r.path).toBe(403);
    const id = Number(params.id);
    const study = ctx.services.repos.studies.findById(id)!;
    const settings = { ...settingsOf(study), viewersSeeFieldwork: true };
    ctx.services.studies.update(id, { title: study.title, question: study.question, language: study.language, settings }, ctx.services.repos.users.findByEmail('lead@example.org')!.id);
    for (const r of fieldworkRoutes) expect((await agent.get(fill(r.path))).status, r.path).toBe(200);
    const logged = ctx.services.repos.audit.listForStudy(id).filter((a) => a.action === 'update' && a.entity === 'study').at(-1)!;
    expect(JSON.parse(String(logged.after)).settings.viewersSeeFieldwork).toBe(true);
  });
});
