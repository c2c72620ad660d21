// Who the authorisation test acts as, and the groups of them that routes allow.
import type { TestContext } from '../../helpers/app.ts';

export type Persona = 'anonymous' | 'user' | 'viewer' | 'researcher' | 'lead' | 'admin';
export const PERSONAS: Persona[] = ['anonymous', 'user', 'viewer', 'researcher', 'lead', 'admin'];

export const everyone: Persona[] = PERSONAS;
export const signedIn: Persona[] = ['user', 'viewer', 'researcher', 'lead', 'admin'];
export const members: Persona[] = ['viewer', 'researcher', 'lead', 'admin'];
export const researchers: Persona[] = ['researcher', 'lead', 'admin'];
/** Raw fieldwork (FIELDWORK in authorize.ts): researchers and leads; viewers only where the study opens it to them (tested apart). */
export const fieldwork: Persona[] = researchers;
export const leads: Persona[] = ['lead', 'admin'];
export const admins: Persona[] = ['admin'];
export const nobodyOnceSetUp: Persona[] = [];

/** The study every member persona belongs to, with the account ids of the personas. */
export interface SharedStudy {
  id: number;
  ids: Record<Exclude<Persona, 'anonymous'>, number>;
}

/**
 * One feature's routes: "METHOD path" → who may use it, and what must exist in the shared study
 * for its routes to act on; `setUp` returns the values for the route parameters (`:name`).
 */
export interface AccessSection {
  table: Record<string, Persona[]>;
  setUp?: (ctx: TestContext, study: SharedStudy) => Promise<Record<string, string>> | Record<string, string>;
  /** Runs before each request to one of the section's routes: puts back what an earlier request removed. */
  restore?: (ctx: TestContext, route: string, params: Record<string, string>) => void;
}
