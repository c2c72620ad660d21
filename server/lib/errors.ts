// Errors that carry an HTTP status and a message key; the error handler turns them into pages.
import type { MessageKey } from './i18n.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: MessageKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
  }
}

export const notFound = () => new HttpError(404, 'error.notFound');
export const forbidden = () => new HttpError(403, 'error.forbidden');

/** Input refused by a service, with the problem per form field (`_form` for the form as a whole). */
export class FormRefusal extends Error {
  constructor(readonly fields: Record<string, { key: MessageKey; params?: Record<string, string | number> }>) {
    super('input refused');
  }
}

/** A rule of the domain was broken by valid input (e.g. removing the last lead): shown next to the form. */
export class RuleError extends Error {
  constructor(
    readonly messageKey: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
  ) {
    super(messageKey);
  }
}
