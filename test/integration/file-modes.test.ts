// Kader's data is confidential: the data folder and the uploads folder are their owner's only
// (0700), and so are the database, its write-ahead log and shared memory, the session secret and
// backups (0600), whatever the umask Kader was started with, and also when an older version left
// them readable to others. Checked through the real server and command line.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../server/lib/db.ts';
import { tempDir } from '../helpers/app.ts';
import { kader, startServer, type RunningServer } from '../helpers/processes.ts';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** The modes of the data folder's own files and folders, by name relative to it. */
function modesIn(dataDir: string, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, mode(path.join(dataDir, n)).toString(8)]));
}

describe('file modes', () => {
  it('a server on a new data folder makes it, the uploads, the database with its WAL and SHM, and the session secret owner-only', { timeout: 60_000 }, async () => {
    const dataDir = path.join(tempDir(), 'nieuw', 'data');
    const server = await startServer({ dataDir });
    servers.push(server);
    expect(modesIn(dataDir, ['.', 'uploads', 'kader.db', 'kader.db-wal', 'kader.db-shm', 'session-secret'])).toEqual({
      '.': '700', uploads: '700', 'kader.db': '600', 'kader.db-wal': '600', 'kader.db-shm': '600', 'session-secret': '600',
    });
  });

  it('a backup by the command line, its uploads folder and a folder made for it are owner-only; so is what a restore puts back', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    expect(kader(['user:create', '--email', 'a@example.org', '--name', 'A'], { DATA_DIR: dataDir }).status).toBe(0);
    fs.writeFileSync(path.join(dataDir, 'uploads', 'f1.bin'), 'bewijs', { mode: 0o600 });
    const file = path.join(tempDir(), 'nieuwe-map', 'kader-backup.db');
    const backup = kader(['backup', file], { DATA_DIR: dataDir });
    expect(backup.status, backup.stderr).toBe(0);
    expect([mode(file), mode(`${file}.uploads`), mode(path.dirname(file))].map((m) => m.toString(8))).toEqual(['600', '700', '700']);

    const restored = kader(['restore', file], { DATA_DIR: dataDir });
    expect(restored.status, restored.stderr).toBe(0);
    expect(modesIn(dataDir, ['.', 'uploads', 'kader.db', 'backups'])).toEqual({ '.': '700', uploads: '700', 'kader.db': '600', backups: '700' });
  });

  it('the command line on a new data folder makes it and the database owner-only', () => {
    const dataDir = path.join(tempDir(), 'data');
    expect(kader(['user:create', '--email', 'a@example.org', '--name', 'A'], { DATA_DIR: dataDir }).status).toBe(0);
    expect(modesIn(dataDir, ['.', 'uploads', 'kader.db'])).toEqual({ '.': '700', uploads: '700', 'kader.db': '600' });
  });

  it('tightens at start-up what an older version left readable to others', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'uploads'), { mode: 0o755 });
    // An open connection keeps the write-ahead log and shared memory files in place.
    const db = openDb(path.join(dataDir, 'kader.db'));
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    for (const name of ['.', 'uploads']) fs.chmodSync(path.join(dataDir, name), 0o755);
    for (const name of ['kader.db', 'kader.db-wal', 'kader.db-shm']) fs.chmodSync(path.join(dataDir, name), 0o644);
    fs.writeFileSync(path.join(dataDir, 'session-secret'), 'x'.repeat(48), { mode: 0o644 });
    try {
      const server = await startServer({ dataDir });
      servers.push(server);
      expect(modesIn(dataDir, ['.', 'uploads', 'kader.db', 'kader.db-wal', 'kader.db-shm', 'session-secret'])).toEqual({
        '.': '700', uploads: '700', 'kader.db': '600', 'kader.db-wal': '600', 'kader.db-shm': '600', 'session-secret': '600',
      });
    } finally {
      db.close();
    }
  });
});
