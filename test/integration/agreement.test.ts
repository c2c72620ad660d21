// Agreement: the page, the JSON and CSV downloads and the CLI, on ratings worked out by hand and on
// published examples (../shared/fixtures/agreement-fixtures.json). Only submitted scores of cases
// that are no longer blind count; a statistic that is undefined is n/a with its reason.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgreementReport } from '../../server/agreement/agreement.service.ts';
import { parseCsv } from '../../server/cases/cases.csv.ts';
import { loadConfig } from '../../server/config.ts';
import { openDb } from '../../server/lib/db.ts';
import { createServices, type Services } from '../../server/services.ts';
import type { StudyFileInput } from '../../server/studyfile/studyfile.schema.ts';
import { validateStudyFile } from '../../server/studyfile/studyfile.validate.ts';
import { loginAs, makeUser, tempDir, testApp } from '../helpers/app.ts';
import { kader, ROOT } from '../helpers/processes.ts';

const FIXTURES = path.resolve(ROOT, '../shared/fixtures');
const LEAD = 'lead@example.org';
const CSV_HEADER = 'scope,key,units,exact,within1,alpha_nominal,alpha_ordinal,alpha_interval,kappa_unweighted,kappa_linear,kappa_quadratic,note';

type Scores = Record<string, number | null>;
interface StudySpec {
  title?: string;
  scale?: { min: number; max: number };
  raters: string[];
  conditions: { code: string; level: number; name?: string; kind?: 'rated' | 'measured'; parent?: string }[];
  /** scores: condition code → rater email → score (null = cannot judge); `drafts`: raters whose ratings of the case are not submitted. */
  cases: { key: string; name?: string; scores: Record<string, Scores>; drafts?: string[] }[];
}

function studyFile(spec: StudySpec): StudyFileInput {
  const levels = [...new Set(spec.conditions.map((c) => c.level))].map((number) => ({ number, name: `Level ${number}` }));
  return {
    format: 'kader.study',
    version: 1,
    study: { title: spec.title ?? 'Agreement study', language: 'en', settings: { scale: spec.scale ?? { min: 1, max: 5 }, ratersPerCase: spec.raters.length, blindRating: true } },
    framework: {
      levels,
      conditions: spec.conditions.map((c) => ({
        code: c.code,
        level: c.level,
        name: c.name ?? `Condition ${c.code}`,
        polarity: 'higher-is-favourable' as const,
        kind: c.kind ?? ('rated' as const),
        ...(c.parent ? { parent: c.parent } : {}),
      })),
    },
    members: spec.raters.map((email) => ({ email, name: email.split('@')[0]!, role: 'researcher' as const })),
    cases: spec.cases.map((c) => ({ key: c.key, name: c.name ?? c.key, raters: spec.raters })),
    ratings: spec.cases.flatMap((c) =>
      Object.entries(c.scores).flatMap(([condition, byRater]) =>
        Object.entries(byRater).map(([rater, score]) => ({ case: c.key, condition, rater, score, submitted: !(c.drafts ?? []).includes(rater) })),
      ),
    ),
  };
}

async function importStudy(services: Services, spec: StudySpec, owner: number | null): Promise<number> {
  const result = validateStudyFile(studyFile(spec));
  if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
  return (await services.studyFile.importer.run(result.doc, { owner, actorId: null })).studyId;
}

async function setUp() {
  const ctx = testApp();
  const leadId = await makeUser(ctx.services, { email: LEAD });
  const lead = await loginAs(ctx.app, LEAD);
  return { ...ctx, leadId, lead };
}

const A = 'a@example.org';
const B = 'b@example.org';

/**
 * Two raters, scale 1–5. Units (case, condition) and the absolute differences of their two scores:
 *   c1·A 3/3 → 0   c1·B 2/4 → 2   c1·C 4/4 → 0   c2·A 5/4 → 1   c2·C 2/3 → 1
 * c2·B (1 / cannot judge) is not a unit. P has sub-conditions and M is measured: never counted.
 */
