// Reconciliation in a real browser against the real server: accounts and a study file set up with the
// `kader` command line (as an operator would), two raters scoring one case with the keyboard and
// submitting, then the lead's reconciliation queue (the major difference first, under the case's
// disabled sign-off), an item with both rationales side by side, a message in its thread, a final
// score with a note, the minor difference resolved by the rule "the lower score" after its preview, the
// sign-off confirmed in the dialog, and a later change marked "changed after sign-off"; rater A reads
// the thread. Every distinct page is scanned with axe-core; a failing test
// leaves a screenshot in test-results/.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, closeSuite, field, launchBrowser, prepareStudy, startServer, stopAfterFirstFailure, type RunningServer, studyNav } from '../helpers/browser.ts';

const availability = browserAvailability();

const LEAD = { name: 'Lena Lead', email: 'reconcile-lead@example.org', password: 'the lead reconciles calmly' };
const RATER_A = { name: 'Anouk Akkerman', email: 'anouk@example.org', password: 'anouk rates with the keyboard' };
const RATER_B = { name: 'Bram Bosman', email: 'bram@example.org', password: 'bram rates with the keyboard too' };
const STUDY_TITLE = 'Reconciling the bijstand gate';
const CASE = { key: 'zwolle', name: 'Zwolle' };
const CODES = ['2.a', '2.b', '2.c'] as const;
type Code = (typeof CODES)[number];
/** 2.a agreed (4/4), 2.b a major difference (2/4), 2.c a minor one (3/4). */
const SCORES: Record<'a' | 'b', Record<Code, string>> = {
  a: { '2.a': '4', '2.b': '2', '2.c': '3' },
  b: { '2.a': '4', '2.b': '4', '2.c': '4' },
};
const RATIONALE: Record<'a' | 'b', Record<Code, string>> = {
  a: { '2.a': 'Anouk on 2.a: a strict gate.', '2.b': 'Anouk on 2.b: the search period is rarely applied.', '2.c': 'Anouk on 2.c: some activation.' },
  b: { '2.a': 'Bram on 2.a: strict, as the plan says.', '2.b': 'Bram on 2.b: four weeks for everyone under 27.', '2.c': 'Bram on 2.c: activation for most.' },
};
const MESSAGE = 'Bram, the policy plan says four weeks, but the interviews say it is **rarely** applied.';
const NOTE = 'Discussed with both raters: the rule exists but is applied to some groups only.';

const anchors = (topic: string) => ({ '1': `${topic}: barely`, '3': `${topic}: partly`, '5': `${topic}: fully` });
const STUDY_FILE = {
  format: 'kader.study',
  version: 1,
  study: { title: STUDY_TITLE, language: 'en', settings: { scale: { min: 1, max: 5 }, ratersPerCase: 2, blindRating: true } },
  framework: {
    title: 'A three-condition framework',
    levels: [{ number: 0, name: 'Outcome' }, { number: 2, name: 'Policy' }],
    categories: [],
    conditions: [
      { code: '0', level: 0, name: 'Share of people in bijstand', polarity: 'lower-is-favourable', kind: 'measured' },
      { code: '2.a', level: 2, name: 'Strict gate', description: 'How strict the **gate** is.', anchors: anchors('Strict'), polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '2.b', level: 2, name: 'Search period', anchors: anchors('Search'), polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '2.c', level: 2, name: 'Activation', anchors: anchors('Activation'), polarity: 'higher-is-favourable', kind: 'rated' },
    ],
  },
  members: [
    { email: RATER_A.email, name: RATER_A.name, role: 'researcher' },
    { email: RATER_B.email, name: RATER_B.name, role: 'researcher' },
  ],
  cases: [{ key: CASE.key, name: CASE.name, raters: [RATER_A.email, RATER_B.email] }],
};

