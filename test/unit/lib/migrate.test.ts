// The migration runner: order, records with checksums, one transaction per file, backups, and
// refusal of a database newer than the program.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../server/lib/db.ts';
import { migrate, MigrationError, readMigrations, schemaVersion } from '../../../server/lib/migrate.ts';
import { tempDir } from '../../helpers/app.ts';

function migrationsDir(files: Record<string, string>): string {
  const dir = tempDir('kader-migrations-');
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
  return dir;
}

const one = { '0001_one.sql': '-- why: a\nCREATE TABLE a (x INTEGER) STRICT;' };
const two = { ...one, '0002_two.sql': '-- why: b\nCREATE TABLE b (y INTEGER) STRICT; INSERT INTO a VALUES (1);' };

describe('migrate', () => {
  it('applies the files in order and records each with its checksum', () => {
    const db = openDb(':memory:');
    const result = migrate(db, { dir: migrationsDir(two) });
    expect(result.applied).toEqual([1, 2]);
    const rows = db.prepare('SELECT version, name, length(checksum) AS len FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual([{ version: 1, name: 'one', len: 64 }, { version: 2, name: 'two', len: 64 }]);
    expect(db.prepare('SELECT x FROM a').all()).toEqual([{ x: 1 }]);
    expect(migrate(db, { dir: migrationsDir(two) }).applied).toEqual([]);
  });

  it('rolls back a failing migration completely and keeps the earlier ones', () => {
    const db = openDb(':memory:');
    const dir = migrationsDir({ ...one, '0002_bad.sql': 'CREATE TABLE c (z INTEGER); INSERT INTO nowhere VALUES (1);' });
    expect(() => migrate(db, { dir })).toThrow(/nowhere/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined();
  });

  it('refuses a database that is newer than the program', () => {
    const db = openDb(':memory:');
    migrate(db, { dir: migrationsDir(two) });
    expect(() => migrate(db, { dir: migrationsDir(one) })).toThrow(/newer than this version of Kader/);
  });

  it('refuses a migration that was edited after it was applied', () => {
    const db = openDb(':memory:');
    migrate(db, { dir: migrationsDir(one) });
    expect(() => migrate(db, { dir: migrationsDir({ '0001_one.sql': 'CREATE TABLE a (x TEXT);' }) })).toThrow(MigrationError);
  });

  it('refuses gaps in the numbering', () => {
    expect(() => readMigrations(migrationsDir({ ...one, '0003_three.sql': 'SELECT 1;' }))).toThrow(/without gaps/);
  });

  it('backs up a database that has data before migrating it, not a new one', () => {
    const dataDir = tempDir();
    const backupDir = path.join(dataDir, 'backups');
    const db = openDb(path.join(dataDir, 'kader.db'));
    expect(migrate(db, { dir: migrationsDir(one), backupDir }).backupFile).toBeUndefined();
    const result = migrate(db, { dir: migrationsDir(two), backupDir });
    expect(result.backupFile).toBeDefined();
    const copy = openDb(result.backupFile!);
    expect(schemaVersion(copy)).toBe(1);
  });

  it('the project migrations create a schema with WAL and foreign keys on', () => {
    const dir = tempDir();
    const db = openDb(path.join(dir, 'k.db'));
    migrate(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(schemaVersion(db)).toBe(readMigrations().length);
  });
});
