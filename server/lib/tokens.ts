// Random tokens for links and CSRF, and the hash under which a link token is stored.
import crypto from 'node:crypto';

// Tokens are cut from a block of the system's random bytes, fetched 4 KiB at a time: asking the
// system once per token cost a visible part of each request (a CSRF token and a session id per
// visitor). Bytes given out are wiped from the block.
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let taken = 0;

export function randomToken(bytes = 32): string {
  if (bytes > POOL_BYTES) return crypto.randomBytes(bytes).toString('base64url');
  if (taken + bytes > pool.length) {
    pool = crypto.randomBytes(POOL_BYTES);
    taken = 0;
  }
  const token = pool.subarray(taken, taken + bytes).toString('base64url');
  pool.fill(0, taken, taken + bytes);
  taken += bytes;
  return token;
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
