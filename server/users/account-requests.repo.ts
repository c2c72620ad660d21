// Requests for an account: a lead who is not an administrator adds someone without an account to a
// study, and the request waits for an administrator, who creates the account and adds it, or
// dismisses the request (account-requests.service.ts). Each step is audited by its service as well.
import type { Db } from '../lib/db.ts';
import type { StudyRole } from '../studies/studies.repo.ts';

export const REQUEST_ENTITY = 'account-request';

export interface AccountRequestRow {
  id: number;
  study_id: number;
  study_title: string;
  at: string;
  email: string;
  name: string;
  role: StudyRole;
  requested_by_name: string | null;
  requested_by_email: string | null;
}

export function accountRequestsRepo(db: Db) {
  const columns = `SELECT r.id, r.study_id, s.title AS study_title, r.requested_at AS at, r.email, r.name, r.role,
       u.name AS requested_by_name, u.email AS requested_by_email
     FROM account_requests r JOIN studies s ON s.id = r.study_id LEFT JOIN users u ON u.id = r.requested_by`;
  const pending = db.prepare<[], AccountRequestRow>(`${columns} WHERE r.decision IS NULL ORDER BY r.id`);
  const pendingForStudy = db.prepare<[number], AccountRequestRow>(`${columns} WHERE r.study_id = ? AND r.decision IS NULL ORDER BY r.id`);
  const byId = db.prepare<[number], AccountRequestRow>(`${columns} WHERE r.id = ? AND r.decision IS NULL`);
  const insert = db.prepare<{ studyId: number; email: string; name: string; role: StudyRole; by: number; at: string }>(
    `INSERT INTO account_requests (study_id, email, name, role, requested_by, requested_at)
     VALUES (@studyId, @email, @name, @role, @by, @at)`,
  );
  const decide = db.prepare<{ id: number; decision: 'created' | 'dismissed'; by: number; at: string }>(
    'UPDATE account_requests SET decision = @decision, decided_by = @by, decided_at = @at WHERE id = @id AND decision IS NULL',
  );

  return {
    /** Every pending request, oldest first (the administrators' list). */
    pending: () => pending.all(),
    pendingForStudy: (studyId: number) => pendingForStudy.all(studyId),
    /** The request if it is still pending. */
    findPending: (id: number) => byId.get(id),
    /** Records a request; returns its id. */
    insert: (r: { studyId: number; email: string; name: string; role: StudyRole; by: number; at: string }) => Number(insert.run(r).lastInsertRowid),
    decide: (id: number, decision: 'created' | 'dismissed', by: number, at: string) => decide.run({ id, decision, by, at }).changes === 1,
  };
}
export type AccountRequestsRepo = ReturnType<typeof accountRequestsRepo>;
