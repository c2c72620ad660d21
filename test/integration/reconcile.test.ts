// Reconciliation as leads and raters use it: the queue holds only cases whose raters all submitted,
// grouped per case under the case's sign-off, ordered by the largest difference and labelled minor /
// major / partly not judged (hand-worked below), filtered (open by default; resolved; all; case;
// kind) and paged; the final score needs a note, and "Save and next open item" walks the open items
// in queue order; the bulk rule previews exactly the items it changes and changes nothing until
// confirmed; the original ratings never change; a case is signed off only without open items, after
// a confirmation, and is marked "changed after sign-off" by a later decision; threads are for the
// lead and the case's raters; the final scores CSV; a constant number of statements per page.
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

/** The queue rows as "case code kind status" in page order. */
function queueRows(html: string): string[] {
  return [...html.matchAll(/<tr class="(open|resolved) kind-([\w-]+)" data-item="(\w+) ([^"]+)">/g)].map((m) => `${m[3]} ${m[4]} ${m[2]} ${m[1]}`);
}

/** The case groups as "case state" in page order ("continued" when the group began on an earlier page). */
function groupHeads(html: string): string[] {
  return [...html.matchAll(/<section class="recon-case state-(\w+)[^"]*" aria-labelledby="case-(\w+)"[\s\S]*?<\/h3>/g)].map(
    (m) => `${m[2]} ${m[1]}${m[0].includes('(continued)') ? ' continued' : ''}`,
  );
}

/** The text of a case group's head: its state and its sign-off button. */
function groupHead(html: string, caseKey: string): string {
  const start = html.indexOf(`aria-labelledby="case-${caseKey}"`);
  expect(start, `group ${caseKey}`).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</div>', start));
}

/** The rows of the bulk preview as "case code → score". */
function previewRows(html: string): string[] {
  return [...html.matchAll(/<tr data-item="(\w+) ([^"]+)">[\s\S]*?<strong class="score">([^<]+)<\/strong>/g)].map((m) => `${m[1]} ${m[2]} → ${m[3]}`);
}
const digestOf = (html: string) => /name="items" value="([0-9a-f]{64})"/.exec(html)![1]!;

