// Each validation rule of the study file, with a file that breaks it and the message the user sees.
import { describe, expect, it } from 'vitest';
import { translate } from '../../../server/lib/i18n.ts';
import { parseStudyFileText, validateStudyFile } from '../../../server/studyfile/studyfile.validate.ts';

/** A small valid study: two levels, a category, three conditions (one with a sub-condition), cases, ratings. */
function base(): any {
  return {
    format: 'kader.study',
    version: 1,
    study: { title: 'T', language: 'nl' },
    framework: {
      title: 'F',
      levels: [{ number: 0, name: 'Uitkomst' }, { number: 2, name: 'Uitvoering' }],
      categories: [{ key: 'IN', level: 2, name: 'Instroom' }],
      conditions: [
        { code: '0', level: 0, name: 'Resultaat', polarity: 'higher-is-favourable', kind: 'measured' },
        { code: '2.a', level: 2, category: 'IN', name: 'Poort', polarity: 'higher-is-favourable', kind: 'rated', anchors: { '1': 'geen', '5': 'streng' } },
        { code: '2.b', level: 2, name: 'Handhaving', polarity: 'lower-is-favourable', kind: 'rated' },
        { code: '2.b.I', level: 2, name: 'Deel', polarity: 'lower-is-favourable', kind: 'rated', parent: '2.b' },
      ],
      relations: [{ from: '2.a', to: '0' }],
      groupings: [{ key: 'G1', name: 'Samen', members: ['2.a', '2.b'] }],
    },
    roles: [{ name: 'Wethouder' }],
    questions: [{ text: 'Hoe?', roles: ['Wethouder'], conditions: ['2.a'] }],
    members: [
      { email: 'a@example.org', name: 'A', role: 'researcher' },
      { email: 'b@example.org', name: 'B', role: 'researcher' },
    ],
    cases: [{ key: 'x', name: 'X', measures: { '0': 1.5, hve: 2 }, raters: ['a@example.org', 'b@example.org'] }],
    ratings: [{ case: 'x', condition: '2.a', rater: 'a@example.org', score: 4, submitted: true }],
    documents: [],
  };
}

function problemsOf(doc: unknown) {
  const result = validateStudyFile(doc);
  if (result.ok) return [];
  return result.problems.map((p) => ({ path: p.path, message: translate('en', p.key, p.params) }));
}

