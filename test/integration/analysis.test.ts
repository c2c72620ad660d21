// Analysis end to end on real repositories: a small study worked out by hand (classes, verdicts,
// level pairs, totals, distinguishing power, groups, correlations), the published Atlas 2017 numbers,
// reductions and case analyses written through the service and the study file, the statement count
// of model(), and `kader analysis` as an operator runs it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { openDb } from '../../server/lib/db.ts';
import { migrate } from '../../server/lib/migrate.ts';
import { FormRefusal, HttpError } from '../../server/lib/errors.ts';
import { createServices, type Services } from '../../server/services.ts';
import type { StudyFileInput } from '../../server/studyfile/studyfile.schema.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { tempDir, testApp } from '../helpers/app.ts';
import { kader, ROOT } from '../helpers/processes.ts';

const ATLAS = path.resolve(ROOT, '../shared/fixtures/atlas-2017-scores.json');
const LEAD = 'lead@example.org';
const A = 'a@example.org';
const B = 'b@example.org';

async function importDoc(services: Services, doc: StudyFileInput): Promise<number> {
  const result = validateStudyFile(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
  return (await services.studyFile.importer.run(result.doc, { owner: null, actorId: null })).studyId;
}

const both = (a: number | null, b: number | null = a) => ({ [A]: a, [B]: b });

/**
 * Four cases, scale 1–5, relative classes. Conditions: 0 (level 0, measured), 1.a (level 1),
 * 2.a (level 2, LOWER is favourable), 2.b (level 2), 2.c (level 2, dropped by method 1).
 * Grouping G1 = 2.a + 2.b; 2.a has a method-3 decision, so it stays and G1 is active.
 *
 * Final scores (raw) and favourability f:
 *          1.a      2.a (f = 6 − s)               2.b   0 (measure)   group     degree
 *   c1     2        5 → f 1                        3     −2            deficit   good
 *   c2     4        3 → f 3                        3      5            deficit   —
 *   c3     4        1/3 reconciled to 2 → f 4      3     12            surplus   hardly
 *   c4     5        1/4 open → no value            3    −10            surplus   —
 *
 * Classes (rank, p = (r − 0.5)/n):
 *   1.a f 2,4,4,5: ranks 1, 2.5, 2.5, 4 → p .125 low, .5 medium, .5 medium, .875 high
 *   2.a f 1,3,4 (n = 3): p 1/6 low, 1/2 medium, 5/6 high; c4 none
 *   2.b all 3 → every case medium
 *   0   −2, 5, 12, −10: c4 rank 1 p .125 low, c1 .375 medium, c2 .625 medium, c3 .875 high
 *
 * Relations (2.c → 1.a leaves with 2.c; 0 → 2.b is a feedback relation: a verdict, but no level pair):
 *             R1 2.a→1.a   R2 2.b→1.a   R3 1.a→0    R4 2.b→0    R5 0→2.b
 *   c1        low/low A    med/low P    low/med P   med/med A   med/med A
 *   c2        A            A            A           A           A
 *   c3        high/med P   med/med A    med/high P  med/high P  high/med P
 *   c4        —/high U?    med/high P   high/low X  med/low P   low/med P
 *   (A applies, P possibly, X unlikely, U? unknown)
 *
 * Level pairs, s = (A + P/2) / (relations with a verdict ≠ unknown):
 *   c1: 1→0 [P] .5 fair; 2→0 [A] 1 good; 2→1 [A, P] .75 good
 *   c2: all 1 good
 *   c3: 1→0 [P] .5 fair; 2→0 [P] .5 fair; 2→1 [P, A] .75 good
 *   c4: 1→0 [X] 0 hardly; 2→0 [P] .5 fair; 2→1 [U?, P] .5/1 = .5 fair (2 relations)
 *
 * Totals over 1.a, 2.a, 2.b (favourability): c1 2+1+3 = 6 (mean 2); c2 4+3+3 = 10 (10/3);
 * c3 4+4+3 = 11 (11/3); c4 5+3 = 8, n 2 (mean 4).
 */
function handWorked(): StudyFileInput {
  const condition = (code: string, level: number, extra: object = {}) => ({
    code, level, name: `Condition ${code}`, polarity: 'higher-is-favourable' as const, kind: 'rated' as const, ...extra,
  });
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'Hand-worked analysis', language: 'en' },
    framework: {
      levels: [0, 1, 2].map((number) => ({ number, name: `Level ${number}` })),
      conditions: [
        condition('0', 0, { kind: 'measured' }),
        condition('1.a', 1),
        condition('2.a', 2, { polarity: 'lower-is-favourable' }),
        condition('2.b', 2),
        condition('2.c', 2),
      ],
      relations: [
        { from: '2.a', to: '1.a' },
        { from: '2.c', to: '1.a' },
        { from: '2.b', to: '1.a' },
        { from: '1.a', to: '0' },
        { from: '2.b', to: '0' },
        { from: '0', to: '2.b', feedback: true },
      ],
      groupings: [{ key: 'G1', name: 'Gate', members: ['2.a', '2.b'] }],
    },
    members: [
      { email: LEAD, name: 'Lead', role: 'lead' },
      { email: A, name: 'A', role: 'researcher' },
      { email: B, name: 'B', role: 'researcher' },
    ],
    cases: [
      { key: 'c1', name: 'Case One', group: 'deficit', measures: { '0': -2, inw: 10 }, raters: [A, B] },
      { key: 'c2', name: 'Case Two', group: 'deficit', measures: { '0': 5, inw: 20 }, raters: [A, B] },
      { key: 'c3', name: 'Case Three', group: 'surplus', measures: { '0': 12 }, raters: [A, B] },
      { key: 'c4', name: 'Case Four', group: 'surplus', measures: { '0': -10 }, raters: [A, B] },
    ],
    ratings: (
      [
        ['c1', { '1.a': both(2), '2.a': both(5), '2.b': both(3), '2.c': both(1) }],
        ['c2', { '1.a': both(4), '2.a': both(3), '2.b': both(3), '2.c': both(5) }],
        ['c3', { '1.a': both(4), '2.a': both(1, 3), '2.b': both(3), '2.c': both(3) }],
        ['c4', { '1.a': both(5), '2.a': both(1, 4), '2.b': both(3), '2.c': both(2) }],
      ] as const
    ).flatMap(([c, scores]) =>
      Object.entries(scores).flatMap(([code, byRater]) => Object.entries(byRater).map(([rater, score]) => ({ case: c, condition: code, rater, score, submitted: true }))),
    ),
    reconciliations: [{ case: 'c3', condition: '2.a', score: 2, note: 'Settled in discussion.', by: LEAD }],
    reductions: [
      { condition: '2.c', method: 1, reason: 'Hardly varies in the pilot.', by: LEAD },
      { condition: '2.a', method: 3, reason: 'A form of the same gate as 2.b.', by: LEAD },
    ],
    caseAnalyses: [
      { case: 'c1', explanationDegree: 'good', narrative: 'Well explained.' },
      { case: 'c3', explanationDegree: 'hardly', narrative: 'Barely explained.' },
    ],
  };
}

