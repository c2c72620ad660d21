-- why: confidentiality rules that must hold whoever writes (issue 13). Viewers (a client, a steering
-- committee) read raw fieldwork only when a lead opens it to them with a logged setting; and the
-- evidence a submitted rating cites is part of that locked rating, like its score: it cannot be
-- deleted, moved to another case, or unlinked while the rating is submitted.
ALTER TABLE studies ADD COLUMN viewers_see_fieldwork INTEGER NOT NULL DEFAULT 0 CHECK (viewers_see_fieldwork IN (0, 1));

CREATE TRIGGER evidence_cited_kept BEFORE DELETE ON evidence
WHEN EXISTS (SELECT 1 FROM rating_evidence re JOIN ratings r ON r.id = re.rating_id
             WHERE re.evidence_id = OLD.id AND r.submitted_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'evidence cited by a submitted rating cannot be removed'); END;

CREATE TRIGGER evidence_cited_stays BEFORE UPDATE OF case_id ON evidence
WHEN NEW.case_id IS NOT OLD.case_id
  AND EXISTS (SELECT 1 FROM rating_evidence re JOIN ratings r ON r.id = re.rating_id
              WHERE re.evidence_id = OLD.id AND r.submitted_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'evidence cited by a submitted rating cannot move to another case'); END;

CREATE TRIGGER rating_evidence_submitted_kept BEFORE DELETE ON rating_evidence
WHEN (SELECT submitted_at FROM ratings WHERE id = OLD.rating_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the evidence a submitted rating cites cannot be removed'); END;

CREATE TRIGGER rating_evidence_submitted_fixed BEFORE UPDATE ON rating_evidence
WHEN (SELECT submitted_at FROM ratings WHERE id = OLD.rating_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the evidence a submitted rating cites cannot be changed'); END;
