// Rating in a real browser against the real server: two researchers assigned to one case by an
// imported study file, the rating form driven by the keyboard (4, j, 2, j, n) with its background
// autosave kept across a reload, submitting refused with the missing condition codes and locked
// afterwards, and the lead's ratings page blind (no rationale leaks) until both raters submitted,
// then side by side. Every distinct page is scanned with axe-core; a failing test leaves a
// screenshot in test-results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, field, launchBrowser, closeSuite, stopAfterFirstFailure, startServer, type RunningServer, studyNav } from '../helpers/browser.ts';

const availability = browserAvailability();

const ADMIN = { name: 'Administrator', email: 'rating-lead@example.org', password: 'the rating lead passphrase' };
const RATER_A = { name: 'Anouk Akkerman', email: 'anouk@example.org', password: 'anouk rates with the keyboard' };
const RATER_B = { name: 'Bram Bosman', email: 'bram@example.org', password: 'bram rates with the mouse' };
const STUDY_TITLE = 'Rating the bijstand gate';
const CASE = { key: 'zwolle', name: 'Zwolle' };
const CODES = ['2.a', '2.b', '2.c'] as const;
/** What A types: the reason for "cannot judge" 2.c, and a rationale (also for 2.c). */
const A_REASON = 'No interview touched the werkgeversservicepunt.';
const A_RATIONALE = 'Anouk’s rationale: the gate is strict but the documents are thin.';
/** B's scores and rationales, rated with the mouse. */
const B_SCORES: Record<(typeof CODES)[number], { score: string; rationale: string }> = {
  '2.a': { score: '3', rationale: 'Bram on 2.a: a middling gate.' },
  '2.b': { score: '5', rationale: 'Bram on 2.b: very strict.' },
  '2.c': { score: '1', rationale: 'Bram on 2.c: hardly any activation.' },
};

