// Irreversible actions (submit, sign off, bulk resolve, unblind, reopen, delete) ask first. Without
// JavaScript the action's POST answers with a page that says what will happen and posts the same
// fields again with `confirmed=yes`; with JavaScript, kader.js asks in a native <dialog> (the form's
// `data-confirm` text) and adds that field itself, so the extra page is skipped.
import type { Request, Response } from 'express';

/** Whether the user has confirmed the action this POST asks for. */
export function isConfirmed(req: Request): boolean {
  return (req.body as Record<string, unknown> | undefined)?.confirmed === 'yes';
}

export interface ConfirmationAsk {
  /** The page's heading: the action as a question ("Sign off Almere?"). */
  title: string;
  /** What will happen and what cannot be undone. */
  text: string;
  /** The label of the button that does it. */
  button: string;
  /** Where "Cancel" leads. */
  back: string;
  /** A red button: something is removed or lost. */
  danger?: boolean;
}

/** Renders the confirmation page, which posts the same fields to the same address once confirmed. */
export function askToConfirm(req: Request, res: Response, ask: ConfirmationAsk): void {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const fields = Object.entries(body)
    .filter(([name]) => name !== '_csrf' && name !== 'confirmed')
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: String(v) })));
  res.render('confirm', { ...ask, danger: ask.danger ?? false, action: req.originalUrl, fields });
}
