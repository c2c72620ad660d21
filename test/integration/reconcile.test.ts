// Reconciliation as leads and raters use it: the queue holds only cases whose raters all submitted,
// ordered by the largest difference and labelled minor / major / partly not judged (hand-worked
// below); the final score needs a note; the bulk rule resolves only open minor differences and is
// logged; the original ratings never change; a case is signed off only without open items and is
// marked "changed after sign-off" by a later decision; threads are for the lead and the case's
// raters; the final scores CSV; a constant number of statements per page.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../server/cases/cases.csv.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

const RATABLE = ['1.a', '1.b.1', '1.b.2', '2.a', '2.b'];
const framework = {
  title: 'Small',
  levels: [{ number: 0, name: 'Outcome' }, { number: 1, name: 'Direct causes' }, { number: 2, name: 'Policy' }],
  conditions: [
    { code: '0', level: 0, name: 'Budget result', polarity: 'higher-is-favourable', kind: 'measured' },
    { code: '1.a', level: 1, name: 'Inflow', polarity: 'higher-is-favourable', kind: 'rated', anchors: { '1': 'Very high inflow', '5': 'Very low inflow' } },
    { code: '1.b', level: 1, name: 'Outflow', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '1.b.1', level: 1, name: 'Outflow to work', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '1.b.2', level: 1, name: 'Other outflow', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '2.a', level: 2, name: 'Enforcement', polarity: 'higher-is-favourable', kind: 'rated' },
    { code: '2.b', level: 2, name: 'Steering', polarity: 'lower-is-favourable', kind: 'rated' },
  ],
};

type Scores = Record<string, number | null>;
/**
 * c1: 1.a agreed (3); 1.b.1 minor (4/5); 1.b.2 partly not judged (n/2); 2.a major (1/4); 2.b partly not judged (2/n).
 * c2: 1.a minor (2/3), the rest agreed (2). c3: Bob has not submitted, so c3 is blind and takes no part.
 */
const SCORES: Record<string, { ann: Scores; bob: Scores; bobSubmitted?: boolean }> = {
  c1: { ann: { '1.a': 3, '1.b.1': 4, '1.b.2': null, '2.a': 1, '2.b': 2 }, bob: { '1.a': 3, '1.b.1': 5, '1.b.2': 2, '2.a': 4, '2.b': null } },
  c2: { ann: { '1.a': 2, '1.b.1': 2, '1.b.2': 2, '2.a': 2, '2.b': 2 }, bob: { '1.a': 3, '1.b.1': 2, '1.b.2': 2, '2.a': 2, '2.b': 2 } },
  c3: { ann: { '1.a': 1, '1.b.1': 1, '1.b.2': 1, '2.a': 1, '2.b': 1 }, bob: { '1.a': 5, '1.b.1': 5, '1.b.2': 5, '2.a': 5, '2.b': 5 }, bobSubmitted: false },
};

