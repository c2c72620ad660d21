-- why: `npm run bench` on a 200-case study found reads whose cost grew with the whole database. The
-- blinding rule (ALL_SUBMITTED in server/ratings/ratings.repo.ts) asks per case and rater "any
-- rating?" and "any draft?"; with only ratings_rater to go on, SQLite read every rating of the rater,
-- in every study, for every case (200 cases × 2 raters × ~10,000 ratings: about 2 s for the
-- agreement, the reconciliation items, the analysis and the cross-case page). The study overview
-- counted evidence by scanning all evidence of every study, as did the coverage page; the guides
-- page counted interviews and questions per role by scanning interview_roles and question_roles.

-- "Has this rater of this case a rating / a draft?": two index seeks per case and rater.
CREATE INDEX ratings_case_rater ON ratings (case_id, rater_id, submitted_at);

CREATE INDEX evidence_study ON evidence (study_id);

CREATE INDEX interview_roles_role ON interview_roles (role_id);

CREATE INDEX question_roles_role ON question_roles (role_id);
