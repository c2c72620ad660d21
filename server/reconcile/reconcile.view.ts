// Reconciliation as plain data for the templates, and the final scores as CSV.
import { toCsv } from '../lib/csv.ts';
import type { Translate } from '../lib/i18n.ts';
import { renderMarkdown } from '../lib/markdown.ts';
import type { ItemKind } from './reconcile.rules.ts';
import type { AssessedItem, ReconcileService } from './reconcile.service.ts';

/** The most queue rows one page shows; the counts above the table cover them all. */
export const QUEUE_PAGE_ROWS = 500;

const minute = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : null);

export function kindLabel(kind: ItemKind, partlyJudged: boolean, t: Translate): string {
  const label = t(`reconcile.kind.${kind}`);
  return partlyJudged && kind !== 'partly-judged' ? `${label}, ${t('reconcile.kind.partly-judged')}` : label;
}

const scoreText = (score: number | null, t: Translate) => (score === null ? t('ratings.cannotJudge') : String(score));

export function queueView(data: ReturnType<ReconcileService['queue']>, caseKey: string | null, t: Translate) {
  const inScope = (i: { row: { case_key: string } }) => caseKey === null || i.row.case_key === caseKey;
  const queued = data.queued.filter(inScope);
  const scopedCase = caseKey === null ? null : data.cases.find((c) => c.key === caseKey) ?? null;
  return {
    caseKey,
    caseName: scopedCase?.name ?? caseKey,
    openCount: queued.filter((i) => i.open).length,
    resolvedCount: queued.filter((i) => !i.open).length,
    shownLimit: queued.length > QUEUE_PAGE_ROWS ? QUEUE_PAGE_ROWS : null,
    items: queued.slice(0, QUEUE_PAGE_ROWS).map((i) => ({
      caseKey: i.row.case_key,
      caseName: i.row.case_name,
      code: i.row.code,
      conditionName: i.row.condition_name,
      scores: i.scores.map((s) => ({ rater: s.rater, text: scoreText(s.score, t) })),
      kind: i.assessment.kind,
      kindLabel: kindLabel(i.assessment.kind, i.assessment.partlyJudged, t),
      difference: i.assessment.difference,
      open: i.open,
      finalText: i.open ? null : scoreText(i.final.score, t),
      rule: i.row.final_rule,
      decidedBy: i.row.decided_by,
      comments: i.row.comments,
    })),
    bulkCount: data.bulkCandidates.filter(inScope).length,
    cases: data.cases.map((c) => ({
      key: c.key,
      name: c.name,
      items: c.items,
      queued: c.queued,
      open: c.open,
      signedOffAt: minute(c.signed_off_at),
      signedOffBy: c.signed_off_by,
      changed: c.changed_after_sign_off === 1,
    })),
    waiting: data.waiting,
    scale: data.study.scale,
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
    scale: Array.from({ length: max - min + 1 }, (_, i) => min + i),
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
