// Input schemas for studies and memberships.
import { z } from 'zod';
import { email } from '../auth/auth.schemas.ts';

export const studySchema = z.object({
  title: z.string().trim().min(1).max(300),
  question: z.string().trim().max(20_000).default(''),
  language: z.enum(['nl', 'en']),
});

export const newStudySchema = studySchema.extend({ template: z.enum(['empty', 'bijstand']).default('empty') });

export const studyRoleSchema = z.enum(['lead', 'researcher', 'viewer']);
export const addMemberSchema = z.object({ email, role: studyRoleSchema });
export const changeRoleSchema = z.object({ role: studyRoleSchema });
