// Rater assignment: the lead's page (cases × raters with rating counts), saving one case's raters,
// "assign evenly", and a rater's own cases with their own progress. Every change is checked by the
// rules in assignment.rules.ts and written with its audit entry in one transaction.
import type { Db } from '../lib/db.ts';
import { FormRefusal, notFound } from '../lib/errors.ts';
import type { MessageKey } from '../lib/i18n.ts';
import type { Repos } from '../repos.ts';
import type { MemberRow } from '../studies/studies.repo.ts';
import { settingsOf } from '../studies/studies.repo.ts';
import { ratableCodes } from '../studyfile/studyfile.validate.ts';
import { groupBy } from '../lib/collections.ts';
import { reductionRepo } from '../reduction/reduction.repo.ts';
import { formCodes } from '../ratings/ratings.rules.ts';
import { assignEvenly, checkAssignment, isProblem, type AssignmentProblem, type EvenCase } from './assignment.rules.ts';

/** The roles that may rate. */
export const RATER_ROLES = new Set(['researcher', 'lead']);

/** The members "assign evenly" may use: active members who may rate, researchers first. */
export function evenCandidates(members: MemberRow[]): MemberRow[] {
  return members.filter((m) => RATER_ROLES.has(m.role) && m.active === 1).sort((a, b) => Number(a.role !== 'researcher') - Number(b.role !== 'researcher'));
}

/** A refused assignment of one case: `field` is the select at fault (rater2 …) or `raters` for the row. */
export class AssignmentRefusal extends FormRefusal {
  constructor(
    readonly caseKey: string,
    field: string,
    key: MessageKey,
    params: Record<string, string | number> = {},
  ) {
    super({ [field]: { key, params } });
  }
}

