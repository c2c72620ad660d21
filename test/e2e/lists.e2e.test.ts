// The long lists of the demo study in a real browser (issue 14.9): the evidence list filtered by kind
// of source and words and paged, the reduction page's overview and log, and the audit log filtered
// and paged (older, newer), each scanned with axe-core; full-page screenshots of the three pages at
// 1366, 1024 and 390 px in test-results/screenshots/, and no sideways scrolling at 390 px.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, closeSuite, field, launchBrowser, startServer, stopAfterFirstFailure, type RunningServer, reviewScreenshots, loadDemo } from '../helpers/browser.ts';
import { kader } from '../helpers/processes.ts';

const availability = browserAvailability();
const LEAD = { email: 'demo-lead@kader.example', password: 'kader-demo' };
const ADMIN = { email: 'lists-admin@example.org', name: 'Lists Admin', password: 'the lists admin passphrase' };

describe.skipIf(availability.skip)('long lists of the demo study in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dataDir = '';
  let studyPath = '';
  const a11y = new A11yScanner();
  const url = (p: string) => `${server.baseUrl}${p}`;

  const range = () => page.locator('.list-range').first().innerText();

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    ({ dataDir, studyPath } = loadDemo('lists'));
    const admin = kader(['user:create', '--email', ADMIN.email, '--name', ADMIN.name, '--admin', '--password-stdin'], { DATA_DIR: dataDir }, ADMIN.password);
    expect(admin.status, admin.stderr).toBe(0);
    [server, browser] = await Promise.all([startServer({ dataDir }), launchBrowser()]);
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  }, 240_000);

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  stopAfterFirstFailure(() => (context ? context.pages() : []), () => server);

  test('the demo lead filters the evidence list by kind of source and words, and pages it', async () => {
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(LEAD.email);
    await field(page, 'Password').fill(LEAD.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));

    await page.goto(url(`${studyPath}/evidence`));
    await page.getByRole('heading', { level: 1, name: 'Evidence' }).waitFor();
    expect(await range()).toBe('1–25 of 158');
    expect(await page.locator('.evidence-list > li').count()).toBe(25);
    expect(await page.getByRole('link', { name: 'Add evidence' }).count()).toBe(1);
    await a11y.scan(page, 'evidence list');
    await reviewScreenshots(page, 'evidence');

    // Page 2 by its number, then the next page.
    const pages = page.getByRole('navigation', { name: 'Pages' });
    await pages.getByRole('link', { name: 'Page 2' }).click();
    await page.waitForURL(/page=2/);
    expect(await range()).toBe('26–50 of 158');
    await pages.getByRole('link', { name: 'Next' }).click();
    await page.waitForURL(/page=3/);
    expect(await range()).toBe('51–75 of 158');

    // Interviews that say "gemeente": fewer items, every one from an interview; the filters stay chosen.
    await field(page, 'Kind of source').selectOption({ label: 'Interviews' });
    await field(page, 'Text contains').fill('gemeente');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/kind=interview/);
    expect(page.url()).toContain('q=gemeente');
    expect(page.url()).not.toContain('page=');
    expect(await range()).toMatch(/^1–(\d+) of \1$/);
    const items = page.locator('.evidence-list > li');
    expect(await items.count()).toBeGreaterThan(0);
    const sources = await items.locator('.evidence-foot p > a:first-of-type').allInnerTexts();
    expect(sources).toHaveLength(await items.count());
    for (const source of sources) expect(source).toMatch(/^interview /);
    expect(await field(page, 'Text contains').inputValue()).toBe('gemeente');
    await a11y.scan(page, 'evidence list filtered');

    // A case: its evidence over pages that keep the case.
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await field(page, 'Case').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/case=/);
    const caseName = (await field(page, 'Case').locator('option:checked').innerText()).trim();
    for (const meta of await page.locator('.evidence-foot p').allInnerTexts()) expect(meta.startsWith(caseName)).toBe(true);
  });

  test('the reduction page shows every condition in one table and the log of decisions', async () => {
    await page.goto(url(`${studyPath}/reduction`));
    await page.getByRole('heading', { level: 1, name: 'Complexity reduction' }).waitFor();
    expect(await page.locator('tr.reduction-row').count()).toBeGreaterThan(50);
    expect(await page.locator('table.reduction-log tbody tr').count()).toBe(1);
    expect(await range()).toBe('1–1 of 1');
    await a11y.scan(page, 'reduction');
    await reviewScreenshots(page, 'reduction');
    await field(page, 'State').selectOption({ label: 'Reverted' });
    await page.locator('#reduction-log').locator('xpath=..').getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/state=reverted/);
    await page.getByText('Nothing matches these filters.').waitFor();
  });

  test('the audit log in words: filtered by kind of change, paged older and newer, keeping the filter', async () => {
    await page.goto(url(`${studyPath}/audit`));
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    expect(await range()).toMatch(/^1–50 of \d+$/);
    const first = page.locator('table.audit tbody tr').first();
    expect(await first.innerText()).not.toMatch(/[{}"]/);
    await a11y.scan(page, 'audit log');
    await reviewScreenshots(page, 'audit');

    await field(page, 'Kind of change').selectOption({ label: 'Case: final score decided' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/what=case%3Areconcile/);
    const total = Number(/of (\d+)$/.exec(await range())![1]);
    expect(total).toBeGreaterThan(50);
    const rows = page.locator('table.audit tbody tr');
    for (const what of await rows.locator('.audit-what').allInnerTexts()) expect(what).toMatch(/final score decided/);
    expect(await rows.first().innerText()).toMatch(/Final score/);

    const pages = page.getByRole('navigation', { name: 'Pages' });
    await pages.getByRole('link', { name: 'Older entries' }).click();
    await page.waitForURL(/before=\d+/);
    expect(page.url()).toContain('what=case%3Areconcile');
    expect(await range()).toBe(`51–${Math.min(100, total)} of ${total}`);
    await pages.getByRole('link', { name: 'Newer entries' }).click();
    await page.waitForURL((u) => !u.search.includes('before='));
    expect(await range()).toBe(`1–50 of ${total}`);
    await a11y.scan(page, 'audit log filtered');
  });

  test('the administrator reads the account log in words', async () => {
    const admin = await browser.newContext({ locale: 'en-GB', viewport: { width: 390, height: 800 } });
    const adminPage = await admin.newPage();
    await adminPage.goto(url('/login'));
    await field(adminPage, 'Email address').fill(ADMIN.email);
    await field(adminPage, 'Password').fill(ADMIN.password);
    await adminPage.getByRole('button', { name: 'Log in' }).click();
    await adminPage.waitForURL(url('/studies'));
    await adminPage.goto(url('/admin/audit'));
    await adminPage.getByRole('heading', { level: 1, name: 'Account log' }).waitFor();
    const log = await adminPage.locator('table.audit').innerText();
    expect(log).toMatch(/Account \S+@kader\.example\s+created/);
    expect(log).toContain('Administrator: no');
    expect(log).not.toMatch(/[{}"]/);
    expect(await adminPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await a11y.scan(adminPage, 'account log');
    await admin.close();
  });
});
