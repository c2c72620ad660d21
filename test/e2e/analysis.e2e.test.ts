// The analysis pages in a real browser against the real server: accounts and a study with submitted,
// partly reconciled ratings set up with the `kader` command line (as an operator would); the lead
// opens a case's within-case analysis from the case page, sees the diagram (classes written in the
// boxes, relations by verdict) and the tables, and records the explanation degree with a Markdown
// narrative; a case whose raters have not all submitted shows no classes; the cross-case page is
// scanned too when the server has it. Every distinct page is scanned with axe-core; a failing test
// leaves a screenshot in test-results/.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { A11yScanner, browserAvailability, closeSuite, field, launchBrowser, prepareStudy, startServer, stopAfterFirstFailure, type RunningServer } from '../helpers/browser.ts';

const availability = browserAvailability();

const LEAD = { name: 'Lotte Lead', email: 'analysis-lead@example.org', password: 'the lead weighs the evidence' };
const RATER_A = { name: 'Anouk Akkerman', email: 'analysis-anouk@example.org', password: 'anouk rated every case' };
const RATER_B = { name: 'Bram Bosman', email: 'analysis-bram@example.org', password: 'bram rated every case too' };
const STUDY_TITLE = 'Explaining the bijstand budget';
const NARRATIVE = 'The gate explains the **outflow**; sanctions do not fit.\n\n- 2.a → 1.a applies\n- 2.b → 1.a unlikely';

/**
 * Three cases all raters submitted, one they did not. Zwolle (1.a 2, 2.a 5 → favourability 1, 2.b 4,
 * measure 10) is low / low / high / medium among Zwolle, Deventer and Kampen: 2.a → 1.a applies,
 * 2.b → 1.a is unlikely, 1.a → 0 possibly applies (see test/integration/within-case.test.ts).
 */
const scores: Record<string, Record<string, [number, number]>> = {
  zwolle: { '1.a': [2, 2], '2.a': [5, 5], '2.b': [4, 4] },
  deventer: { '1.a': [5, 5], '2.a': [2, 2], '2.b': [2, 2] },
  kampen: { '1.a': [2, 4], '2.a': [3, 3], '2.b': [4, 5] },
  almelo: { '1.a': [1, 5], '2.a': [1, 5], '2.b': [1, 5] },
};
const STUDY_FILE = {
  format: 'kader.study',
  version: 1,
  study: { title: STUDY_TITLE, language: 'en', settings: { scale: { min: 1, max: 5 }, ratersPerCase: 2, blindRating: true } },
  framework: {
    title: 'A small bijstand framework',
    levels: [{ number: 0, name: 'Outcome' }, { number: 1, name: 'Caseload' }, { number: 2, name: 'Execution' }],
    categories: [],
    conditions: [
      { code: '0', level: 0, name: 'Budget result', polarity: 'higher-is-favourable', kind: 'measured' },
      { code: '1.a', level: 1, name: 'Outflow to work', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '2.a', level: 2, name: 'Lenient gate', polarity: 'lower-is-favourable', kind: 'rated' },
      { code: '2.b', level: 2, name: 'Sanctions', polarity: 'higher-is-favourable', kind: 'rated' },
    ],
    relations: [
      { from: '2.a', to: '1.a' },
      { from: '2.b', to: '1.a' },
      { from: '1.a', to: '0' },
      { from: '2.b', to: '0' },
    ],
  },
  members: [
    { email: RATER_A.email, name: RATER_A.name, role: 'researcher' },
    { email: RATER_B.email, name: RATER_B.name, role: 'researcher' },
  ],
  cases: [
    { key: 'zwolle', name: 'Zwolle', group: 'surplus', measures: { '0': 10 }, raters: [RATER_A.email, RATER_B.email] },
    { key: 'deventer', name: 'Deventer', group: 'deficit', measures: { '0': 30 }, raters: [RATER_A.email, RATER_B.email] },
    { key: 'kampen', name: 'Kampen', group: 'deficit', measures: { '0': 20 }, raters: [RATER_A.email, RATER_B.email] },
    { key: 'almelo', name: 'Almelo', group: 'surplus', measures: { '0': 5 }, raters: [RATER_A.email, RATER_B.email] },
  ],
  ratings: Object.entries(scores).flatMap(([key, byCode]) =>
    Object.entries(byCode).flatMap(([code, [a, b]]) => [
      { case: key, condition: code, rater: RATER_A.email, score: a, rationale: `Anouk on ${key} ${code}`, submitted: true },
      { case: key, condition: code, rater: RATER_B.email, score: b, rationale: `Bram on ${key} ${code}`, submitted: key !== 'almelo' },
    ]),
  ),
  reconciliations: [{ case: 'kampen', condition: '1.a', score: 3, note: 'Settled in discussion.', by: LEAD.email }],
};