async function setUp(extraCases = 0) {
  let now = new Date('2026-06-01T10:00:00Z');
  const ctx = testApp({ clock: () => now });
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  for (const [email, name] of [['ann@example.org', 'Ann Rater'], ['bob@example.org', 'Bob Rater'], ['carol@example.org', 'Carol Other'], ['view@example.org', 'Vera Viewer']]) {
    await makeUser(ctx.services, { email: email!, name });
  }
  const scores = { ...SCORES };
  for (let i = 0; i < extraCases; i++) scores[`x${i}`] = SCORES.c1!;
  const raters = ['ann@example.org', 'bob@example.org'];
  const doc = {
    format: 'kader.study', version: 1,
    study: { title: 'Reconcile study', language: 'en', question: '' },
    framework,
    members: [
      { email: 'ann@example.org', name: 'Ann Rater', role: 'researcher' },
      { email: 'bob@example.org', name: 'Bob Rater', role: 'researcher' },
      { email: 'carol@example.org', name: 'Carol Other', role: 'researcher' },
      { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
    ],
    cases: Object.keys(scores).map((key) => ({ key, name: `Case ${key}`, raters })),
    ratings: Object.entries(scores).flatMap(([key, s]) =>
      RATABLE.flatMap((code) => [
        { case: key, condition: code, rater: 'ann@example.org', score: s.ann[code], rationale: `Ann on ${key} ${code}`, submitted: true },
        { case: key, condition: code, rater: 'bob@example.org', score: s.bob[code], rationale: `Bob on ${key} ${code}`, submitted: s.bobSubmitted ?? true },
      ]),
    ),
  };
  const valid = validateStudyFile(doc);
  if (!valid.ok) throw new Error(JSON.stringify(valid));
  const { studyId } = await ctx.services.studyFile.importer.run(valid.doc, { owner: leadId, actorId: leadId });
  const [lead, ann, carol, viewer] = await Promise.all([
    loginAs(ctx.app, 'lead@example.org'), loginAs(ctx.app, 'ann@example.org'), loginAs(ctx.app, 'carol@example.org'), loginAs(ctx.app, 'view@example.org'),
  ]);
  const base = `/studies/${studyId}/reconcile`;
  const item = (caseKey: string, code: string) => `${base}/cases/${caseKey}/items/${encodeURIComponent(code)}`;
  const caseId = (key: string) => ctx.services.repos.cases.findByKey(studyId, key)!.id;
  const ratingsSnapshot = () => ctx.db.prepare('SELECT case_id, condition_id, rater_id, score, rationale, submitted_at FROM ratings ORDER BY id').all();
  const audit = (action: string) =>
    ctx.db.prepare<[string], { before: string | null; after: string }>('SELECT before, after FROM audit_log WHERE action = ? ORDER BY id').all(action);
  const tick = (ms = 60_000) => { now = new Date(now.getTime() + ms); };
  return { ctx, studyId, leadId, lead, ann, carol, viewer, base, item, caseId, ratingsSnapshot, audit, tick };
}

/** The queue rows as "case code kind" in page order. */
function queueRows(html: string): string[] {
  const body = html.slice(html.indexOf('class="reconcile-queue"'), html.indexOf('id="cases"'));
  return [...body.matchAll(/<tr class="(open|resolved) kind-([\w-]+)">[\s\S]*?\?case=(\w+)[\s\S]*?<span class="code">([^<]+)<\/span>/g)].map((m) => `${m[3]} ${m[4]} ${m[2]} ${m[1]}`);
}

describe('the queue', () => {
  it('lists only the disagreements of cases whose raters all submitted, largest difference first', async () => {
    const { lead, base } = await setUp();
    const res = await lead.agent.get(base);
    expect(res.status).toBe(200);
    expect(queueRows(res.text)).toEqual([
      'c1 2.a major open',
      'c1 1.b.1 minor open',
      'c2 1.a minor open',
      'c1 1.b.2 partly-judged open',
      'c1 2.b partly-judged open',
    ]);
    expect(res.text).toContain('1 case(s) still wait for a rater to submit.');
    // c3 is blind: none of its scores, names or items appear.
    expect(res.text).not.toContain('Case c3');
  });

  it('shows a rater only the cases they rate, another researcher nothing, and refuses viewers', async () => {
    const { ann, carol, viewer, base } = await setUp();
    expect(queueRows((await ann.agent.get(base)).text)).toHaveLength(5);
    const other = await carol.agent.get(base);
    expect(other.status).toBe(200);
    expect(queueRows(other.text)).toEqual([]);
    expect(other.text).not.toContain('Case c1');
    expect((await viewer.agent.get(base)).status).toBe(403);
  });

  it('shows an item side by side to the lead and the case’s raters, never for a blind case', async () => {
    const { lead, ann, carol, item } = await setUp();
    const page = await ann.agent.get(item('c1', '2.a'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ann on c1 2.a');
    expect(page.text).toContain('Bob on c1 2.a');
    expect(page.text).toContain('major (2+ points)');
    expect((await carol.agent.get(item('c1', '2.a'))).status).toBe(403);
    const blind = await lead.agent.get(item('c3', '2.a'));
    expect(blind.status).toBe(409);
    expect(blind.text).not.toContain('Ann on c3');
    expect((await lead.agent.get(item('c1', '1.b'))).status).toBe(404); // a parent is not rated
  });
});

describe('final scores', () => {
  it('needs a score and a note, keeps the lead’s text on refusal, and never changes the ratings', async () => {
    const { lead, item, ratingsSnapshot, audit } = await setUp();
    const before = ratingsSnapshot();
    const noNote = await lead.agent.post(item('c1', '2.a')).type('form').send({ _csrf: lead.csrf, score: '3', note: '  ' });
    expect(noNote.status).toBe(422);
    expect(noNote.text).toContain('Say how the final score was reached.');
    const outOfScale = await lead.agent.post(item('c1', '2.a')).type('form').send({ _csrf: lead.csrf, score: '7', note: 'Discussed on the phone' });
    expect(outOfScale.status).toBe(422);
    expect(outOfScale.text).toContain('Choose a score from 1 to 5, or cannot judge.');
    expect(outOfScale.text).toContain('Discussed on the phone');

    const ok = await lead.agent.post(item('c1', '2.a')).type('form').send({ _csrf: lead.csrf, score: '3', note: 'Discussed: the *policy* is strict.' });
    expect(ok.status).toBe(303);
    const page = await lead.agent.get(item('c1', '2.a'));
    expect(page.text).toContain('<em>policy</em>');
    expect(page.text).toMatch(/<strong class="score">3<\/strong>/);
    expect(ratingsSnapshot()).toEqual(before);
    expect(audit('reconcile').map((a) => JSON.parse(a.after))).toEqual([{ case: 'c1', condition: '2.a', score: 3, note: 'Discussed: the *policy* is strict.' }]);
    expect(JSON.parse(audit('reconcile')[0]!.before!)).toEqual({ case: 'c1', condition: '2.a', scores: [1, 4] });
  });

  it('refuses a decision where the raters agree, and for raters who are not leads', async () => {
    const { lead, ann, item } = await setUp();
    expect((await lead.agent.post(item('c1', '1.a')).type('form').send({ _csrf: lead.csrf, score: '2', note: 'x' })).status).toBe(409);
    expect((await ann.agent.post(item('c1', '2.a')).type('form').send({ _csrf: ann.csrf, score: '2', note: 'x' })).status).toBe(403);
  });

  it('submitted ratings cannot be changed or removed, even by a direct statement', async () => {
    const { ctx } = await setUp();
    expect(() => ctx.db.prepare('UPDATE ratings SET score = 1 WHERE submitted_at IS NOT NULL').run()).toThrow(/cannot be changed/);
    expect(() => ctx.db.prepare('DELETE FROM ratings WHERE submitted_at IS NOT NULL').run()).toThrow(/cannot be removed/);
  });
});

describe('bulk rule', () => {
  it('resolves exactly the open minor differences every rater judged, logged with its rule', async () => {
    const { lead, base, ctx, audit } = await setUp();
    const page = await lead.agent.get(base);
    expect(page.text).toContain('Rule for the 2 open minor difference(s)');
    const stale = await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf, rule: 'lower', expected: '3' });
    expect(stale.status).toBe(409);
    expect(ctx.db.prepare('SELECT count(*) AS n FROM reconciliations').get()).toEqual({ n: 0 });

    const res = await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf, rule: 'lower', expected: '2' });
    expect(res.status).toBe(303);
    const rows = ctx.db.prepare("SELECT c.key, k.code, f.score, f.rule FROM reconciliations f JOIN cases c ON c.id = f.case_id JOIN conditions k ON k.id = f.condition_id ORDER BY c.key, k.code").all();
    expect(rows).toEqual([
      { key: 'c1', code: '1.b.1', score: 4, rule: 'lower' },
      { key: 'c2', code: '1.a', score: 2, rule: 'lower' },
    ]);
    const logged = audit('reconcile-bulk').map((a) => JSON.parse(a.after));
    expect(logged).toEqual([{ rule: 'lower', case: null, count: 2, items: ['c1:1.b.1', 'c2:1.a'] }]);
    expect(queueRows((await lead.agent.get(base)).text)).toEqual([
      'c1 2.a major open',
      'c1 1.b.2 partly-judged open',
      'c1 2.b partly-judged open',
      'c1 1.b.1 minor resolved',
      'c2 1.a minor resolved',
    ]);
  });

  it('can be limited to one case, with the higher score', async () => {
    const { lead, base, ctx } = await setUp();
    const scoped = await lead.agent.get(`${base}?case=c2`);
    expect(scoped.text).toContain('Rule for the 1 open minor difference(s)');
    await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf, rule: 'higher', case: 'c2', expected: '1' }).expect(303);
    expect(ctx.db.prepare('SELECT score, rule FROM reconciliations').all()).toEqual([{ score: 3, rule: 'higher' }]);
  });

  it('asks for a rule', async () => {
    const { lead, base } = await setUp();
    const res = await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf, expected: '2' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose a rule.');
  });
});

