-- 0007 access: what widens the need-to-know rule for one person (docs/access.md, "Grants and
-- break the glass").
-- The twin of this file is sql/postgres/0007-access.sql; keep them in step.

-- A grant lets an organisation see one person outside its rules: an accepted handover, a
-- consent of the young person (or their parent), or a user's break-the-glass access. A grant
-- with user_id set is for that user alone (break the glass); otherwise for every user of the
-- organisation with a role that works with persons. Times are ISO UTC text
-- (YYYY-MM-DDTHH:MM:SSZ), compared as text; valid_to NULL: until revoked.
CREATE TABLE access_grants (
	id              INTEGER PRIMARY KEY,
	person_id       INTEGER NOT NULL REFERENCES persons (id),
	organisation_id INTEGER NOT NULL REFERENCES organisations (id),
	user_id         INTEGER REFERENCES users (id),
	kind            TEXT NOT NULL CHECK (kind IN ('handover', 'consent', 'break_glass')),
	purpose         TEXT NOT NULL,
	legal_ground    TEXT NOT NULL,
	granted_by      TEXT NOT NULL,
	valid_from      TEXT NOT NULL,
	valid_to        TEXT,
	revoked         INTEGER NOT NULL DEFAULT 0,
	revoked_at      TEXT,
	revoked_by      TEXT,
	created_at      TEXT NOT NULL
);
CREATE INDEX access_grants_person ON access_grants (person_id, organisation_id);
CREATE INDEX access_grants_created ON access_grants (kind, created_at);
