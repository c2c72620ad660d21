-- why: sources are read and coded in Kader (issue 15). A piece of evidence may be a passage: an exact
-- span of its source's text in Unicode code points, end exclusive (study-format.md "Passages"), with
-- a note of its own. When interview notes are edited, passages are re-anchored by their quote; one
-- that cannot be placed is flagged for review (needs_review = 1) and keeps its last span, never moved
-- silently. A PDF's extracted text keeps where each page starts (pages: JSON array of code-point
-- offsets), so a passage knows its page. Memos are Markdown notes on exactly one of: a case, a
-- condition, a source (interview or document) or a passage.
ALTER TABLE evidence ADD COLUMN span_start INTEGER CHECK (span_start >= 0);
ALTER TABLE evidence ADD COLUMN span_end INTEGER CHECK (span_end > span_start);
ALTER TABLE evidence ADD COLUMN note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 20000);
ALTER TABLE evidence ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1));
CREATE TRIGGER evidence_span_whole BEFORE INSERT ON evidence
WHEN (NEW.span_start IS NULL) <> (NEW.span_end IS NULL)
BEGIN SELECT RAISE(ABORT, 'a span has both a start and an end'); END;
CREATE TRIGGER evidence_span_whole_update BEFORE UPDATE OF span_start, span_end ON evidence
WHEN (NEW.span_start IS NULL) <> (NEW.span_end IS NULL)
BEGIN SELECT RAISE(ABORT, 'a span has both a start and an end'); END;

ALTER TABLE documents ADD COLUMN pages TEXT CHECK (pages IS NULL OR json_valid(pages));

CREATE TABLE memos (
  id           INTEGER PRIMARY KEY,
  study_id     INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  case_id      INTEGER REFERENCES cases (id) ON DELETE CASCADE,
  condition_id INTEGER REFERENCES conditions (id) ON DELETE CASCADE,
  interview_id INTEGER REFERENCES interviews (id) ON DELETE CASCADE,
  document_id  INTEGER REFERENCES documents (id) ON DELETE CASCADE,
  evidence_id  INTEGER REFERENCES evidence (id) ON DELETE CASCADE,
  body         TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 50000),
  created_by   INTEGER REFERENCES users (id),
  created_at   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL,
  CHECK ((case_id IS NOT NULL) + (condition_id IS NOT NULL) + (interview_id IS NOT NULL)
         + (document_id IS NOT NULL) + (evidence_id IS NOT NULL) = 1)
) STRICT;
CREATE INDEX memos_study ON memos (study_id);
CREATE INDEX memos_case ON memos (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX memos_condition ON memos (condition_id) WHERE condition_id IS NOT NULL;
CREATE INDEX memos_interview ON memos (interview_id) WHERE interview_id IS NOT NULL;
CREATE INDEX memos_document ON memos (document_id) WHERE document_id IS NOT NULL;
CREATE INDEX memos_evidence ON memos (evidence_id) WHERE evidence_id IS NOT NULL;
