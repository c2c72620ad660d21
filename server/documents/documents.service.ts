// Documents: an upload is checked by content, moved under a random name and recorded (with its
// SHA-256) in one transaction with its audit entry; text for search is extracted afterwards.
// Deleting a document (leads) removes its file once the deletion is committed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../lib/db.ts';
import { FormRefusal, RuleError } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import { extractIsolated } from './documents.extract.ts';
import { recognise } from './documents.sniff.ts';
import type { StoredUpload } from './documents.storage.ts';

/** The name a file was uploaded with, without folders, control characters or excess length. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters, and direction overrides that make "invoice‮txt.bat" look like a .txt file.
  const cleaned = base.normalize('NFC').replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').replace(/^\.+/, '').trim().slice(0, 200);
  return cleaned || 'document';
}

export function documentsService(deps: { db: Db; repos: Repos; now: () => Date; uploadsDir: string }) {
  const { db, repos } = deps;
  const running = new Set<Promise<void>>();
  /** Extractions run one after another: each may use a whole core for a while. */
  let queue: Promise<void> = Promise.resolve();

  function extract(id: number, file: string, kind: ReturnType<typeof recognise> & object): Promise<void> {
    queue = queue.then(async () => {
      try {
        const result = await extractIsolated(file, kind.extract);
        repos.documents.setText(id, result.text, result.status);
      } catch {
        // The document may be gone, or the database closed: nothing to record.
      }
    });
    return queue;
  }

  return {
    /** Every text extraction that has started has finished (for tests and orderly shutdown). */
    settled: () => Promise.all([...running]).then(() => undefined),

    pathOf: (storageName: string) => path.join(deps.uploadsDir, storageName),

    /**
     * Records an uploaded file for a case. The temporary file becomes the stored one; a file whose
     * content is not on the allow-list is refused with 415.
     */
    add(
      studyId: number,
      caseKey: string,
      input: { title: string; kind: string; date: string | null },
      upload: StoredUpload & { originalName: string },
      actorId: number | null,
    ): { key: string; unsupported?: true } {
      const kind = recognise(upload.path, upload.originalName, upload.isText);
      if (!kind) return { key: '', unsupported: true };
      const caseRow = repos.cases.list(studyId).find((c) => c.key === caseKey);
      if (!caseRow) throw new RuleError('error.notFound');
      const storageName = `${crypto.randomBytes(16).toString('hex')}.bin`;
      const finalPath = path.join(deps.uploadsDir, storageName);
      fs.renameSync(upload.path, finalPath);
      try {
        const { id, key } = db.transaction(() => {
          const at = deps.now().toISOString();
          const key = repos.documents.nextKey(studyId);
          const id = repos.documents.insert({
            studyId, caseId: caseRow.id, key, title: input.title, kind: input.kind, date: input.date, filename: cleanFilename(upload.originalName),
            storageName, mediaType: kind.mediaType, size: upload.size, sha256: upload.sha256, textStatus: kind.extract ? 'pending' : 'none',
            uploadedBy: actorId, now: at,
          });
          repos.audit.record({ at, actorId, studyId, entity: 'document', entityId: id, action: 'upload',
            after: { key, case: caseKey, title: input.title, filename: cleanFilename(upload.originalName), size: upload.size, sha256: upload.sha256 } });
          return { id, key };
        })();
        if (kind.extract) {
          const job = extract(id, finalPath, kind).finally(() => running.delete(job));
          running.add(job);
        }
        return { key };
      } catch (err) {
        fs.rmSync(finalPath, { force: true });
        throw err;
      }
    },

    remove(studyId: number, key: string, actorId: number): void {
      const doc = repos.documents.findByKey(studyId, key);
      if (!doc) throw new RuleError('error.notFound');
      if (doc.evidence > 0) throw new FormRefusal({ _form: { key: 'documents.citedByEvidence', params: { count: doc.evidence } } });
      db.transaction(() => {
        repos.documents.remove(doc.id);
        repos.audit.record({ at: deps.now().toISOString(), actorId, studyId, entity: 'document', entityId: doc.id, action: 'delete',
          before: { key: doc.key, case: doc.case_key, title: doc.title, filename: doc.filename, sha256: doc.sha256 } });
      })();
      if (doc.storage_name) fs.rmSync(path.join(deps.uploadsDir, doc.storage_name), { force: true });
    },
  };
}
export type DocumentsService = ReturnType<typeof documentsService>;
