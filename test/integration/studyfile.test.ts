// Study files: the two fixtures import unchanged and export back to equivalent documents; a bad
// file stores nothing and reports every problem; only an administrator's import creates accounts,
// and every account it creates is in the account log.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountsMissing } from '../../server/studyfile/studyfile.import.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import type { StudyFile } from '../../server/studyfile/studyfile.schema.ts';
import { ROOT } from '../helpers/processes.ts';
import { loginAs, makeUser, testApp, type TestContext } from '../helpers/app.ts';

export const FIXTURES = path.resolve(ROOT, '../shared/fixtures');
export const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

/** Sorts arrays of objects by their JSON so that order does not matter; drops what export adds by design. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/**
 * study-format.md: a case's pseudonym is "generated when absent". Checks that the cases the original
 * gave none got "<word> 1 … n" (a permutation), then removes them so the rest compares unchanged.
 */
function dropGeneratedPseudonyms(exported: Record<string, any>, original: Record<string, any>, word = 'Gemeente'): void {
  const without = new Set((original.cases ?? []).filter((c: { pseudonym?: string }) => !c.pseudonym).map((c: { key: string }) => c.key));
  const generated = (exported.cases ?? []).filter((c: { key: string }) => without.has(c.key));
  expect(generated.map((c: { pseudonym: string }) => c.pseudonym).sort()).toEqual(
    Array.from({ length: generated.length }, (_, i) => `${word} ${i + 1}`).sort(),
  );
  for (const c of generated) delete c.pseudonym;
}

async function importFixture(name: string) {
  const ctx = testApp();
  const original = fixture(name);
  const result = validateStudyFile(original);
  if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
  const { studyId, createdAccounts } = await ctx.services.studyFile.importer.run(result.doc, { owner: null, actorId: null });
  return { ...ctx, original, studyId, createdAccounts };
}

describe('fixture round trips', () => {
  it('framework-participatiewet.json: 62 conditions, 65 relations, 8 groupings, 7 roles, 42 questions, back unchanged', async () => {
    const { services, original, studyId } = await importFixture('framework-participatiewet.json');
    const exported = services.studyFile.exporter.run(studyId, 'archive') as Record<string, any>;
    expect(exported.framework.conditions).toHaveLength(62);
    expect(exported.framework.relations).toHaveLength(65);
    expect(exported.framework.groupings).toHaveLength(8);
    expect(exported.roles).toHaveLength(7);
    expect(exported.questions).toHaveLength(42);
    expect(exported.framework.revision).toBe(1);
    // What export adds by design: the framework revision and the study settings (here all defaults).
    delete exported.framework.revision;
    expect(exported.study.settings).toEqual({ scale: { min: 1, max: 5 }, ratersPerCase: 2, blindRating: true, classification: 'relative', secondRaterNotAtInterviews: false });
    delete exported.study.settings;
    expect(canonical(exported)).toEqual(canonical(original));
  });

  it('atlas-2017-scores.json: 16 cases with measures and two raters each, 224 submitted ratings, back unchanged', async () => {
    const { services, original, studyId, createdAccounts } = await importFixture('atlas-2017-scores.json');
    expect(createdAccounts.map((a) => a.email).sort()).toEqual(['rater.a@example.org', 'rater.b@example.org']);
    const exported = services.studyFile.exporter.run(studyId, 'unblinded') as Record<string, any>;
    expect(exported.cases).toHaveLength(16);
    expect(exported.ratings).toHaveLength(224);
    delete exported.framework.revision;
    delete exported.study.settings;
    dropGeneratedPseudonyms(exported, original);
    expect(canonical(exported)).toEqual(canonical(original));
  });

  it('import stores the atlas scores exactly: Amstelveen has H = 5 from both raters and herverdeeleffect 48.8', async () => {
    const { db, studyId } = await importFixture('atlas-2017-scores.json');
    const rows = db
      .prepare(
        `SELECT u.email, r.score FROM ratings r JOIN cases c ON c.id = r.case_id JOIN conditions k ON k.id = r.condition_id JOIN users u ON u.id = r.rater_id
         WHERE c.study_id = ? AND c.key = 'amstelveen' AND k.code = 'H' ORDER BY u.email`,
      )
      .all(studyId);
    expect(rows).toEqual([{ email: 'rater.a@example.org', score: 5 }, { email: 'rater.b@example.org', score: 5 }]);
    const measure = db.prepare("SELECT m.value FROM case_measures m JOIN cases c ON c.id = m.case_id WHERE c.key = 'amstelveen' AND m.variable = '0'").get();
    expect(measure).toEqual({ value: 48.8 });
  });
});

