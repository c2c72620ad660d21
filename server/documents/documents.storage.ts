// A multer storage engine that streams each uploaded file to a temporary file in the uploads
// folder while computing its SHA-256, its size and whether it is text by the upload rule
// (TextCheck), so memory does not grow with the file. Temporary files that no handler claimed are
// removed when the response ends (refused uploads included).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { HttpError } from '../lib/errors.ts';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../lib/private-files.ts';
import { TextCheck } from './documents.sniff.ts';

export interface StoredUpload {
  path: string;
  size: number;
  sha256: string;
  /** TextCheck's verdict on the whole file as it was written; absent, recognise reads the file to decide. */
  isText?: boolean;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Temporary files written for this request; a handler that keeps one removes it from here. */
      incomingFiles?: string[];
    }
    namespace Multer {
      interface File {
        sha256?: string;
        isText?: boolean;
      }
    }
  }
}

class HashingDiskStorage implements multer.StorageEngine {
  constructor(private readonly dir: string) {}

  _handleFile(req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    makePrivateDir(this.dir);
    const target = path.join(this.dir, `${crypto.randomBytes(16).toString('hex')}.part`);
    (req.incomingFiles ??= []).push(target);
    const hash = crypto.createHash('sha256');
    const text = new TextCheck();
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        text.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    pipeline(file.stream, measure, fs.createWriteStream(target, { flags: 'wx', mode: PRIVATE_FILE_MODE })).then(
      () => cb(null, { path: target, size, sha256: hash.digest('hex'), isText: text.result() }),
      (err: unknown) => cb(err),
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    fs.rm(file.path, { force: true }, () => cb(null));
  }
}

/** Removes whatever temporary upload files a request left when its response is done. */
function cleanUpAfterResponse(req: Request, res: Response, next: NextFunction): void {
  res.on('close', () => {
    for (const file of req.incomingFiles ?? []) fs.rm(file, { force: true }, () => {});
  });
  next();
}

/** One file in field `file`, streamed to `incomingDir`, refused past `maxBytes` (413). */
export function documentUpload(incomingDir: string, maxBytes: number): RequestHandler {
  const upload = multer({
    storage: new HashingDiskStorage(incomingDir),
    // Browsers send file names in UTF-8 without saying so.
    defParamCharset: 'utf8',
    limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 100_000 },
  }).single('file');
  const tooLarge = new HttpError(413, 'documents.tooLarge', { max: Math.round(maxBytes / 1024 / 1024) });
  return (req, res, next) =>
    cleanUpAfterResponse(req, res, () => upload(req, res, (err?: unknown) => next((err as { code?: string })?.code === 'LIMIT_FILE_SIZE' ? tooLarge : err)));
}
