// Anonymisation end to end: pseudonyms generated at import and regenerated in random order (a
// permutation of 1…n, not the case order), the word, aliases on the page and the case form, the leak
// check, and the anonymised study file through the command line, as study-format.md describes it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anonymiseService } from '../../server/anonymise/anonymise.service.ts';
import { findLeaks, MAX_STUDY_ALIASES, numberedPseudonyms, replacementsOf, type RandomInt } from '../../server/anonymise/anonymise.rules.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loadConfig } from '../../server/config.ts';
import { translate } from '../../server/lib/i18n.ts';
import { openDb } from '../../server/lib/db.ts';
import { seededRandom } from '../../server/lib/random.ts';
import { createServices, type Services } from '../../server/services.ts';
import { loginAs, makeUser, tempDir, testApp } from '../helpers/app.ts';
import { kader } from '../helpers/processes.ts';
import { importNamedStudy, importStudy, LEAD, NAMED, namedStudy } from './anonymise.fixture.ts';

/** A seeded random source, so that "random order" is tested without flakiness. */
function seeded(seed: number): RandomInt {
  const next = seededRandom(seed);
  return (max) => Math.floor(next() * max);
}

/** Every real name and alias of the fixture, as the leak check looks for them. */
const REPLACEMENTS = replacementsOf(NAMED.map((c) => ({ ...c, pseudonym: '?' })));
const numbers = (pseudonyms: (string | null)[]) => pseudonyms.map((p) => Number(/ (\d+)$/.exec(p ?? '')?.[1])).sort((x, y) => x - y);
const leadIdOf = (services: Services) => services.repos.users.findByEmail(LEAD)!.id;
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function setUp() {
  const ctx = testApp();
  await makeUser(ctx.services, { email: LEAD });
  const studyId = await importNamedStudy(ctx.services);
  const lead = await loginAs(ctx.app, LEAD);
  const pseudonyms = () => ctx.services.repos.cases.list(studyId).map((c) => c.pseudonym);
  const audits = (action: string) =>
    ctx.db.prepare<[number, string], { before: string | null; after: string | null }>('SELECT before, after FROM audit_log WHERE study_id = ? AND action = ? ORDER BY id').all(studyId, action);
  return { ...ctx, studyId, lead, base: `/studies/${studyId}/anonymisation`, pseudonyms, audits };
}

