// Gives each request an id (echoed as X-Request-Id) and logs it when the response is finished.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../lib/logger.ts';

/** One-time link tokens are credentials: they never reach the log. */
export function loggableUrl(url: string): string {
  return url.replace(/\/set-password\/[^/?#]+/, '/set-password/:token');
}

export function requestLog(logger: Logger) {
  const logging = logger.isLevelEnabled('info');
  return (req: Request, res: Response, next: NextFunction): void => {
    req.id = crypto.randomUUID();
    res.setHeader('X-Request-Id', req.id);
    if (!logging) return next(); // below the log level: no timing, no listener
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { reqId: req.id, method: req.method, url: loggableUrl(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10, user: req.user?.id },
        'request',
      );
    });
    next();
  };
}
