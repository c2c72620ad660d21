// Input of cases: numbers and years, the case form with typed attributes and measure rows, and the
// checks on every row of a measures file.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../server/cases/cases.csv.ts';
import type { AttributeTypeRow } from '../../../server/cases/cases.repo.ts';
import { checkMeasureRecords, parseCaseEdit, parseDecimal, parseNewCase, parseYear, type CaseLookup } from '../../../server/cases/cases.schemas.ts';

describe('cases.schemas parseDecimal', () => {
  it('reads a decimal point or a decimal comma', () => {
    expect(parseDecimal('12.5')).toBe(12.5);
    expect(parseDecimal('12,5')).toBe(12.5);
    expect(parseDecimal(' -3 ')).toBe(-3);
    expect(parseDecimal('+0,25')).toBe(0.25);
    expect(parseDecimal('.5')).toBe(0.5);
  });

  it('refuses thousands separators, several marks, words and empty text', () => {
    for (const text of ['1.234,5', '1,234.5', '1 000', '12a', 'abc', '', '1e3', '--1', '12.', 'NaN', 'Infinity']) {
      expect(parseDecimal(text), text).toBeNull();
    }
  });
});

describe('cases.schemas parseYear', () => {
  it('accepts four digits only', () => {
    expect(parseYear('2022')).toBe(2022);
    expect(parseYear(' 1999 ')).toBe(1999);
    for (const text of ['22', '0999', '20221', '2022.0', 'twee', '']) expect(parseYear(text), text).toBeNull();
  });
});

const TYPES: AttributeTypeRow[] = [
  { id: 1, key: 'size', type: 'number', position: 0 },
  { id: 2, key: 'region', type: 'text', position: 1 },
  { id: 3, key: 'joint', type: 'boolean', position: 2 },
];

describe('cases.schemas parseNewCase', () => {
  it('reads typed attributes and measure rows, dropping empty rows', () => {
    const result = parseNewCase(
      {
        key: 'dordrecht', name: ' Dordrecht ', pseudonym: '', group: 'tekort', selectionReason: 'Large *deficit*',
        attr_size: '118,5', attr_region: 'Zuid-Holland', attr_joint: 'yes',
        measure_variable_0: 'hve', measure_year_0: '2022', measure_value_0: '-12,5',
        measure_variable_1: '', measure_year_1: '', measure_value_1: '',
        measure_variable_2: '1.b', measure_year_2: '', measure_value_2: '30.2',
      },
      TYPES,
    );
    expect(result).toEqual({
      ok: true,
      data: {
        key: 'dordrecht',
        input: {
          name: 'Dordrecht', pseudonym: null, group: 'tekort', selectionReason: 'Large *deficit*',
          attributes: { size: 118.5, region: 'Zuid-Holland', joint: true },
          measures: [{ variable: 'hve', year: 2022, value: -12.5 }, { variable: '1.b', year: null, value: 30.2 }],
        },
      },
    });
  });

  it('names every bad field', () => {
    const result = parseNewCase(
      {
        key: 'a b', name: '', attr_size: 'big', attr_joint: 'maybe',
        measure_variable_0: 'hve', measure_year_0: '22', measure_value_0: 'x',
        measure_variable_1: '', measure_year_1: '', measure_value_1: '5',
        measure_variable_2: 'k', measure_year_2: '', measure_value_2: '1',
        measure_variable_3: 'k', measure_year_3: '', measure_value_3: '2',
      },
      TYPES,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      key: { key: 'cases.keyFormat' },
      name: { key: 'form.required' },
      attr_size: { key: 'cases.notANumber' },
      attr_joint: { key: 'form.choice' },
      measure_year_0: { key: 'cases.badYear' },
      measure_value_0: { key: 'cases.notANumber' },
      measure_variable_1: { key: 'form.required' },
      measure_variable_3: { key: 'cases.duplicateMeasure', params: { variable: 'k', year: '—' } },
    });
  });

  it('refuses the words the case URLs use, in any case', () => {
    for (const key of ['new', 'Measures', 'attributes']) {
      const result = parseNewCase({ key, name: 'X' }, []);
      expect(result.ok ? null : result.errors.key, key).toEqual({ key: 'cases.keyReserved' });
    }
    for (const key of ['.', '..', '-x', '_x']) {
      const result = parseNewCase({ key, name: 'X' }, []);
      expect(result.ok ? null : result.errors.key, key).toEqual({ key: 'cases.keyFormat' });
    }
    expect(parseNewCase({ key: 's-Hertogenbosch_2.0', name: 'X' }, []).ok).toBe(true);
    expect(parseNewCase({ key: 'Zoetermeer', name: 'X' }, []).ok).toBe(true);
  });
});

