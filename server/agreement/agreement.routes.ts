// Agreement: the page for every member of a study, and the same statistics as CSV and JSON downloads.
// What counts (submitted scores of cases that are no longer blind) is decided in agreement.repo.ts.
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import type { Services } from '../services.ts';
import { wantsAnonymised } from '../anonymise/anonymise.routes.ts';
import { AGREEMENT_NUMERIC, agreementCaseCell } from '../exports/exports.tables.ts';
import { agreementCsv } from './agreement.csv.ts';
import { agreementView } from './agreement.view.ts';

export function agreementRoutes(s: Services): RouteDef[] {
  return [
    /** @route GET /studies/:id/agreement — overall, per level, condition, case and rater pair, and the differences. */
    route('get', '/studies/:id/agreement', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      res.render('agreement/index', { title: req.t('agreement.title'), ...agreementView(study.id, s.agreement.page(study.id), req.t, req.language) });
    }),

    /** @route GET /studies/:id/agreement.csv — one record per group (cli.md `agreement ID --format csv`); `?anonymised=1`. */
    route('get', '/studies/:id/agreement.csv', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const csv = agreementCsv(s.agreement.agreement(study.id));
      res.setHeader('Content-Disposition', `attachment; filename="kader-${study.id}-agreement.csv"`);
      res.type('text/csv; charset=utf-8').send(wantsAnonymised(req) ? s.anonymise.csv(study.id, csv, { numeric: AGREEMENT_NUMERIC, caseCell: agreementCaseCell }) : csv);
    }),

    /** @route GET /studies/:id/agreement.json — the shape of cli.md `agreement ID --format json`; `?anonymised=1`. */
    route('get', '/studies/:id/agreement.json', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      const report = s.agreement.agreement(study.id);
      res.setHeader('Content-Disposition', `attachment; filename="kader-${study.id}-agreement.json"`);
      res.type('application/json').send(`${JSON.stringify(wantsAnonymised(req) ? s.anonymise.agreement(study.id, report) : report, null, 2)}\n`);
    }),
  ];
}
