// express-session store on our own SQLite table (the published better-sqlite3 store is GPL-3.0-only).
import session from 'express-session';
import type { Db } from '../lib/db.ts';

type Callback = (err?: unknown) => void;

const ANONYMOUS_MAX_AGE_MS = 2 * 3_600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export class SqliteSessionStore extends session.Store {
  private readonly select;
  private readonly upsert;
  private readonly remove;
  private readonly extend;
  private readonly prune;
  /** Expiry last written per session, so a touch writes only when it moves the expiry noticeably. */
  private readonly storedExpiry = new Map<string, number>();
  private lastPrune = 0;

  constructor(
    db: Db,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.select = db.prepare<[string, number], { data: string; expires_at: number }>(
      'SELECT data, expires_at FROM sessions WHERE sid = ? AND expires_at > ?',
    );
    this.upsert = db.prepare<[string, number, string]>(
      'INSERT INTO sessions (sid, expires_at, data) VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE SET expires_at = excluded.expires_at, data = excluded.data',
    );
    this.remove = db.prepare<[string]>('DELETE FROM sessions WHERE sid = ?');
    this.extend = db.prepare<[number, string]>('UPDATE sessions SET expires_at = ? WHERE sid = ?');
    this.prune = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');
  }

  /** A visitor who has not logged in keeps a session (for the CSRF token) for two hours at most. */
  private expiryOf(sess: session.SessionData): number {
    const expires = sess.cookie?.expires;
    const cookieExpiry = expires ? new Date(expires).getTime() : this.now() + this.maxAgeMs;
    const signedIn = (sess as { passport?: { user?: unknown } }).passport?.user !== undefined;
    return signedIn ? cookieExpiry : Math.min(cookieExpiry, this.now() + ANONYMOUS_MAX_AGE_MS);
  }

  private remember(sid: string, expires: number): void {
    if (this.storedExpiry.size > 50_000) this.storedExpiry.clear();
    this.storedExpiry.set(sid, expires);
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    try {
      const row = this.select.get(sid, this.now());
      if (!row) return callback(null, null);
      this.remember(sid, row.expires_at);
      callback(null, JSON.parse(row.data) as session.SessionData);
    } catch (err) {
      callback(err);
    }
  }

  override set(sid: string, sess: session.SessionData, callback?: Callback): void {
    try {
      const expires = this.expiryOf(sess);
      this.upsert.run(sid, expires, JSON.stringify(sess));
      this.remember(sid, expires);
      this.pruneNow();
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override destroy(sid: string, callback?: Callback): void {
    try {
      this.remove.run(sid);
      this.storedExpiry.delete(sid);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  override touch(sid: string, sess: session.SessionData, callback?: Callback): void {
    try {
      const expires = this.expiryOf(sess);
      const stored = this.storedExpiry.get(sid) ?? 0;
      if (expires - stored > this.maxAgeMs / 20) {
        this.extend.run(expires, sid);
        this.remember(sid, expires);
      }
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  /** Deletes expired sessions at most every ten minutes, piggy-backing on writes. */
  private pruneNow(): void {
    const now = this.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    this.prune.run(now);
  }
}
