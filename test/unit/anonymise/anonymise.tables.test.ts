// Anonymising a download's table: case cells become pseudonymous keys, texts get pseudonyms, rows
// about cases follow the pseudonyms while other rows keep their place; and a workbook writes text
// that looks like a formula as text.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { anonymisation } from '../../../server/anonymise/anonymise.rules.ts';
import { anonymiseCsv, anonymiseJson, anonymiseTable } from '../../../server/anonymise/anonymise.tables.ts';
import { agreementCaseCell, tableFromCsv } from '../../../server/exports/exports.tables.ts';
import { writeWorkbook } from '../../../server/exports/exports.xlsx.ts';

const a = anonymisation([
  { key: 'zwolle', name: 'Zwolle', aliases: [], pseudonym: 'Gemeente 10', pseudonymKey: 'gemeente-10' },
  { key: 'ede', name: 'Ede', aliases: ['Edese'], pseudonym: 'Gemeente 2', pseudonymKey: 'gemeente-2' },
]);

describe('anonymiseTable', () => {
  it('maps case cells and texts and orders case rows by pseudonym', () => {
    const out = anonymiseTable(
      { name: 't', sheet: 't', header: ['case', 'score', 'note'], rows: [['zwolle', 3, 'Zwolle en Ede'], ['ede', -1, 'De Edese aanpak'], ['ede', 2, null]] },
      a,
    );
    expect(out.rows).toEqual([['gemeente-2', -1, 'De Gemeente 2 aanpak'], ['gemeente-2', 2, null], ['gemeente-10', 3, 'Gemeente 10 en Gemeente 2']]);
  });

  it('the agreement CSV: only `case` records change keys and places; negative numbers stay numbers', () => {
    const csv = 'scope,key,units,exact\r\noverall,,4,0.5\r\ncase,zwolle,2,-0.25\r\ncondition,1.a,4,1\r\ncase,ede,2,1\r\n';
    expect(anonymiseCsv(csv, a, { numeric: ['units', 'exact'], caseCell: agreementCaseCell })).toBe(
      'scope,key,units,exact\r\noverall,,4,0.5\r\ncase,gemeente-2,2,1\r\ncondition,1.a,4,1\r\ncase,gemeente-10,2,-0.25\r\n',
    );
  });

  it('reads a Kader CSV back exactly: numbers in numeric columns, the formula guard taken off text', () => {
    const table = tableFromCsv('t', 't', "case,score,note\r\nede,-0.5,'=1+1\r\nede,NA,\r\n", ['score']);
    expect(table.rows).toEqual([['ede', -0.5, '=1+1'], ['ede', 'NA', null]]);
  });

  it('a JSON download: `case` fields become pseudonymous keys, lists about cases follow the pseudonyms', () => {
    expect(anonymiseJson({ byCase: [{ case: 'zwolle', n: 1 }, { case: 'ede', n: 2 }], note: 'Ede' }, a)).toEqual({
      byCase: [{ case: 'gemeente-2', n: 2 }, { case: 'gemeente-10', n: 1 }],
      note: 'Gemeente 2',
    });
  });
});

describe('writeWorkbook', () => {
  it('writes text that looks like a formula as text, and numbers as numbers', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeWorkbook(out, [{ name: 't', sheet: 'a/b:c', header: ['x', 'y'], rows: [['=1+1', 4.5]] }], { title: 't', created: new Date(0) });
    const bytes = Buffer.concat(chunks);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('a b c');
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('A2').value).toBe('=1+1');
    expect(ws.getCell('B2').value).toBe(4.5);
  });
});
