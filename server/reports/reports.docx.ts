// A report as a Word document (the `docx` package), built from the same template and blocks as the
// HTML, not by converting HTML: the template's Markdown is read token by token (marked's lexer),
// placeholders become text runs or the blocks of a section, and user Markdown (narratives,
// rationales, notes) is read the same way. Word text is data, never markup, so nothing here can
// inject anything; characters XML cannot carry are dropped.
//
// The within-case diagram is the page's SVG, embedded as an SVG picture (Word 2016 and later, and
// LibreOffice, draw it; the class colours come from the site's CSS, so in Word the boxes carry their
// class as the letter only). Word wants a PNG beside an SVG for older readers, and we have no
// rasteriser: that fallback is a blank pixel, and the diagram's content follows as tables
// (conditions by level with their class, relations with their verdict and how the diagram draws them).
import { randomBytes } from 'node:crypto';
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { Marked, type Token, type Tokens } from 'marked';
import type { Block, ReportContent, TableCell as CellData, Tone } from './reports.blocks.ts';
import { MARKDOWN_TEXTS, PLACEHOLDER } from './reports.templates.ts';
import type { Report } from './reports.service.ts';
import { translator } from '../lib/i18n.ts';
import { markdownToText } from '../lib/markdown.ts';

type Out = Paragraph | Table;

/** Cell shading per class: the colour-blind-safe palette of the analysis pages (ColorBrewer RdYlBu), always with the class in words. */
export const TONE_FILL: Record<Tone, string | null> = { low: 'FC8D59', medium: 'FFFFBF', high: '91BFDB', none: null };
const MUTED = '57606A';
const HEADER_FILL = 'E9ECEF';

const lexer = new Marked({ gfm: true, breaks: false, async: false });

/** Drops characters XML 1.0 does not allow and lone surrogates. */
const clean = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
  code?: boolean;
  color?: string;
}

const run = (text: string, style: RunStyle = {}) =>
  new TextRun({
    text: clean(text),
    bold: style.bold,
    italics: style.italics,
    strike: style.strike,
    color: style.color,
    ...(style.code ? { font: 'Consolas' } : {}),
  });

/** Placeholder tokens of one rendering; `null` for user Markdown, where nothing is a placeholder. */
interface Tokens_ {
  pattern: RegExp;
  names: string[];
  content: ReportContent;
}

type Inline = ParagraphChild | { placeholder: string };

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

class DocxWriter {
  constructor(private readonly width: number) {}

