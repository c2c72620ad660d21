// The study navigation (issue 14.3): six workflow groups with the current group's pages, the
// breadcrumb, aria-current, the role rules of each link and the header search; the study's interview
// and document lists with their filters, pages and constant statement counts; names in messages.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/framework/templates.ts';
import { placeOf } from '../../server/studies/studies.nav.ts';
import { loginAs, makeUser, testApp, type TestContext } from '../helpers/app.ts';

async function setUp() {
  const ctx = testApp({ clock: () => new Date('2026-05-20T09:30:00Z') });
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  const resId = await makeUser(ctx.services, { email: 'res@example.org', name: 'Rob Researcher' });
  await makeUser(ctx.services, { email: 'view@example.org', name: 'Vera Viewer' });
  await makeUser(ctx.services, { email: 'new@example.org', name: 'Nina Nieuw' });
  const template = loadTemplate('bijstand')!;
  template.members = [
    { email: 'res@example.org', name: 'Rob Researcher', role: 'researcher' },
    { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
  ];
  template.cases = [{ key: 'dordrecht', name: 'Dordrecht' }, { key: 'zwolle', name: 'Zwolle' }, { key: 'breda', name: 'Breda' }];
  const { studyId } = await ctx.services.studyFile.importer.run(template, { owner: leadId, actorId: leadId });
  const roles = ctx.services.repos.guides.roles(studyId);
  const lead = await loginAs(ctx.app, 'lead@example.org');
  const researcher = await loginAs(ctx.app, 'res@example.org');
  const viewer = await loginAs(ctx.app, 'view@example.org');
  return { ...ctx, studyId, leadId, resId, roles, lead, researcher, viewer, base: `/studies/${studyId}` };
}

/** The hrefs of the links in the part of the page that matches `re`. */
const hrefsIn = (html: string, re: RegExp) => [...(re.exec(html)?.[0] ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
const groupsRow = /<ul class="nav-groups">[\s\S]*?<\/ul>/;
const pagesRow = /<ul class="nav-pages"[\s\S]*?<\/ul>/;
const crumbs = /<nav class="study-crumbs"[\s\S]*?<\/nav>/;

/** A document's record only, as an imported study file holds it (no file, nothing to extract: quick in bulk). */
function addRecord(ctx: TestContext, studyId: number, caseKey: string, title: string, kind: string): void {
  const docs = ctx.services.repos.documents;
  docs.insert({
    studyId, caseId: ctx.services.repos.cases.findByKey(studyId, caseKey)!.id, key: docs.nextKey(studyId), title, kind, date: null, filename: `${title}.pdf`,
    storageName: null, mediaType: 'application/octet-stream', size: 0, sha256: '', textStatus: 'none', uploadedBy: null, now: '2026-05-20T09:30:00Z',
  });
}

function addDocument(ctx: TestContext, studyId: number, caseKey: string, title: string, kind: string): string {
  fs.mkdirSync(ctx.config.uploadsDir, { recursive: true });
  const file = path.join(ctx.config.uploadsDir, `nav-${Math.random()}.part`);
  fs.writeFileSync(file, 'plain text');
  return ctx.services.documents.add(studyId, caseKey, { title, kind, date: null }, { path: file, size: 10, sha256: '-', originalName: `${title}.txt` }, null).key;
}

describe('the study navigation', () => {
  it('has six groups in workflow order, the current group’s pages in a second row, and aria-current on group and page', async () => {
    const { lead, base } = await setUp();
    const page = (await lead.agent.get(`${base}/interviews`)).text;
    expect(hrefsIn(page, groupsRow)).toEqual([base, `${base}/framework`, `${base}/cases`, `${base}/my-cases`, `${base}/cross-case`, `${base}/members`]);
    expect(page).toMatch(new RegExp(`<a href="${base}/cases" aria-current="true">Fieldwork</a>`));
    expect(hrefsIn(page, pagesRow)).toEqual([`${base}/cases`, `${base}/interviews`, `${base}/documents`, `${base}/evidence`, `${base}/coverage`]);
    expect(pagesRow.exec(page)![0]).toContain(`<a href="${base}/interviews" aria-current="page">Interviews</a>`);
    // Breadcrumb: studies › study › group › page (the page itself is not a link).
    const trail = crumbs.exec(page)![0];
    expect(hrefsIn(page, crumbs)).toEqual(['/studies', base, `${base}/cases`]);
    expect(trail).toContain('<span aria-current="page">Interviews</span>');
    // A page below a list page: the list page is current as "true" and a link in the breadcrumb.
    const casePage = (await lead.agent.get(`${base}/cases/zwolle`)).text;
    expect(pagesRow.exec(casePage)![0]).toContain(`<a href="${base}/cases" aria-current="true">Cases</a>`);
    expect(hrefsIn(casePage, crumbs)).toEqual(['/studies', base, `${base}/cases`, `${base}/cases`]);
  });

  it('keeps the role rules: viewers see no fieldwork, researchers no lead pages; the phone menu lists the same pages', async () => {
    const { lead, researcher, viewer, base } = await setUp();
    const leadPages = [
      (await lead.agent.get(`${base}/my-cases`)).text,
      (await lead.agent.get(`${base}/members`)).text,
      (await lead.agent.get(`${base}/cross-case`)).text,
    ];
    expect(hrefsIn(leadPages[0]!, pagesRow)).toEqual([`${base}/my-cases`, `${base}/assignment`, `${base}/reconcile`, `${base}/agreement`]);
    expect(hrefsIn(leadPages[1]!, pagesRow)).toEqual([`${base}/members`, `${base}/anonymisation`, `${base}/audit`, `${base}/edit`]);
    expect(hrefsIn(leadPages[2]!, pagesRow)).toEqual([`${base}/cross-case`, `${base}/reduction`, `${base}/report-templates`, `${base}/exports`]);

    const resRating = (await researcher.agent.get(`${base}/my-cases`)).text;
    expect(hrefsIn(resRating, pagesRow)).toEqual([`${base}/my-cases`, `${base}/reconcile`, `${base}/agreement`]);
    const resFieldwork = (await researcher.agent.get(`${base}/cases`)).text;
    expect(hrefsIn(resFieldwork, pagesRow)).toEqual([`${base}/cases`, `${base}/interviews`, `${base}/documents`, `${base}/evidence`, `${base}/coverage`]);
    // The Study group of a researcher holds only the members: no anonymisation, audit or settings anywhere.
    for (const p of ['anonymisation', 'audit', 'edit', 'assignment']) expect(resFieldwork).not.toContain(`href="${base}/${p}"`);
    expect(resFieldwork).toContain('class="header-search"');

    const viewCases = (await viewer.agent.get(`${base}/cases`)).text;
    expect(hrefsIn(viewCases, pagesRow)).toEqual([`${base}/cases`, `${base}/coverage`]);
    for (const p of ['interviews', 'documents', 'evidence', 'search', 'reconcile']) expect(viewCases).not.toContain(`href="${base}/${p}"`);
    expect(viewCases).not.toContain('class="header-search"');
    expect(hrefsIn((await viewer.agent.get(`${base}/cross-case`)).text, pagesRow)).toEqual([`${base}/cross-case`, `${base}/reduction`, `${base}/report`, `${base}/exports`]);

    // The phone menu (a <details>) holds every group with its pages: the same links as the rows.
    const menu = /<details class="study-menu"[\s\S]*?<\/details>/.exec(resFieldwork)![0];
    expect(menu).toContain('<summary>');
    for (const href of [`${base}/framework`, `${base}/guides`, `${base}/interviews`, `${base}/reconcile`, `${base}/exports`, `${base}/members`]) expect(menu).toContain(`href="${href}"`);
  });

  it('the header search goes to the study’s search page, and is not shown outside a study', async () => {
    const { researcher, base } = await setUp();
    const page = (await researcher.agent.get(`${base}/framework`)).text;
    expect(page).toMatch(new RegExp(`<form class="header-search" method="get" action="${base}/search" role="search"`));
    expect(page).toContain('name="q"');
    expect((await researcher.agent.get('/studies')).text).not.toContain('header-search');
    expect((await researcher.agent.get(`${base}/search?q=poort`)).status).toBe(200);
  });

  it('places every page of a case in the part of the workflow it serves', () => {
    expect(placeOf('/cases/x/rate')).toEqual({ group: 'rating', page: 'my-cases' });
    expect(placeOf('/cases/x/analysis')).toEqual({ group: 'analysis', page: null });
    expect(placeOf('/cases/x/documents')).toEqual({ group: 'fieldwork', page: 'documents' });
    expect(placeOf('/cases/x/edit')).toEqual({ group: 'fieldwork', page: 'cases' });
    expect(placeOf('/ratings/import')).toEqual({ group: 'rating', page: 'assignment' });
    expect(placeOf('/reconcile/cases/x/items/2.a')).toEqual({ group: 'rating', page: 'reconcile' });
    expect(placeOf('/search')).toEqual({ group: 'fieldwork', page: null });
  });
});

describe('the study’s interview list', () => {
  it('filters by case, status and role with a GET form, pages by 50, and offers to log an interview for the chosen case', async () => {
    const { services, studyId, resId, roles, researcher, viewer, base } = await setUp();
    const log = (caseKey: string, status: 'planned' | 'held' | 'approved', roleIds: number[], day: number) =>
      services.interviews.create(studyId, { case: caseKey, date: `2026-02-${String(day).padStart(2, '0')}`, participants: 1, notes: 'n', status, roles: roleIds, interviewers: [resId], conditions: [] }, resId);
    log('dordrecht', 'held', [roles[0]!.id], 1);
    log('dordrecht', 'planned', [roles[1]!.id], 2);
    log('zwolle', 'held', [roles[1]!.id], 3);
    log('breda', 'approved', [roles[0]!.id, roles[1]!.id], 4);
    const rows = (html: string) => (html.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0].match(/<tr>/g) ?? []).length;

    const all = (await researcher.agent.get(`${base}/interviews`)).text;
    expect(rows(all)).toBe(4);
    expect(all).toContain('1–4 of 4</p>');
    expect(all).toContain(`href="${base}/interviews/new"`);
    expect(rows((await researcher.agent.get(`${base}/interviews?case=dordrecht`)).text)).toBe(2);
    const forCase = (await researcher.agent.get(`${base}/interviews?case=dordrecht`)).text;
    expect(forCase).toContain(`href="${base}/interviews/new?case=dordrecht"`);
    expect(forCase).toMatch(/<option value="dordrecht" selected>Dordrecht<\/option>/);
    expect(rows((await researcher.agent.get(`${base}/interviews?status=held`)).text)).toBe(2);
    expect(rows((await researcher.agent.get(`${base}/interviews?role=${roles[1]!.id}`)).text)).toBe(3);
    expect(rows((await researcher.agent.get(`${base}/interviews?case=dordrecht&status=held&role=${roles[0]!.id}`)).text)).toBe(1);
    const none = (await researcher.agent.get(`${base}/interviews?case=zwolle&status=approved`)).text;
    expect(rows(none)).toBe(0);
    expect(none).toContain('No interview matches these filters.');
    expect(none).toContain(`href="${base}/interviews">Clear filters`);
    // Input that is no filter means "any", never an error.
    expect(rows((await researcher.agent.get(`${base}/interviews?status=bogus&role=x&page=-3`)).text)).toBe(4);
    // The raw fieldwork is closed to viewers unless a lead opens it.
    expect((await viewer.agent.get(`${base}/interviews`)).status).toBe(403);

    // Pages of 50, the filters kept in the links; past the last page: the first page of the same filter.
    for (let i = 0; i < 56; i++) log('zwolle', 'held', [], 10 + (i % 18));
    const first = (await researcher.agent.get(`${base}/interviews?case=zwolle`)).text;
    expect(rows(first)).toBe(50);
    expect(first).toContain('1–50 of 57</p>');
    expect(first).toContain('<span aria-current="page" class="pager-current" aria-label="Page 1, this page">1</span>');
    expect(first).toContain(`href="${base}/interviews?case=zwolle&amp;page=2" rel="next"`);
    const second = (await researcher.agent.get(`${base}/interviews?case=zwolle&page=2`)).text;
    expect(rows(second)).toBe(7);
    expect(second).toContain('51–57 of 57</p>');
    expect(second).toContain(`href="${base}/interviews?case=zwolle" rel="prev"`);
    const past = await researcher.agent.get(`${base}/interviews?case=zwolle&page=9`);
    expect(past.status).toBe(303);
    expect(past.headers.location).toBe(`${base}/interviews?case=zwolle`);
  });

  it('reads a page in the same number of statements with 2 or 60 interviews', async () => {
    const { services, studyId, resId, researcher, base, counter } = await setUp();
    const log = () => services.interviews.create(studyId, { case: 'breda', date: '2026-03-01', participants: 1, notes: 'n', status: 'held', roles: [], interviewers: [resId], conditions: [] }, resId);
    log();
    log();
    await researcher.agent.get(`${base}/interviews?status=held`);
    counter.reset();
    await researcher.agent.get(`${base}/interviews?status=held`);
    const few = counter.count;
    for (let i = 0; i < 58; i++) log();
    counter.reset();
    const page = await researcher.agent.get(`${base}/interviews?status=held`);
    expect(page.text).toContain('of 60</p>');
    expect(counter.count).toBe(few);
  });
});

describe('the study’s document list', () => {
  it('lists every case’s documents with links to the case’s documents and the download, filtered by case and kind, in pages', async () => {
    const ctx = await setUp();
    const { studyId, researcher, base } = ctx;
    const plan = addDocument(ctx, studyId, 'dordrecht', 'Beleidsplan Dordrecht', 'beleidsplan');
    addDocument(ctx, studyId, 'zwolle', 'Jaarverslag Zwolle', 'jaarverslag');
    addDocument(ctx, studyId, 'zwolle', 'Beleidsplan Zwolle', 'beleidsplan');
    await ctx.services.documents.settled();
    const rows = (html: string) => (html.match(/<tbody>[\s\S]*?<\/tbody>/)?.[0].match(/<tr>/g) ?? []).length;

    const all = (await researcher.agent.get(`${base}/documents`)).text;
    expect(rows(all)).toBe(3);
    expect(all).toContain('1–3 of 3</p>');
    expect(all).toContain(`href="${base}/cases/dordrecht/documents">Dordrecht</a>`);
    expect(all).toContain(`href="${base}/documents/${plan}/download"`);
    expect(all).toMatch(/<option value="beleidsplan">beleidsplan<\/option>/);
    expect(rows((await researcher.agent.get(`${base}/documents?case=zwolle`)).text)).toBe(2);
    expect(rows((await researcher.agent.get(`${base}/documents?kind=beleidsplan`)).text)).toBe(2);
    const both = (await researcher.agent.get(`${base}/documents?case=zwolle&kind=beleidsplan`)).text;
    expect(rows(both)).toBe(1);
    expect(both).toContain('Beleidsplan Zwolle');
    expect(both).toContain(`href="${base}/cases/zwolle/documents">Upload a document for Zwolle`);
    expect((await researcher.agent.get(`${base}/documents?case=breda`)).text).toContain('No document matches these filters.');
    expect((await researcher.agent.get(`${base}/documents/${plan}/download`)).status).toBe(200);

    for (let i = 0; i < 52; i++) addRecord(ctx, studyId, 'breda', `Memo ${i}`, 'memo');
    const first = (await researcher.agent.get(`${base}/documents?kind=memo`)).text;
    expect(rows(first)).toBe(50);
    expect(first).toContain('1–50 of 52</p>');
    expect(first).toContain(`href="${base}/documents?kind=memo&amp;page=2" rel="next"`);
    expect(rows((await researcher.agent.get(`${base}/documents?kind=memo&page=2`)).text)).toBe(2);
  });

  it('reads a page in the same number of statements with 1 or 40 documents', async () => {
    const ctx = await setUp();
    const { studyId, researcher, base, counter } = ctx;
    addRecord(ctx, studyId, 'breda', 'Memo', 'memo');
    await researcher.agent.get(`${base}/documents`);
    counter.reset();
    await researcher.agent.get(`${base}/documents`);
    const few = counter.count;
    for (let i = 0; i < 39; i++) addRecord(ctx, studyId, i % 2 ? 'zwolle' : 'dordrecht', `Memo ${i}`, i % 3 ? 'memo' : 'brief');
    counter.reset();
    const page = await researcher.agent.get(`${base}/documents`);
    expect(page.text).toContain('of 40</p>');
    expect(counter.count).toBe(few);
  });
});

describe('names in messages', () => {
  it('a new member and saved raters are named by name, not by e-mail or key', async () => {
    const { lead, base, services } = await setUp();
    const added = await lead.agent.post(`${base}/members`).type('form').send({ _csrf: lead.csrf, email: 'new@example.org', role: 'viewer' });
    expect(added.status).toBe(303);
    expect((await lead.agent.get(`${base}/members`)).text).toContain('Nina Nieuw (new@example.org) is now a member.');

    const resId = services.repos.users.findByEmail('res@example.org')!.id;
    const leadId = services.repos.users.findByEmail('lead@example.org')!.id;
    const saved = await lead.agent.post(`${base}/assignment/cases/breda`).type('form').send({ _csrf: lead.csrf, rater1: String(leadId), rater2: String(resId) });
    expect(saved.status).toBe(303);
    const flash = (await lead.agent.get(`${base}/assignment`)).text;
    expect(flash).toContain('The raters of Breda are saved.');
    expect(flash).not.toContain('raters of breda');
  });
});
