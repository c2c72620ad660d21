// The command line and the server process as an operator uses them: accounts, study list,
// backup and restore, the administrator from the environment, and refusal of a newer database.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../server/lib/db.ts';
import { createServices } from '../../server/services.ts';
import { loadConfig } from '../../server/config.ts';
import { tempDir } from '../helpers/app.ts';
import { kader, ROOT, startServer, type RunningServer } from '../helpers/processes.ts';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

function servicesOn(dataDir: string) {
  const config = loadConfig({ DATA_DIR: dataDir });
  return createServices(openDb(config.dbFile), () => new Date(), config);
}

describe('kader user:create', () => {
  it('creates an administrator with a generated password printed once, and a user with a password from stdin', async () => {
    const DATA_DIR = tempDir();
    const admin = kader(['user:create', '--email', 'Lead@Example.org', '--name', 'Lena Lead', '--admin'], { DATA_DIR });
    expect(admin.status, admin.stderr).toBe(0);
    const generated = /Password \(shown once\): (\S+)/.exec(admin.stdout)![1]!;
    const piped = kader(['user:create', '--email', 'r@example.org', '--name', 'Rob', '--password-stdin'], { DATA_DIR }, 'a piped password\n');
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stdout).not.toContain('Password');
    const s = servicesOn(DATA_DIR);
    expect((await s.users.authenticate('lead@example.org', generated))?.is_admin).toBe(1);
    expect((await s.users.authenticate('r@example.org', 'a piped password'))?.is_admin).toBe(0);
    // Both are in the account log, made by Kader itself (no account acted).
    expect(s.repos.audit.listForSite().map((e) => [e.action, e.entity_id, e.actor_email])).toEqual([
      ['create', 2, null],
      ['create', 1, null],
    ]);
    s.db.close();
  });

  it('refuses a duplicate email or a missing name on stderr with a non-zero status', () => {
    const DATA_DIR = tempDir();
    kader(['user:create', '--email', 'a@example.org', '--name', 'A'], { DATA_DIR });
    const dup = kader(['user:create', '--email', 'A@example.org', '--name', 'A'], { DATA_DIR });
    expect(dup.status).not.toBe(0);
    expect(dup.stderr).toContain('exists already');
    const noName = kader(['user:create', '--email', 'b@example.org'], { DATA_DIR });
    expect(noName.status).not.toBe(0);
    expect(noName.stderr).toContain('--name');
  });
});

describe('kader study:list', () => {
  it('prints one line per study: id, tab, title', () => {
    const DATA_DIR = tempDir();
    kader(['user:create', '--email', 'a@example.org', '--name', 'A'], { DATA_DIR });
    const s = servicesOn(DATA_DIR);
    s.studies.create({ title: 'Bijstand 2023', question: '', language: 'nl' }, 1);
    s.studies.create({ title: 'Atlas 2017', question: '', language: 'nl' }, 1);
    s.db.close();
    const out = kader(['study:list'], { DATA_DIR });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('1\tBijstand 2023\n2\tAtlas 2017\n');
  });
});

