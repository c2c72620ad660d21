// The load of the resilience tests: a template data folder (a lead made with `kader user:create`, 50
// raters, a study of 100 cases × 2 raters imported with `kader study:import`), simulated raters who log in
// over HTTP and autosave, save and submit their cases as the browser does, a log of every write with
// its outcome, and the check of a database (or a backup of it) against that log.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../../server/config.ts';
import { openDb } from '../../../server/lib/db.ts';
import { migrate } from '../../../server/lib/migrate.ts';
import { createServices } from '../../../server/services.ts';
import { ROOT, type CliResult } from '../../helpers/processes.ts';
import { Client } from './client.ts';
import { seededRandom } from '../../../server/lib/random.ts';

export const RATER_COUNT = 50;
export const CASE_COUNT = 100;
/** The rated conditions of the study's framework (condition 0 is measured, not rated). */
export const CODES = ['1.a', '1.b', '1.c', '2.a', '2.b', '2.c'] as const;
export const SCALE = { min: 1, max: 5 };

export interface Account {
  email: string;
  name: string;
  password: string;
}

export const LEAD: Account = { email: 'resilience-lead@example.org', name: 'Lotte Lead', password: 'the lead keeps calm under load' };
export const RATERS: Account[] = Array.from({ length: RATER_COUNT }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { email: `rater${n}@example.org`, name: `Rater ${n}`, password: `rater ${n} passphrase under load` };
});

/** Case j is rated by rater j mod 50 and by the next (first 50 cases) or third next (the other 50): four cases per rater. */
export function ratersOfCase(j: number): [number, number] {
  const a = j % RATER_COUNT;
  return [a, (a + 1 + Math.floor(j / RATER_COUNT) * 2) % RATER_COUNT];
}
export const caseKey = (j: number) => `case-${String(j + 1).padStart(3, '0')}`;

/** Each rater's cases, in case order. */
export function assignments(): Map<string, string[]> {
  const map = new Map<string, string[]>(RATERS.map((r) => [r.email, []]));
  for (let j = 0; j < CASE_COUNT; j++) for (const r of ratersOfCase(j)) map.get(RATERS[r]!.email)!.push(caseKey(j));
  return map;
}

const anchors = (topic: string) => ({ '1': `${topic}: barely`, '3': `${topic}: partly`, '5': `${topic}: fully` });

export function studyFile(): object {
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'Resilience under load', language: 'en', settings: { scale: SCALE, ratersPerCase: 2, blindRating: true } },
    framework: {
      title: 'Six rated conditions',
      levels: [
        { number: 0, name: 'Outcome' },
        { number: 1, name: 'Organisation' },
        { number: 2, name: 'Policy' },
      ],
      categories: [],
      conditions: [
        { code: '0', level: 0, name: 'Share of people in bijstand', polarity: 'lower-is-favourable', kind: 'measured' },
        ...CODES.map((code) => ({ code, level: Number(code[0]), name: `Condition ${code}`, anchors: anchors(code), polarity: 'higher-is-favourable', kind: 'rated' })),
      ],
    },
    members: RATERS.map((r) => ({ email: r.email, name: r.name, role: 'researcher' })),
    cases: Array.from({ length: CASE_COUNT }, (_, j) => ({
      key: caseKey(j),
      name: `Gemeente ${String(j + 1).padStart(3, '0')}`,
      raters: ratersOfCase(j).map((r) => RATERS[r]!.email),
    })),
  };
}

