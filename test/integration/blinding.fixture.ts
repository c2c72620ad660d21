// The blinding walk's study and tools (issue #5), shared by blinding.test.ts and confidentiality.test.ts:
// a small study where Ann submitted c1 and drafts c2, Bob drafts c1 and submitted c2, with
// fieldwork of c1; and a walk of every GET route as one persona, with a check for texts that leak.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp, type Agent } from '../helpers/app.ts';
import { CSV_TABLES, WORKBOOKS } from '../../server/exports/exports.service.ts';

// Unique texts; none of them occurs in anything else the study holds.
export const ANN_SECRET = 'ANN-SECRET-7f3a'; // Ann's rationales of c1 (submitted)
export const ANN_REASON = 'ANN-REASON-2b9d'; // Ann's cannot-judge reason on c1 1.b.2 (submitted)
export const ANN_C2_DRAFT = 'ANN-C2DRAFT-3c7d'; // Ann's rationale of c2 (a draft, never submitted)
export const ANN_C2_REASON = 'ANN-C2REASON-8e1a'; // Ann's cannot-judge reason of c2 (a draft)
export const BOB_DRAFT = 'BOB-DRAFT-91c2'; // Bob's rationales of c1 (a draft until Bob submits)
export const BOB_C2 = 'BOB-C2SUBMIT-5e0b'; // Bob's rationales of c2 (submitted; c2 blind while Ann drafts)
export const EVIDENCE_QUOTE = 'The inflow doubled after the gate closed'; // public: every member may read it

export const RATABLE = ['1.a', '1.b.1', '1.b.2', '2.a', '2.b'];
const framework = {
  title: 'Small',
  levels: [{ number: 0, name: 'Outcome' }, { number: 1, name: 'Direct causes' }, { number: 2, name: 'Policy' }],
  categories: [{ key: 'VOL', level: 1, name: 'Volume' }],
  conditions: [
    { code: '0', level: 0, name: 'Budget result', polarity: 'higher-is-favourable', kind: 'measured' },
    { code: '1.a', level: 1, category: 'VOL', name: 'Inflow', polarity: 'higher-is-favourable', kind: 'rated', anchors: { '1': 'Very high inflow', '5': 'Very low inflow' } },
    { code: '1.b', level: 1, category: 'VOL', name: 'Outflow', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '1.b.1', level: 1, category: 'VOL', name: 'Outflow to work', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '1.b.2', level: 1, category: 'VOL', name: 'Other outflow', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '2.a', level: 2, name: 'Enforcement', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '2.b', level: 2, name: 'Steering', polarity: 'lower-is-favourable', kind: 'rated' },
  ],
  relations: [{ from: '1.a', to: '0' }],
};

export type Who = { agent: Agent; csrf: string };
type Rating = { score: number | 'n'; reason?: string; rationale: string; evidence?: string[] };

