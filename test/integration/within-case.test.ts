// The within-case analysis page as members use it, on a small study worked out by hand: the verdict
// table, the level pairs, the skip-level-1 view, the final scores with favourability and class, the
// diagram's classes and line styles per relation (by its data attributes), a case whose raters have
// not all submitted (no classes anywhere), the lead's explanation degree (422 keeps the text, a stale
// form is refused, an audit entry), viewers read but do not post, and a constant number of statements.
import { describe, expect, it } from 'vitest';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

const LEAD = 'lead@example.org';
const A = 'ann@example.org';
const B = 'bob@example.org';
const VIEWER = 'view@example.org';

type Scores = Record<string, [number, number]>;
/**
 * Scale 1–5, relative classes. Conditions: 0 (level 0, measured), 1.a (level 1), 2.a (level 2, LOWER
 * is favourable), 2.b (level 2), 2.c (level 2, dropped by method 1 — leaves every view).
 * Relations: R1 2.a→1.a, R2 2.b→1.a, R3 1.a→0, R4 2.b→0, R5 2.c→1.a (gone with 2.c), R6 0→2.b feedback.
 *
 *        1.a             2.a (f = 6 − s)   2.b               0 (measure)
 *   c1   2               5 → f 1           4                 10
 *   c2   5               2 → f 4           2                 30
 *   c3   2/4 → lead 3    3 → f 3           4/5 open          20
 *   c4   Bob has not submitted: not ready, no final scores   5
 *
 * Classes (rank r, p = (r − 0.5)/n; low p < 1/3, high p > 2/3):
 *   1.a f 2, 5, 3 → c1 low, c2 high, c3 medium;  2.a f 1, 4, 3 → c1 low, c2 high, c3 medium
 *   2.b 4, 2 (n 2) → c1 high (p .75), c2 low (p .25); c3 none (open)
 *   0   10, 30, 20, 5 (c4's measure counts: measures are not blind) → c4 low, c1 medium (.375), c3 medium (.625), c2 high
 *
 *        R1 2.a→1.a   R2 2.b→1.a   R3 1.a→0    R4 2.b→0    R6 0→2.b (feedback)
 *   c1   low/low A    high/low X   low/med P   high/med P  med/high P
 *   c2   high/high A  low/high X   high/high A low/high X  high/low X
 *   c3   med/med A    —/med U      med/med A   —/med U     med/— U
 *
 * Level pairs s = (A + P/2)/(judged): c1 1→0 .5 fair, 2→0 .5 fair, 2→1 (A, X) .5 fair;
 * c2 1→0 1 good, 2→0 0 hardly, 2→1 .5 fair; c3 1→0 1 good, 2→0 none (1 relation, unknown), 2→1 (A, U) 1 good.
 * Suggestion over R1–R4: c1 (1 + 1)/4 .5 fair; c2 2/4 .5 fair; c3 2/2 1 good.
 * Skip level 1: 2.a→1.a→0 (no direct relation), 2.b→1.a→0 (also direct):
 *   c1 2.a low vs 0 medium P, 2.b high vs medium P → .5 fair; c2 high/high A, low/high X → .5 fair; c3 A, U → 1 good.
 */
const SCORES: Record<string, { scores: Scores; bobSubmitted?: boolean; measure: number }> = {
  c1: { scores: { '1.a': [2, 2], '2.a': [5, 5], '2.b': [4, 4], '2.c': [1, 1] }, measure: 10 },
  c2: { scores: { '1.a': [5, 5], '2.a': [2, 2], '2.b': [2, 2], '2.c': [3, 3] }, measure: 30 },
  c3: { scores: { '1.a': [2, 4], '2.a': [3, 3], '2.b': [4, 5], '2.c': [2, 2] }, measure: 20 },
  c4: { scores: { '1.a': [1, 5], '2.a': [1, 5], '2.b': [1, 5], '2.c': [1, 5] }, bobSubmitted: false, measure: 5 },
};

