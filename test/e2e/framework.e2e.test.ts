// The framework in a real browser against the real server: a study from the bijstand template, its
// framework page (cards, diagram, in-page links), the editor (a condition with anchors, a relation the
// server refuses until it is marked as feedback), what a researcher may not do, and importing a study
// file (a good one, and a broken one whose problems are all listed). Every distinct page is scanned
// with axe-core; a failing test leaves a screenshot in test-results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, field, launchBrowser, closeSuite, stopAfterFirstFailure, startServer, type RunningServer, studyNav } from '../helpers/browser.ts';
import { ROOT } from '../helpers/processes.ts';

const availability = browserAvailability();

const ADMIN = { email: 'lead@example.org', password: 'the lead admin passphrase' };
const RESEARCHER = { name: 'Rosa Researcher', email: 'rosa@example.org', password: 'rosa picks a passphrase' };
const STUDY_TITLE = 'Bijstand budgets, framework walk-through';
const BIJSTAND_OPTION = /^The bijstand framework/;
const ATLAS_FILE = path.resolve(ROOT, '../shared/fixtures/atlas-2017-scores.json');
const ATLAS_TITLE = 'Van budget naar besteding (2017): scores per gemeente';
const EDITED = {
  name: 'Selectie aan de poort (bewerkt in de browser)',
  anchor1: 'Geen enkele drempel bij de toegang',
  anchor5: 'Zoektermijn, fysieke drempel en administratieve controle samen',
};

