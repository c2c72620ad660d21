// Synchronizer-token CSRF protection: a random token required on every route that changes
// something, from the `_csrf` form field or the `x-csrf-token` header. app.ts puts the check into
// every such route's chain, after the upload parser on multipart routes (the token is in the
// multipart body) and before the handler.
//
// A signed-in user's token is kept in their session. A visitor who is not signed in (the login,
// set-password and setup forms, the language switch) gets the token in a cookie of its own and sends it back with the form
// (double submit): looking at the login page then stores no session and writes nothing to the
// database. Signing in starts a new session, which gets its own token.
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../lib/errors.ts';
import { randomToken, safeEqual } from '../lib/tokens.ts';
import { cookieValue } from './cookies.ts';

const VISITOR_COOKIE = 'kader.csrf';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;

/** The visitor's token from their cookie, if it has the shape of one. */
function visitorToken(req: Request): string | undefined {
  const value = cookieValue(req, VISITOR_COOKIE);
  return value !== undefined && TOKEN_SHAPE.test(value) ? value : undefined;
}

/** The token for this request's forms, created on first use. */
export function csrfToken(req: Request, res: Response): string {
  if (req.user) return (req.session.csrf ??= randomToken());
  let token = (res.locals.visitorCsrf as string | undefined) ?? visitorToken(req);
  if (!token) {
    token = randomToken();
    res.cookie(VISITOR_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
  }
  res.locals.visitorCsrf = token;
  return token;
}

/** Makes `csrfToken` available to every view. */
export function exposeCsrfToken(req: Request, res: Response, next: NextFunction): void {
  Object.defineProperty(res.locals, 'csrfToken', { get: () => csrfToken(req, res), enumerable: true, configurable: true });
  next();
}

export function verifyCsrf(req: Request, _res: Response, next: NextFunction): void {
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  const expected = req.user ? req.session.csrf : visitorToken(req);
  if (typeof sent === 'string' && expected && safeEqual(sent, expected)) return next();
  next(new HttpError(403, 'error.csrf'));
}
