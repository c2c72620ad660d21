// GET /healthz for monitoring: 200 only when the database answers.
import { PUBLIC, route, type RouteDef } from '../http/authorize.ts';
import type { Services } from '../services.ts';

export function healthRoutes(s: Services): RouteDef[] {
  const ping = s.db.prepare<[], { ok: number }>('SELECT 1 AS ok');
  return [
    /** @route GET /healthz */
    route('get', '/healthz', PUBLIC, (_req, res) => {
      let ok = false;
      try {
        ok = ping.get()?.ok === 1;
      } catch {
        ok = false;
      }
      res.setHeader('Cache-Control', 'no-store');
      res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable' });
    }),
  ];
}
