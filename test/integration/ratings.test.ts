// Rating in the browser's terms: a rater's form shows only their own ratings (blinding on every page
// and export), drafts by form and autosave, the completeness check naming the missing codes,
// submitting locks, a lead reopens and unblinds (logged), two raters save at once without
// interfering, scores are checked against the scale, only assigned raters may rate, and the form
// loads from the same number of statements for 5 and 40 conditions.
import { describe, expect, it } from 'vitest';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp, type Agent } from '../helpers/app.ts';

/**
 * A framework with hand-countable ratable conditions: '0' is measured and '1.b' is the parent of
 * '1.b.1' and '1.b.2', so the ratable ones are 1.a, 1.b.1, 1.b.2, 2.a, 2.b (five), in that order.
 */
function smallFramework() {
  return {
    title: 'Small',
    levels: [{ number: 0, name: 'Outcome' }, { number: 1, name: 'Direct causes' }, { number: 2, name: 'Policy' }],
    categories: [{ key: 'VOL', level: 1, name: 'Volume' }, { key: 'POL', level: 2, name: 'Policy choices' }],
    conditions: [
      { code: '0', level: 0, name: 'Budget result', polarity: 'higher-is-favourable', kind: 'measured' },
      { code: '1.a', level: 1, category: 'VOL', name: 'Inflow', description: 'How many *new* clients arrive.', assessedOn: 'Interviews with managers',
        anchors: { '1': 'Very high inflow', '5': 'Very low inflow' }, polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.b', level: 1, category: 'VOL', name: 'Outflow', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.b.1', level: 1, category: 'VOL', name: 'Outflow to work', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.b.2', level: 1, category: 'VOL', name: 'Other outflow', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '2.a', level: 2, category: 'POL', name: 'Enforcement', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '2.b', level: 2, name: 'Steering', polarity: 'lower-is-favourable', kind: 'rated' },
    ],
  };
}
const RATABLE = ['1.a', '1.b.1', '1.b.2', '2.a', '2.b'];

/** The id of a condition's row on the rating form (the target of the error summary's links). */
function rowIdOf(html: string, code: string): string {
  const m = new RegExp(`<section class="rating-condition[^"]*" id="(r\\d+)" tabindex="-1" data-condition="${code.replace(/\./g, '\\.')}">`).exec(html);
  if (!m) throw new Error(`no row for ${code}`);
  return m[1]!;
}

/** The error summary's links: the condition each names and the row it points at. */
function errorSummaryLinks(html: string): { code: string; name: string; row: string }[] {
  const summary = /<div class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...summary.matchAll(/<a href="#(r\d+)" data-open-row><span class="code">([^<]+)<\/span> ([^<]+)<\/a>/g)].map((m) => ({ code: m[2]!, name: m[3]!, row: m[1]! }));
}

/** Whether a condition's row is rendered open (its <details>). */
function rowIsOpen(html: string, code: string): boolean {
  const at = html.indexOf(`data-condition="${code}"`);
  return /^[^>]*>\s*<input type="hidden" name="c" value="[^"]*">\s*<details class="rating-row" open>/.test(html.slice(at));
}

function manyFramework(n: number) {
  return {
    title: `Many ${n}`,
    levels: [{ number: 1, name: 'One' }, { number: 2, name: 'Two' }],
    categories: [{ key: 'A', level: 1, name: 'Cat A' }],
    conditions: Array.from({ length: n }, (_, i) => ({
      code: `c${i + 1}`, level: i % 2 === 0 ? 1 : 2, ...(i % 2 === 0 ? { category: 'A' } : {}), name: `Condition ${i + 1}`,
      polarity: 'higher-is-favourable', kind: 'rated', anchors: { '1': 'low', '5': 'high' },
    })),
  };
}

