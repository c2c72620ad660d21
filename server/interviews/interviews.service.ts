// Interviews: creation and editing with optimistic concurrency (a form saved on an older version is
// refused and its text given back), the status steps with their dates, and removal by a lead.
// Every change is written with its audit entry in one transaction.
import type { Db } from '../lib/db.ts';
import { FormRefusal, RuleError } from '../lib/errors.ts';
import type { Repos } from '../repos.ts';
import { STEP_COLUMNS, type InterviewRow, type InterviewWrite, type Step } from './interviews.repo.ts';
import { nextStatus, resolveSteps, type StepColumn } from './interviews.rules.ts';
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
   * Checks the references of a form against the study and fills in the step dates by the rules of
   * interviews.rules.ts (the same rules as the one-click steps of `advance`).
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

    const resolved = resolveSteps({
      status: form.status, date: form.date, today,
      given: { held_on: form.held_on, drafted_on: form.drafted_on, sent_on: form.sent_on, approved_on: form.approved_on },
    });
    if (!resolved.ok) for (const p of resolved.problems) fields[p.field] ??= { key: p.key, params: p.params };
    const steps = resolved.ok ? resolved.dates : ({} as Record<StepColumn, string | null>);
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

    /**
     * The next status step in one click, dated `on` (today when null), on the version the page
     * showed: a newer version, or a step that is no longer the next one, is refused. The dates go
     * through the same rules as the edit form; a problem with the new date is reported on `on`.
     * An interview without a date takes the date it was held on. Returns the step's date.
     */
    advance(studyId: number, key: string, input: { version: number; step: Step; on: string | null }, actorId: number): string {
      return db.transaction(() => {
        const before = interviews.findByKey(studyId, key);
        if (!before) throw new RuleError('error.notFound');
        if (before.version !== input.version || nextStatus(before.status) !== input.step) throw new FormRefusal({ _form: { key: 'interviews.stepStale' } });
        const at = deps.now().toISOString();
        const today = at.slice(0, 10);
        const column = STEP_COLUMNS[input.step];
        // An empty date is filled in by the rules, as on the edit form ("held": the interview's date).
        const resolved = resolveSteps({
          status: input.step, date: before.date, today,
          given: { held_on: before.held_on, drafted_on: before.drafted_on, sent_on: before.sent_on, approved_on: before.approved_on, [column]: input.on },
        });
        if (!resolved.ok) {
          const fields: FormRefusal['fields'] = {};
          for (const p of resolved.problems) fields[p.field === column || p.field === 'date' ? 'on' : '_form'] ??= { key: p.key, params: p.params };
          throw new FormRefusal(fields);
        }
        const d = resolved.dates;
        const write: InterviewWrite = {
          caseId: before.case_id, date: before.date ?? (input.step === 'held' ? d.held_on : null), participants: before.participants, notes: before.notes, status: input.step,
          heldOn: d.held_on, draftedOn: d.drafted_on, sentOn: d.sent_on, approvedOn: d.approved_on,
        };
        if (!interviews.update(before.id, input.version, write, at)) throw new FormRefusal({ _form: { key: 'interviews.stepStale' } });
        const after = interviews.findByKey(studyId, key)!;
        const steps = (i: InterviewRow) => ({ status: i.status, date: i.date, held_on: i.held_on, drafted_on: i.drafted_on, sent_on: i.sent_on, approved_on: i.approved_on });
        audit.record({ at, actorId, studyId, entity: 'interview', entityId: before.id, action: 'advance-status', before: { key, ...steps(before) }, after: { key, ...steps(after) } });
        return d[column]!;
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
