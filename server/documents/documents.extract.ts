// Text of a document for search: PDF (pdf.js), DOCX (mammoth), plain text. Large files are skipped
// rather than read into memory, and the work runs in a child process with a memory cap and a time
// limit, one document at a time, so a crafted file cannot stall or exhaust the server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/root.ts';
import type { Recognised } from './documents.sniff.ts';

export const EXTRACT_MAX_BYTES = 30 * 1024 * 1024;
const TEXT_MAX_CHARS = 2_000_000;
const PDF_MAX_PAGES = 2_000;

export type Extraction = { status: 'done' | 'skipped' | 'failed' | 'none'; text: string };

const CHILD = path.join(ROOT, 'server', 'documents', 'extract-child.ts');
const TSX = import.meta.resolve('tsx');

/** extractText in a child process: at most `memoryMb` of heap and `timeoutMs` of time, else "failed". */
export function extractIsolated(file: string, kind: Recognised['extract'], limits = { memoryMb: 256, timeoutMs: 60_000 }): Promise<Extraction> {
  if (!kind) return Promise.resolve({ status: 'none', text: '' });
  const failed: Extraction = { status: 'failed', text: '' };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${limits.memoryMb}`, '--import', TSX, CHILD, file, kind], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.length > TEXT_MAX_CHARS * 4) child.kill('SIGKILL');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limits.timeoutMs);
    child.on('error', () => resolve(failed));
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        resolve(code === 0 ? (JSON.parse(out) as Extraction) : failed);
      } catch {
        resolve(failed);
      }
    });
  });
}

export async function extractText(file: string, kind: Recognised['extract']): Promise<Extraction> {
  if (!kind) return { status: 'none', text: '' };
  if (fs.statSync(file).size > EXTRACT_MAX_BYTES) return { status: 'skipped', text: '' };
  try {
    let text = '';
    if (kind === 'text') text = fs.readFileSync(file, 'utf8');
    else if (kind === 'docx') {
      const { default: mammoth } = await import('mammoth');
      text = (await mammoth.extractRawText({ path: file })).value;
    }
    else {
      const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
      const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(file)), isEvalSupported: false, verbosity: 0 }).promise;
      const pages: string[] = [];
      for (let n = 1; n <= Math.min(doc.numPages, PDF_MAX_PAGES) && pages.join('\n').length < TEXT_MAX_CHARS; n++) {
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
