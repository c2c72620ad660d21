// A report as HTML: the template's Markdown rendered by the sanitising Markdown module with every
// placeholder replaced by a unique token first, then each token substituted in one pass by escaped
// text (text placeholders) or by a section built here from blocks (block placeholders). Nothing a user
// wrote is ever parsed as HTML: templates and narratives go through renderMarkdown, every other text is
// escaped, and a substituted value is never scanned again, so "{{…}}" or "<script>" in a case name or
// narrative stays text.
import { randomBytes } from 'node:crypto';
import { markdownToText, renderMarkdown, renderMarkdownInline, type SafeHtml } from '../lib/markdown.ts';
import type { Block, ReportContent, TableCell } from './reports.blocks.ts';
import { MARKDOWN_TEXTS, PLACEHOLDER } from './reports.templates.ts';
import { escapeMarkup as escapeHtml } from '../lib/escape.ts';


const toneClass = (c: TableCell) => [c.tone ? `tone tone--${c.tone}` : '', c.numeric ? 'num' : ''].filter(Boolean).join(' ');

function cellHtml(c: TableCell): string {
  const cls = toneClass(c);
  const attr = cls ? ` class="${cls}"` : '';
  return c.header ? `<th scope="row"${attr}>${escapeHtml(c.text)}</th>` : `<td${attr}>${escapeHtml(c.text)}</td>`;
}

/** One block as HTML; every text escaped, Markdown through the sanitiser. */
export function blockHtml(b: Block): string {
  switch (b.type) {
    case 'heading':
      return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p${b.muted ? ' class="muted"' : ''}>${b.strong !== undefined ? `<strong>${escapeHtml(b.strong)}</strong> ` : ''}${escapeHtml(b.text)}</p>`;
    case 'facts':
      return `<dl class="facts">${b.items.map((i) => `<dt>${escapeHtml(i.term)}</dt><dd>${escapeHtml(i.value)}</dd>`).join('')}</dl>`;
    case 'table':
      return (
        `<div class="report-table${b.wide ? ' report-table--wide' : ''}"><table>` +
        `<caption>${escapeHtml(b.caption)}</caption>` +
        `<thead><tr>${b.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>` +
        `<tbody>${b.rows.map((r) => `<tr>${r.map(cellHtml).join('')}</tr>`).join('')}</tbody></table></div>`
      );
    case 'markdown':
      return `<div class="prose">${renderMarkdown(b.source)}</div>`;
    case 'quote':
      return `<figure class="report-quote"><blockquote><p>${escapeHtml(markdownToText(b.text))}</p></blockquote><figcaption>${escapeHtml(b.cite)}</figcaption></figure>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'diagram':
      return `<figure class="diagram report-diagram">${b.svg}<figcaption>${escapeHtml(b.legend)}</figcaption></figure>`;
    case 'group':
      return `<section class="report-group">${b.blocks.map(blockHtml).join('')}</section>`;
  }
}

export const blocksHtml = (blocks: readonly Block[]): string => blocks.map(blockHtml).join('\n');

/**
 * The template rendered with the content. A placeholder the kind does not know stays visible as
 * written (escaped); a placeholder inside a link address or other attribute is dropped (values are
 * text, never addresses).
 */
export function renderReportHtml(template: string, content: ReportContent): SafeHtml {
  const nonce = randomBytes(9).toString('hex');
  const names: string[] = [];
  const tokenised = template.replace(PLACEHOLDER, (_whole, name: string) => {
    names.push(name);
    return `kdr${nonce}t${names.length - 1}t`;
  });
  const html = renderMarkdown(tokenised) as string;
  const token = `kdr${nonce}t(\\d+)t`;
  const anyToken = new RegExp(token, 'g');

  const substitute = (index: number, inParagraph: boolean): string => {
    const name = names[index]!;
    const blocks = content.blocks[name];
    if (blocks) return `<div class="report-section" data-placeholder="${escapeHtml(name)}">${blocksHtml(blocks)}</div>`;
    const value = content.texts[name];
    if (value !== undefined && MARKDOWN_TEXTS.has(name)) return inParagraph ? `<div class="prose">${renderMarkdown(value)}</div>` : renderMarkdownInline(value);
    const text = escapeHtml(value ?? `{{${name}}}`);
    return inParagraph ? `<p>${text}</p>` : text;
  };

  // One pass: a paragraph holding nothing but tokens (a placeholder on its own line), a tag (tokens
  // inside are dropped), or a token in running text.
  const pass = new RegExp(`<p>((?:\\s*${token.replace('(\\d+)', '\\d+')}\\s*)+)</p>|<[^>]*>|${token}`, 'g');
  const out = html.replace(pass, (match: string, onlyTokens: string | undefined, inline: string | undefined) => {
    if (onlyTokens !== undefined) return [...onlyTokens.matchAll(anyToken)].map((m) => substitute(Number(m[1]), true)).join('\n');
    if (inline !== undefined) return substitute(Number(inline), false);
    return match.replace(anyToken, '');
  });
  return out as SafeHtml;
}
