// The cross-case page as members read it, on a small study worked out by hand: the heat map (values,
// classes, polarity, the order of the cases by a measure in both directions, a grouping's combined
// row, case totals), per condition n / mean / sd / distinguishing power / group means and difference
// with and without the cases explained hardly, correlations (and the pairs left out for n < 3), the
// scatter plot with its data table, explanation degree × attribute tables, the CSV download, and a
// constant number of statements for 3 and 20 cases.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../server/cases/cases.csv.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

const LEAD = 'lead@example.org';
const A = 'ann@example.org';
const B = 'bob@example.org';
const VIEWER = 'view@example.org';

/**
 * Scale 1–5, relative classes. Conditions: 0 (level 0, measured: the outcome), 1.a (level 1),
 * 2.a (level 2, LOWER is favourable: f = 6 − score), 2.b (level 2), 2.c (level 2).
 * Grouping G = 2.a + 2.b; 2.a has a method-3 decision, so G is shown as a combined row.
 * Both raters give the same score everywhere, so every score is final.
 *
 *        1.a  2.a (f)   2.b  2.c   0    inw   group    joint  degree
 *   c1   2    4 (2)     3    1    −4    10    deficit  yes    good
 *   c2   3    2 (4)     3    2     6    20    deficit  no     hardly
 *   c3   5    1 (5)     3    5    10    —     surplus  yes    fair
 *   c4   4    3 (3)     3    4    −6    —     surplus  yes    hardly
 *   c5   1    5 (1)     3    3     2    —     —        no     —
 *
 * Classes, p = (r − 0.5)/5 (low < 1/3 < medium < 2/3 < high):
 *   1.a f 2,3,5,4,1 → ranks 2,3,5,4,1 → c1 low (.3), c2 medium (.5), c3 high (.9), c4 high (.7), c5 low (.1)
 *   2.a f 2,4,5,3,1 → ranks 2,4,5,3,1 → c1 low, c2 high (.7), c3 high, c4 medium, c5 low
 *   2.b all 3 → medium;  0: −4, 6, 10, −6, 2 → ranks 2,4,5,1,3 → c1 low, c2 high, c3 high, c4 low, c5 medium
 *   G (mean of f 2.a and 2.b): c1 2.5, c2 3.5, c3 4, c4 3, c5 2 → ranks 2,4,5,3,1 → low, high, high, medium, low
 *
 * Statistics (favourability), all cases / without c2 and c4 (hardly):
 *   1.a  n 5, mean 3, Σd² = 1+0+4+1+4 = 10, sd √2.5 = 1.58; deficit 2,3 → 2.50; surplus 5,4 → 4.50; diff 2.00 (surplus − deficit)
 *        without: 2, 5, 1 → n 3, mean 8/3 = 2.67, Σd² = 4/9+49/9+25/9 = 78/9, sd √(39/9) = 2.08; deficit 2.00 (n 1), surplus 5.00 (n 1), diff 3.00
 *   2.a  2,4,5,3,1 → mean 3, sd 1.58; deficit 3.00, surplus 4.00, diff 1.00; without: 2,5,1 as 1.a
 *   2.b  all 3 → mean 3.00, sd 0.00, none; equal group means: diff 0.00 (deficit − surplus, first group in case order first)
 *   0    −4,6,10,−6,2 → mean 1.6, Σd² = 31.36+19.36+70.56+57.76+0.16 = 179.2, sd √44.8 = 6.69; deficit 1.00, surplus 2.00, diff 1.00; n/a distinguishing
 *   G    2.5,3.5,4,3,2 → mean 3.00, spread 2 → yes
 *
 * Totals (f of 1.a, 2.a, 2.b, 2.c): c1 2+2+3+1 = 8 (2.00), c2 12 (3.00), c3 18 (4.50), c4 14 (3.50), c5 8 (2.00).
 * total (mean) vs 0: dx −1, 0, 1.5, .5, −1; dy −5.6, 4.4, 8.4, −7.6, .4: Sxy = 5.6 + 12.6 − 3.8 − .4 = 14,
 *   Sxx = 4.5, Syy = 179.2 → r = 14/√806.4 = 0.493.
 *   Ranks x 1.5, 3, 5, 4, 1.5; y 2, 4, 5, 1, 3: Sxy = 1.5 + 4 − 2 = 3.5, Sxx = 9.5, Syy = 10 → ρ = 3.5/√95 = 0.359.
 * inw: only c1 and c2 have it → n 2 < 3, every pair with it is left out.
 */
