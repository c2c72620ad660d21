// Opens the one SQLite connection a process uses, with the pragmas every caller relies on.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface OpenOptions {
  /** Called with the text of every statement SQLite runs: used to count statements per request. */
  onStatement?: (sql: string) => void;
  readonly?: boolean;
}

export function openDb(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
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
 * A reader of the database's version: it moves with every row this connection writes (total_changes())
 * and every commit of another connection (data_version), so two equal readings mean the data is exactly
 * as it was. For results kept until the data changes (page-cache.ts, the anonymisation leak check).
 */
export function dataVersionReader(db: Db): () => string {
  const read = db.prepare<[], string>("SELECT total_changes() || '.' || data_version FROM pragma_data_version()").pluck();
  return () => read.get()!;
}
