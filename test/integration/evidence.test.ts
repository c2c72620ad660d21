// Evidence from interviews and documents linked to conditions, lists per case and per condition,
// and coverage: the number of independent sources per condition, fewer than two marked.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/framework/templates.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

async function setUp() {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  const template = loadTemplate('bijstand')!;
  template.cases = [{ key: 'dordrecht', name: 'Dordrecht' }, { key: 'zwolle', name: 'Zwolle' }];
  const { studyId } = await ctx.services.studyFile.importer.run(template, { owner: leadId, actorId: leadId });
  const s = ctx.services;
  const interview = (c: string, conditions: string[]) =>
    s.interviews.create(studyId, { case: c, date: '2026-04-01', participants: 1, notes: 'De poort is streng; handhaving is zichtbaar.', status: 'held', roles: [], interviewers: [], conditions }, leadId);
  fs.mkdirSync(ctx.config.uploadsDir, { recursive: true });
  const document = (c: string) => {
    const file = path.join(ctx.config.uploadsDir, `${Math.random()}.part`);
    fs.writeFileSync(file, 'beleidsplan');
    return s.documents.add(studyId, c, { title: 'Beleidsplan', kind: '', date: null }, { path: file, size: 11, sha256: '-', originalName: 'plan.txt' }, leadId).key;
  };
  const lead = await loginAs(ctx.app, 'lead@example.org');
  return { ...ctx, studyId, leadId, interview, document, lead };
}