describe('pseudonyms', () => {
  it('import generates "Gemeente 1 … n" (a permutation) for cases the file gives none', async () => {
    const { pseudonyms } = await setUp();
    const list = pseudonyms();
    expect(list.every((p) => /^Gemeente \d+$/.test(p!))).toBe(true);
    expect(numbers(list)).toEqual(oneToN(NAMED.length));
  });

  it('keeps the file’s pseudonyms and numbers the others with the free numbers', async () => {
    const { services } = testApp();
    const doc = namedStudy();
    doc.cases![0]!.pseudonym = 'Gemeente 2';
    doc.cases![1]!.pseudonym = 'Stad X';
    const studyId = await importStudy(services, doc);
    const list = services.repos.cases.list(studyId).map((c) => c.pseudonym);
    expect(list.slice(0, 2)).toEqual(['Gemeente 2', 'Stad X']);
    expect(numbers(list.slice(2))).toEqual([1, 3, 4, 5]);
  });

  it('the order is random: over several seeds a permutation of 1…n, and not the case order', () => {
    const orders = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => numberedPseudonyms(8, 'Gemeente', seeded(seed)));
    for (const order of orders) expect(numbers(order)).toEqual(oneToN(8));
    const identity = oneToN(8).map((n) => `Gemeente ${n}`).join();
    expect(orders.filter((o) => o.join() !== identity).length).toBeGreaterThan(0);
    expect(new Set(orders.map((o) => o.join())).size).toBeGreaterThan(1);
    // The same seed gives the same order: the source decides, nothing else.
    expect(numberedPseudonyms(8, 'G', seeded(42))).toEqual(numberedPseudonyms(8, 'G', seeded(42)));
  });

  it('regenerate with an injected random source stores a permutation that is not the case order', async () => {
    const { db, services, studyId, pseudonyms } = await setUp();
    const leadId = services.repos.users.findByEmail(LEAD)!.id;
    const inCaseOrder = oneToN(NAMED.length).map((n) => `Gemeente ${n}`);
    let notCaseOrder = 0;
    for (const seed of [11, 12, 13, 14, 15]) {
      anonymiseService({ db, repos: services.repos, now: () => new Date(), random: seeded(seed) }).regenerate(studyId, leadId);
      expect(numbers(pseudonyms())).toEqual(oneToN(NAMED.length));
      if (pseudonyms().join() !== inCaseOrder.join()) notCaseOrder++;
    }
    expect(notCaseOrder).toBeGreaterThan(0);
  });

  it('regenerate asks for confirmation, then changes the assignment and is audited', async () => {
    const { lead, base, pseudonyms, audits, services, studyId } = await setUp();
    const before = pseudonyms();
    const page = await lead.agent.get(`${base}/regenerate`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="confirm" value="yes"');
    const refused = await lead.agent.post(`${base}/regenerate`).type('form').send({ _csrf: lead.csrf });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Tick the box to confirm.');
    expect(pseudonyms()).toEqual(before);

    const done = await lead.agent.post(`${base}/regenerate`).type('form').send({ _csrf: lead.csrf, confirm: 'yes' });
    expect(done.status).toBe(303);
    const after = pseudonyms();
    expect(after).not.toEqual(before);
    expect(numbers(after)).toEqual(oneToN(NAMED.length));
    const [entry] = audits('pseudonyms-regenerate');
    expect(JSON.parse(entry!.before!)).toEqual({ pseudonyms: Object.fromEntries(NAMED.map((c, i) => [c.key, before[i]])) });
    expect(JSON.parse(entry!.after!)).toEqual({ pseudonyms: Object.fromEntries(NAMED.map((c, i) => [c.key, after[i]])) });
    // A case form opened before the change is stale: it would write the old pseudonym back.
    expect(services.repos.cases.findByKey(studyId, 'dordrecht')!.version).toBeGreaterThan(1);
  });

  it('a new word renames the pseudonyms made of the old one, keeping numbers and hand-written ones', async () => {
    const { lead, base, pseudonyms, audits, services, studyId } = await setUp();
    const row = services.repos.cases.findByKey(studyId, 'ede')!;
    services.repos.cases.setPseudonym(row.id, 'Eigen naam', new Date().toISOString());
    const before = pseudonyms();
    const bad = await lead.agent.post(`${base}/word`).type('form').send({ _csrf: lead.csrf, word: '7 gemeenten' });
    expect(bad.status).toBe(422);
    expect((await lead.agent.post(`${base}/word`).type('form').send({ _csrf: lead.csrf, word: 'School' })).status).toBe(303);
    expect(pseudonyms()).toEqual(before.map((p) => (p === 'Eigen naam' ? p : p!.replace('Gemeente', 'School'))));
    expect(services.repos.studies.findById(studyId)!.pseudonym_word).toBe('School');
    expect(audits('pseudonym-word')).toHaveLength(1);
    // Empty: back to the default word of the study's language.
    await lead.agent.post(`${base}/word`).type('form').send({ _csrf: lead.csrf, word: '' }).expect(303);
    expect(pseudonyms().filter((p) => p!.startsWith('Gemeente'))).toHaveLength(NAMED.length - 1);
  });

  it('cases without a pseudonym get provisional ones (lowest free numbers) until a lead assigns random ones', async () => {
    const { lead, base, services, studyId, pseudonyms } = await setUp();
    const leadId = services.repos.users.findByEmail(LEAD)!.id;
    services.cases.create(studyId, { id: leadId, isLead: true }, 'zwolle', { name: 'Zwolle', pseudonym: null, group: '', selectionReason: '', attributes: {}, measures: [] });
    const page = await lead.agent.get(base);
    expect(page.text).toContain('Gemeente 7 <span class="badge">provisional</span>');
    expect(services.anonymise.context(studyId, true).caseKey('zwolle')).toBe('gemeente-7');
    // Provisional pseudonyms follow the case order: anonymised downloads wait for random ones.
    const refused = await lead.agent.get(`/studies/${studyId}/final-scores.csv?anonymised=1`);
    expect(refused.status).toBe(409);
    await lead.agent.post(`${base}/assign`).type('form').send({ _csrf: lead.csrf, confirm: 'yes' }).expect(303);
    expect(numbers(pseudonyms())).toEqual(oneToN(NAMED.length + 1));
    expect((await lead.agent.get(base)).text).not.toContain('provisional</span>');
    expect((await lead.agent.get(`/studies/${studyId}/final-scores.csv?anonymised=1`)).status).toBe(200);
  });
});

