// Complexity reduction as leads and members use it: the log and the state of every condition, the
// method-1 suggestion (never applied by itself) and its one-click form, a decision that takes a
// condition out of the cross-case page and out of the rating forms of cases where nobody has rated
// it — but not out of a case where someone has —, the revert that brings it back, the audit
// entries, refused forms (422, input kept), and that only leads decide.
import { describe, expect, it } from 'vitest';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp, type Agent } from '../helpers/app.ts';

const LEAD = 'lead@example.org';
const A = 'ann@example.org';
const B = 'bob@example.org';
const VIEWER = 'view@example.org';
const RATED = ['1.a', '2.a', '2.b', '2.c'] as const;

/**
 * Conditions: 0 (measured), 1.a, 2.a, 2.b, 2.c (rated); grouping G = 2.a + 2.b (1.a is in none).
 * Cases, raters Ann and Bob everywhere:
 *   r1, r2, r3  both submitted equal scores: 1.a 2/3/4, 2.a 1/3/5, 2.b 3/3/3 (no distinguishing power), 2.c 1/4/2
 *   s1          Ann submitted every condition, 2.c included; Bob has not started
 *   p1          Ann has a draft of 1.a only: nobody has rated 2.c here
 *   u1          nobody has rated anything
 */
function studyFile() {
  const condition = (code: string, level: number, name: string, extra: object = {}) => ({
    code, level, name, polarity: 'higher-is-favourable', kind: 'rated', ...extra,
  });
  const both = (key: string, scores: number[]) =>
    RATED.flatMap((code, i) => [A, B].map((rater) => ({ case: key, condition: code, rater, score: scores[i]!, submitted: true })));
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'Reduction study', language: 'en', question: '' },
    framework: {
      title: 'Small framework',
      levels: [{ number: 0, name: 'Outcome' }, { number: 1, name: 'Caseload' }, { number: 2, name: 'Execution' }],
      conditions: [
        condition('0', 0, 'Budget result', { kind: 'measured' }),
        condition('1.a', 1, 'Outflow to work'),
        condition('2.a', 2, 'Lenient gate'),
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
    cases: ['r1', 'r2', 'r3', 's1', 'p1', 'u1'].map((key, i) => ({ key, name: `Case ${key}`, measures: { '0': i }, raters: [A, B] })),
    ratings: [
      ...both('r1', [2, 1, 3, 1]),
      ...both('r2', [3, 3, 3, 4]),
      ...both('r3', [4, 5, 3, 2]),
      ...RATED.map((code) => ({ case: 's1', condition: code, rater: A, score: 4, submitted: true })),
      { case: 'p1', condition: '1.a', rater: A, score: 2, submitted: false },
    ],
  };
}

