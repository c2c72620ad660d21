-- why: analysis (PRODUCT.md workflow steps 8–10). The lead's explanation degree and narrative per case,
-- the log of complexity-reduction decisions (reversible: a decision is reverted, never deleted, so the
-- history stays), the study's Markdown report templates, and the word pseudonyms are made of.
-- Scores, classes, verdicts and statistics are not stored: they are computed from the final scores.

-- The within-case analysis of a case: what the lead decided. No row: no degree and no narrative yet.
CREATE TABLE case_analyses (
  case_id            INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
  explanation_degree TEXT    CHECK (explanation_degree IS NULL OR explanation_degree IN ('hardly', 'limited', 'fair', 'good')),
  narrative          TEXT    NOT NULL DEFAULT '',               -- Markdown
  updated_by         INTEGER REFERENCES users (id),             -- NULL: written by an import from the command line
  updated_at         TEXT    NOT NULL
) STRICT;

-- Complexity reduction (method-notes.md step 7): 1 no distinguishing power, 2 substantive grounds,
-- 3 grouping, 4 levels. Methods 1, 2 and 4 take the condition out of the analysis; 3 keeps it and adds
-- its grouping as a combined row. A decision is active until reverted; at most one is active per condition.
CREATE TABLE reductions (
  id           INTEGER PRIMARY KEY,
  study_id     INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  condition_id INTEGER NOT NULL REFERENCES conditions (id) ON DELETE CASCADE,
  method       INTEGER NOT NULL CHECK (method BETWEEN 1 AND 4),
  reason       TEXT    NOT NULL CHECK (length(trim(reason)) > 0),
  decided_by   INTEGER NOT NULL REFERENCES users (id),
  decided_at   TEXT    NOT NULL,
  reverted_by  INTEGER REFERENCES users (id),
  reverted_at  TEXT,
  CHECK ((reverted_by IS NULL) = (reverted_at IS NULL))
) STRICT;
CREATE UNIQUE INDEX reductions_active ON reductions (condition_id) WHERE reverted_at IS NULL;
CREATE INDEX reductions_study ON reductions (study_id, id);

-- A lead's Markdown template for the case report and the cross-case report. No row: the built-in one.
CREATE TABLE report_templates (
  study_id   INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  kind       TEXT    NOT NULL CHECK (kind IN ('case', 'cross-case')),
  body       TEXT    NOT NULL,
  updated_by INTEGER REFERENCES users (id),
  updated_at TEXT    NOT NULL,
  PRIMARY KEY (study_id, kind)
) STRICT;

-- Pseudonyms are "<word> 1 … n". Empty: the default word for the study's language, 'Gemeente' (nl) or
-- 'Case' (en); see pseudonymWord in server/analysis/analysis.rules.ts.
ALTER TABLE studies ADD COLUMN pseudonym_word TEXT NOT NULL DEFAULT '' CHECK (length(pseudonym_word) <= 100);