const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

describe('analysis.service analysis (hand-worked study)', () => {
  it('gives the classes, verdicts, level pairs, totals, statistics and correlations worked out by hand', async () => {
    const { services } = testApp();
    const id = await importDoc(services, handWorked());
    const report = services.analysis.analysis(id);

    expect(report.study).toBe(id);
    expect(report.classification).toBe('relative');
    expect(report.cases).toEqual([
      { case: 'c1', total: { sum: 6, mean: 2, n: 3 }, classes: { '0': 'medium', '1.a': 'low', '2.a': 'low', '2.b': 'medium' }, explanationDegree: 'good' },
      { case: 'c2', total: { sum: 10, mean: 10 / 3, n: 3 }, classes: { '0': 'medium', '1.a': 'medium', '2.a': 'medium', '2.b': 'medium' }, explanationDegree: null },
      { case: 'c3', total: { sum: 11, mean: 11 / 3, n: 3 }, classes: { '0': 'high', '1.a': 'medium', '2.a': 'high', '2.b': 'medium' }, explanationDegree: 'hardly' },
      { case: 'c4', total: { sum: 8, mean: 4, n: 2 }, classes: { '0': 'low', '1.a': 'high', '2.b': 'medium' }, explanationDegree: null },
    ]);

    const R = [['2.a', '1.a'], ['2.b', '1.a'], ['1.a', '0'], ['2.b', '0'], ['0', '2.b']] as const;
    const verdicts = {
      c1: ['applies', 'possibly', 'possibly', 'applies', 'applies'],
      c2: ['applies', 'applies', 'applies', 'applies', 'applies'],
      c3: ['possibly', 'applies', 'possibly', 'possibly', 'possibly'],
      c4: ['unknown', 'possibly', 'unlikely', 'possibly', 'possibly'],
    };
    expect(report.relations).toEqual(Object.entries(verdicts).flatMap(([c, vs]) => vs.map((verdict, i) => ({ case: c, from: R[i]![0], to: R[i]![1], verdict }))));

    const pair = (c: string, from: number, to: number, relations: number, strength: number | null, label: string | null) => ({ case: c, from, to, relations, strength, label });
    expect(report.levelPairs).toEqual([
      pair('c1', 1, 0, 1, 0.5, 'fair'), pair('c1', 2, 0, 1, 1, 'good'), pair('c1', 2, 1, 2, 0.75, 'good'),
      pair('c2', 1, 0, 1, 1, 'good'), pair('c2', 2, 0, 1, 1, 'good'), pair('c2', 2, 1, 2, 1, 'good'),
      pair('c3', 1, 0, 1, 0.5, 'fair'), pair('c3', 2, 0, 1, 0.5, 'fair'), pair('c3', 2, 1, 2, 0.75, 'good'),
      pair('c4', 1, 0, 1, 0, 'hardly'), pair('c4', 2, 0, 1, 0.5, 'fair'), pair('c4', 2, 1, 2, 0.5, 'fair'),
    ]);

    // Statistics of favourability. 0: mean 5/4, squared deviations 10.5625 + 14.0625 + 115.5625 + 126.5625 = 266.75, sd sqrt(266.75/3).
    // 1.a: mean 15/4; deviations −1.75, .25, .25, 1.25 → 4.75, sd sqrt(4.75/3). 2.a: 1, 3, 4 → mean 8/3, sd sqrt((25+1+16)/9/2) = sqrt(7/3).
    const byCondition = Object.fromEntries(report.conditions.map((c) => [c.condition, c]));
    expect(report.conditions.map((c) => c.condition)).toEqual(['0', '1.a', '2.a', '2.b']);
    expect(byCondition['0']).toMatchObject({ n: 4, mean: 1.25, distinguishing: null, groups: { deficit: { n: 2, mean: 1.5 }, surplus: { n: 2, mean: 1 } } });
    expect(byCondition['0']!.sd).toBeCloseTo(Math.sqrt(266.75 / 3), 12);
    expect(byCondition['1.a']).toMatchObject({ n: 4, mean: 3.75, distinguishing: 'yes', groups: { deficit: { n: 2, mean: 3 }, surplus: { n: 2, mean: 4.5 } } });
    expect(byCondition['1.a']!.sd).toBeCloseTo(Math.sqrt(4.75 / 3), 12);
    expect(byCondition['2.a']).toMatchObject({ n: 3, distinguishing: 'yes', groups: { deficit: { n: 2, mean: 2 }, surplus: { n: 1, mean: 4 } } });
    expect(byCondition['2.a']!.mean).toBeCloseTo(8 / 3, 12);
    expect(byCondition['2.a']!.sd).toBeCloseTo(Math.sqrt(7 / 3), 12);
    expect(byCondition['2.b']).toEqual({ condition: '2.b', n: 4, mean: 3, sd: 0, distinguishing: 'none', groups: { deficit: { n: 2, mean: 3 }, surplus: { n: 2, mean: 3 } } });

    // Correlations with measure 0 (inw has only two cases: omitted).
    // total (mean) 2, 10/3, 11/3, 4 vs −2, 5, 12, −10: in twelfths dx −15, 1, 5, 9; dy (quarters) −13, 15, 43, −45;
    //   Sxy = (195 + 15 + 215 − 405)/48 = 5/12; Sxx = 332/144; Syy = 4268/16; r = 5/sqrt(88561) = 0.016802.
    //   Ranks x 1,2,3,4 and y 2,3,4,1: Σd² = 12, ρ = 1 − 72/60 = −0.2.
    // 1.a 2,4,4,5 vs 0: Sxy = 5.6875 + .9375 + 2.6875 − 14.0625 = −4.75, r = −4.75/sqrt(4.75 · 266.75);
    //   ranks 1, 2.5, 2.5, 4 vs 2, 3, 4, 1: Sxy = −1.5, Sxx = 4.5, Syy = 5, ρ = −1.5/sqrt(22.5).
    // 2.a 1,3,4 vs −2,5,12 (c1–c3): dx −5/3, 1/3, 4/3; dy −7, 0, 7: Sxy = 21, Sxx = 14/3, Syy = 98; ρ = 1.
    // 2.b does not vary: both null.
    const corr = Object.fromEntries(report.correlations.map((c) => [`${c.x}~${c.y}`, c]));
    expect(Object.keys(corr)).toEqual(['total~0', '1.a~0', '2.a~0', '2.b~0']);
    expect(corr['total~0']!.n).toBe(4);
    expect(corr['total~0']!.pearson).toBeCloseTo(5 / Math.sqrt(88561), 12);
    expect(corr['total~0']!.spearman).toBeCloseTo(-0.2, 12);
    expect(corr['1.a~0']!.pearson).toBeCloseTo(-4.75 / Math.sqrt(4.75 * 266.75), 12);
    expect(corr['1.a~0']!.spearman).toBeCloseTo(-1.5 / Math.sqrt(22.5), 12);
    expect(corr['2.a~0']).toMatchObject({ n: 3, spearman: 1 });
    expect(corr['2.a~0']!.pearson).toBeCloseTo(21 / Math.sqrt((14 / 3) * 98), 12);
    expect(corr['2.b~0']).toEqual({ x: '2.b', y: '0', n: 4, pearson: null, spearman: null });
  });

  it('model(): final values and their source, open items, groupings, robustness without hardly-explained cases, skip level 1', async () => {
    const { services } = testApp();
    const id = await importDoc(services, handWorked());
    const m = services.analysis.model(id);

    expect(m.conditions.map((c) => c.code)).toEqual(['0', '1.a', '2.a', '2.b']);
    expect(m.excluded).toEqual({ dropped: ['2.c'], withSubConditions: [] });
    expect(m.conditions.find((c) => c.code === '2.a')!.reduction).toMatchObject({ method: 3, decidedByEmail: LEAD });
    expect(m.cells.c3!['2.a']).toEqual({ raw: 2, favourability: 4, class: 'high', source: 'reconciled' });
    expect(m.cells.c1!['2.a']).toEqual({ raw: 5, favourability: 1, class: 'low', source: 'agreed' });
    expect(m.cells.c4!['0']).toEqual({ raw: -10, favourability: -10, class: 'low', source: 'measured' });
    expect(m.cells.c4!['2.a']).toBeUndefined();
    expect(m.cases.map((c) => [c.key, c.ready, c.open])).toEqual([['c1', true, []], ['c2', true, []], ['c3', true, []], ['c4', true, ['2.a']]]);
    expect(m.cases[0]).toMatchObject({ name: 'Case One', group: 'deficit', measures: { '0': -2, inw: 10 }, explanationDegree: 'good', narrative: 'Well explained.' });
    expect(m.outcomeGroups).toEqual(['deficit', 'surplus']);
    expect(m.measures).toEqual(['0', 'inw']);

    // 1.a groups: deficit 2, 4 → 3; surplus 4, 5 → 4.5; difference 1.5. Without c3 (hardly): 2, 4, 5 → n 3, mean 11/3,
    // surplus only c4 → 5, difference 5 − 3 = 2.
    const a = m.conditionStats.find((s) => s.condition === '1.a')!;
    expect(a.difference).toEqual({ high: 'surplus', low: 'deficit', value: 1.5 });
    expect(a.withoutHardly).toMatchObject({ n: 3, groups: { deficit: { n: 2, mean: 3 }, surplus: { n: 1, mean: 5 } }, difference: { high: 'surplus', low: 'deficit', value: 2 } });
    expect(a.withoutHardly.mean).toBeCloseTo(11 / 3, 12);
    // 2.b: equal group means, difference 0 (first group high, last low).
    expect(m.conditionStats.find((s) => s.condition === '2.b')!.difference).toEqual({ high: 'deficit', low: 'surplus', value: 0 });

    // G1 = mean of 2.a and 2.b favourability: c1 (1 + 3)/2 = 2, c2 3, c3 (4 + 3)/2 = 3.5, c4 only 2.b = 3.
    // n 4, mean 11.5/4 = 2.875, spread 1.5 → yes.
    const g = m.groupings[0]!;
    expect(g).toMatchObject({ key: 'G1', members: ['2.a', '2.b'], active: true, values: { c1: 2, c2: 3, c3: 3.5, c4: 3 } });
    expect(g.stats).toMatchObject({ n: 4, mean: 2.875, distinguishing: 'yes' });
    expect(g.stats.sd).toBeCloseTo(sd([2, 3, 3.5, 3]), 12);

    // Skip level 1: 2.a → 1.a → 0 and 2.b → 1.a → 0 (2.b → 0 also exists directly).
    // c1: 2.a low vs 0 medium possibly, 2.b medium vs medium applies → (1 + .5)/2 = .75 good
    // c3: 2.a high vs high applies, 2.b medium vs high possibly → .75; c4: 2.a unknown, 2.b medium vs low possibly → .5 fair
    expect(m.skipLevel1.chains).toEqual([
      { from: '2.a', to: '0', via: ['1.a'], direct: false },
      { from: '2.b', to: '0', via: ['1.a'], direct: true },
    ]);
    expect(m.skipLevel1.verdicts.map((v) => `${v.case}:${v.from}:${v.verdict}`)).toEqual([
      'c1:2.a:possibly', 'c1:2.b:applies', 'c2:2.a:applies', 'c2:2.b:applies', 'c3:2.a:applies', 'c3:2.b:possibly', 'c4:2.a:unknown', 'c4:2.b:possibly',
    ]);
    expect(m.skipLevel1.levelPairs.map((p) => [p.case, p.from, p.to, p.strength, p.label])).toEqual([
      ['c1', 2, 0, 0.75, 'good'], ['c2', 2, 0, 1, 'good'], ['c3', 2, 0, 0.75, 'good'], ['c4', 2, 0, 0.5, 'fair'],
    ]);
    // The suggestion over all forward relations R1–R4: c1 A P P A → 3/4 good; c4 U P X P → 1/3 limited.
    expect(m.cases[0]!.suggestion).toEqual({ strength: 0.75, label: 'good' });
    expect(m.cases[3]!.suggestion).toEqual({ strength: 1 / 3, label: 'limited' });
    expect(m.reductions.map((r) => [r.condition, r.method])).toEqual([['2.a', 3], ['2.c', 1]]);
  });

  it('absolute classification classes rated conditions by the scale and measured ones relatively', async () => {
    const { services } = testApp();
    const doc = handWorked();
    doc.study.settings = { classification: 'absolute' };
    const id = await importDoc(services, doc);
    const classes = Object.fromEntries(services.analysis.analysis(id).cases.map((c) => [c.case, c.classes]));
    // 1.a 2, 4, 4, 5 → low, high, high, high; 2.a f 1, 3, 4 → low, medium, high; 2.b 3 → medium; 0 as before.
    expect(classes).toEqual({
      c1: { '0': 'medium', '1.a': 'low', '2.a': 'low', '2.b': 'medium' },
      c2: { '0': 'medium', '1.a': 'high', '2.a': 'medium', '2.b': 'medium' },
      c3: { '0': 'high', '1.a': 'high', '2.a': 'high', '2.b': 'medium' },
      c4: { '0': 'low', '1.a': 'high', '2.b': 'medium' },
    });
  });

  it('leaves out conditions with sub-conditions and cases whose raters have not all submitted', async () => {
    const { services } = testApp();
    const doc = handWorked();
    doc.framework.conditions!.push(
      { code: 'P', level: 2, name: 'Parent', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: 'P.1', level: 2, name: 'Child', polarity: 'higher-is-favourable', kind: 'rated', parent: 'P' },
    );
    doc.framework.relations!.push({ from: 'P', to: '1.a' });
    // c4's rater B has only a draft: no final score of c4 is read, measures still are.
    doc.ratings = doc.ratings!.map((r) => (r.case === 'c4' && r.rater === B ? { ...r, submitted: false } : r));
    const id = await importDoc(services, doc);
    const m = services.analysis.model(id);
    expect(m.conditions.map((c) => c.code)).toEqual(['0', '1.a', '2.a', '2.b', 'P.1']);
    expect(m.excluded.withSubConditions).toEqual(['P']);
    expect(m.relations.some((r) => r.from === 'P')).toBe(false);
    expect(m.cases[3]).toMatchObject({ key: 'c4', ready: false, total: { sum: 0, mean: null, n: 0 } });
    expect(m.cells.c4).toEqual({ '0': { raw: -10, favourability: -10, class: 'low', source: 'measured' } });
  });
});

