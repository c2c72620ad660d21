// Recognises an uploaded file by its content, never by its name or the browser's claim: only the
// allow-listed kinds get in (PDF, DOCX, XLSX, ODT, TXT, MD, CSV, PNG, JPEG). Text is judged over the
// whole file (TextCheck), so text with a program after its first pages does not pass as text.
import fs from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';

export interface Recognised {
  mediaType: string;
  /** Text can be extracted from it for search. */
  extract: 'pdf' | 'docx' | 'text' | null;
}

const TEXT_TYPES: Record<string, string> = { '.txt': 'text/plain', '.md': 'text/markdown', '.markdown': 'text/markdown', '.csv': 'text/csv' };

/** How much of the start of a text file is kept to see whether it opens as markup or a script. */
const TEXT_HEAD_BYTES = 4096;

/**
 * Openings that make "text" a web page, an image with script in it, XML of any kind or a program:
 * a doctype, the XML declaration or another processing instruction (`<?xml … <svg`, `<?php`), the
 * elements that make a whole page or run script, and `#!`. Markdown may legitimately open with an
 * HTML comment (skipped first) or a layout tag such as `<p align=…>` or `<div>`, so those pass.
 */
const MARKUP_OPENING = /^(?:#!|<\?|<!doctype[\s>]|<(?:html|head|body|script|iframe|frameset|object|embed|svg|math|xml|style|meta|link|base)[\s/>])/i;

function opensAsMarkup(head: Buffer): boolean {
  let text = head.toString('utf8').replace(/^\ufeff/, '').trimStart();
  while (text.startsWith('<!--')) {
    const end = text.indexOf('-->');
    // A comment longer than the head hides what follows it: not taken as text.
    if (end < 0) return true;
    text = text.slice(end + 3).trimStart();
  }
  return MARKUP_OPENING.test(text);
}

/** Bytes at the end of `data` that begin a character whose remaining bytes are still to come (0–3). */
function cutCharacter(data: Buffer): number {
  for (let back = 1; back <= Math.min(3, data.length); back++) {
    const byte = data[data.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    if (byte < 0xc0) return 0; // ASCII: nothing cut
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return length > back ? back : 0;
  }
  return 0;
}

/**
 * The rule for the text kinds, applied chunk by chunk as an upload streams past, so memory does not
 * grow with the file: the whole file is UTF-8 (a character cut between two chunks is joined up),
 * holds no NUL byte, and does not open as markup or a script (MARKUP_OPENING).
 */
export class TextCheck {
  private ok = true;
  private head = Buffer.alloc(0);
  /** The start of a character cut off at the end of the previous chunk. */
  private pending = Buffer.alloc(0);

  update(chunk: Buffer): void {
    if (!this.ok) return;
    if (this.head.length < TEXT_HEAD_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, TEXT_HEAD_BYTES - this.head.length)]);
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const whole = data.length - cutCharacter(data);
    this.ok = !data.includes(0) && isUtf8(data.subarray(0, whole));
    this.pending = Buffer.from(data.subarray(whole));
  }

  /** Whether everything given to update is text by the rule (a character cut off at the very end is not). */
  result(): boolean {
    return this.ok && this.pending.length === 0 && !opensAsMarkup(this.head);
  }
}

/** TextCheck over a file on disk, read in pieces. */
function isTextFile(file: string): boolean {
  const check = new TextCheck();
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(65_536);
    for (let read; (read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) check.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return check.result();
}

function readRange(file: string, start: number, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = fs.readSync(fd, buffer, 0, length, start);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** The file name endings that go with each media type Kader accepts; the first is the one it adds. */
const EXTENSIONS: Record<string, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'application/vnd.oasis.opendocument.text': ['.odt'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'text/plain': ['.txt'],
  'text/markdown': ['.md', '.markdown'],
  'text/csv': ['.csv'],
};

/**
 * The name a download is saved under: the uploaded name, with the ending of what the content is when
 * the name says otherwise ("tool.exe" of plain text downloads as "tool.exe.txt"), because the
 * computer that opens a download goes by the name, not the content.
 */
export function downloadName(filename: string, mediaType: string): string {
  const endings = EXTENSIONS[mediaType];
  if (!endings || endings.includes(path.extname(filename).toLowerCase())) return filename;
  return `${filename}${endings[0]}`;
}

/**
 * What an uploaded file is, or null when it is not on the allow-list. `isText` is TextCheck's verdict
 * when the upload was checked as it streamed to disk; without it the file is read again to decide.
 */
export function recognise(file: string, originalName: string, isText?: boolean): Recognised | null {
  const size = fs.statSync(file).size;
  if (size === 0) return null;
  const head = readRange(file, 0, Math.min(size, 65_536));
  const starts = (bytes: number[] | string) => {
    const sig = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
    return head.subarray(0, sig.length).equals(sig);
  };
  if (starts('%PDF-')) return { mediaType: 'application/pdf', extract: 'pdf' };
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mediaType: 'image/png', extract: null };
  if (starts([0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', extract: null };
  if (starts('PK\x03\x04')) {
    // OpenDocument puts an uncompressed "mimetype" entry first; Office files are told apart by the
    // part names in the central directory at the end of the archive.
    if (head.subarray(30, 38).toString('latin1') === 'mimetype' && head.includes(Buffer.from('application/vnd.oasis.opendocument.text'))) {
      return { mediaType: 'application/vnd.oasis.opendocument.text', extract: null };
    }
    const tail = readRange(file, Math.max(0, size - 262_144), Math.min(size, 262_144));
    if (tail.includes(Buffer.from('word/document.xml'))) {
      return { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extract: 'docx' };
    }
    if (tail.includes(Buffer.from('xl/workbook.xml'))) {
      return { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extract: null };
    }
    return null;
  }
  if (isText ?? isTextFile(file)) {
    const ext = path.extname(originalName).toLowerCase();
    return { mediaType: TEXT_TYPES[ext] ?? 'text/plain', extract: 'text' };
  }
  return null;
}