describe('the study overview counts', () => {
  it('show the interviews, documents and evidence there are, also after deletions (kept by triggers, migration 0012)', async () => {
    const { lead, studyId, interview, document, db } = await setUp();
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE study_id = ?`).get(studyId) as { n: number }).n;
    const shown = async () => {
      const text = (await lead.agent.get(`/studies/${studyId}`)).text;
      const of = (label: string) => Number(new RegExp(`<strong>(\\d+)</strong> ${label}`).exec(text)?.[1]);
      return { interviews: of('interviews'), documents: of('documents'), evidence: of('evidence items') };
    };
    const kept = interview('dordrecht', []);
    const dropped = interview('zwolle', []);
    const doc = document('zwolle');
    for (const source of [`interview:${kept}`, `interview:${dropped}`, `interview:${dropped}`, `document:${doc}`]) {
      await lead.agent.post(`/studies/${studyId}/evidence`).type('form').send({ _csrf: lead.csrf, source, quote: 'streng', locator: '', conditions: '2.a' }).expect(303);
    }
    expect(await shown()).toEqual({ interviews: 2, documents: 1, evidence: 4 });
    // Evidence first (an interview or document with evidence is kept), then its sources.
    const doomed = db.prepare(`SELECT e.id FROM evidence e LEFT JOIN interviews i ON i.id = e.interview_id
                                WHERE e.study_id = ? AND (e.document_id IS NOT NULL OR i.key = ?)`).all(studyId, dropped) as { id: number }[];
    expect(doomed).toHaveLength(3);
    for (const { id } of doomed) await lead.agent.post(`/studies/${studyId}/evidence/${id}/delete`).type('form').send({ _csrf: lead.csrf }).expect(303);
    await lead.agent.post(`/studies/${studyId}/interviews/${dropped}/delete`).type('form').send({ _csrf: lead.csrf }).expect(303);
    await lead.agent.post(`/studies/${studyId}/documents/${doc}/delete`).type('form').send({ _csrf: lead.csrf }).expect(303);
    expect(await shown()).toEqual({ interviews: count('interviews'), documents: count('documents'), evidence: count('evidence') });
    expect(await shown()).toEqual({ interviews: 1, documents: 0, evidence: 1 });
  });
});

describe('evidence', () => {
  it('links a quote from an interview to two conditions; it shows per case, per condition and on the interview page', async () => {
    const { lead, studyId, interview, services } = await setUp();
    const key = interview('dordrecht', []);
    const res = await lead.agent.post(`/studies/${studyId}/evidence`).type('form').send({
      _csrf: lead.csrf, source: `interview:${key}`, quote: 'De poort is streng', locator: 'min. 12', conditions: ['2.a', '2.b'], returnTo: `/studies/${studyId}/interviews/${key}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/studies/${studyId}/interviews/${key}`);
    const page = await lead.agent.get(`/studies/${studyId}/interviews/${key}`);
    expect(page.text).toContain('<blockquote>De poort is streng</blockquote>');
    expect((await lead.agent.get(`/studies/${studyId}/evidence?condition=2.b`)).text).toContain('De poort is streng');
    expect((await lead.agent.get(`/studies/${studyId}/evidence?condition=3.a`)).text).not.toContain('De poort is streng');
    expect((await lead.agent.get(`/studies/${studyId}/evidence?case=zwolle`)).text).not.toContain('De poort is streng');
    const entry = services.repos.audit.listForStudy(studyId)[0]!;
    expect([entry.entity, entry.action]).toEqual(['evidence', 'create']);
  });

  it('links a document passage with a page locator', async () => {
    const { lead, studyId, document } = await setUp();
    const key = document('zwolle');
    const res = await lead.agent.post(`/studies/${studyId}/evidence`).type('form').send({ _csrf: lead.csrf, source: `document:${key}`, quote: '', locator: 'p. 7', conditions: '3.a' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/studies/${studyId}/evidence?case=zwolle`);
    expect((await lead.agent.get(res.headers.location!)).text).toContain('p. 7');
  });

  it('names what is missing and keeps the quote', async () => {
    const { lead, studyId, interview } = await setUp();
    const key = interview('dordrecht', []);
    const res = await lead.agent.post(`/studies/${studyId}/evidence`).type('form').send({ _csrf: lead.csrf, source: `interview:${key}`, quote: 'Mijn zorgvuldig gekozen citaat', locator: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose at least one condition.');
    expect(res.text).toContain('Mijn zorgvuldig gekozen citaat');
  });

  it('refuses to delete a document that evidence cites', async () => {
    const { lead, studyId, document, services } = await setUp();
    const key = document('zwolle');
    await lead.agent.post(`/studies/${studyId}/evidence`).type('form').send({ _csrf: lead.csrf, source: `document:${key}`, locator: 'p. 1', conditions: '3.a' });
    const res = await lead.agent.post(`/studies/${studyId}/documents/${key}/delete`).type('form').send({ _csrf: lead.csrf });
    expect(res.status).toBe(303);
    expect(services.repos.documents.findByKey(studyId, key)).toBeDefined();
    expect((await lead.agent.get(res.headers.location!)).text).toContain('cited by 1 evidence item(s)');
  });
});

describe('coverage', () => {
  it('counts independent sources per condition: touched interviews and quoted sources, each once', async () => {
    const { lead, studyId, interview, document, services, leadId } = await setUp();
    const i1 = interview('dordrecht', ['2.a', '2.b']);
    interview('dordrecht', ['2.a']);
    const d1 = document('dordrecht');
    // Quoting i1 on 2.a adds no new source (i1 already touched 2.a); quoting the document on 2.b does.
    services.evidence.add(studyId, { source: `interview:${i1}`, quote: 'poort', locator: '', conditions: ['2.a'] }, leadId);
    services.evidence.add(studyId, { source: `document:${d1}`, quote: '', locator: 'p. 2', conditions: ['2.b', '2.c'] }, leadId);
    const page = await lead.agent.get(`/studies/${studyId}/cases/dordrecht/coverage`);
    const row = (code: string) => new RegExp(`<span class="code">${code.replace('.', '\\.')}</span>[^<]*</th>\\s*<td class="([^"]*)">(\\d+)`).exec(page.text)!;
    expect([row('2.a')[2], row('2.a')[1]]).toEqual(['2', '']);
    expect([row('2.b')[2], row('2.b')[1]]).toEqual(['2', '']);
    expect([row('2.c')[2], row('2.c')[1]]).toEqual(['1', 'few']);
    expect([row('3.a')[2], row('3.a')[1]]).toEqual(['0', 'few']);
    const overview = await lead.agent.get(`/studies/${studyId}/coverage`);
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('Zwolle');
  });

  it('the study overview costs the same number of statements for 2 or 12 cases', async () => {
    const { lead, studyId, services, counter } = await setUp();
    await lead.agent.get(`/studies/${studyId}/coverage`); // the framework is read once, then cached
    counter.reset();
    await lead.agent.get(`/studies/${studyId}/coverage`);
    const few = counter.count;
    for (let i = 0; i < 10; i++) {
      services.repos.cases.insert(studyId, { key: `k${i}`, name: `K${i}`, pseudonym: null, group: '', attributes: {}, selectionReason: '' }, 10 + i, '2026-01-01T00:00:00Z');
    }
    counter.reset();
    await lead.agent.get(`/studies/${studyId}/coverage`);
    expect(counter.count).toBe(few);
  });
});
