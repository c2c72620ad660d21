// Reading the entries of a ZIP archive (an XLSX or DOCX file that Kader wrote), for the anonymisation
// leak check. Only what those files use: stored or deflated entries found through the central
// directory (so entries written with a data descriptor read as well), no ZIP64, no encryption.
import zlib from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** The entries of a ZIP archive by name, each uncompressed. Throws on anything that is not such an archive. */
export function readZip(buf: Buffer): Map<string, Buffer> {
  // The end record is 22 bytes plus a comment of at most 65,535.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP archive');
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(offset) !== CENTRAL_HEADER) throw new Error('bad ZIP central directory');
    const method = buf.readUInt16LE(offset + 10);
    const size = buf.readUInt32LE(offset + 20);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const local = buf.readUInt32LE(offset + 42);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (buf.readUInt32LE(local) !== LOCAL_HEADER) throw new Error(`bad ZIP entry ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    if (method === 8) entries.set(name, zlib.inflateRawSync(data));
    else if (method === 0) entries.set(name, Buffer.from(data));
    else throw new Error(`ZIP entry ${name}: compression method ${method}`);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
