// Text of a document for search: PDF (pdf.js), DOCX (mammoth), plain text. Large files are skipped
// rather than read into memory, a DOCX that would inflate beyond sane sizes is refused before it is
// inflated, and the work runs in a child process with a time limit and a memory cap that the OS
// enforces, one document at a time, so a crafted file cannot stall or exhaust the server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/root.ts';
import { checkZipExpansion, type ZipLimits } from '../lib/zip-inspect.ts';
import type { Recognised } from './documents.sniff.ts';

export const EXTRACT_MAX_BYTES = 30 * 1024 * 1024;
const TEXT_MAX_CHARS = 2_000_000;
const PDF_MAX_PAGES = 2_000;

/**
 * What a DOCX may expand to before its text is read. A real document, images included, stays far
 * below these: 100 MB of parts in all, at most 1,000 parts, and no part over 100 KB that is more
 * than 100 times smaller packed (the entry count and ratio are Apache POI's defaults for Office
 * files). A zip bomb of 400 KB that unpacks to 400 MB fails all three.
 */
export const DOCX_LIMITS: ZipLimits = { maxEntries: 1_000, maxTotalBytes: 100 * 1024 * 1024, maxRatio: 100, ratioFromBytes: 100 * 1024 };

export type Extraction = { status: 'done' | 'skipped' | 'failed' | 'none'; text: string };

export interface ExtractLimits {
  /** The JavaScript heap (--max-old-space-size). */
  memoryMb: number;
  /**
   * All writable memory of the process, enforced by the OS (RLIMIT_DATA): the heap cap does not
   * bound buffers, where inflated data lives. Node, tsx and pdf.js take about 250 MB of it before
   * reading anything; the rest is room for the heap and the file's buffers.
   */
  processMb: number;
  timeoutMs: number;
}

export const EXTRACT_LIMITS: ExtractLimits = { memoryMb: 256, processMb: 768, timeoutMs: 60_000 };

const CHILD = path.join(ROOT, 'server', 'documents', 'extract-child.ts');
const TSX = import.meta.resolve('tsx');

/**
 * The command that runs the extraction child under the OS memory cap. The limit is set by the shell
 * that then becomes the child (exec), on the writable data segment (RLIMIT_DATA): an address-space
 * limit (RLIMIT_AS) cannot be used, as V8 reserves tens of gigabytes of addresses it never uses.
 * Core dumps are off, since one would hold the document's content. When the shell cannot set the
 * limit, a lower hard limit is in force already, and the child runs under that.
 */
function cappedCommand(args: string[], limits: ExtractLimits): [string, string[]] {
  if (process.platform === 'win32') return [process.execPath, args];
  const script = `ulimit -c 0; ulimit -d ${limits.processMb * 1024} 2>/dev/null; exec "$0" "$@"`;
  return ['/bin/sh', ['-c', script, process.execPath, ...args]];
}

/** extractText in a child process within `limits` of memory and time; else "failed". */
export function extractIsolated(file: string, kind: Recognised['extract'], limits: ExtractLimits = EXTRACT_LIMITS): Promise<Extraction> {
  if (!kind) return Promise.resolve({ status: 'none', text: '' });
  const failed: Extraction = { status: 'failed', text: '' };
  return new Promise((resolve) => {
    const [command, args] = cappedCommand([`--max-old-space-size=${limits.memoryMb}`, '--import', TSX, CHILD, file, kind], limits);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.length > TEXT_MAX_CHARS * 4) child.kill('SIGKILL');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limits.timeoutMs);
    child.on('error', () => resolve(failed));
    // A child that hit the memory cap ends by a signal or with an error status: "failed" too.
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
      // mammoth inflates whole parts into memory (JSZip), so the archive is checked first.
      const verdict = await checkZipExpansion(file, DOCX_LIMITS);
      if (verdict === 'tooLarge') return { status: 'skipped', text: '' };
      if (verdict === 'damaged') return { status: 'failed', text: '' };
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
