// Synchronizer-token CSRF protection: one random token per session, required on every request
// that is not GET, HEAD or OPTIONS, from the `_csrf` form field or the `x-csrf-token` header.
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../lib/errors.ts';
import { randomToken, safeEqual } from '../lib/tokens.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session's token, created on first use (so pages without forms do not start a session). */
export function csrfToken(req: Request): string {
  req.session.csrf ??= randomToken();
  return req.session.csrf;
}

export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  Object.defineProperty(res.locals, 'csrfToken', { get: () => csrfToken(req), enumerable: true, configurable: true });
  if (SAFE_METHODS.has(req.method)) return next();
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  const expected = req.session.csrf;
  if (typeof sent === 'string' && expected && safeEqual(sent, expected)) return next();
  next(new HttpError(403, 'error.csrf'));
}