describe('the queue', () => {
  it('lists only the disagreements of cases whose raters all submitted, per case, largest difference first', async () => {
    const { lead, base } = await setUp();
    const res = await lead.agent.get(base);
    expect(res.status).toBe(200);
    expect(queueRows(res.text)).toEqual([
      'c1 2.a major open',
      'c1 1.b.1 minor open',
      'c1 1.b.2 partly-judged open',
      'c1 2.b partly-judged open',
      'c2 1.a minor open',
    ]);
    expect(groupHeads(res.text)).toEqual(['c1 open', 'c2 open']);
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
    // The summary at the top links to the field that is wrong (issue 14.7).
    expect(outOfScale.text).toMatch(/<div class="error-summary"[^>]*role="alert"/);
    expect(outOfScale.text).toContain('<a href="#f-score">Record the final score: Choose a score from 1 to 5, or cannot judge.</a>');
    expect(outOfScale.text).toContain('<fieldset id="f-score" class="has-error"');

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
  const finals = (ctx: { db: { prepare: (sql: string) => { all: () => unknown[] } } }) =>
    ctx.db.prepare('SELECT c.key, k.code, f.score, f.rule FROM reconciliations f JOIN cases c ON c.id = f.case_id JOIN conditions k ON k.id = f.condition_id ORDER BY c.key, k.code').all();

  it('previews exactly the items it will change, changes nothing until confirmed, then changes exactly those, logged with its rule', async () => {
    const { lead, base, ctx, audit } = await setUp();
    const page = await lead.agent.get(base);
    expect(page.text).toContain('Rule for the 2 open minor difference(s)');
    expect(page.text).toMatch(/<form method="get" action="\/studies\/\d+\/reconcile\/bulk">/);

    // The preview (a GET): case, condition, the raters' scores and the score the rule gives.
    const preview = await lead.agent.get(`${base}/bulk?rule=lower`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Resolve 2 minor difference(s) with the lower score?');
    expect(previewRows(preview.text)).toEqual(['c1 1.b.1 → 4', 'c2 1.a → 2']);
    expect(preview.text).toContain('Ann Rater: <strong>4</strong>');
    expect(preview.text).toContain('<input type="hidden" name="confirmed" value="yes">');
    expect(finals(ctx)).toEqual([]);

    // A POST that is not confirmed answers with the same list and changes nothing.
    const unconfirmed = await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf, rule: 'lower' });
    expect(unconfirmed.status).toBe(200);
    expect(previewRows(unconfirmed.text)).toEqual(['c1 1.b.1 → 4', 'c2 1.a → 2']);
    expect(finals(ctx)).toEqual([]);
    // A list other than the one shown (here: the other rule's) is refused, and changes nothing.
    const higher = digestOf((await lead.agent.get(`${base}/bulk?rule=higher`)).text);
    const stale = await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf, rule: 'lower', items: higher, confirmed: 'yes' });
    expect(stale.status).toBe(409);
    expect(finals(ctx)).toEqual([]);

    const res = await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf, rule: 'lower', items: digestOf(preview.text), confirmed: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(base);
    expect(finals(ctx)).toEqual([
      { key: 'c1', code: '1.b.1', score: 4, rule: 'lower' },
      { key: 'c2', code: '1.a', score: 2, rule: 'lower' },
    ]);
    const logged = audit('reconcile-bulk').map((a) => JSON.parse(a.after));
    expect(logged).toEqual([{ rule: 'lower', case: null, count: 2, items: ['c1:1.b.1', 'c2:1.a'] }]);
    expect(queueRows((await lead.agent.get(`${base}?status=all`)).text)).toEqual([
      'c1 2.a major open',
      'c1 1.b.2 partly-judged open',
      'c1 2.b partly-judged open',
      'c1 1.b.1 minor resolved',
      'c2 1.a minor resolved',
    ]);
  });

  it('refuses a confirmation when the list changed after the preview, and changes nothing', async () => {
    const { lead, base, item, ctx } = await setUp();
    const preview = await lead.agent.get(`${base}/bulk?rule=lower`);
    await lead.agent.post(item('c2', '1.a')).type('form').send({ _csrf: lead.csrf, score: '3', note: 'Decided by hand' }).expect(303);
    const res = await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf, rule: 'lower', items: digestOf(preview.text), confirmed: 'yes' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('The open minor differences have changed since the list was shown (there are 1 now).');
    expect(finals(ctx)).toEqual([{ key: 'c2', code: '1.a', score: 3, rule: null }]);
  });

  it('can be limited to one case, with the higher score', async () => {
    const { lead, base, ctx } = await setUp();
    const scoped = await lead.agent.get(`${base}?case=c2`);
    expect(scoped.text).toContain('Rule for the 1 open minor difference(s)');
    expect(scoped.text).toContain('<input type="hidden" name="case" value="c2">');
    const preview = await lead.agent.get(`${base}/bulk?rule=higher&case=c2`);
    expect(previewRows(preview.text)).toEqual(['c2 1.a → 3']);
    expect(preview.text).toContain('Only the items of case Case c2.');
    const res = await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf, rule: 'higher', case: 'c2', items: digestOf(preview.text), confirmed: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base}?case=c2`);
    expect(ctx.db.prepare('SELECT score, rule FROM reconciliations').all()).toEqual([{ score: 3, rule: 'higher' }]);
  });

  it('asks for a rule', async () => {
    const { lead, base } = await setUp();
    const viaGet = await lead.agent.get(`${base}/bulk?ask=1`);
    expect(viaGet.status).toBe(422);
    expect(viaGet.text).toContain('Choose a rule.');
    expect(viaGet.text).toContain('<details class="recon-bulk" id="bulk" open>');
    // The bare address: the queue with the rule's form open, no problem yet.
    const bare = await lead.agent.get(`${base}/bulk`);
    expect(bare.status).toBe(200);
    expect(bare.text).toContain('<details class="recon-bulk" id="bulk" open>');
    expect(bare.text).not.toContain('Choose a rule.');
    const viaPost = await lead.agent.post(`${base}/bulk`).type('form').send({ _csrf: lead.csrf });
    expect(viaPost.status).toBe(422);
    expect(viaPost.text).toContain('Choose a rule.');
  });

  it('is not offered to a rater, who may not preview it either', async () => {
    const { ann, base } = await setUp();
    expect((await ann.agent.get(base)).text).not.toContain('/reconcile/bulk');
    expect((await ann.agent.get(`${base}/bulk?rule=lower`)).status).toBe(403);
  });
});

describe('sign-off', () => {
  it('is disabled with the reason while items are open, asks to confirm, then marks later changes until signed again', async () => {
    const { lead, base, item, audit, tick } = await setUp();
    // Disabled, and says why: the state at the head of the case's group.
    const queue = (await lead.agent.get(base)).text;
    const head = groupHead(queue, 'c2');
    expect(head).toContain('1 item open');
    expect(head).toMatch(/<button type="submit" disabled aria-describedby="state-c2">Sign off/);
    expect(groupHead(queue, 'c1')).toContain('4 items open');
    expect(groupHead(queue, 'c1')).toContain('disabled aria-describedby="state-c1"');
    const early = await lead.agent.post(`${base}/cases/c2/sign-off`).type('form').send({ _csrf: lead.csrf });
    expect(early.status).toBe(409);
    expect(early.text).toContain('1 item(s) have no final score (1.a)');

    await lead.agent.post(item('c2', '1.a')).type('form').send({ _csrf: lead.csrf, score: '2', note: 'Agreed on 2' }).expect(303);
    // Nothing open: the case waits for its sign-off among the open work, with the button enabled and a question for JavaScript.
    const ready = (await lead.agent.get(base)).text;
    expect(groupHeads(ready)).toEqual(['c1 open', 'c2 ready']);
    expect(groupHead(ready, 'c2')).toContain('Ready to sign off');
    expect(ready).toMatch(/<form method="post" action="\/studies\/\d+\/reconcile\/cases\/c2\/sign-off" class="recon-sign-off" data-confirm="Sign off Case c2\? [^"]+" data-confirm-ok="Sign off">/);
    expect(groupHead(ready, 'c2')).not.toContain('disabled');

    tick();
    // Without JavaScript the first POST asks on a page of its own, and changes nothing.
    const ask = await lead.agent.post(`${base}/cases/c2/sign-off`).type('form').send({ _csrf: lead.csrf, status: 'open', filterCase: '', kind: 'all', page: '1' });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('<h1 id="confirm-heading">Sign off Case c2?</h1>');
    expect(ask.text).toContain('the final scores of Case c2 are complete: 5 rated item(s), 1 of them reconciled.');
    expect(ask.text).toMatch(/<form method="post" action="\/studies\/\d+\/reconcile\/cases\/c2\/sign-off">/);
    expect(ask.text).toContain('<input type="hidden" name="confirmed" value="yes">');
    expect(audit('sign-off')).toEqual([]);
    const signed = await lead.agent.post(`${base}/cases/c2/sign-off`).type('form').send({ _csrf: lead.csrf, status: 'all', filterCase: '', kind: 'all', page: '1', confirmed: 'yes' });
    expect(signed.status).toBe(303);
    expect(signed.headers.location).toBe(`${base}?status=all`); // back to the queue as it was
    let page = (await lead.agent.get(`${base}?status=all`)).text;
    expect(groupHead(page, 'c2')).toContain('Signed off by Lena Lead on 2026-06-01 10:01');
    expect(groupHead(page, 'c2')).not.toContain('<button');
    // Signed off, nothing open: no longer among the open work.
    expect(groupHeads((await lead.agent.get(base)).text)).toEqual(['c1 open']);

    tick();
    await lead.agent.post(item('c2', '1.a')).type('form').send({ _csrf: lead.csrf, score: '3', note: 'On reflection 3' }).expect(303);
    page = (await lead.agent.get(base)).text;
    expect(groupHeads(page)).toEqual(['c1 open', 'c2 changed']);
    expect(groupHead(page, 'c2')).toContain('Changed after sign-off (signed off by Lena Lead on 2026-06-01 10:01)');
    expect(groupHead(page, 'c2')).toContain('Sign off again');

    tick();
    await lead.agent.post(`${base}/cases/c2/sign-off`).type('form').send({ _csrf: lead.csrf, confirmed: 'yes' }).expect(303);
    expect(groupHead((await lead.agent.get(`${base}?status=all`)).text, 'c2')).not.toContain('Changed after sign-off');
    expect(audit('sign-off')).toHaveLength(2);
    expect(JSON.parse(audit('sign-off')[1]!.before!)).toMatchObject({ case: 'c2', changedAfterSignOff: true });
  });

  it('shows a rater the state but no sign-off', async () => {
    const { ann, base } = await setUp();
    const page = (await ann.agent.get(base)).text;
    expect(groupHead(page, 'c2')).toContain('1 item open');
    expect(page).not.toContain('/sign-off');
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

describe('filters, groups and pages', () => {
  it('shows open items by default, resolved or all on request, one case or one kind', async () => {
    const { lead, base, item } = await setUp();
    await lead.agent.post(item('c1', '2.a')).type('form').send({ _csrf: lead.csrf, score: '3', note: 'Discussed' }).expect(303);
    const rows = async (query: string) => queueRows((await lead.agent.get(`${base}${query}`)).text);
    expect(await rows('')).toEqual(['c1 1.b.1 minor open', 'c1 1.b.2 partly-judged open', 'c1 2.b partly-judged open', 'c2 1.a minor open']);
    expect(await rows('?status=open')).toEqual(await rows(''));
    expect(await rows('?status=resolved')).toEqual(['c1 2.a major resolved']);
    expect(await rows('?status=all')).toEqual(['c1 1.b.1 minor open', 'c1 1.b.2 partly-judged open', 'c1 2.b partly-judged open', 'c1 2.a major resolved', 'c2 1.a minor open']);
    expect(await rows('?status=all&kind=major')).toEqual(['c1 2.a major resolved']);
    expect(await rows('?kind=minor')).toEqual(['c1 1.b.1 minor open', 'c2 1.a minor open']);
    expect(await rows('?kind=partly-judged')).toEqual(['c1 1.b.2 partly-judged open', 'c1 2.b partly-judged open']);
    expect(await rows('?case=c2')).toEqual(['c2 1.a minor open']);
    expect(await rows('?case=c2&status=resolved')).toEqual([]);
    // An unknown value falls back to the default rather than failing.
    expect(await rows('?status=bogus&kind=huge&page=-3')).toEqual(await rows(''));
    // The form shows the filters in use, and counts what the case and kind filters leave.
    const page = (await lead.agent.get(`${base}?status=resolved&case=c1`)).text;
    expect(page).toContain('<option value="resolved" selected>');
    expect(page).toContain('<option value="c1" selected>Case c1 (3 open)</option>');
    expect(page).toContain('Items: 3 open, 1 resolved');
    // Nothing matches: said so, with a way back to everything.
    const none = (await lead.agent.get(`${base}?case=c2&status=resolved`)).text;
    expect(none).toContain('No items match these filters.');
    expect(none).toContain('?status=all">Show all items of every case</a>');
    // The case asked for still heads its group, with its sign-off state.
    expect(groupHeads(none)).toEqual(['c2 open']);
  });

  it('pages the queue: no page grows with the study, every row is on exactly one page, a case split across pages is marked', async () => {
    const { lead, base } = await setUp(18); // 20 ready cases: 5 + 18 × 4 = 77 open items
    const first = (await lead.agent.get(base)).text;
    expect(first).toContain('Page 1 of 4 (rows 1–25 of 77)');
    expect(first).toMatch(/href="\/studies\/\d+\/reconcile\?page=2" rel="next"/);
    const pages = [first];
    for (const n of [2, 3, 4]) pages.push((await lead.agent.get(`${base}?page=${n}`)).text);
    const perPage = pages.map((p) => queueRows(p).length);
    expect(perPage).toEqual([25, 25, 25, 2]);
    const all = pages.flatMap(queueRows);
    expect(new Set(all).size).toBe(77);
    expect(all.slice(0, 5)).toEqual(['c1 2.a major open', 'c1 1.b.1 minor open', 'c1 1.b.2 partly-judged open', 'c1 2.b partly-judged open', 'c2 1.a minor open']);
    // 25 rows: c1 (4), c2 (1), x0–x4 (4 each): x4 is whole; page 2 starts with x5 … and splits some case.
    expect(groupHeads(first).at(-1)).toBe('x4 open');
    expect(groupHeads(pages[1]!)[0]).toBe('x5 open');
    expect(pages.flatMap(groupHeads).filter((h) => h.endsWith('continued')).length).toBeGreaterThan(0);
    // A page past the end shows the last page; filters carry over to the pager's links.
    expect((await lead.agent.get(`${base}?page=99`)).text).toContain('Page 4 of 4 (rows 76–77 of 77)');
    expect((await lead.agent.get(`${base}?kind=major&status=all`)).text).not.toContain('rel="next"');
    const minorOnly = (await lead.agent.get(`${base}?kind=minor`)).text;
    expect(queueRows(minorOnly)).toHaveLength(20);
    expect(minorOnly).not.toContain('class="pager"');
    const minor = (await lead.agent.get(`${base}?kind=partly-judged`)).text;
    expect(minor).toMatch(/href="\/studies\/\d+\/reconcile\?kind=partly-judged&amp;page=2" rel="next"/);
  });
});

describe('save and next', () => {
  it('goes to the next open item of the same case in queue order, then of the next case, then back to the queue', async () => {
    const { lead, base, item, ctx } = await setUp();
    const save = (caseKey: string, code: string) =>
      lead.agent.post(item(caseKey, code)).type('form').send({ _csrf: lead.csrf, score: '3', note: `Decided ${code}`, next: '1' });
    const flash = async () => /<div class="flash[^"]*"[^>]*>[\s\S]*?<p>([^<]+)<\/p>/.exec((await lead.agent.get(base)).text)?.[1];

    let res = await save('c1', '2.a');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(item('c1', '1.b.1'));
    res = await save('c1', '1.b.1');
    expect(res.headers.location).toBe(item('c1', '1.b.2'));
    res = await save('c1', '1.b.2');
    expect(res.headers.location).toBe(item('c1', '2.b'));
    const page = await lead.agent.get(res.headers.location!);
    expect(page.text).toContain('The final score of 1.b.2 is saved. Next open item: Case c1 2.b.');
    res = await save('c1', '2.b');
    // c1 is done: on to the next case (c3 is blind and takes no part), and the case is said to be ready.
    expect(res.headers.location).toBe(item('c2', '1.a'));
    expect((await lead.agent.get(res.headers.location!)).text).toContain('Case c1 has no open items left: sign it off in the queue. Next open item: Case c2 1.a.');
    res = await save('c2', '1.a');
    expect(res.headers.location).toBe(base);
    expect(await flash()).toBe('The final score of 1.a is saved. No open items are left.');
    expect(ctx.db.prepare('SELECT count(*) AS n FROM reconciliations').get()).toEqual({ n: 5 });
  });

  it('wraps round to the cases before this one; plain "Save final score" stays on the item', async () => {
    const { lead, item } = await setUp();
    const next = await lead.agent.post(item('c2', '1.a')).type('form').send({ _csrf: lead.csrf, score: '2', note: 'x', next: '1' });
    expect(next.headers.location).toBe(item('c1', '2.a'));
    const plain = await lead.agent.post(item('c1', '2.a')).type('form').send({ _csrf: lead.csrf, score: '2', note: 'x' });
    expect(plain.headers.location).toBe(item('c1', '2.a'));
    // A refused form stays on the item with the lead's text, whichever button was used.
    const refused = await lead.agent.post(item('c1', '1.b.1')).type('form').send({ _csrf: lead.csrf, note: 'kept text', next: '1' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('kept text');
  });

  it('is a second submit button on the item page, for leads only', async () => {
    const { lead, ann, item } = await setUp();
    const page = (await lead.agent.get(item('c1', '2.a'))).text;
    expect(page).toContain('<button type="submit" name="next" value="1">Save and next open item</button>');
    expect(page).toContain('Save final score</button>');
    expect((await ann.agent.get(item('c1', '2.a'))).text).not.toContain('Save and next open item');
  });
});

describe('statement counts', () => {
  it('the queue loads with the same number of statements for 2 and 20 cases, on any page and filter', async () => {
    const few = await setUp();
    const many = await setUp(18);
    const count = async (ctx: typeof few, query: string) => {
      ctx.ctx.counter.reset();
      const res = await ctx.lead.agent.get(`${ctx.base}${query}`).expect(200);
      return { n: ctx.ctx.counter.count, rows: queueRows(res.text).length };
    };
    const base = await count(few, '');
    expect(base.rows).toBe(5);
    for (const query of ['', '?page=2', '?status=all&kind=minor', '?case=x3']) {
      expect((await count(many, query)).n, query).toBe(base.n);
    }
    expect((await count(many, '')).rows).toBe(25);
    few.ctx.counter.reset();
    await few.lead.agent.get(`${few.base}/bulk?rule=lower`).expect(200);
    const previewFew = few.ctx.counter.count;
    many.ctx.counter.reset();
    await many.lead.agent.get(`${many.base}/bulk?rule=lower`).expect(200);
    expect(many.ctx.counter.count).toBe(previewFew);
  });
});
