// The streamed XLSX writer and the limit on builds at a time: a long table arrives whole through a
// stream; a client that leaves or stops reading ends the build (so its turn is given back); and the
// slots are first come first served, with a bounded wait and queue.
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Table } from '../../../server/exports/exports.tables.ts';
import { buildSlots, isClosedEarly, writeWorkbook } from '../../../server/exports/exports.xlsx.ts';

/** `n` rows of a ratings-like table, with text that looks like formulas. */
const long = (n: number): Table => ({
  name: 'ratings', sheet: 'ratings', header: ['case', 'condition', 'score', 'rationale', 'submitted'],
  rows: Array.from({ length: n }, (_, i) => [`case-${i % 200}`, `${i % 60}.a`, (i % 5) + 1, i % 2 ? `=HYPERLINK("x${i}")` : `-${i} ${'text '.repeat(10)}`, i % 3 === 0]),
});

describe('writeWorkbook', () => {
  it('streams every row of a long table, formula-like text as text, header bold and frozen', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeWorkbook(out, [long(3000), { name: 'b', sheet: 'b', header: ['x'], rows: [['@sum'], [null], [true]] }], { title: 'ratings', created: new Date(0) });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const [ws, b] = wb.worksheets;
    expect(ws!.rowCount).toBe(3001);
    expect(ws!.getRow(1).font?.bold).toBe(true);
    expect(ws!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws!.getRow(3001).values).toEqual([undefined, 'case-199', '59.a', 5, '=HYPERLINK("x2999")', false]);
    expect(ws!.getCell('D3')).toMatchObject({ type: ExcelJS.ValueType.String, value: '=HYPERLINK("x1")' });
    expect(b!.getColumn(1).values).toEqual([undefined, 'x', '@sum', undefined, true]);
  });

  it('stops when the client goes away mid-stream, with an error that says so', async () => {
    let received = 0;
    const out: Writable = new Writable({
      write(_chunk, _encoding, done) {
        if (++received === 2) setImmediate(() => out.destroy());
        done();
      },
    });
    const error = await writeWorkbook(out, [long(20_000)], { title: 't', created: new Date(0) }).then(() => null, (err: unknown) => err);
    expect(isClosedEarly(error)).toBe(true);
  });

  it('gives up on a response that stays full (a client that stopped reading)', async () => {
    const out = new Writable({ highWaterMark: 1, write() { /* never done: the client reads nothing */ } });
    await expect(writeWorkbook(out, [long(20_000)], { title: 't', created: new Date(0) }, { stallMs: 40 })).rejects.toThrow(/stayed full/);
  });
});

describe('buildSlots', () => {
  it('gives `max` slots at once, then first come first served as slots are released', async () => {
    const slots = buildSlots({ max: 2, waitMs: 60_000, maxWaiting: 5 });
    const first = (await slots.acquire())!;
    const second = (await slots.acquire())!;
    expect(slots.active).toBe(2);
    const order: string[] = [];
    const third = slots.acquire().then((r) => (order.push('third'), r));
    const fourth = slots.acquire().then((r) => (order.push('fourth'), r));
    expect(slots.waiting).toBe(2);
    first();
    first(); // a second call releases nothing more
    const got = (await third)!;
    expect(order).toEqual(['third']);
    expect(slots.waiting).toBe(1);
    second();
    const last = (await fourth)!;
    expect(order).toEqual(['third', 'fourth']);
    got();
    last();
    expect(slots.active).toBe(0);
  });

  it('answers null after waiting `waitMs`, or at once when `maxWaiting` wait already', async () => {
    const slots = buildSlots({ max: 1, waitMs: 20, maxWaiting: 1 });
    const held = (await slots.acquire())!;
    const waiting = slots.acquire();
    expect(await slots.acquire()).toBeNull(); // the queue is full
    expect(await waiting).toBeNull(); // timed out
    expect(slots.waiting).toBe(0);
    held();
    const again = await slots.acquire();
    expect(again).toBeTypeOf('function');
    again!();
    expect(slots.active).toBe(0);
  });
});