describe('aliases', () => {
  it('are edited on the anonymisation page and on the case form, audited, and a case form sent without them keeps them', async () => {
    const { lead, base, services, studyId, audits } = await setUp();
    const page = await lead.agent.get(base);
    expect(page.status).toBe(200);
    const index = NAMED.findIndex((c) => c.key === 'zwijndrecht');
    const fields = Object.fromEntries(NAMED.flatMap((c, i) => [[`key_${i}`, c.key], [`aliases_${i}`, c.aliases.join('\n')]]));
    fields[`aliases_${index}`] = 'Zwijndrechtse\n  \nzwijndrechtse\nZwijndrechtenaren';
    await lead.agent.post(`${base}/aliases`).type('form').send({ _csrf: lead.csrf, ...fields }).expect(303);
    const row = () => services.repos.cases.findByKey(studyId, 'zwijndrecht')!;
    expect(JSON.parse(row().aliases)).toEqual(['Zwijndrechtse', 'Zwijndrechtenaren']);
    expect(audits('aliases').map((a) => JSON.parse(a.after!))).toContainEqual({ key: 'zwijndrecht', aliases: ['Zwijndrechtse', 'Zwijndrechtenaren'] });

    const form = await lead.agent.get(`/studies/${studyId}/cases/zwijndrecht/edit`);
    expect(form.text).toContain('>Zwijndrechtse\nZwijndrechtenaren</textarea>');
    const saved = { _csrf: lead.csrf, version: String(row().version), name: 'Zwijndrecht', pseudonym: row().pseudonym, group: 'tekort', attr_regio: 'elders', attr_inwoners: '20000' };
    await lead.agent.post(`/studies/${studyId}/cases/zwijndrecht`).type('form').send({ ...saved, aliases: 'Zwijndrechter' }).expect(303);
    expect(JSON.parse(row().aliases)).toEqual(['Zwijndrechter']);
    await lead.agent.post(`/studies/${studyId}/cases/zwijndrecht`).type('form').send({ ...saved, version: String(row().version) }).expect(303);
    expect(JSON.parse(row().aliases)).toEqual(['Zwijndrechter']);
  });
});

describe('aliases per study', () => {
  it(`refuses more than ${MAX_STUDY_ALIASES} aliases across the study's cases: nothing is saved, the table comes back as typed with the problem`, async () => {
    const { lead, base, services, studyId, audits } = await setUp();
    const leadId = services.repos.users.findByEmail(LEAD)!.id;
    // The fixture has 2 aliases; 40 more cases bring the study to the limit exactly (39 × 50 + 48).
    for (let i = 0; i < 40; i++) {
      services.cases.create(studyId, { id: leadId, isLead: true }, `extra-${i}`, {
        name: `Plaats ${i}`, pseudonym: null, group: '', selectionReason: '', attributes: {}, measures: [],
        aliases: Array.from({ length: i === 39 ? 48 : 50 }, (_, j) => `Plaats${i}-alias${j}`),
      });
    }
    const cases = services.anonymise.page(studyId).cases;
    expect(cases.reduce((n, c) => n + c.aliases.length, 0)).toBe(MAX_STUDY_ALIASES);
    const auditsBefore = audits('aliases').length;
    const fields = Object.fromEntries(cases.flatMap((c, i) => [[`key_${i}`, c.key], [`aliases_${i}`, c.aliases.join('\n')]]));
    const index = cases.findIndex((c) => c.key === 'zwijndrecht');
    fields[`aliases_${index}`] = 'Zwijndrechtse';

    const refused = await lead.agent.post(`${base}/aliases`).type('form').send({ _csrf: lead.csrf, ...fields });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`A study can have at most ${MAX_STUDY_ALIASES} aliases across all its cases; with these changes it would have ${MAX_STUDY_ALIASES + 1}.`);
    expect(refused.text).toMatch(new RegExp(`name="aliases_${index}"[^>]*>Zwijndrechtse</textarea>`));
    expect(JSON.parse(services.repos.cases.findByKey(studyId, 'zwijndrecht')!.aliases)).toEqual([]);
    expect(audits('aliases').length).toBe(auditsBefore);

    // Nor can the case form take the study past the cap.
    const row = services.repos.cases.findByKey(studyId, 'zwijndrecht')!;
    const viaForm = await lead.agent.post(`/studies/${studyId}/cases/zwijndrecht`).type('form').send({
      _csrf: lead.csrf, version: String(row.version), name: row.name, pseudonym: row.pseudonym ?? '', group: row.grp, attr_regio: 'elders', attr_inwoners: '20000', aliases: 'Zwijndrechtse',
    });
    expect(viaForm.status).toBe(422);
    expect(viaForm.text).toContain(`A study can have at most ${MAX_STUDY_ALIASES} aliases across all its cases`);
    expect(viaForm.text).toContain('>Zwijndrechtse</textarea>');
    expect(JSON.parse(services.repos.cases.findByKey(studyId, 'zwijndrecht')!.aliases)).toEqual([]);

    // Moving an alias from one case to another keeps the total: saved.
    const extra = cases.findIndex((c) => c.key === 'extra-0');
    fields[`aliases_${extra}`] = cases[extra]!.aliases.slice(1).join('\n');
    await lead.agent.post(`${base}/aliases`).type('form').send({ _csrf: lead.csrf, ...fields }).expect(303);
    expect(JSON.parse(services.repos.cases.findByKey(studyId, 'zwijndrecht')!.aliases)).toEqual(['Zwijndrechtse']);
  });

  it('says so in Dutch too', () => {
    expect(translate('nl', 'anonymise.tooManyStudyAliases', { max: 2000, count: 2001 })).toBe(
      'Een onderzoek heeft hoogstens 2000 aliassen over al zijn casussen samen; met deze wijzigingen zouden het er 2001 zijn. Verwijder er enkele en sla opnieuw op.',
    );
  });
});