async function setUp() {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: LEAD, name: 'Lena Lead' });
  for (const [email, name] of [[A, 'Ann Rater'], [B, 'Bob Rater'], [VIEWER, 'Vera Viewer']] as const) await makeUser(ctx.services, { email, name });
  const valid = validateStudyFile(studyFile());
  if (!valid.ok) throw new Error(JSON.stringify(valid.problems.slice(0, 5)));
  const { studyId } = await ctx.services.studyFile.importer.run(valid.doc, { owner: leadId, actorId: leadId });
  const [lead, ann, bob, viewer] = await Promise.all([loginAs(ctx.app, LEAD), loginAs(ctx.app, A), loginAs(ctx.app, B), loginAs(ctx.app, VIEWER)]);
  const page = `/studies/${studyId}/reduction`;
  const decide = (who: { agent: Agent; csrf: string }, code: string, body: Record<string, string>) =>
    who.agent.post(`${page}/${encodeURIComponent(code)}`).type('form').send({ _csrf: who.csrf, ...body });
  const revert = (who: { agent: Agent; csrf: string }, code: string) =>
    who.agent.post(`${page}/${encodeURIComponent(code)}/revert`).type('form').send({ _csrf: who.csrf });
  /** The conditions on a rater's form for a case, in order. */
  const formCodes = async (who: { agent: Agent }, caseKey: string) => {
    const res = await who.agent.get(`/studies/${studyId}/cases/${caseKey}/rate`);
    expect(res.status).toBe(200);
    return [...res.text.matchAll(/<legend>Score for ([^<]+)<\/legend>/g)].map((m) => m[1]);
  };
  const rateUrl = (caseKey: string) => `/studies/${studyId}/cases/${caseKey}/rate`;
  const save = (who: { agent: Agent; csrf: string }, caseKey: string, scores: Record<string, number>) => {
    const params = new URLSearchParams([['_csrf', who.csrf]]);
    for (const [code, score] of Object.entries(scores)) {
      params.append('c', code);
      params.append(`score:${code}`, String(score));
      params.append(`reason:${code}`, '');
      params.append(`rationale:${code}`, '');
    }
    return who.agent.post(rateUrl(caseKey)).type('form').send(params.toString());
  };
  const submit = (who: { agent: Agent; csrf: string }, caseKey: string) => who.agent.post(`${rateUrl(caseKey)}/submit`).type('form').send({ _csrf: who.csrf, confirmed: 'yes' });
  /** The heat map's condition rows on the cross-case page. */
  const crossCaseCodes = async () => {
    const html = (await viewer.agent.get(`/studies/${studyId}/cross-case`)).text;
    const heat = html.slice(html.indexOf('<table class="cross-heatmap"'), html.indexOf('</table>', html.indexOf('<table class="cross-heatmap"')));
    return [...heat.matchAll(/<tr data-code="([^"]+)"/g)].map((m) => m[1]);
  };
  const audit = () =>
    ctx.services.repos.audit
      .listForStudy(studyId)
      .filter((a) => a.action.startsWith('reduction'))
      .reverse()
      .map((a) => ({ action: a.action, before: a.before ? JSON.parse(a.before) : null, after: a.after ? JSON.parse(a.after) : null }));
  return { ctx, studyId, leadId, lead, ann, bob, viewer, page, decide, revert, formCodes, save, submit, crossCaseCodes, audit };
}

const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim();
/** The condition's row in the overview table ("Decisions per condition"). */
const card = (html: string, code: string) => {
  const start = html.lastIndexOf('<tr class="reduction-row', html.indexOf(`id="r-${code}"`));
  return html.slice(start, html.indexOf('</tr>', start));
};

describe('the reduction page', () => {
  it('suggests method 1 for a condition without distinguishing power, with a prepared reason, and applies nothing by itself', async () => {
    const { lead, page, ctx, studyId } = await setUp();
    const res = await lead.agent.get(page);
    expect(res.status).toBe(200);
    // Only 2.b: equal final scores (3) in the three ready cases r1–r3.
    const suggestions = res.text.slice(res.text.indexOf('<ul class="reduction-suggestions">'), res.text.indexOf('</ul>', res.text.indexOf('<ul class="reduction-suggestions">')));
    expect([...suggestions.matchAll(/<li data-code="([^"]+)"/g)].map((m) => m[1])).toEqual(['2.b']);
    expect(text(suggestions)).toContain('2.b Sanctions: all 3 cases with a final score have the same score (3).');
    expect(suggestions).toContain('<input type="hidden" name="method" value="1">');
    expect(suggestions).toContain('>No distinguishing power: all 3 cases with a final score have the same score (3).</textarea>');
    expect(ctx.services.analysis.model(studyId).reductionLog).toEqual([]);
    expect(text(res.text)).toContain('No decisions yet');
    // Every condition has a row with its state and distinguishing power; method 3 is offered only inside a grouping.
    expect([...res.text.matchAll(/<tr class="reduction-row[^"]*" [^>]*data-code="([^"]+)" data-state="([^"]+)"/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual([
      '0:analysed', '1.a:analysed', '2.a:analysed', '2.b:analysed', '2.c:analysed',
    ]);
    expect(card(res.text, '2.b')).toContain('data-distinguishing="none"');
    expect(card(res.text, '1.a')).toContain('data-distinguishing="yes"');
    expect(card(res.text, '1.a')).not.toContain('<option value="3">');
    expect(card(res.text, '2.a')).toContain('<option value="3">3: grouping</option>');
  });

  it('one click on the suggestion drops the condition by method 1 with the prepared reason', async () => {
    const { lead, page, decide, ctx, studyId, crossCaseCodes } = await setUp();
    const html = (await lead.agent.get(page)).text;
    const reason = /name="reason" rows="2">([^<]+)<\/textarea>/.exec(html)![1]!;
    const res = await decide(lead, '2.b', { method: '1', reason });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${page}#r-2.b`);
    expect(ctx.services.analysis.model(studyId).reductions.map((r) => [r.condition, r.method, r.reason])).toEqual([
      ['2.b', 1, 'No distinguishing power: all 3 cases with a final score have the same score (3).'],
    ]);
    expect(await crossCaseCodes()).toEqual(['0', '1.a', '2.a', '2.c']);
    const after = (await lead.agent.get(page)).text;
    expect(after).toContain('Decision recorded for 2.b: 1: no distinguishing power.');
    expect(text(after)).toContain('No analysed condition without a decision lacks distinguishing power.');
  });

  it('lets viewers read the log but not decide or revert', async () => {
    const { viewer, ann, lead, page, decide, revert, ctx, studyId } = await setUp();
    const res = await viewer.agent.get(page);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/<form method="post" action="[^"]*\/reduction\//);
    expect(text(res.text)).toContain('Only the study’s leads record and revert decisions.');
    expect((await decide(viewer, '2.c', { method: '1', reason: 'x' })).status).toBe(403);
    expect((await decide(ann, '2.c', { method: '1', reason: 'x' })).status).toBe(403);
    expect((await decide(lead, '2.c', { method: '2', reason: 'Outside the municipality’s influence.' })).status).toBe(303);
    expect((await revert(viewer, '2.c')).status).toBe(403);
    expect((await revert(ann, '2.c')).status).toBe(403);
    expect(ctx.services.analysis.model(studyId).reductions.map((r) => r.condition)).toEqual(['2.c']);
  });
});

