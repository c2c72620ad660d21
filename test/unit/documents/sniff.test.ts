// The text rule for uploads (documents.sniff.ts): valid UTF-8 without NUL over the whole file,
// checked chunk by chunk as the upload streams past, and no page, image or script posing as text.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recognise, TextCheck } from '../../../server/documents/documents.sniff.ts';
import { tempDir } from '../../helpers/app.ts';

/** The verdict of TextCheck on `bytes` fed in the given pieces. */
function check(pieces: Buffer[]): boolean {
  const text = new TextCheck();
  for (const piece of pieces) text.update(piece);
  return text.result();
}

/** `bytes` cut in two at every position, and in one-byte pieces. */
function everySplit(bytes: Buffer): Buffer[][] {
  const splits: Buffer[][] = [];
  for (let at = 0; at <= bytes.length; at++) splits.push([bytes.subarray(0, at), bytes.subarray(at)]);
  splits.push([...bytes].map((b) => Buffer.from([b])));
  return splits;
}

describe('TextCheck', () => {
  it('accepts UTF-8 whose multi-byte characters are cut between chunks anywhere', () => {
    const bytes = Buffer.from('Zoë zag één € en 😀 in Üterwijk.\n', 'utf8');
    for (const pieces of everySplit(bytes)) expect(check(pieces)).toBe(true);
  });

  it('refuses a bad byte, an overlong form, a surrogate, a lone continuation byte or a cut character at the end, in whatever chunk', () => {
    const good = Buffer.from('tekst '.repeat(20_000));
    const bad = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82, 0x41]].map((b) => Buffer.from(b));
    for (const b of bad) {
      expect(check([good, good, Buffer.concat([Buffer.from('x'), b, Buffer.from('y')])])).toBe(false);
      expect(check([good, b])).toBe(false);
    }
    // The first bytes of "€" and nothing after them.
    expect(check([good, Buffer.from([0xe2, 0x82])])).toBe(false);
  });

  it('refuses a NUL byte anywhere, also far beyond the first 64 KiB', () => {
    const good = Buffer.alloc(70_000, 'a');
    expect(check([good, good, Buffer.from([0x61, 0x00, 0x61])])).toBe(false);
    expect(check([good, good, Buffer.from([0x61])])).toBe(true);
  });

  it('refuses pages, images and scripts posing as text, wherever the opening tag is cut', () => {
    const posing = [
      '<!DOCTYPE html><p>x</p>',
      '<html><body>x</body></html>',
      '  \n\t<HTML lang="nl">',
      '\ufeff<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
      '#!/bin/sh\nrm -rf ~\n',
      '<script>alert(1)</script>',
      '<!-- opmerking -->\n<html>',
      '<iframe src="https://example.org">',
      '<!-- an opening comment that never ends',
    ];
    for (const text of posing) {
      for (const pieces of everySplit(Buffer.from(text))) expect(check(pieces), text).toBe(false);
    }
  });

  it('accepts Markdown and CSV that merely contain tags, or open with a comment or a paragraph tag', () => {
    const text = [
      '# Notitie\n\nZie <html> en <script> verderop.',
      '<!-- markdownlint-disable -->\n# Verslag',
      '<p align="center">Gemeente Dordrecht</p>\n\n# Jaarverslag',
      'gemeente;score\nDordrecht;1\n',
    ];
    for (const t of text) expect(check([Buffer.from(t)]), t).toBe(true);
  });
});

describe('recognise', () => {
  it('checks the whole of a text file, not its first 64 KiB, when no verdict comes with it', () => {
    const file = path.join(tempDir(), 'tool.exe');
    fs.writeFileSync(file, Buffer.concat([Buffer.alloc(65_536, 'a'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0xff, 0xfe])]));
    expect(recognise(file, 'tool.exe')).toBeNull();
    fs.writeFileSync(file, Buffer.alloc(200_000, 'a'));
    expect(recognise(file, 'notes.md')).toEqual({ mediaType: 'text/markdown', extract: 'text' });
  });

  it('takes the verdict of the upload stream when it has one', () => {
    const file = path.join(tempDir(), 'a.txt');
    fs.writeFileSync(file, 'gewone tekst');
    expect(recognise(file, 'a.txt', false)).toBeNull();
    expect(recognise(file, 'a.txt', true)).toEqual({ mediaType: 'text/plain', extract: 'text' });
  });
});
