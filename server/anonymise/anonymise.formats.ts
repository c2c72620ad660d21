// How the leak check reads each format Kader writes an anonymised output in: every text a reader of
// the file meets, with where it is. Not the texts Kader meant to write, but what is in the file: a
// Word document's paragraphs (a name split over two runs of different styles read as one), its link
// targets and properties; a workbook's cells, shared strings and sheet names; a page's text and link
// addresses; a CSV's cells; a JSON document's strings and keys. Pure: bytes in, texts out.
//
// OUTPUT_FORMATS is the one list of formats. An anonymised output in a format not in it cannot be
// checked (anonymise.leaks.ts types its outputs by it), and the tests plant a leak in every format of
// it (test/unit/anonymise/anonymise.formats.test.ts), so a new format comes with its reader.
import { parseCsv } from '../cases/cases.csv.ts';
import { readZip } from '../lib/zip.ts';
import { textsOf } from './anonymise.rules.ts';

/** One text of a file and where it is ("interviews[0].notes", "row 3, rationale", "ratings!E3"). */
export interface FileText {
  location: string;
  text: string;
}

export type FormatReader = (file: string | Buffer) => FileText[];

const asText = (file: string | Buffer) => (typeof file === 'string' ? file : file.toString('utf8'));

// ───────────────────────────── Markup ─────────────────────────────

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Markup text with its character references decoded (&amp; &#39; &#x2019; and the few named ones Kader's writers use). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]+|#x[0-9a-f]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

/** A tag's attributes by name, values decoded. */
function attributesOf(source: string): [string, string][] {
  return [...source.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)].map((m) => [m[1]!, decodeEntities(m[2] ?? m[3] ?? m[4] ?? '')]);
}

/** A comment, CDATA (1), a declaration, a tag (2: '/' if closing, 3: name, 4: attributes, 5: '/' if empty), or text (6). */
const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<[?!][^>]*>|<(\/?)([A-Za-z][\w:.-]*)([^>]*?)(\/?)>|([^<]+)/g;

/**
 * The texts of a page or an XML part: runs of text (tags in `inline` do not end a run: "<b>Dor</b>drecht"
 * is one text), and the values of the attributes in `attributes` (a link's address, a sheet's name).
 */
function markupTexts(markup: string, options: { inline: ReadonlySet<string>; attributes: ReadonlySet<string>; where: string }): FileText[] {
  const out: FileText[] = [];
  let run = '';
  const flush = () => {
    if (run.trim() !== '') out.push({ location: options.where, text: run });
    run = '';
  };
  for (const m of markup.matchAll(TOKEN)) {
    if (m[6] !== undefined) run += decodeEntities(m[6]);
    else if (m[1] !== undefined) run += m[1];
    else if (m[3] !== undefined) {
      const name = m[3].toLowerCase();
      const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
      if (!options.inline.has(local)) flush();
      for (const [attribute, value] of attributesOf(m[4] ?? '')) {
        const attributeLocal = attribute.toLowerCase().replace(/^.*:/, '');
        if (options.attributes.has(attributeLocal) && value.trim() !== '') out.push({ location: `${options.where} @${attribute}`, text: value });
      }
    }
  }
  flush();
  return out;
}

/** Attributes of Office parts that hold text a user wrote: sheet and picture names, link targets, descriptions. */
const OFFICE_ATTRIBUTES = new Set(['name', 'target', 'descr', 'title', 'tooltip']);

/**
 * Every part of an Office file not read otherwise: its texts and text-bearing attributes. (The names of
 * the parts are the writers' own, "word/document.xml", "xl/worksheets/sheet1.xml": no data is in them.)
 */
function otherParts(entries: Map<string, Buffer>, read: ReadonlySet<string>): FileText[] {
  const out: FileText[] = [];
  for (const [name, bytes] of entries) {
    if (!/\.(xml|rels|svg)$/i.test(name)) continue;
    const texts = markupTexts(bytes.toString('utf8'), { inline: new Set(), attributes: OFFICE_ATTRIBUTES, where: name });
    // A part read otherwise keeps only its attributes here (its text is read there, joined as a reader sees it).
    out.push(...(read.has(name) ? texts.filter((t) => t.location !== name) : texts));
  }
  return out;
}

// ───────────────────────────── The formats ─────────────────────────────

/** A JSON document: every string and every object key, with its path. */
const readJson: FormatReader = (file) => textsOf(JSON.parse(asText(file)) as unknown).map((t) => ({ location: t.path, text: t.text }));

