// The login rate limit's two counts: per account and address, and per address across accounts;
// how long a refusal lasts; what a successful login forgets.
import { describe, expect, it } from 'vitest';
import { loginThrottle } from '../../../server/auth/login-throttle.ts';
import { freshDb } from '../../helpers/app.ts';

const MINUTE = 60_000;

function throttle() {
  let now = Date.parse('2026-01-01T10:00:00Z');
  const t = loginThrottle(freshDb().db, { maxFailures: 3, maxFailuresPerAddress: 5, windowMs: 15 * MINUTE, now: () => now });
  return { t, wait: (ms: number) => (now += ms) };
}

describe('loginThrottle', () => {
  it('refuses one account from one address after maxFailures, until its failures leave the window', () => {
    const { t, wait } = throttle();
    for (let i = 0; i < 3; i++) t.recordFailure(t.beginAttempt('a@example.org', '10.0.0.1'));
    expect(t.blockedForMinutes('a@example.org', '10.0.0.1')).toBe(15);
    expect(t.blockedForMinutes('a@example.org', '10.0.0.2')).toBe(0);
    expect(t.blockedForMinutes('b@example.org', '10.0.0.1')).toBe(0);
    wait(15 * MINUTE);
    expect(t.blockedForMinutes('a@example.org', '10.0.0.1')).toBe(0);
  });

  it('refuses every account from an address after maxFailuresPerAddress across accounts, until enough of them leave the window', () => {
    const { t, wait } = throttle();
    // Six failures, one a minute, each against another account: the limit is five.
    for (let i = 0; i < 6; i++) {
      t.recordFailure(t.beginAttempt(`user${i}@example.org`, '10.0.0.1'));
      wait(MINUTE);
    }
    expect(t.blockedForMinutes('fresh@example.org', '10.0.0.1')).toBe(10);
    expect(t.blockedForMinutes('fresh@example.org', '10.0.0.2')).toBe(0);
    // The fifth newest failure (the second one made) leaves the window in ten minutes; then four are left.
    wait(10 * MINUTE);
    expect(t.blockedForMinutes('fresh@example.org', '10.0.0.1')).toBe(0);
  });

  it('a success forgets that account’s failures from that address only, so it cannot clear the address of failures against others', () => {
    const { t } = throttle();
    for (let i = 0; i < 4; i++) t.recordFailure(t.beginAttempt(`user${i}@example.org`, '10.0.0.1'));
    t.recordFailure(t.beginAttempt('own@example.org', '10.0.0.1'));
    expect(t.blockedForMinutes('fresh@example.org', '10.0.0.1')).toBe(15);
    t.recordSuccess('own@example.org', '10.0.0.1');
    expect(t.blockedForMinutes('fresh@example.org', '10.0.0.1')).toBe(0);
    t.recordFailure(t.beginAttempt('user9@example.org', '10.0.0.1'));
    expect(t.blockedForMinutes('fresh@example.org', '10.0.0.1')).toBe(15);
  });

  it('counts an attempt against its account at once, but against its address only once it failed (fifty colleagues behind one address sign in together)', () => {
    const { t } = throttle();
    // Attempts still being checked: the account's limit already holds…
    for (let i = 0; i < 3; i++) t.beginAttempt('a@example.org', '10.0.0.1');
    expect(t.blockedForMinutes('a@example.org', '10.0.0.1')).toBe(15);
    // …but fifty people signing in at once from one address do not block it for anyone.
    for (let i = 0; i < 50; i++) t.beginAttempt(`colleague${i}@example.org`, '10.0.0.9');
    expect(t.blockedForMinutes('colleague50@example.org', '10.0.0.9')).toBe(0);
    for (let i = 0; i < 50; i++) t.recordSuccess(`colleague${i}@example.org`, '10.0.0.9');
    expect(t.blockedForMinutes('colleague50@example.org', '10.0.0.9')).toBe(0);
  });
});
