// Login rate limit, two counts over one window of failed attempts:
// - per account and address: after `maxFailures` for one account from one address, that pair is
//   refused (guessing one account's password);
// - per address: after `maxFailuresPerAddress` for any accounts from one address, the address is
//   refused for every account (password spraying: one password tried against many accounts).
// An attempt counts against its account and address as soon as it begins (beginAttempt), so
// parallel guesses cannot slip past that limit during the slow password check; against the address
// alone only once it has failed (recordFailure), so many people signing in at once from one office
// address do not lock each other out. A refusal lasts until enough failures leave the window. A
// successful login clears only that
// account's failures from that address: a sprayer who owns one valid account cannot empty the
// address count of the failures they made against the others.
import type { Db } from '../lib/db.ts';

export interface LoginThrottleOptions {
  maxFailures: number;
  maxFailuresPerAddress: number;
  windowMs: number;
  now: () => number;
}

export function loginThrottle(db: Db, options: LoginThrottleOptions) {
  // The limit-th newest failure in the window: attempts are allowed again once it leaves the window.
  const pairLimitAt = db
    .prepare<[string, string, number, number], number>('SELECT at FROM login_failures WHERE email = ? AND address = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?')
    .pluck();
  const addressLimitAt = db
    .prepare<[string, number, number], number>('SELECT at FROM login_failures WHERE address = ? AND at > ? AND failed = 1 ORDER BY at DESC LIMIT 1 OFFSET ?')
    .pluck();
  const insert = db.prepare<[string, string, number]>('INSERT INTO login_failures (email, address, at, failed) VALUES (?, ?, ?, 0)');
  const fail = db.prepare<[number]>('UPDATE login_failures SET failed = 1 WHERE id = ?');
  const clear = db.prepare<[string, string]>('DELETE FROM login_failures WHERE email = ? AND address = ?');
  const prune = db.prepare<[number]>('DELETE FROM login_failures WHERE at <= ?');

  return {
    /** Minutes until another attempt is allowed, or 0 when attempts are allowed now. */
    blockedForMinutes(email: string, address: string): number {
      const now = options.now();
      const since = now - options.windowMs;
      const until = Math.max(
        pairLimitAt.get(email, address, since, options.maxFailures - 1) ?? -Infinity,
        addressLimitAt.get(address, since, options.maxFailuresPerAddress - 1) ?? -Infinity,
      ) + options.windowMs;
      return until > now ? Math.max(1, Math.ceil((until - now) / 60_000)) : 0;
    },
    /** Counts an attempt against its account from this address at once; returns it for recordFailure. */
    beginAttempt(email: string, address: string): number {
      const now = options.now();
      const id = Number(insert.run(email, address, now).lastInsertRowid);
      if (Math.random() < 0.01) prune.run(now - options.windowMs);
      return id;
    },
    /** The attempt failed: it now counts against its address too. */
    recordFailure(attempt: number): void {
      fail.run(attempt);
    },
    /** Forgets this account's failures from this address (they were the user's own typing errors). */
    recordSuccess(email: string, address: string): void {
      clear.run(email, address);
    },
  };
}
export type LoginThrottle = ReturnType<typeof loginThrottle>;
