// The append-only audit log: written inside the same transaction as the change it records.
import type { Db } from '../lib/db.ts';

export interface AuditEntry {
  at: string;
  actorId: number | null;
  studyId?: number | null;
  entity: string;
  entityId?: number | null;
  action: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditRow {
  id: number;
  at: string;
  actor_name: string | null;
  actor_email: string | null;
  entity: string;
  entity_id: number | null;
  action: string;
  before: string | null;
  after: string | null;
}

export function auditRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, actor_id, study_id, entity, entity_id, action, before, after)
     VALUES (@at, @actorId, @studyId, @entity, @entityId, @action, @before, @after)`,
  );
  const selectColumns = `SELECT a.id, a.at, u.name AS actor_name, u.email AS actor_email, a.entity, a.entity_id, a.action, a.before, a.after
     FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id`;
  const forStudy = db.prepare<[number, number, number], AuditRow>(
    `${selectColumns} WHERE a.study_id = ? AND a.id < ? ORDER BY a.id DESC LIMIT ?`,
  );
  const forSite = db.prepare<[number, number], AuditRow>(
    `${selectColumns} WHERE a.study_id IS NULL AND a.id < ? ORDER BY a.id DESC LIMIT ?`,
  );
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

  return {
    record(entry: AuditEntry): void {
      insert.run({
        at: entry.at,
        actorId: entry.actorId,
        studyId: entry.studyId ?? null,
        entity: entry.entity,
        entityId: entry.entityId ?? null,
        action: entry.action,
        before: json(entry.before),
        after: json(entry.after),
      });
    },
    /** Newest first, `limit` rows older than `beforeId`. */
    listForStudy(studyId: number, beforeId = Number.MAX_SAFE_INTEGER, limit = 100): AuditRow[] {
      return forStudy.all(studyId, beforeId, limit);
    },
    listForSite(beforeId = Number.MAX_SAFE_INTEGER, limit = 100): AuditRow[] {
      return forSite.all(beforeId, limit);
    },
  };
}
export type AuditRepo = ReturnType<typeof auditRepo>;
