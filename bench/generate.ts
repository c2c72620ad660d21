// Benchmark data: a deterministic, realistic study file of any size (cases × rated conditions × 2
// raters, all submitted, with disagreement and some reconciliations; interviews with notes of a
// chosen total size; document metadata; evidence), imported through the real study-file importer
// in one transaction. Used by `npm run bench` (bench/run.ts) and, tiny, by its harness test.
import { seededRandom } from '../server/lib/random.ts';
import type { Services } from '../server/services.ts';
import type { StudyFileInput } from '../server/studyfile/studyfile.schema.ts';
import { validateStudyFile } from '../server/studyfile/studyfile.validate.ts';

export interface StudySize {
  cases: number;
  /** Rated conditions (levels 1–3); a measured outcome condition "0" comes on top. */
  conditions: number;
  interviewsPerCase: number;
  /** Total size of all interview notes in bytes (ASCII text, so characters = bytes). */
  notesBytes: number;
  /** Documents over the whole study (metadata only: the study file carries no files). */
  documents: number;
  seed?: number;
}

/** The size `npm run bench` measures: 200 cases × 60 conditions × 2 raters, 2,000 interviews, 50 MB notes, 500 documents. */
export const LARGE: StudySize = { cases: 200, conditions: 60, interviewsPerCase: 10, notesBytes: 50 * 1024 * 1024, documents: 500, seed: 1 };

/** The same shape at a quarter of the cases (and of everything that grows with them). */
export function scaled(size: StudySize, cases: number): StudySize {
  const f = cases / size.cases;
  return { ...size, cases, notesBytes: Math.round(size.notesBytes * f), documents: Math.round(size.documents * f) };
}

export const BENCH_PASSWORD = 'bench password 2024';

/** The accounts the benchmark signs in as; rater1 and rater2 rate the first case of every study. */
export const PERSONAS = {
  lead: 'lead@bench.example',
  raters: ['rater1@bench.example', 'rater2@bench.example', 'rater3@bench.example', 'rater4@bench.example', 'rater5@bench.example', 'rater6@bench.example'],
  viewer: 'viewer@bench.example',
} as const;


const WORDS = (
  'de het een en van in op met voor aan door bij naar over als dat die dit niet ook wel nog maar om te is zijn was werd wordt ' +
  'gemeente bijstand uitkering klant klanten klantmanager werkgever werkgevers re-integratie uitstroom instroom handhaving ' +
  'poortwachter beleid wethouder raad college team teamleider afdeling budget tekort overschot begroting regio arbeidsmarkt ' +
  'participatie trajecten caseload gesprek gesprekken aanvraag aanvragen intake screening controle fraude terugvordering ' +
  'werkfit scholing taaleis statushouders jongeren ouderen alleenstaande ouders deeltijd inkomsten premie loonkostensubsidie ' +
  'jobcoach detachering sociale werkvoorziening leerwerkbedrijf netwerk samenwerking uwv werkbedrijf schuldhulp armoede ' +
  'maatwerk sturing doelen prestatie indicatoren monitor rapportage kwartaal jaar jaren periode ontwikkeling verandering ' +
  'duidelijk belangrijk moeilijk lastig goed beter slecht sterk zwak groot klein veel weinig meer minder vooral steeds vaak ' +
  'volgens geeft aan vertelt benadrukt merkt noemt ziet verwacht denkt vindt zegt legt uit heeft hebben had kan kunnen moet ' +
  'moeten zou zouden zal zullen gaat gaan komt komen blijft blijven maakt maken houdt houden krijgt krijgen'
).split(' ');
/** Rarer words: a search for one of them finds some, not all, interviews. */
const RARE = ['wachtlijst', 'huisbezoek', 'dashboard', 'herindicatie', 'bezwaarschrift', 'proefplaatsing', 'werkervaringsplaats', 'budgetplafond'];
export const SEARCH_QUERY = 'wachtlijst';

