// Imports a validated study file as a new study, all in one transaction: framework, roles and
// questions, members (accounts created without a password where needed), cases with measures
// and raters, ratings, final scores, reduction decisions and case analyses. Nothing is stored when
// anything fails.
//
// Accounts: only a site administrator, or Kader's operator on the server (no actor: the command
// line), creates the accounts a file needs. Anyone else is refused with the list of the people who
// have none (AccountsMissing), before anything is written.
import type { Db } from '../lib/db.ts';
import { hashPassword } from '../lib/passwords.ts';
import { randomToken, sha256 } from '../lib/tokens.ts';
import { LINK_VALID_DAYS } from '../users/users.service.ts';
import type { AnalysisRepo } from '../analysis/analysis.repo.ts';
import { pseudonymWord, type ReductionMethod } from '../analysis/analysis.rules.ts';
import { cryptoRandom, fillPseudonyms, pseudonymAllowed } from '../anonymise/anonymise.rules.ts';
import type { AuditRepo } from '../audit/audit.repo.ts';
import type { CasesRepo } from '../cases/cases.repo.ts';
import { conditionWrite, type FrameworkRepo } from '../framework/framework.repo.ts';
import type { GuidesRepo } from '../guides/guides.repo.ts';
import type { InterviewsRepo } from '../interviews/interviews.repo.ts';
import type { DocumentsRepo } from '../documents/documents.repo.ts';
import type { EvidenceRepo } from '../evidence/evidence.repo.ts';
import { groupBy } from '../lib/collections.ts';
import { KEY_PATTERN } from '../cases/cases.schemas.ts';
import type { RatingsRepo } from '../ratings/ratings.repo.ts';
import type { ReconcileRepo } from '../reconcile/reconcile.repo.ts';
import type { StudiesRepo } from '../studies/studies.repo.ts';
import { auditView, type UsersRepo } from '../users/users.repo.ts';
import { caseIdentities, evidenceIdentity, type StudyFile } from './studyfile.schema.ts';

export interface ImportResult {
  studyId: number;
  /**
   * Accounts made for people who had none. A member's comes with a one-time set-password link; someone
   * named only as a decider gets none (the account keeps their decisions attributed; an administrator
   * issues a link if they are to sign in).
   */
  createdAccounts: { email: string; name: string; token: string | null }[];
}

/** Someone the study file names who must have an account. */
export interface NamedPerson {
  email: string;
  /** The member's name; someone named only as a decider is called by the first part of their email. */
  name: string;
  member: boolean;
  /** Where the file names them: the member entry, else every decision that names them. */
  paths: string[];
}

/** The import needs accounts its importer may not create: nothing was stored. */
export class AccountsMissing extends Error {
  constructor(readonly people: NamedPerson[]) {
    super(`no account for ${people.map((p) => p.email).join(', ')}`);
  }
}

/**
 * Everyone the importer links to an account, each once: the members (raters, interviewers and
 * thread authors must be members, studyfile.validate.ts), then whoever decided a final score, signed
 * off a case or took (or took back) a reduction decision without being a member.
 */
export function peopleNamed(doc: StudyFile): NamedPerson[] {
  const people = new Map<string, NamedPerson>(doc.members.map((m, i) => [m.email, { email: m.email, name: m.name, member: true, paths: [`members[${i}]`] }]));
  const decider = (email: string, path: string) => {
    const known = people.get(email);
    if (!known) people.set(email, { email, name: email.split('@')[0]!, member: false, paths: [path] });
    else if (!known.member) known.paths.push(path);
  };
  doc.reconciliations.forEach((r, i) => decider(r.by, `reconciliations[${i}].by`));
  doc.cases.forEach((c, i) => c.signedOffBy && decider(c.signedOffBy, `cases[${i}].signedOffBy`));
  doc.revertedReductions.forEach((r, i) => {
    decider(r.by, `revertedReductions[${i}].by`);
    decider(r.revertedBy, `revertedReductions[${i}].revertedBy`);
  });
  doc.reductions.forEach((r, i) => decider(r.by, `reductions[${i}].by`));
  return [...people.values()];
}

