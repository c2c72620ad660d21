// The running server leaves its process id in the data folder, so `kader restore` can refuse to
// replace the data under it.
import fs from 'node:fs';
import path from 'node:path';

const fileIn = (dataDir: string) => path.join(dataDir, 'server.pid');

export function writePidFile(dataDir: string): void {
  fs.writeFileSync(fileIn(dataDir), String(process.pid));
}

export function removePidFile(dataDir: string): void {
  fs.rmSync(fileIn(dataDir), { force: true });
}

/** The pid of a live server using this data folder, or null (a stale file from a crash is ignored). */
export function runningServerPid(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(fileIn(dataDir), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