/** `kader <args>` as a child process that does not block the event loop (the load keeps running). */
export function kaderAsync(args: string[], env: Record<string, string>, input = '', timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/kader.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Template {
  dir: string;
  studyId: number;
}

/**
 * A data folder with the accounts and the study. The lead's account and the study are made with the
 * command line, as an operator would; the 50 raters' accounts with the same service call that
 * `kader user:create` makes, in this process (50 command-line runs cost over a minute of CPU here).
 */
export async function prepareTemplate(): Promise<Template> {
  const dir = tempDir('kader-resilience-template-');
  const env = { DATA_DIR: dir };
  const lead = await kaderAsync(['user:create', '--email', LEAD.email, '--name', LEAD.name, '--password-stdin'], env, LEAD.password);
  if (lead.status !== 0) throw new Error(`kader user:create ${LEAD.email} failed (${lead.status}): ${lead.stderr}`);

  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const db = openDb(config.dbFile);
  try {
    migrate(db);
    const services = createServices(db, () => new Date(), config);
    await Promise.all(RATERS.map((r) => services.users.create({ email: r.email, name: r.name, isAdmin: false, password: r.password }, null)));
  } finally {
    db.close();
  }

  const file = path.join(dir, 'resilience-study.json');
  fs.writeFileSync(file, JSON.stringify(studyFile(), null, 2));
  const imported = await kaderAsync(['study:import', file, '--owner', LEAD.email], env);
  if (imported.status !== 0) throw new Error(`kader study:import failed (${imported.status}): ${imported.stderr}`);
  return { dir, studyId: (JSON.parse(imported.stdout) as { study: number }).study };
}

/** A new data folder holding a copy of the template's database (no server runs on the template). */
export function copyTemplate(template: Template, prefix: string): string {
  const dir = tempDir(prefix);
  for (const suffix of ['', '-wal', '-shm']) {
    const from = path.join(template.dir, `kader.db${suffix}`);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dir, `kader.db${suffix}`));
  }
  return dir;
}

// Seeded (server/lib/random.ts), so a failing run can be repeated with RESILIENCE_SEED.
export { seededRandom };

// ---------------------------------------------------------------------------------------------
// The log of writes

export type Outcome = 'pending' | 'ack' | 'refused' | 'unknown';

export interface Write {
  /** `case|code|email` for a rating, `case|email` for a submission. */
  key: string;
  /** JSON of the stored fields, or 'submitted'. */
  value: string;
  sentAt: number;
  ackAt: number | null;
  outcome: Outcome;
}

export class WriteLog {
  readonly byKey = new Map<string, Write[]>();

  begin(key: string, value: string): Write {
    const w: Write = { key, value, sentAt: performance.now(), ackAt: null, outcome: 'pending' };
    const list = this.byKey.get(key);
    if (list) list.push(w);
    else this.byKey.set(key, [w]);
    return w;
  }

  settle(writes: Write[], outcome: Exclude<Outcome, 'pending'>): void {
    const at = performance.now();
    for (const w of writes) {
      w.outcome = outcome;
      if (outcome === 'ack') w.ackAt = at;
    }
  }

  get acknowledged(): number {
    let n = 0;
    for (const list of this.byKey.values()) for (const w of list) if (w.outcome === 'ack') n++;
    return n;
  }
}

export const ratingKey = (caseK: string, code: string, email: string) => `${caseK}|${code}|${email}`;
export const submitKey = (caseK: string, email: string) => `${caseK}|${email}`;
export const ratingValue = (score: number | null, reason: string | null, rationale: string) => JSON.stringify({ score, reason, rationale });

// ---------------------------------------------------------------------------------------------
// Reading a database and checking it against the log

export interface StoredRating {
  caseKey: string;
  code: string;
  email: string;
  score: number | null;
  reason: string | null;
  rationale: string;
  submitted: boolean;
}

/** Opens the database read-only: its integrity check and the study's ratings. */
export function readDatabase(file: string, studyId: number): { integrity: string; ratings: StoredRating[] } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const rows = db
      .prepare(
        `SELECT c.key AS caseKey, k.code AS code, u.email AS email, r.score AS score, r.cannot_judge_reason AS reason,
                r.rationale AS rationale, r.submitted_at IS NOT NULL AS submitted
           FROM ratings r JOIN cases c ON c.id = r.case_id JOIN conditions k ON k.id = r.condition_id JOIN users u ON u.id = r.rater_id
          WHERE c.study_id = ?`,
      )
      .all(studyId) as (Omit<StoredRating, 'submitted'> & { submitted: number })[];
    return { integrity, ratings: rows.map((r) => ({ ...r, submitted: r.submitted === 1 })) };
  } finally {
    db.close();
  }
}

