// The rating form of a whole framework (the bijstand framework of report 000, 51 conditions to
// rate) in a real browser, by keyboard only: no mouse click anywhere. The rater scores with the
// keys 1–5, moves with j, answers "cannot judge" with n and a typed reason (Enter returns to the
// row), skips three conditions, reaches Submit with Shift+Tab and is refused with an error summary
// whose links open the missing rows, follows a link with Enter, finishes with u (next to do), which
// ends on Submit, and confirms the native dialog with the keyboard. Along the way: one row open at
// a time, the live "n of 51" count in the sticky bar, the reason shown only after n, screenshots at
// 1366, 1024 and 390 px (test-results/screenshots/rating-form-*.png), touch targets of 44 px on a
// phone, and axe-core on every page.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../helpers/processes.ts';
import {
  A11yScanner, browserAvailability, closeSuite, field, launchBrowser, prepareStudy, RESULTS_DIR, startServer, stopAfterFirstFailure, type RunningServer,
} from '../helpers/browser.ts';

const availability = browserAvailability();

const LEAD = { name: 'Lotte Lead', email: 'form-lead@example.org', password: 'the lead of the whole framework' };
const RATER_A = { name: 'Anouk Akkerman', email: 'form-anouk@example.org', password: 'anouk rates fifty-one by keyboard' };
const RATER_B = { name: 'Bram Bosman', email: 'form-bram@example.org', password: 'bram rates on his phone' };
const CASE = { key: 'zwolle', name: 'Zwolle' };
const SCREENSHOTS = path.join(RESULTS_DIR, 'screenshots');

const fixture = JSON.parse(fs.readFileSync(path.resolve(ROOT, '../shared/fixtures/framework-participatiewet.json'), 'utf8')) as Record<string, unknown>;
const STUDY_FILE = {
  ...fixture,
  study: { ...(fixture.study as object), settings: { scale: { min: 1, max: 5 }, ratersPerCase: 2, blindRating: true } },
  members: [
    { email: RATER_A.email, name: RATER_A.name, role: 'researcher' },
    { email: RATER_B.email, name: RATER_B.name, role: 'researcher' },
  ],
  cases: [{ key: CASE.key, name: CASE.name, raters: [RATER_A.email, RATER_B.email] }],
};

/** What A does with each row, by its position: skip on the first pass, cannot judge, or a score. */
const SKIPPED = new Set([5, 20, 40]);
const CANNOT_JUDGE = new Set([10, 30]);
const scoreOf = (i: number) => String((i % 5) + 1);
const reasonOf = (i: number) => `No source on row ${i}.`;

