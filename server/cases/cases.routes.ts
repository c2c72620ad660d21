// Cases: routes (being written).
import type { RouteDef } from '../http/authorize.ts';
import type { Services } from '../services.ts';

export function casesRoutes(_s: Services): RouteDef[] {
  return [];
}
