// Reconciliation as plain data for the templates, and the final scores as CSV.
import { pager, paging } from '../lib/paging.ts';
import { toCsv } from '../lib/csv.ts';
import type { Translate } from '../lib/i18n.ts';
import { renderMarkdown } from '../lib/markdown.ts';
import type { ItemKind } from './reconcile.rules.ts';
import type { AssessedItem, QueuedItem, ReconcileService } from './reconcile.service.ts';
import { queueHref, type QueueFilters } from './reconcile.schemas.ts';

/** The most item rows one page of the queue shows (a case awaiting only its sign-off counts as one). */
export const QUEUE_PAGE_ROWS = 25;

const minute = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : null);

export function kindLabel(kind: ItemKind, partlyJudged: boolean, t: Translate): string {
  const label = t(`reconcile.kind.${kind}`);
  return partlyJudged && kind !== 'partly-judged' ? `${label}, ${t('reconcile.kind.partly-judged')}` : label;
}

const scoreText = (score: number | null, t: Translate) => (score === null ? t('ratings.cannotJudge') : String(score));

type QueueData = ReturnType<ReconcileService['queue']>;
type ReadyCase = QueueData['cases'][number];

/** Where a case's sign-off stands, for the head of its group. */
export type SignOffState = 'open' | 'ready' | 'signed' | 'changed';
function signOffState(c: ReadyCase): SignOffState {
  if (c.open > 0) return 'open';
  if (!c.signed_off_at) return 'ready';
  return c.changed_after_sign_off === 1 ? 'changed' : 'signed';
}

/**
 * The queue as the filters ask: items grouped per case (case order; open first, largest difference
 * first within a case), each group headed by its case's sign-off, paged by QUEUE_PAGE_ROWS rows. A case
 * whose every item is final but that still needs a sign-off appears (as a head without rows) among the
 * open work; every ready case appears under "all", and the case filtered on always appears.
 */
export function queueView(data: QueueData, filters: QueueFilters, base: string, isLead: boolean, t: Translate) {
  const inCase = (key: string) => filters.case === null || key === filters.case;
  const ofKind = (i: QueuedItem) =>
    filters.kind === 'all' || (filters.kind === 'partly-judged' ? i.assessment.partlyJudged : i.assessment.kind === filters.kind);
  const ofStatus = (i: QueuedItem) => filters.status === 'all' || (filters.status === 'open') === i.open;
  const scoped = data.queued.filter((i) => inCase(i.row.case_key) && ofKind(i));
  const shown = scoped.filter(ofStatus);
  const rowsOf = new Map<number, QueuedItem[]>();
  for (const i of shown) rowsOf.set(i.row.case_id, [...(rowsOf.get(i.row.case_id) ?? []), i]);

  // A case without rows to show still heads a group when it is asked for by name, under "all", and
  // among the open work while it waits for its sign-off.
  const headOnly = (c: ReadyCase) =>
    filters.kind === 'all' &&
    (filters.case !== null || filters.status === 'all' || (filters.status === 'open' && ['ready', 'changed'].includes(signOffState(c))));
  const groups = data.cases.filter((c) => inCase(c.key) && (rowsOf.has(c.id) || headOnly(c)));
  // One slot per row; a group without rows takes one for its head.
  const slots = groups.flatMap((c): { c: ReadyCase; row: QueuedItem | null; index: number }[] => {
    const rows = rowsOf.get(c.id) ?? [];
    return rows.length ? rows.map((row, index) => ({ c, row, index })) : [{ c, row: null, index: 0 }];
  });
  const paged = paging(filters.page, QUEUE_PAGE_ROWS, slots.length);
  const { page } = paged;
  const onPage = slots.slice(paged.offset, paged.offset + paged.size);
  const parts: { c: ReadyCase; continued: boolean; rows: QueuedItem[] }[] = [];
  for (const slot of onPage) {
    const last = parts.at(-1);
    if (last && last.c.id === slot.c.id) {
      if (slot.row) last.rows.push(slot.row);
    } else {
      parts.push({ c: slot.c, continued: slot.index > 0, rows: slot.row ? [slot.row] : [] });
    }
  }
  const href = (p: Partial<QueueFilters>) => queueHref(base, { ...filters, ...p });
  const scopedCase = filters.case === null ? null : data.cases.find((c) => c.key === filters.case) ?? null;

  return {
    filters,
    caseName: scopedCase?.name ?? filters.case,
    caseOptions: data.cases.map((c) => ({ key: c.key, name: c.name, open: c.open })),
    openCount: scoped.filter((i) => i.open).length,
    resolvedCount: scoped.filter((i) => !i.open).length,
    shownCount: shown.length,
    groups: parts.map(({ c, continued, rows }) => {
      const state = signOffState(c);
      return {
        key: c.key,
        name: c.name,
        continued,
        state,
        open: c.open,
        queued: c.queued,
        items: c.items,
        signedOffAt: minute(c.signed_off_at),
        signedOffBy: c.signed_off_by ?? '?',
        /** A lead signs off a case not signed off yet, or changed since; disabled while items are open. */
        signOff: isLead && state !== 'signed' ? { again: c.signed_off_at !== null, disabled: c.open > 0 } : null,
        caseHref: href({ case: c.key, page: 1 }),
        rows: rows.map((i) => ({
          code: i.row.code,
          conditionName: i.row.condition_name,
          href: `${base}/cases/${encodeURIComponent(i.row.case_key)}/items/${encodeURIComponent(i.row.code)}`,
          scores: i.scores.map((s) => ({ rater: s.rater, text: scoreText(s.score, t) })),
          kind: i.assessment.kind,
          kindLabel: kindLabel(i.assessment.kind, i.assessment.partlyJudged, t),
          open: i.open,
          finalText: i.open ? null : scoreText(i.final.score, t),
          rule: i.row.final_rule,
          decidedBy: i.row.decided_by,
          comments: i.row.comments,
        })),
      };
    }),
    pager: pager(paged, (n) => href({ page: n }), t('reconcile.pager.where', { page, pages: paged.pages, from: paged.from, to: paged.to, total: paged.total })),
    bulkCount: data.bulkCandidates.filter((i) => inCase(i.row.case_key)).length,
    waiting: data.waiting,
    /** The filters as hidden fields of the sign-off forms: the queue comes back as it was. */
    returnTo: { status: filters.status, filterCase: filters.case ?? '', kind: filters.kind, page: String(page) },
  };
}

