// Rater assignment in the browser's terms: a lead assigns raters per case (audited, before/after),
// the rules refuse a wrong count, an interview attendee as second rater and the removal of a rater
// with ratings; "assign evenly" balances loads and pairs; "my cases" shows only the user's own
// progress; both pages load from a constant number of statements.
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/framework/templates.ts';
import { settingsSchema } from '../../server/studyfile/studyfile.schema.ts';
import { ratableCodes } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

async function setUp(options: { rule?: boolean; cases?: number } = {}) {
  const ctx = testApp({ clock: () => new Date('2026-06-01T10:00:00Z') });
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  const annId = await makeUser(ctx.services, { email: 'ann@example.org', name: 'Ann Researcher' });
  const bobId = await makeUser(ctx.services, { email: 'bob@example.org', name: 'Bob Researcher' });
  const viewerId = await makeUser(ctx.services, { email: 'view@example.org', name: 'Vera Viewer' });
  const template = loadTemplate('bijstand')!;
  template.study.settings = settingsSchema.parse({ secondRaterNotAtInterviews: options.rule ?? false });
  template.members = [
    { email: 'ann@example.org', name: 'Ann Researcher', role: 'researcher' },
    { email: 'bob@example.org', name: 'Bob Researcher', role: 'researcher' },
    { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
  ];
  template.cases = Array.from({ length: options.cases ?? 3 }, (_, i) => ({ key: `c${i + 1}`, name: `Case ${i + 1}` }));
  const { studyId } = await ctx.services.studyFile.importer.run(template, { owner: leadId, actorId: leadId });
  const lead = await loginAs(ctx.app, 'lead@example.org');
  const base = `/studies/${studyId}/assignment`;
  const caseId = (key: string) => ctx.services.repos.cases.findByKey(studyId, key)!.id;
  const ratersOf = (key: string) => ctx.services.repos.cases.ratersOf(caseId(key)).map((r) => r.email);
  const assign = (key: string, raters: (number | '')[], agent = lead) =>
    agent.agent.post(`${base}/cases/${key}`).type('form').send({
      _csrf: agent.csrf, ...Object.fromEntries(raters.map((id, i) => [`rater${i + 1}`, String(id)])),
    });
  const study = ctx.services.repos.studies.findById(studyId)!;
  const framework = ctx.services.repos.framework.load(studyId, study.framework_title, study.framework_revision);
  const ratable = [...ratableCodes(framework.doc)];
  const rate = (key: string, raterId: number, code: string, submitted = false) =>
    ctx.services.repos.ratings.insert({
      caseId: caseId(key), conditionId: framework.conditionIds.get(code)!, raterId, score: 3, rationale: 'secret rationale',
      submittedAt: submitted ? '2026-06-01T09:00:00Z' : null, now: '2026-06-01T09:00:00Z',
    });
  const interview = (key: string, interviewers: number[]) =>
    ctx.services.interviews.create(studyId, { case: key, date: '2026-05-01', participants: 1, notes: '', status: 'held', roles: [], interviewers, conditions: [] }, leadId);
  return { ...ctx, studyId, leadId, annId, bobId, viewerId, lead, base, caseId, ratersOf, assign, rate, ratable, interview };
}

describe('assigning raters to a case', () => {
  it('a lead assigns two raters in order; the page shows them and the audit log has before and after', async () => {
    const { lead, base, assign, annId, bobId, ratersOf, services, studyId, caseId } = await setUp();
    const res = await assign('c1', [annId, bobId]);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base}#case-c1`);
    expect(ratersOf('c1')).toEqual(['ann@example.org', 'bob@example.org']);
    const page = await lead.agent.get(base);
    expect(page.status).toBe(200);
    expect(page.text).toContain('The raters of Case 1 are saved.'); // the case by name, not by key
    expect(page.text).toMatch(/Ann Researcher\s*<span class="muted">0 drafts, 0 submitted<\/span>/);

    // Swapping the order is a change too.
    expect((await assign('c1', [bobId, annId])).status).toBe(303);
    const entries = services.repos.audit.listForStudy(studyId).filter((a) => a.action === 'assign-raters');
    expect(entries).toHaveLength(2);
    expect(entries[1]!.entity).toBe('case');
    expect(entries[1]!.entity_id).toBe(caseId('c1'));
    expect(JSON.parse(entries[1]!.before!)).toEqual({ case: 'c1', raters: [] });
    expect(JSON.parse(entries[1]!.after!)).toEqual({ case: 'c1', raters: ['ann@example.org', 'bob@example.org'] });
    expect(JSON.parse(entries[0]!.before!)).toEqual({ case: 'c1', raters: ['ann@example.org', 'bob@example.org'] });
    expect(JSON.parse(entries[0]!.after!)).toEqual({ case: 'c1', raters: ['bob@example.org', 'ann@example.org'] });
  });

  it('clears a case when every select is empty', async () => {
    const { assign, annId, bobId, ratersOf } = await setUp();
    await assign('c1', [annId, bobId]);
    expect((await assign('c1', ['', ''])).status).toBe(303);
    expect(ratersOf('c1')).toEqual([]);
  });

  it('a researcher may not assign (403) and does not see the page', async () => {
    const { app, base, assign, annId, bobId, ratersOf } = await setUp();
    const ann = await loginAs(app, 'ann@example.org');
    expect((await assign('c1', [annId, bobId], ann)).status).toBe(403);
    expect((await ann.agent.get(base)).status).toBe(403);
    expect(ratersOf('c1')).toEqual([]);
  });

  it('refuses the wrong number of raters with 422 next to the case, keeping the choices', async () => {
    const { assign, annId, bobId, ratersOf } = await setUp();
    const one = await assign('c2', [annId, '']);
    expect(one.status).toBe(422);
    expect(one.text).toContain('Choose exactly 2 different raters, or none to clear the case.');
    // The message is in c2's row, and Ann stays chosen there.
    const row = one.text.slice(one.text.indexOf('id="case-c2"'), one.text.indexOf('id="case-c3"'));
    expect(row).toContain('role="alert"');
    expect(row).toMatch(new RegExp(`<select id="f-rater1-c2"[^>]*>[\\s\\S]*?<option value="${annId}" selected>`));
    expect((await assign('c2', [annId, annId])).text).toContain('Ann Researcher is chosen more than once.');
    expect(ratersOf('c2')).toEqual([]);
    expect((await assign('c2', [annId, bobId])).status).toBe(303);
  });

  it('refuses a member who is not a researcher or lead', async () => {
    const { assign, annId, viewerId } = await setUp();
    const res = await assign('c1', [annId, viewerId]);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Vera Viewer is not a researcher or lead of this study.');
  });

  it('with the interview rule, refuses an attendee as second rater but accepts them as first', async () => {
    const { assign, annId, bobId, ratersOf, interview, lead, base } = await setUp({ rule: true });
    interview('c1', [annId]);
    const page = await lead.agent.get(base);
    expect(page.text).toContain('a rater who attended an interview of a case cannot be its second');
    const second = await assign('c1', [bobId, annId]);
    expect(second.status).toBe(422);
    expect(second.text).toContain('Ann Researcher attended an interview of this case and so cannot be rater 2; they may be rater 1.');
    expect(second.text).toMatch(/id="f-rater2-c1-error"/);
    expect(ratersOf('c1')).toEqual([]);
    expect((await assign('c1', [annId, bobId])).status).toBe(303);
    expect(ratersOf('c1')).toEqual(['ann@example.org', 'bob@example.org']);
  });

  it('without the rule, an attendee may be second rater', async () => {
    const { assign, annId, bobId, interview } = await setUp();
    interview('c1', [annId]);
    expect((await assign('c1', [bobId, annId])).status).toBe(303);
  });

  it('refuses to remove a rater who already has ratings for the case, and shows the counts', async () => {
    const { assign, annId, bobId, leadId, ratersOf, rate, ratable, lead, base } = await setUp();
    await assign('c1', [annId, bobId]);
    rate('c1', bobId, ratable[0]!);
    rate('c1', bobId, ratable[1]!);
    rate('c1', annId, ratable[0]!, true);
    const page = await lead.agent.get(base);
    expect(page.text).toMatch(/Bob Researcher\s*<span class="muted">2 drafts, 0 submitted<\/span>/);
    expect(page.text).toMatch(/Ann Researcher\s*<span class="muted">0 drafts, 1 submitted<\/span>/);
    expect(page.text).not.toContain('secret rationale');
    const res = await assign('c1', [annId, leadId]);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Bob Researcher already has ratings for this case and cannot be removed from it.');
    expect((await assign('c1', ['', ''])).status).toBe(422);
    expect(ratersOf('c1')).toEqual(['ann@example.org', 'bob@example.org']);
    // Changing places is not a removal.
    expect((await assign('c1', [bobId, annId])).status).toBe(303);
  });
});

