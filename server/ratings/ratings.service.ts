// Rating: a rater's own form (drafts, submit with a completeness check, locked afterwards), a lead's
// reopen of one rater's submission and explicit unblinding, and the lead's view of a case's ratings.
// Who may see whose scores is decided by the queries in ratings.repo.ts (the blinding rule); this
// service checks that the rater is assigned and writes every change in one transaction, with an
// audit entry for submit, reopen and unblind (counts only: the audit log is read by leads, who must
// not learn scores through it while the case is blind). The ratings CSV: the import (all or nothing,
// checked by ratings.csv.ts) and the download of what the user may see.
import type { Db } from '../lib/db.ts';
import { FormRefusal, forbidden, HttpError, notFound } from '../lib/errors.ts';
import type { FieldErrors } from '../http/forms.ts';
import { toCsv } from '../lib/csv.ts';
import { translate } from '../lib/i18n.ts';
import type { Repos } from '../repos.ts';
import { RATER_ROLES } from '../assignment/assignment.service.ts';
import { CsvSyntaxError, decodeUtf8, parseCsv, type CsvRecord } from '../cases/cases.csv.ts';
import type { CaseLookup, CsvProblem } from '../cases/cases.schemas.ts';
import { settingsOf } from '../studies/studies.repo.ts';
import { ratableCodes } from '../studyfile/studyfile.validate.ts';
import { reductionRepo } from '../reduction/reduction.repo.ts';
import { checkRatingRecords, EXPORT_COLUMNS, exportRow, slotKey } from './ratings.csv.ts';
import { formCodes, missingCodes } from './ratings.rules.ts';
import type { ConditionRatingInput } from './ratings.schemas.ts';


export type RatingImportResult =
  | { ok: true; ratings: number; cases: number; ratersAdded: number; replacedDrafts: number }
  | { ok: false; problems: CsvProblem[] };

/** The records of an uploaded CSV, or the problem that stops reading it (not UTF-8, broken quotes). */
function readCsv(bytes: Uint8Array): { ok: true; records: CsvRecord[] } | { ok: false; problems: CsvProblem[] } {
  const text = decodeUtf8(bytes);
  if (text === null) return { ok: false, problems: [{ line: null, key: 'cases.csv.notUtf8' }] };
  try {
    return { ok: true, records: parseCsv(text) };
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    return { ok: false, problems: [{ line: err.line, key: `cases.csv.${err.reason}` }] };
  }
}

const groupIds = <T>(rows: readonly T[], key: (r: T) => number, value: (r: T) => number): Map<number, number[]> => {
  const map = new Map<number, number[]>();
  for (const r of rows) map.set(key(r), [...(map.get(key(r)) ?? []), value(r)]);
  return map;
};

