// `npm run bench`: generates a large study (and a quarter-size one) in a fresh temporary DATA_DIR,
// starts the bench server (bench/server.ts: Kader's app with a statement-counting database handle)
// as a child process with production settings on 127.0.0.1, measures every page with autocannon,
// times the row read, the CLI and a 200 MB upload, checks the targets of issue 7 and writes
// bench/results/latest.json and latest.md. Every step is bounded; the whole run takes ~5 minutes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../server/config.ts';
import { openDb } from '../server/lib/db.ts';
import { migrate } from '../server/lib/migrate.ts';
import { createServices } from '../server/services.ts';
import { BENCH_PASSWORD, ensurePersonas, generateStudy, LARGE, PERSONAS, scaled, SEARCH_QUERY, type Generated } from './generate.ts';
import { login, uploadRssGrowth, type Session } from './http.ts';
import { timeRowRead } from './rows.ts';
import { markdownReport, type BenchResults, type PageResult, type Target } from './report.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const args = new Set(process.argv.slice(2));
/** `--quick`: 3-second measurements (a smoke run of the harness); the published table uses the default. */
const DURATION_S = args.has('--quick') ? 3 : 10;
const WARMUP_S = args.has('--quick') ? 1 : 2;
const CONNECTIONS = 10;
const UPLOAD_BYTES = 200 * 1024 * 1024;
const SMALL_CASES = 50;

/** The 1-minute load average around each measurement: other work on the machine distorts every number. */
const loadSamples: number[] = [];
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// --- 1. Data ---------------------------------------------------------------------------------

