// Loads the demo study (demo.plan.ts) into the database through the same services the pages use:
// the study file importer for the framework, members, cases, interviews and evidence, then the
// documents (stored, hashed, text extracted), ratings, threads, final scores, sign-offs, case
// analyses and a reduction decision. All of it is one transaction: a failure leaves nothing behind.
//
// Loading twice is refused: the demo accounts have fixed emails and a published password, so when
// any of them exists the demo was loaded before (or someone uses those emails) and nothing is done.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Db } from '../lib/db.ts';
import { hashPassword } from '../lib/passwords.ts';
import { RuleError } from '../lib/errors.ts';
import { createServices } from '../services.ts';
import { loadTemplate } from '../framework/templates.ts';
import { validateStudyFile } from '../studyfile/studyfile.validate.ts';
import { docxOf, pdfOf } from '../lib/office-files.ts';
import { DEMO_PEOPLE, planDemo, type DemoPlan, type Person } from './demo.plan.ts';

export { DEMO_PEOPLE, DEMO_TITLE } from './demo.plan.ts';

/** The one password of every demo account: published in the README, for trying Kader out only. */
export const DEMO_PASSWORD = 'kader-demo';

export interface DemoResult {
  studyId: number;
  accounts: { email: string; name: string; role: string }[];
  password: string;
  counts: { cases: number; interviews: number; documents: number; evidence: number; ratings: number; decisions: number; analyses: number };
  /** Settles when the text of every demo document has been extracted (for the CLI and tests). */
  textExtracted: Promise<void>;
}

/** Timestamps that never repeat, so the order of what the demo does is the order of its timestamps. */
function steadyClock(): () => Date {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last);
  };
}

function fileOf(d: DemoPlan['documents'][number]): Buffer {
  if (d.format === 'pdf') return pdfOf(d.text);
  if (d.format === 'docx') return docxOf(d.text);
  return Buffer.from(d.text.join('\n'), 'utf8');
}

/**
 * Loads the demo study; `actorId` is who asked (an administrator, or null from the command line).
 * Refused with RuleError 'demo.exists' when a demo account exists already.
 */
export async function loadDemo(db: Db, config: Pick<Config, 'login' | 'uploadsDir'>, options: { actorId: number | null }): Promise<DemoResult> {
  const s = createServices(db, steadyClock(), config);
  const refuseIfLoaded = () => {
    const existing = DEMO_PEOPLE.filter((p) => s.repos.users.findByEmail(p.email));
    if (existing.length) throw new RuleError('demo.exists', { emails: existing.map((p) => p.email).join(', ') });
  };
  refuseIfLoaded();

  const plan = planDemo(loadTemplate('bijstand')!);
  const checked = validateStudyFile(plan.doc);
  if (!checked.ok) throw new Error(`the demo study file is not valid: ${JSON.stringify(checked.problems.slice(0, 3))}`);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  // The files go where uploads arrive; the documents service moves them under their storage names.
  const incoming = path.join(config.uploadsDir, '.incoming');
  fs.mkdirSync(incoming, { recursive: true });
  const files = plan.documents.map((d) => {
    const bytes = fileOf(d);
    const file = path.join(incoming, `${crypto.randomBytes(16).toString('hex')}.part`);
    fs.writeFileSync(file, bytes, { mode: 0o600 });
    return { path: file, size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), originalName: d.filename };
  });

  db.exec('BEGIN IMMEDIATE');
  try {
    refuseIfLoaded();
    const at = s.clock().toISOString();
    const ids = {} as Record<Person, number>;
    for (const p of DEMO_PEOPLE) {
      ids[p.key] = s.repos.users.create({ email: p.email, name: p.name, passwordHash, isAdmin: false }, { at, actorId: options.actorId, context: { via: 'demo' } }).id;
    }
    // The importer does all its work synchronously in one (nested) transaction and only wraps the
    // result in a promise: awaiting it yields to other microtasks, never to another request, so
    // nothing else runs inside this transaction.
    const { studyId } = await s.studyFile.importer.run(checked.doc, { owner: ids.lead, actorId: ids.lead });
    applyPlan(s, studyId, plan, ids, files);
    db.exec('COMMIT');
    return {
      studyId,
      accounts: DEMO_PEOPLE.map((p) => ({ email: p.email, name: p.name, role: p.role })),
      password: DEMO_PASSWORD,
      counts: {
        cases: plan.doc.cases!.length,
        interviews: plan.doc.interviews!.length,
        documents: plan.documents.length,
        evidence: new Set(plan.doc.evidence!.map((e) => `${e.source}\u0000${e.quote}`)).size + plan.documents.reduce((n, d) => n + d.evidence.length, 0),
        ratings: plan.ratings.reduce((n, r) => n + r.items.length, 0),
        decisions: plan.decisions.length + plan.bulk.reduce((n, b) => n + b.expected, 0),
        analyses: plan.analyses.length,
      },
      textExtracted: s.documents.settled(),
    };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    for (const f of files) fs.rmSync(f.path, { force: true });
    throw err;
  }
}

