// Writes a study as a study file (study-format.md). Ratings follow blinding: a lead's export holds
// only submitted ratings of cases that are no longer blind; the operator's archive holds all.
// Anonymised (`--anonymize`, the lead's anonymised download): see anonymiseStudyFile.
import { naturalCompare, type Anonymisation } from '../anonymise/anonymise.rules.ts';
import { groupBy } from '../lib/collections.ts';
import { parseAliases } from '../cases/cases.service.ts';
import type { AnalysisRepo } from '../analysis/analysis.repo.ts';
import type { CasesRepo } from '../cases/cases.repo.ts';
import type { FrameworkRepo } from '../framework/framework.repo.ts';
import type { GuidesRepo } from '../guides/guides.repo.ts';
import type { InterviewsRepo } from '../interviews/interviews.repo.ts';
import type { DocumentsRepo } from '../documents/documents.repo.ts';
import type { EvidenceRepo } from '../evidence/evidence.repo.ts';
import type { RatingsRepo } from '../ratings/ratings.repo.ts';
import type { ReconcileRepo } from '../reconcile/reconcile.repo.ts';
import { settingsOf, type StudiesRepo } from '../studies/studies.repo.ts';
import type { StudyFileInput, StudySettings } from './studyfile.schema.ts';

/** Lists the format lets a file leave out when they are empty. */
const OPTIONAL_LISTS = new Set(['categories', 'relations', 'groupings', 'roles', 'questions', 'members', 'cases', 'ratings', 'reconciliations', 'reconciliationComments', 'reductions', 'revertedReductions', 'caseAnalyses', 'interviews', 'documents', 'evidence']);
const nonEmpty = <T extends object>(value: T): T | undefined => (Object.keys(value).length ? value : undefined);
const text = (value: string) => (value === '' ? undefined : value);
const nonEmptyList = <T>(list: T[]): T[] | undefined => (list.length ? list : undefined);

/** Sections whose entries name a case in `case`. */
const CASE_SECTIONS = ['interviews', 'documents', 'evidence', 'ratings', 'reconciliations', 'reconciliationComments', 'caseAnalyses'] as const;
/** Records whose keys are data (attribute names, variables), not field names. */
const RECORDS = new Set(['attributes', 'measures', 'measuresByYear']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The anonymised study file (study-format.md `--anonymize`):
 * - every case KEY becomes a pseudonymous key made of its pseudonym ("Gemeente 7" → "gemeente-7"),
 *   in `cases[].key` and in every `case` reference, because keys are often the names themselves;
 * - a case's `name` becomes its pseudonym; `pseudonym` is left out (a file whose pseudonym is a name
 *   of its cases is refused: re-imported, the cases get new ones), as are `selectionReason` and the
 *   aliases (the very names to hide);
 * - every interview and document key becomes a key made of its case's pseudonymous key
 *   (anonymise.rules.ts sourceKeys: "oost-1" → "gemeente-4-1", "d3" → "gemeente-4-d1"), and the
 *   evidence sources and rating citations follow, so every reference still resolves;
 * - every other text written (study title and question, framework texts, interview notes, quotes,
 *   locators, rationales, reconciliation notes, reduction reasons, narratives, document titles and
 *   file names, attribute values, group labels …) has real names, aliases and case keys replaced,
 *   in any letter case and with or without accents; email addresses that contain a name become
 *   member-N@example.invalid everywhere;
 * - cases, and the entries about cases, are listed in the order of the pseudonyms, not the study's.
 */
/** The settings as the format writes them: Kader's own optional viewersSeeFieldwork only when on. */
function fileSettings({ viewersSeeFieldwork, ...settings }: StudySettings): Partial<StudySettings> {
  return viewersSeeFieldwork ? { ...settings, viewersSeeFieldwork } : settings;
}