describe('analysis.service writes', () => {
  async function setUp() {
    const ctx = testApp({ clock: () => new Date('2024-03-01T10:00:00.000Z') });
    const id = await importDoc(ctx.services, handWorked());
    const leadId = ctx.services.repos.users.findByEmail(LEAD)!.id;
    const audit = () => ctx.db.prepare('SELECT action, entity, before, after FROM audit_log WHERE study_id = ? AND action <> ? ORDER BY id').all(id, 'import') as { action: string; before: string | null; after: string | null }[];
    return { ...ctx, id, leadId, audit };
  }

  it('setCaseAnalysis records the degree and narrative with an audit entry; the analysis shows them', async () => {
    const { services, id, leadId, audit } = await setUp();
    services.analysis.setCaseAnalysis(id, 'c2', leadId, { explanationDegree: 'fair', narrative: 'Mostly *explained*.' });
    services.analysis.setCaseAnalysis(id, 'c1', leadId, { explanationDegree: null, narrative: 'Still thinking.' });
    const m = services.analysis.model(id);
    expect(m.cases.map((c) => c.explanationDegree)).toEqual([null, 'fair', 'hardly', null]);
    expect(m.cases[1]).toMatchObject({ narrative: 'Mostly *explained*.', analysisUpdatedBy: 'Lead', analysisUpdatedAt: '2024-03-01T10:00:00.000Z' });
    const rows = audit();
    expect(rows.map((r) => r.action)).toEqual(['case-analysis', 'case-analysis']);
    expect(JSON.parse(rows[1]!.before!)).toEqual({ case: 'c1', explanationDegree: 'good', narrative: 'Well explained.' });
    expect(JSON.parse(rows[1]!.after!)).toEqual({ case: 'c1', explanationDegree: null, narrative: 'Still thinking.' });
  });

  it('refuses an unknown degree, an unknown case and an unknown study', async () => {
    const { services, id, leadId } = await setUp();
    expect(() => services.analysis.setCaseAnalysis(id, 'c1', leadId, { explanationDegree: 'excellent' as 'good', narrative: '' })).toThrow(FormRefusal);
    expect(() => services.analysis.setCaseAnalysis(id, 'nope', leadId, { explanationDegree: 'good', narrative: '' })).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => services.analysis.analysis(999)).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('decideReduction drops a condition (methods 1, 2, 4) and replaces an earlier decision; revertReduction brings it back; the log keeps all', async () => {
    const { services, id, leadId, audit } = await setUp();
    // 2.a: method 3 → method 2 (dropped now); 2.c: reverted → back in the analysis.
    services.analysis.decideReduction(id, '2.a', leadId, { method: 2, reason: '  Not a choice of the municipality.  ' });
    services.analysis.revertReduction(id, '2.c', leadId);
    const m = services.analysis.model(id);
    expect(m.conditions.map((c) => c.code)).toEqual(['0', '1.a', '2.b', '2.c']);
    expect(m.excluded.dropped).toEqual(['2.a']);
    expect(m.reductions.map((r) => [r.condition, r.method, r.reason])).toEqual([['2.a', 2, 'Not a choice of the municipality.']]);
    expect(m.reductionLog.map((r) => [r.condition, r.method, r.revertedAt !== null])).toEqual([['2.a', 2, false], ['2.a', 3, true], ['2.c', 1, true]]);
    // G1 no longer has a method-3 member; its combined row holds only 2.b.
    expect(m.groupings[0]).toMatchObject({ active: false, members: ['2.b'], values: { c1: 3, c2: 3, c3: 3, c4: 3 } });
    // 2.c is back: f 1, 5, 3, 2 → classes low, high, medium, medium (ranks 1, 4, 3, 2 → p .125, .875, .625, .375).
    expect(services.analysis.analysis(id).cases.map((c) => c.classes['2.c'])).toEqual(['low', 'high', 'medium', 'medium']);
    expect(audit().map((r) => [r.action, r.before && JSON.parse(r.before).method, r.after && JSON.parse(r.after).method])).toEqual([
      ['reduction', 3, 2],
      ['reduction-revert', 1, null],
    ]);
  });

  it('refuses method 3 outside a grouping, a bad method or reason, reverting nothing, and an unknown condition', async () => {
    const { services, id, leadId } = await setUp();
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof FormRefusal ? Object.entries(err.fields).map(([field, m]) => `${field}:${m.key}`) : err instanceof HttpError ? `${err.status}:${err.messageKey}` : err;
      }
      return 'accepted';
    };
    expect(refusal(() => services.analysis.decideReduction(id, '1.a', leadId, { method: 3, reason: 'x' }))).toEqual(['method:analysis.reduction.noGrouping']);
    expect(refusal(() => services.analysis.decideReduction(id, '1.a', leadId, { method: 5, reason: 'x' }))).toEqual(['method:analysis.reduction.methodInvalid']);
    expect(refusal(() => services.analysis.decideReduction(id, '1.a', leadId, { method: 1, reason: '   ' }))).toEqual(['reason:analysis.reduction.reasonRequired']);
    expect(refusal(() => services.analysis.revertReduction(id, '1.a', leadId))).toBe('409:analysis.reduction.noneActive');
    expect(refusal(() => services.analysis.decideReduction(id, 'nope', leadId, { method: 1, reason: 'x' }))).toBe('404:error.notFound');
    expect(services.analysis.model(id).reductionLog).toHaveLength(2);
  });
});

