// Markdown users write is shown formatted, never as raw syntax (issue 14.11): the research question in
// the case and cross-case reports (HTML and Word), reduction reasons on their page and in the report,
// evidence quotes in reports, and search snippets as plain text with the hit marked.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdownInline } from '../../server/lib/markdown.ts';
import { HIT_END, HIT_START } from '../../server/search/search.repo.ts';
import { snippetHtml } from '../../server/search/search.view.ts';
import type { StudyFileInput } from '../../server/studyfile/studyfile.schema.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp, type Agent } from '../helpers/app.ts';

const LEAD = 'lead@example.org';
const A = 'a@example.org';
const B = 'b@example.org';

const QUESTION = 'Waarom heeft de ene gemeente een **tekort** en de andere _niet_?';

function study(): StudyFileInput {
  const cases = [1, 2, 3, 4];
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'Tekortenstudie', question: QUESTION, language: 'nl' },
    framework: {
      title: 'F',
      levels: [0, 1, 2].map((number) => ({ number, name: `Niveau ${number}` })),
      conditions: [
        { code: '0', level: 0, name: 'Resultaat', polarity: 'higher-is-favourable', kind: 'measured' },
        { code: '1.a', level: 1, name: 'Uitstroom', polarity: 'higher-is-favourable', kind: 'rated' },
        { code: '2.a', level: 2, name: 'Handhaving', polarity: 'higher-is-favourable', kind: 'rated' },
      ],
      relations: [{ from: '2.a', to: '1.a' }, { from: '1.a', to: '0' }],
    },
    roles: [{ name: 'Wethouder' }],
    members: [
      { email: LEAD, name: 'Lead', role: 'lead' },
      { email: A, name: 'Rater A', role: 'researcher' },
      { email: B, name: 'Rater B', role: 'researcher' },
    ],
    cases: cases.map((i) => ({ key: `c${i}`, name: `Stad ${i}`, group: i % 2 ? 'tekort' : 'overschot', measures: { '0': i }, raters: [A, B] })),
    ratings: cases.flatMap((i) =>
      ['1.a', '2.a'].flatMap((code) => [A, B].map((rater) => ({ case: `c${i}`, condition: code, rater, score: i, rationale: 'Ok.', submitted: true }))),
    ),
    interviews: cases.map((i) => ({ key: `i${i}`, case: `c${i}`, date: '2024-01-01', roles: ['Wethouder'], notes: `De gemeente had een **tekort** op het budget van ${i} miljoen.`, status: 'held' })),
    evidence: cases.map((i) => ({ case: `c${i}`, condition: '1.a', source: `i${i}`, quote: `een **tekort** op het budget`, locator: '' })),
    reductions: [{ condition: '2.a', method: 2, reason: 'Geen **onderscheidend** vermogen in _deze_ gemeenten.', by: LEAD }],
  };
}

/** The entries of a ZIP file (stored or deflated) as text, read from the central directory. */
function unzip(buf: Buffer): Map<string, string> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(offset + 10);
    const size = buf.readUInt32LE(offset + 20);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const local = buf.readUInt32LE(offset + 42);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8'));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

