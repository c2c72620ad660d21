// Structured logs (pino) to stdout; request logs carry the request id.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'kader' }, redact: ['req.headers.cookie', 'password', '*.password'] });
}
