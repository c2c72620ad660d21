// Malformed and hostile request bodies for the fuzz pass, built from a form's own fields: at most ten
// per route (urlencoded and JSON bodies for plain forms, multipart bodies for upload forms).
import type { FormField } from './forms.ts';

export interface Payload {
  label: string;
  /** 'valid' sends the session's token; the others must be refused with 403. */
  csrf: 'valid' | 'missing' | 'wrong';
  contentType: string;
  body: string | Buffer;
  /** Header token, as the autosave sends it. */
  headerToken?: string;
}

export const LONG = 'a'.repeat(99_999) + 'Z';
export const CONTROL = 'ctl\u0000\u0001\u0007\b\t\u000b\f\u001b[31m\r\n\u007f\u0085\u2028\u2029\uFEFFend';
export const BIDI = '\u202Egnp.exe\u202C \u2066isolate\u2069 \u200Bzero\u200Dwidth \u061C\u200F';
export const SQL = ["'; DROP TABLE ratings; --", "1' OR '1'='1", '1; DELETE FROM users WHERE 1=1; --', '" OR ""="'];
/** Unescaped in a response it would run; the check looks for exactly this text. */
export const XSS_MARK = "<script>alert('kader-xss')</script>";
export const HTML = `${XSS_MARK}<img src=x onerror="alert('kader-xss')"><a href="javascript:alert(1)">x</a>`;
const HIDDEN_HOSTILE = ['-1', '99999999999999999999', "1' OR '1'='1", '../../etc/passwd', '1\u0000', '', '1e3', ' 1 ', '0x10', 'NaN'];
const WRONG_TOKEN = 'wrong-token-0000000000000000000000000000';

