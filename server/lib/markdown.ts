// Markdown to HTML for everything users write: marked, then an allow-list sanitiser. Only this
// module produces SafeHtml, the one type views may print unescaped.
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

declare const safeHtmlBrand: unique symbol;
export type SafeHtml = string & { readonly [safeHtmlBrand]: true };

const marked = new Marked({ gfm: true, breaks: false, async: false });

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'em', 'strong', 'del',
    'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub',
  ],
  allowedAttributes: { a: ['href', 'title'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
};
sanitizeOptions.allowedAttributes = { ...sanitizeOptions.allowedAttributes, a: ['href', 'title', 'rel'] };

/**
 * Rendered texts, most recently used last: pages render the same descriptions and rationales again
 * and again (a rating form renders every condition's), and rendering dominates their cost. Bounded
 * by entries and by the length of the texts kept.
 */
const cache = new Map<string, SafeHtml>();
const CACHE_ENTRIES = 2_000;
const CACHE_MAX_SOURCE = 20_000;

function render(source: string): SafeHtml {
  let html: string;
  try {
    html = marked.parse(source) as string;
  } catch {
    // Pathological input (e.g. thousands of nested quotes) overflows the parser: show it as text.
    html = `<p>${source}</p>`;
  }
  return sanitizeHtml(html, sanitizeOptions) as SafeHtml;
}

export function renderMarkdown(source: string): SafeHtml {
  const text = source ?? '';
  if (text === '') return '' as SafeHtml;
  const cached = cache.get(text);
  if (cached !== undefined) {
    cache.delete(text);
    cache.set(text, cached);
    return cached;
  }
  const html = render(text);
  if (text.length <= CACHE_MAX_SOURCE) {
    cache.set(text, html);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return html;
}

const inlineSanitizeOptions: sanitizeHtml.IOptions = {
  ...sanitizeOptions,
  allowedTags: ['br', 'code', 'em', 'strong', 'del', 'a', 'sup', 'sub'],
};

/**
 * Markdown for a place in running text (a research question after a bold label in a report): inline
 * formatting kept, paragraphs joined by line breaks, block syntax (lists, headings) read as text.
 */
export function renderMarkdownInline(source: string): SafeHtml {
  const paragraphs = (source ?? '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const html = paragraphs
    .map((p) => {
      try {
        return marked.parseInline(p) as string;
      } catch {
        return p;
      }
    })
    .join('<br>');
  return sanitizeHtml(html, inlineSanitizeOptions) as SafeHtml;
}

type MdToken = { type: string; text?: string; tokens?: MdToken[]; items?: Array<{ tokens: MdToken[] }>; header?: Array<{ tokens: MdToken[] }>; rows?: Array<Array<{ tokens: MdToken[] }>> };

function inlineText(tokens: MdToken[] | undefined): string {
  let out = '';
  for (const t of tokens ?? []) {
    // A tag stays as the text it is: pages show users' HTML escaped, never as markup.
    if (t.type === 'br') out += ' ';
    else if (t.tokens?.length) out += inlineText(t.tokens);
    else out += t.text ?? '';
  }
  return out;
}

function blocksText(tokens: MdToken[], separator: string): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (t.type === 'space' || t.type === 'hr') continue;
    if (t.type === 'list') for (const item of t.items ?? []) out.push(...blocksText(item.tokens, separator));
    else if (t.type === 'blockquote') out.push(...blocksText(t.tokens ?? [], separator));
    else if (t.type === 'table') {
      for (const row of [t.header ?? [], ...(t.rows ?? [])]) out.push(row.map((c) => inlineText(c.tokens)).join(' · '));
    } else if (t.type === 'code' || t.type === 'html') out.push(t.text ?? '');
    else if (t.tokens) out.push(inlineText(t.tokens));
    else if (t.text) out.push(t.text);
  }
  return out;
}

/**
 * Markdown as plain text: the words without the syntax (`**tekort**` → `tekort`, a link → its text,
 * a list item → its text; HTML stays as the text it is, as pages show it), blocks joined by `separator`. Also for fragments of a text,
 * such as search snippets: markers a cut left unpaired (`**`, `__`, `~~`, a backtick) are removed.
 * Characters other than Markdown's pass through unchanged (search hit markers included).
 */
export function markdownToText(source: string, separator = ' '): string {
  const text = source ?? '';
  if (text === '') return '';
  let blocks: string[];
  try {
    blocks = blocksText(marked.lexer(text) as unknown as MdToken[], separator);
  } catch {
    blocks = [text];
  }
  return blocks
    .map((b) => b.replace(/\*\*|__|~~|`/g, '').replace(/^#{1,6}\s+/, '').replace(/[ \t]*\n[ \t]*/g, ' ').trim())
    .filter(Boolean)
    .join(separator);
}
