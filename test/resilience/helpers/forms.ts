// Reads the forms of a rendered page (our own templates, so a few regular expressions do): for each
// form its action, whether it is multipart, and its fields with the values a browser would post.

export type FieldKind = 'text' | 'hidden' | 'choice' | 'file';

export interface FormField {
  name: string;
  value: string;
  kind: FieldKind;
}

export interface FormSpec {
  action: string;
  multipart: boolean;
  fields: FormField[];
}

const attr = (attrs: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(` ${attrs}`);
  return m ? decodeEntities(m[1]!) : null;
};
const hasAttr = (attrs: string, name: string) => new RegExp(`\\s${name}(\\s|=|$)`, 'i').test(` ${attrs} `);

export function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const TEXT_TYPES = new Set(['text', 'email', 'password', 'number', 'date', 'url', 'search', 'tel', 'datetime-local', 'month', 'time']);

/** The POST forms of a page; `pagePath` is the action of a form without one. */
export function formsOf(html: string, pagePath: string): FormSpec[] {
  const forms: FormSpec[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, attrs = '', inner = ''] = m;
    if ((attr(attrs, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const action = (attr(attrs, 'action') || pagePath).replace(/[?#].*$/, '');
    const fields: FormField[] = [];
    const seenRadio = new Set<string>();
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const a = input[1] ?? '';
      const name = attr(a, 'name');
      if (!name || name === '_csrf') continue;
      const type = (attr(a, 'type') ?? 'text').toLowerCase();
      const value = attr(a, 'value') ?? '';
      if (type === 'hidden') fields.push({ name, value, kind: 'hidden' });
      else if (type === 'file') fields.push({ name, value: '', kind: 'file' });
      else if (type === 'radio') {
        // The checked choice, else the first one.
        const checked = hasAttr(a, 'checked');
        if (checked) {
          const i = fields.findIndex((f) => f.name === name);
          if (i >= 0) fields.splice(i, 1);
          fields.push({ name, value, kind: 'choice' });
          seenRadio.add(name);
        } else if (!seenRadio.has(name) && !fields.some((f) => f.name === name)) fields.push({ name, value, kind: 'choice' });
      } else if (type === 'checkbox') {
        if (hasAttr(a, 'checked')) fields.push({ name, value: value || 'on', kind: 'choice' });
      } else if (TEXT_TYPES.has(type)) fields.push({ name, value, kind: 'text' });
    }
    for (const t of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const name = attr(t[1] ?? '', 'name');
      if (name) fields.push({ name, value: decodeEntities(t[2] ?? '').replace(/^\n/, ''), kind: 'text' });
    }
    for (const s of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attr(s[1] ?? '', 'name');
      if (!name) continue;
      const options = [...(s[2] ?? '').matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)];
      const chosen = options.find((o) => hasAttr(o[1] ?? '', 'selected')) ?? options[0];
      if (chosen) fields.push({ name, value: attr(chosen[1] ?? '', 'value') ?? decodeEntities(chosen[2] ?? '').trim(), kind: 'choice' });
    }
    for (const b of inner.matchAll(/<button\b([^>]*)>/gi)) {
      const name = attr(b[1] ?? '', 'name');
      if (name && !fields.some((f) => f.name === name)) fields.push({ name, value: attr(b[1] ?? '', 'value') ?? '', kind: 'choice' });
    }
    forms.push({ action, multipart: /multipart\/form-data/i.test(attr(attrs, 'enctype') ?? ''), fields });
  }
  return forms;
}