describe.skipIf(availability.skip)('the rating form of 51 conditions, by keyboard only', () => {
  let server: RunningServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let page: Page;
  let dataDir = '';
  let studyPath = '';
  let codes: string[] = [];
  const a11y = new A11yScanner();
  const url = (p: string) => `${server.baseUrl}${p}`;
  const ratePath = () => `${studyPath}/cases/${CASE.key}/rate`;

  const rows = (p: Page) => p.locator('section[data-condition]');
  const row = (p: Page, i: number) => rows(p).nth(i);
  const countText = (p: Page) => p.locator('[data-progress-text]').innerText();
  const openRows = (p: Page) => p.locator('section[data-condition] > details[open]').evaluateAll((els) => els.map((e) => e.parentElement!.getAttribute('data-condition')));
  const active = (p: Page) => p.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? '', text: (el?.textContent ?? '').replace(/\s+/g, ' ').trim(), row: el?.closest('[data-condition]')?.getAttribute('data-condition') ?? null, name: el?.getAttribute('name') ?? '' };
  });
  const summaryText = async (p: Page, i: number) => (await row(p, i).locator('summary').innerText()).replace(/\s+/g, ' ').trim();

  const logIn = async (context: BrowserContext, who: { email: string; password: string }): Promise<Page> => {
    const p = await context.newPage();
    await p.goto(url('/login'));
    await field(p, 'Email address').fill(who.email);
    await field(p, 'Password').fill(who.password);
    await p.keyboard.press('Enter');
    await p.waitForURL(url('/studies'));
    return p;
  };
  const openForm = async (p: Page) => {
    await p.goto(url(ratePath()));
    await p.getByRole('heading', { level: 1, name: `Rate ${CASE.name}` }).waitFor();
    await p.waitForLoadState('load'); // rating.js is deferred
  };
  const screenshot = async (p: Page, name: string) => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    // From the top, so that the sticky bar is drawn where it starts.
    await p.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    await p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    ({ dataDir, studyPath } = prepareStudy('rating-form', [LEAD, RATER_A, RATER_B], STUDY_FILE, LEAD.email));
    [server, browser] = await Promise.all([startServer({ dataDir }), launchBrowser()]);
  });

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  stopAfterFirstFailure(() => contexts.flatMap((c) => c.pages()), () => server);

  test('the form opens compact: 51 rows, only the first open, "0 of 51" in the sticky bar, Submit in reach, no reason field before "cannot judge"', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 768 } });
    context.setDefaultTimeout(5_000);
    contexts.push(context);
    page = await logIn(context, RATER_A);
    await openForm(page);

    codes = await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-condition')!));
    expect(codes).toHaveLength(51);
    expect(codes.slice(0, 3)).toEqual(['2.a', '2.b', '2.c']); // level 1 is measured
    expect(await openRows(page)).toEqual([codes[0]]);
    expect(await countText(page)).toBe('0 of 51 conditions complete');
    expect(await summaryText(page, 0)).toMatch(/^2\.a .+ not rated to do$/);
    // The first row shows its description, anchors and scale; closed rows only their summary.
    expect(await row(page, 0).getByRole('group', { name: 'Score for 2.a' }).isVisible()).toBe(true);
    expect(await row(page, 1).getByRole('group', { name: 'Score for 2.b' }).isVisible()).toBe(false);
    expect(await field(row(page, 0), 'Why you cannot judge 2.a').isVisible()).toBe(false);
    // The bar stays at the top of the window while the page scrolls; Submit and "next to do" are in it.
    const bar = page.locator('[data-rating-bar]');
    expect(await bar.getByRole('button', { name: 'Submit my ratings' }).isVisible()).toBe(true);
    expect(await bar.getByRole('button', { name: /^Next to do/ }).isVisible()).toBe(true);
    expect(await bar.getByRole('button', { name: 'Save draft' }).isVisible()).toBe(false); // the autosave saves
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect((await bar.boundingBox())!.y).toBeLessThanOrEqual(1);
    await page.evaluate(() => window.scrollTo(0, 0));
    // 51 conditions in a few screens, not 58.
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(5_000);
    await a11y.scan(page, 'rating form, 51 conditions');
  });

  test('A scores every row with the keys (1–5, j; n + a typed reason + Enter), skipping three; the count moves with every answer and one row is open at a time', async () => {
    let done = 0;
    for (let i = 0; i < codes.length; i++) {
      if (i > 0) {
        await page.keyboard.press('j');
        await expect.poll(() => openRows(page)).toEqual([codes[i]]);
        expect((await active(page)).tag).toBe('summary');
        expect((await active(page)).row).toBe(codes[i]);
      }
      if (SKIPPED.has(i)) continue;
      if (CANNOT_JUDGE.has(i)) {
        const reason = field(row(page, i), `Why you cannot judge ${codes[i]}`);
        expect(await reason.isVisible()).toBe(false);
        await page.keyboard.press('n');
        expect(await reason.isVisible()).toBe(true);
        expect((await active(page)).name).toBe(`reason:${codes[i]}`);
        // Cannot judge without a reason is not complete yet.
        expect(await countText(page)).toBe(`${done} of 51 conditions complete`);
        expect(await summaryText(page, i)).toMatch(/ Cannot judge to do$/);
        await page.keyboard.type(reasonOf(i));
        done++;
        expect(await countText(page)).toBe(`${done} of 51 conditions complete`);
        // Enter leaves the reason for the row (and posts nothing but the autosave).
        await page.keyboard.press('Enter');
        expect((await active(page)).tag).toBe('summary');
        expect(page.url()).toBe(url(ratePath()));
        expect(await summaryText(page, i)).toMatch(/ Cannot judge complete$/);
        continue;
      }
      await page.keyboard.press(scoreOf(i));
      done++;
      expect(await countText(page)).toBe(`${done} of 51 conditions complete`);
      expect(await summaryText(page, i)).toMatch(new RegExp(` ${scoreOf(i)} complete$`));
      if (i === 12) {
        // Screenshots mid-way: marks of both kinds, one row open.
        for (const width of [1366, 1024]) {
          await page.setViewportSize({ width, height: 800 });
          await screenshot(page, `rating-form-${width}`);
        }
        await page.setViewportSize({ width: 1366, height: 768 });
      }
    }
    expect(done).toBe(51 - SKIPPED.size);
    expect(await page.locator('[data-progress]').evaluate((el) => (el as HTMLProgressElement).value)).toBe(done);
    await expect.poll(() => page.locator('[data-save-status]').innerText()).toMatch(/^Saved \d{1,2}:\d{2}:\d{2}/);
  });

  test('u opens the first row to do and Shift+Tab reaches Submit in the bar; with three rows to do Enter posts without a question and the error summary links them; Enter on a link opens its row', async () => {
    // u opens the first row still to do (wrapping round from the last row); from there Shift+Tab
    // passes the closed rows above it to the bar.
    await page.keyboard.press('u');
    await expect.poll(() => openRows(page)).toEqual([codes[[...SKIPPED][0]!]]);
    let presses = 0;
    while ((await active(page)).text !== 'Submit my ratings' && presses++ < 40) await page.keyboard.press('Shift+Tab');
    expect((await active(page)).text).toBe('Submit my ratings');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url() === url(`${ratePath()}/submit`) && r.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    expect(refused.status()).toBe(422);
    expect(refused.request().postData()).not.toContain('confirmed=yes');
    await page.waitForLoadState('load');
    const summary = page.getByRole('alert');
    expect(await summary.innerText()).toContain('Not submitted: 3 conditions need a score or “cannot judge” with a reason:');
    const skipped = [...SKIPPED].map((i) => codes[i]!);
    const links = summary.getByRole('link');
    expect((await links.allInnerTexts()).map((t) => t.split(' ')[0])).toEqual(skipped);
    // The summary has the focus; the first missing row is open, the others closed (one at a time).
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await openRows(page)).toEqual([skipped[0]]);
    expect(await countText(page)).toBe('48 of 51 conditions complete');
    await a11y.scan(page, 'rating form, submit refused');
    await screenshot(page, 'rating-form-refused-1366');
    await summary.focus();

    // Tab to the second link, Enter: its row opens and takes the focus; a key scores it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect((await active(page)).text).toContain(skipped[1]!);
    await page.keyboard.press('Enter');
    await expect.poll(() => openRows(page)).toEqual([skipped[1]]);
    expect((await active(page)).row).toBe(skipped[1]);
    await page.keyboard.press('3');
    expect(await countText(page)).toBe('49 of 51 conditions complete');
  });

  test('u goes to each row still to do and, with none left, to Submit; Enter asks in a dialog, confirmed with the keyboard; the ratings are locked and kept', async () => {
    const skipped = [...SKIPPED].map((i) => codes[i]!);
    // From the second skipped row the next to do is the third, then (wrapping) the first.
    for (const [code, score] of [[skipped[2]!, '4'], [skipped[0]!, '2']] as const) {
      await page.keyboard.press('u');
      await expect.poll(() => openRows(page)).toEqual([code]);
      expect((await active(page)).row).toBe(code);
      const saved = page.waitForResponse((r) => r.url() === url(ratePath()) && new URLSearchParams(r.request().postData() ?? '').get('c') === code);
      await page.keyboard.press(score);
      expect((await saved).ok()).toBe(true);
    }
    expect(await countText(page)).toBe('51 of 51 conditions complete');
    await expect.poll(() => page.locator('[data-save-status]').innerText()).toMatch(/^Saved /);
    await page.keyboard.press('u');
    expect((await active(page)).text).toBe('Submit my ratings');
    expect(await page.locator('[data-save-status]').innerText()).toBe('Every condition is complete: you can submit.');

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Submit your 51 ratings of Zwolle? They are locked afterwards; only a lead can reopen them.');
    await a11y.scan(page, 'rating form, confirm submit');
    // Cancel has the focus (the safe choice); Shift+Tab goes to the button that submits.
    expect((await active(page)).text).toBe('Cancel');
    await page.keyboard.press('Shift+Tab');
    expect((await active(page)).text).toBe('Submit my ratings');
    await page.keyboard.press('Enter');
    await page.getByText(`Your ratings of ${CASE.key} are submitted.`).waitFor();

    const main = page.getByRole('main');
    expect(await main.getByRole('radio').count()).toBe(0);
    expect(await main.getByRole('button', { name: 'Submit my ratings' }).count()).toBe(0);
    const locked = page.locator('article.rating-condition');
    expect(await locked.count()).toBe(51);
    expect(await locked.nth(0).innerText()).toMatch(/Your score: 1\b/);
    expect(await locked.nth(10).innerText()).toContain(`Cannot judge — ${reasonOf(10)}`);
    expect(await locked.nth(20).innerText()).toMatch(/Your score: 3\b/); // scored after the error summary's link
    await a11y.scan(page, 'rating form, read-only');
  });

  test('on a phone (touch, 390 px) the rows, choices and bar buttons are at least 44 px tall, nothing overflows, and the bar stays in reach', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 });
    context.setDefaultTimeout(5_000);
    contexts.push(context);
    const phone = await logIn(context, RATER_B);
    await openForm(phone);
    expect(await phone.evaluate(() => window.matchMedia('(pointer: coarse)').matches)).toBe(true);
    const heights = await phone.evaluate(() => {
      const h = (sel: string) => [...document.querySelectorAll(sel)].filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => Math.round(e.getBoundingClientRect().height));
      return { summaries: h('section[data-condition] summary'), choices: h('details[open] label.choice'), bar: h('[data-rating-bar] button') };
    });
    expect(heights.summaries).toHaveLength(51);
    expect(heights.choices.length).toBeGreaterThanOrEqual(6);
    expect(heights.bar.length).toBeGreaterThanOrEqual(2);
    for (const [what, list] of Object.entries(heights)) expect(Math.min(...list), what).toBeGreaterThanOrEqual(44);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Scores by touch: a tap on a choice moves the count.
    await phone.locator('details[open] label.choice').first().tap();
    await expect.poll(() => countText(phone)).toBe('1 of 51 conditions complete');
    await screenshot(phone, 'rating-form-390');
    await a11y.scan(phone, 'rating form, phone');
  });

  test('axe found no serious or critical violations on the rating form pages', () => {
    const pages = a11y.scanned.join('\n');
    for (const expected of ['rating form, 51 conditions', 'rating form, submit refused', 'rating form, confirm submit', 'rating form, read-only', 'rating form, phone']) {
      expect(pages, `scanned:\n${pages}`).toContain(expected);
    }
  });
});
