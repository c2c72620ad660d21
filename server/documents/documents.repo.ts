// SQL for documents.
import type { Db } from '../lib/db.ts';

export interface DocumentRow {
  id: number;
  key: string;
  case_id: number;
  case_key: string;
  title: string;
  kind: string;
  date: string | null;
  filename: string;
  storage_name: string | null;
  media_type: string;
  size: number;
  sha256: string;
  text_status: 'none' | 'pending' | 'done' | 'failed' | 'skipped';
  uploaded_by_name: string | null;
  created_at: string;
  evidence: number;
}

/** A row of the study's document list. */
export interface DocumentListRow extends DocumentRow {
  case_name: string;
  total: number;
}
/** What the study's document list is filtered by (absent: any). */
export interface DocumentFilter {
  caseKey?: string | null;
  kind?: string | null;
}
interface DocumentFilterParams {
  studyId: number;
  caseKey: string | null;
  kind: string | null;
  limit: number;
  offset: number;
}

const SELECT = `SELECT d.id, d.key, d.case_id, c.key AS case_key, d.title, d.kind, d.date, d.filename, d.storage_name, d.media_type, d.size,
       d.sha256, d.text_status, u.name AS uploaded_by_name, d.created_at,
       (SELECT count(*) FROM evidence e WHERE e.document_id = d.id) AS evidence
     FROM documents d JOIN cases c ON c.id = d.case_id LEFT JOIN users u ON u.id = d.uploaded_by`;

export function documentsRepo(db: Db) {
  const forCase = db.prepare<[number], DocumentRow>(`${SELECT} WHERE d.case_id = ? ORDER BY d.date IS NULL, d.date, d.id`);
  const forStudy = db.prepare<[number], DocumentRow>(`${SELECT} WHERE d.study_id = ? ORDER BY c.position, d.id`);
  const byKey = db.prepare<[number, string], DocumentRow>(`${SELECT} WHERE d.study_id = ? AND d.key = ?`);
  // The study's document list: one page that passes the filter, with its case's name and the count of
  // every row the filter keeps (a window over the whole result, before LIMIT): one statement.
  const filtered = db.prepare<DocumentFilterParams, DocumentListRow>(
    `${SELECT.replace(/\s+FROM documents d JOIN/, ', c.name AS case_name, count(*) OVER () AS total FROM documents d JOIN')}
     WHERE d.study_id = @studyId AND (@caseKey IS NULL OR c.key = @caseKey) AND (@kind IS NULL OR d.kind = @kind)
     ORDER BY c.position, d.date IS NULL, d.date, d.id LIMIT @limit OFFSET @offset`,
  );
  const kinds = db.prepare<[number], { kind: string }>("SELECT DISTINCT kind FROM documents WHERE study_id = ? AND kind <> '' ORDER BY kind");
  const keys = db.prepare<[number], { key: string }>("SELECT key FROM documents WHERE study_id = ? AND key GLOB 'd[0-9]*'");
  const insert = db.prepare(
    `INSERT INTO documents (study_id, case_id, key, title, kind, date, filename, storage_name, media_type, size, sha256, text_status, uploaded_by, created_at)
     VALUES (@studyId, @caseId, @key, @title, @kind, @date, @filename, @storageName, @mediaType, @size, @sha256, @textStatus, @uploadedBy, @now)`,
  );
  const setText = db.prepare<[string, string, number]>('UPDATE documents SET text = ?, text_status = ? WHERE id = ?');
  const remove = db.prepare<[number]>('DELETE FROM documents WHERE id = ?');

  return {
    listForCase: (caseId: number) => forCase.all(caseId),
    listForStudy: (studyId: number) => forStudy.all(studyId),
    /** A page of the study's documents that pass the filter, and how many pass it in all (null past the last page). */
    page(studyId: number, filter: DocumentFilter, limit: number, offset: number): { rows: DocumentListRow[]; total: number | null } {
      const rows = filtered.all({ studyId, caseKey: filter.caseKey ?? null, kind: filter.kind ?? null, limit, offset });
      return { rows, total: rows[0]?.total ?? (offset === 0 ? 0 : null) };
    },
    /** The kinds the study's documents have (for the list's filter). */
    kinds: (studyId: number) => kinds.all(studyId).map((r) => r.kind),
    findByKey: (studyId: number, key: string) => byKey.get(studyId, key),
    /** The next free key of the form d1, d2, … */
    nextKey(studyId: number): string {
      const used = keys.all(studyId).map((r) => Number(r.key.slice(1))).filter(Number.isSafeInteger);
      return `d${used.length ? Math.max(...used) + 1 : 1}`;
    },
    insert: (d: {
      studyId: number; caseId: number; key: string; title: string; kind: string; date: string | null; filename: string; storageName: string | null;
      mediaType: string; size: number; sha256: string; textStatus: DocumentRow['text_status']; uploadedBy: number | null; now: string;
    }) => Number(insert.run(d).lastInsertRowid),
    setText: (id: number, text: string, status: DocumentRow['text_status']) => setText.run(text, status, id),
    remove: (id: number) => remove.run(id),
  };
}
export type DocumentsRepo = ReturnType<typeof documentsRepo>;
