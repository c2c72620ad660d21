// The measures CSV reader: quotes, embedded commas and line breaks, line ends, blank lines, BOM,
// and the line each record starts on.
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, decodeUtf8, parseCsv } from '../../../server/cases/cases.csv.ts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('cases.csv parseCsv', () => {
  it('reads plain comma-separated records with their line numbers', () => {
    expect(parseCsv('case,variable,value\nk1,hve,-12.5\nk2,hve,3\n')).toEqual([
      { line: 1, fields: ['case', 'variable', 'value'] },
      { line: 2, fields: ['k1', 'hve', '-12.5'] },
      { line: 3, fields: ['k2', 'hve', '3'] },
    ]);
  });

  it('reads the last record without a final line break', () => {
    expect(fields('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('keeps empty fields, also at the end of a record', () => {
    expect(fields('a,,c\nd,e,\n,,')).toEqual([['a', '', 'c'], ['d', 'e', ''], ['', '', '']]);
  });

  it('unquotes quoted fields, with "" for a quote and embedded commas', () => {
    expect(fields('"Gemeente ""De Ronde Venen""","12,5",x\n')).toEqual([['Gemeente "De Ronde Venen"', '12,5', 'x']]);
  });

  it('keeps line breaks inside quoted fields and counts them for the next record', () => {
    const records = parseCsv('h1,h2\n"two\nlines",x\n"three\r\nlines\rhere",y\nlast,z\n');
    expect(records.map((r) => r.fields)).toEqual([['h1', 'h2'], ['two\nlines', 'x'], ['three\r\nlines\rhere', 'y'], ['last', 'z']]);
    // Line 2 holds "two", line 3 "lines"; the third record starts on line 4 and spans 4–6.
    expect(records.map((r) => r.line)).toEqual([1, 2, 4, 7]);
  });

  it('accepts CRLF and CR line ends', () => {
    expect(parseCsv('a,b\r\nc,d\r\n').map((r) => [r.line, r.fields])).toEqual([[1, ['a', 'b']], [2, ['c', 'd']]]);
    expect(fields('a,b\rc,d')).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('skips blank lines but counts them', () => {
    const records = parseCsv('a,b\n\n\r\nc,d\n\n');
    expect(records).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 4, fields: ['c', 'd'] }]);
  });

  it('keeps a record of one quoted empty field (it is not a blank line)', () => {
    expect(fields('""\n')).toEqual([['']]);
  });

  it('ignores a byte-order mark at the start', () => {
    expect(fields('\uFEFFcase,value\nk1,1')).toEqual([['case', 'value'], ['k1', '1']]);
  });

  it('reads an empty text as no records', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
  });

  it('refuses an unterminated quote, naming the line where it starts', () => {
    const run = () => parseCsv('a,b\nc,"open\nstill open\n');
    expect(run).toThrow(CsvSyntaxError);
    try {
      run();
    } catch (err) {
      expect(err).toMatchObject({ line: 2, reason: 'unterminatedQuote' });
    }
  });

  it('refuses a quote inside an unquoted field and text after a closing quote', () => {
    expect(() => parseCsv('a,b\nc,d"e\n')).toThrow(expect.objectContaining({ line: 2, reason: 'quoteInField' }));
    expect(() => parseCsv('a\n\n"x"y,z\n')).toThrow(expect.objectContaining({ line: 3, reason: 'textAfterQuote' }));
  });
});

describe('cases.csv decodeUtf8', () => {
  it('decodes UTF-8 and drops a BOM', () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x47, 0xc3, 0xa9]))).toBe('Gé');
  });

  it('refuses bytes that are not UTF-8 (a Windows-1252 é)', () => {
    expect(decodeUtf8(new Uint8Array([0x47, 0xe9, 0x0a]))).toBeNull();
  });
});
