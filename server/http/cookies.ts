// Cookies Kader sets outside the session: read by hand (no cookie parser for two small values), and
// written with the same attributes as the session cookie.
import type { Request, Response } from 'express';
import { isLanguage, type Language } from '../lib/i18n.ts';

/** The raw value of the named cookie, if the request carries it. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

// A visitor's language lives in a cookie of its own, not in a session: choosing a language before
// login must store no session row, and so write nothing that would empty the page cache.
const LANGUAGE_COOKIE = 'kader.lang';
const LANGUAGE_MAX_AGE_MS = 365 * 86_400_000;

/** The language chosen in this browser with the language switch, if any. */
export function chosenLanguage(req: Request): Language | undefined {
  const value = cookieValue(req, LANGUAGE_COOKIE);
  return isLanguage(value) ? value : undefined;
}

export function rememberLanguage(req: Request, res: Response, language: Language): void {
  res.cookie(LANGUAGE_COOKIE, language, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: LANGUAGE_MAX_AGE_MS });
}
