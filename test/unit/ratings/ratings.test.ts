// The rating form's pure parts: parsing the posted fields, completeness, grouping by level and
// category, and the values a stored rating puts into the form.
import { describe, expect, it } from 'vitest';
import { parseRatingForm } from '../../../server/ratings/ratings.schemas.ts';
import { isComplete, missingCodes } from '../../../server/ratings/ratings.rules.ts';
import { groupByLevel, valuesOf } from '../../../server/ratings/ratings.view.ts';
import type { RatingRow } from '../../../server/ratings/ratings.repo.ts';
import type { Framework } from '../../../server/studyfile/studyfile.schema.ts';

describe('ratings.schemas parseRatingForm', () => {
  it('reads each condition named by a `c` marker: a score, cannot judge, or no choice', () => {
    const result = parseRatingForm({
      c: ['1.a', '2.b', '3'],
      'score:1.a': '4', 'rationale:1.a': 'why', 'evidence:1.a': ['7', '9'],
      'score:2.b': 'n', 'reason:2.b': 'no sources',
      'rationale:3': 'only text',
      'score:9.z': '5', // not marked: ignored
    });
    expect(result).toEqual({
      ok: true,
      data: [
        { code: '1.a', score: 4, reason: '', rationale: 'why', evidence: [7, 9] },
        { code: '2.b', score: 'cannot-judge', reason: 'no sources', rationale: '', evidence: [] },
        { code: '3', score: null, reason: '', rationale: 'only text', evidence: [] },
      ],
    });
  });

  it('accepts one marker as a plain string, and no marker as nothing to save', () => {
    expect(parseRatingForm({ c: '1.a', 'score:1.a': '2' })).toEqual({ ok: true, data: [{ code: '1.a', score: 2, reason: '', rationale: '', evidence: [] }] });
    expect(parseRatingForm({ _csrf: 'x' })).toEqual({ ok: true, data: [] });
  });

  it('names the field of a score that is not a number and of a bad evidence id', () => {
    expect(parseRatingForm({ c: '1.a', 'score:1.a': 'four' })).toEqual({ ok: false, errors: { 'score:1.a': { key: 'ratings.badScore' } } });
    expect(parseRatingForm({ c: '1.a', 'evidence:1.a': 'x1' })).toEqual({ ok: false, errors: { 'evidence:1.a': { key: 'form.invalid' } } });
  });
});

describe('ratings.service completeness', () => {
  it('a score, or cannot judge with a non-blank reason, is complete', () => {
    expect(isComplete({ score: 1, cannot_judge_reason: null })).toBe(true);
    expect(isComplete({ score: null, cannot_judge_reason: 'no data' })).toBe(true);
    expect(isComplete({ score: null, cannot_judge_reason: '  ' })).toBe(false);
    expect(isComplete({ score: null, cannot_judge_reason: null })).toBe(false);
    expect(isComplete(undefined)).toBe(false);
  });

  it('lists the missing codes in framework order', () => {
    const own = [
      { code: '2.a', score: 3, cannot_judge_reason: null },
      { code: '1.a', score: null, cannot_judge_reason: '' },
      { code: '1.c', score: null, cannot_judge_reason: 'none' },
    ];
    expect(missingCodes(['1.a', '1.b', '1.c', '2.a', '2.b'], own)).toEqual(['1.a', '1.b', '2.b']);
  });
});

describe('ratings.view', () => {
  const doc = {
    title: '', levels: [{ number: 2, name: 'Policy' }, { number: 1, name: 'Direct' }],
    categories: [{ key: 'B', level: 1, name: 'Bee' }, { key: 'A', level: 1, name: 'Ay' }],
    conditions: [
      { code: '2.x', level: 2, name: 'x', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.a', level: 1, category: 'A', name: 'a', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.n', level: 1, name: 'n', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.b', level: 1, category: 'B', name: 'b', polarity: 'higher-is-favourable', kind: 'rated' },
      { code: '1.z', level: 1, category: 'B', name: 'z', polarity: 'higher-is-favourable', kind: 'measured' },
    ],
    relations: [], groupings: [],
  } as Framework;

  it('groups conditions by level (ascending), then category in framework order, uncategorised last', () => {
    const groups = groupByLevel(doc, ['2.x', '1.a', '1.n', '1.b'], (code) => code);
    expect(groups).toEqual([
      { level: 1, levelName: 'Direct', categories: [{ name: 'Bee', conditions: ['1.b'] }, { name: 'Ay', conditions: ['1.a'] }, { name: null, conditions: ['1.n'] }] },
      { level: 2, levelName: 'Policy', categories: [{ name: null, conditions: ['2.x'] }] },
    ]);
  });

  it('puts a stored rating into the form: score, cannot judge, or no choice yet', () => {
    const row = (over: Partial<RatingRow>): RatingRow => ({ id: 1, condition_id: 1, code: '1.a', rater_id: 1, score: null, cannot_judge_reason: null, rationale: '', submitted_at: null, evidence: '[]', ...over });
    expect(valuesOf(row({ score: 4, rationale: 'r', evidence: '[3,5]' }))).toEqual({ score: '4', reason: '', rationale: 'r', evidence: ['3', '5'] });
    expect(valuesOf(row({ cannot_judge_reason: 'none' }))).toEqual({ score: 'n', reason: 'none', rationale: '', evidence: [] });
    expect(valuesOf(row({ rationale: 'thinking' }))).toEqual({ score: '', reason: '', rationale: 'thinking', evidence: [] });
    // An imported submitted rating without a score is "cannot judge" even without a reason.
    expect(valuesOf(row({ submitted_at: '2026-01-01T00:00:00Z' })).score).toBe('n');
    expect(valuesOf(undefined)).toEqual({ score: '', reason: '', rationale: '', evidence: [] });
  });
});
