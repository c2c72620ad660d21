// Exports: the page lists every download for every member; CSV and XLSX (read back with exceljs:
// a sheet per table, header bold and frozen, numbers as numbers); blinding as on the pages; and the
// anonymised switch on every download, new and existing, leaves no real case name or alias anywhere.
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { findLeaks, replacementsOf } from '../../server/anonymise/anonymise.rules.ts';
import { parseCsv } from '../../server/cases/cases.csv.ts';
import { xlsxBuilds } from '../../server/exports/exports.xlsx.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';
import { BLIND_CASE, BLIND_SECRET, importNamedStudy, LEAD, NAMED, VIEWER } from './anonymise.fixture.ts';

const REPLACEMENTS = replacementsOf(NAMED.map((c) => ({ ...c, pseudonym: '?' })));

/** supertest buffers binary answers when asked to. */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function setUp() {
  const ctx = testApp();
  await makeUser(ctx.services, { email: LEAD });
  await makeUser(ctx.services, { email: VIEWER });
  const studyId = await importNamedStudy(ctx.services);
  const lead = await loginAs(ctx.app, LEAD);
  const viewer = await loginAs(ctx.app, VIEWER);
  return { ...ctx, studyId, lead, viewer, base: `/studies/${studyId}` };
}

/** Every text of a workbook: sheet names and every cell's value. */
async function readWorkbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheets = wb.worksheets.map((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return { name: ws.name, ws, rows };
  });
  const text = JSON.stringify(sheets.map((s) => [s.name, s.rows]));
  return { sheets, text };
}

const CSV_DOWNLOADS = (base: string) => [
  `${base}/ratings.csv`,
  `${base}/final-scores.csv`,
  `${base}/agreement.csv`,
  `${base}/agreement.json`,
  ...['classes', 'class-matrix', 'analysis-cases', 'analysis-conditions', 'analysis-relations', 'analysis-level-pairs', 'analysis-correlations', 'analysis-groupings'].map(
    (t) => `${base}/exports/${t}.csv`,
  ),
];
const WORKBOOKS = ['ratings', 'final-scores', 'classes', 'analysis', 'agreement'];

describe('exports page', () => {
  it('lists every download for a viewer, with the anonymised switch; the study file only for leads', async () => {
    const { viewer, lead, base } = await setUp();
    const page = await viewer.agent.get(`${base}/exports`);
    expect(page.status).toBe(200);
    for (const href of [...CSV_DOWNLOADS(base), ...WORKBOOKS.map((w) => `${base}/exports/${w}.xlsx`)]) expect(page.text).toContain(`href="${href}"`);
    expect(page.text).not.toContain(`${base}/exports/study.json`);
    expect(page.text).toContain('name="anonymised" value="1"');
    const anonymised = await viewer.agent.get(`${base}/exports?anonymised=1`);
    expect(anonymised.text).toContain(`href="${base}/exports/analysis.xlsx?anonymised=1"`);
    expect(anonymised.text).toContain(`href="${base}/ratings.csv?anonymised=1"`);
    expect(anonymised.text).toMatch(/name="anonymised" value="1" checked/);
    expect((await lead.agent.get(`${base}/exports`)).text).toContain(`href="${base}/exports/study.json"`);
    expect((await viewer.agent.get(`${base}/exports/study.json`)).status).toBe(403);
    expect((await viewer.agent.get(`${base}/exports/nothing.csv`)).status).toBe(404);
    expect((await viewer.agent.get(`${base}/exports/nothing.xlsx`)).status).toBe(404);
  });
});

