// Long lists, paged and filtered (issue 14.9): the evidence list (case, condition, kind of source,
// words of the quote), the reduction log (level, condition, method, active or reverted) and the audit
// log of a study and of the site (kind of change, who, period), with "51–75 of 812", page links that
// keep the filters, a constant number of statements, and the audit log in words — never raw JSON.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/framework/templates.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

async function setUp() {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead', isAdmin: true });
  const raterId = await makeUser(ctx.services, { email: 'rater@example.org', name: 'Rob Rater' });
  const template = loadTemplate('bijstand')!;
  template.cases = [{ key: 'dordrecht', name: 'Dordrecht' }, { key: 'zwolle', name: 'Zwolle' }];
  const { studyId } = await ctx.services.studyFile.importer.run(template, { owner: leadId, actorId: leadId });
  const s = ctx.services;
  s.studies.addMember(studyId, 'rater@example.org', 'researcher', leadId);
  const interview = (c: string) =>
    s.interviews.create(studyId, { case: c, date: '2026-04-01', participants: 1, notes: 'Notities.', status: 'held', roles: [], interviewers: [], conditions: [] }, leadId);
  fs.mkdirSync(ctx.config.uploadsDir, { recursive: true });
  const document = (c: string) => {
    const file = path.join(ctx.config.uploadsDir, `${Math.random()}.part`);
    fs.writeFileSync(file, 'beleidsplan');
    return s.documents.add(studyId, c, { title: 'Beleidsplan', kind: '', date: null }, { path: file, size: 11, sha256: '-', originalName: 'plan.txt' }, leadId).key;
  };
  const evidence = (source: string, quote: string, conditions: string[], locator = '') => s.evidence.add(studyId, { source, quote, locator, conditions }, leadId);
  const lead = await loginAs(ctx.app, 'lead@example.org');
  const get = async (url: string) => {
    const res = await lead.agent.get(url);
    expect(res.status, url).toBe(200);
    return res.text;
  };
  return { ...ctx, studyId, leadId, raterId, interview, document, evidence, lead, get };
}

const text = (html: string) =>
  html.replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/\s+/g, ' ').replace(/ ([:;,])/g, '$1').trim();