export interface Verdict {
  /** Ratings and submissions whose stored state was compared with the log. */
  checked: number;
  /** Acknowledged writes that had to be visible (the last one of each rating, every submission). */
  mustHave: number;
  submitted: number;
  problems: string[];
}

/**
 * Compares stored ratings with the log, for a snapshot taken somewhere in [t0, t1] (performance.now
 * times): what was acknowledged by t0 must be there (or a later write of the same rating that was
 * sent before t1, whose outcome may be unknown), nothing sent after t1 may be, and every rater's
 * case is either wholly submitted or wholly draft. t0 = t1 = Infinity checks a final state.
 */
export function verify(log: WriteLog, stored: StoredRating[], t0: number, t1: number): Verdict {
  const problems: string[] = [];
  let checked = 0;
  let mustHave = 0;
  let submittedCount = 0;
  const storedByKey = new Map(stored.map((r) => [ratingKey(r.caseKey, r.code, r.email), r]));
  const groups = new Map<string, StoredRating[]>();
  for (const r of stored) {
    const k = submitKey(r.caseKey, r.email);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }

  /** Index of the last write acknowledged by t0, and the values the snapshot may hold. */
  const allowed = (writes: Write[]) => {
    let last = -1;
    writes.forEach((w, i) => {
      if (w.outcome === 'ack' && w.ackAt! <= t0) last = i;
    });
    const values = new Set<string>();
    writes.forEach((w, i) => {
      if (i === last || (i > last && w.outcome !== 'refused' && w.sentAt < t1)) values.add(w.value);
    });
    return { last, values };
  };

  for (const [key, writes] of log.byKey) {
    const isRating = key.split('|').length === 3;
    if (!isRating) continue;
    checked++;
    const { last, values } = allowed(writes);
    if (last >= 0) mustHave++;
    const row = storedByKey.get(key);
    storedByKey.delete(key);
    if (!row) {
      if (last >= 0) problems.push(`rating ${key}: acknowledged ${writes[last]!.value} but it is not stored`);
      continue;
    }
    const value = ratingValue(row.score, row.reason, row.rationale);
    if (!values.has(value)) problems.push(`rating ${key}: stored ${value}, expected ${last >= 0 ? writes[last]!.value : 'nothing'}${values.size > 1 ? ` or one of ${values.size - 1} later write(s)` : ''}`);
  }
  for (const key of storedByKey.keys()) problems.push(`rating ${key} is stored but was never written by a rater`);

  const submitKeys = new Set([...groups.keys(), ...[...log.byKey.keys()].filter((k) => k.split('|').length === 2)]);
  for (const key of submitKeys) {
    checked++;
    const rows = groups.get(key) ?? [];
    const submitted = rows.filter((r) => r.submitted).length;
    if (submitted > 0 && submitted < rows.length) problems.push(`case|rater ${key}: ${submitted} of ${rows.length} ratings submitted (a submission is one transaction)`);
    const isSubmitted = rows.length > 0 && submitted === rows.length;
    if (isSubmitted) {
      submittedCount++;
      if (rows.length !== CODES.length) problems.push(`case|rater ${key}: submitted with ${rows.length} of ${CODES.length} conditions`);
    }
    const { last, values } = allowed(log.byKey.get(key) ?? []);
    if (last >= 0) mustHave++;
    if (last >= 0 && !isSubmitted) problems.push(`case|rater ${key}: the submission was acknowledged but the ratings are drafts`);
    if (last < 0 && isSubmitted && !values.has('submitted')) problems.push(`case|rater ${key}: submitted, but no submission was sent before the snapshot`);
  }
  return { checked, mustHave, submitted: submittedCount, problems };
}

// ---------------------------------------------------------------------------------------------
// Simulated raters

