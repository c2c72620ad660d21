// Synchronizer-token CSRF protection: one random token per session, required on every route that
// changes something, from the `_csrf` form field or the `x-csrf-token` header. app.ts puts the
// check into every such route's chain, after the upload parser on multipart routes (the token is
// in the multipart body) and before the handler.
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../lib/errors.ts';
import { randomToken, safeEqual } from '../lib/tokens.ts';

/** The session's token, created on first use. */
export function csrfToken(req: Request): string {
  req.session.csrf ??= randomToken();
  return req.session.csrf;
}

/** Makes `csrfToken` available to every view. */
export function exposeCsrfToken(req: Request, res: Response, next: NextFunction): void {
  Object.defineProperty(res.locals, 'csrfToken', { get: () => csrfToken(req), enumerable: true, configurable: true });
  next();
}

export function verifyCsrf(req: Request, _res: Response, next: NextFunction): void {
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  const expected = req.session.csrf;
  if (typeof sent === 'string' && expected && safeEqual(sent, expected)) return next();
  next(new HttpError(403, 'error.csrf'));
}
