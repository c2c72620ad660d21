// Form input for interview roles and the question bank.
import { z } from 'zod';

/** The fingerprint of the role or question a form was made from (see questionStamp, roleStamp). */
const stamp = z.string().trim().min(1).max(64);
const roleName = z.string().trim().min(1).max(200);

export const roleSchema = z.object({ name: roleName });
export const renameRoleSchema = z.object({ name: roleName, stamp });
export const stampSchema = z.object({ stamp });

/** Codes separated by commas, semicolons or spaces; repeated codes count once. */
export function splitCodes(value: string): string[] {
  return [...new Set(value.split(/[\s,;]+/).filter(Boolean))];
}

/** Ticked roles arrive as one value or several (`roles=1&roles=4`). */
const roleIds = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number({ message: 'guides.unknownRole' }).int('guides.unknownRole').positive('guides.unknownRole')).min(1, 'guides.rolesRequired'),
);

export const questionSchema = z.object({
  section: z.string().trim().max(300).default(''),
  text: z.string().trim().min(1).max(5_000),
  roles: roleIds,
  // Ticked in the condition picker (one value or several), or typed as a list of codes (a script).
  conditions: z
    .union([z.string().max(2_000), z.array(z.string().max(30)).max(2_000)])
    .default('')
    .transform((v) => (Array.isArray(v) ? [...new Set(v.map((c) => c.trim()).filter(Boolean))] : splitCodes(v)))
    .refine((codes) => codes.every((c) => c.length <= 30), 'guides.badCode'),
  /** Present when editing: the question as the form showed it. */
  stamp: z.string().trim().max(64).default(''),
});
export type QuestionForm = z.output<typeof questionSchema>;

export const moveSchema = z.object({ direction: z.enum(['up', 'down']) });
export const sectionMoveSchema = z.object({ section: z.string().trim().max(300), direction: z.enum(['up', 'down']) });