async function setUp(framework: object = smallFramework()) {
  let now = new Date('2026-06-01T10:00:00Z');
  const ctx = testApp({ clock: () => now });
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  const annId = await makeUser(ctx.services, { email: 'ann@example.org', name: 'Ann Rater' });
  const bobId = await makeUser(ctx.services, { email: 'bob@example.org', name: 'Bob Rater' });
  await makeUser(ctx.services, { email: 'carol@example.org', name: 'Carol Other' });
  await makeUser(ctx.services, { email: 'view@example.org', name: 'Vera Viewer' });
  const doc = {
    format: 'kader.study', version: 1,
    study: { title: 'Rating study', language: 'en', question: '' },
    framework,
    members: [
      { email: 'ann@example.org', name: 'Ann Rater', role: 'researcher' },
      { email: 'bob@example.org', name: 'Bob Rater', role: 'researcher' },
      { email: 'carol@example.org', name: 'Carol Other', role: 'researcher' },
      { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
    ],
    cases: [{ key: 'c1', name: 'Almere' }, { key: 'c2', name: 'Breda' }],
  };
  const valid = validateStudyFile(doc);
  if (!valid.ok) throw new Error(JSON.stringify(valid));
  const { studyId } = await ctx.services.studyFile.importer.run(valid.doc, { owner: leadId, actorId: leadId });
  ctx.services.assignment.save(studyId, leadId, 'c1', [annId, bobId]);
  const [lead, ann, bob] = await Promise.all([loginAs(ctx.app, 'lead@example.org'), loginAs(ctx.app, 'ann@example.org'), loginAs(ctx.app, 'bob@example.org')]);
  const rateUrl = `/studies/${studyId}/cases/c1/rate`;
  const caseId = ctx.services.repos.cases.findByKey(studyId, 'c1')!.id;
  /** Posts the rating form for the given conditions: score (number or 'n'), reason, rationale, evidence ids. */
  const save = (who: { agent: Agent; csrf: string }, conditions: Record<string, { score?: number | string; reason?: string; rationale?: string; evidence?: string[] }>, json = false) => {
    const body: Record<string, unknown> = { _csrf: who.csrf, c: Object.keys(conditions) };
    for (const [code, v] of Object.entries(conditions)) {
      if (v.score !== undefined) body[`score:${code}`] = String(v.score);
      body[`reason:${code}`] = v.reason ?? '';
      body[`rationale:${code}`] = v.rationale ?? '';
      if (v.evidence) body[`evidence:${code}`] = v.evidence;
    }
    const req = who.agent.post(rateUrl).type('form');
    return (json ? req.set('Accept', 'application/json') : req).send(new URLSearchParams(
      Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]])),
    ).toString());
  };
  /** Submits, confirmed (as the confirmation page or the dialog posts it); `confirmed: false` posts the first, unconfirmed step. */
  const submit = (who: { agent: Agent; csrf: string }, { confirmed = true } = {}) =>
    who.agent.post(`${rateUrl}/submit`).type('form').send({ _csrf: who.csrf, ...(confirmed ? { confirmed: 'yes' } : {}) });
  const reopen = (raterId: number, { confirmed = true } = {}) =>
    lead.agent.post(`/studies/${studyId}/cases/c1/raters/${raterId}/reopen`).type('form').send({ _csrf: lead.csrf, ...(confirmed ? { confirmed: 'yes' } : {}) });
  const completeAll = (who: { agent: Agent; csrf: string }, rationale: string) =>
    save(who, Object.fromEntries(RATABLE.map((code, i) => [code, i === 4 ? { score: 'n', reason: 'no sources', rationale } : { score: i + 1, rationale }])));
  const rows = (raterId: number) =>
    ctx.db.prepare('SELECT k.code, r.score, r.cannot_judge_reason AS reason, r.rationale, r.submitted_at FROM ratings r JOIN conditions k ON k.id = r.condition_id WHERE r.case_id = ? AND r.rater_id = ? ORDER BY k.position').all(caseId, raterId) as { code: string; score: number | null; reason: string | null; rationale: string; submitted_at: string | null }[];
  const audit = (action: string) => ctx.services.repos.audit.listForStudy(studyId).filter((a) => a.action === action);
  const tick = (iso: string) => (now = new Date(iso));
  return { ...ctx, studyId, leadId, annId, bobId, lead, ann, bob, rateUrl, caseId, save, submit, reopen, completeAll, rows, audit, tick };
}