describe.skipIf(availability.skip)('reconciling one case rated by two raters, in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let lead: BrowserContext;
  let raterA: BrowserContext;
  let raterB: BrowserContext;
  let leadPage: Page;
  let pageA: Page;
  let pageB: Page;
  let dataDir = '';
  let studyPath = '';
  const a11y = new A11yScanner();
  const openPages = (): Page[] => [lead, raterA, raterB].filter(Boolean).flatMap((c) => c.pages());
  const url = (p: string) => `${server.baseUrl}${p}`;
  const ratePath = () => `${studyPath}/cases/${CASE.key}/rate`;
  const queuePath = () => `${studyPath}/reconcile`;
  const itemPath = (code: Code) => `${queuePath()}/cases/${CASE.key}/items/${code}`;

  const section = (page: Page, code: string) => page.locator(`section[data-condition="${code}"]`);
  const checkedScore = (page: Page, code: string) =>
    section(page, code).evaluate((el, name) => (el.querySelector(`input[type="radio"][name="${name}"]:checked`) as HTMLInputElement | null)?.value ?? '', `score:${code}`);
  const autosaveOf = (page: Page, code: string, score: string) =>
    page.waitForResponse((r) => {
      if (r.url() !== url(ratePath()) || r.request().method() !== 'POST') return false;
      const fields = new URLSearchParams(r.request().postData() ?? '');
      return fields.get('c') === code && fields.get(`score:${code}`) === score;
    });
  const queueTable = (page: Page) => page.getByRole('table', { name: `Items of ${CASE.name}, open items first, largest difference first` });
  /** The head of the case's group in the queue: its name, sign-off state and Sign off button. */
  const caseHead = (page: Page) => page.locator(`section.recon-case[data-case="${CASE.key}"] .recon-case-head`);
  /** The queue's body rows as their text, in page order. */
  const queueRows = async (page: Page) => (await queueTable(page).locator('tbody > tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  const sideBySide = (page: Page) => page.getByRole('table', { name: 'The submitted ratings side by side' });

  const logIn = async (who: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ locale: 'en-GB' });
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(who.email);
    await field(page, 'Password').fill(who.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));
    return { context, page };
  };

  /**
   * Rates every condition with the keyboard (focus the first condition, then the score key and j
   * for the next), types the rationales, and submits; rating.js saves what still waits first.
   */
  const rateAndSubmit = async (page: Page, who: 'a' | 'b') => {
    await page.goto(url(studyPath));
    await studyNav(page, 'Rating', 'My cases');
    await page.waitForURL(url(`${studyPath}/my-cases`));
    await page.getByRole('row').filter({ hasText: CASE.name }).getByRole('link', { name: `Rate ${CASE.name}` }).click();
    await page.waitForURL(url(ratePath()));
    await page.getByRole('heading', { level: 1, name: `Rate ${CASE.name}` }).waitFor();
    await page.waitForLoadState('load'); // rating.js is deferred
    await a11y.scan(page, 'rating form, editable');

    await section(page, CODES[0]).focus();
    for (const [i, code] of CODES.entries()) {
      if (i > 0) await page.keyboard.press('j');
      const saved = autosaveOf(page, code, SCORES[who][code]);
      await page.keyboard.press(SCORES[who][code]);
      expect((await saved).ok()).toBe(true);
      expect(await checkedScore(page, code)).toBe(SCORES[who][code]);
    }
    for (const code of CODES) {
      // One condition is open at a time: open its row first.
      if (!(await section(page, code).locator('details').evaluate((d) => (d as HTMLDetailsElement).open))) await section(page, code).locator('summary').click();
      await field(page, `Rationale for ${code}`).fill(RATIONALE[who][code]);
    }
    await page.getByRole('button', { name: 'Submit my ratings' }).click();
    // Submitting asks first (a native dialog).
    await page.getByRole('dialog').getByRole('button', { name: 'Submit my ratings' }).click();
    await page.getByText(`Your ratings of ${CASE.key} are submitted.`).waitFor();
    expect(await page.getByRole('main').getByRole('radio').count()).toBe(0);
  };

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    // The operator's set-up, before the server starts: three accounts and the study, owned by the lead.
    ({ dataDir, studyPath } = prepareStudy('reconcile', [LEAD, RATER_A, RATER_B], STUDY_FILE, LEAD.email));
    [server, browser] = await Promise.all([startServer({ dataDir }), launchBrowser()]);
  });

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  stopAfterFirstFailure(openPages, () => server);

  test('rater A and rater B log in, score every condition of Zwolle with the keyboard (B differs by two points on 2.b and one on 2.c) and submit', async () => {
    ({ context: raterA, page: pageA } = await logIn(RATER_A));
    ({ context: raterB, page: pageB } = await logIn(RATER_B));
    await rateAndSubmit(pageA, 'a');
    await rateAndSubmit(pageB, 'b');
  });

  test('the lead opens the reconciliation queue: the major difference first, then the minor one; the agreed condition is not there', async () => {
    ({ context: lead, page: leadPage } = await logIn(LEAD));
    const page = leadPage;
    await page.goto(url(studyPath));
    await studyNav(page, 'Rating', 'Reconciliation');
    await page.waitForURL(url(queuePath()));
    await page.getByRole('heading', { level: 1, name: 'Reconciliation' }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: /^Items: / }).innerText()).toBe('Items: 2 open, 0 resolved');
    const rows = await queueRows(page);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('2.b Search period');
    expect(rows[0]).toContain('major (2+ points)');
    expect(rows[0]).toContain(`${RATER_A.name}: 2`);
    expect(rows[0]).toContain(`${RATER_B.name}: 4`);
    expect(rows[1]).toContain('2.c Activation');
    expect(rows[1]).toContain('minor (1 point)');
    expect(rows.join('\n')).not.toContain('2.a');
    expect(await caseHead(page).locator('.recon-state').innerText()).toBe('2 items open');
    expect(await caseHead(page).getByRole('button', { name: `Sign off · ${CASE.name}` }).isDisabled()).toBe(true);
    await a11y.scan(page, 'reconcile queue, open');
  });

  test('the lead opens the major item, sees both rationales side by side, posts a message and records a final score with a note', async () => {
    const page = leadPage;
    await queueTable(page).getByRole('link', { name: '2.b Search period' }).click();
    await page.waitForURL(url(itemPath('2.b')));
    await page.getByRole('heading', { level: 1, name: `${CASE.name}: 2.b` }).waitFor();
    const table = sideBySide(page);
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Part of the rating', RATER_A.name, RATER_B.name]);
    const rationales = await table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Rationale' }) }).getByRole('cell').allInnerTexts();
    expect(rationales.map((t) => t.trim())).toEqual([RATIONALE.a['2.b'], RATIONALE.b['2.b']]);
    const scores = await table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Score' }) }).getByRole('cell').allInnerTexts();
    expect(scores.map((t) => t.trim())).toEqual(['2', '4']);
    expect(await page.getByText('No final score yet.').isVisible()).toBe(true);
    await a11y.scan(page, 'reconcile item, open');

    await field(page, 'Message').fill(MESSAGE);
    await page.getByRole('button', { name: 'Post message' }).click();
    await page.waitForURL(url(`${itemPath('2.b')}#thread`));
    const thread = page.locator('#thread');
    await thread.locator('ol.comments > li').first().waitFor();
    expect(await thread.locator('ol.comments > li').first().innerText()).toContain(LEAD.name);
    expect(await thread.locator('ol.comments strong').filter({ hasText: 'rarely' }).count()).toBe(1); // Markdown rendered

    await page.getByRole('group', { name: 'Record the final score' }).getByRole('radio', { name: '3', exact: true }).check();
    await field(page, 'Note').fill(NOTE);
    await page.getByRole('button', { name: 'Save final score' }).click();
    await page.getByText('The final score of 2.b is saved.').waitFor();
    const decision = page.locator('section.decision');
    expect(await decision.locator('strong.score').innerText()).toBe('3');
    expect(await decision.innerText()).toContain(`by ${LEAD.name}`);
    expect(await decision.innerText()).toContain(NOTE);
    await a11y.scan(page, 'reconcile item, decided');
  });

  test('the lead resolves the minor difference by the rule "the lower score" after its preview, and signs off the case in the dialog', async () => {
    const page = leadPage;
    await page.goto(url(queuePath()));
    await page.locator('details.recon-bulk > summary').click();
    const bulk = page.getByRole('group', { name: 'Rule for the 1 open minor difference(s)' });
    await bulk.getByRole('radio', { name: 'the lower score' }).check();
    await page.getByRole('button', { name: 'Preview 1 item(s)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Resolve 1 minor difference(s) with the lower score?' }).waitFor();
    const preview = page.getByRole('table', { name: 'The items the rule changes, with the final score it gives each' });
    expect((await preview.locator('tbody > tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      `${CASE.name} 2.c Activation ${RATER_A.name}: 3 ${RATER_B.name}: 4 3`,
    ]);
    await a11y.scan(page, 'reconcile bulk preview');
    await page.getByRole('button', { name: 'Resolve 1 item(s)' }).click();
    await page.getByText('1 minor difference(s) resolved with the lower score.').waitFor();
    expect(await page.getByRole('heading', { level: 2, name: /^Items: / }).innerText()).toBe('Items: 0 open, 2 resolved');
    expect(await caseHead(page).locator('.recon-state').innerText()).toBe('Ready to sign off');
    await a11y.scan(page, 'reconcile queue, resolved');
    await page.goto(url(`${queuePath()}?status=all`));
    const rows = await queueRows(page);
    expect(rows.find((r) => r.includes('2.c'))).toContain('3 by the rule “the lower score”');
    expect(rows.find((r) => r.includes('2.b'))).toContain(`3 by ${LEAD.name}`);

    await page.waitForLoadState('load'); // kader.js asks in a dialog
    await caseHead(page).getByRole('button', { name: `Sign off · ${CASE.name}` }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toContain(`Sign off ${CASE.name}?`);
    await dialog.getByRole('button', { name: 'Sign off' }).click();
    await page.getByText(`Case ${CASE.key} is signed off.`).waitFor();
    expect(page.url()).toBe(url(`${queuePath()}?status=all`));
    expect(await caseHead(page).locator('.recon-state').innerText()).toContain(`Signed off by ${LEAD.name}`);
    expect(await caseHead(page).innerText()).not.toContain('Changed after sign-off');
    await a11y.scan(page, 'reconcile queue, signed off');
  });

  test('the lead changes the final score of 2.b: the case is marked "changed after sign-off"', async () => {
    const page = leadPage;
    await page.goto(url(itemPath('2.b')));
    await page.getByRole('group', { name: 'Change the final score' }).getByRole('radio', { name: `2 (${RATER_A.name})`, exact: true }).check();
    await field(page, 'Note').fill(`${NOTE} On reflection the lower score fits the interviews better.`);
    await page.getByRole('button', { name: 'Save final score' }).click();
    await page.getByText('The final score of 2.b is saved.').waitFor();
    expect(await page.locator('section.decision strong.score').innerText()).toBe('2');

    await page.goto(url(queuePath()));
    const head = caseHead(page);
    expect(await head.locator('.recon-state').innerText()).toMatch(new RegExp(`^Changed after sign-off \\(signed off by ${LEAD.name} on `));
    expect(await head.getByRole('button', { name: `Sign off again · ${CASE.name}` }).isEnabled()).toBe(true);
    await a11y.scan(page, 'reconcile queue, changed after sign-off');
  });

  test('rater A opens the item from the queue and reads the lead’s message; a rater records no final score', async () => {
    const page = pageA;
    await page.goto(url(studyPath));
    await studyNav(page, 'Rating', 'Reconciliation');
    await page.waitForURL(url(queuePath()));
    expect(await page.locator('details.recon-bulk').count()).toBe(0);
    expect(await caseHead(page).getByRole('button').count()).toBe(0);
    await page.getByLabel('Show', { exact: true }).selectOption('all');
    await page.getByRole('button', { name: 'Show items' }).click();
    await a11y.scan(page, 'reconcile queue, rater');
    await queueTable(page).getByRole('link', { name: '2.b Search period' }).click();
    await page.waitForURL(url(itemPath('2.b')));
    const comment = page.locator('#thread ol.comments > li').first();
    expect(await comment.innerText()).toContain(LEAD.name);
    expect(await comment.innerText()).toContain('Bram, the policy plan says four weeks, but the interviews say it is rarely applied.');
    expect(await page.getByRole('button', { name: 'Save final score' }).count()).toBe(0);
    expect(await page.locator('section.decision strong.score').innerText()).toBe('2');
    await a11y.scan(page, 'reconcile item, rater');
  });

  test('axe found no serious or critical violations on the reconciliation pages', () => {
    const pages = a11y.scanned.join('\n');
    for (const expected of [
      '/studies/:id/reconcile [en] reconcile queue, open',
      `/studies/:id/reconcile/cases/${CASE.key}/items/2.b [en] reconcile item, open`,
      `/studies/:id/reconcile/cases/${CASE.key}/items/2.b [en] +flash reconcile item, decided`,
      '/studies/:id/reconcile/bulk [en] reconcile bulk preview',
      '/studies/:id/reconcile [en] +flash reconcile queue, resolved',
      '/studies/:id/reconcile [en] +flash reconcile queue, signed off',
      '/studies/:id/reconcile [en] reconcile queue, changed after sign-off',
      '/studies/:id/reconcile [en] reconcile queue, rater',
      `/studies/:id/reconcile/cases/${CASE.key}/items/2.b [en] reconcile item, rater`,
    ]) {
      expect(pages, `scanned:\n${pages}`).toContain(expected);
    }
  });
});
