// Rater assignment and "my cases" as plain data for the templates.
import type { FieldErrors } from '../http/forms.ts';
import type { Translate } from '../lib/i18n.ts';
import type { AssignmentService } from './assignment.service.ts';

export interface AssignmentRowView {
  key: string;
  name: string;
  href: string;
  action: string;
  raters: { position: number; name: string; email: string; drafts: number; submitted: number; attended: boolean }[];
  /** The select values: the saved raters, or the lead's refused choice. */
  values: Record<string, string>;
  options: { value: string; label: string }[];
  errors: FieldErrors;
}

/** The refused form of one case, to show next to its row with the lead's choices. */
export interface RowRefusal {
  caseKey: string;
  errors: FieldErrors;
  values: Record<string, string>;
}

export const caseHref = (studyId: number, key: string) => `/studies/${studyId}/cases/${encodeURIComponent(key)}`;

export function assignmentView(studyId: number, data: ReturnType<AssignmentService['page']>, t: Translate, refused?: RowRefusal) {
  const positions = Array.from({ length: data.ratersPerCase }, (_, i) => i + 1);
  const rows: AssignmentRowView[] = data.cases.map((c) => {
    const raters = data.raters.get(c.id) ?? [];
    const attended = (userId: number) => data.attendance.has(`${c.id}:${userId}`);
    const mine = refused?.caseKey === c.key ? refused : null;
    const values: Record<string, string> = mine
      ? mine.values
      : Object.fromEntries(positions.map((p) => [`rater${p}`, raters[p - 1] ? String(raters[p - 1]!.user_id) : '']));
    return {
      key: c.key,
      name: c.name,
      href: caseHref(studyId, c.key),
      action: `/studies/${studyId}/assignment/cases/${encodeURIComponent(c.key)}`,
      raters: raters.map((r, i) => {
        const n = data.counts.get(`${c.id}:${r.user_id}`);
        return { position: i + 1, name: r.name, email: r.email, drafts: n?.drafts ?? 0, submitted: n?.submitted ?? 0, attended: attended(r.user_id) };
      }),
      values,
      options: [
        { value: '', label: t('assignment.none') },
        ...data.candidates.map((m) => ({
          value: String(m.user_id),
          label: `${m.name} (${m.email})${attended(m.user_id) ? ` · ${t('assignment.attended')}` : ''}`,
        })),
      ],
      errors: mine?.errors ?? {},
    };
  });
  return { positions, rows, ratersPerCase: data.ratersPerCase, rule: data.rule, hasCandidates: data.candidates.length > 0 };
}

export function myCasesView(studyId: number, data: ReturnType<AssignmentService['myCases']>) {
  return {
    cases: data.cases.map((c) => ({
      total: c.onForm,
      key: c.key,
      name: c.name,
      // The rating form will live on its own page; until then the case page is the place to go.
      href: caseHref(studyId, c.key),
      position: c.rank,
      rated: c.drafts + c.submitted,
      drafts: c.drafts,
      submitted: c.submitted > 0 && c.drafts === 0,
    })),
  };
}
