// The one authorisation mechanism: every route is declared with the access it needs, and this
// module turns that declaration into a check that runs before the handler.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { forbidden, notFound } from '../lib/errors.ts';
import { ROLE_RANK, type StudyRole, type StudyRow, type StudiesRepo } from '../studies/studies.repo.ts';

export type Access =
  | { kind: 'public' }
  /** Only while no account exists (first run). */
  | { kind: 'setup' }
  | { kind: 'user' }
  | { kind: 'admin' }
  /** A member of the study in `:id` with at least this role; site administrators count as leads. */
  | { kind: 'study'; role: StudyRole }
  /** Raw fieldwork: a researcher or lead of the study in `:id`, or a viewer where the study opened it to viewers. */
  | { kind: 'fieldwork' };

export const PUBLIC: Access = { kind: 'public' };
export const SETUP: Access = { kind: 'setup' };
export const USER: Access = { kind: 'user' };
export const ADMIN: Access = { kind: 'admin' };
export const studyRole = (role: StudyRole): Access => ({ kind: 'study', role });
/** Interview notes, document text and downloads, evidence lists and search (PRODUCT.md, Who uses it). */
export const FIELDWORK: Access = { kind: 'fieldwork' };

/**
 * Whether a study role may read the raw fieldwork: researchers and leads always, viewers (a client,
 * a steering committee) only where a lead opened it to them with the study's logged setting. The one
 * place of this rule: routes declare FIELDWORK, pages that show fieldwork among other things ask here.
 */
export function readsFieldwork(role: StudyRole, study: Pick<StudyRow, 'viewers_see_fieldwork'>): boolean {
  return roleAtLeast(role, 'researcher') || study.viewers_see_fieldwork === 1;
}

export interface RouteDef {
  method: 'get' | 'post';
  path: string;
  access: Access;
  /** For multipart forms: the parser that must run before the CSRF check can read the token. */
  upload?: RequestHandler;
  handlers: RequestHandler[];
  /** A page served from the page cache while the database has not changed (see page-cache.ts). */
  cached?: boolean;
}

export function route(method: RouteDef['method'], path: string, access: Access, ...handlers: RequestHandler[]): RouteDef {
  return { method, path, access, handlers };
}

/** A GET page worth keeping: heavy to render and reloaded often (the route's access check still runs every time). */
export function cachedPage(path: string, access: Access, ...handlers: RequestHandler[]): RouteDef {
  return { method: 'get', path, access, handlers, cached: true };
}

/** A POST of a multipart form: access check, then `upload` parses the body, then the CSRF check. */
export function uploadRoute(path: string, access: Access, upload: RequestHandler, ...handlers: RequestHandler[]): RouteDef {
  return { method: 'post', path, access, upload, handlers };
}

/** The effective study role of a user, or null when they may not see the study at all. */
export function effectiveStudyRole(isAdmin: boolean, memberRole: StudyRole | null): StudyRole | null {
  return isAdmin ? 'lead' : memberRole;
}

export function roleAtLeast(role: StudyRole | null | undefined, needed: StudyRole): boolean {
  return role != null && ROLE_RANK[role] >= ROLE_RANK[needed];
}

function toLogin(req: Request, res: Response): void {
  const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/login${next}`);
}

export function authorize(access: Access, deps: { studies: StudiesRepo; hasUsers: () => boolean }): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    switch (access.kind) {
      case 'public':
        return next();
      case 'setup':
        return deps.hasUsers() ? next(notFound()) : next();
      case 'user':
        return req.user ? next() : toLogin(req, res);
      case 'admin':
        if (!req.user) return toLogin(req, res);
        return req.user.isAdmin ? next() : next(forbidden());
      case 'study':
      case 'fieldwork': {
        if (!req.user) return toLogin(req, res);
        const studyId = Number(req.params.id);
        if (!Number.isSafeInteger(studyId) || studyId < 1) return next(notFound());
        const found = deps.studies.findWithRole(studyId, req.user.id);
        if (!found) return next(notFound());
        const role = effectiveStudyRole(req.user.isAdmin, found.role);
        const allowed = access.kind === 'fieldwork' ? role !== null && readsFieldwork(role, found.study) : roleAtLeast(role, access.role);
        if (!allowed) return next(forbidden());
        req.study = found.study;
        req.studyRole = role!;
        res.locals.study = found.study;
        res.locals.studyRole = role!;
        res.locals.fieldworkOpen = readsFieldwork(role!, found.study);
        return next();
      }
    }
  };
}
