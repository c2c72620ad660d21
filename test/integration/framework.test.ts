// The framework page and editor, study-file import and export in the browser's terms, and the
// rules that freeze parts of the framework once ratings exist.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';
import { ROOT } from '../helpers/processes.ts';

const FIXTURE = path.resolve(ROOT, '../shared/fixtures/framework-participatiewet.json');
const ATLAS = path.resolve(ROOT, '../shared/fixtures/atlas-2017-scores.json');

async function setUp() {
  const ctx = testApp();
  await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  await makeUser(ctx.services, { email: 'res@example.org', name: 'Rob Researcher' });
  const lead = await loginAs(ctx.app, 'lead@example.org');
  return { ...ctx, lead };
}

/** Imports a file through the upload form; returns the response. */
function upload(agent: ReturnType<typeof Object>, csrf: string, file: string | Buffer, name = 'study.json') {
  return (agent as any).post('/studies/import').field('_csrf', csrf).attach('file', typeof file === 'string' ? fs.readFileSync(file) : file, name);
}

async function importedStudy() {
  const ctx = await setUp();
  const res = await upload(ctx.lead.agent, ctx.lead.csrf, FIXTURE);
  expect(res.status).toBe(303);
  const studyId = Number(/\/studies\/(\d+)/.exec(res.headers.location)![1]);
  return { ...ctx, studyId };
}

describe('import and export in the browser', () => {
  it('imports the bijstand fixture from an upload; the importer is lead; the framework page shows all 62 conditions', async () => {
    const { lead, studyId, services, counter } = await importedStudy();
    expect(services.repos.studies.member(studyId, services.repos.users.findByEmail('lead@example.org')!.id)!.role).toBe('lead');
    counter.reset();
    const page = await lead.agent.get(`/studies/${studyId}/framework`);
    expect(page.status).toBe(200);
    const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
    for (const c of fixture.framework.conditions) expect(page.text).toContain(`id="c-${c.code}"`);
    expect(page.text.match(/<article class="condition-card"/g)).toHaveLength(62);
    expect(page.text).toContain('62 conditions and 65 relations');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(page.text)![0];
    for (const c of fixture.framework.conditions) expect(svg).toContain(`data-code="${c.code}"`);
    // A constant number of statements: session, user, study, and the framework's five.
    expect(counter.count).toBeLessThanOrEqual(10);
  });

  it('refuses a bad file, lists every problem, and stores nothing', async () => {
    const { lead, services } = await setUp();
    const doc = JSON.parse(fs.readFileSync(ATLAS, 'utf8'));
    doc.ratings[0].score = 9;
    doc.cases[1].raters = ['nobody@example.org', 'rater.b@example.org'];
    doc.reductions = [{ condition: '2.a', method: 1, reason: 'No spread.', by: 'lead@example.org' }];
    const res = await upload(lead.agent, lead.csrf, Buffer.from(JSON.stringify(doc)), 'atlas-broken.json');
    expect(res.status).toBe(422);
    expect(res.text).toContain('atlas-broken.json was not imported; nothing was stored');
    expect(res.text).toContain('ratings[0].score');
    expect(res.text).toContain('nobody@example.org is not a member of the study');
    expect(res.text).toContain('reductions[0].condition');
    expect(services.repos.studies.listIdsAndTitles()).toEqual([]);
    expect(services.repos.users.findByEmail('rater.a@example.org')).toBeUndefined();
  });

  it('answers a file that is not JSON with a problem, not an error page', async () => {
    const { lead } = await setUp();
    const res = await upload(lead.agent, lead.csrf, Buffer.from('<html>not json</html>'), 'page.html');
    expect(res.status).toBe(422);
    expect(res.text).toContain('The file is not valid JSON');
  });

  it('refuses an upload without the CSRF token and stores nothing', async () => {
    const { lead, services } = await setUp();
    const res = await lead.agent.post('/studies/import').attach('file', fs.readFileSync(FIXTURE), 'study.json');
    expect(res.status).toBe(403);
    expect(services.repos.studies.listIdsAndTitles()).toEqual([]);
  });

  it('exports the study as an attachment that validates and carries the revision', async () => {
    const { lead, studyId } = await importedStudy();
    const res = await lead.agent.get(`/studies/${studyId}/export.json`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="kader-\d+-verklaringen-voor-tekorten[\w-]*\.json"$/);
    const doc = JSON.parse(res.text);
    expect(validateStudyFile(doc).ok).toBe(true);
    expect(doc.framework.revision).toBe(1);
  });

  it('creates a new study from the bijstand template with 62 conditions, 7 roles and 42 questions', async () => {
    const { lead, services } = await setUp();
    const res = await lead.agent.post('/studies').type('form').send({ _csrf: lead.csrf, title: 'Mijn bijstandsstudie', question: '', language: 'nl', template: 'bijstand' });
    expect(res.status).toBe(303);
    const id = Number(/\/studies\/(\d+)/.exec(res.headers.location!)![1]);
    const doc = services.studyFile.exporter.run(id, 'archive') as any;
    expect(doc.study.title).toBe('Mijn bijstandsstudie');
    expect(doc.framework.conditions).toHaveLength(62);
    expect(doc.roles).toHaveLength(7);
    expect(doc.questions).toHaveLength(42);
  });
});