describe('assign evenly', () => {
  const pairsAndLoads = (lists: string[][]) => {
    const loads: Record<string, number> = {};
    const pairs: Record<string, number> = {};
    for (const l of lists) {
      for (const e of l) loads[e] = (loads[e] ?? 0) + 1;
      const key = [...l].sort().join('+');
      pairs[key] = (pairs[key] ?? 0) + 1;
    }
    return { loads, pairs };
  };

  it('over 6 cases and 3 raters gives each rater 4 cases and each pair 2, and audits every case', async () => {
    const { lead, base, ratersOf, services, studyId, leadId, annId, bobId } = await setUp({ cases: 6 });
    const res = await lead.agent.post(`${base}/even`).type('form').send({ _csrf: lead.csrf, mode: 'fill', pick: '1', raters: [leadId, annId, bobId].map(String) });
    expect(res.status).toBe(303);
    const lists = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map(ratersOf);
    expect(pairsAndLoads(lists)).toEqual({
      loads: { 'lead@example.org': 4, 'ann@example.org': 4, 'bob@example.org': 4 },
      pairs: { 'ann@example.org+lead@example.org': 2, 'ann@example.org+bob@example.org': 2, 'bob@example.org+lead@example.org': 2 },
    });
    expect((await lead.agent.get(base)).text).toContain('6 cases received raters.');
    const entries = services.repos.audit.listForStudy(studyId).filter((a) => a.action === 'assign-raters');
    expect(entries).toHaveLength(6);
    expect(JSON.parse(entries[0]!.after!)).toMatchObject({ via: 'assign-evenly' });
  });

  it('keeps existing assignments unless asked to replace those without ratings', async () => {
    const { lead, base, assign, annId, bobId, leadId, ratersOf, rate, ratable } = await setUp({ cases: 3 });
    const all = { pick: '1', raters: [leadId, annId, bobId].map(String) };
    await assign('c1', [annId, bobId]);
    await assign('c2', [annId, bobId]);
    rate('c2', annId, ratable[0]!);
    await lead.agent.post(`${base}/even`).type('form').send({ _csrf: lead.csrf, mode: 'fill', ...all });
    expect(ratersOf('c1')).toEqual(['ann@example.org', 'bob@example.org']);
    expect(ratersOf('c2')).toEqual(['ann@example.org', 'bob@example.org']);
    expect(ratersOf('c3')).toContain('lead@example.org');
    // Replace: c1 is re-balanced, c2 keeps Ann (she has a rating) and gets a second rater again.
    await lead.agent.post(`${base}/even`).type('form').send({ _csrf: lead.csrf, mode: 'replace', ...all });
    expect(ratersOf('c2')[0]).toBe('ann@example.org');
    const lists = ['c1', 'c2', 'c3'].map(ratersOf);
    expect(Object.values(pairsAndLoads(lists).loads).sort()).toEqual([2, 2, 2]);
  });

  it('keeps the interview rule', async () => {
    const { lead, base, ratersOf, interview, annId, bobId, leadId } = await setUp({ rule: true, cases: 6 });
    for (const key of ['c1', 'c2', 'c3', 'c4']) interview(key, [annId, bobId]);
    await lead.agent.post(`${base}/even`).type('form').send({ _csrf: lead.csrf, mode: 'fill', pick: '1', raters: [leadId, annId, bobId].map(String) });
    for (const key of ['c1', 'c2', 'c3', 'c4']) {
      const list = ratersOf(key);
      expect(list).toHaveLength(2);
      expect(list[1]).toBe('lead@example.org');
    }
  });

  it('uses the researchers only by default: not the lead, not an administrator', async () => {
    const { lead, base, ratersOf, leadId, annId, bobId } = await setUp({ cases: 4 });
    const page = await lead.agent.get(base);
    // The form lists the members who may rate, researchers ticked and the lead not.
    expect(page.text).toMatch(new RegExp(`id="f-rater-${annId}" name="raters" value="${annId}" checked`));
    expect(page.text).toMatch(new RegExp(`id="f-rater-${bobId}" name="raters" value="${bobId}" checked`));
    expect(page.text).toMatch(new RegExp(`id="f-rater-${leadId}" name="raters" value="${leadId}">`));
    expect(page.text).not.toContain('Vera Viewer (');
    const res = await lead.agent.post(`${base}/even`).type('form').send({ _csrf: lead.csrf, mode: 'fill', pick: '1', raters: [String(annId), String(bobId)] });
    expect(res.status).toBe(303);
    for (const key of ['c1', 'c2', 'c3', 'c4']) expect(ratersOf(key).sort()).toEqual(['ann@example.org', 'bob@example.org']);
    // A form without the boxes (a script) gets the same default.
    const other = await setUp({ cases: 2 });
    await other.lead.agent.post(`${other.base}/even`).type('form').send({ _csrf: other.lead.csrf, mode: 'fill' });
    for (const key of ['c1', 'c2']) expect(other.ratersOf(key)).not.toContain('lead@example.org');
  });

  it('an administrator who made the study (its lead) is not made a rater unless ticked', async () => {
    const { services, app, studyId, annId, bobId } = await setUp({ cases: 2 });
    const adminId = await makeUser(services, { email: 'admin@example.org', name: 'Ada Admin', isAdmin: true });
    services.studies.addMember(studyId, 'admin@example.org', 'lead', null);
    const admin = await loginAs(app, 'admin@example.org');
    const base = `/studies/${studyId}/assignment`;
    expect((await admin.agent.get(base)).text).toMatch(new RegExp(`id="f-rater-${adminId}" name="raters" value="${adminId}">`));
    await admin.agent.post(`${base}/even`).type('form').send({ _csrf: admin.csrf, mode: 'fill', pick: '1', raters: [String(annId), String(bobId)] });
    const raters = services.repos.cases.raters(studyId).map((r) => r.user_id);
    expect(raters).not.toContain(adminId);
    expect(raters.length).toBe(4);
  });

  it('uses a lead when ticked; refuses no one ticked or someone who may not rate, with a summary', async () => {
    const { lead, base, ratersOf, leadId, annId, services, studyId } = await setUp({ cases: 2 });
    const none = await lead.agent.post(`${base}/even`).type('form').send({ _csrf: lead.csrf, mode: 'fill', pick: '1' });
    expect(none.status).toBe(422);
    expect(none.text).toMatch(/<div class="error-summary"[\s\S]*href="#f-raters"[\s\S]*Tick at least one member to assign./);
    const viewerId = services.repos.users.findByEmail('view@example.org')!.id;
    const viewer = await lead.agent.post(`${base}/even`).type('form').send({ _csrf: lead.csrf, mode: 'fill', pick: '1', raters: [String(annId), String(viewerId)] });
    expect(viewer.status).toBe(422);
    expect(viewer.text).toContain('Only active members who may rate');
    // The lead's ticks are kept on the refused form.
    expect(viewer.text).toMatch(new RegExp(`id="f-rater-${annId}" name="raters" value="${annId}" checked`));
    expect(services.repos.cases.raters(studyId)).toEqual([]);
    await lead.agent.post(`${base}/even`).type('form').send({ _csrf: lead.csrf, mode: 'fill', pick: '1', raters: [String(annId), String(leadId)] });
    for (const key of ['c1', 'c2']) expect(ratersOf(key).sort()).toEqual(['ann@example.org', 'lead@example.org']);
  });

  it('refuses a form without a mode', async () => {
    const { lead, base, ratersOf } = await setUp();
    const res = await lead.agent.post(`${base}/even`).type('form').send({ _csrf: lead.csrf });
    expect(res.status).toBe(422);
    expect(ratersOf('c1')).toEqual([]);
  });
});

