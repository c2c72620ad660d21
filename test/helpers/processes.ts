// Runs the real command line and server as child processes, the way an operator would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `kader <args>` with the given environment (DATA_DIR at least), optional standard input and time limit. */
export function kader(args: string[], env: Record<string, string>, input?: string, timeoutMs = 30_000): CliResult {
  const result = spawnSync(process.execPath, ['scripts/kader.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    input: input ?? '',
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A free TCP port on 127.0.0.1: open a server on port 0, read the port, close it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not read a free port'))));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  port: number;
  /** The server process's id (for reading its memory use). */
  pid: number;
  dataDir: string;
  /** What the server wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL after the timeout; removes the data folder if startServer made it. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Environment variables the server's config reads; inherited values must not leak into the test server. */
const SERVER_ENV_KEYS = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'NODE_ENV',
  'LOG_LEVEL',
  'TRUST_PROXY',
  'SESSION_SECRET',
  'SESSION_MAX_AGE_HOURS',
  'KADER_ADMIN_EMAIL',
  'KADER_ADMIN_PASSWORD',
  'DOCUMENT_MAX_MB',
  'LOGIN_MAX_FAILURES',
  'LOGIN_MAX_FAILURES_PER_ADDRESS',
  'LOGIN_WINDOW_MINUTES',
];

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/**
 * Starts `node --import tsx server/main.ts` from the project root on a fresh data folder and a free
 * port, and resolves once GET /healthz answers 200 (bounded by `timeoutMs`).
 */
export async function startServer(options: { timeoutMs?: number; env?: Record<string, string>; dataDir?: string } = {}): Promise<RunningServer> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kader-e2e-'));
  const port = await freePort();
  const host = '127.0.0.1';
  const baseUrl = `http://${host}:${port}`;

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SERVER_ENV_KEYS) delete env[key];
  Object.assign(env, { DATA_DIR: dataDir, PORT: String(port), HOST: host, LOG_LEVEL: 'warn', NODE_ENV: 'test' }, options.env);

  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const stop = async (stopTimeoutMs = 5_000) => {
    if (!exited(child)) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, stopTimeoutMs))) {
        console.warn(`kader test server (pid ${child.pid}) ignored SIGTERM for ${stopTimeoutMs} ms; sending SIGKILL`);
        child.kill('SIGKILL');
        await waitForExit(child, 2_000);
      }
    }
    if (ownDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited(child)) {
      await stop();
      throw new Error(`the server exited (code ${child.exitCode}, signal ${child.signalCode}) before /healthz answered.\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return { baseUrl, port, pid: child.pid!, dataDir, output: () => output, stop };
      lastProblem = `status ${res.status}`;
    } catch (err) {
      lastProblem = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await stop();
  throw new Error(`the server did not answer GET /healthz with 200 within ${timeoutMs} ms (${lastProblem}).\n${output}`);
}


/** Kilobyte figure `field` (e.g. VmHWM) of a process's /proc status, or 0 when it has gone. */
function procStatusKb(pid: string, field: string): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Watches the child processes of this process (every `intervalMs`) and reports the highest peak
 * resident memory (VmHWM) any of them reached, in bytes. Linux only (reads /proc).
 */
export function watchChildMemory(intervalMs = 10): { stop(): number } {
  let peak = 0;
  const sample = () => {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      // The fields after "(name)": state, then the parent's id.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid) peak = Math.max(peak, procStatusKb(pid, 'VmHWM'));
    }
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