/** The named study without aliases, with `words` added to its first interview note, and its lead signed in. */
async function studyWithNote(words: string) {
  const ctx = testApp();
  await makeUser(ctx.services, { email: LEAD });
  const doc = namedStudy();
  doc.interviews![0]!.notes += words;
  const studyId = await importStudy(ctx.services, doc);
  return { ctx, studyId, lead: await loginAs(ctx.app, LEAD), base: `/studies/${studyId}/anonymisation` };
}

describe('the leak check', () => {
  it('finds a name the aliases miss in an interview note; configured as an alias it is gone', async () => {
    const { ctx, studyId, lead, base } = await studyWithNote(' De Dordrechtse aanpak werkt.');

    const check = (await ctx.services.leakCheck.check(studyId, leadIdOf(ctx.services)));
    expect(check.leaks).toEqual([
      expect.objectContaining({ output: `/studies/${studyId}/exports/study.json?anonymised=1`, format: 'json', location: 'interviews[0].notes', text: 'Dordrechtse', name: 'Dordrecht', kind: 'part' }),
    ]);
    expect(check.leaks[0]!.context).toContain('De Dordrechtse aanpak');
    const page = await lead.agent.get(base);
    expect(page.text).toContain('<mark>Dordrechtse</mark>');
    expect(page.text).toContain('<code>interviews[0].notes</code>');

    const fields = Object.fromEntries(NAMED.flatMap((c, i) => [[`key_${i}`, c.key], [`aliases_${i}`, c.key === 'dordrecht' ? 'Dordt\nDordrechtse' : '']]));
    await lead.agent.post(`${base}/aliases`).type('form').send({ _csrf: lead.csrf, ...fields }).expect(303);
    expect((await ctx.services.leakCheck.check(studyId, leadIdOf(ctx.services))).leaks).toEqual([]);
    const clean = await lead.agent.get(base);
    expect(clean.text).toContain('No case name, alias or key was found in the anonymised outputs.');
    // And the anonymised note now reads with the pseudonym.
    const pseudonym = ctx.services.repos.cases.findByKey(studyId, 'dordrecht')!.pseudonym!;
    const exported = ctx.services.studyFile.exporter.run(studyId, 'unblinded', ctx.services.anonymise.context(studyId));
    expect(exported.interviews![0]!.notes).toContain(`De ${pseudonym} aanpak werkt.`);
  });
});

