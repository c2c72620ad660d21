// The demo study: what it holds after loading into a fresh database, every study page answering
// with its data for the demo lead, `kader demo` as an operator runs it, and the first-run button.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TITLE, loadDemo, type DemoResult } from '../../server/demo/demo.service.ts';
import { planDemo } from '../../server/demo/demo.plan.ts';
import { loadTemplate } from '../../server/framework/templates.ts';
import { RuleError } from '../../server/lib/errors.ts';
import { csrfOf, loginAs, makeUser, tempDir, testApp, type Agent, type TestContext } from '../helpers/app.ts';
import { kader } from '../helpers/processes.ts';

const LEAD = DEMO_PEOPLE[0].email;
const RATER = DEMO_PEOPLE[1].email;

describe('demo.plan', () => {
  it('is the same on every run (seeded), and different with another seed', () => {
    const template = loadTemplate('bijstand')!;
    expect(JSON.stringify(planDemo(template))).toBe(JSON.stringify(planDemo(loadTemplate('bijstand')!)));
    expect(JSON.stringify(planDemo(template, 7))).not.toBe(JSON.stringify(planDemo(template)));
  });
});

describe('the demo study loaded into a fresh database', () => {
  let ctx: TestContext;
  let demo: DemoResult;
  let studyId: number;
  let lead: { agent: Agent; csrf: string };
  let rater: { agent: Agent; csrf: string };
  const count = (sql: string, ...params: unknown[]) => (ctx.db.prepare(sql).get(...params) as { n: number }).n;

  beforeAll(async () => {
    ctx = testApp();
    demo = await loadDemo(ctx.db, ctx.config, { actorId: null });
    await demo.textExtracted;
    studyId = demo.studyId;
    lead = await loginAs(ctx.app, LEAD, DEMO_PASSWORD);
    rater = await loginAs(ctx.app, RATER, DEMO_PASSWORD);
  }, 240_000);

  it('has the bijstand framework and fifteen fictional municipalities with groups, attributes and measures', () => {
    const study = ctx.services.repos.studies.findById(studyId)!;
    expect(study.title).toBe(DEMO_TITLE);
    expect(count('SELECT count(*) n FROM conditions WHERE study_id = ?', studyId)).toBe(62);
    expect(count('SELECT count(*) n FROM relations WHERE study_id = ?', studyId)).toBeGreaterThan(50);
    const cases = ctx.services.repos.cases.list(studyId);
    expect(cases).toHaveLength(15);
    expect(new Set(cases.map((c) => c.grp))).toEqual(new Set(['tekort', 'overschot']));
    expect(count('SELECT count(*) n FROM case_attribute_types WHERE study_id = ?', studyId)).toBe(3);
    // Every case has the level-0 result, the level-1 measures and named variables; the result also per year.
    expect(count(`SELECT count(DISTINCT m.case_id) n FROM case_measures m JOIN cases c ON c.id = m.case_id WHERE c.study_id = ? AND m.variable = '0' AND m.year IS NULL`, studyId)).toBe(15);
    expect(count(`SELECT count(*) n FROM case_measures m JOIN cases c ON c.id = m.case_id WHERE c.study_id = ? AND m.year IS NULL`, studyId)).toBe(15 * 12);
    expect(count(`SELECT count(*) n FROM case_measures m JOIN cases c ON c.id = m.case_id WHERE c.study_id = ? AND m.year IS NOT NULL`, studyId)).toBe(15 * 5);
  });

  it('has the demo accounts as members, with the published password', async () => {
    const members = ctx.services.studies.members(studyId);
    for (const p of DEMO_PEOPLE) expect(members.find((m) => m.email === p.email)?.role).toBe(p.role);
    expect(await ctx.services.users.authenticate(DEMO_PEOPLE[3].email, DEMO_PASSWORD)).not.toBeNull();
  });

  it('has 45 or more interviews with Dutch notes, in several roles and statuses, dated 2025–2026', () => {
    expect(count('SELECT count(*) n FROM interviews WHERE study_id = ?', studyId)).toBeGreaterThanOrEqual(45);
    expect(count("SELECT count(*) n FROM interviews WHERE study_id = ? AND length(notes) > 300", studyId)).toBeGreaterThanOrEqual(45);
    expect(count("SELECT count(*) n FROM interviews WHERE study_id = ? AND (date < '2025-01-01' OR date > '2026-12-31')", studyId)).toBe(0);
    const statuses = ctx.db.prepare('SELECT DISTINCT status FROM interviews WHERE study_id = ?').pluck().all(studyId);
    expect(new Set(statuses)).toEqual(new Set(['planned', 'held', 'drafted', 'sent', 'approved']));
    expect(count('SELECT count(DISTINCT ir.role_id) n FROM interview_roles ir JOIN interviews i ON i.id = ir.interview_id WHERE i.study_id = ?', studyId)).toBeGreaterThanOrEqual(6);
    const notes = ctx.db.prepare('SELECT notes FROM interviews WHERE study_id = ? ORDER BY id LIMIT 1').pluck().get(studyId) as string;
    expect(notes).toMatch(/^\*\*Bestuurlijk gesprek\*\*, \d+ \w+ 2025\n\n- \*\*Aanwezig:\*\* de wethouder/);
    expect(notes).toContain('### ');
  });

  it('has documents stored on disk with their SHA-256 and extracted text', () => {
    const docs = ctx.db.prepare('SELECT * FROM documents WHERE study_id = ?').all(studyId) as { storage_name: string; sha256: string; text: string; text_status: string; media_type: string }[];
    expect(docs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(docs.map((d) => d.media_type))).toEqual(new Set(['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown']));
    for (const d of docs) {
      const bytes = fs.readFileSync(path.join(ctx.config.uploadsDir, d.storage_name));
      expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(d.sha256);
      expect(d.text_status).toBe('done');
    }
    // Text extraction keeps the Dutch words, accents included (the PDFs use WinAnsi).
    expect(docs.map((d) => d.text).join('\n')).toContain('werkfit-gesprek');
    expect(docs.map((d) => d.text).join('\n')).toContain('heronderzoeken');
    expect(fs.readdirSync(path.join(ctx.config.uploadsDir, '.incoming'))).toEqual([]);
  });

  it('has evidence quoted from the interview notes and the documents, linked to conditions', () => {
    expect(count('SELECT count(*) n FROM evidence WHERE study_id = ? AND interview_id IS NOT NULL', studyId)).toBeGreaterThanOrEqual(45);
    expect(count('SELECT count(*) n FROM evidence WHERE study_id = ? AND document_id IS NOT NULL', studyId)).toBeGreaterThanOrEqual(6);
    // Each interview quote is a line of the interview's notes.
    const unquoted = count(`SELECT count(*) n FROM evidence e JOIN interviews i ON i.id = e.interview_id WHERE e.study_id = ? AND instr(i.notes, e.quote) = 0`, studyId);
    expect(unquoted).toBe(0);
    expect(count('SELECT count(*) n FROM evidence e WHERE e.study_id = ? AND NOT EXISTS (SELECT 1 FROM evidence_conditions ec WHERE ec.evidence_id = e.id)', studyId)).toBe(0);
    expect(count('SELECT count(*) n FROM rating_evidence re JOIN ratings r ON r.id = re.rating_id JOIN cases c ON c.id = r.case_id WHERE c.study_id = ?', studyId)).toBeGreaterThan(50);
  });

  it('has two raters per case, who submitted 14 of the 15 cases, mostly agreeing', () => {
    expect(count('SELECT count(*) n FROM case_raters cr JOIN cases c ON c.id = cr.case_id WHERE c.study_id = ?', studyId)).toBe(30);
    const submittedCases = count(
      `SELECT count(*) n FROM cases c WHERE c.study_id = ? AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = c.id AND r.submitted_at IS NULL)`,
      studyId,
    );
    expect(submittedCases).toBe(14);
    const pairs = ctx.db
      .prepare(
        `SELECT a.score AS a, b.score AS b FROM ratings a JOIN ratings b ON b.case_id = a.case_id AND b.condition_id = a.condition_id AND b.rater_id > a.rater_id
         JOIN cases c ON c.id = a.case_id WHERE c.study_id = ? AND a.submitted_at IS NOT NULL AND b.submitted_at IS NOT NULL`,
      )
      .all(studyId) as { a: number | null; b: number | null }[];
    const both = pairs.filter((p) => p.a !== null && p.b !== null);
    const equal = both.filter((p) => p.a === p.b).length;
    const minor = both.filter((p) => Math.abs(p.a! - p.b!) === 1).length;
    const major = both.filter((p) => Math.abs(p.a! - p.b!) >= 2).length;
    expect(equal / both.length).toBeGreaterThan(0.6);
    expect(minor).toBeGreaterThan(40);
    expect(major).toBeGreaterThan(5);
    expect(pairs.filter((p) => (p.a === null) !== (p.b === null)).length).toBeGreaterThan(5);
    // Cannot judge always carries a reason.
    expect(count(`SELECT count(*) n FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.study_id = ? AND r.score IS NULL AND coalesce(r.cannot_judge_reason, '') = ''`, studyId)).toBe(0);
    const report = ctx.services.agreement.agreement(studyId);
    expect(report.overall.units).toBeGreaterThan(500);
    expect(report.overall.alpha.ordinal).toBeGreaterThan(0.4);
  });

  it('has reconciled items with notes, threads, signed-off cases (one changed since) and a bulk rule', () => {
    expect(count('SELECT count(*) n FROM reconciliations r JOIN cases c ON c.id = r.case_id WHERE c.study_id = ?', studyId)).toBeGreaterThan(60);
    expect(count("SELECT count(*) n FROM reconciliations r JOIN cases c ON c.id = r.case_id WHERE c.study_id = ? AND r.rule = 'lower'", studyId)).toBeGreaterThan(0);
    expect(count('SELECT count(*) n FROM reconciliation_comments x JOIN cases c ON c.id = x.case_id WHERE c.study_id = ?', studyId)).toBeGreaterThanOrEqual(8);
    const ready = ctx.services.repos.reconcile.readyCases(studyId);
    expect(ready.filter((c) => c.signed_off_at).length).toBe(5);
    expect(ready.filter((c) => c.changed_after_sign_off).length).toBe(1);
    const queue = ctx.services.reconcile.queue(studyId, { id: 0, isLead: true });
    expect(queue.queued.some((i) => i.open)).toBe(true);
    expect(queue.queued.some((i) => !i.open)).toBe(true);
  });

  it('has explanation degrees and narratives for most cases, and a reduction decision', () => {
    expect(count('SELECT count(*) n FROM case_analyses a JOIN cases c ON c.id = a.case_id WHERE c.study_id = ? AND a.explanation_degree IS NOT NULL', studyId)).toBe(12);
    const degrees = ctx.db.prepare('SELECT DISTINCT a.explanation_degree FROM case_analyses a JOIN cases c ON c.id = a.case_id WHERE c.study_id = ?').pluck().all(studyId);
    expect(new Set(degrees)).toEqual(new Set(['hardly', 'limited', 'fair', 'good']));
    expect(count('SELECT count(*) n FROM reductions WHERE study_id = ? AND reverted_at IS NULL', studyId)).toBe(1);
    const model = ctx.services.analysis.analysis(studyId);
    expect(model.cases.filter((c) => c.explanationDegree !== null)).toHaveLength(12);
  });

  it('is refused a second time, naming the demo accounts, and changes nothing', async () => {
    const before = count('SELECT count(*) n FROM studies');
    await expect(loadDemo(ctx.db, ctx.config, { actorId: null })).rejects.toThrow(RuleError);
    await expect(loadDemo(ctx.db, ctx.config, { actorId: null })).rejects.toMatchObject({ messageKey: 'demo.exists' });
    expect(count('SELECT count(*) n FROM studies')).toBe(before);
  });

  // Every study page that takes only parameters the demo can fill answers 200 for the demo lead
  // (the rating form for a demo rater): pages added later are covered as they appear.
  it('answers 200 with its data on every study page', async () => {
    const signedOff = ctx.services.repos.reconcile.readyCases(studyId).find((c) => c.signed_off_at)!;
    const caseKey = signedOff.key;
    const item = ctx.db
      .prepare('SELECT k.code FROM reconciliations r JOIN conditions k ON k.id = r.condition_id WHERE r.case_id = ? ORDER BY k.position LIMIT 1')
      .pluck()
      .get(signedOff.id) as string;
    const one = (sql: string) => String(ctx.db.prepare(sql).pluck().get(studyId));
    const params: Record<string, string> = {
      id: String(studyId),
      case: caseKey,
      code: item,
      interview: one('SELECT key FROM interviews WHERE study_id = ? ORDER BY id LIMIT 1'),
      doc: one('SELECT key FROM documents WHERE study_id = ? ORDER BY id LIMIT 1'),
      role: one('SELECT id FROM roles WHERE study_id = ? ORDER BY position LIMIT 1'),
      question: one('SELECT id FROM questions WHERE study_id = ? ORDER BY position LIMIT 1'),
      conditionId: one("SELECT id FROM conditions WHERE study_id = ? AND code = '2.a'"),
    };
    const routes = ctx.app.routeTable.filter((r) => r.method === 'get' && (r.access.kind === 'study' || r.access.kind === 'fieldwork'));
    const visited: string[] = [];
    for (const r of routes) {
      const names = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      if (names.some((n) => !(n in params))) continue;
      const url = r.path.replace(/:(\w+)/g, (_, n: string) => encodeURIComponent(params[n]!));
      const { agent } = r.path.endsWith('/rate') ? rater : lead;
      const res = await agent.get(url);
      expect(res.status, `${r.path} → ${url}`).toBe(200);
      visited.push(r.path);
    }
    expect(visited.length).toBeGreaterThanOrEqual(20);

    const page = async (url: string, agent = lead.agent) => {
      const res = await agent.get(url);
      expect(res.status, url).toBe(200);
      return res.text;
    };
    const base = `/studies/${studyId}`;
    const caseName = signedOff.name;
    expect(await page(base)).toContain('bijstandsbudget');
    expect(await page(`${base}/framework`)).toContain('Selectie aan de poort');
    const casesPage = await page(`${base}/cases`);
    for (const c of ctx.services.repos.cases.list(studyId)) expect(casesPage).toContain(c.name);
    expect(await page(`${base}/cases/${caseKey}`)).toContain(caseName);
    expect(await page(`${base}/interviews`)).toContain(caseName);
    expect(await page(`${base}/interviews/${params.interview}`)).toContain('Bestuurlijk gesprek');
    const quote = one('SELECT quote FROM evidence WHERE study_id = ? ORDER BY id LIMIT 1');
    expect(await page(`${base}/evidence`)).toContain(quote.slice(0, 40));
    expect(await page(`${base}/coverage`)).toContain(caseName);
    expect(await page(`${base}/assignment`)).toContain('Sanne Visser');
    expect(await page(`${base}/cases/${caseKey}/ratings`)).toContain('Daan Mulder');
    expect(await page(`${base}/cases/${caseKey}/documents`)).toBeTruthy();
    expect(await page(`${base}/reconcile`)).toContain(caseName);
    expect(await page(`${base}/reconcile/cases/${caseKey}/items/${encodeURIComponent(item)}`)).toContain(caseName);
    const agreement = await page(`${base}/agreement`);
    expect(agreement).toContain(caseName);
    expect(agreement).not.toMatch(/No condition of any case has two submitted scores yet/);
    expect(await page(`${base}/search?q=werkfit`)).toContain('werkfit');
    expect(await page(`${base}/my-cases`, rater.agent)).toContain(caseName);
    // The analysis pages, once they exist, show the demo's cases too.
    const paths = new Set(ctx.app.routeTable.map((r) => `${r.method} ${r.path}`));
    if (paths.has('get /studies/:id/cross-case')) expect(await page(`${base}/cross-case`)).toContain(caseName);
    if (paths.has('get /studies/:id/cases/:case/analysis')) expect(await page(`${base}/cases/${caseKey}/analysis`)).toContain(caseName);
  }, 120_000);
});

