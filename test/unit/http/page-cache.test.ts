// The page cache: a page comes again from the cache only while nothing in the database changed —
// not a row written by the server, not a commit by another process — and only to the same user,
// session and language; flash pages and failures are never kept; a full cache drops the page used
// longest ago.
import express, { type Request, type RequestHandler } from 'express';
import request from 'supertest';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { pageCache } from '../../../server/http/page-cache.ts';
import { freshDb } from '../../helpers/app.ts';

/**
 * A tiny app with the cache in front of one page that shows a row of the database. Who is asking
 * comes from headers (x-user, x-csrf, x-lang, x-flash), standing in for session, sign-in and language.
 */
function pageApp(options: { limits?: { bytes: number; pages: number }; bodySize?: number; beforeServe?: RequestHandler } = {}) {
  const { db, dataDir } = freshDb();
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL); INSERT INTO notes (text) VALUES ('first')");
  const cache = pageCache(db, options.limits);
  let renders = 0;
  const app = express();
  app.use(cache.begin);
  app.use((req, res, next) => {
    // Only the fields the cache reads.
    const r = req as unknown as { user?: { id: number }; session: { csrf: string } };
    if (req.get('x-user')) r.user = { id: Number(req.get('x-user')) };
    r.session = { csrf: req.get('x-csrf') ?? 'token-a' };
    req.language = (req.get('x-lang') ?? 'en') as Request['language'];
    res.locals.flash = req.get('x-flash') ? { kind: 'success', key: 'ratings.saved' } : null;
    next();
  });
  const noteNow = () => db.prepare<[], { text: string }>('SELECT text FROM notes WHERE id = 1').get()!;
  app.get('/page/:n', options.beforeServe ?? ((_req, _res, next) => next()), cache.serve('/page/:n'), (req, res) => {
    renders++;
    const note = (res.locals.note as { text: string } | undefined) ?? noteNow();
    const status = req.query.fail ? 500 : 200;
    res.status(status).type('html').send(`<p>${note.text} for ${req.get('x-user')} on ${req.params.n}</p>${'.'.repeat(options.bodySize ?? 0)}`);
  });
  return { app, db, file: `${dataDir}/kader.db`, renders: () => renders, noteNow };
}

const get = (app: express.Express, url: string, headers: Record<string, string> = { 'x-user': '1' }) => request(app).get(url).set(headers);