const CASES: Record<string, { scores: [number, number, number, number]; measures: Record<string, number>; group?: string; joint: boolean }> = {
  c1: { scores: [2, 4, 3, 1], measures: { '0': -4, inw: 10 }, group: 'deficit', joint: true },
  c2: { scores: [3, 2, 3, 2], measures: { '0': 6, inw: 20 }, group: 'deficit', joint: false },
  c3: { scores: [5, 1, 3, 5], measures: { '0': 10 }, group: 'surplus', joint: true },
  c4: { scores: [4, 3, 3, 4], measures: { '0': -6 }, group: 'surplus', joint: true },
  c5: { scores: [1, 5, 3, 3], measures: { '0': 2 }, joint: false },
};
const CODES = ['1.a', '2.a', '2.b', '2.c'] as const;

/** The study with `count` cases: the first of c1…c5, then copies of c2 with other measures. */
function studyFile(count = 5) {
  const condition = (code: string, level: number, name: string, extra: object = {}) => ({
    code, level, name, polarity: 'higher-is-favourable', kind: 'rated', ...extra,
  });
  const cases = Object.fromEntries(Object.entries(CASES).slice(0, count));
  for (let i = 0; i < count - 5; i++) cases[`x${i}`] = { ...CASES.c2!, measures: { '0': i, inw: i * 2 } };
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'Cross-case study', language: 'en', question: '' },
    framework: {
      title: 'Small framework',
      levels: [{ number: 0, name: 'Outcome' }, { number: 1, name: 'Caseload' }, { number: 2, name: 'Execution' }],
      conditions: [
        condition('0', 0, 'Budget result', { kind: 'measured' }),
        condition('1.a', 1, 'Outflow to work'),
        condition('2.a', 2, 'Lenient gate', { polarity: 'lower-is-favourable' }),
        condition('2.b', 2, 'Sanctions'),
        condition('2.c', 2, 'Case load per worker'),
      ],
      relations: [{ from: '2.a', to: '1.a' }, { from: '1.a', to: '0' }],
      groupings: [{ key: 'G', name: 'Gate', members: ['2.a', '2.b'] }],
    },
    members: [
      { email: A, name: 'Ann Rater', role: 'researcher' },
      { email: B, name: 'Bob Rater', role: 'researcher' },
      { email: VIEWER, name: 'Vera Viewer', role: 'viewer' },
    ],
    cases: Object.entries(cases).map(([key, c]) => ({
      key, name: `Case ${key}`, ...(c.group ? { group: c.group } : {}), attributes: { joint: c.joint }, measures: c.measures, raters: [A, B],
    })),
    ratings: Object.entries(cases).flatMap(([key, c]) =>
      CODES.flatMap((code, i) => [A, B].map((rater) => ({ case: key, condition: code, rater, score: c.scores[i]!, submitted: true }))),
    ),
    reductions: [{ condition: '2.a', method: 3, reason: 'A form of the same gate as 2.b.', by: LEAD }],
    caseAnalyses: (
      [
        { case: 'c1', explanationDegree: 'good' },
        { case: 'c2', explanationDegree: 'hardly' },
        { case: 'c3', explanationDegree: 'fair' },
        { case: 'c4', explanationDegree: 'hardly' },
      ] as const
    ).filter((a) => a.case in cases),
  };
}

async function setUp(count = 5, change: (doc: ReturnType<typeof studyFile>) => object = (doc) => doc) {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: LEAD, name: 'Lena Lead' });
  for (const [email, name] of [[A, 'Ann Rater'], [B, 'Bob Rater'], [VIEWER, 'Vera Viewer']] as const) await makeUser(ctx.services, { email, name });
  const valid = validateStudyFile(change(studyFile(count)));
  if (!valid.ok) throw new Error(JSON.stringify(valid.problems.slice(0, 5)));
  const { studyId } = await ctx.services.studyFile.importer.run(valid.doc, { owner: leadId, actorId: leadId });
  const viewer = await loginAs(ctx.app, VIEWER);
  const page = `/studies/${studyId}/cross-case`;
  return { ctx, studyId, leadId, viewer, page };
}

