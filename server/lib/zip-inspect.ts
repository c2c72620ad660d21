// Checks what a ZIP archive (DOCX, XLSX and ODT are ZIP archives) would expand to before anything
// inflates it: the central directory states every entry's sizes, so a zip bomb is refused by
// arithmetic; then each entry is inflated as a stream that is counted and thrown away, so an archive
// whose headers understate what its data holds is caught with memory that does not grow.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; others are not read by the libraries we use. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipLimits {
  maxEntries: number;
  /** The sum of the entries' declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed to compressed size of one entry, checked for entries of more than ratioFromBytes. */
  maxRatio: number;
  ratioFromBytes: number;
}

export type ZipVerdict = 'ok' | 'tooLarge' | 'damaged';

class ZipFormatError extends Error {}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const MAX32 = 0xffffffff;

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = fs.readSync(fd, buffer, 0, length, position);
  if (read !== length) throw new ZipFormatError('unexpected end of file');
  return buffer;
}

/** Where the central directory is and how many entries it has (the ZIP64 record where one is used). */
function findDirectory(fd: number, size: number): { offset: number; length: number; entries: number } {
  // The end record is the last 22 bytes plus a comment of at most 65,535 bytes.
  const tailLength = Math.min(size, 22 + 65_535);
  const tail = readAt(fd, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_DIRECTORY) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('no end of central directory');
  let entries = tail.readUInt16LE(at + 10);
  let length = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (entries === 0xffff || length === MAX32 || offset === MAX32) {
    const locatorAt = size - tailLength + at - 20;
    if (locatorAt < 0) throw new ZipFormatError('no ZIP64 locator');
    const locator = readAt(fd, locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new ZipFormatError('no ZIP64 locator');
    const record = readAt(fd, Number(locator.readBigUInt64LE(8)), 56);
    if (record.readUInt32LE(0) !== ZIP64_END) throw new ZipFormatError('no ZIP64 end record');
    entries = Number(record.readBigUInt64LE(32));
    length = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
  }
  if (offset + length > size) throw new ZipFormatError('central directory beyond the end of the file');
  return { offset, length, entries };
}

/** The entries of the archive as its central directory states them; refuses more than `maxEntries` before reading them. */
function readDirectory(fd: number, size: number, maxEntries: number): ZipEntry[] | 'tooMany' {
  const directory = findDirectory(fd, size);
  if (directory.entries > maxEntries) return 'tooMany';
  const data = readAt(fd, directory.offset, directory.length);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < directory.entries; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL_HEADER) throw new ZipFormatError('bad central directory entry');
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    if (at + 46 + nameLength + extraLength > data.length) throw new ZipFormatError('bad central directory entry');
    const entry: ZipEntry = {
      name: data.toString('utf8', at + 46, at + 46 + nameLength),
      method: data.readUInt16LE(at + 10),
      compressedSize: data.readUInt32LE(at + 20),
      uncompressedSize: data.readUInt32LE(at + 24),
      localHeaderOffset: data.readUInt32LE(at + 42),
    };
    // ZIP64: the 64-bit values stand in the extra field, in this order, for each field set to 0xffffffff.
    const wide = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter((k) => entry[k] === MAX32);
    if (wide.length) {
      const extra = data.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
      let found = false;
      for (let e = 0; e + 4 <= extra.length; e += 4 + extra.readUInt16LE(e + 2)) {
        if (extra.readUInt16LE(e) !== 0x0001) continue;
        if (extra.readUInt16LE(e + 2) < wide.length * 8 || e + 4 + wide.length * 8 > extra.length) break;
        wide.forEach((k, i) => (entry[k] = Number(extra.readBigUInt64LE(e + 4 + i * 8))));
        found = true;
        break;
      }
      if (!found) throw new ZipFormatError('ZIP64 sizes missing');
    }
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates one entry as a stream, counting and discarding its bytes; false when it holds more or less than it declares. */
async function inflatesAsDeclared(file: string, fd: number, entry: ZipEntry): Promise<boolean> {
  const local = readAt(fd, entry.localHeaderOffset, 30);
  if (local.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipFormatError('bad local header');
  const dataAt = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (entry.method === 0) return entry.compressedSize === entry.uncompressedSize;
  if (entry.method !== 8) throw new ZipFormatError(`compression method ${entry.method}`);
  if (entry.compressedSize === 0) return entry.uncompressedSize === 0;
  let count = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      count += chunk.length;
      // Stop as soon as it holds more than it declared, without inflating the rest.
      done(count > entry.uncompressedSize ? new ZipFormatError('entry larger than declared') : null);
    },
  });
  const source = fs.createReadStream(file, { start: dataAt, end: dataAt + entry.compressedSize - 1 });
  try {
    await pipeline(source, zlib.createInflateRaw(), counter);
  } catch (err) {
    if (err instanceof ZipFormatError && count > entry.uncompressedSize) return false;
    throw err;
  }
  return count === entry.uncompressedSize;
}

/**
 * Whether the archive in `file` can be inflated within `limits`: 'tooLarge' when its central
 * directory declares more entries, more bytes in all or a higher ratio than the limits allow (known
 * without inflating anything); 'damaged' when it cannot be read as a ZIP archive or an entry
 * inflates to another size than it declares; 'ok' otherwise.
 */
export async function checkZipExpansion(file: string, limits: ZipLimits): Promise<ZipVerdict> {
  const fd = fs.openSync(file, 'r');
  try {
    const entries = readDirectory(fd, fs.fstatSync(fd).size, limits.maxEntries);
    if (entries === 'tooMany') return 'tooLarge';
    const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
    const ratioTooHigh = (e: ZipEntry) => e.uncompressedSize > limits.ratioFromBytes && e.uncompressedSize > e.compressedSize * limits.maxRatio;
    if (total > limits.maxTotalBytes || entries.some(ratioTooHigh)) return 'tooLarge';
    for (const entry of entries) {
      if (!(await inflatesAsDeclared(file, fd, entry))) return 'damaged';
    }
    return 'ok';
  } catch {
    // Not a readable archive (bad structure, bad deflate data, an unreadable file): nothing to extract.
    return 'damaged';
  } finally {
    fs.closeSync(fd);
  }
}