const ROLES = ['wethouder', 'beleidsmedewerker', 'teamleider', 'klantmanager', 'financieel adviseur'];
const DOC_KINDS = ['jaarverslag', 'beleidsnota', 'raadsbesluit', 'benchmark', 'uitvoeringsplan'];
const REGIONS = ['Noord', 'Oost', 'Zuid', 'West', 'Midden'];
const SYLLABLES = ['oost', 'west', 'zuid', 'noord', 'hoog', 'laag', 'veen', 'dam', 'dijk', 'berg', 'broek', 'hove', 'wijk', 'stein', 'horst', 'zand', 'meer', 'land', 'gaard', 'rode'];

function sentence(next: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    // Skewed choice: common function words far more often than content words.
    const r = next();
    out.push(r < 0.004 ? RARE[Math.floor(next() * RARE.length)]! : WORDS[Math.floor(r * r * WORDS.length)]!);
  }
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

/** About `bytes` characters of interview notes: paragraphs of sentences, ASCII only. */
function notes(next: () => number, bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  // `length` counts a separator after every paragraph; the joined text has one fewer.
  while (length < bytes + 2) {
    const paragraph: string[] = [];
    const sentences = 3 + Math.floor(next() * 5);
    for (let i = 0; i < sentences; i++) paragraph.push(sentence(next, 8 + Math.floor(next() * 14)));
    const p = paragraph.join(' ');
    parts.push(p);
    length += p.length + 2;
  }
  return parts.join('\n\n').slice(0, Math.max(1, bytes));
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const letters = (i: number) => (i < 26 ? String.fromCharCode(97 + i) : `${String.fromCharCode(97 + Math.floor(i / 26) - 1)}${String.fromCharCode(97 + (i % 26))}`);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A complete, valid study file of the given size. `members` are the personas (accounts may exist already). */
export function buildStudyFile(size: StudySize, title: string): StudyFileInput {
  const next = seededRandom(size.seed ?? 1); // the same seed gives the same study
  const normal = () => {
    // Box–Muller, one value per call.
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };

  // Framework: level 0 holds the measured outcome; rated conditions spread over levels 1–3 (1 : 2 : 2).
  const perLevel = [0, Math.max(1, Math.round(size.conditions / 5)), 0, 0];
  perLevel[2] = Math.ceil((size.conditions - perLevel[1]!) / 2);
  perLevel[3] = size.conditions - perLevel[1]! - perLevel[2]!;
  const categoriesOf: Record<number, string[]> = { 1: ['volume', 'prijs'], 2: ['instroom', 'uitstroom', 'handhaving'], 3: ['beleid', 'organisatie', 'financieel'] };
  const levels = [
    { number: 0, name: 'Financieel resultaat', description: 'Tekort of overschot op het budget.' },
    { number: 1, name: 'Uitkomstmaten', description: 'Effecten op het klantenbestand.' },
    { number: 2, name: 'Uitvoering en instrumenten', description: '' },
    { number: 3, name: 'Randvoorwaarden', description: '' },
  ];
  const categories = [1, 2, 3].flatMap((level) => categoriesOf[level]!.map((key) => ({ key, level, name: `${key[0]!.toUpperCase()}${key.slice(1)}` })));
  const conditions: NonNullable<StudyFileInput['framework']>['conditions'] = [
    { code: '0', level: 0, name: 'Financieel resultaat per inwoner', polarity: 'higher-is-favourable', kind: 'measured', description: 'Tekort (negatief) of overschot (positief) in procenten.' },
  ];
  const codesByLevel: Record<number, string[]> = { 0: ['0'], 1: [], 2: [], 3: [] };
  for (const level of [1, 2, 3]) {
    for (let i = 0; i < perLevel[level]!; i++) {
      const code = `${level}.${letters(i)}`;
      codesByLevel[level]!.push(code);
      const cats = categoriesOf[level]!;
      conditions.push({
        code,
        level,
        category: cats[i % cats.length],
        name: `${sentence(next, 3).slice(0, -1)} (${code})`,
        description: sentence(next, 18),
        assessedOn: sentence(next, 10),
        anchors: { '1': sentence(next, 6), '3': sentence(next, 6), '5': sentence(next, 6) },
        polarity: (level * 31 + i) % 7 === 0 ? 'lower-is-favourable' : 'higher-is-favourable',
        kind: 'rated',
      });
    }
  }
  const rated = conditions.filter((c) => c.kind === 'rated');
  const relations: Array<{ from: string; to: string; note?: string }> = [];
  const seen = new Set<string>();
  const relate = (from: string, to: string) => {
    if (seen.has(`${from}>${to}`)) return;
    seen.add(`${from}>${to}`);
    relations.push({ from, to, note: sentence(next, 8) });
  };
  for (const level of [3, 2, 1]) {
    const targets = codesByLevel[level - 1]!;
    for (const from of codesByLevel[level]!) {
      const fanOut = level === 3 ? 2 : 1;
      for (let j = 0; j < fanOut; j++) relate(from, targets[Math.floor(next() * targets.length)]!);
    }
  }
  const level2 = codesByLevel[2]!;
  const groupings = level2.length >= 6
    ? [
        { key: 'poort', name: 'Poortwachter', members: level2.slice(0, 3), reason: 'Samen meten zij de toegang.' },
        { key: 'werk', name: 'Naar werk', members: level2.slice(3, 6), reason: 'Samen meten zij de uitstroom.' },
      ]
    : [];

  const members = [
    { email: PERSONAS.lead, name: 'Lea Lead', role: 'lead' as const },
    ...PERSONAS.raters.map((email, i) => ({ email, name: `Rater ${i + 1}`, role: 'researcher' as const })),
    { email: PERSONAS.viewer, name: 'Vera Viewer', role: 'viewer' as const },
  ];
  // Rater pairs, balanced: every pair of the six raters in turn; the first case gets rater1 + rater2.
  const pairs: Array<[string, string]> = [];
  for (let a = 0; a < PERSONAS.raters.length; a++) for (let b = a + 1; b < PERSONAS.raters.length; b++) pairs.push([PERSONAS.raters[a]!, PERSONAS.raters[b]!]);

  const cases: NonNullable<StudyFileInput['cases']> = [];
  const ratings: NonNullable<StudyFileInput['ratings']> = [];
  const reconciliations: NonNullable<StudyFileInput['reconciliations']> = [];
  const caseAnalyses: NonNullable<StudyFileInput['caseAnalyses']> = [];
  const interviews: NonNullable<StudyFileInput['interviews']> = [];
  const documents: NonNullable<StudyFileInput['documents']> = [];
  const evidence: NonNullable<StudyFileInput['evidence']> = [];
  const width = String(size.cases).length;
  const totalInterviews = size.cases * size.interviewsPerCase;
  // Notes lengths vary 0.4–1.6 × the mean; the last interview takes what is left, so the total is exact.
  let notesLeft = size.notesBytes;

  for (let c = 0; c < size.cases; c++) {
    const key = `g${pad(c + 1, width)}`;
    const quality = normal();
    const name = `${SYLLABLES[Math.floor(next() * SYLLABLES.length)]!}${SYLLABLES[Math.floor(next() * SYLLABLES.length)]!}`;
    const raters = pairs[c % pairs.length]!;
    cases.push({
      key,
      name: `${name[0]!.toUpperCase()}${name.slice(1)} ${pad(c + 1, width)}`,
      group: quality > 0.3 ? 'overschot' : quality < -0.3 ? 'tekort' : 'kantelaar',
      attributes: { regio: REGIONS[c % REGIONS.length]!, inwoners: Math.round(20_000 + next() * 180_000), gr: next() < 0.4 },
      measures: { '0': Math.round((quality * 6 + normal() * 2) * 10) / 10, hve: Math.round(12_000 + next() * 4_000) },
      selectionReason: sentence(next, 12),
      raters: [...raters],
    });

    // Scores: a true score from the case's quality, and each rater's reading of it (62% the same,
    // 30% one point off, 8% two points off), so agreement is realistic: moderate, not perfect.
    for (const cond of rated) {
      const sign = cond.polarity === 'lower-is-favourable' ? -1 : 1;
      const truth = clamp(Math.round(3 + sign * quality * 0.9 + normal() * 0.7), 1, 5);
      const scores = raters.map(() => {
        const r = next();
        const delta = r < 0.62 ? 0 : r < 0.92 ? (next() < 0.5 ? -1 : 1) : next() < 0.5 ? -2 : 2;
        return clamp(truth + delta, 1, 5);
      });
      raters.forEach((rater, i) => {
        ratings.push({ case: key, condition: cond.code, rater, score: scores[i]!, rationale: sentence(next, 10 + Math.floor(next() * 20)), submitted: true });
      });
      const difference = Math.abs(scores[0]! - scores[1]!);
      // Four cases in five are fully reconciled; in the rest only the major differences so far.
      if (difference > 0 && (c % 5 !== 4 || difference >= 2)) {
        reconciliations.push({ case: key, condition: cond.code, score: truth, note: `Besproken: ${sentence(next, 8)}`, by: PERSONAS.lead });
      }
    }
    if (c % 7 !== 6) {
      caseAnalyses.push({
        case: key,
        explanationDegree: (['hardly', 'limited', 'fair', 'good'] as const)[Math.floor(next() * 4)]!,
        narrative: `${sentence(next, 25)}\n\n${sentence(next, 25)}`,
      });
    }

    for (let i = 0; i < size.interviewsPerCase; i++) {
      const index = c * size.interviewsPerCase + i;
      const last = index === totalInterviews - 1;
      const mean = size.notesBytes / totalInterviews;
      const bytes = last ? notesLeft : Math.min(notesLeft, Math.round(mean * (0.4 + next() * 1.2)));
      notesLeft -= bytes;
      const text = notes(next, bytes);
      const ivKey = `${key}-i${pad(i + 1, 2)}`;
      const codes = [...new Set(Array.from({ length: Math.min(6, rated.length) }, () => rated[Math.floor(next() * rated.length)]!.code))];
      interviews.push({
        key: ivKey,
        case: key,
        date: `2023-${pad(1 + Math.floor(next() * 12), 2)}-${pad(1 + Math.floor(next() * 28), 2)}`,
        roles: [ROLES[(c + i) % ROLES.length]!],
        participants: 1 + Math.floor(next() * 3),
        interviewers: [raters[i % 2]!],
        status: i === size.interviewsPerCase - 1 ? 'drafted' : 'approved',
        notes: text,
        conditions: codes,
      });
      // Three pieces of evidence per interview, quoted from its notes; the first is about two conditions.
      for (let e = 0; e < 3; e++) {
        const at = Math.floor(next() * Math.max(1, text.length - 200));
        const quote = text.slice(at, at + 120 + Math.floor(next() * 80)).trim() || text.slice(0, 50);
        const about = e === 0 ? codes.slice(0, 2) : [codes[(e + 1) % codes.length]!];
        for (const condition of about) evidence.push({ case: key, condition, source: ivKey, quote, locator: `alinea ${1 + e * 3}` });
      }
    }
  }
  // Documents: spread evenly over the cases; one piece of evidence each (a locator in the document).
  for (let d = 0; d < size.documents; d++) {
    const c = Math.floor((d * size.cases) / size.documents);
    const caseKey = cases[c]!.key;
    const docKey = `${caseKey}-d${pad(d + 1, String(size.documents).length)}`;
    const kind = DOC_KINDS[d % DOC_KINDS.length]!;
    const hex = Array.from({ length: 64 }, () => Math.floor(next() * 16).toString(16)).join('');
    documents.push({ key: docKey, case: caseKey, title: `${kind[0]!.toUpperCase()}${kind.slice(1)} ${2017 + (d % 6)}`, kind, date: `${2017 + (d % 6)}-06-30`, filename: `${docKey}.pdf`, sha256: hex });
    evidence.push({ case: caseKey, condition: rated[d % rated.length]!.code, source: docKey, quote: sentence(next, 15), locator: `p. ${1 + Math.floor(next() * 80)}` });
  }

  const questions = rated.slice(0, Math.min(30, rated.length)).map((cond, i) => ({
    section: `Deel ${1 + Math.floor(i / 10)}`,
    text: `${sentence(next, 12).slice(0, -1)}?`,
    roles: [ROLES[i % ROLES.length]!],
    conditions: [cond.code],
  }));

  return {
    format: 'kader.study',
    version: 1,
    study: {
      title,
      question: 'Welke keuzes van gemeenten verklaren tekorten en overschotten op het bijstandsbudget?',
      language: 'nl',
      settings: { scale: { min: 1, max: 5 }, ratersPerCase: 2, blindRating: true, classification: 'relative', secondRaterNotAtInterviews: false },
    },
    framework: { title: 'Benchmarkkader', levels, categories, conditions, relations, groupings },
    roles: ROLES.map((name) => ({ name })),
    questions,
    members,
    cases,
    ratings,
    interviews,
    documents,
    evidence,
    reconciliations,
    reductions: [],
    caseAnalyses,
  };
}

/** The persona accounts, with BENCH_PASSWORD (created once per database; argon2id hashing is slow). */
export async function ensurePersonas(services: Services): Promise<void> {
  const all = [
    { email: PERSONAS.lead, name: 'Lea Lead' },
    ...PERSONAS.raters.map((email, i) => ({ email, name: `Rater ${i + 1}` })),
    { email: PERSONAS.viewer, name: 'Vera Viewer' },
  ];
  for (const a of all) {
    if (!services.repos.users.findByEmail(a.email)) await services.users.create({ ...a, isAdmin: false, password: BENCH_PASSWORD }, null);
  }
}

export interface Generated {
  studyId: number;
  /** The first case: rated by rater1 and rater2. */
  firstCase: string;
  counts: { cases: number; conditions: number; ratings: number; reconciliations: number; interviews: number; notesBytes: number; documents: number; evidence: number };
  timings: { buildMs: number; validateMs: number; importMs: number };
}

/** Builds, validates and imports one study of `size` (personas must exist: ensurePersonas). */
export async function generateStudy(services: Services, size: StudySize, title: string): Promise<Generated> {
  let t = performance.now();
  const input = buildStudyFile(size, title);
  const buildMs = performance.now() - t;
  t = performance.now();
  const result = validateStudyFile(input);
  const validateMs = performance.now() - t;
  if (!result.ok) throw new Error(`the generated study file is not valid: ${JSON.stringify(result.problems.slice(0, 5))}`);
  t = performance.now();
  const lead = services.repos.users.findByEmail(PERSONAS.lead);
  const { studyId } = await services.studyFile.importer.run(result.doc, { owner: lead?.id ?? null, actorId: null });
  const importMs = performance.now() - t;
  const doc = result.doc;
  return {
    studyId,
    firstCase: doc.cases[0]!.key,
    counts: {
      cases: doc.cases.length,
      conditions: doc.framework.conditions.filter((c) => c.kind === 'rated').length,
      ratings: doc.ratings.length,
      reconciliations: doc.reconciliations.length,
      interviews: doc.interviews.length,
      notesBytes: doc.interviews.reduce((n, iv) => n + (iv.notes ?? '').length, 0),
      documents: doc.documents.length,
      evidence: doc.evidence.length,
    },
    timings: { buildMs, validateMs, importMs },
  };
}