// ── Reading the page ─────────────────────────────────────────────────────────────────────────────

const text = (html: string) =>
  html.replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();

/** The page from the first `<table class="…` that starts with `opening` up to its end. */
function table(html: string, opening: string): string {
  const start = html.indexOf(`<table class="${opening}`);
  if (start < 0) throw new Error(`no table ${opening}`);
  return html.slice(start, html.indexOf('</table>', start));
}

/** The body rows of a table with the attribute `attr` (e.g. data-code), as attribute value → cell texts (th included). */
function rowsBy(html: string, attr: string): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const m of html.matchAll(new RegExp(`<tr ${attr}="([^"]*)"[^>]*>([\\s\\S]*?)</tr>`, 'g'))) {
    rows[m[1]!] = [...m[2]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1]!));
  }
  return rows;
}

/** Data-stat cells of one row: stat name → text. */
function stats(rowHtml: string): Record<string, string> {
  return Object.fromEntries([...rowHtml.matchAll(/data-stat="([^"]+)"[^>]*>([\s\S]*?)<\/td>/g)].map((m) => [m[1]!, text(m[2]!)]));
}

function rowHtml(html: string, attr: string, value: string): string {
  const m = new RegExp(`<tr ${attr}="${value.replace(/\./g, '\\.')}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  if (!m) throw new Error(`no row ${attr}=${value}`);
  return m[1]!;
}

/** The heat map's column order (case keys). */
const columnOrder = (html: string) => [...table(html, 'cross-heatmap').matchAll(/<th scope="col" class="case-col" data-case="([^"]+)"/g)].map((m) => m[1]);

describe('cross-case heat map', () => {
  it('shows every analysed condition by level with the value and class of each case, ordered by the outcome by default', async () => {
    const { viewer, page } = await setUp();
    const res = await viewer.agent.get(page);
    expect(res.status).toBe(200);
    const heat = table(res.text, 'cross-heatmap');
    // Default order: measure 0 (the level-0 measured condition) ascending: c4 −6, c1 −4, c5 2, c2 6, c3 10.
    expect(columnOrder(res.text)).toEqual(['c4', 'c1', 'c5', 'c2', 'c3']);
    expect(text(heat)).toContain('ordered by 0 Budget result, ascending');
    // Levels as row groups, conditions in framework order.
    expect([...heat.matchAll(/<th scope="rowgroup"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual([
      'Level 0: Outcome', 'Level 1: Caseload', 'Level 2: Execution', 'Groupings (method 3): the mean favourability of the members',
    ]);
    const rows = rowsBy(heat, 'data-code');
    expect(Object.keys(rows)).toEqual(['0', '1.a', '2.a', '2.b', '2.c']);
    // Value AND class in words in every cell (column order c4, c1, c5, c2, c3); 2.a shows the raw score, classed on 6 − score.
    expect(rows['1.a']!.slice(1)).toEqual(['4 H high', '2 L low', '1 L low', '3 M medium', '5 H high']);
    expect(rows['2.a']!.slice(1)).toEqual(['3 M medium', '4 L low', '5 L low', '2 H high', '1 H high']);
    expect(rows['2.b']!.slice(1)).toEqual(['3 M medium', '3 M medium', '3 M medium', '3 M medium', '3 M medium']);
    expect(rows['0']!.slice(1)).toEqual(['-6 L low', '-4 L low', '2 M medium', '6 H high', '10 H high']);
    expect(rows['2.a']![0]).toContain('lower is favourable');
    expect(rows['2.a']![0]).toContain('grouped in G Gate');
    expect([...rowHtml(heat, 'data-code', '1.a').matchAll(/data-class="(\w+)"/g)].map((m) => m[1])).toEqual(['high', 'low', 'low', 'medium', 'high']);
    // The grouping's combined row: the mean favourability of 2.a and 2.b, classed like a condition.
    expect(rowsBy(heat, 'data-grouping').G!.slice(1)).toEqual(['3.00 M medium', '2.50 L low', '2.00 L low', '3.50 H high', '4.00 H high']);
    // Case totals: sum (mean) of favourability.
    const total = text(heat.slice(heat.indexOf('<tfoot>')));
    expect(total).toBe('Case total: sum (mean) of favourability 14 (3.50) 8 (2.00) 8 (2.00) 12 (3.00) 18 (4.50)');
    // Column headings carry the order value, the group and the explanation degree.
    expect(text(/data-case="c2">([\s\S]*?)<\/th>/.exec(heat)![1]!)).toBe('Case c2 6 deficit hardly');
  });

  it('classes by the scale in absolute mode, says so, and leaves the rated cells of a case whose raters have not all submitted empty', async () => {
    const { viewer, page } = await setUp(5, (doc) => ({
      ...doc,
      study: { ...doc.study, settings: { classification: 'absolute' } },
      // c5: Bob has not submitted, so c5 has no final scores; its measure still counts.
      ratings: doc.ratings.map((r) => (r.case === 'c5' && r.rater === B ? { ...r, submitted: false } : r)),
    }));
    const res = await viewer.agent.get(page);
    const heat = table(res.text, 'cross-heatmap');
    const rows = rowsBy(heat, 'data-code');
    // Column order c4, c1, c5, c2, c3. 1.a: t = (s − 1)/4 → 4 .75 high, 2 .25 low, 3 .5 medium, 5 high; c5 no value.
    expect(rows['1.a']!.slice(1)).toEqual(['4 H high', '2 L low', '– no value', '3 M medium', '5 H high']);
    // The measured outcome is still classed relatively, c5 included.
    expect(rows['0']!.slice(1)).toEqual(['-6 L low', '-4 L low', '2 M medium', '6 H high', '10 H high']);
    expect(text(/data-case="c5">([\s\S]*?)<\/th>/.exec(heat)![1]!)).toBe('Case c5 2 not all raters submitted');
    expect(text(res.text)).toContain('1 case(s) have raters who have not all submitted');
    expect(text(res.text)).toContain('Absolute, on the rating scale 1–5: t = (favourability − 1) / (5 − 1); low if t < 1/3, high if t > 2/3, else medium.');
    expect(stats(rowHtml(table(res.text, 'cross-stats'), 'data-code', '1.a'))).toMatchObject({ 'all-n': '4', 'all-mean': '3.50' });
  });

  it('orders the cases by the measure the user picks, in either direction; cases without it come last', async () => {
    const { viewer, page } = await setUp();
    expect(columnOrder((await viewer.agent.get(`${page}?order=0&dir=desc`)).text)).toEqual(['c3', 'c2', 'c5', 'c1', 'c4']);
    expect(columnOrder((await viewer.agent.get(`${page}?order=inw&dir=asc`)).text)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(columnOrder((await viewer.agent.get(`${page}?order=inw&dir=desc`)).text)).toEqual(['c2', 'c1', 'c3', 'c4', 'c5']);
    expect(columnOrder((await viewer.agent.get(`${page}?order=case`)).text)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(columnOrder((await viewer.agent.get(`${page}?order=case&dir=desc`)).text)).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
    // An unknown measure or direction falls back to the default.
    const fallback = await viewer.agent.get(`${page}?order=nope&dir=sideways`);
    expect(fallback.status).toBe(200);
    expect(columnOrder(fallback.text)).toEqual(['c4', 'c1', 'c5', 'c2', 'c3']);
    expect(fallback.text).toMatch(/<option value="0" selected>0 Budget result<\/option>/);
  });
});

describe('cross-case statistics per condition', () => {
  it('gives n, mean, sd, distinguishing power, group means and the difference, with and without the cases explained hardly', async () => {
    const { viewer, page } = await setUp();
    const html = table((await viewer.agent.get(page)).text, 'cross-stats');
    expect([...html.matchAll(/<tr data-code="([^"]+)"/g)].map((m) => m[1])).toEqual(['0', '1.a', '2.a', '2.b', '2.c', 'G']);
    expect(text(html)).toContain('Mean deficit Mean surplus');
    expect(stats(rowHtml(html, 'data-code', '1.a'))).toEqual({
      'all-n': '5', 'all-mean': '3.00', 'all-sd': '1.58', 'all-distinguishing': 'yes',
      'all-group-0': '2.50 (n 2)', 'all-group-1': '4.50 (n 2)', 'all-difference': '2.00 (surplus − deficit)',
      'robust-n': '3', 'robust-mean': '2.67', 'robust-sd': '2.08', 'robust-distinguishing': 'yes',
      'robust-group-0': '2.00 (n 1)', 'robust-group-1': '5.00 (n 1)', 'robust-difference': '3.00 (surplus − deficit)',
    });
    expect(stats(rowHtml(html, 'data-code', '2.a'))).toMatchObject({
      'all-mean': '3.00', 'all-sd': '1.58', 'all-group-0': '3.00 (n 2)', 'all-group-1': '4.00 (n 2)', 'all-difference': '1.00 (surplus − deficit)',
      'robust-n': '3', 'robust-mean': '2.67', 'robust-difference': '3.00 (surplus − deficit)',
    });
    expect(stats(rowHtml(html, 'data-code', '2.b'))).toMatchObject({
      'all-n': '5', 'all-mean': '3.00', 'all-sd': '0.00', 'all-distinguishing': 'none', 'all-difference': '0.00 (deficit − surplus)',
    });
    expect(stats(rowHtml(html, 'data-code', '0'))).toMatchObject({
      'all-n': '5', 'all-mean': '1.60', 'all-sd': '6.69', 'all-distinguishing': 'n/a (measured)',
      'all-group-0': '1.00 (n 2)', 'all-group-1': '2.00 (n 2)', 'all-difference': '1.00 (surplus − deficit)',
    });
    expect(stats(rowHtml(html, 'data-code', 'G'))).toMatchObject({ 'all-n': '5', 'all-mean': '3.00', 'all-distinguishing': 'yes' });
    const page2 = (await viewer.agent.get(page)).text;
    expect(text(page2)).toContain('Explained hardly, and left out of the right half: Case c2, Case c4 (2).');
  });

  it('downloads the same table as CSV at full precision', async () => {
    const { viewer, page } = await setUp();
    const res = await viewer.agent.get(`${page}.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [head, ...records] = parseCsv(res.text).map((r) => r.fields);
    const row = (code: string) => Object.fromEntries(head!.map((h, i) => [h, records.find((r) => r[0] === code)![i]]));
    expect(records.map((r) => r[0])).toEqual(['0', '1.a', '2.a', '2.b', '2.c', 'G']);
    expect(row('1.a')).toMatchObject({ n: '5', mean: '3', sd: String(Math.sqrt(2.5)), distinguishing: 'yes', 'mean deficit': '2.5', 'mean surplus': '4.5', difference: '2', difference_high: 'surplus', without_hardly_n: '3' });
    expect(Number(row('1.a').without_hardly_mean)).toBeCloseTo(8 / 3, 12);
    expect(row('G')).toMatchObject({ kind: 'grouping', mean: '3' });
  });
});

