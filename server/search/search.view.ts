// Search hits as plain data: the snippet as plain text (the notes' Markdown syntax taken out, so
// `**tekort**` reads "tekort"), escaped, then the hit markers turned into <mark>.
import { escapeMarkup } from '../lib/escape.ts';
import { markdownToText, type SafeHtml } from '../lib/markdown.ts';
import { HIT_END, HIT_START, type SearchRow } from './search.repo.ts';

/** The snippet as plain text, escaped, with the hit markers (control characters, which escaping drops) turned into <mark> first. */
export function snippetHtml(snippet: string): SafeHtml {
  return markdownToText(snippet).split(HIT_START).map((part) => part.split(HIT_END).map(escapeMarkup).join('</mark>')).join('<mark>') as SafeHtml;
}

export function hitView(studyId: number, row: SearchRow) {
  const base = `/studies/${studyId}`;
  const href =
    row.kind === 'interview' ? `${base}/interviews/${encodeURIComponent(row.ref_key ?? '')}`
    : row.kind === 'document' ? `${base}/cases/${encodeURIComponent(row.case_key)}/documents`
    : `${base}/cases/${encodeURIComponent(row.case_key)}`;
  return { kind: row.kind, caseName: row.case_name, title: row.title, href, snippetHtml: snippetHtml(row.snippet) };
}