describe('the rating form', () => {
  it('shows every ratable condition by level and category with description, anchors and the case’s evidence', async () => {
    const { ann, rateUrl, services, studyId } = await setUp();
    const interview = services.interviews.create(studyId, { case: 'c1', date: '2026-05-01', participants: 1, notes: '', status: 'held', roles: [], interviewers: [], conditions: [] }, null);
    services.evidence.add(studyId, { source: `interview:${interview}`, quote: 'Inflow doubled in 2022', locator: 'p. 3', conditions: ['1.a'] }, null);
    const res = await ann.agent.get(rateUrl);
    expect(res.status).toBe(200);
    const legends = [...res.text.matchAll(/<legend>Score for ([^<]+)<\/legend>/g)].map((m) => m[1]);
    expect(legends).toEqual(RATABLE);
    expect(res.text).toContain('Level 1: Direct causes');
    expect(res.text).toContain('Policy choices');
    expect(res.text).toContain('Other conditions'); // 2.b has no category
    expect(res.text).toContain('How many <em>new</em> clients arrive.');
    expect(res.text).toContain('Interviews with managers');
    expect(res.text).toContain('Very high inflow');
    expect(res.text).toContain('Inflow doubled in 2022');
    expect(res.text).toMatch(/name="score:1.a" value="n"/);
    expect(res.text).toContain('0 of 5 conditions complete');
    expect(res.text).not.toContain('name="score:1.b"'); // a parent of sub-conditions is not rated
  });

  it('my cases links the rater to the rating form', async () => {
    const { ann, studyId } = await setUp();
    const res = await ann.agent.get(`/studies/${studyId}/my-cases`);
    expect(res.text).toContain(`href="/studies/${studyId}/cases/c1/rate"`);
  });
});

describe('drafts', () => {
  it('saves the whole form as drafts, keeps empty conditions out, and shows the values again', async () => {
    const { ann, annId, save, rows, rateUrl } = await setUp();
    const res = await save(ann, { '1.a': { score: 4, rationale: 'Inflow *fell*' }, '2.b': { score: 'n', reason: 'no documents' }, '2.a': {} });
    expect(res.status).toBe(303);
    expect(rows(annId)).toEqual([
      { code: '1.a', score: 4, reason: null, rationale: 'Inflow *fell*', submitted_at: null },
      { code: '2.b', score: null, reason: 'no documents', rationale: '', submitted_at: null },
    ]);
    const page = await ann.agent.get(rateUrl);
    expect(page.text).toMatch(/name="score:1.a" value="4" checked/);
    expect(page.text).toMatch(/name="score:2.b" value="n" checked/);
    expect(page.text).toContain('Inflow *fell*');
    // 1.a scored, 2.b cannot judge with a reason: 2 of 5.
    expect(page.text).toContain('2 of 5 conditions complete');
  });

  it('the autosave posts one condition and gets JSON back; emptying a condition removes its draft', async () => {
    const { ann, annId, save, rows } = await setUp();
    const res = await save(ann, { '1.b.1': { score: 2 } }, true);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, savedAt: '2026-06-01T10:00:00.000Z' });
    expect(rows(annId).map((r) => [r.code, r.score])).toEqual([['1.b.1', 2]]);
    await save(ann, { '1.b.1': {} }, true);
    expect(rows(annId)).toEqual([]);
  });

  it('links evidence of the case and refuses evidence of another case', async () => {
    const { ann, save, services, studyId, db } = await setUp();
    const i1 = services.interviews.create(studyId, { case: 'c1', date: '2026-05-01', participants: 1, notes: '', status: 'held', roles: [], interviewers: [], conditions: [] }, null);
    const i2 = services.interviews.create(studyId, { case: 'c2', date: '2026-05-02', participants: 1, notes: '', status: 'held', roles: [], interviewers: [], conditions: [] }, null);
    services.evidence.add(studyId, { source: `interview:${i1}`, quote: 'mine', locator: '', conditions: ['1.a'] }, null);
    services.evidence.add(studyId, { source: `interview:${i2}`, quote: 'other case', locator: '', conditions: ['1.a'] }, null);
    const [own, other] = services.repos.evidence.list(studyId).map((e) => String(e.id));
    expect((await save(ann, { '1.a': { score: 3, evidence: [own!] } })).status).toBe(303);
    expect(db.prepare('SELECT evidence_id FROM rating_evidence').all()).toEqual([{ evidence_id: Number(own) }]);
    const refused = await save(ann, { '1.a': { score: 3, evidence: [other!] } });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choose evidence of this case only.');
  });
});

describe('scale validation', () => {
  it('refuses scores off the study’s 1–5 scale and non-numbers, keeping what was typed', async () => {
    const { ann, annId, save, rows } = await setUp();
    for (const score of [6, 0, 'x']) {
      const res = await save(ann, { '1.a': { score, rationale: 'typed text kept' } });
      expect(res.status).toBe(422);
      expect(res.text).toContain(score === 'x' ? 'Choose a score on the scale or “cannot judge”.' : 'A score is a whole number from 1 to 5.');
      expect(res.text).toContain('typed text kept');
    }
    const json = await save(ann, { '1.a': { score: 6 } }, true);
    expect(json.status).toBe(422);
    expect(json.body).toEqual({ ok: false, errors: { 'score:1.a': 'A score is a whole number from 1 to 5.' } });
    expect(rows(annId)).toEqual([]);
  });
});