  /** Plain text with the placeholder tokens of `tokens` substituted (text) or marked for a section (block). */
  private textPieces(text: string, style: RunStyle, tokens: Tokens_ | null): Inline[] {
    if (!tokens) return text ? [run(text, style)] : [];
    const out: Inline[] = [];
    let last = 0;
    for (const m of text.matchAll(tokens.pattern)) {
      if (m.index > last) out.push(run(text.slice(last, m.index), style));
      const name = tokens.names[Number(m[1])]!;
      const value = tokens.content.texts[name];
      if (tokens.content.blocks[name]) out.push({ placeholder: name });
      else if (value !== undefined && MARKDOWN_TEXTS.has(name)) out.push(...this.inlineMarkdown(value, style));
      else out.push(run(value ?? `{{${name}}}`, style));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(run(text.slice(last), style));
    return out;
  }

  /** User Markdown in running text (the research question): its inline formatting as runs, blocks joined by line breaks. */
  private inlineMarkdown(source: string, style: RunStyle): Inline[] {
    const out: Inline[] = [];
    const add = (list: Token[] | undefined) => {
      if (out.length) out.push(new TextRun({ text: '', break: 1 }));
      out.push(...this.inline(list, style, null));
    };
    const walk = (list: Token[]) => {
      for (const t of list) {
        if (t.type === 'list') for (const item of (t as Tokens.List).items) walk(item.tokens);
        else if (t.type === 'blockquote') walk((t as Tokens.Blockquote).tokens);
        else if ('tokens' in t && Array.isArray(t.tokens) && t.type !== 'table') add(t.tokens as Token[]);
        else if (t.type !== 'space' && t.type !== 'hr' && 'text' in t && typeof t.text === 'string') add([{ type: 'text', raw: t.text, text: t.text } as Tokens.Text]);
      }
    };
    walk(lexer.lexer(source));
    return out;
  }

  private inline(list: Token[] | undefined, style: RunStyle, tokens: Tokens_ | null): Inline[] {
    const out: Inline[] = [];
    for (const t of list ?? []) {
      switch (t.type) {
        case 'text': {
          const tt = t as Tokens.Text;
          out.push(...(tt.tokens?.length ? this.inline(tt.tokens, style, tokens) : this.textPieces(tt.text, style, tokens)));
          break;
        }
        case 'escape':
        case 'html':
          out.push(...this.textPieces((t as Tokens.Escape).text, style, tokens));
          break;
        case 'strong':
          out.push(...this.inline((t as Tokens.Strong).tokens, { ...style, bold: true }, tokens));
          break;
        case 'em':
          out.push(...this.inline((t as Tokens.Em).tokens, { ...style, italics: true }, tokens));
          break;
        case 'del':
          out.push(...this.inline((t as Tokens.Del).tokens, { ...style, strike: true }, tokens));
          break;
        case 'codespan':
          out.push(...this.textPieces((t as Tokens.Codespan).text, { ...style, code: true }, tokens));
          break;
        case 'br':
          out.push(new TextRun({ text: '', break: 1 }));
          break;
        case 'image':
          out.push(...this.textPieces((t as Tokens.Image).text, style, tokens));
          break;
        case 'link': {
          const link = t as Tokens.Link;
          const children = this.inline(link.tokens, style, tokens).filter((c): c is ParagraphChild => !('placeholder' in c));
          // Only plain web and mail addresses become links (as the HTML sanitiser allows); an address
          // holding a placeholder is not one (values are text, never addresses).
          const safe = /^(https?:|mailto:)/i.test(link.href) && !(tokens && new RegExp(tokens.pattern.source).test(link.href));
          if (safe) out.push(new ExternalHyperlink({ link: link.href, children }));
          else out.push(...children);
          break;
        }
        default:
          if ('text' in t && typeof t.text === 'string') out.push(...this.textPieces(t.text, style, tokens));
      }
    }
    return out;
  }

  /** Paragraphs of inline content, split where a section placeholder stands. */
  private paragraphs(inlines: Inline[], options: { heading?: (typeof HEADINGS)[number]; indent?: number; bullet?: number }, content: ReportContent | null): Out[] {
    const out: Out[] = [];
    let current: ParagraphChild[] = [];
    const flush = () => {
      if (current.length === 0) return;
      out.push(
        new Paragraph({
          children: current,
          heading: options.heading,
          ...(options.bullet !== undefined ? { bullet: { level: options.bullet } } : {}),
          ...(options.indent ? { indent: { left: options.indent } } : {}),
        }),
      );
      current = [];
    };
    for (const i of inlines) {
      if ('placeholder' in i) {
        flush();
        out.push(...this.blocks(content?.blocks[i.placeholder] ?? []));
      } else current.push(i);
    }
    flush();
    return out;
  }

  /** Markdown block tokens as Word paragraphs and tables. */
  markdown(list: Token[], tokens: Tokens_ | null, ctx: { indent?: number; italics?: boolean; listLevel?: number } = {}): Out[] {
    const out: Out[] = [];
    const style: RunStyle = ctx.italics ? { italics: true } : {};
    const content = tokens?.content ?? null;
    for (const t of list) {
      switch (t.type) {
        case 'heading': {
          const h = t as Tokens.Heading;
          out.push(...this.paragraphs(this.inline(h.tokens, style, tokens), { heading: HEADINGS[Math.min(h.depth, 6) - 1], indent: ctx.indent }, content));
          break;
        }
        case 'paragraph':
          out.push(...this.paragraphs(this.inline((t as Tokens.Paragraph).tokens, style, tokens), { indent: ctx.indent }, content));
          break;
        case 'text':
          out.push(...this.paragraphs(this.inline((t as Tokens.Text).tokens ?? [t], style, tokens), { indent: ctx.indent }, content));
          break;
        case 'list': {
          const l = t as Tokens.List;
          const level = ctx.listLevel ?? 0;
          l.items.forEach((item, n) => {
            item.tokens.forEach((child, j) => {
              if (child.type === 'list') {
                out.push(...this.markdown([child], tokens, { ...ctx, listLevel: level + 1 }));
              } else if (child.type === 'text' || child.type === 'paragraph') {
                const inl = this.inline((child as Tokens.Text).tokens ?? [child], style, tokens);
                if (l.ordered && j === 0) {
                  const start = typeof l.start === 'number' ? l.start : 1;
                  out.push(...this.paragraphs([run(`${start + n}. `, style), ...inl], { indent: 360 * (level + 1) + (ctx.indent ?? 0) }, content));
                } else {
                  out.push(...this.paragraphs(inl, j === 0 ? { bullet: level } : { indent: 360 * (level + 1) }, content));
                }
              } else out.push(...this.markdown([child], tokens, ctx));
            });
          });
          break;
        }
        case 'blockquote':
          out.push(...this.markdown((t as Tokens.Blockquote).tokens, tokens, { ...ctx, indent: (ctx.indent ?? 0) + 567, italics: true }));
          break;
        case 'code': {
          const lines = (t as Tokens.Code).text.split('\n');
          out.push(
            new Paragraph({
              indent: ctx.indent ? { left: ctx.indent } : undefined,
              children: lines.map((line, i) => new TextRun({ text: clean(line), font: 'Consolas', break: i > 0 ? 1 : undefined })),
            }),
          );
          break;
        }
        case 'table': {
          const tb = t as Tokens.Table;
          const cell = (c: Tokens.TableCell, header: boolean) =>
            new TableCell({
              children: this.paragraphs(this.inline(c.tokens, header ? { bold: true } : {}, tokens), {}, null).filter((p): p is Paragraph => p instanceof Paragraph),
              shading: header ? { fill: HEADER_FILL, type: ShadingType.CLEAR, color: 'auto' } : undefined,
            });
          const columns = tb.header.length;
          out.push(
            new Table({
              width: { size: 100, type: WidthType.PERCENTAGE },
              columnWidths: Array.from({ length: columns }, () => Math.floor(this.width / Math.max(1, columns))),
              rows: [
                new TableRow({ tableHeader: true, children: tb.header.map((c) => cell(c, true)) }),
                ...tb.rows.map((r) => new TableRow({ children: r.map((c) => cell(c, false)) })),
              ],
            }),
          );
          break;
        }
        case 'hr':
          out.push(new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: 'AAAAAA', space: 1 } }, children: [] }));
          break;
        case 'html':
          out.push(...this.paragraphs(this.textPieces((t as Tokens.HTML).text.trim(), style, tokens), { indent: ctx.indent }, content));
          break;
        default:
          break;
      }
    }
    return out;
  }

  /** User Markdown (a narrative, rationale or note): nothing in it is a placeholder. */
  userMarkdown(source: string, ctx: { indent?: number } = {}): Out[] {
    return this.markdown(lexer.lexer(source), null, ctx);
  }

  private table(b: Extract<Block, { type: 'table' }>): Out[] {
    const columns = b.head.length;
    const widths = Array.from({ length: columns }, () => Math.floor(this.width / Math.max(1, columns)));
    const cell = (c: CellData) => {
      const fill = c.tone ? TONE_FILL[c.tone] : null;
      return new TableCell({
        children: [new Paragraph({ alignment: c.numeric ? AlignmentType.RIGHT : undefined, children: [run(c.text, c.header ? { bold: true } : {})] })],
        shading: fill ? { fill, type: ShadingType.CLEAR, color: 'auto' } : undefined,
      });
    };
    return [
      new Paragraph({ keepNext: true, children: [run(b.caption, { bold: true })] }),
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        columnWidths: widths,
        rows: [
          new TableRow({
            tableHeader: true,
            children: b.head.map(
              (h) => new TableCell({ children: [new Paragraph({ children: [run(h, { bold: true })] })], shading: { fill: HEADER_FILL, type: ShadingType.CLEAR, color: 'auto' } }),
            ),
          }),
          ...b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map(cell) })),
        ],
      }),
      new Paragraph({ children: [] }),
    ];
  }

  blocks(list: readonly Block[]): Out[] {
    const out: Out[] = [];
    for (const b of list) {
      switch (b.type) {
        case 'heading':
          out.push(new Paragraph({ heading: b.level === 3 ? HeadingLevel.HEADING_3 : HeadingLevel.HEADING_4, keepNext: true, children: [run(b.text)] }));
          break;
        case 'paragraph':
          out.push(
            new Paragraph({
              children: [...(b.strong !== undefined ? [run(`${b.strong} `, { bold: true })] : []), run(b.text, b.muted ? { color: MUTED } : {})],
            }),
          );
          break;
        case 'facts':
          for (const i of b.items) out.push(new Paragraph({ children: [run(`${i.term}: `, { bold: true }), run(i.value)] }));
          break;
        case 'table':
          out.push(...this.table(b));
          break;
        case 'markdown':
          out.push(...this.userMarkdown(b.source));
          break;
        case 'quote':
          out.push(new Paragraph({ indent: { left: 567 }, children: [run(markdownToText(b.text), { italics: true })] }));
          out.push(new Paragraph({ indent: { left: 567 }, children: [run(`— ${b.cite}`, { color: MUTED })] }));
          break;
        case 'list':
          for (const i of b.items) out.push(new Paragraph({ bullet: { level: 0 }, children: [run(i)] }));
          break;
        case 'diagram':
          out.push(diagramPicture(b.svg));
          out.push(...this.blocks(b.fallback));
          out.push(new Paragraph({ children: [run(b.legend, { color: MUTED })] }));
          break;
        case 'group':
          out.push(...this.blocks(b.blocks));
          break;
      }
    }
    return out;
  }
}