export function assignmentService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const { db, repos } = deps;
  const reductions = reductionRepo(db);
  const own = repos.assignment;

  const studyOf = (studyId: number) => {
    const study = repos.studies.findById(studyId);
    if (!study) throw notFound();
    return { study, settings: settingsOf(study) };
  };
  const eligibleOf = (members: MemberRow[]) => new Set(members.filter((m) => RATER_ROLES.has(m.role)).map((m) => m.user_id));

  /** The user-facing refusal for a rule's problem. */
  function refusal(caseKey: string, p: AssignmentProblem, ratersPerCase: number, nameOf: (id: number) => string): AssignmentRefusal {
    switch (p.problem) {
      case 'count':
        return new AssignmentRefusal(caseKey, 'raters', 'assignment.refused.count', { count: ratersPerCase });
      case 'attended':
        return new AssignmentRefusal(caseKey, `rater${p.position}`, 'assignment.refused.attended', { name: nameOf(p.userId), position: p.position });
      default:
        return new AssignmentRefusal(caseKey, 'raters', `assignment.refused.${p.problem}`, { name: nameOf(p.userId) });
    }
  }

  return {
    /** Everything the assignment page shows, in a constant number of statements whatever the number of cases. */
    page(studyId: number) {
      const { settings } = studyOf(studyId);
      const members = repos.studies.members(studyId);
      return {
        ratersPerCase: settings.ratersPerCase,
        rule: settings.secondRaterNotAtInterviews,
        cases: repos.cases.list(studyId),
        raters: groupBy(repos.cases.raters(studyId), (r) => r.case_id),
        candidates: members.filter((m) => RATER_ROLES.has(m.role)),
        evenCandidates: evenCandidates(members),
        counts: new Map(own.ratingCounts(studyId).map((r) => [`${r.case_id}:${r.rater_id}`, r])),
        attendance: new Set(own.attendance(studyId).map((a) => `${a.case_id}:${a.user_id}`)),
      };
    },

    /**
     * Saves the raters of one case in the chosen order (null: an empty select): exactly
     * `ratersPerCase` of them, or none to clear. Returns false when nothing changed.
     */
    save(studyId: number, actorId: number, caseKey: string, chosen: (number | null)[]): boolean {
      return db.transaction(() => {
        const { settings } = studyOf(studyId);
        const row = repos.cases.findByKey(studyId, caseKey);
        if (!row) throw notFound();
        const members = repos.studies.members(studyId);
        const current = repos.cases.ratersOf(row.id);
        const names = new Map<number, string>([...members.map((m) => [m.user_id, m.name] as const), ...current.map((r) => [r.user_id, r.name] as const)]);
        const nameOf = (id: number) => names.get(id) ?? `#${id}`;
        const result = checkAssignment({
          chosen,
          ratersPerCase: settings.ratersPerCase,
          eligible: eligibleOf(members),
          attendees: new Set(own.attendeesOf(row.id)),
          secondRaterNotAtInterviews: settings.secondRaterNotAtInterviews,
          current: current.map((r) => r.user_id),
          withRatings: new Set(own.ratingCountsOf(row.id).map((r) => r.rater_id)),
        });
        if (isProblem(result)) throw refusal(caseKey, result, settings.ratersPerCase, nameOf);
        const before = current.map((r) => r.email);
        if (result.raters.join(',') === current.map((r) => r.user_id).join(',')) return false;
        own.setRaters(row.id, result.raters);
        const emails = new Map(members.map((m) => [m.user_id, m.email]));
        audit(studyId, actorId, row.id, caseKey, before, result.raters.map((id) => emails.get(id)!));
        return true;
      })();
    },

    /**
     * Fills every case that lacks raters (see assignEvenly in assignment.rules.ts) with the members
     * `chosen` (default: the active researchers; see evenCandidates for who may be chosen). With `replace`,
     * raters without ratings for a case are taken off it first, so the whole study is balanced
     * again; raters who have ratings stay where they are.
     */
    assignEvenly(studyId: number, actorId: number, replace: boolean, chosen?: number[]): { filled: number; unfilled: number } {
      return db.transaction(() => {
        const { settings } = studyOf(studyId);
        const members = repos.studies.members(studyId);
        const eligible = evenCandidates(members);
        // By default the researchers only: a lead (an administrator who made the study is its lead)
        // rates only when ticked. Whoever is ticked must be an active member who may rate.
        const eligibleIds = new Set(eligible.map((m) => m.user_id));
        if (chosen && chosen.some((id) => !eligibleIds.has(id))) throw new FormRefusal({ raters: { key: 'assignment.even.notEligible' } });
        const candidates = chosen ? [...new Set(chosen)] : eligible.filter((m) => m.role === 'researcher').map((m) => m.user_id);
        if (candidates.length === 0) throw new FormRefusal({ raters: { key: 'assignment.even.noneChosen' } });
        const cases = repos.cases.list(studyId);
        const raters = groupBy(repos.cases.raters(studyId), (r) => r.case_id);
        const rated = new Set(own.ratingCounts(studyId).map((r) => `${r.case_id}:${r.rater_id}`));
        const attendance = groupBy(own.attendance(studyId), (a) => a.case_id);
        const input: EvenCase[] = cases.map((c) => {
          const now = (raters.get(c.id) ?? []).map((r) => r.user_id);
          return {
            id: c.id,
            fixed: replace ? now.filter((id) => rated.has(`${c.id}:${id}`)) : now,
            attendees: new Set((attendance.get(c.id) ?? []).map((a) => a.user_id)),
          };
        });
        const result = assignEvenly({
          ratersPerCase: settings.ratersPerCase,
          raters: candidates,
          cases: input,
          secondRaterNotAtInterviews: settings.secondRaterNotAtInterviews,
        });
        const emails = new Map([...[...raters.values()].flat().map((r) => [r.user_id, r.email] as const), ...members.map((m) => [m.user_id, m.email] as const)]);
        let filled = 0;
        for (const c of cases) {
          const list = result.assigned.get(c.id);
          const before = raters.get(c.id) ?? [];
          if (!list || list.join(',') === before.map((r) => r.user_id).join(',')) continue;
          own.setRaters(c.id, list);
          audit(studyId, actorId, c.id, c.key, before.map((r) => r.email), list.map((id) => emails.get(id)!), 'assign-evenly');
          filled++;
        }
        return { filled, unfilled: result.unfilled.length };
      })();
    },

    /**
     * The cases assigned to a user, with their position and their own progress only: drafts,
     * whether they submitted, and the number of conditions on their form of the case (the ratable
     * ones, less those a reduction dropped that they have not rated).
     */
    myCases(studyId: number, userId: number) {
      const { study } = studyOf(studyId);
      const ratable = [...ratableCodes(repos.framework.load(studyId, study.framework_title, study.framework_revision).doc)];
      const dropped = reductions.droppedUnratedOfRater(studyId, userId);
      return {
        cases: own.myCases(studyId, userId).map((c) => ({ ...c, onForm: formCodes(ratable, dropped.get(c.id)).length })),
      };
    },
  };

  function audit(studyId: number, actorId: number, caseId: number, caseKey: string, before: string[], after: string[], via?: string) {
    repos.audit.record({
      at: deps.now().toISOString(), actorId, studyId, entity: 'case', entityId: caseId, action: 'assign-raters',
      before: { case: caseKey, raters: before },
      after: { case: caseKey, raters: after, ...(via ? { via } : {}) },
    });
  }
}
export type AssignmentService = ReturnType<typeof assignmentService>;
