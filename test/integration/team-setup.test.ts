// Team set-up: a lead adds people by email. Without an account an administrator creates it in the
// same step (through users.repo.ts create, with a one-time link); a lead who is not an administrator
// leaves a request that administrators see on /admin/users and create-and-add or dismiss. Also the
// error summary on re-rendered forms and the condition picker's markup.
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/framework/templates.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

async function setUp() {
  const ctx = testApp({ clock: () => new Date('2026-05-20T09:30:00Z') });
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  const adminId = await makeUser(ctx.services, { email: 'admin@example.org', name: 'Ada Admin', isAdmin: true });
  await makeUser(ctx.services, { email: 'res@example.org', name: 'Rob Researcher' });
  const template = loadTemplate('bijstand')!;
  template.cases = [{ key: 'dordrecht', name: 'Dordrecht' }];
  const { studyId } = await ctx.services.studyFile.importer.run(template, { owner: leadId, actorId: leadId });
  const lead = await loginAs(ctx.app, 'lead@example.org');
  const admin = await loginAs(ctx.app, 'admin@example.org');
  const members = `/studies/${studyId}/members`;
  const memberEmails = () => ctx.services.repos.studies.members(studyId).map((m) => `${m.email}:${m.role}`).sort();
  return { ...ctx, studyId, leadId, adminId, lead, admin, members, memberEmails };
}

const summaryOf = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

