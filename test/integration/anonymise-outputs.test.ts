// Anonymised outputs keep no trace of a real case (issue 13, point 3): with cases keyed "oost" and
// "swf", a name written with and without its accents ("Súdwest-Fryslân", "SUDWEST FRYSLAN"), and
// interview and document keys made of case keys ("oost-1", "oost-doc-2"), no anonymised output — the
// study file, every CSV, JSON and XLSX download, every report as page and as Word file — holds a real
// key, name or alias, in any form; the study file still validates and imports with every reference
// resolved. The leak check reads every one of those outputs and finds what was planted in each; and a
// walk over every route of the app fails on an anonymised response the leak check does not read.
import { describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { OUTPUT_FORMATS } from '../../server/anonymise/anonymise.formats.ts';
import { readZip } from '../../server/lib/zip.ts';
import type { StudyFileInput } from '../../server/studyfile/studyfile.schema.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { CSV_TABLES, WORKBOOKS } from '../../server/exports/exports.service.ts';
import { loginAs, makeUser, testApp, type Agent } from '../helpers/app.ts';
import { A, ACCENTED, ACCENTED_SECRETS, B, folded, importAccentedStudy, importStudy, LEAD } from './anonymise.fixture.ts';

async function setUp(options: { planted?: boolean } = {}) {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: LEAD });
  await makeUser(ctx.services, { email: A });
  await makeUser(ctx.services, { email: B });
  const studyId = await importAccentedStudy(ctx.services, options);
  const lead = await loginAs(ctx.app, LEAD);
  const pseudonymKey = (key: string) => ctx.services.anonymise.pseudonymKeyOf(studyId, key)!;
  return { ...ctx, leadId, studyId, lead, pseudonymKey };
}

/** Every text of a file as a reader could get at it: a ZIP archive's parts, markup entities decoded. */
function wholeText(file: string | Buffer): string {
  const text = typeof file === 'string' ? file : file[0] === 0x50 && file[1] === 0x4b ? [...readZip(file).values()].map((b) => b.toString('utf8')).join('\n') : file.toString('utf8');
  return text.replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d))).replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)));
}

/** The secrets (keys, names, aliases, folded) a file still holds as plain substrings. */
const secretsIn = (file: string | Buffer) => {
  const text = folded(wholeText(file));
  return ACCENTED_SECRETS.filter((s) => text.includes(s));
};

describe('anonymised outputs of a study with accented names and keys made of case keys', () => {
  it('hold no real key, name or alias in any form, in any output; the leak check agrees', async () => {
    const { services, studyId, leadId } = await setUp();
    const outputs = services.leakCheck.outputs(studyId, leadId);
    // Every kind of output is there: the study file, 11 CSV, the agreement JSON, 5 workbooks, and both reports of the cross-case report and of every case.
    expect(outputs.length).toBe(1 + 3 + Object.keys(CSV_TABLES).length + 1 + WORKBOOKS.length + 2 + 2 * ACCENTED.length);
    expect(new Set(outputs.map((o) => o.format))).toEqual(new Set(Object.keys(OUTPUT_FORMATS)));
    for (const output of outputs) {
      const file = await output.write();
      expect(secretsIn(file), output.href).toEqual([]);
      expect(secretsIn(output.href), output.href).toEqual([]);
    }
    expect((await services.leakCheck.check(studyId, leadId)).leaks).toEqual([]);
  });

  it('the study file: interview and document keys made of pseudonymous keys, references resolve, it validates and imports again', async () => {
    const { services, studyId, pseudonymKey } = await setUp();
    const doc = services.studyFile.exporter.run(studyId, 'unblinded', services.anonymise.context(studyId));
    const oost = pseudonymKey('oost');
    const swf = pseudonymKey('swf');
    expect(doc.interviews!.map((i) => [i.case, i.key]).sort()).toEqual([[oost, `${oost}-1`], [oost, `${oost}-2`], [swf, `${swf}-1`]].sort());
    expect(doc.documents!.map((d) => [d.case, d.key]).sort()).toEqual([[oost, `${oost}-d1`], [swf, `${swf}-d1`]].sort());
    // The evidence and the ratings' citations name the same sources, now by their new keys.
    expect(doc.evidence!.map((e) => e.source).sort()).toEqual([`${oost}-1`, `${oost}-d1`, `${swf}-d1`].sort());
    const citations = doc.ratings!.flatMap((r) => (r.evidence ?? []).map((e) => [r.case, e.source]));
    expect(citations.sort()).toEqual([[oost, `${oost}-1`], [swf, `${swf}-d1`]].sort());
    // A key written in a note becomes the same key the interview now has.
    const note = doc.interviews!.find((i) => i.key === `${oost}-1`)!.notes!;
    expect(note).toContain(`Zie ook ${oost}-2`);
    expect(note).toContain(`/studies/1/cases/${oost}/report`);
    expect(doc.interviews!.find((i) => i.key === `${swf}-1`)!.notes).toMatch(/^In Gemeente \d+ en Gemeente \d+ \(Gemeente \d+\) werkt men samen met Gemeente \d+\.$/);
    expect(note).toContain(`het plan ${oost}-d1`);
    expect(doc.evidence!.find((e) => e.source === `${oost}-d1`)!.locator).toBe(`p. 4 van ${oost}-d1`);
    expect(doc.documents!.find((d) => d.key === `${oost}-d1`)!.filename).toBe(`${oost}-beleidsplan.pdf`);

    const valid = validateStudyFile(doc);
    expect(valid.ok, JSON.stringify(valid.ok ? [] : valid.problems.slice(0, 3))).toBe(true);
    const again = await importStudy(services, JSON.parse(JSON.stringify(doc)) as StudyFileInput);
    expect(services.repos.evidence.list(again).length).toBe(services.repos.evidence.list(studyId).length);
    // Its cases are named by the old pseudonyms; their new pseudonyms give none of those away.
    const cases = services.repos.cases.list(again);
    expect(cases.map((c) => c.name).sort()).toEqual(services.repos.cases.list(studyId).map((c) => c.pseudonym).sort());
    for (const c of cases) expect(cases.map((x) => folded(x.name))).not.toContain(folded(c.pseudonym!));
  });
});

