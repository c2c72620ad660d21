// The SQLite session store: sessions come back after a restart, expire, and are destroyed.
import { describe, expect, it } from 'vitest';
import type session from 'express-session';
import { SqliteSessionStore } from '../../../server/http/session-store.ts';
import { freshDb } from '../../helpers/app.ts';

const HOUR = 3_600_000;
const call = <T>(fn: (cb: (err: unknown, value?: T) => void) => void) =>
  new Promise<T | undefined>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

function data(expires: number): session.SessionData {
  return { cookie: { expires: new Date(expires), originalMaxAge: HOUR } as session.Cookie, csrf: 'token' };
}

describe('SqliteSessionStore', () => {
  it('returns a stored session to a new store on the same database, until it expires', async () => {
    let now = 1_000_000;
    const { db } = freshDb();
    await call((cb) => new SqliteSessionStore(db, HOUR, () => now).set('sid-1', data(now + HOUR), cb));
    const restarted = new SqliteSessionStore(db, HOUR, () => now);
    expect((await call<session.SessionData | null>((cb) => restarted.get('sid-1', cb)))?.csrf).toBe('token');
    now += HOUR + 1;
    expect(await call((cb) => restarted.get('sid-1', cb))).toBeNull();
  });

  it('keeps a session without a signed-in user for two hours at most', async () => {
    const now = 9_000_000;
    const { db } = freshDb();
    const store = new SqliteSessionStore(db, 12 * HOUR, () => now);
    await call((cb) => store.set('anon', data(now + 12 * HOUR), cb));
    await call((cb) => store.set('user', { ...data(now + 12 * HOUR), passport: { user: 1 } } as session.SessionData, cb));
    const expiry = (sid: string) => (db.prepare('SELECT expires_at FROM sessions WHERE sid = ?').get(sid) as { expires_at: number }).expires_at;
    expect(expiry('anon')).toBe(now + 2 * HOUR);
    expect(expiry('user')).toBe(now + 12 * HOUR);
  });

  it('destroys a session', async () => {
    const { db } = freshDb();
    const store = new SqliteSessionStore(db, HOUR);
    await call((cb) => store.set('sid-2', data(Date.now() + HOUR), cb));
    await call((cb) => store.destroy('sid-2', cb));
    expect(await call((cb) => store.get('sid-2', cb))).toBeNull();
  });

  it('writes a touch only when it moves the expiry noticeably', async () => {
    const now = 5_000_000;
    const { db, counter } = freshDb();
    const store = new SqliteSessionStore(db, HOUR, () => now);
    await call((cb) => store.set('sid-3', data(now + HOUR), cb));
    counter.reset();
    await call((cb) => store.touch('sid-3', data(now + HOUR + 1000), cb));
    expect(counter.count).toBe(0);
    await call((cb) => store.touch('sid-3', data(now + 2 * HOUR), cb));
    expect(counter.count).toBe(1);
    expect(db.prepare('SELECT expires_at FROM sessions WHERE sid = ?').get('sid-3')).toEqual({ expires_at: now + 2 * HOUR });
  });
});