describe.skipIf(availability.skip)('framework and study files in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: BrowserContext;
  let adminPage: Page;
  let researcher: BrowserContext;
  let researcherPage: Page;
  let tmpDir = '';
  /** /studies/:id of the study made from the bijstand template. */
  let studyPath = '';
  /** The edit URL of condition 2.a, as the editor links to it. */
  let conditionEditPath = '';
  /** The framework title as the template set it (the researcher must not be able to change it). */
  let frameworkTitle = '';
  let revisionAfterEdits = 0;
  /** The items of #import-problems after the broken file was uploaded. */
  let brokenFileProblems: string[] = [];
  const a11y = new A11yScanner();
  const openPages = (): Page[] => [admin, researcher].filter(Boolean).flatMap((c) => c.pages());
  const url = (p: string) => `${server.baseUrl}${p}`;

  /** The revision in the framework page's summary line ("… · revision N"). */
  const summaryRevision = async (page: Page): Promise<number> => {
    const text = await page.locator('main p.muted').filter({ hasText: /· revision \d+$/ }).innerText();
    return Number(/revision (\d+)$/.exec(text)![1]);
  };
  /** The revision in the editor's note ("Revision N. …"). */
  const editorRevision = async (page: Page): Promise<number> => {
    const text = await page.locator('main p.muted').filter({ hasText: /^Revision \d+\./ }).innerText();
    return Number(/^Revision (\d+)\./.exec(text)![1]);
  };
  /** The rows of the editor's relations table, as "from → to" plus a feedback marker. */
  const relationRows = (page: Page) =>
    page.getByRole('table', { name: 'Relations' }).locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => {
        const cells = r.querySelectorAll('td');
        const feedback = cells[1]?.querySelector('.badge') ? ' (feedback)' : '';
        return `${cells[0]?.querySelector('.code')?.textContent} → ${cells[1]?.querySelector('.code')?.textContent}${feedback}`;
      }));

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-e2e-files-'));
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

  test('the administrator from KADER_ADMIN_* creates a study from the bijstand template; its framework page shows 62 cards, the diagram, and working in-page relation links', async () => {
    const page = adminPage;
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(ADMIN.email);
    await field(page, 'Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));

    await page.getByRole('link', { name: 'New study' }).click();
    await page.waitForURL(url('/studies/new'));
    await field(page, 'Title').fill(STUDY_TITLE);
    const startFrom = field(page, 'Start from');
    const bijstandLabel = (await startFrom.locator('option').allInnerTexts()).find((o) => BIJSTAND_OPTION.test(o.trim()));
    expect(bijstandLabel, 'the "Start from" list offers the bijstand template').toBeTruthy();
    await startFrom.selectOption({ label: bijstandLabel!.trim() });
    await page.getByRole('button', { name: 'Save' }).click();

    await page.waitForURL(/\/studies\/\d+$/);
    studyPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: STUDY_TITLE }).waitFor();
    expect(await page.getByRole('status').innerText()).toContain('The study is created; you are its lead.');

    await studyNav(page, 'Framework', 'Framework');
    await page.waitForURL(url(`${studyPath}/framework`));
    const h1 = await page.getByRole('heading', { level: 1 }).innerText();
    expect(h1).toMatch(/^Framework: .+/);
    frameworkTitle = h1.replace(/^Framework: /, '');
    expect(await page.locator('article.condition-card').count()).toBe(62);
    expect(await page.locator('main p.muted').filter({ hasText: /^62 conditions and \d+ relations · revision \d+$/ }).count()).toBe(1);

    const diagram = page.locator('figure.diagram svg[role=img]');
    expect(await diagram.count()).toBe(1);
    expect(await diagram.locator('g.condition[data-code="2.a"]').count()).toBe(1);

    // 2.a affects 1.b in the template: the code in its relation list jumps to 1.b's card.
    const card = page.locator('article.condition-card[id="c-2.a"]');
    const link = card.locator('.relations').getByRole('link', { name: '1.b', exact: true });
    expect(await link.getAttribute('href')).toBe('#c-1.b');
    await link.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#c-1.b');
    expect(new URL(page.url()).pathname).toBe(`${studyPath}/framework`);
    expect(await page.evaluate(() => document.querySelector(':target')?.id)).toBe('c-1.b');
    // The target card was scrolled to the top of the viewport (allowing for sub-pixel rounding).
    await expect.poll(() => page.locator('article.condition-card[id="c-1.b"]').evaluate((el) => {
      const top = el.getBoundingClientRect().top;
      return window.scrollY > 0 && top > -2 && top < window.innerHeight / 2;
    })).toBe(true);
    await a11y.scan(page);
  });

  test('the administrator makes an account for the researcher and adds it to the study as researcher on the Members page', async () => {
    const page = adminPage;
    await page.goto(url('/admin/users'));
    await field(page, 'Name').fill(RESEARCHER.name);
    await field(page, 'Email address').fill(RESEARCHER.email);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/admin\/users\/\d+$/);
    const setPasswordLink = await page.locator('#flash-link').inputValue();
    expect(setPasswordLink).toMatch(new RegExp(`^${server.baseUrl}/set-password/[^/]+$`));

    researcher = await browser.newContext({ locale: 'en-GB' });
    researcher.setDefaultTimeout(5_000);
    researcherPage = await researcher.newPage();
    await researcherPage.goto(setPasswordLink);
    await field(researcherPage, 'New password').fill(RESEARCHER.password);
    await field(researcherPage, 'Repeat the new password').fill(RESEARCHER.password);
    await researcherPage.getByRole('button', { name: 'Save password and log in' }).click();
    await researcherPage.waitForURL(url('/studies'));

    await page.goto(url(studyPath));
    await studyNav(page, 'Study', 'Members');
    await page.waitForURL(url(`${studyPath}/members`));
    await field(page, 'Email address').fill(RESEARCHER.email);
    await field(page, 'Role').selectOption({ label: 'researcher' });
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.waitForURL(url(`${studyPath}/members`));
    expect(await page.getByRole('status').innerText()).toContain(`${RESEARCHER.name} (${RESEARCHER.email}) is now a member.`);
    expect(await field(page, `Role of ${RESEARCHER.name}`).inputValue()).toBe('researcher');
  });

  test('the lead edits condition 2.a (name, anchors for scores 1 and 5); the framework page shows them and the revision went up by one', async () => {
    const page = adminPage;
    await page.goto(url(`${studyPath}/framework`));
    const before = await summaryRevision(page);

    await page.getByRole('link', { name: 'Edit the framework' }).click();
    await page.waitForURL(url(`${studyPath}/framework/edit`));
    await page.getByRole('heading', { level: 1, name: 'Edit the framework' }).waitFor();
    expect(await editorRevision(page)).toBe(before);
    await a11y.scan(page);

    // The link's accessible name carries the code (visually hidden), so each row's link is distinct.
    const edit = page.getByRole('link', { name: 'Edit 2.a', exact: true });
    expect(await edit.count()).toBe(1);
    await edit.click();
    await page.waitForURL(/\/framework\/conditions\/\d+\/edit$/);
    conditionEditPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: 'Edit condition 2.a' }).waitFor();
    expect(await field(page, 'Code').inputValue()).toBe('2.a');
    expect(await field(page, 'Name').inputValue()).toBe('Selectie aan de poort');
    expect(await page.getByRole('group', { name: 'Anchors' }).count()).toBe(1);
    await a11y.scan(page);

    await field(page, 'Name').fill(EDITED.name);
    await field(page, 'Score 1').fill(EDITED.anchor1);
    await field(page, 'Score 5').fill(EDITED.anchor5);
    await page.getByRole('main').getByRole('button', { name: 'Save' }).click();

    await page.waitForURL(url(`${studyPath}/framework/edit`));
    expect(await page.getByRole('status').innerText()).toContain('The framework is saved; its revision went up by one.');
    expect(await editorRevision(page)).toBe(before + 1);
    await a11y.scan(page);

    await page.getByRole('link', { name: 'View the framework' }).click();
    await page.waitForURL(url(`${studyPath}/framework`));
    const card = page.locator('article.condition-card[id="c-2.a"]');
    expect(await card.getByRole('heading', { level: 4 }).innerText()).toBe(`2.a ${EDITED.name}`);
    const anchors = await card.locator('dl.anchors').evaluate((dl) =>
      Array.from(dl.querySelectorAll('dt')).map((dt) => [dt.textContent?.trim(), dt.nextElementSibling?.textContent?.trim()]));
    expect(anchors).toEqual([['1', EDITED.anchor1], ['5', EDITED.anchor5]]);
    expect(await summaryRevision(page)).toBe(before + 1);
  });

  test('the editor refuses a relation from level 0 up to 2.a unless it is marked as feedback; marked, it is added', async () => {
    const page = adminPage;
    await page.getByRole('link', { name: 'Edit the framework' }).click();
    await page.waitForURL(url(`${studyPath}/framework/edit`));
    const revision = await editorRevision(page);
    const relationsBefore = await relationRows(page);
    expect(relationsBefore.filter((r) => r.startsWith('0 → 2.a'))).toEqual([]);

    const form = page.getByRole('form', { name: 'Add relation' });
    await field(form, 'Cause').selectOption({ value: '0' });
    await field(form, 'Effect').selectOption({ value: '2.a' });
    expect(await field(form, 'Feedback relation (points to a higher level number on purpose)').isChecked()).toBe(false);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url() === url(`${studyPath}/framework/relations`) && r.request().method() === 'POST'),
      form.getByRole('button', { name: 'Add relation' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    const problem = page.getByRole('alert');
    await problem.waitFor();
    expect(await problem.innerText()).toContain('points from level 0 to the higher level number 2');
    expect(await problem.getAttribute('id')).toBe('edit-problem');
    expect(await editorRevision(page)).toBe(revision);
    expect(await relationRows(page)).toEqual(relationsBefore);
    await a11y.scan(page, 'editor with a refused relation');

    // The refused input is kept: tick the box and send it again.
    const again = page.getByRole('form', { name: 'Add relation' });
    expect(await field(again, 'Cause').inputValue()).toBe('0');
    expect(await field(again, 'Effect').inputValue()).toBe('2.a');
    await field(again, 'Feedback relation (points to a higher level number on purpose)').check();
    await again.getByRole('button', { name: 'Add relation' }).click();

    await page.waitForURL(url(`${studyPath}/framework/edit`));
    expect(await page.getByRole('status').innerText()).toContain('The framework is saved; its revision went up by one.');
    expect(await page.locator('#edit-problem').count()).toBe(0);
    expect(await editorRevision(page)).toBe(revision + 1);
    const relationsAfter = await relationRows(page);
    expect(relationsAfter).toHaveLength(relationsBefore.length + 1);
    expect(relationsAfter.filter((r) => r.startsWith('0 → 2.a'))).toEqual(['0 → 2.a (feedback)']);
    revisionAfterEdits = revision + 1;

    await page.getByRole('link', { name: 'View the framework' }).click();
    await page.waitForURL(url(`${studyPath}/framework`));
    const card = page.locator('article.condition-card[id="c-2.a"]');
    expect(await card.locator('.relations').innerText()).toMatch(/Caused by:.*\b0 \(feedback\)/);
  });

  test('the researcher sees the framework without "Edit the framework"; the editor and condition form answer 403, and a POST to the title is refused and changes nothing', async () => {
    const page = researcherPage;
    const shown = await page.goto(url(`${studyPath}/framework`));
    expect(shown?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Framework: ${frameworkTitle}`);
    expect(await page.locator('article.condition-card').count()).toBe(62);
    expect(await page.getByRole('link', { name: 'Edit the framework' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Edit/ }).count()).toBe(0);
    await a11y.scan(page, 'framework as researcher');

    for (const p of [`${studyPath}/framework/edit`, conditionEditPath]) {
      const refused = await page.goto(url(p));
      expect(refused?.status(), p).toBe(403);
      await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
      expect(await page.locator('main').innerText()).toContain('Your role does not allow this.');
      expect(await page.getByRole('textbox').count()).toBe(0);
      await a11y.scan(page);
    }

    // Not through the UI: the request context shares this browser context's session cookie.
    const post = await page.request.post(url(`${studyPath}/framework/title`), { form: { title: 'hack' }, maxRedirects: 0 });
    expect(post.status()).toBe(403);
    // With this session's own CSRF token too, so the refusal is the role's and not the token's.
    await page.goto(url(`${studyPath}/framework`));
    const token = await page.locator('input[name="_csrf"]').first().inputValue();
    expect(token).not.toBe('');
    const withToken = await page.request.post(url(`${studyPath}/framework/title`), { form: { title: 'hack', _csrf: token }, maxRedirects: 0 });
    expect(withToken.status()).toBe(403);
    expect(await withToken.text()).toContain('Your role does not allow this.');

    await page.reload();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Framework: ${frameworkTitle}`);
    expect(await summaryRevision(page)).toBe(revisionAfterEdits);
    await adminPage.goto(url(`${studyPath}/framework/edit`));
    expect(await field(adminPage, 'Title').inputValue()).toBe(frameworkTitle);
    expect(await editorRevision(adminPage)).toBe(revisionAfterEdits);
  });

  test('the administrator uploads the atlas study file on the import page and lands on the new study\'s overview with the "imported" message', async () => {
    const page = adminPage;
    await page.goto(url('/studies'));
    await page.getByRole('link', { name: 'Import a study file' }).click();
    await page.waitForURL(url('/studies/import'));
    await page.getByRole('heading', { level: 1, name: 'Import a study file' }).waitFor();
    await a11y.scan(page);

    await field(page, 'Study file').setInputFiles(ATLAS_FILE);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForURL(/\/studies\/\d+$/);
    expect(new URL(page.url()).pathname).not.toBe(studyPath);
    await page.getByRole('heading', { level: 1, name: ATLAS_TITLE }).waitFor();
    expect(await page.getByRole('status').innerText()).toContain('The study file is imported.');

    await page.goto(url('/studies'));
    expect(await page.getByRole('row').filter({ hasText: ATLAS_TITLE }).count()).toBe(1);
  });

  test('a broken study file (a score of 9, an unknown top-level key) is refused with 422 and a problem list, and no study is added to My studies', async () => {
    const page = adminPage;
    await page.goto(url('/studies'));
    const rowsBefore = await page.getByRole('main').getByRole('row').count();

    const broken = JSON.parse(fs.readFileSync(ATLAS_FILE, 'utf8')) as { ratings: { score: number | null }[] } & Record<string, unknown>;
    broken.ratings[0]!.score = 9;
    broken.surprise = 'not part of the format';
    const brokenFile = path.join(tmpDir, 'atlas-broken.json');
    fs.writeFileSync(brokenFile, JSON.stringify(broken, null, 1));

    await page.goto(url('/studies/import'));
    await field(page, 'Study file').setInputFiles(brokenFile);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url() === url('/studies/import') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Import' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    const problems = page.locator('#import-problems');
    await problems.waitFor();
    expect(await problems.getAttribute('role')).toBe('alert');
    expect(await problems.innerText()).toContain('atlas-broken.json was not imported; nothing was stored.');
    brokenFileProblems = await problems.getByRole('listitem').allInnerTexts();
    expect(brokenFileProblems.length).toBeGreaterThanOrEqual(1);
    expect(brokenFileProblems.some((i) => i.includes('surprise')), `an item names the unknown key: ${brokenFileProblems.join(' | ')}`).toBe(true);
    await a11y.scan(page, 'import with problems');

    await page.goto(url('/studies'));
    expect(await page.getByRole('main').getByRole('row').count()).toBe(rowsBefore);
    expect(await page.getByRole('row').filter({ hasText: ATLAS_TITLE }).count()).toBe(1);
  });

  test('the broken file\'s problem list names both problems, the unknown key and ratings[0].score out of range', () => {
    expect(brokenFileProblems.length).toBeGreaterThanOrEqual(2);
    expect(brokenFileProblems.some((i) => i.startsWith('ratings[0].score'))).toBe(true);
  });

  test('axe found no serious or critical violations on any page of the walk-through', () => {
    const pages = a11y.scanned.join('\n');
    for (const expected of [
      '/studies/:id/framework [en] ',
      '/studies/:id/framework [en] framework as researcher',
      '/studies/:id/framework/edit [en] Edit the framework',
      '/studies/:id/framework/edit [en] +flash',
      '/studies/:id/framework/relations [en] +flash editor with a refused relation',
      '/studies/:id/framework/conditions/:id/edit [en] ',
      '/studies/import [en] ',
      '/studies/import [en] +flash import with problems',
      'Not allowed',
    ]) {
      expect(pages, `scanned:\n${pages}`).toContain(expected);
    }
  });
});
