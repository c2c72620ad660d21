// A 200 MB upload streams to disk: the server's resident memory grows by less than 50 MB while it
// receives the file, and the stored file has the SHA-256 of what was sent.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { openDb } from '../../server/lib/db.ts';
import { migrate } from '../../server/lib/migrate.ts';
import { createServices } from '../../server/services.ts';
import { PASSWORD, tempDir } from '../helpers/app.ts';
import { startServer, type RunningServer } from '../helpers/processes.ts';

const SIZE = 200 * 1024 * 1024;
const CHUNK = 1024 * 1024;

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Cookies and the CSRF token of a logged-in session, by plain HTTP as a browser would get them. */
async function login(base: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const page = await fetch(`${base}/login`);
  let cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: PASSWORD, _csrf: token }),
  });
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const account = await (await fetch(`${base}/account`, { headers: { cookie } })).text();
  return { cookie, csrf: /<meta name="csrf-token" content="([^"]+)">/.exec(account)![1]! };
}

describe('uploading a large document', () => {
  let server: RunningServer | undefined;
  afterAll(async () => server?.stop());

  it('keeps resident memory growth under 50 MB for a 200 MB file', { timeout: 180_000 }, async () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    const db = openDb(config.dbFile);
    migrate(db);
    const services = createServices(db, () => new Date(), config);
    const { user } = await services.users.create({ email: 'lead@example.org', name: 'Lead', isAdmin: false, password: PASSWORD }, null);
    const studyId = services.studies.create({ title: 'S', question: '', language: 'nl' }, user.id);
    services.repos.cases.insert(studyId, { key: 'groot', name: 'Groot', pseudonym: null, group: '', attributes: {}, selectionReason: '' }, 0, new Date().toISOString());
    db.close();

    server = await startServer({ dataDir, env: { DOCUMENT_MAX_MB: '300' } });
    const pid = server.pid;
    const { cookie, csrf } = await login(server.baseUrl, 'lead@example.org');
    const boundary = `----kader${crypto.randomBytes(8).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nJaarverslag\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="groot.txt"\r\nContent-Type: text/plain\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const chunk = Buffer.alloc(CHUNK, 'kader bijstand onderzoek\n');

    /** Streams `size` bytes as one upload; returns the status and the SHA-256 of what was sent. */
    const send = (size: number) => new Promise<{ status: number; sha256: string }>((resolve, reject) => {
      const hash = crypto.createHash('sha256');
      const url = new URL(`${server!.baseUrl}/studies/${studyId}/cases/groot/documents`);
      const req = http.request(url, {
        method: 'POST',
        headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
      }, (res) => {
        res.resume();
        resolve({ status: res.statusCode!, sha256: hash.digest('hex') });
      });
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        let ok = true;
        while (ok && sent < size) {
          hash.update(chunk);
          sent += CHUNK;
          ok = req.write(chunk);
        }
        if (sent < size) req.once('drain', pump);
        else req.end(tail);
      };
      req.write(head);
      pump();
    });

    // A first, small upload loads the code paths that every upload uses; then measure the large one.
    expect((await send(4 * CHUNK)).status).toBe(303);
    await new Promise((r) => setTimeout(r, 500));
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
    const { status, sha256 } = await send(SIZE);
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(pid));

    expect(status).toBe(303);
    const growth = peak - baseline;
    console.info(`RSS baseline ${(baseline / 1048576).toFixed(1)} MB, peak ${(peak / 1048576).toFixed(1)} MB, growth ${(growth / 1048576).toFixed(1)} MB for a 200 MB upload`);
    expect(growth).toBeLessThan(50 * 1024 * 1024);

    const check = openDb(config.dbFile);
    const row = check.prepare("SELECT size, sha256, storage_name FROM documents WHERE key = 'd2'").get() as { size: number; sha256: string; storage_name: string };
    check.close();
    expect(row.size).toBe(SIZE);
    expect(row.sha256).toBe(sha256);
    expect(fs.statSync(path.join(config.uploadsDir, row.storage_name)).size).toBe(SIZE);
  });
});
