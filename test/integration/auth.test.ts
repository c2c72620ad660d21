// Logging in and out, first run, set-password links, deactivation, the login rate limit and
// sessions that survive a restart.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createLogger } from '../../server/lib/logger.ts';
import { loggableUrl } from '../../server/http/request-log.ts';
import { csrfOf, loginAs, makeUser, PASSWORD, testApp } from '../helpers/app.ts';

const sessionCookie = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('kader.sid='));

describe('first run', () => {
  it('sends every page to the administrator form while no account exists', async () => {
    const { app } = testApp();
    for (const path of ['/', '/login', '/studies', '/admin/users', '/no-such-page']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location).toBe('/setup');
    }
    expect((await request(app).get('/healthz')).status).toBe(200);
  });

  it('creates the administrator, logs them in, and is gone afterwards', async () => {
    const { app, services } = testApp();
    const agent = request.agent(app);
    const csrf = await csrfOf(agent, '/setup');
    const bad = await agent.post('/setup').type('form').send({ _csrf: csrf, name: 'Ada', email: 'not-an-email', password: 'short', passwordConfirm: 'short' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('value="Ada"');
    expect(bad.text).toContain('Enter an email address');
    expect(bad.text).toContain('Use at least 8 characters');
    const res = await agent.post('/setup').type('form').send({ _csrf: csrf, name: 'Ada', email: 'Ada@Example.org', password: PASSWORD, passwordConfirm: PASSWORD });
    expect(res.status).toBe(303);
    expect((await agent.get('/studies')).status).toBe(200);
    const admin = services.repos.users.findByEmail('ada@example.org')!;
    expect(admin.is_admin).toBe(1);
    expect(admin.password_hash).toMatch(/^\$argon2id\$/);
    expect(services.repos.audit.listForSite().map((e) => [e.action, e.entity_id, e.actor_email])).toEqual([['create-first-admin', admin.id, 'ada@example.org']]);
    expect((await request(app).get('/setup')).status).toBe(404);
    const again = request.agent(app);
    const token = await csrfOf(again, '/login');
    const second = await again.post('/setup').type('form').send({ _csrf: token, name: 'Eve', email: 'eve@example.org', password: PASSWORD, passwordConfirm: PASSWORD });
    expect(second.status).toBe(404);
    expect(services.repos.users.findByEmail('eve@example.org')).toBeUndefined();
  });
});

describe('login', () => {
  it('logs in with email and password and gives a new session id', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const before = sessionCookie(page);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await agent.post('/login').type('form').send({ email: 'R@example.org', password: PASSWORD, _csrf: csrf, next: '/account' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    const after = sessionCookie(res)!;
    expect(after).toBeDefined();
    expect(after.split(';')[0]).not.toBe(before?.split(';')[0]);
    expect(after).toMatch(/HttpOnly/);
    expect(after).toMatch(/SameSite=Lax/);
    expect(after).not.toMatch(/Secure/);
    expect((await agent.get('/account')).text).toContain('r@example.org');
  });

  it('marks the cookie Secure behind a TLS proxy when TRUST_PROXY is set', async () => {
    const { app, services } = testApp({ env: { TRUST_PROXY: '1' } });
    await makeUser(services, { email: 'r@example.org' });
    const agent = request.agent(app);
    const csrf = await csrfOf(agent, '/login');
    const res = await agent.post('/login').set('X-Forwarded-Proto', 'https').type('form').send({ email: 'r@example.org', password: PASSWORD, _csrf: csrf });
    expect(sessionCookie(res)).toMatch(/Secure/);
  });

  it('refuses a wrong password with the form again and the email kept', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const agent = request.agent(app);
    const csrf = await csrfOf(agent);
    const res = await agent.post('/login').type('form').send({ email: 'r@example.org', password: 'wrong password', _csrf: csrf });
    expect(res.status).toBe(401);
    expect(res.text).toContain('value="r@example.org"');
    expect(res.text).not.toContain('wrong password');
    expect((await agent.get('/studies')).status).toBe(303);
  });

  it('never redirects to another site after login', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const agent = request.agent(app);
    const csrf = await csrfOf(agent);
    const res = await agent.post('/login').type('form').send({ email: 'r@example.org', password: PASSWORD, _csrf: csrf, next: '//evil.example/x' });
    expect(res.headers.location).toBe('/');
  });

  it('answers 429 after 10 failures for one account and address, even with the right password, until the window passes', async () => {
    let now = new Date('2026-01-01T10:00:00Z').getTime();
    const { app, services } = testApp({ clock: () => new Date(now) });
    await makeUser(services, { email: 'r@example.org' });
    const agent = request.agent(app);
    const csrf = await csrfOf(agent);
    const attempt = (password: string, email = 'r@example.org') => agent.post('/login').type('form').send({ email, password, _csrf: csrf });
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong ${i}`)).status).toBe(401);
    const blocked = await attempt(PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many failed attempts');
    expect(blocked.headers['retry-after']).toBe('900');
    // Another account from the same address is not affected.
    await makeUser(services, { email: 'other@example.org' });
    expect((await attempt(PASSWORD, 'other@example.org')).status).toBe(303);
    now += 15 * 60_000 + 1;
    const later = request.agent(app);
    const token = await csrfOf(later);
    const res = await later.post('/login').type('form').send({ email: 'r@example.org', password: PASSWORD, _csrf: token });
    expect(res.status).toBe(303);
  });

  it('answers 429 to an address after 30 failures across accounts (password spraying), even for an account without failures, until the window passes; a success in between does not empty the count; another address is unaffected', async () => {
    let now = new Date('2026-01-01T10:00:00Z').getTime();
    const { app, services } = testApp({ clock: () => new Date(now), env: { TRUST_PROXY: '1' } });
    await makeUser(services, { email: 'victim@example.org' });
    await makeUser(services, { email: 'sprayer@example.org', password: 'the sprayer’s own' });
    const SPRAYER = '203.0.113.7';
    const attempt = async (email: string, password: string, address = SPRAYER) => {
      const agent = request.agent(app);
      const csrf = await csrfOf(agent);
      return agent.post('/login').set('X-Forwarded-For', address).type('form').send({ email, password, _csrf: csrf });
    };
    // One common password against 29 accounts (existing or not), once each: no account reaches its own limit.
    for (let i = 0; i < 29; i++) expect((await attempt(`person${i}@example.org`, 'Welkom2026!')).status).toBe(401);
    // Signing in to an account of one's own forgets only that account's failures.
    expect((await attempt('sprayer@example.org', 'the sprayer’s own')).status).toBe(303);
    expect((await attempt('person29@example.org', 'Welkom2026!')).status).toBe(401);
    const blocked = await attempt('victim@example.org', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many failed attempts to log in');
    expect(blocked.headers['retry-after']).toBe('900');
    expect((await attempt('sprayer@example.org', 'the sprayer’s own')).status).toBe(429);
    // Someone else, elsewhere, signs in as usual.
    expect((await attempt('victim@example.org', PASSWORD, '198.51.100.9')).status).toBe(303);
    now += 15 * 60_000 + 1;
    expect((await attempt('victim@example.org', PASSWORD)).status).toBe(303);
  });

  it('lets at most 10 guesses through when they arrive all at once', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const agent = request.agent(app);
    const csrf = await csrfOf(agent);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => agent.post('/login').type('form').send({ email: 'r@example.org', password: `guess ${i}`, _csrf: csrf })),
    );
    expect(answers.filter((r) => r.status === 401).length).toBeLessThanOrEqual(10);
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(20);
  });

  it('logs out only by POST and ends the session', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const { agent, csrf } = await loginAs(app, 'r@example.org');
    expect((await agent.get('/logout')).status).toBe(404);
    const res = await agent.post('/logout').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect((await agent.get('/studies')).headers.location).toMatch(/^\/login/);
  });

  it('keeps a session across a restart of the app on the same database', async () => {
    const ctx = testApp();
    await makeUser(ctx.services, { email: 'r@example.org' });
    const { agent } = await loginAs(ctx.app, 'r@example.org');
    const cookie = (await agent.get('/account')).request.cookies;
    const restarted = createApp({ config: ctx.config, db: ctx.db, logger: createLogger('silent'), sessionSecret: 'test-secret-test-secret-test-secret!' });
    const res = await request(restarted).get('/account').set('Cookie', cookie);
    expect(res.status).toBe(200);
    expect(res.text).toContain('r@example.org');
  });
});

describe('accounts created by an administrator', () => {
  async function setUp() {
    const ctx = testApp({ env: { PUBLIC_URL: 'https://kader.example.org/' } });
    await makeUser(ctx.services, { email: 'admin@example.org', isAdmin: true });
    const admin = await loginAs(ctx.app, 'admin@example.org');
    const res = await admin.agent.post('/admin/users').type('form').send({ _csrf: admin.csrf, name: 'New Rater', email: 'new@example.org' });
    expect(res.status).toBe(303);
    const page = await admin.agent.get(res.headers.location!);
    const link = /value="(http[^"]+\/set-password\/[^"]+)"/.exec(page.text)![1]!;
    expect(link.startsWith('https://kader.example.org/set-password/')).toBe(true);
    const created = ctx.services.repos.audit.listForSite().find((e) => e.action === 'create' && e.entity_id === ctx.services.repos.users.findByEmail('new@example.org')!.id)!;
    expect([created.actor_email, JSON.parse(created.after!).email]).toEqual(['admin@example.org', 'new@example.org']);
    return { ...ctx, admin, path: new URL(link).pathname };
  }

  it('gives a one-time link with which the user sets a password and is logged in', async () => {
    const { app, path, services } = await setUp();
    expect(services.repos.users.findByEmail('new@example.org')!.password_hash).toBeNull();
    const agent = request.agent(app);
    const csrf = await csrfOf(agent, path);
    const mismatch = await agent.post(path).type('form').send({ _csrf: csrf, password: PASSWORD, passwordConfirm: 'something else' });
    expect(mismatch.status).toBe(422);
    const res = await agent.post(path).type('form').send({ _csrf: csrf, password: PASSWORD, passwordConfirm: PASSWORD });
    expect(res.status).toBe(303);
    expect((await agent.get('/account')).text).toContain('new@example.org');
    // Used once: the link is dead now, and the page says so; the token never reached the log.
    expect(loggableUrl(path)).toBe('/set-password/:token');
    const dead = await request(app).get(path);
    expect(dead.status).toBe(410);
    expect(dead.text).toContain('<h1>This link no longer works</h1>');
    await loginAs(app, 'new@example.org');
  });

  it('ends the old link when a new one is issued', async () => {
    const { app, path, admin, services } = await setUp();
    const id = services.repos.users.findByEmail('new@example.org')!.id;
    await admin.agent.post(`/admin/users/${id}/reset-password`).type('form').send({ _csrf: admin.csrf });
    expect((await request(app).get(path)).status).toBe(410);
  });

  it('a deactivated account can no longer log in and loses its session', async () => {
    const { app, admin, services } = await setUp();
    await makeUser(services, { email: 'gone@example.org' });
    const gone = await loginAs(app, 'gone@example.org');
    const id = services.repos.users.findByEmail('gone@example.org')!.id;
    const res = await admin.agent.post(`/admin/users/${id}/active`).type('form').send({ _csrf: admin.csrf, value: '0' });
    expect(res.status).toBe(303);
    expect((await gone.agent.get('/studies')).headers.location).toMatch(/^\/login/);
    await expect(loginAs(app, 'gone@example.org')).rejects.toThrow(/failed with 401/);
    const entries = services.repos.audit.listForSite();
    expect(entries.some((e) => e.action === 'deactivate' && e.entity_id === id && e.actor_email === 'admin@example.org')).toBe(true);
  });

  it('refuses an email that is taken, keeping what was typed', async () => {
    const { admin } = await setUp();
    const res = await admin.agent.post('/admin/users').type('form').send({ _csrf: admin.csrf, name: 'Twin', email: 'NEW@example.org' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('An account with this email address exists already.');
    expect(res.text).toContain('value="Twin"');
  });
});

describe('ending sessions', () => {
  it('a password change ends the user’s other sessions but keeps the one that made it', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const elsewhere = await loginAs(app, 'r@example.org');
    const here = await loginAs(app, 'r@example.org');
    const res = await here.agent.post('/account/password').type('form').send({ _csrf: here.csrf, currentPassword: PASSWORD, password: 'another passphrase', passwordConfirm: 'another passphrase' });
    expect(res.status).toBe(303);
    expect((await here.agent.get('/account')).status).toBe(200);
    expect((await elsewhere.agent.get('/account')).headers.location).toMatch(/^\/login/);
  });

  it('pages for a signed-in user are not cached', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const { agent } = await loginAs(app, 'r@example.org');
    expect((await agent.get('/studies')).headers['cache-control']).toBe('no-store');
  });
});

describe('own account', () => {
  it('changes name, language and password', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const { agent, csrf } = await loginAs(app, 'r@example.org');
    await agent.post('/account').type('form').send({ _csrf: csrf, name: 'Rita', language: 'nl' });
    const page = await agent.get('/account');
    expect(page.text).toContain('Mijn account');
    expect(page.text).toContain('value="Rita"');
    const wrong = await agent.post('/account/password').type('form').send({ _csrf: csrf, currentPassword: 'nope', password: 'a new password', passwordConfirm: 'a new password' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Het huidige wachtwoord klopt niet.');
    const ok = await agent.post('/account/password').type('form').send({ _csrf: csrf, currentPassword: PASSWORD, password: 'a new password', passwordConfirm: 'a new password' });
    expect(ok.status).toBe(303);
    await loginAs(app, 'r@example.org', 'a new password');
  });
});

describe('the language switch before signing in', () => {
  it('keeps a visitor’s choice in a cookie of its own: no session row, no write (the page cache stays valid), and the next pages are in that language', async () => {
    const { app, services, db } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const visitor = request.agent(app);
    const csrf = await csrfOf(visitor);
    const written = () => db.prepare('SELECT total_changes() AS changes, (SELECT count(*) FROM sessions) AS sessions').get();
    const before = written();

    const res = await visitor.post('/language').type('form').send({ _csrf: csrf, language: 'nl', next: '/login' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.find((c) => c.startsWith('kader.lang='))).toMatch(/^kader\.lang=nl; Max-Age=31536000; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    expect(sessionCookie(res)).toBeUndefined();
    // total_changes() is what the page cache reads: unchanged, so no cached page was thrown away.
    expect(written()).toEqual(before);
    expect((await visitor.get('/login').set('Accept-Language', 'en')).text).toContain('<h1>Inloggen</h1>');
    expect(written()).toEqual(before);

    // Still protected against cross-site requests: without the visitor's own token it is refused.
    const forged = await request(app).post('/language').set('Cookie', 'kader.lang=en').type('form').send({ _csrf: csrf, language: 'en', next: '/login' });
    expect(forged.status).toBe(403);
    // Signed in without a language of their own, the user keeps the browser's choice; their own setting wins.
    const token = await csrfOf(visitor);
    expect((await visitor.post('/login').type('form').send({ email: 'r@example.org', password: PASSWORD, _csrf: token })).status).toBe(303);
    expect((await visitor.get('/studies').set('Accept-Language', 'en')).text).toContain('Mijn onderzoeken');
    const signedIn = await csrfOf(visitor, '/account');
    await visitor.post('/language').type('form').send({ _csrf: signedIn, language: 'en', next: '/studies' });
    expect(services.repos.users.findByEmail('r@example.org')!.language).toBe('en');
  });
});

describe('the login form before signing in', () => {
  it('stores no session for a visitor who only looks at it; its token comes in a cookie of its own and works only with that cookie', async () => {
    const { app, services, db } = testApp();
    await makeUser(services, { email: 'r@example.org', name: 'Rob' });
    const sessions = () => (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
    const before = sessions();
    const visitor = request.agent(app);
    const page = await visitor.get('/login');
    expect(sessionCookie(page)).toBeUndefined();
    expect(([] as string[]).concat(page.headers['set-cookie'] ?? []).some((c) => /^kader\.csrf=[\w-]{32,};.*HttpOnly/i.test(c))).toBe(true);
    for (let i = 0; i < 5; i++) await request(app).get('/login');
    expect(sessions()).toBe(before);

    // Another visitor's token, or none, is refused; the visitor's own signs in.
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const other = await request(app).post('/login').type('form').send({ email: 'r@example.org', password: PASSWORD, _csrf: token });
    expect(other.status).toBe(403);
    const withoutToken = await visitor.post('/login').type('form').send({ email: 'r@example.org', password: PASSWORD });
    expect(withoutToken.status).toBe(403);
    const own = await visitor.post('/login').type('form').send({ email: 'r@example.org', password: PASSWORD, _csrf: token });
    expect(own.status).toBe(303);
    expect(sessions()).toBe(before + 1);
    // Signed in, the session's own token counts, not the visitor cookie's.
    const refused = await visitor.post('/logout').type('form').send({ _csrf: token });
    expect(refused.status).toBe(403);
  });
});
