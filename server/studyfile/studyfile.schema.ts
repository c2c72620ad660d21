// The study file, version 1 (../shared/design/study-format.md), as strict zod schemas: unknown keys
// are errors. Cross-references between sections are checked in studyfile.validate.ts.
import { z } from 'zod';
import { ALIAS_MAX, MAX_ALIASES } from '../cases/cases.schemas.ts';

const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => z.string().max(max).optional();
const code = z.string().trim().min(1).max(30);
const key = z.string().trim().min(1).max(100);
/** An account's address, as stored: trimmed and in lower case. */
const email = z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'file.email' }));

export const settingsSchema = z.strictObject({
  scale: z.strictObject({ min: z.number().int().min(0).max(10), max: z.number().int().min(1).max(20) }).default({ min: 1, max: 5 }),
  ratersPerCase: z.number().int().min(2).max(4).default(2),
  blindRating: z.boolean().default(true),
  classification: z.enum(['relative', 'absolute']).default('relative'),
  secondRaterNotAtInterviews: z.boolean().default(false),
  /** Kader's own, optional: viewers may read interview notes, documents, evidence and search (PRODUCT.md, Who uses it). */
  viewersSeeFieldwork: z.boolean().default(false),
});
export type StudySettings = z.output<typeof settingsSchema>;
export const DEFAULT_SETTINGS: StudySettings = settingsSchema.parse({});

export const levelSchema = z.strictObject({
  number: z.number().int().min(0).max(99),
  name: z.string().trim().min(1).max(300),
  description: optionalText(20_000),
});

export const categorySchema = z.strictObject({
  key: z.string().trim().min(1).max(50),
  level: z.number().int(),
  name: z.string().trim().min(1).max(300),
});

export const POLARITIES = ['higher-is-favourable', 'lower-is-favourable'] as const;
export const KINDS = ['rated', 'measured'] as const;

export const conditionSchema = z.strictObject({
  code,
  level: z.number().int(),
  category: z.string().trim().min(1).max(50).optional(),
  name: z.string().trim().min(1).max(300),
  description: optionalText(20_000),
  assessedOn: optionalText(20_000),
  anchors: z.record(z.string().regex(/^-?\d+$/, 'file.anchorKey'), text(5_000)).optional(),
  polarity: z.enum(POLARITIES),
  kind: z.enum(KINDS),
  parent: code.optional(),
});

export const relationSchema = z.strictObject({
  from: code,
  to: code,
  note: optionalText(5_000),
  feedback: z.boolean().optional(),
});

export const groupingSchema = z.strictObject({
  key: z.string().trim().min(1).max(50),
  name: z.string().trim().min(1).max(300),
  members: z.array(code).min(1),
  reason: optionalText(5_000),
});

export const frameworkSchema = z.strictObject({
  title: z.string().trim().max(300).default(''),
  /** Written by export; informational on import. */
  revision: z.number().int().min(0).optional(),
  levels: z.array(levelSchema).default([]),
  categories: z.array(categorySchema).default([]),
  conditions: z.array(conditionSchema).default([]),
  relations: z.array(relationSchema).default([]),
  groupings: z.array(groupingSchema).default([]),
});
export type Framework = z.output<typeof frameworkSchema>;
export type ConditionDoc = z.output<typeof conditionSchema>;

const attributeValue = z.union([z.string().max(1_000), z.number(), z.boolean()]);

export const caseSchema = z.strictObject({
  key,
  name: z.string().trim().min(1).max(300),
  pseudonym: z.string().trim().min(1).max(300).optional(),
  group: z.string().trim().max(100).optional(),
  attributes: z.record(z.string().min(1).max(100), attributeValue).optional(),
  measures: z.record(z.string().min(1).max(100), z.number()).optional(),
  /** Kader's extension of version 1: measures per year, e.g. { "hve": { "2021": -12.5 } }. */
  measuresByYear: z.record(z.string().min(1).max(100), z.record(z.string().regex(/^\d{4}$/, 'file.year'), z.number())).optional(),
  selectionReason: optionalText(20_000),
  raters: z.array(z.string().trim().toLowerCase().max(254)).optional(),
  /** Kader's extension: other names the case goes by, which anonymisation also replaces (cases.schemas.ts limits). */
  aliases: z.array(z.string().trim().min(1).max(ALIAS_MAX)).max(MAX_ALIASES).optional(),
  /** Kader's extension: who signed off the case's final scores (only when none is open). */
  signedOffBy: email.optional(),
});

/** What the pseudonym rule (anonymise.rules.ts pseudonymClashes) knows of a file's cases (validation and import). */
export const caseIdentities = (cases: readonly z.output<typeof caseSchema>[]) =>
  cases.map((c) => ({ key: c.key, name: c.name, aliases: c.aliases ?? [], pseudonym: c.pseudonym ?? null }));

/** Kader's extension: a piece of evidence a rating cites, named as in the evidence section (same case, source, quote, locator). */
export const citationSchema = z.strictObject({
  source: key,
  quote: optionalText(20_000),
  locator: optionalText(300),
});