describe('kader demo', () => {
  it('loads the demo study, prints its address and the accounts; a second time it refuses and says where the demo is', () => {
    const DATA_DIR = tempDir();
    const first = kader(['demo'], { DATA_DIR, PORT: '3999' }, undefined, 180_000);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('Study: http://127.0.0.1:3999/studies/1');
    for (const p of DEMO_PEOPLE) expect(first.stdout).toContain(p.email);
    expect(first.stdout).toContain(`password for all: ${DEMO_PASSWORD}`);
    expect(first.stdout).toMatch(/15 cases, \d+ interviews, 6 documents/);

    const second = kader(['demo'], { DATA_DIR, PUBLIC_URL: 'https://kader.example.org/' }, undefined, 60_000);
    expect(second.status).toBe(2);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('loaded before');
    expect(second.stderr).toContain(LEAD);
    expect(second.stderr).toContain('The demo study is at https://kader.example.org/studies/1.');
  }, 300_000);
});

describe('POST /demo (the first-run button)', () => {
  it('shows the button to an administrator on the empty studies list only, and loads the demo', async () => {
    const ctx = testApp();
    await makeUser(ctx.services, { email: 'admin@example.org', isAdmin: true });
    await makeUser(ctx.services, { email: 'user@example.org' });
    const admin = await loginAs(ctx.app, 'admin@example.org');
    const user = await loginAs(ctx.app, 'user@example.org');
    expect((await admin.agent.get('/studies')).text).toContain('action="/demo"');
    expect((await user.agent.get('/studies')).text).not.toContain('action="/demo"');

    expect((await user.agent.post('/demo').type('form').send({ _csrf: user.csrf, load: 'demo' })).status).toBe(403);
    expect((await admin.agent.post('/demo').type('form').send({ load: 'demo' })).status).toBe(403);
    expect((await admin.agent.post('/demo').type('form').send({ _csrf: admin.csrf })).status).toBe(400);
    expect(ctx.services.repos.studies.listIdsAndTitles()).toEqual([]);

    const res = await admin.agent.post('/demo').type('form').send({ _csrf: admin.csrf, load: 'demo' });
    expect(res.status).toBe(303);
    const [study] = ctx.services.repos.studies.listIdsAndTitles();
    expect(study?.title).toBe(DEMO_TITLE);
    expect(res.headers.location).toBe(`/studies/${study!.id}`);
    const overview = await admin.agent.get(res.headers.location!);
    expect(overview.text).toContain(LEAD);
    expect(overview.text).toContain(DEMO_PASSWORD);
    expect((await admin.agent.get('/studies')).text).not.toContain('action="/demo"');

    // The demo lead signs in with the published password and sees the study.
    const lead = await loginAs(ctx.app, LEAD, DEMO_PASSWORD);
    expect((await lead.agent.get(`/studies/${study!.id}/cases`)).text).toContain('Brakelveen');

    const again = await admin.agent.post('/demo').type('form').send({ _csrf: await csrfOf(admin.agent, '/studies'), load: 'demo' });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/studies');
    // Studies exist now: the button is for a first run only.
    expect((await admin.agent.get('/studies')).text).toContain('loaded only on a site without studies');
    expect(ctx.services.repos.studies.listIdsAndTitles()).toHaveLength(1);
  }, 120_000);
});
