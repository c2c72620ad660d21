// Interviews: creation and editing with optimistic concurrency (a form saved on an older version is
// refused and its text given back), the status steps with their dates, and removal by a lead.
// Every change is written with its audit entry in one transaction.
import type { Db } from '../lib/db.ts';
import { FormRefusal, RuleError } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import { STATUSES, STEP_COLUMNS, STEPS, type InterviewRow, type InterviewWrite } from './interviews.repo.ts';
import type { InterviewForm } from './interviews.schemas.ts';

/** What the audit log keeps of an interview (notes as their length: they can be long). */
function auditView(i: InterviewRow) {
  return {
    key: i.key, case: i.case_key, date: i.date, participants: i.participants, status: i.status,
    held_on: i.held_on, drafted_on: i.drafted_on, sent_on: i.sent_on, approved_on: i.approved_on,
    roles: (JSON.parse(i.roles) as { name: string }[]).map((r) => r.name),
    interviewers: (JSON.parse(i.interviewers) as { email: string }[]).map((u) => u.email),
    conditions: JSON.parse(i.conditions) as string[],
    notes: `${i.notes.length} characters`,
  };
}

export function interviewsService(deps: { db: Db; repos: Repos; now: () => Date }) {
  const { db, repos } = deps;
  const { interviews, audit } = repos;

  /**
   * Checks the references of a form against the study and fills in the step dates: every step up to
   * the status has a date (today when left empty), later steps have none, and dates never go back.
   */
  function resolve(studyId: number, form: InterviewForm, today: string): { write: InterviewWrite; roleIds: number[]; interviewerIds: number[]; conditionIds: number[]; caseKey: string } {
    const fields: FormRefusal['fields'] = {};
    const caseRow = repos.cases.list(studyId).find((c) => c.key === form.case);
    if (!caseRow) fields.case = { key: 'interviews.unknownCase' };
    const roleIds = new Set(repos.guides.roles(studyId).map((r) => r.id));
    if (form.roles.some((r) => !roleIds.has(r))) fields.roles = { key: 'form.choice' };
    const memberIds = new Set(repos.studies.members(studyId).map((m) => m.user_id));
    if (form.interviewers.some((u) => !memberIds.has(u))) fields.interviewers = { key: 'interviews.notMember' };
    const study = repos.studies.findById(studyId)!;
    const conditionIds = repos.framework.load(studyId, '', study.framework_revision).conditionIds;
    const unknown = form.conditions.filter((c) => !conditionIds.has(c));
    if (unknown.length) fields.conditions = { key: 'interviews.unknownConditions', params: { codes: unknown.join(', ') } };

    const reached = STATUSES.indexOf(form.status);
    const steps: Record<string, string | null> = {};
    let previous = '';
    for (const step of STEPS) {
      const column = STEP_COLUMNS[step];
      const given = form[column] ?? null;
      const value = STATUSES.indexOf(step) <= reached ? (given ?? (step === 'held' && form.date ? form.date : today)) : null;
      if (value && previous && value < previous) fields[column] = { key: 'interviews.stepOrder' };
      if (value) previous = value;
      steps[column] = value;
    }
    if (Object.keys(fields).length) throw new FormRefusal(fields);
    return {
      caseKey: caseRow!.key,
      write: {
        caseId: caseRow!.id, date: form.date, participants: form.participants, notes: form.notes, status: form.status,
        heldOn: steps.held_on!, draftedOn: steps.drafted_on!, sentOn: steps.sent_on!, approvedOn: steps.approved_on!,
      },
      roleIds: [...new Set(form.roles)],
      interviewerIds: [...new Set(form.interviewers)],
      conditionIds: [...new Set(form.conditions)].map((c) => conditionIds.get(c)!),
    };
  }

  return {
    /** Creates an interview; returns its key. */
    create(studyId: number, form: InterviewForm, actorId: number | null): string {
      return db.transaction(() => {
        const at = deps.now().toISOString();
        const r = resolve(studyId, form, at.slice(0, 10));
        const key = interviews.nextKey(studyId, r.caseKey);
        const id = interviews.insert(studyId, key, r.write, actorId, at);
        interviews.setLinks(id, r);
        audit.record({ at, actorId, studyId, entity: 'interview', entityId: id, action: 'create', after: auditView(interviews.findByKey(studyId, key)!) });
        return key;
      })();
    },

    /** Saves an edit made on `version`; a newer version in the database refuses it. */
    update(studyId: number, key: string, version: number, form: InterviewForm, actorId: number): void {
      db.transaction(() => {
        const before = interviews.findByKey(studyId, key);
        if (!before) throw new RuleError('error.notFound');
        if (before.version !== version) throw new FormRefusal({ _form: { key: 'interviews.stale' } });
        const cited = repos.evidence.list(studyId, { source: `interview:${key}` }).length;
        if (cited > 0 && form.case !== before.case_key) throw new FormRefusal({ case: { key: 'interviews.citedMove', params: { count: cited } } });
        const at = deps.now().toISOString();
        const r = resolve(studyId, form, at.slice(0, 10));
        if (!interviews.update(before.id, version, r.write, at)) throw new FormRefusal({ _form: { key: 'interviews.stale' } });
        interviews.setLinks(before.id, r);
        audit.record({ at, actorId, studyId, entity: 'interview', entityId: before.id, action: 'update', before: auditView(before), after: auditView(interviews.findByKey(studyId, key)!) });
      })();
    },

    remove(studyId: number, key: string, actorId: number): void {
      db.transaction(() => {
        const before = interviews.findByKey(studyId, key);
        if (!before) throw new RuleError('error.notFound');
        const cited = repos.evidence.list(studyId, { source: `interview:${key}` }).length;
        if (cited > 0) throw new FormRefusal({ _form: { key: 'interviews.citedDelete', params: { count: cited } } });
        interviews.remove(before.id);
        audit.record({ at: deps.now().toISOString(), actorId, studyId, entity: 'interview', entityId: before.id, action: 'delete', before: { ...auditView(before), notes: before.notes } });
      })();
    },
  };
}
export type InterviewsService = ReturnType<typeof interviewsService>;
