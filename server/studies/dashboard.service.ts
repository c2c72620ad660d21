// The study dashboard and "Waiting for you": reads only, each from a constant number of statements
// whatever the number of cases or studies (dashboard.repo.ts). Where a case stands and what it needs
// next is decided in dashboard.rules.ts; blinding is kept in the repository (counts, never scores;
// item counts only for cases whose raters all submitted) and in `studyDashboard` (another rater's
// progress only for leads).
import { groupBy } from '../lib/collections.ts';
import type { Repos } from '../repos.ts';
import { ratableCodes } from '../studyfile/studyfile.validate.ts';
import { nextAction, phaseOf, type CaseState, type NextAction, type Phase } from './dashboard.rules.ts';
import type { StudyRole, StudyRow } from './studies.repo.ts';

/** One rater's progress on a case: counts only. */
export interface RaterProgress {
  name: string;
  own: boolean;
  /** null: not shown to this reader (another rater's progress, to anyone but a lead). */
  progress: { rated: number; total: number; drafts: number; submitted: boolean } | null;
}

export interface DashboardCase {
  key: string;
  name: string;
  phase: Phase;
  state: CaseState;
  fieldwork: { interviews: number; held: number; approved: number; documents: number; gaps: number };
  raters: RaterProgress[];
  /** Reconciliation items; null while the case is not in reconciliation (blind or not yet rated). */
  items: { total: number; open: number; final: number } | null;
  signedOffAt: string | null;
  next: NextAction;
}

export interface Waiting {
  toRate: { studyId: number; studyTitle: string; caseKey: string; caseName: string; rated: number; total: number; drafts: number }[];
  toDiscuss: { studyId: number; studyTitle: string; caseKey: string; caseName: string; open: number }[];
  toSignOff: { studyId: number; studyTitle: string; caseKey: string; caseName: string; again: boolean }[];
}

/** A submission is whole: the rater has ratings and none of them is a draft (ALL_SUBMITTED, per rater). */
const hasSubmitted = (r: { drafts: number; submitted: number }) => r.submitted > 0 && r.drafts === 0;

export function dashboardService(deps: { repos: Repos }) {
  const { repos } = deps;
  const repo = repos.dashboard;

  return {
    /** Every case of the study with its phase, progress and next action for this reader. */
    study(study: StudyRow, reader: { id: number; role: StudyRole }): DashboardCase[] {
      const fw = repos.framework.load(study.id, study.framework_title, study.framework_revision).doc;
      const ratable = ratableCodes(fw);
      // Coverage as the coverage page counts it: sources per (case, ratable condition); fewer than two is a gap.
      const sources = new Map<string, number>();
      for (const p of repos.evidence.coverage(study.id)) {
        if (ratable.has(p.code)) sources.set(`${p.case_id}|${p.code}`, (sources.get(`${p.case_id}|${p.code}`) ?? 0) + 1);
      }
      const covered = new Map<number, number>();
      for (const [key, n] of sources) {
        if (n < 2) continue;
        const caseId = Number(key.slice(0, key.indexOf('|')));
        covered.set(caseId, (covered.get(caseId) ?? 0) + 1);
      }
      const raters = groupBy(repo.raters(study.id), (r) => r.case_id);
      const items = new Map(repo.itemCounts(study.id).map((i) => [i.case_id, i]));
      const lead = reader.role === 'lead';
      return repo.cases(study.id).map((c) => {
        const own = (raters.get(c.id) ?? []).find((r) => r.user_id === reader.id);
        const counted = c.all_submitted === 1 ? items.get(c.id) ?? { items: 0, open: 0 } : null;
        const state: CaseState = {
          position: c.position,
          name: c.name,
          raters: c.raters,
          allSubmitted: c.all_submitted === 1,
          signedOff: c.signed_off_at !== null,
          changedAfterSignOff: c.changed_after_sign_off === 1,
          held: c.held,
          open: counted?.open ?? 0,
          explanationDegree: c.explanation_degree,
        };
        const phase = phaseOf(state, study.raters_per_case);
        return {
          key: c.key,
          name: c.name,
          phase,
          state,
          fieldwork: { interviews: c.interviews, held: c.held, approved: c.approved, documents: c.documents, gaps: ratable.size - (covered.get(c.id) ?? 0) },
          raters: (raters.get(c.id) ?? []).map((r) => ({
            name: r.name,
            own: r.user_id === reader.id,
            progress: lead || r.user_id === reader.id
              ? { rated: r.drafts + r.submitted, total: r.on_form, drafts: r.drafts, submitted: hasSubmitted(r) }
              : null,
          })),
          items: counted ? { total: counted.items, open: counted.open, final: counted.items - counted.open } : null,
          signedOffAt: c.signed_off_at,
          next: nextAction(phase, state, { role: reader.role, rates: own !== undefined, submitted: own ? hasSubmitted(own) : false }),
        };
      });
    },

    /** What waits for one person across the studies they are a member of. */
    waiting(userId: number): Waiting {
      const inReconciliation = repo.inReconciliation(userId);
      return {
        toRate: repo.toRate(userId).map((r) => ({
          studyId: r.study_id, studyTitle: r.study_title, caseKey: r.case_key, caseName: r.case_name,
          rated: r.drafts + r.submitted, total: r.on_form, drafts: r.drafts,
        })),
        toDiscuss: inReconciliation.filter((r) => r.open > 0).map((r) => ({
          studyId: r.study_id, studyTitle: r.study_title, caseKey: r.case_key, caseName: r.case_name, open: r.open,
        })),
        toSignOff: inReconciliation
          .filter((r) => r.leads === 1 && r.open === 0 && (r.signed_off_at === null || r.changed_after_sign_off === 1))
          .map((r) => ({ studyId: r.study_id, studyTitle: r.study_title, caseKey: r.case_key, caseName: r.case_name, again: r.signed_off_at !== null })),
      };
    },
  };
}
export type DashboardService = ReturnType<typeof dashboardService>;