describe('anonymised downloads', () => {
  it('every CSV and JSON download holds the real names normally and none of them (nor an alias) when anonymised', async () => {
    const { lead, base } = await setUp();
    for (const href of CSV_DOWNLOADS(base)) {
      const named = await lead.agent.get(href);
      expect(named.status, href).toBe(200);
      const anonymised = await lead.agent.get(`${href}?anonymised=1`);
      expect(anonymised.status, href).toBe(200);
      expect(findLeaks(anonymised.text, REPLACEMENTS), href).toEqual([]);
      expect(anonymised.text, href).not.toContain('dordrecht');
      if (!href.includes('correlations') && !href.includes('groupings') && !href.includes('conditions')) {
        expect(findLeaks(named.text.replaceAll('-', ' '), REPLACEMENTS).length, href).toBeGreaterThan(0);
      }
    }
  });

  it('anonymised CSV: case keys become pseudonymous keys, texts get pseudonyms, rows follow the pseudonyms, numbers stay numbers', async () => {
    const { lead, base, services, studyId } = await setUp();
    const pseudonymOf = new Map(services.repos.cases.list(studyId).map((c) => [c.key, c.pseudonym!]));
    const keyOf = (key: string) => pseudonymOf.get(key)!.toLowerCase().replace(' ', '-');
    const res = await lead.agent.get(`${base}/final-scores.csv?anonymised=1`);
    const [header, ...rows] = parseCsv(res.text).map((r) => r.fields);
    expect(header).toEqual(['case', 'condition', 'score', 'status', 'note', 'decided_by', 'decided_at']);
    const cases = rows.map((r) => r[0]!);
    expect(cases).toEqual([...cases].sort((x, y) => x.localeCompare(y, 'en', { numeric: true })));
    const reconciled = rows.find((r) => r[0] === keyOf('dordrecht') && r[1] === '1.a')!;
    expect(reconciled[2]).toBe('2');
    expect(reconciled[4]).toBe(`Besproken: de cijfers van ${pseudonymOf.get('dordrecht')} (${pseudonymOf.get('dordrecht')}) zijn streng.`);
    // Agreement: the `case` records' keys are pseudonymous, the other records keep theirs and their place.
    const agreement = parseCsv((await lead.agent.get(`${base}/agreement.csv?anonymised=1`)).text).map((r) => r.fields);
    expect(agreement[1]![0]).toBe('overall');
    const caseKeys = agreement.filter((r) => r[0] === 'case').map((r) => r[1]);
    expect(caseKeys.every((k) => /^gemeente-\d+$/.test(k!))).toBe(true);
    expect(agreement.filter((r) => r[0] === 'condition').map((r) => r[1])).toEqual(['0', '1.a', '1.b']);
    const json = JSON.parse((await lead.agent.get(`${base}/agreement.json?anonymised=1`)).text) as { byCase: { case: string }[]; byRaterPair: { raters: string[] }[] };
    expect(json.byCase.map((g) => g.case).every((k) => /^gemeente-\d+$/.test(k))).toBe(true);
    expect(json.byRaterPair.flatMap((p) => p.raters)).toContain('member-1@example.invalid');
  });

  it('XLSX: a sheet per table, header bold and frozen, numbers as numbers; anonymised holds no name', async () => {
    const { lead, base } = await setUp();
    for (const workbook of WORKBOOKS) {
      const named = await lead.agent.get(`${base}/exports/${workbook}.xlsx`).buffer(true).parse(binary);
      expect(named.status, workbook).toBe(200);
      expect(named.headers['content-type']).toContain('spreadsheetml');
      const anonymised = await lead.agent.get(`${base}/exports/${workbook}.xlsx?anonymised=1`).buffer(true).parse(binary);
      expect(anonymised.headers['content-disposition']).toContain('-anonymised.xlsx');
      const read = await readWorkbook(anonymised.body as Buffer);
      expect(findLeaks(read.text, REPLACEMENTS), workbook).toEqual([]);
      expect(read.text, workbook).not.toContain('dordrecht');
      for (const { ws } of read.sheets) {
        expect(ws.getRow(1).font?.bold, `${workbook} ${ws.name}`).toBe(true);
        expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      }
    }
    const analysis = await readWorkbook((await lead.agent.get(`${base}/exports/analysis.xlsx`).buffer(true).parse(binary)).body as Buffer);
    expect(analysis.sheets.map((s) => s.name)).toEqual(['cases', 'conditions', 'classes', 'relations', 'level pairs', 'correlations', 'groupings']);
    expect(findLeaks(analysis.text, REPLACEMENTS).length).toBeGreaterThan(0);
    const cases = analysis.sheets[0]!.rows;
    const header = cases[0] as string[];
    const dordrecht = cases.find((r) => r[0] === 'dordrecht')!;
    for (const column of ['total_sum', 'total_mean', 'total_n', 'attribute:inwoners', 'measure:inw']) {
      expect(typeof dordrecht[header.indexOf(column)], column).toBe('number');
    }
    expect(dordrecht[header.indexOf('ready')]).toBe(true);
    const ratings = await readWorkbook((await lead.agent.get(`${base}/exports/ratings.xlsx`).buffer(true).parse(binary)).body as Buffer);
    const scores = ratings.sheets[0]!.rows.slice(1).map((r) => r[3]);
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.every((s) => typeof s === 'number')).toBe(true);
  });

  it('the lead’s study file download: named as /export.json, anonymised as study-format.md says', async () => {
    const { lead, base, studyId } = await setUp();
    const named = await lead.agent.get(`${base}/exports/study.json`);
    expect(named.status).toBe(200);
    expect(JSON.parse(named.text)).toEqual(JSON.parse((await lead.agent.get(`${base}/export.json`)).text));
    const anonymised = await lead.agent.get(`${base}/exports/study.json?anonymised=1`);
    expect(anonymised.headers['content-disposition']).toBe(`attachment; filename="kader-${studyId}-anonymised.json"`);
    expect(findLeaks(anonymised.text, REPLACEMENTS)).toEqual([]);
    expect(anonymised.text).not.toContain('selectionReason');
  });
});

