// Bench-only server entry: what server/main.ts does (config → db → migrate → app → listen), but with
// the statement-counting app of bench/app.ts. Started by bench/run.ts as a child process with
// NODE_ENV=production and LOG_LEVEL=warn; prints one JSON line {"listening": URL} when ready.
import { loadConfig } from '../server/config.ts';
import { createBenchApp } from './app.ts';

const config = loadConfig();
const bench = createBenchApp({ config, sessionSecret: config.sessionSecret ?? 'bench-secret-bench-secret-bench-secret!' });
const server = bench.app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(JSON.stringify({ listening: `http://${config.host}:${port}`, pid: process.pid }));
});

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  server.closeAllConnections();
  server.close(() => {
    bench.db.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 5_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
