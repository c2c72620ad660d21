// Cross-case analysis (PRODUCT.md workflow step 9): every member of the study reads the heat map,
// the per-condition statistics, the correlations, the scatter plot and the explanation degree ×
// attribute tables, and downloads the per-condition table as CSV. Nothing here changes anything.
import { route, studyRole, type RouteDef } from '../http/authorize.ts';
import type { Services } from '../services.ts';
import { crossCaseCsv } from './cross-case.csv.ts';
import { crossCaseQuerySchema } from './cross-case.schemas.ts';
import { crossCaseService } from './cross-case.service.ts';
import { crossCaseView } from './cross-case.view.ts';

export function crossCaseRoutes(s: Services): RouteDef[] {
  const crossCase = crossCaseService({ analysis: s.analysis, repos: s.repos });
  return [
    /** @route GET /studies/:id/cross-case — `?order=` a measure or "case", `?dir=` asc|desc, `?x=` the scatter plot's measure. */
    route('get', '/studies/:id/cross-case', studyRole('viewer'), (req, res) => {
      const query = crossCaseQuerySchema.parse(req.query);
      const view = crossCaseView(crossCase.page(req.study!, query), { studyId: req.study!.id, t: req.t, lang: req.language });
      res.render('cross-case/show', { title: req.t('crossCase.title'), ...view });
    }),

    /** @route GET /studies/:id/cross-case.csv — the per-condition statistics (all cases and without the hardly-explained ones). */
    route('get', '/studies/:id/cross-case.csv', studyRole('viewer'), (req, res) => {
      const study = req.study!;
      res.setHeader('Content-Disposition', `attachment; filename="kader-${study.id}-cross-case.csv"`);
      res.type('text/csv; charset=utf-8').send(crossCaseCsv(s.analysis.model(study.id)));
    }),
  ];
}
