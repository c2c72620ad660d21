// Interview roles, the question bank and the printable guide per role, through the browser's
// requests: what members see, what leads change (with audit entries), the rules that refuse a
// change, escaping, and a constant number of statements for the guides page.
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../server/framework/templates.ts';
import { questionStamp } from '../../server/guides/guides.service.ts';
import { loginAs, makeUser, testApp } from '../helpers/app.ts';
import type { Services } from '../../server/services.ts';

/** What EJS's `<%=` makes of a text. */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

async function setUp() {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  const viewerId = await makeUser(ctx.services, { email: 'viewer@example.org', name: 'Vera Viewer' });
  const lead = await loginAs(ctx.app, 'lead@example.org');
  return { ...ctx, leadId, viewerId, lead };
}

/** The bijstand template as a study of the lead: 7 roles, 42 questions, 62 conditions. */
async function templateStudy(services: Services, leadId: number) {
  const doc = loadTemplate('bijstand')!;
  const { studyId } = await services.studyFile.importer.run(doc, { owner: leadId, actorId: leadId });
  return { studyId, doc };
}

/** A small hand-made study: four conditions on two levels, one of them measured. */
function handMadeStudy(services: Services, leadId: number, language: 'en' | 'nl' = 'en') {
  const studyId = services.studies.create({ title: 'Schools', question: 'Why do *some* schools do better?', language }, leadId);
  const f = services.framework;
  f.saveLevel(studyId, leadId, 0, null, { number: 0, name: 'Outcome', description: '' });
  f.saveLevel(studyId, leadId, 1, null, { number: 1, name: 'Causes', description: '' });
  f.saveCondition(studyId, leadId, 2, null, { code: '0', level: 0, name: 'Results', polarity: 'higher-is-favourable', kind: 'measured' });
  f.saveCondition(studyId, leadId, 3, null, { code: '1.a', level: 1, name: 'Leadership', polarity: 'higher-is-favourable', kind: 'rated' });
  f.saveCondition(studyId, leadId, 4, null, { code: '1.b', level: 1, name: 'Staff turnover', polarity: 'lower-is-favourable', kind: 'rated' });
  f.saveCondition(studyId, leadId, 5, null, { code: '1.c', level: 1, name: 'Budget per pupil', polarity: 'higher-is-favourable', kind: 'measured' });
  return studyId;
}

const roleIdOf = (services: Services, studyId: number, name: string) => services.repos.guides.roles(studyId).find((r) => r.name === name)!.id;
/** The stamp carried by the first form after `from` on the page. */
const stampInForm = (page: string, from = '<form') => /name="stamp" value="([^"]+)"/.exec(page.slice(page.indexOf(from)))![1]!;
const stampOfRole = (page: string, roleId: number) => stampInForm(page, `/guides/roles/${roleId}"`);