describe('the leak check reads every anonymised output', () => {
  it('finds what anonymisation cannot mend, in every output and so in every format: names inside words, and a pseudonym from before the rule that holds a name', async () => {
    const { services, studyId, leadId } = await setUp({ planted: true });
    // A pseudonym that holds another case's name, stored before pseudonyms were checked: every output about cases shows it.
    const lwd = services.repos.cases.findByKey(studyId, 'lwd')!;
    services.repos.cases.setPseudonym(lwd.id, 'Regio Oost-Groningen 3', new Date().toISOString());
    const { leaks, more } = await services.leakCheck.check(studyId, leadId);
    expect(more).toBe(false);
    const hrefs = services.leakCheck.outputs(studyId, leadId).map((o) => o.href);
    const withLeaks = new Set(leaks.map((l) => l.output));
    expect(hrefs.filter((h) => !withLeaks.has(h))).toEqual([]);
    expect(new Set(leaks.map((l) => l.format))).toEqual(new Set(Object.keys(OUTPUT_FORMATS)));
    // The planted texts, where they are.
    const found = (text: string) => leaks.filter((l) => l.text === text).map((l) => `${l.format} ${l.location}`);
    expect(found('Súdwest-Fryslânske')).toEqual(expect.arrayContaining([expect.stringMatching(/^json interviews\[\d\]\.notes$/)]));
    expect(found('oostindex')).toEqual(expect.arrayContaining(['csv header', expect.stringMatching(/^xlsx correlations!/)]));
    expect(found('Leeuwardens').some((w) => w.startsWith('docx word/document.xml'))).toBe(true);
    // The case report of that case is addressed by its pseudonymous key, which holds the name.
    expect(leaks.filter((l) => l.name === 'Oost-Groningen' && l.text === 'oost-groningen' && l.format === 'html' && l.location === 'address')).toHaveLength(1);
  });

  it('the page lists the findings with the output they are in, linked, and its format', async () => {
    const { services, studyId, lead, pseudonymKey } = await setUp({ planted: true });
    services.anonymise.assignMissing(studyId, services.repos.users.findByEmail(LEAD)!.id);
    const before = await lead.agent.get(`/studies/${studyId}/anonymisation`);
    expect(before.text).toContain('The check has not run yet.');
    expect(before.text).not.toContain('<mark>');
    const run = await lead.agent.post(`/studies/${studyId}/anonymisation/leak-check`).type('form').send({ _csrf: lead.csrf });
    expect(run.status).toBe(303);
    const page = await lead.agent.get(`/studies/${studyId}/anonymisation`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Checked at \d{4}-\d\d-\d\d \d\d:\d\d UTC; nothing has changed since\./);
    expect(page.text).toContain(`<a href="/studies/${studyId}/exports/study.json?anonymised=1">exports/study.json</a> <span class="muted">(JSON)</span>`);
    expect(page.text).toContain(`<a href="/studies/${studyId}/anonymised/cases/${pseudonymKey('swf')}/report.docx">anonymised/cases/${pseudonymKey('swf')}/report.docx</a> <span class="muted">(Word)</span>`);
    expect(page.text).toContain('<mark>Súdwest-Fryslânske</mark>');
  });
});