export async function setUp() {
  let now = new Date('2026-06-01T10:00:00Z');
  const ctx = testApp({ clock: () => now });
  const { services } = ctx;
  const leadId = await makeUser(services, { email: 'lead@example.org', name: 'Lena Lead' });
  const annId = await makeUser(services, { email: 'ann@example.org', name: 'Ann Rater' });
  const bobId = await makeUser(services, { email: 'bob@example.org', name: 'Bob Rater' });
  const carolId = await makeUser(services, { email: 'carol@example.org', name: 'Carol Other' });
  const veraId = await makeUser(services, { email: 'view@example.org', name: 'Vera Viewer' });
  const adminId = await makeUser(services, { email: 'admin@example.org', name: 'Site Admin', isAdmin: true });
  const raters = ['ann@example.org', 'bob@example.org'];
  const doc = {
    format: 'kader.study', version: 1,
    study: { title: 'Blinding study', language: 'en', question: 'Why do budgets differ?' },
    framework,
    members: [
      { email: 'ann@example.org', name: 'Ann Rater', role: 'researcher' },
      { email: 'bob@example.org', name: 'Bob Rater', role: 'researcher' },
      { email: 'carol@example.org', name: 'Carol Other', role: 'researcher' },
      { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
    ],
    cases: [{ key: 'c1', name: 'Almere', raters }, { key: 'c2', name: 'Breda', raters }],
  };
  const valid = validateStudyFile(doc);
  if (!valid.ok) throw new Error(JSON.stringify(valid));
  const { studyId } = await services.studyFile.importer.run(valid.doc, { owner: leadId, actorId: leadId });

  // Fieldwork, so that the fieldwork routes have something to show: an interview and a document of
  // c1, evidence from the interview, and an interview role with a question.
  const interview = services.interviews.create(studyId, {
    case: 'c1', date: '2026-05-01', participants: 2, notes: 'The manager says the secret of the team is a short line to the work coach.',
    status: 'held', roles: [], interviewers: [annId], conditions: ['1.a'],
  }, leadId);
  services.evidence.add(studyId, { source: `interview:${interview}`, quote: EVIDENCE_QUOTE, locator: 'min. 12', conditions: ['1.a'] }, leadId);
  const evidenceId = String(services.repos.evidence.list(studyId, { caseKey: 'c1' })[0]!.id);
  fs.mkdirSync(ctx.config.uploadsDir, { recursive: true });
  const file = path.join(ctx.config.uploadsDir, 'plan.part');
  const planText = 'Policy plan: the gate is strict.';
  fs.writeFileSync(file, planText);
  const document = services.documents.add(studyId, 'c1', { title: 'Policy plan', kind: '', date: null }, { path: file, size: Buffer.byteLength(planText), sha256: '-', originalName: 'plan.txt' }, leadId).key;
  await services.documents.settled();
  const role = services.guides.addRole(studyId, leadId, 'Manager');
  const question = services.guides.addQuestion(studyId, leadId, { section: 'Opening', text: 'What explains the result?', roleIds: [role], conditionCodes: ['1.a'] });

  const [lead, ann, bob, carol, vera, admin] = await Promise.all([
    loginAs(ctx.app, 'lead@example.org'), loginAs(ctx.app, 'ann@example.org'), loginAs(ctx.app, 'bob@example.org'),
    loginAs(ctx.app, 'carol@example.org'), loginAs(ctx.app, 'view@example.org'), loginAs(ctx.app, 'admin@example.org'),
  ]);

  /** Posts the rating form of a case for the given conditions. */
  const save = (who: Who, caseKey: string, ratings: Record<string, Rating>) => {
    const body = new URLSearchParams({ _csrf: who.csrf });
    for (const [code, r] of Object.entries(ratings)) {
      body.append('c', code);
      body.append(`score:${code}`, String(r.score));
      body.append(`reason:${code}`, r.reason ?? '');
      body.append(`rationale:${code}`, r.rationale);
      for (const id of r.evidence ?? []) body.append(`evidence:${code}`, id);
    }
    return who.agent.post(`/studies/${studyId}/cases/${caseKey}/rate`).type('form').send(body.toString());
  };
  const submit = (who: Who, caseKey: string) =>
    who.agent.post(`/studies/${studyId}/cases/${caseKey}/rate/submit`).type('form').send({ _csrf: who.csrf, confirmed: 'yes' });

  // Ann rates every condition of c1 — one cannot judge with a reason, one with evidence — and submits.
  const annScores: Record<string, number | 'n'> = { '1.a': 3, '1.b.1': 4, '1.b.2': 'n', '2.a': 1, '2.b': 2 };
  expect((await save(ann, 'c1', Object.fromEntries(RATABLE.map((code) => [code, {
    score: annScores[code]!,
    reason: code === '1.b.2' ? ANN_REASON : '',
    rationale: `${ANN_SECRET} on ${code}`,
    evidence: code === '1.a' ? [evidenceId] : [],
  }])))).status).toBe(303);
  expect((await submit(ann, 'c1')).status).toBe(303);
  // Bob has a complete draft of c1 (so that he can submit later) with other scores on three conditions.
  const bobScores: Record<string, number | 'n'> = { '1.a': 3, '1.b.1': 5, '1.b.2': 2, '2.a': 4, '2.b': 2 };
  expect((await save(bob, 'c1', Object.fromEntries(RATABLE.map((code) => [code, { score: bobScores[code]!, rationale: `${BOB_DRAFT} on ${code}` }])))).status).toBe(303);
  // c2: Bob has submitted, Ann has only drafts (one cannot judge with a reason): c2 stays blind.
  expect((await save(bob, 'c2', Object.fromEntries(RATABLE.map((code) => [code, { score: 2, rationale: `${BOB_C2} on ${code}` }])))).status).toBe(303);
  expect((await submit(bob, 'c2')).status).toBe(303);
  expect((await save(ann, 'c2', {
    '1.a': { score: 5, rationale: `${ANN_C2_DRAFT} on 1.a`, evidence: [] },
    '2.a': { score: 'n', reason: ANN_C2_REASON, rationale: '' },
  })).status).toBe(303);

  // The values of every route parameter: each GET route is requested with every combination.
  const loaded = services.repos.framework.load(studyId, '', 0);
  const params: Record<string, string[]> = {
    id: [String(studyId)],
    case: ['c1', 'c2'],
    // The anonymised case reports are addressed by the cases' pseudonymous keys.
    pseudokey: ['c1', 'c2'].map((k) => services.anonymise.pseudonymKeyOf(studyId, k)!),
    code: [...RATABLE, '1.b'],
    rater: [String(annId), String(bobId)],
    userId: [String(annId), String(bobId), String(leadId), String(carolId), String(veraId)],
    // An unknown token: the page answers 410 without study content (a real one belongs to an account being set up).
    token: ['not-a-real-token'],
    conditionId: [...loaded.conditionIds.values()].map(String),
    interview: [interview],
    doc: [document],
    evidenceId: [evidenceId],
    role: [String(role)],
    question: [String(question)],
    // The exports: every CSV table and every workbook (walked as bytes; exports.test.ts reads the XLSX back).
    table: Object.keys(CSV_TABLES),
    workbook: [...WORKBOOKS],
  };
  /** Query strings that change what a route shows (the route itself is always requested without one, too). */
  const queries: Record<string, string[]> = {
    '/studies/:id/search': [ANN_SECRET, ANN_REASON, BOB_DRAFT, BOB_C2, ANN_C2_DRAFT, ANN_C2_REASON, 'secret', 'ANN*', 'BOB*', 'on', '"1 a"'].map((q) => `?q=${encodeURIComponent(q)}`),
    '/studies/:id/reconcile': ['?case=c1', '?case=c2', '?status=all', '?status=resolved&case=c2', '?kind=minor&page=2'],
    '/studies/:id/reconcile/bulk': ['?rule=lower', '?rule=higher&case=c1', '?rule=lower&case=c2'],
    '/studies/:id/evidence': ['?case=c1', '?case=c2', '?condition=1.a', '?kind=interview&q=secret', '?page=2'],
    '/studies/:id/evidence/new': [`?case=c1&source=${encodeURIComponent(`interview:${interview}`)}`],
    '/studies/:id/interviews/new': ['?case=c1'],
    '/studies/:id/interviews': ['?case=c1', '?case=c2', '?status=held', `?role=${role}`, '?page=2'],
    '/studies/:id/documents': ['?case=c1', '?case=c2', '?kind=plan', '?page=2'],
    '/studies/:id/interviews/:interview': ['?saved=1'],
    '/studies/:id/framework/conditions/new': ['?level=1'],
    '/studies/:id/audit': ['?before=999999', '?what=case', '?what=case:submit-ratings', '?what=case:reconcile'],
    '/studies/:id/reduction': ['?state=active', '?method=1&page=2'],
    '/studies/:id/exports/:table.csv': ['?anonymised=1'],
    '/admin/audit': ['?before=999999'],
    '/login': ['?next=%2Fstudies'],
  };
  const tick = (iso: string) => (now = new Date(iso));
  return { ...ctx, studyId, leadId, annId, bobId, lead, ann, bob, carol, vera, admin, save, submit, params, queries, tick };
}

/**
 * GET routes left out of the walk, each with its reason. Keep this small: every other GET route must
 * have its parameters in `params`, or the walk fails naming it.
 */
const EXCLUDED = new Map<string, string>([
  // (none at present: even /set-password/:token is walked, with an unknown token)
]);

export type Env = Awaited<ReturnType<typeof setUp>>;
export interface Page { url: string; status: number; body: string }

/** Every GET request of the app, with its parameters filled in all combinations; fails on a route it cannot fill. */
function requestsOf(env: Env): string[] {
  const urls: string[] = [];
  const unfilled: string[] = [];
  for (const r of env.app.routeTable) {
    if (r.method !== 'get' || EXCLUDED.has(r.path)) continue;
    const names = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const missing = names.filter((n) => !env.params[n]?.length);
    if (missing.length) {
      unfilled.push(`GET ${r.path} (no value for ${missing.map((n) => `:${n}`).join(', ')})`);
      continue;
    }
    let filled = [r.path];
    for (const name of names) {
      filled = filled.flatMap((p) => env.params[name]!.map((v) => p.replace(`:${name}`, encodeURIComponent(v))));
    }
    for (const url of filled) {
      urls.push(url);
      for (const q of env.queries[r.path] ?? []) urls.push(url + q);
    }
  }
  expect(unfilled, 'GET routes the blinding walk cannot fill: give their parameters in setUp (params) or list them in EXCLUDED with a reason').toEqual([]);
  for (const key of Object.keys(env.queries)) {
    expect(env.app.routeTable.some((r) => r.method === 'get' && r.path === key), `query variants for ${key}, which is no GET route`).toBe(true);
  }
  return urls;
}

/** The whole response as text (any content type), with its headers. */
export async function fetchAll(who: Who, url: string): Promise<Page> {
  const res = await who.agent
    .get(url)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
      response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    })
    .then((r) => r, (err: Error) => { throw new Error(`GET ${url}: ${err.message}`); });
  return { url, status: res.status, body: `${JSON.stringify(res.headers)}\n${res.body as string}` };
}

/** A search page repeats the query itself: take those echoes out; what it found must not hold the text. */
function withoutQueryEcho(page: Page): string {
  const q = new URL(page.url, 'http://x').searchParams.get('q');
  if (!page.url.includes('/search?') || q === null) return page.body;
  const html = q.replace(/&/g, '&amp;').replace(/"/g, '&#34;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
  return page.body.split(`value="${html}"`).join('').split(`“${html}”`).join('').split(encodeURIComponent(q)).join('');
}

/** Requests every GET route as `who` and returns the pages; no page may answer 500 or more. */
export async function walk(env: Env, who: Who, persona: string): Promise<Page[]> {
  const pages: Page[] = [];
  for (const url of requestsOf(env)) {
    const page = await fetchAll(who, url);
    expect(page.status, `GET ${url} as ${persona}`).toBeLessThan(500);
    pages.push(page);
  }
  return pages;
}

/** The pages of a walk that contain one of the texts, as "text in GET url (status)". */
export function leaks(pages: Page[], texts: readonly string[]): string[] {
  return pages.flatMap((page) => {
    const body = withoutQueryEcho(page);
    return texts.filter((t) => body.includes(t)).map((t) => `${t} in GET ${page.url} (${page.status})`);
  });
}

