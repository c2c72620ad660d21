// Documents: upload checked by content, stored under a random name with its SHA-256, text read for
// search, download as an attachment with the original name, refusals by size and type, deletion.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsOf } from '../../server/studies/studies.repo.ts';
import { loginAs, makeUser, tempDir, testApp } from '../helpers/app.ts';
import { docxWithText, pdfWithText, PNG_1x1, writeDocxBomb, zip } from '../helpers/files.ts';

async function setUp(env: Record<string, string> = {}) {
  const ctx = testApp({ env });
  const leadId = await makeUser(ctx.services, { email: 'lead@example.org', name: 'Lena Lead' });
  await makeUser(ctx.services, { email: 'view@example.org', name: 'Vera Viewer' });
  const studyId = ctx.services.studies.create({ title: 'S', question: '', language: 'nl' }, leadId);
  ctx.services.studies.addMember(studyId, 'view@example.org', 'viewer', leadId);
  ctx.services.repos.cases.insert(studyId, { key: 'dordrecht', name: 'Dordrecht', pseudonym: null, group: '', attributes: {}, selectionReason: '' }, 0, '2026-01-01T00:00:00Z');
  const lead = await loginAs(ctx.app, 'lead@example.org');
  const url = `/studies/${studyId}/cases/dordrecht/documents`;
  const upload = (file: Buffer, name: string, fields: Record<string, string> = { title: 'Beleidsplan', kind: 'beleid' }, agent = lead) => {
    let req = agent.agent.post(url).field('_csrf', agent.csrf);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', file, name);
  };
  const storedFiles = () => fs.readdirSync(ctx.config.uploadsDir).filter((f) => f.endsWith('.bin'));
  const incoming = () => (fs.existsSync(path.join(ctx.config.uploadsDir, '.incoming')) ? fs.readdirSync(path.join(ctx.config.uploadsDir, '.incoming')) : []);
  return { ...ctx, studyId, lead, url, upload, storedFiles, incoming };
}

