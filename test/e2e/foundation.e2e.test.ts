// The foundation's golden path in a real browser against the real server: first run, accounts with
// one-time links, login, a study with members, the interface language, and what a researcher may not
// do. Every distinct page is scanned with axe-core; a failing test leaves a screenshot in test-results/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, field, launchBrowser, screenshotPages, closeSuite, stopAfterFirstFailure, startServer, type RunningServer, studyNav } from '../helpers/browser.ts';

const availability = browserAvailability();

const ADMIN = { name: 'Ada Admin', email: 'ada@example.org', password: 'a long admin passphrase' };
const RESEARCHER = { name: 'Rik Researcher', email: 'rik@example.org', password: 'rik chooses a passphrase' };
const STUDY = {
  title: 'Peer feedback in writing lessons',
  question: 'Does **peer feedback** improve *argumentative* writing?\n\n- in year 3\n- in year 4',
  language: 'English',
};

describe.skipIf(availability.skip)('foundation golden path in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  /** The administrator's context, shared by the whole golden path. */
  let admin: BrowserContext;
  let adminPage: Page;
  /** The second account's own browser. */
  let researcher: BrowserContext;
  let researcherPage: Page;
  let setPasswordLink = '';
  let studyPath = '';
  const a11y = new A11yScanner();
  const openPages = (): Page[] => [admin, researcher].filter(Boolean).flatMap((c) => c.pages());
  const url = (p: string) => `${server.baseUrl}${p}`;

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    admin = await browser.newContext({ locale: 'en-GB' });
    admin.setDefaultTimeout(5_000);
    adminPage = await admin.newPage();
  });

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
  });

  stopAfterFirstFailure(openPages, () => server);

  test('first run: / leads to "Create the administrator"; creating it logs the administrator in on My studies', async () => {
    const page = adminPage;
    await page.goto(url('/'));
    await expect.poll(() => new URL(page.url()).pathname).toBe('/setup');
    await expect(page.getByRole('heading', { level: 1, name: 'Create the administrator' }).isVisible()).resolves.toBe(true);
    await a11y.scan(page);

    // The accessible name leaves the required marker out (it is aria-hidden).
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).count()).toBe(1);
    await field(page, 'Name').fill(ADMIN.name);
    await field(page, 'Email address').fill(ADMIN.email);
    await field(page, 'New password').fill(ADMIN.password);
    await field(page, 'Repeat the new password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create the administrator' }).click();

    await page.waitForURL(url('/studies'));
    await page.getByRole('heading', { level: 1, name: 'My studies' }).waitFor();
    expect(await page.getByRole('status').innerText()).toContain('Welcome to Kader');
    expect(await page.getByRole('button', { name: 'Log out' }).isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).toContain(ADMIN.name);
    await a11y.scan(page);
  });

  test('the administrator creates a second account and gets a one-time set-password link', async () => {
    const page = adminPage;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await page.waitForURL(url('/admin/users'));
    await a11y.scan(page);

    await field(page, 'Name').fill(RESEARCHER.name);
    await field(page, 'Email address').fill(RESEARCHER.email);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.waitForURL(/\/admin\/users\/\d+$/);
    await page.getByRole('heading', { level: 1, name: RESEARCHER.name }).waitFor();
    const link = field(page, 'One-time link');
    expect(await link.getAttribute('id')).toBe('flash-link');
    setPasswordLink = await link.inputValue();
    expect(setPasswordLink).toMatch(new RegExp(`^${server.baseUrl}/set-password/[^/]+$`));
    expect(await page.locator('dl.facts').innerText()).toContain('waiting for a password');
    await a11y.scan(page);
  });

  test('in a new browser context the second account opens the link, chooses a password, is logged in, and logs out', async () => {
    researcher = await browser.newContext({ locale: 'en-GB' });
    researcher.setDefaultTimeout(5_000);
    researcherPage = await researcher.newPage();
    const page = researcherPage;

    await page.goto(setPasswordLink);
    await page.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();
    expect(await page.locator('main').innerText()).toContain(RESEARCHER.email);
    await a11y.scan(page);

    await field(page, 'New password').fill(RESEARCHER.password);
    await field(page, 'Repeat the new password').fill(RESEARCHER.password);
    await page.getByRole('button', { name: 'Save password and log in' }).click();

    await page.waitForURL(url('/studies'));
    expect(await page.getByRole('status').innerText()).toContain('Your password is saved and you are logged in.');
    expect(await page.getByRole('navigation', { name: 'Main' }).innerText()).toContain(RESEARCHER.name);
    // Not an administrator: no account management in the menu.
    expect(await page.getByRole('link', { name: 'Accounts' }).count()).toBe(0);
    await a11y.scan(page);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(url('/login'));
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0);

    // The link works once.
    const reused = await page.goto(setPasswordLink);
    expect(reused?.status()).toBe(410);
    await a11y.scan(page);
  });

  test('the administrator logs out and logs in again with email and password on /login', async () => {
    const page = adminPage;
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(url('/login'));
    await a11y.scan(page);

    await field(page, 'Email address').fill(ADMIN.email);
    await field(page, 'Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('The email address or password is not right');
    await a11y.scan(page, 'login failed');

    await field(page, 'Email address').fill(ADMIN.email);
    await field(page, 'Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));
    await page.getByRole('heading', { level: 1, name: 'My studies' }).waitFor();
    expect(await page.getByText('You are not a member of any study yet.').isVisible()).toBe(true);
    await a11y.scan(page);
  });

  test('the administrator creates a study and lands on its overview with the title and the rendered question', async () => {
    const page = adminPage;
    await page.getByRole('link', { name: 'New study' }).click();
    await page.waitForURL(url('/studies/new'));
    await a11y.scan(page);

    await field(page, 'Title').fill(STUDY.title);
    await field(page, 'Research question').fill(STUDY.question);
    await field(page, 'Content language').selectOption({ label: STUDY.language });
    await page.getByRole('button', { name: 'Save' }).click();

    await page.waitForURL(/\/studies\/\d+$/);
    studyPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: STUDY.title }).waitFor();
    expect(await page.getByRole('status').innerText()).toContain('The study is created; you are its lead.');
    const question = page.getByRole('region', { name: 'Research question' });
    // Markdown is rendered, not shown as source.
    expect(await question.locator('strong').innerText()).toBe('peer feedback');
    expect(await question.locator('em').innerText()).toBe('argumentative');
    expect(await question.getByRole('listitem').allInnerTexts()).toEqual(['in year 3', 'in year 4']);
    expect(await question.innerText()).not.toContain('**');
    expect(await page.locator('dl.facts').innerText()).toContain('English');
    await a11y.scan(page);
  });

  test('on the Members page the administrator adds the second account as researcher and it appears in the table', async () => {
    const page = adminPage;
    await studyNav(page, 'Study', 'Members');
    await page.waitForURL(url(`${studyPath}/members`));
    await page.getByRole('heading', { level: 2, name: 'Add a member' }).waitFor();
    await a11y.scan(page);

    await field(page, 'Email address').fill(RESEARCHER.email);
    await field(page, 'Role').selectOption({ label: 'researcher' });
    await page.getByRole('button', { name: 'Add member' }).click();

    await page.waitForURL(url(`${studyPath}/members`));
    expect(await page.getByRole('status').innerText()).toContain(`${RESEARCHER.name} (${RESEARCHER.email}) is now a member.`);
    const row = page.getByRole('row').filter({ hasText: RESEARCHER.email });
    expect(await row.count()).toBe(1);
    expect(await row.getByRole('cell').first().innerText()).toBe(RESEARCHER.name);
    expect(await field(page, `Role of ${RESEARCHER.name}`).inputValue()).toBe('researcher');
    await a11y.scan(page);
  });

  test('choosing Nederlands on My account turns the interface Dutch; after logout a nl-NL browser gets "Inloggen" and the footer switch goes back to English', async () => {
    const page = adminPage;
    await page.getByRole('link', { name: /^My account/ }).click();
    await page.waitForURL(url('/account'));
    await a11y.scan(page);

    await field(page, 'Interface language').selectOption({ label: 'Nederlands' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await page.waitForURL(url('/account'));
    await page.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    expect(await page.getByRole('status').innerText()).toContain('Je instellingen zijn opgeslagen.');
    expect(await page.getByRole('button', { name: 'Uitloggen' }).isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Onderzoeken' }).isVisible()).toBe(true);
    expect(await field(page, 'Taal van de interface').inputValue()).toBe('nl');
    await a11y.scan(page);

    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Onderzoeken' }).click();
    await page.waitForURL(url('/studies'));
    await page.getByRole('heading', { level: 1, name: 'Mijn onderzoeken' }).waitFor();
    await a11y.scan(page);

    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.waitForURL(url('/login'));
    // The session is gone: this en-GB browser is shown the English login page again.
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();

    const dutchContext = await browser.newContext({ locale: 'nl-NL' });
    try {
      dutchContext.setDefaultTimeout(5_000);
      const dutch = await dutchContext.newPage();
      await dutch.goto(url('/login'));
      await dutch.getByRole('heading', { level: 1, name: 'Inloggen' }).waitFor();
      expect(await dutch.locator('html').getAttribute('lang')).toBe('nl');
      expect(await field(dutch, 'E-mailadres').isVisible()).toBe(true);
      expect(await dutch.getByRole('button', { name: 'Inloggen' }).isVisible()).toBe(true);
      await a11y.scan(dutch);

      // The footer's language switch, for an anonymous visitor (it submits itself on change).
      await field(dutch, 'Taal').selectOption({ label: 'English' });
      await dutch.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
      expect(new URL(dutch.url()).pathname).toBe('/login');
      expect(await dutch.locator('html').getAttribute('lang')).toBe('en');
      expect(await dutch.getByRole('button', { name: 'Log in' }).isVisible()).toBe(true);
      // The choice is kept in the session, over the browser's preference.
      await dutch.reload();
      await dutch.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    } catch (err) {
      await screenshotPages('language switch (nl-NL context)', dutchContext.pages());
      throw err;
    } finally {
      await dutchContext.close();
    }
  });

  test('the researcher sees the study in My studies, gets no "Add a member" form on Members, and is refused the audit log with 403', async () => {
    const page = researcherPage;
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(RESEARCHER.email);
    await field(page, 'Password').fill(RESEARCHER.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    await page.waitForURL(url('/studies'));
    await page.getByRole('heading', { level: 1, name: 'My studies' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: STUDY.title });
    expect(await row.count()).toBe(1);
    expect(await row.getByRole('cell').nth(1).innerText()).toBe('researcher');
    await a11y.scan(page, 'my studies with a study');

    await row.getByRole('link', { name: STUDY.title }).click();
    await page.waitForURL(url(studyPath));
    await page.getByRole('heading', { level: 1, name: STUDY.title }).waitFor();
    await a11y.scan(page, 'study overview as researcher');

    await studyNav(page, 'Study', 'Members');
    // A researcher's Study group has no audit log and no settings.
    const sections = page.getByRole('navigation', { name: 'Study', exact: true });
    expect(await sections.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    expect(await sections.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await page.waitForURL(url(`${studyPath}/members`));
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: RESEARCHER.email }).innerText()).toContain('researcher');
    expect(await page.getByRole('heading', { name: 'Add a member' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add member' }).count()).toBe(0);
    // No role selectors either: only the footer's language switch is a select on this page.
    expect(await page.getByRole('main').getByRole('combobox').count()).toBe(0);
    await a11y.scan(page, 'members as researcher');

    const audit = await page.goto(url(`${studyPath}/audit`));
    expect(audit?.status()).toBe(403);
    await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
    await a11y.scan(page);
  });
});