describe('guides page', () => {
  it('lists the 42 questions of the bijstand template by theme, and its seven roles with a guide each', async () => {
    const s = await setUp();
    const { lead, leadId } = s;
    const { studyId, doc } = await templateStudy(s.services, leadId);
    const res = await lead.agent.get(`/studies/${studyId}/guides`);
    expect(res.status).toBe(200);
    expect(count(res.text, /<tr id="q-\d+">/g)).toBe(42);
    expect(res.text).toContain('Questions: 42 · themes: 4');
    for (const q of doc.questions) expect(res.text).toContain(`<td class="question-text">${esc(q.text)}</td>`);
    expect(doc.roles).toHaveLength(7);
    for (const r of doc.roles) {
      const id = roleIdOf(s.services, studyId, r.name);
      expect(res.text).toContain(`<th scope="row">${esc(r.name)}</th>`);
      expect(res.text).toContain(`href="/studies/${studyId}/guides/${id}"`);
    }
    // Themes in the order of the file.
    const themes = [...new Set(doc.questions.map((q) => q.section ?? ''))];
    const shown = [...res.text.matchAll(/<h3 id="theme-\d+">([^<]*)<\/h3>/g)].map((m) => m[1]);
    expect(shown).toEqual(themes.map(esc));
    // Each probed condition links to its card on the framework page.
    expect(res.text).toContain(`href="/studies/${studyId}/framework#c-4.d"`);
  });

  it('lists the template conditions that no question probes, counted from the file', async () => {
    const s = await setUp();
    const { lead, leadId } = s;
    const { studyId, doc } = await templateStudy(s.services, leadId);
    const probed = new Set(doc.questions.flatMap((q) => q.conditions));
    const unprobed = doc.framework.conditions.filter((c) => !probed.has(c.code));
    expect(unprobed.length).toBeGreaterThan(0);
    const res = await lead.agent.get(`/studies/${studyId}/guides`);
    const listed = [...res.text.matchAll(/<tr data-code="([^"]+)">/g)].map((m) => m[1]);
    expect(listed).toEqual(unprobed.map((c) => esc(c.code)));
  });

  it('lists the conditions of a hand-made study that no question probes, rated and measured, and says when every one is probed', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const role = services.guides.addRole(studyId, leadId, 'Head teacher');
    services.guides.addQuestion(studyId, leadId, { section: 'Leading', text: 'How do you lead?', roleIds: [role], conditionCodes: ['1.a'] });
    let res = await lead.agent.get(`/studies/${studyId}/guides`);
    expect([...res.text.matchAll(/<tr data-code="([^"]+)">/g)].map((m) => m[1])).toEqual(['0', '1.b', '1.c']);
    expect(res.text).toContain('<td>Budget per pupil</td>');
    expect(res.text).toContain('<td>measured</td>');
    expect(res.text).not.toContain('Every condition of the framework is probed');

    services.guides.addQuestion(studyId, leadId, { section: 'Leading', text: 'What changed?', roleIds: [role], conditionCodes: ['0', '1.b', '1.c'] });
    res = await lead.agent.get(`/studies/${studyId}/guides`);
    expect(res.text).not.toContain('<tr data-code=');
    expect(res.text).toContain('Every condition of the framework is probed by at least one question.');
  });

  it('says so when the framework has no conditions yet', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = services.studies.create({ title: 'Empty', question: '', language: 'en' }, leadId);
    const res = await lead.agent.get(`/studies/${studyId}/guides`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('The framework has no conditions yet.');
    expect(res.text).toContain('This study has no interview roles yet.');
    expect(res.text).toContain('The question bank is empty.');
  });

  it('runs the same small number of statements for the 42-question template as for a study with two questions', async () => {
    const s = await setUp();
    const { lead, leadId, counter } = s;
    const { studyId: big } = await templateStudy(s.services, leadId);
    const small = handMadeStudy(s.services, leadId);
    const role = s.services.guides.addRole(small, leadId, 'Head teacher');
    s.services.guides.addQuestion(small, leadId, { section: 'A', text: 'One?', roleIds: [role], conditionCodes: ['1.a'] });
    s.services.guides.addQuestion(small, leadId, { section: 'B', text: 'Two?', roleIds: [role], conditionCodes: [] });

    const statements = async (studyId: number) => {
      await lead.agent.get(`/studies/${studyId}/guides`); // warm: the session is written once
      counter.reset();
      const res = await lead.agent.get(`/studies/${studyId}/guides`);
      expect(res.status).toBe(200);
      return counter.count;
    };
    const forBig = await statements(big);
    const forSmall = await statements(small);
    expect(forBig).toBe(forSmall);
    // Session, user, study and membership, then the page's three.
    expect(forBig).toBeLessThanOrEqual(8);
  });
});

