// Search hits as plain data: the snippet escaped, then the hit markers turned into <mark>.
import type { SafeHtml } from '../lib/markdown.ts';
import { HIT_END, HIT_START, type SearchRow } from './search.repo.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function snippetHtml(snippet: string): SafeHtml {
  return escapeHtml(snippet).split(HIT_START).join('<mark>').split(HIT_END).join('</mark>') as SafeHtml;
}

export function hitView(studyId: number, row: SearchRow) {
  const base = `/studies/${studyId}`;
  const href =
    row.kind === 'interview' ? `${base}/interviews/${encodeURIComponent(row.ref_key ?? '')}`
    : row.kind === 'document' ? `${base}/cases/${encodeURIComponent(row.case_key)}/documents`
    : `${base}/cases/${encodeURIComponent(row.case_key)}`;
  return { kind: row.kind, caseName: row.case_name, title: row.title, href, snippetHtml: snippetHtml(row.snippet) };
}
