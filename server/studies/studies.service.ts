// Studies and memberships: creation (the creator becomes lead), the study's text and rating
// settings (every settings rule is checked here, in checkSettings), and members added, changed or
// removed by a lead, each change with its audit entry in one transaction.
import type { Db } from '../lib/db.ts';
import { FormRefusal, RuleError } from '../lib/errors.ts';
import type { Language } from '../lib/i18n.ts';
import type { AuditRepo } from '../audit/audit.repo.ts';
import type { UsersRepo } from '../users/users.repo.ts';
import { REQUEST_ENTITY, type AccountRequestsRepo } from '../users/account-requests.repo.ts';
import { issueSetPasswordLink } from '../users/users.service.ts';
import { checkAssignment, isProblem } from '../assignment/assignment.rules.ts';
import { settingsOf, type StudiesRepo, type StudyRole, type StudyRow } from './studies.repo.ts';
import { DEFAULT_SETTINGS, type StudySettings } from '../studyfile/studyfile.schema.ts';
import { namingCases, settingsProblems, type SettingsProblems } from './studies.rules.ts';

export interface StudyInput {
  title: string;
  question: string;
  language: Language;
  /** Absent: defaults for a new study, unchanged for an existing one. */
  settings?: StudySettings;
}

const studyAuditView = (s: StudyRow) => ({ title: s.title, question: s.question, language: s.language, settings: settingsOf(s) });

/** What adding a person by email came to: a membership, a new account with its link, or a request to the administrators. */
export type AddPersonResult = { outcome: 'added' } | { outcome: 'created'; token: string } | { outcome: 'requested' };

