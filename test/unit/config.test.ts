// Configuration is read once from the environment and refuses bad values with a clear message.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.dbFile).toBe(path.resolve('./data/kader.db'));
    expect(c.uploadsDir).toBe(path.resolve('./data/uploads'));
    expect(c.trustProxy).toBe(false);
    expect(c.documentMaxBytes).toBe(100 * 1024 * 1024);
    expect(c.login).toEqual({ maxFailures: 10, maxFailuresPerAddress: 30, windowMs: 15 * 60_000 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });

  it('wants both administrator variables or neither', () => {
    expect(() => loadConfig({ KADER_ADMIN_EMAIL: 'a@example.org' })).toThrow(/KADER_ADMIN_PASSWORD/);
    expect(loadConfig({ KADER_ADMIN_EMAIL: 'a@example.org', KADER_ADMIN_PASSWORD: 'long enough' }).admin).toEqual({
      email: 'a@example.org',
      password: 'long enough',
    });
  });

  it('reads TRUST_PROXY as a hop count or a list, and refuses "true", which would trust any client', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/number of proxies/);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });
});
