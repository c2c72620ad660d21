// The study navigation in a real browser on the demo study (`kader demo`, as an operator loads it):
// the six groups and the current group's pages each fit one row on a 1024-pixel tablet in English
// and Dutch; on a 390-pixel phone one menu button opens every group and its pages (a <details>, so
// it works without JavaScript; Escape closes it); the header search finds the demo's notes; the
// interview and document lists filter. Every page is scanned with axe-core, and full-page screenshots
// of the overview, the interview list and the document list at 1366, 1024 and 390 pixels are saved
// in test-results/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, closeSuite, field, launchBrowser, RESULTS_DIR, startServer, stopAfterFirstFailure, type RunningServer, loadDemo } from '../helpers/browser.ts';

const availability = browserAvailability();
const LEAD = 'demo-lead@kader.example';
const PASSWORD = 'kader-demo';
const SHOTS = path.join(RESULTS_DIR, 'screenshots');

/** The rows the visible elements matching `selector` take: their tops, those within 10 px of each other counted as one row. */
async function rowsOf(page: Page, selector: string): Promise<number[]> {
  const tops = await page.$$eval(selector, (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => Math.round(e.getBoundingClientRect().top)));
  const rows: number[] = [];
  for (const top of tops.sort((a, b) => a - b)) if (!rows.length || top - rows[rows.length - 1]! > 10) rows.push(top);
  return rows;
}

describe.skipIf(availability.skip)('the study navigation on the demo study, in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dataDir = '';
  let studyPath = '';
  const a11y = new A11yScanner();
  const url = (p: string) => `${server.baseUrl}${p}`;

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    ({ dataDir, studyPath } = loadDemo('nav'));
    [server, browser] = await Promise.all([startServer({ dataDir }), launchBrowser()]);
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  stopAfterFirstFailure(() => (context ? context.pages() : []), () => server);

  const shoot = async (name: string, width: number) => {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  };

  test('the lead signs in; on a 1024-pixel tablet the groups and the current group’s pages each take one row, in English and in Dutch', async () => {
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1024, height: 800 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(LEAD);
    await field(page, 'Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));

    for (const language of ['en', 'nl'] as const) {
      if (language === 'nl') {
        await Promise.all([page.waitForLoadState('load'), page.locator('#language-switch').selectOption('nl')]);
        await page.waitForFunction(() => document.documentElement.lang === 'nl');
      }
      // Every group, with its pages as a lead sees them (the longest rows).
      for (const p of ['', '/framework', '/cases', '/interviews', '/my-cases', '/cross-case', '/members']) {
        await page.goto(url(`${studyPath}${p}`));
        expect(await rowsOf(page, '.nav-groups a'), `${language} ${p} groups`).toHaveLength(1);
        expect(await page.locator('.nav-groups a').count()).toBe(6);
        if (p) expect(await rowsOf(page, '.nav-pages a'), `${language} ${p} pages`).toHaveLength(1);
        expect(await page.locator('.study-menu summary').isVisible()).toBe(false);
        await a11y.scan(page, `${p || 'overview'} 1024`);
      }
      // aria-current on the group and on the page.
      await page.goto(url(`${studyPath}/interviews`));
      expect(await page.locator('.nav-groups a[aria-current="true"]').count()).toBe(1);
      expect(await page.locator('.nav-pages a[aria-current="page"]').getAttribute('href')).toBe(`${studyPath}/interviews`);
      const navHeight = await page.locator('.study-nav').evaluate((el) => el.getBoundingClientRect().height);
      console.info(`study navigation at 1024 px (${language}): ${Math.round(navHeight)} px high`);
      expect(navHeight).toBeLessThan(140);
    }
    await Promise.all([page.waitForLoadState('load'), page.locator('#language-switch').selectOption('en')]);
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  test('on a 390-pixel phone one menu button opens every group and its pages, and Escape closes it', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(url(`${studyPath}/cases`));
    expect(await page.locator('.nav-groups').isVisible()).toBe(false);
    const summary = page.locator('.study-menu summary');
    expect(await summary.isVisible()).toBe(true);
    const box = (await summary.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    // What the navigation takes of the phone's first screen before the page's heading.
    const headingTop = await page.locator('main h1').first().evaluate((el) => el.getBoundingClientRect().top);
    console.info(`page heading at 390 px starts ${Math.round(headingTop)} px from the top (of 844)`);
    expect(headingTop).toBeLessThan(360);

    const menuLink = page.locator('.study-menu').getByRole('link', { name: 'Interviews' });
    expect(await menuLink.isVisible()).toBe(false);
    await summary.click();
    expect(await menuLink.isVisible()).toBe(true);
    for (const name of ['Framework', 'Reconciliation', 'Cross-case', 'Audit log']) expect(await page.locator('.study-menu').getByRole('link', { name, exact: true }).first().isVisible(), name).toBe(true);
    await a11y.scan(page, 'cases 390 menu open');
    await page.keyboard.press('Escape');
    expect(await menuLink.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SUMMARY');
    await summary.click();
    await menuLink.click();
    await page.waitForURL(url(`${studyPath}/interviews`));
    expect(await page.locator('.study-menu summary').textContent()).toContain('Fieldwork');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await a11y.scan(page, 'interviews 390');
  });

  test('the header search finds the demo’s notes and shows plain-text snippets', async () => {
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(url(`${studyPath}/framework`));
    const search = page.getByRole('search', { name: 'Search this study' });
    await search.getByRole('searchbox').fill('tekort');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((u) => u.pathname === `${studyPath}/search` && u.searchParams.get('q') === 'tekort');
    expect(await page.locator('ol.hits > li').count()).toBeGreaterThan(0);
    expect(await page.locator('ol.hits mark').first().textContent()).toMatch(/tekort/i);
    expect(await page.locator('.snippet').allTextContents()).not.toContainEqual(expect.stringContaining('**'));
    await a11y.scan(page, 'search 1024');
  });

  test('the interview and document lists filter, and the screenshots are saved', async () => {
    await page.goto(url(`${studyPath}/interviews`));
    const all = await page.locator('table.interviews tbody tr').count();
    expect(all).toBe(50);
    expect(await page.getByRole('navigation', { name: 'Pages' }).isVisible()).toBe(true);
    const firstCase = await page.locator('#f-case option').nth(1).textContent();
    await page.locator('#f-case').selectOption({ label: firstCase! });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((u) => u.searchParams.has('case'));
    const filtered = await page.locator('table.interviews tbody tr').count();
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(all);
    expect(await page.getByRole('link', { name: 'Log an interview' }).getAttribute('href')).toContain('?case=');
    await a11y.scan(page, 'interviews filtered');

    await page.goto(url(`${studyPath}/documents`));
    expect(await page.locator('table.documents tbody tr').count()).toBe(6);
    await page.locator('table.documents tbody tr').first().getByRole('link').first().waitFor();
    await a11y.scan(page, 'documents 1024');

    for (const width of [1366, 1024, 390]) {
      await page.goto(url(studyPath));
      await shoot('overview', width);
      await page.goto(url(`${studyPath}/interviews`));
      await shoot('interviews', width);
      await page.goto(url(`${studyPath}/documents`));
      await shoot('documents', width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `documents at ${width}`).toBeLessThanOrEqual(width);
    }
    for (const f of ['overview', 'interviews', 'documents']) for (const w of [1366, 1024, 390]) expect(fs.existsSync(path.join(SHOTS, `${f}-${w}.png`))).toBe(true);
  });
});