function studyFile(extraCases: number, classification: 'relative' | 'absolute' = 'relative') {
  const condition = (code: string, level: number, name: string, extra: object = {}) => ({
    code, level, name, polarity: 'higher-is-favourable', kind: 'rated', ...extra,
  });
  const cases = { ...SCORES };
  // Extra cases repeat c2, so the classes of c1 stay as worked out above only for the statement count.
  for (let i = 0; i < extraCases; i++) cases[`x${i}`] = SCORES.c2!;
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'Within-case study', language: 'en', question: '', settings: { classification } },
    framework: {
      title: 'Small framework',
      levels: [{ number: 0, name: 'Outcome' }, { number: 1, name: 'Caseload' }, { number: 2, name: 'Execution' }],
      conditions: [
        condition('0', 0, 'Budget result', { kind: 'measured' }),
        condition('1.a', 1, 'Outflow to work'),
        condition('2.a', 2, 'Lenient gate', { polarity: 'lower-is-favourable' }),
        condition('2.b', 2, 'Sanctions'),
        condition('2.c', 2, 'Dropped one'),
      ],
      relations: [
        { from: '2.a', to: '1.a' },
        { from: '2.b', to: '1.a' },
        { from: '1.a', to: '0' },
        { from: '2.b', to: '0' },
        { from: '2.c', to: '1.a' },
        { from: '0', to: '2.b', feedback: true },
      ],
    },
    members: [
      { email: A, name: 'Ann Rater', role: 'researcher' },
      { email: B, name: 'Bob Rater', role: 'researcher' },
      { email: VIEWER, name: 'Vera Viewer', role: 'viewer' },
    ],
    cases: Object.entries(cases).map(([key, c]) => ({ key, name: `Case ${key}`, measures: { '0': c.measure }, raters: [A, B] })),
    ratings: Object.entries(cases).flatMap(([key, c]) =>
      Object.entries(c.scores).flatMap(([code, [a, b]]) => [
        { case: key, condition: code, rater: A, score: a, rationale: `Ann on ${key} ${code}`, submitted: true },
        { case: key, condition: code, rater: B, score: b, rationale: `Bob on ${key} ${code}`, submitted: c.bobSubmitted ?? true },
      ]),
    ),
    reconciliations: [{ case: 'c3', condition: '1.a', score: 3, note: 'Settled in discussion.', by: LEAD }],
    reductions: [{ condition: '2.c', method: 1, reason: 'Hardly varies.', by: LEAD }],
  };
}

async function setUp(extraCases = 0, classification: 'relative' | 'absolute' = 'relative') {
  let now = new Date('2026-06-01T10:00:00.000Z');
  const ctx = testApp({ clock: () => now });
  const leadId = await makeUser(ctx.services, { email: LEAD, name: 'Lena Lead' });
  for (const [email, name] of [[A, 'Ann Rater'], [B, 'Bob Rater'], [VIEWER, 'Vera Viewer']] as const) await makeUser(ctx.services, { email, name });
  const valid = validateStudyFile(studyFile(extraCases, classification));
  if (!valid.ok) throw new Error(JSON.stringify(valid.problems.slice(0, 5)));
  const { studyId } = await ctx.services.studyFile.importer.run(valid.doc, { owner: leadId, actorId: leadId });
  const [lead, ann, viewer] = await Promise.all([loginAs(ctx.app, LEAD), loginAs(ctx.app, A), loginAs(ctx.app, VIEWER)]);
  const page = (caseKey: string) => `/studies/${studyId}/cases/${caseKey}/analysis`;
  const tick = (ms = 60_000) => {
    now = new Date(now.getTime() + ms);
  };
  const audit = () =>
    ctx.db
      .prepare<[number, string], { before: string | null; after: string }>('SELECT before, after FROM audit_log WHERE study_id = ? AND action = ? ORDER BY id')
      .all(studyId, 'case-analysis');
  return { ctx, studyId, leadId, lead, ann, viewer, page, tick, audit };
}

// ── Reading the page ─────────────────────────────────────────────────────────────────────────────

const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#3[49];|&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.:;])/g, '$1')
    .trim();
