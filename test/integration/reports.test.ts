// Reports end to end on real repositories: a case report (HTML and Word) for every case of a generated
// study with ready and blind cases, the anonymised switch checked with the leak finder, templates with
// placeholders (and hostile templates, names and narratives that must stay text), the templates page
// (save, unknown placeholders, stale form, reset, audit), blinding, and the statement count.
import { readZip } from '../../server/lib/zip.ts';
import { XMLValidator } from 'fast-xml-parser';
import type { Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { findLeaks, replacementsOf } from '../../server/anonymise/anonymise.rules.ts';
import { renderReportHtml } from '../../server/reports/reports.html.ts';
import type { ReportContent } from '../../server/reports/reports.blocks.ts';
import type { Services } from '../../server/services.ts';
import type { StudyFileInput } from '../../server/studyfile/studyfile.schema.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp, type Agent, type TestContext } from '../helpers/app.ts';

const LEAD = 'lead@example.org';
const A = 'a@example.org';
const B = 'b@example.org';
const VIEWER = 'viewer@example.org';

const NAMES = ['Utrecht', 'Amersfoort', 'Den Bosch', 'Zwolle', 'Leeuwarden', 'Groningen'];
const nameOf = (i: number) => NAMES[i - 1] ?? `Stad${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${i}`;
/** The first case is also called "Dordt" in the texts (an alias). */
const ALIAS = 'Dordt';

/** Scores of rater A and B for case i on each rated condition; 2.a differs by one point (reconciled). */
const scoresOf = (i: number) => ({ '1.a': [(i % 5) + 1, (i % 5) + 1], '2.a': [((i + 1) % 4) + 1, ((i + 1) % 4) + 2], '2.b': [((i + 2) % 5) + 1, ((i + 2) % 5) + 1] });
const rationale = (i: number, code: string, rater: string, blind: boolean) => `${blind ? 'SECRET' : 'Rationale'}-c${i}-${code.replace('.', '')}-${rater === A ? 'A' : 'B'}`;

/**
 * n cases, c1 … c(n−2) ready (both raters submitted, 2.a reconciled), c(n−1) blind (A submitted, B a
 * draft), cn without ratings. Every case has an interview, a document whose title and an evidence
 * quote name the case, and a narrative that names the case, its alias and another case.
 */
function generatedStudy(n: number, options: { pseudonyms?: boolean } = {}): StudyFileInput {
  const cases = Array.from({ length: n }, (_, k) => k + 1);
  const permutation = cases.map((i) => ((i * 5) % n) + 1);
  const ready = (i: number) => i <= n - 2;
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'Budget study', question: 'Why do budgets differ?', language: 'en' },
    framework: {
      title: 'Budget framework',
      levels: [0, 1, 2].map((number) => ({ number, name: `Level ${number}` })),
      conditions: [
        { code: '0', level: 0, name: 'Budget result', polarity: 'higher-is-favourable', kind: 'measured' },
        { code: '1.a', level: 1, name: 'Outflow to work', polarity: 'higher-is-favourable', kind: 'rated' },
        { code: '2.a', level: 2, name: 'Inflow restriction', polarity: 'higher-is-favourable', kind: 'rated' },
        { code: '2.b', level: 2, name: 'Case load', polarity: 'lower-is-favourable', kind: 'rated' },
      ],
      relations: [
        { from: '2.a', to: '1.a' },
        { from: '2.b', to: '1.a' },
        { from: '1.a', to: '0' },
      ],
    },
    roles: [{ name: 'Director' }, { name: 'Team lead' }],
    members: [
      { email: LEAD, name: 'Lead', role: 'lead' },
      { email: A, name: 'Rater A', role: 'researcher' },
      { email: B, name: 'Rater B', role: 'researcher' },
      { email: VIEWER, name: 'Viewer', role: 'viewer' },
    ],
    cases: cases.map((i) => ({
      key: `c${i}`,
      name: nameOf(i),
      ...(options.pseudonyms === false ? {} : { pseudonym: `Gemeente ${permutation[i - 1]}` }),
      group: i % 2 ? 'deficit' : 'surplus',
      attributes: { size: i % 3 ? 'large' : 'small', joint: i % 2 === 0 },
      measures: { '0': i * 1.5 - 4 },
      selectionReason: `Chosen because ${nameOf(i)} had a deficit.`,
      raters: [A, B],
    })),
    ratings: cases.flatMap((i) =>
      i === n
        ? []
        : Object.entries(scoresOf(i)).flatMap(([code, [a, b]]) => [
            { case: `c${i}`, condition: code, rater: A, score: a!, rationale: rationale(i, code, A, !ready(i)), submitted: true },
            { case: `c${i}`, condition: code, rater: B, score: b!, rationale: rationale(i, code, B, !ready(i)), submitted: ready(i) },
          ]),
    ),
    reconciliations: cases.filter(ready).map((i) => ({ case: `c${i}`, condition: '2.a', score: scoresOf(i)['2.a'][1]!, note: `Note-c${i}-2a: settled for ${nameOf(i)}.`, by: LEAD })),
    interviews: cases.map((i) => ({ key: `i${i}`, case: `c${i}`, date: `2023-0${(i % 9) + 1}-1${i % 10}`, roles: ['Director', 'Team lead'], participants: 2, status: 'approved', interviewers: [A] })),
    documents: cases.map((i) => ({ key: `d${i}`, case: `c${i}`, title: `Policy plan ${nameOf(i)}`, kind: 'plan', date: '2022-05-01', filename: `plan-${i}.pdf` })),
    evidence: cases.map((i) => ({ case: `c${i}`, condition: '1.a', source: `i${i}`, quote: `Quote-c${i}: in ${nameOf(i)} people find work.`, locator: 'p. 2' })),
    caseAnalyses: cases.filter(ready).map((i) => ({
      case: `c${i}`,
      explanationDegree: 'fair',
      narrative: `${nameOf(i)} is fairly explained; compare with ${nameOf(i === 1 ? 2 : 1)} (also known as ${ALIAS}).`,
    })),
  };
}

