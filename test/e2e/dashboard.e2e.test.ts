// The study dashboard and "Waiting for you" in a real browser against the real server, on the demo
// study loaded with `kader demo` as an operator would: the demo has cases in rating, in reconciliation
// (with open items, all final, and changed after sign-off) and signed off; the lead adds a case to see
// the fieldwork phase. Checks the next step of every phase for the lead, a rater and a viewer, follows
// the links (no JavaScript needed: links and a GET form), scans every page with axe-core, and saves
// full-page screenshots at 1366, 1024 and 390 px to test-results/screenshots/.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, closeSuite, field, launchBrowser, startServer, stopAfterFirstFailure, type RunningServer, reviewScreenshots, loadDemo } from '../helpers/browser.ts';

const availability = browserAvailability();
const PASSWORD = 'kader-demo';
const LEAD = 'demo-lead@kader.example';
const RATER2 = 'demo-rater2@kader.example';
const VIEWER = 'demo-viewer@kader.example';

describe.skipIf(availability.skip)('the study dashboard and "Waiting for you" on the demo study, in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let dataDir = '';
  let studyPath = '';
  const a11y = new A11yScanner();
  const url = (p: string) => `${server.baseUrl}${p}`;

  stopAfterFirstFailure(() => contexts.flatMap((c) => c.pages()), () => server);

  const logIn = async (email: string): Promise<Page> => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(8_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(email);
    await field(page, 'Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));
    return page;
  };

  const matrix = (page: Page) => page.locator('table.dashboard');
  const rowsOf = (page: Page, phase: string) => matrix(page).locator(`tbody tr[data-phase="${phase}"]`);
  /** The next-step cell's text of every row of a phase, without the case name hidden in the link for screen readers. */
  const nextSteps = async (page: Page, phase: string) =>
    (await rowsOf(page, phase).locator('td.dash-next').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').split(' · ')[0]!.trim());


  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    ({ dataDir, studyPath } = loadDemo('dashboard'));
    server = await startServer({ dataDir });
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the lead lands on what waits for them: items to discuss and cases to sign off', async () => {
    const page = await logIn(LEAD);
    const waiting = page.getByRole('region', { name: 'Waiting for you' });
    await expect(waiting.getByRole('heading', { name: /Items to discuss/ }).isVisible()).resolves.toBe(true);
    await expect(waiting.getByRole('heading', { name: /Cases to sign off/ }).isVisible()).resolves.toBe(true);
    expect(await waiting.getByRole('link', { name: /^Reconcile \d+ open items?/ }).count()).toBeGreaterThan(0);
    expect(await waiting.getByRole('link', { name: /^Sign off( again)?\b/ }).count()).toBeGreaterThan(0);
    // "Waiting for you" comes before the list of studies.
    const headings = await page.getByRole('heading', { level: 2 }).allInnerTexts();
    expect(headings.indexOf('Waiting for you')).toBeLessThan(headings.indexOf('Your studies'));
    await a11y.scan(page, 'waiting for you, lead');
  });

  test('the dashboard gives each phase its next step for the lead', async () => {
    const page = contexts[0]!.pages()[0]!;
    await page.goto(url(studyPath));
    await matrix(page).waitFor();
    expect(await rowsOf(page, 'fieldwork').count()).toBe(0);
    expect(await nextSteps(page, 'rating')).toEqual(['Follow the ratings']);
    const reconciliation = await nextSteps(page, 'reconciliation');
    expect(reconciliation.some((t) => /^Reconcile \d+ open items?/.test(t))).toBe(true);
    expect(reconciliation.some((t) => /^Sign off\b/.test(t) && !t.startsWith('Sign off again'))).toBe(true);
    expect(reconciliation.some((t) => t.startsWith('Sign off again'))).toBe(true);
    expect(await nextSteps(page, 'signed-off')).toEqual(Array(4).fill('View the analysis'));
    // Study-level bars, and the filter's counts add up to the 15 cases.
    await expect(page.getByText('Signed off', { exact: true }).first().isVisible()).resolves.toBe(true);
    const counts = await page.locator('.dash-phases .dash-count').allInnerTexts();
    expect(counts.map(Number)).toEqual([15, 0, 1, 10, 4]);
    await a11y.scan(page, 'dashboard, lead');
    await reviewScreenshots(page, 'dashboard');

    // The next step's link leads to the case's reconciliation.
    const reconcile = rowsOf(page, 'reconciliation').locator('td.dash-next a', { hasText: /^Reconcile/ }).first();
    const href = await reconcile.getAttribute('href');
    await reconcile.click();
    await page.waitForURL(url(href!));
    expect(href).toMatch(/\/reconcile\?case=/);
  });

  test('the phase filter and the order work as plain links and a GET form', async () => {
    const page = contexts[0]!.pages()[0]!;
    await page.goto(url(studyPath));
    await page.getByRole('navigation', { name: 'Show the cases of one phase' }).getByRole('link', { name: /^Signed off/ }).click();
    await page.waitForURL(url(`${studyPath}?phase=signed-off`));
    expect(await matrix(page).locator('tbody tr').count()).toBe(4);
    expect(await rowsOf(page, 'signed-off').count()).toBe(4);
    await page.getByRole('navigation', { name: 'Show the cases of one phase' }).getByRole('link', { name: /^All cases/ }).click();
    await page.getByLabel('Order').selectOption('open');
    await page.getByRole('button', { name: 'Sort' }).click();
    await page.waitForURL(url(`${studyPath}?sort=open`));
    const first = await matrix(page).locator('tbody tr').first().locator('td.dash-next').innerText();
    const all = (await matrix(page).locator('tbody td.dash-next').allInnerTexts()).map((t) => Number(/Reconcile (\d+)/.exec(t)?.[1] ?? 0));
    expect(Number(/Reconcile (\d+)/.exec(first)?.[1])).toBe(Math.max(...all));
  });

  test('a new case is in fieldwork: the lead is asked to log an interview', async () => {
    const page = contexts[0]!.pages()[0]!;
    await page.goto(url(`${studyPath}/cases/new`));
    await field(page, 'Key').fill('nieuwdorp');
    await field(page, 'Name').fill('Nieuwdorp');
    await page.getByRole('button', { name: 'Add the case' }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/cases/new'));
    await page.goto(url(`${studyPath}?phase=fieldwork`));
    expect(await nextSteps(page, 'fieldwork')).toEqual(['Log an interview']);
    const link = rowsOf(page, 'fieldwork').locator('td.dash-next a');
    expect(await link.getAttribute('href')).toBe(`${studyPath}/interviews/new?case=nieuwdorp`);
    await a11y.scan(page, 'dashboard, fieldwork filter');
  });

  test('a rater lands on the case they still have to rate, and the dashboard says Rate', async () => {
    const page = await logIn(RATER2);
    const toRate = page.getByRole('region', { name: /Cases to rate/ });
    const rate = toRate.getByRole('link', { name: /^Rate / });
    expect(await rate.count()).toBe(1);
    await a11y.scan(page, 'waiting for you, rater');
    await reviewScreenshots(page, 'waiting');
    await page.goto(url(studyPath));
    await matrix(page).waitFor();
    expect(await nextSteps(page, 'rating')).toEqual(['Rate']);
    // Blinding: the rater sees their own progress on the blind case, not the other rater's.
    const raters = rowsOf(page, 'rating').locator('td.dash-raters .dash-rater');
    expect(await raters.count()).toBe(2);
    expect(await raters.locator('progress').count()).toBe(1);
    await expect(raters.filter({ hasText: '(you)' }).locator('progress').count()).resolves.toBe(1);
    await a11y.scan(page, 'dashboard, rater');
    await rowsOf(page, 'rating').locator('td.dash-next a').click();
    await page.waitForURL(/\/cases\/[^/]+\/rate$/);
  });

  test('a viewer reads where the cases stand without an action to take', async () => {
    const page = await logIn(VIEWER);
    await expect(page.getByText('Nothing waits for you right now.').isVisible()).resolves.toBe(true);
    await page.goto(url(studyPath));
    await matrix(page).waitFor();
    const buttons = await matrix(page).locator('td.dash-next a').allInnerTexts();
    expect(buttons.every((t) => t.startsWith('View the analysis'))).toBe(true);
    expect(await matrix(page).locator('progress').count()).toBe(0);
    expect(await nextSteps(page, 'rating')).toEqual(['Waiting for the raters']);
    await a11y.scan(page, 'dashboard, viewer');
  });
});
