// Input schemas for logging in, first-run setup and setting a password.
import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '../lib/passwords.ts';

export const email = z.string().trim().toLowerCase().min(1).max(254).pipe(z.email({ message: 'form.email' }));
export const personName = z.string().trim().min(1).max(200);
export const newPassword = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

/** A new password typed twice. */
export const passwordPair = z
  .object({ password: newPassword, passwordConfirm: z.string() })
  .refine((v) => v.password === v.passwordConfirm, { message: 'form.passwordMismatch', path: ['passwordConfirm'] });

export const loginSchema = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(PASSWORD_MAX) });

export const setupSchema = z
  .object({ email, name: personName, password: newPassword, passwordConfirm: z.string() })
  .refine((v) => v.password === v.passwordConfirm, { message: 'form.passwordMismatch', path: ['passwordConfirm'] });

export const languageSchema = z.object({ language: z.enum(['en', 'nl']), next: z.string().optional() });

/** Only a path on this site is an acceptable place to return to after login. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}
