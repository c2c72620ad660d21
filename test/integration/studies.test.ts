// Studies and members: creation by any user (who becomes lead), members managed by leads, the
// last lead kept, and every change written with its audit entry in one transaction.
import { describe, expect, it } from 'vitest';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

async function setUp() {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  await makeUser(ctx.services, { email: 'rater@example.org', name: 'Rob Rater' });
  const lead = await loginAs(ctx.app, 'lead@example.org');
  return { ...ctx, leadId, lead };
}

describe('studies', () => {
  it('creates a study whose creator is its lead, and shows it under my studies', async () => {
    const { lead, services, leadId } = await setUp();
    const res = await lead.agent.post('/studies').type('form').send({ _csrf: lead.csrf, title: 'Bijstand 2023', question: 'Waarom *tekorten*?', language: 'nl' });
    expect(res.status).toBe(303);
    const id = Number(/\/studies\/(\d+)$/.exec(res.headers.location!)![1]);
    expect(services.repos.studies.member(id, leadId)!.role).toBe('lead');
    const overview = await lead.agent.get(`/studies/${id}`);
    expect(overview.text).toContain('Bijstand 2023');
    expect(overview.text).toContain('Waarom <em>tekorten</em>?');
    expect((await lead.agent.get('/studies')).text).toContain(`href="/studies/${id}"`);
  });

  it('returns the form with the text kept and the problem named when the title is missing', async () => {
    const { lead, services } = await setUp();
    const res = await lead.agent.post('/studies').type('form').send({ _csrf: lead.csrf, title: '  ', question: 'Mijn lange vraag', language: 'nl' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Mijn lange vraag');
    expect(res.text).toContain('Fill in this field.');
    expect(services.repos.studies.listIdsAndTitles()).toHaveLength(0);
  });

  it('renders a research question with HTML in it as text, never as markup', async () => {
    const { lead } = await setUp();
    const res = await lead.agent.post('/studies').type('form').send({ _csrf: lead.csrf, title: '<b>t</b>', question: '<script>alert(1)</script><img src=x onerror=alert(2)>', language: 'en' });
    const page = await lead.agent.get(res.headers.location!);
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).not.toMatch(/<img[^>]*onerror/);
    expect(page.text).toContain('&lt;b&gt;t&lt;/b&gt;');
  });

  it('a non-member cannot see the study, a member can', async () => {
    const { app, lead, services, leadId } = await setUp();
    const id = services.studies.create({ title: 'S', question: '', language: 'en' }, leadId);
    const rater = await loginAs(app, 'rater@example.org');
    expect((await rater.agent.get(`/studies/${id}`)).status).toBe(403);
    expect((await rater.agent.get('/studies')).text).not.toContain(`href="/studies/${id}"`);
    await lead.agent.post(`/studies/${id}/members`).type('form').send({ _csrf: lead.csrf, email: 'rater@example.org', role: 'viewer' });
    expect((await rater.agent.get(`/studies/${id}`)).status).toBe(200);
    expect((await rater.agent.get('/studies/99999')).status).toBe(404);
  });
});

describe('members', () => {
  it('a lead adds, changes and removes members; each change is in the audit log with before and after', async () => {
    const { lead, services, leadId } = await setUp();
    const id = services.studies.create({ title: 'S', question: '', language: 'en' }, leadId);
    const raterId = services.repos.users.findByEmail('rater@example.org')!.id;
    expect((await lead.agent.post(`/studies/${id}/members`).type('form').send({ _csrf: lead.csrf, email: 'rater@example.org', role: 'researcher' })).status).toBe(303);
    expect((await lead.agent.post(`/studies/${id}/members/${raterId}`).type('form').send({ _csrf: lead.csrf, role: 'viewer' })).status).toBe(303);
    expect(services.repos.studies.member(id, raterId)!.role).toBe('viewer');
    expect((await lead.agent.post(`/studies/${id}/members/${raterId}/remove`).type('form').send({ _csrf: lead.csrf })).status).toBe(303);
    expect(services.repos.studies.member(id, raterId)).toBeUndefined();

    const log = services.repos.audit.listForStudy(id).reverse();
    expect(log.map((e) => `${e.entity}:${e.action}`)).toEqual([
      'study:create', 'membership:add', 'membership:add', 'membership:change-role', 'membership:remove',
    ]);
    const change = log[3]!;
    expect(JSON.parse(change.before!)).toEqual({ email: 'rater@example.org', role: 'researcher' });
    expect(JSON.parse(change.after!)).toEqual({ email: 'rater@example.org', role: 'viewer' });
    expect(change.actor_email).toBe('lead@example.org');
    const page = await lead.agent.get(`/studies/${id}/audit`);
    expect(page.text).toContain('role changed');
    expect(page.text).toMatch(/<span class="change-field">Role<\/span> from\s*<del>researcher<\/del>\s*to\s*<ins>viewer<\/ins>/);
    expect(page.text).toContain('Lena Lead');
  });

  it('names the problem when the email has no account, keeping the input', async () => {
    const { lead, services, leadId } = await setUp();
    const id = services.studies.create({ title: 'S', question: '', language: 'en' }, leadId);
    const res = await lead.agent.post(`/studies/${id}/members`).type('form').send({ _csrf: lead.csrf, email: 'nobody@example.org', role: 'viewer' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('nobody@example.org has no account yet. Give the person’s name and the request goes to the site administrators.');
    expect(res.text).toContain('value="nobody@example.org"');
  });

  it('keeps at least one lead', async () => {
    const { lead, services, leadId } = await setUp();
    const id = services.studies.create({ title: 'S', question: '', language: 'en' }, leadId);
    await lead.agent.post(`/studies/${id}/members/${leadId}`).type('form').send({ _csrf: lead.csrf, role: 'viewer' });
    await lead.agent.post(`/studies/${id}/members/${leadId}/remove`).type('form').send({ _csrf: lead.csrf });
    expect(services.repos.studies.member(id, leadId)!.role).toBe('lead');
    const page = await lead.agent.get(`/studies/${id}/members`);
    expect(page.text).toContain('A study needs at least one lead.');
  });

  it('a site administrator manages a study without being a member', async () => {
    const { app, services, leadId } = await setUp();
    await makeUser(services, { email: 'admin@example.org', isAdmin: true });
    const id = services.studies.create({ title: 'S', question: '', language: 'en' }, leadId);
    const admin = await loginAs(app, 'admin@example.org');
    const res = await admin.agent.post(`/studies/${id}/members`).type('form').send({ _csrf: admin.csrf, email: 'rater@example.org', role: 'researcher' });
    expect(res.status).toBe(303);
    expect((await admin.agent.get('/studies')).text).toContain(`href="/studies/${id}"`);
  });
});

describe('audit log', () => {
  it('rolls the change back when its audit entry cannot be written', async () => {
    const { services, db, leadId } = await setUp();
    db.exec("CREATE TEMP TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END");
    expect(() => services.studies.create({ title: 'Lost', question: '', language: 'en' }, leadId)).toThrow(/audit unavailable/);
    expect(services.repos.studies.listIdsAndTitles()).toHaveLength(0);
    expect(db.prepare('SELECT count(*) AS n FROM memberships').get()).toEqual({ n: 0 });
  });

  it('cannot be changed or deleted', async () => {
    const { db, services, leadId } = await setUp();
    services.studies.create({ title: 'S', question: '', language: 'en' }, leadId);
    expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});

describe('statements per page', () => {
  it('the studies list and the members page use the same number of SQL statements for 1 or 30 rows', async () => {
    const { lead, services, leadId, counter } = await setUp();
    const first = services.studies.create({ title: 'S0', question: '', language: 'en' }, leadId);
    const measure = async (path: string) => {
      counter.reset();
      expect((await lead.agent.get(path)).status).toBe(200);
      return counter.count;
    };
    const fewStudies = await measure('/studies');
    const fewMembers = await measure(`/studies/${first}/members`);
    for (let i = 1; i < 30; i++) {
      services.studies.create({ title: `S${i}`, question: '', language: 'en' }, leadId);
      await makeUser(services, { email: `m${i}@example.org`, password: null });
      services.studies.addMember(first, `m${i}@example.org`, 'viewer', leadId);
    }
    expect(await measure('/studies')).toBe(fewStudies);
    expect(await measure(`/studies/${first}/members`)).toBe(fewMembers);
    // Session, user, the two reads of "Waiting for you" (dashboard.repo.ts) and the list.
    expect(fewStudies).toBeLessThanOrEqual(6);
  });
});
