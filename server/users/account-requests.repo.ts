// Requests for an account: a lead who is not an administrator adds someone without an account to a
// study, and the request waits for an administrator. They live in the append-only audit log, where
// they are written anyway: the request is an entry (entity 'account-request', action 'request', the
// person in `after`), and the administrator's decision a later entry of the same study whose
// entity_id is the request's id (action 'create' or 'dismiss'). A request is pending while no
// decision names it. No table of its own, so no migration; both lists read the audit log through
// its (study_id, id) index for the decisions.
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
  const columns = `SELECT r.id, r.study_id, s.title AS study_title, r.at,
       json_extract(r.after, '$.email') AS email, json_extract(r.after, '$.name') AS name, json_extract(r.after, '$.role') AS role,
       u.name AS requested_by_name, u.email AS requested_by_email
     FROM audit_log r JOIN studies s ON s.id = r.study_id LEFT JOIN users u ON u.id = r.actor_id`;
  const open = `r.entity = '${REQUEST_ENTITY}' AND r.action = 'request'
       AND NOT EXISTS (SELECT 1 FROM audit_log d WHERE d.study_id = r.study_id AND d.id > r.id AND d.entity = '${REQUEST_ENTITY}' AND d.entity_id = r.id)`;
  const pending = db.prepare<[], AccountRequestRow>(`${columns} WHERE ${open} ORDER BY r.id`);
  const pendingForStudy = db.prepare<[number], AccountRequestRow>(`${columns} WHERE r.study_id = ? AND ${open} ORDER BY r.id`);
  const byId = db.prepare<[number], AccountRequestRow>(`${columns} WHERE r.id = ? AND ${open}`);

  return {
    /** Every pending request, oldest first (the administrators' list). */
    pending: () => pending.all(),
    pendingForStudy: (studyId: number) => pendingForStudy.all(studyId),
    /** The request if it is still pending. */
    findPending: (id: number) => byId.get(id),
  };
}
export type AccountRequestsRepo = ReturnType<typeof accountRequestsRepo>;
