// Access to reports: every member reads the case report and the cross-case report (HTML and Word;
// only final scores and ratings of cases that are no longer blind appear), leads edit the templates.
// The :case parameter is the cases section's case; :pseudokey is its pseudonymous key (provisional
// here, so the anonymised case report may answer 409, which still shows the route let the member in).
import { leads, members, type AccessSection } from './personas.ts';

export const reports: AccessSection = {
  table: {
    'GET /studies/:id/cases/:case/report': members,
    'GET /studies/:id/cases/:case/report.docx': members,
    'GET /studies/:id/anonymised/cases/:pseudokey/report': members,
    'GET /studies/:id/anonymised/cases/:pseudokey/report.docx': members,
    'GET /studies/:id/report': members,
    'GET /studies/:id/report.docx': members,
    'GET /studies/:id/report-templates': leads,
    'POST /studies/:id/report-templates': leads,
    'POST /studies/:id/report-templates/reset': leads,
  },
  setUp(ctx, study) {
    return { pseudokey: ctx.services.anonymise.pseudonymKeyOf(study.id, 'k1', true)! };
  },
};