describe('sign-off', () => {
  it('is refused while items are open, then marks later changes until signed again', async () => {
    const { lead, base, item, audit, tick } = await setUp();
    const early = await lead.agent.post(`${base}/cases/c2/sign-off`).type('form').send({ _csrf: lead.csrf });
    expect(early.status).toBe(409);
    expect(early.text).toContain('1 item(s) have no final score (1.a)');

    await lead.agent.post(item('c2', '1.a')).type('form').send({ _csrf: lead.csrf, score: '2', note: 'Agreed on 2' }).expect(303);
    tick();
    await lead.agent.post(`${base}/cases/c2/sign-off`).type('form').send({ _csrf: lead.csrf }).expect(303);
    let page = (await lead.agent.get(base)).text;
    expect(page).toContain('Signed off by Lena Lead');
    expect(page).not.toContain('changed after sign-off</span>');

    tick();
    await lead.agent.post(item('c2', '1.a')).type('form').send({ _csrf: lead.csrf, score: '3', note: 'On reflection 3' }).expect(303);
    page = (await lead.agent.get(base)).text;
    expect(page).toContain('changed after sign-off</span>');
    expect(page).toContain('Sign off again');

    tick();
    await lead.agent.post(`${base}/cases/c2/sign-off`).type('form').send({ _csrf: lead.csrf }).expect(303);
    expect((await lead.agent.get(base)).text).not.toContain('changed after sign-off</span>');
    expect(audit('sign-off')).toHaveLength(2);
    expect(JSON.parse(audit('sign-off')[1]!.before!)).toMatchObject({ case: 'c2', changedAfterSignOff: true });
  });

  it('a case in reconciliation cannot be reopened', async () => {
    const { ctx, lead, item, caseId, studyId } = await setUp();
    await lead.agent.post(item('c1', '2.a')).type('form').send({ _csrf: lead.csrf, score: '3', note: 'ok' }).expect(303);
    const annId = ctx.services.repos.users.findByEmail('ann@example.org')!.id;
    const refused = await lead.agent.post(`/studies/${studyId}/cases/c1/raters/${annId}/reopen`).type('form').send({ _csrf: lead.csrf });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('cannot be reopened: reconciliation has begun');
    expect(() => ctx.db.prepare('UPDATE ratings SET submitted_at = NULL WHERE case_id = ?').run(caseId('c1'))).toThrow(/cannot be reopened/);
  });
});