// ───────────────────────────── Every anonymised response of the app is read by the leak check ─────────────────────────────

/** supertest buffers any answer as bytes when asked to. */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/** The response to a GET, redirects followed (within the app), as bytes. */
async function fetchBytes(agent: Agent, url: string): Promise<{ url: string; redirected: boolean; status: number; body: Buffer; fileName: string }> {
  for (let hops = 0; hops < 3; hops++) {
    const res = await agent.get(url).buffer(true).parse(binary as never);
    if (res.status >= 300 && res.status < 400 && res.headers.location?.startsWith('/')) {
      url = res.headers.location;
      continue;
    }
    return { url, redirected: hops > 0, status: res.status, body: res.body as Buffer, fileName: String(res.headers['content-disposition'] ?? '') };
  }
  throw new Error(`too many redirects from ${url}`);
}

/**
 * Pages that answer `?anonymised=1` without being an anonymised output, each with its reason. Keep
 * this small: any other route whose answer changes with the switch is an anonymised output.
 */
const SWITCH_ONLY = new Map<string, string>([['/studies/:id/exports', 'the list of downloads: with the switch, it links the anonymised ones']]);

describe('every anonymised output the app serves is one the leak check reads', () => {
  it('walks every GET route with and without the anonymised switch: each anonymised answer is in the leak check’s list and holds no secret', async () => {
    const { app, services, studyId, leadId, lead, pseudonymKey } = await setUp();
    const study = services.repos.studies.findById(studyId)!;
    const framework = services.repos.framework.load(studyId, study.framework_title, study.framework_revision);
    const interview = 'oost-1';
    const params: Record<string, string[]> = {
      id: [String(studyId)],
      case: ACCENTED.map((c) => c.key),
      pseudokey: ACCENTED.map((c) => pseudonymKey(c.key)),
      code: ['1.a'],
      rater: [String(leadId)],
      userId: [String(leadId)],
      token: ['not-a-real-token'],
      conditionId: [String([...framework.conditionIds.values()][0])],
      interview: [interview],
      doc: ['oost-doc-2'],
      evidenceId: [String(services.repos.evidence.list(studyId)[0]!.id)],
      role: [String(services.repos.guides.roles(studyId)[0]!.id)],
      question: [String(services.repos.guides.questions(studyId)[0]!.id)],
      table: Object.keys(CSV_TABLES),
      workbook: [...WORKBOOKS],
    };
    const checked = new Set(services.leakCheck.outputs(studyId, leadId).map((o) => o.href));
    const unfilled: string[] = [];
    const served = new Set<string>();
    let anonymisedCount = 0;
    for (const route of app.routeTable) {
      if (route.method !== 'get' || SWITCH_ONLY.has(route.path)) continue;
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      if (names.some((n) => !params[n])) {
        unfilled.push(route.path);
        continue;
      }
      let urls = [route.path];
      for (const name of names) urls = urls.flatMap((u) => params[name]!.map((v) => u.replace(`:${name}`, encodeURIComponent(v))));
      for (const url of urls) {
        // An address under /anonymised/ is anonymised as such; any other takes the switch.
        let anonymised = route.path.includes('/anonymised/');
        const switched = await fetchBytes(lead.agent, anonymised ? url : `${url}?anonymised=1`);
        if (switched.status === 200) served.add(switched.url);
        if (!anonymised && switched.status === 200) {
          const plain = await fetchBytes(lead.agent, url);
          anonymised = (switched.redirected && switched.url !== plain.url) || !switched.body.equals(plain.body);
        }
        if (!anonymised || switched.status !== 200) continue;
        anonymisedCount++;
        expect(checked.has(switched.url), `GET ${switched.url} is anonymised but not read by the leak check (anonymise.leaks.ts outputs)`).toBe(true);
        expect(secretsIn(switched.body), switched.url).toEqual([]);
        expect(secretsIn(switched.fileName), `${switched.url}: ${switched.fileName}`).toEqual([]);
      }
    }
    expect(unfilled, 'GET routes this walk cannot fill: give their parameters in params').toEqual([]);
    // The walk tells anonymised answers apart (outputs without a case or name in them read the same either way).
    expect(anonymisedCount).toBeGreaterThan(20);
    // And the other way: every output the leak check reads is an address the app serves.
    expect([...checked].filter((href) => !served.has(href))).toEqual([]);
  }, 120_000);
});
