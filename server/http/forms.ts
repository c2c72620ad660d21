// Parsing form input with zod into typed data, or into field errors named by message keys.
import type { Response } from 'express';
import type { z } from 'zod';
import { isMessageKey, type MessageKey, type Params } from '../lib/i18n.ts';

export interface FieldError {
  key: MessageKey;
  params?: Params;
}
export type FieldErrors = Record<string, FieldError>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

function issueToError(issue: z.core.$ZodIssue): FieldError {
  if (isMessageKey(issue.message)) return { key: issue.message };
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) <= 1
        ? { key: 'form.required' }
        : { key: 'form.tooShort', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return { key: 'form.tooLong', params: { max: Number(issue.maximum) } };
    case 'invalid_format':
      return { key: issue.format === 'email' ? 'form.email' : 'form.invalid' };
    case 'invalid_value':
      return { key: 'form.choice' };
    case 'invalid_type':
      return { key: issue.input === undefined ? 'form.required' : 'form.invalid' };
    default:
      return { key: 'form.invalid' };
  }
}

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issueToError(issue);
  }
  return { ok: false, errors };
}

/** The submitted values to put back into a re-rendered form; passwords are never echoed. */
export function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string' && !/password|_csrf/i.test(k)) values[k] = v;
    }
  }
  return values;
}

/** Re-renders a form with 422 (or the given status), the user's input and the problems named. */
export function renderInvalid(
  res: Response,
  view: string,
  data: Record<string, unknown>,
  errors: FieldErrors,
  body: unknown,
  status = 422,
): void {
  res.status(status).render(view, { ...data, errors, values: { ...(data.values as object | undefined), ...formValues(body) } });
}
