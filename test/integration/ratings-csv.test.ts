// The ratings CSV (study-format.md, "Ratings CSV"): a lead's import in the browser and with
// `kader ratings:import` (by case key or name, NA and empty as cannot judge, raters added to cases
// that lack them, submitted, all or nothing with every bad row reported by line), and the download,
// which holds only what the user may see (the blinding rule) and imports again.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { openDb } from '../../server/lib/db.ts';
import { migrate } from '../../server/lib/migrate.ts';
import { createServices, type Services } from '../../server/services.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, tempDir, testApp, type Agent } from '../helpers/app.ts';
import { kader } from '../helpers/processes.ts';

/** Ratable: 1.a, 1.b.1, 1.b.2, 2.a, 2.b ('0' is measured, '1.b' has sub-conditions). Scale 1–5, 2 raters per case. */
const STUDY_FILE = {
  format: 'kader.study', version: 1,
  study: { title: 'Rating study', language: 'en', question: '' },
  framework: {
    title: 'Small',
    levels: [{ number: 0, name: 'Outcome' }, { number: 1, name: 'Direct causes' }, { number: 2, name: 'Policy' }],
    categories: [],
    conditions: [
      { code: '0', level: 0, name: 'Budget result', polarity: 'higher-is-favourable', kind: 'measured' },
      { code: '1.a', level: 1, name: 'Inflow', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.b', level: 1, name: 'Outflow', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.b.1', level: 1, name: 'Outflow to work', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.b.2', level: 1, name: 'Other outflow', parent: '1.b', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '2.a', level: 2, name: 'Enforcement', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '2.b', level: 2, name: 'Steering', polarity: 'lower-is-favourable', kind: 'rated' },
    ],
  },
  members: [
    { email: 'ann@example.org', name: 'Ann Rater', role: 'researcher' },
    { email: 'bob@example.org', name: 'Bob Rater', role: 'researcher' },
    { email: 'carol@example.org', name: 'Carol Rater', role: 'researcher' },
    { email: 'view@example.org', name: 'Vera Viewer', role: 'viewer' },
  ],
  cases: [{ key: 'c1', name: 'Almere' }, { key: 'c2', name: 'Breda' }, { key: 'c3', name: 'Delft' }],
};
const RATABLE = ['1.a', '1.b.1', '1.b.2', '2.a', '2.b'];
const NOW = '2026-06-01T10:00:00.000Z';
/** The rationale of the rows `fill` adds. */
const FILLED = 'filled in';

/**
 * CSV rows (score 3) for the conditions a rater's rows of a case lack: an import submits a rater's
 * ratings of a case only as a complete set, so a file that means to test something else completes them.
 */
const fill = (caseRef: string, rater: string, except: readonly string[], rationale = FILLED) =>
  RATABLE.filter((code) => !except.includes(code)).map((code) => `${caseRef},${code},${rater},3,${rationale}`);

async function createStudy(services: Services, owner: number): Promise<number> {
  const valid = validateStudyFile(STUDY_FILE);
  if (!valid.ok) throw new Error(JSON.stringify(valid));
  return (await services.studyFile.importer.run(valid.doc, { owner, actorId: owner })).studyId;
}

async function setUp() {
  const ctx = testApp({ clock: () => new Date(NOW) });
  const { services } = ctx;
  const leadId = await makeUser(services, { email: 'lead@example.org', name: 'Lena Lead' });
  const ids: Record<string, number> = {};
  for (const name of ['ann', 'bob', 'carol', 'view']) ids[name] = await makeUser(services, { email: `${name}@example.org` });
  await makeUser(services, { email: 'outsider@example.org' }); // an account, not a member
  const studyId = await createStudy(services, leadId);
  services.assignment.save(studyId, leadId, 'c1', [ids.ann!, ids.bob!]);
  const base = `/studies/${studyId}`;
  const caseId = (key: string) => services.repos.cases.findByKey(studyId, key)!.id;
  const ratersOf = (key: string) => services.repos.cases.ratersOf(caseId(key)).map((r) => r.email);
  /** Every rating of the study: case, code, rater, score, reason, rationale, submitted_at. */
  const ratings = (study = studyId) =>
    ctx.db.prepare(
      `SELECT c.key AS c, k.code, u.email AS rater, r.score, r.cannot_judge_reason AS reason, r.rationale, r.submitted_at AS at
       FROM ratings r JOIN cases c ON c.id = r.case_id JOIN conditions k ON k.id = r.condition_id JOIN users u ON u.id = r.rater_id
       WHERE c.study_id = ? ORDER BY c.position, k.position, u.email`,
    ).all(study) as { c: string; code: string; rater: string; score: number | null; reason: string | null; rationale: string; at: string | null }[];
  const audits = () => services.repos.audit.listForStudy(studyId).filter((a) => a.action === 'import-ratings');
  /** A rater completes and submits c1 with scores 1, 2, 3, 4 and cannot judge (2.b), each with `rationale`. */
  const rateAndSubmit = (rater: string, rationale: string | ((code: string) => string)) => {
    const text = (code: string) => (typeof rationale === 'string' ? rationale : rationale(code));
    services.ratings.save(studyId, 'c1', ids[rater]!, RATABLE.map((code, i) => ({
      code, score: i === 4 ? ('cannot-judge' as const) : i + 1, reason: i === 4 ? 'no sources' : '', rationale: text(code), evidence: [],
    })));
    services.ratings.submit(studyId, 'c1', ids[rater]!);
  };
  return { ...ctx, leadId, ids, studyId, base, caseId, ratersOf, ratings, audits, rateAndSubmit };
}

function upload(who: { agent: Agent; csrf: string }, url: string, text: string | Buffer, name = 'ratings.csv') {
  return who.agent.post(url).field('_csrf', who.csrf).attach('file', typeof text === 'string' ? Buffer.from(text, 'utf8') : text, name);
}

/** The listed problems of a refused import page, as text. */
const problemItems = (html: string) => {
  const list = /<ol class="problems">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
};

describe('ratings import in the browser', () => {
  it('imports by key and by name, NA and empty as cannot judge, replaces a draft, adds raters, submits, and logs counts only', async () => {
    const { app, base, ids, studyId, services, ratings, ratersOf, audits } = await setUp();
    // Bob's draft of c1 / 1.a, with cited evidence; the import replaces it.
    const interview = services.interviews.create(studyId, { case: 'c1', date: '2026-05-01', participants: 1, notes: '', status: 'held', roles: [], interviewers: [], conditions: [] }, null);
    services.evidence.add(studyId, { source: `interview:${interview}`, quote: 'q', locator: '', conditions: ['1.a'] }, null);
    const evidenceId = services.repos.evidence.list(studyId)[0]!.id;
    services.ratings.save(studyId, 'c1', ids.bob!, [{ code: '1.a', score: 2, reason: '', rationale: 'old draft', evidence: [evidenceId] }]);
    const lead = await loginAs(app, 'lead@example.org');
    const page = await lead.agent.get(`${base}/ratings/import`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('score: a whole number from 1 to 5, or NA (or empty) for “cannot judge”.');
    const assignment = await lead.agent.get(`${base}/assignment`);
    expect(assignment.text).toContain(`href="${base}/ratings/import"`);

    const csv = [
      'case,condition,rater,score,rationale',
      'c1,1.a,ann@example.org,4,"Strenge poort, zoekperiode van 4 weken"', // by key
      'Almere,2.b,ANN@example.org,NA,', //                                    by name; NA; email in any case
      'c1,1.a,bob@example.org,3,replaces the draft', //                       Bob's draft replaced
      '',
      'Breda,2.a,carol@example.org,,no sources', //                           empty score; Carol becomes c2's rater 1
      'c2,2.a,ann@example.org,5,', //                                         Ann becomes c2's rater 2
      // The rest of each rater's set of the case: an import submits complete sets only.
      ...fill('c1', 'ann@example.org', ['1.a', '2.b']),
      ...fill('c1', 'bob@example.org', ['1.a']),
      ...fill('c2', 'carol@example.org', ['2.a']),
      ...fill('c2', 'ann@example.org', ['2.a']),
    ].join('\r\n');
    const res = await upload(lead, `${base}/ratings/import`, csv, 'oud.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base}/ratings/import`);
    const after = await lead.agent.get(res.headers.location!);
    expect(after.text).toContain('20 ratings of 2 cases imported from oud.csv and submitted.');

    const filled = ratings().filter((r) => r.rationale === FILLED);
    expect(filled).toHaveLength(15);
    expect(filled.every((r) => r.score === 3 && r.reason === null && r.at === NOW)).toBe(true);
    expect(ratings().filter((r) => r.rationale !== FILLED)).toEqual([
      { c: 'c1', code: '1.a', rater: 'ann@example.org', score: 4, reason: null, rationale: 'Strenge poort, zoekperiode van 4 weken', at: NOW },
      { c: 'c1', code: '1.a', rater: 'bob@example.org', score: 3, reason: null, rationale: 'replaces the draft', at: NOW },
      { c: 'c1', code: '2.b', rater: 'ann@example.org', score: null, reason: 'Imported as NA', rationale: '', at: NOW },
      { c: 'c2', code: '2.a', rater: 'ann@example.org', score: 5, reason: null, rationale: '', at: NOW },
      { c: 'c2', code: '2.a', rater: 'carol@example.org', score: null, reason: 'Imported as NA', rationale: 'no sources', at: NOW },
    ]);
    // The replaced draft's evidence went with its text.
    expect(services.db.prepare('SELECT count(*) AS n FROM rating_evidence').get()).toEqual({ n: 0 });
    expect(ratersOf('c1')).toEqual(['ann@example.org', 'bob@example.org']);
    expect(ratersOf('c2')).toEqual(['carol@example.org', 'ann@example.org']);
    expect(ratersOf('c3')).toEqual([]);

    const [entry] = audits();
    expect(JSON.parse(entry!.after!)).toEqual({
      file: 'oud.csv', ratings: 20, replacedDrafts: 1, cases: ['c1', 'c2'],
      ratersAdded: [{ case: 'c2', raters: ['carol@example.org', 'ann@example.org'] }],
    });
    expect(entry!.after).not.toMatch(/score|Strenge/);
  });

  it('reports every bad row with its line, stores nothing, and adds no rater', async () => {
    const { app, base, ratings, ratersOf, audits, rateAndSubmit } = await setUp();
    rateAndSubmit('ann', 'ann rationale');
    const before = ratings();
    expect(before).toHaveLength(5);
    const csv = [
      'case,condition,rater,score,rationale', //          1
      'c2,1.a,carol@example.org,4,"fine, not stored"', // 2: fine, but the file is refused
      'rotterdam,1.a,carol@example.org,4,', //            3: unknown case
      'c2,9.z,carol@example.org,4,', //                   4: unknown condition
      'c2,1.b,carol@example.org,4,', //                   5: has sub-conditions
      'c2,0,carol@example.org,4,', //                     6: measured
      'c2,2.a,nobody@example.org,4,', //                  7: no such account
      'c2,2.a,outsider@example.org,4,', //                8: an account, not a member
      'c2,2.a,carol@example.org,0,', //                   9: below the scale
      'c2,2.b,carol@example.org,6,', //                  10: above the scale
      'c2,1.b.1,carol@example.org,2.5,', //              11: not whole
      'c2,1.b.2,carol@example.org,abc,', //              12: not a number
      'Breda,1.a,carol@example.org,3,', //               13: the same slot as line 2 (by name)
      'c1,1.a,carol@example.org,3,', //                  14: c1 has its 2 raters, Ann and Bob
      'c1,2.a,ann@example.org,4,', //                    15: Ann submitted c1
      'c2,2.a,view@example.org,3,', //                   16: a viewer may not rate
      'c2,2.a,carol@example.org', //                     17: two fields short
    ].join('\n');
    const lead = await loginAs(app, 'lead@example.org');
    const res = await upload(lead, `${base}/ratings/import`, csv, 'fout.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('fout.csv was not imported; nothing was stored. 15 problems:');
    const score = (v: string) => `“${v}” is not a score: write a whole number from 1 to 5, or NA for “cannot judge”.`;
    expect(problemItems(res.text)).toEqual([
      'Line 3: Unknown case “rotterdam” (not a key or name of a case of this study).',
      'Line 4: Unknown condition “9.z” (not a code in this study’s framework).',
      'Line 5: 1.b is not a condition to rate in this study.',
      'Line 6: 0 is not a condition to rate in this study.',
      'Line 7: There is no account with the email “nobody@example.org”.',
      'Line 8: outsider@example.org is not a member of this study.',
      `Line 9: ${score('0')}`,
      `Line 10: ${score('6')}`,
      `Line 11: ${score('2.5')}`,
      `Line 12: ${score('abc')}`,
      'Line 13: The same case, condition and rater as line 2.',
      'Line 14: c1 already has 2 raters (ann@example.org, bob@example.org); carol@example.org is not one of them.',
      'Line 15: ann@example.org has already submitted a rating of 2.a for c1; a submitted rating cannot be replaced.',
      'Line 16: view@example.org is not a researcher or lead of this study and so cannot rate c2.',
      'Line 17: Expected 5 fields, found 3.',
    ]);
    expect(ratings()).toEqual(before);
    expect(ratersOf('c2')).toEqual([]);
    expect(audits()).toEqual([]);
  });
});

describe('ratings import: refused files', () => {
  it('reports a wrong header, a file that is not UTF-8, broken quotes and a missing file; in Dutch too', async () => {
    const { app, base, ratings } = await setUp();
    const lead = await loginAs(app, 'lead@example.org');
    const url = `${base}/ratings/import`;
    const header = await upload(lead, url, 'case,conditie,rater,score\nc2,1.a,carol@example.org,4\n');
    expect(header.status).toBe(422);
    expect(problemItems(header.text)).toEqual([
      'Line 1: Unknown column “conditie”; the columns are case, condition, rater, score and rationale (and status, cannot_judge_reason and submitted_at of the download).',
      'Line 1: The header has no column “condition”.',
    ]);
    const latin1 = Buffer.from([...Buffer.from('case,condition,rater,score,rationale\nc2,1.a,carol@example.org,4,'), 0xe9, 0x0a]);
    const notUtf8 = await upload(lead, url, latin1);
    expect(notUtf8.status).toBe(422);
    expect(problemItems(notUtf8.text)).toEqual(['The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.']);
    const broken = await upload(lead, url, 'case,condition,rater,score,rationale\nc2,1.a,carol@example.org,4,"open\n');
    expect(problemItems(broken.text)).toEqual(['Line 2: A quoted field starts here but its closing quote is missing.']);
    const none = await lead.agent.post(url).field('_csrf', lead.csrf);
    expect(none.status).toBe(422);
    expect(problemItems(none.text)).toEqual(['Choose a CSV file to import.']);
    const dutch = await upload(lead, url, 'case,condition,rater,score,rationale\nc2,1.a,carol@example.org,7,\n').set('Accept-Language', 'nl');
    expect(problemItems(dutch.text)).toEqual(['Regel 2: ‘7’ is geen score: schrijf een geheel getal van 1 tot 5, of NA voor ‘niet te beoordelen’.']);
    expect(ratings()).toEqual([]);
  });

  it('says the same of a file whatever the rater has drafted, so a lead cannot learn which conditions a rater drafted (issue 13)', async () => {
    const probe = async (drafts: string[]) => {
      const { app, base, ids, studyId, services } = await setUp();
      services.ratings.save(studyId, 'c1', ids.bob!, drafts.map((code) => ({ code, score: 2, reason: '', rationale: 'draft', evidence: [] })));
      const lead = await loginAs(app, 'lead@example.org');
      // Bob's rows of c1 hold 1.a only: the set is incomplete whatever he drafted.
      const res = await upload(lead, `${base}/ratings/import`, 'case,condition,rater,score,rationale\nc1,1.a,bob@example.org,3,\n');
      expect(res.status).toBe(422);
      return problemItems(res.text);
    };
    const none = await probe([]);
    expect(none).toEqual([
      'Line 2: The ratings of bob@example.org for c1 are incomplete: 4 condition(s) have no rating in the file and none submitted before: 1.b.1, 1.b.2, 2.a, 2.b. Imported ratings are submitted, and a rater submits all conditions of a case together; add a row for each (NA for “cannot judge”).',
    ]);
    expect(await probe(['2.a', '2.b'])).toEqual(none);
    expect(await probe(['1.a'])).toEqual(none);
    expect(await probe(['1.b.1', '2.b'])).toEqual(none);
  });

  it('replaces all of a rater’s drafts with a complete set, and the audit entry holds no cannot-judge count (issue 13)', async () => {
    const { app, base, ids, studyId, services, ratings, audits } = await setUp();
    services.ratings.save(studyId, 'c1', ids.bob!, [
      { code: '1.a', score: 2, reason: '', rationale: '', evidence: [] },
      { code: '2.b', score: null, reason: '', rationale: 'thinking', evidence: [] },
    ]);
    const lead = await loginAs(app, 'lead@example.org');
    const csv = ['case,condition,rater,score,rationale', 'c1,1.a,bob@example.org,NA,', ...fill('c1', 'bob@example.org', ['1.a'])];
    const res = await upload(lead, `${base}/ratings/import`, `${csv.join('\n')}\n`);
    expect(res.status).toBe(303);
    expect(ratings().filter((r) => r.rater === 'bob@example.org').every((r) => r.at !== null)).toBe(true);
    expect(JSON.stringify(audits())).not.toMatch(/cannotJudge/i);
  });

  it('refuses a rater’s incomplete set of a case, stores nothing, and the case stays blind to the other rater; in Dutch too', async () => {
    const { app, base, studyId, services, ratings, audits, caseId, rateAndSubmit } = await setUp();
    rateAndSubmit('ann', 'ann rationale');
    const before = ratings();
    const lead = await loginAs(app, 'lead@example.org');
    // Submitting these two would end c1's blinding: Ann has submitted, and Bob would have no drafts.
    const csv = 'case,condition,rater,score,rationale\nc1,1.a,bob@example.org,3,BOB-IMPORTED\nc1,2.a,bob@example.org,NA,\n';
    const res = await upload(lead, `${base}/ratings/import`, csv);
    expect(res.status).toBe(422);
    expect(problemItems(res.text)).toEqual([
      'Line 2: The ratings of bob@example.org for c1 are incomplete: 3 condition(s) have no rating in the file and none submitted before: 1.b.1, 1.b.2, 2.b. Imported ratings are submitted, and a rater submits all conditions of a case together; add a row for each (NA for “cannot judge”).',
    ]);
    const dutch = await upload(lead, `${base}/ratings/import`, csv).set('Accept-Language', 'nl');
    expect(problemItems(dutch.text)).toEqual([
      'Regel 2: De scores van bob@example.org voor c1 zijn onvolledig: 3 conditie(s) hebben geen score in het bestand en ook geen eerder ingediende: 1.b.1, 1.b.2, 2.b. Geïmporteerde scores zijn ingediend, en een beoordelaar dient alle condities van een casus tegelijk in; voeg voor elk een regel toe (NA voor ‘niet te beoordelen’).',
    ]);
    expect(ratings()).toEqual(before);
    expect(audits()).toEqual([]);
    expect(services.repos.ratings.isBlind(caseId('c1'))).toBe(true);
    expect(services.ratings.overview(studyId, 'c1').ratings).toEqual([]);
    const ann = await loginAs(app, 'ann@example.org');
    const annCsv = (await ann.agent.get(`${base}/ratings.csv`)).text;
    expect(annCsv).not.toContain('bob@example.org');
    expect(annCsv).not.toContain('BOB-IMPORTED');
  });

  it('imports the rest of a set the rater submitted in part before, once the two together are complete', async () => {
    const { app, base, ids, leadId, studyId, services, ratings, caseId, rateAndSubmit } = await setUp();
    rateAndSubmit('ann', 'ann rationale');
    // Bob's 1.a and 1.b.1 of c1 were submitted before (as an import without this check could leave them).
    const study = services.repos.studies.findById(studyId)!;
    const conditionIds = services.repos.framework.load(studyId, study.framework_title, study.framework_revision).conditionIds;
    for (const code of ['1.a', '1.b.1']) {
      services.repos.ratings.importSubmitted({ caseId: caseId('c1'), conditionId: conditionIds.get(code)!, raterId: ids.bob!, score: 2, reason: null, rationale: 'earlier', now: NOW });
    }
    const lead = await loginAs(app, 'lead@example.org');
    const url = `${base}/ratings/import`;
    const short = await upload(lead, url, 'case,condition,rater,score,rationale\nc1,1.b.2,bob@example.org,3,\n');
    expect(problemItems(short.text)).toEqual([
      'Line 2: The ratings of bob@example.org for c1 are incomplete: 2 condition(s) have no rating in the file and none submitted before: 2.a, 2.b. Imported ratings are submitted, and a rater submits all conditions of a case together; add a row for each (NA for “cannot judge”).',
    ]);
    const done = await upload(lead, url, 'case,condition,rater,score,rationale\nc1,1.b.2,bob@example.org,3,\nc1,2.a,bob@example.org,4,\nc1,2.b,bob@example.org,NA,\n');
    expect(done.status).toBe(303);
    expect(ratings().filter((r) => r.rater === 'bob@example.org').map((r) => [r.code, r.score, r.at])).toEqual([
      ['1.a', 2, NOW], ['1.b.1', 2, NOW], ['1.b.2', 3, NOW], ['2.a', 4, NOW], ['2.b', null, NOW],
    ]);

    // A condition a reduction dropped, which the rater has not rated in the case, is not on their
    // form, so not asked of the import either (the same list as the form's submit).
    services.repos.analysis.insertReduction({ studyId, conditionId: conditionIds.get('2.b')!, method: 1, reason: 'no variation', by: leadId, at: NOW });
    const reduced = await upload(lead, url, ['case,condition,rater,score,rationale', ...fill('c2', 'carol@example.org', ['2.b'])].join('\n'));
    expect(reduced.status).toBe(303);
    expect(services.ratings.form(studyId, 'c2', ids.carol!).ratable).toEqual(['1.a', '1.b.1', '1.b.2', '2.a']);
  });

  it('keeps the study rule: an interviewer of a case may only be its first rater', async () => {
    const { app, base, ids, studyId, services, db, ratersOf } = await setUp();
    db.prepare('UPDATE studies SET second_rater_not_at_interviews = 1 WHERE id = ?').run(studyId);
    services.interviews.create(studyId, { case: 'c2', date: '2026-05-01', participants: 1, notes: '', status: 'held', roles: [], interviewers: [ids.carol!], conditions: [] }, null);
    services.interviews.create(studyId, { case: 'c3', date: '2026-05-01', participants: 1, notes: '', status: 'held', roles: [], interviewers: [ids.carol!], conditions: [] }, null);
    const lead = await loginAs(app, 'lead@example.org');
    // c2: Carol would be rater 2 (refused); c3: Carol is rater 1 (allowed), Ann rater 2.
    const refused = await upload(lead, `${base}/ratings/import`, ['case,condition,rater,score,rationale', 'c2,1.a,ann@example.org,3,', 'c2,1.a,carol@example.org,3,', ...fill('c2', 'ann@example.org', ['1.a'])].join('\n'));
    expect(problemItems(refused.text)).toEqual([
      'Line 3: carol@example.org attended an interview of c2 and so cannot be its rater 2 (study rule: only the first rater may have attended).',
    ]);
    expect(ratersOf('c2')).toEqual([]);
    const done = await upload(lead, `${base}/ratings/import`, ['case,condition,rater,score,rationale', 'c3,1.a,carol@example.org,3,', 'c3,1.a,ann@example.org,3,', ...fill('c3', 'carol@example.org', ['1.a']), ...fill('c3', 'ann@example.org', ['1.a'])].join('\n'));
    expect(done.status).toBe(303);
    expect(ratersOf('c3')).toEqual(['carol@example.org', 'ann@example.org']);
  });
});

describe('kader ratings:import', () => {
  function studyIn(dataDir: string) {
    const config = loadConfig({ DATA_DIR: dataDir });
    const db = openDb(config.dbFile);
    migrate(db);
    return { services: createServices(db, () => new Date(NOW), config), db };
  }

  it('imports a file and prints the counts; a bad file gets every problem on stderr, status 1 and nothing stored', async () => {
    const DATA_DIR = tempDir();
    const { services, db } = studyIn(DATA_DIR);
    const leadId = await makeUser(services, { email: 'lead@example.org' });
    for (const name of ['ann', 'bob', 'carol', 'view']) await makeUser(services, { email: `${name}@example.org` });
    const studyId = await createStudy(services, leadId);
    db.close();
    const dir = tempDir();
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, [
      'case,condition,rater,score,rationale',
      'c1,1.a,ann@example.org,4,',
      'c9,1.a,ann@example.org,4,',
      'c1,2.a,ann@example.org,9,',
      ...fill('c1', 'ann@example.org', ['1.a', '2.a']),
      'c2,2.b,bob@example.org,4,', // line 8: Bob's set of c2 is incomplete
    ].join('\n'));
    const refused = kader(['ratings:import', String(studyId), bad], { DATA_DIR });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.split('\n').filter((l) => l.startsWith('line '))).toEqual([
      'line 3: Unknown case “c9” (not a key or name of a case of this study).',
      'line 4: “9” is not a score: write a whole number from 1 to 5, or NA for “cannot judge”.',
      'line 8: The ratings of bob@example.org for c2 are incomplete: 4 condition(s) have no rating in the file and none submitted before: 1.a, 1.b.1, 1.b.2, 2.a. Imported ratings are submitted, and a rater submits all conditions of a case together; add a row for each (NA for “cannot judge”).',
    ]);
    const count = () => {
      const again = studyIn(DATA_DIR);
      const n = (again.db.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number }).n;
      const raters = (again.db.prepare('SELECT count(*) AS n FROM case_raters').get() as { n: number }).n;
      again.db.close();
      return { n, raters };
    };
    expect(count()).toEqual({ n: 0, raters: 0 });

    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, [
      'case,condition,rater,score,rationale',
      'c1,1.a,ann@example.org,4,',
      'Delft,2.a,bob@example.org,NA,',
      'c1,2.a,bob@example.org,2,',
      ...fill('c1', 'ann@example.org', ['1.a']),
      ...fill('Delft', 'bob@example.org', ['2.a']),
      ...fill('c1', 'bob@example.org', ['2.a']),
    ].join('\n'));
    const ok = kader(['ratings:import', String(studyId), good], { DATA_DIR });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ratings: 15, cases: 2, ratersAdded: 3, replacedDrafts: 0 });
    expect(count()).toEqual({ n: 15, raters: 3 });
  });
});

