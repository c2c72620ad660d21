// The ratings CSV's pure parts: scores, the checks of an import against a study (extra columns of the
// download, the order in which raters fill a case, the cap on reported problems), and the CSV writer's
// formula guard that the import undoes.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../server/cases/cases.csv.ts';
import { MAX_REPORTED_PROBLEMS } from '../../../server/cases/cases.schemas.ts';
import { csvLine, guardFormula, toCsv, unguardFormula } from '../../../server/lib/csv.ts';
import { checkRatingRecords, parseScore, slotKey, type RatingImportStudy } from '../../../server/ratings/ratings.csv.ts';

/** Cases 10 (key k1, "Almere") and 20 (k2); members ann 1, bob 2, carol 3 (researchers), vera 4 (viewer). */
function study(over: Partial<RatingImportStudy> = {}): RatingImportStudy {
  const members = ['ann', 'bob', 'carol', 'vera'].map((n, i) => [`${n}@x.org`, { userId: i + 1, email: `${n}@x.org` }] as const);
  return {
    cases: { byKey: new Map([['k1', 10], ['k2', 20]]), byName: new Map([['Almere', [10]], ['Breda', [20]]]) },
    caseKeys: new Map([[10, 'k1'], [20, 'k2']]),
    conditions: new Set(['0', '1.a', '2.a']),
    ratable: new Set(['1.a', '2.a']),
    scale: { min: 1, max: 5 },
    ratersPerCase: 2,
    secondRaterNotAtInterviews: false,
    members: new Map(members),
    eligible: new Set([1, 2, 3]),
    hasAccount: () => false,
    raters: new Map(),
    attendees: new Map(),
    existing: new Map(),
    required: ['1.a', '2.a'],
    defaultReason: 'Imported as NA',
    ...over,
  };
}

describe('ratings.csv parseScore', () => {
  it('reads whole numbers, NA and empty as cannot judge, and nothing else', () => {
    expect(['4', '+3', '-1', '', 'NA', 'na', '2.5', 'abc', '4 ', '1e1'].map(parseScore)).toEqual([4, 3, -1, null, null, null, undefined, undefined, undefined, undefined]);
  });
});