describe('a decision and its revert', () => {
  it('takes the condition out of the cross-case page and the forms of cases nobody rated it in; reverting brings it back; both audited', async () => {
    const { lead, ann, bob, page, decide, revert, formCodes, crossCaseCodes, audit, ctx, studyId } = await setUp();
    expect(await crossCaseCodes()).toEqual(['0', '1.a', '2.a', '2.b', '2.c']);
    expect(await formCodes(ann, 'u1')).toEqual(['1.a', '2.a', '2.b', '2.c']);

    const res = await decide(lead, '2.c', { method: '1', reason: 'Hardly varies.' });
    expect(res.status).toBe(303);

    // The log and the condition's card.
    const html = (await lead.agent.get(page)).text;
    expect(html).toMatch(/<tr data-code="2\.c" data-method="1" data-state="active">/);
    expect(text(card(html, '2.c'))).toContain('Dropped — 1: no distinguishing power');
    expect(text(card(html, '2.c'))).toContain('Reason: Hardly varies. — Lena Lead,');
    expect(card(html, '2.c')).toContain('Restore 2.c (revert the decision)');

    // Analysis views: gone from the heat map, named among the dropped ones.
    expect(await crossCaseCodes()).toEqual(['0', '1.a', '2.a', '2.b']);
    const cross = (await lead.agent.get(`/studies/${studyId}/cross-case`)).text;
    expect(cross).toMatch(/<li data-code="2\.c"><span class="code">2\.c<\/span> Case load per worker — 1: no distinguishing power<\/li>/);

    // Rating forms lose 2.c wherever the rater has not rated it: u1, p1 (a draft of 1.a only), and Bob's
    // s1 — what Ann did there (she rated 2.c and submitted) never changes Bob's form (blinding).
    expect(await formCodes(ann, 'u1')).toEqual(['1.a', '2.a', '2.b']);
    expect(await formCodes(bob, 'u1')).toEqual(['1.a', '2.a', '2.b']);
    expect(await formCodes(ann, 'p1')).toEqual(['1.a', '2.a', '2.b']);
    expect(await formCodes(bob, 's1')).toEqual(['1.a', '2.a', '2.b']);
    // The data is kept: Ann's submitted 2.c of s1 and the final scores of r1–r3.
    expect(ctx.db.prepare("SELECT count(*) AS n FROM ratings r JOIN conditions k ON k.id = r.condition_id WHERE k.code = '2.c'").get()).toEqual({ n: 7 });

    expect((await revert(lead, '2.c')).status).toBe(303);
    expect(await crossCaseCodes()).toEqual(['0', '1.a', '2.a', '2.b', '2.c']);
    expect(await formCodes(ann, 'u1')).toEqual(['1.a', '2.a', '2.b', '2.c']);
    const log = (await lead.agent.get(page)).text;
    expect(log).toMatch(/<tr data-code="2\.c" data-method="1" data-state="reverted">/);
    expect(text(log)).toContain('The decision on 2.c was reverted: the condition takes part in the analysis again.');
    expect(text(card(log, '2.c'))).toContain('Earlier decisions (1)');

    expect(audit()).toEqual([
      { action: 'reduction', before: null, after: { condition: '2.c', method: 1, reason: 'Hardly varies.' } },
      { action: 'reduction-revert', before: { condition: '2.c', method: 1, reason: 'Hardly varies.' }, after: null },
    ]);
  });

  it('a rater who has not rated the dropped condition submits without it, whatever the other rater did', async () => {
    const { lead, ann, bob, decide, save, submit } = await setUp();
    await decide(lead, '2.c', { method: '4', reason: 'Its class differs from every linked condition.' });
    // u1: 2.c cannot be saved there, and is not needed to submit.
    expect((await save(ann, 'u1', { '2.c': 3 })).status).toBe(422);
    expect((await save(ann, 'u1', { '1.a': 3, '2.a': 3, '2.b': 3 })).status).toBe(303);
    expect((await submit(ann, 'u1')).status).toBe(303);
    // s1: Ann rated 2.c before the decision; Bob's form does not depend on that, so he submits without it.
    expect((await save(bob, 's1', { '1.a': 4, '2.a': 4, '2.b': 4 })).status).toBe(303);
    expect((await save(bob, 's1', { '2.c': 4 })).status).toBe(422);
    expect((await submit(bob, 's1')).status).toBe(303);
  });

  it('a grouping decision (method 3) keeps the condition and shows its grouping as a combined row', async () => {
    const { lead, decide, crossCaseCodes, studyId, page } = await setUp();
    expect((await decide(lead, '2.a', { method: '3', reason: 'A form of the same gate as 2.b.' })).status).toBe(303);
    expect(await crossCaseCodes()).toEqual(['0', '1.a', '2.a', '2.b', '2.c']);
    const cross = (await lead.agent.get(`/studies/${studyId}/cross-case`)).text;
    expect(cross).toContain('<tr data-grouping="G">');
    expect(text(card((await lead.agent.get(page)).text, '2.a'))).toContain('In the analysis and grouped — 3: grouping');
  });
});

