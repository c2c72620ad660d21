// Text extraction runs in a child process with limits: a file that takes too long is given up; a
// DOCX that would inflate beyond sane sizes is refused before inflating; and the process as a whole
// (buffers included, not only the JavaScript heap) is capped by the OS.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTRACT_LIMITS, extractIsolated } from '../../../server/documents/documents.extract.ts';
import { tempDir } from '../../helpers/app.ts';
import { docxWithText, pdfWithText, writeDocxBomb, writePdfBomb } from '../../helpers/files.ts';
import { watchChildMemory } from '../../helpers/processes.ts';

const MB = 1024 * 1024;

describe('extractIsolated', () => {
  it('reads a PDF in a child process', async () => {
    const file = path.join(tempDir(), 'a.pdf');
    fs.writeFileSync(file, pdfWithText('Tekst in een eigen proces'));
    expect(await extractIsolated(file, 'pdf')).toEqual({ status: 'done', text: 'Tekst in een eigen proces' });
  });

  it('gives up with "failed" when the time limit passes, and the server process is untouched', async () => {
    const file = path.join(tempDir(), 'b.pdf');
    fs.writeFileSync(file, pdfWithText('te laat'));
    expect(await extractIsolated(file, 'pdf', { memoryMb: 256, processMb: 640, timeoutMs: 50 })).toEqual({ status: 'failed', text: '' });
  });

  it('reports "failed" for a file that is not what it claims', async () => {
    const file = path.join(tempDir(), 'c.pdf');
    fs.writeFileSync(file, '%PDF-1.4 not really a pdf');
    expect((await extractIsolated(file, 'pdf')).status).toBe('failed');
  });
});

describe('extractIsolated under memory limits', () => {
  it('reads an ordinary Word document', async () => {
    const file = path.join(tempDir(), 'd.docx');
    fs.writeFileSync(file, docxWithText(['Gewone alinea']));
    expect(await extractIsolated(file, 'docx')).toEqual({ status: 'done', text: 'Gewone alinea\n\n' });
  });

  it('refuses a 400 KB DOCX that inflates to 400 MB before inflating it: "skipped", and the child stays small', { timeout: 60_000 }, async () => {
    const file = path.join(tempDir(), 'bomb.docx');
    await writeDocxBomb(file, 400 * MB);
    expect(fs.statSync(file).size).toBeLessThan(500 * 1024);
    const watch = watchChildMemory();
    const result = await extractIsolated(file, 'docx');
    const peak = watch.stop();
    expect(result).toEqual({ status: 'skipped', text: '' });
    // Node with tsx and mammoth loaded takes about 90 MB; before this check the child reached 1.29 GB.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(250 * MB);
  });

  it('gives up on a DOCX whose part inflates to more than its headers declare: "failed", without inflating it all', { timeout: 60_000 }, async () => {
    const file = path.join(tempDir(), 'lying.docx');
    await writeDocxBomb(file, 400 * MB, { declare: 20_000 });
    const watch = watchChildMemory();
    const result = await extractIsolated(file, 'docx');
    const peak = watch.stop();
    expect(result).toEqual({ status: 'failed', text: '' });
    expect(peak).toBeLessThan(250 * MB);
  });

  it('caps the whole process at the OS level: a 1 MB PDF whose page inflates to 1 GB fails within the cap, not only the heap', { timeout: 90_000 }, async () => {
    // pdf.js keeps a decoded stream in buffers outside the JavaScript heap, which
    // --max-old-space-size does not bound: without the OS cap the child reached 2.4 GB and "done".
    const file = path.join(tempDir(), 'bomb.pdf');
    await writePdfBomb(file, 1024 * MB);
    const watch = watchChildMemory();
    const result = await extractIsolated(file, 'pdf');
    const peak = watch.stop();
    expect(result).toEqual({ status: 'failed', text: '' });
    expect(peak).toBeGreaterThan(0);
    // Resident memory is the capped writable memory plus the program's code and mapped files.
    expect(peak).toBeLessThan((EXTRACT_LIMITS.processMb + 64) * MB);
  });
});
