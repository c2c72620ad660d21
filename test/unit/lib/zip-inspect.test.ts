// What a ZIP archive would expand to, known before inflating it: entry count, total size and ratio
// from the central directory, and entries that inflate to another size than they declare.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCX_LIMITS } from '../../../server/documents/documents.extract.ts';
import { checkZipExpansion, type ZipLimits } from '../../../server/lib/zip-inspect.ts';
import { tempDir } from '../../helpers/app.ts';
import { docxWithText, writeDocxBomb, zip } from '../../helpers/files.ts';

const write = (bytes: Buffer) => {
  const file = path.join(tempDir(), 'a.zip');
  fs.writeFileSync(file, bytes);
  return file;
};

const limits: ZipLimits = { maxEntries: 10, maxTotalBytes: 1_000_000, maxRatio: 100, ratioFromBytes: 100 * 1024 };

/** The archive with its one entry's sizes moved into a ZIP64 extra field, as some writers do. */
function withZip64Sizes(archive: Buffer): Buffer {
  const central = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const end = archive.indexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const header = Buffer.from(archive.subarray(central, end));
  const extra = Buffer.alloc(20);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(16, 2);
  extra.writeBigUInt64LE(BigInt(header.readUInt32LE(24)), 4);
  extra.writeBigUInt64LE(BigInt(header.readUInt32LE(20)), 12);
  header.writeUInt32LE(0xffffffff, 20);
  header.writeUInt32LE(0xffffffff, 24);
  header.writeUInt16LE(extra.length, 30);
  const record = Buffer.from(archive.subarray(end));
  record.writeUInt32LE(header.length + extra.length, 12);
  return Buffer.concat([archive.subarray(0, central), header, extra, record]);
}

describe('checkZipExpansion', () => {
  it('passes an ordinary Word document under the DOCX limits, and one whose sizes stand in ZIP64 fields', async () => {
    expect(await checkZipExpansion(write(docxWithText(['Een alinea'])), DOCX_LIMITS)).toBe('ok');
    expect(await checkZipExpansion(write(withZip64Sizes(zip({ 'a.txt': 'hallo wereld '.repeat(100) }))), limits)).toBe('ok');
  });

  it('refuses, without inflating, more entries, more bytes in all, or a higher ratio than the limits allow', async () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}.xml`, '<p/>']));
    expect(await checkZipExpansion(write(zip(eleven)), limits)).toBe('tooLarge');
    // Random text packs poorly: over the total, though no entry has a high ratio.
    const random = crypto.randomBytes(600_000).toString('base64');
    expect(await checkZipExpansion(write(zip({ 'a.xml': random, 'b.xml': random })), limits)).toBe('tooLarge');
    expect(await checkZipExpansion(write(zip({ 'a.xml': random })), limits)).toBe('ok');
    // One letter repeated packs about a thousandfold: refused from 100 KB on, not below.
    expect(await checkZipExpansion(write(zip({ 'a.xml': 'A'.repeat(200_000) })), limits)).toBe('tooLarge');
    expect(await checkZipExpansion(write(zip({ 'a.xml': 'A'.repeat(90_000) })), limits)).toBe('ok');
  });

  it('refuses the 400 KB DOCX that unpacks to 400 MB under the DOCX limits', { timeout: 30_000 }, async () => {
    const file = path.join(tempDir(), 'bomb.docx');
    await writeDocxBomb(file, 400 * 1024 * 1024);
    expect(await checkZipExpansion(file, DOCX_LIMITS)).toBe('tooLarge');
  });

  it('calls an archive damaged when an entry inflates to more or less than it declares', { timeout: 30_000 }, async () => {
    const file = path.join(tempDir(), 'lying.docx');
    await writeDocxBomb(file, 50 * 1024 * 1024, { declare: 20_000 });
    expect(await checkZipExpansion(file, DOCX_LIMITS)).toBe('damaged');
    const more = path.join(tempDir(), 'more.docx');
    await writeDocxBomb(more, 1_000, { declare: 5_000 });
    expect(await checkZipExpansion(more, DOCX_LIMITS)).toBe('damaged');
  });

  it('calls what is not a readable archive damaged', async () => {
    expect(await checkZipExpansion(write(crypto.randomBytes(5_000)), limits)).toBe('damaged');
    const archive = docxWithText(['Een alinea']);
    expect(await checkZipExpansion(write(archive.subarray(0, archive.length - 10)), limits)).toBe('damaged');
    // The deflated data of the first entry overwritten with noise.
    const noisy = Buffer.from(archive);
    crypto.randomBytes(20).copy(noisy, 60);
    expect(await checkZipExpansion(write(noisy), limits)).toBe('damaged');
  });
});