/** A transparent 1 × 1 PNG: the fallback Word asks for beside an SVG picture. */
const BLANK_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** The SVG as a picture 600 pixels wide, its height from the viewBox. */
function diagramPicture(svg: string): Paragraph {
  const box = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  const width = 600;
  const height = box ? Math.round((width * Number(box[2])) / Number(box[1])) : 400;
  return new Paragraph({
    children: [new ImageRun({ type: 'svg', data: Buffer.from(svg, 'utf8'), transformation: { width, height }, fallback: { type: 'png', data: BLANK_PNG } })],
  });
}

// Usable text width in twentieths of a point: A4 (11906 × 16838) less 2 cm margins on each side.
const A4 = { short: 11906, long: 16838 };
const MARGIN = 1134;

/** The Word document of a template rendered with the content. */
export async function renderReportDocx(
  template: string,
  content: ReportContent,
  options: { landscape?: boolean; pageLabel: string },
): Promise<Buffer> {
  const landscape = options.landscape === true;
  const width = (landscape ? A4.long : A4.short) - 2 * MARGIN;
  const writer = new DocxWriter(width);
  const nonce = randomBytes(9).toString('hex');
  const names: string[] = [];
  const tokenised = template.replace(PLACEHOLDER, (_whole, name: string) => {
    names.push(name);
    return `kdr${nonce}t${names.length - 1}t`;
  });
  const tokens: Tokens_ = { pattern: new RegExp(`kdr${nonce}t(\\d+)t`, 'g'), names, content };
  const children = writer.markdown(lexer.lexer(tokenised), tokens);

  const doc = new Document({
    title: clean(content.title),
    creator: 'Kader',
    description: '',
    styles: { default: { document: { run: { font: 'Calibri', size: 21 } } } },
    sections: [
      {
        properties: {
          page: {
            size: landscape ? { width: A4.long, height: A4.short, orientation: PageOrientation.LANDSCAPE } : { width: A4.short, height: A4.long },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [new TextRun({ children: [`${clean(options.pageLabel)} `, PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES], color: MUTED })],
              }),
            ],
          }),
        },
        children: children.length ? children : [new Paragraph({ children: [] })],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A report as the Word file its download sends (case reports upright, the cross-case report landscape); the leak check reads the same. */
export const reportDocx = (report: Report, landscape: boolean): Promise<Buffer> =>
  renderReportDocx(report.template, report.content, { landscape, pageLabel: translator(report.language)('reports.page') });