describe('validateStudyFile', () => {
  it('accepts the valid base document', () => {
    expect(problemsOf(base())).toEqual([]);
  });

  const cases: [string, (d: any) => void, string, RegExp][] = [
    ['a condition’s level exists', (d) => (d.framework.conditions[2].level = 3), 'framework.conditions[2].level', /Level 3 does not exist/],
    ['a category exists', (d) => (d.framework.conditions[2].category = 'UIT'), 'framework.conditions[2].category', /Category "UIT" does not exist/],
    ['a category belongs to the condition’s level', (d) => {
      d.framework.categories.push({ key: 'OUT', level: 0, name: 'O' });
      d.framework.conditions[2].category = 'OUT';
    }, 'framework.conditions[2].category', /belongs to level 0/],
    ['a category’s level exists', (d) => (d.framework.categories[0].level = 7), 'framework.categories[0].level', /Level 7 does not exist/],
    ['a parent exists', (d) => (d.framework.conditions[3].parent = '9.z'), 'framework.conditions[3].parent', /"9.z" does not exist/],
    ['a parent is not itself a child', (d) => {
      d.framework.conditions.push({ code: '2.b.I.x', level: 2, name: 'Te diep', polarity: 'higher-is-favourable', kind: 'rated', parent: '2.b.I' });
    }, 'framework.conditions[4].parent', /is itself a sub-condition/],
    ['a condition is not its own parent', (d) => (d.framework.conditions[2].parent = '2.b'), 'framework.conditions[2].parent', /cannot be its own parent/],
    ['relations do not point to a higher level number unless marked feedback', (d) => d.framework.relations.push({ from: '0', to: '2.a' }),
      'framework.relations[1]', /points from level 0 to the higher level number 2; mark it as feedback/],
    ['relations refer to existing conditions', (d) => d.framework.relations.push({ from: '2.z', to: '0' }), 'framework.relations[1].from', /"2.z" does not exist/],
    ['a relation connects two conditions', (d) => d.framework.relations.push({ from: '2.a', to: '2.a' }), 'framework.relations[1].to', /two different conditions/],
    ['no duplicate codes', (d) => d.framework.conditions.push({ ...d.framework.conditions[1] }), 'framework.conditions[4].code', /"2.a" occurs more than once/],
    ['no duplicate relations', (d) => d.framework.relations.push({ from: '2.a', to: '0' }), 'framework.relations[1]', /occurs more than once/],
    ['no duplicate level numbers', (d) => d.framework.levels.push({ number: 2, name: 'Twee' }), 'framework.levels[2].number', /"2" occurs more than once/],
    ['grouping members exist', (d) => d.framework.groupings[0].members.push('4.q'), 'framework.groupings[0].members[2]', /"4.q" does not exist/],
    ['case keys can be used in addresses', (d) => (d.cases[0].key = 'new'), 'cases[0].key', /not be new, measures or attributes/],
    ['years of measures have four digits', (d) => (d.cases[0].measuresByYear = { hve: { '21': 1 } }), 'cases[0].measuresByYear.hve.21', /four digits/],
    ['no duplicate case keys', (d) => d.cases.push({ key: 'x', name: 'X2' }), 'cases[1].key', /"x" occurs more than once/],
    ['question conditions exist', (d) => d.questions[0].conditions.push('3.q'), 'questions[0].conditions[1]', /"3.q" does not exist/],
    ['question roles exist', (d) => d.questions[0].roles.push('Burgemeester'), 'questions[0].roles[1]', /Role "Burgemeester" is not in the roles section/],
    ['measures that look like codes exist', (d) => (d.cases[0].measures['1.b'] = 3), 'cases[0].measures.1.b', /"1.b" does not exist/],
    ['measures are not given for rated conditions', (d) => (d.cases[0].measures['2.a'] = 3), 'cases[0].measures.2.a', /is a rated condition/],
    ['raters are members', (d) => (d.cases[0].raters[1] = 'z@example.org'), 'cases[0].raters[1]', /z@example.org is not a member/],
    ['a case has ratersPerCase raters', (d) => (d.cases[0].raters = ['a@example.org']), 'cases[0].raters', /has 1 raters; the study wants 2/],
    ['ratings refer to existing conditions', (d) => (d.ratings[0].condition = '2.q'), 'ratings[0].condition', /"2.q" does not exist/],
    ['ratings are of rated conditions without sub-conditions', (d) => (d.ratings[0].condition = '2.b'), 'ratings[0].condition', /has sub-conditions/],
    ['ratings are not of measured conditions', (d) => (d.ratings[0].condition = '0'), 'ratings[0].condition', /it is measured/],
    ['scores are within the scale', (d) => (d.ratings[0].score = 6), 'ratings[0].score', /between 1 and 5, or null/],
    ['scores are integers', (d) => (d.ratings[0].score = 3.5), 'ratings[0].score', /whole number/],
    ['a rater of a rating is one of the case’s raters', (d) => {
      d.members.push({ email: 'c@example.org', name: 'C', role: 'lead' });
      d.ratings[0].rater = 'c@example.org';
    }, 'ratings[0].rater', /c@example.org is not a rater of case "x"/],
    ['no duplicate (case, condition, rater) ratings', (d) => d.ratings.push({ ...d.ratings[0], score: 2 }), 'ratings[1]', /occurs more than once/],
    ['ratings refer to existing cases', (d) => (d.ratings[0].case = 'y'), 'ratings[0].case', /Case "y" does not exist/],
    ['unknown keys are an error', (d) => (d.framework.conditions[1].colour = 'red'), 'framework.conditions[1]', /Unknown key\(s\): colour/],
    ['reductions refer to existing conditions', (d) => (d.reductions = [{ condition: '2.z', method: 1, reason: 'r', by: 'a@example.org' }]),
      'reductions[0].condition', /"2.z" does not exist/],
    ['reduction methods are 1 to 4', (d) => (d.reductions = [{ condition: '2.a', method: 5, reason: 'r', by: 'a@example.org' }]), 'reductions[0].method', /at most 4/],
    ['reductions give a reason', (d) => (d.reductions = [{ condition: '2.a', method: 1, reason: '  ', by: 'a@example.org' }]), 'reductions[0].reason', /Must not be empty/],
    ['reductions are decided by an email', (d) => (d.reductions = [{ condition: '2.a', method: 1, reason: 'r', by: 'lead' }]), 'reductions[0].by', /Not a valid email address/],
    ['at most one reduction per condition', (d) => (d.reductions = [1, 2].map((method) => ({ condition: '2.a', method, reason: 'r', by: 'a@example.org' }))),
      'reductions[1].condition', /"2.a" occurs more than once/],
    ['method 3 needs a condition in a grouping', (d) => (d.reductions = [{ condition: '0', method: 3, reason: 'r', by: 'a@example.org' }]),
      'reductions[0].method', /belongs to a grouping of the framework; 0 belongs to none/],
    ['case analyses are of existing cases', (d) => (d.caseAnalyses = [{ case: 'q', explanationDegree: 'good' }]), 'caseAnalyses[0].case', /Case "q" does not exist/],
    ['explanation degrees are hardly, limited, fair or good', (d) => (d.caseAnalyses = [{ case: 'x', explanationDegree: 'excellent' }]),
      'caseAnalyses[0].explanationDegree', /Must be one of "hardly", "limited", "fair", "good"/],
    ['no duplicate case analyses', (d) => (d.caseAnalyses = [{ case: 'x', narrative: 'a' }, { case: 'x', explanationDegree: 'fair' }]), 'caseAnalyses[1].case', /"x" occurs more than once/],
    ['reconciliations are of items whose ratings are all submitted', (d) => {
      d.ratings[0].submitted = false;
      d.reconciliations = [{ case: 'x', condition: '2.a', score: 3, note: 'n', by: 'a@example.org' }];
    }, 'reconciliations[0]', /case "x", condition 2.a: a reconciliation needs the condition's ratings, all of them submitted/i],
    ['reconciliations are of rated items', (d) => (d.reconciliations = [{ case: 'x', condition: '2.b', score: 3, note: 'n', by: 'a@example.org' }]),
      'reconciliations[0].condition', /is not rated by raters/],
    ['reconciliation scores are within the scale', (d) => (d.reconciliations = [{ case: 'x', condition: '2.a', score: 0, note: 'n', by: 'a@example.org' }]),
      'reconciliations[0].score', /between 1 and 5, or null/],
    ['reconciliations have a note', (d) => (d.reconciliations = [{ case: 'x', condition: '2.a', score: 3, note: ' ', by: 'a@example.org' }]), 'reconciliations[0].note', /.+/],
    ['no duplicate reconciliations', (d) => (d.reconciliations = [1, 2].map(() => ({ case: 'x', condition: '2.a', score: 3, note: 'n', by: 'a@example.org' }))),
      'reconciliations[1]', /occurs more than once/],
    ['documents belong to existing cases', (d) => (d.documents = [{ key: 'd1', case: 'q', title: 'T', filename: 'a.pdf' }]), 'documents[0].case', /Case "q" does not exist/],
    ['document checksums are SHA-256', (d) => (d.documents = [{ key: 'd1', case: 'x', title: 'T', filename: 'a.pdf', sha256: 'abc' }]), 'documents[0].sha256', /Not a SHA-256/],
    ['evidence sources exist', (d) => (d.evidence = [{ case: 'x', condition: '2.a', source: 'nope', quote: 'q' }]), 'evidence[0].source', /no interview or document with key "nope"/],
    ['evidence sources belong to the case', (d) => {
      d.cases.push({ key: 'y', name: 'Y' });
      d.documents = [{ key: 'd1', case: 'y', title: 'T', filename: 'a.pdf' }];
      d.evidence = [{ case: 'x', condition: '2.a', source: 'd1', quote: 'q' }];
    }, 'evidence[0].source', /belongs to case "y"/],
    ['evidence conditions exist', (d) => {
      d.documents = [{ key: 'd1', case: 'x', title: 'T', filename: 'a.pdf' }];
      d.evidence = [{ case: 'x', condition: '8.q', source: 'd1', quote: 'q' }];
    }, 'evidence[0].condition', /"8.q" does not exist/],
    ['evidence has a quote or a locator', (d) => {
      d.documents = [{ key: 'd1', case: 'x', title: 'T', filename: 'a.pdf' }];
      d.evidence = [{ case: 'x', condition: '2.a', source: 'd1' }];
    }, 'evidence[0]', /quote, a locator, or both/],
    ['interviews are of existing cases', (d) => (d.interviews = [{ key: 'i1', case: 'q' }]), 'interviews[0].case', /Case "q" does not exist/],
    ['interview roles exist', (d) => (d.interviews = [{ key: 'i1', case: 'x', roles: ['Burgemeester'] }]), 'interviews[0].roles[0]', /Role "Burgemeester" is not in the roles section/],
    ['interviewers are members', (d) => (d.interviews = [{ key: 'i1', case: 'x', interviewers: ['q@example.org'] }]), 'interviews[0].interviewers[0]', /q@example.org is not a member/],
    ['interview conditions exist', (d) => (d.interviews = [{ key: 'i1', case: 'x', conditions: ['7.q'] }]), 'interviews[0].conditions[0]', /"7.q" does not exist/],
    ['interview keys are unique', (d) => (d.interviews = [{ key: 'i1', case: 'x' }, { key: 'i1', case: 'x' }]), 'interviews[1].key', /"i1" occurs more than once/],
    ['interview dates are dates', (d) => (d.interviews = [{ key: 'i1', case: 'x', date: '10-05-2022' }]), 'interviews[0].date', /YYYY-MM-DD/],
    ['the content language is nl or en', (d) => (d.study.language = 'de'), 'study.language', /Must be one of "nl", "en"/],
    ['polarity is one of the two', (d) => (d.framework.conditions[1].polarity = 'up'), 'framework.conditions[1].polarity', /Must be one of/],
    ['ratersPerCase is 2 to 4', (d) => (d.study.settings = { ratersPerCase: 5 }), 'study.settings.ratersPerCase', /at most 4/],
    ['the scale runs upwards', (d) => (d.study.settings = { scale: { min: 5, max: 1 } }), 'study.settings.scale', /minimum must be below its maximum/],
    ['emails are emails', (d) => (d.members[0].email = 'not-mail'), 'members[0].email', /Not a valid email address/],
  ];

  for (const [rule, mutate, path, message] of cases) {
    it(`rule: ${rule}`, () => {
      const doc = base();
      mutate(doc);
      const problems = problemsOf(doc);
      const hit = problems.find((p) => p.path === path);
      expect(hit, `no problem at ${path}; got ${JSON.stringify(problems)}`).toBeDefined();
      expect(hit!.message).toMatch(message);
    });
  }

  it('accepts reductions (methods 1–4) and case analyses with or without a degree', () => {
    const doc = base();
    doc.reductions = [
      { condition: '2.a', method: 3, reason: 'Grouped with 2.b.', by: 'A@Example.org' },
      { condition: '0', method: 4, reason: 'Levels.', by: 'lead@example.org' },
    ];
    doc.caseAnalyses = [{ case: 'x', explanationDegree: 'limited', narrative: 'Mostly *limited*.' }];
    expect(problemsOf(doc)).toEqual([]);
    doc.caseAnalyses = [{ case: 'x', explanationDegree: null, narrative: 'Not decided.' }];
    expect(problemsOf(doc)).toEqual([]);
  });

  it('reports every problem of a file at once, not just the first', () => {
    const doc = base();
    doc.framework.conditions[2].level = 3;
    doc.ratings[0].score = 7;
    doc.cases[0].raters[1] = 'z@example.org';
    expect(problemsOf(doc).map((p) => p.path)).toEqual(expect.arrayContaining(['framework.conditions[2].level', 'ratings[0].score', 'cases[0].raters[1]']));
  });

  it('still checks references when the only structural problems are unknown keys', () => {
    const doc = base();
    doc.surprise = true;
    doc.ratings[0].score = 9;
    expect(problemsOf(doc).map((p) => p.path)).toEqual(['', 'ratings[0].score']);
  });

  it('matches emails case-insensitively', () => {
    const doc = base();
    doc.cases[0].raters = ['A@Example.org', 'b@example.org'];
    doc.ratings[0].rater = 'A@EXAMPLE.ORG';
    expect(problemsOf(doc)).toEqual([]);
  });

  it('explains a file that is not JSON', () => {
    const result = parseStudyFileText('{"format": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(translate('nl', result.problems[0]!.key, result.problems[0]!.params)).toMatch(/^Het bestand is geen geldige JSON/);
  });
});