describe('interviews in the study file', () => {
  it('imports interviews, document metadata and evidence, and exports them back unchanged', async () => {
    const ctx = testApp();
    const doc = fixture('framework-participatiewet.json') as any;
    doc.members = [{ email: 'a@example.org', name: 'A', role: 'researcher' }];
    doc.cases = [{ key: 'dordrecht', name: 'Dordrecht', attributes: { gr: true, inwoners: 118_000, regio: 'Drechtsteden' }, measures: { hve: -12.5 }, measuresByYear: { hve: { '2021': -10.25, '2022': -8 } } }];
    doc.interviews = [
      { key: 'i1', case: 'dordrecht', date: '2022-05-10', roles: ['Wethouder'], participants: 1, interviewers: ['a@example.org'], status: 'approved', notes: 'Gesprek *goedgekeurd*.', conditions: ['3.a', '4.a'] },
      { key: 'i2', case: 'dordrecht', roles: [], participants: 3, interviewers: [], status: 'planned', conditions: [] },
    ];
    doc.documents = [{ key: 'd1', case: 'dordrecht', title: 'Beleidsplan 2019', kind: 'policy', date: '2019-03-01', filename: 'beleidsplan.pdf', sha256: 'a'.repeat(64) }];
    doc.evidence = [
      { case: 'dordrecht', condition: '3.a', source: 'i1', quote: 'De doelen staan op volgorde.', locator: 'p. 3' },
      { case: 'dordrecht', condition: '3.b', source: 'i1', quote: 'De doelen staan op volgorde.', locator: 'p. 3' },
      { case: 'dordrecht', condition: '3.c', source: 'd1', locator: 'p. 12' },
    ];
    const result = validateStudyFile(doc);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { studyId } = await ctx.services.studyFile.importer.run(result.doc, { owner: null, actorId: null });
    const row = ctx.services.repos.interviews.findByKey(studyId, 'i1')!;
    expect([row.status, row.held_on, row.date]).toEqual(['approved', '2022-05-10', '2022-05-10']);
    // Attribute types follow the values; measures per year are kept.
    expect(ctx.services.repos.cases.attributeTypes(studyId).map((t: { key: string; type: string }) => [t.key, t.type])).toEqual([['gr', 'boolean'], ['inwoners', 'number'], ['regio', 'text']]);
    // The two entries that differ only in their condition are one piece of evidence about two conditions.
    expect(ctx.services.repos.evidence.list(studyId).map((e) => JSON.parse(e.conditions))).toEqual([['3.a', '3.b'], ['3.c']]);
    const exported = ctx.services.studyFile.exporter.run(studyId, 'archive') as Record<string, any>;
    expect(exported.interviews).toHaveLength(2);
    expect(exported.documents).toHaveLength(1);
    expect(exported.evidence).toHaveLength(3);
    delete exported.framework.revision;
    delete exported.study.settings;
    dropGeneratedPseudonyms(exported, doc);
    const normalise = (d: any) => canonical(validateStudyFile(d).ok ? (validateStudyFile(d) as any).doc : d);
    expect(normalise(exported)).toEqual(normalise(doc));
  });
});

