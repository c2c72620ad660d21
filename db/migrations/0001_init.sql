-- why: the foundation: accounts, sessions, login throttling, studies with members, and the append-only audit log.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
  name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  password_hash TEXT,                       -- NULL until the user sets one through a set-password link
  is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  language      TEXT    CHECK (language IN ('en', 'nl')),   -- NULL: follow the browser
  created_at    TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL
) STRICT;

-- One-time links to set a password; only the SHA-256 of the token is stored.
CREATE TABLE password_tokens (
  token_hash TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT    NOT NULL,
  expires_at TEXT    NOT NULL,
  used_at    TEXT
) STRICT;
CREATE INDEX password_tokens_user ON password_tokens (user_id);

CREATE TABLE sessions (
  sid        TEXT    PRIMARY KEY,
  expires_at INTEGER NOT NULL,              -- milliseconds since the epoch
  data       TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
  id      INTEGER PRIMARY KEY,
  email   TEXT    NOT NULL COLLATE NOCASE,
  address TEXT    NOT NULL,
  at      INTEGER NOT NULL                  -- milliseconds since the epoch
) STRICT;
CREATE INDEX login_failures_key ON login_failures (email, address, at);

CREATE TABLE studies (
  id                             INTEGER PRIMARY KEY,
  title                          TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  question                       TEXT    NOT NULL DEFAULT '',
  language                       TEXT    NOT NULL CHECK (language IN ('en', 'nl')),
  scale_min                      INTEGER NOT NULL DEFAULT 1,
  scale_max                      INTEGER NOT NULL DEFAULT 5 CHECK (scale_max > scale_min),
  raters_per_case                INTEGER NOT NULL DEFAULT 2 CHECK (raters_per_case BETWEEN 2 AND 4),
  blind_rating                   INTEGER NOT NULL DEFAULT 1 CHECK (blind_rating IN (0, 1)),
  classification                 TEXT    NOT NULL DEFAULT 'relative' CHECK (classification IN ('relative', 'absolute')),
  second_rater_not_at_interviews INTEGER NOT NULL DEFAULT 0 CHECK (second_rater_not_at_interviews IN (0, 1)),
  created_by                     INTEGER REFERENCES users (id),
  created_at                     TEXT    NOT NULL,
  updated_at                     TEXT    NOT NULL
) STRICT;

CREATE TABLE memberships (
  study_id   INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  role       TEXT    NOT NULL CHECK (role IN ('lead', 'researcher', 'viewer')),
  created_at TEXT    NOT NULL,
  PRIMARY KEY (study_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships (user_id);

-- Append-only: who did what, when, with the state before and after (JSON).
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT    NOT NULL,
  actor_id  INTEGER REFERENCES users (id),  -- NULL: the command line or the system
  study_id  INTEGER REFERENCES studies (id),
  entity    TEXT    NOT NULL,
  entity_id INTEGER,
  action    TEXT    NOT NULL,
  before    TEXT,
  after     TEXT
) STRICT;
CREATE INDEX audit_log_study ON audit_log (study_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
