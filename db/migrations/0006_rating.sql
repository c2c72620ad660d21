-- why: the rating form: a reason for "cannot judge", the evidence a rater links to a score, and a
-- lead's explicit, logged unblinding of a case (blinding itself is computed from the ratings).

-- NULL: the rater did not choose "cannot judge"; otherwise the reason they gave (score is then NULL).
ALTER TABLE ratings ADD COLUMN cannot_judge_reason TEXT CHECK (cannot_judge_reason IS NULL OR score IS NULL);

-- The evidence a rater cites for one rating; as private as the rating itself until the case is not blind.
CREATE TABLE rating_evidence (
  rating_id   INTEGER NOT NULL REFERENCES ratings (id) ON DELETE CASCADE,
  evidence_id INTEGER NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
  PRIMARY KEY (rating_id, evidence_id)
) STRICT;
CREATE INDEX rating_evidence_evidence ON rating_evidence (evidence_id);

-- Set when a lead unblinds a case before every rater has submitted (also in the audit log).
ALTER TABLE cases ADD COLUMN unblinded_at TEXT;
ALTER TABLE cases ADD COLUMN unblinded_by INTEGER REFERENCES users (id);