describe('threads', () => {
  it('the lead and the case’s raters discuss an item; Markdown is sanitised; an empty message is refused', async () => {
    const setUpResult = await setUp();
    const { lead, ann, carol, item, audit } = setUpResult;
    await ann.agent.post(`${item('c1', '2.a')}/comments`).type('form').send({ _csrf: ann.csrf, body: 'I read **page 3** <script>alert(1)</script>' }).expect(303);
    await lead.agent.post(`${item('c1', '2.a')}/comments`).type('form').send({ _csrf: lead.csrf, body: 'Thanks, agreed.' }).expect(303);
    const page = (await lead.agent.get(item('c1', '2.a'))).text;
    expect(page).toContain('<strong>page 3</strong>');
    expect(page).not.toContain('<script>alert(1)');
    expect(page.indexOf('page 3')).toBeLessThan(page.indexOf('Thanks, agreed.'));
    expect((await carol.agent.post(`${item('c1', '2.a')}/comments`).type('form').send({ _csrf: carol.csrf, body: 'hi' })).status).toBe(403);
    const empty = await ann.agent.post(`${item('c1', '2.a')}/comments`).type('form').send({ _csrf: ann.csrf, body: ' ' });
    expect(empty.status).toBe(422);
    expect(audit('reconcile-comment')).toHaveLength(2);
    // A thread is bounded: the item page shows every message.
    const { ctx, studyId } = setUpResult;
    const annId = ctx.services.repos.users.findByEmail('ann@example.org')!.id;
    for (let i = 2; i < 200; i++) ctx.services.reconcile.comment(studyId, 'c1', '2.a', { id: annId, isLead: false }, `message ${i}`);
    const full = await ann.agent.post(`${item('c1', '2.a')}/comments`).type('form').send({ _csrf: ann.csrf, body: 'one more' });
    expect(full.status).toBe(409);
    expect(full.text).toContain('This discussion has reached 200 messages');
  });
});

