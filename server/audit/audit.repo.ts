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

/** Filters of the audit log page; `actor` 0 is Kader itself (no account), `to` is exclusive. */
export interface AuditFilter {
  entity?: string;
  action?: string;
  actor?: number;
  from?: string;
  to?: string;
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
  // The log page with filters: what (entity, and optionally action), who (an account, or 0 for
  // Kader itself), and a period [from, to). Newest first, `limit` entries older than `before`.
  // Per scope (a study's log, or the site's account log) three statements: the entries, their
  // total with where this page starts and where the page before it begins, and the filter choices.
  type FilterParams = { studyId: number | null; entity: string | null; action: string | null; actor: number | null; from: string | null; to: string | null };
  const FILTERS = `AND (@entity IS NULL OR a.entity = @entity) AND (@action IS NULL OR a.action = @action)
       AND (@actor IS NULL OR (@actor = 0 AND a.actor_id IS NULL) OR a.actor_id = @actor)
       AND (@from IS NULL OR a.at >= @from) AND (@to IS NULL OR a.at < @to)`;
  const scoped = (scope: string) => ({
    rows: db.prepare<FilterParams & { before: number; limit: number }, AuditRow>(
      `${selectColumns} WHERE ${scope} ${FILTERS} AND a.id < @before ORDER BY a.id DESC LIMIT @limit`,
    ),
    // total: every matching entry; newer: those above this page; newerPage: the `before` of the page
    // above this one (null when it is the first page).
    stats: db.prepare<FilterParams & { before: number; limit: number }, { total: number; newer: number; newerPage: number | null }>(
      `SELECT count(*) AS total, coalesce(sum(a.id >= @before), 0) AS newer,
              (SELECT a.id FROM audit_log a WHERE ${scope} ${FILTERS} AND a.id >= @before ORDER BY a.id LIMIT 1 OFFSET @limit) AS newerPage
       FROM audit_log a WHERE ${scope} ${FILTERS}`,
    ),
    choices: db.prepare<{ studyId: number | null }, { entity: string; action: string; actor_id: number | null; actor_name: string | null; actor_email: string | null }>(
      `SELECT DISTINCT a.entity, a.action, a.actor_id, u.name AS actor_name, u.email AS actor_email
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE ${scope}`,
    ),
  });
  const byScope = { study: scoped('a.study_id = @studyId'), site: scoped('a.study_id IS NULL AND @studyId IS NULL') };
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
    /**
     * One page of a study's log (`studyId`) or the site's (null), filtered: the entries, the number
     * matching, how many newer ones match, the `before` of the page above, and the choices for the
     * filters (the kinds of change and the people in this log).
     */
    page(studyId: number | null, filter: AuditFilter, before: number, limit: number) {
      const statements = byScope[studyId === null ? 'site' : 'study'];
      const params: FilterParams & { before: number; limit: number } = {
        studyId, entity: filter.entity ?? null, action: filter.action ?? null, actor: filter.actor ?? null,
        from: filter.from ?? null, to: filter.to ?? null, before, limit,
      };
      return { rows: statements.rows.all(params), ...statements.stats.get(params)!, choices: statements.choices.all({ studyId }) };
    },
    listForSite(beforeId = Number.MAX_SAFE_INTEGER, limit = 100): AuditRow[] {
      return forSite.all(beforeId, limit);
    },
  };
}
export type AuditRepo = ReturnType<typeof auditRepo>;
