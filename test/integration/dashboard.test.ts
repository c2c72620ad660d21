// The study dashboard (GET /studies/:id) and "Waiting for you" (GET /studies, where login lands) as
// leads, raters and viewers use them: every case's phase and the next step with its link, the phase
// filter, the orders and pages; blinding (progress as counts, never another rater's scores; another
// rater's progress for leads only; item counts only once every rater submitted); the open items
// counted in SQL equal the reconciliation queue's; and both pages load from a constant number of
// statements whatever the number of cases or studies.
import { describe, expect, it } from 'vitest';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp, type Agent, type TestContext } from '../helpers/app.ts';

const RATABLE = ['1.a', '1.b.1', '1.b.2', '2.a', '2.b'];
const framework = {
  title: 'Small',
  levels: [{ number: 0, name: 'Outcome' }, { number: 1, name: 'Direct causes' }, { number: 2, name: 'Policy' }],
  conditions: [
    { code: '0', level: 0, name: 'Budget result', polarity: 'higher-is-favourable', kind: 'measured' },
    { code: '1.a', level: 1, name: 'Inflow', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '1.b', level: 1, name: 'Outflow', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '1.b.1', level: 1, name: 'Outflow to work', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '1.b.2', level: 1, name: 'Other outflow', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '2.a', level: 2, name: 'Enforcement', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '2.b', level: 2, name: 'Steering', polarity: 'lower-is-favourable', kind: 'rated' },
  ],
};

type Scores = Record<string, number | null>;
const all = (score: number | null): Scores => Object.fromEntries(RATABLE.map((c) => [c, score]));
const ANN_SECRET = 'ANN-SECRET-DRAFT-RATIONALE';
const BOB_SECRET = 'BOB-SECRET-SUBMITTED-RATIONALE';

/**
 * The kinds of case, one per phase: `fieldwork` has no raters; `rating`: Ann has two drafts, Bob
 * submitted (blind); `open`: both submitted, 1.a agreed, 1.b.1 minor, 1.b.2 partly judged, 2.a major,
 * 2.b partly judged (4 open); `final`: all agreed (ready to sign off); `signed`: 1.a judged by nobody (agreed
 * too), 2.a a minor difference decided by the lead, signed off.
 */
type Kind = 'fieldwork' | 'rating' | 'open' | 'final' | 'signed';
const KINDS: Kind[] = ['fieldwork', 'rating', 'open', 'final', 'signed'];
const CASES: Record<Kind, { ann?: Scores; annDrafts?: boolean; bob?: Scores }> = {
  fieldwork: {},
  rating: { ann: { '1.a': 4, '2.a': 2 }, annDrafts: true, bob: all(5) },
  open: { ann: { '1.a': 3, '1.b.1': 4, '1.b.2': null, '2.a': 1, '2.b': 2 }, bob: { '1.a': 3, '1.b.1': 5, '1.b.2': 2, '2.a': 4, '2.b': null } },
  final: { ann: all(3), bob: all(3) },
  signed: { ann: { ...all(2), '1.a': null }, bob: { ...all(2), '1.a': null, '2.a': 3 } },
};

