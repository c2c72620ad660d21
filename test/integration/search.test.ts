// Search: hits in interview notes, document text and evidence, with highlighted snippets that are
// never HTML from users; only the study's own material; friendly refusal of malformed queries.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

async function setUp() {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org' });
  await makeUser(ctx.services, { email: 'outsider@example.org' });
  const studyId = ctx.services.studies.create({ title: 'S', question: '', language: 'nl' }, leadId);
  const otherId = ctx.services.studies.create({ title: 'Other', question: '', language: 'nl' }, leadId);
  for (const [id, key] of [[studyId, 'dordrecht'], [otherId, 'elders']] as const) {
    ctx.services.repos.cases.insert(id, { key, name: key === 'dordrecht' ? 'Dordrecht' : 'Elders', pseudonym: null, group: '', attributes: {}, selectionReason: '' }, 0, '2026-01-01T00:00:00Z');
  }
  const log = (id: number, c: string, notes: string) =>
    ctx.services.interviews.create(id, { case: c, date: '2026-04-01', participants: 1, notes, status: 'held', roles: [], interviewers: [], conditions: [] }, leadId);
  const lead = await loginAs(ctx.app, 'lead@example.org');
  return { ...ctx, studyId, otherId, leadId, log, lead };
}

describe('search', () => {
  it('finds words in interview notes and document text, accents folded, with marked snippets', async () => {
    const { lead, studyId, log, services, config, leadId } = await setUp();
    log(studyId, 'dordrecht', 'De gemeente hanteert een zoekperiode van vier weken voor jongeren.');
    fs.mkdirSync(config.uploadsDir, { recursive: true });
    const file = path.join(config.uploadsDir, 'plan.part');
    fs.writeFileSync(file, 'Het beleidsplan noemt de zoekperiode en de poortwachter. Café-regeling.');
    services.documents.add(studyId, 'dordrecht', { title: 'Beleidsplan', kind: '', date: null }, { path: file, size: 10, sha256: '-', originalName: 'plan.txt' }, leadId);
    await services.documents.settled();

    const res = await lead.agent.get(`/studies/${studyId}/search`).query({ q: 'zoekperiode' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('2 result(s) for “zoekperiode”');
    expect(res.text).toContain('<mark>zoekperiode</mark>');
    expect(res.text).toContain(`href="/studies/${studyId}/interviews/dordrecht-1"`);
    expect(res.text).toContain(`href="/studies/${studyId}/cases/dordrecht/documents"`);
    const folded = await lead.agent.get(`/studies/${studyId}/search`).query({ q: 'cafe' });
    expect(folded.text).toContain('1 result(s)');
  });

  it('keeps results up to date when notes change or an interview is deleted', async () => {
    const { lead, studyId, log, services, leadId } = await setUp();
    const key = log(studyId, 'dordrecht', 'eerst over handhaving');
    const row = services.repos.interviews.findByKey(studyId, key)!;
    services.interviews.update(studyId, key, row.version, { case: 'dordrecht', date: '2026-04-01', participants: 1, notes: 'nu over preventie', status: 'held', roles: [], interviewers: [], conditions: [] }, leadId);
    expect((await lead.agent.get(`/studies/${studyId}/search`).query({ q: 'handhaving' })).text).toContain('Nothing found');
    expect((await lead.agent.get(`/studies/${studyId}/search`).query({ q: 'preventie' })).text).toContain('1 result(s)');
    services.interviews.remove(studyId, key, leadId);
    expect((await lead.agent.get(`/studies/${studyId}/search`).query({ q: 'preventie' })).text).toContain('Nothing found');
  });

  it('shows only the study’s own material, and nothing to someone who is not a member', async () => {
    const { app, lead, studyId, otherId, log } = await setUp();
    log(otherId, 'elders', 'geheim woord uit een ander onderzoek');
    expect((await lead.agent.get(`/studies/${studyId}/search`).query({ q: 'geheim' })).text).toContain('Nothing found');
    const outsider = await loginAs(app, 'outsider@example.org');
    expect((await outsider.agent.get(`/studies/${otherId}/search`).query({ q: 'geheim' })).status).toBe(403);
  });

  it('prints what users wrote as text, also inside snippets', async () => {
    const { lead, studyId, log } = await setUp();
    log(studyId, 'dordrecht', 'aanval <img src=x onerror=alert(1)> en <script>alert(2)</script> handhaving');
    const res = await lead.agent.get(`/studies/${studyId}/search`).query({ q: 'handhaving' });
    expect(res.text).not.toMatch(/<img|<script>alert/);
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it.each(['(((', '*', '"', '-- ;', '""'])('answers the query %j, which holds nothing to search for, with a friendly message, not a 500', async (q) => {
    const { lead, studyId, log } = await setUp();
    log(studyId, 'dordrecht', 'tekst');
    const res = await lead.agent.get(`/studies/${studyId}/search`).query({ q });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is nothing to search for in this query.');
  });

  it.each(['"unbalanced tekst', 'NEAR(tekst', 'tekst OR', 'body:tekst', 'tekst AND (', 'w* w* w* w* tekst'])('reads FTS5 syntax in %j as plain words, never as operators', async (q) => {
    const { lead, studyId, log } = await setUp();
    log(studyId, 'dordrecht', 'tekst');
    const res = await lead.agent.get(`/studies/${studyId}/search`).query({ q });
    expect(res.status).toBe(200);
  });

  it('supports phrases and prefixes', async () => {
    const { lead, studyId, log } = await setUp();
    log(studyId, 'dordrecht', 'De regelgeving rond de zoekperiode van vier weken.');
    log(studyId, 'dordrecht', 'Vier kantoren en weken later.');
    expect((await lead.agent.get(`/studies/${studyId}/search`).query({ q: '"vier weken"' })).text).toContain('1 result(s)');
    expect((await lead.agent.get(`/studies/${studyId}/search`).query({ q: 'regel*' })).text).toContain('1 result(s)');
  });
});
