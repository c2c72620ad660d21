-- why: reconciliation of the raters' disagreements. A lead records a final score with a note for an
-- item (case, condition) whose submitted scores differ; raters and lead discuss each item in a
-- thread; a lead signs off a case. Items whose raters agree have no row here: their final score is
-- the agreed one. The submitted ratings themselves never change (triggers below).

CREATE TABLE reconciliations (
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  condition_id INTEGER NOT NULL REFERENCES conditions (id),
  score        INTEGER,                                  -- NULL: the lead decided the case cannot be judged on it
  note         TEXT    NOT NULL CHECK (length(trim(note)) > 0),
  rule         TEXT    CHECK (rule IS NULL OR rule IN ('lower', 'higher')),   -- set when a bulk rule decided it
  decided_by   INTEGER NOT NULL REFERENCES users (id),
  decided_at   TEXT    NOT NULL,
  PRIMARY KEY (case_id, condition_id)
) STRICT;
CREATE INDEX reconciliations_condition ON reconciliations (condition_id);

CREATE TABLE reconciliation_comments (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  condition_id INTEGER NOT NULL REFERENCES conditions (id),
  author_id    INTEGER NOT NULL REFERENCES users (id),
  body         TEXT    NOT NULL CHECK (length(trim(body)) > 0),
  created_at   TEXT    NOT NULL
) STRICT;
CREATE INDEX reconciliation_comments_item ON reconciliation_comments (case_id, condition_id, id);

-- A case's sign-off; a final score decided after it marks the case "changed after sign-off".
ALTER TABLE cases ADD COLUMN signed_off_at TEXT;
ALTER TABLE cases ADD COLUMN signed_off_by INTEGER REFERENCES users (id);

-- Original scores are immutable: a submitted rating's content never changes, and once a final score
-- was recorded for a case or the case was signed off its ratings cannot be reopened or removed.
CREATE TRIGGER ratings_submitted_immutable BEFORE UPDATE OF score, cannot_judge_reason, rationale, case_id, condition_id, rater_id ON ratings
WHEN OLD.submitted_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a submitted rating cannot be changed'); END;

CREATE TRIGGER ratings_reconciled_locked BEFORE UPDATE OF submitted_at ON ratings
WHEN OLD.submitted_at IS NOT NULL AND NEW.submitted_at IS NULL
  AND (EXISTS (SELECT 1 FROM reconciliations WHERE case_id = OLD.case_id)
       OR (SELECT signed_off_at FROM cases WHERE id = OLD.case_id) IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'the ratings of a case in reconciliation cannot be reopened'); END;

CREATE TRIGGER ratings_submitted_kept BEFORE DELETE ON ratings
WHEN OLD.submitted_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a submitted rating cannot be removed'); END;