describe('blinding in exports', () => {
  it('a lead’s export leaves out drafts and every rating of a case whose raters have not all submitted', async () => {
    const { services, db, studyId } = await importFixture('atlas-2017-scores.json');
    const raterB = "rater_id = (SELECT id FROM users WHERE email = 'rater.b@example.org') AND case_id = (SELECT id FROM cases WHERE key = 'amstelveen')";
    // Reopened (a draft again), then changed: submitted ratings themselves cannot change.
    db.prepare(`UPDATE ratings SET submitted_at = NULL WHERE ${raterB}`).run();
    db.prepare(`UPDATE ratings SET rationale = 'secret draft' WHERE ${raterB}`).run();
    const lead = services.studyFile.exporter.run(studyId, 'unblinded') as Record<string, any>;
    const amstelveen = (lead.ratings as { case: string }[]).filter((r) => r.case === 'amstelveen');
    expect(amstelveen).toEqual([]);
    expect(lead.ratings).toHaveLength(224 - 14);
    expect(JSON.stringify(lead)).not.toContain('secret draft');
    const archive = services.studyFile.exporter.run(studyId, 'archive') as Record<string, any>;
    expect(archive.ratings).toHaveLength(224);
  });
});

describe('Kader\'s extensions of the study file', () => {
  /** The atlas fixture with aliases on a case and a cannot-judge reason on a rating with score null. */
  function withExtensions() {
    const doc = fixture('atlas-2017-scores.json') as any;
    doc.cases[0].aliases = ['Amstelveense', 'gemeente A.'];
    const rating = doc.ratings.find((r: { case: string }) => r.case === doc.cases[0].key);
    rating.score = null;
    rating.cannotJudgeReason = 'Geen interview met de uitvoering gehad.';
    // The item is now partly not judged: a thread and a decision by the bulk rule "lower" on another.
    doc.reconciliationComments = [
      { case: rating.case, condition: rating.condition, by: 'rater.b@example.org', body: 'Waarom **niet** te beoordelen?' },
      { case: rating.case, condition: rating.condition, by: 'rater.a@example.org', body: 'Zie de notitie bij het interview.' },
    ];
    doc.reconciliations = [{ case: 'nijkerk', condition: 'H', score: 3, note: 'Lagere score (regel).', by: 'rater.a@example.org', rule: 'lower' }];
    doc.cases[1].signedOffBy = 'rater.a@example.org';
    // An interview with two pieces of evidence (the first about two conditions), both cited by one rating.
    const cited = doc.ratings.find((r: { case: string; condition: string }) => r.case === rating.case && r.condition !== rating.condition);
    doc.interviews = [{ key: 'i1', case: rating.case, participants: 1, interviewers: ['rater.a@example.org'], status: 'held', conditions: [cited.condition] }];
    doc.evidence = [
      { case: rating.case, condition: cited.condition, source: 'i1', quote: 'In Amstelveen stuurt de wethouder strak.', locator: 'min. 12' },
      { case: rating.case, condition: rating.condition, source: 'i1', quote: 'In Amstelveen stuurt de wethouder strak.', locator: 'min. 12' },
      { case: rating.case, condition: cited.condition, source: 'i1', locator: 'min. 30' },
    ];
    cited.evidence = [{ source: 'i1', quote: 'In Amstelveen stuurt de wethouder strak.', locator: 'min. 12' }, { source: 'i1', locator: 'min. 30' }];
    // A reduction decision taken back, and one that holds.
    doc.revertedReductions = [{ condition: 'H', method: 1, reason: 'Te weinig spreiding, bleek achteraf niet zo.', by: 'rater.a@example.org', revertedBy: 'rater.b@example.org' }];
    doc.reductions = [{ condition: 'H', method: 2, reason: 'Samen met de uitvoering één factor.', by: 'rater.b@example.org' }];
    return doc;
  }

  it('carries case aliases, cannot-judge reasons, bulk rules, threads, sign-offs, cited evidence and reverted reductions through import and export unchanged; an anonymised export has no aliases', async () => {
    const ctx = testApp();
    const original = withExtensions();
    const result = validateStudyFile(original);
    if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
    const { studyId } = await ctx.services.studyFile.importer.run(result.doc, { owner: null, actorId: null });
    const stored = ctx.db
      .prepare(`SELECT r.cannot_judge_reason FROM ratings r WHERE r.cannot_judge_reason IS NOT NULL`)
      .all();
    expect(stored).toEqual([{ cannot_judge_reason: 'Geen interview met de uitvoering gehad.' }]);
    const nijkerk = ctx.services.repos.reconcile.readyCases(studyId).find((c) => c.key === 'nijkerk')!;
    expect([nijkerk.signed_off_at !== null, nijkerk.changed_after_sign_off]).toEqual([true, 0]);
    const item = ctx.services.reconcile.item(studyId, 'amstelveen', original.reconciliationComments[0].condition, { id: 0, isLead: true });
    expect(item.comments.map((c: { body: string }) => c.body)).toEqual(['Waarom **niet** te beoordelen?', 'Zie de notitie bij het interview.']);
    // The rating cites the two pieces of evidence the file's three entries make.
    const links = ctx.db.prepare('SELECT e.quote, e.locator FROM rating_evidence re JOIN evidence e ON e.id = re.evidence_id ORDER BY e.id').all();
    expect(links).toEqual([{ quote: 'In Amstelveen stuurt de wethouder strak.', locator: 'min. 12' }, { quote: '', locator: 'min. 30' }]);
    // The reduction log: the active decision over the one taken back.
    expect(ctx.services.repos.analysis.reductions(studyId).map((r) => [r.method, r.decided_by_email, r.reverted_by_email])).toEqual([
      [2, 'rater.b@example.org', null],
      [1, 'rater.a@example.org', 'rater.b@example.org'],
    ]);
    const exported = ctx.services.studyFile.exporter.run(studyId, 'unblinded') as Record<string, any>;
    delete exported.framework.revision;
    delete exported.study.settings;
    dropGeneratedPseudonyms(exported, original);
    expect(canonical(exported)).toEqual(canonical(original));

    const anonymised = JSON.stringify(ctx.services.studyFile.exporter.run(studyId, 'unblinded', ctx.services.anonymise.context(studyId)));
    expect(anonymised).not.toContain('aliases');
    expect(anonymised).not.toContain('Amstelveen');
    expect(anonymised).toContain('Geen interview met de uitvoering gehad.');
    // The citation is anonymised like the evidence it names, so the anonymised file still imports.
    const again = validateStudyFile(JSON.parse(anonymised));
    expect(again.ok ? [] : again.problems).toEqual([]);
    const citation = (JSON.parse(anonymised).ratings as { evidence?: { quote?: string }[] }[]).find((r) => r.evidence)!.evidence![0]!;
    expect(citation.quote).toMatch(/^In Gemeente \d+ stuurt de wethouder strak\.$/);
  });

  it('refuses a cannot-judge reason next to a score, more alias text than a study may have, a message by a non-member, a sign-off with an item open, a citation of evidence the file does not have and a reverted reduction of an unknown condition', () => {
    const doc = withExtensions();
    doc.ratings[1].cannotJudgeReason = 'Toch een score gegeven.';
    doc.reconciliationComments.push({ case: 'amstelveen', condition: 'H', by: 'iemand@example.org', body: 'Geen lid.' });
    // Amstelveen has an item only one rater could judge, and no decision on it: it cannot be signed off.
    doc.cases[0].signedOffBy = 'rater.a@example.org';
    // A citation must name an evidence entry of the rating's own case.
    const citing = doc.ratings.findIndex((r: { evidence?: unknown }) => r.evidence);
    doc.ratings[citing].evidence.push({ source: 'i1', quote: 'Niet in de sectie evidence.' });
    doc.revertedReductions.push({ condition: 'ZZ', method: 4, reason: 'Bestaat niet.', by: 'rater.a@example.org', revertedBy: 'rater.a@example.org' });
    // 16 cases × 50 aliases × 200 characters: 160,000 characters, past the study's 100,000.
    doc.cases.forEach((c: { aliases?: string[] }, i: number) => (c.aliases = Array.from({ length: 50 }, (_, j) => `${i}-${j} ${'x'.repeat(190)}`)));
    const result = validateStudyFile(doc);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map((p) => [p.path, p.key]);
    expect(problems).toContainEqual(['ratings[1].cannotJudgeReason', 'file.reasonWithScore']);
    expect(problems).toContainEqual(['cases', 'anonymise.studyAliasesTooLong']);
    expect(problems).toContainEqual(['reconciliationComments[2].by', 'file.authorNotMember']);
    expect(problems).toContainEqual(['cases[0].signedOffBy', 'file.signOffOpen']);
    expect(problems).not.toContainEqual(['cases[1].signedOffBy', 'file.signOffOpen']);
    expect(problems).toContainEqual([`ratings[${citing}].evidence[2]`, 'file.unknownCitation']);
    expect(problems.filter(([, key]) => key === 'file.unknownCitation')).toHaveLength(1);
    expect(problems).toContainEqual(['revertedReductions[1].condition', 'file.unknownCondition']);
  });
});

