// Keeps the HTML of the heaviest pages a signed-in user reloads (a case page, a rating form) and
// sends it again while the database is exactly as it was when the page was rendered.
//
// Exactness comes from SQLite's own change counters, read in one statement per request:
// total_changes() counts every row this connection (the server) has written, data_version moves
// when another connection (the CLI, a second process) commits. Any write at all — a saved draft,
// an imported file, a renamed user, a session that gets a new token — therefore empties the cache,
// so no page is ever older than the data. A page is kept per user, session token, language and URL,
// and the route's access check runs before the cache: nobody is sent a page rendered for someone
// else, which keeps blinding intact. Pages carrying a flash message are neither served nor kept.
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../lib/db.ts';

export interface PageCache {
  /** The middleware a cached route puts after its access check. */
  serve(req: Request, res: Response, next: NextFunction): void;
}

/** About 300 pages of 50 KB. */
export const PAGE_CACHE_MAX_BYTES = 16 * 1024 * 1024;

export function pageCache(db: Db, maxBytes = PAGE_CACHE_MAX_BYTES): PageCache {
  const readVersion = db.prepare<[], string>("SELECT total_changes() || '.' || data_version FROM pragma_data_version()").pluck();
  /** Pages rendered at `version`, least recently used first. */
  const pages = new Map<string, Buffer>();
  let version = '';
  let bytes = 0;

  /** What besides the data decides a page; null when the page must not be cached at all. */
  const keyOf = (req: Request, res: Response): string | null => {
    if (!req.user || res.locals.flash) return null;
    return `${req.user.id}\n${req.session.csrf ?? ''}\n${req.language}\n${req.originalUrl}`;
  };

  /** The database's version now; a new one drops every page kept at the old one. */
  const current = (): string => {
    const now = readVersion.get()!;
    if (now !== version) {
      pages.clear();
      bytes = 0;
      version = now;
    }
    return now;
  };

  const keep = (key: string, html: string): void => {
    // Kept encoded, so a hit is sent without turning the text into UTF-8 again.
    const page = Buffer.from(html, 'utf8');
    if (page.length > maxBytes / 4) return;
    const old = pages.get(key);
    if (old !== undefined) bytes -= old.length;
    pages.delete(key);
    for (const [oldest, kept] of pages) {
      if (bytes + page.length <= maxBytes) break;
      pages.delete(oldest);
      bytes -= kept.length;
    }
    pages.set(key, page);
    bytes += page.length;
  };

  return {
    serve(req, res, next) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      const key = keyOf(req, res);
      if (key === null) return next();
      const renderedAt = current();
      const hit = pages.get(key);
      if (hit !== undefined) {
        // Most recently used goes last, so the oldest are dropped first when the cache is full.
        pages.delete(key);
        pages.set(key, hit);
        res.type('html');
        res.send(hit);
        return;
      }
      const send = res.send.bind(res);
      res.send = (body?: unknown) => {
        // Kept only if rendering wrote nothing (a first CSRF token does, so the next view keeps it).
        if (res.statusCode === 200 && typeof body === 'string' && current() === renderedAt) {
          const keyNow = keyOf(req, res);
          if (keyNow !== null) keep(keyNow, body);
        }
        return send(body);
      };
      next();
    },
  };
}
