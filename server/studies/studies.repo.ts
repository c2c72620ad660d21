// SQL for studies and their members.
import type { Db } from '../lib/db.ts';
import type { Language } from '../lib/i18n.ts';
import type { StudySettings } from '../studyfile/studyfile.schema.ts';

export type StudyRole = 'lead' | 'researcher' | 'viewer';
export const STUDY_ROLES: readonly StudyRole[] = ['lead', 'researcher', 'viewer'];
export const ROLE_RANK: Record<StudyRole, number> = { viewer: 1, researcher: 2, lead: 3 };

export interface StudyRow {
  id: number;
  title: string;
  question: string;
  language: Language;
  scale_min: number;
  scale_max: number;
  raters_per_case: number;
  blind_rating: 0 | 1;
  classification: 'relative' | 'absolute';
  second_rater_not_at_interviews: 0 | 1;
  /** A lead opened the raw fieldwork (notes, documents, evidence, search) to the study's viewers. */
  viewers_see_fieldwork: 0 | 1;
  framework_title: string;
  framework_revision: number;
  /** The word pseudonyms are made of; '' = the default for the language (analysis.rules.ts pseudonymWord). */
  pseudonym_word: string;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface StudyInsert extends StudySettings {
  title: string;
  question: string;
  language: Language;
  frameworkTitle: string;
  createdBy: number | null;
  now: string;
}

/** The settings of a study row in the study file's shape. */
export function settingsOf(s: StudyRow): StudySettings {
  return {
    scale: { min: s.scale_min, max: s.scale_max },
    ratersPerCase: s.raters_per_case,
    blindRating: s.blind_rating === 1,
    classification: s.classification,
    secondRaterNotAtInterviews: s.second_rater_not_at_interviews === 1,
    viewersSeeFieldwork: s.viewers_see_fieldwork === 1,
  };
}

export interface StudyCounts {
  conditions: number;
  cases: number;
  interviews: number;
  documents: number;
  evidence: number;
  members: number;
}

/** One rater of one case, in the case's order of raters, and whether they attended an interview of it. */
export interface CaseRaterRow {
  case_id: number;
  case_key: string;
  case_name: string;
  user_id: number;
  user_name: string;
  attended: 0 | 1;
}

export interface StudyListRow {
  id: number;
  title: string;
  language: Language;
  role: StudyRole | null;
  members: number;
  created_at: string;
}

export interface MemberRow {
  user_id: number;
  name: string;
  email: string;
  active: 0 | 1;
  role: StudyRole;
  created_at: string;
}

export function studiesRepo(db: Db) {
  const withRole = db.prepare<[number, number], StudyRow & { member_role: StudyRole | null }>(
    `SELECT s.*, m.role AS member_role FROM studies s
     LEFT JOIN memberships m ON m.study_id = s.id AND m.user_id = ? WHERE s.id = ?`,
  );
  const byId = db.prepare<[number], StudyRow>('SELECT * FROM studies WHERE id = ?');
  const listColumns = `SELECT s.id, s.title, s.language, s.created_at, m.role,
       (SELECT count(*) FROM memberships c WHERE c.study_id = s.id) AS members FROM studies s`;
  const forMember = db.prepare<[number], StudyListRow>(
    `${listColumns} JOIN memberships m ON m.study_id = s.id AND m.user_id = ? ORDER BY s.title COLLATE NOCASE, s.id`,
  );
  const everything = db.prepare<[number], StudyListRow>(
    `${listColumns} LEFT JOIN memberships m ON m.study_id = s.id AND m.user_id = ? ORDER BY s.title COLLATE NOCASE, s.id`,
  );
  const insert = db.prepare(
    `INSERT INTO studies (title, question, language, scale_min, scale_max, raters_per_case, blind_rating, classification,
                          second_rater_not_at_interviews, viewers_see_fieldwork, framework_title, framework_revision, created_by, created_at, updated_at)
     VALUES (@title, @question, @language, @scaleMin, @scaleMax, @ratersPerCase, @blindRating, @classification,
             @secondRaterNotAtInterviews, @viewersSeeFieldwork, @frameworkTitle, 0, @createdBy, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE studies SET title = @title, question = @question, language = @language, scale_min = @scaleMin, scale_max = @scaleMax,
       raters_per_case = @ratersPerCase, blind_rating = @blindRating, classification = @classification,
       second_rater_not_at_interviews = @secondRaterNotAtInterviews, viewers_see_fieldwork = @viewersSeeFieldwork, updated_at = @now WHERE id = @id`,
  );
  // Drafts count: a draft was scored on the scale as much as a submitted rating.
  const ratingCount = db.prepare<[number], { n: number }>(
    'SELECT count(*) AS n FROM ratings r JOIN cases c ON c.id = r.case_id WHERE c.study_id = ?',
  );
  const caseRaters = db.prepare<[number], CaseRaterRow>(
    `SELECT c.id AS case_id, c.key AS case_key, c.name AS case_name, cr.user_id, u.name AS user_name,
            EXISTS (SELECT 1 FROM interviews i JOIN interview_interviewers ii ON ii.interview_id = i.id
                    WHERE i.case_id = c.id AND ii.user_id = cr.user_id) AS attended
     FROM case_raters cr JOIN cases c ON c.id = cr.case_id JOIN users u ON u.id = cr.user_id
     WHERE c.study_id = ? ORDER BY c.position, c.id, cr.position`,
  );
  const members = db.prepare<[number], MemberRow>(
    `SELECT m.user_id, u.name, u.email, u.active, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.study_id = ? ORDER BY CASE m.role WHEN 'lead' THEN 0 WHEN 'researcher' THEN 1 ELSE 2 END, u.name COLLATE NOCASE`,
  );
  const member = db.prepare<[number, number], MemberRow>(
    `SELECT m.user_id, u.name, u.email, u.active, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.study_id = ? AND m.user_id = ?`,
  );
  const leadCount = db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM memberships WHERE study_id = ? AND role = 'lead'");
  const insertMember = db.prepare<{ studyId: number; userId: number; role: StudyRole; now: string }>(
    'INSERT INTO memberships (study_id, user_id, role, created_at) VALUES (@studyId, @userId, @role, @now)',
  );
  const updateRole = db.prepare<{ studyId: number; userId: number; role: StudyRole }>(
    'UPDATE memberships SET role = @role WHERE study_id = @studyId AND user_id = @userId',
  );
  const deleteMember = db.prepare<[number, number]>('DELETE FROM memberships WHERE study_id = ? AND user_id = ?');
  const all = db.prepare<[], { id: number; title: string }>('SELECT id, title FROM studies ORDER BY id');
  const counts = db.prepare<{ id: number }, StudyCounts>(
    // Interviews, documents and evidence are counted by triggers (migration 0012): counting them here
    // would cost time in proportion to the study.
    `SELECT (SELECT count(*) FROM conditions WHERE study_id = @id) AS conditions,
            (SELECT count(*) FROM cases WHERE study_id = @id) AS cases,
            n.interviews, n.documents, n.evidence,
            (SELECT count(*) FROM memberships WHERE study_id = @id) AS members
     FROM study_counts n WHERE n.study_id = @id`,
  );

  return {
    /** The study and the user's membership role in one statement; undefined when the study does not exist. */
    findWithRole(studyId: number, userId: number): { study: StudyRow; role: StudyRole | null } | undefined {
      const row = withRole.get(userId, studyId);
      if (!row) return undefined;
      const { member_role, ...study } = row;
      return { study, role: member_role };
    },
    findById: (id: number) => byId.get(id),
    listForMember: (userId: number) => forMember.all(userId),
    listAll: (userId: number) => everything.all(userId),
    listIdsAndTitles: () => all.all(),
    /** How much the study holds, for its overview page (one statement). */
    counts: (studyId: number) => counts.get({ id: studyId })!,
    insert: (s: StudyInsert) =>
      Number(
        insert.run({
          title: s.title,
          question: s.question,
          language: s.language,
          ratersPerCase: s.ratersPerCase,
          classification: s.classification,
          frameworkTitle: s.frameworkTitle,
          createdBy: s.createdBy,
          now: s.now,
          scaleMin: s.scale.min,
          scaleMax: s.scale.max,
          blindRating: s.blindRating ? 1 : 0,
          secondRaterNotAtInterviews: s.secondRaterNotAtInterviews ? 1 : 0,
          viewersSeeFieldwork: s.viewersSeeFieldwork ? 1 : 0,
        }).lastInsertRowid,
      ),
    /** Title, question, language and the settings. */
    update: (s: { id: number; title: string; question: string; language: Language; settings: StudySettings; now: string }) =>
      update.run({
        id: s.id,
        title: s.title,
        question: s.question,
        language: s.language,
        scaleMin: s.settings.scale.min,
        scaleMax: s.settings.scale.max,
        ratersPerCase: s.settings.ratersPerCase,
        blindRating: s.settings.blindRating ? 1 : 0,
        classification: s.settings.classification,
        secondRaterNotAtInterviews: s.settings.secondRaterNotAtInterviews ? 1 : 0,
        viewersSeeFieldwork: s.settings.viewersSeeFieldwork ? 1 : 0,
        now: s.now,
      }),
    /** How many ratings (drafts included) the study's cases have. */
    ratingCount: (studyId: number) => ratingCount.get(studyId)!.n,
    /** Every assigned rater of every case of the study, cases in their order, raters in theirs (one statement). */
    caseRaters: (studyId: number) => caseRaters.all(studyId),
    members: (studyId: number) => members.all(studyId),
    member: (studyId: number, userId: number) => member.get(studyId, userId),
    leadCount: (studyId: number) => leadCount.get(studyId)!.n,
    addMember: (m: { studyId: number; userId: number; role: StudyRole; now: string }) => insertMember.run(m),
    setRole: (m: { studyId: number; userId: number; role: StudyRole }) => updateRole.run(m),
    removeMember: (studyId: number, userId: number) => deleteMember.run(studyId, userId),
  };
}
export type StudiesRepo = ReturnType<typeof studiesRepo>;
