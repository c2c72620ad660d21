// What Kader adds to Express's request, response locals and session.
import type { Language, Translate, MessageKey, Params } from '../lib/i18n.ts';
import type { StudyRole, StudyRow } from '../studies/studies.repo.ts';

export interface AuthUser {
  id: number;
  email: string;
  name: string;
  isAdmin: boolean;
  language: Language | null;
}

export interface Flash {
  kind: 'success' | 'error' | 'info';
  key: MessageKey;
  params?: Params;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport's req.user
    interface User extends AuthUser {}
    interface Request {
      id: string;
      language: Language;
      t: Translate;
      /** Set by the study access check on /studies/:id routes. */
      study?: StudyRow;
      /** The caller's effective role in req.study (site administrators act as leads). */
      studyRole?: StudyRole;
    }
    interface Locals {
      t: Translate;
      lang: Language;
      csrfToken: string;
      currentUser: AuthUser | null;
      currentPath: string;
      flash: Flash | null;
      study?: StudyRow;
      studyRole?: StudyRole;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    csrf?: string;
    flash?: Flash;
  }
}
