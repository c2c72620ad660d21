// Text extraction runs in a child process with limits: a file that takes too long is given up.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractIsolated } from '../../../server/documents/documents.extract.ts';
import { tempDir } from '../../helpers/app.ts';
import { pdfWithText } from '../../helpers/files.ts';

describe('extractIsolated', () => {
  it('reads a PDF in a child process', async () => {
    const file = path.join(tempDir(), 'a.pdf');
    fs.writeFileSync(file, pdfWithText('Tekst in een eigen proces'));
    expect(await extractIsolated(file, 'pdf')).toEqual({ status: 'done', text: 'Tekst in een eigen proces' });
  });

  it('gives up with "failed" when the time limit passes, and the server process is untouched', async () => {
    const file = path.join(tempDir(), 'b.pdf');
    fs.writeFileSync(file, pdfWithText('te laat'));
    expect(await extractIsolated(file, 'pdf', { memoryMb: 256, timeoutMs: 50 })).toEqual({ status: 'failed', text: '' });
  });

  it('reports "failed" for a file that is not what it claims', async () => {
    const file = path.join(tempDir(), 'c.pdf');
    fs.writeFileSync(file, '%PDF-1.4 not really a pdf');
    expect((await extractIsolated(file, 'pdf')).status).toBe('failed');
  });
});
