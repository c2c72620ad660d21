// Our own forward-only migration runner over db/migrations/NNNN_name.sql: each file in its own
// transaction, recorded with a checksum; refuses a database newer than this program.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { vacuumInto, type Db } from './db.ts';
import { makePrivateDir } from './private-files.ts';
import { ROOT } from './root.ts';

export const MIGRATIONS_DIR = path.join(ROOT, 'db', 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d{4})_([a-z0-9_-]+)\.sql$/.exec(file);
      if (!match) throw new MigrationError(`Migration file name must look like 0001_name.sql: ${file}`);
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(match[1]),
        name: match[2]!,
        sql,
        checksum: crypto.createHash('sha256').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`Migrations must be numbered 1, 2, 3 … without gaps; found ${m.version} at position ${i + 1}`);
  });
  return migrations;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export interface MigrateResult {
  applied: number[];
  backupFile?: string;
}

/**
 * Brings the database up to date. Before changing a database that already holds data it writes a
 * copy next to it (`backupDir`), so a failed upgrade can be undone by hand.
 */
export function migrate(db: Db, options: { dir?: string; backupDir?: string; now?: () => string } = {}): MigrateResult {
  const migrations = readMigrations(options.dir);
  const now = options.now ?? (() => new Date().toISOString());
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db.prepare<[], AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all();
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) {
      throw new MigrationError(
        `The database is newer than this version of Kader: it has migration ${row.version} (${row.name}), which this program does not know. Upgrade Kader or restore an older backup.`,
      );
    }
    if (m.checksum !== row.checksum) {
      throw new MigrationError(`Migration ${m.version} (${m.name}) was changed after it was applied; migrations are forward-only, add a new one instead.`);
    }
  }
  const current = applied.at(-1)?.version ?? 0;
  const pending = migrations.filter((m) => m.version > current);
  const result: MigrateResult = { applied: [] };
  if (pending.length === 0) return result;

  if (current > 0 && options.backupDir) {
    makePrivateDir(options.backupDir);
    const stamp = now().replace(/[:.]/g, '-');
    result.backupFile = path.join(options.backupDir, `before-migration-${pending[0]!.version}-${stamp}.db`);
    vacuumInto(db, result.backupFile);
  }

  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, m.checksum, now());
    })();
    result.applied.push(m.version);
  }
  return result;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations').get();
  return row?.v ?? 0;
}
