// Text of a document for search: PDF (pdf.js), DOCX (mammoth), plain text. Large files are skipped
// rather than read into memory.
import fs from 'node:fs';
import mammoth from 'mammoth';
import type { Recognised } from './documents.sniff.ts';

export const EXTRACT_MAX_BYTES = 30 * 1024 * 1024;
const TEXT_MAX_CHARS = 2_000_000;

export async function extractText(file: string, kind: Recognised['extract']): Promise<{ status: 'done' | 'skipped' | 'failed' | 'none'; text: string }> {
  if (!kind) return { status: 'none', text: '' };
  if (fs.statSync(file).size > EXTRACT_MAX_BYTES) return { status: 'skipped', text: '' };
  try {
    let text = '';
    if (kind === 'text') text = fs.readFileSync(file, 'utf8');
    else if (kind === 'docx') text = (await mammoth.extractRawText({ path: file })).value;
    else {
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), isEvalSupported: false, verbosity: 0 }).promise;
      const pages: string[] = [];
      for (let n = 1; n <= doc.numPages && pages.join('\n').length < TEXT_MAX_CHARS; n++) {
        const content = await (await doc.getPage(n)).getTextContent();
        pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
      }
      await doc.destroy();
      text = pages.join('\n\n');
    }
    return { status: 'done', text: text.slice(0, TEXT_MAX_CHARS) };
  } catch {
    return { status: 'failed', text: '' };
  }
}
