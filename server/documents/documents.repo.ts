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

const SELECT = `SELECT d.id, d.key, d.case_id, c.key AS case_key, d.title, d.kind, d.date, d.filename, d.storage_name, d.media_type, d.size,
       d.sha256, d.text_status, u.name AS uploaded_by_name, d.created_at,
       (SELECT count(*) FROM evidence e WHERE e.document_id = d.id) AS evidence
     FROM documents d JOIN cases c ON c.id = d.case_id LEFT JOIN users u ON u.id = d.uploaded_by`;

export function documentsRepo(db: Db) {
  const forCase = db.prepare<[number], DocumentRow>(`${SELECT} WHERE d.case_id = ? ORDER BY d.date IS NULL, d.date, d.id`);
  const forStudy = db.prepare<[number], DocumentRow>(`${SELECT} WHERE d.study_id = ? ORDER BY c.position, d.id`);
  const byKey = db.prepare<[number, string], DocumentRow>(`${SELECT} WHERE d.study_id = ? AND d.key = ?`);
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
