-- why: a lead who is not an administrator adds someone without an account to a study: the request
-- waits for an administrator ("create and add" or "dismiss"). Pending requests are read on every
-- view of the administrators' account page, so they get a table of their own (the audit log keeps
-- the request and the decision as entries too).
CREATE TABLE account_requests (
  id           INTEGER PRIMARY KEY,
  study_id     INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
  email        TEXT    NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role         TEXT    NOT NULL CHECK (role IN ('lead', 'researcher', 'viewer')),
  requested_by INTEGER REFERENCES users (id),
  requested_at TEXT    NOT NULL,
  decision     TEXT    CHECK (decision IN ('created', 'dismissed')),
  decided_by   INTEGER REFERENCES users (id),
  decided_at   TEXT,
  CHECK ((decision IS NULL) = (decided_at IS NULL))
) STRICT;

-- The pending ones: what both lists read.
CREATE INDEX account_requests_pending ON account_requests (study_id, id) WHERE decision IS NULL;
