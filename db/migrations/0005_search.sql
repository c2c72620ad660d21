-- why: full-text search over interview notes, document text and evidence quotes (FTS5), kept in
-- step with those tables by triggers so no code path can forget to update it.

CREATE VIRTUAL TABLE search_index USING fts5(
  kind UNINDEXED,        -- 'interview' | 'document' | 'evidence'
  ref_id UNINDEXED,      -- the id in that table
  study_id UNINDEXED,
  case_id UNINDEXED,
  title,
  body,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_interview_insert AFTER INSERT ON interviews BEGIN
  INSERT INTO search_index (kind, ref_id, study_id, case_id, title, body)
  VALUES ('interview', new.id, new.study_id, new.case_id, coalesce(new.date, new.key), new.notes);
END;
CREATE TRIGGER search_interview_update AFTER UPDATE OF notes, date, case_id ON interviews BEGIN
  DELETE FROM search_index WHERE kind = 'interview' AND ref_id = old.id;
  INSERT INTO search_index (kind, ref_id, study_id, case_id, title, body)
  VALUES ('interview', new.id, new.study_id, new.case_id, coalesce(new.date, new.key), new.notes);
END;
CREATE TRIGGER search_interview_delete AFTER DELETE ON interviews BEGIN
  DELETE FROM search_index WHERE kind = 'interview' AND ref_id = old.id;
END;

CREATE TRIGGER search_document_insert AFTER INSERT ON documents BEGIN
  INSERT INTO search_index (kind, ref_id, study_id, case_id, title, body)
  VALUES ('document', new.id, new.study_id, new.case_id, new.title, new.text);
END;
CREATE TRIGGER search_document_update AFTER UPDATE OF text, title ON documents BEGIN
  DELETE FROM search_index WHERE kind = 'document' AND ref_id = old.id;
  INSERT INTO search_index (kind, ref_id, study_id, case_id, title, body)
  VALUES ('document', new.id, new.study_id, new.case_id, new.title, new.text);
END;
CREATE TRIGGER search_document_delete AFTER DELETE ON documents BEGIN
  DELETE FROM search_index WHERE kind = 'document' AND ref_id = old.id;
END;

CREATE TRIGGER search_evidence_insert AFTER INSERT ON evidence BEGIN
  INSERT INTO search_index (kind, ref_id, study_id, case_id, title, body)
  VALUES ('evidence', new.id, new.study_id, new.case_id, new.locator, new.quote);
END;
CREATE TRIGGER search_evidence_update AFTER UPDATE OF quote, locator ON evidence BEGIN
  DELETE FROM search_index WHERE kind = 'evidence' AND ref_id = old.id;
  INSERT INTO search_index (kind, ref_id, study_id, case_id, title, body)
  VALUES ('evidence', new.id, new.study_id, new.case_id, new.locator, new.quote);
END;
CREATE TRIGGER search_evidence_delete AFTER DELETE ON evidence BEGIN
  DELETE FROM search_index WHERE kind = 'evidence' AND ref_id = old.id;
END;
