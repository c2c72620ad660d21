// The benchmark harness at a tiny size, so it cannot rot silently: the generator builds a valid,
// complete and consistent study, the real importer stores it, the bench app counts statements per
// request, and the final-score read returns one row per case × condition. `npm run bench` itself is
// not part of `npm test`.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BARE_HTML, createBenchApp, type BenchApp } from '../../bench/app.ts';
import { BENCH_PASSWORD, buildStudyFile, ensurePersonas, generateStudy, PERSONAS, type Generated, type StudySize } from '../../bench/generate.ts';
import { markdownReport } from '../../bench/report.ts';
import { FINAL_SCORE_ROWS_SQL, timeRowRead } from '../../bench/rows.ts';
import { loadConfig } from '../../server/config.ts';
import { openDb, type Db } from '../../server/lib/db.ts';
import { migrate } from '../../server/lib/migrate.ts';
import { createServices, type Services } from '../../server/services.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { tempDir } from '../helpers/app.ts';

const TINY: StudySize = { cases: 3, conditions: 5, interviewsPerCase: 2, notesBytes: 30_000, documents: 4, seed: 7 };

describe('bench harness (tiny study)', () => {
  let dataDir: string;
  let db: Db;
  let services: Services;
  let generated: Generated;
  const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;

  beforeAll(async () => {
    dataDir = tempDir('kader-bench-test-');
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    db = openDb(config.dbFile);
    migrate(db);
    services = createServices(db, () => new Date(), config);
    await ensurePersonas(services);
    generated = await generateStudy(services, TINY, 'Tiny bench');
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds the same valid study file from the same seed', () => {
    const a = buildStudyFile(TINY, 'x');
    expect(JSON.stringify(buildStudyFile(TINY, 'x'))).toBe(JSON.stringify(a));
    expect(validateStudyFile(a).ok).toBe(true);
  });

  it('stores every case, rated condition and submitted rating of two assigned raters', () => {
    const id = generated.studyId;
    expect(generated.counts).toMatchObject({ cases: 3, conditions: 5, ratings: 30, interviews: 6, notesBytes: 30_000, documents: 4 });
    expect(count('SELECT count(*) AS n FROM cases WHERE study_id = ?', id)).toBe(3);
    expect(count("SELECT count(*) AS n FROM conditions WHERE study_id = ? AND kind = 'rated'", id)).toBe(5);
    expect(count('SELECT count(*) AS n FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.study_id = ? AND r.submitted_at IS NOT NULL AND r.score BETWEEN 1 AND 5', id)).toBe(30);
    // Every case has exactly two raters, and every rating is by one of them.
    expect(count('SELECT count(*) AS n FROM (SELECT c.id FROM cases c JOIN case_raters cr ON cr.case_id = c.id WHERE c.study_id = ? GROUP BY c.id HAVING count(*) = 2)', id)).toBe(3);
    expect(count('SELECT count(*) AS n FROM ratings r JOIN cases c ON c.id = r.case_id LEFT JOIN case_raters cr ON cr.case_id = r.case_id AND cr.user_id = r.rater_id WHERE c.study_id = ? AND cr.user_id IS NULL', id)).toBe(0);
    // The first case is rated by the personas the benchmark signs in as.
    const firstRaters = db.prepare('SELECT u.email FROM case_raters cr JOIN cases c ON c.id = cr.case_id JOIN users u ON u.id = cr.user_id WHERE c.study_id = ? AND c.key = ? ORDER BY cr.position').all(id, generated.firstCase) as Array<{ email: string }>;
    expect(firstRaters.map((r) => r.email)).toEqual([PERSONAS.raters[0], PERSONAS.raters[1]]);
  });

  it('reconciles only items where the raters disagree', () => {
    const agreeing = count(
      `SELECT count(*) AS n FROM reconciliations f JOIN cases c ON c.id = f.case_id WHERE c.study_id = ?
         AND (SELECT min(score) = max(score) FROM ratings r WHERE r.case_id = f.case_id AND r.condition_id = f.condition_id)`,
      generated.studyId,
    );
    expect(agreeing).toBe(0);
    expect(generated.counts.reconciliations).toBe(count('SELECT count(*) AS n FROM reconciliations f JOIN cases c ON c.id = f.case_id WHERE c.study_id = ?', generated.studyId));
  });

  it('stores interviews with the notes size asked for, document metadata and evidence from the same case', () => {
    const id = generated.studyId;
    expect(count('SELECT sum(length(notes)) AS n FROM interviews WHERE study_id = ?', id)).toBe(30_000);
    expect(count('SELECT count(*) AS n FROM documents WHERE study_id = ? AND storage_name IS NULL', id)).toBe(4);
    expect(count('SELECT count(*) AS n FROM evidence WHERE study_id = ?', id)).toBeGreaterThan(0);
    expect(
      count(
        `SELECT count(*) AS n FROM evidence e LEFT JOIN interviews i ON i.id = e.interview_id LEFT JOIN documents d ON d.id = e.document_id
         WHERE e.study_id = ? AND coalesce(i.case_id, d.case_id) <> e.case_id`,
        id,
      ),
    ).toBe(0);
    expect(count("SELECT count(*) AS n FROM search_index WHERE study_id = ? AND kind = 'interview'", id)).toBe(6);
  });

  it('gives the analysis and agreement a complete study', () => {
    const report = services.agreement.agreement(generated.studyId);
    expect(report.overall.units).toBe(15);
    const model = services.analysis.model(generated.studyId);
    expect(model.cases).toHaveLength(3);
  });

  it('reads one final-score row per case and rated condition', () => {
    const rows = db.prepare(FINAL_SCORE_ROWS_SQL).all(generated.studyId);
    expect(rows).toHaveLength(15);
    const timed = timeRowRead(path.join(dataDir, 'kader.db'), generated.studyId);
    expect(timed.rows).toBe(15);
  });

  describe('bench app', () => {
    let bench: BenchApp;
    beforeAll(() => {
      const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
      bench = createBenchApp({ config, sessionSecret: 'bench-harness-secret-bench-harness-secret' });
    });
    afterAll(() => bench.db.close());

    it('serves the baseline without SQL and counts the statements of each page request', async () => {
      const bare = await request(bench.app).get('/__bench/bare');
      expect(bare.status).toBe(200);
      expect(bare.text).toBe(BARE_HTML);
      expect(bench.last()).toMatchObject({ url: '/__bench/bare', statements: 0 });

      const agent = request.agent(bench.app);
      const page = await agent.get('/login');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      expect((await agent.post('/login').type('form').send({ email: PERSONAS.lead, password: BENCH_PASSWORD, _csrf: token })).status).toBe(303);

      const url = `/studies/${generated.studyId}`;
      expect((await agent.get(url).set('x-bench-trace', '1')).status).toBe(200);
      const last = bench.last()!;
      expect(last.url).toBe(url);
      expect(last.statements).toBeGreaterThan(0);
      expect(last.sql).toHaveLength(last.statements);
      expect(bench.stats()[url]).toMatchObject({ requests: 1, min: last.statements, max: last.statements });
      expect(bench.inFlight()).toBe(0);
    });
  });

  it('renders a results table with PASS, FAIL and not available', () => {
    const md = markdownReport({
      generatedAt: '2026-01-01T00:00:00.000Z',
      machine: { node: 'v20', platform: 'linux', cpus: 2, cpuModel: 'cpu', memoryGb: 4 },
      settings: { connections: 10, durationS: 10, warmupS: 2, server: 's', searchQuery: 'q' },
      data: { large: { studyId: 1, cases: 3, conditions: 5, interviews: 6, notesBytes: 1, documents: 4, ratings: 30, reconciliations: 2, evidence: 9 }, small: { studyId: 2, cases: 1 }, generateMs: 1 },
      pages: [
        { name: 'baseline (bare Express)', url: '/b', available: true, status: 200, latency: { p50: 1, p97_5: 2, p99: 3, mean: 1 }, rps: 100, ratio: 1, statements: 0, statements50: 0 },
        { name: 'cross-case page', url: '/c', available: false, status: 404 },
      ],
      crossCase: { rows: 15, rowReadMs: 1, page200Ms: null, page50Ms: null, vsRows: null, vs50: null },
      cli: { agreementMs: 1, analysisMs: 1, startupMs: 1, inProcess: { agreementMs: 1, analysisMs: 1 } },
      upload: { status: 303, baselineMb: 1, peakMb: 2, growthMb: 1 },
      targets: [
        { name: 'a', target: 't', measured: 'm', pass: true },
        { name: 'b', target: 't', measured: 'm', pass: false },
        { name: 'c', target: 't', measured: 'not available', pass: null },
      ],
      totalS: 1,
    });
    expect(md).toContain('| cross-case page | not available |');
    expect(md).toMatch(/\| a \| t \| m \| PASS \|[\s\S]*\| b \| t \| m \| FAIL \|[\s\S]*\| c \| t \| not available \| not available \|/);
  });
});
