// Consistent online backups of the database (VACUUM INTO runs inside a read transaction, so the
// copy is a snapshot even while the server writes) and restores that never leave half a database.
// Backups hold everything the data folder does, so they are owner-only like it (private-files.ts).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { vacuumInto, type Db } from './db.ts';
import { readMigrations } from './migrate.ts';
import { makePrivateDir, tighten } from './private-files.ts';

export class BackupError extends Error {}

/** The folder that holds the uploaded files of a backup written to `file`. */
export const uploadsBackupDir = (file: string) => `${file}.uploads`;

export function backupTo(db: Db, dataDir: string, uploadsDir: string, file: string): { database: string; uploads: string | null } {
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new BackupError(`${target} exists already; choose a new file name so no backup is overwritten.`);
  if (!path.relative(path.resolve(dataDir), target).startsWith('..')) {
    throw new BackupError(`${target} is inside the data folder ${dataDir}; keep backups elsewhere so they survive the loss of that folder.`);
  }
  makePrivateDir(path.dirname(target));
  vacuumInto(db, target);
  // Uploaded files are never changed once written, so copying them after the snapshot is consistent.
  const hasUploads = fs.existsSync(uploadsDir) && fs.readdirSync(uploadsDir).length > 0;
  if (hasUploads) copyPrivateDir(uploadsDir, uploadsBackupDir(target));
  return { database: target, uploads: hasUploads ? uploadsBackupDir(target) : null };
}

/** Copies a folder of uploads into a new owner-only folder (cpSync alone would give it the source's mode). */
function copyPrivateDir(from: string, to: string): void {
  makePrivateDir(to);
  fs.cpSync(from, to, { recursive: true });
  tighten([to]);
}

/** Checks that `file` is a Kader database this program can open, without changing it. */
export function inspectBackup(file: string): { version: number } {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist.`);
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const ok = db.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new BackupError(`${file} is damaged: integrity check says ${String(ok)}.`);
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!hasTable) throw new BackupError(`${file} is not a Kader database (it has no schema_migrations table).`);
    const version = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
    const known = readMigrations().length;
    if (version > known) throw new BackupError(`${file} comes from a newer Kader (schema ${version}; this one knows ${known}).`);
    return { version };
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} is not a readable SQLite database: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

/**
 * Replaces the database (and the uploads, when the backup has them) with the backup. The current
 * data is moved aside into `backups/`, never deleted, and the new database is renamed into place
 * in one step.
 */
export function restoreFrom(file: string, target: { dbFile: string; uploadsDir: string; dataDir: string }, stamp: string) {
  const source = path.resolve(file);
  const { version } = inspectBackup(source);
  const asideDir = path.join(target.dataDir, 'backups', `before-restore-${stamp}`);
  makePrivateDir(asideDir);

  // VACUUM INTO reads the backup as SQLite sees it, including anything still in its write-ahead log.
  const incoming = `${target.dbFile}.restoring`;
  fs.rmSync(incoming, { force: true });
  const reader = new Database(source, { readonly: true, fileMustExist: true });
  try {
    vacuumInto(reader, incoming);
  } finally {
    reader.close();
  }
  // Sessions from the time of the backup must not come back to life.
  const restored = new Database(incoming);
  try {
    restored.exec('DELETE FROM sessions');
  } finally {
    restored.close();
  }
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(target.dbFile + suffix)) fs.renameSync(target.dbFile + suffix, path.join(asideDir, path.basename(target.dbFile) + suffix));
  }
  fs.renameSync(incoming, target.dbFile);

  const uploads = uploadsBackupDir(source);
  if (fs.existsSync(uploads)) {
    if (fs.existsSync(target.uploadsDir)) fs.renameSync(target.uploadsDir, path.join(asideDir, 'uploads'));
    copyPrivateDir(uploads, target.uploadsDir);
  }
  makePrivateDir(target.uploadsDir);
  return { version, previousDataMovedTo: asideDir };
}