describe('interview guide per role', () => {
  it('contains exactly the questions of the template whose roles include the Wethouder, numbered, in Dutch', async () => {
    const s = await setUp();
    const { lead, leadId } = s;
    const { studyId, doc } = await templateStudy(s.services, leadId);
    const id = roleIdOf(s.services, studyId, 'Wethouder');
    const mine = doc.questions.filter((q) => q.roles.includes('Wethouder'));
    const others = doc.questions.filter((q) => !q.roles.includes('Wethouder'));
    expect(mine.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);

    const res = await lead.agent.get(`/studies/${studyId}/guides/${id}`);
    expect(res.status).toBe(200);
    expect(count(res.text, /<li class="guide-question"/g)).toBe(mine.length);
    const shown = [...res.text.matchAll(/<li class="guide-question" data-question="\d+">\s*<p>([^<]*)<\/p>/g)].map((m) => m[1]);
    expect(shown).toEqual(mine.map((q) => esc(q.text)));
    for (const q of others) expect(res.text).not.toContain(`<p>${esc(q.text)}</p>`);
    // Numbered 1…n across the themes: each theme's list starts where the previous one stopped.
    const starts = [...res.text.matchAll(/<ol class="guide-questions" start="(\d+)">/g)].map((m) => Number(m[1]));
    const themes = [...new Set(mine.map((q) => q.section ?? ''))];
    expect(starts).toHaveLength(themes.length);
    expect(starts[0]).toBe(1);
    let expected = 1;
    themes.forEach((theme, i) => {
      expect(starts[i]).toBe(expected);
      expected += mine.filter((q) => (q.section ?? '') === theme).length;
    });

    // The document: study title, research question, an introduction in the study's language (Dutch),
    // whatever the interface language (English here); a print button wired by a script file.
    expect(res.text).toContain(`<article class="interview-guide" lang="nl"`);
    expect(res.text).toContain(`Onderzoek: ${esc(doc.study.title)}`);
    expect(res.text).toContain('Gespreksleidraad: Wethouder');
    expect(res.text).toContain('Onderzoeksvraag');
    expect(res.text).toContain(esc(doc.study.question!.slice(0, 40)));
    expect(res.text).toContain('vertrouwelijk');
    expect(res.text).toContain('ter goedkeuring');
    expect(res.text).toContain('<button type="button" data-print hidden>Print</button>');
    expect(res.text).toContain('<script src="/static/js/guides.js" defer></script>');
    expect(res.text).toContain('All roles and questions');
  });

  it('is written in the study’s language, not the interface language', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId, 'en');
    const role = services.guides.addRole(studyId, leadId, 'Head teacher');
    services.guides.addQuestion(studyId, leadId, { section: '', text: 'How do you lead?', roleIds: [role], conditionCodes: ['1.a'] });
    const res = await lead.agent.get(`/studies/${studyId}/guides/${role}`).set('Accept-Language', 'nl');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Afdrukken'); // the interface is Dutch
    expect(res.text).toContain('<article class="interview-guide" lang="en"');
    expect(res.text).toContain('Interview guide: Head teacher');
    expect(res.text).toContain('treated confidentially');
    expect(res.text).toContain('<h3 id="guide-theme-0">General</h3>');
    // The research question is Markdown.
    expect(res.text).toContain('Why do <em>some</em> schools do better?');
  });

  it('answers 404 for a role of another study, and for a role id that is not a number', async () => {
    const { lead, leadId, services } = await setUp();
    const a = handMadeStudy(services, leadId);
    const b = handMadeStudy(services, leadId);
    const roleOfB = services.guides.addRole(b, leadId, 'Head teacher');
    expect((await lead.agent.get(`/studies/${b}/guides/${roleOfB}`)).status).toBe(200);
    expect((await lead.agent.get(`/studies/${a}/guides/${roleOfB}`)).status).toBe(404);
    expect((await lead.agent.get(`/studies/${a}/guides/abc`)).status).toBe(404);
  });
});

