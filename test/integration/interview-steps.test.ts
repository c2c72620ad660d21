// Interview status steps: one click per step on the interview page, dated today unless another day
// is chosen; the date rules (never in the future, "held" never before the interview's date, never
// before the previous step) in both the one-click steps and the edit form, with an error summary at
// the top and the message on the field; the version check; the audit entry.
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/framework/templates.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

const TODAY = '2026-05-20';

async function setUp() {
  const ctx = testApp({ clock: () => new Date(`${TODAY}T09:30:00Z`) });
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  const resId = await makeUser(ctx.services, { email: 'res@example.org', name: 'Rob Researcher' });
  await makeUser(ctx.services, { email: 'view@example.org', name: 'Vera Viewer' });
  const template = loadTemplate('bijstand')!;
  template.members = [
    { email: 'res@example.org', name: 'Rob Researcher', role: 'researcher' },
    { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
  ];
  template.cases = [{ key: 'dordrecht', name: 'Dordrecht' }];
  const { studyId } = await ctx.services.studyFile.importer.run(template, { owner: leadId, actorId: leadId });
  const researcher = await loginAs(ctx.app, 'res@example.org');
  const base = `/studies/${studyId}/interviews`;
  const log = (date: string | null, status: 'planned' | 'held' = 'planned') =>
    ctx.services.interviews.create(studyId, { case: 'dordrecht', date, participants: 1, notes: 'Aantekeningen', status, roles: [], interviewers: [resId], conditions: [] }, resId);
  const row = (key: string) => ctx.services.repos.interviews.findByKey(studyId, key)!;
  return { ...ctx, studyId, leadId, resId, researcher, base, log, row };
}

/** The error summary at the top of a page, or '' when there is none. */
const summaryOf = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

describe('one-click status steps on the interview page', () => {
  it('offers the next step with today as its date and moves through every step to approved, each logged', async () => {
    const { researcher, base, log, row, services, studyId } = await setUp();
    const key = log('2026-05-12');
    const page = await researcher.agent.get(`${base}/${key}`);
    expect(page.text).toContain(`action="${base}/${key}/status"`);
    expect(page.text).toContain('Mark as held');
    // "Held" starts at the interview's date, which has passed; the picker stops at today.
    expect(page.text).toMatch(/name="on" value="2026-05-12"[^>]* max="2026-05-20"/);

    const steps: [string, string, string][] = [['held', '2026-05-12', 'Report drafted'], ['drafted', '', 'Sent for approval'], ['sent', '2026-05-20', 'Approved'], ['approved', '', '']];
    for (const [i, [step, on, nextLabel]] of steps.entries()) {
      const res = await researcher.agent.post(`${base}/${key}/status`).type('form').send({ _csrf: researcher.csrf, version: String(i + 1), step, on });
      expect(res.status, step).toBe(303);
      const after = await researcher.agent.get(res.headers.location!);
      if (nextLabel) expect(after.text).toContain(nextLabel);
      expect(after.text).toContain(`status-${step}`);
    }
    const r = row(key);
    expect([r.status, r.held_on, r.drafted_on, r.sent_on, r.approved_on]).toEqual(['approved', '2026-05-12', TODAY, TODAY, TODAY]);
    expect((await researcher.agent.get(`${base}/${key}`)).text).toContain('Every step is done');
    const entries = services.repos.audit.listForStudy(studyId).filter((e) => e.action === 'advance-status');
    expect(entries).toHaveLength(4);
    expect(JSON.parse(entries[0]!.before!)).toMatchObject({ key, status: 'sent', sent_on: TODAY });
    expect(JSON.parse(entries[0]!.after!)).toMatchObject({ key, status: 'approved', approved_on: TODAY });
  });

  it('an interview without a date takes the day it was held', async () => {
    const { researcher, base, log, row } = await setUp();
    const key = log(null);
    const res = await researcher.agent.post(`${base}/${key}/status`).type('form').send({ _csrf: researcher.csrf, version: '1', step: 'held', on: '2026-05-18' });
    expect(res.status).toBe(303);
    expect([row(key).date, row(key).held_on]).toEqual(['2026-05-18', '2026-05-18']);
  });

  it('refuses a step in the future with a summary at the top and the message on the date, in English and Dutch', async () => {
    const { researcher, base, log, row } = await setUp();
    const key = log('2026-05-12');
    for (const [lang, words] of [['en', ['There is a problem', '2026-06-01 is in the future']], ['nl', ['Er is iets niet in orde', '2026-06-01 ligt in de toekomst']]] as const) {
      const res = await researcher.agent.post(`${base}/${key}/status`).set('Accept-Language', lang).type('form').send({ _csrf: researcher.csrf, version: '1', step: 'held', on: '2026-06-01' });
      expect(res.status).toBe(422);
      const summary = summaryOf(res.text);
      expect(summary).toContain(words[0]);
      expect(summary).toContain('href="#f-on"');
      expect(summary).toContain(words[1]);
      // The message on the field, and the chosen date kept in it.
      expect(res.text).toMatch(new RegExp(`<p class="error" id="f-on-error">${words[1]}`));
      expect(res.text).toContain('aria-invalid="true"');
      expect(res.text).toMatch(/name="on" value="2026-06-01"/);
    }
    expect(row(key).status).toBe('planned');
  });

  it('refuses a step dated before the previous step, and "held" before the interview’s date', async () => {
    const { researcher, base, log, row } = await setUp();
    const key = log('2026-05-12');
    const early = await researcher.agent.post(`${base}/${key}/status`).type('form').send({ _csrf: researcher.csrf, version: '1', step: 'held', on: '2026-05-10' });
    expect(early.status).toBe(422);
    expect(summaryOf(early.text)).toContain('The interview is dated 2026-05-12: it cannot have been held before that day.');
    await researcher.agent.post(`${base}/${key}/status`).type('form').send({ _csrf: researcher.csrf, version: '1', step: 'held', on: '2026-05-15' });
    for (const lang of ['en', 'nl']) {
      const back = await researcher.agent.post(`${base}/${key}/status`).set('Accept-Language', lang).type('form').send({ _csrf: researcher.csrf, version: '2', step: 'drafted', on: '2026-05-14' });
      expect(back.status).toBe(422);
      const message = lang === 'en' ? 'A step cannot be dated before the step that comes before it (2026-05-15).' : 'Een stap kan niet eerder gedateerd zijn dan de stap ervoor (2026-05-15).';
      expect(summaryOf(back.text)).toContain(message);
      expect(back.text).toContain(`<p class="error" id="f-on-error">${message}`);
    }
    expect(row(key).status).toBe('held');
  });

  it('shows no "held" button while the interview’s date is still to come', async () => {
    const { researcher, base, log } = await setUp();
    const key = log('2026-06-10');
    const page = await researcher.agent.get(`${base}/${key}`);
    expect(page.text).not.toContain('Mark as held');
    expect(page.text).toContain('The interview is planned for 2026-06-10');
  });

  it('refuses a step on a page that is out of date, and changes nothing', async () => {
    const { app, researcher, base, log, row } = await setUp();
    const key = log('2026-05-12');
    const lead = await loginAs(app, 'lead@example.org');
    expect((await lead.agent.post(`${base}/${key}/status`).type('form').send({ _csrf: lead.csrf, version: '1', step: 'held', on: '' })).status).toBe(303);
    // The researcher's page still showed version 1 and "Mark as held".
    const stale = await researcher.agent.post(`${base}/${key}/status`).type('form').send({ _csrf: researcher.csrf, version: '1', step: 'held', on: '2026-05-13' });
    expect(stale.status).toBe(422);
    expect(summaryOf(stale.text)).toContain('Someone changed this interview after you opened it; nothing was changed.');
    // The page shows the interview as it is now: the next step is "Report drafted".
    expect(stale.text).toContain('Report drafted');
    expect(row(key).held_on).toBe('2026-05-12');
    expect(row(key).version).toBe(2);
    // A step that is not the next one is refused the same way, also with the current version.
    const skip = await researcher.agent.post(`${base}/${key}/status`).type('form').send({ _csrf: researcher.csrf, version: '2', step: 'approved', on: '' });
    expect(skip.status).toBe(422);
    expect(row(key).status).toBe('held');
  });

  it('viewers get no step button, and cannot post one', async () => {
    const { app, base, log, services, studyId } = await setUp();
    const key = log('2026-05-12');
    const viewer = await loginAs(app, 'view@example.org');
    expect((await viewer.agent.post(`${base}/${key}/status`).type('form').send({ _csrf: viewer.csrf, version: '1', step: 'held', on: '' })).status).toBe(403);
    expect(services.repos.interviews.findByKey(studyId, key)!.status).toBe('planned');
  });
});

describe('the edit form keeps the same date rules', () => {
  const form = (over: Record<string, unknown> = {}) => ({ case: 'dordrecht', date: '2026-05-12', participants: '2', status: 'held', notes: 'Gesprek met de wethouder.', ...over });

  it('refuses "held" for an interview dated in the future, with the message on the interview’s date and a summary', async () => {
    const { researcher, base } = await setUp();
    const res = await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form({ date: '2026-07-01', notes: 'bewaar mij' }) });
    expect(res.status).toBe(422);
    const summary = summaryOf(res.text);
    expect(summary).toContain('href="#f-date"');
    expect(summary).toContain('Date of the interview: The interview is dated 2026-07-01, in the future');
    expect(res.text).toMatch(/<p class="error" id="f-date-error">The interview is dated 2026-07-01/);
    expect(res.text).toContain('bewaar mij');
    // Planned in the future is fine.
    expect((await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form({ date: '2026-07-01', status: 'planned' }) })).status).toBe(303);
  });

  it('"report drafted" with a future date is refused on the field that is wrong, never on an empty one', async () => {
    const { researcher, base } = await setUp();
    const res = await researcher.agent.post(base).set('Accept-Language', 'nl').type('form').send({ _csrf: researcher.csrf, ...form({ date: '2026-07-01', status: 'drafted' }) });
    expect(res.status).toBe(422);
    expect(summaryOf(res.text)).toContain('href="#f-date"');
    expect(summaryOf(res.text)).toContain('Het interview staat op 2026-07-01, in de toekomst');
    expect(res.text).not.toContain('id="f-drafted_on-error"');
  });

  it('refuses a step date given in the future on that field', async () => {
    const { researcher, base } = await setUp();
    const res = await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form({ status: 'sent', sent_on: '2026-05-21' }) });
    expect(res.status).toBe(422);
    expect(summaryOf(res.text)).toContain('Sent for approval on: 2026-05-21 is in the future');
    expect(res.text).toContain('id="f-sent_on-error"');
  });

  it('fills an empty step between given ones with a date that keeps the order', async () => {
    const { researcher, base, row } = await setUp();
    expect((await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, ...form({ status: 'sent', sent_on: '2026-05-14' }) })).status).toBe(303);
    const r = row('dordrecht-1');
    expect([r.held_on, r.drafted_on, r.sent_on]).toEqual(['2026-05-12', '2026-05-14', '2026-05-14']);
  });
});
