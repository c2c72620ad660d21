-- why: a study's analytical framework (levels, categories, conditions, relations, groupings), its
-- interview roles and question bank, its cases with their raters, and the ratings whose existence
-- freezes parts of the framework.

ALTER TABLE studies ADD COLUMN framework_title TEXT NOT NULL DEFAULT '';
ALTER TABLE studies ADD COLUMN framework_revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE levels (
  study_id    INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  number      INTEGER NOT NULL CHECK (number BETWEEN 0 AND 99),
  name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  description TEXT    NOT NULL DEFAULT '',
  PRIMARY KEY (study_id, number)
) STRICT;

CREATE TABLE categories (
  id       INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  key      TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 50),
  level    INTEGER NOT NULL,
  name     TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  position INTEGER NOT NULL,
  UNIQUE (study_id, key),
  FOREIGN KEY (study_id, level) REFERENCES levels (study_id, number) ON UPDATE CASCADE
) STRICT;

CREATE TABLE conditions (
  id          INTEGER PRIMARY KEY,
  study_id    INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  code        TEXT    NOT NULL CHECK (length(code) BETWEEN 1 AND 30),
  level       INTEGER NOT NULL,
  category_id INTEGER REFERENCES categories (id),
  name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  description TEXT    NOT NULL DEFAULT '',
  assessed_on TEXT    NOT NULL DEFAULT '',
  anchors     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(anchors)),   -- {"1": "…", "5": "…"}
  polarity    TEXT    NOT NULL CHECK (polarity IN ('higher-is-favourable', 'lower-is-favourable')),
  kind        TEXT    NOT NULL CHECK (kind IN ('rated', 'measured')),
  parent_id   INTEGER REFERENCES conditions (id),
  position    INTEGER NOT NULL,
  UNIQUE (study_id, code),
  FOREIGN KEY (study_id, level) REFERENCES levels (study_id, number) ON UPDATE CASCADE
) STRICT;
CREATE INDEX conditions_parent ON conditions (parent_id);
CREATE INDEX conditions_category ON conditions (category_id);

-- Assumed causal relations, cause -> effect.
CREATE TABLE relations (
  id       INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  from_id  INTEGER NOT NULL REFERENCES conditions (id) ON DELETE CASCADE,
  to_id    INTEGER NOT NULL REFERENCES conditions (id) ON DELETE CASCADE,
  note     TEXT    NOT NULL DEFAULT '',
  feedback INTEGER NOT NULL DEFAULT 0 CHECK (feedback IN (0, 1)),
  position INTEGER NOT NULL,
  UNIQUE (from_id, to_id),
  CHECK (from_id <> to_id)
) STRICT;
CREATE INDEX relations_study ON relations (study_id);
CREATE INDEX relations_to ON relations (to_id);

CREATE TABLE groupings (
  id       INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  key      TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 50),
  name     TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  reason   TEXT    NOT NULL DEFAULT '',
  position INTEGER NOT NULL,
  UNIQUE (study_id, key)
) STRICT;

CREATE TABLE grouping_members (
  grouping_id  INTEGER NOT NULL REFERENCES groupings (id) ON DELETE CASCADE,
  condition_id INTEGER NOT NULL REFERENCES conditions (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  PRIMARY KEY (grouping_id, condition_id)
) STRICT;
CREATE INDEX grouping_members_condition ON grouping_members (condition_id);

-- Interview roles and the question bank.
CREATE TABLE roles (
  id       INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  name     TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  position INTEGER NOT NULL,
  UNIQUE (study_id, name)
) STRICT;

CREATE TABLE questions (
  id       INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  section  TEXT    NOT NULL DEFAULT '',
  text     TEXT    NOT NULL CHECK (length(text) >= 1),
  position INTEGER NOT NULL
) STRICT;
CREATE INDEX questions_study ON questions (study_id, position);

CREATE TABLE question_roles (
  question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  role_id     INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  PRIMARY KEY (question_id, role_id)
) STRICT;

CREATE TABLE question_conditions (
  question_id  INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
  condition_id INTEGER NOT NULL REFERENCES conditions (id) ON DELETE CASCADE,
  PRIMARY KEY (question_id, condition_id)
) STRICT;
CREATE INDEX question_conditions_condition ON question_conditions (condition_id);

CREATE TABLE cases (
  id               INTEGER PRIMARY KEY,
  study_id         INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  key              TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
  name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  pseudonym        TEXT,                                   -- NULL until one is assigned
  grp              TEXT    NOT NULL DEFAULT '',            -- the outcome group ("group" in the study file)
  attributes       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
  selection_reason TEXT    NOT NULL DEFAULT '',
  position         INTEGER NOT NULL,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL,
  UNIQUE (study_id, key)
) STRICT;

-- Numeric values per case: a measured condition's value (variable = its code) or a named variable.
CREATE TABLE case_measures (
  id       INTEGER PRIMARY KEY,
  case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  variable TEXT    NOT NULL CHECK (length(variable) BETWEEN 1 AND 100),
  year     INTEGER,                                        -- NULL: not tied to a year
  value    REAL    NOT NULL,
  position INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX case_measures_key ON case_measures (case_id, variable, ifnull(year, -1));

CREATE TABLE case_raters (
  case_id  INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users (id),
  position INTEGER NOT NULL,
  PRIMARY KEY (case_id, user_id)
) STRICT;
CREATE INDEX case_raters_user ON case_raters (user_id);

-- A rater's score of a condition for a case: NULL score means "cannot judge".
CREATE TABLE ratings (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  condition_id INTEGER NOT NULL REFERENCES conditions (id),
  rater_id     INTEGER NOT NULL REFERENCES users (id),
  score        INTEGER,
  rationale    TEXT    NOT NULL DEFAULT '',
  submitted_at TEXT,                                       -- NULL: a draft, private to its rater
  created_at   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL,
  UNIQUE (case_id, condition_id, rater_id)
) STRICT;
CREATE INDEX ratings_condition ON ratings (condition_id);
CREATE INDEX ratings_rater ON ratings (rater_id);
