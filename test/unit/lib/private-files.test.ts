// Files and folders Kader keeps are owner-only even for a caller that did not set the umask (this
// test process keeps its own, usually 022): the database with its WAL and SHM, migration backups,
// backups and restores.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupTo, restoreFrom } from '../../../server/lib/backup.ts';
import { openDb } from '../../../server/lib/db.ts';
import { migrate } from '../../../server/lib/migrate.ts';
import { secureDataDir } from '../../../server/lib/private-files.ts';
import { tempDir } from '../../helpers/app.ts';

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe('owner-only files without the umask', () => {
  it('openDb makes a new folder, the database, its WAL and SHM owner-only', () => {
    const dir = path.join(tempDir(), 'nieuw');
    const db = openDb(path.join(dir, 'kader.db'));
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    try {
      expect([dir, 'kader.db', 'kader.db-wal', 'kader.db-shm'].map((f) => mode(path.resolve(dir, f)))).toEqual(['700', '600', '600', '600']);
    } finally {
      db.close();
    }
  });

  it('openDb tightens a database and WAL an older version left readable', () => {
    const file = path.join(tempDir(), 'kader.db');
    const first = openDb(file);
    first.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.chmodSync(f, 0o644);
    const second = openDb(file);
    try {
      expect([file, `${file}-wal`, `${file}-shm`].map(mode)).toEqual(['600', '600', '600']);
    } finally {
      second.close();
      first.close();
    }
  });

  it('the backup before a migration, a backup with its uploads, and a restore are owner-only', () => {
    const dataDir = tempDir();
    const config = { dataDir, dbFile: path.join(dataDir, 'kader.db'), uploadsDir: path.join(dataDir, 'uploads') };
    secureDataDir(config);
    fs.writeFileSync(path.join(config.uploadsDir, 'a.bin'), 'x', { mode: 0o600 });
    const db = openDb(config.dbFile);
    const migrations = tempDir();
    fs.writeFileSync(path.join(migrations, '0001_a.sql'), 'CREATE TABLE schema_probe (x); INSERT INTO schema_probe VALUES (1);');
    migrate(db, { dir: migrations });
    fs.writeFileSync(path.join(migrations, '0002_b.sql'), 'CREATE TABLE b (y);');
    const migrated = migrate(db, { dir: migrations, backupDir: path.join(dataDir, 'backups') });
    expect([path.join(dataDir, 'backups'), migrated.backupFile!].map(mode)).toEqual(['700', '600']);

    const target = path.join(tempDir(), 'map', 'kopie.db');
    const copy = backupTo(db, dataDir, config.uploadsDir, target);
    expect([path.dirname(target), copy.database, copy.uploads!].map(mode)).toEqual(['700', '600', '700']);
    expect(() => backupTo(db, dataDir, config.uploadsDir, target)).toThrow(/exists already/);
    db.close();
  });
});

describe('restore', () => {
  it('puts back an owner-only database and uploads folder, even from a backup an older version left readable', () => {
    const source = tempDir();
    const db = openDb(path.join(source, 'kader.db'));
    migrate(db);
    const backup = path.join(tempDir(), 'oud.db');
    backupTo(db, source, path.join(source, 'uploads'), backup);
    db.close();
    fs.mkdirSync(`${backup}.uploads`, { mode: 0o755 });
    fs.chmodSync(`${backup}.uploads`, 0o755);
    fs.chmodSync(backup, 0o644);
    const dataDir = tempDir();
    const target = { dataDir, dbFile: path.join(dataDir, 'kader.db'), uploadsDir: path.join(dataDir, 'uploads') };
    restoreFrom(backup, target, 'nu');
    expect([target.dbFile, target.uploadsDir].map(mode)).toEqual(['600', '700']);
  });
});