/** The body rows of the table with this class, as { data attributes, cell texts }. */
function rows(html: string, tableClass: string) {
  const table = new RegExp(`<table class="within-table ${tableClass}">([\\s\\S]*?)</table>`).exec(html);
  if (!table) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table[1]!)![1]!;
  return [...body.matchAll(/<tr([^>]*)>([\s\S]*?)<\/tr>/g)].map((m) => ({
    data: Object.fromEntries([...m[1]!.matchAll(/data-([a-z-]+)="([^"]*)"/g)].map((d) => [d[1]!, d[2]!])),
    cells: [...m[2]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1]!)),
  }));
}
/** The SVG of the page's diagram. */
const svgOf = (html: string) => /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
const conditionGroup = (svg: string, code: string) => new RegExp(`<g class="([^"]*)" data-code="${code.replace('.', '\\.')}"([^>]*)>([\\s\\S]*?)</g>`).exec(svg);
const relationPath = (svg: string, from: string, to: string) => new RegExp(`<path class="relation[^"]*" data-from="${from}" data-to="${to}"[^>]*>`).exec(svg)?.[0] ?? null;

describe('GET /studies/:id/cases/:case/analysis (hand-worked study)', () => {
  it('shows the verdict of every relation with the classes of both ends', async () => {
    const { lead, page } = await setUp();
    const res = await lead.agent.get(page('c1')).expect(200);
    expect(res.text).toContain('<h1>Within-case analysis: Case c1</h1>');
    const verdicts = rows(res.text, 'within-verdicts');
    expect(verdicts.map((r) => [r.data.from, r.data.to, r.data.verdict])).toEqual([
      ['2.a', '1.a', 'applies'],
      ['2.b', '1.a', 'unlikely'],
      ['1.a', '0', 'possibly'],
      ['2.b', '0', 'possibly'],
      ['0', '2.b', 'possibly'],
    ]);
    expect(verdicts[0]!.cells).toEqual(['2.a Lenient gate', 'L low', '1.a Outflow to work', 'L low', 'applies', 'solid line']);
    expect(verdicts[1]!.cells).toEqual(['2.b Sanctions', 'H high', '1.a Outflow to work', 'L low', 'unlikely', 'not drawn']);
    expect(verdicts[2]!.cells).toEqual(['1.a Outflow to work', 'L low', '0 Budget result', 'M medium', 'possibly applies', 'dashed line']);
    expect(verdicts[4]!.cells).toEqual(['0 Budget result', 'M medium', '2.b Sanctions feedback', 'H high', 'possibly applies', 'dashed line']);
    // The dropped condition leaves the views.
    expect(verdicts.some((r) => r.data.from === '2.c')).toBe(false);

    const c2 = rows((await lead.agent.get(page('c2')).expect(200)).text, 'within-verdicts');
    expect(c2.map((r) => r.data.verdict)).toEqual(['applies', 'unlikely', 'applies', 'unlikely', 'unlikely']);
    const c3 = rows((await lead.agent.get(page('c3')).expect(200)).text, 'within-verdicts');
    expect(c3.map((r) => r.data.verdict)).toEqual(['applies', 'unknown', 'applies', 'unknown', 'unknown']);
    expect(c3[1]!.cells).toEqual(['2.b Sanctions', 'no value', '1.a Outflow to work', 'M medium', 'unknown', 'not drawn']);
  });

  it('shows the level pairs with their counts and strength, and the skip-level-1 view', async () => {
    const { lead, page } = await setUp();
    const c1 = (await lead.agent.get(page('c1')).expect(200)).text;
    // Levels, relations, applies, possibly, unlikely, unknown, strength, label.
    expect(rows(c1, 'within-pairs').slice(0, 3).map((r) => r.cells)).toEqual([
      ['Level 1 → level 0', '1', '0', '1', '0', '0', '0.50', 'fair'],
      ['Level 2 → level 0', '1', '0', '1', '0', '0', '0.50', 'fair'],
      ['Level 2 → level 1', '2', '1', '0', '1', '0', '0.50', 'fair'],
    ]);
    const chains = rows(c1, 'within-chains');
    expect(chains.map((r) => r.cells)).toEqual([
      ['2.a Lenient gate', 'L low', '1.a Outflow to work', '0 Budget result', 'M medium', 'no', 'possibly applies'],
      ['2.b Sanctions', 'H high', '1.a Outflow to work', '0 Budget result', 'M medium', 'yes', 'possibly applies'],
    ]);
    // The second pairs table compares 2 → 1 and 1 → 0 with 2 → 0 skipping level 1.
    const pairTables = [...c1.matchAll(/<table class="within-table within-pairs">[\s\S]*?<\/table>/g)].map((m) => m[0]);
    expect(pairTables).toHaveLength(2);
    expect(rows(pairTables[1]!, 'within-pairs').map((r) => r.cells)).toEqual([
      ['Level 2 → level 1', '2', '1', '0', '1', '0', '0.50', 'fair'],
      ['Level 1 → level 0', '1', '0', '1', '0', '0', '0.50', 'fair'],
      ['Level 2 → level 0, skipping level 1', '2', '0', '2', '0', '0', '0.50', 'fair'],
    ]);

    const c2 = (await lead.agent.get(page('c2')).expect(200)).text;
    expect(rows(c2, 'within-pairs').slice(0, 3).map((r) => [r.cells[0], r.cells[6], r.cells[7]])).toEqual([
      ['Level 1 → level 0', '1.00', 'good'],
      ['Level 2 → level 0', '0.00', 'hardly'],
      ['Level 2 → level 1', '0.50', 'fair'],
    ]);
    const c3 = (await lead.agent.get(page('c3')).expect(200)).text;
    expect(rows(c3, 'within-pairs').slice(0, 3).map((r) => r.cells)).toEqual([
      ['Level 1 → level 0', '1', '1', '0', '0', '0', '1.00', 'good'],
      ['Level 2 → level 0', '1', '0', '0', '0', '1', 'none', 'none'],
      ['Level 2 → level 1', '2', '1', '0', '0', '1', '1.00', 'good'],
    ]);
    expect(rows(c3, 'within-chains').map((r) => r.data.verdict)).toEqual(['applies', 'unknown']);
    // Suggestions: c1 .5 fair, c3 1 good.
    expect(c1).toMatch(/<strong data-suggestion="fair">fair<\/strong> — strength 0\.50 over all relations/);
    expect(c3).toMatch(/<strong data-suggestion="good">good<\/strong> — strength 1\.00/);
  });

  it('shows the final values with favourability and class, open items with a link to reconciliation, and dropped conditions', async () => {
    const { lead, viewer, page, studyId } = await setUp();
    const c3 = (await lead.agent.get(page('c3')).expect(200)).text;
    const scores = rows(c3, 'within-scores');
    expect(scores.map((r) => [r.data.code, r.data.status, r.data.class])).toEqual([
      ['0', 'value', 'medium'],
      ['1.a', 'value', 'medium'],
      ['2.a', 'value', 'medium'],
      ['2.b', 'open', 'none'],
    ]);
    expect(scores[0]!.cells).toEqual(['0 Budget result', '0', 'measured, higher is favourable', '20', 'the case’s measure', '20', 'M medium']);
    expect(scores[1]!.cells).toEqual(['1.a Outflow to work', '1', 'rated, higher is favourable', '3', 'reconciled by the lead', '3', 'M medium']);
    expect(scores[2]!.cells).toEqual(['2.a Lenient gate', '2', 'rated, lower is favourable', '3', 'equal scores of the raters', '3', 'M medium']);
    expect(scores[3]!.cells).toEqual(['2.b Sanctions', '2', 'rated, higher is favourable', '', 'open in reconciliation', '', 'no value']);
    expect(c3).toContain(`<a href="/studies/${studyId}/reconcile?case=c3">Reconcile the open items of Case c3</a>`);
    expect(text(c3)).toContain('2.c Dropped one — dropped by method 1: no distinguishing power: Hardly varies.');
    // 2.a of c1: score 5, lower is favourable → favourability 1, low.
    expect(rows((await lead.agent.get(page('c1')).expect(200)).text, 'within-scores')[2]!.cells.slice(3)).toEqual(['5', 'equal scores of the raters', '1', 'L low']);
    // A viewer reads the same page without the link to reconciliation (not open to viewers) and without the form.
    const asViewer = (await viewer.agent.get(page('c3')).expect(200)).text;
    expect(rows(asViewer, 'within-scores')).toEqual(scores);
    expect(asViewer).not.toContain('/reconcile?case=');
    expect(asViewer).not.toContain('name="explanationDegree"');
  });

  it('draws the diagram: classes as data-class, colour class and a written mark; relations solid, dashed or absent by verdict', async () => {
    const { lead, page } = await setUp();
    const c1 = (await lead.agent.get(page('c1')).expect(200)).text;
    const svg = svgOf(c1);
    expect(svg).toMatch(/^<svg[^>]* role="img" aria-labelledby="kader-fw-title kader-fw-desc"/);
    expect(svg).toContain('<title id="kader-fw-title">The framework of Case c1, coloured by class</title>');
    expect(svg).toMatch(/<desc id="kader-fw-desc">A diagram of Case c1: 4 conditions in 3 levels[^<]*4 relations drawn[^<]*The same information is in the tables below\.<\/desc>/);
    const expected: Record<string, [string, string]> = { '0': ['medium', 'M'], '1.a': ['low', 'L'], '2.a': ['low', 'L'], '2.b': ['high', 'H'] };
    for (const [code, [cls, mark]] of Object.entries(expected)) {
      const g = conditionGroup(svg, code);
      expect(g, code).not.toBeNull();
      expect(g![1]).toBe(`condition condition--${cls}`);
      expect(g![2]).toBe(` data-class="${cls}"`);
      expect(g![3]).toContain(`<text class="mark"`);
      expect(g![3]).toMatch(new RegExp(`>${mark}</text>$`));
      expect(g![3]).toContain(`: ${cls}</title>`);
    }
    expect(conditionGroup(svg, '2.c')).toBeNull(); // dropped

    // R1 applies: solid (no dash); R2 unlikely: not drawn; R3, R4 possibly: dashed; R6 feedback possibly: its own dash pattern.
    const r1 = relationPath(svg, '2.a', '1.a')!;
    expect(r1).toContain('data-verdict="applies"');
    expect(r1).not.toContain('stroke-dasharray');
    expect(relationPath(svg, '2.b', '1.a')).toBeNull();
    for (const [from, to] of [['1.a', '0'], ['2.b', '0']] as const) {
      const p = relationPath(svg, from, to)!;
      expect(p).toContain('class="relation dashed"');
      expect(p).toContain('data-verdict="possibly"');
      expect(p).toContain('stroke-dasharray="6 4"');
    }
    const feedback = relationPath(svg, '0', '2.b')!;
    expect(feedback).toContain('class="relation feedback dashed"');
    expect(feedback).toContain('stroke-dasharray="6 3 1.5 3"');

    // c3: 2.b has no value (neutral, "no value" written); its relations are unknown and not drawn.
    const svg3 = svgOf((await lead.agent.get(page('c3')).expect(200)).text);
    const b = conditionGroup(svg3, '2.b')!;
    expect(b[1]).toBe('condition condition--none');
    expect(b[3]).toMatch(/>no value<\/text>$/);
    expect(relationPath(svg3, '2.b', '1.a')).toBeNull();
    expect(relationPath(svg3, '2.b', '0')).toBeNull();
    expect(relationPath(svg3, '2.a', '1.a')).toContain('data-verdict="applies"');
    // A legend that names every class, the neutral box and the three line styles.
    const legend = text(/<ul class="within-legend"[\s\S]*?<\/ul>/.exec(c1)![0]);
    expect(legend).toMatch(/^L low M medium H high – no value: [^.]*solid line: [^.]*dashed line: [^.]*no line: /);
  });

  it('explains the rule for the study’s classification in words (relative here)', async () => {
    const { lead, page } = await setUp();
    const html = text((await lead.agent.get(page('c1')).expect(200)).text);
    expect(html).toContain('Relative to the other cases (this study’s setting).');
    expect(html).toContain('p = (r − 0.5) / n: low if p < 1/3, high if p > 2/3, otherwise medium.');
    expect(html).toContain('where lower is favourable, 6 − score');
    expect(html).toContain('s = (applies + ½ × possibly) / (relations whose verdict is not unknown)');
  });

  it('explains the absolute rule with this scale’s classes when the study classes absolutely', async () => {
    const { lead, page } = await setUp(0, 'absolute');
    const res = await lead.agent.get(page('c3')).expect(200);
    const html = text(res.text);
    expect(html).toContain('Absolute, on the rating scale (this study’s setting), for rated conditions: t = (favourability − 1) / (5 − 1)');
    expect(html).toContain('on this scale 1–2 low, 3 medium, 4–5 high.');
    // 1.a of c3 (reconciled 3) is medium on the scale; 2.a of c3 (3, lower is favourable → 3) too.
    expect(rows(res.text, 'within-scores').map((r) => r.data.class)).toEqual(['medium', 'medium', 'medium', 'none']);
    const c1 = rows((await lead.agent.get(page('c1')).expect(200)).text, 'within-scores');
    // c1: 1.a 2 → low, 2.a 5 → favourability 1 → low, 2.b 4 → high; the measure stays relative (medium).
    expect(c1.map((r) => r.data.class)).toEqual(['medium', 'low', 'low', 'high']);
  });

  it('says so for a case whose raters have not all submitted, and shows no class, verdict or suggestion', async () => {
    const { lead, viewer, page } = await setUp();
    for (const agent of [lead.agent, viewer.agent]) {
      const html = (await agent.get(page('c4')).expect(200)).text;
      expect(html).toContain('Not every rater has submitted yet');
      expect(html).not.toContain('<svg');
      expect(html).not.toContain('data-class=');
      expect(html).not.toContain('data-verdict=');
      expect(html).not.toMatch(/\b(low|high)\b<\/td>|swatch--(low|medium|high)" aria-hidden="true">[LMH]<\/span> (low|medium|high)/);
      expect(html).toContain('No suggestion until every rater of this case has submitted.');
      // Nothing of the unsubmitted ratings reaches the page.
      expect(html).not.toContain('Ann on c4');
    }
  });

  it('answers 404 for an unknown case', async () => {
    const { lead, page } = await setUp();
    await lead.agent.get(page('nope')).expect(404);
  });

  it('the case page links to the analysis', async () => {
    const { viewer, studyId } = await setUp();
    const html = (await viewer.agent.get(`/studies/${studyId}/cases/c1`).expect(200)).text;
    expect(html).toContain(`href="/studies/${studyId}/cases/c1/analysis">Within-case analysis</a>`);
  });

  it('speaks Dutch to a Dutch reader: classes L/G/H and the Dutch words', async () => {
    const { lead, page } = await setUp();
    const html = (await lead.agent.get(page('c1')).set('Accept-Language', 'nl').expect(200)).text;
    expect(html).toContain('<html lang="nl">'); // the lead has no language setting of their own: the browser's counts
    expect(rows(html, 'within-verdicts')[2]!.cells).toEqual(['1.a Outflow to work', 'L laag', '0 Budget result', 'G gemiddeld', 'mogelijk van toepassing', 'gestippelde lijn']);
    expect(rows(html, 'within-pairs')[0]!.cells.slice(6)).toEqual(['0,50', 'redelijk']);
  });
});

describe('POST /studies/:id/cases/:case/analysis (explanation degree)', () => {
  const form = (csrf: string, fields: Record<string, string>) => ({ _csrf: csrf, updatedAt: '', explanationDegree: '', narrative: '', ...fields });

  it('the lead saves a degree and a Markdown narrative (sanitised), audited; the page shows both beside the suggestion', async () => {
    const { lead, page, audit } = await setUp();
    const res = await lead.agent.post(page('c1')).type('form').send(form(lead.csrf, { explanationDegree: 'limited', narrative: 'Mostly **explained** by 2.a.\n\n<script>alert(1)</script>' }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${page('c1')}#explanation`);
    const html = (await lead.agent.get(page('c1')).expect(200)).text;
    expect(html).toContain('The explanation degree and narrative are saved.');
    expect(html).toContain('<strong data-degree="limited">limited</strong>');
    expect(html).toContain('Mostly <strong>explained</strong> by 2.a.');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('The recorded explanation degree differs from the suggestion.');
    expect(html).toMatch(/Saved by Lena Lead, 2026-06-01 10:00 \(UTC\)\./);
    expect(html).toMatch(/<input type="radio" name="explanationDegree" value="limited" checked>/);
    expect(html).toContain('<input type="hidden" name="updatedAt" value="2026-06-01T10:00:00.000Z">');
    const rowsOf = audit();
    expect(rowsOf).toHaveLength(1);
    expect(JSON.parse(rowsOf[0]!.after)).toEqual({ case: 'c1', explanationDegree: 'limited', narrative: 'Mostly **explained** by 2.a.\n\n<script>alert(1)</script>' });
  });

  it('comes back 422 with the lead’s text on bad input, and saves nothing', async () => {
    const { lead, page, audit } = await setUp();
    const narrative = 'My long narrative that must not be lost <b>&</b>';
    const res = await lead.agent.post(page('c2')).type('form').send(form(lead.csrf, { explanationDegree: 'excellent', narrative }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose hardly, limited, fair or good, or “not set”.');
    expect(res.text).toContain('My long narrative that must not be lost &lt;b&gt;&amp;&lt;/b&gt;</textarea>');
    const tooLong = await lead.agent.post(page('c2')).type('form').send(form(lead.csrf, { explanationDegree: 'good', narrative: 'x'.repeat(100_001) }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Use at most 100000 characters.');
    // A form without the stamp was not made by this page.
    await lead.agent.post(page('c2')).type('form').send({ _csrf: lead.csrf, explanationDegree: 'good' }).expect(400);
    expect(audit()).toHaveLength(0);
  });

  it('refuses a stale form with the text kept; saving again after seeing the other change replaces it', async () => {
    const { ctx, studyId, leadId, lead, page, tick, audit } = await setUp();
    // The lead opens the form (nothing saved yet: stamp ''); meanwhile another lead's save lands.
    const opened = (await lead.agent.get(page('c1')).expect(200)).text;
    expect(opened).toContain('<input type="hidden" name="updatedAt" value="">');
    tick();
    ctx.services.analysis.setCaseAnalysis(studyId, 'c1', leadId, { explanationDegree: 'good', narrative: 'The other narrative.' }, null);
    tick();
    const mine = 'My narrative, written while the other was saved.';
    const stale = await lead.agent.post(page('c1')).type('form').send(form(lead.csrf, { explanationDegree: 'fair', narrative: mine }));
    expect(stale.status).toBe(422);
    expect(stale.text).toContain('Someone else saved the explanation of this case after you opened this page. Nothing was saved.');
    expect(stale.text).toContain(`${mine}</textarea>`);
    expect(stale.text).toMatch(/<input type="radio" name="explanationDegree" value="fair" checked>/);
    // What is saved now is shown, and the form learned its stamp.
    expect(stale.text).toContain('The other narrative.');
    expect(stale.text).toContain('<input type="hidden" name="updatedAt" value="2026-06-01T10:01:00.000Z">');
    expect(ctx.services.analysis.model(studyId).cases[0]).toMatchObject({ explanationDegree: 'good', narrative: 'The other narrative.' });

    const again = await lead.agent.post(page('c1')).type('form').send(form(lead.csrf, { explanationDegree: 'fair', narrative: mine, updatedAt: '2026-06-01T10:01:00.000Z' }));
    expect(again.status).toBe(303);
    expect(ctx.services.analysis.model(studyId).cases[0]).toMatchObject({ explanationDegree: 'fair', narrative: mine, analysisUpdatedAt: '2026-06-01T10:02:00.000Z' });
    expect(audit().map((r) => JSON.parse(r.after).narrative)).toEqual(['The other narrative.', mine]);
    // The service refuses a stale stamp by itself too.
    expect(() => ctx.services.analysis.setCaseAnalysis(studyId, 'c1', leadId, { explanationDegree: null, narrative: '' }, '2026-06-01T10:01:00.000Z')).toThrow(
      expect.objectContaining({ fields: { _form: { key: 'within.stale' } } }),
    );
  });

  it('a viewer and a researcher read the page but may not post', async () => {
    const { ann, viewer, page, audit } = await setUp();
    for (const who of [viewer, ann]) {
      const html = (await who.agent.get(page('c1')).expect(200)).text;
      expect(html).not.toContain('<form method="post" action="/studies/');
      const res = await who.agent.post(page('c1')).type('form').send(form(who.csrf, { explanationDegree: 'good' }));
      expect(res.status).toBe(403);
    }
    expect(audit()).toHaveLength(0);
  });
});

describe('statement counts', () => {
  it('the page loads with the same number of statements for 4 and 20 cases', async () => {
    const few = await setUp();
    few.ctx.counter.reset();
    await few.lead.agent.get(few.page('c1')).expect(200);
    const fewCount = few.ctx.counter.count;
    const many = await setUp(16);
    many.ctx.counter.reset();
    const res = await many.lead.agent.get(many.page('c1')).expect(200);
    expect(rows(res.text, 'within-verdicts')).toHaveLength(5);
    expect(many.ctx.counter.count).toBe(fewCount);
  });
});
