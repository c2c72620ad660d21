// Tables as an XLSX workbook (exceljs): one worksheet per table, the header row bold and frozen,
// numbers as numbers and booleans as booleans. Text is always written as text, never as a formula,
// so a cell such as "=1+1" cannot run in a spreadsheet. exceljs is loaded on first use: it takes
// half a second, which every start of the server and the command line would otherwise pay.
import type { Table } from './exports.tables.ts';

/** A worksheet name Excel accepts: at most 31 characters, none of \ / ? * [ ] :, unique in the workbook. */
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[\\/?*[\]:]/g, ' ').trim().slice(0, 31) || 'sheet';
  let candidate = base;
  for (let i = 2; used.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 28)} ${i}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

export async function workbookOf(tables: readonly Table[], meta: { title: string; created: Date }): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kader';
  wb.title = meta.title;
  wb.created = meta.created;
  wb.modified = meta.created;
  const used = new Set<string>();
  for (const table of tables) {
    const ws = wb.addWorksheet(sheetName(table.sheet, used), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
    ws.addRow(table.header);
    ws.getRow(1).font = { bold: true };
    for (const row of table.rows) ws.addRow(row.map((c) => (c === null ? null : c)));
    ws.columns.forEach((column, i) => {
      const longest = Math.max(String(table.header[i] ?? '').length, ...table.rows.slice(0, 200).map((r) => (typeof r[i] === 'string' ? Math.min((r[i] as string).length, 60) : 8)));
      column.width = Math.max(8, Math.min(60, longest + 2));
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
