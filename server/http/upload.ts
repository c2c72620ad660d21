// multer set-ups. Study files are small JSON documents read into memory (with a hard limit);
// documents (a later feature) stream to disk.
import multer from 'multer';

export const STUDY_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** One file field `file`, kept in memory, at most 20 MB. */
export const studyFileUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: STUDY_FILE_MAX_BYTES, files: 1, fields: 20, fieldSize: 100_000 },
}).single('file');