describe('kader study:import', () => {
  it('creates the accounts the file needs as Kader itself: each in the account log with the study, the members’ set-password links on stderr', () => {
    const DATA_DIR = tempDir();
    const doc = JSON.parse(fs.readFileSync(path.resolve(ROOT, '../shared/fixtures/atlas-2017-scores.json'), 'utf8'));
    doc.reconciliations = [{ case: 'nijkerk', condition: 'H', score: 3, note: 'Besproken.', by: 'former.lead@example.org' }];
    const file = path.join(tempDir(), 'atlas.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = kader(['study:import', file], { DATA_DIR });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ study: 1 });
    expect(r.stderr).toMatch(/created account rater\.a@example\.org; set-password link: \/set-password\/[\w-]+/);
    expect(r.stderr).toContain('created account former.lead@example.org (named only as a decider; no password link');
    const s = servicesOn(DATA_DIR);
    const entries = s.db
      .prepare("SELECT u.email, a.actor_id, json_extract(a.after, '$.via') AS via, json_extract(a.after, '$.study') AS study FROM audit_log a JOIN users u ON u.id = a.entity_id WHERE a.entity = 'user' AND a.action = 'create' ORDER BY a.id")
      .all();
    s.db.close();
    expect(entries).toEqual(['rater.a@example.org', 'rater.b@example.org', 'former.lead@example.org'].map((email) => ({ email, actor_id: null, via: 'study-import', study: 1 })));
  });
});

describe('kader backup and restore', () => {
  it('backs up a running server’s data, refuses to restore under it, and restores once it stopped', { timeout: 90_000 }, async () => {
    const DATA_DIR = tempDir();
    kader(['user:create', '--email', 'a@example.org', '--name', 'A'], { DATA_DIR });
    fs.mkdirSync(path.join(DATA_DIR, 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(DATA_DIR, 'uploads', 'f1'), 'evidence');
    const server = await startServer({ dataDir: DATA_DIR });
    servers.push(server);
    const file = path.join(tempDir(), 'backup.db');
    const b = kader(['backup', file], { DATA_DIR });
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toEqual({ database: file, uploads: `${file}.uploads` });
    expect(kader(['backup', file], { DATA_DIR }).stderr).toContain('exists already');

    // Changes after the backup…
    const s = servicesOn(DATA_DIR);
    s.studies.create({ title: 'After the backup', question: '', language: 'en' }, 1);
    s.db.close();
    fs.writeFileSync(path.join(DATA_DIR, 'uploads', 'f2'), 'later');

    const refused = kader(['restore', file], { DATA_DIR });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/server \(process \d+\) is using/);
    expect(kader(['study:list'], { DATA_DIR }).stdout).toContain('After the backup');

    await server.stop();
    const r = kader(['restore', file], { DATA_DIR });
    expect(r.status, r.stderr).toBe(0);
    expect(kader(['study:list'], { DATA_DIR }).stdout).toBe('');
    expect(fs.readdirSync(path.join(DATA_DIR, 'uploads'))).toEqual(['f1']);
    // What was replaced is kept aside, not deleted.
    const aside = JSON.parse(r.stdout).previousDataMovedTo as string;
    expect(fs.existsSync(path.join(aside, 'kader.db'))).toBe(true);
    const again = await startServer({ dataDir: DATA_DIR });
    servers.push(again);
    expect((await fetch(`${again.baseUrl}/healthz`)).status).toBe(200);
  });

  it('refuses a backup file inside the data folder', () => {
    const DATA_DIR = tempDir();
    const r = kader(['backup', path.join(DATA_DIR, 'uploads', 'x.db')], { DATA_DIR });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('inside the data folder');
    expect(fs.existsSync(path.join(DATA_DIR, 'uploads', 'x.db'))).toBe(false);
  });

  it('restores what is still in a backup’s write-ahead log, and no sessions', () => {
    const source = tempDir();
    kader(['user:create', '--email', 'a@example.org', '--name', 'A'], { DATA_DIR: source });
    // A copy taken while a writer still holds changes in the log: the main file alone lacks them.
    const writer = openDb(path.join(source, 'kader.db'));
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("INSERT INTO sessions (sid, expires_at, data) VALUES ('old', 99999999999999, '{}')").run();
    const s = createServices(writer, () => new Date(), loadConfig({ DATA_DIR: source }));
    s.studies.create({ title: 'Only in the log', question: '', language: 'en' }, 1);
    const copy = path.join(tempDir(), 'copy.db');
    fs.copyFileSync(path.join(source, 'kader.db'), copy);
    fs.copyFileSync(path.join(source, 'kader.db-wal'), `${copy}-wal`);
    writer.close();
    const DATA_DIR = tempDir();
    const r = kader(['restore', copy], { DATA_DIR });
    expect(r.status, r.stderr).toBe(0);
    expect(kader(['study:list'], { DATA_DIR }).stdout).toBe('1\tOnly in the log\n');
    const restored = openDb(path.join(DATA_DIR, 'kader.db'));
    expect(restored.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    restored.close();
  });

  it('refuses to restore a file that is not a Kader database', () => {
    const DATA_DIR = tempDir();
    const junk = path.join(tempDir(), 'junk.db');
    fs.writeFileSync(junk, 'not sqlite at all');
    const r = kader(['restore', junk], { DATA_DIR });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not a readable SQLite database|not a Kader database/);
  });
});

describe('server start', () => {
  it('creates the administrator from KADER_ADMIN_EMAIL and KADER_ADMIN_PASSWORD when no account exists', async () => {
    const DATA_DIR = tempDir();
    const server = await startServer({ dataDir: DATA_DIR, env: { KADER_ADMIN_EMAIL: 'ops@example.org', KADER_ADMIN_PASSWORD: 'from the environment' } });
    servers.push(server);
    const login = await fetch(`${server.baseUrl}/login`, { redirect: 'manual' });
    expect(login.status).toBe(200);
    const s = servicesOn(DATA_DIR);
    expect((await s.users.authenticate('ops@example.org', 'from the environment'))?.is_admin).toBe(1);
    s.db.close();
    expect(fs.existsSync(path.join(DATA_DIR, 'uploads'))).toBe(true);
  });

  it('refuses to start on a database newer than itself', async () => {
    const DATA_DIR = tempDir();
    kader(['study:list'], { DATA_DIR });
    const db = openDb(path.join(DATA_DIR, 'kader.db'));
    db.prepare("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'future', 'x', '2030-01-01')").run();
    db.close();
    await expect(startServer({ dataDir: DATA_DIR })).rejects.toThrow(/exited \(code 1.*newer than this version of Kader/s);
  });
});

describe('the kader launcher (scripts/kader.mjs)', () => {
  const BUNDLE = path.join(ROOT, 'node_modules', '.cache', 'kader', 'kader.mjs');

  it('runs the command line from a bundle, rebuilt when a source file is newer and not otherwise', () => {
    expect(kader(['help'], { DATA_DIR: tempDir() }).status).toBe(0);
    const built = fs.statSync(BUNDLE).mtimeMs;
    // A source saved after the bundle was built: the next command rebuilds it.
    const source = path.join(ROOT, 'server', 'lib', 'root.ts');
    while (Date.now() <= built + 5) {
      // a few milliseconds at most: the save must come after the build
    }
    const saved = new Date();
    fs.utimesSync(source, saved, saved);
    const after = kader(['help'], { DATA_DIR: tempDir() });
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).toContain('Usage: npm run --silent kader');
    const rebuilt = fs.statSync(BUNDLE).mtimeMs;
    expect(rebuilt).toBeGreaterThan(built);
    // Nothing newer: the bundle is used as it is.
    expect(kader(['help'], { DATA_DIR: tempDir() }).status).toBe(0);
    expect(fs.statSync(BUNDLE).mtimeMs).toBe(rebuilt);
  });
});
