// Account requests decided by an administrator: "create and add" makes the account (through
// users.repo.ts `create`, with a one-time set-password link) and the membership the lead asked for;
// "dismiss" drops the request. Either decision is recorded on the request and as an audit entry naming
// it, in one transaction.
import type { Db } from '../lib/db.ts';
import { RuleError } from '../lib/errors.ts';
import type { AuditRepo } from '../audit/audit.repo.ts';
import type { StudiesRepo } from '../studies/studies.repo.ts';
import type { StudiesService } from '../studies/studies.service.ts';
import { REQUEST_ENTITY, type AccountRequestsRepo, type AccountRequestRow } from './account-requests.repo.ts';
import type { UsersRepo } from './users.repo.ts';
import { issueSetPasswordLink } from './users.service.ts';

export function accountRequestsService(deps: {
  db: Db; requests: AccountRequestsRepo; users: UsersRepo; studies: StudiesRepo; studiesService: StudiesService; audit: AuditRepo; now: () => Date;
}) {
  const { db, requests, users, audit } = deps;

  const pendingOr404 = (id: number): AccountRequestRow => {
    const request = requests.findPending(id);
    if (!request) throw new RuleError('requests.gone');
    return request;
  };

  return {
    pending: () => requests.pending(),

    /**
     * Creates the requested account and adds it to the study with the requested role. An account made
     * meanwhile for the same address is used as it is (no new link); a membership made meanwhile stays.
     * Returns the set-password token when an account was created.
     */
    approve(id: number, actorId: number): { request: AccountRequestRow; token: string | null } {
      return db.transaction(() => {
        const request = pendingOr404(id);
        const at = deps.now().toISOString();
        let token: string | null = null;
        let user = users.findByEmail(request.email);
        if (!user) {
          user = users.create({ email: request.email, name: request.name, passwordHash: null, isAdmin: false }, { at, actorId, context: { via: 'account-request', study: request.study_id } });
          token = issueSetPasswordLink(users, user.id, at);
        }
        if (!deps.studies.member(request.study_id, user.id)) deps.studiesService.addMember(request.study_id, request.email, request.role, actorId);
        requests.decide(id, 'created', actorId, at);
        audit.record({ at, actorId, studyId: request.study_id, entity: REQUEST_ENTITY, entityId: id, action: 'create', after: { email: request.email, role: request.role } });
        return { request, token };
      })();
    },

    dismiss(id: number, actorId: number): AccountRequestRow {
      return db.transaction(() => {
        const request = pendingOr404(id);
        const at = deps.now().toISOString();
        requests.decide(id, 'dismissed', actorId, at);
        audit.record({ at, actorId, studyId: request.study_id, entity: REQUEST_ENTITY, entityId: id, action: 'dismiss', after: { email: request.email } });
        return request;
      })();
    },
  };
}
export type AccountRequestsService = ReturnType<typeof accountRequestsService>;