async function importDoc(services: Services, doc: StudyFileInput): Promise<number> {
  const result = validateStudyFile(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
  return (await services.studyFile.importer.run(result.doc, { owner: null, actorId: null })).studyId;
}

interface Setup {
  ctx: TestContext;
  id: number;
  viewer: Agent;
  lead: { agent: Agent; csrf: string };
}

async function setUp(n = 6, options: { pseudonyms?: boolean } = {}): Promise<Setup> {
  const ctx = testApp({ clock: () => new Date('2024-03-01T10:00:00Z'), env: { LOG_LEVEL: 'error' } });
  for (const email of [LEAD, A, B, VIEWER]) await makeUser(ctx.services, { email });
  const id = await importDoc(ctx.services, generatedStudy(n, options));
  ctx.db.prepare("UPDATE cases SET aliases = ? WHERE study_id = ? AND key = 'c1'").run(JSON.stringify([ALIAS]), id);
  // The import gives every case a pseudonym; a study whose pseudonyms are not assigned yet has none.
  if (options.pseudonyms === false) ctx.db.prepare('UPDATE cases SET pseudonym = NULL WHERE study_id = ?').run(id);
  return { ctx, id, viewer: (await loginAs(ctx.app, VIEWER)).agent, lead: await loginAs(ctx.app, LEAD) };
}

/** The response body as a Buffer (supertest leaves binary types unparsed otherwise). */
const binary = (res: NodeJS.ReadableStream & { on: Function }, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function docx(agent: Agent, url: string): Promise<{ res: Response; files: Map<string, string> }> {
  const res = await agent.get(url).buffer(true).parse(binary as never);
  return { res, files: res.status === 200 ? unzip(res.body as Buffer) : new Map() };
}

/** The entries of a ZIP file as text. */
const unzip = (buf: Buffer): Map<string, string> => new Map([...readZip(buf)].map(([name, bytes]) => [name, bytes.toString('utf8')]));

const unescapeXml = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&');

/** The text runs of word/document.xml, joined by `sep`. */
const wordText = (files: Map<string, string>, sep = ' ') => [...(files.get('word/document.xml') ?? '').matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescapeXml(m[1]!)).join(sep);

/** The page's text without tags, entities decoded, for leak checks of what a reader sees and what the source holds. */
const pageText = (html: string) => unescapeXml(html.replace(/&#39;/g, "'").replace(/<[^>]+>/g, ' '));

/** The anonymised case report of a case: addressed by its pseudonymous key, never by its real key. */
const anonymisedHref = (ctx: TestContext, studyId: number, key: string) =>
  `/studies/${studyId}/anonymised/cases/${ctx.services.anonymise.pseudonymKeyOf(studyId, key)!}/report`;

function replacementsFor(ctx: TestContext, studyId: number) {
  const rows = ctx.db.prepare<[number], { name: string; pseudonym: string; aliases: string }>('SELECT name, pseudonym, aliases FROM cases WHERE study_id = ?').all(studyId);
  return replacementsOf(rows.map((r) => ({ name: r.name, pseudonym: r.pseudonym, aliases: JSON.parse(r.aliases) as string[] })));
}

describe('reports.routes case report for every case of a generated study', () => {
  it('renders every case report with its final scores, and the Word file holds the scores and rationales', async () => {
    const { ctx, id, viewer } = await setUp(6);
    const model = ctx.services.analysis.model(id);
    for (const c of model.cases) {
      const res = await viewer.get(`/studies/${id}/cases/${c.key}/report`);
      expect(res.status, c.key).toBe(200);
      expect(res.text).toContain(`<h1>${c.name}</h1>`);
      expect(res.text).toContain('Why do budgets differ?');
      expect(res.text).not.toMatch(/class="site-header"|class="study-nav"/);

      const { res: word, files } = await docx(viewer, `/studies/${id}/cases/${c.key}/report.docx`);
      expect(word.status, c.key).toBe(200);
      expect(word.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(word.headers['content-disposition']).toBe(`attachment; filename="kader-${id}-${c.key}-report.docx"`);
      const xml = files.get('word/document.xml')!;
      expect(XMLValidator.validate(xml)).toBe(true);
      const text = wordText(files);
      expect(text).toContain(c.name);
      expect(files.get('word/footer1.xml') ?? [...files.entries()].find(([k]) => k.startsWith('word/footer'))?.[1]).toMatch(/PAGE/);

      const cells = model.cells[c.key]!;
      const i = Number(c.key.slice(1));
      // A ready case's within-case diagram is in the Word file as an SVG picture, drawn with the case's name.
      const svgs = [...files.entries()].filter(([k]) => /^word\/media\/.+\.svg$/.test(k)).map(([, v]) => v);
      expect(svgs.length, c.key).toBe(c.ready ? 1 : 0);
      if (c.ready) expect(svgs[0]).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      if (c.ready) {
        for (const code of ['1.a', '2.a', '2.b']) {
          const cell = cells[code]!;
          const label = cell.source === 'agreed' ? 'raters agreed' : 'reconciled';
          expect(res.text, `${c.key} ${code}`).toContain(`<td>${cell.raw} (${label})</td>`);
          expect(text, `${c.key} ${code}`).toContain(`${cell.raw} (${label})`);
          for (const rater of [A, B]) {
            expect(res.text).toContain(rationale(i, code, rater, false));
            expect(text).toContain(rationale(i, code, rater, false));
          }
        }
        expect(res.text).toContain(`Note-c${i}-2a`);
        expect(text).toContain(`Note-c${i}-2a`);
        expect(res.text).toContain('fairly explained');
        expect(res.text).toContain('<svg'); // the within-case diagram
        expect(text).toContain('Conditions by level with their class'); // its content as tables in Word
      } else {
        expect(Object.keys(cells)).toEqual(['0']); // only the measure: no final scores
        expect(res.text).toContain('Not every rater of this case has submitted yet');
      }
      // Evidence, interviews (roles and dates), documents.
      expect(res.text).toContain(`Quote-c${i}`);
      expect(res.text).toContain('Director, Team lead');
      expect(res.text).toContain(`Policy plan ${c.name}`);
      expect(text).toContain(`Quote-c${i}`);
      expect(text).toContain(`Policy plan ${c.name}`);
    }
  });

  it('answers 404 for an unknown case and keeps non-members out', async () => {
    const { ctx, id, viewer } = await setUp(3);
    expect((await viewer.get(`/studies/${id}/cases/nope/report`)).status).toBe(404);
    expect((await viewer.get(`/studies/${id}/cases/nope/report.docx`)).status).toBe(404);
    await makeUser(ctx.services, { email: 'outsider@example.org' });
    const outsider = (await loginAs(ctx.app, 'outsider@example.org')).agent;
    expect([403, 404]).toContain((await outsider.get(`/studies/${id}/cases/c1/report`)).status);
  });

  it('never shows a blind case’s ratings or rationales in any report, to a viewer or a lead', async () => {
    const { ctx, id, viewer, lead } = await setUp(6);
    const urls = [
      ...['c1', 'c5', 'c6'].flatMap((k) => [`/studies/${id}/cases/${k}/report`, anonymisedHref(ctx, id, k)]),
      `/studies/${id}/report`,
      `/studies/${id}/report?anonymised=1`,
    ];
    for (const agent of [viewer, lead.agent]) {
      for (const url of urls) {
        const res = await agent.get(url);
        expect(res.status, url).toBe(200);
        expect(res.text, url).not.toContain('SECRET');
        const { files } = await docx(agent, url.replace('/report', '/report.docx'));
        expect([...files.values()].join('\n'), url).not.toContain('SECRET');
      }
    }
    // Once the last rater submits, the rationales appear.
    const caseRow = ctx.services.repos.cases.findByKey(id, 'c5')!;
    const raterB = ctx.services.repos.users.findByEmail(B)!.id;
    ctx.services.repos.ratings.submit(caseRow.id, raterB, new Date().toISOString());
    expect((await viewer.get(`/studies/${id}/cases/c5/report`)).text).toContain('SECRET-c5-1a-A');
  });
});

describe('reports.routes anonymised', () => {
  it('contains no real case name or alias anywhere, while the normal report does', async () => {
    const { ctx, id, viewer } = await setUp(6);
    const replacements = replacementsFor(ctx, id);
    for (const key of ['c1', 'c2', 'c5']) {
      const normal = await viewer.get(`/studies/${id}/cases/${key}/report`);
      expect(findLeaks(pageText(normal.text), replacements).length, key).toBeGreaterThan(0);
      const { files: normalWord } = await docx(viewer, `/studies/${id}/cases/${key}/report.docx`);
      expect(findLeaks(wordText(normalWord), replacements).length).toBeGreaterThan(0);

      const anonymised = await viewer.get(anonymisedHref(ctx, id, key));
      expect(anonymised.status).toBe(200);
      expect(findLeaks(anonymised.text, replacements), key).toEqual([]);
      expect(findLeaks(pageText(anonymised.text), replacements), key).toEqual([]);
      const pseudonym = ctx.services.repos.cases.findByKey(id, key)!.pseudonym!;
      expect(anonymised.text).toContain(`<h1>${pseudonym}</h1>`);

      const { res, files } = await docx(viewer, `${anonymisedHref(ctx, id, key)}.docx`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).not.toContain(key);
      for (const [name, content] of files) expect(findLeaks(content, replacements), `${key} ${name}`).toEqual([]);
      expect(findLeaks(wordText(files), replacements)).toEqual([]);
      expect(wordText(files)).toContain(pseudonym);
    }
    // The narrative of c1 named the case, its alias and another case: all replaced, the text kept.
    const c1 = await viewer.get(anonymisedHref(ctx, id, 'c1'));
    const [p1, p2] = ['c1', 'c2'].map((k) => ctx.services.repos.cases.findByKey(id, k)!.pseudonym!);
    expect(c1.text).toContain(`${p1} is fairly explained; compare with ${p2} (also known as ${p1}).`);

    for (const url of [`/studies/${id}/report`, `/studies/${id}/report?anonymised=1`]) {
      const res = await viewer.get(url);
      expect(res.status).toBe(200);
      const { files } = await docx(viewer, url.replace('/report', '/report.docx'));
      if (url.includes('anonymised')) {
        expect(findLeaks(res.text, replacements)).toEqual([]);
        for (const [name, content] of files) expect(findLeaks(content, replacements), name).toEqual([]);
      } else {
        expect(findLeaks(pageText(res.text), replacements).length).toBeGreaterThan(0);
        expect(findLeaks(wordText(files), replacements).length).toBeGreaterThan(0);
      }
    }
  });

  it('lists cases by pseudonym in the anonymised cross-case report', async () => {
    const { id, viewer } = await setUp(6);
    const res = await viewer.get(`/studies/${id}/report?anonymised=1`);
    const order = [...res.text.matchAll(/<th scope="row">(Gemeente \d+)<\/th>/g)].map((m) => m[1]!);
    expect(order).toHaveLength(6);
    // Within each outcome group, pseudonyms ascend.
    const byGroup = (g: string) => [...res.text.matchAll(new RegExp(`<th scope="row">(Gemeente \\d+)</th><td>${g}</td>`, 'g'))].map((m) => Number(m[1]!.split(' ')[1]));
    for (const g of ['deficit', 'surplus']) {
      const numbers = byGroup(g);
      expect(numbers.length).toBe(3);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    }
  });

  it('refuses an anonymised report while a case has no pseudonym, saying what to do', async () => {
    const { id, viewer } = await setUp(3, { pseudonyms: false });
    const pseudonymous = `/studies/${id}/anonymised/cases/gemeente-1/report`;
    for (const url of [
      `/studies/${id}/cases/c1/report?anonymised=1`,
      `/studies/${id}/cases/c1/report.docx?anonymised=1`,
      pseudonymous,
      `${pseudonymous}.docx`,
      `/studies/${id}/report?anonymised=1`,
      `/studies/${id}/report.docx?anonymised=1`,
    ]) {
      const res = await viewer.get(url).set('Accept', 'text/html');
      expect(res.status, url).toBe(409);
      expect(res.text).toContain('needs a pseudonym for every case, and 3 case(s) have none yet');
      expect(res.text).toContain('Anonymisation page');
    }
    expect((await viewer.get(`/studies/${id}/cases/c1/report`)).status).toBe(200);
  });
});

describe('reports.routes anonymised case report address', () => {
  /** A study whose third case has a key that is neither its name nor in any text, so that any trace of it is a leak. */
  const REAL_KEY = 'kx-7731';
  async function keyed() {
    const ctx = testApp({ clock: () => new Date('2024-03-01T10:00:00Z'), env: { LOG_LEVEL: 'error' } });
    for (const email of [LEAD, A, B, VIEWER]) await makeUser(ctx.services, { email });
    const doc = JSON.parse(JSON.stringify(generatedStudy(4)).replaceAll('"c3"', `"${REAL_KEY}"`)) as StudyFileInput;
    const id = await importDoc(ctx.services, doc);
    const row = ctx.services.repos.cases.findByKey(id, REAL_KEY)!;
    const pseudonymKey = ctx.services.anonymise.pseudonymKeyOf(id, REAL_KEY)!;
    return { ctx, id, row, pseudonymKey, viewer: (await loginAs(ctx.app, VIEWER)).agent };
  }

  it('serves the anonymised case report and its Word file at the pseudonymous key, with neither the real name nor the real key', async () => {
    const { ctx, id, row, pseudonymKey, viewer } = await keyed();
    expect(pseudonymKey).toBe(`gemeente-${row.pseudonym!.split(' ')[1]}`);
    const url = `/studies/${id}/anonymised/cases/${pseudonymKey}/report`;
    const page = await viewer.get(url);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<h1>${row.pseudonym}</h1>`);
    expect(page.text).toContain('Anonymised</span>');
    expect(page.text.toLowerCase()).not.toContain(REAL_KEY);
    expect(page.text).not.toContain(row.name);
    expect(findLeaks(pageText(page.text), replacementsFor(ctx, id))).toEqual([]);
    // Its links: the Word file beside it, back to the cases list, the anonymised cross-case report; none to the real key.
    expect(page.text).toContain('href="report.docx"');
    expect(page.text).toContain(`href="/studies/${id}/cases"`);
    expect(page.text).toContain(`href="/studies/${id}/report?anonymised=1"`);

    const { res, files } = await docx(viewer, `${url}.docx`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="kader-${id}-${pseudonymKey}-anonymised-report.docx"`);
    for (const [name, content] of files) {
      expect(content.toLowerCase(), name).not.toContain(REAL_KEY);
      expect(content, name).not.toContain(row.name);
    }
    expect(wordText(files)).toContain(row.pseudonym!);
  });

  it('never serves anonymised content at the real key: that address redirects to the pseudonymous one', async () => {
    const { ctx, id, row, pseudonymKey, viewer } = await keyed();
    const real = `/studies/${id}/cases/${REAL_KEY}/report`;
    for (const [from, to] of [
      [`${real}?anonymised=1`, `/studies/${id}/anonymised/cases/${pseudonymKey}/report`],
      [`${real}.docx?anonymised=1`, `/studies/${id}/anonymised/cases/${pseudonymKey}/report.docx`],
    ] as const) {
      const res = await viewer.get(from);
      expect(res.status, from).toBe(302);
      expect(res.headers.location).toBe(to);
      expect(res.text, from).not.toContain(row.pseudonym!);
    }
    // The normal report (real names) links to the anonymised one by its pseudonymous address.
    const normal = await viewer.get(real);
    expect(normal.status).toBe(200);
    expect(normal.text).toContain(`<h1>${row.name}</h1>`);
    expect(normal.text).toContain(`href="/studies/${id}/anonymised/cases/${pseudonymKey}/report"`);
    expect(normal.text).not.toContain('anonymised=1"');
    // A real key is no pseudonymous key; an unknown case is 404 either way.
    expect((await viewer.get(`/studies/${id}/anonymised/cases/${REAL_KEY}/report`)).status).toBe(404);
    expect((await viewer.get(`/studies/${id}/anonymised/cases/gemeente-99/report.docx`)).status).toBe(404);
    expect((await viewer.get(`/studies/${id}/cases/nope/report?anonymised=1`)).status).toBe(404);
    // Only members.
    await makeUser(ctx.services, { email: 'outsider@example.org' });
    const outsider = (await loginAs(ctx.app, 'outsider@example.org')).agent;
    expect([403, 404]).toContain((await outsider.get(`/studies/${id}/anonymised/cases/${pseudonymKey}/report`)).status);
  });

  it('follows regenerated pseudonyms: the old pseudonymous address is gone, the new one serves the case', async () => {
    const { ctx, id, row, pseudonymKey, viewer } = await keyed();
    const leadId = ctx.services.repos.users.findByEmail(LEAD)!.id;
    let next = pseudonymKey;
    for (let i = 0; i < 10 && next === pseudonymKey; i++) {
      ctx.services.anonymise.regenerate(id, leadId);
      next = ctx.services.anonymise.pseudonymKeyOf(id, REAL_KEY)!;
    }
    expect(next).not.toBe(pseudonymKey);
    const res = await viewer.get(`/studies/${id}/anonymised/cases/${next}/report`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1>${ctx.services.repos.cases.findByKey(id, REAL_KEY)!.pseudonym}</h1>`);
    expect(res.text).not.toContain(row.name);
  });
});

describe('reports.routes cross-case report', () => {
  it('shows the study, framework, totals and degrees, the heat map, statistics and correlations', async () => {
    const { ctx, id, viewer } = await setUp(6);
    const model = ctx.services.analysis.model(id);
    const res = await viewer.get(`/studies/${id}/report`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Budget study</h1>');
    expect(res.text).toContain('Budget framework');
    expect(res.text).toContain('Heat map: final value and class');
    expect(res.text).toContain('Pearson r');
    expect(res.text).toMatch(/<td class="tone tone--(low|medium|high) num">\d/);
    const c1 = model.cases.find((c) => c.key === 'c1')!;
    expect(res.text).toContain(`<th scope="row">Utrecht</th><td>deficit</td><td>available</td>`);
    expect(c1.explanationDegree).toBe('fair');
    expect(model.correlations.length).toBeGreaterThan(0);

    const { res: word, files } = await docx(viewer, `/studies/${id}/report.docx`);
    expect(word.status).toBe(200);
    expect(word.headers['content-disposition']).toBe(`attachment; filename="kader-${id}-cross-case-report.docx"`);
    const xml = files.get('word/document.xml')!;
    expect(xml).toContain('w:orient="landscape"');
    const text = wordText(files);
    for (const name of NAMES) expect(text).toContain(name);
    expect(text).toContain('Correlations with the measures');
  });

  it('reads the case report in a constant number of statements (3 versus 20 cases)', async () => {
    const counts: number[] = [];
    const crossCounts: number[] = [];
    for (const n of [3, 20]) {
      const { ctx, id, viewer } = await setUp(n);
      await viewer.get(`/studies/${id}/cases/c1/report`);
      ctx.counter.reset();
      expect((await viewer.get(`/studies/${id}/cases/c1/report`)).status).toBe(200);
      counts.push(ctx.counter.count);
      ctx.counter.reset();
      expect((await viewer.get(`/studies/${id}/report`)).status).toBe(200);
      crossCounts.push(ctx.counter.count);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(crossCounts[1]).toBe(crossCounts[0]);
  });
});

describe('reports templates and placeholders', () => {
  const content: ReportContent = {
    title: 'T',
    texts: { 'case.name': '<script>alert("name")</script> {{section.scores}}', 'study.title': 'A & B' },
    blocks: { 'section.scores': [{ type: 'paragraph', text: 'SCORES-BLOCK <b>x</b>' }], 'case.narrative': [{ type: 'markdown', source: 'Text <script>alert(1)</script> {{section.scores}} <img src=x onerror=alert(1)>\n\n**bold**' }] },
  };

  it('substitutes text placeholders as escaped text and sections as built blocks, in one pass', () => {
    const html = renderReportHtml('# {{ case.name }}\n\nBy **{{study.title}}**\n\n{{section.scores}}\n\n{{case.narrative}}\n\n{{unknown.thing}}', content);
    expect(html).toContain('<h1>&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; {{section.scores}}</h1>');
    expect(html).toContain('<strong>A &amp; B</strong>');
    expect(html.match(/SCORES-BLOCK/g)).toHaveLength(1); // "{{section.scores}}" inside a value is not expanded
    expect(html).toContain('SCORES-BLOCK &lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<img|onerror="|<b>/);
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('{{unknown.thing}}');
  });

  it('keeps a hostile template from injecting HTML, also through links', () => {
    const html = renderReportHtml(
      '<script>alert(1)</script>\n\n<div onclick="x()">{{case.name}}</div>\n\n[link](javascript:alert(1)) [t]({{case.name}}) <a href="{{case.name}}">a</a>\n\n`{{study.title}}`',
      { ...content, texts: { ...content.texts, 'case.name': 'javascript:alert(1)' } },
    );
    expect(html).not.toMatch(/<script|<div|onclick=|href="javascript|<a href="[^"]*alert/);
    expect(html).toContain('<code>A &amp; B</code>');
  });

  it('lets a lead save, use and reset a template; unknown placeholders and stale forms are refused; all audited', async () => {
    const { ctx, id, viewer, lead } = await setUp(3);
    const page = await lead.agent.get(`/studies/${id}/report-templates`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('{{section.scores}}');
    expect(page.text).toContain('{{section.heatmap}}');
    expect((await viewer.get(`/studies/${id}/report-templates`)).status).toBe(403);

    const hostile = '# Report on {{case.name}} <script>alert(1)</script>\n\nDegree: **{{case.explanationDegree}}**\n\n{{section.scores}}\n\n{{case.narrative}}\n';
    const save = (body: string, updatedAt = '') =>
      lead.agent.post(`/studies/${id}/report-templates`).type('form').send({ _csrf: lead.csrf, kind: 'case', body, updatedAt });

    const unknown = await save('Hello {{case.nmae}} and {{section.everything}}');
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('{{case.nmae}}, {{section.everything}}');
    expect(unknown.text).toContain('Hello {{case.nmae}}'); // the input is kept
    // A section placeholder repeated (thousands of copies made reports of gigabytes) is refused.
    const repeated = await save('{{section.scores}}\n\n{{section.scores}}');
    expect(repeated.status).toBe(422);
    expect(repeated.text).toContain('Each section appears once in a report; this template repeats {{section.scores}}.');
    const many = await save('{{case.name}} '.repeat(201));
    expect(many.status).toBe(422);
    expect(many.text).toContain('A template holds at most 200 placeholders.');

    expect((await save(hostile)).status).toBe(303);
    const stale = await save('# {{case.name}}', '');
    expect(stale.status).toBe(422);
    expect(stale.text).toContain('Someone saved this template after you opened it');

    // A hostile narrative as well.
    ctx.services.analysis.setCaseAnalysis(id, 'c1', ctx.services.repos.users.findByEmail(LEAD)!.id, {
      explanationDegree: 'good',
      narrative: 'Explained <script>alert("n")</script> {{section.scores}} <img src=x onerror=alert(2)>',
    });
    const report = await viewer.get(`/studies/${id}/cases/c1/report`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('<h1>Report on Utrecht &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(report.text).toContain('Degree: <strong>good</strong>');
    expect(report.text).not.toMatch(/<script|<img|onerror=/);
    expect(report.text.match(/data-placeholder="section\.scores"/g)).toHaveLength(1);
    expect(report.text).toContain('{{section.scores}}'); // the narrative's braces stay text
    expect(report.text).not.toContain('data-placeholder="section.evidence"'); // not in this template

    const { files } = await docx(viewer, `/studies/${id}/cases/c1/report.docx`);
    expect(XMLValidator.validate(files.get('word/document.xml')!)).toBe(true);
    const text = wordText(files, '');
    expect(text).toContain('Report on Utrecht <script>alert(1)</script>');
    expect(text).toContain('{{section.scores}}');
    expect(text).toContain(rationale(1, '1.a', A, false));

    // Reset: the built-in template again; both changes are in the audit log.
    const reset = await lead.agent.post(`/studies/${id}/report-templates/reset`).type('form').send({ _csrf: lead.csrf, kind: 'case' });
    expect(reset.status).toBe(303);
    expect((await viewer.get(`/studies/${id}/cases/c1/report`)).text).toContain('data-placeholder="section.evidence"');
    const actions = ctx.db.prepare<[number], { action: string }>("SELECT action FROM audit_log WHERE study_id = ? AND entity = 'report-template' ORDER BY id").all(id);
    expect(actions.map((a) => a.action)).toEqual(['report-template-save', 'report-template-reset']);
  });

  it('uses the built-in template in the study’s language', async () => {
    const ctx = testApp();
    await makeUser(ctx.services, { email: LEAD });
    const doc = generatedStudy(3);
    const id = await importDoc(ctx.services, { ...doc, study: { ...doc.study, language: 'nl' } });
    const { agent } = await loginAs(ctx.app, LEAD);
    const res = await agent.get(`/studies/${id}/cases/c1/report`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h2>Scores per conditie</h2>');
    expect(res.text).toContain('beoordelaars eens');
    expect(res.text).toMatch(/<html lang="nl">/);
  });
});