describe('submitting', () => {
  it('refuses an incomplete case and names the missing codes; cannot judge without a reason is missing', async () => {
    const { ann, annId, save, submit, rows } = await setUp();
    await save(ann, { '1.a': { score: 3 }, '1.b.1': { score: 'n', reason: '' }, '2.a': { score: 'n', reason: 'no data' } });
    const res = await submit(ann);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Not submitted: 3 conditions need a score or “cannot judge” with a reason:');
    expect(errorSummaryLinks(res.text)).toEqual([['1.b.1', 'Outflow to work'], ['1.b.2', 'Other outflow'], ['2.b', 'Steering']].map(([code, name]) => ({ code, name, row: rowIdOf(res.text, code!) })));
    expect(rows(annId).every((r) => r.submitted_at === null)).toBe(true);
  });

  it('submits a complete case in one go, logs it, and locks the scores (409 on change, read-only page)', async () => {
    const { ann, annId, completeAll, submit, rows, audit, save, rateUrl, tick } = await setUp();
    await completeAll(ann, 'ann rationale');
    tick('2026-06-02T08:30:00Z');
    const res = await submit(ann);
    expect(res.status).toBe(303);
    expect(rows(annId).map((r) => r.submitted_at)).toEqual(Array(5).fill('2026-06-02T08:30:00.000Z'));
    const [entry] = audit('submit-ratings');
    expect(JSON.parse(entry!.after!)).toEqual({ case: 'c1', ratings: 5 });
    expect(entry!.actor_email).toBe('ann@example.org');
    expect(entry!.after).not.toContain('ann rationale');

    const change = await save(ann, { '1.a': { score: 5 } });
    expect(change.status).toBe(409);
    expect(change.text).toContain('Your ratings of this case are submitted and locked.');
    expect((await submit(ann)).status).toBe(409);
    expect(rows(annId)[0]!.score).toBe(1);
    const page = await ann.agent.get(rateUrl);
    expect(page.text).toContain('You submitted your ratings on 2026-06-02 08:30.');
    expect(page.text).not.toContain('name="score:1.a"');
  });
});

