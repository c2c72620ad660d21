// Interviews: logging one for a case, its page with sanitised notes, status steps with dates,
// editing with optimistic concurrency (a stale form keeps the text), and removal by a lead.
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/framework/templates.ts';
import { settingsOf } from '../../server/studies/studies.repo.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

async function setUp() {
  const ctx = testApp({ clock: () => new Date('2026-05-20T09:30:00Z') });
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  const resId = await makeUser(ctx.services, { email: 'res@example.org', name: 'Rob Researcher' });
  await makeUser(ctx.services, { email: 'view@example.org', name: 'Vera Viewer' });
  const template = loadTemplate('bijstand')!;
  template.members = [
    { email: 'res@example.org', name: 'Rob Researcher', role: 'researcher' },
    { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
  ];
  template.cases = [{ key: 'dordrecht', name: 'Dordrecht' }, { key: 'zwolle', name: 'Zwolle' }];
  const { studyId } = await ctx.services.studyFile.importer.run(template, { owner: leadId, actorId: leadId });
  const roles = ctx.services.repos.guides.roles(studyId);
  const researcher = await loginAs(ctx.app, 'res@example.org');
  const base = `/studies/${studyId}/interviews`;
  return { ...ctx, studyId, leadId, resId, roles, researcher, base };
}

const form = (over: Record<string, unknown> = {}) => ({
  case: 'dordrecht', date: '2026-05-12', participants: '2', status: 'held', notes: 'Gesprek met de wethouder.', ...over,
});

describe('logging an interview', () => {
  it('a researcher logs an interview for a case; its page shows roles, interviewers, conditions and the notes', async () => {
    const { researcher, base, roles, resId, services, studyId } = await setUp();
    const res = await researcher.agent.post(base).type('form').send({
      _csrf: researcher.csrf, ...form({ notes: '## Instroom\n\nDe poort is **streng**.' }),
      roles: [String(roles[0]!.id), String(roles[1]!.id)], interviewers: String(resId), conditions: ['2.a', '3.b'],
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base}/dordrecht-1?saved=1`);
    const page = await researcher.agent.get(`${base}/dordrecht-1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(roles[0]!.name);
    expect(page.text).toContain('Rob Researcher');
    expect(page.text).toContain('#c-2.a');
    expect(page.text).toContain('<h2>Instroom</h2>');
    expect(page.text).toContain('<strong>streng</strong>');
    // …the cases list counts it as fieldwork progress…
    expect((await researcher.agent.get(`/studies/${studyId}/cases`)).text).toContain('1 interview(s) held, 0 approved, 0 document(s)');
    // …and the case page lists it.
    expect((await researcher.agent.get(`/studies/${studyId}/cases/dordrecht`)).text).toContain(`href="/studies/${studyId}/interviews/dordrecht-1"`);
    // Held, with the interview date as the date of that step.
    expect(page.text).toMatch(/Held on<\/dt><dd>2026-05-12/);
    const entry = services.repos.audit.listForStudy(studyId)[0]!;
    expect(entry.entity).toBe('interview');
    expect(JSON.parse(entry.after!)).toMatchObject({ case: 'dordrecht', status: 'held', conditions: ['2.a', '3.b'] });
  });

  it('numbers interview keys per case', async () => {
    const { services, studyId, resId } = await setUp();
    const log = (c: string) => services.interviews.create(studyId, { case: c, date: null, participants: 1, notes: '', status: 'planned', roles: [], interviewers: [resId], conditions: [] }, resId);
    expect([log('dordrecht'), log('dordrecht'), log('zwolle')]).toEqual(['dordrecht-1', 'dordrecht-2', 'zwolle-1']);
  });

  it('gives every step up to the status a date, today when left empty, and refuses dates that go back', async () => {
    const { researcher, base, services, studyId } = await setUp();
    await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form({ status: 'sent', drafted_on: '2026-05-14' }) });
    const row = services.repos.interviews.findByKey(studyId, 'dordrecht-1')!;
    expect([row.held_on, row.drafted_on, row.sent_on, row.approved_on]).toEqual(['2026-05-12', '2026-05-14', '2026-05-20', null]);
    const back = await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form({ status: 'drafted', drafted_on: '2026-05-01', notes: 'bewaar mij' }) });
    expect(back.status).toBe(422);
    expect(back.text).toContain('A step cannot be dated before the step that comes before it (2026-05-12).');
    expect(back.text).toContain('bewaar mij');
  });

  it('refuses unknown conditions and cases with the problem named and the input kept', async () => {
    const { researcher, base } = await setUp();
    const res = await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form({ case: 'nowhere', notes: 'mijn aantekeningen' }), conditions: ['9.z'] });
    expect(res.status).toBe(422);
    expect(res.text).toContain('This case does not exist in the study.');
    expect(res.text).toContain('Unknown condition codes: 9.z.');
    expect(res.text).toContain('mijn aantekeningen');
  });
});

