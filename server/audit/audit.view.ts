// Audit rows as plain data for the template, in words: when, who, what was changed (the kind of
// entry and of change in the reader's language) and a short list of the fields that changed, each
// "Field from a to b" with values written out (yes/no, numbers, lists) — never raw JSON. Labels come
// from audit.messages.ts; a field without one is shown as a readable form of its name. The view
// shows only what the entry holds: a rating submission holds a count, never scores (blinding).
import { isMessageKey, type Language, type Translate } from '../lib/i18n.ts';
import type { AuditRow } from './audit.repo.ts';

/** A value as text; `short` is set when the text is long (the template shows it with "more"). */
export interface AuditValue {
  text: string;
  short: string | null;
}

export interface AuditChange {
  field: string;
  /** changed: before and after; set: a new value; removed: a value that is gone (also every field of a deletion). */
  kind: 'changed' | 'set' | 'removed';
  before: AuditValue | null;
  after: AuditValue | null;
}

export interface AuditEntryView {
  id: number;
  /** ISO time for <time datetime>, and as shown. */
  iso: string;
  at: string;
  actor: string;
  actorEmail: string | null;
  entity: string;
  action: string;
  /** "Case", "Condition" … and what happened, in words. */
  entityLabel: string;
  actionLabel: string;
  /** Which one: a case key, a condition code, an email address …; '' when the entry names none. */
  subject: string;
  changes: AuditChange[];
  /** The changes after the first few, shown behind "N more". */
  moreChanges: AuditChange[];
}

/** Changes shown before "N more". */
const SHOWN_CHANGES = 6;
/** Items of a list written out before "… and N more". */
const SHOWN_ITEMS = 12;
/** Longer texts are shortened with "more". */
const LONG_TEXT = 160;

/** "explanationDegree", "held_on", "report-template" → "Explanation degree", "Held on", "Report template". */
export function readableName(name: string): string {
  const words = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/** The fields that name what an entry is about, per entity, first present wins. */
const SUBJECT_FIELDS: Record<string, string[]> = {
  case: ['case', 'key'],
  condition: ['condition', 'code'],
  membership: ['email'],
  user: ['email'],
  document: ['key'],
  interview: ['key'],
  level: ['number'],
  category: ['key'],
  grouping: ['key'],
  role: ['name'],
  'report-template': ['kind'],
  'case-attribute-type': ['key'],
};

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Nested objects of a few fields (settings, a scale) become fields of their own: `settings.scale.min`. */
function flatten(value: Plain, prefix = '', depth = 0, out: Map<string, unknown> = new Map()): Map<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlain(v) && depth < 2 && Object.keys(v).length > 0 && Object.keys(v).length <= SHOWN_CHANGES * 2) flatten(v, path, depth + 1, out);
    else out.set(path, v);
  }
  return out;
}

/** The kind of an entry and of its change in words ("Case", "final score decided"). */
export function auditLabels(t: Translate) {
  const entityLabel = (entity: string) => {
    const key = `audit.entity.${entity}`;
    return isMessageKey(key) ? t(key) : readableName(entity);
  };
  const actionLabel = (entity: string, action: string) => {
    for (const key of [`audit.action.${entity}.${action}`, `audit.action.${action}`]) if (isMessageKey(key)) return t(key);
    return readableName(action).toLowerCase();
  };

  return { entityLabel, actionLabel };
}

