// The reconciliation queue of the demo study in a real browser (issue 14, points 5 and 6): the demo
// loaded with `kader demo` as an operator would, the lead's queue grouped per case with each case's
// sign-off at the head of its group (a disabled Sign off that is disabled and says why), filtered to
// one case, its open items reconciled one after another with "Save and next open item" (one page load
// per item), the bulk rule's preview listing the items it would change, and the sign-off confirmed in
// the native dialog (cancelled once first: nothing changes). Every page is scanned with axe-core;
// screenshots of the queue, an item and the bulk preview at 1366, 1024 and 390 px wide go to
// test-results/screenshots/.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, closeSuite, field, launchBrowser, startServer, stopAfterFirstFailure, type RunningServer, studyNav, reviewScreenshots, loadDemo } from '../helpers/browser.ts';

const availability = browserAvailability();
const LEAD = { email: 'demo-lead@kader.example', password: 'kader-demo', name: 'Lotte de Graaf' };

describe.skipIf(availability.skip)('the reconciliation queue of the demo study, in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dataDir = '';
  let studyPath = '';
  /** The case whose open items the lead reconciles: the first group of the queue with open items. */
  const chosen = { key: '', name: '', open: 0 };
  const a11y = new A11yScanner();
  const url = (p: string) => `${server.baseUrl}${p}`;
  const queuePath = () => `${studyPath}/reconcile`;
  const group = (key: string) => page.locator(`section.recon-case[data-case="${key}"]`);


  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    ({ dataDir, studyPath } = loadDemo('reconcile-queue'));
    [server, browser] = await Promise.all([startServer({ dataDir }), launchBrowser()]);
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    context.setDefaultTimeout(5_000);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  stopAfterFirstFailure(() => (context ? context.pages() : []), () => server);

  test('the lead opens the queue: open items grouped per case, each under its sign-off, one page of bounded height', async () => {
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(LEAD.email);
    await field(page, 'Password').fill(LEAD.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));
    await page.goto(url(studyPath));
    await studyNav(page, 'Rating', 'Reconciliation');
    await page.waitForURL(url(queuePath()));
    await page.getByRole('heading', { level: 1, name: 'Reconciliation' }).waitFor();
    // Open items only, by default; every row on the page is open.
    expect(await page.getByLabel('Show', { exact: true }).inputValue()).toBe('open');
    expect(await page.locator('tr.resolved').count()).toBe(0);
    // 25 rows a page; a case that only waits for its sign-off takes one.
    expect((await page.locator('tr.open').count()) + (await page.locator('section.recon-case.head-only').count())).toBe(25);
    expect(await page.getByRole('navigation', { name: 'Pages' }).innerText()).toMatch(/Page 1 of \d+/);

    const first = page.locator('section.recon-case.state-open').first();
    chosen.key = (await first.getAttribute('data-case'))!;
    chosen.name = (await first.getByRole('heading', { level: 3 }).innerText()).trim();
    const state = (await first.locator('.recon-state').innerText()).trim();
    chosen.open = Number(/^(\d+) items? open$/.exec(state)![1]);
    expect(chosen.open).toBeGreaterThan(1);
    // The Sign off of a case with open items is disabled, looks it, and says why.
    const signOff = first.getByRole('button', { name: `Sign off · ${chosen.name}` });
    expect(await signOff.isDisabled()).toBe(true);
    expect(await signOff.getAttribute('aria-describedby')).toBe(`state-${chosen.key}`);
    const ready = page.locator('section.recon-case.state-ready').first().getByRole('button', { name: /^Sign off · / });
    const look = (b: typeof ready) => b.evaluate((el) => { const s = getComputedStyle(el); return `${s.backgroundColor} ${s.color} ${s.borderStyle} ${s.cursor}`; });
    expect(await look(signOff)).not.toBe(await look(ready));
    expect(await look(signOff)).toContain('not-allowed');

    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.info(`the demo's reconciliation queue at 1366 px: ${height} px high`);
    expect(height).toBeLessThan(4_000);
    await a11y.scan(page, 'reconcile queue, open');
    await reviewScreenshots(page, 'reconcile-queue');
  });

  test('the lead previews the bulk rule: the list of exactly the items it would change; cancelling changes nothing', async () => {
    const summary = page.locator('details.recon-bulk > summary');
    const count = Number(/\((\d+)\)$/.exec((await summary.innerText()).trim())![1]);
    await summary.click();
    await page.getByRole('group', { name: `Rule for the ${count} open minor difference(s)` }).getByRole('radio', { name: 'the lower score' }).check();
    await page.getByRole('button', { name: `Preview ${count} item(s)` }).click();
    await page.getByRole('heading', { level: 1, name: `Resolve ${count} minor difference(s) with the lower score?` }).waitFor();
    const table = page.getByRole('table', { name: 'The items the rule changes, with the final score it gives each' });
    expect(await table.locator('tbody > tr').count()).toBe(count);
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Case', 'Condition', 'Scores', 'Final score by the rule']);
    await a11y.scan(page, 'reconcile bulk preview');
    await reviewScreenshots(page, 'reconcile-bulk-preview');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL(url(queuePath()));
    expect(await page.locator('details.recon-bulk > summary').innerText()).toContain(`(${count})`);
  });

  test(`the lead narrows the queue to one case and reconciles its open items with "Save and next open item", one page load each`, async () => {
    await page.getByLabel('Case', { exact: true }).selectOption(chosen.key);
    await page.getByRole('button', { name: 'Show items' }).click();
    await page.waitForURL(url(`${queuePath()}?status=open&case=${chosen.key}&kind=all`));
    const rows = group(chosen.key).locator('tbody > tr');
    expect(await rows.count()).toBe(chosen.open);
    expect(await page.locator('section.recon-case').count()).toBe(1);
    const order = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-item')!.split(' ')[1]!)));

    await rows.first().getByRole('link').click();
    const itemPath = (code: string) => `${queuePath()}/cases/${chosen.key}/items/${encodeURIComponent(code)}`;
    await page.waitForURL(url(itemPath(order[0]!)));
    // The thread beside the scores on a wide screen.
    const scores = await page.getByRole('table', { name: 'The submitted ratings side by side' }).boundingBox();
    const thread = await page.locator('#thread').boundingBox();
    expect(thread!.x).toBeGreaterThan(scores!.x + scores!.width);
    await a11y.scan(page, 'reconcile item, open');
    await reviewScreenshots(page, 'reconcile-item');
    await page.setViewportSize({ width: 390, height: 900 });
    const stacked = [await page.getByRole('table', { name: 'The submitted ratings side by side' }).boundingBox(), await page.locator('#thread').boundingBox()];
    expect(stacked[1]!.y).toBeGreaterThan(stacked[0]!.y + stacked[0]!.height); // on a phone, below them
    await page.setViewportSize({ width: 1366, height: 900 });

    let loads = 0;
    page.on('load', () => { loads += 1; });
    for (const [i, code] of order.entries()) {
      expect(page.url()).toBe(url(itemPath(code)));
      const choices = page.getByRole('group', { name: 'Record the final score' });
      // The score one of the raters gave (its label names them).
      await choices.locator('label', { has: page.locator('.muted') }).first().locator('input').check();
      await field(page, 'Note').fill(`Discussed ${code} with both raters.`);
      await page.getByRole('button', { name: 'Save and next open item' }).click();
      await page.waitForLoadState('load');
      await page.getByText(`The final score of ${code} is saved.`).waitFor();
      if (i < order.length - 1) {
        await page.waitForURL(url(itemPath(order[i + 1]!)));
        await page.getByText(`Next open item: ${chosen.name} ${order[i + 1]}.`).waitFor();
      } else {
        // The case is done: the lead is told so, and taken on to another case's open item (or the queue).
        await page.getByText(`${chosen.name} has no open items left: sign it off in the queue.`).or(page.getByText('No open items are left.')).waitFor();
        expect(page.url()).not.toContain(`/cases/${chosen.key}/`);
      }
    }
    expect(loads).toBe(order.length);
    await a11y.scan(page, 'reconcile item, after save and next');
  });

  test('the case is ready to sign off; the lead cancels in the dialog (nothing changes), then confirms', async () => {
    await page.goto(url(`${queuePath()}?case=${chosen.key}`));
    const head = group(chosen.key);
    expect((await head.locator('.recon-state').innerText()).trim()).toBe('Ready to sign off');
    const signOff = head.getByRole('button', { name: `Sign off · ${chosen.name}` });
    expect(await signOff.isEnabled()).toBe(true);
    await page.waitForLoadState('load'); // kader.js is deferred

    await signOff.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(`Sign off ${chosen.name}? This records its final scores as complete`);
    await a11y.scan(page, 'reconcile queue, sign-off dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(page.url()).toBe(url(`${queuePath()}?case=${chosen.key}`));
    expect((await head.locator('.recon-state').innerText()).trim()).toBe('Ready to sign off');

    await signOff.click();
    await dialog.getByRole('button', { name: 'Sign off' }).click();
    await page.getByText(`Case ${chosen.key} is signed off.`).waitFor();
    expect(page.url()).toBe(url(`${queuePath()}?case=${chosen.key}`)); // back to the queue as it was
    expect((await group(chosen.key).locator('.recon-state').innerText()).trim()).toMatch(new RegExp(`^Signed off by ${LEAD.name} on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d$`));
    expect(await group(chosen.key).getByRole('button').count()).toBe(0);
    await a11y.scan(page, 'reconcile queue, signed off');
  });

  test('axe found no serious or critical violations on the pages of the queue', () => {
    const scanned = a11y.scanned.join('\n');
    for (const expected of [
      '/studies/:id/reconcile [en] reconcile queue, open',
      '/studies/:id/reconcile/bulk [en] reconcile bulk preview',
      'reconcile item, open',
      'reconcile queue, sign-off dialog',
      '/studies/:id/reconcile [en] +flash reconcile queue, signed off',
    ]) {
      expect(scanned, `scanned:\n${scanned}`).toContain(expected);
    }
  });
});