describe('analysis in the study file', () => {
  it('exports the active reductions and the case analyses and imports them back unchanged', async () => {
    const { services } = testApp();
    const id = await importDoc(services, handWorked());
    const leadId = services.repos.users.findByEmail(LEAD)!.id;
    services.analysis.revertReduction(id, '2.c', leadId);
    services.analysis.setCaseAnalysis(id, 'c2', leadId, { explanationDegree: null, narrative: '' });
    services.analysis.setCaseAnalysis(id, 'c4', leadId, { explanationDegree: null, narrative: 'Open question.' });
    const exported = services.studyFile.exporter.run(id, 'archive');
    expect(exported.reductions).toEqual([{ condition: '2.a', method: 3, reason: 'A form of the same gate as 2.b.', by: LEAD }]);
    expect(exported.caseAnalyses).toEqual([
      { case: 'c1', explanationDegree: 'good', narrative: 'Well explained.' },
      { case: 'c3', explanationDegree: 'hardly', narrative: 'Barely explained.' },
      { case: 'c4', narrative: 'Open question.' },
    ]);
    const again = await importDoc(services, exported);
    const back = services.studyFile.exporter.run(again, 'archive');
    expect(back.reductions).toEqual(exported.reductions);
    expect(back.caseAnalyses).toEqual(exported.caseAnalyses);
  });
});