/** The quotes of the evidence items on a page, in order (short quotes are a <blockquote> of their own). */
const quotes = (html: string) => {
  const list = html.slice(html.indexOf('<ul class="evidence-list">'), html.indexOf('</ul>', html.indexOf('<ul class="evidence-list">')));
  return [...list.matchAll(/<li>\s*(?:<details class="evidence-quote">[\s\S]*?<blockquote>|<blockquote>)([^<]*)<\/blockquote>/g)].map((m) => m[1]);
};
/** The addresses of the page links (the pager nav). */
const pageLinks = (html: string) => {
  const nav = html.slice(html.indexOf('<nav class="pager"'), html.indexOf('</nav>', html.indexOf('<nav class="pager"')));
  return [...nav.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
};

describe('the evidence list', () => {
  it('shows 25 a page with the range, and page links that keep the filters', async () => {
    const { studyId, interview, evidence, get } = await setUp();
    const dordrecht = interview('dordrecht');
    for (let i = 1; i <= 60; i++) evidence(`interview:${dordrecht}`, `Passage ${String(i).padStart(2, '0')}`, ['2.a']);
    evidence(`interview:${dordrecht}`, 'Over iets anders', ['2.b']);
    const base = `/studies/${studyId}/evidence`;

    const first = await get(`${base}?case=dordrecht&condition=2.a`);
    expect(text(first)).toContain('1–25 of 60');
    expect(quotes(first)).toEqual(Array.from({ length: 25 }, (_, i) => `Passage ${String(i + 1).padStart(2, '0')}`));
    const links = pageLinks(first);
    expect(links).toContain(`${base}?case=dordrecht&condition=2.a&page=2`);
    expect(links).toContain(`${base}?case=dordrecht&condition=2.a&page=3`);
    expect(links.every((l) => l.includes('case=dordrecht&condition=2.a'))).toBe(true);
    // The filters stay chosen in the form.
    expect(first).toMatch(/<option value="dordrecht" selected>/);
    expect(first).toMatch(/<option value="2.a" selected>/);

    const third = await get(`${base}?case=dordrecht&condition=2.a&page=3`);
    expect(text(third)).toContain('51–60 of 60');
    expect(quotes(third)).toHaveLength(10);
    expect(pageLinks(third)).toContain(`${base}?case=dordrecht&condition=2.a&page=2`);
    expect(pageLinks(third)).toContain(`${base}?case=dordrecht&condition=2.a`); // page 1 has no page number
    // A page past the end shows the last one; a bad page number the first.
    expect(text(await get(`${base}?case=dordrecht&condition=2.a&page=99`))).toContain('51–60 of 60');
    expect(text(await get(`${base}?page=nonsense`))).toContain('1–25 of 61');
    // Everything fits one page: no page links.
    const few = await get(`${base}?condition=2.b`);
    expect(text(few)).toContain('1–1 of 1');
    expect(few).not.toContain('<nav class="pager"');
  });

  it('filters by case, condition, kind of source and words of the quote or locator, alone and together', async () => {
    const { studyId, interview, document, evidence, get } = await setUp();
    const dordrecht = interview('dordrecht');
    const zwolle = interview('zwolle');
    const plan = document('zwolle');
    evidence(`interview:${dordrecht}`, 'De poort is streng in Dordrecht.', ['2.a']);
    evidence(`interview:${dordrecht}`, 'Handhaving is zichtbaar.', ['2.p']);
    evidence(`interview:${zwolle}`, 'De poort staat open in Zwolle.', ['2.a']);
    evidence(`document:${plan}`, 'Het beleidsplan noemt de poort.', ['2.a', '2.p'], 'p. 12');
    evidence(`document:${plan}`, 'Begroting sluit.', ['3.b'], 'bijlage handhaving');
    const base = `/studies/${studyId}/evidence`;
    const shown = async (query: string) => quotes(await get(`${base}${query}`)).sort();

    expect(await shown('?case=zwolle')).toEqual(['Begroting sluit.', 'De poort staat open in Zwolle.', 'Het beleidsplan noemt de poort.']);
    expect(await shown('?condition=2.p')).toEqual(['Handhaving is zichtbaar.', 'Het beleidsplan noemt de poort.']);
    expect(await shown('?kind=document')).toEqual(['Begroting sluit.', 'Het beleidsplan noemt de poort.']);
    expect(await shown('?kind=interview&case=zwolle')).toEqual(['De poort staat open in Zwolle.']);
    // Words of the quote or the locator, through the search index (diacritics and case ignored).
    expect(await shown('?q=poort')).toEqual(['De poort is streng in Dordrecht.', 'De poort staat open in Zwolle.', 'Het beleidsplan noemt de poort.']);
    expect(await shown('?q=handhaving')).toEqual(['Begroting sluit.', 'Handhaving is zichtbaar.']);
    expect(await shown('?q=POORT&case=dordrecht&condition=2.a')).toEqual(['De poort is streng in Dordrecht.']);
    expect(await shown('?q=%22poort%20staat%22')).toEqual(['De poort staat open in Zwolle.']);
    // Nothing matches: said so, with a way back.
    const none = await get(`${base}?q=onbekend&case=dordrecht`);
    expect(text(none)).toContain('Nothing matches these filters.');
    expect(none).toContain(`<a href="${base}">Clear filters</a>`);
    // An unknown kind, or text that is no words, is ignored rather than refused.
    expect(await shown('?kind=video&q=%2A%2A')).toHaveLength(5);
    expect(text(await get(`${base}?q=poort`))).toContain('1–3 of 3');
  });

  it('keeps items compact: a long quote shows its start and the whole text behind "more"; Add evidence stays', async () => {
    const { studyId, interview, evidence, get, lead } = await setUp();
    const key = interview('dordrecht');
    const long = Array.from({ length: 40 }, (_, i) => `Zin ${i} over de uitvoering van de bijstand.`).join('\n');
    evidence(`interview:${key}`, long, ['2.a']);
    evidence(`interview:${key}`, 'Kort citaat.', ['2.a']);
    const html = await get(`/studies/${studyId}/evidence?case=dordrecht`);
    const item = html.slice(html.indexOf('<details class="evidence-quote">'), html.indexOf('</details>', html.indexOf('<details class="evidence-quote">')));
    expect(item).toMatch(/<summary><span class="evidence-excerpt">Zin 0 over de uitvoering van de bijstand\. Zin 1 [^<]*…<\/span> <span class="evidence-more">more<\/span>/);
    expect(item).toContain(`<blockquote>${long}</blockquote>`);
    expect(html).toContain('<blockquote>Kort citaat.</blockquote>');
    expect(html).toContain(`<a class="button" href="/studies/${studyId}/evidence/new?case=dordrecht">Add evidence</a>`);
    // The case page shows its evidence with the same compact items.
    const casePage = (await lead.agent.get(`/studies/${studyId}/cases/dordrecht`)).text;
    expect(casePage).toContain('<details class="evidence-quote">');
    expect(casePage).toContain('<blockquote>Kort citaat.</blockquote>');
  });

  it('costs the same number of statements for 2 or 50 items, filtered or not', async () => {
    const { studyId, interview, evidence, counter, lead } = await setUp();
    const key = interview('dordrecht');
    const statements = async (url: string) => {
      await lead.agent.get(url); // the framework is read once, then cached
      counter.reset();
      expect((await lead.agent.get(url)).status).toBe(200);
      return counter.count;
    };
    for (let i = 0; i < 2; i++) evidence(`interview:${key}`, `Poort ${i}`, ['2.a', '2.b']);
    const urls = [`/studies/${studyId}/evidence`, `/studies/${studyId}/evidence?case=dordrecht&condition=2.a&kind=interview&q=poort&page=2`];
    const few = await Promise.all(urls.map(statements));
    expect(few[0]).toBeGreaterThan(3);
    for (let i = 0; i < 48; i++) evidence(`interview:${key}`, `Poort ${i}`, ['2.a', '2.b']);
    expect(await Promise.all(urls.map(statements))).toEqual(few);
  });
});

describe('the reduction log', () => {
  async function withDecisions() {
    const env = await setUp();
    const { services, studyId, leadId } = env;
    const fw = services.repos.framework.load(studyId, '', -1).doc;
    const parents = new Set(fw.conditions.flatMap((c) => (c.parent ? [c.parent] : [])));
    const rated = fw.conditions.filter((c) => c.kind === 'rated' && !parents.has(c.code));
    // 30 decisions: method 2 on level-2 conditions, method 4 on the others; every third one reverted.
    const decided = rated.slice(0, 30);
    decided.forEach((c, i) => {
      services.analysis.decideReduction(studyId, c.code, leadId, { method: c.level === 2 ? 2 : 4, reason: `Reden ${c.code}` });
      if (i % 3 === 0) services.analysis.revertReduction(studyId, c.code, leadId);
    });
    return { ...env, decided };
  }
  const logRows = (html: string) => [...html.matchAll(/<tr data-code="([^"]+)" data-method="(\d)" data-state="(\w+)">/g)].map((m) => ({ code: m[1]!, method: Number(m[2]), state: m[3]! }));

  it('shows 25 decisions a page, newest first, and filters by level, condition, method and state with links that keep them', async () => {
    const { studyId, decided, get } = await withDecisions();
    const base = `/studies/${studyId}/reduction`;
    const first = await get(base);
    expect(text(first)).toContain('1–25 of 30');
    expect(logRows(first)).toHaveLength(25);
    expect(logRows(first)[0]!.code).toBe(decided.at(-1)!.code);
    expect(logRows(await get(`${base}?page=2`))).toHaveLength(5);

    const level2 = decided.filter((c) => c.level === 2);
    const byLevel = logRows(await get(`${base}?level=2`));
    expect(byLevel.map((r) => r.code).sort()).toEqual(level2.map((c) => c.code).sort());
    expect(byLevel.every((r) => r.method === 2)).toBe(true);
    expect(logRows(await get(`${base}?method=4`)).every((r) => r.method === 4)).toBe(true);
    const reverted = logRows(await get(`${base}?state=reverted`));
    expect(reverted).toHaveLength(10);
    expect(reverted.every((r) => r.state === 'reverted')).toBe(true);
    expect(logRows(await get(`${base}?state=active`))).toHaveLength(20);
    expect(logRows(await get(`${base}?condition=${encodeURIComponent(decided[1]!.code)}`)).map((r) => r.code)).toEqual([decided[1]!.code]);
    expect(text(await get(`${base}?method=1`))).toContain('Nothing matches these filters.');

    // Paging keeps the filters; the filter form shows them.
    const active = await get(`${base}?state=active`);
    expect(pageLinks(active)).toEqual([]); // 20 fit one page
    const method4 = decided.filter((c) => c.level !== 2).length;
    expect(text(await get(`${base}?method=4`))).toContain(`1–${Math.min(25, method4)} of ${method4}`);
    expect(active).toMatch(/<option value="active" selected>Active<\/option>/);
  });

  it('pages a filtered log with links that keep the filter', async () => {
    const { studyId, services, leadId, get } = await setUp();
    const fw = services.repos.framework.load(studyId, '', -1).doc;
    const parents = new Set(fw.conditions.flatMap((c) => (c.parent ? [c.parent] : [])));
    const rated = fw.conditions.filter((c) => c.kind === 'rated' && !parents.has(c.code));
    expect(rated.length).toBeGreaterThan(27);
    for (const c of rated) services.analysis.decideReduction(studyId, c.code, leadId, { method: 2, reason: 'Buiten invloed.' });
    services.analysis.revertReduction(studyId, rated[0]!.code, leadId);
    const base = `/studies/${studyId}/reduction`;
    const html = await get(`${base}?state=active&method=2`);
    expect(text(html)).toContain(`1–25 of ${rated.length - 1}`);
    expect(pageLinks(html)).toContain(`${base}?method=2&state=active&page=2#reduction-log`);
    const second = await get(`${base}?state=active&method=2&page=2`);
    expect(logRows(second)).toHaveLength(rated.length - 1 - 25);
    expect(pageLinks(second)).toContain(`${base}?method=2&state=active#reduction-log`);
  });
});

describe('the audit log', () => {
  it('names fields and changes in words, in English and Dutch, and shows no raw JSON', async () => {
    const { studyId, leadId, raterId, services, lead, get } = await setUp();
    services.studies.changeRole(studyId, raterId, 'viewer', leadId);
    const en = await get(`/studies/${studyId}/audit`);
    const row = (html: string, action: string) => {
      const start = html.indexOf(`data-action="${action}"`);
      return text(html.slice(start, html.indexOf('</tr>', start)));
    };
    expect(row(en, 'change-role')).toContain('Member rater@example.org role changed');
    expect(row(en, 'change-role')).toContain('Role from researcher to viewer');
    expect(row(en, 'import')).toContain('Study imported from a study file');
    expect(row(en, 'import')).toContain('Conditions: 62');
    const raw = (html: string) => html.match(/\{&#34;|&#34;:|"\w+":|\[&#34;/g) ?? [];
    expect(raw(en)).toEqual([]);
    // Dutch: the same entries in Dutch words.
    await lead.agent.post('/account').type('form').send({ _csrf: lead.csrf, name: 'Lena Lead', language: 'nl' });
    const nl = await get(`/studies/${studyId}/audit`);
    expect(row(nl, 'change-role')).toContain('Lid rater@example.org rol gewijzigd');
    expect(row(nl, 'change-role')).toContain('Rol van researcher naar viewer');
    expect(row(nl, 'import')).toContain('Onderzoek geïmporteerd uit een onderzoeksbestand');
    expect(row(nl, 'import')).toContain('Condities: 62');
    expect(raw(nl)).toEqual([]);
  });

  it('writes unknown fields readably, values as words, long texts shortened, and a rating submission as a count only', async () => {
    const { studyId, leadId, services, get } = await setUp();
    const at = new Date().toISOString();
    services.repos.audit.record({ at, actorId: leadId, studyId, entity: 'case', entityId: 1, action: 'submit-ratings', after: { case: 'dordrecht', ratings: 58 } });
    services.repos.audit.record({
      at, actorId: null, studyId, entity: 'gadget', action: 'tune-up',
      before: { someFieldName: true, held_on: null }, after: { someFieldName: false, held_on: '2026-05-01T10:00:00.000Z', list: ['a', 'b'], long: 'woord '.repeat(80) },
    });
    const html = await get(`/studies/${studyId}/audit`);
    const submit = text(html.slice(html.indexOf('data-action="submit-ratings"'), html.indexOf('</tr>', html.indexOf('data-action="submit-ratings"'))));
    expect(submit).toContain('Case dordrecht ratings submitted');
    expect(submit).toContain('Ratings submitted: 58');
    expect(submit).not.toMatch(/score/i);
    const gadget = text(html.slice(html.indexOf('data-action="tune-up"'), html.indexOf('</tr>', html.indexOf('data-action="tune-up"'))));
    expect(gadget).toContain('Kader (command line or system)');
    expect(gadget).toContain('Gadget tune up');
    expect(gadget).toContain('Some field name from yes to no');
    expect(gadget).toContain('Held on from — to 2026-05-01 10:00 UTC');
    expect(gadget).toContain('List: a, b');
    expect(html).toMatch(/<details class="audit-long"><summary><ins>(woord ){10,}[^<]*…<\/ins> <span class="audit-more">more<\/span><\/summary>/);
  });

  it('filters by kind of change, who and period, pages 50 at a time and keeps the filters in its links', async () => {
    const { studyId, leadId, raterId, services, get } = await setUp();
    const t0 = Date.parse('2026-03-01T12:00:00Z');
    for (let i = 0; i < 120; i++) {
      services.repos.audit.record({
        at: new Date(t0 + i * 86_400_000 / 4).toISOString(), actorId: i % 2 ? raterId : leadId, studyId,
        entity: 'case', entityId: 1, action: i % 3 ? 'reconcile-comment' : 'sign-off', after: { case: 'dordrecht', body: `Opmerking ${i}` },
      });
    }
    const base = `/studies/${studyId}/audit`;
    const entries = (html: string) => [...html.matchAll(/<tr data-entity="([^"]+)" data-action="([^"]+)">/g)].map((m) => `${m[1]}:${m[2]}`);
    const first = await get(base);
    const total = 120 + services.repos.audit.listForStudy(studyId, undefined, 1000).length - 120;
    expect(text(first)).toContain(`1–50 of ${total}`);
    expect(entries(first)).toHaveLength(50);

    const comments = await get(`${base}?what=case:reconcile-comment`);
    expect(text(comments)).toContain('1–50 of 80');
    expect(new Set(entries(comments))).toEqual(new Set(['case:reconcile-comment']));
    const older = /<a href="([^"]+)" rel="next">Older entries<\/a>/.exec(comments)![1]!.replace(/&amp;/g, '&');
    expect(older).toMatch(new RegExp(`^${base}\\?what=case%3Areconcile-comment&before=\\d+$`));
    const page2 = await get(older);
    expect(text(page2)).toContain('51–80 of 80');
    expect(new Set(entries(page2))).toEqual(new Set(['case:reconcile-comment']));
    expect(page2).not.toContain('rel="next"');
    const newer = /<a href="([^"]+)" rel="prev">Newer entries<\/a>/.exec(page2)![1]!.replace(/&amp;/g, '&');
    expect(newer).toBe(`${base}?what=case%3Areconcile-comment`);
    expect(text(await get(newer))).toContain('1–50 of 80');

    // Every change to one kind of entry, by one person, in a period (both ends included).
    const rater = await get(`${base}?what=case&who=${raterId}&from=2026-03-02&to=2026-03-03`);
    expect(entries(rater)).toHaveLength(4); // 8 entries on those two days, every other one the rater's
    expect([...rater.matchAll(/<td class="audit-who">([^<]*)/g)].map((m) => m[1]!.trim())).toEqual(Array(4).fill('Rob Rater'));
    expect(rater).toMatch(new RegExp(`<option value="${raterId}" selected>Rob Rater \\(rater@example.org\\)</option>`));
    expect(rater).toMatch(/<input type="date" id="f-from" name="from" value="2026-03-02">/);
    expect(text(await get(`${base}?who=kader`))).toContain('Nothing matches these filters.');
    // Bad values are ignored.
    expect(entries(await get(`${base}?what=%3Cx%3E&from=yesterday&before=abc`))).toHaveLength(50);
  });

  it('the account log filters and pages the same way, in words', async () => {
    const { services, leadId, lead } = await setUp();
    for (let i = 0; i < 55; i++) await makeUser(services, { email: `p${i}@example.org`, name: `Person ${i}` });
    services.users.setActive(services.repos.users.findByEmail('p3@example.org')!.id, false, leadId);
    const first = (await lead.agent.get('/admin/audit')).text;
    expect(text(first)).toMatch(/1–50 of 5[89]/);
    expect(first).toMatch(/<a href="\/admin\/audit\?before=\d+" rel="next">Older entries<\/a>/);
    const create = text(first.slice(first.indexOf('data-action="create"'), first.indexOf('</tr>', first.indexOf('data-action="create"'))));
    expect(create).toMatch(/Account p54@example.org created/);
    expect(create).toContain('Name: Person 54');
    expect(create).toContain('Administrator: no');
    const off = (await lead.agent.get('/admin/audit?what=user:deactivate')).text;
    expect(text(off)).toContain('1–1 of 1');
    expect(text(off)).toContain('Account p3@example.org deactivated');
    expect(text(off)).toContain('Active from yes to no');
    expect(off).not.toMatch(/\{&#34;|&#34;:/);
  });

  it('costs the same number of statements for 3 or 120 entries', async () => {
    const { studyId, leadId, services, counter, lead } = await setUp();
    const statements = async (url: string) => {
      await lead.agent.get(url);
      counter.reset();
      expect((await lead.agent.get(url)).status).toBe(200);
      return counter.count;
    };
    const urls = [`/studies/${studyId}/audit`, `/studies/${studyId}/audit?what=case&who=${leadId}&from=2026-01-01&to=2026-12-31&before=100000`, '/admin/audit'];
    const few = await Promise.all(urls.map(statements));
    for (let i = 0; i < 120; i++) services.repos.audit.record({ at: new Date().toISOString(), actorId: leadId, studyId, entity: 'case', action: 'sign-off', after: { case: 'zwolle' } });
    expect(await Promise.all(urls.map(statements))).toEqual(few);
  });
});
