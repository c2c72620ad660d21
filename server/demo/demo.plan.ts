// The demo study as data, computed from a seeded pseudo-random generator so that every load is the
// same: the study file (framework from the bijstand template, members, cases with measures,
// interviews with notes, evidence) and what the study file cannot carry, in the order the loader
// applies it (documents, ratings with cannot-judge reasons and evidence links, threads, final
// scores, bulk rule, sign-offs, case analyses, a reduction decision). Pure: no database, no files.
import type { StudyFile, StudyFileInput } from '../studyfile/studyfile.schema.ts';
import { ratableCodes } from '../studyfile/studyfile.validate.ts';
import type { ExplanationDegree } from '../analysis/analysis.rules.ts';
import { seededRandom } from '../lib/random.ts';
import {
  bandOf,
  CANNOT_JUDGE_REASONS,
  CAVEATS,
  DEGREE_SENTENCES,
  DOCUMENTS,
  DUTCH_MONTHS,
  FOLLOW_UPS,
  GENERIC_RATIONALES,
  INTERVIEW_TYPES,
  MUNICIPALITIES,
  RECONCILE_NOTES,
  SCORE_LABELS,
  SECTION_ORDER,
  sectionOf,
  STATEMENTS,
  THREADS,
  type DemoDocument,
  type InterviewType,
} from './demo.content.ts';

export const DEMO_TITLE = 'Tekorten en overschotten op het bijstandsbudget (demo)';
export const DEMO_SEED = 20_260_315;

/** The demo's people: the lead and two raters do the work, the viewer reads along. */
export const DEMO_PEOPLE = [
  { key: 'lead', email: 'demo-lead@kader.example', name: 'Lotte de Graaf', role: 'lead' },
  { key: 'rater1', email: 'demo-rater1@kader.example', name: 'Sanne Visser', role: 'researcher' },
  { key: 'rater2', email: 'demo-rater2@kader.example', name: 'Daan Mulder', role: 'researcher' },
  { key: 'viewer', email: 'demo-viewer@kader.example', name: 'Ruben Bakker', role: 'viewer' },
] as const;
export type Person = (typeof DEMO_PEOPLE)[number]['key'];
const email = (p: Person) => DEMO_PEOPLE.find((x) => x.key === p)!.email;
const nameOf = (p: Person) => DEMO_PEOPLE.find((x) => x.key === p)!.name;
const RATERS = ['rater1', 'rater2'] as const satisfies readonly Person[];

/** How far each case got, by its position (0–14). */
export const CASE_STAGE = (i: number) =>
  i <= 4 ? 'signed-off' : i <= 7 ? 'reconciled' : i <= 11 ? 'partly-reconciled' : i <= 13 ? 'submitted' : 'rating';

export type Score = number | null;

export interface PlannedRating {
  code: string;
  score: number | 'cannot-judge';
  reason: string;
  rationale: string;
  /** Which of the case's evidence on the condition the rater links. */
  evidence: 'all' | 'first' | 'none';
}

export interface DemoPlan {
  doc: StudyFileInput;
  documents: (DemoDocument & { caseKey: string })[];
  ratings: { caseKey: string; rater: Person; items: PlannedRating[]; submit: boolean }[];
  threads: { caseKey: string; code: string; messages: { author: Person; body: string }[] }[];
  decisions: { caseKey: string; code: string; score: Score; note: string }[];
  bulk: { caseKey: string; rule: 'lower' | 'higher'; expected: number }[];
  signOffs: string[];
  afterSignOff: { caseKey: string; code: string; score: Score; note: string }[];
  analyses: { caseKey: string; degree: ExplanationDegree; narrative: string }[];
  reductions: { code: string; method: number; reason: string }[];
}