describe('analysis.service model statement count', () => {
  it('loads with the same number of statements for 3 and 20 cases', async () => {
    const { services, counter } = testApp();
    const withCases = (n: number): StudyFileInput => {
      const doc = handWorked();
      const ratings = doc.ratings!.filter((r) => r.case === 'c1');
      doc.cases = Array.from({ length: n }, (_, i) => ({ key: `k${i}`, name: `Case ${i}`, group: i % 2 ? 'deficit' : 'surplus', measures: { '0': i * 1.5 - 7, inw: i }, raters: [A, B] }));
      doc.ratings = doc.cases.flatMap((c, i) => ratings.map((r) => ({ ...r, case: c.key, score: 1 + ((i + r.condition.length) % 5) })));
      doc.reconciliations = [];
      doc.caseAnalyses = [{ case: 'k1', explanationDegree: 'hardly' }];
      return doc;
    };
    const few = await importDoc(services, withCases(3));
    const many = await importDoc(services, withCases(20));
    // Each read once first: the framework is then cached for both (framework.repo.ts), as on a live site.
    services.analysis.model(few);
    services.analysis.model(many);
    counter.reset();
    services.analysis.model(few);
    const forFew = counter.count;
    counter.reset();
    const m = services.analysis.model(many);
    expect(m.cases).toHaveLength(20);
    expect(Object.keys(m.cells.k19!)).toEqual(['0', '1.a', '2.a', '2.b']);
    expect(counter.count).toBe(forFew);
    expect(forFew).toBeLessThanOrEqual(12);
  });
});

