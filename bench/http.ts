// Plain-HTTP helpers for the benchmark: sign in as a browser would, and stream a large upload while
// sampling the server's resident memory (the approach of test/integration/upload-memory.test.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

export interface Session {
  cookie: string;
  csrf: string;
}

/** The session cookie and CSRF token of `email`, signed in through the real login form. */
export async function login(base: string, email: string, password: string): Promise<Session> {
  const page = await fetch(`${base}/login`);
  const first = page.headers.get('set-cookie');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!first || !token) throw new Error(`GET /login gave no session or CSRF token (status ${page.status})`);
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: first.split(';')[0]!, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: token }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 303 || !cookie) throw new Error(`login as ${email} failed with status ${res.status}`);
  const account = await (await fetch(`${base}/account`, { headers: { cookie } })).text();
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(account)?.[1];
  if (!csrf) throw new Error(`no CSRF token on /account for ${email}`);
  return { cookie, csrf };
}

export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Streams `size` bytes of text as one document upload; resolves with the status. */
function upload(url: URL, session: Session, size: number): Promise<number> {
  const CHUNK = 1024 * 1024;
  const boundary = `----kaderbench${crypto.randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${session.csrf}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBenchmark upload\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.txt"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(CHUNK, 'kader bijstand onderzoek\n');
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { cookie: session.cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      let ok = true;
      while (ok && sent < size) {
        const part = Math.min(CHUNK, size - sent);
        sent += part;
        ok = req.write(part === CHUNK ? chunk : chunk.subarray(0, part));
      }
      if (sent < size) req.once('drain', pump);
      else req.end(tail);
    };
    req.write(head);
    pump();
  });
}

export interface UploadMemory {
  status: number;
  baselineMb: number;
  peakMb: number;
  growthMb: number;
}

/** A small upload first (loads the code paths), then `size` bytes with RSS sampled every 20 ms. */
export async function uploadRssGrowth(base: string, pid: number, session: Session, studyId: number, caseKey: string, size: number): Promise<UploadMemory> {
  const url = new URL(`${base}/studies/${studyId}/cases/${caseKey}/documents`);
  const warm = await upload(url, session, 4 * 1024 * 1024);
  if (warm !== 303) throw new Error(`the warm-up upload answered ${warm}`);
  await new Promise((r) => setTimeout(r, 500));
  const baseline = rssOf(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
  let status: number;
  try {
    status = await upload(url, session, size);
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, rssOf(pid));
  const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
  return { status, baselineMb: mb(baseline), peakMb: mb(peak), growthMb: mb(peak - baseline) };
}
