// Login rate limit: after `maxFailures` failed attempts for one account from one address within
// the window, further attempts are refused until the oldest failure leaves the window.
import type { Db } from '../lib/db.ts';

export function loginThrottle(db: Db, options: { maxFailures: number; windowMs: number; now: () => number }) {
  const count = db.prepare<[string, string, number], { n: number; oldest: number | null }>(
    'SELECT count(*) AS n, min(at) AS oldest FROM login_failures WHERE email = ? AND address = ? AND at > ?',
  );
  const insert = db.prepare<[string, string, number]>('INSERT INTO login_failures (email, address, at) VALUES (?, ?, ?)');
  const clear = db.prepare<[string, string]>('DELETE FROM login_failures WHERE email = ? AND address = ?');
  const prune = db.prepare<[number]>('DELETE FROM login_failures WHERE at <= ?');

  return {
    /** Minutes until another attempt is allowed, or 0 when attempts are allowed now. */
    blockedForMinutes(email: string, address: string): number {
      const now = options.now();
      const row = count.get(email, address, now - options.windowMs)!;
      if (row.n < options.maxFailures || row.oldest === null) return 0;
      return Math.max(1, Math.ceil((row.oldest + options.windowMs - now) / 60_000));
    },
    recordFailure(email: string, address: string): void {
      const now = options.now();
      insert.run(email, address, now);
      if (Math.random() < 0.01) prune.run(now - options.windowMs);
    },
    recordSuccess(email: string, address: string): void {
      clear.run(email, address);
    },
  };
}
export type LoginThrottle = ReturnType<typeof loginThrottle>;
