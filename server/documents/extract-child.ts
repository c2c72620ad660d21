// Runs one text extraction in a process of its own (see extractIsolated): a hostile file can then
// exhaust only this process's memory or time, never the server's.
import { extractText } from './documents.extract.ts';

const [file, kind] = process.argv.slice(2) as [string, 'pdf' | 'docx' | 'text'];
extractText(file, kind).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  () => process.stdout.write(JSON.stringify({ status: 'failed', text: '' })),
);
