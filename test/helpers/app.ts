// Test harness: a fresh migrated SQLite database per test (copied from a template migrated once
// per worker), the real app on it, and logged-in supertest agents.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp, type KaderApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { openDb, type Db } from '../../server/lib/db.ts';
import { createLogger } from '../../server/lib/logger.ts';
import { migrate } from '../../server/lib/migrate.ts';
import type { Clock, Services } from '../../server/services.ts';

let template: string | null = null;

export function tempDir(prefix = 'kader-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function migratedTemplate(): string {
  if (template) return template;
  const file = path.join(tempDir('kader-template-'), 'template.db');
  const db = openDb(file);
  migrate(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  template = file;
  return file;
}

export interface StatementCounter {
  count: number;
  statements: string[];
  reset(): void;
}

/** A copy of the migrated template in its own data folder; every statement SQLite runs is counted. */
export function freshDb(): { db: Db; dataDir: string; counter: StatementCounter } {
  const dataDir = tempDir();
  const file = path.join(dataDir, 'kader.db');
  fs.copyFileSync(migratedTemplate(), file);
  const counter: StatementCounter = {
    count: 0,
    statements: [],
    reset() {
      this.count = 0;
      this.statements = [];
    },
  };
  const db = openDb(file, {
    onStatement: (sql) => {
      counter.count++;
      counter.statements.push(sql);
    },
  });
  return { db, dataDir, counter };
}

export interface TestContext {
  app: KaderApp;
  db: Db;
  dataDir: string;
  config: Readonly<Config>;
  services: Services;
  counter: StatementCounter;
}

export function testApp(options: { env?: Record<string, string>; clock?: Clock; db?: Db; dataDir?: string } = {}): TestContext {
  const fresh = options.db ? null : freshDb();
  const db = options.db ?? fresh!.db;
  const dataDir = options.dataDir ?? fresh!.dataDir;
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  const clock = options.clock ?? (() => new Date());
  const app = createApp({ config, db, logger: createLogger('silent'), clock, sessionSecret: 'test-secret-test-secret-test-secret!' });
  const services = app.services;
  return { app, db, dataDir, config, services, counter: fresh?.counter ?? { count: 0, statements: [], reset() {} } };
}

export const PASSWORD = 'correct horse battery';

export async function makeUser(
  services: Services,
  fields: { email: string; name?: string; isAdmin?: boolean; password?: string | null },
): Promise<number> {
  const { user } = await services.users.create(
    {
      email: fields.email,
      name: fields.name ?? fields.email.split('@')[0]!,
      isAdmin: fields.isAdmin ?? false,
      password: fields.password === null ? undefined : (fields.password ?? PASSWORD),
    },
    null,
  );
  return user.id;
}

export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token on any page the agent can see. */
export async function csrfOf(agent: Agent, pagePath = '/login'): Promise<string> {
  const res = await agent.get(pagePath);
  const match = /<meta name="csrf-token" content="([^"]+)">/.exec(res.text);
  if (!match) throw new Error(`no CSRF token on ${pagePath} (status ${res.status})`);
  return match[1]!;
}

/** A supertest agent logged in as the given account, with the session's CSRF token. */
export async function loginAs(app: KaderApp, email: string, password = PASSWORD): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  const token = await csrfOf(agent, '/login');
  const res = await agent.post('/login').type('form').send({ email, password, _csrf: token });
  if (res.status !== 303) throw new Error(`login as ${email} failed with ${res.status}`);
  return { agent, csrf: await csrfOf(agent, '/account') };
}