describe('editing with optimistic concurrency', () => {
  it('refuses a form saved on an older version and gives the user’s text back', async () => {
    const { app, researcher, base, services, studyId } = await setUp();
    await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form() });
    const lead = await loginAs(app, 'lead@example.org');
    // Both open the form at version 1; the lead saves first.
    expect((await lead.agent.post(`${base}/dordrecht-1`).type('form').send({ _csrf: lead.csrf, version: '1', ...form({ notes: 'Versie van de projectleider' }) })).status).toBe(303);
    const stale = await researcher.agent.post(`${base}/dordrecht-1`).type('form').send({ _csrf: researcher.csrf, version: '1', ...form({ notes: 'Mijn lange verslag dat niet verloren mag gaan' }) });
    expect(stale.status).toBe(422);
    expect(stale.text).toContain('Someone else saved this interview after you opened it.');
    expect(stale.text).toContain('Mijn lange verslag dat niet verloren mag gaan');
    expect(services.repos.interviews.findByKey(studyId, 'dordrecht-1')!.notes).toBe('Versie van de projectleider');
    const fresh = await researcher.agent.post(`${base}/dordrecht-1`).type('form').send({ _csrf: researcher.csrf, version: '2', ...form({ notes: 'Samengevoegd' }) });
    expect(fresh.status).toBe(303);
    expect(services.repos.interviews.findByKey(studyId, 'dordrecht-1')!.version).toBe(3);
  });

  it('the edit form carries the version and the draft key; the page after a save tells the browser to drop its copy', async () => {
    const { researcher, base, studyId, resId } = await setUp();
    await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form() });
    const edit = await researcher.agent.get(`${base}/dordrecht-1/edit`);
    expect(edit.text).toContain('name="version" value="1"');
    // The kept copy belongs to this user: another account on the same computer never gets it.
    expect(edit.text).toContain(`data-draft-key="kader:interview:${resId}:${studyId}:dordrecht-1"`);
    const after = await researcher.agent.get(`${base}/dordrecht-1?saved=1`);
    expect(after.text).toContain(`data-draft-saved="kader:interview:${resId}:${studyId}:dordrecht-1"`);
  });
});

describe('notes are Markdown, never HTML', () => {
  const corpus = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[x](javascript:alert(1))',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    '<svg><script>alert(1)</script></svg>',
    '<div style="position:fixed">x</div>',
  ];
  it('shows every payload of the corpus harmlessly on the interview page', async () => {
    const { researcher, base } = await setUp();
    await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form({ notes: corpus.join('\n\n') }) });
    const page = await researcher.agent.get(`${base}/dordrecht-1`);
    const notes = /<div class="prose notes">([\s\S]*?)<\/div>\s*<\/section>/.exec(page.text)![1]!;
    expect(notes).not.toMatch(/<script|<iframe|<svg|<img/i);
    expect(notes).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(notes).not.toMatch(/href="\s*javascript:/i);
    expect(notes).not.toMatch(/style=/i);
  });
});

describe('who may do what', () => {
  it('an interview quoted in evidence can neither be deleted nor moved to another case', async () => {
    const { app, researcher, base, services, studyId, leadId } = await setUp();
    await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form() });
    services.evidence.add(studyId, { source: 'interview:dordrecht-1', quote: 'citaat', locator: '', conditions: ['2.a'] }, leadId);
    const lead = await loginAs(app, 'lead@example.org');
    const del = await lead.agent.post(`${base}/dordrecht-1/delete`).type('form').send({ _csrf: lead.csrf });
    expect(del.status).toBe(303);
    expect((await lead.agent.get(del.headers.location!)).text).toContain('quoted in 1 evidence item(s)');
    const move = await researcher.agent.post(`${base}/dordrecht-1`).type('form').send({ _csrf: researcher.csrf, version: '1', ...form({ case: 'zwolle' }) });
    expect(move.status).toBe(422);
    expect(move.text).toContain('cannot move to another case');
    expect(services.repos.interviews.findByKey(studyId, 'dordrecht-1')!.case_key).toBe('dordrecht');
  });

  it('a viewer reads interviews only where a lead opened the fieldwork, and never logs or edits one; a lead deletes one (logged)', async () => {
    const { app, researcher, base, services, studyId } = await setUp();
    await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form() });
    const viewer = await loginAs(app, 'view@example.org');
    expect((await viewer.agent.get(`${base}/dordrecht-1`)).status).toBe(403);
    const study = services.repos.studies.findById(studyId)!;
    const leadId = services.repos.users.findByEmail('lead@example.org')!.id;
    services.studies.update(studyId, { title: study.title, question: study.question, language: study.language, settings: { ...settingsOf(study), viewersSeeFieldwork: true } }, leadId);
    expect((await viewer.agent.get(`${base}/dordrecht-1`)).status).toBe(200);
    expect((await viewer.agent.get(`${base}/new`)).status).toBe(403);
    expect((await viewer.agent.post(`${base}/dordrecht-1`).type('form').send({ _csrf: viewer.csrf, version: '1', ...form() })).status).toBe(403);
    expect((await researcher.agent.post(`${base}/dordrecht-1/delete`).type('form').send({ _csrf: researcher.csrf })).status).toBe(403);
    const lead = await loginAs(app, 'lead@example.org');
    expect((await lead.agent.post(`${base}/dordrecht-1/delete`).type('form').send({ _csrf: lead.csrf })).status).toBe(303);
    expect(services.repos.interviews.findByKey(studyId, 'dordrecht-1')).toBeUndefined();
    expect(services.repos.audit.listForStudy(studyId)[0]!.action).toBe('delete');
  });

  it('the study’s interview list costs the same number of statements for 1 or 20 interviews', async () => {
    const { researcher, base, services, studyId, resId, counter } = await setUp();
    const log = () => services.interviews.create(studyId, { case: 'zwolle', date: '2026-01-02', participants: 1, notes: 'x', status: 'held', roles: [], interviewers: [resId], conditions: ['2.a'] }, resId);
    log();
    counter.reset();
    await researcher.agent.get(base);
    const one = counter.count;
    for (let i = 0; i < 19; i++) log();
    counter.reset();
    const page = await researcher.agent.get(base);
    expect(page.text.match(/<tr>/g)!.length).toBe(21);
    expect(counter.count).toBe(one);
  });
});