export function studyFileImporter(deps: {
  db: Db;
  studies: StudiesRepo;
  framework: FrameworkRepo;
  guides: GuidesRepo;
  cases: CasesRepo;
  ratings: RatingsRepo;
  reconcile: ReconcileRepo;
  analysis: AnalysisRepo;
  interviews: InterviewsRepo;
  documents: DocumentsRepo;
  evidence: EvidenceRepo;
  users: UsersRepo;
  audit: AuditRepo;
  now: () => Date;
}) {
  const { db, studies, framework, guides, cases, ratings, reconcile, analysis, interviews, documents, evidence, users, audit } = deps;

  /** Site administrators manage accounts (PRODUCT.md); no actor is the operator on the server. */
  const mayCreateAccounts = (actorId: number | null) => actorId === null || users.findById(actorId)?.is_admin === 1;

  /** Writes the framework of `doc` into an empty study; returns the condition ids by code. */
  function writeFramework(studyId: number, fw: StudyFile['framework']): Map<string, number> {
    for (const l of fw.levels) framework.insertLevel(studyId, { number: l.number, name: l.name, description: l.description ?? '' });
    const categoryIds = new Map(fw.categories.map((c) => [c.key, framework.insertCategory(studyId, c)]));
    const conditionIds = new Map<string, number>();
    for (const c of fw.conditions) {
      const categoryId = c.category ? categoryIds.get(c.category)! : null;
      conditionIds.set(c.code, framework.insertCondition(studyId, conditionWrite(c, { categoryId, parentId: null })));
    }
    for (const c of fw.conditions) if (c.parent) framework.setParent(conditionIds.get(c.code)!, conditionIds.get(c.parent)!);
    for (const r of fw.relations) {
      framework.insertRelation(studyId, { fromId: conditionIds.get(r.from)!, toId: conditionIds.get(r.to)!, note: r.note ?? '', feedback: r.feedback ?? false });
    }
    for (const g of fw.groupings) {
      const id = framework.insertGrouping(studyId, { key: g.key, name: g.name, reason: g.reason ?? '' });
      framework.setGroupingMembers(id, g.members.map((m) => conditionIds.get(m)!));
    }
    return conditionIds;
  }

  return {
    /**
     * `owner` (an account id) becomes a lead of the new study. The document must have passed
     * validateStudyFile. Throws AccountsMissing, storing nothing, when the file names people without
     * an account and `actorId` may not create accounts.
     */
    async run(doc: StudyFile, options: { owner: number | null; actorId: number | null }): Promise<ImportResult> {
      // Hashing is slow and asynchronous: placeholder hashes are not needed, accounts simply have none.
      void hashPassword;
      const people = peopleNamed(doc);
      return db.transaction(() => {
        const existing = new Map(people.map((p) => [p.email, users.findByEmail(p.email)?.id]));
        const missing = people.filter((p) => existing.get(p.email) === undefined);
        if (missing.length > 0 && !mayCreateAccounts(options.actorId)) throw new AccountsMissing(missing);
        const at = deps.now().toISOString();
        const { settings } = doc.study;
        const studyId = studies.insert({
          title: doc.study.title,
          question: doc.study.question ?? '',
          language: doc.study.language,
          ...settings,
          frameworkTitle: doc.framework.title,
          createdBy: options.actorId,
          now: at,
        });
        const conditionIds = writeFramework(studyId, doc.framework);
        framework.bumpRevision(studyId, at);

        const roleIds = new Map(doc.roles.map((r, i) => [r.name, guides.insertRole(studyId, r.name, i)]));
        doc.questions.forEach((q, i) =>
          guides.insertQuestion(studyId, {
            section: q.section ?? '',
            text: q.text,
            position: i,
            roleIds: q.roles.map((r) => roleIds.get(r)!),
            conditionIds: q.conditions.map((c) => conditionIds.get(c)!),
          }),
        );

        const createdAccounts: ImportResult['createdAccounts'] = [];
        const userIds = new Map<string, number>();
        for (const p of people) {
          let id = existing.get(p.email);
          if (id === undefined) {
            // Without a password; audited with the study that brought it (users.repo.ts create).
            id = users.create({ email: p.email, name: p.name, passwordHash: null, isAdmin: false }, { at, actorId: options.actorId, context: { via: 'study-import', study: studyId } }).id;
            let token: string | null = null;
            if (p.member) {
              token = randomToken();
              users.insertToken(sha256(token), id, at, new Date(new Date(at).getTime() + LINK_VALID_DAYS * 86_400_000).toISOString());
            }
            createdAccounts.push({ email: p.email, name: p.name, token });
          }
          userIds.set(p.email, id);
        }
        for (const m of doc.members) studies.addMember({ studyId, userId: userIds.get(m.email)!, role: m.role, now: at });
        if (options.owner !== null) {
          const current = studies.member(studyId, options.owner);
          if (!current) studies.addMember({ studyId, userId: options.owner, role: 'lead', now: at });
          else if (current.role !== 'lead') studies.setRole({ studyId, userId: options.owner, role: 'lead' });
        }

        // Format version 1 declares no attribute types: a key whose values all have one type gets that type.
        const valueTypes = new Map<string, Set<string>>();
        for (const c of doc.cases) for (const [k, v] of Object.entries(c.attributes ?? {})) valueTypes.set(k, (valueTypes.get(k) ?? new Set()).add(typeof v));
        const TYPE = { string: 'text', number: 'number', boolean: 'boolean' } as const;
        for (const [k, types] of valueTypes) {
          if (types.size === 1 && k.length <= 100 && KEY_PATTERN.test(k)) cases.insertAttributeType(studyId, k, TYPE[[...types][0] as keyof typeof TYPE]);
        }

        const caseIds = new Map<string, number>();
        // study-format.md: a pseudonym is generated when absent (in random order, none that names a case; anonymise.rules.ts).
        const identities = caseIdentities(doc.cases);
        const pseudonyms = fillPseudonyms(identities.map((c) => c.pseudonym), pseudonymWord('', doc.study.language), cryptoRandom, pseudonymAllowed(identities));
        doc.cases.forEach((c, i) => {
          const id = cases.insert(
            studyId,
            { key: c.key, name: c.name, pseudonym: pseudonyms[i]!, group: c.group ?? '', attributes: c.attributes ?? {}, selectionReason: c.selectionReason ?? '', aliases: c.aliases ?? [] },
            i,
            at,
          );
          caseIds.set(c.key, id);
          const measures = [
            ...Object.entries(c.measures ?? {}).map(([variable, value]) => ({ variable, year: null as number | null, value })),
            ...Object.entries(c.measuresByYear ?? {}).flatMap(([variable, byYear]) => Object.entries(byYear).map(([year, value]) => ({ variable, year: Number(year), value }))),
          ];
          measures.forEach((m, j) => cases.insertMeasure(id, m.variable, m.year, m.value, j));
          (c.raters ?? []).forEach((email, j) => cases.insertRater(id, userIds.get(email)!, j));
        });
        /** Ratings that cite evidence, linked once the evidence is stored below. */
        const citingRatings: Array<[StudyFile['ratings'][number], number]> = [];
        for (const r of doc.ratings) {
          const { lastInsertRowid } = ratings.insert({
            caseId: caseIds.get(r.case)!,
            conditionId: conditionIds.get(r.condition)!,
            raterId: userIds.get(r.rater)!,
            score: r.score,
            cannotJudgeReason: r.score === null ? r.cannotJudgeReason || null : null,
            rationale: r.rationale ?? '',
            submittedAt: r.submitted ? at : null,
            now: at,
          });
          if (r.evidence?.length) citingRatings.push([r, Number(lastInsertRowid)]);
        }
        // Who decided: a member, else an account that is no member (one made above if there was none).
        const deciderId = (email: string) => userIds.get(email)!;
        for (const r of doc.reconciliations) {
          reconcile.decide({
            caseId: caseIds.get(r.case)!, conditionId: conditionIds.get(r.condition)!, score: r.score, note: r.note, rule: r.rule ?? null, by: deciderId(r.by), at,
          });
        }
        for (const c of doc.cases) if (c.signedOffBy) reconcile.signOff(caseIds.get(c.key)!, deciderId(c.signedOffBy), at);
        for (const m of doc.reconciliationComments) {
          reconcile.comment({ caseId: caseIds.get(m.case)!, conditionId: conditionIds.get(m.condition)!, authorId: userIds.get(m.by)!, body: m.body, at });
        }
        // The decisions taken back first, so the log lists them before (under) the active ones, as they happened.
        for (const r of doc.revertedReductions) {
          const id = analysis.insertReduction({ studyId, conditionId: conditionIds.get(r.condition)!, method: r.method as ReductionMethod, reason: r.reason, by: deciderId(r.by), at });
          analysis.revertReduction(id, deciderId(r.revertedBy), at);
        }
        for (const r of doc.reductions) {
          analysis.insertReduction({ studyId, conditionId: conditionIds.get(r.condition)!, method: r.method as ReductionMethod, reason: r.reason, by: deciderId(r.by), at });
        }
        for (const a of doc.caseAnalyses) {
          analysis.saveCaseAnalysis({ caseId: caseIds.get(a.case)!, degree: a.explanationDegree ?? null, narrative: a.narrative ?? '', by: options.actorId, at });
        }

        for (const iv of doc.interviews) {
          // Format version 1 has no dates per status step: a reached "held" step takes the interview date.
          const reached = (step: string) => ['planned', 'held', 'drafted', 'sent', 'approved'].indexOf(iv.status) >= ['planned', 'held', 'drafted', 'sent', 'approved'].indexOf(step);
          const id = interviews.insert(studyId, iv.key, {
            caseId: caseIds.get(iv.case)!, date: iv.date ?? null, participants: iv.participants, notes: iv.notes ?? '', status: iv.status,
            heldOn: reached('held') ? (iv.date ?? null) : null, draftedOn: null, sentOn: null, approvedOn: null,
          }, options.actorId, at);
          interviews.setLinks(id, {
            roleIds: iv.roles.map((r) => roleIds.get(r)!),
            interviewerIds: iv.interviewers.map((e) => userIds.get(e)!),
            conditionIds: iv.conditions.map((c) => conditionIds.get(c)!),
          });
        }

        const sourceIds = new Map<string, { interviewId: number | null; documentId: number | null }>();
        for (const iv of doc.interviews) sourceIds.set(iv.key, { interviewId: interviews.findByKey(studyId, iv.key)!.id, documentId: null });
        for (const d of doc.documents) {
          const id = documents.insert({
            studyId, caseId: caseIds.get(d.case)!, key: d.key, title: d.title, kind: d.kind ?? '', date: d.date ?? null, filename: d.filename,
            storageName: null, mediaType: 'application/octet-stream', size: 0, sha256: d.sha256 ?? '', textStatus: 'none', uploadedBy: options.actorId, now: at,
          });
          sourceIds.set(d.key, { interviewId: null, documentId: id });
        }
        // Entries that differ only in their condition are one piece of evidence about several conditions.
        const evidenceIds = new Map<string, number>();
        for (const [identity, group] of groupBy(doc.evidence, (e) => evidenceIdentity(e.case, e))) {
          const first = group[0]!;
          const id = evidence.insert(
            { studyId, caseId: caseIds.get(first.case)!, ...sourceIds.get(first.source)!, quote: first.quote ?? '', locator: first.locator ?? '', createdBy: options.actorId, now: at },
            [...new Set(group.map((e) => conditionIds.get(e.condition)!))],
          );
          evidenceIds.set(identity, id);
        }
        for (const [r, ratingId] of citingRatings) ratings.setEvidence(ratingId, [...new Set(r.evidence!.map((cited) => evidenceIds.get(evidenceIdentity(r.case, cited))!))]);

        audit.record({
          at, actorId: options.actorId, studyId, entity: 'study', entityId: studyId, action: 'import',
          after: {
            title: doc.study.title,
            conditions: doc.framework.conditions.length,
            relations: doc.framework.relations.length,
            members: doc.members.length,
            cases: doc.cases.length,
            ratings: doc.ratings.length,
            reconciliations: doc.reconciliations.length,
            reductions: doc.reductions.length,
            revertedReductions: doc.revertedReductions.length,
            caseAnalyses: doc.caseAnalyses.length,
            interviews: doc.interviews.length,
            documents: doc.documents.length,
            evidence: doc.evidence.length,
          },
        });
        return { studyId, createdAccounts };
      })();
    },
  };
}
export type StudyFileImporter = ReturnType<typeof studyFileImporter>;
