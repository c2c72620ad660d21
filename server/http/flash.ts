// One-shot messages carried across a redirect (Post/Redirect/Get) in the session.
import type { NextFunction, Request, Response } from 'express';
import type { Flash } from './types.ts';

export function setFlash(req: Request, flash: Flash): void {
  req.session.flash = flash;
}

export function takeFlash(req: Request, res: Response, next: NextFunction): void {
  res.locals.flash = req.session?.flash ?? null;
  if (req.session?.flash) delete req.session.flash;
  next();
}
