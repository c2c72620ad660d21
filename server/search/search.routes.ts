// Search in a study: every member may search what every member may read (interview notes, document
// text, evidence quotes; ratings and rationales are never indexed).
import { FIELDWORK, route, studyRole, type RouteDef } from '../http/authorize.ts';
import type { Services } from '../services.ts';
import { BadQueryError } from './search.repo.ts';
import { hitView } from './search.view.ts';

export function searchRoutes(s: Services): RouteDef[] {
  return [
    /** @route GET /studies/:id/search?q= */
    route('get', '/studies/:id/search', FIELDWORK, (req, res) => {
      const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 500) : '';
      let hits: ReturnType<typeof hitView>[] = [];
      let problem = false;
      if (q) {
        try {
          hits = s.repos.search.search(req.study!.id, q).map((row) => hitView(req.study!.id, row));
        } catch (err) {
          if (!(err instanceof BadQueryError)) throw err;
          problem = true;
        }
      }
      res.status(problem ? 400 : 200).render('search/results', { title: req.t('search.title'), q, hits, problem });
    }),
  ];
}