const KNOWN: StudySpec = {
  title: 'Known ratings',
  raters: [A, B],
  conditions: [
    { code: 'M', level: 0, kind: 'measured' },
    { code: 'A', level: 2, name: 'Enforcement' },
    { code: 'B', level: 2 },
    { code: 'C', level: 3 },
    { code: 'P', level: 3 },
    { code: 'P1', level: 3, parent: 'P' },
  ],
  cases: [
    { key: 'c1', name: 'Case One', scores: { A: { [A]: 3, [B]: 3 }, B: { [A]: 2, [B]: 4 }, C: { [A]: 4, [B]: 4 } } },
    { key: 'c2', name: 'Case Two', scores: { A: { [A]: 5, [B]: 4 }, B: { [A]: 1, [B]: null }, C: { [A]: 2, [B]: 3 } } },
  ],
};

/** Submitted scores for the parent P and the measured M of c1, straight into the table: they must not count. */
function addScoresThatDoNotCount(s: Services, studyId: number): void {
  const c1 = s.repos.cases.findByKey(studyId, 'c1')!;
  const conditionId = (code: string) => (s.db.prepare('SELECT id FROM conditions WHERE study_id = ? AND code = ?').get(studyId, code) as { id: number }).id;
  const now = new Date().toISOString();
  for (const code of ['P', 'M']) {
    for (const [email, score] of [[A, 1], [B, 5]] as const) {
      const raterId = s.repos.users.findByEmail(email)!.id;
      s.repos.ratings.insert({ caseId: c1.id, conditionId: conditionId(code), raterId, score, rationale: '', submittedAt: now, now });
    }
  }
}