describe('the page cache', () => {
  it('sends a page again without rendering it while the database is unchanged', async () => {
    const { app, renders } = pageApp();
    const first = await get(app, '/page/1');
    const second = await get(app, '/page/1');
    expect(first.text).toBe('<p>first for 1 on 1</p>');
    expect(second.text).toBe(first.text);
    expect(second.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(renders()).toBe(1);
  });

  it('renders again after the server writes any row, anywhere', async () => {
    const { app, db, renders } = pageApp();
    await get(app, '/page/1');
    db.prepare("UPDATE notes SET text = 'second' WHERE id = 1").run();
    expect((await get(app, '/page/1')).text).toBe('<p>second for 1 on 1</p>');
    // A write to another table also counts: the cache does not know which rows a page read.
    db.exec('CREATE TABLE other (x INTEGER); INSERT INTO other VALUES (1)');
    await get(app, '/page/1');
    expect(renders()).toBe(3);
    // A statement that changes no row leaves the page in the cache.
    db.prepare("UPDATE notes SET text = 'never' WHERE id = 99").run();
    await get(app, '/page/1');
    expect(renders()).toBe(3);
  });

  it('renders again after another process commits to the database', async () => {
    const { app, file, renders } = pageApp();
    await get(app, '/page/1');
    const other = new Database(file);
    other.prepare("UPDATE notes SET text = 'from the CLI' WHERE id = 1").run();
    other.close();
    expect((await get(app, '/page/1')).text).toBe('<p>from the CLI for 1 on 1</p>');
    expect(renders()).toBe(2);
  });

  it('reads the version before the request reads anything, so a commit landing meanwhile is not hidden', async () => {
    // Like the session, the user and the access check, a step before the page reads the database;
    // on the first request another process commits right after that read.
    let file = '';
    let committed = false;
    const { app, renders } = (() => {
      const made = pageApp({
        beforeServe: (_req, res, next) => {
          res.locals.note = made.noteNow();
          if (!committed) {
            committed = true;
            const other = new Database(file);
            other.prepare("UPDATE notes SET text = 'renamed' WHERE id = 1").run();
            other.close();
          }
          next();
        },
      });
      file = made.file;
      return made;
    })();
    expect((await get(app, '/page/1')).text).toBe('<p>first for 1 on 1</p>'); // read before the commit
    expect((await get(app, '/page/1')).text).toBe('<p>renamed for 1 on 1</p>');
    expect(renders()).toBe(2);
  });

  it('matches the paths of its routes as Express does: in any case, with a trailing slash', async () => {
    const { app, renders } = pageApp();
    await get(app, '/PAGE/1/');
    await get(app, '/page/1');
    expect(renders()).toBe(2); // two addresses, each kept
    await get(app, '/PAGE/1/');
    expect(renders()).toBe(2);
  });

  it('keeps a page per user, session token, language and address', async () => {
    const { app, renders } = pageApp();
    await get(app, '/page/1');
    expect((await get(app, '/page/1', { 'x-user': '2' })).text).toBe('<p>first for 2 on 1</p>');
    await get(app, '/page/1', { 'x-user': '1', 'x-csrf': 'token-b' });
    await get(app, '/page/1', { 'x-user': '1', 'x-lang': 'nl' });
    await get(app, '/page/2');
    await get(app, '/page/1?sort=name');
    expect(renders()).toBe(6);
    await get(app, '/page/1');
    await get(app, '/page/1', { 'x-user': '2' });
    expect(renders()).toBe(6);
  });

  it('neither serves nor keeps a page for a visitor, a page with a flash message, or a failure', async () => {
    const { app, renders } = pageApp();
    await get(app, '/page/1', {});
    await get(app, '/page/1', {});
    await get(app, '/page/1', { 'x-user': '1', 'x-flash': '1' });
    await get(app, '/page/1?fail=1');
    await get(app, '/page/1?fail=1');
    expect(renders()).toBe(5);
    // The flash page did not take the place of the plain one, nor was the plain one served instead of it.
    await get(app, '/page/1');
    await get(app, '/page/1', { 'x-user': '1', 'x-flash': '1' });
    expect(renders()).toBe(7);
  });

  it('drops the page used longest ago when the next one would pass the size limit', async () => {
    // Pages of about 1,060 bytes with their keys, and room for four.
    const { app, renders } = pageApp({ limits: { bytes: 4_400, pages: 100 }, bodySize: 1_000 });
    for (const n of [1, 2, 3, 4]) await get(app, `/page/${n}`);
    await get(app, '/page/1'); // used again: now page 2 is the oldest
    expect(renders()).toBe(4);
    await get(app, '/page/5'); // no room: page 2 goes
    await get(app, '/page/1');
    await get(app, '/page/3');
    expect(renders()).toBe(5);
    await get(app, '/page/2');
    expect(renders()).toBe(6);
  });

  it('keeps no more pages than its limit however small they are, and no page at a very long address', async () => {
    const { app, renders } = pageApp({ limits: { bytes: 1_000_000, pages: 3 } });
    for (const n of [1, 2, 3, 4]) await get(app, `/page/${n}`);
    await get(app, '/page/4');
    await get(app, '/page/2');
    expect(renders()).toBe(4);
    await get(app, '/page/1'); // the oldest went when the fourth came
    expect(renders()).toBe(5);
    const long = `/page/1?${'x'.repeat(600)}`;
    await get(app, long);
    await get(app, long);
    expect(renders()).toBe(7);
  });
});
