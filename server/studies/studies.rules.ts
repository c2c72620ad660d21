// Pure rules of a study's settings: the values a setting may take on its own, and naming the cases
// a refusal is about. The rules that depend on the study's data (ratings, assignments) are in
// studies.service.ts, which applies both.
import type { MessageKey } from '../lib/i18n.ts';
import type { StudySettings } from '../studyfile/studyfile.schema.ts';
import { SETTING_BOUNDS } from './studies.schemas.ts';

export type SettingsProblems = Record<string, { key: MessageKey; params?: Record<string, string | number> }>;

/** How many cases a refusal names before it says "and N more". */
export const NAMED_CASES = 10;

/**
 * Problems of the settings on their own, by form field (`scale` for the scale as a whole): each
 * end within the study file's bounds, the highest above the lowest, and 2 to 10 points.
 */
export function settingsProblems(s: StudySettings): SettingsProblems {
  const problems: SettingsProblems = {};
  const { scaleMin, scaleMax, ratersPerCase, scaleSpan } = SETTING_BOUNDS;
  const outside = (v: number, b: { min: number; max: number }) => v < b.min || v > b.max;
  if (outside(s.scale.min, scaleMin)) problems.scaleMin = { key: 'studies.settings.scaleMinRange', params: scaleMin };
  if (outside(s.scale.max, scaleMax)) problems.scaleMax = { key: 'studies.settings.scaleMaxRange', params: scaleMax };
  if (!problems.scaleMin && !problems.scaleMax) {
    const span = s.scale.max - s.scale.min;
    if (span < scaleSpan.min) problems.scale = { key: 'studies.settings.scaleOrder' };
    else if (span > scaleSpan.max) {
      problems.scale = { key: 'studies.settings.scaleSpan', params: { points: scaleSpan.max + 1, min: s.scale.min, max: s.scale.min + scaleSpan.max } };
    }
  }
  if (outside(s.ratersPerCase, ratersPerCase)) problems.ratersPerCase = { key: 'studies.settings.ratersRange', params: ratersPerCase };
  return problems;
}

/**
 * A refusal that names cases: at most NAMED_CASES of them, then "and N more" (the `.more` variant
 * of the message key).
 */
export function namingCases(key: 'studies.settings.ratersAssigned' | 'studies.settings.interviewRule', names: readonly string[], params: Record<string, string | number> = {}) {
  const shown = names.slice(0, NAMED_CASES).join(', ');
  const more = names.length - NAMED_CASES;
  return more > 0
    ? { key: `${key}.more` as const, params: { ...params, count: names.length, cases: shown, more } }
    : { key, params: { ...params, count: names.length, cases: shown } };
}