/** The bulk rule's preview, which is also its confirmation: the items it changes and the score each gets. */
export function bulkView(data: ReturnType<ReconcileService['bulkPreview']>, t: Translate) {
  return {
    rule: data.rule,
    caseKey: data.caseKey,
    caseName: data.caseName,
    digest: data.digest,
    count: data.changes.length,
    changes: data.changes.map(({ item, score }) => ({
      caseKey: item.row.case_key,
      caseName: item.row.case_name,
      code: item.row.code,
      conditionName: item.row.condition_name,
      scores: item.scores.map((s) => ({ rater: s.rater, text: scoreText(s.score, t) })),
      score,
    })),
  };
}

export function itemView(data: ReturnType<ReconcileService['item']>) {
  const { min, max } = data.scale;
  return {
    caseKey: data.case.key,
    caseName: data.case.name,
    code: data.condition.code,
    conditionName: data.condition.name,
    descriptionHtml: renderMarkdown(data.condition.description ?? ''),
    anchors: Array.from({ length: max - min + 1 }, (_, i) => min + i)
      .map((score) => ({ score, text: data.condition.anchors?.[String(score)] ?? '' }))
      .filter((a) => a.text !== ''),
    /** Each score of the scale with the raters who gave it, so the lead sees where each rater stands. */
    scale: Array.from({ length: max - min + 1 }, (_, i) => min + i).map((score) => ({ score, raters: data.ratings.filter((r) => r.score === score).map((r) => r.name) })),
    cannotJudgeRaters: data.ratings.filter((r) => r.score === null).map((r) => r.name),
    kind: data.assessment.kind,
    partlyJudged: data.assessment.partlyJudged,
    difference: data.assessment.difference,
    raters: data.ratings.map((r) => ({
      name: r.name,
      score: r.score,
      reason: r.cannot_judge_reason ?? '',
      rationaleHtml: renderMarkdown(r.rationale),
      evidence: JSON.parse(r.evidence) as { quote: string; locator: string; source: string | null }[],
    })),
    final: data.final,
    decision: data.decision
      ? { score: data.decision.score, note: data.decision.note, noteHtml: renderMarkdown(data.decision.note), rule: data.decision.rule, by: data.decision.decided_by, at: minute(data.decision.decided_at) }
      : null,
    comments: data.comments.map((c) => ({ author: c.author, at: minute(c.created_at), bodyHtml: renderMarkdown(c.body) })),
  };
}

/** One row per item of every ready case: its final score (empty while open or when not judged) and how it came about. */
export function finalScoresCsv(items: readonly AssessedItem[]): string {
  const header = ['case', 'condition', 'score', 'status', 'note', 'decided_by', 'decided_at'];
  return toCsv([
    header,
    ...items.map((i) => [
      i.row.case_key,
      i.row.code,
      i.final.score,
      i.final.status,
      i.row.final_note ?? '',
      i.row.decided_by ?? '',
      i.row.decided_at ?? '',
    ]),
  ]);
}
