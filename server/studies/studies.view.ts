// Plain data for the study form's "Rating settings" fieldset: the values as form strings, and the
// bounds and choices the hints and controls show.
import type { StudySettings } from '../studyfile/studyfile.schema.ts';
import { carriesSettings, CLASSIFICATIONS, SETTING_BOUNDS } from './studies.schemas.ts';

/** The settings as the form's field values (a ticked checkbox is "on", as a browser sends it). */
export function settingsValues(s: StudySettings): Record<string, string> {
  return {
    scaleMin: String(s.scale.min),
    scaleMax: String(s.scale.max),
    ratersPerCase: String(s.ratersPerCase),
    blindRating: s.blindRating ? 'on' : '',
    classification: s.classification,
    secondRaterNotAtInterviews: s.secondRaterNotAtInterviews ? 'on' : '',
    viewersSeeFieldwork: s.viewersSeeFieldwork ? 'on' : '',
  };
}

/**
 * The values under a re-rendered form's input: a form that sent the settings shows what was sent,
 * where an unticked checkbox sent nothing and so stays unticked; otherwise the saved settings.
 */
export function settingsValuesUnder(body: unknown, saved: StudySettings): Record<string, string> {
  return carriesSettings(body) ? { blindRating: '', secondRaterNotAtInterviews: '', viewersSeeFieldwork: '' } : settingsValues(saved);
}

/** Bounds for the hints and the choices of the settings fieldset. */
export function settingsFieldset() {
  const b = SETTING_BOUNDS;
  const raters: { value: string; label: string }[] = [];
  for (let n = b.ratersPerCase.min; n <= b.ratersPerCase.max; n++) raters.push({ value: String(n), label: String(n) });
  return {
    scaleHint: {
      minLow: b.scaleMin.min,
      minHigh: b.scaleMin.max,
      maxLow: b.scaleMax.min,
      maxHigh: b.scaleMax.max,
      pointsLow: b.scaleSpan.min + 1,
      pointsHigh: b.scaleSpan.max + 1,
    },
    ratersHint: b.ratersPerCase,
    raters,
    classifications: CLASSIFICATIONS,
  };
}