export interface LoadOptions {
  baseUrl: string;
  studyId: number;
  durationMs: number;
  log: WriteLog;
  random: () => number;
  /** True once the server was stopped on purpose: failures after that are expected and end the load. */
  halted?: () => boolean;
  /** While true, raters keep working on their last case after the deadline (at most a minute more). */
  holdOpen?: () => boolean;
  /** Called once every rater is logged in, with the time the load starts. */
  onStart?: (startedAt: number) => void;
  maxRequestsPerRater?: number;
}

export interface LoadStats {
  requests: number;
  byKind: Record<string, number>;
  /** Unexpected answers and network failures (before a deliberate halt). */
  errors: string[];
  /** Requests that failed after the halt (their outcome is unknown). */
  cutOff: number;
  latencies: number[];
  submits: number;
  startedAt: number;
  endedAt: number;
}

const TEXTS = [
  'Het beleid is streng; de poort wordt strikt bewaakt.',
  'Zoë’s notes — “quoted” text, 🙂 and **Markdown** with a [link](https://example.org).',
  'Line one\nLine two with <b>tags</b> & ampersands; 100% sure?',
  'Wethouder: "we doen wat de wet vraagt", niets meer.',
  '',
];

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** 50 raters log in, then each works through its four cases until the deadline, submitting each in turn. */
export async function runLoad(options: LoadOptions): Promise<LoadStats> {
  const { log } = options;
  const halted = options.halted ?? (() => false);
  const maxRequests = options.maxRequestsPerRater ?? 20_000;
  const stats: LoadStats = { requests: 0, byKind: {}, errors: [], cutOff: 0, latencies: [], submits: 0, startedAt: 0, endedAt: 0 };
  const mine = assignments();
  let seq = 0;

  const clients = RATERS.map(() => new Client(options.baseUrl));
  await Promise.all(RATERS.map((r, i) => clients[i]!.logIn(r.email, r.password)));
  stats.startedAt = performance.now();
  options.onStart?.(stats.startedAt);
  const deadline = stats.startedAt + options.durationMs;

  // One generator per rater, drawn in a fixed order: a seed repeats each rater's choices (not the timing).
  const generators = RATERS.map(() => seededRandom(Math.floor(options.random() * 2 ** 31)));
  const rater = async (who: Account, client: Client, random: () => number) => {
    const cases = mine.get(who.email)!;
    const slice = options.durationMs / cases.length;
    let requests = 0;
    let myErrors = 0;
    /** One request; false when the rater must stop (halted, or the bound reached). */
    const send = async (kind: string, run: () => Promise<{ ok: boolean; why: string }>, writes: Write[]): Promise<boolean> => {
      if (halted() || requests >= maxRequests) return false;
      requests++;
      stats.requests++;
      stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
      const started = performance.now();
      try {
        const { ok, why } = await run();
        stats.latencies.push(performance.now() - started);
        log.settle(writes, ok ? 'ack' : 'refused');
        if (!ok) {
          myErrors++;
          stats.errors.push(`${who.email} ${kind}: ${why}`);
        }
        return true;
      } catch (err) {
        log.settle(writes, 'unknown');
        if (halted()) {
          stats.cutOff++;
          return false;
        }
        myErrors++;
        stats.errors.push(`${who.email} ${kind}: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`);
        return true;
      }
    };

    const randomValue = (code: string, caseK: string) => {
      const n = ++seq;
      const rationale = `${TEXTS[Math.floor(random() * TEXTS.length)]} #${n} ${who.email} ${caseK} ${code}`;
      if (random() < 0.1) return { score: 'n', reason: `Geen interview ging over ${code} (#${n})`, rationale, stored: ratingValue(null, `Geen interview ging over ${code} (#${n})`, rationale) };
      const score = SCALE.min + Math.floor(random() * (SCALE.max - SCALE.min + 1));
      return { score: String(score), reason: '', rationale, stored: ratingValue(score, null, rationale) };
    };

    for (const [i, caseK] of cases.entries()) {
      const rateUrl = `/studies/${options.studyId}/cases/${encodeURIComponent(caseK)}/rate`;
      // Each case gets a slice of the time; the boundaries wander so that submissions do not come in lockstep.
      const sliceEnd = i === cases.length - 1 ? deadline : stats.startedAt + slice * (i + 1) + (random() - 0.5) * slice * 0.6;

      const errorsBefore = myErrors;
      const opened = await send('open form', async () => {
        const res = await client.get(rateUrl);
        return { ok: res.status === 200 && res.text.includes('data-rating-form'), why: `GET ${rateUrl} answered ${res.status}` };
      }, []);
      // Without the form (and its token) every later request would fail too: one error is enough.
      if (!opened || myErrors > errorsBefore) return;

      /** The browser's autosave of one condition. */
      const autosave = async (code: string) => {
        const v = randomValue(code, caseK);
        const w = log.begin(ratingKey(caseK, code, who.email), v.stored);
        return send('autosave', async () => {
          const res = await client.post(rateUrl, { c: code, [`score:${code}`]: v.score, [`reason:${code}`]: v.reason, [`rationale:${code}`]: v.rationale }, {
            headers: { accept: 'application/json', 'x-csrf-token': client.csrf },
          });
          let ok = false;
          try {
            ok = res.status === 200 && (JSON.parse(res.text) as { ok?: boolean }).ok === true;
          } catch {
            // not JSON: refused below with the answer's start
          }
          return { ok, why: `autosave answered ${res.status} ${res.text.slice(0, 200)}` };
        }, [w]);
      };
      /** The Save button: every condition in one form post, answered with 303. */
      const saveAll = async () => {
        const fields: Record<string, string[]> = { _csrf: [client.csrf], c: [...CODES] };
        const writes: Write[] = [];
        for (const code of CODES) {
          const v = randomValue(code, caseK);
          fields[`score:${code}`] = [v.score];
          fields[`reason:${code}`] = [v.reason];
          fields[`rationale:${code}`] = [v.rationale];
          writes.push(log.begin(ratingKey(caseK, code, who.email), v.stored));
        }
        return send('form save', async () => {
          const res = await client.post(rateUrl, fields);
          return { ok: res.status === 303 && res.location === rateUrl, why: `form save answered ${res.status} ${res.location ?? ''}` };
        }, writes);
      };

      // Every condition once, in order (as with the keyboard), then changes of mind until the slice ends.
      for (const code of CODES) if (!(await autosave(code))) return;
      const last = i === cases.length - 1;
      while (performance.now() < sliceEnd || (last && options.holdOpen?.() && performance.now() < deadline + 60_000)) {
        const roll = random();
        const go = roll < 0.88 ? await autosave(CODES[Math.floor(random() * CODES.length)]!) : roll < 0.96 ? await saveAll() : await send('open form', async () => {
          const res = await client.get(rateUrl);
          return { ok: res.status === 200, why: `GET ${rateUrl} answered ${res.status}` };
        }, []);
        if (!go) return;
      }
      const w = log.begin(submitKey(caseK, who.email), 'submitted');
      const submitted = await send('submit', async () => {
        const res = await client.post(`${rateUrl}/submit`, { _csrf: client.csrf, confirmed: 'yes' });
        return { ok: res.status === 303 && res.location === rateUrl, why: `submit answered ${res.status} ${res.location ?? ''}` };
      }, [w]);
      if (!submitted) return;
      if (w.outcome === 'ack') stats.submits++;
    }
  };

  await Promise.all(RATERS.map((who, i) => rater(who, clients[i]!, generators[i]!)));
  stats.endedAt = performance.now();
  return stats;
}

/** One line for a person reading the run. */
export function describeLoad(stats: LoadStats): string {
  const kinds = Object.entries(stats.byKind).map(([k, n]) => `${n} ${k}`).join(', ');
  const seconds = (stats.endedAt - stats.startedAt) / 1000;
  return `${stats.requests} requests in ${seconds.toFixed(1)} s (${(stats.requests / seconds).toFixed(0)}/s; ${kinds}), p50 ${percentile(stats.latencies, 50).toFixed(0)} ms, p95 ${percentile(stats.latencies, 95).toFixed(0)} ms, ${stats.errors.length} errors`;
}
