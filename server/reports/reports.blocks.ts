// The sections of a report as plain blocks: what both outputs are built from. reports.html.ts turns
// blocks into escaped HTML, reports.docx.ts into Word paragraphs and tables; neither converts the
// other's output. Every text in a block is plain text (or Markdown where the block says so), never HTML.
import type { SafeHtml } from '../lib/markdown.ts';

/** A class shown as a tone: a colour AND a text, never the colour alone. */
export type Tone = 'low' | 'medium' | 'high' | 'none';

export interface TableCell {
  text: string;
  tone?: Tone;
  numeric?: boolean;
  /** A row header (the first cell of a row). */
  header?: boolean;
}

export type Block =
  | { type: 'heading'; level: 3 | 4; text: string }
  | { type: 'paragraph'; text: string; muted?: boolean; strong?: string }
  | { type: 'facts'; items: Array<{ term: string; value: string }> }
  | { type: 'table'; caption: string; head: string[]; rows: TableCell[][]; wide?: boolean }
  | { type: 'markdown'; source: string }
  | { type: 'quote'; text: string; cite: string }
  | { type: 'list'; items: string[] }
  /** HTML: the SVG; DOCX: `fallback` (the same content as tables). */
  | { type: 'diagram'; svg: SafeHtml; legend: string; fallback: Block[] }
  /** Blocks kept together (a condition's card); DOCX writes them in sequence. */
  | { type: 'group'; blocks: Block[] };

/** The values of a report: text placeholders and block placeholders by name. */
export interface ReportContent {
  texts: Record<string, string>;
  blocks: Record<string, Block[]>;
  /** The document title (also the HTML page's title and the DOCX's core property). */
  title: string;
}

/** Every text of the content through `fn` (the SVG of a diagram is built from texts that already went through it). */
export function mapTexts(content: ReportContent, fn: (s: string) => string): ReportContent {
  const cell = (c: TableCell): TableCell => ({ ...c, text: fn(c.text) });
  const map = (b: Block): Block => {
    switch (b.type) {
      case 'heading':
        return { ...b, text: fn(b.text) };
      case 'paragraph':
        return { ...b, text: fn(b.text), ...(b.strong !== undefined ? { strong: fn(b.strong) } : {}) };
      case 'facts':
        return { ...b, items: b.items.map((i) => ({ term: fn(i.term), value: fn(i.value) })) };
      case 'table':
        return { ...b, caption: fn(b.caption), head: b.head.map(fn), rows: b.rows.map((r) => r.map(cell)) };
      case 'markdown':
        return { ...b, source: fn(b.source) };
      case 'quote':
        return { ...b, text: fn(b.text), cite: fn(b.cite) };
      case 'list':
        return { ...b, items: b.items.map(fn) };
      case 'diagram':
        return { ...b, legend: fn(b.legend), fallback: b.fallback.map(map) };
      case 'group':
        return { ...b, blocks: b.blocks.map(map) };
    }
  };
  return {
    title: fn(content.title),
    texts: Object.fromEntries(Object.entries(content.texts).map(([k, v]) => [k, fn(v)])),
    blocks: Object.fromEntries(Object.entries(content.blocks).map(([k, v]) => [k, v.map(map)])),
  };
}
