// A small cookie-keeping HTTP client for the resilience tests: one per simulated user, talking to a
// real server on 127.0.0.1 with fetch (keep-alive), never following redirects, every request bounded.

export interface Answer {
  status: number;
  location: string | null;
  contentType: string;
  text: string;
  /** Milliseconds from sending to the whole body read. */
  ms: number;
}

export interface RequestOptions {
  body?: URLSearchParams | string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

const CSRF_META = /<meta name="csrf-token" content="([^"]+)">/;

export class Client {
  private readonly cookies = new Map<string, string>();
  /** The session's CSRF token, read from the last page that carried one. */
  csrf = '';

  constructor(readonly baseUrl: string) {
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(baseUrl)) throw new Error(`resilience traffic stays on 127.0.0.1, not ${baseUrl}`);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<Answer> {
    const started = performance.now();
    const headers: Record<string, string> = { ...options.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : String(options.body),
      redirect: 'manual',
      // Generous: a 2-core machine shared with other test runs can starve the server for seconds.
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
    this.keepCookies(res);
    const text = await res.text();
    const token = CSRF_META.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, location: res.headers.get('location'), contentType: res.headers.get('content-type') ?? '', text, ms: performance.now() - started };
  }

  get(path: string, options: RequestOptions = {}): Promise<Answer> {
    return this.request('GET', path, options);
  }

  post(path: string, fields: Record<string, string | string[]>, options: Omit<RequestOptions, 'body'> = {}): Promise<Answer> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.request('POST', path, { ...options, body });
  }

  /** GET /login for the cookie and token, POST /login; resolves when the server answered 303. */
  async logIn(email: string, password: string): Promise<void> {
    const page = await this.get('/login');
    if (page.status !== 200 || !this.csrf) throw new Error(`GET /login answered ${page.status}`);
    const res = await this.post('/login', { email, password, _csrf: this.csrf });
    if (res.status !== 303) throw new Error(`POST /login as ${email} answered ${res.status}`);
  }
}
