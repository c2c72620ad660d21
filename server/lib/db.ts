// Opens the one SQLite connection a process uses, with the pragmas every caller relies on.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, databaseFiles, makePrivateDir, PRIVATE_FILE_MODE, tighten } from './private-files.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Called with the text of every statement SQLite runs: used to count statements per request. */
  onStatement?: (sql: string) => void;
  readonly?: boolean;
}

export function openDb(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:' && !options.readonly) {
    makePrivateDir(path.dirname(file));
    // SQLite gives the write-ahead log and shared-memory files it creates the database file's mode,
    // so the database file is made (or tightened to) owner-only before SQLite opens it.
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
    tighten(databaseFiles(file));
  }
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    verbose: options.onStatement ? (message?: unknown) => options.onStatement!(String(message)) : undefined,
  });
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** Current time as ISO-8601 UTC; every timestamp in the database has this form. */
export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}

/**
 * A consistent copy of the database in a new owner-only file (VACUUM INTO runs in a read
 * transaction, so it is a snapshot even while others write); refuses a file that exists.
 */
export function vacuumInto(db: Db, file: string): void {
  createPrivateFile(file);
  try {
    db.prepare('VACUUM INTO ?').run(file);
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
}

/**
 * A reader of the database's version: it moves with every row this connection writes (total_changes())
 * and every commit of another connection (data_version), so two equal readings mean the data is exactly
 * as it was. For results kept until the data changes (page-cache.ts, the anonymisation leak check).
 */
export function dataVersionReader(db: Db): () => string {
  const read = db.prepare<[], string>("SELECT total_changes() || '.' || data_version FROM pragma_data_version()").pluck();
  return () => read.get()!;
}
