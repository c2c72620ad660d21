// Small real files for upload tests (built by server/lib/office-files.ts, which the demo uses too),
// and large hostile ones written in streams (zip and deflate bombs).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { docxOf, pdfOf } from '../../server/lib/office-files.ts';

export { zip } from '../../server/lib/office-files.ts';

/** A valid one-page PDF whose page shows `text`. */
export const pdfWithText = (text: string): Buffer => pdfOf([text]);

/** A minimal Word document whose body is the given paragraphs. */
export const docxWithText = (paragraphs: string[]): Buffer => docxOf(paragraphs);

export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Deflates `head`, `bytes` repeated `fill` characters and `tail` into `fd` from `position` (raw
 * deflate, or zlib's wrapping for PDF), a megabyte at a time; returns the CRC-32 of what went in and
 * the number of bytes written.
 */
async function writeDeflated(fd: number, position: number, parts: { head: string; fill: string; bytes: number; tail: string }, raw: boolean): Promise<{ crc: number; written: number }> {
  const deflate = raw ? zlib.createDeflateRaw({ level: 9 }) : zlib.createDeflate({ level: 9 });
  let written = 0;
  deflate.on('data', (out: Buffer) => {
    fs.writeSync(fd, out, 0, out.length, position + written);
    written += out.length;
  });
  const done = new Promise<void>((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = zlib.crc32(parts.head);
  deflate.write(parts.head);
  const chunk = Buffer.alloc(1024 * 1024, parts.fill);
  for (let sent = 0; sent < parts.bytes; sent += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, parts.bytes - sent));
    crc = zlib.crc32(part, crc);
    if (!deflate.write(part)) await new Promise((r) => deflate.once('drain', r));
  }
  crc = zlib.crc32(parts.tail, crc);
  deflate.end(parts.tail);
  await done;
  return { crc: crc >>> 0, written };
}

/**
 * Writes a zip bomb dressed as a Word document to `file`: word/document.xml holds one paragraph of
 * `bytes` repeated letters and takes about a thousandth of that on disk. Streamed, so memory does
 * not grow with `bytes`. `declare` puts another uncompressed size in the headers (a lying archive).
 */
export async function writeDocxBomb(file: string, bytes: number, options: { declare?: number } = {}): Promise<void> {
  const head = '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>';
  const tail = '</w:t></w:r></w:p></w:body></w:document>';
  // The other parts of a real DOCX, from the builder the demo uses, copied as they are.
  const model = docxOf(['x']);
  const entries: { name: Buffer; method: number; crc: number; csize: number; usize: number; offset: number }[] = [];
  const fd = fs.openSync(file, 'w');
  try {
    let offset = 0;
    for (let at = 0; model.readUInt32LE(at) === 0x04034b50; ) {
      const csize = model.readUInt32LE(at + 18);
      const name = model.subarray(at + 30, at + 30 + model.readUInt16LE(at + 26));
      const length = 30 + name.length + model.readUInt16LE(at + 28) + csize;
      if (name.toString() !== 'word/document.xml') {
        fs.writeSync(fd, model, at, length, offset);
        entries.push({ name, method: model.readUInt16LE(at + 8), crc: model.readUInt32LE(at + 14), csize, usize: model.readUInt32LE(at + 22), offset });
        offset += length;
      }
      at += length;
    }
    const name = Buffer.from('word/document.xml');
    const { crc, written } = await writeDeflated(fd, offset + 30 + name.length, { head, fill: 'A', bytes, tail }, true);
    const usize = options.declare ?? head.length + bytes + tail.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(written, 18);
    local.writeUInt32LE(usize, 22);
    local.writeUInt16LE(name.length, 26);
    fs.writeSync(fd, Buffer.concat([local, name]), 0, 30 + name.length, offset);
    entries.push({ name, method: 8, crc, csize: written, usize, offset });
    offset += 30 + name.length + written;
    const directory = Buffer.concat(
      entries.map((e) => {
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0);
        central.writeUInt16LE(20, 4);
        central.writeUInt16LE(20, 6);
        central.writeUInt16LE(e.method, 10);
        central.writeUInt32LE(e.crc, 16);
        central.writeUInt32LE(e.csize, 20);
        central.writeUInt32LE(e.usize, 24);
        central.writeUInt16LE(e.name.length, 28);
        central.writeUInt32LE(e.offset, 42);
        return Buffer.concat([central, e.name]);
      }),
    );
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    fs.writeSync(fd, Buffer.concat([directory, end]), 0, directory.length + 22, offset);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a one-page PDF to `file` whose page content is a FlateDecode stream of `bytes` spaces
 * (a deflate bomb: about a thousandth of that on disk), streamed like writeDocxBomb.
 */
export async function writePdfBomb(file: string, bytes: number): Promise<void> {
  const fd = fs.openSync(file, 'w');
  try {
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    ];
    let pdf = '%PDF-1.4\n';
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(pdf.length);
      pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    offsets.push(pdf.length);
    // The length is written last, in a field wide enough for any value.
    const lengthField = '          ';
    pdf += '4 0 obj\n<< /Filter /FlateDecode /Length ';
    const lengthAt = pdf.length;
    pdf += `${lengthField} >>\nstream\n`;
    fs.writeSync(fd, pdf, 0, 'latin1');
    const { written } = await writeDeflated(fd, pdf.length, { head: 'BT ', fill: ' ', bytes, tail: ' ET' }, false);
    fs.writeSync(fd, String(written).padEnd(lengthField.length), lengthAt, 'latin1');
    const xref = pdf.length + written + '\nendstream\nendobj\n'.length;
    let rest = '\nendstream\nendobj\n';
    rest += `xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
    rest += `trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    fs.writeSync(fd, rest, pdf.length + written, 'latin1');
  } finally {
    fs.closeSync(fd);
  }
}