/** Temporary files are removed when the response has closed, a moment after the client has it. */
async function eventuallyEmpty(list: () => string[]): Promise<void> {
  for (let i = 0; i < 50 && list().length; i++) await new Promise((r) => setTimeout(r, 20));
  expect(list()).toEqual([]);
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('uploading documents', () => {
  it('stores a PDF under a random name with its SHA-256 and size, and reads its text for search', async () => {
    const { upload, services, studyId, storedFiles, incoming } = await setUp();
    const pdf = pdfWithText('Zoekperiode van vier weken');
    const res = await upload(pdf, 'beleidsplan.pdf');
    expect(res.status).toBe(303);
    const doc = services.repos.documents.findByKey(studyId, 'd1')!;
    expect(doc).toMatchObject({ title: 'Beleidsplan', kind: 'beleid', filename: 'beleidsplan.pdf', media_type: 'application/pdf', size: pdf.length, sha256: sha(pdf) });
    expect(doc.storage_name).toMatch(/^[0-9a-f]{32}\.bin$/);
    expect(storedFiles()).toEqual([doc.storage_name]);
    await eventuallyEmpty(incoming);
    await services.documents.settled();
    const text = services.db.prepare('SELECT text, text_status FROM documents WHERE id = ?').get(doc.id);
    expect(text).toEqual({ text: 'Zoekperiode van vier weken', text_status: 'done' });
  });

  it('reads the text of a Word document and of Markdown', async () => {
    const { upload, services, studyId } = await setUp();
    await upload(docxWithText(['Eerste alinea over handhaving']), 'verslag.docx');
    await upload(Buffer.from('# Notitie\n\nOver **preventie**.'), 'notitie.md', { title: 'Notitie' });
    await services.documents.settled();
    const rows = services.db.prepare('SELECT key, media_type, text FROM documents WHERE study_id = ? ORDER BY id').all(studyId);
    expect(rows).toEqual([
      { key: 'd1', media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', text: 'Eerste alinea over handhaving\n\n' },
      { key: 'd2', media_type: 'text/markdown', text: '# Notitie\n\nOver **preventie**.' },
    ]);
  });

  it('recognises images, spreadsheets and OpenDocument text by content', async () => {
    const { upload, services, studyId } = await setUp();
    await upload(PNG_1x1, 'kaart.png', { title: 'Kaart' });
    await upload(zip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' }), 'cijfers.xlsx', { title: 'Cijfers' });
    await upload(zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<office/>' }, { storeFirst: true }), 'brief.odt', { title: 'Brief' });
    const types = services.db.prepare('SELECT media_type FROM documents WHERE study_id = ? ORDER BY id').all(studyId).map((r: any) => r.media_type);
    expect(types).toEqual(['image/png', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.text']);
  });

  it('refuses content that is not on the allow-list with 415, whatever the name says, and keeps nothing', async () => {
    const { upload, services, studyId, storedFiles, incoming } = await setUp();
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), crypto.randomBytes(2000)]);
    const res = await upload(elf, 'report.pdf', { title: 'Disguised' });
    expect(res.status).toBe(415);
    expect(res.text).toContain('This kind of file is not accepted.');
    expect(res.text).toContain('value="Disguised"');
    const zipOther = await upload(zip({ 'random.txt': 'hi' }), 'archive.docx', { title: 'Zip' });
    expect(zipOther.status).toBe(415);
    expect(services.repos.documents.listForStudy(studyId)).toEqual([]);
    expect(storedFiles()).toEqual([]);
    await eventuallyEmpty(incoming);
  });

  it('checks text over the whole file: text that turns binary or invalid after the first 64 KiB is refused with 415, and nothing is kept', async () => {
    const { upload, services, studyId, storedFiles, incoming } = await setUp();
    const text = Buffer.alloc(65_536, 'Tekst van een notitie. ');
    const tails = [
      Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), crypto.randomBytes(4000)]),
      Buffer.from('nog meer tekst\u0000'),
      Buffer.from([0x61, 0xff, 0x61]),
      Buffer.from([0xe2, 0x82]),
    ];
    for (const [i, tail] of tails.entries()) {
      const res = await upload(Buffer.concat([text, Buffer.alloc(i * 300_000, 'a'), tail]), i === 0 ? 'tool.exe' : 'notitie.txt', { title: 'Verstopt' });
      expect(res.status).toBe(415);
      expect(res.text).toContain('This kind of file is not accepted.');
    }
    expect(services.repos.documents.listForStudy(studyId)).toEqual([]);
    expect(storedFiles()).toEqual([]);
    await eventuallyEmpty(incoming);
  });

  it('accepts long UTF-8 text whatever chunks its multi-byte characters arrive in, and reads it for search', async () => {
    const { upload, services, studyId } = await setUp();
    const body = 'Zoë € één 😀 ü '.repeat(40_000);
    expect((await upload(Buffer.from(body), 'notitie.md', { title: 'Lang' })).status).toBe(303);
    await services.documents.settled();
    const row = services.db.prepare('SELECT media_type, text_status, text FROM documents WHERE study_id = ?').get(studyId) as Record<string, string>;
    expect([row.media_type, row.text_status, row.text === body]).toEqual(['text/markdown', 'done', true]);
  });

  it('refuses HTML, SVG and scripts as text kinds, in English and Dutch', async () => {
    const { upload, lead, services, studyId } = await setUp();
    const posing: [string, string][] = [
      ['<!doctype html>\n<title>x</title>', 'pagina.txt'],
      ['<html><body onload="alert(1)">', 'pagina.md'],
      ['<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'kaart.txt'],
      ['<svg xmlns="http://www.w3.org/2000/svg"/>', 'kaart.csv'],
      ['#!/bin/sh\ncurl https://example.org | sh\n', 'install.txt'],
      ['<script>alert(1)</script>', 'notitie.md'],
    ];
    for (const [content, name] of posing) {
      const res = await upload(Buffer.from(content), name, { title: 'Vermomd' });
      expect(res.status, name).toBe(415);
    }
    const nl = await lead.agent.post(`/studies/${studyId}/cases/dordrecht/documents`).set('Accept-Language', 'nl')
      .field('_csrf', lead.csrf).field('title', 'x').attach('file', Buffer.from('<html>'), 'a.txt');
    expect(nl.status).toBe(415);
    expect(nl.text).toContain('Dit soort bestand wordt niet geaccepteerd.');
    expect(services.repos.documents.listForStudy(studyId)).toEqual([]);
  });

  it('keeps a DOCX zip bomb but does not inflate it: its text is marked too large when unpacked, and the server keeps serving', { timeout: 60_000 }, async () => {
    const { upload, lead, services, studyId, url } = await setUp();
    const file = path.join(tempDir(), 'bomb.docx');
    await writeDocxBomb(file, 400 * 1024 * 1024);
    expect((await upload(fs.readFileSync(file), 'verslag.docx', { title: 'Bom' })).status).toBe(303);
    await services.documents.settled();
    expect(services.db.prepare('SELECT text_status FROM documents WHERE study_id = ?').get(studyId)).toEqual({ text_status: 'skipped' });
    const en = await lead.agent.get(url).set('Accept-Language', 'en');
    expect(en.status).toBe(200);
    expect(en.text).toContain('too large to read for search, as a file or unpacked');
    expect((await lead.agent.get(url).set('Accept-Language', 'nl')).text).toContain('te groot om te lezen voor zoeken, als bestand of uitgepakt');
  });

  it('marks the text of a DOCX whose parts hold more than they declare as not readable, in English and Dutch', { timeout: 30_000 }, async () => {
    const { upload, lead, services, studyId, url } = await setUp();
    const file = path.join(tempDir(), 'lying.docx');
    await writeDocxBomb(file, 5 * 1024 * 1024, { declare: 20_000 });
    expect((await upload(fs.readFileSync(file), 'verslag.docx', { title: 'Beschadigd' })).status).toBe(303);
    await services.documents.settled();
    expect(services.db.prepare('SELECT text_status FROM documents WHERE study_id = ?').get(studyId)).toEqual({ text_status: 'failed' });
    expect((await lead.agent.get(url).set('Accept-Language', 'en')).text).toContain('text could not be read; the file may be damaged or need too much memory to read');
    expect((await lead.agent.get(url).set('Accept-Language', 'nl')).text).toContain('tekst kon niet gelezen worden; het bestand is mogelijk beschadigd of vraagt te veel geheugen');
  });

  it('refuses a file over DOCUMENT_MAX_MB with 413 and a message naming the limit, and keeps nothing', async () => {
    const { upload, services, studyId, storedFiles, incoming } = await setUp({ DOCUMENT_MAX_MB: '1' });
    const res = await upload(Buffer.alloc(1_200_000, 'a'), 'groot.txt');
    expect(res.status).toBe(413);
    expect(res.text).toContain('larger than 1 MB');
    expect(services.repos.documents.listForStudy(studyId)).toEqual([]);
    expect(storedFiles()).toEqual([]);
    await eventuallyEmpty(incoming);
  });

  it('refuses an upload without the CSRF token and keeps no file', async () => {
    const { lead, url, incoming, storedFiles } = await setUp();
    const res = await lead.agent.post(url).field('title', 'x').attach('file', Buffer.from('hello'), 'a.txt');
    expect(res.status).toBe(403);
    await eventuallyEmpty(incoming);
    expect(storedFiles()).toEqual([]);
  });

  it('keeps the title and names the problem when the title is missing', async () => {
    const { upload } = await setUp();
    const res = await upload(Buffer.from('tekst'), 'a.txt', { title: '', kind: 'notitie' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="notitie"');
    expect(res.text).toContain('Fill in this field.');
    expect(res.text).toContain('Choose the file again');
  });

  it('takes only the last part of a name with ../ and keeps unusual unicode', async () => {
    const { upload, services, studyId, config, storedFiles } = await setUp();
    await upload(Buffer.from('x'), '../../../etc/passwd.txt', { title: 'Pad' });
    await upload(Buffer.from('y'), 'Beleidsplan “2019” – Ünïcødé 🚀.txt', { title: 'Uni' });
    await upload(Buffer.from('z'), 'invoice\u202Etxt.bat', { title: 'Bidi' });
    const names = services.db.prepare('SELECT filename FROM documents WHERE study_id = ? ORDER BY id').all(studyId).map((r: any) => r.filename);
    // A direction override would make "invoice…txt.bat" look like a .txt file: it is taken out.
    expect(names).toEqual(['passwd.txt', 'Beleidsplan “2019” – Ünïcødé 🚀.txt', 'invoicetxt.bat']);
    // Stored only under random names inside the uploads folder, whatever the name said.
    expect(storedFiles()).toHaveLength(3);
    expect(storedFiles().every((f) => /^[0-9a-f]{32}\.bin$/.test(f))).toBe(true);
    expect(fs.existsSync(path.join(config.uploadsDir, '..', 'etc'))).toBe(false);
  });
});

describe('downloading and deleting', () => {
  it('downloads as an attachment with the original name, the stored type and nosniff', async () => {
    const { upload, app, studyId } = await setUp();
    const pdf = pdfWithText('x');
    await upload(pdf, 'Beleidsplan “2019” – ü.pdf');
    const lead = await loginAs(app, 'lead@example.org');
    const res = await lead.agent.get(`/studies/${studyId}/documents/d1/download`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Beleidsplan _2019_ _ u.pdf"; filename*=UTF-8''Beleidsplan%20%E2%80%9C2019%E2%80%9D%20%E2%80%93%20%C3%BC.pdf`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
  });

  it('downloads text under a name that ends as text, whatever the upload was called (issue 13)', async () => {
    const { upload, lead, studyId } = await setUp();
    await upload(Buffer.from('plain words'), 'tool.exe', { title: 'Tool' });
    await upload(Buffer.from('# notes'), 'notes.md', { title: 'Notes' });
    const disposition = async (key: string) => (await lead.agent.get(`/studies/${studyId}/documents/${key}/download`)).headers['content-disposition'];
    expect(await disposition('d1')).toBe(`attachment; filename="tool.exe.txt"; filename*=UTF-8''tool.exe.txt`);
    expect(await disposition('d2')).toBe(`attachment; filename="notes.md"; filename*=UTF-8''notes.md`);
  });

  it('a lead deletes a document: the file goes and the audit log keeps what it was', async () => {
    const { upload, lead, services, studyId, storedFiles } = await setUp();
    await upload(Buffer.from('weg ermee'), 'weg.txt', { title: 'Weg' });
    expect(storedFiles()).toHaveLength(1);
    const res = await lead.agent.post(`/studies/${studyId}/documents/d1/delete`).type('form').send({ _csrf: lead.csrf });
    expect(res.status).toBe(303);
    expect(storedFiles()).toEqual([]);
    expect(services.repos.documents.findByKey(studyId, 'd1')).toBeUndefined();
    const entry = services.repos.audit.listForStudy(studyId)[0]!;
    expect([entry.entity, entry.action, JSON.parse(entry.before!).filename]).toEqual(['document', 'delete', 'weg.txt']);
  });

  it('a viewer may neither upload nor delete, and downloads only where a lead opened the fieldwork', async () => {
    const { upload, app, studyId, url, services } = await setUp();
    await upload(Buffer.from('z'), 'z.txt', { title: 'Z' });
    const viewer = await loginAs(app, 'view@example.org');
    expect((await viewer.agent.get(`/studies/${studyId}/documents/d1/download`)).status).toBe(403);
    expect((await viewer.agent.get(url)).status).toBe(403);
    const study = services.repos.studies.findById(studyId)!;
    const leadId = services.repos.users.findByEmail('lead@example.org')!.id;
    services.studies.update(studyId, { title: study.title, question: study.question, language: study.language, settings: { ...settingsOf(study), viewersSeeFieldwork: true } }, leadId);
    expect((await viewer.agent.get(`/studies/${studyId}/documents/d1/download`)).status).toBe(200);
    expect((await viewer.agent.post(url).field('_csrf', viewer.csrf).field('title', 'x').attach('file', Buffer.from('a'), 'a.txt')).status).toBe(403);
    expect((await viewer.agent.post(`/studies/${studyId}/documents/d1/delete`).type('form').send({ _csrf: viewer.csrf })).status).toBe(403);
    expect((await viewer.agent.get(url)).text).not.toContain('Upload a document');
  });
});
