// Fieldwork in a real browser against the real server: a case, the printable interview guide of a
// role, logging an interview, the browser's kept copy of an unsaved interview form (restored with a
// banner, discarded, dropped after a save), a stale edit refused with the user's text kept, evidence
// quoted from the selected notes, coverage, a document upload and search with highlighted hits.
// Every distinct page is scanned with axe-core; a failing test leaves a screenshot in test-results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, field, launchBrowser, closeSuite, stopAfterFirstFailure, startServer, type RunningServer, studyNav } from '../helpers/browser.ts';

const availability = browserAvailability();

const ADMIN = { name: 'Administrator', email: 'fieldwork-lead@example.org', password: 'the fieldwork lead passphrase' };
const STUDY_TITLE = 'Bijstand budgets, fieldwork in Dordrecht';
const BIJSTAND_OPTION = /^The bijstand framework/;
const CASE = { key: 'dordrecht', name: 'Dordrecht' };
const ROLE = 'Wethouder';
const TABLET = { width: 820, height: 1180 };
const SENTENCE = 'De poort is streng: een zoekperiode van vier weken.';
const INTERVIEW = {
  date: '2024-03-12',
  notes: `Gesprek met de wethouder over de toegang tot de bijstand.\n\n${SENTENCE}\n\nDaarna komt het werkgeversservicepunt aan bod.`,
};
/** What is typed in the draft step but never saved. */
const UNSAVED = '\n\nNog niet opgeslagen: de wethouder belt terug.';
/** What is saved after the kept copy was discarded. */
const SAVED_LATER = '\n\nAanvulling: de klantmanager doet de intake.';
const STALE = {
  a: '\n\nAanvulling van pagina A: de poort gaat in april open.',
  b: '\n\nAanvulling van pagina B: dit wordt geweigerd.',
};
const DOCUMENT = {
  title: 'Notitie',
  file: 'notitie-dordrecht.md',
  word: 'schuldhulpverlening',
  text: '# Notitie over Dordrecht\n\nDe gemeente verwijst nieuwe aanvragers eerst naar schuldhulpverlening.\n',
};

