-- why: the study overview counted the study's interviews, documents and evidence on every view, and
-- counting costs time in proportion to the rows (0.6 ms a view on the benchmark's study of 2,000
-- interviews and 6,500 pieces of evidence). These three counts are kept per study by triggers
-- instead; the small counts (conditions, cases, members) are still counted when read.
CREATE TABLE study_counts (
  study_id   INTEGER PRIMARY KEY REFERENCES studies (id) ON DELETE CASCADE,
  interviews INTEGER NOT NULL DEFAULT 0,
  documents  INTEGER NOT NULL DEFAULT 0,
  evidence   INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO study_counts (study_id, interviews, documents, evidence)
SELECT s.id,
       (SELECT count(*) FROM interviews WHERE study_id = s.id),
       (SELECT count(*) FROM documents WHERE study_id = s.id),
       (SELECT count(*) FROM evidence WHERE study_id = s.id)
FROM studies s;

CREATE TRIGGER study_counts_study AFTER INSERT ON studies BEGIN
  INSERT INTO study_counts (study_id) VALUES (new.id);
END;

CREATE TRIGGER study_counts_interview_insert AFTER INSERT ON interviews BEGIN
  UPDATE study_counts SET interviews = interviews + 1 WHERE study_id = new.study_id;
END;
CREATE TRIGGER study_counts_interview_delete AFTER DELETE ON interviews BEGIN
  UPDATE study_counts SET interviews = interviews - 1 WHERE study_id = old.study_id;
END;

CREATE TRIGGER study_counts_document_insert AFTER INSERT ON documents BEGIN
  UPDATE study_counts SET documents = documents + 1 WHERE study_id = new.study_id;
END;
CREATE TRIGGER study_counts_document_delete AFTER DELETE ON documents BEGIN
  UPDATE study_counts SET documents = documents - 1 WHERE study_id = old.study_id;
END;

CREATE TRIGGER study_counts_evidence_insert AFTER INSERT ON evidence BEGIN
  UPDATE study_counts SET evidence = evidence + 1 WHERE study_id = new.study_id;
END;
CREATE TRIGGER study_counts_evidence_delete AFTER DELETE ON evidence BEGIN
  UPDATE study_counts SET evidence = evidence - 1 WHERE study_id = old.study_id;
END;
