// Starts Kader: config → data folders → database → migrations → first administrator from the
// environment → app → listen. Closes cleanly on SIGTERM and SIGINT.
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { openDb } from './lib/db.ts';
import { createLogger } from './lib/logger.ts';
import { PRIVATE_UMASK, secureDataDir } from './lib/private-files.ts';
import { migrate } from './lib/migrate.ts';
import { randomToken } from './lib/tokens.ts';
import { createServices } from './services.ts';
import { writePidFile, removePidFile } from './lib/pid-file.ts';

/** The configured secret, or one generated at first start and kept in the data folder. */
function sessionSecret(config: Readonly<Config>): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomToken(48), { mode: 0o600, flag: 'wx' });
  return fs.readFileSync(file, 'utf8').trim();
}

async function main(): Promise<void> {
  // Whatever Kader or SQLite creates from here on is its owner's only (private-files.ts).
  process.umask(PRIVATE_UMASK);
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  secureDataDir(config);
  const db = openDb(config.dbFile);
  const migrated = migrate(db, { backupDir: path.join(config.dataDir, 'backups') });
  if (migrated.applied.length) logger.info({ applied: migrated.applied, backup: migrated.backupFile }, 'database migrated');

  if (config.admin) {
    const services = createServices(db, () => new Date(), config);
    const created = await services.users.createFirstAdmin({ email: config.admin.email, name: 'Administrator', password: config.admin.password });
    if (created) logger.info({ email: created.email }, 'administrator created from KADER_ADMIN_EMAIL');
  }

  const app = createApp({ config, db, logger, sessionSecret: sessionSecret(config) });
  const server = app.listen(config.port, config.host, () => {
    writePidFile(config.dataDir);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ url: `http://${config.host}:${port}`, dataDir: config.dataDir }, 'Kader is listening');
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      db.close();
      removePidFile(config.dataDir);
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
