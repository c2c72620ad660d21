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
