// The repositories on one database handle, and the types every service shares. Services import
// these from here, not from services.ts (which imports every service), so no import circle forms.
import type { Db } from './lib/db.ts';
import { auditRepo } from './audit/audit.repo.ts';
import { casesRepo } from './cases/cases.repo.ts';
import { interviewsRepo } from './interviews/interviews.repo.ts';
import { documentsRepo } from './documents/documents.repo.ts';
import { searchRepo } from './search/search.repo.ts';
import { evidenceRepo } from './evidence/evidence.repo.ts';
import { assignmentRepo } from './assignment/assignment.repo.ts';
import { agreementRepo } from './agreement/agreement.repo.ts';
import { analysisRepo } from './analysis/analysis.repo.ts';
import { reportsRepo } from './reports/reports.repo.ts';
import { frameworkRepo } from './framework/framework.repo.ts';
import { guidesRepo } from './guides/guides.repo.ts';
import { ratingsRepo } from './ratings/ratings.repo.ts';
import { reconcileRepo } from './reconcile/reconcile.repo.ts';
import { studiesRepo } from './studies/studies.repo.ts';
import { dashboardRepo } from './studies/dashboard.repo.ts';
import { usersRepo } from './users/users.repo.ts';
import { accountRequestsRepo } from './users/account-requests.repo.ts';

export type Clock = () => Date;

/** Every repository on one database handle. */
export function createRepos(db: Db) {
  const audit = auditRepo(db);
  return {
    audit,
    // Creating an account writes its audit entry, so the users repository holds the audit one.
    users: usersRepo(db, audit),
    studies: studiesRepo(db),
    framework: frameworkRepo(db),
    guides: guidesRepo(db),
    cases: casesRepo(db),
    ratings: ratingsRepo(db),
    reconcile: reconcileRepo(db),
    interviews: interviewsRepo(db),
    documents: documentsRepo(db),
    search: searchRepo(db),
    evidence: evidenceRepo(db),
    assignment: assignmentRepo(db),
    agreement: agreementRepo(db),
    analysis: analysisRepo(db),
    reports: reportsRepo(db),
    dashboard: dashboardRepo(db),
    accountRequests: accountRequestsRepo(db),
  };
}
export type Repos = ReturnType<typeof createRepos>;