describe('agreement.service on ratings worked out by hand', () => {
  it('gives percent agreement, alpha, kappa and the differences of the known ratings, per level, condition, case and rater pair', async () => {
    const { services, leadId } = await setUp();
    const id = await importStudy(services, KNOWN, leadId);
    addScoresThatDoNotCount(services, id);
    const r = services.agreement.agreement(id);

    expect(r.study).toBe(id);
    expect(r.scale).toEqual({ min: 1, max: 5 });
    // 5 pairs, differences 0, 2, 0, 1, 1: exact 2/5, within one point 4/5.
    expect(r.overall.units).toBe(5);
    expect(r.overall.exact).toBeCloseTo(0.4, 12);
    expect(r.overall.within1).toBeCloseTo(0.8, 12);
    expect(r.overall.reasons).toEqual({});
    // Pairable values 3,3 2,4 4,4 5,4 2,3: n = 10, n₂ = 2, n₃ = 3, n₄ = 4, n₅ = 1.
    // Nominal: D_o ∝ 2·3 disagreeing units = 6, D_e ∝ n² − Σn_c² = 100 − 30 = 70 → α = 1 − 9·6/70 = 16/70.
    expect(r.overall.alpha.nominal).toBeCloseTo(16 / 70, 12);
    // Ordinal δ²: (2,3) 2.5² (2,4) 6² (2,5) 8.5² (3,4) 3.5² (3,5) 6² (4,5) 2.5². Observed 2·(36 + 6.25 + 6.25) = 97;
    // expected 2·(6·6.25 + 8·36 + 2·72.25 + 12·12.25 + 3·36 + 4·6.25) = 1500 → α = 1 − 9·97/1500 = 627/1500.
    expect(r.overall.alpha.ordinal).toBeCloseTo(627 / 1500, 12);
    // Interval: observed 2·(4 + 1 + 1) = 12; expected 2·(6·1 + 8·4 + 2·9 + 12·1 + 3·4 + 4·1) = 168 → α = 1 − 9·12/168 = 60/168.
    expect(r.overall.alpha.interval).toBeCloseTo(60 / 168, 12);

    expect(r.differences).toEqual({ pairs: 5, counts: [2, 2, 1, 0, 0] });

    // Levels by number: level 2 = A and B (differences 0, 2, 1), level 3 = C (0, 1); P, P1 and M never count.
    expect(r.byLevel.map((g) => [g.level, g.units, g.exact, g.within1])).toEqual([
      [2, 3, 1 / 3, 2 / 3],
      [3, 2, 0.5, 1],
    ]);
    // Level 3: values 4,4 2,3 → n = 4, D_e ∝ 16 − (1 + 1 + 4) = 10, D_o ∝ 2 → nominal α = 1 − 3·2/10 = 0.4.
    expect(r.byLevel[1]!.alpha.nominal).toBeCloseTo(0.4, 12);
    expect(r.byCondition.map((g) => [g.condition, g.units, g.exact, g.within1])).toEqual([
      ['A', 2, 0.5, 1],
      ['B', 1, 0, 0],
      ['C', 2, 0.5, 1],
    ]);
    expect(r.byCase.map((g) => [g.case, g.units, g.exact, g.within1])).toEqual([
      ['c1', 3, 2 / 3, 2 / 3],
      ['c2', 2, 0, 1],
    ]);
    // c2: values 5,4 2,3 all different → nominal α = 1 − 3·4/12 = 0; interval: observed 2·(1 + 1) = 4,
    // expected 2·(1 + 4 + 9 + 1 + 4 + 1) = 40 → α = 1 − 3·4/40 = 0.7.
    expect(r.byCase[1]!.alpha.nominal).toBeCloseTo(0, 12);
    expect(r.byCase[1]!.alpha.interval).toBeCloseTo(0.7, 12);

    // Cohen over the 5 shared units: A gave 3,2,4,5,2 and B 3,4,4,4,3.
    // Unweighted: p_o = 2/5, p_e = (1·2 + 1·3)/25 = 0.2 → κ = 0.2/0.8 = 0.25.
    // Linear (w = 1 − d/4): p_o = 4/5, p_e = 18/25 → κ = 0.08/0.28. Quadratic (w = 1 − (d/4)²): p_o = 0.925, p_e = 0.89 → κ = 0.035/0.11.
    expect(r.byRaterPair).toHaveLength(1);
    const pair = r.byRaterPair[0]!;
    expect(pair.raters).toEqual([A, B]);
    expect([pair.units, pair.exact, pair.within1]).toEqual([5, 0.4, 0.8]);
    expect(pair.kappa.unweighted).toBeCloseTo(0.25, 12);
    expect(pair.kappa.linear).toBeCloseTo(0.08 / 0.28, 12);
    expect(pair.kappa.quadratic).toBeCloseTo(0.035 / 0.11, 12);
  });

  it('answers 404 for a study that does not exist', async () => {
    const { services } = await setUp();
    expect(() => services.agreement.agreement(999)).toThrow(expect.objectContaining({ status: 404 }));
  });
});

describe('agreement.service on published examples', () => {
  const fixtures = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'agreement-fixtures.json'), 'utf8')) as {
    krippendorff: { name: string; raters: (number | null)[][]; alpha: Record<'nominal' | 'ordinal' | 'interval', number> }[];
    cohen: { name: string; table: number[][]; kappa: Record<'unweighted' | 'linear' | 'quadratic', number> }[];
  };

  it("Krippendorff 2011 (4 coders × 12 units, missing values as cannot judge) gives the published alphas", async () => {
    const example = fixtures.krippendorff.find((k) => k.name.startsWith('Krippendorff 2011'))!;
    const raters = example.raters.map((_, i) => `coder${i + 1}@example.org`);
    const { services, leadId } = await setUp();
    const id = await importStudy(
      services,
      {
        raters,
        conditions: [{ code: 'A', level: 1 }],
        cases: example.raters[0]!.map((_, u) => ({
          key: `u${u + 1}`,
          scores: { A: Object.fromEntries(raters.map((email, i) => [email, example.raters[i]![u] ?? null])) },
        })),
      },
      leadId,
    );
    const { overall } = services.agreement.agreement(id);
    for (const level of ['nominal', 'ordinal', 'interval'] as const) expect(Math.abs(overall.alpha[level]! - example.alpha[level])).toBeLessThan(1e-6);
    // Unit 12 has one value only (the others could not judge): 11 units.
    expect(overall.units).toBe(11);
  });

  it('the SAS/STAT skin condition table (2 raters, 88 units, 4 categories) gives the published kappas', async () => {
    const example = fixtures.cohen.find((c) => c.name.startsWith('SAS/STAT'))!;
    const pairs = example.table.flatMap((row, i) => row.flatMap((count, j) => Array.from({ length: count }, () => [i + 1, j + 1] as const)));
    const { services, leadId } = await setUp();
    const id = await importStudy(
      services,
      {
        scale: { min: 1, max: 4 },
        raters: [A, B],
        conditions: [{ code: 'S', level: 1 }],
        cases: pairs.map(([a, b], u) => ({ key: `p${u + 1}`, scores: { S: { [A]: a, [B]: b } } })),
      },
      leadId,
    );
    const [pair] = services.agreement.agreement(id).byRaterPair;
    expect(pair!.units).toBe(88);
    // The diagonal of the published table: 10 + 10 + 12 + 13 = 45 of 88 pairs agree exactly.
    expect(pair!.exact).toBeCloseTo(45 / 88, 12);
    for (const weighting of ['unweighted', 'linear', 'quadratic'] as const) {
      expect(Math.abs(pair!.kappa[weighting]! - example.kappa[weighting])).toBeLessThan(1e-6);
    }
  });
});