describe.skipIf(availability.skip)('fieldwork golden path in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: BrowserContext;
  let adminPage: Page;
  let tmpDir = '';
  /** /studies/:id of the study made from the bijstand template. */
  let studyPath = '';
  /** /studies/:id/cases/dordrecht */
  let casePath = '';
  /** /studies/:id/interviews/<key> of the logged interview. */
  let interviewPath = '';
  let interviewKey = '';
  /** The notes as last saved. */
  let savedNotes = '';
  const a11y = new A11yScanner();
  const openPages = (): Page[] => [admin].filter(Boolean).flatMap((c) => c.pages());
  const url = (p: string) => `${server.baseUrl}${p}`;
  const editPath = () => `${interviewPath}/edit`;
  /** The browser's kept copy of the interview form (null when there is none). */
  // The administrator made from KADER_ADMIN_* is the first account, id 1; kept drafts are per user.
  const draftKey = () => `kader:interview:1:${/\/studies\/(\d+)/.exec(studyPath)![1]}:${interviewKey}`;
  const keptDraft = (page: Page) => page.evaluate((key) => window.localStorage.getItem(key), draftKey());
  const notesField = (page: Page) => field(page, 'Notes or transcript');
  const draftBanner = (page: Page) => page.locator('[data-draft-banner]');

  /** Opens a new tablet-sized page of the administrator's context on the interview's edit page. */
  const openEditPage = async (): Promise<Page> => {
    const page = await admin.newPage();
    await page.setViewportSize(TABLET);
    await page.goto(url(editPath()));
    await page.getByRole('heading', { level: 1, name: 'Edit interview' }).waitFor();
    // interviews.js is deferred: wait until it ran (it restores a kept copy before anything else).
    await page.waitForLoadState('load');
    return page;
  };

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-e2e-fieldwork-'));
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

  test('the administrator from KADER_ADMIN_* logs in, creates a study from the bijstand template and adds the case Dordrecht (key dordrecht) with "New case"', async () => {
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

    await studyNav(page, 'Fieldwork', 'Cases');
    await page.waitForURL(url(`${studyPath}/cases`));
    await page.getByRole('heading', { level: 1, name: 'Cases', exact: true }).waitFor();
    await a11y.scan(page);

    await page.getByRole('link', { name: 'New case' }).click();
    await page.waitForURL(url(`${studyPath}/cases/new`));
    await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
    await a11y.scan(page);
    await field(page, 'Key').fill(CASE.key);
    await field(page, 'Name').fill(CASE.name);
    await page.getByRole('button', { name: 'Add the case' }).click();

    casePath = `${studyPath}/cases/${CASE.key}`;
    await page.waitForURL(url(casePath));
    await page.getByRole('heading', { level: 1, name: CASE.name }).waitFor();
    expect(await page.getByRole('status').innerText()).toContain(`Case “${CASE.name}” was added.`);
    expect(await page.locator('dl.case-facts').innerText()).toContain(CASE.key);
    expect(await page.getByText('No interviews logged for this case yet.').isVisible()).toBe(true);
    await a11y.scan(page);

    await page.goto(url(`${studyPath}/cases`));
    const row = page.getByRole('row').filter({ hasText: CASE.name });
    expect(await row.count()).toBe(1);
    expect(await row.getByRole('cell').first().innerText()).toBe(CASE.key);
    await a11y.scan(page, 'cases list with a case');
  });

  test('on Interview guides the printable guide for the role Wethouder lists numbered questions and has a Print button', async () => {
    const page = adminPage;
    await studyNav(page, 'Framework', 'Interview guides');
    await page.waitForURL(url(`${studyPath}/guides`));
    await page.getByRole('heading', { level: 1, name: 'Interview guides' }).waitFor();
    await a11y.scan(page);

    const roleRow = page.getByRole('table', { name: 'Interview roles', exact: true }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: ROLE, exact: true }) });
    expect(await roleRow.count()).toBe(1);
    await roleRow.getByRole('link', { name: new RegExp(`^Interview guide\\s*: ${ROLE}$`) }).click();
    await page.waitForURL(new RegExp(`${studyPath}/guides/\\d+$`));
    await page.getByRole('heading', { level: 1, name: new RegExp(ROLE) }).waitFor();
    expect(await page.title()).toContain(`Interview guide for ${ROLE}`);

    const questions = page.locator('article.interview-guide li.guide-question');
    expect(await questions.count()).toBeGreaterThan(0);
    expect((await questions.first().innerText()).trim()).not.toBe('');
    // The Print button is shown once the page's script ran.
    const print = page.getByRole('button', { name: 'Print', exact: true });
    await print.waitFor({ state: 'visible' });
    await a11y.scan(page);
  });

  test('from the case page "Log an interview": date, role Wethouder, himself as interviewer, status held, notes and condition 2.a; saved, the interview page shows the notes rendered and the status', async () => {
    const page = adminPage;
    await page.goto(url(casePath));
    await page.getByRole('link', { name: 'Log an interview' }).click();
    await page.waitForURL(url(`${studyPath}/interviews/new?case=${CASE.key}`));
    await page.getByRole('heading', { level: 1, name: 'Log an interview' }).waitFor();
    await a11y.scan(page);

    expect(await field(page, 'Case').inputValue()).toBe(CASE.key);
    await field(page, 'Date of the interview').fill(INTERVIEW.date);
    await page.getByRole('group', { name: 'Roles of the interviewees' }).getByRole('checkbox', { name: ROLE, exact: true }).check();
    // The one logging it is an interviewer unless unticked.
    expect(await page.getByRole('group', { name: 'Interviewers' }).getByRole('checkbox', { name: ADMIN.name, exact: true }).isChecked()).toBe(true);
    await field(page, 'Status').selectOption({ label: 'held' });
    await notesField(page).fill(INTERVIEW.notes);

    const conditions = page.getByRole('group', { name: 'Conditions the interview touched' });
    const twoA = conditions.getByRole('checkbox', { name: /^2\.a / });
    // Level 2 is a collapsed group: its checkboxes are hidden until it is opened.
    expect(await twoA.isVisible()).toBe(false);
    await conditions.locator('summary').filter({ hasText: 'Level 2 · ' }).click();
    await twoA.check();
    await a11y.scan(page, 'interview form with level 2 open');
    await page.getByRole('main').getByRole('button', { name: 'Save' }).click();

    await page.waitForURL(new RegExp(`${studyPath}/interviews/[^/?]+\\?saved=1$`));
    interviewPath = new URL(page.url()).pathname;
    interviewKey = decodeURIComponent(interviewPath.split('/').pop()!);
    expect(interviewKey).toBe(`${CASE.key}-1`);
    savedNotes = INTERVIEW.notes;
    await page.getByRole('heading', { level: 1, name: `${CASE.name} · ${INTERVIEW.date}` }).waitFor();
    expect(await page.getByRole('status').innerText()).toContain('The interview is logged.');

    const notes = page.getByRole('region', { name: 'Notes or transcript' });
    expect(await notes.locator('p').allInnerTexts()).toEqual(INTERVIEW.notes.split('\n\n'));
    const facts = page.locator('dl.facts');
    expect(await facts.locator('.status').innerText()).toBe('held');
    expect(await facts.innerText()).toContain(ROLE);
    expect(await facts.innerText()).toContain(ADMIN.name);
    expect(await facts.getByRole('link', { name: '2.a', exact: true }).count()).toBe(1);
    await a11y.scan(page);

    await page.goto(url(casePath));
    expect(await page.getByRole('region', { name: 'Interviews' }).innerText()).toContain(INTERVIEW.date);
  });

  test('on a tablet (820×1180), unsaved notes survive closing the edit page: a new page restores them with a banner, "Discard it" brings back the saved text, and after a save no banner is shown', async () => {
    let page = await openEditPage();
    expect(await draftBanner(page).isHidden()).toBe(true);
    expect(await notesField(page).inputValue()).toBe(savedNotes);
    await notesField(page).fill(savedNotes + UNSAVED);
    // The form is kept shortly after typing; a user closes a tab later than that.
    await expect.poll(() => keptDraft(page)).toContain(UNSAVED.trim());
    await page.close();

    page = await openEditPage();
    const banner = draftBanner(page);
    await banner.waitFor({ state: 'visible' });
    expect(await banner.getAttribute('role')).toBe('status');
    expect(await banner.innerText()).toMatch(/Your unsaved text from .+ was restored from this browser\./);
    expect(await notesField(page).inputValue()).toBe(savedNotes + UNSAVED);
    await a11y.scan(page, 'interview form with a restored draft');

    await banner.getByRole('button', { name: 'Discard it' }).click();
    await banner.waitFor({ state: 'hidden' });
    expect(await notesField(page).inputValue()).toBe(savedNotes);
    expect(await keptDraft(page)).toBeNull();

    await notesField(page).fill(savedNotes + SAVED_LATER);
    await page.getByRole('main').getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(url(`${interviewPath}?saved=1`));
    expect(await page.getByRole('status').innerText()).toContain('The interview is saved.');
    savedNotes += SAVED_LATER;
    await a11y.scan(page, 'interview page on a tablet');
    await expect.poll(() => keptDraft(page)).toBeNull();
    await page.close();

    page = await openEditPage();
    expect(await draftBanner(page).isHidden()).toBe(true);
    expect(await notesField(page).inputValue()).toBe(savedNotes);
    await page.close();
  });

  test('a stale edit: with the edit page open twice, page A saves first; page B\'s save is refused with "Someone else saved this interview after you opened it" and keeps B\'s text', async () => {
    const pageA = await admin.newPage();
    const pageB = await admin.newPage();
    for (const p of [pageA, pageB]) {
      await p.goto(url(editPath()));
      await p.getByRole('heading', { level: 1, name: 'Edit interview' }).waitFor();
      await p.waitForLoadState('load');
    }

    await notesField(pageA).fill(savedNotes + STALE.a);
    await pageA.getByRole('main').getByRole('button', { name: 'Save' }).click();
    await pageA.waitForURL(url(`${interviewPath}?saved=1`));
    expect(await pageA.getByRole('status').innerText()).toContain('The interview is saved.');
    savedNotes += STALE.a;

    const bText = `${savedNotes.slice(0, -STALE.a.length)}${STALE.b}`;
    await notesField(pageB).fill(bText);
    const [refused] = await Promise.all([
      pageB.waitForResponse((r) => r.url() === url(interviewPath) && r.request().method() === 'POST'),
      pageB.getByRole('main').getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    const alert = pageB.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Someone else saved this interview after you opened it');
    expect(await notesField(pageB).inputValue()).toBe(bText);
    await a11y.scan(pageB, 'interview form refused as stale');

    // The saved interview is A's.
    await pageB.goto(url(interviewPath));
    expect(await pageB.getByRole('region', { name: 'Notes or transcript' }).innerText()).toContain(STALE.a.trim());
    expect(await pageB.getByRole('region', { name: 'Notes or transcript' }).innerText()).not.toContain(STALE.b.trim());

    // Reopening the edit page brings B's kept text back, saying it was written before A's save.
    await pageB.goto(url(editPath()));
    const banner = pageB.locator('[data-draft-banner]');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.innerText()).toContain('someone has saved this interview since you wrote it');
    expect(await notesField(pageB).inputValue()).toBe(bText);
    await pageB.getByRole('button', { name: 'Discard it' }).click();
    expect(await notesField(pageB).inputValue()).toBe(savedNotes);
    await pageA.close();
    await pageB.close();
  });

  test('evidence: the sentence selected in the notes and "Quote the selection" prefill "Add evidence"; saved with 2.a and 2.b it shows as a blockquote, on Evidence filtered on 2.b, and in the case\'s coverage of 2.a', async () => {
    const page = adminPage;
    await page.goto(url(interviewPath));
    await page.getByRole('heading', { level: 1, name: `${CASE.name} · ${INTERVIEW.date}` }).waitFor();
    const quote = page.getByRole('button', { name: 'Quote the selection' });
    await quote.waitFor({ state: 'visible' });

    const selected = await page.evaluate(() => {
      const paragraph = Array.from(document.querySelectorAll('.notes p')).find((p) => p.textContent?.includes('zoekperiode'));
      const text = paragraph?.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE) return '';
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, text.textContent!.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return selection.toString();
    });
    expect(selected).toBe(SENTENCE);
    await quote.click();

    await page.waitForURL((u) => u.pathname === `${studyPath}/evidence/new`);
    await page.getByRole('heading', { level: 1, name: 'Add evidence' }).waitFor();
    expect(await field(page, 'Quote').inputValue()).toBe(SENTENCE);
    expect(await field(page, 'Source').inputValue()).toBe(`interview:${interviewKey}`);
    await a11y.scan(page);

    const conditions = page.getByRole('group', { name: 'Conditions the passage bears on' });
    await conditions.locator('summary').filter({ hasText: 'Level 2 · ' }).click();
    await conditions.getByRole('checkbox', { name: /^2\.a / }).check();
    await conditions.getByRole('checkbox', { name: /^2\.b / }).check();
    await page.getByRole('button', { name: 'Save evidence' }).click();

    await page.waitForURL(url(interviewPath));
    expect(await page.getByRole('status').innerText()).toContain('The evidence is saved.');
    const evidence = page.getByRole('region', { name: 'Evidence' });
    expect(await evidence.locator('blockquote').allInnerTexts()).toEqual([SENTENCE]);
    expect(await evidence.locator('.evidence-list').innerText()).toMatch(/2\.a [^,\n]+, 2\.b /);
    await a11y.scan(page, 'interview page with evidence');

    await studyNav(page, 'Fieldwork', 'Evidence');
    await page.waitForURL(url(`${studyPath}/evidence`));
    const twoB = (await field(page, 'Condition').locator('option').allInnerTexts()).find((o) => /^2\.b /.test(o.trim()));
    expect(twoB).toBeTruthy();
    await field(page, 'Condition').selectOption({ label: twoB!.trim() });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((u) => u.pathname === `${studyPath}/evidence` && u.searchParams.get('condition') === '2.b');
    expect(await page.getByRole('main').locator('blockquote').allInnerTexts()).toEqual([SENTENCE]);
    await a11y.scan(page);

    // Nothing recorded on 2.c: the filter does narrow the list.
    await page.goto(url(`${studyPath}/evidence?condition=2.c`));
    expect(await page.getByRole('main').locator('blockquote').count()).toBe(0);
    expect(await page.getByText('Nothing matches these filters.').isVisible()).toBe(true);

    await page.goto(url(casePath));
    await page.getByRole('region', { name: 'Evidence' }).getByRole('link', { name: 'Coverage' }).click();
    await page.waitForURL(url(`${casePath}/coverage`));
    await page.getByRole('heading', { level: 1, name: `Coverage of ${CASE.name}` }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^2\.a / }) });
    expect(await row.count()).toBe(1);
    const sources = Number.parseInt(await row.getByRole('cell').first().innerText(), 10);
    expect(sources).toBeGreaterThanOrEqual(1);
    await a11y.scan(page);
  });

  test('a Markdown document "Notitie" uploaded on the case\'s documents page is listed; Search finds a word from it and "zoekperiode", with the hits marked', async () => {
    const page = adminPage;
    const file = path.join(tmpDir, DOCUMENT.file);
    fs.writeFileSync(file, DOCUMENT.text);

    await page.goto(url(casePath));
    await page.getByRole('link', { name: 'Upload a document' }).click();
    await page.waitForURL(url(`${casePath}/documents`));
    await page.getByRole('heading', { level: 1, name: `Documents of ${CASE.name}` }).waitFor();
    await a11y.scan(page);

    await field(page, 'Title').fill(DOCUMENT.title);
    await field(page, 'File').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.waitForURL(url(`${casePath}/documents`));
    expect(await page.getByRole('status').innerText()).toContain('The document is uploaded.');
    const row = page.getByRole('row').filter({ hasText: DOCUMENT.file });
    expect(await row.count()).toBe(1);
    expect(await row.getByRole('cell').first().innerText()).toBe(DOCUMENT.title);
    await a11y.scan(page, 'documents page with a document');

    // The text is read for search after the upload: wait until the list says it is searchable.
    await expect.poll(async () => {
      await page.reload();
      return page.getByRole('row').filter({ hasText: DOCUMENT.file }).innerText();
    }, { timeout: 10_000 }).toContain('searchable');

    const search = async (q: string) => {
      // The search box in the header of every study page.
      const header = page.getByRole('search', { name: 'Search this study' });
      await header.getByRole('searchbox', { name: 'Search this study' }).fill(q);
      await header.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL((u) => u.pathname === `${studyPath}/search` && u.searchParams.get('q') === q);
      await page.getByRole('main').getByRole('status').waitFor();
    };

    await search(DOCUMENT.word);
    expect(await page.getByRole('main').getByRole('status').innerText()).toMatch(new RegExp(`^\\d+ result\\(s\\) for “${DOCUMENT.word}”`));
    const docHits = page.locator('ol.hits > li');
    expect(await docHits.count()).toBeGreaterThanOrEqual(1);
    const docHit = docHits.filter({ hasText: DOCUMENT.title });
    expect(await docHit.count()).toBe(1);
    expect(await docHit.locator('.badge').innerText()).toBe('document');
    expect((await docHit.locator('.snippet mark').allInnerTexts()).map((m) => m.toLowerCase())).toContain(DOCUMENT.word);
    await a11y.scan(page);

    await search('zoekperiode');
    expect(await page.getByRole('main').getByRole('status').innerText()).toMatch(/^\d+ result\(s\) for “zoekperiode”/);
    const hits = page.locator('ol.hits > li');
    expect(await hits.count()).toBeGreaterThanOrEqual(1);
    const kinds = await hits.locator('.badge').allInnerTexts();
    expect(kinds).toContain('interview');
    const marks = await page.locator('ol.hits .snippet mark').allInnerTexts();
    expect(marks.length).toBeGreaterThanOrEqual(1);
    expect(marks.every((m) => m.toLowerCase() === 'zoekperiode'), marks.join(' | ')).toBe(true);
    const interviewHit = hits.filter({ has: page.locator('.badge', { hasText: /^interview$/ }) }).first();
    expect(await interviewHit.getByRole('link').getAttribute('href')).toBe(interviewPath);
    await a11y.scan(page, 'search results for zoekperiode');
  });

  test('axe found no serious or critical violations on any page of the fieldwork', () => {
    const pages = a11y.scanned.join('\n');
    for (const expected of [
      '/studies/:id/cases [en] ',
      '/studies/:id/cases/new [en] ',
      `/studies/:id/cases/${CASE.key} [en] +flash`,
      '/studies/:id/guides [en] ',
      '/studies/:id/guides/:id [en] ',
      '/studies/:id/interviews/new [en] ',
      `/studies/:id/interviews/${CASE.key}-1 [en] +flash`,
      `/studies/:id/interviews/${CASE.key}-1/edit [en] `,
      `/studies/:id/interviews/${CASE.key}-1 [en] +flash interview form refused as stale`,
      '/studies/:id/evidence/new [en] ',
      '/studies/:id/evidence [en] ',
      `/studies/:id/cases/${CASE.key}/coverage [en] `,
      `/studies/:id/cases/${CASE.key}/documents [en] `,
      '/studies/:id/search [en] ',
    ]) {
      expect(pages, `scanned:\n${pages}`).toContain(expected);
    }
  });
});