export function auditEntryViewer(t: Translate, lang: Language) {
  const locale = lang === 'nl' ? 'nl-NL' : 'en-GB';
  const label = (entity: string, name: string) => {
    for (const key of [`audit.field.${entity}.${name}`, `audit.field.${name}`]) if (isMessageKey(key)) return t(key);
    return readableName(name);
  };
  // "settings.scale.min" → "Scale: lowest" (the settings' own name adds nothing).
  const fieldLabel = (entity: string, path: string) => {
    const parts = path.split('.');
    if (parts.length > 1 && parts[0] === 'settings') parts.shift();
    return parts.map((p, i) => (i === 0 ? label(entity, p) : label(entity, p).toLowerCase())).join(': ');
  };
  const { entityLabel, actionLabel } = auditLabels(t);

  function text(value: unknown, entity: string, field: string): string {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'boolean') return t(value ? 'audit.yes' : 'audit.no');
    if (typeof value === 'number') {
      if (entity === 'condition' && field === 'method') {
        const key = `analysis.reduction.method.${value}`;
        if (isMessageKey(key)) return t(key);
      }
      return value.toLocaleString(locale);
    }
    if (typeof value === 'string') {
      if (value === '') return t('audit.empty');
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? `${value.slice(0, 10)} ${value.slice(11, 16)} UTC` : value;
    }
    if (Array.isArray(value)) {
      if (!value.length) return t('audit.empty');
      const shown = value.slice(0, SHOWN_ITEMS).map((v) => text(v, entity, field)).join(', ');
      return value.length > SHOWN_ITEMS ? `${shown} ${t('audit.moreItems', { count: value.length - SHOWN_ITEMS })}` : shown;
    }
    if (isPlain(value)) {
      const entries = Object.entries(value);
      if (!entries.length) return t('audit.empty');
      const shown = entries.slice(0, SHOWN_ITEMS).map(([k, v]) => `${/^[a-z][A-Za-z_]*$/.test(k) ? label(entity, k) : k}: ${text(v, entity, k)}`).join('; ');
      return entries.length > SHOWN_ITEMS ? `${shown} ${t('audit.moreItems', { count: entries.length - SHOWN_ITEMS })}` : shown;
    }
    return String(value);
  }

  function shown(value: unknown, entity: string, field: string): AuditValue {
    const full = text(value, entity, field);
    if (full.length <= LONG_TEXT) return { text: full, short: null };
    const cut = full.slice(0, LONG_TEXT - 50);
    const space = cut.lastIndexOf(' ');
    return { text: full, short: `${space > 80 ? cut.slice(0, space) : cut}…` };
  }

  return function auditEntryView(row: AuditRow): AuditEntryView {
    const parse = (json: string | null): Plain | null => {
      if (json === null) return null;
      const value = JSON.parse(json) as unknown;
      return isPlain(value) ? value : { value };
    };
    const beforeObj = parse(row.before);
    const afterObj = parse(row.after);
    const before = flatten(beforeObj ?? {});
    const after = flatten(afterObj ?? {});
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

    // What the entry is about: shown with its kind, and left out of the changes while it stays the same.
    let subject = '';
    const subjectFields = new Set<string>();
    if (row.entity === 'relation') {
      const r = afterObj ?? beforeObj ?? {};
      if (r.from !== undefined && r.to !== undefined) {
        subject = `${text(r.from, 'relation', 'from')} → ${text(r.to, 'relation', 'to')}`;
        if (!beforeObj || !afterObj || (same(beforeObj.from, afterObj.from) && same(beforeObj.to, afterObj.to))) ['from', 'to'].forEach((f) => subjectFields.add(f));
      }
    }
    for (const field of SUBJECT_FIELDS[row.entity] ?? []) {
      const value = after.has(field) ? after.get(field) : before.get(field);
      if (value === undefined || value === null || isPlain(value) || Array.isArray(value)) continue;
      subject = text(value, row.entity, field);
      if (!after.has(field) || !before.has(field) || same(before.get(field), after.get(field))) subjectFields.add(field);
      break;
    }
    if (!subject && row.entity_id !== null && !['study', 'section'].includes(row.entity)) subject = `#${row.entity_id}`;

    const fields = [...new Set([...before.keys(), ...after.keys()])].filter((f) => !subjectFields.has(f));
    const changes: AuditChange[] = [];
    for (const f of fields) {
      const b = before.get(f);
      const a = after.get(f);
      const hasB = before.has(f);
      const hasA = after.has(f);
      if (hasB && hasA && same(b, a)) continue;
      const kind = hasB && hasA ? 'changed' : hasA ? 'set' : 'removed';
      changes.push({
        field: fieldLabel(row.entity, f),
        kind,
        before: hasB ? shown(b, row.entity, f.split('.').at(-1)!) : null,
        after: hasA ? shown(a, row.entity, f.split('.').at(-1)!) : null,
      });
    }

    return {
      id: row.id,
      iso: row.at,
      at: `${row.at.slice(0, 10)} ${row.at.slice(11, 16)} UTC`,
      actor: row.actor_name ?? t('audit.kader'),
      actorEmail: row.actor_name ? row.actor_email : null,
      entity: row.entity,
      action: row.action,
      entityLabel: entityLabel(row.entity),
      actionLabel: actionLabel(row.entity, row.action),
      subject,
      changes: changes.slice(0, SHOWN_CHANGES),
      moreChanges: changes.slice(SHOWN_CHANGES),
    };
  };
}