export function anonymiseStudyFile(doc: StudyFileInput, a: Anonymisation): StudyFileInput {
  const pseudonymOf = new Map(a.cases.map((c) => [c.key, c.pseudonym]));
  const walk = (value: Json, path: readonly (string | number)[]): Json => {
    if (typeof value === 'string') {
      const [section, , field] = path;
      if (section === 'cases' && field === 'key') return a.caseKey(value);
      if (field === 'case' && path.length === 3) return a.caseKey(value);
      if ((section === 'interviews' || section === 'documents') && field === 'key' && path.length === 3) return a.sourceKey(value);
      if (section === 'evidence' && field === 'source' && path.length === 3) return a.sourceKey(value);
      // A rating's citation names its evidence as the evidence section does, so it is anonymised alike.
      if (section === 'ratings' && field === 'evidence' && path[4] === 'source') return a.sourceKey(value);
      return a.text(value);
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (value && typeof value === 'object') {
      const record = RECORDS.has(String(path.at(-1)));
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [record ? a.text(k) : k, walk(v, [...path, k])]));
    }
    return value;
  };
  const out = walk(doc as unknown as Json, []) as unknown as StudyFileInput;
  const byKey = (x: { case: string }, y: { case: string }) => naturalCompare(x.case, y.case);
  out.cases = doc.cases?.map((c, i) => {
    const { selectionReason: _reason, aliases: _aliases, pseudonym: _pseudonym, ...rest } = out.cases![i]!;
    return { ...rest, name: pseudonymOf.get(c.key) ?? rest.name };
  }).sort((x, y) => naturalCompare(x.key, y.key));
  for (const section of CASE_SECTIONS) (out[section] as { case: string }[] | undefined)?.sort(byKey);
  return out;
}