function generator(seed: number) {
  const next = seededRandom(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    shuffle: <T>(xs: readonly T[]): T[] => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round1 = (v: number) => Math.round(v * 10) / 10;
const slug = (name: string) => name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-');
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
const decimal = (n: number) => n.toFixed(1).replace('.', ',');
const dutchDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${DUTCH_MONTHS[m - 1]} ${y}`;
};
/** "Selectie aan de poort" → "selectie aan de poort"; "(Financiële) sturing" → "(financiële) sturing"; "LKS …" stays. */
const lowerFirst = (s: string): string => (s.startsWith('(') ? `(${lowerFirst(s.slice(1))}` : /^.[A-Z]/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1));
const listNl = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} en ${xs[xs.length - 1]}`);
const fill = (template: string, values: Record<string, string | number | null>) =>
  template.replace(/\{(\w+)\}/g, (whole, k: string) => (k in values ? String(values[k] ?? 'geen score') : whole));

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  // Interviews are held on working days.
  const day = d.getUTCDay();
  if (day === 6) d.setUTCDate(d.getUTCDate() + 2);
  if (day === 0) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Conditions that weigh most in the difference between deficit and surplus (the demo's "truth"). */
const KEY = new Set(['2.a', '2.d', '2.f', '2.g', '2.i', '2.q', '3.e', '3.g', '3.n', '3.o', '3.p', '4.a', '4.c.II', '4.d.III']);
const CONTEXT = new Set(['4.b', '4.d.I', '4.d.II']);
/** Conditions raters find hard to judge: more disagreement and more "cannot judge". */
const HARD = new Set(['2.c', '2.l', '3.c', '3.j', '3.s', '3.y', '4.c.III', '4.d.III']);
/** Pairs of conditions a quote often bears on together. */
const RELATED: Record<string, string> = { '2.a': '3.m', '3.n': '3.w', '3.o': '4.c.II', '2.f': '2.g', '3.e': '3.a', '2.i': '2.d' };

interface NoteStatement {
  code: string;
  text: string;
  interviewKey: string;
  title: string;
  ref: string;
  date: string;
}

export function planDemo(template: StudyFile, seed = DEMO_SEED): DemoPlan {
  const r = generator(seed);
  const fw = template.framework;
  const ratable = [...ratableCodes(fw)];
  const conditionName = new Map(fw.conditions.map((c) => [c.code, c.name]));
  const lowerIsFavourable = new Set(fw.conditions.filter((c) => c.polarity === 'lower-is-favourable').map((c) => c.code));
  const raw = (code: string, favourability: number) => (lowerIsFavourable.has(code) ? 6 - favourability : favourability);

  const cases: NonNullable<StudyFileInput['cases']> = [];
  const interviews: NonNullable<StudyFileInput['interviews']> = [];
  const evidence: NonNullable<StudyFileInput['evidence']> = [];
  const plan: Omit<DemoPlan, 'doc'> = { documents: [], ratings: [], threads: [], decisions: [], bulk: [], signOffs: [], afterSignOff: [], analyses: [], reductions: [] };
  const analysisInputs: { caseKey: string; index: number; alignment: number; favourability: Record<string, number>; result: number }[] = [];

  MUNICIPALITIES.forEach((m, i) => {
    const key = slug(m.name);
    const g = m.group === 'overschot' ? 1 : -1;

    // The financial result (% of the budget, average 2019–2023) and the level-1 measures that go with it.
    const result = round1(g * (2.2 + r.next() * 7.5));
    const volume = round1(result * (0.45 + r.next() * 0.35));
    const byYear: Record<string, number> = {};
    for (let y = 2019; y <= 2023; y++) byYear[String(y)] = round1(result + r.normal() * 2.2);
    const density = round1(clamp(38 - 1.6 * result + r.normal() * 5, 18, 70));
    const benefits = Math.round((density * m.inhabitants * 0.8) / 1000);
    const price = Math.round(16_900 - 55 * result + r.normal() * 350);
    cases.push({
      key,
      name: m.name,
      group: m.group,
      attributes: { gr: m.gr !== null, grootteklasse: m.sizeClass, regio: m.region },
      measures: {
        '0': result,
        '0.volume': volume,
        '0.prijs': round1(result - volume),
        '1.a': density,
        '1.b': round1(clamp(22 - 0.5 * result + r.normal() * 2, 12, 34)),
        '1.c': round1(clamp(20 + 0.55 * result + r.normal() * 2, 10, 34)),
        '1.d': price,
        '1.e': round1(clamp(7 + 0.3 * result + r.normal() * 1.4, 2, 14)),
        '1.f': round1(clamp(2 + 0.08 * result + r.normal() * 0.4, 0.5, 4)),
        inwoners: m.inhabitants,
        uitkeringen: benefits,
        budget: round1((benefits * price) / (1 - result / 100) / 1_000_000),
      },
      measuresByYear: { '0': byYear },
      selectionReason: `Meerjarig ${m.group} op de gebundelde uitkering (gemiddeld ${decimal(Math.abs(result))}% over 2019–2023); ${m.sizeClass} inwoners, regio ${m.region}${m.gr ? `, uitvoering via ${m.gr}` : ''}.`,
      raters: RATERS.map(email),
    });

    // The case's "true" favourability per condition: the group shows most on the key conditions.
    const quality = r.normal() * 0.35;
    const fav: Record<string, number> = {};
    for (const code of ratable) {
      const weight = KEY.has(code) ? 1 : CONTEXT.has(code) ? 0.6 : 0.35;
      fav[code] = clamp(Math.round(3 + g * weight + quality + r.normal() * 0.75), 1, 5);
    }
    // Inside a joint service, deficits are usually shared: little room to steer on one's own result.
    if (m.gr) fav['4.c.III'] = m.group === 'overschot' ? 3 : 2;
    for (const d of DOCUMENTS.filter((d) => d.municipality === i)) {
      Object.assign(fav, d.favourability);
      plan.documents.push({ ...d, caseKey: key });
    }

    // Interviews: a conversation per type, held within a few weeks; later cases are still in the field.
    const types: InterviewType['id'][] = ['bestuur', ...(i % 4 === 0 ? (['secretaris'] as const) : []), 'management', ...(i % 3 !== 2 ? (['teamleider'] as const) : []), 'uitvoering'];
    let date = addDays('2025-02-10', i * 24);
    const statements: NoteStatement[] = [];
    const interviewerPairs: Person[][] = [['lead', 'rater1'], ['rater1', 'rater2'], ['lead', 'rater2']];
    types.forEach((typeId, n) => {
      const type = INTERVIEW_TYPES.find((t) => t.id === typeId)!;
      const ivKey = `${key}-${n + 1}`;
      const status =
        i === 12 && n === types.length - 1 ? 'sent' : i === 13 && n === types.length - 1 ? 'drafted' : i === 14 && n === types.length - 2 ? 'sent' : i === 14 && n === types.length - 1 ? 'held' : 'approved';
      const participants = r.int(type.participants[0], type.participants[1]);
      const who = type.who[Math.min(participants, type.who.length) - 1] || type.who[type.who.length - 1]!;
      const interviewers = interviewerPairs[(i + n) % 3]!;
      const codes = r
        .shuffle(type.pool)
        .slice(0, r.int(5, 7))
        .sort((a, b) => SECTION_ORDER.indexOf(sectionOf(a)) - SECTION_ORDER.indexOf(sectionOf(b)) || ratable.indexOf(a) - ratable.indexOf(b));
      const lines: string[] = [];
      const org = m.gr && typeId !== 'bestuur' && typeId !== 'secretaris' ? m.gr : `de gemeente ${m.name}`;
      lines.push(`**${type.title}**, ${dutchDate(date)}`, '', `- **Aanwezig:** ${who} van ${org}`, `- **Interviewers:** ${interviewers.map(nameOf).join(' en ')}`, '');
      let opening = r.pick(type.opening);
      if (n === 0) {
        opening += ` ${m.name} telt ongeveer ${thousands(m.inhabitants)} inwoners; de Participatiewet wordt uitgevoerd door ${m.gr ?? 'de eigen afdeling Werk en Inkomen'}. Over 2019–2023 had de gemeente gemiddeld een ${m.group} van ${decimal(Math.abs(result))} procent op de gebundelde uitkering.`;
      }
      lines.push(opening);
      let section = '';
      const said: NoteStatement[] = [];
      for (const code of codes) {
        if (sectionOf(code) !== section) {
          section = sectionOf(code);
          lines.push('', `### ${section}`, '');
        }
        const variants = STATEMENTS[code]![bandOf(fav[code]!)];
        const text = variants[(i + n) % variants.length]!;
        lines.push(`- ${text}`);
        said.push({ code, text, interviewKey: ivKey, title: type.title, ref: type.ref, date });
      }
      const tone = said.reduce((sum, s) => sum + fav[s.code]!, 0) / said.length;
      const quote = r.pick(type.quotes[tone > 3.1 || (tone >= 2.9 && g > 0) ? 'high' : 'low']);
      lines.push('', `> „${quote}”`, '', `**Vervolg:** ${r.pick(FOLLOW_UPS)}`);
      if (status === 'held') lines.push('', '*Uitwerking van de aantekeningen; nog niet ter accordering verstuurd.*');
      interviews.push({
        key: ivKey, case: key, date, roles: type.roles, participants, interviewers: interviewers.map(email), status, notes: lines.join('\n'), conditions: codes,
      });
      statements.push(...said);
      // Two or three quotes from the notes become evidence.
      for (const s of r.shuffle(said).slice(0, said.length >= 7 ? 3 : 2)) {
        const related = RELATED[s.code];
        const withRelated = related && ratable.includes(related) && r.next() < 0.35;
        for (const code of withRelated ? [s.code, related] : [s.code]) {
          evidence.push({ case: key, condition: code, source: ivKey, quote: s.text, locator: `verslag, ${sectionOf(s.code).toLowerCase()}` });
        }
      }
      date = addDays(date, r.int(2, 6));
    });
    if (i === 13 || i === 14) {
      const planned = i === 13 ? '2026-03-24' : '2026-04-07';
      interviews.push({
        key: `${key}-${types.length + 1}`, case: key, date: planned, roles: ['Beleidsmedewerker'], participants: 1, interviewers: [email('lead')], status: 'planned',
        notes: `**Aanvullend gesprek** met een beleidsadviseur van ${m.name} (gepland).\n\nTe bespreken:\n\n- de cijfers over 2024 en de prognose voor 2025;\n- de afspraken met ${m.gr ?? 'de uitvoering'} over sturingsinformatie;\n- openstaande vragen uit het groepsgesprek.`,
        conditions: ['3.o', '4.c.II'],
      });
    }

    // Two raters: mostly equal, some one point apart, a few two or more, some "cannot judge".
    const stage = CASE_STAGE(i);
    const scores: Record<string, [Score, Score]> = {};
    for (const code of ratable) {
      const truth = raw(code, fav[code]!);
      const u = r.next();
      const p = HARD.has(code) ? { equal: 0.5, minor: 0.28, major: 0.08, partly: 0.1 } : { equal: 0.72, minor: 0.2, major: 0.045, partly: 0.035 };
      const deviant = r.next() < 0.5 ? 0 : 1;
      const pair: [Score, Score] = [truth, truth];
      if (u < p.equal) {
        // agreed
      } else if (u < p.equal + p.minor + p.major) {
        const size = u < p.equal + p.minor ? 1 : 2;
        // The second rater is a little stricter.
        let direction = r.next() < (deviant === 1 ? 0.6 : 0.45) ? -1 : 1;
        if (truth + direction * size < 1 || truth + direction * size > 5) direction = -direction;
        pair[deviant] = truth + direction * size;
      } else if (u < p.equal + p.minor + p.major + p.partly) {
        pair[deviant] = null;
      } else {
        pair[0] = null;
        pair[1] = null;
      }
      scores[code] = pair;
    }
    const firstSaid = (code: string) => statements.find((s) => s.code === code);
    const documentOn = (code: string) => plan.documents.find((d) => d.caseKey === key && d.evidence.some((e) => e.conditions.includes(code)));
    RATERS.forEach((rater, k) => {
      const complete = stage !== 'rating' || k === 0;
      const codes = complete ? ratable : ratable.slice(0, Math.round(ratable.length * 0.6));
      const items = codes.map((code): PlannedRating => {
        const score = scores[code]![k]!;
        if (score === null) return { code, score: 'cannot-judge', reason: r.pick(CANNOT_JUDGE_REASONS), rationale: '', evidence: 'none' };
        const s = firstSaid(code);
        const doc = documentOn(code);
        // The two raters put what they read in their own words.
        let text: string;
        if (s) text = k === 0 ? `${s.text} _(${lowerFirst(s.title)}, ${dutchDate(s.date)})_` : `Uit het verslag van ${s.ref}: ${s.text}`;
        else if (doc) text = `Uit „${doc.title}”: ${doc.evidence.find((e) => e.conditions.includes(code))!.quote}`;
        else text = r.pick(GENERIC_RATIONALES);
        if (s && doc) text += ` Zie ook „${doc.title}”.`;
        return { code, score, reason: '', rationale: `**${SCORE_LABELS[score]}** ${text}`, evidence: s || doc ? (k === 0 ? 'all' : 'first') : 'none' };
      });
      plan.ratings.push({ caseKey: key, rater, items, submit: complete });
    });

    // Reconciliation of the cases whose raters both submitted.
    if (stage === 'rating') return;
    const queued = ratable
      .map((code) => {
        const [a, b] = scores[code]!;
        const judged = [a, b].filter((x): x is number => x !== null);
        const partly = judged.length === 1;
        const difference = judged.length === 2 ? Math.abs(judged[0]! - judged[1]!) : 0;
        const kind = partly ? 'partly' : difference >= 2 ? 'major' : difference === 1 ? 'minor' : 'agreed';
        return { code, a, b, kind, truth: raw(code, fav[code]!) };
      })
      .filter((q) => q.kind !== 'agreed');
    const decideAll = stage === 'signed-off' || stage === 'reconciled';
    const decidedScore = (q: (typeof queued)[number]): Score => {
      if (q.kind === 'partly') return r.next() < 0.2 ? null : (q.a ?? q.b);
      if (q.kind === 'major' && r.next() < 0.25) return Math.round((q.a! + q.b!) / 2);
      return q.truth;
    };
    const noteFor = (q: (typeof queued)[number], score: Score) =>
      fill(r.pick(score === null ? RECONCILE_NOTES.none : q.kind === 'partly' ? RECONCILE_NOTES.partly : q.kind === 'major' ? RECONCILE_NOTES.major : RECONCILE_NOTES.minor), { score });
    const bulkHere = i === 7;
    const decided = new Map<string, Score>();
    for (const q of [...queued].sort((x, y) => Number(y.kind === 'major') - Number(x.kind === 'major'))) {
      const decide = stage !== 'submitted' && (q.kind !== 'minor' || (decideAll && !bulkHere));
      if (!decide) continue;
      const score = decidedScore(q);
      decided.set(q.code, score);
      plan.decisions.push({ caseKey: key, code: q.code, score, note: noteFor(q, score) });
    }
    if (bulkHere) plan.bulk.push({ caseKey: key, rule: 'lower', expected: queued.filter((q) => q.kind === 'minor').length });

    // A few threads: raters explain their scores, the lead closes most of them.
    const threadAt = { 1: 0, 3: 0, 8: 2, 9: 1 } as Record<number, number>;
    if (i in threadAt) {
      const which = threadAt[i]!;
      const open = which === 2;
      const item = queued.find((q) => q.kind !== 'partly' && (open ? !decided.has(q.code) : decided.has(q.code)));
      if (item) {
        const texts = THREADS[which]!;
        const values = { a: item.a, b: item.b, final: decided.get(item.code) ?? null };
        const authors: Person[] = ['rater1', 'rater2', 'lead'];
        plan.threads.push({ caseKey: key, code: item.code, messages: texts.map((t, j) => ({ author: authors[j]!, body: fill(t, values) })) });
      }
    }
    if (stage === 'signed-off') {
      plan.signOffs.push(key);
      if (i === 4) {
        const item = queued.find((q) => q.kind !== 'partly' && decided.get(q.code) !== null && (q.a !== decided.get(q.code) || q.b !== decided.get(q.code)));
        if (item) {
          const score = item.a === decided.get(item.code) ? item.b : item.a;
          plan.afterSignOff.push({ caseKey: key, code: item.code, score, note: fill(RECONCILE_NOTES.changed[0]!, { score }) });
        }
      }
    }
    if (i <= 11) {
      const keyCodes = [...KEY].filter((c) => ratable.includes(c));
      const alignment = g * (keyCodes.reduce((s, c) => s + fav[c]!, 0) / keyCodes.length - 3);
      analysisInputs.push({ caseKey: key, index: i, alignment, favourability: fav, result });
    }
  });

  // Complexity reduction (method 2, substantive grounds): the condition leaves the analysis views.
  plan.reductions.push({
    code: '3.y',
    method: 2,
    reason: 'In de meeste casussen was nauwelijks informatie over middelen uit aanpalende domeinen; in overleg met de begeleidingscommissie buiten de analyse gelaten.',
  });

  // Explanation degrees: the cases whose key conditions fit their outcome best are explained best.
  const degrees: ExplanationDegree[] = ['good', 'good', 'good', 'fair', 'fair', 'fair', 'fair', 'fair', 'limited', 'limited', 'limited', 'hardly'];
  const ranked = [...analysisInputs].sort((a, b) => b.alignment - a.alignment);
  for (const a of analysisInputs) {
    const m = MUNICIPALITIES[a.index]!;
    const degree = degrees[ranked.indexOf(a)]!;
    // The three most and least favourable conditions; among equals the key conditions come first.
    const candidates = ratable.filter((c) => !plan.reductions.some((red) => red.code === c));
    const order = (sign: number) => (x: string, y: string) =>
      sign * (a.favourability[y]! - a.favourability[x]!) || Number(KEY.has(y)) - Number(KEY.has(x)) || ratable.indexOf(x) - ratable.indexOf(y);
    const named = (codes: string[]) => listNl(codes.map((c) => `${lowerFirst(conditionName.get(c)!)} (${c})`));
    const strong = named([...candidates].sort(order(1)).slice(0, 3));
    const weak = named([...candidates].sort(order(-1)).slice(0, 3));
    const explained =
      m.group === 'overschot'
        ? `Het overschot hangt vooral samen met ${strong}. Minder sterk ontwikkeld zijn ${weak}.`
        : `Het tekort hangt vooral samen met ${weak}. Relatief het sterkst zijn ${strong}.`;
    const caveat = m.gr ? fill(CAVEATS.gr, { gr: m.gr }) : CAVEATS.other[a.index % CAVEATS.other.length]!;
    plan.analyses.push({
      caseKey: a.caseKey,
      degree,
      narrative: `${m.name} had over 2019–2023 gemiddeld een ${m.group} van ${decimal(Math.abs(a.result))} procent op de gebundelde uitkering. ${DEGREE_SENTENCES[degree]}\n\n${explained}\n\n${caveat}`,
    });
  }

  for (const d of plan.documents) {
    for (const e of d.evidence) for (const code of e.conditions) if (!ratable.includes(code)) throw new Error(`demo document evidence on unknown condition ${code}`);
  }

  const doc: StudyFileInput = {
    format: 'kader.study',
    version: 1,
    study: { title: DEMO_TITLE, question: template.study.question, language: 'nl' },
    framework: template.framework,
    roles: template.roles,
    questions: template.questions,
    members: DEMO_PEOPLE.map((p) => ({ email: p.email, name: p.name, role: p.role })),
    cases,
    interviews,
    evidence,
  };
  return { doc, ...plan };
}