describe('the ratings CSV download', () => {
  it('holds the user’s own ratings and drafts, and other raters’ submitted ratings only once the case is not blind', async () => {
    const { app, base, ids, studyId, services, rateAndSubmit } = await setUp();
    rateAndSubmit('ann', (code) => (code === '1.a' ? '=HYPERLINK("http://x")' : `ANN-SECRET ${code}`));
    services.ratings.save(studyId, 'c1', ids.bob!, [{ code: '2.a', score: 5, reason: '', rationale: 'BOB-DRAFT', evidence: [] }]);
    const [ann, bob, lead, viewer] = await Promise.all([loginAs(app, 'ann@example.org'), loginAs(app, 'bob@example.org'), loginAs(app, 'lead@example.org'), loginAs(app, 'view@example.org')]);
    const download = async (who: { agent: Agent }) => {
      const res = await who.agent.get(`${base}/ratings.csv`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="study-${studyId}-ratings.csv"`);
      return res.text;
    };
    const header = 'case,condition,rater,score,rationale,status,cannot_judge_reason,submitted_at\r\n';
    // Ann: her own five ratings (1, 2, 3, 4 and cannot judge), nothing of Bob's draft.
    expect(await download(ann)).toBe(header + [
      `c1,1.a,ann@example.org,1,"'=HYPERLINK(""http://x"")",submitted,,${NOW}`,
      `c1,1.b.1,ann@example.org,2,ANN-SECRET 1.b.1,submitted,,${NOW}`,
      `c1,1.b.2,ann@example.org,3,ANN-SECRET 1.b.2,submitted,,${NOW}`,
      `c1,2.a,ann@example.org,4,ANN-SECRET 2.a,submitted,,${NOW}`,
      `c1,2.b,ann@example.org,NA,ANN-SECRET 2.b,submitted,no sources,${NOW}`,
    ].map((l) => `${l}\r\n`).join(''));
    // Bob: his draft only; Ann's submitted ratings stay hidden while c1 is blind.
    expect(await download(bob)).toBe(`${header}c1,2.a,bob@example.org,5,BOB-DRAFT,draft,,\r\n`);
    expect(await download(lead)).toBe(header);
    expect(await download(viewer)).toBe(header);

    // Bob completes and submits: c1 is no longer blind, and everyone sees both raters' submitted ratings.
    services.ratings.save(studyId, 'c1', ids.bob!, RATABLE.map((code) => ({ code, score: 3, reason: '', rationale: `BOB ${code}`, evidence: [] })));
    services.ratings.submit(studyId, 'c1', ids.bob!);
    for (const who of [ann, bob, lead, viewer]) {
      const text = await download(who);
      expect(text.split('\r\n').filter(Boolean)).toHaveLength(11);
      expect(text).toContain('ANN-SECRET 2.b');
      expect(text).toContain('c1,2.a,bob@example.org,3,BOB 2.a,submitted,,');
      expect(text).not.toContain('BOB-DRAFT');
    }
  });

  it('never shows another rater’s draft, even of a case that is not blind, and links from “my cases”', async () => {
    const { app, base, ids, studyId, services, rateAndSubmit } = await setUp();
    rateAndSubmit('ann', 'ann');
    rateAndSubmit('bob', 'bob');
    // A lead reopens Bob: his ratings are drafts again, and c1 is blind again.
    services.ratings.reopen(studyId, 'c1', ids.bob!, ids.ann!);
    services.ratings.unblind(studyId, 'c1', ids.ann!);
    const viewer = await loginAs(app, 'view@example.org');
    const text = (await viewer.agent.get(`${base}/ratings.csv`)).text;
    // A lead's unblinding is for the lead's pages: the shared download stays blind, and Bob's reopened
    // drafts never show.
    expect(text.split('\r\n').filter(Boolean).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['case,condition,rater']);
    const bob = await loginAs(app, 'bob@example.org');
    expect((await bob.agent.get(`${base}/ratings.csv`)).text).not.toContain('ann@example.org');
    expect((await viewer.agent.get(`${base}/my-cases`)).text).toContain(`href="${base}/ratings.csv"`);
  });

  it('imports again into another study: the same ratings, cannot-judge reasons and text (formula guard undone)', async () => {
    const { app, services, leadId, studyId, base, ratings, rateAndSubmit } = await setUp();
    rateAndSubmit('ann', (code) => (code === '1.a' ? '=HYPERLINK("http://x")' : `Ann, on "${code}"\nsecond line`));
    rateAndSubmit('bob', (code) => `-bob ${code}`);
    const lead = await loginAs(app, 'lead@example.org');
    const file = (await lead.agent.get(`${base}/ratings.csv`)).text;
    const copy = await createStudy(services, leadId);
    const res = await upload(lead, `/studies/${copy}/ratings/import`, file, 'export.csv');
    expect(res.status).toBe(303);
    expect(ratings(copy)).toEqual(ratings(studyId));
    expect(ratings(copy).find((r) => r.code === '2.b' && r.rater === 'ann@example.org')).toMatchObject({ score: null, reason: 'no sources' });
    expect(services.repos.cases.ratersOf(services.repos.cases.findByKey(copy, 'c1')!.id).map((r) => r.email)).toEqual(['ann@example.org', 'bob@example.org']);
  });
});