export function studiesService(deps: { db: Db; studies: StudiesRepo; users: UsersRepo; audit: AuditRepo; requests: AccountRequestsRepo; now: () => Date }) {
  const { db, studies, users, audit, requests } = deps;
  const iso = () => deps.now().toISOString();

  /** A study must keep at least one lead, or nobody could manage it but an administrator. */
  function assertLeadRemains(studyId: number, userId: number, newRole: StudyRole | null): void {
    const current = studies.member(studyId, userId);
    if (current?.role === 'lead' && newRole !== 'lead' && studies.leadCount(studyId) <= 1) {
      throw new RuleError('members.lastLead');
    }
  }

  /**
   * Every settings rule, by form field: the values on their own (studies.rules.ts) and, for an
   * existing study, what its data allows. The scale is fixed once any rating exists (the scores
   * would mean something else on another scale); raters per case cannot go below the raters a
   * case already has; the interview rule cannot be switched on while an assignment breaks it
   * (checked by the assignment's own rule, checkAssignment). Throws a FormRefusal naming them all.
   */
  function checkSettings(next: StudySettings, current?: StudyRow): void {
    const problems: SettingsProblems = settingsProblems(next);
    if (current) {
      const before = settingsOf(current);
      const scaleChanged = next.scale.min !== before.scale.min || next.scale.max !== before.scale.max;
      if (scaleChanged && !problems.scaleMin && !problems.scaleMax && !problems.scale) {
        const count = studies.ratingCount(current.id);
        if (count > 0) problems.scale = { key: 'studies.settings.scaleLocked', params: { count, min: before.scale.min, max: before.scale.max } };
      }
      const lowering = next.ratersPerCase < before.ratersPerCase && !problems.ratersPerCase;
      const switchingRuleOn = next.secondRaterNotAtInterviews && !before.secondRaterNotAtInterviews;
      if (lowering || switchingRuleOn) {
        const byCase = new Map<number, ReturnType<StudiesRepo['caseRaters']>>();
        for (const r of studies.caseRaters(current.id)) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
        const cases = [...byCase.values()];
        if (lowering) {
          const over = cases.filter((raters) => raters.length > next.ratersPerCase).map((raters) => `${raters[0]!.case_name} (${raters.length})`);
          if (over.length) problems.ratersPerCase = namingCases('studies.settings.ratersAssigned', over, { value: next.ratersPerCase });
        }
        if (switchingRuleOn) {
          const broken = cases.flatMap((raters) => {
            const chosen = raters.map((r) => r.user_id);
            const result = checkAssignment({
              chosen,
              ratersPerCase: chosen.length,
              eligible: new Set(chosen),
              attendees: new Set(raters.filter((r) => r.attended === 1).map((r) => r.user_id)),
              secondRaterNotAtInterviews: true,
              current: chosen,
              withRatings: new Set(),
            });
            if (!isProblem(result) || result.problem !== 'attended') return [];
            return [`${raters[0]!.case_name} (${raters.find((r) => r.user_id === result.userId)!.user_name})`];
          });
          if (broken.length) problems.secondRaterNotAtInterviews = namingCases('studies.settings.interviewRule', broken);
        }
      }
    }
    if (Object.keys(problems).length) throw new FormRefusal(problems);
  }

  return {
    /** The settings of a new study on their own (for a study made from a template by the importer); throws a FormRefusal. */
    checkNewSettings: (settings: StudySettings) => checkSettings(settings),

    listFor(user: { id: number; isAdmin: boolean }) {
      return user.isAdmin ? studies.listAll(user.id) : studies.listForMember(user.id);
    },

    create(input: StudyInput, creatorId: number | null): number {
      const { settings = DEFAULT_SETTINGS, ...fields } = input;
      checkSettings(settings);
      return db.transaction(() => {
        const at = iso();
        const id = studies.insert({ ...fields, ...settings, frameworkTitle: '', createdBy: creatorId, now: at });
        audit.record({ at, actorId: creatorId, studyId: id, entity: 'study', entityId: id, action: 'create', after: { ...fields, settings } });
        if (creatorId !== null) {
          studies.addMember({ studyId: id, userId: creatorId, role: 'lead', now: at });
          audit.record({ at, actorId: creatorId, studyId: id, entity: 'membership', entityId: creatorId, action: 'add', after: { role: 'lead' } });
        }
        return id;
      })();
    },

    /**
     * Saves the study's text and settings after checkSettings, with one audit entry holding the
     * whole study before and after (settings included, changed or not).
     */
    update(studyId: number, input: StudyInput, actorId: number): void {
      db.transaction(() => {
        const before = studies.findById(studyId);
        if (!before) throw new RuleError('error.notFound');
        const { settings = settingsOf(before), ...fields } = input;
        checkSettings(settings, before);
        const at = iso();
        studies.update({ id: studyId, ...fields, settings, now: at });
        audit.record({ at, actorId, studyId, entity: 'study', entityId: studyId, action: 'update', before: studyAuditView(before), after: { ...fields, settings } });
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

    /**
     * Adds a person by email (the members page). With an account they become a member. Without one,
     * `name` is needed: an administrator creates the account there and then (through users.repo.ts
     * `create`, with its one-time set-password link) and adds it; a lead who is not an
     * administrator leaves a request for the administrators (account-requests.repo.ts, and
     * audited), shown on the members page until it is decided.
     */
    addPerson(studyId: number, input: { email: string; name: string; role: StudyRole }, actor: { id: number; isAdmin: boolean }): AddPersonResult {
      return db.transaction((): AddPersonResult => {
        const { email, name, role } = input;
        if (users.findByEmail(email)) {
          this.addMember(studyId, email, role, actor.id);
          return { outcome: 'added' };
        }
        if (!name) throw new RuleError(actor.isAdmin ? 'members.nameToCreate' : 'members.nameToRequest', { email }, 'name');
        const at = iso();
        if (actor.isAdmin) {
          const user = users.create({ email, name, passwordHash: null, isAdmin: false }, { at, actorId: actor.id, context: { via: 'members-page', study: studyId } });
          const token = issueSetPasswordLink(users, user.id, at);
          this.addMember(studyId, email, role, actor.id);
          return { outcome: 'created', token };
        }
        if (requests.pendingForStudy(studyId).some((r) => r.email === email)) throw new RuleError('members.alreadyRequested', { email }, 'email');
        const id = requests.insert({ studyId, email, name, role, by: actor.id, at });
        audit.record({ at, actorId: actor.id, studyId, entity: REQUEST_ENTITY, entityId: id, action: 'request', after: { email, name, role } });
        return { outcome: 'requested' };
      })();
    },

    /** The requests of this study that wait for an administrator. */
    pendingRequests: (studyId: number) => requests.pendingForStudy(studyId),

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
