// The leak check reads every format an anonymised output is written in. A leak is planted in a file of
// each format of OUTPUT_FORMATS, where a reader of the file would meet it (a name split over two Word
// runs, a link target, a document title, a sheet name, a CSV header, a JSON key, a page address), and
// must be found there. PLANTED is typed by the list: a format added to it without a planted leak here
// does not compile, so no format goes unchecked.
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FORMATS, decodeEntities, type OutputFormat } from '../../../server/anonymise/anonymise.formats.ts';
import { findSuspects, replacementsOf } from '../../../server/anonymise/anonymise.rules.ts';
import { tableCsv } from '../../../server/exports/exports.tables.ts';
import { writeWorkbook } from '../../../server/exports/exports.xlsx.ts';
import { renderReportDocx } from '../../../server/reports/reports.docx.ts';
import { renderReportHtml } from '../../../server/reports/reports.html.ts';
import type { ReportContent } from '../../../server/reports/reports.blocks.ts';

const names = replacementsOf([
  { key: 'oost', name: 'Súdwest-Fryslân', aliases: [], pseudonym: 'Gemeente 1', pseudonymKey: 'gemeente-1' },
  { key: 'c1', name: 'Leeuwarden', aliases: [], pseudonym: 'Gemeente 2', pseudonymKey: 'gemeente-2' },
]);

/** What the leak check finds in a file: [found text, where]. */
function found(format: OutputFormat, file: string | Buffer): [string, string][] {
  return OUTPUT_FORMATS[format](file).flatMap((t) => findSuspects(t.text, names).map((s): [string, string] => [s.text, t.location]));
}

async function workbook(tables: Parameters<typeof writeWorkbook>[1]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeWorkbook(out, tables, { title: 'analysis', created: new Date(0) });
  return Buffer.concat(chunks);
}

const content = (markdown: string, title: string): ReportContent => ({ title, texts: { title }, blocks: { body: [{ type: 'markdown', source: markdown }] } });

/** One file per format with leaks planted, and where the check must find them. */
const PLANTED: Record<OutputFormat, { file: () => Promise<string | Buffer>; finds: [string, string][] }> = {
  json: {
    file: async () => JSON.stringify({ interviews: [{ notes: 'In SUDWEST-FRYSLAN.' }], measures: { 'Súdwest-Fryslân': 1 } }),
    finds: [['SUDWEST-FRYSLAN', 'interviews[0].notes'], ['Súdwest-Fryslân', 'measures.Súdwest-Fryslân (key)']],
  },
  csv: {
    file: async () => tableCsv({ name: 't', sheet: 't', header: ['case', 'oostnote'], rows: [['gemeente-1', 'sudwest fryslan, "zei hij"']] }),
    finds: [['oostnote', 'header'], ['sudwest fryslan', 'row 2, oostnote']],
  },
  xlsx: {
    file: () => workbook([{ name: 't', sheet: 'oost sheet', header: ['case', 'note'], rows: [['gemeente-1', 'De Sudwest-Fryslanske aanpak'], ['gemeente-2', 3]] }]),
    finds: [['Sudwest-Fryslanske', 'oost sheet!B2'], ['oost', 'xl/workbook.xml @name']],
  },
  docx: {
    // "Súd" in bold is a run of its own: the paragraph is read whole. The link and the title leave the body.
    file: () => renderReportDocx('{{body}}', content('De **Súd**west-Fryslân aanpak, zie [de site](https://example.org/oost/plan).', 'Rapport Leeuwarden'), { pageLabel: 'p' }),
    finds: [['Súdwest-Fryslân', 'word/document.xml, paragraph 1'], ['oost', 'word/_rels/document.xml.rels @Target'], ['Leeuwarden', 'docProps/core.xml']],
  },
  html: {
    file: async () => `<title>Rapport</title>\n${renderReportHtml('{{body}}', content('De **Súd**west-Fryslân aanpak, zie [het rapport](/studies/1/cases/oost/report).', 'Rapport'))}`,
    finds: [['Súdwest-Fryslân', 'page'], ['oost', 'page @href']],
  },
};

describe('anonymise.formats: a leak planted in every format of an anonymised output is found', () => {
  for (const format of Object.keys(OUTPUT_FORMATS) as OutputFormat[]) {
    it(`${format}: where a reader of the file meets it`, async () => {
      const planted = PLANTED[format];
      const file = await planted.file();
      expect(found(format, file)).toEqual(expect.arrayContaining(planted.finds));
    });
  }

  it('a clean file of every format has nothing to report: markup, cell references ("C1") and styles are no text', async () => {
    const clean: Record<OutputFormat, () => Promise<string | Buffer>> = {
      json: async () => JSON.stringify({ cases: [{ key: 'gemeente-1' }] }),
      csv: async () => tableCsv({ name: 't', sheet: 't', header: ['case'], rows: [['gemeente-2']] }),
      xlsx: () => workbook([{ name: 't', sheet: 'cases', header: ['a', 'b', 'c'], rows: [['x', 'y', 'z'], [1, 2, 3]] }]),
      docx: () => renderReportDocx('# Rapport\n\n{{body}}', content('Gemeente 1 en *Gemeente 2*.', 'Rapport'), { pageLabel: 'p' }),
      html: async () => renderReportHtml('{{body}}', content('Gemeente 1, [meer](/studies/1/report).', 'Rapport')),
    };
    for (const format of Object.keys(OUTPUT_FORMATS) as OutputFormat[]) expect(found(format, await clean[format]()), format).toEqual([]);
  });

  it('reads the shared strings of a workbook written by another writer, and rich text as one text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Blad');
    ws.getCell('A1').value = 'Over Súdwest-Fryslân';
    ws.getCell('B2').value = { richText: [{ text: 'Leeu', font: { bold: true } }, { text: 'warden' }] };
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    expect(found('xlsx', bytes)).toEqual(expect.arrayContaining([['Súdwest-Fryslân', 'Blad!A1'], ['Leeuwarden', 'Blad!B2']]));
  });

  it('decodes character references as markup writes them', () => {
    expect(decodeEntities('S&#250;dwest &amp; Frysl&#xE2;n &lt;&apos;&quot;&gt; &unknown;')).toBe('Súdwest & Fryslân <\'"> &unknown;');
  });
});
