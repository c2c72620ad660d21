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

export function renderMarkdown(source: string): SafeHtml {
  let html: string;
  try {
    html = marked.parse(source ?? '') as string;
  } catch {
    // Pathological input (e.g. thousands of nested quotes) overflows the parser: show it as text.
    html = `<p>${source}</p>`;
  }
  return sanitizeHtml(html, sanitizeOptions) as SafeHtml;
}
