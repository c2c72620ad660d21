// The benchmark's server: Kader's own createApp() unchanged, mounted inside an outer Express app
// whose first middleware counts the SQL statements each request runs. The database handle is opened
// with openDb's onStatement hook; an AsyncLocalStorage store per request attributes every statement
// to the request that ran it (also under concurrent load, and including the session write that
// happens as the response ends). Bench-only: production code is not touched.
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createApp, type KaderApp } from '../server/app.ts';
import type { Config } from '../server/config.ts';
import { openDb, type Db } from '../server/lib/db.ts';
import { createLogger } from '../server/lib/logger.ts';
import { migrate } from '../server/lib/migrate.ts';

/** What a counted request left behind. */
export interface RequestCount {
  method: string;
  url: string;
  status: number;
  statements: number;
  /** The statements' SQL, only when the request asked for it (header `x-bench-trace: 1`). */
  sql?: string[];
}

/** Statement counts per URL since the last reset: min = max means every request ran the same number. */
export interface UrlStats {
  requests: number;
  min: number;
  max: number;
  total: number;
}

export interface BenchApp {
  app: Express;
  kader: KaderApp;
  db: Db;
  last(): RequestCount | null;
  stats(): Record<string, UrlStats>;
  /** Requests received and not yet answered or abandoned. */
  inFlight(): number;
  reset(): void;
}

/** The baseline page: what a bare Express route sends (a small HTML document, no database, no session). */
export const BARE_HTML = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare</title></head><body><p>Hello from bare Express.</p></body></html>';

export function createBenchApp(options: { config: Readonly<Config>; sessionSecret: string }): BenchApp {
  const { config } = options;
  const requests = new AsyncLocalStorage<{ count: number; sql: string[] | null }>();
  const db = openDb(config.dbFile, {
    onStatement: (sql) => {
      const current = requests.getStore();
      if (!current) return;
      current.count++;
      current.sql?.push(sql);
    },
  });
  migrate(db, { backupDir: path.join(config.dataDir, 'backups') });
  const kader = createApp({ config, db, logger: createLogger(config.logLevel), sessionSecret: options.sessionSecret });

  let last: RequestCount | null = null;
  let perUrl = new Map<string, UrlStats>();
  /** Requests being handled: when autocannon stops, the requests it abandoned are still worked off. */
  let inFlight = 0;

  const app = express();
  app.disable('x-powered-by');
  // The harness's own read-outs: outside the counted part, so reading them changes nothing.
  app.get('/__bench/last', (_req, res) => void res.json(last));
  app.get('/__bench/stats', (_req, res) => void res.json(Object.fromEntries(perUrl)));
  app.get('/__bench/in-flight', (_req, res) => void res.json({ inFlight }));
  app.post('/__bench/reset', (_req, res) => {
    perUrl = new Map();
    last = null;
    res.status(204).end();
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    const store = { count: 0, sql: req.headers['x-bench-trace'] === '1' ? ([] as string[]) : null };
    // Counted until the app ends the response, also when the client has gone (autocannon abandons its
    // last requests when it stops, and the server still works them off).
    inFlight++;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let ended = false;
    res.end = ((...args: unknown[]) => {
      if (!ended) {
        ended = true;
        inFlight--;
      }
      return end(...args);
    }) as Response['end'];
    res.on('finish', () => {
      const url = req.originalUrl;
      last = { method: req.method, url, status: res.statusCode, statements: store.count, ...(store.sql ? { sql: store.sql } : {}) };
      const s = perUrl.get(url);
      if (s) {
        s.requests++;
        s.min = Math.min(s.min, store.count);
        s.max = Math.max(s.max, store.count);
        s.total += store.count;
      } else perUrl.set(url, { requests: 1, min: store.count, max: store.count, total: store.count });
    });
    requests.run(store, next);
  });
  // The baseline: a bare Express route behind the same outer app and counting middleware as every page.
  app.get('/__bench/bare', (_req, res) => void res.type('html').send(BARE_HTML));
  app.use(kader);

  return {
    app,
    kader,
    db,
    last: () => last,
    stats: () => Object.fromEntries(perUrl),
    inFlight: () => inFlight,
    reset: () => ((perUrl = new Map()), (last = null)),
  };
}
