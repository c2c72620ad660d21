-- why: fieldwork: typed case attributes, optimistic concurrency on cases, and interviews per case
-- with their roles, interviewers, touched conditions and the date of every status step.

ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The attributes a study records for its cases, with their type; values live in cases.attributes.
CREATE TABLE case_attribute_types (
  id       INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  key      TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
  type     TEXT    NOT NULL CHECK (type IN ('text', 'number', 'boolean')),
  position INTEGER NOT NULL,
  UNIQUE (study_id, key)
) STRICT;

CREATE TABLE interviews (
  id           INTEGER PRIMARY KEY,
  study_id     INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  key          TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
  date         TEXT    CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  participants INTEGER NOT NULL DEFAULT 1 CHECK (participants BETWEEN 0 AND 999),
  notes        TEXT    NOT NULL DEFAULT '',
  status       TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'drafted', 'sent', 'approved')),
  -- The date each step of the status was reached (ISO dates; NULL while not reached).
  held_on      TEXT,
  drafted_on   TEXT,
  sent_on      TEXT,
  approved_on  TEXT,
  version      INTEGER NOT NULL DEFAULT 1,               -- optimistic concurrency: raised by every edit
  created_by   INTEGER REFERENCES users (id),
  created_at   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL,
  UNIQUE (study_id, key)
) STRICT;
CREATE INDEX interviews_case ON interviews (case_id, date);

CREATE TABLE interview_roles (
  interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
  role_id      INTEGER NOT NULL REFERENCES roles (id),
  PRIMARY KEY (interview_id, role_id)
) STRICT;

-- Who conducted the interview: attendance decides rater eligibility later.
CREATE TABLE interview_interviewers (
  interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (interview_id, user_id)
) STRICT;
CREATE INDEX interview_interviewers_user ON interview_interviewers (user_id);

CREATE TABLE interview_conditions (
  interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
  condition_id INTEGER NOT NULL REFERENCES conditions (id),
  PRIMARY KEY (interview_id, condition_id)
) STRICT;
CREATE INDEX interview_conditions_condition ON interview_conditions (condition_id);
