// Audit rows as plain data for the template: who, when, what, and the changed fields.
import type { AuditRow } from './audit.repo.ts';

export interface AuditEntryView {
  id: number;
  at: string;
  actor: string;
  entity: string;
  entityId: number | null;
  action: string;
  changes: { field: string; before: string; after: string }[];
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function auditEntryView(row: AuditRow): AuditEntryView {
  const before = row.before ? (JSON.parse(row.before) as Record<string, unknown>) : {};
  const after = row.after ? (JSON.parse(row.after) as Record<string, unknown>) : {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return {
    id: row.id,
    at: row.at.replace('T', ' ').slice(0, 19) + ' UTC',
    actor: row.actor_name ? `${row.actor_name} <${row.actor_email}>` : 'kader',
    entity: row.entity,
    entityId: row.entity_id,
    action: row.action,
    changes: fields
      .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]) || !row.before)
      .map((f) => ({ field: f, before: show(before[f]), after: show(after[f]) })),
  };
}