describe('cross-case correlations and scatter plot', () => {
  it('shows Pearson, Spearman and n for the total and every rated condition, and says when n < 3 leaves a pair out', async () => {
    const { viewer, page } = await setUp();
    const res = await viewer.agent.get(page);
    const html = table(res.text, 'cross-correlations');
    const total = rowHtml(html, 'data-x', 'total');
    const cell = (row: string, y: string, stat: string) => text(new RegExp(`data-y="${y}" data-stat="${stat}">([\\s\\S]*?)</td>`).exec(row)![1]!);
    expect(cell(total, '0', 'n')).toBe('5');
    expect(cell(total, '0', 'pearson')).toBe('0.493');
    expect(cell(total, '0', 'spearman')).toBe('0.359');
    expect(14 / Math.sqrt(806.4)).toBeCloseTo(0.49301, 5);
    expect(3.5 / Math.sqrt(95)).toBeCloseTo(0.35909, 5);
    // Only two cases have inw: not computed, and the page says so with n.
    expect(cell(total, 'inw', 'n')).toBe('2');
    expect(cell(total, 'inw', 'omitted')).toBe('not shown: fewer than 3 cases');
    // 2.b does not vary: n/a, not 0.
    expect(cell(rowHtml(html, 'data-x', '2.b'), '0', 'pearson')).toBe('n/a');
    expect([...html.matchAll(/<tr data-x="([^"]+)"/g)].map((m) => m[1])).toEqual(['total', '1.a', '2.a', '2.b', '2.c']);
  });

  it('draws the total against the chosen measure as an accessible SVG with a data table', async () => {
    const { viewer, page } = await setUp();
    const res = await viewer.agent.get(page);
    const svg = /<svg[^>]*class="scatter"[\s\S]*?<\/svg>/.exec(res.text)![0];
    expect(svg).toMatch(/role="img" aria-labelledby="cross-scatter-title cross-scatter-desc"/);
    expect(svg).toContain('<title id="cross-scatter-title">Case total (mean favourability) against 0 Budget result</title>');
    expect(svg).toContain('Scatter plot of 5 cases');
    expect(svg).toContain('Pearson r = 0.493, Spearman ρ = 0.359, n = 5.');
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg).toContain('<title>Case c3: 10; total 4.50</title>');
    const data = rowsBy(table(res.text, 'cross-scatter-table'), 'data-case');
    expect(data.c4).toEqual(['Case c4', '-6', '3.50', '14 (n 4)']);

    const inw = await viewer.agent.get(`${page}?x=inw`);
    const svg2 = /<svg[^>]*class="scatter"[\s\S]*?<\/svg>/.exec(inw.text)![0];
    expect(svg2.match(/<circle /g)).toHaveLength(2);
    expect(svg2).toContain('Only 2 case(s) have both values: no correlation (it needs 3).');
    expect(inw.text).toMatch(/<option value="inw" selected>inw<\/option>/);
  });
});