export function studyFileExporter(deps: {
  studies: StudiesRepo; framework: FrameworkRepo; guides: GuidesRepo; cases: CasesRepo; ratings: RatingsRepo; reconcile: ReconcileRepo; analysis: AnalysisRepo; interviews: InterviewsRepo; documents: DocumentsRepo; evidence: EvidenceRepo;
}) {
  const { studies, framework, guides, cases, ratings, reconcile, analysis, interviews, documents, evidence } = deps;

  return {
    /** With `anonymisation` (anonymise.service.ts `context`): the anonymised file, see anonymiseStudyFile. */
    run(studyId: number, scope: 'archive' | 'unblinded', anonymisation?: Anonymisation): StudyFileInput {
      const study = studies.findById(studyId);
      if (!study) throw new Error(`no study ${studyId}`);
      const caseRows = cases.list(studyId);
      const signedOffBy = new Map(reconcile.signOffsForExport(studyId).map((s) => [s.case_key, s.by_email]));
      const measures = groupBy(cases.measures(studyId), (m) => m.case_id);
      const raters = groupBy(cases.raters(studyId), (r) => r.case_id);
      const members = studies.members(studyId);
      const ratingRows = ratings.forExport(studyId, scope);
      const evidenceRows = evidence.list(studyId);
      const evidenceById = new Map(evidenceRows.map((e) => [e.id, e]));
      const reductionLog = analysis.reductions(studyId).reverse();
      const doc: StudyFileInput = {
        format: 'kader.study',
        version: 1,
        study: { title: study.title, question: text(study.question), language: study.language, settings: fileSettings(settingsOf(study)) },
        framework: framework.load(studyId, study.framework_title, study.framework_revision).doc,
        roles: guides.roles(studyId).map((r) => ({ name: r.name })),
        questions: guides.questions(studyId).map((q) => ({
          section: text(q.section),
          text: q.text,
          roles: JSON.parse(q.roles) as string[],
          conditions: JSON.parse(q.conditions) as string[],
        })),
        members: members.map((m) => ({ email: m.email, name: m.name, role: m.role })),
        cases: caseRows.map((c) => ({
          key: c.key,
          name: c.name,
          pseudonym: c.pseudonym ?? undefined,
          group: text(c.grp),
          attributes: nonEmpty(JSON.parse(c.attributes) as Record<string, string | number | boolean>),
          measures: nonEmpty(Object.fromEntries((measures.get(c.id) ?? []).filter((m) => m.year === null).map((m) => [m.variable, m.value]))),
          measuresByYear: nonEmpty(
            Object.fromEntries(
              [...groupBy((measures.get(c.id) ?? []).filter((m) => m.year !== null), (m) => m.variable)].map(([variable, rows]) => [
                variable,
                Object.fromEntries(rows.map((m) => [String(m.year), m.value])),
              ]),
            ),
          ),
          selectionReason: text(c.selection_reason),
          raters: raters.get(c.id)?.map((r) => r.email),
          aliases: nonEmpty(parseAliases(c.aliases)),
          signedOffBy: signedOffBy.get(c.key),
        })),
        interviews: interviews.withNotesForStudy(studyId).map((i) => ({
          key: i.key,
          case: i.case_key,
          date: i.date ?? undefined,
          roles: (JSON.parse(i.roles) as { name: string }[]).map((r) => r.name),
          participants: i.participants,
          interviewers: (JSON.parse(i.interviewers) as { email: string }[]).map((u) => u.email),
          status: i.status,
          notes: text(i.notes),
          conditions: JSON.parse(i.conditions) as string[],
        })),
        documents: documents.listForStudy(studyId).map((d) => ({
          key: d.key,
          case: d.case_key,
          title: d.title,
          kind: text(d.kind),
          date: d.date ?? undefined,
          filename: d.filename,
          sha256: text(d.sha256),
        })),
        evidence: evidenceRows.flatMap((e) =>
          (JSON.parse(e.conditions) as string[]).map((condition) => ({
            case: e.case_key, condition, source: e.source_key, quote: text(e.quote), locator: text(e.locator),
          })),
        ),
        ratings: ratingRows.map((r) => ({
          case: r.case_key,
          condition: r.code,
          rater: r.email,
          score: r.score,
          cannotJudgeReason: text(r.cannot_judge_reason ?? ''),
          rationale: text(r.rationale),
          submitted: r.submitted_at !== null,
          evidence: nonEmptyList((JSON.parse(r.evidence) as number[]).map((id) => {
            const e = evidenceById.get(id)!;
            return { source: e.source_key, quote: text(e.quote), locator: text(e.locator) };
          })),
        })),
        reconciliations: reconcile.forExport(studyId, scope).map((r) => ({ case: r.case_key, condition: r.code, score: r.score, note: r.note, by: r.by_email, rule: r.rule ?? undefined })),
        reconciliationComments: reconcile.commentsForExport(studyId, scope).map((m) => ({ case: m.case_key, condition: m.code, by: m.by_email, body: m.body })),
        // The active decisions (the reduced framework), and apart from them, in the order they were taken, those taken back.
        reductions: reductionLog.filter((r) => r.reverted_at === null).map((r) => ({ condition: r.code, method: r.method, reason: r.reason, by: r.decided_by_email })),
        revertedReductions: reductionLog
          .filter((r) => r.reverted_at !== null)
          .map((r) => ({ condition: r.code, method: r.method, reason: r.reason, by: r.decided_by_email, revertedBy: r.reverted_by_email! })),
        caseAnalyses: analysis
          .caseAnalyses(studyId)
          .filter((a) => a.explanation_degree !== null || a.narrative !== '')
          .map((a) => ({ case: a.case_key, explanationDegree: a.explanation_degree ?? undefined, narrative: text(a.narrative) })),
      };
      // Drop empty optional sections and undefined values, so the file says only what is there.
      const written = JSON.parse(
        JSON.stringify(doc, (k, v: unknown) => (Array.isArray(v) && v.length === 0 && OPTIONAL_LISTS.has(k) ? undefined : v)),
      ) as StudyFileInput;
      return anonymisation ? anonymiseStudyFile(written, anonymisation) : written;
    },
  };
}
export type StudyFileExporter = ReturnType<typeof studyFileExporter>;
