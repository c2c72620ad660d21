// Cases in the browser's terms: the list and the case page, creating and editing a case with typed
// attributes and measures, stale forms, the audit log, attribute types, the measures CSV import,
// escaping of user text, and who may do what.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CaseInput } from '../../server/cases/cases.schemas.ts';
import { loginAs, makeUser, testApp, type Agent } from '../helpers/app.ts';

async function setUp() {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  const resId = await makeUser(ctx.services, { email: 'res@example.org', name: 'Rob Researcher' });
  const viewerId = await makeUser(ctx.services, { email: 'viewer@example.org', name: 'Vera Viewer' });
  const studyId = ctx.services.studies.create({ title: 'Bijstand', question: '', language: 'nl' }, leadId);
  ctx.services.studies.addMember(studyId, 'res@example.org', 'researcher', leadId);
  ctx.services.studies.addMember(studyId, 'viewer@example.org', 'viewer', leadId);
  const lead = await loginAs(ctx.app, 'lead@example.org');
  const base = `/studies/${studyId}/cases`;
  const addCase = (key: string, over: Partial<CaseInput> = {}) =>
    ctx.services.cases.create(studyId, { id: leadId, isLead: true }, key, {
      name: key.toUpperCase(), pseudonym: null, group: '', selectionReason: '', attributes: {}, measures: [], ...over,
    });
  const caseRow = (key: string) => ctx.services.repos.cases.findByKey(studyId, key)!;
  const audits = () =>
    ctx.services.repos.audit.listForStudy(studyId).map((a) => ({
      entity: a.entity, action: a.action, entityId: a.entity_id,
      before: a.before ? JSON.parse(a.before) : null, after: a.after ? JSON.parse(a.after) : null,
    }));
  return { ...ctx, leadId, resId, viewerId, studyId, lead, base, addCase, caseRow, audits };
}

/** A study with attribute types, two cases (given out of alphabetical order) with measures and raters. */
async function withCases() {
  const ctx = await setUp();
  const { services, studyId, leadId, resId } = ctx;
  services.cases.addAttributeType(studyId, leadId, 'joint', 'boolean');
  services.cases.addAttributeType(studyId, leadId, 'inhabitants', 'number');
  services.cases.addAttributeType(studyId, leadId, 'region', 'text');
  ctx.addCase('zwolle', {
    name: 'Zwolle', group: 'overschot', attributes: { joint: false, inhabitants: 130000, region: 'Overijssel' },
    measures: [{ variable: 'hve', year: 2022, value: 4.5 }],
  });
  ctx.addCase('dordrecht', {
    name: 'Dordrecht', pseudonym: 'Gemeente 7', group: 'tekort', selectionReason: 'Large *deficit* in 2022',
    attributes: { joint: true, inhabitants: 119000.5 },
    measures: [{ variable: 'hve', year: 2021, value: -12.5 }, { variable: 'hve', year: 2022, value: -10 }, { variable: '1.b', year: null, value: 30.2 }],
  });
  const dordrecht = ctx.caseRow('dordrecht').id;
  services.repos.cases.insertRater(dordrecht, resId, 0);
  services.repos.cases.insertRater(dordrecht, leadId, 1);
  return ctx;
}

function upload(agent: Agent, csrf: string, url: string, text: string | Buffer, name = 'measures.csv') {
  return agent.post(url).field('_csrf', csrf).attach('file', typeof text === 'string' ? Buffer.from(text, 'utf8') : text, name);
}

const measuresOf = (ctx: Awaited<ReturnType<typeof setUp>>, key: string) =>
  ctx.services.repos.cases.measuresOf(ctx.caseRow(key).id).map((m) => [m.variable, m.year, m.value]);