describe('refused decisions', () => {
  it('re-renders the form with the problem and the input kept (422), and records nothing', async () => {
    const { lead, decide, revert, ctx, studyId, page } = await setUp();
    const noReason = await decide(lead, '2.c', { method: '1', reason: '   ' });
    expect(noReason.status).toBe(422);
    expect(text(noReason.text)).toContain('The decision on 2.c was not recorded');
    expect(text(card(noReason.text, '2.c'))).toContain('Give the reason for this decision.');
    expect(card(noReason.text, '2.c')).toContain('<details class="reduction-form" open>');
    expect(card(noReason.text, '2.c')).toMatch(/<option value="1" selected>/);

    const noMethod = await decide(lead, '2.c', { reason: 'Because.' });
    expect(noMethod.status).toBe(422);
    expect(text(card(noMethod.text, '2.c'))).toContain('Choose a method from 1 to 4.');
    expect(card(noMethod.text, '2.c')).toContain('>Because.</textarea>');

    // Method 3 needs a grouping: 1.a belongs to none.
    const notGrouped = await decide(lead, '1.a', { method: '3', reason: 'Grouped.' });
    expect(notGrouped.status).toBe(422);
    expect(text(card(notGrouped.text, '1.a'))).toContain('Condition 1.a belongs to no grouping of the framework');

    expect((await decide(lead, 'nope', { method: '1', reason: 'x' })).status).toBe(404);
    expect((await decide(lead, 'nope', { reason: '' })).status).toBe(404);
    expect(ctx.services.analysis.model(studyId).reductionLog).toEqual([]);

    // Reverting with nothing active: said on the page, nothing changes.
    const none = await revert(lead, '2.c');
    expect(none.status).toBe(303);
    expect(text((await lead.agent.get(page)).text)).toContain('Condition 2.c has no active reduction decision to revert.');
  });
});