const anchors = (topic: string) => ({ '1': `${topic}: barely`, '3': `${topic}: partly`, '5': `${topic}: fully` });
/** A small study file: the administrator (who imports it) becomes its lead. */
const STUDY_FILE = {
  format: 'kader.study',
  version: 1,
  study: { title: STUDY_TITLE, language: 'en', settings: { scale: { min: 1, max: 5 }, ratersPerCase: 2, blindRating: true } },
  framework: {
    title: 'A three-condition framework',
    levels: [
      { number: 0, name: 'Outcome' },
      { number: 2, name: 'Policy' },
    ],
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
  cases: [{ key: CASE.key, name: CASE.name, measures: { '0': 4.2 }, raters: [RATER_A.email, RATER_B.email] }],
};

describe.skipIf(availability.skip)('blind rating of one case by two raters in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: BrowserContext;
  let raterA: BrowserContext;
  let raterB: BrowserContext;
  let adminPage: Page;
  let pageA: Page;
  let pageB: Page;
  let tmpDir = '';
  /** /studies/:id of the imported study. */
  let studyPath = '';
  const a11y = new A11yScanner();
  const openPages = (): Page[] => [admin, raterA, raterB].filter(Boolean).flatMap((c) => c.pages());
  const url = (p: string) => `${server.baseUrl}${p}`;
  const ratePath = () => `${studyPath}/cases/${CASE.key}/rate`;
  const ratingsPath = () => `${studyPath}/cases/${CASE.key}/ratings`;

  /** The section of one condition on the rating form. */
  const section = (page: Page, code: string) => page.locator(`section[data-condition="${code}"]`);
  const scoreGroup = (page: Page, code: string) => page.getByRole('group', { name: `Score for ${code}` });
  /** The value of the checked score of a condition ('' when none is). */
  const checkedScore = (page: Page, code: string) =>
    section(page, code).evaluate((el, name) => (el.querySelector(`input[type="radio"][name="${name}"]:checked`) as HTMLInputElement | null)?.value ?? '', `score:${code}`);
  const saveStatus = (page: Page) => page.locator('[data-save-status]');
  /** Opens a condition's row (one is open at a time) by clicking its summary, unless it is open. */
  const openRow = async (page: Page, code: string) => {
    if (!(await section(page, code).locator('details').evaluate((d) => (d as HTMLDetailsElement).open))) await section(page, code).locator('summary').click();
  };
  /** Answers the confirmation dialog kader.js shows before an irreversible action. */
  const confirmDialog = async (page: Page, button: string) => {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: button }).click();
  };
  /** Waits for the autosave POST of one condition whose posted fields pass `check`. */
  const autosaveOf = (page: Page, code: string, check: (fields: URLSearchParams) => boolean = () => true) =>
    page.waitForResponse((r) => {
      if (r.url() !== url(ratePath()) || r.request().method() !== 'POST') return false;
      const fields = new URLSearchParams(r.request().postData() ?? '');
      return fields.get('c') === code && check(fields);
    });


  /** Creates an account on /admin/users; the one-time link opened in a new context sets its password. */
  const createAccount = async (who: { name: string; email: string; password: string }): Promise<BrowserContext> => {
    const page = adminPage;
    await page.goto(url('/admin/users'));
    await field(page, 'Name').fill(who.name);
    await field(page, 'Email address').fill(who.email);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/admin\/users\/\d+$/);
    const link = await page.locator('#flash-link').inputValue();
    expect(link).toMatch(new RegExp(`^${server.baseUrl}/set-password/[^/]+$`));

    const context = await browser.newContext({ locale: 'en-GB' });
    context.setDefaultTimeout(5_000);
    const own = await context.newPage();
    await own.goto(link);
    await field(own, 'New password').fill(who.password);
    await field(own, 'Repeat the new password').fill(who.password);
    await own.getByRole('button', { name: 'Save password and log in' }).click();
    await own.waitForURL(url('/studies'));
    return context;
  };

  /** Opens "My cases" of the study and follows "Rate" of the case to the rating form. */
  const openRatingForm = async (page: Page, checkRow?: (row: Locator) => Promise<void>): Promise<void> => {
    await page.goto(url(studyPath));
    await studyNav(page, 'Rating', 'My cases');
    await page.waitForURL(url(`${studyPath}/my-cases`));
    await page.getByRole('heading', { level: 1, name: 'My cases' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: CASE.name });
    await checkRow?.(row);
    await a11y.scan(page);
    await row.getByRole('link', { name: `Rate ${CASE.name}` }).click();
    await page.waitForURL(url(ratePath()));
    await page.getByRole('heading', { level: 1, name: `Rate ${CASE.name}` }).waitFor();
    // rating.js is deferred: wait until it ran.
    await page.waitForLoadState('load');
  };

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-e2e-rating-'));
    [server, browser] = await Promise.all([
      startServer({ env: { KADER_ADMIN_EMAIL: ADMIN.email, KADER_ADMIN_PASSWORD: ADMIN.password } }),
      launchBrowser(),
    ]);
    admin = await browser.newContext({ locale: 'en-GB' });
    admin.setDefaultTimeout(5_000);
    adminPage = await admin.newPage();
  });

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  stopAfterFirstFailure(openPages, () => server);

  test('the administrator makes accounts for two researchers, imports a study file assigning both to the case Zwolle, and sees them on the assignment page', async () => {
    const page = adminPage;
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(ADMIN.email);
    await field(page, 'Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));

    raterA = await createAccount(RATER_A);
    raterB = await createAccount(RATER_B);
    pageA = raterA.pages()[0]!;
    pageB = raterB.pages()[0]!;

    const file = path.join(tmpDir, 'rating-study.json');
    fs.writeFileSync(file, JSON.stringify(STUDY_FILE, null, 2));
    await page.goto(url('/studies/import'));
    await field(page, 'Study file').setInputFiles(file);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForURL(/\/studies\/\d+$/);
    studyPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: STUDY_TITLE }).waitFor();
    expect(await page.getByRole('status').innerText()).toContain('The study file is imported.');

    await studyNav(page, 'Rating', 'Assignment');
    await page.waitForURL(url(`${studyPath}/assignment`));
    await page.getByRole('heading', { level: 1, name: 'Assignment of raters' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${CASE.name}`) }) });
    expect(await row.count()).toBe(1);
    expect(await row.locator('ol.rater-list > li').allInnerTexts()).toEqual([
      expect.stringContaining(RATER_A.name),
      expect.stringContaining(RATER_B.name),
    ]);
    expect(await row.locator('ol.rater-list').innerText()).toContain('0 drafts, 0 submitted');
    await a11y.scan(page);
  });

  test('rater A opens "My cases", follows "Rate", scores with the keyboard only (4, j, 2, j, n + a reason), types a rationale; the autosave says "Saved" and a reload shows it all kept without pressing Save', async () => {
    const page = pageA;
    await openRatingForm(page, (row) => row.innerText().then((text) => {
      expect(text).toContain('0 of 3 conditions rated');
      expect(text).toContain('not submitted');
    }));

    expect(await page.locator('section[data-condition]').evaluateAll((els) => els.map((e) => e.getAttribute('data-condition')))).toEqual([...CODES]);
    expect(await page.getByText('Keyboard: 1–5 sets the score of the condition you are in').isVisible()).toBe(true);
    await a11y.scan(page, 'rating form, editable');

    // Focus the first condition; from here on only keys.
    await section(page, '2.a').focus();
    const savedA = autosaveOf(page, '2.a', (f) => f.get('score:2.a') === '4');
    await page.keyboard.press('4');
    expect(await (await savedA).json()).toMatchObject({ ok: true });
    expect(await checkedScore(page, '2.a')).toBe('4');

    await page.keyboard.press('j');
    // j opens 2.b (closing 2.a) and focuses its summary.
    expect(await section(page, '2.b').evaluate((el) => el.contains(document.activeElement) && document.activeElement!.tagName === 'SUMMARY')).toBe(true);
    expect(await section(page, '2.a').locator('details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    const savedB = autosaveOf(page, '2.b', (f) => f.get('score:2.b') === '2');
    await page.keyboard.press('2');
    expect((await savedB).ok()).toBe(true);
    expect(await checkedScore(page, '2.b')).toBe('2');
    // The 2 went to 2.b only.
    expect(await checkedScore(page, '2.a')).toBe('4');

    await page.keyboard.press('j');
    await page.keyboard.press('n');
    expect(await checkedScore(page, '2.c')).toBe('n');
    // "n" moves the focus to the reason; the n itself is not typed there.
    const reason = field(page, 'Why you cannot judge 2.c');
    expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await reason.inputValue()).toBe('');
    await page.keyboard.type(A_REASON);
    await page.keyboard.press('Tab');
    const rationale = field(page, 'Rationale for 2.c');
    expect(await rationale.evaluate((el) => el === document.activeElement)).toBe(true);
    const savedC = autosaveOf(page, '2.c', (f) => f.get('score:2.c') === 'n' && f.get('reason:2.c') === A_REASON && f.get('rationale:2.c') === A_RATIONALE);
    await page.keyboard.type(A_RATIONALE);
    expect((await savedC).ok()).toBe(true);
    await expect.poll(() => saveStatus(page).innerText()).toMatch(/^Saved \d{1,2}:\d{2}:\d{2}/);
    expect(await saveStatus(page).getAttribute('role')).toBe('status');
    expect(await saveStatus(page).evaluate((el) => el.classList.contains('failed'))).toBe(false);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Rate ${CASE.name}` }).waitFor();
    expect(await checkedScore(page, '2.a')).toBe('4');
    expect(await checkedScore(page, '2.b')).toBe('2');
    expect(await checkedScore(page, '2.c')).toBe('n');
    // Every row is complete, so all are closed; each summary shows its score.
    expect(await page.locator('section[data-condition] summary').allInnerTexts()).toEqual([
      expect.stringMatching(/^2\.a Strict gate\s+4\s+complete$/),
      expect.stringMatching(/^2\.b Search period\s+2\s+complete$/),
      expect.stringMatching(/^2\.c Activation\s+Cannot judge\s+complete$/),
    ]);
    await openRow(page, '2.c');
    expect(await scoreGroup(page, '2.c').getByRole('radio', { name: 'Cannot judge' }).isChecked()).toBe(true);
    expect(await field(page, 'Why you cannot judge 2.c').inputValue()).toBe(A_REASON);
    expect(await field(page, 'Rationale for 2.c').inputValue()).toBe(A_RATIONALE);
    expect(await page.locator('[data-progress-text]').innerText()).toBe('3 of 3 conditions complete');
    // No flash: nothing was saved through the Save button.
    expect(await page.locator('.flash').count()).toBe(0);
  });

  test('rater B submits too early (only 2.a rated) and is told 2.b and 2.c are missing; rater A submits and the form is read-only afterwards', async () => {
    const page = pageB;
    await openRatingForm(page);
    const saved = autosaveOf(page, '2.a', (f) => f.get('score:2.a') === B_SCORES['2.a'].score);
    await scoreGroup(page, '2.a').getByRole('radio', { name: new RegExp(`^${B_SCORES['2.a'].score}\\b`) }).check();
    expect((await saved).ok()).toBe(true);

    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url() === url(`${ratePath()}/submit`) && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Submit my ratings' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    const alert = page.getByRole('alert').filter({ hasText: 'Not submitted' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Not submitted: 2 conditions need a score or “cannot judge” with a reason:');
    expect(await alert.getByRole('link').allInnerTexts()).toEqual(['2.b Search period', '2.c Activation']);
    expect(await section(page, '2.b').innerText()).toContain('Needs a score, or “cannot judge” with a reason.');
    expect(await section(page, '2.a').innerText()).not.toContain('Needs a score');
    // The refused page still shows what was saved.
    expect(await checkedScore(page, '2.a')).toBe(B_SCORES['2.a'].score);
    await a11y.scan(page, 'rating form, submit refused');

    await pageA.getByRole('button', { name: 'Submit my ratings' }).click();
    await confirmDialog(pageA, 'Submit my ratings');
    // The form posts and comes back to the same address: wait for the answer, not for the URL.
    await pageA.getByText(`Your ratings of ${CASE.key} are submitted.`).waitFor();
    const main = pageA.getByRole('main');
    expect(await main.getByRole('radio').count()).toBe(0);
    expect(await main.getByRole('textbox').count()).toBe(0);
    expect(await main.getByRole('button', { name: 'Submit my ratings' }).count()).toBe(0);
    expect(await main.innerText()).toContain('You submitted your ratings on');
    const c = pageA.locator('article.rating-condition').filter({ has: pageA.getByRole('heading', { name: /^2\.c / }) });
    expect(await c.innerText()).toContain(`Cannot judge — ${A_REASON}`);
    expect(await c.innerText()).toContain(A_RATIONALE);
    expect(await pageA.locator('article.rating-condition').filter({ has: pageA.getByRole('heading', { name: /^2\.a / }) }).innerText()).toMatch(/Your score: 4\s*$/);
    await a11y.scan(pageA, 'rating form, read-only');

    // The keyboard does nothing on the locked form, and nothing is posted.
    let posted = 0;
    pageA.on('request', (r) => { if (r.method() === 'POST') posted++; });
    await pageA.keyboard.press('3');
    await pageA.waitForTimeout(300);
    expect(posted).toBe(0);
  });

  test('the lead opens the ratings page of Zwolle: it is blind until all raters have submitted and A\'s rationale and reason appear nowhere on it', async () => {
    const page = adminPage;
    await page.goto(url(`${studyPath}/cases/${CASE.key}`));
    await page.getByRole('main').getByRole('link', { name: 'Ratings', exact: true }).click();
    await page.waitForURL(url(ratingsPath()));
    await page.getByRole('heading', { level: 1, name: `Ratings of ${CASE.name}` }).waitFor();

    expect(await page.getByRole('note').innerText()).toContain('Blind until all raters have submitted.');
    const progress = page.locator('ul.rater-progress > li');
    expect(await progress.filter({ hasText: RATER_A.name }).innerText()).toMatch(/Submitted\s+3 submitted, 0 drafts of 3/);
    expect(await progress.filter({ hasText: RATER_B.name }).innerText()).toMatch(/Not submitted\s+0 submitted, 1 drafts of 3/);
    expect(await page.getByRole('table').count()).toBe(0);
    const html = await page.content();
    for (const secret of [A_RATIONALE, A_REASON, 'Anouk’s rationale', B_SCORES['2.a'].rationale]) {
      expect(html, `the blind page leaks "${secret}"`).not.toContain(secret);
    }
    expect(html).not.toContain('Strict: ');
    await a11y.scan(page, 'ratings page, blind');
  });

  test('rater B rates all three with the mouse and submits at once (the waiting autosave is saved first); the lead\'s ratings page then shows both raters\' scores and rationales side by side', async () => {
    const page = pageB;
    await page.goto(url(ratePath()));
    await page.waitForLoadState('load');
    for (const code of CODES) {
      const { score, rationale } = B_SCORES[code];
      await openRow(page, code);
      await scoreGroup(page, code).getByRole('radio', { name: new RegExp(`^${score}\\b`) }).check();
      await field(page, `Rationale for ${code}`).fill(rationale);
    }
    // Submitted at once, while the autosave of the last rationale still waits: rating.js saves it first.
    expect(await saveStatus(page).innerText()).not.toMatch(/Not saved/);
    await page.getByRole('button', { name: 'Submit my ratings' }).click();
    await confirmDialog(page, 'Submit my ratings');
    // The form posts and comes back to the same address: wait for the answer, not for the URL.
    await page.getByText(`Your ratings of ${CASE.key} are submitted.`).waitFor();
    expect(await page.getByRole('main').getByRole('radio').count()).toBe(0);

    const lead = adminPage;
    await lead.goto(url(ratingsPath()));
    expect(await lead.getByRole('note').count()).toBe(0);
    const table = lead.getByRole('table', { name: `Submitted scores of ${CASE.name} by condition` });
    await table.waitFor();
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Condition', RATER_A.name, RATER_B.name]);
    const cells = async (code: string) => {
      const row = table.getByRole('row').filter({ has: lead.getByRole('rowheader', { name: new RegExp(`^${code.replace('.', '\\.')} `) }) });
      return row.getByRole('cell').allInnerTexts();
    };
    const [a2a, b2a] = await cells('2.a');
    expect(a2a).toMatch(/^4\b/);
    expect(b2a).toMatch(/^3\b/);
    expect(b2a).toContain(B_SCORES['2.a'].rationale);
    const [a2b, b2b] = await cells('2.b');
    expect(a2b).toMatch(/^2\b/);
    expect(b2b).toMatch(/^5\b/);
    expect(b2b).toContain(B_SCORES['2.b'].rationale);
    const [a2c, b2c] = await cells('2.c');
    expect(a2c).toContain(`Cannot judge — ${A_REASON}`);
    expect(a2c).toContain(A_RATIONALE);
    expect(b2c).toMatch(/^1\b/);
    expect(b2c).toContain(B_SCORES['2.c'].rationale);
    const progress = lead.locator('ul.rater-progress > li');
    expect(await progress.filter({ hasText: RATER_B.name }).innerText()).toMatch(/Submitted\s+3 submitted, 0 drafts of 3/);
    await a11y.scan(lead, 'ratings page, open');

    // Each rater's "My cases" says submitted.
    await pageA.goto(url(`${studyPath}/my-cases`));
    expect(await pageA.getByRole('row').filter({ hasText: CASE.name }).innerText()).toMatch(/3 of 3 conditions rated · 0 drafts · submitted/);
  });

  test('axe found no serious or critical violations on the rating pages', () => {
    const pages = a11y.scanned.join('\n');
    for (const expected of [
      '/studies/:id/assignment [en] ',
      '/studies/:id/my-cases [en] ',
      `/studies/:id/cases/${CASE.key}/rate [en] rating form, editable`,
      `/studies/:id/cases/${CASE.key}/rate/submit [en] +flash rating form, submit refused`,
      `/studies/:id/cases/${CASE.key}/rate [en] +flash rating form, read-only`,
      `/studies/:id/cases/${CASE.key}/ratings [en] ratings page, blind`,
      `/studies/:id/cases/${CASE.key}/ratings [en] ratings page, open`,
    ]) {
      expect(pages, `scanned:\n${pages}`).toContain(expected);
    }
  });
});
