// Reconciliation: the queue of items whose raters disagree, one item's scores side by side with its
// thread, the lead's final score with a note, bulk resolution of minor differences by a named rule,
// sign-off per case, and the final scores of the study. Which cases take part is decided in
// reconcile.repo.ts (all raters submitted); what an item needs is decided in reconcile.rules.ts.
// Every change is written with its audit entry in one transaction; the ratings are never changed.
import crypto from 'node:crypto';
import type { Db } from '../lib/db.ts';
import { FormRefusal, forbidden, HttpError, notFound } from '../lib/errors.ts';
import { translate } from '../lib/i18n.ts';
import type { Repos } from '../repos.ts';
import { settingsOf } from '../studies/studies.repo.ts';
import type { ItemRow } from './reconcile.repo.ts';
import { assess, assessItem, bulkApplies, bulkScore, finalOf, inQueueOrder, MAX_COMMENTS, nextOpen, type BulkRule, type Score } from './reconcile.rules.ts';

/** Who asks: a lead sees every case; anyone else only the cases they rate. */
export interface Reader {
  id: number;
  isLead: boolean;
}

export function assessRow(row: ItemRow) {
  const scores = JSON.parse(row.scores) as { rater: string; score: Score }[];
  return { row, scores, ...assess(scores.map((s) => s.score), row.decided_at ? { score: row.final_score } : undefined) };
}
export type AssessedItem = ReturnType<typeof assessRow>;

/** The items of the queue (every item whose raters disagree), open or not, grouped per case in queue order. */
function queuedItems(rows: readonly ItemRow[]) {
  return inQueueOrder(
    rows
      .map(assessRow)
      .filter((i) => i.assessment.kind !== 'agreed')
      .map((i) => ({ ...i, open: i.final.status === 'open' })),
  );
}
export type QueuedItem = ReturnType<typeof queuedItems>[number];

/** An item the queue links to. */
export interface ItemRef {
  caseKey: string;
  caseName: string;
  code: string;
}
const refOf = (i: AssessedItem): ItemRef => ({ caseKey: i.row.case_key, caseName: i.row.case_name, code: i.row.code });

/** The items a bulk rule changes, with the score it gives each; their digest names exactly this list. */
function bulkPlan(items: readonly QueuedItem[], rule: BulkRule, caseKey: string | null) {
  const changes = items
    .filter((i) => i.open && bulkApplies(i.assessment) && (caseKey === null || i.row.case_key === caseKey))
    .map((i) => ({ item: i, score: bulkScore(i.scores.map((s) => s.score), rule) }));
  const digest = crypto.createHash('sha256').update(JSON.stringify([rule, changes.map((c) => [c.item.row.case_key, c.item.row.code, c.score])])).digest('hex');
  return { changes, digest };
}

