// multer set-ups. Study files are small JSON documents read into memory (with a hard limit);
// CSV imports likewise; documents stream to disk (documents.storage.ts).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';

export const STUDY_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** One file field `file`, kept in memory, at most 20 MB. */
export const studyFileUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: STUDY_FILE_MAX_BYTES, files: 1, fields: 20, fieldSize: 100_000 },
}).single('file');

export const CSV_FILE_MAX_BYTES = 5 * 1024 * 1024;

const csvMulter = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: CSV_FILE_MAX_BYTES, files: 1, fields: 10, fieldSize: 10_000 },
}).single('file');

/**
 * One CSV file in field `file`, in memory, at most 5 MB. A larger file is not an error page: it sets
 * `res.locals.uploadTooLarge`, and the handler says so on its form (the CSRF check still runs first).
 */
export const csvUpload: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  csvMulter(req, res, (err?: unknown) => {
    if ((err as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE') {
      res.locals.uploadTooLarge = true;
      req.file = undefined;
      return next();
    }
    next(err);
  });
};
