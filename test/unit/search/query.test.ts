// What users type becomes a safe FTS5 query: words and phrases quoted, few wildcards, no operators.
import { describe, expect, it } from 'vitest';
import { ftsQuery } from '../../../server/search/search.query.ts';

describe('ftsQuery', () => {
  it('quotes words and keeps phrases together', () => {
    expect(ftsQuery('zoekperiode "vier weken"')).toBe('"vier weken" "zoekperiode"');
  });
  it('allows a trailing * on words of three letters or more, at most twice', () => {
    expect(ftsQuery('regel* ab* poort* beleid*')).toBe('"regel"* "ab" "poort"* "beleid"');
  });
  it('turns operators and punctuation into plain words', () => {
    expect(ftsQuery('NEAR(a b) OR body:x')).toBe('"NEAR a" "b" "OR" "body x"');
  });
  it('keeps at most eight terms', () => {
    expect(ftsQuery('a b c d e f g h i j')!.split(' ')).toHaveLength(8);
  });
  it('gives null when nothing searchable is left', () => {
    expect(ftsQuery('(((*)))')).toBeNull();
    expect(ftsQuery('   ')).toBeNull();
  });
  it('keeps letters with accents and digits', () => {
    expect(ftsQuery('café 2019')).toBe('"café" "2019"');
  });
});