describe('GET /studies/:id/agreement and its downloads', () => {
  it('shows every table with 3-decimal coefficients and percentages, in English and Dutch, with the download links', async () => {
    const { services, leadId, lead } = await setUp();
    const id = await importStudy(services, KNOWN, leadId);
    const res = await lead.agent.get(`/studies/${id}/agreement`).set('Accept-Language', 'en');
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain(`href="/studies/${id}/agreement.csv"`);
    expect(page).toContain(`href="/studies/${id}/agreement.json"`);
    expect(page).toContain(`href="/studies/${id}/agreement" aria-current="page"`);
    expect(page).toContain('submitted scores before reconciliation');
    // Overall: 40.0 % exact, 80.0 % within one point, α 16/70 = 0.229, 627/1500 = 0.418, 60/168 = 0.357.
    for (const text of ['40.0%', '80.0%', '0.229', '0.418', '0.357']) expect(page).toContain(text);
    // Kappa 0.25, 0.08/0.28 = 0.286, 0.035/0.11 = 0.318.
    for (const text of ['0.250', '0.286', '0.318']) expect(page).toContain(text);
    expect(page).toContain('Case One');
    expect(page).toContain('Level 3');
    expect(page).toContain('Enforcement');
    expect(page).toContain(`${A} · ${B}`);
    // Differences 0, 1, 2, 3, 4 points: 2, 2, 1, 0, 0 pairs → 40.0 %, 40.0 %, 20.0 %, 0.0 %, 0.0 %.
    const differences = page.slice(page.indexOf('id="agreement-differences"'));
    const cells = [...differences.matchAll(/<th scope="row" class="num">(\d)<\/th>\s*<td class="num">(\d+)<\/td>\s*<td class="share">.*?([\d.]+%)<\/td>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(cells).toEqual([
      ['0', '2', '40.0%'],
      ['1', '2', '40.0%'],
      ['2', '1', '20.0%'],
      ['3', '0', '0.0%'],
      ['4', '0', '0.0%'],
    ]);

    const nl = (await lead.agent.get(`/studies/${id}/agreement`).set('Accept-Language', 'nl')).text;
    expect(nl).toContain('Overeenstemming tussen beoordelaars');
    for (const text of ['40,0%', '0,229', '0,286']) expect(nl).toContain(text);
  });

  it('JSON download: the cli.md shape with plain numbers, the same as the service', async () => {
    const { services, leadId, lead } = await setUp();
    const id = await importStudy(services, KNOWN, leadId);
    const res = await lead.agent.get(`/studies/${id}/agreement.json`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="kader-${id}-agreement.json"`);
    const json = JSON.parse(res.text) as AgreementReport;
    expect(Object.keys(json)).toEqual(['study', 'scale', 'overall', 'byLevel', 'byCondition', 'byCase', 'byRaterPair', 'differences']);
    expect(Object.keys(json.overall)).toEqual(['units', 'exact', 'within1', 'alpha', 'reasons']);
    expect(json.overall.exact).toBe(0.4);
    expect(json.byCondition[0]).toMatchObject({ condition: 'A', units: 2, exact: 0.5, within1: 1 });
    expect(json.byCase[0]).toMatchObject({ case: 'c1', units: 3 });
    expect(json.byLevel[0]).toMatchObject({ level: 2, units: 3 });
    expect(json.byRaterPair[0]).toMatchObject({ raters: [A, B], units: 5, kappa: { unweighted: expect.closeTo(0.25, 12) } });
    expect(json.differences).toEqual({ pairs: 5, counts: [2, 2, 1, 0, 0] });
  });

  it('CSV download: one record per group, empty cells where a statistic does not apply', async () => {
    const { services, leadId, lead } = await setUp();
    const id = await importStudy(services, KNOWN, leadId);
    const res = await lead.agent.get(`/studies/${id}/agreement.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="kader-${id}-agreement.csv"`);
    expect(res.text.split('\r\n')[0]).toBe(CSV_HEADER);
    const records = parseCsv(res.text).map((r) => r.fields);
    expect(records.slice(1).map((f) => `${f[0]} ${f[1]} ${f[2]}`)).toEqual([
      'overall  5',
      'level 2 3',
      'level 3 2',
      'condition A 2',
      'condition B 1',
      'condition C 2',
      'case c1 3',
      'case c2 2',
      `rater-pair ${A}|${B} 5`,
    ]);
    const overall = records[1]!;
    expect(overall.slice(3, 5).map(Number)).toEqual([0.4, 0.8]);
    expect(Number(overall[5])).toBeCloseTo(16 / 70, 12);
    expect(overall.slice(8)).toEqual(['', '', '', '']);
    const pair = records[9]!;
    expect(pair.slice(5, 8)).toEqual(['', '', '']);
    expect(Number(pair[8])).toBeCloseTo(0.25, 12);
    expect(pair[11]).toBe('');
  });

  it('CSV guards text cells against spreadsheet formulas and quotes what needs quoting', async () => {
    const { services, leadId, lead } = await setUp();
    const id = await importStudy(
      services,
      // Condition codes are free text in a study file (case keys are not).
      { raters: [A, B], conditions: [{ code: '=1+2,"x"', level: 1 }], cases: [{ key: 'c1', scores: { '=1+2,"x"': { [A]: 1, [B]: 2 } } }] },
      leadId,
    );
    const text = (await lead.agent.get(`/studies/${id}/agreement.csv`)).text;
    expect(text).toContain('\r\ncondition,"\'=1+2,""x""",1,0,1,');
    expect(parseCsv(text)[3]!.fields.slice(0, 2)).toEqual(['condition', '\'=1+2,"x"']);
  });

  it('loads with the same number of statements for 2 and 12 cases', async () => {
    const { services, leadId, lead, counter } = await setUp();
    const cases = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `k${i + 1}`, scores: { A: { [A]: 1 + (i % 5), [B]: 1 + ((i + 1) % 5) }, B: { [A]: 3, [B]: 3 } } }));
    const spec = (n: number): StudySpec => ({ raters: [A, B], conditions: [{ code: 'A', level: 1 }, { code: 'B', level: 2 }], cases: cases(n) });
    const few = await importStudy(services, spec(2), leadId);
    const many = await importStudy(services, spec(12), leadId);
    for (const suffix of ['', '.json', '.csv']) {
      await lead.agent.get(`/studies/${few}/agreement${suffix}`);
      counter.reset();
      expect((await lead.agent.get(`/studies/${few}/agreement${suffix}`)).status).toBe(200);
      const forFew = counter.count;
      counter.reset();
      const res = await lead.agent.get(`/studies/${many}/agreement${suffix}`);
      expect(res.status).toBe(200);
      expect(counter.count, `GET /studies/:id/agreement${suffix}`).toBe(forFew);
      if (suffix === '.json') expect((JSON.parse(res.text) as AgreementReport).byCase).toHaveLength(12);
    }
  });
});

describe('agreement and blinding', () => {
  it('a case where one rater has not submitted contributes nothing, even once unblinded, and counts once both submitted', async () => {
    const { services, leadId, lead } = await setUp();
    // c1: A 2/3 → 1, B 4/4 → 0. c2: A 1/5 and B 5/1 (4 points apart each), but B's are drafts.
    const id = await importStudy(
      services,
      {
        raters: [A, B],
        conditions: [{ code: 'A', level: 1 }, { code: 'B', level: 1 }],
        cases: [
          { key: 'c1', name: 'Open case', scores: { A: { [A]: 2, [B]: 3 }, B: { [A]: 4, [B]: 4 } } },
          { key: 'c2', name: 'Hidden case', scores: { A: { [A]: 1, [B]: 5 }, B: { [A]: 5, [B]: 1 } }, drafts: [B] },
        ],
      },
      leadId,
    );
    const before = services.agreement.agreement(id);
    expect([before.overall.units, before.overall.exact, before.overall.within1]).toEqual([2, 0.5, 1]);
    expect(before.differences).toEqual({ pairs: 2, counts: [1, 1, 0, 0, 0] });
    expect(before.byCase.map((c) => c.case)).toEqual(['c1']);
    const page = (await lead.agent.get(`/studies/${id}/agreement`)).text;
    expect(page).not.toContain('Hidden case');
    expect((await lead.agent.get(`/studies/${id}/agreement.json`)).text).not.toContain('c2');
    expect((await lead.agent.get(`/studies/${id}/agreement.csv`)).text).not.toContain('c2');

    // A lead's unblinding opens the case to the lead's own pages only: agreement, which every member
    // reads, still leaves the case out until both raters have submitted.
    services.ratings.unblind(id, 'c2', leadId);
    const unblinded = services.agreement.agreement(id);
    expect(unblinded.overall).toEqual(before.overall);
    expect(unblinded.differences).toEqual(before.differences);
    expect(unblinded.byCase.map((c) => c.case)).toEqual(['c1']);

    services.ratings.submit(id, 'c2', services.repos.users.findByEmail(B)!.id);
    const after = services.agreement.agreement(id);
    // Now 4 pairs, differences 1, 0, 4, 4: exact 1/4, within one point 2/4.
    expect([after.overall.units, after.overall.exact, after.overall.within1]).toEqual([4, 0.25, 0.5]);
    expect(after.differences).toEqual({ pairs: 4, counts: [1, 1, 0, 0, 2] });
    expect(after.byCase.map((c) => [c.case, c.units])).toEqual([
      ['c1', 2],
      ['c2', 2],
    ]);
  });
});

describe('agreement when statistics are undefined', () => {
  it('a study without submitted ratings: every statistic null with its reason, and the page says n/a and why (200)', async () => {
    const { services, leadId, lead } = await setUp();
    const id = await importStudy(
      services,
      { raters: [A, B], conditions: [{ code: 'A', level: 1 }], cases: [{ key: 'c1', scores: { A: { [A]: 1, [B]: 5 } }, drafts: [A, B] }] },
      leadId,
    );
    const r = services.agreement.agreement(id);
    expect(r.overall).toEqual({
      units: 0,
      exact: null,
      within1: null,
      alpha: { nominal: null, ordinal: null, interval: null },
      reasons: { exact: 'no-pairs', within1: 'no-pairs', alpha: { nominal: 'no-pairable-units', ordinal: 'no-pairable-units', interval: 'no-pairable-units' } },
    });
    expect([r.byLevel, r.byCondition, r.byCase, r.byRaterPair]).toEqual([[], [], [], []]);
    expect(r.differences).toEqual({ pairs: 0, counts: [0, 0, 0, 0, 0] });

    const res = await lead.agent.get(`/studies/${id}/agreement`).set('Accept-Language', 'en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<span class="na">n/a</span> <span class="na-reason">(no two scores to compare)</span>');
    expect(res.text).toContain('(no condition of a case has two scores)');
    const nl = await lead.agent.get(`/studies/${id}/agreement`).set('Accept-Language', 'nl');
    expect(nl.status).toBe(200);
    expect(nl.text).toContain('<span class="na">n.v.t.</span> <span class="na-reason">(geen twee scores om te vergelijken)</span>');

    const csv = (await lead.agent.get(`/studies/${id}/agreement.csv`)).text;
    expect(csv).toBe(
      `${CSV_HEADER}\r\noverall,,0,,,,,,,,,"exact, within1: no two scores to compare; alpha_nominal, alpha_ordinal, alpha_interval: no condition of a case has two scores"\r\n`,
    );
  });

  it('identical scores everywhere: 100 % agreement, but alpha and kappa n/a because all scores are the same', async () => {
    const { services, leadId, lead } = await setUp();
    const id = await importStudy(
      services,
      { raters: [A, B], conditions: [{ code: 'A', level: 1 }], cases: ['c1', 'c2'].map((key) => ({ key, scores: { A: { [A]: 3, [B]: 3 } } })) },
      leadId,
    );
    const r = services.agreement.agreement(id);
    expect(r.overall).toMatchObject({ units: 2, exact: 1, within1: 1, alpha: { nominal: null, ordinal: null, interval: null } });
    expect(r.overall.reasons.alpha).toEqual({ nominal: 'no-variation', ordinal: 'no-variation', interval: 'no-variation' });
    expect(r.byRaterPair[0]!.kappa).toEqual({ unweighted: null, linear: null, quadratic: null });
    const page = (await lead.agent.get(`/studies/${id}/agreement`).set('Accept-Language', 'en')).text;
    expect(page).toContain('100.0%');
    expect(page).toContain('(all scores are the same)');
    const records = parseCsv((await lead.agent.get(`/studies/${id}/agreement.csv`)).text).map((x) => x.fields);
    expect(records[1]![11]).toBe('alpha_nominal, alpha_ordinal, alpha_interval: all scores are the same');
    expect(records.at(-1)![11]).toBe('kappa_unweighted, kappa_linear, kappa_quadratic: all scores are the same');
  });
});

describe('kader agreement', () => {
  async function dataDirWithStudy(): Promise<{ DATA_DIR: string; id: number }> {
    const DATA_DIR = tempDir();
    const init = kader(['user:create', '--email', LEAD, '--name', 'Lead'], { DATA_DIR });
    expect(init.status, init.stderr).toBe(0);
    const config = loadConfig({ DATA_DIR });
    const services = createServices(openDb(config.dbFile), () => new Date(), config);
    try {
      return { DATA_DIR, id: await importStudy(services, KNOWN, null) };
    } finally {
      services.db.close();
    }
  }

  it('prints the statistics as pretty JSON by default and as CSV with --format csv; an unknown study is an error', { timeout: 60_000 }, async () => {
    const { DATA_DIR, id } = await dataDirWithStudy();
    const json = kader(['agreement', String(id)], { DATA_DIR });
    expect(json.status, json.stderr).toBe(0);
    expect(json.stdout.startsWith('{\n  "study": ')).toBe(true);
    const report = JSON.parse(json.stdout) as AgreementReport;
    expect(report.study).toBe(id);
    expect([report.overall.units, report.overall.exact, report.overall.within1]).toEqual([5, 0.4, 0.8]);
    expect(report.differences.counts).toEqual([2, 2, 1, 0, 0]);

    const csv = kader(['agreement', String(id), '--format', 'csv'], { DATA_DIR });
    expect(csv.status, csv.stderr).toBe(0);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines[1]!.startsWith('overall,,5,0.4,0.8,')).toBe(true);
    expect(lines.filter((l) => l.startsWith('case,'))).toHaveLength(2);

    const unknown = kader(['agreement', '99'], { DATA_DIR });
    expect(unknown.status).not.toBe(0);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('There is no study 99');

    const badFormat = kader(['agreement', String(id), '--format', 'xml'], { DATA_DIR });
    expect(badFormat.status).not.toBe(0);
    expect(badFormat.stderr).toContain('--format must be json or csv');
  });
});
