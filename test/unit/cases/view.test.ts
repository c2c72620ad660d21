// Cases for the templates: attribute columns, typed display, merging form attributes.
import { describe, expect, it } from 'vitest';
import { fitsType, mergeAttributes } from '../../../server/cases/cases.service.ts';
import { attributeColumns, formatAttribute, formatNumber, measureRowCount } from '../../../server/cases/cases.view.ts';
import { translator } from '../../../server/lib/i18n.ts';

describe('cases.view', () => {
  it('lists declared types first, then attributes the cases have without a type', () => {
    const columns = attributeColumns(
      [{ id: 1, key: 'joint', type: 'boolean', position: 0 }],
      [{ sizeClass: '100.000+', joint: true }, { region: 'Noord' }],
    );
    expect(columns).toEqual([{ key: 'joint', type: 'boolean' }, { key: 'sizeClass', type: null }, { key: 'region', type: null }]);
  });

  it('shows booleans as yes/no and numbers with the language’s decimal mark', () => {
    const en = translator('en');
    const nl = translator('nl');
    expect(formatAttribute(true, en, 'en')).toBe('yes');
    expect(formatAttribute(false, en, 'en')).toBe('no');
    expect(formatAttribute(false, nl, 'nl')).toBe(nl('common.no'));
    expect(formatAttribute(-12.5, en, 'en')).toBe('-12.5');
    expect(formatAttribute(-12.5, nl, 'nl')).toBe('-12,5');
    expect(formatAttribute(undefined, en, 'en')).toBe('');
    expect(formatNumber(100000, 'nl')).toBe('100000');
  });

  it('shows one empty measure row after the last filled one', () => {
    expect(measureRowCount({})).toBe(1);
    expect(measureRowCount({ measure_variable_0: 'a', measure_value_2: '1' })).toBe(4);
  });
});

describe('cases.service attribute helpers', () => {
  it('merges form attributes: a value sets, null clears, absent keeps', () => {
    expect(mergeAttributes({ a: 1, b: 'x', c: true }, { a: 2, b: null })).toEqual({ a: 2, c: true });
  });

  it('matches stored values to types', () => {
    expect(fitsType('x', 'text')).toBe(true);
    expect(fitsType(1, 'text')).toBe(false);
    expect(fitsType(1, 'number')).toBe(true);
    expect(fitsType(false, 'boolean')).toBe(true);
    expect(fitsType('yes', 'boolean')).toBe(false);
  });
});
