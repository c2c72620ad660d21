// All interface texts: the shared catalogue (en.ts, nl.ts) and one catalogue per feature that
// keeps its own (server/<feature>/<feature>.messages.ts). The compiler checks that Dutch has every
// English key.
import { en as coreEn } from './en.ts';
import { nl as coreNl } from './nl.ts';

export const en = { ...coreEn };
export const nl: Record<keyof typeof en, string> = { ...coreNl };
