-- why: SQLite stores a row's columns in order, and a long text spills into overflow pages; reading a
-- column that comes after it means walking those pages. The interview notes (tens of kilobytes each)
-- came before status, held_on … updated_at, so every list that leaves the notes out still read them
-- in full: the case page, the interviews list and the cases list's "held / approved" counts read all
-- the study's notes (50 MB on the benchmark's study) on every view. SQLite cannot reorder columns: the
-- notes are copied into a new last column and the old one is dropped (after the search triggers that
-- name it, which are then made again as they were).
DROP TRIGGER search_interview_insert;
DROP TRIGGER search_interview_update;

ALTER TABLE interviews ADD COLUMN notes_moved TEXT NOT NULL DEFAULT '';
UPDATE interviews SET notes_moved = notes;
ALTER TABLE interviews DROP COLUMN notes;
ALTER TABLE interviews RENAME COLUMN notes_moved TO notes;

CREATE TRIGGER search_interview_insert AFTER INSERT ON interviews BEGIN
  INSERT INTO search_index (kind, ref_id, study_id, case_id, title, body)
  VALUES ('interview', new.id, new.study_id, new.case_id, coalesce(new.date, new.key), new.notes);
END;

CREATE TRIGGER search_interview_update AFTER UPDATE OF notes, date, case_id ON interviews BEGIN
  DELETE FROM search_index WHERE kind = 'interview' AND ref_id = old.id;
  INSERT INTO search_index (kind, ref_id, study_id, case_id, title, body)
  VALUES ('interview', new.id, new.study_id, new.case_id, coalesce(new.date, new.key), new.notes);
END;
