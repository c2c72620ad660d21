// Accounts: creation (by an administrator, at first run, from the CLI or the environment),
// one-time set-password links, deactivation, profile and password changes. Every change is
// written with its audit entry in one transaction.
import { RuleError } from '../lib/errors.ts';
import type { Db } from '../lib/db.ts';
import type { Language } from '../lib/i18n.ts';
import { hashPassword, verifyPassword } from '../lib/passwords.ts';
import { randomToken, sha256 } from '../lib/tokens.ts';
import type { AuditRepo } from '../audit/audit.repo.ts';
import { auditView, type UserRow, type UsersRepo } from './users.repo.ts';

/** How long a one-time set-password link works. */
export const LINK_VALID_DAYS = 7;

export interface NewAccount {
  email: string;
  name: string;
  isAdmin: boolean;
  /** Without a password the account gets a one-time set-password link. */
  password?: string;
}

/** A new one-time set-password link for the user (earlier open links stop working); returns its token. */
export function issueSetPasswordLink(users: UsersRepo, userId: number, at: string): string {
  const token = randomToken();
  const expires = new Date(new Date(at).getTime() + LINK_VALID_DAYS * 86_400_000).toISOString();
  users.useTokens(userId, at);
  users.insertToken(sha256(token), userId, at, expires);
  return token;
}

export function usersService(deps: { db: Db; users: UsersRepo; audit: AuditRepo; now: () => Date }) {
  const { db, users, audit } = deps;
  const iso = () => deps.now().toISOString();

  const issueLink = (userId: number, at: string) => issueSetPasswordLink(users, userId, at);

  function requireUser(id: number): UserRow {
    const user = users.findById(id);
    if (!user) throw new RuleError('error.notFound');
    return user;
  }

  return {
    hasUsers: () => users.hasAny(),

    /** Creates an account; returns it with a set-password token when no password was given. */
    async create(account: NewAccount, actorId: number | null): Promise<{ user: UserRow; token: string | null }> {
      const passwordHash = account.password ? await hashPassword(account.password) : null;
      return db.transaction(() => {
        if (users.findByEmail(account.email)) throw new RuleError('users.emailTaken', {}, 'email');
        const at = iso();
        const user = users.create({ email: account.email, name: account.name, passwordHash, isAdmin: account.isAdmin }, { at, actorId });
        const token = passwordHash ? null : issueLink(user.id, at);
        return { user, token };
      })();
    },

    /** The first administrator, only while no account exists (first run or KADER_ADMIN_*). */
    async createFirstAdmin(account: { email: string; name: string; password: string }): Promise<UserRow | null> {
      const passwordHash = await hashPassword(account.password);
      return db.transaction(() => {
        if (users.hasAny()) return null;
        const at = iso();
        return users.create({ ...account, passwordHash, isAdmin: true }, { at, actorId: 'self', action: 'create-first-admin' });
      }).immediate();
    },

    /** The active account with this email and password, or null. */
    async authenticate(email: string, password: string): Promise<UserRow | null> {
      const user = users.findByEmail(email);
      const ok = await verifyPassword(user?.active ? user.password_hash : null, password);
      return ok && user ? user : null;
    },

    /** A new one-time link for the user; earlier links stop working. */
    issuePasswordReset(userId: number, actorId: number): string {
      return db.transaction(() => {
        const user = requireUser(userId);
        const at = iso();
        const token = issueLink(userId, at);
        audit.record({ at, actorId, entity: 'user', entityId: userId, action: 'issue-password-link', after: { email: user.email } });
        return token;
      })();
    },

    findByToken: (token: string) => users.findByToken(sha256(token), iso()),

    /** Sets the password through a link; the link (and any other open link) is used up. */
    async setPasswordWithToken(token: string, password: string): Promise<UserRow | null> {
      const hash = await hashPassword(password);
      return db.transaction(() => {
        const at = iso();
        const user = users.findByToken(sha256(token), at);
        if (!user) return null;
        users.setPasswordHash(user.id, hash, at);
        users.useTokens(user.id, at);
        users.endSessions(user.id);
        audit.record({ at, actorId: user.id, entity: 'user', entityId: user.id, action: 'set-password' });
        return user;
      }).immediate();
    },

    /** Other sessions of the user end; `keepSid` (the session making the change) stays. */
    async changePassword(userId: number, current: string, next: string, keepSid: string): Promise<void> {
      const user = requireUser(userId);
      if (!(await verifyPassword(user.password_hash, current))) throw new RuleError('account.wrongPassword', {}, 'currentPassword');
      const hash = await hashPassword(next);
      db.transaction(() => {
        const at = iso();
        users.setPasswordHash(userId, hash, at);
        users.useTokens(userId, at);
        users.endSessions(userId, keepSid);
        audit.record({ at, actorId: userId, entity: 'user', entityId: userId, action: 'change-password' });
      })();
    },

    updateProfile(userId: number, name: string, language: Language | null, actorId: number): UserRow {
      return db.transaction(() => {
        const before = requireUser(userId);
        const at = iso();
        users.updateProfile(userId, name, language, at);
        const after = users.findById(userId)!;
        audit.record({ at, actorId, entity: 'user', entityId: userId, action: 'update-profile', before: auditView(before), after: auditView(after) });
        return after;
      })();
    },

    setActive(userId: number, active: boolean, actorId: number): void {
      if (userId === actorId && !active) throw new RuleError('users.cannotDeactivateSelf');
      db.transaction(() => {
        const before = requireUser(userId);
        if ((before.active === 1) === active) return;
        const at = iso();
        users.setActive(userId, active, at);
        if (!active) users.endSessions(userId);
        audit.record({
          at, actorId, entity: 'user', entityId: userId, action: active ? 'activate' : 'deactivate',
          before: auditView(before), after: auditView(users.findById(userId)!),
        });
      })();
    },

    setAdmin(userId: number, isAdmin: boolean, actorId: number): void {
      if (userId === actorId && !isAdmin) throw new RuleError('users.cannotDemoteSelf');
      db.transaction(() => {
        const before = requireUser(userId);
        if ((before.is_admin === 1) === isAdmin) return;
        const at = iso();
        users.setAdmin(userId, isAdmin, at);
        audit.record({
          at, actorId, entity: 'user', entityId: userId, action: isAdmin ? 'grant-admin' : 'revoke-admin',
          before: auditView(before), after: auditView(users.findById(userId)!),
        });
      })();
    },
  };
}
export type UsersService = ReturnType<typeof usersService>;