describe('editing the framework', () => {
  const conditionForm = (over: Record<string, string>) => ({
    code: '2.a', name: 'Selectie aan de poort', level: '2', category: 'L2-IN', parent: '', kind: 'rated', polarity: 'higher-is-favourable',
    description: '', assessedOn: '', ...over,
  });

  it('a lead changes a condition; the revision goes up and the audit log has before and after', async () => {
    const { lead, studyId, services } = await importedStudy();
    const id = services.repos.framework.load(studyId, '', 0).conditionIds.get('2.a')!;
    const res = await lead.agent.post(`/studies/${studyId}/framework/conditions/${id}`).type('form')
      .send({ _csrf: lead.csrf, revision: '1', ...conditionForm({ name: 'Drempels bij de poort', anchor_1: 'geen drempels', anchor_5: 'veel drempels' }) });
    expect(res.status).toBe(303);
    const study = services.repos.studies.findById(studyId)!;
    expect(study.framework_revision).toBe(2);
    const c = services.repos.framework.load(studyId, '', 0).doc.conditions.find((x) => x.code === '2.a')!;
    expect(c.name).toBe('Drempels bij de poort');
    expect(c.anchors).toEqual({ '1': 'geen drempels', '5': 'veel drempels' });
    const entry = services.repos.audit.listForStudy(studyId)[0]!;
    expect(entry.entity).toBe('condition');
    expect(JSON.parse(entry.before!).name).toBe('Selectie aan de poort');
    expect(JSON.parse(entry.after!).name).toBe('Drempels bij de poort');
    expect((await lead.agent.get(`/studies/${studyId}/export.json`)).body.framework.revision).toBe(2);
  });

  it('reads a framework once per revision: a repeat page view does not read it again, and an edit shows at once', async () => {
    const { lead, studyId, services, counter } = await importedStudy();
    const page = () => lead.agent.get(`/studies/${studyId}/framework`);
    expect((await page()).text).toContain('Selectie aan de poort');
    const readsFramework = () => counter.statements.filter((sql) => /FROM levels WHERE study_id/.test(sql)).length;
    counter.reset();
    await page();
    expect(readsFramework()).toBe(0);
    const study = services.repos.studies.findById(studyId)!;
    const loaded = services.repos.framework.load(studyId, study.framework_title, study.framework_revision);
    expect(Object.isFrozen(loaded.doc.conditions[0])).toBe(true);
    const id = loaded.conditionIds.get('2.a')!;
    await lead.agent.post(`/studies/${studyId}/framework/conditions/${id}`).type('form').send({ _csrf: lead.csrf, revision: '1', ...conditionForm({ name: 'Drempels bij de poort' }) });
    counter.reset();
    const after = await page();
    expect(after.text).toContain('Drempels bij de poort');
    expect(after.text).not.toContain('Selectie aan de poort');
    expect(readsFramework()).toBe(1);
  });

  it('names the broken rule next to the field and keeps the input', async () => {
    const { lead, studyId, services } = await importedStudy();
    const id = services.repos.framework.load(studyId, '', 0).conditionIds.get('2.a')!;
    const res = await lead.agent.post(`/studies/${studyId}/framework/conditions/${id}`).type('form')
      .send({ _csrf: lead.csrf, revision: '1', ...conditionForm({ category: 'L3-BEL', description: 'Mijn nieuwe tekst' }) });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="f-category-error">Category &#34;L3-BEL&#34; belongs to level 3/);
    expect(res.text).toContain('Mijn nieuwe tekst');
    expect(services.repos.studies.findById(studyId)!.framework_revision).toBe(1);
  });

  it('refuses a relation that points to a higher level number unless it is marked feedback', async () => {
    const { lead, studyId, services } = await importedStudy();
    const refused = await lead.agent.post(`/studies/${studyId}/framework/relations`).type('form').send({ _csrf: lead.csrf, revision: '1', from: '0', to: '2.a', note: 'terug' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('points from level 0 to the higher level number 2');
    const accepted = await lead.agent.post(`/studies/${studyId}/framework/relations`).type('form').send({ _csrf: lead.csrf, revision: '1', from: '0', to: '2.a', note: 'terug', feedback: 'on' });
    expect(accepted.status).toBe(303);
    expect(services.repos.framework.load(studyId, '', 0).doc.relations).toContainEqual({ from: '0', to: '2.a', note: 'terug', feedback: true });
  });

  it('refuses an edit made on an older revision and keeps the user’s text', async () => {
    const { lead, studyId } = await importedStudy();
    await lead.agent.post(`/studies/${studyId}/framework/title`).type('form').send({ _csrf: lead.csrf, title: 'Nieuwe titel' });
    const res = await lead.agent.post(`/studies/${studyId}/framework/levels/4`).type('form')
      .send({ _csrf: lead.csrf, revision: '1', number: '4', name: 'Brede context', description: 'Mijn zorgvuldige beschrijving' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('changed by someone else since you opened this page');
    expect(res.text).toContain('Mijn zorgvuldige beschrijving');
  });

  it('renumbering a level moves its categories and conditions with it', async () => {
    const { lead, studyId, services } = await importedStudy();
    const res = await lead.agent.post(`/studies/${studyId}/framework/levels/4`).type('form').send({ _csrf: lead.csrf, revision: '1', number: '5', name: 'Brede context', description: '' });
    expect(res.status).toBe(303);
    const doc = services.repos.framework.load(studyId, '', 0).doc;
    expect(doc.conditions.find((c) => c.code === '4.a')!.level).toBe(5);
    expect(doc.categories.find((c) => c.key === 'L4-CTX')!.level).toBe(5);
  });

  it('once a rating exists: no condition can be removed, kind and polarity are fixed, texts still change', async () => {
    const { lead, studyId, services, db } = await importedStudy();
    const ids = services.repos.framework.load(studyId, '', 0).conditionIds;
    const unrated = ids.get('2.c')!;
    expect((await lead.agent.post(`/studies/${studyId}/framework/conditions/${unrated}/delete`).type('form').send({ _csrf: lead.csrf, revision: '1' })).status).toBe(303);
    // A rating arrives (as the rating feature will write it).
    const leadId = services.repos.users.findByEmail('lead@example.org')!.id;
    const caseId = services.repos.cases.insert(studyId, { key: 'k', name: 'K', pseudonym: null, group: '', attributes: {}, selectionReason: '' }, 0, '2026-01-01T00:00:00Z');
    services.repos.ratings.insert({ caseId, conditionId: ids.get('2.a')!, raterId: leadId, score: 3, rationale: '', submittedAt: null, now: '2026-01-01T00:00:00Z' });

    const removal = await lead.agent.post(`/studies/${studyId}/framework/conditions/${ids.get('2.b')}/delete`).type('form').send({ _csrf: lead.csrf, revision: '2' });
    expect(removal.status).toBe(422);
    expect(removal.text).toContain('conditions can no longer be removed');
    expect(db.prepare('SELECT count(*) AS n FROM conditions WHERE id = ?').get(ids.get('2.b'))).toEqual({ n: 1 });

    const flip = await lead.agent.post(`/studies/${studyId}/framework/conditions/${ids.get('2.a')}`).type('form').send({ _csrf: lead.csrf, revision: '2', ...conditionForm({ polarity: 'lower-is-favourable' }) });
    expect(flip.status).toBe(422);
    expect(flip.text).toMatch(/id="f-polarity-error">Ratings exist for this study/);
    const kind = await lead.agent.post(`/studies/${studyId}/framework/conditions/${ids.get('2.a')}`).type('form').send({ _csrf: lead.csrf, revision: '2', ...conditionForm({ kind: 'measured' }) });
    expect(kind.status).toBe(422);

    const text = await lead.agent.post(`/studies/${studyId}/framework/conditions/${ids.get('2.a')}`).type('form').send({ _csrf: lead.csrf, revision: '2', ...conditionForm({ description: 'Nieuwe uitleg' }) });
    expect(text.status).toBe(303);
    const entry = services.repos.audit.listForStudy(studyId)[0]!;
    expect(JSON.parse(entry.after!).description).toBe('Nieuwe uitleg');
  });
});
