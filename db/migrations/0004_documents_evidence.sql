-- why: documents uploaded per case (stored under random names, checked by content, with their
-- SHA-256 and extracted text) and evidence: quotes from interviews or documents linked to conditions.

CREATE TABLE documents (
  id           INTEGER PRIMARY KEY,
  study_id     INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  key          TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
  title        TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  kind         TEXT    NOT NULL DEFAULT '',
  date         TEXT    CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  filename     TEXT    NOT NULL,                 -- the name it was uploaded with, shown and used on download
  storage_name TEXT    UNIQUE,                   -- random name under DATA_DIR/uploads; NULL for metadata-only imports
  media_type   TEXT    NOT NULL DEFAULT 'application/octet-stream',
  size         INTEGER NOT NULL DEFAULT 0,
  sha256       TEXT    NOT NULL DEFAULT '',
  text         TEXT    NOT NULL DEFAULT '',      -- extracted for search
  text_status  TEXT    NOT NULL DEFAULT 'none' CHECK (text_status IN ('none', 'pending', 'done', 'failed', 'skipped')),
  uploaded_by  INTEGER REFERENCES users (id),
  created_at   TEXT    NOT NULL,
  UNIQUE (study_id, key)
) STRICT;
CREATE INDEX documents_case ON documents (case_id);

-- A quote or locator from an interview or a document of a case, bearing on one or more conditions.
CREATE TABLE evidence (
  id           INTEGER PRIMARY KEY,
  study_id     INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  interview_id INTEGER REFERENCES interviews (id),
  document_id  INTEGER REFERENCES documents (id),
  quote        TEXT    NOT NULL DEFAULT '',
  locator      TEXT    NOT NULL DEFAULT '',
  created_by   INTEGER REFERENCES users (id),
  created_at   TEXT    NOT NULL,
  CHECK ((interview_id IS NULL) <> (document_id IS NULL)),
  CHECK (length(quote) > 0 OR length(locator) > 0)
) STRICT;
CREATE INDEX evidence_case ON evidence (case_id);
CREATE INDEX evidence_interview ON evidence (interview_id);
CREATE INDEX evidence_document ON evidence (document_id);

CREATE TABLE evidence_conditions (
  evidence_id  INTEGER NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
  condition_id INTEGER NOT NULL REFERENCES conditions (id),
  PRIMARY KEY (evidence_id, condition_id)
) STRICT;
CREATE INDEX evidence_conditions_condition ON evidence_conditions (condition_id);
