// Browser test harness: the real server started as a child process (exactly as a user starts it),
// Debian's chromium driven by playwright-core, an axe-core accessibility scan, and failure screenshots.
// All traffic stays on 127.0.0.1; nothing is downloaded.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import os from 'node:os';
import { kader, ROOT, type RunningServer } from './processes.ts';
import { beforeEach, expect } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const RESULTS_DIR = path.join(ROOT, 'test-results');
export { startServer, type RunningServer } from './processes.ts';

/**
 * The operator's set-up before a suite's server starts, with the command line: the accounts
 * (passwords from stdin) and the study file imported with `owner` as its lead. Returns the data
 * folder and the study's path.
 */
export function prepareStudy(
  suite: string,
  people: readonly { email: string; name: string; password: string }[],
  studyFile: object,
  owner: string,
): { dataDir: string; studyPath: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kader-e2e-${suite}-`));
  const env = { DATA_DIR: dataDir };
  for (const who of people) {
    const created = kader(['user:create', '--email', who.email, '--name', who.name, '--password-stdin'], env, who.password);
    expect(created.status, created.stderr).toBe(0);
  }
  const file = path.join(dataDir, `${suite}-study.json`);
  fs.writeFileSync(file, JSON.stringify(studyFile, null, 2));
  const imported = kader(['study:import', file, '--owner', owner], env);
  expect(imported.status, imported.stderr).toBe(0);
  return { dataDir, studyPath: `/studies/${(JSON.parse(imported.stdout) as { study: number }).study}` };
}

/** The demo study (`kader demo`) in a new data folder: the folder and the study's path. */
export function loadDemo(suite: string): { dataDir: string; studyPath: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kader-e2e-${suite}-`));
  const demo = kader(['demo'], { DATA_DIR: dataDir }, undefined, 180_000);
  expect(demo.status, demo.stderr).toBe(0);
  return { dataDir, studyPath: new URL(/Study: (\S+)/.exec(demo.stdout)![1]!).pathname };
}

// ---------------------------------------------------------------------------------------------
// Is there a browser? Missing chromium skips the suite loudly on a workstation, fails it in CI.

export interface BrowserAvailability {
  available: boolean;
  /** True when the suite should be skipped (chromium missing and not in CI). */
  skip: boolean;
  /** Set when chromium is missing in CI: beforeAll throws it, so the suite fails. */
  failure: string | null;
}