describe('final scores CSV', () => {
  it('lists every item of the ready cases with its final score and how it came about', async () => {
    const { lead, viewer, item, studyId } = await setUp();
    await lead.agent.post(item('c1', '1.b.2')).type('form').send({ _csrf: lead.csrf, score: 'n', note: '=too little evidence' }).expect(303);
    const res = await viewer.agent.get(`/studies/${studyId}/final-scores.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const rows = parseCsv(res.text).map((r) => r.fields.slice(0, 5));
    expect(rows).toEqual([
      ['case', 'condition', 'score', 'status', 'note'],
      ['c1', '1.a', '3', 'agreed', ''],
      ['c1', '1.b.1', '', 'open', ''],
      ['c1', '1.b.2', '', 'reconciled', "'=too little evidence"],
      ['c1', '2.a', '', 'open', ''],
      ['c1', '2.b', '', 'open', ''],
      ['c2', '1.a', '', 'open', ''],
      ['c2', '1.b.1', '2', 'agreed', ''],
      ['c2', '1.b.2', '2', 'agreed', ''],
      ['c2', '2.a', '2', 'agreed', ''],
      ['c2', '2.b', '2', 'agreed', ''],
    ]);
  });
});

describe('study file', () => {
  it('exports the final scores and imports them back into an equal study', async () => {
    const { ctx, lead, item, studyId, leadId } = await setUp();
    await lead.agent.post(item('c1', '2.a')).type('form').send({ _csrf: lead.csrf, score: '3', note: 'Discussed' }).expect(303);
    await lead.agent.post(item('c1', '1.b.2')).type('form').send({ _csrf: lead.csrf, score: 'n', note: 'Too little' }).expect(303);
    const exported = ctx.services.studyFile.exporter.run(studyId, 'unblinded') as Record<string, any>;
    expect(exported.reconciliations).toEqual([
      { case: 'c1', condition: '1.b.2', score: null, note: 'Too little', by: 'lead@example.org' },
      { case: 'c1', condition: '2.a', score: 3, note: 'Discussed', by: 'lead@example.org' },
    ]);
    exported.study.title = 'Copy';
    const valid = validateStudyFile(exported);
    if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
    const copy = await ctx.services.studyFile.importer.run(valid.doc, { owner: leadId, actorId: leadId });
    const finals = (id: number) => ctx.services.reconcile.finalScores(id).map((i) => [i.row.case_key, i.row.code, i.final.status, i.final.score]);
    expect(finals(copy.studyId)).toEqual(finals(studyId));
    expect(finals(copy.studyId).filter(([, , status]) => status === 'reconciled')).toEqual([['c1', '1.b.2', 'reconciled', null], ['c1', '2.a', 'reconciled', 3]]);
  });
});

describe('statement counts', () => {
  it('the queue loads with the same number of statements for 3 and 13 cases', async () => {
    const few = await setUp();
    few.ctx.counter.reset();
    await few.lead.agent.get(few.base).expect(200);
    const fewCount = few.ctx.counter.count;
    const many = await setUp(10);
    many.ctx.counter.reset();
    const res = await many.lead.agent.get(many.base).expect(200);
    expect(queueRows(res.text)).toHaveLength(5 + 10 * 4);
    expect(many.ctx.counter.count).toBe(fewCount);
  });
});
