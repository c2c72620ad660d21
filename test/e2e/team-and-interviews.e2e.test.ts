// Team set-up and interview status steps in a real browser against the real server (issue 14, points
// 7, 8 and 10): the lead clicks an interview through its status steps on the interview page (a date
// in the future is refused with a summary at the top and the message on the date), narrows the
// condition picker of the edit form with its filter box, and asks for an account for someone without
// one on the members page. Every distinct page is scanned with axe-core; the interview page and the
// members page are saved at 1366, 1024 and 390 px wide in test-results/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadTemplate } from '../../server/framework/templates.ts';
import { A11yScanner, browserAvailability, closeSuite, field, launchBrowser, prepareStudy, startServer, stopAfterFirstFailure, type RunningServer, reviewScreenshots, SCREENSHOTS_DIR } from '../helpers/browser.ts';

const availability = browserAvailability();

const LEAD = { name: 'Lotte Lead', email: 'team-lead@example.org', password: 'the lead sets up the team' };
const RESEARCHER = { name: 'Rik Researcher', email: 'team-rik@example.org', password: 'rik does the fieldwork' };

function studyFile() {
  const file = loadTemplate('bijstand')!;
  file.study = { ...file.study, title: 'Bijstand in Dordrecht, fieldwork' };
  file.members = [{ email: RESEARCHER.email, name: RESEARCHER.name, role: 'researcher' }];
  file.cases = [{ key: 'dordrecht', name: 'Dordrecht' }];
  file.interviews = [{
    key: 'dordrecht-1', case: 'dordrecht', date: '2024-03-12', roles: [], participants: 2, interviewers: [RESEARCHER.email], status: 'planned',
    notes: 'Gesprek met de wethouder over de toegang tot de bijstand.', conditions: ['2.a'],
  }] as typeof file.interviews;
  return file;
}

describe.skipIf(availability.skip)('interview status steps, the condition picker and team set-up, in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let lead: BrowserContext;
  let page: Page;
  let dataDir = '';
  let studyPath = '';
  const a11y = new A11yScanner();
  const openPages = (): Page[] => (lead ? lead.pages() : []);
  const url = (p: string) => `${server.baseUrl}${p}`;
  const interviewPath = () => `${studyPath}/interviews/dordrecht-1`;
  const today = new Date().toISOString().slice(0, 10);

  const step = async (button: string, on?: string) => {
    const form = page.locator('form.next-step-form');
    if (on !== undefined) await form.locator('input[name="on"]').fill(on);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/status') && r.request().method() === 'POST'),
      form.getByRole('button', { name: button }).click(),
    ]);
    await page.waitForLoadState('load');
    return response.status();
  };

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    ({ dataDir, studyPath } = prepareStudy('team', [LEAD, RESEARCHER], studyFile(), LEAD.email));
    [server, browser] = await Promise.all([startServer({ dataDir }), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  stopAfterFirstFailure(openPages, () => server);

  test('the lead clicks the interview through its status steps; a date in the future is refused with a summary and the message on the date', async () => {
    lead = await browser.newContext({ locale: 'en-GB' });
    lead.setDefaultTimeout(5_000);
    page = await lead.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(LEAD.email);
    await field(page, 'Password').fill(LEAD.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));

    await page.goto(url(interviewPath()));
    await page.getByRole('heading', { level: 2, name: 'Next step' }).waitFor();
    // "Held" starts at the interview's own date, which has passed.
    expect(await field(page, 'Held on').inputValue()).toBe('2024-03-12');
    await a11y.scan(page, 'interview page, planned');
    await reviewScreenshots(page, 'interview');

    expect(await step('Mark as held')).toBe(303);
    expect(await page.getByRole('status').innerText()).toContain('Status: held, on 2024-03-12.');
    expect(await field(page, 'Report drafted on').inputValue()).toBe(today);

    // A day in the future is refused: the summary at the top links to the date, which carries the message.
    expect(await step('Report drafted', '2099-01-01')).toBe(422);
    const summary = page.locator('.error-summary');
    expect(await summary.innerText()).toContain('Report drafted on: 2099-01-01 is in the future');
    expect(await field(page, 'Report drafted on').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-on-error').innerText()).toContain('2099-01-01 is in the future');
    await summary.getByRole('link').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-on');
    await a11y.scan(page, 'interview page, refused step');

    expect(await step('Report drafted', today)).toBe(303);
    expect(await step('Sent for approval')).toBe(303);
    expect(await step('Approved')).toBe(303);
    expect(await page.locator('.next-step').innerText()).toContain('Every step is done');
    const facts = await page.locator('dl.facts').innerText();
    expect(facts).toContain('approved');
    expect(facts).toMatch(/Held on\s+2024-03-12/);
    expect(facts).toMatch(new RegExp(`Approved on\\s+${today}`));
  });

  test('the condition picker of the edit form shows its groups closed with a marker, narrows by code or name, and counts the ticks', async () => {
    await page.goto(url(`${interviewPath()}/edit`));
    await page.getByRole('heading', { level: 1, name: 'Edit interview' }).waitFor();
    await page.waitForLoadState('load');
    const picker = page.locator('[data-condition-picker]');
    expect(await picker.locator('[data-picker-count]').innerText()).toBe('1 selected');
    // A closed group shows its marker and its count; the group with the chosen 2.a is open.
    const closed = picker.locator('details.picker-group:not([open]) > summary').first();
    expect(await closed.evaluate((s) => getComputedStyle(s, '::before').content)).toBe('"▸"');
    expect(await closed.innerText()).toMatch(/0 of \d+ selected/);
    const open = picker.locator('details.picker-group[open] > summary');
    expect(await open.count()).toBe(1);
    expect(await open.innerText()).toMatch(/1 of \d+ selected/);

    const filter = field(page, 'Filter the conditions');
    await filter.fill('2.b');
    const visible = picker.locator('label.choice:visible');
    expect(await visible.count()).toBeGreaterThanOrEqual(1);
    for (const text of await visible.allInnerTexts()) expect(text).toContain('2.b');
    // Enter in the filter does not send the form.
    await filter.press('Enter');
    expect(new URL(page.url()).pathname).toBe(`${interviewPath()}/edit`);
    await visible.first().locator('input').check();
    expect(await picker.locator('[data-picker-count]').innerText()).toBe('2 selected');
    await filter.fill('zzz-nothing');
    expect(await picker.locator('[data-picker-none]').isVisible()).toBe(true);
    await filter.press('Escape');
    expect(await filter.inputValue()).toBe('');
    expect(await picker.locator('label.choice:visible').count()).toBeGreaterThan(10);
    await a11y.scan(page, 'interview form with the picker');
    await page.setViewportSize({ width: 390, height: 900 });
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'interview-form-390.png'), fullPage: false });
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  test('the lead, not an administrator, adds someone without an account: the request waits for an administrator and is listed', async () => {
    await page.goto(url(`${studyPath}/members`));
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    await a11y.scan(page, 'members');
    await field(page, 'Email address').fill('gert@example.org');
    await page.getByRole('button', { name: 'Add member' }).click();
    // Without a name: the summary says what to do, on the name field.
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').innerText()).toContain('gert@example.org has no account yet');
    await a11y.scan(page, 'members, refused');
    await field(page, 'Name (only for someone without an account)').fill('Gert Gast');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.waitForURL(url(`${studyPath}/members`));
    expect(await page.getByRole('status').innerText()).toContain('the request is with the site administrators');
    const pending = page.locator('section.account-requests');
    expect(await pending.innerText()).toContain('Gert Gast');
    await a11y.scan(page, 'members with a request');
    await reviewScreenshots(page, 'members');
  });
});