describe('explanation degree × attribute', () => {
  it('counts the cases per degree and value of the outcome group and of each case attribute', async () => {
    const { viewer, page } = await setUp();
    const res = await viewer.agent.get(page);
    const groups = table(res.text, 'cross-degrees" data-attribute="">');
    expect(text(groups.slice(0, groups.indexOf('<tbody>')))).toBe('Explanation degree × outcome group: number of cases Explanation degree deficit surplus (none) Total');
    expect(rowsBy(groups, 'data-degree')).toEqual({
      hardly: ['hardly', '1', '1', '0', '2'],
      limited: ['limited', '0', '0', '0', '0'],
      fair: ['fair', '0', '1', '0', '1'],
      good: ['good', '1', '0', '0', '1'],
      unset: ['not set', '0', '0', '1', '1'],
      total: ['Total', '2', '2', '1', '5'],
    });
    const joint = table(res.text, 'cross-degrees" data-attribute="joint">');
    expect(text(joint.slice(0, joint.indexOf('<tbody>')))).toBe('Explanation degree × joint: number of cases Explanation degree yes no Total');
    expect(rowsBy(joint, 'data-degree')).toEqual({
      hardly: ['hardly', '1', '1', '2'],
      limited: ['limited', '0', '0', '0'],
      fair: ['fair', '1', '0', '1'],
      good: ['good', '1', '0', '1'],
      unset: ['not set', '0', '1', '1'],
      total: ['Total', '3', '2', '5'],
    });
  });

  it('explains the rules in words for the study’s classification', async () => {
    const { viewer, page } = await setUp();
    const res = await viewer.agent.get(page);
    expect(text(res.text)).toContain('Relative to the other cases: per condition, over the cases that have a value, rank the favourability');
    expect(text(res.text)).toContain('not shown when n < 3');
  });
});

describe('cross-case statement count', () => {
  it('loads with the same number of statements for 3 and 20 cases', async () => {
    const counts: number[] = [];
    for (const count of [3, 20]) {
      const { ctx, viewer, page } = await setUp(count);
      await viewer.agent.get(page).expect(200);
      ctx.counter.reset();
      const res = await viewer.agent.get(page).expect(200);
      expect(columnOrder(res.text)).toHaveLength(count);
      counts.push(ctx.counter.count);
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBe(counts[0]);
  });
});
