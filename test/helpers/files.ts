// Small real files for upload tests (built by server/lib/office-files.ts, which the demo uses too).
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
