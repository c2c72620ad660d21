// Keeps the HTML of the heaviest pages a signed-in user reloads (the study overview, a case page,
// a rating form) and sends it again while the database is exactly as it was when the page was rendered.
//
// Exactness comes from SQLite's own change counters, read in one statement per request:
// total_changes() counts every row this connection (the server) has written, data_version moves
// when another connection (the CLI, a second process) commits. Any write at all — a saved draft,
// an imported file, a renamed user, a session that gets a new token — therefore empties the cache,
// so no page is ever older than the data. The counters are read before the request reads anything
// else (its session, user, study and role go into the page too). A page is kept per user, session
// token, language and URL, and the route's access check runs before the cache: nobody is sent a page
// rendered for someone else, which keeps blinding intact. Pages with a flash message are neither
// served nor kept.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { dataVersionReader, type Db } from '../lib/db.ts';
import { escapeRegExp } from '../lib/escape.ts';

export interface PageCache {
  /** Goes before the session: a request for a cached page reads the database's version first. */
  begin: RequestHandler;
  /** The middleware of a cached route (pattern as given to Express), after its access check. */
  serve(pattern: string): RequestHandler;
}

/** About 300 pages of 50 KB, counting their keys; and at most 2,000 pages however small (an entry costs memory too). */
export const PAGE_CACHE_LIMITS = { bytes: 16 * 1024 * 1024, pages: 2_000 };
/** A longer address is not kept (any query string makes a new entry, so this bounds a key). */
const MAX_URL_LENGTH = 512;

/** An Express route pattern ('/studies/:id/cases/:case') as a test of a request path, as Express matches it. */
function patternTest(pattern: string): RegExp {
  const escaped = pattern.split(/(:[A-Za-z_][A-Za-z0-9_]*)/).map((part, i) => (i % 2 ? '[^/]+' : escapeRegExp(part)));
  return new RegExp(`^${escaped.join('')}/?$`, 'i');
}

export function pageCache(db: Db, limits = PAGE_CACHE_LIMITS): PageCache {
  const readVersion = dataVersionReader(db);
  const patterns: RegExp[] = [];
  /** The version each request for a cached page saw as it began. */
  const versionAtStart = new WeakMap<Request, string>();
  /** Pages rendered at `version`, least recently used first; `bytes` counts them and their keys. */
  const pages = new Map<string, Buffer>();
  let version = '';
  let bytes = 0;

  /** What besides the data decides a page; null when the page must not be cached at all. */
  const keyOf = (req: Request, res: Response): string | null => {
    if (!req.user || res.locals.flash || req.originalUrl.length > MAX_URL_LENGTH) return null;
    return `${req.user.id}\n${req.session.csrf ?? ''}\n${req.language}\n${req.originalUrl}`;
  };

  const sizeOf = (key: string, page: Buffer) => key.length * 2 + page.length;
  const keep = (key: string, html: string): void => {
    // Kept encoded, so a hit is sent without turning the text into UTF-8 again; in memory of its own,
    // not in a slice of Node's shared buffer pool that would keep a whole pool block alive.
    const page = Buffer.allocUnsafeSlow(Buffer.byteLength(html, 'utf8'));
    page.write(html, 'utf8');
    const size = sizeOf(key, page);
    if (size > limits.bytes / 4) return;
    const old = pages.get(key);
    if (old !== undefined) {
      bytes -= sizeOf(key, old);
      pages.delete(key);
    }
    for (const [oldest, kept] of pages) {
      if (bytes + size <= limits.bytes && pages.size < limits.pages) break;
      pages.delete(oldest);
      bytes -= sizeOf(oldest, kept);
    }
    pages.set(key, page);
    bytes += size;
  };

  return {
    begin(req, _res, next) {
      if ((req.method === 'GET' || req.method === 'HEAD') && patterns.some((p) => p.test(req.path))) {
        const now = readVersion();
        if (now !== version) {
          // A new version: every page kept at the old one is out of date.
          pages.clear();
          bytes = 0;
          version = now;
        }
        versionAtStart.set(req, now);
      }
      next();
    },

    serve(pattern) {
      patterns.push(patternTest(pattern));
      return (req: Request, res: Response, next: NextFunction) => {
        const startedAt = versionAtStart.get(req);
        const key = keyOf(req, res);
        // No version read at the start, or another request has seen a newer one since: not from the cache.
        if (startedAt === undefined || startedAt !== version || key === null) return next();
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
          // Not kept if another request saw the database change meanwhile. A change nobody has seen yet
          // (this handler's own write, another process's commit) needs no check here: the next request
          // reads the new counters and drops every page kept before.
          if (res.statusCode === 200 && typeof body === 'string' && version === startedAt) {
            const keyNow = keyOf(req, res);
            if (keyNow !== null) keep(keyNow, body);
          }
          return send(body);
        };
        next();
      };
    },
  };
}
