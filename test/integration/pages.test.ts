// What every response has: security headers, CSRF refusal, language choice, friendly error pages
// without stack traces, body limits and the health check.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { csrfOf, loginAs, makeUser, testApp } from '../helpers/app.ts';

describe('security headers', () => {
  it('sends a CSP without inline script, frame-ancestors none, nosniff and a referrer policy', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const res = await request(app).get('/login');
    const csp = res.headers['content-security-policy']!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('CSRF', () => {
  it('refuses a change without a valid token with 403 and changes nothing', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const { agent, csrf } = await loginAs(app, 'r@example.org');
    const none = await agent.post('/studies').type('form').send({ title: 'No token', language: 'en' });
    expect(none.status).toBe(403);
    expect(none.text).toContain('This form has expired');
    const wrong = await agent.post('/studies').type('form').send({ _csrf: csrf.slice(0, -2) + 'xx', title: 'Wrong token', language: 'en' });
    expect(wrong.status).toBe(403);
    const otherSession = await csrfOf(request.agent(app));
    expect((await agent.post('/studies').type('form').send({ _csrf: otherSession, title: 'Other', language: 'en' })).status).toBe(403);
    expect(services.repos.studies.listIdsAndTitles()).toEqual([]);
    const viaHeader = await agent.post('/studies').set('x-csrf-token', csrf).type('form').send({ title: 'Header', language: 'en' });
    expect(viaHeader.status).toBe(303);
  });

  it('refuses a login without a token', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const res = await request(app).post('/login').type('form').send({ email: 'r@example.org', password: 'x' });
    expect(res.status).toBe(403);
  });
});

describe('language', () => {
  it('follows Accept-Language before login: the Dutch login page says "Inloggen"', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const nl = await request(app).get('/login').set('Accept-Language', 'nl-NL,nl;q=0.9,en;q=0.5');
    expect(nl.text).toContain('<html lang="nl">');
    expect(nl.text).toContain('<h1>Inloggen</h1>');
    const en = await request(app).get('/login').set('Accept-Language', 'de-DE,en;q=0.5');
    expect(en.text).toContain('<h1>Log in</h1>');
  });

  it('the user setting wins over the browser, and the footer switch works before login', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const agent = request.agent(app);
    const csrf = await csrfOf(agent);
    await agent.post('/language').type('form').send({ _csrf: csrf, language: 'nl', next: '/login' });
    expect((await agent.get('/login').set('Accept-Language', 'en')).text).toContain('<h1>Inloggen</h1>');
    const user = await loginAs(app, 'r@example.org');
    await user.agent.post('/account').type('form').send({ _csrf: user.csrf, name: 'R', language: 'nl' });
    expect((await user.agent.get('/studies').set('Accept-Language', 'en')).text).toContain('Mijn onderzoeken');
  });
});

describe('error pages', () => {
  it('shows a friendly 404 in the visitor’s language', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const en = await request(app).get('/no/such/page');
    expect(en.status).toBe(404);
    expect(en.text).toContain('Page not found');
    const nl = await request(app).get('/no/such/page').set('Accept-Language', 'nl');
    expect(nl.text).toContain('Pagina niet gevonden');
  });

  it('shows a 500 page with a request id and no stack trace', async () => {
    const { app, services, db } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const { agent } = await loginAs(app, 'r@example.org');
    db.exec('DROP TABLE memberships'); // the studies list can no longer be read
    const res = await agent.get('/studies').set('Accept-Language', 'nl');
    expect(res.status).toBe(500);
    expect(res.text).toContain('Er ging iets mis');
    expect(res.text).toContain(res.headers['x-request-id']);
    expect(res.text).not.toMatch(/at .*\.ts:\d+|SqliteError|no such table/);
  });

  it('refuses a body over the limit with 413', async () => {
    const { app, services } = testApp();
    await makeUser(services, { email: 'r@example.org' });
    const { agent, csrf } = await loginAs(app, 'r@example.org');
    const res = await agent.post('/studies').type('form').send({ _csrf: csrf, title: 't', language: 'en', question: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(res.text).toContain('too large');
  });
});

describe('GET /healthz', () => {
  it('answers 200 {"status":"ok"} when the database answers, 503 when it does not', async () => {
    const { app, db } = testApp();
    const ok = await request(app).get('/healthz');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 'ok' });
    db.close();
    const down = await request(app).get('/healthz');
    expect(down.status).toBe(503);
  });
});