const binary = (res: NodeJS.ReadableStream & { on: Function }, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

async function wordXml(agent: Agent, url: string): Promise<string> {
  const res = await agent.get(url).buffer(true).parse(binary as never);
  expect(res.status, url).toBe(200);
  return unzip(res.body as Buffer).get('word/document.xml')!;
}

/** The runs of a Word document: their text and whether they are bold or italic. */
const runs = (xml: string) =>
  [...xml.matchAll(/<w:r>(?:<w:rPr>([\s\S]*?)<\/w:rPr>)?<w:t(?:\s[^>]*)?>([^<]*)<\/w:t><\/w:r>/g)].map((m) => ({ text: m[2]!, bold: /<w:b\/>|<w:b /.test(m[1] ?? ''), italic: /<w:i\/>|<w:i /.test(m[1] ?? '') }));

async function setUp() {
  const ctx = testApp({ clock: () => new Date('2024-03-01T10:00:00Z'), env: { LOG_LEVEL: 'error' } });
  for (const email of [LEAD, A, B]) await makeUser(ctx.services, { email });
  const valid = validateStudyFile(study());
  if (!valid.ok) throw new Error(JSON.stringify(valid.problems.slice(0, 5)));
  const { studyId } = await ctx.services.studyFile.importer.run(valid.doc, { owner: null, actorId: null });
  return { ctx, id: studyId, lead: (await loginAs(ctx.app, LEAD)).agent };
}

describe('Markdown in reports and pages', () => {
  it('the research question is formatted in the case and cross-case reports, never shown with raw asterisks', async () => {
    const { id, lead } = await setUp();
    for (const url of [`/studies/${id}/cases/c1/report`, `/studies/${id}/report`]) {
      const html = (await lead.get(url)).text;
      expect(html, url).toContain('<strong>tekort</strong>');
      expect(html, url).toContain('<em>niet</em>');
      expect(html, url).not.toContain('**tekort**');
      expect(html, url).not.toContain('_niet_');
    }
  });

  it('the Word reports carry the question’s bold and italics as formatted runs, not as asterisks', async () => {
    const { id, lead } = await setUp();
    for (const url of [`/studies/${id}/cases/c1/report.docx`, `/studies/${id}/report.docx`]) {
      const xml = await wordXml(lead, url);
      expect(xml, url).not.toContain('**tekort**');
      expect(xml, url).not.toContain('_niet_');
      const r = runs(xml);
      expect(r.find((x) => x.text === 'tekort'), url).toMatchObject({ bold: true });
      expect(r.find((x) => x.text === 'niet'), url).toMatchObject({ italic: true });
      expect(r.some((x) => x.text.includes('Waarom heeft de ene gemeente een ')), url).toBe(true);
    }
  });

  it('evidence quotes in the case report and reduction reasons in the cross-case report are plain text', async () => {
    const { id, lead } = await setUp();
    const caseReport = (await lead.get(`/studies/${id}/cases/c1/report`)).text;
    expect(caseReport).toContain('een tekort op het budget');
    expect(caseReport).not.toContain('**tekort**');
    const cross = (await lead.get(`/studies/${id}/report`)).text;
    expect(cross).toContain('Geen onderscheidend vermogen in deze gemeenten.');
    expect(cross).not.toContain('**onderscheidend**');
    const word = await wordXml(lead, `/studies/${id}/cases/c1/report.docx`);
    expect(word).not.toContain('**tekort**');
  });

  it('the reduction page renders a decision’s reason as Markdown', async () => {
    const { id, lead } = await setUp();
    const page = (await lead.get(`/studies/${id}/reduction`)).text;
    expect(page).toContain('<strong>onderscheidend</strong>');
    expect(page).not.toContain('**onderscheidend**');
  });

  it('search snippets are plain text: no Markdown syntax, the hit still marked', async () => {
    const { id, lead } = await setUp();
    const page = (await lead.get(`/studies/${id}/search?q=tekort`)).text;
    const snippets = [...page.matchAll(/<p class="snippet">([\s\S]*?)<\/p>/g)].map((m) => m[1]!);
    expect(snippets.length).toBeGreaterThan(0);
    for (const s of snippets) {
      expect(s).toContain('<mark>tekort</mark>');
      expect(s).not.toContain('**');
    }
  });

  it('turns Markdown into plain text and keeps hostile text in snippets escaped', () => {
    expect(markdownToText('## Kop\n\nEen **vet** en _schuin_ woord, een [link](https://x.example) en `code`.\n\n- a\n- b')).toBe('Kop Een vet en schuin woord, een link en code. a b');
    // A cut snippet leaves an unpaired marker: taken out too.
    expect(markdownToText('…het **tekort op')).toBe('…het tekort op');
    expect(snippetHtml(`een **${HIT_START}tekort${HIT_END}** <script>alert(1)</script>`)).toBe('een <mark>tekort</mark> &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(snippetHtml(`a &lt; ${HIT_START}b${HIT_END} & "c"`)).toBe('a &amp;lt; <mark>b</mark> &amp; &quot;c&quot;');
    expect(renderMarkdownInline('Een **tekort**?\n\nTwee <img src=x onerror=alert(1)>')).toBe('Een <strong>tekort</strong>?<br />Twee &lt;img /&gt;');
  });
});
