// Kader's data is confidential, so every file and folder it keeps is its owner's only: folders
// 0700, files 0600. The server and the command line also set the umask to 077 (files that SQLite
// makes itself, exports), but a caller of these modules may not have, so where we create a file or
// folder we give it its mode ourselves; and what an older version left readable is tightened when
// the data folder is opened.
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;
/** For process.umask: nothing for group or others. */
export const PRIVATE_UMASK = 0o077;

/** Creates `dir` (and missing parents) owner-only; an existing folder keeps its mode. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Takes group and others' access away from existing files or folders (missing ones are skipped).
 * A file that belongs to another account cannot be changed by us and is left as it is.
 */
export function tighten(files: string[]): void {
  for (const file of files) {
    try {
      const stat = fs.statSync(file);
      const wanted = stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
      if ((stat.mode & 0o777) !== wanted) fs.chmodSync(file, wanted);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw err;
    }
  }
}

/** The database file with its write-ahead log and shared-memory file. */
export const databaseFiles = (dbFile: string) => [dbFile, `${dbFile}-wal`, `${dbFile}-shm`];

/**
 * Makes the data folder and its uploads folder owner-only and tightens what is in it from before
 * (the database files, the session secret, backups), for the server and the command line alike.
 */
export function secureDataDir(paths: { dataDir: string; uploadsDir: string; dbFile: string }): void {
  makePrivateDir(paths.dataDir);
  makePrivateDir(paths.uploadsDir);
  tighten([
    paths.dataDir,
    paths.uploadsDir,
    path.join(paths.uploadsDir, '.incoming'),
    path.join(paths.dataDir, 'backups'),
    path.join(paths.dataDir, 'session-secret'),
    ...databaseFiles(paths.dbFile),
  ]);
}

/** Creates `file` empty and owner-only, refusing one that exists (for SQLite's VACUUM INTO, which fills an empty file). */
export function createPrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
}