describe('editing roles', () => {
  it('adds and renames a role; refuses a name the study already has', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    let res = await lead.agent.post(`/studies/${studyId}/guides/roles`).type('form').send({ _csrf: lead.csrf, name: 'Head teacher' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/studies/${studyId}/guides`);
    const id = roleIdOf(services, studyId, 'Head teacher');
    expect((await lead.agent.get(res.headers.location!)).text).toContain('The role is added.');

    res = await lead.agent.post(`/studies/${studyId}/guides/roles`).type('form').send({ _csrf: lead.csrf, name: 'head TEACHER' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('This study already has a role called “head TEACHER”.');
    expect(res.text).toContain('value="head TEACHER"');

    const page = (await lead.agent.get(`/studies/${studyId}/guides`)).text;
    res = await lead.agent.post(`/studies/${studyId}/guides/roles/${id}`).type('form').send({ _csrf: lead.csrf, stamp: stampOfRole(page, id), name: 'Principal' });
    expect(res.status).toBe(303);
    expect(services.repos.guides.roles(studyId).map((r) => r.name)).toEqual(['Principal']);
  });

  it('refuses to delete a role that questions use, naming how many, and one that an interview records', async () => {
    const { lead, leadId, services, db } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const asked = services.guides.addRole(studyId, leadId, 'Head teacher');
    const interviewed = services.guides.addRole(studyId, leadId, 'Teacher');
    services.guides.addQuestion(studyId, leadId, { section: 'A', text: 'One?', roleIds: [asked], conditionCodes: [] });
    services.guides.addQuestion(studyId, leadId, { section: 'A', text: 'Two?', roleIds: [asked, interviewed], conditionCodes: [] });
    // An interview that records the second role (the interviews feature writes these rows).
    const at = new Date().toISOString();
    const caseId = Number(db.prepare("INSERT INTO cases (study_id, key, name, position, created_at, updated_at) VALUES (?, 'c1', 'School 1', 0, ?, ?)").run(studyId, at, at).lastInsertRowid);
    const interviewId = Number(db.prepare("INSERT INTO interviews (study_id, case_id, key, created_at, updated_at) VALUES (?, ?, 'i1', ?, ?)").run(studyId, caseId, at, at).lastInsertRowid);
    db.prepare('INSERT INTO interview_roles (interview_id, role_id) VALUES (?, ?)').run(interviewId, interviewed);

    const page = (await lead.agent.get(`/studies/${studyId}/guides`)).text;
    let res = await lead.agent.post(`/studies/${studyId}/guides/roles/${asked}/delete`).type('form').send({ _csrf: lead.csrf, stamp: stampOfRole(page, asked) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The role “Head teacher” cannot be deleted: 2 questions are asked to it.');

    res = await lead.agent.post(`/studies/${studyId}/guides/roles/${interviewed}/delete`).type('form').send({ _csrf: lead.csrf, stamp: stampOfRole(page, interviewed) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The role “Teacher” cannot be deleted: 1 interview records it.');
    expect(services.repos.guides.roles(studyId)).toHaveLength(2);
    expect(services.repos.audit.listForStudy(studyId).filter((e) => e.entity === 'role' && e.action === 'delete')).toEqual([]);

    // With one question left on it, the message says "1 question".
    const two = services.repos.guides.bank(studyId)[1]!;
    services.guides.updateQuestion(studyId, leadId, two.id, questionStamp(two), { section: 'A', text: 'Two?', roleIds: [interviewed], conditionCodes: [] });
    res = await lead.agent.post(`/studies/${studyId}/guides/roles/${asked}/delete`).type('form').send({ _csrf: lead.csrf, stamp: stampOfRole(page, asked) });
    expect(res.text).toContain('The role “Head teacher” cannot be deleted: 1 question is asked to it.');
  });

  it('deletes an unused role, and refuses a delete made from a stale page', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const id = services.guides.addRole(studyId, leadId, 'Head teacher');
    const page = (await lead.agent.get(`/studies/${studyId}/guides`)).text;
    const stamp = stampOfRole(page, id);
    services.guides.renameRole(studyId, leadId, id, stamp, 'Principal');
    let res = await lead.agent.post(`/studies/${studyId}/guides/roles/${id}/delete`).type('form').send({ _csrf: lead.csrf, stamp });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Someone else changed this since you opened the page, so nothing was deleted.');
    const fresh = stampOfRole(res.text, id);
    res = await lead.agent.post(`/studies/${studyId}/guides/roles/${id}/delete`).type('form').send({ _csrf: lead.csrf, stamp: fresh });
    expect(res.status).toBe(303);
    expect(services.repos.guides.roles(studyId)).toEqual([]);
  });
});

describe('editing questions', () => {
  it('adds a question with roles as checkboxes and conditions as codes; it appears in each ticked role’s guide', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const head = services.guides.addRole(studyId, leadId, 'Head teacher');
    const teacher = services.guides.addRole(studyId, leadId, 'Teacher');
    const form = await lead.agent.get(`/studies/${studyId}/guides/questions/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`<input type="checkbox" id="f-role-${head}" name="roles" value="${head}">`);
    // The conditions are ticked in the condition picker (issue 14.8), as on the interview and evidence forms.
    expect(form.text).toContain('data-condition-picker');
    expect(form.text).toMatch(/<input type="checkbox"[^>]*name="conditions" value="1\.a"/);

    const res = await lead.agent.post(`/studies/${studyId}/guides/questions`).type('form')
      .send(`_csrf=${encodeURIComponent(lead.csrf)}&section=Leading&text=How+do+you+lead%3F&roles=${head}&roles=${teacher}&conditions=1.b&conditions=1.a`);
    expect(res.status).toBe(303);
    const [q] = services.repos.guides.bank(studyId);
    expect(res.headers.location).toBe(`/studies/${studyId}/guides#q-${q!.id}`);
    expect(q).toMatchObject({ section: 'Leading', text: 'How do you lead?', roleIds: [head, teacher] });
    expect(q!.conditions.map((c) => c.code)).toEqual(['1.a', '1.b']); // framework order
    for (const role of [head, teacher]) expect((await lead.agent.get(`/studies/${studyId}/guides/${role}`)).text).toContain('<p>How do you lead?</p>');
    // Editing shows them ticked; a script may still send the codes as one list.
    const edit = await lead.agent.get(`/studies/${studyId}/guides/questions/${q!.id}/edit`);
    expect(edit.text).toMatch(/<input type="checkbox"[^>]*name="conditions" value="1\.b"[^>]*checked/);
  });

  it('refuses invalid input with 422, the problems next to the fields and the input kept', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const head = services.guides.addRole(studyId, leadId, 'Head teacher');
    const teacher = services.guides.addRole(studyId, leadId, 'Teacher');

    let res = await lead.agent.post(`/studies/${studyId}/guides/questions`).type('form')
      .send({ _csrf: lead.csrf, section: 'My "theme"', text: '   ', conditions: '1.a, zz.9' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/<p class="error" id="f-text-error">Fill in this field.<\/p>/);
    expect(res.text).toMatch(/<p class="error" id="f-roles-error">Tick at least one role.<\/p>/);
    expect(res.text).toContain('value="My &#34;theme&#34;"');
    expect(res.text).toMatch(/<input type="checkbox"[^>]*name="conditions" value="1\.a"[^>]*checked/);

    res = await lead.agent.post(`/studies/${studyId}/guides/questions`).type('form')
      .send(`_csrf=${encodeURIComponent(lead.csrf)}&section=A&text=Why%3F&roles=${teacher}&conditions=1.a%2C+zz.9%2C+yy`);
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/<p class="error" id="f-conditions-error">Not a condition of the framework: zz.9, yy.<\/p>/);
    expect(res.text).toContain(`name="roles" value="${teacher}" checked>`);
    expect(res.text).not.toContain(`name="roles" value="${head}" checked>`);
    expect(res.text).toContain('>Why?</textarea>');

    // A role id of another study is refused too.
    const other = handMadeStudy(services, leadId);
    const foreign = services.guides.addRole(other, leadId, 'Elsewhere');
    res = await lead.agent.post(`/studies/${studyId}/guides/questions`).type('form').send({ _csrf: lead.csrf, text: 'Why?', roles: String(foreign) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Tick roles of this study only.');
    expect(services.repos.guides.bank(studyId)).toEqual([]);
  });

  it('edits a question; one moved to another theme goes to the end of that theme', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const role = services.guides.addRole(studyId, leadId, 'Head teacher');
    const add = (section: string, text: string) => services.guides.addQuestion(studyId, leadId, { section, text, roleIds: [role], conditionCodes: [] });
    const a1 = add('A', 'a1');
    add('B', 'b1');
    add('A', 'a2'); // goes to the end of A, before B
    add('B', 'b2');
    const texts = () => services.repos.guides.bank(studyId).map((q) => `${q.section}:${q.text}`);
    expect(texts()).toEqual(['A:a1', 'A:a2', 'B:b1', 'B:b2']);

    const form = await lead.agent.get(`/studies/${studyId}/guides/questions/${a1}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Edit question 1');
    const res = await lead.agent.post(`/studies/${studyId}/guides/questions/${a1}`).type('form')
      .send({ _csrf: lead.csrf, stamp: stampInForm(form.text), section: 'B', text: 'a1 now in B', roles: String(role), conditions: '1.c' });
    expect(res.status).toBe(303);
    expect(texts()).toEqual(['A:a2', 'B:b1', 'B:b2', 'B:a1 now in B']);
    expect(services.repos.guides.question(studyId, a1)!.conditions.map((c) => c.code)).toEqual(['1.c']);
  });

  it('refuses a stale edit with the input kept; saving the returned form again replaces the other change', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const role = services.guides.addRole(studyId, leadId, 'Head teacher');
    const id = services.guides.addQuestion(studyId, leadId, { section: 'A', text: 'Original?', roleIds: [role], conditionCodes: [] });
    const form = await lead.agent.get(`/studies/${studyId}/guides/questions/${id}/edit`);
    const stale = stampInForm(form.text);
    services.guides.updateQuestion(studyId, leadId, id, stale, { section: 'A', text: 'Changed by someone else', roleIds: [role], conditionCodes: [] });

    let res = await lead.agent.post(`/studies/${studyId}/guides/questions/${id}`).type('form')
      .send({ _csrf: lead.csrf, stamp: stale, section: 'A', text: 'My version', roles: String(role) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Someone else changed this since you opened the page. Your input is kept');
    expect(res.text).toContain('>My version</textarea>');
    expect(services.guides.question(studyId, id).text).toBe('Changed by someone else');

    res = await lead.agent.post(`/studies/${studyId}/guides/questions/${id}`).type('form')
      .send({ _csrf: lead.csrf, stamp: stampInForm(res.text), section: 'A', text: 'My version', roles: String(role) });
    expect(res.status).toBe(303);
    expect(services.guides.question(studyId, id).text).toBe('My version');
  });

  it('moves questions within their theme and themes as a whole; deletes a question', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const role = services.guides.addRole(studyId, leadId, 'Head teacher');
    const add = (section: string, text: string) => services.guides.addQuestion(studyId, leadId, { section, text, roleIds: [role], conditionCodes: [] });
    add('A', 'a1');
    const a2 = add('A', 'a2');
    const b1 = add('B', 'b1');
    const texts = () => services.repos.guides.bank(studyId).map((q) => q.text);

    let res = await lead.agent.post(`/studies/${studyId}/guides/questions/${a2}/move`).type('form').send({ _csrf: lead.csrf, direction: 'up' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/studies/${studyId}/guides#q-${a2}`);
    expect(texts()).toEqual(['a2', 'a1', 'b1']);
    // The first of its theme does not move into another theme.
    res = await lead.agent.post(`/studies/${studyId}/guides/questions/${b1}/move`).type('form').send({ _csrf: lead.csrf, direction: 'up' });
    expect(res.status).toBe(303);
    expect(texts()).toEqual(['a2', 'a1', 'b1']);

    res = await lead.agent.post(`/studies/${studyId}/guides/sections/move`).type('form').send({ _csrf: lead.csrf, section: 'B', direction: 'up' });
    expect(res.status).toBe(303);
    expect(texts()).toEqual(['b1', 'a2', 'a1']);
    expect((await lead.agent.post(`/studies/${studyId}/guides/sections/move`).type('form').send({ _csrf: lead.csrf, section: 'Nope', direction: 'up' })).status).toBe(404);
    expect((await lead.agent.post(`/studies/${studyId}/guides/questions/${a2}/move`).type('form').send({ _csrf: lead.csrf, direction: 'sideways' })).status).toBe(400);

    const page = (await lead.agent.get(`/studies/${studyId}/guides`)).text;
    const stamp = stampInForm(page, `/questions/${a2}/delete"`);
    res = await lead.agent.post(`/studies/${studyId}/guides/questions/${a2}/delete`).type('form').send({ _csrf: lead.csrf, stamp });
    expect(res.status).toBe(303);
    expect(texts()).toEqual(['b1', 'a1']);
    expect((await lead.agent.get(res.headers.location!)).text).toContain('The question is deleted.');
  });

  it('answers 404 for a question of another study', async () => {
    const { lead, leadId, services } = await setUp();
    const a = handMadeStudy(services, leadId);
    const b = handMadeStudy(services, leadId);
    const role = services.guides.addRole(b, leadId, 'Head teacher');
    const q = services.guides.addQuestion(b, leadId, { section: '', text: 'Why?', roleIds: [role], conditionCodes: [] });
    expect((await lead.agent.get(`/studies/${a}/guides/questions/${q}/edit`)).status).toBe(404);
    const res = await lead.agent.post(`/studies/${a}/guides/questions/${q}/delete`).type('form').send({ _csrf: lead.csrf, stamp: questionStamp(services.guides.question(b, q)) });
    expect(res.status).toBe(404);
    expect(services.repos.guides.bank(b)).toHaveLength(1);
  });
});

