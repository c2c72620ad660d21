// Full-text search in one study's interview notes, document text and evidence quotes (FTS5).
// Snippets mark hits with control characters, never HTML: the view escapes the text first.
import type { Db } from '../lib/db.ts';
import { ftsQuery } from './search.query.ts';

export const HIT_START = '\u0002';
export const HIT_END = '\u0003';

export interface SearchRow {
  kind: 'interview' | 'document' | 'evidence';
  ref_id: number;
  case_key: string;
  case_name: string;
  title: string;
  snippet: string;
  /** The interview key or document key the hit belongs to (for evidence: its source's). */
  ref_key: string | null;
}

export class BadQueryError extends Error {}

export function searchRepo(db: Db) {
  const search = db.prepare<[string, number, number], SearchRow>(
    `SELECT s.kind, s.ref_id, c.key AS case_key, c.name AS case_name, s.title,
            snippet(search_index, 5, '${HIT_START}', '${HIT_END}', '…', 16) AS snippet,
            CASE s.kind
              WHEN 'interview' THEN (SELECT key FROM interviews WHERE id = s.ref_id)
              WHEN 'document' THEN (SELECT key FROM documents WHERE id = s.ref_id)
              ELSE (SELECT coalesce(i.key, d.key) FROM evidence e LEFT JOIN interviews i ON i.id = e.interview_id
                    LEFT JOIN documents d ON d.id = e.document_id WHERE e.id = s.ref_id)
            END AS ref_key
     FROM search_index s JOIN cases c ON c.id = s.case_id
     WHERE search_index MATCH ? AND s.study_id = ?
     ORDER BY rank LIMIT ?`,
  );

  return {
    /** Up to `limit` hits, best first, for what a user typed; nothing searchable raises BadQueryError. */
    search(studyId: number, typed: string, limit = 50): SearchRow[] {
      const query = ftsQuery(typed);
      if (query === null) throw new BadQueryError('nothing to search for');
      try {
        return search.all(query, studyId, limit);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_ERROR') throw new BadQueryError((err as Error).message);
        throw err;
      }
    },
  };
}
