// Message catalogues and the choice of language.
import { describe, expect, it } from 'vitest';
import { chooseLanguage, translate } from '../../../server/lib/i18n.ts';
import { en, nl } from '../../../server/lib/messages/index.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('Dutch has every English key, with text and the same placeholders', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const dutch = nl[key as keyof typeof en];
      expect(dutch.trim(), key).not.toBe('');
      expect(placeholders(dutch), key).toEqual(placeholders(text));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('nl', 'members.added', { name: 'a@b.nl' })).toBe('a@b.nl is nu lid.');
    expect(translate('en', 'members.added')).toBe('{name} is now a member.');
  });
});

describe('chooseLanguage', () => {
  const accepts = (preferred: string | false) => () => preferred;
  it('takes the user setting first', () => {
    expect(chooseLanguage('nl', 'en', accepts('en'))).toBe('nl');
  });
  it('then the choice made in this session', () => {
    expect(chooseLanguage(null, 'nl', accepts('en'))).toBe('nl');
  });
  it('then the browser, and English when the browser wants neither', () => {
    expect(chooseLanguage(null, undefined, accepts('nl'))).toBe('nl');
    expect(chooseLanguage(null, undefined, accepts(false))).toBe('en');
  });
});