describe('import refusals', () => {
  it('stores nothing when the file is invalid', async () => {
    const ctx = testApp();
    await makeUser(ctx.services, { email: 'someone@example.org' });
    const doc = fixture('atlas-2017-scores.json') as any;
    doc.ratings[0].score = 9;
    const result = validateStudyFile(doc);
    expect(result.ok).toBe(false);
    expect(ctx.services.repos.studies.listIdsAndTitles()).toEqual([]);
  });
});

describe('accounts a study file needs', () => {
  /**
   * The atlas fixture (members rater.a and rater.b) with a final score and a reduction decision by
   * someone who is no member: a former lead, who needs an account too.
   */
  function atlasWithDecider() {
    const doc = fixture('atlas-2017-scores.json') as any;
    doc.reconciliations = [{ case: 'nijkerk', condition: 'H', score: 3, note: 'Besproken.', by: 'former.lead@example.org' }];
    doc.reductions = [{ condition: 'H', method: 2, reason: 'Samen met de uitvoering één factor.', by: 'former.lead@example.org' }];
    return doc;
  }

  const upload = (agent: Awaited<ReturnType<typeof loginAs>>['agent'], csrf: string, doc: unknown, language = 'en') =>
    agent.post('/studies/import').set('Accept-Language', language).field('_csrf', csrf).attach('file', Buffer.from(JSON.stringify(doc)), 'atlas-team.json');

  const counts = (ctx: TestContext) =>
    ctx.db.prepare('SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM studies) AS studies, (SELECT count(*) FROM audit_log) AS audit').get();

  /** Accounts without their creation in the account log (should be none). */
  const unaudited = (ctx: TestContext) =>
    ctx.db
      .prepare(
        `SELECT email FROM users u WHERE NOT EXISTS (
           SELECT 1 FROM audit_log a WHERE a.entity = 'user' AND a.entity_id = u.id AND a.action IN ('create', 'create-first-admin') AND a.study_id IS NULL)`,
      )
      .pluck()
      .all();

  it('refuses a researcher’s upload that names people without an account: it lists them, names and emails, with where the file names them, in English and Dutch; nothing is stored', async () => {
    const ctx = testApp();
    await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
    await makeUser(ctx.services, { email: 'rater.b@example.org', name: 'Beoordelaar B' });
    const lead = await loginAs(ctx.app, 'lead@example.org');
    const before = counts(ctx);

    const res = await upload(lead.agent, lead.csrf, atlasWithDecider());
    expect(res.status).toBe(422);
    expect(res.text).toContain('atlas-team.json was not imported; nothing was stored. The file names 2 person(s) without an account in Kader, and only a site administrator can create accounts:');
    expect(res.text).toContain('Beoordelaar A &lt;rater.a@example.org&gt; (named at <code>members[0]</code>)');
    expect(res.text).toContain('former.lead &lt;former.lead@example.org&gt; (named at <code>reconciliations[0].by</code>, <code>reductions[0].by</code>)');
    expect(res.text).toContain('Ask a site administrator to create these accounts');
    // The member who has an account is not listed; the form is there to try again.
    expect(res.text).not.toContain('rater.b@example.org');
    expect(res.text).toContain('<input type="file" id="f-file" name="file"');
    expect(counts(ctx)).toEqual(before);
    expect(ctx.services.repos.users.findByEmail('rater.a@example.org')).toBeUndefined();

    const nl = await upload(lead.agent, lead.csrf, atlasWithDecider(), 'nl');
    expect(nl.status).toBe(422);
    expect(nl.text).toContain('atlas-team.json is niet geïmporteerd; er is niets opgeslagen. Het bestand noemt 2 persoon/personen zonder account in Kader, en alleen een beheerder van de site kan accounts aanmaken:');
    expect(nl.text).toContain('Vraag een beheerder van de site deze accounts aan te maken');
    expect(counts(ctx)).toEqual(before);

    // Once an administrator has made the accounts, the same researcher's import goes through.
    await makeUser(ctx.services, { email: 'rater.a@example.org', name: 'Beoordelaar A' });
    await makeUser(ctx.services, { email: 'former.lead@example.org', name: 'Former Lead' });
    const again = await upload(lead.agent, lead.csrf, atlasWithDecider());
    expect(again.status).toBe(303);
    expect((await lead.agent.get(again.headers.location!)).text).toContain('The study file is imported.');
  });

  it('an administrator’s upload creates the missing accounts, the decider’s too, each with its entry in the account log', async () => {
    const ctx = testApp();
    const adminId = await makeUser(ctx.services, { email: 'admin@example.org', name: 'Ada Admin', isAdmin: true });
    const admin = await loginAs(ctx.app, 'admin@example.org');
    const res = await upload(admin.agent, admin.csrf, atlasWithDecider());
    expect(res.status).toBe(303);
    const studyId = Number(/\/studies\/(\d+)/.exec(res.headers.location!)![1]);
    const page = await admin.agent.get(res.headers.location!);
    expect(page.text).toContain('3 account(s) were created for people who had none (rater.a@example.org, rater.b@example.org, former.lead@example.org)');

    const created = ctx.services.repos.audit.listForSite().filter((e) => e.action === 'create' && e.actor_email === 'admin@example.org');
    expect(created.map((e) => JSON.parse(e.after!)).sort((a, b) => a.email.localeCompare(b.email))).toEqual([
      { email: 'former.lead@example.org', name: 'former.lead', isAdmin: false, active: true, language: null, via: 'study-import', study: studyId },
      { email: 'rater.a@example.org', name: 'Beoordelaar A', isAdmin: false, active: true, language: null, via: 'study-import', study: studyId },
      { email: 'rater.b@example.org', name: 'Beoordelaar B', isAdmin: false, active: true, language: null, via: 'study-import', study: studyId },
    ]);
    expect(unaudited(ctx)).toEqual([]);
    // The decider keeps their decisions but is no member of the study.
    const former = ctx.services.repos.users.findByEmail('former.lead@example.org')!;
    expect(ctx.services.repos.studies.member(studyId, former.id)).toBeUndefined();
    expect(ctx.services.repos.studies.member(studyId, adminId)!.role).toBe('lead');
  });

  it('the importer itself refuses a non-administrator before writing anything, and creates the accounts for the operator (no actor), with the members’ set-password links', async () => {
    const ctx = testApp();
    const leadId = await makeUser(ctx.services, { email: 'lead@example.org' });
    const valid = validateStudyFile(atlasWithDecider());
    if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
    const doc: StudyFile = valid.doc;
    const before = counts(ctx);
    const refused = await ctx.services.studyFile.importer.run(doc, { owner: leadId, actorId: leadId }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AccountsMissing);
    expect((refused as AccountsMissing).people.map((p) => p.email)).toEqual(['rater.a@example.org', 'rater.b@example.org', 'former.lead@example.org']);
    expect(counts(ctx)).toEqual(before);

    const { createdAccounts } = await ctx.services.studyFile.importer.run(doc, { owner: leadId, actorId: null });
    expect(createdAccounts.map((a) => [a.email, a.token === null])).toEqual([
      ['rater.a@example.org', false],
      ['rater.b@example.org', false],
      ['former.lead@example.org', true],
    ]);
    expect(unaudited(ctx)).toEqual([]);
    const entries = ctx.db.prepare("SELECT actor_id FROM audit_log WHERE entity = 'user' AND action = 'create' AND json_extract(after, '$.via') = 'study-import'").pluck().all();
    expect(entries).toEqual([null, null, null]);
  });
});