describe('adding members by email', () => {
  it('adds an existing account at once, whatever the name field holds', async () => {
    const { lead, members, memberEmails } = await setUp();
    const res = await lead.agent.post(members).type('form').send({ _csrf: lead.csrf, email: 'RES@example.org', name: '', role: 'researcher' });
    expect(res.status).toBe(303);
    expect(memberEmails()).toContain('res@example.org:researcher');
  });

  it('as administrator creates the account in the same step, logged through the one account function, and shows the one-time link', async () => {
    const { admin, members, memberEmails, services, studyId, adminId } = await setUp();
    const res = await admin.agent.post(members).type('form').send({ _csrf: admin.csrf, email: 'new@example.org', name: 'Nina New', role: 'viewer' });
    expect(res.status).toBe(303);
    const page = await admin.agent.get(members);
    expect(page.text).toContain('The account of new@example.org is created and added to the study.');
    const link = /value="(http[^"]*\/set-password\/[^"]+)"/.exec(page.text)![1]!;
    expect(memberEmails()).toContain('new@example.org:viewer');
    const user = services.repos.users.findByEmail('new@example.org')!;
    expect([user.name, user.password_hash, user.is_admin]).toEqual(['Nina New', null, 0]);
    const site = services.repos.audit.listForSite().find((e) => e.entity === 'user' && e.entity_id === user.id)!;
    expect(site.action).toBe('create');
    expect(site.actor_email).toBe('admin@example.org');
    expect(JSON.parse(site.after!)).toMatchObject({ email: 'new@example.org', via: 'members-page', study: studyId });
    expect(services.repos.audit.listForStudy(studyId).some((e) => e.entity === 'membership' && e.entity_id === user.id && e.action === 'add')).toBe(true);
    // The link works: it sets the password once.
    const token = link.split('/set-password/')[1]!;
    expect(services.users.findByToken(token)?.id).toBe(user.id);
    expect(adminId).toBeGreaterThan(0);
  });

  it('asks for the name when the address has no account, with a summary and the message on the field, in both languages', async () => {
    const { lead, admin, members, memberEmails, services } = await setUp();
    const en = await lead.agent.post(members).type('form').send({ _csrf: lead.csrf, email: 'nobody@example.org', name: '', role: 'researcher' });
    expect(en.status).toBe(422);
    expect(summaryOf(en.text)).toContain('href="#f-name"');
    expect(summaryOf(en.text)).toContain('nobody@example.org has no account yet. Give the person’s name and the request goes to the site administrators.');
    expect(en.text).toContain('id="f-name-error"');
    expect(en.text).toContain('value="nobody@example.org"');
    const nl = await admin.agent.post(members).set('Accept-Language', 'nl').type('form').send({ _csrf: admin.csrf, email: 'nobody@example.org', name: ' ', role: 'researcher' });
    expect(nl.status).toBe(422);
    expect(summaryOf(nl.text)).toContain('Er is iets niet in orde');
    expect(summaryOf(nl.text)).toContain('nobody@example.org heeft nog geen account. Geef de naam van de persoon, dan wordt het account met deze stap aangemaakt.');
    expect(services.repos.users.findByEmail('nobody@example.org')).toBeUndefined();
    expect(memberEmails()).not.toContain('nobody@example.org:researcher');
  });

  it('as a lead stores a request that the lead sees, an administrator creates and adds, and the lead sees no more', async () => {
    const { app, lead, admin, members, memberEmails, services, studyId } = await setUp();
    const res = await lead.agent.post(members).type('form').send({ _csrf: lead.csrf, email: 'guest@example.org', name: 'Gert Guest', role: 'researcher' });
    expect(res.status).toBe(303);
    expect(services.repos.users.findByEmail('guest@example.org')).toBeUndefined();
    const mine = (await lead.agent.get(members)).text;
    expect(mine).toContain('the request is with the site administrators');
    expect(mine).toMatch(/Waiting for an administrator[\s\S]*Gert Guest[\s\S]*guest@example.org[\s\S]*Researcher/i);
    // The same request twice is refused.
    const again = await lead.agent.post(members).type('form').send({ _csrf: lead.csrf, email: 'guest@example.org', name: 'Gert Guest', role: 'researcher' });
    expect(again.status).toBe(422);
    expect(summaryOf(again.text)).toContain('has been requested already');

    // The administrator sees it on the accounts page…
    const users = (await admin.agent.get('/admin/users')).text;
    expect(users).toContain('Account requests from leads');
    const [, id] = /action="\/admin\/account-requests\/(\d+)\/create"/.exec(users)!;
    expect(users).toContain('Gert Guest');
    expect(users).toContain('Lena Lead');
    // …creates it and adds it, and gets the link to pass on.
    const create = await admin.agent.post(`/admin/account-requests/${id}/create`).type('form').send({ _csrf: admin.csrf });
    expect(create.status).toBe(303);
    const after = (await admin.agent.get(create.headers.location!)).text;
    expect(after).toContain('The account of guest@example.org is created and added to');
    expect(after).toMatch(/value="http[^"]*\/set-password\//);
    expect(after).not.toContain('Account requests from leads');
    expect(memberEmails()).toContain('guest@example.org:researcher');
    const user = services.repos.users.findByEmail('guest@example.org')!;
    expect(JSON.parse(services.repos.audit.listForSite().find((e) => e.entity_id === user.id && e.entity === 'user')!.after!)).toMatchObject({ via: 'account-request', study: studyId });
    expect(services.repos.audit.listForStudy(studyId).map((e) => `${e.entity}:${e.action}`)).toEqual(expect.arrayContaining(['account-request:request', 'account-request:create', 'membership:add']));
    // The request is gone from the lead's page; deciding it again is refused.
    expect((await lead.agent.get(members)).text).not.toContain('Waiting for an administrator');
    await admin.agent.post(`/admin/account-requests/${id}/create`).type('form').send({ _csrf: admin.csrf });
    expect((await admin.agent.get('/admin/users')).text).toContain('This request has been decided already.');
    // Only administrators decide.
    const leadTry = await lead.agent.post(`/admin/account-requests/${id}/dismiss`).type('form').send({ _csrf: lead.csrf });
    expect(leadTry.status).toBe(403);
    expect(app).toBeTruthy();
  });

  it('an administrator dismisses a request: nothing is created, the lead no longer sees it', async () => {
    const { lead, admin, members, services } = await setUp();
    await lead.agent.post(members).type('form').send({ _csrf: lead.csrf, email: 'maybe@example.org', name: 'May Be', role: 'viewer' });
    const [, id] = /action="\/admin\/account-requests\/(\d+)\/dismiss"/.exec((await admin.agent.get('/admin/users')).text)!;
    const res = await admin.agent.post(`/admin/account-requests/${id}/dismiss`).type('form').send({ _csrf: admin.csrf });
    expect(res.status).toBe(303);
    expect((await admin.agent.get('/admin/users')).text).toContain('The request for maybe@example.org is dismissed.');
    expect(services.repos.users.findByEmail('maybe@example.org')).toBeUndefined();
    expect((await lead.agent.get(members)).text).not.toContain('May Be');
  });

  it('the members page and the accounts page load with the same number of statements for 1 or 6 requests', async () => {
    const { lead, admin, members, services, studyId, leadId, counter } = await setUp();
    const ask = (n: number) => services.studies.addPerson(studyId, { email: `p${n}@example.org`, name: `P ${n}`, role: 'viewer' }, { id: leadId, isAdmin: false });
    ask(0);
    await lead.agent.get(members);
    counter.reset();
    await lead.agent.get(members);
    const one = counter.count;
    counter.reset();
    await admin.agent.get('/admin/users');
    const oneAdmin = counter.count;
    for (let n = 1; n < 6; n++) ask(n);
    counter.reset();
    expect((await lead.agent.get(members)).text.match(/@example.org<\/td><td[^>]*>Viewer/gi)?.length).toBe(6);
    expect(counter.count).toBe(one);
    counter.reset();
    await admin.agent.get('/admin/users');
    expect(counter.count).toBe(oneAdmin);
  });
});

