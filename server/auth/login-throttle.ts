// Login rate limit, two counts over one window of failed attempts:
// - per account and address: after `maxFailures` for one account from one address, that pair is
//   refused (guessing one account's password);
// - per address: after `maxFailuresPerAddress` for any accounts from one address, the address is
//   refused for every account (password spraying: one password tried against many accounts).
// A refusal lasts until enough failures leave the window. A successful login clears only that
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
    .prepare<[string, number, number], number>('SELECT at FROM login_failures WHERE address = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?')
    .pluck();
  const insert = db.prepare<[string, string, number]>('INSERT INTO login_failures (email, address, at) VALUES (?, ?, ?)');
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
    recordFailure(email: string, address: string): void {
      const now = options.now();
      insert.run(email, address, now);
      if (Math.random() < 0.01) prune.run(now - options.windowMs);
    },
    /** Forgets this account's failures from this address (they were the user's own typing errors). */
    recordSuccess(email: string, address: string): void {
      clear.run(email, address);
    },
  };
}
export type LoginThrottle = ReturnType<typeof loginThrottle>;
