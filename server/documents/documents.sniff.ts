// Recognises an uploaded file by its content, never by its name or the browser's claim: only the
// allow-listed kinds get in (PDF, DOCX, XLSX, ODT, TXT, MD, CSV, PNG, JPEG).
import fs from 'node:fs';
import path from 'node:path';

export interface Recognised {
  mediaType: string;
  /** Text can be extracted from it for search. */
  extract: 'pdf' | 'docx' | 'text' | null;
}

const TEXT_TYPES: Record<string, string> = { '.txt': 'text/plain', '.md': 'text/markdown', '.markdown': 'text/markdown', '.csv': 'text/csv' };

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

/** UTF-8 without NUL bytes in the first 64 KiB (a cut multi-byte character at the end is allowed). */
function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

export function recognise(file: string, originalName: string): Recognised | null {
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
  if (looksLikeText(head)) {
    const ext = path.extname(originalName).toLowerCase();
    return { mediaType: TEXT_TYPES[ext] ?? 'text/plain', extract: 'text' };
  }
  return null;
}
