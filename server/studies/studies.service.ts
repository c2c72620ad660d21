// Studies and memberships: creation (the creator becomes lead), settings, and members added,
// changed or removed by a lead, each change with its audit entry in one transaction.
import type { Db } from '../lib/db.ts';
import { RuleError } from '../lib/errors.ts';
import type { Language } from '../lib/i18n.ts';
import type { AuditRepo } from '../audit/audit.repo.ts';
import type { UsersRepo } from '../users/users.repo.ts';
import type { StudiesRepo, StudyRole, StudyRow } from './studies.repo.ts';
import { DEFAULT_SETTINGS } from '../studyfile/studyfile.schema.ts';

export interface StudyInput {
  title: string;
  question: string;
  language: Language;
}

const studyAuditView = (s: StudyRow) => ({ title: s.title, question: s.question, language: s.language });

export function studiesService(deps: { db: Db; studies: StudiesRepo; users: UsersRepo; audit: AuditRepo; now: () => Date }) {
  const { db, studies, users, audit } = deps;
  const iso = () => deps.now().toISOString();

  /** A study must keep at least one lead, or nobody could manage it but an administrator. */
  function assertLeadRemains(studyId: number, userId: number, newRole: StudyRole | null): void {
    const current = studies.member(studyId, userId);
    if (current?.role === 'lead' && newRole !== 'lead' && studies.leadCount(studyId) <= 1) {
      throw new RuleError('members.lastLead');
    }
  }

  return {
    listFor(user: { id: number; isAdmin: boolean }) {
      return user.isAdmin ? studies.listAll(user.id) : studies.listForMember(user.id);
    },

    create(input: StudyInput, creatorId: number | null): number {
      return db.transaction(() => {
        const at = iso();
        const id = studies.insert({ ...input, ...DEFAULT_SETTINGS, frameworkTitle: '', createdBy: creatorId, now: at });
        audit.record({ at, actorId: creatorId, studyId: id, entity: 'study', entityId: id, action: 'create', after: input });
        if (creatorId !== null) {
          studies.addMember({ studyId: id, userId: creatorId, role: 'lead', now: at });
          audit.record({ at, actorId: creatorId, studyId: id, entity: 'membership', entityId: creatorId, action: 'add', after: { role: 'lead' } });
        }
        return id;
      })();
    },

    update(studyId: number, input: StudyInput, actorId: number): void {
      db.transaction(() => {
        const before = studies.findById(studyId);
        if (!before) throw new RuleError('error.notFound');
        const at = iso();
        studies.update({ id: studyId, ...input, now: at });
        audit.record({ at, actorId, studyId, entity: 'study', entityId: studyId, action: 'update', before: studyAuditView(before), after: input });
      })();
    },

    members: (studyId: number) => studies.members(studyId),

    addMember(studyId: number, email: string, role: StudyRole, actorId: number | null): void {
      db.transaction(() => {
        const user = users.findByEmail(email);
        if (!user) throw new RuleError('members.noAccount', { email }, 'email');
        if (!user.active) throw new RuleError('members.inactive', { email }, 'email');
        if (studies.member(studyId, user.id)) throw new RuleError('members.already', { email }, 'email');
        const at = iso();
        studies.addMember({ studyId, userId: user.id, role, now: at });
        audit.record({ at, actorId, studyId, entity: 'membership', entityId: user.id, action: 'add', after: { email: user.email, role } });
      })();
    },

    changeRole(studyId: number, userId: number, role: StudyRole, actorId: number): void {
      db.transaction(() => {
        const before = studies.member(studyId, userId);
        if (!before) throw new RuleError('error.notFound');
        if (before.role === role) return;
        assertLeadRemains(studyId, userId, role);
        studies.setRole({ studyId, userId, role });
        audit.record({
          at: iso(), actorId, studyId, entity: 'membership', entityId: userId, action: 'change-role',
          before: { email: before.email, role: before.role }, after: { email: before.email, role },
        });
      })();
    },

    removeMember(studyId: number, userId: number, actorId: number): void {
      db.transaction(() => {
        const before = studies.member(studyId, userId);
        if (!before) throw new RuleError('error.notFound');
        assertLeadRemains(studyId, userId, null);
        studies.removeMember(studyId, userId);
        audit.record({
          at: iso(), actorId, studyId, entity: 'membership', entityId: userId, action: 'remove', before: { email: before.email, role: before.role },
        });
      })();
    },
  };
}
export type StudiesService = ReturnType<typeof studiesService>;