describe('analysis of the Atlas 2017 scores (seed 002, table 3.6)', () => {
  it('correlates the total with the herverdeeleffect at r = 0.842 and ρ = 0.859 (n = 16)', async () => {
    const { services } = testApp();
    const doc = JSON.parse(fs.readFileSync(ATLAS, 'utf8')) as StudyFileInput;
    const id = await importDoc(services, doc);
    const report = services.analysis.analysis(id);
    // Both raters carry the published final score on every item (no disagreement), so every score is final by agreement.
    expect(report.cases).toHaveLength(16);
    expect(report.cases.every((c) => c.total.n === 7)).toBe(true);
    expect(report.cases.find((c) => c.case === 'amstelveen')!.total).toEqual({ sum: 31, mean: 31 / 7, n: 7 });
    const c = report.correlations.find((x) => x.x === 'total' && x.y === '0')!;
    expect(c.n).toBe(16);
    expect(Number(c.pearson!.toFixed(3))).toBe(0.842);
    expect(Number(c.spearman!.toFixed(3))).toBe(0.859);
  });
});

describe('kader analysis', () => {
  it('prints the analysis as pretty JSON; an unknown study or format is an error on stderr', { timeout: 60_000 }, async () => {
    const DATA_DIR = tempDir();
    const config = loadConfig({ DATA_DIR });
    const db = openDb(config.dbFile);
    migrate(db);
    const services = createServices(db, () => new Date(), config);
    let id: number;
    try {
      id = await importDoc(services, handWorked());
    } finally {
      services.db.close();
    }
    const out = kader(['analysis', String(id)], { DATA_DIR });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.startsWith('{\n  "study": ')).toBe(true);
    const report = JSON.parse(out.stdout) as ReturnType<Services['analysis']['analysis']>;
    expect(Object.keys(report)).toEqual(['study', 'classification', 'cases', 'relations', 'levelPairs', 'conditions', 'correlations']);
    expect(report.cases[0]).toEqual({ case: 'c1', total: { sum: 6, mean: 2, n: 3 }, classes: { '0': 'medium', '1.a': 'low', '2.a': 'low', '2.b': 'medium' }, explanationDegree: 'good' });
    expect(kader(['analysis', String(id), '--format', 'json'], { DATA_DIR }).stdout).toBe(out.stdout);

    const unknown = kader(['analysis', '99'], { DATA_DIR });
    expect(unknown.status).not.toBe(0);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('There is no study 99');
    const badFormat = kader(['analysis', String(id), '--format', 'csv'], { DATA_DIR });
    expect(badFormat.status).not.toBe(0);
    expect(badFormat.stderr).toContain('--format must be json');
  });
});