async function generate(dataDir: string): Promise<{ large: Generated; small: Generated; ms: number }> {
  const started = performance.now();
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  fs.mkdirSync(config.uploadsDir, { recursive: true });
  const db = openDb(config.dbFile);
  try {
    migrate(db);
    const services = createServices(db, () => new Date(), config);
    await ensurePersonas(services);
    const large = await generateStudy(services, LARGE, `Benchmark: ${LARGE.cases} cases`);
    log(`large study ${large.studyId}: ${JSON.stringify(large.counts)} in ${Math.round(large.timings.importMs)} ms import`);
    const small = await generateStudy(services, scaled(LARGE, SMALL_CASES), `Benchmark: ${SMALL_CASES} cases`);
    log(`small study ${small.studyId}: ${JSON.stringify(small.counts)}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { large, small, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

// --- 2. The server -----------------------------------------------------------------------------

interface BenchServer {
  base: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function startBenchServer(dataDir: string): Promise<BenchServer> {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k] !== undefined) env[k] = process.env[k];
  Object.assign(env, {
    DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'production', LOG_LEVEL: 'warn',
    DOCUMENT_MAX_MB: '300', SESSION_SECRET: 'bench-session-secret-bench-session-secret',
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-20_000)));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bench server did not start within 30 s\n${output}`)), 30_000);
    let buffered = '';
    child.stdout!.on('data', (b: Buffer) => {
      buffered += b.toString();
      output = (output + b.toString()).slice(-20_000);
      const line = /\{"listening":"([^"]+)"/.exec(buffered);
      if (line) {
        clearTimeout(timer);
        resolve(line[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bench server exited with ${code}\n${output}`));
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 6_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { base, pid: child.pid!, child, output: () => output, stop };
}

// --- 3. Pages ------------------------------------------------------------------------------------

interface PageDef {
  name: string;
  /** Path in the large study and in the small one (the same for pages outside a study). */
  large: string;
  small: string;
  session: Session | null;
  /** Pages that must serve ≥ 25% of the baseline's requests per second. */
  throughputTarget: boolean;
  /** Also measure one connection at a time: the per-request time the cross-case targets compare. */
  sequential?: boolean;
  /** A page the page cache keeps (server/http/page-cache.ts): also measured as a first view, rendered every time. */
  cached?: boolean;
  /** Every request asks for a URL not asked before, so nothing comes from the page cache. */
  fresh?: boolean;
}

interface Counted {
  status: number;
  statements: number;
  sql: string[];
}

/** One request with the trace header, then what the server counted for it. */
async function countStatements(base: string, url: string, session: Session | null): Promise<Counted> {
  const res = await fetchRetry(`${base}${url}`, { redirect: 'manual', headers: { 'x-bench-trace': '1', ...(session ? { cookie: session.cookie } : {}) } });
  await res.arrayBuffer();
  // 'finish' fires as the last byte leaves; give the event loop a moment before reading.
  await new Promise((r) => setTimeout(r, 20));
  const last = (await (await fetchRetry(`${base}/__bench/last`)).json()) as { url: string; statements: number; sql?: string[] } | null;
  if (!last || last.url !== url) throw new Error(`the server counted ${last?.url ?? 'nothing'} instead of ${url}`);
  return { status: res.status, statements: last.statements, sql: last.sql ?? [] };
}

let views = 0;
/** The URL with a query parameter no request used before: the page cache has nothing for it, so the page is rendered. */
const firstViewUrl = (url: string) => `${url}${url.includes('?') ? '&' : '?'}view=${++views}`;

async function load(base: string, url: string, session: Session | null, seconds: number, connections = CONNECTIONS, fresh = false): Promise<autocannon.Result> {
  // A generous timeout: a slow page queues behind 9 others and must still count, not time out.
  return autocannon({
    url: `${base}${url}`, connections, duration: seconds, timeout: 120, headers: session ? { cookie: session.cookie } : {},
    ...(fresh ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: firstViewUrl(url) }) }] } : {}),
  });
}

/**
 * fetch with three tries: a keep-alive connection the server closed while it was busy makes
 * undici's fetch fail at once ("other side closed"); a new connection answers.
 */
async function fetchRetry(url: string, init?: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Waits until the server has worked off every request (autocannon abandons its last ones when it stops). */
async function idle(base: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { inFlight } = (await (await fetchRetry(`${base}/__bench/in-flight`)).json()) as { inFlight: number };
    if (inFlight === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the bench server still had requests in flight after 2 minutes');
}

async function measurePage(base: string, page: PageDef): Promise<PageResult> {
  // Counted warm, as a running site serves them: a study's framework is read once per revision (framework.repo.ts).
  for (const url of [page.large, page.small]) {
    await (await fetchRetry(`${base}${url}`, { redirect: 'manual', headers: page.session ? { cookie: page.session.cookie } : {} })).arrayBuffer();
  }
  const counted = (url: string) => (page.fresh ? firstViewUrl(url) : url);
  const at200 = await countStatements(base, counted(page.large), page.session);
  if (at200.status === 404) return { name: page.name, url: page.large, available: false, status: 404 };
  if (at200.status !== 200) throw new Error(`${page.name} (${page.large}) answered ${at200.status}`);
  const at50 = await countStatements(base, counted(page.small), page.session);
  if (at50.status !== 200) throw new Error(`${page.name} (${page.small}) answered ${at50.status}`);

  await load(base, page.large, page.session, WARMUP_S, CONNECTIONS, page.fresh);
  await idle(base);
  await fetchRetry(`${base}/__bench/reset`, { method: 'POST' });
  const loadBefore = os.loadavg()[0]!;
  const r = await load(base, page.large, page.session, DURATION_S, CONNECTIONS, page.fresh);
  loadSamples.push(loadBefore, os.loadavg()[0]!);
  await idle(base);
  let sequential: PageResult['sequential'];
  if (page.sequential) {
    const one = await load(base, page.large, page.session, DURATION_S, 1);
    await idle(base);
    sequential = { p50: one.latency.p50, mean: round(one.latency.average, 2), requests: one.requests.total };
    log(`${page.name.padEnd(26)} one connection: p50 ${one.latency.p50} ms over ${one.requests.total} requests`);
  }
  const stats = ((await (await fetchRetry(`${base}/__bench/stats`)).json()) as Record<string, { requests: number; min: number; max: number }>)[page.large];
  log(`${page.name.padEnd(26)} ${String(round(r.requests.average)).padStart(8)} req/s  p50 ${r.latency.p50} ms  p97.5 ${r.latency.p97_5} ms  SQL ${at200.statements} (50 cases: ${at50.statements})  load ${round(os.loadavg()[0]!, 2)}`);
  return {
    name: page.name,
    url: page.large,
    available: true,
    status: 200,
    latency: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, mean: round(r.latency.average, 2) },
    rps: round(r.requests.average),
    costMs: round(1000 / r.requests.average, 3),
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    statements: at200.statements,
    statements50: at50.statements,
    statementsUnderLoad: stats ? { min: stats.min, max: stats.max, requests: stats.requests } : null,
    ...(sequential ? { sequential } : {}),
    sql: at200.sql,
  };
}

// --- 4. Rows, CLI, upload ------------------------------------------------------------------------

function timeCli(dataDir: string, cliArgs: string[]): { ms: number; status: number | null; bytes: number } {
  const t = performance.now();
  // What `npm run kader` runs (npm's own start-up left out): the launcher, which runs the bundled CLI.
  const r = spawnSync(process.execPath, ['scripts/kader.mjs', ...cliArgs], {
    cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'production' }, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`kader ${cliArgs.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms: round(ms), status: r.status, bytes: r.stdout.length };
}

/** In-process, median of 3 after a warm-up: the services behind `kader agreement` and `kader analysis`, and the parts of the cross-case page's model. */
function timeInProcess(dataDir: string, studyId: number): { agreementMs: number; analysisMs: number; modelMs: number; itemsMs: number } {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const db = openDb(config.dbFile);
  try {
    const services = createServices(db, () => new Date(), config);
    const time = (f: () => unknown) => {
      f(); // warm: statements prepared, code compiled
      const runs = [0, 1, 2].map(() => {
        const t = performance.now();
        f();
        return performance.now() - t;
      });
      return round(median(runs));
    };
    return {
      agreementMs: time(() => services.agreement.agreement(studyId)),
      analysisMs: time(() => services.analysis.analysis(studyId)),
      // The cross-case page builds on analysis.model(), which reads the final scores.
      modelMs: time(() => services.analysis.model(studyId)),
      itemsMs: time(() => services.repos.reconcile.finalScores(studyId)),
    };
  } finally {
    db.close();
  }
}

// --- 5. The run ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-bench-'));
  const loadAtStart = os.loadavg()[0]!;
  log(`data in ${dataDir}; load average ${loadAtStart.toFixed(2)} on ${os.cpus().length} CPUs`);
  let server: BenchServer | null = null;
  try {
    const { large, small, ms: generateMs } = await generate(dataDir);
    log(`generated both studies in ${Math.round(generateMs / 1000)} s`);

    server = await startBenchServer(dataDir);
    log(`bench server ${server.base} (pid ${server.pid}, NODE_ENV=production, LOG_LEVEL=warn)`);
    const lead = await login(server.base, PERSONAS.lead, BENCH_PASSWORD);
    const rater = await login(server.base, PERSONAS.raters[0], BENCH_PASSWORD);

    const L = large.studyId;
    const S = small.studyId;
    const both = (suffix: string) => ({ large: `/studies/${L}${suffix}`, small: `/studies/${S}${suffix}` });
    const pages: PageDef[] = [
      { name: 'baseline (bare Express)', large: '/__bench/bare', small: '/__bench/bare', session: null, throughputTarget: false },
      // Not a page: Kader's whole middleware stack for a signed-in user (session, passport, helmet, CSRF
      // token, language, router, 'SELECT 1'), to show how much of each page's cost is the stack's.
      { name: 'stack only (/healthz, signed in)', large: '/healthz', small: '/healthz', session: lead, throughputTarget: false },
      { name: 'login page', large: '/login', small: '/login', session: null, throughputTarget: true },
      { name: 'study overview', ...both(''), session: lead, throughputTarget: true, cached: true },
      { name: 'case page', large: `/studies/${L}/cases/${large.firstCase}`, small: `/studies/${S}/cases/${small.firstCase}`, session: lead, throughputTarget: true, cached: true },
      { name: 'rating form (rater)', large: `/studies/${L}/cases/${large.firstCase}/rate`, small: `/studies/${S}/cases/${small.firstCase}/rate`, session: rater, throughputTarget: true, cached: true },
      { name: 'cross-case page', ...both('/cross-case'), session: lead, throughputTarget: false, sequential: true },
      { name: 'agreement page', ...both('/agreement'), session: lead, throughputTarget: false },
      { name: 'search', ...both(`/search?q=${SEARCH_QUERY}`), session: lead, throughputTarget: false },
    ];
    const results: PageResult[] = [];
    for (const page of pages) {
      results.push(await measurePage(server.base, page));
      // What a view costs when the page is not in the cache (the first after any change): no target, shown beside it.
      if (page.cached) results.push(await measurePage(server.base, { ...page, name: `${page.name}, first view (rendered)`, throughputTarget: false, fresh: true }));
    }

    // The cross-case page of the 50-case study, under the same load.
    const crossSmall = pages.find((p) => p.name === 'cross-case page')!;
    const cross50 = await measurePage(server.base, { ...crossSmall, name: `cross-case page (${SMALL_CASES} cases)`, large: crossSmall.small });

    log('timing the row read, the CLI and the in-process services (server idle)');
    const config = loadConfig({ DATA_DIR: dataDir });
    const rowRead = timeRowRead(config.dbFile, L);
    timeCli(dataDir, ['help']); // builds the CLI bundle if the sources changed since the last run
    const startup = timeCli(dataDir, ['help']);
    const cliAgreement = timeCli(dataDir, ['agreement', String(L)]);
    const cliAnalysis = timeCli(dataDir, ['analysis', String(L)]);
    const inProcess = timeInProcess(dataDir, L);
    log(`rows ${rowRead.rows} in ${rowRead.ms} ms; kader agreement ${cliAgreement.ms} ms, analysis ${cliAnalysis.ms} ms (start-up ${startup.ms} ms); in-process ${JSON.stringify(inProcess)}`);

    log('uploading 200 MB while sampling the server\'s RSS');
    const upload = await uploadRssGrowth(server.base, server.pid, lead, L, large.firstCase, UPLOAD_BYTES);
    log(`upload ${upload.status}: RSS ${upload.baselineMb} → ${upload.peakMb} MB (+${upload.growthMb} MB)`);
    await server.stop();
    server = null;

    const byName = (name: string) => results.find((r) => r.name === name)!;
    const baseline = byName('baseline (bare Express)');
    for (const r of [...results, cross50]) if (r.available && baseline.available) r.ratio = round(r.rps! / baseline.rps!, 3);

    const targets: Target[] = [];
    for (const r of results.filter((p) => !p.name.startsWith('baseline') && !p.name.startsWith('stack only'))) {
      targets.push({
        name: `SQL statements of ${r.name} do not depend on the number of cases`,
        target: 'same at 50 and 200 cases',
        measured: r.available ? `${r.statements50} vs ${r.statements}` : 'not available',
        pass: r.available ? r.statements === r.statements50 : null,
      });
    }
    for (const p of pages.filter((p) => p.throughputTarget)) {
      const r = byName(p.name);
      targets.push({ name: `${r.name}: requests/s vs baseline`, target: '≥ 25%', measured: r.available ? `${round(r.ratio! * 100)}%` : 'not available', pass: r.available ? r.ratio! >= 0.25 : null });
    }
    // The cross-case targets compare per-request time: the median latency with one connection (no queueing).
    const cross = byName('cross-case page');
    const crossAvailable = cross.available && cross50.available && cross.sequential !== undefined && cross50.sequential !== undefined;
    const page200Ms = crossAvailable ? cross.sequential!.p50 : null;
    const page50Ms = crossAvailable ? cross50.sequential!.p50 : null;
    const vsRows = page200Ms === null ? null : page200Ms / rowRead.ms;
    const vs50 = page200Ms === null || page50Ms === null ? null : page200Ms / page50Ms;
    targets.push({
      name: `cross-case page (${LARGE.cases} cases) vs reading its ${rowRead.rows} final-score rows with one prepared statement`,
      target: '≤ 5×',
      measured: vsRows === null ? 'not available' : `${round(vsRows)}× (${page200Ms} ms vs ${rowRead.ms} ms)`,
      pass: vsRows === null ? null : vsRows <= 5,
    });
    targets.push({
      name: `cross-case page: ${LARGE.cases} cases vs ${SMALL_CASES} cases`,
      target: '≤ 4.5×',
      measured: vs50 === null ? 'not available' : `${round(vs50, 2)}× (${page200Ms} ms vs ${page50Ms} ms)`,
      pass: vs50 === null ? null : vs50 <= 4.5,
    });
    const cliTotal = cliAgreement.ms + cliAnalysis.ms;
    targets.push({
      name: '`kader agreement` + `kader analysis` of the large study (CLI child processes, wall time)',
      target: '< 2 s',
      measured: `${round(cliTotal / 1000, 2)} s (${cliAgreement.ms} + ${cliAnalysis.ms} ms)`,
      pass: cliTotal < 2000,
    });
    targets.push({ name: 'RSS growth during a 200 MB upload', target: '< 50 MB', measured: `${upload.growthMb} MB`, pass: upload.status === 303 && upload.growthMb < 50 });

    const out: BenchResults = {
      generatedAt: new Date().toISOString(),
      machine: {
        node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGb: round(os.totalmem() / 2 ** 30),
        loadAverage: { start: round(loadAtStart, 2), maxDuringLoad: round(Math.max(...loadSamples), 2), end: round(os.loadavg()[0]!, 2) },
      },
      settings: { connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, server: 'bench/server.ts, NODE_ENV=production, LOG_LEVEL=warn, 127.0.0.1', searchQuery: SEARCH_QUERY },
      data: { large: { studyId: L, ...large.counts, timings: large.timings }, small: { studyId: S, ...small.counts, timings: small.timings }, generateMs: round(generateMs) },
      pages: [...results, cross50],
      crossCase: { rows: rowRead.rows, rowReadMs: rowRead.ms, page200Ms, page50Ms, vsRows: vsRows === null ? null : round(vsRows, 2), vs50: vs50 === null ? null : round(vs50, 2) },
      cli: { agreementMs: cliAgreement.ms, analysisMs: cliAnalysis.ms, startupMs: startup.ms, inProcess },
      upload,
      targets,
      totalS: round((performance.now() - started) / 1000),
    };
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
    const md = markdownReport(out);
    fs.writeFileSync(path.join(RESULTS, 'latest.md'), md);
    console.log(md);
    const failed = targets.filter((t) => t.pass === false).length;
    const unavailable = targets.filter((t) => t.pass === null).length;
    console.log(`${targets.length - failed - unavailable} PASS, ${failed} FAIL, ${unavailable} not available — ${out.totalS} s`);
    if (failed) process.exitCode = 1;
  } catch (err) {
    if (server) console.error(`bench server output:\n${server.output()}`);
    throw err;
  } finally {
    if (server) await server.stop();
    if (!args.has('--keep')) fs.rmSync(dataDir, { recursive: true, force: true });
    else log(`kept ${dataDir}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