describe('audit, escaping and access', () => {
  it('writes every change to the audit log with before and after', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const post = (path: string, body: Record<string, string> | string) =>
      lead.agent.post(`/studies/${studyId}/guides${path}`).type('form').send(typeof body === 'string' ? `_csrf=${encodeURIComponent(lead.csrf)}&${body}` : { _csrf: lead.csrf, ...body });

    expect((await post('/roles', { name: 'Head teacher' })).status).toBe(303);
    const role = roleIdOf(services, studyId, 'Head teacher');
    let page = (await lead.agent.get(`/studies/${studyId}/guides`)).text;
    expect((await post(`/roles/${role}`, { name: 'Principal', stamp: stampOfRole(page, role) })).status).toBe(303);
    expect((await post('/questions', `section=A&text=First%3F&roles=${role}&conditions=1.a`)).status).toBe(303);
    expect((await post('/questions', `section=A&text=Second%3F&roles=${role}`)).status).toBe(303);
    const [first, second] = services.repos.guides.bank(studyId);
    expect((await post(`/questions/${first!.id}`, `section=A&text=First%2C+edited%3F&roles=${role}&conditions=1.b&stamp=${questionStamp(first!)}`)).status).toBe(303);
    expect((await post(`/questions/${second!.id}/move`, { direction: 'up' })).status).toBe(303);
    expect((await post('/sections/move', { section: 'A', direction: 'down' })).status).toBe(303); // only theme: no change, no entry
    expect((await post(`/questions/${second!.id}/delete`, { stamp: questionStamp(second!) })).status).toBe(303);
    expect((await post(`/questions/${first!.id}/delete`, { stamp: questionStamp(services.guides.question(studyId, first!.id)) })).status).toBe(303);
    page = (await lead.agent.get(`/studies/${studyId}/guides`)).text;
    expect((await post(`/roles/${role}/delete`, { stamp: stampOfRole(page, role) })).status).toBe(303);

    const entries = services.repos.audit.listForStudy(studyId).filter((e) => e.entity === 'role' || e.entity === 'question' || e.entity === 'section').reverse();
    const json = (s: string | null) => (s === null ? null : JSON.parse(s));
    expect(entries.map((e) => `${e.entity} ${e.action}`)).toEqual([
      'role create', 'role update', 'question create', 'question create', 'question update', 'question move', 'question delete', 'question delete', 'role delete',
    ]);
    expect(entries.every((e) => e.actor_email === 'lead@example.org')).toBe(true);
    expect(json(entries[0]!.after)).toEqual({ name: 'Head teacher' });
    expect([json(entries[1]!.before), json(entries[1]!.after)]).toEqual([{ name: 'Head teacher' }, { name: 'Principal' }]);
    expect(json(entries[2]!.after)).toEqual({ section: 'A', text: 'First?', roles: ['Principal'], conditions: ['1.a'] });
    expect(json(entries[4]!.before)).toEqual({ section: 'A', text: 'First?', roles: ['Principal'], conditions: ['1.a'] });
    expect(json(entries[4]!.after)).toEqual({ section: 'A', text: 'First, edited?', roles: ['Principal'], conditions: ['1.b'] });
    expect([json(entries[5]!.before), json(entries[5]!.after)]).toEqual([{ number: 2 }, { number: 1 }]);
    expect(json(entries[6]!.before)).toEqual({ section: 'A', text: 'Second?', roles: ['Principal'], conditions: [] });
    expect(json(entries[8]!.before)).toEqual({ name: 'Principal' });
    expect(entries.every((e) => e.entity_id !== null)).toBe(true);
  });

  it('escapes question texts, themes and role names everywhere they are shown', async () => {
    const { lead, leadId, services } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    const roleName = '<script>alert("role")</script>';
    const text = '<img src=x onerror=alert(1)> & "quoted"';
    const section = '</h3><script>alert(2)</script>';
    const role = services.guides.addRole(studyId, leadId, roleName);
    const q = services.guides.addQuestion(studyId, leadId, { section, text, roleIds: [role], conditionCodes: ['1.a'] });
    const pages = [
      (await lead.agent.get(`/studies/${studyId}/guides`)).text,
      (await lead.agent.get(`/studies/${studyId}/guides/${role}`)).text,
      (await lead.agent.get(`/studies/${studyId}/guides/questions/${q}/edit`)).text,
    ];
    for (const page of pages) {
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<img src=x');
      expect(page).toContain(esc(roleName));
    }
    expect(pages[0]).toContain(esc(text));
    expect(pages[0]).toContain(esc(section));
    expect(pages[1]).toContain(`<p>${esc(text)}</p>`);
    expect(pages[2]).toContain(`>${esc(text)}</textarea>`);

    // Through the forms: stored as typed, escaped when shown, also in a refused form that comes back.
    const other = '"><svg onload=alert(3)>';
    let res = await lead.agent.post(`/studies/${studyId}/guides/roles`).type('form').send({ _csrf: lead.csrf, name: other });
    expect(res.status).toBe(303);
    expect(services.repos.guides.roles(studyId).map((r) => r.name)).toEqual([roleName, other]);
    const page = (await lead.agent.get(`/studies/${studyId}/guides`)).text;
    expect(page).not.toContain('<svg onload');
    expect(page).toContain(`<th scope="row">${esc(other)}</th>`);
    res = await lead.agent.post(`/studies/${studyId}/guides/roles`).type('form').send({ _csrf: lead.csrf, name: roleName });
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('<script>alert');
    expect(res.text).toContain(`value="${esc(roleName)}"`);
  });

  it('lets a viewer read the bank and the guides but not change them (403), and shows them no editing controls', async () => {
    const { leadId, viewerId, services, app } = await setUp();
    const studyId = handMadeStudy(services, leadId);
    services.studies.addMember(studyId, 'viewer@example.org', 'viewer', leadId);
    const role = services.guides.addRole(studyId, leadId, 'Head teacher');
    const q = services.guides.addQuestion(studyId, leadId, { section: 'A', text: 'Why?', roleIds: [role], conditionCodes: [] });
    const viewer = await loginAs(app, 'viewer@example.org');
    void viewerId;

    const page = await viewer.agent.get(`/studies/${studyId}/guides`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<td class="question-text">Why?</td>');
    expect(page.text).not.toContain('method="post" action="/studies');
    expect(page.text).not.toContain('/guides/questions/new');
    expect((await viewer.agent.get(`/studies/${studyId}/guides/${role}`)).status).toBe(200);

    const attempts = [
      viewer.agent.post(`/studies/${studyId}/guides/roles`).type('form').send({ _csrf: viewer.csrf, name: 'Spy' }),
      viewer.agent.post(`/studies/${studyId}/guides/roles/${role}/delete`).type('form').send({ _csrf: viewer.csrf, stamp: 'x' }),
      viewer.agent.post(`/studies/${studyId}/guides/questions`).type('form').send({ _csrf: viewer.csrf, text: 'Spy?', roles: String(role) }),
      viewer.agent.post(`/studies/${studyId}/guides/questions/${q}/delete`).type('form').send({ _csrf: viewer.csrf, stamp: questionStamp(services.guides.question(studyId, q)) }),
      viewer.agent.get(`/studies/${studyId}/guides/questions/${q}/edit`),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(403);
    expect(services.repos.guides.roles(studyId).map((r) => r.name)).toEqual(['Head teacher']);
    expect(services.repos.guides.bank(studyId).map((x) => x.text)).toEqual(['Why?']);
  });
});
