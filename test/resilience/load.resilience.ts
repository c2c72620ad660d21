// Load and fault tests against the real server process (node --import tsx server/main.ts) on
// 127.0.0.1: 50 simulated raters autosave, save and submit for 60 s with zero errors and every
// acknowledged write in the database; kill -9 of the server in the middle of the load, restart,
// integrity check and no acknowledged write lost; a backup taken during the load restores into a
// fresh data folder as a consistent snapshot that the server opens. The lead's account and the study
// are made with the `kader` command line. RESILIENCE_SEED repeats a run's random choices (not its timing).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/processes.ts';
import { Client } from './helpers/client.ts';
import {
  assignments,
  CASE_COUNT,
  copyTemplate,
  describeLoad,
  kaderAsync,
  LEAD,
  prepareTemplate,
  RATER_COUNT,
  RATERS,
  readDatabase,
  runLoad,
  seededRandom,
  tempDir,
  verify,
  WriteLog,
  type Template,
} from './helpers/load.ts';

const SEED = Number(process.env.RESILIENCE_SEED ?? Date.now() % 2 ** 31);
const FULL_LOAD_MS = 60_000;
const KILL_LOAD_MS = 20_000;
const BACKUP_LOAD_MS = 15_000;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe('50 raters against the real server', () => {
  let template: Template;
  const folders: string[] = [];
  const servers: RunningServer[] = [];
  const timers: NodeJS.Timeout[] = [];

  const start = async (dataDir: string) => {
    const server = await startServer({ dataDir, timeoutMs: 30_000 });
    servers.push(server);
    return server;
  };
  const folder = (dir: string) => {
    folders.push(dir);
    return dir;
  };

  beforeAll(async () => {
    const began = performance.now();
    template = await prepareTemplate();
    folder(template.dir);
    console.log(`setup: the lead (kader user:create), ${RATER_COUNT} raters and a study of ${CASE_COUNT} cases × 2 raters (kader study:import) in ${seconds(performance.now() - began)} (seed ${SEED})`);
  }, 240_000);

  afterAll(async () => {
    for (const t of timers) clearTimeout(t);
    for (const s of servers) await s.stop();
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a. 50 raters save and submit for 60 s: no errors, and every acknowledged write is in the database', async () => {
    const began = performance.now();
    const dataDir = folder(copyTemplate(template, 'kader-resilience-load-'));
    const server = await start(dataDir);
    const log = new WriteLog();
    const stats = await runLoad({ baseUrl: server.baseUrl, studyId: template.studyId, durationMs: FULL_LOAD_MS, log, random: seededRandom(SEED) });
    await server.stop();

    const stored = readDatabase(path.join(dataDir, 'kader.db'), template.studyId);
    const verdict = verify(log, stored.ratings, Infinity, Infinity);
    console.log(
      `a. load: ${describeLoad(stats)}; ${log.acknowledged} acknowledged writes, ${verdict.mustHave} final ratings and submissions checked in the database ` +
        `(${stored.ratings.length} rows, ${verdict.submitted} of ${RATER_COUNT * 4} case submissions), integrity ${stored.integrity}, ${verdict.problems.length} problems, ${seconds(performance.now() - began)}`,
    );
    expect(stats.errors.slice(0, 20)).toEqual([]);
    expect(stored.integrity).toBe('ok');
    expect(verdict.problems.slice(0, 20)).toEqual([]);
    expect(stats.submits).toBe(RATER_COUNT * 4);
    expect(verdict.submitted).toBe(RATER_COUNT * 4);
  }, 200_000);

  it('b. kill -9 of the server during the load, then a restart: integrity ok and no acknowledged write lost', async () => {
    const began = performance.now();
    const random = seededRandom(SEED + 1);
    const dataDir = folder(copyTemplate(template, 'kader-resilience-kill-'));
    const server = await start(dataDir);
    // startServer spawns node itself (no npm or shell in between): this is the server's own pid.
    const cmdline = fs.readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain('server/main.ts');

    const killAfter = 5_000 + random() * (KILL_LOAD_MS - 8_000);
    let killed = false;
    let killAt = Infinity;
    const log = new WriteLog();
    const stats = await runLoad({
      baseUrl: server.baseUrl,
      studyId: template.studyId,
      durationMs: KILL_LOAD_MS,
      log,
      random,
      halted: () => killed,
      onStart: () => {
        timers.push(
          setTimeout(() => {
            killed = true;
            killAt = performance.now();
            process.kill(server.pid, 'SIGKILL');
          }, killAfter),
        );
      },
    });
    expect(killed).toBe(true);
    await server.stop(); // waits until the killed process is gone; the data folder stays
    const inFlight = [...log.byKey.values()].flat().filter((w) => w.outcome === 'unknown').length;

    const restarted = await start(dataDir);
    const stored = readDatabase(path.join(dataDir, 'kader.db'), template.studyId);
    const verdict = verify(log, stored.ratings, Infinity, killAt);
    // The restarted server serves the raters again: one logs in and saves a draft of an open case.
    const rater = RATERS.find((r) => !stored.ratings.some((s) => s.email === r.email && s.submitted)) ?? RATERS[0]!;
    const openCase = assignments().get(rater.email)!.find((c) => !stored.ratings.some((s) => s.caseKey === c && s.email === rater.email && s.submitted));
    const client = new Client(restarted.baseUrl);
    await client.logIn(rater.email, rater.password);
    let afterRestart = 'all cases of the rater submitted';
    if (openCase) {
      const rateUrl = `/studies/${template.studyId}/cases/${openCase}/rate`;
      expect((await client.get(rateUrl)).status).toBe(200);
      const saved = await client.post(rateUrl, { c: '1.a', 'score:1.a': '3', 'reason:1.a': '', 'rationale:1.a': 'after the restart' }, { headers: { accept: 'application/json', 'x-csrf-token': client.csrf } });
      expect(saved.status, saved.text).toBe(200);
      afterRestart = `autosave after restart ${saved.status}`;
    }
    await restarted.stop();
    const afterStop = readDatabase(path.join(dataDir, 'kader.db'), template.studyId);

    console.log(
      `b. kill -9 at ${seconds(killAt - stats.startedAt)} of the load: ${describeLoad(stats)}, ${stats.cutOff} cut off by the kill; ` +
        `${log.acknowledged} acknowledged writes (${inFlight} in flight at the kill), ${verdict.mustHave} ratings and submissions that had to survive checked after the restart ` +
        `(${verdict.submitted} submissions), integrity ${stored.integrity}, ${afterRestart}, ${verdict.problems.length} problems, ${seconds(performance.now() - began)}`,
    );
    expect(stats.errors.slice(0, 20)).toEqual([]);
    expect(stored.integrity).toBe('ok');
    expect(afterStop.integrity).toBe('ok');
    expect(verdict.problems.slice(0, 20)).toEqual([]);
    expect(log.acknowledged).toBeGreaterThan(100);
  }, 200_000);

  it('c. a backup taken during the load restores into a fresh data folder as a consistent study that the server opens', async () => {
    const began = performance.now();
    const random = seededRandom(SEED + 2);
    const dataDir = folder(copyTemplate(template, 'kader-resilience-backup-'));
    const backupDir = folder(tempDir('kader-resilience-backups-'));
    const backupFile = path.join(backupDir, 'during-load.db');
    const server = await start(dataDir);

    const backupAfter = 3_000 + random() * 4_000;
    const backup: { run?: Promise<{ t0: number; t1: number; status: number | null; stderr: string }>; done?: boolean } = {};
    const log = new WriteLog();
    const stats = await runLoad({
      baseUrl: server.baseUrl,
      studyId: template.studyId,
      durationMs: BACKUP_LOAD_MS,
      log,
      random,
      // The raters keep writing until the backup is done, so that it is taken under load however slow the machine.
      holdOpen: () => !backup.done,
      onStart: () => {
        timers.push(
          setTimeout(() => {
            backup.run = (async () => {
              const t0 = performance.now();
              try {
                const res = await kaderAsync(['backup', backupFile], { DATA_DIR: dataDir });
                return { t0, t1: performance.now(), status: res.status, stderr: res.stderr };
              } finally {
                backup.done = true;
              }
            })();
          }, backupAfter),
        );
      },
    });
    expect(backup.run, 'the backup started during the load').toBeDefined();
    const taken = await backup.run!;
    expect(taken.status, taken.stderr).toBe(0);
    expect(taken.t1, 'the backup finished while the raters were still working').toBeLessThan(stats.endedAt);
    await server.stop();
    const live = verify(log, readDatabase(path.join(dataDir, 'kader.db'), template.studyId).ratings, Infinity, Infinity);

    const restoreDir = folder(tempDir('kader-resilience-restored-'));
    const restored = await kaderAsync(['restore', backupFile], { DATA_DIR: restoreDir });
    expect(restored.status, restored.stderr).toBe(0);
    const snapshot = readDatabase(path.join(restoreDir, 'kader.db'), template.studyId);
    const verdict = verify(log, snapshot.ratings, taken.t0, taken.t1);

    // The restored study opens: the lead sees it, a rater sees the rating form of a case.
    const reopened = await start(restoreDir);
    const lead = new Client(reopened.baseUrl);
    await lead.logIn(LEAD.email, LEAD.password);
    const studyPage = await lead.get(`/studies/${template.studyId}`);
    const rater = new Client(reopened.baseUrl);
    await rater.logIn(RATERS[0]!.email, RATERS[0]!.password);
    const form = await rater.get(`/studies/${template.studyId}/cases/${assignments().get(RATERS[0]!.email)![0]}/rate`);
    await reopened.stop();

    const drafts = new Set(snapshot.ratings.filter((r) => !r.submitted).map((r) => `${r.caseKey}|${r.email}`)).size;
    console.log(
      `c. backup at ${seconds(taken.t0 - stats.startedAt)}–${seconds(taken.t1 - stats.startedAt)} of the load: ${describeLoad(stats)}; ` +
        `restored snapshot: integrity ${snapshot.integrity}, ${snapshot.ratings.length} ratings, ${verdict.submitted} rater-cases submitted and ${drafts} in draft, ` +
        `${verdict.mustHave} writes acknowledged before the backup checked, ${verdict.problems.length} problems; live database ${live.problems.length} problems; ` +
        `GET /studies/${template.studyId} ${studyPage.status}, rating form ${form.status}; ${seconds(performance.now() - began)}`,
    );
    expect(stats.errors.slice(0, 20)).toEqual([]);
    expect(live.problems.slice(0, 20)).toEqual([]);
    expect(snapshot.integrity).toBe('ok');
    expect(verdict.problems.slice(0, 20)).toEqual([]);
    expect(verdict.mustHave).toBeGreaterThan(0);
    expect(studyPage.status).toBe(200);
    expect(form.status).toBe(200);
  }, 200_000);
});