describe.skipIf(availability.skip)('the within-case analysis and the cross-case page, in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let lead: BrowserContext;
  let page: Page;
  let dataDir = '';
  let studyPath = '';
  const a11y = new A11yScanner();
  const openPages = (): Page[] => (lead ? lead.pages() : []);
  const url = (p: string) => `${server.baseUrl}${p}`;
  const analysisPath = (key: string) => `${studyPath}/cases/${key}/analysis`;
  let crossCase: 'scanned' | 'absent' | null = null;

  beforeAll(async () => {
    if (availability.failure) throw new Error(availability.failure);
    // The operator's set-up, before the server starts: three accounts and the study, owned by the lead.
    ({ dataDir, studyPath } = prepareStudy('analysis', [LEAD, RATER_A, RATER_B], STUDY_FILE, LEAD.email));
    [server, browser] = await Promise.all([startServer({ dataDir }), launchBrowser()]);
  }, 120_000); // four CLI runs and a server start: slow on a busy machine

  afterAll(async () => {
    await closeSuite(a11y, browser, server);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  stopAfterFirstFailure(openPages, () => server);

  test('the lead opens Zwolle’s within-case analysis from the case page and sees the diagram and the tables', async () => {
    lead = await browser.newContext({ locale: 'en-GB' });
    lead.setDefaultTimeout(5_000);
    page = await lead.newPage();
    await page.goto(url('/login'));
    await field(page, 'Email address').fill(LEAD.email);
    await field(page, 'Password').fill(LEAD.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(url('/studies'));

    await page.goto(url(`${studyPath}/cases/zwolle`));
    await page.getByRole('link', { name: 'Within-case analysis' }).click();
    await page.waitForURL(url(analysisPath('zwolle')));
    await page.getByRole('heading', { level: 1, name: 'Within-case analysis: Zwolle' }).waitFor();

    // The diagram: an image with a title, each class written in its box, relations by verdict.
    const diagram = page.getByRole('img', { name: 'The framework of Zwolle, coloured by class' });
    expect(await diagram.count()).toBe(1);
    const box = (code: string) => page.locator(`figure.within-diagram g.condition[data-code="${code}"]`);
    expect(await box('2.a').getAttribute('data-class')).toBe('low');
    expect(await box('2.a').locator('text.mark').textContent()).toBe('L');
    expect(await box('2.b').getAttribute('data-class')).toBe('high');
    expect(await box('2.b').locator('text.mark').textContent()).toBe('H');
    // The box is coloured by the stylesheet (not only by the attribute) and differs between classes.
    const fill = (code: string) => box(code).locator('rect.box').evaluate((el) => getComputedStyle(el).fill);
    expect(await fill('2.a')).not.toBe(await fill('2.b'));
    expect(await fill('2.a')).not.toBe('rgb(255, 255, 255)');
    const relation = (from: string, to: string) => page.locator(`figure.within-diagram path.relation[data-from="${from}"][data-to="${to}"]`);
    expect(await relation('2.a', '1.a').getAttribute('data-verdict')).toBe('applies');
    expect(await relation('2.a', '1.a').getAttribute('stroke-dasharray')).toBeNull();
    expect(await relation('1.a', '0').getAttribute('stroke-dasharray')).toBe('6 4');
    expect(await relation('2.b', '1.a').count()).toBe(0); // unlikely: not drawn
    expect(await page.getByRole('list', { name: 'Legend' }).getByRole('listitem').count()).toBe(8);

    // The tables below it hold the same information.
    const verdicts = page.getByRole('table', { name: 'The verdict of every relation of the framework in Zwolle' });
    const firstRow = (await verdicts.getByRole('row').nth(1).innerText()).replace(/\s+/g, ' ').trim();
    expect(firstRow).toBe('2.a Lenient gate L low 1.a Outflow to work L low applies solid line');
    const pairs = page.getByRole('table', { name: 'Level pairs of Zwolle: relations by verdict and strength' });
    expect((await pairs.getByRole('row', { name: /Level 2 → level 1/ }).innerText()).replace(/\s+/g, ' ')).toContain('0.50 fair');
    expect(await page.getByRole('table', { name: 'Level-2 conditions of Zwolle compared directly with level 0' }).getByRole('row').count()).toBe(3);
    const scoresTable = page.getByRole('table', { name: 'Final value, favourability and class of every analysed condition in Zwolle' });
    expect((await scoresTable.getByRole('row', { name: /2\.a Lenient gate/ }).innerText()).replace(/\s+/g, ' ')).toContain('5 equal scores of the raters 1 L low');
    expect(await page.getByText('Relative to the other cases (this study’s setting).', { exact: false }).count()).toBe(1);
    await a11y.scan(page, 'within-case analysis');
  });

  test('the lead records the explanation degree with a Markdown narrative beside the suggestion', async () => {
    expect(await page.locator('[data-suggestion]').innerText()).toBe('fair');
    const form = page.locator('form.explanation-form');
    await form.getByRole('group', { name: 'Explanation degree' }).getByRole('radio', { name: 'limited', exact: true }).check();
    await field(form, 'Narrative').fill(NARRATIVE);
    await form.getByRole('button', { name: 'Save the explanation degree' }).click();
    await page.getByText('The explanation degree and narrative are saved.').waitFor();
    expect(page.url()).toBe(url(`${analysisPath('zwolle')}#explanation`));
    const recorded = page.locator('.explanation-recorded');
    expect(await recorded.locator('[data-degree]').innerText()).toBe('limited');
    expect(await recorded.locator('.narrative strong').innerText()).toBe('outflow');
    expect(await recorded.locator('.narrative li').count()).toBe(2);
    expect(await recorded.innerText()).toContain(`Saved by ${LEAD.name}`);
    expect(await page.getByText('The recorded explanation degree differs from the suggestion.').isVisible()).toBe(true);
    expect(await field(form, 'Narrative').inputValue()).toBe(NARRATIVE);
    await a11y.scan(page, 'within-case analysis, saved');
  });

  test('a bad narrative is refused with the text kept; Kampen shows its open item, Almelo (not submitted) shows no classes', async () => {
    const form = page.locator('form.explanation-form');
    await field(form, 'Narrative').fill('x'.repeat(100_001));
    await form.getByRole('button', { name: 'Save the explanation degree' }).click();
    // The message at the top (the error summary) and on the field.
    await page.getByText('Use at most 100000 characters.').first().waitFor();
    expect(await page.getByText('Use at most 100000 characters.').count()).toBe(2);
    expect((await field(form, 'Narrative').inputValue()).length).toBe(100_001);
    await a11y.scan(page, 'within-case analysis, refused');

    await page.goto(url(analysisPath('kampen')));
    expect(await page.locator('figure.within-diagram g.condition[data-code="2.b"]').getAttribute('data-class')).toBe('none');
    expect(await page.locator('figure.within-diagram g.condition[data-code="2.b"] text.mark').textContent()).toBe('no value');
    expect(await page.getByRole('link', { name: 'Reconcile the open items of Kampen' }).getAttribute('href')).toBe(`${studyPath}/reconcile?case=kampen`);
    await a11y.scan(page, 'within-case analysis, open item');

    await page.goto(url(analysisPath('almelo')));
    await page.getByRole('heading', { level: 2, name: 'Not every rater has submitted yet' }).waitFor();
    expect(await page.locator('svg[role=img]').count()).toBe(0);
    expect(await page.locator('[data-class]').count()).toBe(0);
    await a11y.scan(page, 'within-case analysis, not submitted');
  });

  test('the cross-case page, if the server has it, has no serious accessibility problem either', async () => {
    const response = await page.goto(url(`${studyPath}/cross-case`));
    if (response?.status() === 404) {
      crossCase = 'absent';
      console.warn(`*** ${studyPath}/cross-case answered 404: the cross-case page is not there yet, so it was not scanned ***`);
      return;
    }
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await a11y.scan(page, 'cross-case');
    crossCase = 'scanned';
  });

  test('axe found no serious or critical violations on the analysis pages', () => {
    const pages = a11y.scanned.join('\n');
    for (const expected of [
      '/studies/:id/cases/zwolle/analysis [en] within-case analysis',
      '/studies/:id/cases/zwolle/analysis [en] +flash within-case analysis, saved',
      '/studies/:id/cases/zwolle/analysis [en] +flash within-case analysis, refused',
      '/studies/:id/cases/kampen/analysis [en] within-case analysis, open item',
      '/studies/:id/cases/almelo/analysis [en] within-case analysis, not submitted',
      ...(crossCase === 'scanned' ? ['/studies/:id/cross-case [en] cross-case'] : []),
    ]) {
      expect(pages, `scanned:\n${pages}`).toContain(expected);
    }
    expect(crossCase).not.toBeNull();
  });
});