describe('the leak check after an alias changes', () => {
  it('looks for the aliases as they are now, in the leak check and in the anonymised export (no stale cached pattern)', async () => {
    const { ctx, studyId, lead, base } = await studyWithNote(' De Dordtse en de Drechtsteedse aanpak; Drechtstee werkt.');
    const pseudonym = ctx.services.repos.cases.findByKey(studyId, 'dordrecht')!.pseudonym!;
    const note = () => ctx.services.studyFile.exporter.run(studyId, 'unblinded', ctx.services.anonymise.context(studyId)).interviews![0]!.notes;
    const found = async () => (await ctx.services.leakCheck.check(studyId, leadIdOf(ctx.services))).leaks.map((l) => [l.text, l.name, l.kind]);
    const saveDordrecht = (aliases: string) =>
      lead.agent
        .post(`${base}/aliases`)
        .type('form')
        .send({ _csrf: lead.csrf, ...Object.fromEntries(NAMED.flatMap((c, i) => [[`key_${i}`, c.key], [`aliases_${i}`, c.key === 'dordrecht' ? aliases : '']])) })
        .expect(303);

    await saveDordrecht('Dordt');
    expect(await found()).toEqual([['Dordtse', 'Dordt', 'part']]);
    expect(note()).toContain('Drechtstee werkt.');
    expect((await lead.agent.get(base)).text).toContain('<mark>Dordtse</mark>');

    await saveDordrecht('Drechtstee');
    expect(await found()).toEqual([['Drechtsteedse', 'Drechtstee', 'part']]);
    expect(note()).toContain(`De Dordtse en de Drechtsteedse aanpak; ${pseudonym} werkt.`);
    const page = (await lead.agent.get(base)).text;
    expect(page).toContain('<mark>Drechtsteedse</mark>');
    expect(page).not.toContain('<mark>Dordtse</mark>');

    // And back: the first set of names is found again.
    await saveDordrecht('Dordt');
    expect(await found()).toEqual([['Dordtse', 'Dordt', 'part']]);
  });
});

describe('kader study:export --anonymize', () => {
  it('writes the study file with pseudonyms for names and keys everywhere and no real name or alias, while the normal export has them', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir };
    const file = path.join(dataDir, 'named.json');
    fs.writeFileSync(file, JSON.stringify(namedStudy()));
    const imported = kader(['study:import', file], env);
    expect(imported.status, imported.stderr).toBe(0);
    const id = (JSON.parse(imported.stdout) as { study: number }).study;
    // The study file has no aliases: set them as a lead would, on the same database.
    {
      const db = openDb(path.join(dataDir, 'kader.db'));
      const services = createServices(db, () => new Date(), loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
      services.anonymise.saveAliases(id, services.repos.users.findByEmail(LEAD)!.id, NAMED.map((c) => ({ key: c.key, aliases: c.aliases })));
      db.close();
    }

    const named = kader(['study:export', String(id)], env);
    expect(named.status, named.stderr).toBe(0);
    expect(findLeaks(named.stdout, REPLACEMENTS).length).toBeGreaterThan(20);

    const out = path.join(dataDir, 'anonymised.json');
    const run = kader(['study:export', String(id), '--anonymize', '--out', out], env);
    expect(run.status, run.stderr).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(findLeaks(text, REPLACEMENTS)).toEqual([]);
    expect(text).not.toContain('dordrecht.nl');
    expect(text).not.toContain('Gekozen omdat');

    const doc = JSON.parse(text) as any;
    const original = JSON.parse(named.stdout) as any;
    // Names are pseudonyms, keys are made of them, in pseudonym order; selectionReason is gone, and so
    // is the pseudonym (a file whose pseudonym is the name of a case is refused: a re-import makes new ones).
    for (const c of doc.cases) {
      expect(c.name).toMatch(/^Gemeente \d+$/);
      expect(c.key).toBe(c.name.toLowerCase().replace(' ', '-'));
      expect(c.pseudonym).toBeUndefined();
      expect(c.selectionReason).toBeUndefined();
    }
    expect(doc.cases.map((c: { key: string }) => c.key)).toEqual(oneToN(NAMED.length).map((n) => `gemeente-${n}`));
    const keyOf = new Map(original.cases.map((c: { key: string; pseudonym: string }) => [c.key, c.pseudonym.toLowerCase().replace(' ', '-')]));
    // Every reference follows: each rating is the same rating under the pseudonymous key.
    const ratings = (d: any, map: (k: string) => string) => d.ratings.map((r: any) => `${map(r.case)} ${r.condition} ${r.score}`).sort();
    expect(ratings(doc, (k) => k)).toEqual(ratings(original, (k) => keyOf.get(k) as string));
    expect(doc.reconciliations[0].case).toBe(keyOf.get('dordrecht'));
    expect(doc.caseAnalyses[0].case).toBe(keyOf.get('dordrecht'));
    // The interview key named the case: it is made of the pseudonym too, and the evidence follows it.
    expect(doc.interviews[0].key).toBe(`${keyOf.get('dordrecht')}-1`);
    expect(doc.evidence[0].source).toBe(doc.interviews[0].key);
    expect(doc.documents[0].filename).toMatch(/^Gemeente \d+-beleidsplan\.pdf$/);
    // An address that names a case is replaced everywhere, consistently.
    expect(doc.members.map((m: { email: string }) => m.email)).toContain('member-1@example.invalid');
    expect(doc.interviews[0].interviewers).toContain('member-1@example.invalid');
    // Drafts stay in the operator's archive, anonymised too; and the file imports again.
    expect(doc.ratings.filter((r: { submitted: boolean }) => !r.submitted)).toHaveLength(3);
    const valid = validateStudyFile(doc);
    expect(valid.ok, JSON.stringify(valid.ok ? [] : valid.problems.slice(0, 3))).toBe(true);
  }, 120_000); // three runs of the command line, each starting tsx

  it('refuses an unknown study and writes nothing', () => {
    const dataDir = tempDir();
    const run = kader(['study:export', '99', '--anonymize'], { DATA_DIR: dataDir });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
  }, 60_000);
});

