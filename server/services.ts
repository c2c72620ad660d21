// Builds the services from one database handle; shared by the app and the CLI.
import type { Config } from './config.ts';
import type { Db } from './lib/db.ts';
import { createRepos, type Clock } from './repos.ts';
import { loginThrottle } from './auth/login-throttle.ts';
import { casesService } from './cases/cases.service.ts';
import { guidesService } from './guides/guides.service.ts';
import { documentsService } from './documents/documents.service.ts';
import { agreementService } from './agreement/agreement.service.ts';
import { analysisService } from './analysis/analysis.service.ts';
import { reportsService } from './reports/reports.service.ts';
import { anonymiseService } from './anonymise/anonymise.service.ts';
import { leakCheckService } from './anonymise/anonymise.leaks.ts';
import { exportsService } from './exports/exports.service.ts';
import { evidenceService } from './evidence/evidence.service.ts';
import { assignmentService } from './assignment/assignment.service.ts';
import { ratingsService } from './ratings/ratings.service.ts';
import { interviewsService } from './interviews/interviews.service.ts';
import { frameworkService } from './framework/framework.service.ts';
import { reconcileService } from './reconcile/reconcile.service.ts';
import { studiesService } from './studies/studies.service.ts';
import { dashboardService } from './studies/dashboard.service.ts';
import { studyFileExporter } from './studyfile/studyfile.export.ts';
import { studyFileImporter } from './studyfile/studyfile.import.ts';
import { usersService } from './users/users.service.ts';
import { accountRequestsService } from './users/account-requests.service.ts';

export type { Clock, Repos } from './repos.ts';

export function createServices(db: Db, clock: Clock, config: Pick<Config, 'login' | 'uploadsDir'>) {
  const repos = createRepos(db);
  const { audit, users, studies } = repos;
  const studiesSvc = studiesService({ db, studies, users, audit, requests: repos.accountRequests, now: clock });
  return {
    db,
    clock,
    repos,
    users: usersService({ db, users, audit, now: clock }),
    studies: studiesSvc,
    accountRequests: accountRequestsService({ db, requests: repos.accountRequests, users, studies, studiesService: studiesSvc, audit, now: clock }),
    dashboard: dashboardService({ repos }),
    framework: frameworkService({ db, framework: repos.framework, studies, audit, now: clock }),
    cases: casesService({ db, repos, now: clock }),
    guides: guidesService({ db, repos, now: clock }),
    interviews: interviewsService({ db, repos, now: clock }),
    evidence: evidenceService({ db, repos, now: clock }),
    assignment: assignmentService({ db, repos, now: clock }),
    ratings: ratingsService({ db, repos, now: clock }),
    reconcile: reconcileService({ db, repos, now: clock }),
    agreement: agreementService({ repos }),
    analysis: analysisService({ db, repos, now: clock }),
    // Its own (stateless) analysis service: the model is computed per request either way.
    reports: reportsService({ db, repos, analysis: analysisService({ db, repos, now: clock }), now: clock }),
    anonymise: anonymiseService({ db, repos, now: clock }),
    leakCheck: leakCheckService({ db, repos, now: clock }),
    exports: exportsService({ db, repos, now: clock }),
    documents: documentsService({ db, repos, now: clock, uploadsDir: config.uploadsDir }),
    studyFile: {
      importer: studyFileImporter({ db, ...repos, now: clock }),
      exporter: studyFileExporter(repos),
    },
    loginThrottle: loginThrottle(db, { ...config.login, now: () => clock().getTime() }),
  };
}
export type Services = ReturnType<typeof createServices>;