export function browserAvailability(): BrowserAvailability {
  const available = fs.existsSync(CHROMIUM_PATH);
  if (available) return { available, skip: false, failure: null };
  const inCi = process.env.CI === 'true';
  const message = `${CHROMIUM_PATH} is missing — run apt-get install -y chromium`;
  if (inCi) {
    console.warn(`\n*** BROWSER TESTS FAILED: ${message} (CI=true, so this is an error, not a skip) ***\n`);
    return { available, skip: false, failure: `BROWSER TESTS CANNOT RUN IN CI: ${message}` };
  }
  console.warn(`\n*** BROWSER TESTS SKIPPED: ${message} ***\n`);
  return { available, skip: true, failure: null };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Locating form controls.

/**
 * The form control whose <label> reads exactly `label`; a required field's label ends in an
 * aria-hidden "*", which Playwright's label text includes, so that is allowed after the text.
 */
export function field(page: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${escaped}(\\s*\\*)?$`));
}

// ---------------------------------------------------------------------------------------------
// Accessibility: axe-core run inside the page.

const require = createRequire(import.meta.url);
let axeSource: string | null = null;

/** axe.min.js next to the package's entry point. */
function axeScript(): string {
  axeSource ??= fs.readFileSync(path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
  return axeSource;
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export interface A11yViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; summary: string }[];
}

/** Runs axe on the page and returns the violations of impact "serious" or "critical". */
export async function axeSeriousViolations(page: Page): Promise<A11yViolation[]> {
  // The site's CSP (script-src 'self') blocks an injected inline <script>; evaluate is not subject to it.
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(`${axeScript()}\n;void 0;`);
  const violations = await page.evaluate(async (tags: string[]) => {
    type AxeNode = { target: unknown[]; failureSummary?: string };
    type AxeViolation = { id: string; impact?: string | null; help: string; helpUrl: string; nodes: AxeNode[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), summary: n.failureSummary ?? '' })),
    }));
  }, AXE_TAGS);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function formatViolations(where: string, violations: A11yViolation[]): string {
  const lines = [`${violations.length} serious/critical accessibility violation(s) on ${where}:`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes) lines.push(`      ${n.target}${n.summary ? ' — ' + n.summary.replace(/\s+/g, ' ') : ''}`);
  }
  return lines.join('\n');
}

/**
 * Scans each distinct page once. A page is its path with numbers and tokens generalised, its
 * language, and whether it shows a flash message or an error; `scan` throws on serious or
 * critical violations after printing them.
 */
export class A11yScanner {
  readonly scanned: string[] = [];
  private readonly seen = new Set<string>();

  async scan(page: Page, label?: string): Promise<void> {
    const url = new URL(page.url());
    const pathKey = url.pathname.replace(/\/set-password\/[^/]+/, '/set-password/:token').replace(/\/\d+(?=\/|$)/g, '/:id');
    const state = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      flash: document.querySelector('.flash, .error-summary') !== null,
      title: document.title,
    }));
    const key = `${pathKey} [${state.lang}]${state.flash ? ' +flash' : ''} ${label ?? state.title}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.scanned.push(key);
    const violations = await axeSeriousViolations(page);
    if (violations.length) {
      const message = formatViolations(`${url.pathname} (${key})`, violations);
      console.error(message);
      throw new Error(message);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Screenshots of failing tests.

/** The end of a browser suite: the list of pages axe scanned, then browser and server closed. */
export async function closeSuite(a11y: A11yScanner, browser: Browser | undefined, server: RunningServer | undefined): Promise<void> {
  if (a11y.scanned.length) console.info(`axe scanned ${a11y.scanned.length} pages:\n  ${a11y.scanned.join('\n  ')}`);
  await browser?.close().catch(() => {});
  await server?.stop();
}

/**
 * For a suite whose steps build on each other: when one fails, screenshot the open pages, print the
 * server's output, and skip the remaining steps rather than letting them fail in its wake.
 */
export function stopAfterFirstFailure(openPages: () => Page[], server: () => RunningServer | undefined): void {
  let failedStep: string | null = null;
  beforeEach(({ onTestFailed, skip }) => {
    if (failedStep) skip(`an earlier step failed: ${failedStep}`);
    onTestFailed(async ({ task }) => {
      failedStep ??= task.name;
      await screenshotPages(task.name, openPages());
      const running = server();
      if (running) console.warn(`server output so far:\n${running.output() || '(none)'}`);
    });
  });
}

/** Saves a full-page screenshot of every open page under test-results/; returns the files written. */
export async function screenshotPages(testName: string, pages: Page[]): Promise<string[]> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const base = testName.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 100) || 'test';
  const files: string[] = [];
  let i = 0;
  for (const page of pages) {
    if (page.isClosed()) continue;
    const file = path.join(RESULTS_DIR, `${base}${pages.length > 1 ? `-${++i}` : ''}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
      files.push(file);
    } catch (err) {
      console.warn(`could not save a screenshot to ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (files.length) console.warn(`screenshot(s) of the failed test "${testName}":\n  ${files.join('\n  ')}`);
  return files;
}

/**
 * Goes to a study page through the study navigation as a user does: the group's tab (Overview ·
 * Framework · Fieldwork · Rating · Analysis · Study), then the page in the group's row below it.
 */
export async function studyNav(page: Page, group: string, link: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Study', exact: true });
  await nav.locator('.nav-groups').getByRole('link', { name: group, exact: true }).click();
  await page.waitForLoadState();
  // A group of one page (a researcher's Study: Members) has no row of pages: its tab led there.
  const inRow = nav.locator('.nav-pages').getByRole('link', { name: link, exact: true });
  if ((await inRow.count()) > 0 && (await inRow.getAttribute('aria-current')) !== 'page') await inRow.click();
}

/** Where the browser tests leave full-page screenshots of the main pages for review, and at which widths. */
export const SCREENSHOTS_DIR = path.join(RESULTS_DIR, 'screenshots');
export const REVIEW_WIDTHS = [1366, 1024, 390] as const;

/**
 * Full-page screenshots of the page at every review width, to test-results/screenshots/<name>-<width>.png;
 * at no width may the page itself scroll sideways (a wide table scrolls in its own box). Back to
 * 1366 px afterwards.
 */
export async function reviewScreenshots(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  for (const width of REVIEW_WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}-${width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}