/** A CSV: every cell, by row and column name (the header row as such). */
const readCsv: FormatReader = (file) => {
  const [header, ...rows] = parseCsv(asText(file));
  if (!header) return [];
  return [
    ...header.fields.map((text) => ({ location: 'header', text })),
    ...rows.flatMap((r) => r.fields.map((text, j) => ({ location: `row ${r.line}, ${header.fields[j] ?? j + 1}`, text }))),
  ];
};

/** The text of a shared string or an inline string: its <t> elements joined (rich text is several). */
const joinedT = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((m) => decodeEntities(m[1]!)).join('');

/** A workbook: every text cell as "sheet!A1" (shared strings, inline strings and formula strings), sheet names and properties. */
const readXlsx: FormatReader = (file) => {
  const entries = readZip(file as Buffer);
  const part = (name: string) => entries.get(name)?.toString('utf8') ?? '';
  const shared = [...part('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => joinedT(m[1]!));
  const targets = new Map([...part('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b([^>]*)>/g)].map((m) => {
    const a = new Map(attributesOf(m[1]!));
    return [a.get('Id') ?? '', `xl/${(a.get('Target') ?? '').replace(/^\/?xl\//, '')}`] as const;
  }));
  const out: FileText[] = [];
  const read = new Set<string>();
  for (const m of part('xl/workbook.xml').matchAll(/<sheet\b([^>]*)>/g)) {
    const a = new Map(attributesOf(m[1]!));
    const sheet = a.get('name') ?? '';
    const target = targets.get(a.get('r:id') ?? '') ?? '';
    read.add(target);
    for (const c of part(target).matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const cell = new Map(attributesOf(c[1]!));
      const body = c[2] ?? '';
      const type = cell.get('t');
      const value = /<v>([^<]*)<\/v>/.exec(body)?.[1];
      const text = type === 's' ? shared[Number(value)] : type === 'inlineStr' ? joinedT(body) : type === 'str' && value !== undefined ? decodeEntities(value) : undefined;
      if (text) out.push({ location: `${sheet}!${cell.get('r') ?? '?'}`, text });
    }
  }
  read.add('xl/sharedStrings.xml');
  return [...out, ...otherParts(entries, read)];
};

/** Parts of a Word document with paragraphs: the body, headers, footers, foot- and endnotes, comments. */
const WORD_TEXT_PART = /^word\/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$/;

/** A Word document: each paragraph's text as one (its runs joined, tabs and breaks as spaces), then link targets and properties. */
const readDocx: FormatReader = (file) => {
  const entries = readZip(file as Buffer);
  const out: FileText[] = [];
  const read = new Set<string>();
  for (const [name, bytes] of entries) {
    if (!WORD_TEXT_PART.test(name)) continue;
    read.add(name);
    let n = 0;
    for (const p of bytes.toString('utf8').matchAll(/<w:p[\s>][\s\S]*?<\/w:p>/g)) {
      n++;
      const text = [...p[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(?:tab|br|cr)\b[^>]*\/>/g)].map((m) => (m[1] === undefined ? ' ' : decodeEntities(m[1]))).join('');
      if (text.trim() !== '') out.push({ location: `${name}, paragraph ${n}`, text });
    }
  }
  return [...out, ...otherParts(entries, read)];
};

/** Tags that do not end a run of text on a page: a name in "<strong>Dor</strong>drecht" is read whole. */
const HTML_INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr', 'tspan']);
/** Attributes of a page that hold text or an address. */
const HTML_ATTRIBUTES = new Set(['href', 'src', 'title', 'alt', 'aria-label', 'content', 'download', 'value', 'placeholder']);

/** A page: its runs of text and the addresses and labels in its attributes. */
const readHtml: FormatReader = (file) => markupTexts(asText(file), { inline: HTML_INLINE, attributes: HTML_ATTRIBUTES, where: 'page' });

/**
 * Every format an anonymised output is written in, with its reader. One list: an output is typed by
 * it (anonymise.leaks.ts), and a test plants a leak in each.
 */
export const OUTPUT_FORMATS = {
  json: readJson,
  csv: readCsv,
  xlsx: readXlsx,
  docx: readDocx,
  html: readHtml,
} as const satisfies Record<string, FormatReader>;

export type OutputFormat = keyof typeof OUTPUT_FORMATS;
