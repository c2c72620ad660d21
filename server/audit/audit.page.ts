// The audit log page, for a study's log (GET /studies/:id/audit, studies.routes.ts) and the site's
// account log (GET /admin/audit, admin.routes.ts): filters (kind of change, who, a period), 50 entries
// a page newest first with ?before= paging (stable while entries are added), and the entries in words
// (audit.view.ts). Four statements whatever the size of the log.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { queryString } from '../lib/paging.ts';
import type { Services } from '../services.ts';
import type { AuditFilter } from './audit.repo.ts';
import { auditEntryViewer, auditLabels } from './audit.view.ts';

/** Entries a page of the audit log shows. */
export const AUDIT_PAGE_SIZE = 50;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
  .optional()
  .catch(undefined);

/** The filters and page of the log; a bad value is ignored, never refused. */
const auditQuery = z.object({
  what: z.string().regex(/^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)?$/).max(100).optional().catch(undefined),
  who: z.string().regex(/^(kader|\d{1,12})$/).optional().catch(undefined),
  from: day,
  to: day,
  before: z.string().regex(/^\d{1,15}$/).transform(Number).optional().catch(undefined),
});

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function renderAuditLog(s: Services, req: Request, res: Response, scope: { studyId: number | null; title: string; basePath: string }): void {
  const query = auditQuery.parse(req.query);
  const [entity, action] = query.what ? query.what.split(':') : [];
  const filter: AuditFilter = {
    entity,
    action,
    actor: query.who === 'kader' ? 0 : query.who ? Number(query.who) : undefined,
    from: query.from,
    to: query.to ? nextDay(query.to) : undefined,
  };
  const before = query.before ?? Number.MAX_SAFE_INTEGER;
  const page = s.repos.audit.page(scope.studyId, filter, before, AUDIT_PAGE_SIZE);
  const view = auditEntryViewer(req.t, req.language);
  const entries = page.rows.map(view);

  const filters = { what: query.what, who: query.who, from: query.from, to: query.to };
  const href = (beforeId: number | null) => `${scope.basePath}${queryString({ ...filters, before: beforeId })}`;
  const number = (n: number) => n.toLocaleString(req.language === 'nl' ? 'nl-NL' : 'en-GB');
  const shownTo = page.newer + entries.length;

  // The filter choices: every kind of entry in this log with its kinds of change, and every person.
  const kinds = new Map<string, Set<string>>();
  const people = new Map<string, string>();
  for (const c of page.choices) {
    if (!kinds.has(c.entity)) kinds.set(c.entity, new Set());
    kinds.get(c.entity)!.add(c.action);
    people.set(c.actor_id === null ? 'kader' : String(c.actor_id), c.actor_id === null ? req.t('audit.kader') : `${c.actor_name} (${c.actor_email})`);
  }
  const { entityLabel, actionLabel } = auditLabels(req.t);
  const kindGroups = [...kinds.entries()]
    .map(([e, actions]) => ({
      label: entityLabel(e),
      options: [
        { value: e, label: req.t('audit.allOf', { entity: entityLabel(e) }) },
        ...[...actions].map((a) => ({ value: `${e}:${a}`, label: `${entityLabel(e)}: ${actionLabel(e, a)}` })).sort((x, y) => x.label.localeCompare(y.label)),
      ],
    }))
    .sort((x, y) => x.label.localeCompare(y.label));
  if (query.what && !kindGroups.some((g) => g.options.some((o) => o.value === query.what))) {
    kindGroups.push({ label: query.what, options: [{ value: query.what, label: query.what }] });
  }

  res.render('audit/list', {
    title: scope.title,
    entries,
    basePath: scope.basePath,
    filters,
    filtered: Object.values(filters).some(Boolean),
    kindGroups,
    people: [...people.entries()].map(([value, label]) => ({ value, label })).sort((x, y) => (x.value === 'kader' ? 1 : y.value === 'kader' ? -1 : x.label.localeCompare(y.label))),
    range: page.total ? req.t('paging.range', { from: number(entries.length ? page.newer + 1 : 0), to: number(shownTo), total: number(page.total) }) : '',
    newest: page.newer > 0 ? href(null) : null,
    newer: page.newer > 0 ? href(page.newerPage) : null,
    older: shownTo < page.total && entries.length ? href(entries.at(-1)!.id) : null,
  });
}
