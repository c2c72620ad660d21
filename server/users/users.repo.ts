// SQL for accounts and one-time set-password links. An account is created in one place only
// (`create`), and always with its audit entry.
import type { AuditRepo } from '../audit/audit.repo.ts';
import type { Db } from '../lib/db.ts';
import type { Language } from '../lib/i18n.ts';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string | null;
  is_admin: 0 | 1;
  active: 0 | 1;
  language: Language | null;
  created_at: string;
  updated_at: string;
}

/** The fields of an account that the audit log records (never the password hash). */
export function auditView(u: UserRow) {
  return { email: u.email, name: u.name, isAdmin: u.is_admin === 1, active: u.active === 1, language: u.language };
}

/** Who creates an account, and where, for its audit entry. */
export interface AccountCreation {
  at: string;
  /** The acting account; null for Kader itself (the command line); 'self' for the first administrator. */
  actorId: number | null | 'self';
  /** Defaults to 'create'. */
  action?: 'create' | 'create-first-admin';
  /** What made the account, recorded beside its fields (e.g. { via: 'study-import', study: 12 }). */
  context?: Record<string, string | number>;
}

export function usersRepo(db: Db, audit: AuditRepo) {
  const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
  const all = db.prepare<[], UserRow>('SELECT * FROM users ORDER BY active DESC, name COLLATE NOCASE, id');
  const anyUser = db.prepare<[], { one: number }>('SELECT 1 AS one FROM users LIMIT 1');
  const insert = db.prepare<{ email: string; name: string; passwordHash: string | null; isAdmin: number; now: string }>(
    `INSERT INTO users (email, name, password_hash, is_admin, created_at, updated_at)
     VALUES (@email, @name, @passwordHash, @isAdmin, @now, @now)`,
  );
  const updateProfile = db.prepare<{ id: number; name: string; language: Language | null; now: string }>(
    'UPDATE users SET name = @name, language = @language, updated_at = @now WHERE id = @id',
  );
  const updatePassword = db.prepare<{ id: number; hash: string; now: string }>(
    'UPDATE users SET password_hash = @hash, updated_at = @now WHERE id = @id',
  );
  const updateActive = db.prepare<{ id: number; active: number; now: string }>(
    'UPDATE users SET active = @active, updated_at = @now WHERE id = @id',
  );
  const updateAdmin = db.prepare<{ id: number; isAdmin: number; now: string }>(
    'UPDATE users SET is_admin = @isAdmin, updated_at = @now WHERE id = @id',
  );
  const insertToken = db.prepare<{ tokenHash: string; userId: number; now: string; expires: string }>(
    'INSERT INTO password_tokens (token_hash, user_id, created_at, expires_at) VALUES (@tokenHash, @userId, @now, @expires)',
  );
  const tokenUser = db.prepare<[string, string], UserRow>(
    `SELECT u.* FROM password_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > ? AND u.active = 1`,
  );
  const endSessions = db.prepare<[number, string]>(
    "DELETE FROM sessions WHERE json_extract(data, '$.passport.user') = ? AND sid <> ?",
  );
  const useTokens = db.prepare<{ userId: number; now: string }>(
    'UPDATE password_tokens SET used_at = @now WHERE user_id = @userId AND used_at IS NULL',
  );

  return {
    findById: (id: number) => byId.get(id),
    findByEmail: (email: string) => byEmail.get(email),
    list: () => all.all(),
    hasAny: () => anyUser.get() !== undefined,
    /**
     * Creates an account and writes its audit entry (site-wide: accounts belong to no study) in one
     * transaction, a savepoint of the caller's when there is one: no account exists without its entry.
     */
    create: db.transaction((u: { email: string; name: string; passwordHash: string | null; isAdmin: boolean }, by: AccountCreation): UserRow => {
      const id = Number(insert.run({ ...u, isAdmin: u.isAdmin ? 1 : 0, now: by.at }).lastInsertRowid);
      const user = byId.get(id)!;
      audit.record({ at: by.at, actorId: by.actorId === 'self' ? id : by.actorId, entity: 'user', entityId: id, action: by.action ?? 'create', after: { ...auditView(user), ...by.context } });
      return user;
    }),
    updateProfile: (id: number, name: string, language: Language | null, now: string) => updateProfile.run({ id, name, language, now }),
    setPasswordHash: (id: number, hash: string, now: string) => updatePassword.run({ id, hash, now }),
    setActive: (id: number, active: boolean, now: string) => updateActive.run({ id, active: active ? 1 : 0, now }),
    setAdmin: (id: number, isAdmin: boolean, now: string) => updateAdmin.run({ id, isAdmin: isAdmin ? 1 : 0, now }),
    insertToken: (tokenHash: string, userId: number, now: string, expires: string) => insertToken.run({ tokenHash, userId, now, expires }),
    findByToken: (tokenHash: string, now: string) => tokenUser.get(tokenHash, now),
    /** Ends the user's sessions, except the one given (the one making the change). */
    endSessions: (userId: number, exceptSid = '') => endSessions.run(userId, exceptSid),
    /** Marks every open link of the user as used: a new link or a new password ends the old ones. */
    useTokens: (userId: number, now: string) => useTokens.run({ userId, now }),
  };
}
export type UsersRepo = ReturnType<typeof usersRepo>;
