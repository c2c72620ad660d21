// The only reader of process.env: parsed once with zod, fails fast with a readable message, frozen.
import path from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Express "trust proxy": false, true, a hop count, or a list of addresses.
  TRUST_PROXY: z.string().default('false'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SESSION_MAX_AGE_HOURS: z.coerce.number().positive().default(12),
  PUBLIC_URL: z.url().optional(),
  KADER_ADMIN_EMAIL: z.email().optional(),
  KADER_ADMIN_PASSWORD: z.string().min(8, 'KADER_ADMIN_PASSWORD must be at least 8 characters').optional(),
  DOCUMENT_MAX_MB: z.coerce.number().positive().default(100),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(10),
  // For all accounts together from one address (password spraying); above the per-account limit, so a
  // few people behind one address who mistype do not lock each other out.
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  LOGIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
  uploadsDir: string;
  env: 'development' | 'production' | 'test';
  logLevel: string;
  trustProxy: boolean | number | string;
  /** The address users reach Kader at, for links shown to be passed on; else taken from the request. */
  publicUrl?: string;
  sessionSecret?: string;
  sessionMaxAgeMs: number;
  admin?: { email: string; password: string };
  documentMaxBytes: number;
  login: { maxFailures: number; maxFailuresPerAddress: number; windowMs: number };
}

function parseTrustProxy(value: string): boolean | number | string {
  // "true" would trust any X-Forwarded-For a client sends, and with it the login rate limit's address.
  if (value === 'true') throw new Error('Kader cannot start: TRUST_PROXY=true would trust any client; give the number of proxies in front of Kader (e.g. 1) or their addresses.');
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Reads the environment (or the given overrides, for tests) into a frozen Config. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Kader cannot start: the environment is not valid.\n${problems}`);
  }
  const e = parsed.data;
  if ((e.KADER_ADMIN_EMAIL === undefined) !== (e.KADER_ADMIN_PASSWORD === undefined)) {
    throw new Error('Kader cannot start: set both KADER_ADMIN_EMAIL and KADER_ADMIN_PASSWORD, or neither.');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    dbFile: path.join(dataDir, 'kader.db'),
    uploadsDir: path.join(dataDir, 'uploads'),
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    sessionSecret: e.SESSION_SECRET,
    sessionMaxAgeMs: e.SESSION_MAX_AGE_HOURS * 3_600_000,
    admin: e.KADER_ADMIN_EMAIL ? { email: e.KADER_ADMIN_EMAIL, password: e.KADER_ADMIN_PASSWORD! } : undefined,
    documentMaxBytes: Math.round(e.DOCUMENT_MAX_MB * 1024 * 1024),
    login: { maxFailures: e.LOGIN_MAX_FAILURES, maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS, windowMs: e.LOGIN_WINDOW_MINUTES * 60_000 },
  });
}