/** What makes evidence entries one piece of evidence (they differ only in their condition), and what a citation names. */
export const evidenceIdentity = (caseKey: string, e: z.infer<typeof citationSchema>) => JSON.stringify([caseKey, e.source, e.quote ?? '', e.locator ?? '']);

export const ratingSchema = z.strictObject({
  case: key,
  condition: code,
  rater: z.string().trim().toLowerCase().max(254),
  score: z.number().int('file.scoreInteger').nullable(),
  /** Kader's extension: why the rater could not judge (only with score null). */
  cannotJudgeReason: optionalText(5_000),
  rationale: optionalText(50_000),
  submitted: z.boolean(),
  /** Kader's extension: the evidence the rater cited (the rating form's body carries at most 2,000 fields). */
  evidence: z.array(citationSchema).max(2_000).optional(),
});

export const reconciliationSchema = z.strictObject({
  case: key,
  condition: code,
  score: z.number().int('file.scoreInteger').nullable(),
  note: z.string().trim().min(1).max(10_000),
  /** Usually a member; an administrator who decided without being one is kept by email too. */
  by: email,
  /** Kader's extension: the bulk rule that decided the score, when one did. */
  rule: z.enum(['lower', 'higher']).optional(),
});

/** Kader's extension: one message of an item's reconciliation thread, in the order of the thread. */
export const reconciliationCommentSchema = z.strictObject({
  case: key,
  condition: code,
  by: email,
  body: z.string().trim().min(1).max(20_000),
});

/** A complexity-reduction decision (method-notes.md step 7); the file holds the active ones. */
export const reductionSchema = z.strictObject({
  condition: code,
  method: z.number().int().min(1).max(4),
  reason: z.string().trim().min(1).max(10_000),
  by: email,
});

/** Kader's extension: a reduction decision a lead took back, with who took it back; the log's history. */
export const revertedReductionSchema = reductionSchema.extend({
  revertedBy: email,
});

/** A lead's within-case analysis of a case: explanation degree (absent or null = none yet) and narrative. */
export const caseAnalysisSchema = z.strictObject({
  case: key,
  explanationDegree: z.enum(['hardly', 'limited', 'fair', 'good']).nullable().optional(),
  narrative: optionalText(100_000),
});

export const interviewSchema = z.strictObject({
  key,
  case: key,
  date: z.iso.date({ message: 'file.date' }).optional(),
  roles: z.array(z.string().trim().min(1).max(200)).default([]),
  participants: z.number().int().min(0).max(999).default(1),
  interviewers: z.array(z.string().trim().toLowerCase().max(254)).default([]),
  status: z.enum(['planned', 'held', 'drafted', 'sent', 'approved']).default('planned'),
  notes: optionalText(500_000),
  conditions: z.array(code).default([]),
});

/** A document's metadata; the file itself does not travel in the study file. */
export const documentSchema = z.strictObject({
  key,
  case: key,
  title: z.string().trim().min(1).max(300),
  kind: z.string().trim().max(100).optional(),
  date: z.iso.date({ message: 'file.date' }).optional(),
  filename: z.string().trim().min(1).max(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'file.sha256').optional(),
});

/** One condition per entry; entries with the same case, source, quote and locator are one piece of evidence. */
export const evidenceSchema = z.strictObject({
  case: key,
  condition: code,
  ...citationSchema.shape,
});

export const studyFileSchema = z.strictObject({
  format: z.literal('kader.study'),
  version: z.literal(1),
  study: z.strictObject({
    title: z.string().trim().min(1).max(300),
    question: optionalText(20_000),
    language: z.enum(['nl', 'en']),
    settings: settingsSchema.default(DEFAULT_SETTINGS),
  }),
  framework: frameworkSchema,
  roles: z.array(z.strictObject({ name: z.string().trim().min(1).max(200) })).default([]),
  questions: z
    .array(
      z.strictObject({
        section: optionalText(300),
        text: z.string().trim().min(1).max(5_000),
        roles: z.array(z.string().trim().min(1).max(200)).default([]),
        conditions: z.array(code).default([]),
      }),
    )
    .default([]),
  members: z
    .array(
      z.strictObject({
        email: email,
        name: z.string().trim().min(1).max(200),
        role: z.enum(['lead', 'researcher', 'viewer']),
      }),
    )
    .default([]),
  cases: z.array(caseSchema).default([]),
  ratings: z.array(ratingSchema).default([]),
  interviews: z.array(interviewSchema).default([]),
  documents: z.array(documentSchema).default([]),
  evidence: z.array(evidenceSchema).default([]),
  reconciliations: z.array(reconciliationSchema).default([]),
  reconciliationComments: z.array(reconciliationCommentSchema).default([]),
  /** Kader's extension: reverted reduction decisions, oldest first (the active ones are in `reductions`). */
  revertedReductions: z.array(revertedReductionSchema).max(10_000).default([]),
  reductions: z.array(reductionSchema).default([]),
  caseAnalyses: z.array(caseAnalysisSchema).default([]),
});
export type StudyFile = z.output<typeof studyFileSchema>;
export type StudyFileInput = z.input<typeof studyFileSchema>;

/** Sections of the format that this version cannot import yet: a file that carries one is refused by name. */
export const NOT_YET_SUPPORTED: readonly string[] = [];