describe('the compact form (one row per condition), its error summary and asking before submit', () => {
  it('renders each condition as a row whose summary shows code, name, score and complete / to do; the first one to do is open; the reason field is there for use without JavaScript', async () => {
    const { ann, save, rateUrl } = await setUp();
    await save(ann, { '1.a': { score: 4 }, '1.b.1': { score: 'n', reason: '' } });
    const res = await ann.agent.get(rateUrl);
    const summary = (code: string) => {
      const at = res.text.indexOf(`data-condition="${code}"`);
      return /<summary[^>]*>([\s\S]*?)<\/summary>/.exec(res.text.slice(at))![1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    };
    expect(summary('1.a')).toBe('1.a Inflow 4 complete');
    expect(summary('1.b.1')).toBe('1.b.1 Outflow to work Cannot judge to do');
    expect(summary('2.b')).toBe('2.b Steering – not rated to do'); // the dash is hidden from screen readers, "not rated" shown only to them
    // Without JavaScript the first condition still to do is open, the others closed.
    expect(RATABLE.filter((code) => rowIsOpen(res.text, code))).toEqual(['1.b.1']);
    // The reason field is rendered visible (rating.js hides it unless "cannot judge" is chosen).
    expect(res.text).toMatch(/<div class="field reason-field" data-reason-field>\s*<label for="r1-reason">Why you cannot judge 1.b.1<\/label>\s*<input type="text" id="r1-reason" name="reason:1.b.1" value="" maxlength="5000" data-reason>/);
    expect(res.text).not.toMatch(/data-reason-field[^>]*hidden/);
    // The sticky bar: the live count, the save status, Save (without JavaScript) and Submit, which posts the submit form.
    const bar = /<div class="rating-bar" data-rating-bar>([\s\S]*?)<\/div>/.exec(res.text)![1]!;
    expect(bar).toContain('<progress max="5" value="1"');
    expect(bar).toContain('1 of 5 conditions complete');
    expect(bar).toContain('data-save-status');
    expect(bar).toContain('<button type="submit" form="rating-form" class="secondary" data-save-button>Save draft</button>');
    expect(bar).toContain('<button type="submit" form="submit-ratings">Submit my ratings</button>');
    expect(bar).toMatch(/<button type="button" class="secondary" data-next-unrated hidden aria-keyshortcuts="u">/);
    expect(res.text).toContain('<form method="post" action="' + rateUrl + '" novalidate data-rating-form id="rating-form"');
    // With JavaScript kader.js asks in a dialog before the submit form posts.
    expect(res.text).toMatch(new RegExp(`<form method="post" action="${rateUrl}/submit" class="submit-ratings" id="submit-ratings"\\s+data-confirm="Submit your 5 ratings of Almere\\? They are locked afterwards; only a lead can reopen them." data-confirm-ok="Submit my ratings">`));
  });

  it('an incomplete submit is refused before any question: the error summary links each condition to its row, which is open', async () => {
    const { ann, annId, save, submit, rows, audit } = await setUp();
    await save(ann, { '1.a': { score: 3 }, '1.b.1': { score: 'n', reason: '' }, '2.a': { score: 'n', reason: 'no data' } });
    for (const confirmed of [false, true]) {
      const res = await submit(ann, { confirmed });
      expect(res.status).toBe(422);
      expect(res.text).not.toContain('confirm-heading');
      expect(res.text).toMatch(/<div class="error-summary" role="alert" tabindex="-1" data-error-summary>/);
      const links = errorSummaryLinks(res.text);
      expect(links.map((l) => `${l.code} ${l.name}`)).toEqual(['1.b.1 Outflow to work', '1.b.2 Other outflow', '2.b Steering']);
      for (const l of links) {
        expect(l.row).toBe(rowIdOf(res.text, l.code));
        expect(rowIsOpen(res.text, l.code), `${l.code} open`).toBe(true);
      }
      // Each link says what is missing; the complete rows stay closed.
      expect(res.text).toContain('Steering</a> — Needs a score, or “cannot judge” with a reason.');
      expect(['1.a', '2.a'].filter((code) => rowIsOpen(res.text, code))).toEqual([]);
    }
    expect(rows(annId).every((r) => r.submitted_at === null)).toBe(true);
    expect(audit('submit-ratings')).toEqual([]);
  });

  it('a refused save lists its problems in the summary too, linked to the rows', async () => {
    const { ann, save } = await setUp();
    const res = await save(ann, { '2.a': { score: 6 } });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Not saved. Correct these conditions:');
    expect(errorSummaryLinks(res.text)).toEqual([{ code: '2.a', name: 'Enforcement', row: rowIdOf(res.text, '2.a') }]);
    expect(res.text).toContain('Enforcement</a> — A score is a whole number from 1 to 5.');
  });

  it('a complete submit asks first without JavaScript (nothing locked yet), and the confirmed post submits', async () => {
    const { ann, annId, completeAll, submit, rows, audit, rateUrl } = await setUp();
    await completeAll(ann, 'r');
    const ask = await submit(ann, { confirmed: false });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('<h1 id="confirm-heading">Submit your ratings of Almere?</h1>');
    expect(ask.text).toContain('Your 5 ratings of Almere will be locked: you cannot change them afterwards, only a lead can reopen them.');
    expect(ask.text).toContain(`<form method="post" action="${rateUrl}/submit">`);
    expect(ask.text).toContain('<input type="hidden" name="confirmed" value="yes">');
    expect(ask.text).toContain('<button type="submit">Submit my ratings</button>');
    expect(ask.text).toContain(`<a class="button secondary" href="${rateUrl}">Cancel</a>`);
    expect(rows(annId).every((r) => r.submitted_at === null)).toBe(true);
    expect(audit('submit-ratings')).toEqual([]);

    const done = await submit(ann);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(rateUrl);
    expect(rows(annId).every((r) => r.submitted_at !== null)).toBe(true);
    expect(audit('submit-ratings')).toHaveLength(1);
    // Asking again after the submit is refused as locked, not asked.
    expect((await submit(ann, { confirmed: false })).status).toBe(409);
  });

  it('a lead’s reopen asks first (the page names the rater, the case and the count); refusals come before the question', async () => {
    const { ann, annId, bobId, lead, completeAll, submit, reopen, rows, audit, studyId } = await setUp();
    await completeAll(ann, 'r');
    await submit(ann);
    const overview = await lead.agent.get(`/studies/${studyId}/cases/c1/ratings`);
    expect(overview.text).toMatch(new RegExp(`<form method="post" action="/studies/${studyId}/cases/c1/raters/${annId}/reopen" class="inline"\\s+data-confirm="The 5 submitted ratings of Ann Rater for Almere become drafts again: Ann Rater can change them and has to submit them again. This is logged." data-confirm-ok="Reopen for Ann Rater">`));

    const ask = await reopen(annId, { confirmed: false });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('<h1 id="confirm-heading">Reopen the ratings of Ann Rater for Almere?</h1>');
    expect(ask.text).toContain('The 5 submitted ratings of Ann Rater for Almere become drafts again');
    expect(ask.text).toContain(`<form method="post" action="/studies/${studyId}/cases/c1/raters/${annId}/reopen">`);
    expect(ask.text).toContain('<input type="hidden" name="confirmed" value="yes">');
    expect(ask.text).toContain(`href="/studies/${studyId}/cases/c1/ratings">Cancel</a>`);
    expect(rows(annId).every((r) => r.submitted_at !== null)).toBe(true);
    expect(audit('reopen-ratings')).toEqual([]);

    // Bob submitted nothing: refused at once, not asked.
    const refused = await reopen(bobId, { confirmed: false });
    expect(refused.status).toBe(409);
    expect(refused.text).not.toContain('confirm-heading');

    expect((await reopen(annId)).status).toBe(303);
    expect(rows(annId).every((r) => r.submitted_at === null)).toBe(true);
    expect(audit('reopen-ratings')).toHaveLength(1);
  });
});

describe('a lead reopens and unblinds', () => {
  it('reopen turns one rater’s ratings back into drafts and logs who and when', async () => {
    const { ann, annId, bobId, completeAll, submit, reopen, rows, audit, tick, save } = await setUp();
    await completeAll(ann, 'a');
    await submit(ann);
    tick('2026-06-03T09:00:00Z');
    const res = await reopen(annId);
    expect(res.status).toBe(303);
    expect(rows(annId).map((r) => r.submitted_at)).toEqual(Array(5).fill(null));
    const [entry] = audit('reopen-ratings');
    expect(entry!.actor_email).toBe('lead@example.org');
    expect(entry!.at).toBe('2026-06-03T09:00:00.000Z');
    expect(JSON.parse(entry!.before!)).toEqual({ case: 'c1', rater: 'ann@example.org', submitted: 5 });
    expect((await save(ann, { '1.a': { score: 2 } })).status).toBe(303);
    // Bob has nothing submitted: nothing to reopen.
    expect((await reopen(bobId)).status).toBe(409);
  });

  it('the lead’s page shows progress but no scores while blind; unblinding is logged and shows the submitted scores', async () => {
    const { ann, bob, lead, completeAll, submit, save, audit, studyId, tick, services } = await setUp();
    await completeAll(ann, 'ANN-UNIQUE-RATIONALE');
    await submit(ann);
    await save(bob, { '1.a': { score: 2, rationale: 'BOB-DRAFT-RATIONALE' } });
    const url = `/studies/${studyId}/cases/c1/ratings`;
    const blind = await lead.agent.get(url);
    expect(blind.status).toBe(200);
    expect(blind.text).toContain('Blind until all raters have submitted.');
    expect(blind.text).toContain('5 submitted, 0 drafts of 5');
    expect(blind.text).toContain('0 submitted, 1 drafts of 5');
    expect(blind.text).not.toContain('ANN-UNIQUE-RATIONALE');
    expect(services.studyFile.exporter.run(studyId, 'unblinded').ratings ?? []).toEqual([]);

    tick('2026-06-04T12:00:00Z');
    // Without JavaScript the first POST asks: a page that says what happens and posts again, confirmed.
    const ask = await lead.agent.post(`/studies/${studyId}/cases/c1/unblind`).type('form').send({ _csrf: lead.csrf });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('<h1 id="confirm-heading">Unblind Almere?</h1>');
    expect(ask.text).toMatch(/<form method="post" action="\/studies\/\d+\/cases\/c1\/unblind">/);
    expect(ask.text).toContain('<input type="hidden" name="confirmed" value="yes">');
    expect(audit('unblind')).toEqual([]);
    expect((await lead.agent.post(`/studies/${studyId}/cases/c1/unblind`).type('form').send({ _csrf: lead.csrf, confirmed: 'yes' })).status).toBe(303);
    const [entry] = audit('unblind');
    expect(entry!.actor_email).toBe('lead@example.org');
    expect(JSON.parse(entry!.after!)).toEqual({ case: 'c1', blind: false, submitted: ['ann@example.org'] });
    const open = await lead.agent.get(url);
    expect(open.text).toContain('ANN-UNIQUE-RATIONALE');
    expect(open.text).toContain('Unblinded by Lena Lead on 2026-06-04 12:00.');
    expect(open.text).not.toContain('BOB-DRAFT-RATIONALE'); // drafts stay private even then
    // The export follows the same rule: Ann's 5 submitted ratings, none of Bob's drafts.
    const exported = services.studyFile.exporter.run(studyId, 'unblinded').ratings as { rater: string }[];
    expect(exported.map((r) => r.rater)).toEqual(Array(5).fill('ann@example.org'));
    // A second unblind changes nothing and logs nothing.
    await lead.agent.post(`/studies/${studyId}/cases/c1/unblind`).type('form').send({ _csrf: lead.csrf, confirmed: 'yes' });
    expect(audit('unblind')).toHaveLength(1);
  });
});

describe('blinding', () => {
  it('a second rater’s rationale never reaches the first rater, the lead’s page, the case page, search or the export before both submitted', async () => {
    const { ann, bob, lead, save, submit, completeAll, rateUrl, studyId, services } = await setUp();
    const secret = 'BOBSECRETRATIONALE';
    await save(ann, { '1.a': { score: 4, rationale: 'ann own text' } });
    await completeAll(bob, secret);
    const check = async (phase: string) => {
      const pages = [
        ['ann form', await ann.agent.get(rateUrl)],
        ['ann case page', await ann.agent.get(`/studies/${studyId}/cases/c1`)],
        ['ann search', await ann.agent.get(`/studies/${studyId}/search?q=${secret}`)],
        ['ann my cases', await ann.agent.get(`/studies/${studyId}/my-cases`)],
        ['lead ratings page', await lead.agent.get(`/studies/${studyId}/cases/c1/ratings`)],
        ['lead case page', await lead.agent.get(`/studies/${studyId}/cases/c1`)],
        ['lead search', await lead.agent.get(`/studies/${studyId}/search?q=${secret}`)],
        ['lead export', await lead.agent.get(`/studies/${studyId}/export.json`)],
      ] as const;
      for (const [name, res] of pages) {
        expect(res.status, `${phase}: ${name}`).toBe(200);
        // A search page repeats the query itself; what matters is that it finds nothing.
        if (name.endsWith('search')) expect(res.text, `${phase}: ${name}`).toContain(`Nothing found for “${secret}”.`);
        else expect(res.text, `${phase}: ${name}`).not.toContain(secret);
      }
    };
    await check('bob drafting');
    expect((await ann.agent.get(rateUrl)).text).toContain('ann own text');
    expect((await submit(bob)).status).toBe(303);
    await check('bob submitted, ann not');
    expect(JSON.stringify(services.studyFile.exporter.run(studyId, 'unblinded'))).not.toContain(secret);
    // Once Ann submits too, the lead sees both; Ann's own form still shows only her own ratings.
    await completeAll(ann, 'ann final');
    expect((await submit(ann)).status).toBe(303);
    expect((await lead.agent.get(`/studies/${studyId}/cases/c1/ratings`)).text).toContain(secret);
    expect((await ann.agent.get(rateUrl)).text).not.toContain(secret);
    expect(services.repos.ratings.isBlind(services.repos.cases.findByKey(studyId, 'c1')!.id)).toBe(false);
  });
});

describe('two raters at once', () => {
  it('saving the same condition concurrently writes each rater’s own row only', async () => {
    const { ann, bob, annId, bobId, save, rows } = await setUp();
    const results = await Promise.all([
      save(ann, { '1.a': { score: 2, rationale: 'ann' }, '2.a': { score: 5 } }, true),
      save(bob, { '1.a': { score: 4, rationale: 'bob' } }, true),
      save(ann, { '1.b.1': { score: 1 } }, true),
      save(bob, { '2.a': { score: 3 } }, true),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(rows(annId).map((r) => [r.code, r.score, r.rationale])).toEqual([['1.a', 2, 'ann'], ['1.b.1', 1, ''], ['2.a', 5, '']]);
    expect(rows(bobId).map((r) => [r.code, r.score, r.rationale])).toEqual([['1.a', 4, 'bob'], ['2.a', 3, '']]);
  });
});

describe('who may rate', () => {
  it('only an assigned rater: an unassigned researcher, the lead and a viewer get 403', async () => {
    const { app, lead, rateUrl, save, studyId } = await setUp();
    const carol = await loginAs(app, 'carol@example.org');
    const vera = await loginAs(app, 'view@example.org');
    for (const who of [carol, lead, vera]) {
      expect((await who.agent.get(rateUrl)).status).toBe(403);
      expect((await save(who, { '1.a': { score: 3 } })).status).toBe(403);
      expect((await who.agent.post(`${rateUrl}/submit`).type('form').send({ _csrf: who.csrf })).status).toBe(403);
    }
    expect((await carol.agent.get(`/studies/${studyId}/cases/c1/ratings`)).status).toBe(403);
    // Case c2 has no raters: nobody rates it.
    const ann = await loginAs(app, 'ann@example.org');
    expect((await ann.agent.get(`/studies/${studyId}/cases/c2/rate`)).status).toBe(403);
    expect((await ann.agent.get(`/studies/${studyId}/cases/nope/rate`)).status).toBe(404);
  });
});

describe('the page cache', () => {
  it('sends a reloaded form again after only the access checks, until anything is saved, and only to the same rater', async () => {
    const { ann, bob, rateUrl, counter, save, services, studyId, annId, leadId } = await setUp();
    counter.reset();
    const rendered = await ann.agent.get(rateUrl);
    const renderedWith = counter.count;
    counter.reset();
    const reloaded = await ann.agent.get(rateUrl);
    expect(reloaded.text).toBe(rendered.text);
    // Session, user, study with the member's role, and the database's change counters: no ratings read.
    expect(counter.count).toBeLessThanOrEqual(4);
    expect(counter.count).toBeLessThan(renderedWith);
    expect(counter.statements.some((sql) => /FROM ratings/.test(sql))).toBe(false);

    await save(ann, { '1.a': { score: 4, rationale: 'Inflow fell sharply' } });
    expect((await ann.agent.get(rateUrl)).text).toContain('Inflow fell sharply'); // the flash page after saving
    expect((await ann.agent.get(rateUrl)).text).toContain('Inflow fell sharply'); // rendered and kept
    expect((await ann.agent.get(rateUrl)).text).toContain('Inflow fell sharply'); // from the cache
    for (let i = 0; i < 2; i++) {
      const bobs = await bob.agent.get(rateUrl);
      expect(bobs.status).toBe(200);
      expect(bobs.text).not.toContain('Inflow fell sharply');
    }

    // The access check runs before the cache: a rater taken off the study is refused at once.
    services.studies.removeMember(studyId, annId, leadId);
    expect((await ann.agent.get(rateUrl)).status).toBe(403);
  });
});

describe('statement counts', () => {
  it('the rating form loads with the same number of statements for 5 and 40 conditions', async () => {
    const counts: number[] = [];
    for (const n of [5, 40]) {
      const { ann, rateUrl, counter, save, services, studyId } = await setUp(manyFramework(n));
      const codes = Array.from({ length: n }, (_, i) => `c${i + 1}`);
      const interview = services.interviews.create(studyId, { case: 'c1', date: '2026-05-01', participants: 1, notes: '', status: 'held', roles: [], interviewers: [], conditions: [] }, null);
      for (const code of codes) services.evidence.add(studyId, { source: `interview:${interview}`, quote: `quote ${code}`, locator: '', conditions: [code] }, null);
      const ids = services.repos.evidence.list(studyId).map((e) => String(e.id));
      await save(ann, Object.fromEntries(codes.map((code, i) => [code, { score: 3, rationale: `r ${code}`, evidence: [ids[i]!] }])));
      await ann.agent.get(rateUrl); // the page with the flash message of the save
      counter.reset();
      const res = await ann.agent.get(rateUrl);
      expect(res.status).toBe(200);
      expect(counter.statements.some((sql) => /FROM ratings/.test(sql)), 'rendered, not from the page cache').toBe(true);
      expect(res.text.match(/<legend>Score for /g)).toHaveLength(n);
      expect(res.text).toContain(`${n} of ${n} conditions complete`);
      counts.push(counter.count);
    }
    expect(counts[1]).toBe(counts[0]);
  });
});