describe('pseudonyms never give a case away', () => {
  it('the aliases table refuses an alias that a pseudonym holds, on its row, the table as typed', async () => {
    const { lead, base, services, studyId } = await setUp();
    const taken = services.repos.cases.findByKey(studyId, 'ede')!.pseudonym!;
    const index = NAMED.findIndex((c) => c.key === 'zwijndrecht');
    const fields = Object.fromEntries(NAMED.flatMap((c, i) => [[`key_${i}`, c.key], [`aliases_${i}`, c.aliases.join('\n')]]));
    fields[`aliases_${index}`] = `Zwijndrechtse\n${taken.toUpperCase()}`;
    const refused = await lead.agent.post(`${base}/aliases`).type('form').send({ _csrf: lead.csrf, ...fields });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`“${taken.toUpperCase()}” is part of “${taken}”, the pseudonym of case ede: the pseudonym would give this name away.`);
    expect(refused.text).toMatch(new RegExp(`name="aliases_${index}"[^>]*>Zwijndrechtse\n${taken.toUpperCase()}</textarea>`));
    expect(JSON.parse(services.repos.cases.findByKey(studyId, 'zwijndrecht')!.aliases)).toEqual([]);
  });

  it('a study file whose pseudonym is a name of its cases is refused, naming the case; generated pseudonyms skip names', async () => {
    const { services } = testApp();
    const doc = namedStudy();
    doc.cases![0]!.pseudonym = 'den haag';
    const refused = validateStudyFile(doc);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? [] : refused.problems).toContainEqual({ path: 'cases[0].pseudonym', key: 'anonymise.pseudonymGivesAway', params: { pseudonym: 'den haag', term: 'Den Haag', case: 'den-haag' } });
    expect(translate('nl', 'anonymise.pseudonymGivesAway', { pseudonym: 'den haag', term: 'Den Haag', case: 'den-haag' })).toBe(
      '“den haag” zou een casus verraden: het bevat “Den Haag”, de naam, een alias of de sleutel van casus den-haag. Kies een pseudoniem dat geen casus noemt.',
    );
    // Cases named as pseudonyms are (an anonymised file imported again): the new ones take other numbers, also when regenerated.
    const named = namedStudy();
    named.cases![0]!.name = 'Gemeente 2';
    named.cases![1]!.aliases = ['Gemeente 5'];
    const studyId = await importStudy(services, named);
    const pseudonyms = () => services.repos.cases.list(studyId).map((c) => c.pseudonym!);
    expect(pseudonyms()).not.toContain('Gemeente 2');
    expect(pseudonyms()).not.toContain('Gemeente 5');
    expect(numbers(pseudonyms())).toEqual([1, 3, 4, 6, 7, 8]);
    const leadId = await makeUser(services, { email: 'someone@example.org' });
    for (const seed of [1, 2, 3]) {
      anonymiseService({ db: services.db, repos: services.repos, now: () => new Date(), random: seeded(seed) }).regenerate(studyId, leadId);
      expect(numbers(pseudonyms())).toEqual([1, 3, 4, 6, 7, 8]);
    }
  });

  it('a word whose pseudonyms would hold a name is refused with the page as typed', async () => {
    const { lead, base, services, studyId, pseudonyms } = await setUp();
    const before = pseudonyms();
    const refused = await lead.agent.post(`${base}/word`).type('form').send({ _csrf: lead.csrf, word: 'Dordt' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Pseudonyms made of “Dordt” would give a case away: it holds “Dordt”, the name, an alias or the key of case dordrecht. Choose another word.');
    expect(refused.text).toContain('value="Dordt"');
    expect(pseudonyms()).toEqual(before);
    expect(services.repos.studies.findById(studyId)!.pseudonym_word).toBe('');
  });
});