type Pair = [string, string];
const encodePairs = (pairs: Pair[]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const FORM = 'application/x-www-form-urlencoded';

/** A form's fields without the file; fields the fuzz aims at: the text fields, else the choices, else an invented one. */
function partsOf(fields: FormField[]) {
  const plain = fields.filter((f) => f.kind !== 'file');
  const text = plain.filter((f) => f.kind === 'text');
  const choices = plain.filter((f) => f.kind === 'choice');
  const targets = text.length ? text : choices.length ? choices : [];
  const extra: FormField[] = targets.length ? [] : [{ name: 'note', value: '', kind: 'text' }];
  return { plain: [...plain, ...extra], targets: new Set([...targets, ...extra]), hidden: plain.filter((f) => f.kind === 'hidden') };
}

/** The ten payloads of a urlencoded form. */
export function formPayloads(fields: FormField[], token: string): Payload[] {
  const { plain, targets, hidden } = partsOf(fields);
  const base: Pair[] = plain.map((f) => [f.name, f.value]);
  /** Target fields get `value(i)`; others keep theirs; the token goes first. */
  const withTargets = (value: (i: number) => string, limit = Infinity): Pair[] => {
    let i = 0;
    return plain.map((f) => [f.name, targets.has(f) && i < limit ? value(i++) : f.value]);
  };
  const form = (label: string, pairs: Pair[], raw = ''): Payload => ({ label, csrf: 'valid', contentType: FORM, body: encodePairs([['_csrf', token], ...pairs]) + raw });

  // Wrong types as JSON (express.json parses them): numbers, arrays, objects, booleans and null where text goes.
  const types: unknown[] = [42, ['a', 'b'], { nested: { deep: 1 } }, true, null, -1e308];
  const hiddenTypes: unknown[] = [12345678901234567890, [1, 2], { $gt: '' }, false];
  const json: Record<string, unknown> = { _csrf: token };
  let t = 0;
  let h = 0;
  for (const f of plain) json[f.name] = f.kind === 'hidden' ? hiddenTypes[h++ % hiddenTypes.length] : types[t++ % types.length];
  const jsonText = JSON.stringify(json).replace(/^\{/, '{"__proto__":{"isAdmin":true,"role":"lead"},"constructor":{"prototype":{"polluted":1}},');

  let k = 0;
  const hostileHidden: Pair[] = plain.map((f) => [f.name, f.kind === 'hidden' || (!hidden.length && targets.has(f)) ? HIDDEN_HOSTILE[k++ % HIDDEN_HOSTILE.length]! : f.value]);

  return [
    // Eight long values at most: more would pass the 1 MB body limit and only test that (413).
    form('long strings (100k chars)', withTargets(() => LONG, 8)),
    form('every field twice (arrays)', plain.flatMap((f): Pair[] => [[f.name, f.value], [f.name, `${f.value}2`]])),
    { label: 'wrong types as JSON (numbers, arrays, objects, __proto__)', csrf: 'valid', contentType: 'application/json', body: jsonText },
    form('qs syntax a[b]=1 and a[]=x', [...plain.flatMap((f): Pair[] => [[`${f.name}[b]`, '1'], [`${f.name}[]`, 'x']]), ['a[b]', '1'], ['__proto__[isAdmin]', 'true']]),
    form('hostile hidden values (ids, stamps)', hostileHidden),
    form('control characters, NUL, direction overrides, broken escapes', withTargets(() => `${CONTROL} ${BIDI}`), '&%ZZ=%E0%A4%A&bad%00key=%00&%=%'),
    form('SQL payloads', withTargets((i) => SQL[i % SQL.length]!)),
    form('HTML and script payloads', withTargets(() => HTML)),
    { label: 'no CSRF token', csrf: 'missing', contentType: FORM, body: encodePairs(base) },
    { label: 'wrong CSRF token', csrf: 'wrong', contentType: FORM, body: encodePairs([['_csrf', WRONG_TOKEN], ...base]), headerToken: WRONG_TOKEN },
  ];
}

type Part = { name: string; value: string } | { name: string; filename: string; type: string; content: Buffer };

function multipart(parts: Part[], boundary: string, options: { truncateAt?: number } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`, 'utf8'));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`, 'utf8'));
      chunks.push(p.content, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(chunks);
  return options.truncateAt === undefined ? body : body.subarray(0, options.truncateAt);
}

/** The ten payloads of a multipart (upload) form. */
export function uploadPayloads(fields: FormField[], token: string): Payload[] {
  const boundary = '----kader-fuzz-boundary-7d3f';
  const type = `multipart/form-data; boundary=${boundary}`;
  const fileField = fields.find((f) => f.kind === 'file')?.name ?? 'file';
  const text = fields.filter((f) => f.kind !== 'file').map((f): Part => ({ name: f.name, value: f.value }));
  const csrf: Part = { name: '_csrf', value: token };
  const hostileCsv = Buffer.from(`case,condition,rater,score\n"${SQL[0]}",${HTML},=cmd|' /C calc'!A0,999\n${CONTROL},${BIDI},,\n`, 'utf8');
  const small = (name = 'notes.csv'): Part => ({ name: fileField, filename: name, type: 'text/csv', content: hostileCsv });
  const mp = (label: string, parts: Part[], options: { truncateAt?: number; csrf?: Payload['csrf'] } = {}): Payload => ({
    label, csrf: options.csrf ?? 'valid', contentType: type, body: multipart(parts, boundary, options),
  });
  const binary = Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0, 0x1b, 0x7f]), Buffer.from(`\u0000${HTML}\u0000{"format":"kader.study"`, 'utf8'), Buffer.alloc(2048, 0)]);
  const full = multipart([csrf, ...text, small()], boundary);
  return [
    mp('long text fields (100k chars), no file', [csrf, ...text.map((p) => ({ name: p.name, value: LONG })), { name: 'title', value: LONG }]),
    mp('file under a wrong field name', [csrf, ...text, { ...small(), name: 'upload' }]),
    mp('empty file', [csrf, ...text, { name: fileField, filename: 'empty.csv', type: 'text/csv', content: Buffer.alloc(0) }]),
    mp('oversize hostile file name', [csrf, ...text, small(`${'../'.repeat(10)}${'x'.repeat(10_000)}\u202Egnp.csv`)]),
    mp('two files in one field', [csrf, ...text, small('one.csv'), small('two.csv')]),
    mp('binary content with NUL bytes and script', [csrf, ...text, { name: fileField, filename: 'data.json', type: 'application/json', content: binary }]),
    { label: 'multipart header without boundary', csrf: 'valid', contentType: 'multipart/form-data', body: full },
    mp('truncated multipart body', [csrf, ...text, small()], { truncateAt: Math.floor(full.length * 0.7) }),
    mp('no CSRF token', [...text, small()], { csrf: 'missing' }),
    mp('wrong CSRF token', [{ name: '_csrf', value: WRONG_TOKEN }, ...text, small()], { csrf: 'wrong' }),
  ];
}
