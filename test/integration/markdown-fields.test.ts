// Every field users write in Markdown, filled with a corpus of hostile input, on every page that
// shows it: no script, event handler, dangerous URL or inline style reaches the browser.
import { describe, expect, it } from 'vitest';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';

const CORPUS = [
  '<script>alert("s")</script>',
  '<img src=x onerror=alert("i")>',
  '[link](javascript:alert("j"))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="https://ok.example" onmouseover="alert(1)">hover</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<svg onload=alert(1)><circle r=1></svg>',
  '<div style="position:fixed;inset:0">cover</div>',
  '<form action="https://evil.example"><input name=x></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(2)>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '`code <script>` stays code',
].join('\n\n');

/** The parts of a page users' Markdown can reach: everything inside <main> but the server-drawn diagram. */
function main(html: string): string {
  return /<main[^>]*>([\s\S]*)<\/main>/.exec(html)![1]!
    .replace(/<figure class="diagram">[\s\S]*?<\/figure>/, '')
    // Kader's own scripts and forms (same-origin files and actions) are not user content.
    .replace(/<script src="\/static\/js\/[a-z]+\.js" defer><\/script>/g, '')
    .replace(/<form method="(post|get)" action="\/[^"]*"/g, '<kader-form');
}

function expectHarmless(html: string, where: string) {
  const body = main(html);
  expect(body, where).not.toMatch(/<(script|iframe|svg|form|object|embed|base|meta|math|style)\b/i);
  expect(body, where).not.toMatch(/<img\b/i);
  expect(body, where).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
  expect(body, where).not.toMatch(/(href|src)\s*=\s*"\s*(javascript|data):/i);
  expect(body, where).not.toMatch(/<[^>]*\sstyle\s*=/i);
}

describe('hostile Markdown in every Markdown field', () => {
  it('is shown harmlessly on the overview, framework, case, interview and guide pages', async () => {
    const ctx = testApp();
    const leadId = await makeUser(ctx.services, { email: 'lead@example.org' });
    const doc = {
      format: 'kader.study', version: 1,
      study: { title: 'Hostile', language: 'nl', question: CORPUS },
      framework: {
        title: 'F',
        levels: [{ number: 0, name: 'Uitkomst', description: CORPUS }, { number: 2, name: 'Uitvoering', description: CORPUS }],
        conditions: [
          { code: '0', level: 0, name: 'Resultaat', polarity: 'higher-is-favourable', kind: 'measured' },
          { code: '2.a', level: 2, name: 'Poort', description: CORPUS, assessedOn: CORPUS, polarity: 'higher-is-favourable', kind: 'rated' },
        ],
        relations: [{ from: '2.a', to: '0', note: CORPUS }],
        groupings: [{ key: 'G', name: 'G', members: ['2.a'], reason: CORPUS }],
      },
      roles: [{ name: 'Wethouder' }],
      questions: [{ section: 'Thema', text: 'Hoe?', roles: ['Wethouder'], conditions: ['2.a'] }],
      cases: [{ key: 'x', name: 'X', selectionReason: CORPUS }],
      interviews: [{ key: 'i1', case: 'x', notes: CORPUS, roles: ['Wethouder'] }],
    };
    const result = validateStudyFile(doc);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { studyId } = await ctx.services.studyFile.importer.run(result.doc, { owner: leadId, actorId: leadId });
    const roleId = ctx.services.repos.guides.roles(studyId)[0]!.id;
    const { agent } = await loginAs(ctx.app, 'lead@example.org');
    for (const page of ['', '/framework', '/cases/x', '/interviews/i1', `/guides/${roleId}`]) {
      const res = await agent.get(`/studies/${studyId}${page}`);
      expect(res.status, page).toBe(200);
      expectHarmless(res.text, page || 'overview');
    }
  });
});