export function reconcileService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const { db, repos } = deps;
  const repo = repos.reconcile;

  function studyOf(studyId: number) {
    const study = repos.studies.findById(studyId);
    if (!study) throw notFound();
    return study;
  }

  /** The case, ready for reconciliation, for a lead or one of its raters. */
  function readyCase(studyId: number, caseKey: string, reader: Reader) {
    const study = studyOf(studyId);
    const row = repos.cases.findByKey(studyId, caseKey);
    if (!row) throw notFound();
    if (!reader.isLead && !repos.cases.ratersOf(row.id).some((r) => r.user_id === reader.id)) throw forbidden();
    if (!repo.isReady(row.id)) throw new HttpError(409, 'reconcile.notReady', { case: row.name });
    return { study, row };
  }

  /** One item of a ready case: the condition, every rater's submitted rating and what they mean. */
  function itemOf(studyId: number, caseKey: string, code: string, reader: Reader) {
    const { study, row } = readyCase(studyId, caseKey, reader);
    const loaded = repos.framework.load(study.id, study.framework_title, study.framework_revision);
    const condition = loaded.doc.conditions.find((c) => c.code === code);
    const conditionId = loaded.conditionIds.get(code);
    const ratings = conditionId === undefined ? [] : repo.itemRatings(row.id, conditionId);
    if (!condition || conditionId === undefined || ratings.length === 0) throw notFound();
    return { study, case: row, condition, conditionId, ratings, assessment: assessItem(ratings.map((r) => r.score)) };
  }

  const at = () => deps.now().toISOString();

  return {
    /**
     * The queue: every item of the reader's ready cases that the raters disagree on, per case (in case
     * order) open ones first by largest difference, and each case's counts and sign-off.
     */
    queue(studyId: number, reader: Reader) {
      const study = studyOf(studyId);
      const raterId = reader.isLead ? null : reader.id;
      const rows = repo.items(studyId, raterId);
      const items = rows.map(assessRow);
      const queued = queuedItems(rows);
      const byCase = new Map<number, { items: number; queued: number; open: number }>();
      for (const i of items) {
        const counts = byCase.get(i.row.case_id) ?? { items: 0, queued: 0, open: 0 };
        counts.items += 1;
        if (i.assessment.kind !== 'agreed') counts.queued += 1;
        if (i.final.status === 'open') counts.open += 1;
        byCase.set(i.row.case_id, counts);
      }
      return {
        study: { id: study.id, scale: settingsOf(study).scale },
        queued,
        bulkCandidates: queued.filter((i) => i.open && bulkApplies(i.assessment)),
        cases: repo.readyCases(studyId, raterId).map((c) => ({ ...c, ...(byCase.get(c.id) ?? { items: 0, queued: 0, open: 0 }) })),
        waiting: reader.isLead ? repo.waitingCount(studyId) : 0,
      };
    },

    /** One item side by side: the raters' scores, rationales and evidence, the decision and the thread. */
    item(studyId: number, caseKey: string, code: string, reader: Reader) {
      const item = itemOf(studyId, caseKey, code, reader);
      const decision = repo.decision(item.case.id, item.conditionId);
      return {
        ...item,
        scale: settingsOf(item.study).scale,
        decision,
        final: finalOf(item.assessment, decision),
        comments: repo.comments(item.case.id, item.conditionId),
      };
    },

    /**
     * The lead's final score for an item the raters disagree on (or changes it), with a note. With
     * `next`, also the open item that follows in queue order (null: none is left) and whether this
     * item's case has none open any more.
     */
    decide(
      studyId: number, caseKey: string, code: string, actorId: number, input: { score: number | 'cannot-judge'; note: string; next?: boolean },
    ): { next: ItemRef | null; caseDone: boolean; caseName: string } | null {
      return db.transaction(() => {
        const item = itemOf(studyId, caseKey, code, { id: actorId, isLead: true });
        if (item.assessment.kind === 'agreed') throw new HttpError(409, 'reconcile.nothingToDecide', { code });
        const { scale } = settingsOf(item.study);
        if (typeof input.score === 'number' && (input.score < scale.min || input.score > scale.max)) {
          throw new FormRefusal({ score: { key: 'reconcile.scoreRange', params: { min: scale.min, max: scale.max } } });
        }
        const before = repo.decision(item.case.id, item.conditionId);
        const score = input.score === 'cannot-judge' ? null : input.score;
        const now = at();
        repo.decide({ caseId: item.case.id, conditionId: item.conditionId, score, note: input.note, rule: null, by: actorId, at: now });
        repos.audit.record({
          at: now, actorId, studyId, entity: 'case', entityId: item.case.id, action: 'reconcile',
          before: before ? { case: item.case.key, condition: code, score: before.score, note: before.note } : { case: item.case.key, condition: code, scores: item.ratings.map((r) => r.score) },
          after: { case: item.case.key, condition: code, score, note: input.note },
        });
        if (!input.next) return null;
        const queued = queuedItems(repo.items(studyId));
        const next = nextOpen(queued, item.case.id, code);
        return { next: next && refOf(next), caseDone: !queued.some((i) => i.open && i.row.case_id === item.case.id), caseName: item.case.name };
      })();
    },

    /**
     * What a bulk rule would do: every open minor difference (all raters judged, one point apart) of
     * the study, or of one case, with the score the rule gives it, and the digest that names exactly
     * this list (the confirmation posts it back).
     */
    bulkPreview(studyId: number, input: { rule: BulkRule; caseKey: string | null }) {
      const study = studyOf(studyId);
      const scoped = input.caseKey === null ? null : repos.cases.findByKey(studyId, input.caseKey);
      if (input.caseKey !== null && !scoped) throw notFound();
      const { changes, digest } = bulkPlan(queuedItems(repo.items(studyId)), input.rule, input.caseKey);
      return { study: { id: study.id }, rule: input.rule, caseKey: input.caseKey, caseName: scoped?.name ?? null, changes, digest };
    },

    /**
     * Resolves the open minor differences of the study, or of one case, by a named rule. `items` is the
     * digest of the list the lead was shown and confirmed (bulkPreview): when anything changed meanwhile
     * (an item resolved, a case submitted), nothing is done and the lead looks again. A caller without
     * a preview (the demo's loader) gives the `expected` count instead.
     */
    bulk(studyId: number, actorId: number, input: { rule: BulkRule; caseKey: string | null } & ({ items: string } | { expected: number })): number {
      return db.transaction(() => {
        const study = studyOf(studyId);
        const { changes, digest } = bulkPlan(queuedItems(repo.items(studyId)), input.rule, input.caseKey);
        if ('items' in input ? digest !== input.items : changes.length !== input.expected) {
          throw new HttpError(409, 'reconcile.bulk.changed', { count: changes.length });
        }
        if (changes.length === 0) return 0;
        const now = at();
        const note = translate(study.language, `reconcile.bulk.note.${input.rule}`);
        for (const { item, score } of changes) {
          repo.decide({ caseId: item.row.case_id, conditionId: item.row.condition_id, score, note, rule: input.rule, by: actorId, at: now });
        }
        repos.audit.record({
          at: now, actorId, studyId, entity: 'study', entityId: studyId, action: 'reconcile-bulk',
          after: { rule: input.rule, case: input.caseKey, count: changes.length, items: changes.map(({ item }) => `${item.row.case_key}:${item.row.code}`) },
        });
        return changes.length;
      })();
    },

    /** A message in an item's thread, by a lead or one of the case's raters. */
    comment(studyId: number, caseKey: string, code: string, reader: Reader, body: string): void {
      db.transaction(() => {
        const item = itemOf(studyId, caseKey, code, reader);
        if (repo.comments(item.case.id, item.conditionId).length >= MAX_COMMENTS) throw new HttpError(409, 'reconcile.threadFull', { max: MAX_COMMENTS });
        const now = at();
        repo.comment({ caseId: item.case.id, conditionId: item.conditionId, authorId: reader.id, body, at: now });
        repos.audit.record({
          at: now, actorId: reader.id, studyId, entity: 'case', entityId: item.case.id, action: 'reconcile-comment',
          after: { case: item.case.key, condition: code, body },
        });
      })();
    },

    /**
     * What the sign-off's confirmation says: the case and its counts. Refused (409, as the sign-off
     * itself) while an item is open, so nobody is asked to confirm what cannot be done.
     */
    signOffAsk(studyId: number, caseKey: string, actorId: number) {
      const { row } = readyCase(studyId, caseKey, { id: actorId, isLead: true });
      const state = repo.readyCases(studyId).find((c) => c.id === row.id)!;
      const items = repo.itemsOfCase(studyId, row.id).map(assessRow);
      const open = items.filter((i) => i.final.status === 'open');
      if (open.length) throw new HttpError(409, 'reconcile.signOff.open', { count: open.length, codes: open.map((i) => i.row.code).join(', ') });
      return {
        key: row.key, name: row.name, items: items.length,
        reconciled: items.filter((i) => i.final.status === 'reconciled').length,
        again: state.signed_off_at !== null,
      };
    },

    /** Signs off a case whose items all have a final score; signing again clears "changed after sign-off". */
    signOff(studyId: number, caseKey: string, actorId: number): 'signed' | 'unchanged' {
      return db.transaction(() => {
        const { row } = readyCase(studyId, caseKey, { id: actorId, isLead: true });
        const state = repo.readyCases(studyId).find((c) => c.id === row.id)!;
        if (state.signed_off_at && !state.changed_after_sign_off) return 'unchanged';
        const open = repo.itemsOfCase(studyId, row.id).map(assessRow).filter((i) => i.final.status === 'open');
        if (open.length) throw new HttpError(409, 'reconcile.signOff.open', { count: open.length, codes: open.map((i) => i.row.code).join(', ') });
        const now = at();
        repo.signOff(row.id, actorId, now);
        repos.audit.record({
          at: now, actorId, studyId, entity: 'case', entityId: row.id, action: 'sign-off',
          before: { case: row.key, signedOffAt: state.signed_off_at, changedAfterSignOff: state.changed_after_sign_off === 1 },
          after: { case: row.key, signedOffAt: now },
        });
        return 'signed';
      })();
    },

    /** The final score of every item of every ready case, in case and framework order. */
    finalScores(studyId: number) {
      studyOf(studyId);
      return repo.items(studyId).map(assessRow);
    },
  };
}
export type ReconcileService = ReturnType<typeof reconcileService>;