describe('my cases', () => {
  it('shows the user only their own cases and their own progress', async () => {
    const { app, assign, annId, bobId, leadId, rate, ratable, studyId } = await setUp();
    await assign('c1', [annId, bobId]);
    await assign('c2', [leadId, annId]);
    await assign('c3', [leadId, bobId]);
    rate('c1', annId, ratable[0]!);
    rate('c1', annId, ratable[1]!);
    for (const code of ratable) rate('c1', bobId, code, true);
    const ann = await loginAs(app, 'ann@example.org');
    const page = await ann.agent.get(`/studies/${studyId}/my-cases`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/studies/${studyId}/cases/c1"`);
    expect(page.text).toContain(`href="/studies/${studyId}/cases/c2"`);
    expect(page.text).not.toContain('Case 3');
    expect(page.text).toContain(`2 of ${ratable.length} conditions rated`);
    expect(page.text).toContain(`0 of ${ratable.length} conditions rated`);
    // Bob rated every condition and submitted; nothing of that reaches Ann.
    expect(page.text).not.toContain(`${ratable.length} of ${ratable.length}`);
    expect(page.text).not.toContain('>submitted<');
    expect(page.text).not.toContain('Bob');
    expect(page.text).not.toContain('secret rationale');
    const bob = await loginAs(app, 'bob@example.org');
    const bobs = await bob.agent.get(`/studies/${studyId}/my-cases`);
    expect(bobs.text).toContain(`${ratable.length} of ${ratable.length} conditions rated`);
    expect(bobs.text).toContain('>submitted<');
  });

  it('counts only the conditions on the rater\'s form: one a reduction dropped is left out unless they rated it', async () => {
    const { app, assign, annId, bobId, leadId, rate, ratable, studyId, services } = await setUp();
    await assign('c1', [annId, bobId]);
    await assign('c2', [annId, bobId]);
    rate('c1', annId, ratable[0]!);
    rate('c2', annId, ratable[1]!);
    const dropped = ratable[1]!;
    const conditionId = services.repos.framework.load(studyId, '', 0).conditionIds.get(dropped)!;
    services.repos.analysis.insertReduction({ studyId, conditionId, method: 1, reason: 'geen variatie', by: leadId, at: '2026-05-01T00:00:00.000Z' });
    const ann = await loginAs(app, 'ann@example.org');
    const text = (await ann.agent.get(`/studies/${studyId}/my-cases`)).text;
    // c1: the dropped condition is off Ann's form; c2: she rated it, so it stays.
    expect(text).toContain(`1 of ${ratable.length - 1} conditions rated`);
    expect(text).toContain(`1 of ${ratable.length} conditions rated`);
  });

  it('shows an empty state to a member without cases', async () => {
    const { app, studyId } = await setUp();
    const viewer = await loginAs(app, 'view@example.org');
    const page = await viewer.agent.get(`/studies/${studyId}/my-cases`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('You are not assigned to any case of this study.');
  });
});

describe('statement counts', () => {
  it('the assignment page and my cases load with the same number of statements for 3 and 20 cases', async () => {
    const { lead, base, counter, services, studyId, leadId, annId, bobId, rate, ratable, interview } = await setUp({ cases: 20, rule: true });
    const few = ['c1', 'c2', 'c3'];
    const cases = services.repos.cases.list(studyId);
    // Assign and rate only 3 cases first, then every case.
    const fill = (keys: string[]) => {
      for (const c of cases.filter((x) => keys.includes(x.key))) {
        services.assignment.save(studyId, leadId, c.key, [leadId, annId]);
        rate(c.key, annId, ratable[0]!);
        interview(c.key, [bobId]);
      }
    };
    fill(few);
    const myCases = `/studies/${studyId}/my-cases`;
    await lead.agent.get(base);
    await lead.agent.get(myCases);
    counter.reset();
    expect((await lead.agent.get(base)).status).toBe(200);
    const pageFew = counter.count;
    counter.reset();
    await lead.agent.get(myCases);
    const myFew = counter.count;
    fill(cases.map((c) => c.key).filter((k) => !few.includes(k)));
    counter.reset();
    const all = await lead.agent.get(base);
    expect(all.text.match(/<th scope="row">/g)).toHaveLength(20);
    expect(counter.count).toBe(pageFew);
    counter.reset();
    const mine = await lead.agent.get(myCases);
    expect(mine.text.match(/<th scope="row">/g)).toHaveLength(20);
    expect(counter.count).toBe(myFew);
  });
});