describe('error summaries on re-rendered forms', () => {
  it('the new-account form and the study form show a summary linking to their fields', async () => {
    const { admin, lead, app } = await setUp();
    const account = await admin.agent.post('/admin/users').type('form').send({ _csrf: admin.csrf, name: '', email: 'not-an-address' });
    expect(account.status).toBe(422);
    expect(summaryOf(account.text)).toContain('href="#f-name"');
    expect(summaryOf(account.text)).toContain('href="#f-email"');
    const study = await lead.agent.post('/studies').type('form').send({ _csrf: lead.csrf, title: '', question: '', language: 'en' });
    expect(study.status).toBe(422);
    expect(summaryOf(study.text)).toContain('href="#f-title"');
    expect(app).toBeTruthy();
  });
});

describe('the condition picker', () => {
  it('shows a marker-bearing group per level with its count, the total chosen, and the filter box for JavaScript', async () => {
    const { lead, studyId } = await setUp();
    const form = await lead.agent.get(`/studies/${studyId}/evidence/new?source=`);
    const html = form.status === 200 ? form.text : (await lead.agent.get(`/studies/${studyId}/interviews/new?case=dordrecht`)).text;
    expect(html).toContain('data-condition-picker');
    expect(html).toContain('id="f-conditions"');
    expect(html).toMatch(/<p class="picker-count" id="f-conditions-count"[^>]*>0 selected<\/p>/);
    expect(html).toMatch(/<details class="picker-group" data-picker-group>\s*<summary>/);
    expect(html).toMatch(/0 of \d+ selected/);
    expect(html).toContain('data-picker-filter hidden');
    expect(html).toContain('/static/js/condition-picker.js');
  });

  it('opens the groups with chosen conditions and counts them on a refused interview form', async () => {
    const { lead, studyId } = await setUp();
    const res = await lead.agent.post(`/studies/${studyId}/interviews`).type('form').send({
      _csrf: lead.csrf, case: 'dordrecht', date: '2026-05-12', participants: 'x', status: 'held', notes: '', conditions: ['2.a', '2.b'],
    });
    expect(res.status).toBe(422);
    expect(summaryOf(res.text)).toContain('Number of participants: ');
    expect(res.text).toMatch(/>2 selected<\/p>/);
    expect(res.text).toMatch(/<details class="picker-group" data-picker-group open>[\s\S]*?has-chosen[^>]*>2 of \d+ selected/);
  });
});