type DemoServices = ReturnType<typeof createServices>;

/** Everything after the import, in the order a team would have done it. */
function applyPlan(s: DemoServices, studyId: number, plan: DemoPlan, ids: Record<Person, number>, files: { path: string; size: number; sha256: string; originalName: string }[]): void {
  plan.documents.forEach((d, n) => {
    const { key, unsupported } = s.documents.add(studyId, d.caseKey, { title: d.title, kind: d.kind, date: d.date }, files[n]!, ids.lead);
    if (unsupported) throw new Error(`demo document ${d.filename} was not recognised`);
    for (const e of d.evidence) s.evidence.add(studyId, { source: `document:${key}`, quote: e.quote, locator: e.locator, conditions: e.conditions }, ids.lead);
  });

  // Evidence ids by case and condition, to link ratings to.
  const evidenceOn = new Map<string, number[]>();
  for (const e of s.repos.evidence.list(studyId)) {
    for (const code of JSON.parse(e.conditions) as string[]) {
      const k = `${e.case_key}\u0000${code}`;
      evidenceOn.set(k, [...(evidenceOn.get(k) ?? []), e.id]);
    }
  }
  for (const rating of plan.ratings) {
    const raterId = ids[rating.rater];
    s.ratings.save(
      studyId,
      rating.caseKey,
      raterId,
      rating.items.map((item) => {
        const linked = evidenceOn.get(`${rating.caseKey}\u0000${item.code}`) ?? [];
        return {
          code: item.code,
          score: item.score,
          reason: item.reason,
          rationale: item.rationale,
          evidence: item.evidence === 'all' ? linked : item.evidence === 'first' ? linked.slice(0, 1) : [],
        };
      }),
    );
    if (rating.submit) s.ratings.submit(studyId, rating.caseKey, raterId);
  }

  for (const t of plan.threads) {
    for (const m of t.messages) s.reconcile.comment(studyId, t.caseKey, t.code, { id: ids[m.author], isLead: m.author === 'lead' }, m.body);
  }
  for (const d of plan.decisions) s.reconcile.decide(studyId, d.caseKey, d.code, ids.lead, { score: d.score ?? 'cannot-judge', note: d.note });
  for (const b of plan.bulk) s.reconcile.bulk(studyId, ids.lead, { rule: b.rule, caseKey: b.caseKey, expected: b.expected });
  for (const caseKey of plan.signOffs) s.reconcile.signOff(studyId, caseKey, ids.lead);
  for (const d of plan.afterSignOff) s.reconcile.decide(studyId, d.caseKey, d.code, ids.lead, { score: d.score ?? 'cannot-judge', note: d.note });

  for (const a of plan.analyses) s.analysis.setCaseAnalysis(studyId, a.caseKey, ids.lead, { explanationDegree: a.degree, narrative: a.narrative });
  for (const red of plan.reductions) s.analysis.decideReduction(studyId, red.code, ids.lead, { method: red.method, reason: red.reason });
}
