// Message catalogues (English and Dutch) and the choice of language for a request.
import { en, nl } from './messages/index.ts';

export type MessageKey = keyof typeof en;
export type Language = 'en' | 'nl';
export const LANGUAGES: readonly Language[] = ['en', 'nl'];

const catalogues: Record<Language, Record<MessageKey, string>> = { en, nl };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'nl';
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === 'string' && Object.hasOwn(en, value);
}

/** Replaces {name} placeholders; a missing parameter stays visible rather than vanishing. */
export function translate(language: Language, key: MessageKey, params: Params = {}): string {
  const template = catalogues[language][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translator(language: Language): Translate {
  return (key, params) => translate(language, key, params);
}

/** The user's own setting first, then the choice made with the language switch in this browser, then the browser's preference. */
export function chooseLanguage(
  userSetting: string | null | undefined,
  browserChoice: string | null | undefined,
  acceptLanguage: (languages: string[]) => string | false,
): Language {
  if (isLanguage(userSetting)) return userSetting;
  if (isLanguage(browserChoice)) return browserChoice;
  const accepted = acceptLanguage([...LANGUAGES]);
  return isLanguage(accepted) ? accepted : 'en';
}
