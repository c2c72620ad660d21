// A small CSV reader (RFC 4180): comma-separated, fields optionally quoted with "…" and "" for a
// quote inside, line breaks inside quoted fields, CRLF / LF / CR line ends, a leading BOM ignored,
// blank lines skipped. Each record carries the line it starts on, so problems can name it.

export interface CsvRecord {
  /** The 1-based line the record starts on. */
  line: number;
  fields: string[];
}

export type CsvSyntaxReason = 'unterminatedQuote' | 'quoteInField' | 'textAfterQuote';

/** The text is not CSV; after such a problem the record boundaries are unknown, so reading stops. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: CsvSyntaxReason,
  ) {
    super(`CSV syntax: ${reason} on line ${line}`);
  }
}

const isBreak = (ch: string | undefined) => ch === '\n' || ch === '\r';

export function parseCsv(input: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const n = text.length;
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let quotedAny = false;
    for (;;) {
      if (text[i] === '"') {
        quotedAny = true;
        const quoteLine = line;
        let value = '';
        i++;
        for (;;) {
          if (i >= n) throw new CsvSyntaxError(quoteLine, 'unterminatedQuote');
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          // A line break inside quotes belongs to the value; CRLF counts as one line.
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
          value += ch;
          i++;
        }
        if (i < n && text[i] !== ',' && !isBreak(text[i])) throw new CsvSyntaxError(line, 'textAfterQuote');
        fields.push(value);
      } else {
        const from = i;
        while (i < n && text[i] !== ',' && !isBreak(text[i])) {
          if (text[i] === '"') throw new CsvSyntaxError(line, 'quoteInField');
          i++;
        }
        fields.push(text.slice(from, i));
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // End of the record: at a line break or the end of the text.
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (i < n) i++;
    line++;
    const blank = !quotedAny && fields.length === 1 && fields[0] === '';
    if (!blank) records.push({ line: start, fields });
  }
  return records;
}

/** UTF-8 text of an upload, or null when the bytes are not valid UTF-8 (e.g. a Windows-1252 export). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}
