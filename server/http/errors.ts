// The 404 after all routes and the error handler last: friendly pages in the user's language,
// no stack traces to users, every unexpected error logged with the request id.
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { HttpError } from '../lib/errors.ts';
import { chooseLanguage, translator, type MessageKey } from '../lib/i18n.ts';
import { csrfToken } from './csrf.ts';
import { chosenLanguage } from './cookies.ts';
import { loggableUrl } from './request-log.ts';
import type { Logger } from '../lib/logger.ts';

const TITLES: Record<number, MessageKey> = {
  403: 'error.title.403',
  404: 'error.title.404',
  410: 'error.title.410',
  413: 'error.title.413',
};

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new HttpError(404, 'error.notFound'));
}

/** busboy's refusals of a malformed multipart body: it gives them no code, only these messages. */
const MALFORMED_MULTIPART = /^(Unexpected end of (form|file)|Malformed part header|Malformed content type|Multipart: Boundary not found|Missing Content-Type|Unsupported content type: )/;

/** Errors raised by body parsers carry a status and a type; map the ones users can cause. */
function fromParser(err: { status?: number; type?: string; code?: string }): HttpError | null {
  if (err.type === 'entity.too.large' || err.status === 413 || err.code === 'LIMIT_FILE_SIZE') return new HttpError(413, 'error.tooLarge');
  if (typeof err.code === 'string' && err.code.startsWith('LIMIT_')) return new HttpError(400, 'error.badRequest');
  if (err instanceof multer.MulterError || (err instanceof Error && MALFORMED_MULTIPART.test(err.message))) return new HttpError(400, 'error.badRequest');
  if (err.status === 400 || err.type === 'entity.parse.failed') return new HttpError(400, 'error.badRequest');
  return null;
}

export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const known = err instanceof HttpError ? err : fromParser(err as object);
    const status = known?.status ?? 500;
    const key: MessageKey = known?.messageKey ?? 'error.server';
    if (status >= 500) logger.error({ err, reqId: req.id, url: loggableUrl(req.originalUrl) }, 'request failed');
    if (res.headersSent) return void res.end();
    // The error may have happened before the middleware that prepares every page ran.
    const language = req.language ?? chooseLanguage(req.user?.language, chosenLanguage(req), (l) => req.acceptsLanguages(...l));
    const t = translator(language);
    const message = t(key, known?.params);
    if (req.path === '/healthz' || (req.accepts(['html', 'json']) === 'json' && !req.accepts('html'))) {
      res.status(status).json({ error: message, requestId: req.id });
      return;
    }
    const titleKey = TITLES[status] ?? (status >= 500 ? 'error.title.500' : 'error.title.400');
    const locals = {
      t,
      lang: language,
      currentUser: req.user ?? null,
      currentPath: req.path,
      flash: null,
      csrfToken: req.session ? csrfToken(req, res) : '',
      title: t(titleKey),
      status,
      message,
      requestId: req.id,
    };
    res.status(status).render('errors/error', locals, (renderError, html) => {
      if (!renderError) return void res.send(html);
      logger.error({ err: renderError, reqId: req.id }, 'error page failed to render');
      res.type('text/plain').send(`${locals.title}\n\n${message}\n\n${req.id}`);
    });
  };
}
