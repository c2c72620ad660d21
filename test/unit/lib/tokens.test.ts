// Random tokens come from a pooled block of random bytes: each is still unique, of the asked length,
// and also right where a token straddles the end of one block and the start of the next.
import { describe, expect, it } from 'vitest';
import { randomToken } from '../../../server/lib/tokens.ts';

describe('randomToken', () => {
  it('gives distinct base64url tokens of the asked size, across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const token = randomToken(i % 3 === 0 ? 24 : 32); // 24 and 32 bytes do not divide 4096 evenly together
      expect(token).toMatch(i % 3 === 0 ? /^[A-Za-z0-9_-]{32}$/ : /^[A-Za-z0-9_-]{43}$/);
      seen.add(token);
    }
    expect(seen.size).toBe(5_000);
  });

  it('serves a request larger than the pool straight from the system', () => {
    expect(Buffer.from(randomToken(5_000), 'base64url')).toHaveLength(5_000);
  });
});