describe('cases.schemas parseCaseEdit', () => {
  it('clears an emptied attribute and leaves out attributes whose field was not sent', () => {
    const result = parseCaseEdit({ name: 'X', attr_size: '', attr_joint: 'no' }, TYPES);
    expect(result.ok && result.data.attributes).toEqual({ size: null, joint: false });
  });
});

describe('cases.schemas checkMeasureRecords', () => {
  const lookup: CaseLookup = {
    byKey: new Map([['k1', 1], ['k2', 2], ['twin-a', 3], ['twin-b', 4]]),
    byName: new Map([['Case one', [1]], ['Case two', [2]], ['Twin', [3, 4]], ['k2', [1]]]),
  };

  it('stops after 100 problems and says so, so a file of thousands of bad lines stays readable', () => {
    const csv = `case,variable,value\n${Array.from({ length: 150 }, () => 'k1,hve,x').join('\n')}\n`;
    const result = checkMeasureRecords(parseCsv(csv), lookup);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(101);
    expect(result.problems.at(-1)).toEqual({ line: null, key: 'cases.csv.tooManyProblems', params: { max: 100 } });
  });
  const check = (text: string) => checkMeasureRecords(parseCsv(text), lookup);

  it('reads rows by key or by exact name, columns in any order, year optional', () => {
    expect(check('value,Case,variable,year\n-12.5,k1,hve,2022\n"3,25",Case two,hve,\n')).toEqual({
      ok: true,
      rows: [
        { line: 2, caseId: 1, variable: 'hve', year: 2022, value: -12.5 },
        { line: 3, caseId: 2, variable: 'hve', year: null, value: 3.25 },
      ],
    });
    expect(check('case,variable,value\nk1,x,1\n')).toEqual({ ok: true, rows: [{ line: 2, caseId: 1, variable: 'x', year: null, value: 1 }] });
  });

  it('takes a key before a name that equals it', () => {
    const result = check('case,variable,value\nk2,x,1\n');
    expect(result.ok && result.rows[0]!.caseId).toBe(2);
  });

  it('reports every bad row with its line and reason', () => {
    const result = check(
      [
        'case,variable,value,year',
        'k1,hve,1,2020', //                line 2: fine
        'nowhere,hve,1,2020', //           line 3: unknown case
        'k1,hve,abc,2020', //              line 4: not a number
        'k1,hve,2,20', //                  line 5: bad year
        'Case one,hve,3,2020', //          line 6: same case, variable and year as line 2
        'Twin,hve,1,', //                  line 7: two cases have this name
        'k2,,1,', //                       line 8: no variable
        'k2,x,1', //                       line 9: three fields instead of four
        ',,,', //                          line 10: empty, skipped
        'k2,y,"1.234,5",', //              line 11: thousands separator
      ].join('\n'),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 3, key: 'cases.csv.unknownCase', params: { case: 'nowhere' } },
        { line: 4, key: 'cases.csv.notANumber', params: { value: 'abc' } },
        { line: 5, key: 'cases.csv.badYear', params: { value: '20' } },
        { line: 6, key: 'cases.csv.duplicate', params: { first: 2 } },
        { line: 7, key: 'cases.csv.ambiguousCase', params: { case: 'Twin' } },
        { line: 8, key: 'cases.csv.noVariable' },
        { line: 9, key: 'cases.csv.fieldCount', params: { expected: 4, found: 3 } },
        { line: 11, key: 'cases.csv.notANumber', params: { value: '1.234,5' } },
      ],
    });
  });

  it('checks the header: missing, unknown and repeated columns', () => {
    expect(check('case,value,colour,value\n')).toEqual({
      ok: false,
      problems: [
        { line: 1, key: 'cases.csv.unknownColumn', params: { column: 'colour' } },
        { line: 1, key: 'cases.csv.duplicateColumn', params: { column: 'value' } },
        { line: 1, key: 'cases.csv.missingColumn', params: { column: 'variable' } },
      ],
    });
  });

  it('refuses an empty file and a file with only a header', () => {
    expect(check('')).toEqual({ ok: false, problems: [{ line: null, key: 'cases.csv.empty' }] });
    expect(check('case,variable,value\n\n')).toEqual({ ok: false, problems: [{ line: null, key: 'cases.csv.noRows' }] });
  });
});
