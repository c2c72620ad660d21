// The "Load the demo study" button an administrator sees on the empty studies list (first run).
import { z } from 'zod';
import type { Config } from '../config.ts';
import { ADMIN, route, type RouteDef } from '../http/authorize.ts';
import { setFlash } from '../http/flash.ts';
import { HttpError, RuleError } from '../lib/errors.ts';
import type { Services } from '../services.ts';
import { DEMO_PEOPLE, loadDemo } from './demo.service.ts';

/** The form names what it asks for, so that a stray or malformed POST never loads the demo. */
const loadSchema = z.object({ load: z.literal('demo') });

export function demoRoutes(s: Services, config: Pick<Config, 'login' | 'uploadsDir'>): RouteDef[] {
  return [
    /** @route POST /demo — loads the demo study (administrators); refused when it was loaded before. */
    route('post', '/demo', ADMIN, async (req, res) => {
      if (!loadSchema.safeParse(req.body).success) throw new HttpError(400, 'error.badRequest');
      // The button is for a first run: its accounts have a published password, so a site with
      // studies (real work) does not get them from a click. The CLI `demo` is the operator's choice.
      if (s.repos.studies.listIdsAndTitles().length > 0) {
        setFlash(req, { kind: 'error', key: 'demo.notFirstRun' });
        return res.redirect(303, '/studies');
      }
      try {
        const demo = await loadDemo(s.db, config, { actorId: req.user!.id });
        setFlash(req, {
          kind: 'success',
          key: 'demo.loaded',
          params: { emails: DEMO_PEOPLE.map((p) => p.email).join(', '), password: demo.password, lead: DEMO_PEOPLE[0].email },
        });
        res.redirect(303, `/studies/${demo.studyId}`);
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        setFlash(req, { kind: 'error', key: err.messageKey, params: err.params });
        res.redirect(303, '/studies');
      }
    }),
  ];
}