export function ratingsService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const { db, repos } = deps;
  const own = repos.ratings;
  const reductions = reductionRepo(db);

  function caseOf(studyId: number, caseKey: string) {
    const study = repos.studies.findById(studyId);
    const row = study ? repos.cases.findByKey(studyId, caseKey) : undefined;
    if (!study || !row) throw notFound();
    return { study, row };
  }

  /** The case for one of its assigned raters; everyone else (leads included) is refused. */
  function assignedCase(studyId: number, caseKey: string, userId: number) {
    const found = caseOf(studyId, caseKey);
    const raters = repos.cases.ratersOf(found.row.id);
    if (!raters.some((r) => r.user_id === userId)) throw forbidden();
    return { ...found, raters };
  }

  /**
   * The framework and the ratable codes in framework order. With a case: without the conditions a
   * reduction dropped that the rater (null: anyone) has not rated in that case (one statement more);
   * the form, saving and the submit check all use this same list.
   */
  function framework(study: { id: number; framework_title: string; framework_revision: number }, caseId?: number, raterId: number | null = null) {
    const loaded = repos.framework.load(study.id, study.framework_title, study.framework_revision);
    const ratable = ratableCodes(loaded.doc);
    const inOrder = loaded.doc.conditions.filter((c) => ratable.has(c.code)).map((c) => c.code);
    return { loaded, ratable: caseId === undefined ? inOrder : formOf(study.id, inOrder, caseId, raterId) };
  }

  /** The codes on a rater's form of a case (ratings.rules.ts formCodes). */
  const formOf = (studyId: number, ratable: readonly string[], caseId: number, raterId: number | null) =>
    formCodes(ratable, reductions.droppedUnrated(studyId, caseId, raterId));

  const lockedError = () => new HttpError(409, 'ratings.locked');

  /** The submit rule, for submit and for the question before it: not yet submitted, and complete. */
  function checkSubmit(studyId: number, caseKey: string, userId: number) {
    const { study, row } = assignedCase(studyId, caseKey, userId);
    const { ratable } = framework(study, row.id, userId);
    const ratings = own.ownOfCase(row.id, userId);
    if (ratings.some((r) => r.submitted_at !== null)) throw lockedError();
    const missing = missingCodes(ratable, ratings);
    if (missing.length || ratable.length === 0) {
      throw new FormRefusal({
        _form: { key: 'ratings.incomplete', params: { count: missing.length, codes: missing.join(', ') } },
        ...Object.fromEntries(missing.map((code) => [`score:${code}`, { key: 'ratings.missing' as const }])),
      });
    }
    return { row, ratings };
  }

  /** The reopen rule: a rater of the case, and reconciliation not begun; `count` = their submitted ratings. */
  function checkReopen(studyId: number, caseKey: string, raterId: number) {
    const { row } = caseOf(studyId, caseKey);
    const rater = repos.cases.ratersOf(row.id).find((r) => r.user_id === raterId);
    if (!rater) throw notFound();
    // Final scores rest on the submitted ratings; once reconciliation began they stay as they are.
    if (repos.reconcile.hasStarted(row.id)) throw new HttpError(409, 'ratings.inReconciliation', { case: row.name });
    const progress = own.progressOfCase(row.id).find((p) => p.user_id === raterId);
    return { row, rater, count: progress?.submitted ?? 0 };
  }

  return {
    /** Everything the rating form shows: the rater's own ratings only, with the case's evidence. */
    form(studyId: number, caseKey: string, userId: number) {
      const { study, row } = assignedCase(studyId, caseKey, userId);
      const { loaded, ratable } = framework(study, row.id, userId);
      const ratings = own.ownOfCase(row.id, userId);
      return {
        study: { id: study.id, scale: settingsOf(study).scale },
        case: row,
        doc: loaded.doc,
        ratable,
        ratings,
        evidence: repos.evidence.list(studyId, { caseKey: row.key }),
        submitted: ratings.length > 0 && ratings.every((r) => r.submitted_at !== null),
        submittedAt: ratings.reduce<string | null>((at, r) => (r.submitted_at && (!at || r.submitted_at > at) ? r.submitted_at : at), null),
      };
    },

    /**
     * Saves drafts of the given conditions (the whole form, or one condition from the autosave).
     * A condition left wholly empty has no rating row. Refused when the rater has submitted.
     */
    save(studyId: number, caseKey: string, userId: number, input: ConditionRatingInput[]): { savedAt: string } {
      return db.transaction(() => {
        const { study, row } = assignedCase(studyId, caseKey, userId);
        const { loaded, ratable } = framework(study, row.id, userId);
        const ratings = own.ownOfCase(row.id, userId);
        if (ratings.some((r) => r.submitted_at !== null)) throw lockedError();
        const { scale } = settingsOf(study);
        const ratableSet = new Set(ratable);
        const evidenceOfCase = new Set(repos.evidence.list(studyId, { caseKey: row.key }).map((e) => e.id));
        const errors: FieldErrors = {};
        for (const c of input) {
          if (!ratableSet.has(c.code)) errors[`score:${c.code}`] = { key: 'ratings.notRatable', params: { code: c.code } };
          else if (typeof c.score === 'number' && (c.score < scale.min || c.score > scale.max)) {
            errors[`score:${c.code}`] = { key: 'ratings.scoreRange', params: { min: scale.min, max: scale.max } };
          }
          if (c.evidence.some((id) => !evidenceOfCase.has(id))) errors[`evidence:${c.code}`] = { key: 'ratings.unknownEvidence' };
        }
        if (Object.keys(errors).length) throw new FormRefusal(errors);
        const now = deps.now().toISOString();
        const existing = new Set(ratings.map((r) => r.code));
        for (const c of input) {
          const conditionId = loaded.conditionIds.get(c.code)!;
          const cannotJudge = c.score === 'cannot-judge';
          const empty = c.score === null && c.rationale.trim() === '' && c.reason.trim() === '' && c.evidence.length === 0;
          if (empty) {
            if (existing.has(c.code)) own.removeDraft(row.id, conditionId, userId);
            continue;
          }
          const id = own.saveDraft({
            caseId: row.id, conditionId, raterId: userId,
            score: typeof c.score === 'number' ? c.score : null,
            reason: cannotJudge ? c.reason : null,
            rationale: c.rationale,
            now,
          });
          if (id === undefined) throw lockedError();
          own.setEvidence(id, [...new Set(c.evidence)]);
        }
        return { savedAt: now };
      })();
    },

    /**
     * Whether the rater may submit their ratings of the case now, checked before asking them to
     * confirm (nobody is asked to confirm what will be refused): throws what submit would throw
     * (locked, or the incomplete conditions), else says what submitting locks.
     */
    submittable(studyId: number, caseKey: string, userId: number): { caseName: string; count: number } {
      const { row, ratings } = checkSubmit(studyId, caseKey, userId);
      return { caseName: row.name, count: ratings.length };
    },

    /** Submits the rater's ratings of the case when every ratable condition is complete; locks them. */
    submit(studyId: number, caseKey: string, userId: number): void {
      db.transaction(() => {
        const { row, ratings } = checkSubmit(studyId, caseKey, userId);
        const at = deps.now().toISOString();
        own.submit(row.id, userId, at);
        repos.audit.record({
          at, actorId: userId, studyId, entity: 'case', entityId: row.id, action: 'submit-ratings',
          // Counts only, and no cannot-judge count: a lead reads the log while the case is blind.
          after: { case: row.key, ratings: ratings.length },
        });
      })();
    },

    /**
     * Whether a lead may reopen one rater's submission of the case, checked before asking to
     * confirm: throws what reopen would throw, else names the rater and what becomes a draft again.
     */
    reopenable(studyId: number, caseKey: string, raterId: number): { rater: string; caseName: string; count: number } {
      const { row, rater, count } = checkReopen(studyId, caseKey, raterId);
      if (count === 0) throw new HttpError(409, 'ratings.notSubmitted', { name: rater.name });
      return { rater: rater.name, caseName: row.name, count };
    },

    /** A lead turns one rater's submitted ratings of a case back into drafts (logged). */
    reopen(studyId: number, caseKey: string, raterId: number, actorId: number): { rater: string } {
      return db.transaction(() => {
        const { row, rater } = checkReopen(studyId, caseKey, raterId);
        const at = deps.now().toISOString();
        const count = own.reopen(row.id, raterId, at);
        if (count === 0) throw new HttpError(409, 'ratings.notSubmitted', { name: rater.name });
        repos.audit.record({
          at, actorId, studyId, entity: 'case', entityId: row.id, action: 'reopen-ratings',
          before: { case: row.key, rater: rater.email, submitted: count }, after: { case: row.key, rater: rater.email, submitted: 0 },
        });
        return { rater: rater.name };
      })();
    },

    /** A lead unblinds a case before every rater has submitted (logged); false when it was not blind. */
    unblind(studyId: number, caseKey: string, actorId: number): boolean {
      return db.transaction(() => {
        const { row } = caseOf(studyId, caseKey);
        if (!own.isBlind(row.id)) return false;
        const progress = own.progressOfCase(row.id);
        // A lead who rates the case must not see the others' scores beside their own drafts.
        const mine = progress.find((p) => p.user_id === actorId);
        if (mine && (mine.drafts > 0 || mine.submitted === 0)) throw new HttpError(409, 'ratings.unblindOwnDrafts', { case: row.name });
        const at = deps.now().toISOString();
        own.unblind(row.id, actorId, at);
        repos.audit.record({
          at, actorId, studyId, entity: 'case', entityId: row.id, action: 'unblind',
          before: { case: row.key, blind: true },
          after: { case: row.key, blind: false, submitted: progress.filter((p) => p.submitted > 0 && p.drafts === 0).map((p) => p.email) },
        });
        return true;
      })();
    },

    /**
     * Imports ratings from a CSV file (study-format.md, "Ratings CSV"), all or nothing in one
     * transaction: every problem (with its line) is returned and nothing is stored if there is one.
     * Imported ratings are submitted, so, as on the rating form, a rater's ratings of a case in the
     * file together with the ones they submitted before must cover every condition of their form
     * (submitting may end the case's blinding); a rater's draft of the same condition is replaced; a
     * rater who is not yet a rater of the case is added while it has fewer than `ratersPerCase`. One audit
     * entry with counts only (no scores: leads read the log while cases are blind).
     */
    importCsv(studyId: number, actorId: number | null, fileName: string, bytes: Uint8Array): RatingImportResult {
      const read = readCsv(bytes);
      if (!read.ok) return read;
      return db.transaction((): RatingImportResult => {
        const study = repos.studies.findById(studyId);
        if (!study) throw notFound();
        const settings = settingsOf(study);
        const { loaded, ratable } = framework(study);
        const cases = repos.cases.list(studyId);
        const lookup: CaseLookup = { byKey: new Map(), byName: new Map() };
        for (const c of cases) {
          lookup.byKey.set(c.key, c.id);
          lookup.byName.set(c.name, [...(lookup.byName.get(c.name) ?? []), c.id]);
        }
        const members = repos.studies.members(studyId);
        const raters = groupIds(repos.cases.raters(studyId), (r) => r.case_id, (r) => r.user_id);
        const checked = checkRatingRecords(read.records, {
          cases: lookup,
          caseKeys: new Map(cases.map((c) => [c.id, c.key])),
          conditions: new Set(loaded.doc.conditions.map((c) => c.code)),
          ratable: new Set(ratable),
          scale: settings.scale,
          ratersPerCase: settings.ratersPerCase,
          secondRaterNotAtInterviews: settings.secondRaterNotAtInterviews,
          members: new Map(members.map((m) => [m.email.toLowerCase(), { userId: m.user_id, email: m.email }])),
          eligible: new Set(members.filter((m) => RATER_ROLES.has(m.role)).map((m) => m.user_id)),
          hasAccount: (email) => repos.users.findByEmail(email) !== undefined,
          raters,
          attendees: new Map([...groupIds(repos.assignment.attendance(studyId), (a) => a.case_id, (a) => a.user_id)].map(([id, users]) => [id, new Set(users)])),
          existing: new Map(own.slots(studyId).map((r) => [slotKey(r.case_id, r.code, r.rater_id), r.submitted === 1])),
          required: formCodes(ratable, reductions.dropped(studyId)),
          defaultReason: translate(study.language, 'ratings.import.naReason'),
        });
        if (!checked.ok) return checked;
        const { plan } = checked;
        const at = deps.now().toISOString();
        const keyOf = new Map(cases.map((c) => [c.id, c.key]));
        const emailOf = new Map(members.map((m) => [m.user_id, m.email]));
        for (const [caseId, added] of plan.addRaters) repos.assignment.setRaters(caseId, [...(raters.get(caseId) ?? []), ...added]);
        for (const d of plan.discardedDrafts) own.removeDraft(d.caseId, loaded.conditionIds.get(d.code)!, d.raterId);
        for (const r of plan.rows) {
          const id = own.importSubmitted({
            caseId: r.caseId, conditionId: loaded.conditionIds.get(r.code)!, raterId: r.raterId,
            score: r.score, reason: r.reason, rationale: r.rationale, now: at,
          });
          if (id === undefined) throw lockedError(); // checked above; a submitted rating is never overwritten
        }
        const touched = [...new Set(plan.rows.map((r) => r.caseId))];
        repos.audit.record({
          at, actorId, studyId, entity: 'study', entityId: studyId, action: 'import-ratings',
          after: {
            file: fileName,
            ratings: plan.rows.length,
            replacedDrafts: plan.replacedDrafts,
            cases: touched.map((id) => keyOf.get(id)),
            ratersAdded: [...plan.addRaters].map(([caseId, ids]) => ({ case: keyOf.get(caseId), raters: ids.map((id) => emailOf.get(id)) })),
          },
        });
        return {
          ok: true, ratings: plan.rows.length, cases: touched.length,
          ratersAdded: [...plan.addRaters.values()].reduce((n, ids) => n + ids.length, 0), replacedDrafts: plan.replacedDrafts,
        };
      })();
    },

    /**
     * The ratings CSV for one user: their own ratings (drafts marked), and every rater's submitted
     * ratings of the cases that are not blind (one statement; the blinding rule is in the repository).
     */
    csv(studyId: number, userId: number): string {
      return toCsv([EXPORT_COLUMNS, ...own.csvRows(studyId, userId).map(exportRow)]);
    },

    /** The lead's page: progress per rater always; the ratings only when the case is not blind. */
    overview(studyId: number, caseKey: string) {
      const { study, row } = caseOf(studyId, caseKey);
      const { loaded, ratable } = framework(study, row.id);
      const state = own.blindState(row.id);
      return {
        case: row,
        doc: loaded.doc,
        ratable,
        progress: own.progressOfCase(row.id),
        blind: state.blind === 1,
        unblindedAt: state.unblinded_at,
        unblindedBy: state.unblinded_by,
        ratings: own.visibleOfCase(row.id),
        reconciling: repos.reconcile.hasStarted(row.id),
      };
    },
  };
}
export type RatingsService = ReturnType<typeof ratingsService>;