describe('the cases list', () => {
  it('shows every case in order with key, group, one column per attribute, measures count and raters', async () => {
    const { lead, base } = await withCases();
    const res = await lead.agent.get(base);
    expect(res.status).toBe(200);
    const table = /<table class="cases-table">[\s\S]*?<\/table>/.exec(res.text)![0];
    expect(table).toContain('<caption>2 cases, in their order</caption>');
    const heads = [...table.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(heads).toEqual(['Name', 'Key', 'Group', 'joint', 'inhabitants', 'region', 'Measures', 'Fieldwork', 'Raters']);
    const rows = [...table.matchAll(/<tr>\s*<th scope="row">([\s\S]*?)<\/tr>/g)].map((m) =>
      m[1]!.replace(/<[^>]+>/g, '|').split('|').map((s) => s.trim()).filter(Boolean));
    // Zwolle was added first: position order, not alphabetical.
    expect(rows).toEqual([
      ['Zwolle', 'zwolle', 'overschot', 'no', '130000', 'Overijssel', '1', '0 interview(s) held, 0 approved, 0 document(s)'],
      ['Dordrecht', 'dordrecht', 'tekort', 'yes', '119000.5', '3', '0 interview(s) held, 0 approved, 0 document(s)', 'Rob Researcher, Lena Lead'],
    ]);
    expect(res.text).toContain(`href="${base}/dordrecht"`);
    expect(res.text).toContain(`href="${base}/new"`);
    expect(res.text).toContain(`href="${base}/measures"`);
  });

  it('offers no change links to a viewer, and says what to do when there are no cases', async () => {
    const { app, base, lead } = await setUp();
    const viewer = await loginAs(app, 'viewer@example.org');
    const empty = await viewer.agent.get(base);
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('This study has no cases yet.');
    expect(empty.text).toContain('A project lead or researcher adds the cases');
    expect(empty.text).not.toContain(`href="${base}/new"`);
    expect(empty.text).not.toContain(`action="${base}/attributes"`);
    const forLead = await lead.agent.get(base);
    expect(forLead.text).toContain('Add the first case with “New case”');
    expect(forLead.text).toContain(`action="${base}/attributes"`);
  });

  it('loads with the same number of statements for 2 and for 30 cases', async () => {
    const ctx = await setUp();
    const { lead, base, counter, services, studyId, leadId, resId } = ctx;
    services.cases.addAttributeType(studyId, leadId, 'size', 'number');
    services.cases.addAttributeType(studyId, leadId, 'joint', 'boolean');
    const add = (i: number) => {
      ctx.addCase(`c${i}`, { attributes: { size: i, joint: i % 2 === 0 }, measures: [{ variable: 'hve', year: 2022, value: i }, { variable: 'x', year: null, value: 1 }] });
      const id = ctx.caseRow(`c${i}`).id;
      services.repos.cases.insertRater(id, resId, 0);
      services.repos.cases.insertRater(id, leadId, 1);
    };
    for (let i = 1; i <= 2; i++) add(i);
    await lead.agent.get(base); // warm-up: the session's first save
    counter.reset();
    const two = await lead.agent.get(base);
    const withTwo = counter.count;
    for (let i = 3; i <= 30; i++) add(i);
    counter.reset();
    const thirty = await lead.agent.get(base);
    const withThirty = counter.count;
    expect(two.text.match(/<th scope="row">/g)).toHaveLength(2);
    expect(thirty.text.match(/<th scope="row">/g)).toHaveLength(30);
    expect(withThirty).toBe(withTwo);
    // Session, user, study and role, then the page's three (types, cases with counts, raters).
    expect(withTwo).toBeLessThanOrEqual(8);
  });
});

describe('the case page', () => {
  it('a reload comes from the page cache, and a change made by another process (the CLI) shows at once', async () => {
    const { lead, base, dataDir, counter } = await withCases();
    const first = await lead.agent.get(`${base}/dordrecht`);
    counter.reset();
    expect((await lead.agent.get(`${base}/dordrecht`)).text).toBe(first.text);
    expect(counter.statements.some((sql) => /FROM evidence|FROM interviews/.test(sql))).toBe(false);
    const cli = new Database(path.join(dataDir, 'kader.db'));
    cli.prepare("UPDATE cases SET name = 'Dordrecht-Zuid' WHERE key = 'dordrecht'").run();
    cli.close();
    expect((await lead.agent.get(`${base}/dordrecht`)).text).toContain('<h1>Dordrecht-Zuid</h1>');
  });

  it('shows name, key, pseudonym, group, the rendered selection reason, typed attributes, measures and raters', async () => {
    const { lead, base } = await withCases();
    const res = await lead.agent.get(`${base}/dordrecht`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Dordrecht</h1>');
    expect(res.text).toContain('<code>dordrecht</code>');
    expect(res.text).toContain('Gemeente 7');
    expect(res.text).toContain('tekort');
    expect(res.text).toContain('<p>Large <em>deficit</em> in 2022</p>');
    expect(res.text).toMatch(/<dt>joint<\/dt><dd>yes<\/dd>/);
    expect(res.text).toMatch(/<dt>inhabitants<\/dt><dd>119000.5<\/dd>/);
    // Declared but not set for this case.
    expect(res.text).toMatch(/<dt>region<\/dt><dd>unknown<\/dd>/);
    const measures = [...res.text.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>([^<]*)<\/td><td class="num">([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(measures).toEqual([['hve', '2021', '-12.5'], ['hve', '2022', '-10'], ['1.b', '—', '30.2']]);
    expect(res.text).toContain('Rob Researcher <span class="muted">(res@example.org)</span>');
    expect(res.text).toContain('No interviews logged for this case yet.');
    expect(res.text).toContain(`href="${base}/dordrecht/edit"`);
  });

  it('answers 404 for an unknown key', async () => {
    const { lead, base } = await withCases();
    expect((await lead.agent.get(`${base}/nowhere`)).status).toBe(404);
    expect((await lead.agent.get(`${base}/nowhere/edit`)).status).toBe(404);
  });

  it('finds a case whose key needs URL encoding', async () => {
    const { lead, base, addCase } = await setUp();
    addCase('Súdwest-Fryslân', { name: 'Súdwest-Fryslân' });
    const list = await lead.agent.get(base);
    expect(list.text).toContain(`href="${base}/S%C3%BAdwest-Frysl%C3%A2n"`);
    const res = await lead.agent.get(`${base}/S%C3%BAdwest-Frysl%C3%A2n`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Súdwest-Fryslân</h1>');
  });
});

describe('creating and editing cases', () => {
  it('a researcher creates a case with typed attributes and measures; the audit log has it', async () => {
    const { app, base, services, studyId, leadId, caseRow, audits } = await setUp();
    services.cases.addAttributeType(studyId, leadId, 'inhabitants', 'number');
    services.cases.addAttributeType(studyId, leadId, 'joint', 'boolean');
    services.cases.addAttributeType(studyId, leadId, 'region', 'text');
    services.cases.addAttributeType(studyId, leadId, 'coastal', 'boolean');
    const res = await loginAs(app, 'res@example.org');
    const form = await res.agent.get(`${base}/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('type="number" id="f-attr_inhabitants"');
    expect(form.text).toMatch(/<select id="f-attr_joint" name="attr_joint"[^>]*>\s*<option value="" selected>unknown<\/option>\s*<option value="yes">yes<\/option>\s*<option value="no">no<\/option>/);
    expect(form.text).toContain('name="measure_variable_0"');
    // Pseudonym and aliases are the lead's: not on a researcher's form.
    expect(form.text).not.toContain('name="pseudonym"');
    expect(form.text).not.toContain('name="aliases"');
    const saved = await res.agent.post(base).type('form').send({
      _csrf: res.csrf, key: 'dordrecht', name: 'Dordrecht', group: 'tekort', selectionReason: 'Because.',
      attr_inhabitants: '119000,5', attr_joint: 'yes', attr_region: 'Zuid-Holland', attr_coastal: '',
      measure_variable_0: 'hve', measure_year_0: '2022', measure_value_0: '-12.5',
      measure_variable_1: '', measure_year_1: '', measure_value_1: '',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${base}/dordrecht`);
    const row = caseRow('dordrecht');
    expect(JSON.parse(row.attributes)).toEqual({ inhabitants: 119000.5, joint: true, region: 'Zuid-Holland' });
    expect(row).toMatchObject({ name: 'Dordrecht', pseudonym: null, grp: 'tekort', selection_reason: 'Because.', version: 1, position: 0 });
    expect(services.repos.cases.measuresOf(row.id).map((m) => [m.variable, m.year, m.value])).toEqual([['hve', 2022, -12.5]]);
    const [entry] = audits();
    expect(entry).toMatchObject({ entity: 'case', action: 'create', entityId: row.id, before: null });
    expect(entry!.after).toEqual({
      key: 'dordrecht', name: 'Dordrecht', pseudonym: null, group: 'tekort', selectionReason: 'Because.',
      attributes: { inhabitants: 119000.5, joint: true, region: 'Zuid-Holland' },
      measures: [{ variable: 'hve', year: 2022, value: -12.5 }], version: 1,
    });
    const page = await res.agent.get(saved.headers.location!);
    expect(page.text).toContain('Case “Dordrecht” was added.');
  });

  it('refuses invalid input with 422, errors next to the fields and the input kept', async () => {
    const { lead, base, services, studyId, leadId } = await setUp();
    services.cases.addAttributeType(studyId, leadId, 'inhabitants', 'number');
    const res = await lead.agent.post(base).type('form').send({
      _csrf: lead.csrf, key: 'bad key!', name: '', group: 'mijn groep', selectionReason: 'Mijn lange tekst',
      attr_inhabitants: 'veel', measure_variable_0: 'hve', measure_year_0: '22', measure_value_0: '1',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="bad key!"');
    expect(res.text).toContain('value="mijn groep"');
    expect(res.text).toContain('>Mijn lange tekst</textarea>');
    expect(res.text).toContain('value="veel"');
    expect(res.text).toMatch(/id="f-key-error">Use only letters, digits/);
    expect(res.text).toContain('id="f-name-error">Fill in this field.');
    expect(res.text).toContain('id="f-attr_inhabitants-error">Enter a number');
    expect(res.text).toContain('id="f-measure_year_0-error">Enter a year of four digits');
    expect(services.repos.cases.count(studyId)).toBe(0);
  });

  it('refuses a key the study already has', async () => {
    const { lead, base, addCase } = await setUp();
    addCase('k1');
    const res = await lead.agent.post(base).type('form').send({ _csrf: lead.csrf, key: 'k1', name: 'Another' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The study already has a case with the key “k1”.');
    expect(res.text).toContain('value="Another"');
  });

  it('an edit raises the version and is logged with before and after', async () => {
    const { lead, base, caseRow, audits } = await withCases();
    const form = await lead.agent.get(`${base}/dordrecht/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('<input type="hidden" name="version" value="1">');
    expect(form.text).toContain('value="Dordrecht"');
    expect(form.text).toMatch(/<option value="yes" selected>yes<\/option>/);
    expect(form.text).toContain('name="measure_variable_3"'); // three measures and an empty row
    const res = await lead.agent.post(`${base}/dordrecht`).type('form').send({
      _csrf: lead.csrf, version: '1', name: 'Dordrecht', pseudonym: 'Gemeente 7', group: 'veranderd', selectionReason: 'Large *deficit* in 2022',
      attr_joint: 'no', attr_inhabitants: '', attr_region: 'Zuid-Holland',
      measure_variable_0: 'hve', measure_year_0: '2021', measure_value_0: '-12.5',
      measure_variable_1: '', measure_year_1: '', measure_value_1: '', // removes hve 2022
      measure_variable_2: '1.b', measure_year_2: '', measure_value_2: '31',
      measure_variable_3: 'hve', measure_year_3: '2023', measure_value_3: '2,25',
    });
    expect(res.status).toBe(303);
    const row = caseRow('dordrecht');
    expect(row.version).toBe(2);
    expect(row.grp).toBe('veranderd');
    expect(JSON.parse(row.attributes)).toEqual({ joint: false, region: 'Zuid-Holland' });
    const [entry] = audits();
    expect(entry).toMatchObject({ entity: 'case', action: 'update', entityId: row.id });
    expect(entry!.before).toMatchObject({
      group: 'tekort', version: 1, attributes: { joint: true, inhabitants: 119000.5 },
      measures: [{ variable: 'hve', year: 2021, value: -12.5 }, { variable: 'hve', year: 2022, value: -10 }, { variable: '1.b', year: null, value: 30.2 }],
    });
    expect(entry!.after).toMatchObject({
      group: 'veranderd', version: 2, attributes: { joint: false, region: 'Zuid-Holland' },
      measures: [{ variable: 'hve', year: 2021, value: -12.5 }, { variable: '1.b', year: null, value: 31 }, { variable: 'hve', year: 2023, value: 2.25 }],
    });
  });

  it('refuses a stale form with 422, keeps the user’s text and changes nothing', async () => {
    const { app, lead, base, caseRow } = await withCases();
    const res = await loginAs(app, 'res@example.org');
    const fields = { name: 'Dordrecht', pseudonym: 'Gemeente 7', selectionReason: 'Large *deficit* in 2022', attr_joint: 'yes', attr_inhabitants: '119000.5' };
    // The lead saves first…
    const first = await lead.agent.post(`${base}/dordrecht`).type('form').send({ _csrf: lead.csrf, version: '1', ...fields, group: 'overschot' });
    expect(first.status).toBe(303);
    // …then the researcher sends the form they opened at version 1.
    const stale = await res.agent.post(`${base}/dordrecht`).type('form').send({
      _csrf: res.csrf, version: '1', ...fields, group: 'tekort', selectionReason: 'Mijn zorgvuldig geschreven toelichting',
    });
    expect(stale.status).toBe(422);
    expect(stale.text).toContain('Someone else saved this case while you were editing (it is now at version 2). Nothing was saved.');
    expect(stale.text).toContain('>Mijn zorgvuldig geschreven toelichting</textarea>');
    expect(stale.text).toContain('value="tekort"');
    // What is saved now and differs from the form, so the user can decide.
    expect(stale.text).toMatch(/<dt>Group<\/dt><dd class="saved-value">overschot<\/dd>/);
    expect(stale.text).toMatch(/<dt>Why this case was selected<\/dt><dd class="saved-value">Large \*deficit\* in 2022<\/dd>/);
    // The form now carries the saved version: saving again is a deliberate overwrite.
    expect(stale.text).toContain('<input type="hidden" name="version" value="2">');
    const row = caseRow('dordrecht');
    expect(row.version).toBe(2);
    expect(row.grp).toBe('overschot');
    expect(row.selection_reason).toBe('Large *deficit* in 2022');
  });

  it('answers a form without a version with 400', async () => {
    const { lead, base } = await withCases();
    const res = await lead.agent.post(`${base}/dordrecht`).type('form').send({ _csrf: lead.csrf, name: 'X' });
    expect(res.status).toBe(400);
  });

  it('a researcher can edit; a viewer cannot (403)', async () => {
    const { app, base, caseRow } = await withCases();
    const researcher = await loginAs(app, 'res@example.org');
    expect((await researcher.agent.get(`${base}/zwolle/edit`)).status).toBe(200);
    const ok = await researcher.agent.post(`${base}/zwolle`).type('form').send({ _csrf: researcher.csrf, version: '1', name: 'Zwolle (gewijzigd)' });
    expect(ok.status).toBe(303);
    expect(caseRow('zwolle').name).toBe('Zwolle (gewijzigd)');
    const viewer = await loginAs(app, 'viewer@example.org');
    expect((await viewer.agent.get(`${base}/zwolle`)).status).toBe(200);
    expect((await viewer.agent.get(`${base}/zwolle`)).text).not.toContain(`href="${base}/zwolle/edit"`);
    expect((await viewer.agent.get(`${base}/zwolle/edit`)).status).toBe(403);
    const refused = await viewer.agent.post(`${base}/zwolle`).type('form').send({ _csrf: viewer.csrf, version: '2', name: 'Hacked' });
    expect(refused.status).toBe(403);
    expect((await viewer.agent.get(`${base}/new`)).status).toBe(403);
    expect(caseRow('zwolle').name).toBe('Zwolle (gewijzigd)');
  });
});

describe('pseudonyms and aliases are the lead’s', () => {
  it('a researcher’s form has neither; an edit without them keeps them; posting them is refused with the form back as typed', async () => {
    const { app, base, caseRow, lead, services, studyId, leadId } = await withCases();
    services.anonymise.saveAliases(studyId, leadId, [{ key: 'dordrecht', aliases: ['Dordt'] }]);
    const researcher = await loginAs(app, 'res@example.org');
    const form = await researcher.agent.get(`${base}/dordrecht/edit`);
    expect(form.status).toBe(200);
    expect(form.text).not.toContain('name="pseudonym"');
    expect(form.text).not.toContain('name="aliases"');
    expect(form.text).not.toContain('Gemeente 7');
    expect(form.text).not.toContain('Dordt');
    // The lead's form has both.
    const leadForm = await lead.agent.get(`${base}/dordrecht/edit`);
    expect(leadForm.text).toContain('name="pseudonym"');
    expect(leadForm.text).toContain('>Dordt</textarea>');

    const version = () => String(caseRow('dordrecht').version);
    const fields = { name: 'Dordrecht', group: 'tekort', selectionReason: 'Nieuw', attr_joint: 'yes', attr_inhabitants: '119000.5' };
    const saved = await researcher.agent.post(`${base}/dordrecht`).type('form').send({ _csrf: researcher.csrf, version: version(), ...fields });
    expect(saved.status).toBe(303);
    expect(caseRow('dordrecht')).toMatchObject({ pseudonym: 'Gemeente 7', selection_reason: 'Nieuw', aliases: '["Dordt"]' });

    for (const sent of [{ pseudonym: 'Gemeente 1' }, { pseudonym: '' }, { aliases: 'Dordt\nDordtse' }]) {
      const refused = await researcher.agent.post(`${base}/dordrecht`).type('form').send({ _csrf: researcher.csrf, version: version(), ...fields, selectionReason: 'Mijn tekst', ...sent });
      expect(refused.status, JSON.stringify(sent)).toBe(422);
      expect(refused.text).toContain('Only a lead sets a case’s pseudonym and aliases; nothing was saved.');
      expect(refused.text).toContain('>Mijn tekst</textarea>');
      expect(refused.text).not.toContain('name="pseudonym"');
    }
    // Sending what is saved changes nothing of theirs: allowed (a form opened before the change).
    const same = await researcher.agent.post(`${base}/dordrecht`).type('form').send({ _csrf: researcher.csrf, version: version(), ...fields, pseudonym: 'Gemeente 7', aliases: 'Dordt' });
    expect(same.status).toBe(303);
    expect(caseRow('dordrecht')).toMatchObject({ pseudonym: 'Gemeente 7', aliases: '["Dordt"]', selection_reason: 'Nieuw' });

    // A new case: none of them from a researcher.
    const created = await researcher.agent.post(base).type('form').send({ _csrf: researcher.csrf, key: 'ede', name: 'Ede', pseudonym: 'Gemeente 3' });
    expect(created.status).toBe(422);
    expect(created.text).toContain('Only a lead sets');
    expect(caseRow('ede')).toBeUndefined();
  });

  it('refuses a pseudonym that is, or holds, a name, alias or key of any case (letter case and accents ignored), on its field, the form kept', async () => {
    const { lead, base, caseRow, services, studyId, leadId } = await withCases();
    services.anonymise.saveAliases(studyId, leadId, [{ key: 'zwolle', aliases: ['Zwolse'] }]);
    const fields = { _csrf: lead.csrf, name: 'Dordrecht', group: 'tekort', selectionReason: 'Mijn tekst', attr_joint: 'yes', attr_inhabitants: '119000.5' };
    for (const pseudonym of ['ZWOLLE', 'Zwölle', 'zwolse', 'Regio Zwolle', 'Dordrecht', 'DORDRECHT 2']) {
      const refused = await lead.agent.post(`${base}/dordrecht`).type('form').send({ ...fields, version: String(caseRow('dordrecht').version), pseudonym });
      expect(refused.status, pseudonym).toBe(422);
      expect(refused.text).toMatch(/would give a case away: it holds “(Zwolle|Zwolse|Dordrecht)”, the name, an alias or the key of case (zwolle|dordrecht)\./);
      expect(refused.text).toContain(`value="${pseudonym}"`);
      expect(refused.text).toContain('>Mijn tekst</textarea>');
    }
    expect(caseRow('dordrecht').pseudonym).toBe('Gemeente 7');
    // A new case's name that another case's pseudonym holds is refused too, on the name.
    const named = await lead.agent.post(base).type('form').send({ _csrf: lead.csrf, key: 'g7', name: 'Gemeente 7' });
    expect(named.status).toBe(422);
    expect(named.text).toContain('“Gemeente 7” is part of “Gemeente 7”, the pseudonym of case dordrecht');
    expect(caseRow('g7')).toBeUndefined();
  });
});

describe('attribute types', () => {
  it('a lead adds a type; it becomes a column and a field; a duplicate key is refused', async () => {
    const { lead, base, services, studyId, audits } = await setUp();
    const res = await lead.agent.post(`${base}/attributes`).type('form').send({ _csrf: lead.csrf, key: 'sizeClass', type: 'text' });
    expect(res.status).toBe(303);
    expect(services.cases.attributeTypes(studyId).map((t) => [t.key, t.type])).toEqual([['sizeClass', 'text']]);
    expect(audits()[0]).toMatchObject({ entity: 'case-attribute-type', action: 'create', after: { key: 'sizeClass', type: 'text' } });
    expect((await lead.agent.get(`${base}/new`)).text).toContain('name="attr_sizeClass"');
    const again = await lead.agent.post(`${base}/attributes`).type('form').send({ _csrf: lead.csrf, key: 'sizeClass', type: 'number' });
    expect(again.status).toBe(422);
    expect(again.text).toContain('The study already has an attribute “sizeClass”.');
  });

  it('refuses a type that values the cases already have do not fit; a researcher may not add types', async () => {
    const { app, lead, base, addCase } = await setUp();
    addCase('k1', { attributes: { gr: 'ja' } });
    const res = await lead.agent.post(`${base}/attributes`).type('form').send({ _csrf: lead.csrf, key: 'gr', type: 'boolean' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Case K1 already has the value “ja” for this attribute'); // the case by name (K1), not by key (k1)
    // Undeclared attributes (e.g. from an imported file) are still shown, and named for the lead.
    expect(res.text).toContain('without a declared type (e.g. from an imported file): gr.');
    const researcher = await loginAs(app, 'res@example.org');
    expect((await researcher.agent.post(`${base}/attributes`).type('form').send({ _csrf: researcher.csrf, key: 'x', type: 'text' })).status).toBe(403);
  });

  it('an edit keeps an attribute whose field the form did not have', async () => {
    const { lead, base, addCase, caseRow } = await setUp();
    addCase('k1', { attributes: { fromFile: 'kept' } });
    const res = await lead.agent.post(`${base}/k1`).type('form').send({ _csrf: lead.csrf, version: '1', name: 'K1' });
    expect(res.status).toBe(303);
    expect(JSON.parse(caseRow('k1').attributes)).toEqual({ fromFile: 'kept' });
  });
});

describe('measures import from CSV', () => {
  it('imports by key and by name, replaces existing values, and says how many', async () => {
    const ctx = await withCases();
    const { lead, base, caseRow, audits } = ctx;
    const page = await lead.agent.get(`${base}/measures`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('a decimal comma (&#34;12,5&#34;');
    const csv = '\uFEFFcase,variable,value,year\r\ndordrecht,hve,-11.75,2022\r\nZwolle,hve,"5,5",2023\r\n\r\n"Dordrecht",uitstroom,8,\r\n';
    const res = await upload(lead.agent, lead.csrf, `${base}/measures`, csv, 'cijfers.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${base}/measures`);
    const after = await lead.agent.get(res.headers.location!);
    expect(after.text).toContain('3 values imported from cijfers.csv (1 of them replaced an earlier value).');
    // dordrecht hve 2022 was -10 and is now -11.75 (same place); uitstroom is added at the end.
    expect(measuresOf(ctx, 'dordrecht')).toEqual([['hve', 2021, -12.5], ['hve', 2022, -11.75], ['1.b', null, 30.2], ['uitstroom', null, 8]]);
    expect(measuresOf(ctx, 'zwolle')).toEqual([['hve', 2022, 4.5], ['hve', 2023, 5.5]]);
    // Both cases changed: a form opened before the import is stale now.
    expect(caseRow('dordrecht').version).toBe(2);
    expect(caseRow('zwolle').version).toBe(2);
    const [entry] = audits();
    expect(entry).toMatchObject({
      entity: 'case', action: 'import-measures',
      before: { replacedValues: [{ case: 'dordrecht', variable: 'hve', year: 2022, value: -10 }] },
      after: { file: 'cijfers.csv', count: 3, replaced: 1 },
    });
    const list = await lead.agent.get(base);
    expect(list.text).toMatch(/<td class="num">4<\/td>/);
  });

  it('reports every bad row with its line and stores nothing', async () => {
    const ctx = await withCases();
    const { lead, base, audits } = ctx;
    const before = audits().length;
    const csv = [
      'case,variable,value,year',
      'dordrecht,hve,1,2024', //      2: fine, but not stored
      'rotterdam,hve,1,2024', //      3: unknown case
      'zwolle,hve,veel,2024', //      4: not a number
      'zwolle,hve,2,24', //           5: bad year
      'Dordrecht,hve,3,2024', //      6: same as line 2
    ].join('\n');
    const res = await upload(lead.agent, lead.csrf, `${base}/measures`, csv, 'fout.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('fout.csv was not imported; nothing was stored. 4 problems:');
    const items = [...res.text.matchAll(/<li>(Line \d+: [^<]*)<\/li>/g)].map((m) => m[1]);
    expect(items).toEqual([
      'Line 3: Unknown case “rotterdam” (not a key or name of a case of this study).',
      'Line 4: “veel” is not a number.',
      'Line 5: “24” is not a year of four digits.',
      'Line 6: The same case, variable and year as line 2.',
    ]);
    expect(measuresOf(ctx, 'dordrecht')).toEqual([['hve', 2021, -12.5], ['hve', 2022, -10], ['1.b', null, 30.2]]);
    expect(ctx.caseRow('dordrecht').version).toBe(1);
    expect(audits()).toHaveLength(before);
  });

  it('reports a file that is not UTF-8, a broken quote, and a missing file', async () => {
    const { lead, base } = await withCases();
    const latin1 = Buffer.from([...Buffer.from('case,variable,value\nzwolle,'), 0xe9, ...Buffer.from(',1\n')]);
    const notUtf8 = await upload(lead.agent, lead.csrf, `${base}/measures`, latin1);
    expect(notUtf8.status).toBe(422);
    expect(notUtf8.text).toContain('The file is not UTF-8 text.');
    const broken = await upload(lead.agent, lead.csrf, `${base}/measures`, 'case,variable,value\nzwolle,"hve,1\n');
    expect(broken.status).toBe(422);
    expect(broken.text).toContain('Line 2: A quoted field starts here but its closing quote is missing.');
    const none = await lead.agent.post(`${base}/measures`).field('_csrf', lead.csrf);
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choose a CSV file to import.');
  });

  it('says so when the file is larger than 5 MB, and stores nothing', async () => {
    const ctx = await withCases();
    const { lead, base } = ctx;
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 'a');
    const res = await upload(lead.agent, lead.csrf, `${base}/measures`, big, 'big.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('The file is larger than 5 MB.');
    expect(measuresOf(ctx, 'zwolle')).toEqual([['hve', 2022, 4.5]]);
  });

  it('refuses an upload without the CSRF token, and a viewer', async () => {
    const ctx = await withCases();
    const { app, lead, base } = ctx;
    const noToken = await lead.agent.post(`${base}/measures`).attach('file', Buffer.from('case,variable,value\nzwolle,x,1\n'), 'm.csv');
    expect(noToken.status).toBe(403);
    const viewer = await loginAs(app, 'viewer@example.org');
    expect((await upload(viewer.agent, viewer.csrf, `${base}/measures`, 'case,variable,value\nzwolle,x,1\n')).status).toBe(403);
    expect(measuresOf(ctx, 'zwolle')).toEqual([['hve', 2022, 4.5]]);
  });
});

describe('escaping of user text', () => {
  it('a case name and selection reason with script and onerror payloads never appear unescaped', async () => {
    const { lead, base, services, studyId, leadId } = await setUp();
    services.cases.addAttributeType(studyId, leadId, 'region', 'text');
    const name = '<script>alert("name")</script><img src=x onerror=alert(1)>';
    const reason = 'Reason <script>alert("reason")</script> and <img src=x onerror="alert(2)"> and [link](javascript:alert(3))';
    const created = await lead.agent.post(base).type('form').send({
      _csrf: lead.csrf, key: 'xss', name, group: '<b>g</b>', selectionReason: reason, attr_region: '<script>alert("attr")</script>',
      measure_variable_0: '<img src=y onerror=alert(4)>', measure_year_0: '', measure_value_0: '1',
    });
    expect(created.status).toBe(303);
    const pages = [
      await lead.agent.get(base),
      await lead.agent.get(`${base}/xss`),
      await lead.agent.get(`${base}/xss/edit`),
      await upload(lead.agent, lead.csrf, `${base}/measures`, 'case,variable,value\n"<script>alert(5)</script>",x,1\n'),
    ];
    for (const page of pages) {
      expect(page.status).toBeLessThan(500);
      expect(page.text).not.toMatch(/<script>alert/);
      expect(page.text).not.toMatch(/<img src=[xy] onerror/);
      expect(page.text).not.toMatch(/href="javascript:/);
      expect(page.text).not.toContain('<b>g</b>');
    }
    expect(pages[1]!.text).toContain('&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;');
    expect(pages[3]!.text).toContain('Unknown case “&lt;script&gt;alert(5)&lt;/script&gt;”');
  });
});