describe('ratings.csv checkRatingRecords', () => {
  it('accepts the download’s extra columns in any order: status and submitted_at ignored, the reason kept for NA', () => {
    const csv = 'submitted_at,status,rater,case,condition,score,cannot_judge_reason,rationale\n'
      + '2020-01-01,draft,ann@x.org,k1,1.a,NA,no documents,r1\n'
      + ',,ann@x.org,k1,2.a,,,r2\n'
      + ',,bob@x.org,Almere,1.a,3,ignored for a score,r3\n'
      + ',,bob@x.org,k1,2.a,4,,r4\n';
    const result = checkRatingRecords(parseCsv(csv), study());
    expect(result).toEqual({
      ok: true,
      plan: {
        rows: [
          { line: 2, caseId: 10, code: '1.a', raterId: 1, score: null, reason: 'no documents', rationale: 'r1' },
          { line: 3, caseId: 10, code: '2.a', raterId: 1, score: null, reason: 'Imported as NA', rationale: 'r2' },
          { line: 4, caseId: 10, code: '1.a', raterId: 2, score: 3, reason: null, rationale: 'r3' },
          { line: 5, caseId: 10, code: '2.a', raterId: 2, score: 4, reason: null, rationale: 'r4' },
        ],
        addRaters: new Map([[10, [1, 2]]]),
        replacedDrafts: 0,
        discardedDrafts: [],
      },
    });
  });

  it('fills a case after the raters it has, in the order the file names them, and refuses the one too many on every row', () => {
    const csv = 'case,condition,rater,score\nk1,1.a,carol@x.org,3\nk1,1.a,ann@x.org,3\nk1,2.a,carol@x.org,3\nk1,2.a,bob@x.org,3\nk1,1.a,bob@x.org,3\n';
    const result = checkRatingRecords(parseCsv(csv), study({ raters: new Map([[10, [2]]]) }));
    // k1 has Bob; Carol (line 2) fills it; Ann (line 3) is one too many; Bob's row needs nothing.
    expect(result).toEqual({
      ok: false,
      problems: [{ line: 3, key: 'ratings.csv.caseFull', params: { email: 'ann@x.org', case: 'k1', count: 2, raters: 'bob@x.org, carol@x.org' } }],
    });
  });

  it('with the interview rule, an attendee may be the first rater of a case but not a later one', () => {
    const attendees = new Map([[10, new Set([3])], [20, new Set([3])]]);
    // Each rater rates both conditions of a case (an import submits complete sets only).
    const csv = 'case,condition,rater,score\n'
      + 'k1,1.a,carol@x.org,3\nk1,2.a,carol@x.org,3\nk1,1.a,ann@x.org,3\nk1,2.a,ann@x.org,3\n'
      + 'k2,1.a,ann@x.org,3\nk2,2.a,ann@x.org,3\nk2,1.a,carol@x.org,3\nk2,2.a,carol@x.org,3\n';
    const result = checkRatingRecords(parseCsv(csv), study({ attendees, secondRaterNotAtInterviews: true }));
    const attended = { key: 'ratings.csv.attended', params: { email: 'carol@x.org', case: 'k2', position: 2 } };
    expect(result).toEqual({ ok: false, problems: [{ line: 8, ...attended }, { line: 9, ...attended }] });
    expect(checkRatingRecords(parseCsv(csv), study({ attendees })).ok).toBe(true);
  });

  it('counts replaced drafts, and refuses a submitted slot', () => {
    const existing = new Map([[slotKey(10, '1.a', 1), false], [slotKey(10, '2.a', 1), false], [slotKey(10, '1.a', 2), true]]);
    const ok = checkRatingRecords(parseCsv('case,condition,rater,score\nk1,1.a,ann@x.org,3\nk1,2.a,ann@x.org,4\n'), study({ existing, raters: new Map([[10, [1, 2]]]) }));
    expect(ok.ok && ok.plan.replacedDrafts).toBe(2);
    const refused = checkRatingRecords(parseCsv('case,condition,rater,score\nk1,1.a,bob@x.org,3\n'), study({ existing, raters: new Map([[10, [1, 2]]]) }));
    expect(refused).toEqual({ ok: false, problems: [{ line: 2, key: 'ratings.csv.alreadySubmitted', params: { email: 'bob@x.org', case: 'k1', code: '1.a' } }] });
  });

  it('refuses a rater’s incomplete set of a case on their first line, naming the missing conditions in framework order', () => {
    const framework = ['1.a', '1.b', '2.a', '2.b'];
    const csv = 'case,condition,rater,score\nk1,2.a,ann@x.org,3\nk1,1.a,bob@x.org,3\nk1,1.a,ann@x.org,NA\n';
    const result = checkRatingRecords(parseCsv(csv), study({ required: framework, ratable: new Set(framework), conditions: new Set(framework) }));
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 2, key: 'ratings.csv.incomplete', params: { email: 'ann@x.org', case: 'k1', count: 2, codes: '1.b, 2.b' } },
        { line: 3, key: 'ratings.csv.incomplete', params: { email: 'bob@x.org', case: 'k1', count: 3, codes: '1.b, 2.a, 2.b' } },
      ],
    });
  });

  it('counts what the rater submitted before, asks only for the conditions of their form, and leaves refused lines to their own problem', () => {
    const raters = new Map([[10, [1, 2]]]);
    const existing = new Map([[slotKey(10, '1.a', 1), true]]);
    // Ann submitted 1.a before: 2.a completes her set.
    expect(checkRatingRecords(parseCsv('case,condition,rater,score\nk1,2.a,ann@x.org,3\n'), study({ raters, existing })).ok).toBe(true);
    // A reduction dropped 2.a: 1.a is Bob's whole set, and his draft of 2.a is discarded.
    const drafted = new Map([[slotKey(10, '2.a', 2), false]]);
    const dropped = checkRatingRecords(parseCsv('case,condition,rater,score\nk1,1.a,bob@x.org,3\n'), study({ raters, existing: drafted, required: ['1.a'] }));
    expect(dropped.ok && dropped.plan.discardedDrafts).toEqual([{ caseId: 10, code: '2.a', raterId: 2 }]);
    // Bob's 2.a has a bad score: that line says so, and his set is not also called incomplete.
    const badScore = checkRatingRecords(parseCsv('case,condition,rater,score\nk1,1.a,bob@x.org,3\nk1,2.a,bob@x.org,9\n'), study({ raters }));
    expect(badScore).toEqual({ ok: false, problems: [{ line: 3, key: 'ratings.csv.badScore', params: { value: '9', min: 1, max: 5 } }] });
  });

  it('stops after MAX_REPORTED_PROBLEMS problems and says so', () => {
    const csv = `case,condition,rater,score\n${'nowhere,1.a,ann@x.org,3\n'.repeat(MAX_REPORTED_PROBLEMS + 20)}`;
    const result = checkRatingRecords(parseCsv(csv), study());
    if (result.ok) throw new Error('expected problems');
    expect(result.problems).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
    expect(result.problems.at(-1)).toEqual({ line: null, key: 'cases.csv.tooManyProblems', params: { max: MAX_REPORTED_PROBLEMS } });
  });

  it('refuses a file with a header only', () => {
    expect(checkRatingRecords(parseCsv('case,condition,rater,score\n\n'), study())).toEqual({ ok: false, problems: [{ line: null, key: 'ratings.csv.noRows' }] });
  });
});

describe('lib/csv', () => {
  it('quotes what needs quotes, guards formulas in text but not numbers, and ends records with CRLF', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', -3, null, '=1+1', '+31', '-x', '@sum', '\tx', 'plain'])).toBe(
      '"a,b","say ""hi""","two\nlines",-3,,\'=1+1,\'+31,\'-x,\'@sum,\'\tx,plain\r\n',
    );
    expect(toCsv([['h1', 'h2'], [1, 'x']])).toBe('h1,h2\r\n1,x\r\n');
  });

  it('unguardFormula undoes guardFormula and leaves other apostrophes alone', () => {
    for (const text of ['=1+1', '+31', '-x', '@a', '\tx', '\rx', "'quoted'", "it's", "'=x", "''-1", '']) expect(unguardFormula(guardFormula(text))).toBe(text);
    expect(unguardFormula("'plain")).toBe("'plain");
    expect(guardFormula("'=x")).toBe("''=x");
  });
});