function studyFile(title: string, cases: { key: string; kind: Kind }[]) {
  const raters = ['ann@example.org', 'bob@example.org'];
  return {
    format: 'kader.study', version: 1,
    study: { title, language: 'en', question: '' },
    framework,
    members: [
      { email: 'ann@example.org', name: 'Ann Rater', role: 'researcher' },
      { email: 'bob@example.org', name: 'Bob Rater', role: 'researcher' },
      { email: 'carol@example.org', name: 'Carol Other', role: 'researcher' },
      { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
    ],
    cases: cases.map(({ key, kind }) => ({ key, name: `Case ${key}`, ...(kind === 'fieldwork' ? {} : { raters }) })),
    ratings: cases.flatMap(({ key, kind }) => {
      const c = CASES[kind];
      return [
        ...Object.entries(c.ann ?? {}).map(([code, score]) => ({
          case: key, condition: code, rater: 'ann@example.org', score, rationale: `${ANN_SECRET} ${key} ${code}`, submitted: !c.annDrafts,
        })),
        ...Object.entries(c.bob ?? {}).map(([code, score]) => ({
          case: key, condition: code, rater: 'bob@example.org', score, rationale: `${BOB_SECRET} ${key} ${code}`, submitted: true,
        })),
      ];
    }),
  };
}

async function importStudy(ctx: TestContext, leadId: number, title: string, cases: { key: string; kind: Kind }[]) {
  const valid = validateStudyFile(studyFile(title, cases));
  if (!valid.ok) throw new Error(JSON.stringify(valid));
  const { studyId } = await ctx.services.studyFile.importer.run(valid.doc, { owner: leadId, actorId: leadId });
  for (const c of cases.filter((x) => x.kind === 'signed')) {
    ctx.services.reconcile.decide(studyId, c.key, '2.a', leadId, { score: 2, note: 'The lower one.' });
    ctx.services.reconcile.signOff(studyId, c.key, leadId);
  }
  return studyId;
}

/** One case of each kind (keys as the kinds) or `count` cases cycling through the kinds (k0, k1, …). */
async function setUp(count?: number) {
  let now = Date.parse('2026-06-01T10:00:00Z');
  const ctx = testApp({ clock: () => new Date((now += 1000)) });
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  for (const [email, name] of [['ann@example.org', 'Ann Rater'], ['bob@example.org', 'Bob Rater'], ['carol@example.org', 'Carol Other'], ['view@example.org', 'Vera Viewer']]) {
    await makeUser(ctx.services, { email: email!, name });
  }
  const cases = count === undefined ? KINDS.map((kind) => ({ key: kind, kind })) : Array.from({ length: count }, (_, i) => ({ key: `k${i}`, kind: KINDS[i % KINDS.length]! }));
  const studyId = await importStudy(ctx, leadId, 'Dashboard study', cases);
  const [lead, ann, bob, carol, viewer] = await Promise.all(
    ['lead', 'ann', 'bob', 'carol', 'view'].map((who) => loginAs(ctx.app, `${who}@example.org`)),
  );
  return { ctx, studyId, leadId, lead: lead!, ann: ann!, bob: bob!, carol: carol!, viewer: viewer!, base: `/studies/${studyId}` };
}

/** The dashboard's body rows, by case key: the row's HTML. */
function rows(html: string): Map<string, string> {
  const body = html.slice(html.indexOf('<table class="dashboard">'), html.indexOf('</table>', html.indexOf('<table class="dashboard">')));
  return new Map([...body.matchAll(/<tr data-case="([^"]+)" data-phase="[^"]+">([\s\S]*?)<\/tr>/g)].map((m) => [m[1]!, m[2]!]));
}
const phaseOf = (html: string, key: string) => new RegExp(`<tr data-case="${key}" data-phase="([^"]+)">`).exec(html)?.[1];
/** The next-step cell of a row as "text -> href" (or just the text without a link). */
function next(row: string | undefined): string {
  const cell = /<td class="dash-next">([\s\S]*?)<\/td>/.exec(row ?? '')?.[1] ?? '';
  const link = /<a class="[^"]*" href="([^"]+)">([^<]+)<span/.exec(cell);
  if (link) return `${link[2]!.trim()} -> ${link[1]!.replace(/&amp;/g, '&').replace(/&#35;/g, '#')}`;
  return cell.replace(/<[^>]+>/g, '').trim();
}
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const page = async (who: { agent: Agent }, path: string) => {
  const res = await who.agent.get(path);
  expect(res.status).toBe(200);
  return res.text;
};

describe('the study dashboard', () => {
  it('puts every case in its phase and names the next step for the lead, with its link', async () => {
    const { lead, base } = await setUp();
    const html = await page(lead, base);
    expect(Object.fromEntries(KINDS.map((k) => [k, phaseOf(html, k)]))).toEqual({
      fieldwork: 'fieldwork', rating: 'rating', open: 'reconciliation', final: 'reconciliation', signed: 'signed-off',
    });
    const r = rows(html);
    expect(next(r.get('fieldwork'))).toBe(`Log an interview -> ${base}/interviews/new?case=fieldwork`);
    expect(next(r.get('rating'))).toBe(`Follow the ratings -> ${base}/cases/rating/ratings`);
    expect(next(r.get('open'))).toBe(`Reconcile 4 open items -> ${base}/reconcile?case=open`);
    expect(next(r.get('final'))).toBe(`Sign off -> ${base}/reconcile?case=final#cases`);
    expect(next(r.get('signed'))).toBe(`Record the explanation degree -> ${base}/cases/signed/analysis`);
    // Reconciliation counts, sign-off and study-level bars.
    expect(text(r.get('open')!)).toContain('4 open · 1 final');
    expect(text(r.get('final')!)).toContain('0 open · 5 final');
    expect(text(r.get('signed')!)).toContain('Signed off 2026-06-01');
    expect(text(r.get('rating')!)).toContain('not yet');
    expect(text(html)).toContain('Rated by every rater 3 of 5 cases');
    expect(text(html)).toContain('Reconciliation items final 11 of 15 items');
    expect(text(html)).toContain('Signed off 1 of 5 cases');
  });

  it('sends a lead to assign raters once the case has a held interview, and to sign off again after a later change', async () => {
    const { ctx, lead, base, studyId, leadId } = await setUp();
    ctx.services.interviews.create(studyId, { case: 'fieldwork', date: '2026-05-01', participants: 2, notes: 'Held.', status: 'held', roles: [], interviewers: [leadId], conditions: [] }, leadId);
    ctx.services.reconcile.decide(studyId, 'signed', '2.a', leadId, { score: 3, note: 'Decided again after the sign-off.' });
    const r = rows(await page(lead, base));
    expect(next(r.get('fieldwork'))).toBe(`Assign raters -> ${base}/assignment#case-fieldwork`);
    expect(text(r.get('fieldwork')!)).toMatch(/1 of 1 interview held 0 approved · 0 documents 5 coverage gaps/);
    expect(phaseOf(await page(lead, `${base}?sort=name`), 'signed')).toBe('reconciliation');
    expect(next(r.get('signed'))).toBe(`Sign off again -> ${base}/reconcile?case=signed#cases`);
    expect(text(r.get('signed')!)).toContain('Changed after sign-off');
  });

  it('names a rater’s own next steps: Rate their unsubmitted case, reconcile the cases they rate', async () => {
    const { ann, bob, base } = await setUp();
    const a = rows(await page(ann, base));
    expect(next(a.get('rating'))).toBe(`Rate -> ${base}/cases/rating/rate`);
    expect(next(a.get('open'))).toBe(`Reconcile 4 open items -> ${base}/reconcile?case=open`);
    expect(next(a.get('final'))).toBe('Waiting for sign-off');
    expect(next(a.get('fieldwork'))).toBe(`Log an interview -> ${base}/interviews/new?case=fieldwork`);
    expect(next(a.get('signed'))).toBe(`View the analysis -> ${base}/cases/signed/analysis`);
    // Bob submitted the case in rating: he waits for Ann.
    expect(next(rows(await page(bob, base)).get('rating'))).toBe('Waiting for the raters');
  });

  it('gives a viewer counts and links to read, never an action to take', async () => {
    const { viewer, base } = await setUp();
    const html = await page(viewer, base);
    const r = rows(html);
    expect(next(r.get('fieldwork'))).toBe('Fieldwork under way');
    expect(next(r.get('rating'))).toBe('Waiting for the raters');
    expect(next(r.get('open'))).toBe('In reconciliation');
    expect(next(r.get('final'))).toBe('Waiting for sign-off');
    expect(next(r.get('signed'))).toBe(`View the analysis -> ${base}/cases/signed/analysis`);
    // Counts without links into the raw fieldwork (closed to viewers) or the reconciliation (leads and raters).
    expect(text(r.get('open')!)).toContain('4 open · 1 final');
    expect(html).not.toContain(`${base}/reconcile`);
    expect(html).not.toContain(`${base}/cases/open/documents`);
    expect(html).toContain(`${base}/cases/open/coverage`);
  });

  it('filters by phase and orders by name, phase or open items, with links that work without JavaScript', async () => {
    const { lead, base } = await setUp();
    const filtered = await page(lead, `${base}?phase=reconciliation`);
    expect([...rows(filtered).keys()]).toEqual(['open', 'final']);
    expect(filtered).toMatch(new RegExp(`<a href="${base}\\?phase=reconciliation" aria-current="page">Reconciliation <span class="dash-count">2</span></a>`));
    expect([...rows(await page(lead, `${base}?phase=rating`)).keys()]).toEqual(['rating']);
    expect([...rows(await page(lead, `${base}?phase=signed-off`)).keys()]).toEqual(['signed']);
    expect([...rows(await page(lead, `${base}?phase=fieldwork`)).keys()]).toEqual(['fieldwork']);
    expect([...rows(await page(lead, `${base}?sort=open`)).keys()][0]).toBe('open');
    expect([...rows(await page(lead, `${base}?sort=phase`)).keys()]).toEqual(['fieldwork', 'rating', 'open', 'final', 'signed']);
    expect([...rows(await page(lead, `${base}?sort=name`)).keys()]).toEqual(['fieldwork', 'final', 'open', 'rating', 'signed']);
    // The order form keeps the phase; a bad value falls back to the defaults.
    expect(filtered).toContain('<input type="hidden" name="phase" value="reconciliation">');
    expect([...rows(await page(lead, `${base}?phase=nonsense&sort=x&page=-3`)).keys()]).toHaveLength(5);
  });

  it('pages a big study 50 cases at a time', async () => {
    const { lead, base } = await setUp(55);
    const first = await page(lead, base);
    expect(rows(first).size).toBe(50);
    expect(text(first)).toContain('Cases 1–50 of 55');
    expect(first).toContain(`href="${base}?page=2" rel="next">Next</a>`);
    const second = await page(lead, `${base}?page=2`);
    expect([...rows(second).keys()]).toEqual(['k50', 'k51', 'k52', 'k53', 'k54']);
    expect(second).toContain(`href="${base}" rel="prev">Previous</a>`);
    // Past the last page: the last page.
    expect(rows(await page(lead, `${base}?page=9`)).size).toBe(5);
  });

  it('counts open items exactly as the reconciliation queue does', async () => {
    const { ctx, studyId, leadId, lead, base } = await setUp(15);
    ctx.services.reconcile.decide(studyId, 'k2', '2.a', leadId, { score: 3, note: 'Settled.' });
    ctx.services.reconcile.bulk(studyId, leadId, { rule: 'lower', caseKey: 'k7', expected: 1 });
    const queue = ctx.services.reconcile.queue(studyId, { id: leadId, isLead: true });
    const expected = Object.fromEntries(queue.cases.map((c) => [c.key, `${c.open} open · ${c.items - c.open} final`]));
    const r = rows(await page(lead, base));
    const shown = Object.fromEntries([...r].filter(([, row]) => /\d+ open · \d+ final/.test(row)).map(([k, row]) => [k, /(\d+ open · \d+ final)/.exec(text(row))![1]]));
    expect(shown).toEqual(expected);
    expect(shown.k2).toBe('3 open · 2 final');
    expect(shown.k7).toBe('3 open · 2 final');
  });
});

describe('blinding on the dashboard', () => {
  it('shows progress as counts, another rater’s progress to leads only, and no scores, rationales or items of a blind case', async () => {
    const { lead, ann, bob, carol, viewer, base } = await setUp();
    const pages = { lead: await page(lead, base), ann: await page(ann, base), bob: await page(bob, base), carol: await page(carol, base), viewer: await page(viewer, base) };
    for (const html of Object.values(pages)) {
      expect(html).not.toContain(ANN_SECRET);
      expect(html).not.toContain(BOB_SECRET);
      // The blind case: no item counts for anyone.
      expect(text(rows(html).get('rating')!)).not.toMatch(/open ·/);
    }
    const raters = (html: string) => text(/<td class="dash-raters">([\s\S]*?)<\/td>/.exec(rows(html).get('rating')!)![1]!).trim();
    // The lead sees both raters' progress: Ann 2 of 5 with 2 drafts, Bob 5 of 5 submitted.
    expect(raters(pages.lead)).toBe('Ann Rater 2 of 5 · 2 drafts Bob Rater 5 of 5 ✓ submitted');
    // Each rater sees their own progress only.
    expect(raters(pages.ann)).toBe('Ann Rater (you) 2 of 5 · 2 drafts Bob Rater');
    expect(raters(pages.bob)).toBe('Ann Rater Bob Rater (you) 5 of 5 ✓ submitted');
    // Another researcher and a viewer see who rates, not how far they are.
    expect(raters(pages.carol)).toBe('Ann Rater Bob Rater');
    expect(raters(pages.viewer)).toBe('Ann Rater Bob Rater');
    expect(pages.viewer).not.toMatch(/<progress[^>]*>\s*\d+ of \d+/);
  });
});

describe('waiting for you', () => {
  it('lands a user after login on what waits for them across their studies, then the list of studies', async () => {
    const { ctx, leadId, lead, ann, bob, viewer, base, studyId } = await setUp();
    const other = await importStudy(ctx, leadId, 'Another study', [{ key: 'elsewhere', kind: 'fieldwork' }]);
    ctx.services.assignment.save(other, leadId, 'elsewhere', [ctx.services.repos.users.findByEmail('ann@example.org')!.id, ctx.services.repos.users.findByEmail('bob@example.org')!.id]);

    const annHome = await page(ann, '/studies');
    expect(annHome.indexOf('Waiting for you')).toBeLessThan(annHome.indexOf('Your studies'));
    const annText = text(annHome);
    // Studies by title, cases in study order.
    expect(annText).toMatch(/Cases to rate 2 Rate Case elsewhere Another study 0 of 5 rated Rate Case rating Dashboard study 2 of 5 rated Items/);
    expect(annHome).toContain(`href="${base}/cases/rating/rate"`);
    expect(annHome).toContain(`href="/studies/${other}/cases/elsewhere/rate"`);
    expect(annText).toMatch(/Items to discuss 1 Reconcile 4 open items Case open Dashboard study Your studies/);
    expect(annText).not.toContain('Cases to sign off');

    const leadText = text(await page(lead, '/studies'));
    expect(leadText).toMatch(/Items to discuss 1 Reconcile 4 open items Case open/);
    // What waits for the lead comes from one study: the entries do not repeat its title.
    expect(leadText).toMatch(/Cases to sign off 1 Sign off Case final Your studies/);
    expect(leadText).not.toContain('Cases to rate');

    // Bob submitted the case in rating; he still has the other study's case to rate.
    const bobText = text(await page(bob, '/studies'));
    expect(bobText).toMatch(/Cases to rate 1 Rate Case elsewhere/);
    expect(text(await page(viewer, '/studies'))).toContain('Nothing waits for you right now.');

    // Where login lands.
    const login = await ann.agent.get('/');
    expect(login.headers.location).toBe('/studies');
    expect(studyId).toBeGreaterThan(0);
  });

  it('leaves blind cases out of the items to discuss, and never shows a rationale', async () => {
    const { lead, ann, bob } = await setUp();
    for (const who of [lead, ann, bob]) {
      const html = await page(who, '/studies');
      expect(html).not.toContain(ANN_SECRET);
      expect(html).not.toContain(BOB_SECRET);
      expect(text(html)).not.toMatch(/Reconcile \d+ open items? Case rating/);
    }
  });
});

describe('statements', () => {
  /** Statements of one page view; the first view warms the framework cache, the second (another address, so not from the page cache) is counted. */
  const measure = async (ctx: TestContext, who: { agent: Agent }, path: string) => {
    await who.agent.get(`${path}${path.includes('?') ? '&' : '?'}warm=1`);
    ctx.counter.reset();
    expect((await who.agent.get(path)).status).toBe(200);
    return ctx.counter.count;
  };

  it('the dashboard loads with the same number of statements for 2 and 20 cases', async () => {
    const few = await setUp(2);
    const many = await setUp(20);
    for (const who of ['lead', 'ann', 'viewer'] as const) {
      const counts = [await measure(few.ctx, few[who], few.base), await measure(many.ctx, many[who], many.base)];
      expect(rows(await page(many[who], `${many.base}?sort=name`)).size).toBe(20);
      expect(counts[1], who).toBe(counts[0]);
      expect(counts[0], `${who}: a rendered page, not one from the page cache`).toBeGreaterThan(5);
    }
  });

  it('"Waiting for you" loads with the same number of statements for one study and for several with many cases', async () => {
    const { ctx, leadId, ann, lead } = await setUp(2);
    const before = [await measure(ctx, ann, '/studies'), await measure(ctx, lead, '/studies')];
    for (let i = 0; i < 4; i++) await importStudy(ctx, leadId, `More ${i}`, KINDS.map((kind) => ({ key: `${kind}-${i}`, kind })));
    const after = [await measure(ctx, ann, '/studies'), await measure(ctx, lead, '/studies')];
    expect(after).toEqual(before);
    expect(before[0]).toBeGreaterThan(3);
    expect(text(await page(ann, '/studies'))).toMatch(/Cases to rate 5/);
  });
});
