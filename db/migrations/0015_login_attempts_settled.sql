-- why: a login attempt counts against its account at once (before the slow password check, so
-- parallel guesses cannot slip past the limit), but against its address only once it has failed:
-- fifty colleagues behind one office address signing in at nine must not lock each other out, while
-- one address trying a password against many accounts still is (password spraying).
ALTER TABLE login_failures ADD COLUMN failed INTEGER NOT NULL DEFAULT 1 CHECK (failed IN (0, 1));
CREATE INDEX login_failures_address ON login_failures (address, at) WHERE failed = 1;
