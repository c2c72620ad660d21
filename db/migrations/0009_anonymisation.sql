-- why: anonymised reports and exports replace a case's real name everywhere, also where people wrote
-- it differently ("Dordt" for Dordrecht); a lead lists such aliases per case, and the leak check
-- looks for the name and every alias.

-- JSON array of strings.
ALTER TABLE cases ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases) AND json_type(aliases) = 'array');
