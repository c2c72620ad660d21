// Tables as an XLSX workbook (exceljs): one worksheet per table, the header row bold and frozen,
// numbers as numbers and booleans as booleans. Text is always written as text, never as a formula,
// so a cell such as "=1+1" cannot run in a spreadsheet. exceljs is loaded on first use: it takes
// half a second, which every start of the server and the command line would otherwise pay.
//
// The workbook is streamed (exceljs's WorkbookWriter, each row committed as it is written) straight
// to the response, so no request holds a whole file; and at most two are built at a time in the
// process (xlsxBuilds), so many downloads at once cannot exhaust memory either. Without shared
// strings exceljs writes text as `t="str"` cells with a value and no `<f>`: text still, not a formula.
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Table } from './exports.tables.ts';

/** A worksheet name Excel accepts: at most 31 characters, none of \ / ? * [ ] :, unique in the workbook. */
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[\\/?*[\]:]/g, ' ').trim().slice(0, 31) || 'sheet';
  let candidate = base;
  for (let i = 2; used.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 28)} ${i}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** A column's width: its header and longest text (of the first 200 rows), between 8 and 60. */
function columnWidth(table: Table, i: number): number {
  const longest = Math.max(String(table.header[i] ?? '').length, ...table.rows.slice(0, 200).map((r) => (typeof r[i] === 'string' ? Math.min((r[i] as string).length, 60) : 8)));
  return Math.max(8, Math.min(60, longest + 2));
}

/** Rows written between two looks at the response. */
const ROWS_PER_TURN = 500;
/** How long a response may stay full (a client that stopped reading) before the download is given up. */
const STALL_MS = 60_000;

/**
 * Rejects (`stalled`) once `out` has been full for `stallMs` with no 'drain': a client that stopped
 * reading must not hold a build, and its turn, for ever. `stop` ends the watch.
 */
function stallWatch(out: Writable, stallMs: number): { stalled: Promise<never>; stop: () => void } {
  let since = Date.now();
  let fail: (err: Error) => void = () => undefined;
  const stalled = new Promise<never>((_, reject) => {
    fail = reject;
  });
  stalled.catch(() => undefined); // only ever awaited in races, which may have ended
  const progress = () => {
    since = Date.now();
  };
  out.on('drain', progress);
  const timer = setInterval(() => {
    if (!out.writableNeedDrain) progress();
    else if (Date.now() - since >= stallMs) fail(new Error(`the response stayed full for ${stallMs} ms`));
  }, Math.max(5, Math.floor(stallMs / 4)));
  return {
    stalled,
    stop() {
      clearInterval(timer);
      out.off('drain', progress);
    },
  };
}

/**
 * exceljs writes into its zip without back-pressure, so the row loop itself gives way: every
 * ROWS_PER_TURN rows it lets the zip compress and flush, and while the response is full it waits
 * for it to drain (or close, or stall), so unsent data does not pile up in memory.
 */
async function giveWay(out: Writable, stalled: Promise<never>): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (!out.writableNeedDrain || out.destroyed) return;
  let onDrain: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => {
    onDrain = () => resolve();
    out.once('drain', onDrain);
    out.once('close', onDrain);
  });
  try {
    await Promise.race([drained, stalled]);
  } finally {
    out.off('drain', onDrain);
    out.off('close', onDrain);
  }
}

/**
 * Streams the workbook to `out` and resolves when it is complete. Rejects when `out` closes first
 * (the client went away: an ERR_STREAM_PREMATURE_CLOSE error) or stays full for `stallMs`; the
 * caller then destroys the response, as the file is cut off.
 */
export async function writeWorkbook(out: Writable, tables: readonly Table[], meta: { title: string; created: Date }, options: { stallMs?: number } = {}): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  // Set when `out` ends early; checked between rows, and raced against the commit, whose promise
  // waits for a 'finish' that a closed response never emits.
  let gone: unknown = null;
  const ended = finished(out).then(
    () => undefined,
    (err: unknown) => {
      gone = err ?? new Error('the response closed');
    },
  );
  const watch = stallWatch(out, options.stallMs ?? STALL_MS);
  try {
    // Styles for the bold header; no shared strings, whose table exceljs would hold until the end.
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = 'Kader';
    wb.title = meta.title;
    wb.created = meta.created;
    wb.modified = meta.created;
    const used = new Set<string>();
    for (const table of tables) {
      const ws = wb.addWorksheet(sheetName(table.sheet, used), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
      ws.columns = table.header.map((_, i) => ({ width: columnWidth(table, i) }));
      const head = ws.addRow(table.header);
      head.font = { bold: true };
      head.commit();
      let written = 0;
      for (const row of table.rows) {
        // Strings go in as string values: exceljs writes them as text cells, never as formulas.
        ws.addRow(row.map((c) => (c === null ? null : c))).commit();
        if (++written % ROWS_PER_TURN === 0) {
          await giveWay(out, watch.stalled);
          if (gone) throw gone;
        }
      }
      ws.commit();
      if (gone) throw gone;
    }
    await Promise.race([wb.commit(), ended, watch.stalled]);
    if (gone) throw gone;
  } finally {
    watch.stop();
  }
}

/** Whether `writeWorkbook` stopped because the client went away (not an error of ours). */
export const isClosedEarly = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';

/**
 * A counting semaphore with a bounded, first-come-first-served wait: `acquire()` gives a release
 * function, or null when no slot came free within `waitMs` or `maxWaiting` requests wait already.
 * Each release is idempotent and hands its slot straight to the longest waiter.
 */
export function buildSlots(options: { max: number; waitMs: number; maxWaiting: number }) {
  let busy = 0;
  const queue: ((release: () => void) => void)[] = [];
  const grant = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next(grant());
      else busy--;
    };
  };
  return {
    /** Mutable so a test can shorten the wait. */
    options,
    acquire(): Promise<(() => void) | null> {
      if (busy < options.max) {
        busy++;
        return Promise.resolve(grant());
      }
      if (queue.length >= options.maxWaiting) return Promise.resolve(null);
      return new Promise((resolve) => {
        const waiter = (release: () => void) => {
          clearTimeout(timer);
          resolve(release);
        };
        const timer = setTimeout(() => {
          queue.splice(queue.indexOf(waiter), 1);
          resolve(null);
        }, options.waitMs);
        queue.push(waiter);
      });
    },
    get active() {
      return busy;
    },
    get waiting() {
      return queue.length;
    },
  };
}

/** Seconds a refused request is told to wait (Retry-After). */
export const XLSX_RETRY_AFTER_SECONDS = 30;

/**
 * XLSX builds in this process: at most 2 at a time (each holds its tables and exceljs's buffers;
 * the machine has 2 cores). A further request waits its turn, first come first served, for up to
 * 20 seconds, which absorbs the usual burst (a double click, a few people at once) without an error;
 * after that, or when 20 requests wait already, it is answered 503 with Retry-After. The bounds on
 * the wait and the queue keep waiting requests from piling up; a slot is released whatever way a
 * build ends (done, failed, client gone, stalled: see writeWorkbook).
 */
export const xlsxBuilds = buildSlots({ max: 2, waitMs: 20_000, maxWaiting: 20 });
