// Runs one text extraction in a process of its own (see extractIsolated): a hostile file can then
// exhaust only this process's memory or time, never the server's.
import { extractText } from './documents.extract.ts';

// tsx turns source maps on, and Node then keeps pdf.js's 2.4 MB map in memory (about 70 MB of the
// capped memory) for stack traces this process never shows.
process.setSourceMapsEnabled(false);

const [file, kind] = process.argv.slice(2) as [string, 'pdf' | 'docx' | 'text'];
extractText(file, kind).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  () => process.stdout.write(JSON.stringify({ status: 'failed', text: '' })),
);
