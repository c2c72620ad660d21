// Input schemas for studies (with their rating settings) and memberships.
import { z } from 'zod';
import { email } from '../auth/auth.schemas.ts';
import { settingsSchema, type StudySettings } from '../studyfile/studyfile.schema.ts';
import { PHASES, SORTS } from './dashboard.rules.ts';

export const studySchema = z.object({
  title: z.string().trim().min(1).max(300),
  question: z.string().trim().max(20_000).default(''),
  language: z.enum(['nl', 'en']),
});

function boundsOf(n: z.ZodNumber): { min: number; max: number } {
  if (n.minValue === null || n.maxValue === null) throw new Error('a study setting without bounds');
  return { min: n.minValue, max: n.maxValue };
}
const scaleShape = settingsSchema.shape.scale.unwrap().shape;

/**
 * What each setting may be. The scale ends and raters per case are the study file's own bounds
 * (settingsSchema), so a study saved here always exports to a file that imports again. The span
 * (max − min) is the form's own: a scale of 2 to 10 points, from a yes/no judgement to 1–10.
 */
export const SETTING_BOUNDS = {
  scaleMin: boundsOf(scaleShape.min),
  scaleMax: boundsOf(scaleShape.max),
  ratersPerCase: boundsOf(settingsSchema.shape.ratersPerCase.unwrap()),
  scaleSpan: { min: 1, max: 9 },
} as const;
export const CLASSIFICATIONS = settingsSchema.shape.classification.unwrap().options;

const wholeNumber = z
  .string()
  .trim()
  .min(1)
  .regex(/^-?\d{1,6}$/, 'studies.settings.wholeNumber')
  .transform(Number);
/** An HTML checkbox sends "on" when ticked and nothing at all when not. */
const checkbox = z
  .enum(['on', 'true'])
  .optional()
  .transform((v) => v !== undefined);

/** The fields that are always sent when the form shows the settings (checkboxes are not: unticked sends nothing). */
const SETTING_VALUE_FIELDS = ['scaleMin', 'scaleMax', 'ratersPerCase', 'classification'] as const;

const studyFields = studySchema.extend({
  scaleMin: wholeNumber.optional(),
  scaleMax: wholeNumber.optional(),
  ratersPerCase: wholeNumber.optional(),
  classification: z.enum(CLASSIFICATIONS).optional(),
  blindRating: checkbox,
  secondRaterNotAtInterviews: checkbox,
  viewersSeeFieldwork: checkbox,
});
const SETTING_CHECKBOXES = ['blindRating', 'secondRaterNotAtInterviews', 'viewersSeeFieldwork'] as const;
type SettingFields = Pick<z.output<typeof studyFields>, (typeof SETTING_VALUE_FIELDS)[number] | (typeof SETTING_CHECKBOXES)[number]>;

/** Whether a study form (raw or parsed) includes the rating settings (see studyFormSchema). */
export function carriesSettings(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return [...SETTING_VALUE_FIELDS, ...SETTING_CHECKBOXES].some((k) => b[k] !== undefined && b[k] !== false);
}

function requireAllSettings(v: SettingFields, ctx: z.RefinementCtx): void {
  if (!carriesSettings(v)) return;
  for (const field of SETTING_VALUE_FIELDS) {
    if (v[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'form.required' });
  }
}

function splitSettings<T extends SettingFields>(v: T): Omit<T, keyof SettingFields> & { settings: StudySettings | undefined } {
  const { scaleMin, scaleMax, ratersPerCase, classification, blindRating, secondRaterNotAtInterviews, viewersSeeFieldwork, ...rest } = v;
  const settings =
    scaleMin !== undefined && scaleMax !== undefined && ratersPerCase !== undefined && classification !== undefined
      ? { scale: { min: scaleMin, max: scaleMax }, ratersPerCase, blindRating, classification, secondRaterNotAtInterviews, viewersSeeFieldwork }
      : undefined;
  return { ...rest, settings };
}

/**
 * The study form: title, question, language and, when the form carries them, the rating settings.
 * `settings` is undefined for a body without any of the settings' fields (an older form, a script):
 * the settings then stay as they are, so an unticked box that was never shown cannot turn blinding
 * off. Only the shape is checked here; which values are allowed, alone and given the study's
 * ratings and assignments, is decided in one place: checkSettings in studies.service.ts.
 */
export const studyFormSchema = studyFields.superRefine(requireAllSettings).transform(splitSettings);
export const newStudySchema = studyFields
  .extend({ template: z.enum(['empty', 'bijstand']).default('empty') })
  .superRefine(requireAllSettings)
  .transform(splitSettings);

export const studyRoleSchema = z.enum(['lead', 'researcher', 'viewer']);
/** Adding a person: `name` only matters when the address has no account yet (studies.service addPerson). */
export const addMemberSchema = z.object({ email, role: studyRoleSchema, name: z.string().trim().max(200).default('') });
export const changeRoleSchema = z.object({ role: studyRoleSchema });

/**
 * The dashboard's address: `?phase=` one phase (else every case), `?sort=` an order, `?page=` from 1.
 * A link that is out of date or typed by hand falls back to the default rather than failing.
 */
export const dashboardQuerySchema = z.object({
  phase: z.enum(PHASES).optional().catch(undefined),
  sort: z.enum(SORTS).default('case').catch('case'),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
});