describe('blinding in exports', () => {
  it('a viewer’s downloads leave out the blind case’s ratings and give it no final scores or classes', async () => {
    const { viewer, base } = await setUp();
    const ratings = (await viewer.agent.get(`${base}/ratings.csv`)).text;
    expect(ratings).not.toContain(BLIND_SECRET);
    expect(parseCsv(ratings).map((r) => r.fields[0])).not.toContain(BLIND_CASE);
    const workbook = await readWorkbook((await viewer.agent.get(`${base}/exports/ratings.xlsx`).buffer(true).parse(binary)).body as Buffer);
    expect(workbook.text).not.toContain(BLIND_SECRET);
    expect(workbook.text).not.toContain(BLIND_CASE);
    const classes = parseCsv((await viewer.agent.get(`${base}/exports/classes.csv`)).text).map((r) => r.fields[0]);
    expect(classes).toContain('dordrecht');
    expect(classes).not.toContain(BLIND_CASE);
    const finals = parseCsv((await viewer.agent.get(`${base}/final-scores.csv`)).text).map((r) => r.fields[0]);
    expect(finals).not.toContain(BLIND_CASE);
  });
});

describe('XLSX builds at a time', () => {
  /** Takes both build slots, as two downloads in progress would. */
  async function holdBoth() {
    const held = [(await xlsxBuilds.acquire())!, (await xlsxBuilds.acquire())!];
    return { releaseOne: () => held.shift()!(), releaseAll: () => held.splice(0).forEach((release) => release()) };
  }

  it('a download beyond the two being built waits for its turn, then gets the whole workbook', async () => {
    const { lead, base } = await setUp();
    const slots = await holdBoth();
    try {
      const pending = Promise.resolve(lead.agent.get(`${base}/exports/ratings.xlsx`).buffer(true).parse(binary));
      await vi.waitFor(() => expect(xlsxBuilds.waiting).toBe(1));
      slots.releaseOne();
      const res = await pending;
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="study-${base.split('/')[2]}-ratings.xlsx"`);
      const read = await readWorkbook(res.body as Buffer);
      expect(read.sheets[0]!.rows.length).toBeGreaterThan(1);
    } finally {
      slots.releaseAll();
    }
    expect(xlsxBuilds.active).toBe(0);
  });

  it('answers 503 with Retry-After and a message in the user’s language when no turn comes in time', async () => {
    const { lead, base } = await setUp();
    const slots = await holdBoth();
    const { waitMs } = xlsxBuilds.options;
    xlsxBuilds.options.waitMs = 30;
    try {
      const res = await lead.agent.get(`${base}/exports/analysis.xlsx`);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.text).toContain('Several spreadsheets are being prepared right now. Please try again in half a minute.');
      const dutch = await lead.agent.get(`${base}/exports/analysis.xlsx`).set('Accept-Language', 'nl');
      expect(dutch.status).toBe(503);
      expect(dutch.text).toContain('Er worden nu meerdere spreadsheets aangemaakt. Probeer het over een halve minuut opnieuw.');
      expect(xlsxBuilds.waiting).toBe(0);
    } finally {
      xlsxBuilds.options.waitMs = waitMs;
      slots.releaseAll();
    }
    expect(xlsxBuilds.active).toBe(0);
  });
});
