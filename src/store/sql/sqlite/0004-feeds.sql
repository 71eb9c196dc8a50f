-- 0004 feeds: the imports of partners' files, the current state of every record they
-- delivered, the timeline of events derived from the changes, and the tokens with which a
-- partner's system posts records over the API (docs/feeds.md, "Importing").
-- The PostgreSQL twin of this file is sql/postgres/0004-feeds.sql; keep them in step.

-- One import of one file (or one API post) of one feed from one source organisation.
-- A failed import leaves only this row (status 'failed', with its counts); its data was
-- rolled back. `content_hash` is the SHA-256 of the bytes delivered.
CREATE TABLE imports (
	id            INTEGER PRIMARY KEY,
	feed          TEXT NOT NULL,          -- residence, enrolments, diplomas, absence, care, work
	source        TEXT NOT NULL,          -- the delivering organisation as kind:ident
	mode          TEXT NOT NULL CHECK (mode IN ('snapshot', 'delta')),
	as_of         TEXT NOT NULL,
	file_name     TEXT NOT NULL,          -- the file's base name, or "api"
	content_hash  TEXT NOT NULL,
	started_at    TEXT NOT NULL,
	finished_at   TEXT,
	duration_ms   INTEGER,
	rows_read     INTEGER NOT NULL DEFAULT 0,
	n_new         INTEGER NOT NULL DEFAULT 0,
	n_changed     INTEGER NOT NULL DEFAULT 0,
	n_ended       INTEGER NOT NULL DEFAULT 0,
	n_unchanged   INTEGER NOT NULL DEFAULT 0,
	n_rejected    INTEGER NOT NULL DEFAULT 0,
	status        TEXT NOT NULL CHECK (status IN ('done', 'unchanged', 'failed'))
);
CREATE INDEX imports_feed_source ON imports (feed, source, id);

-- The current state of every record a source delivered, by the feed's record key (the
-- person's id stands in for the BSN, so no key holds one). `content` is the record's fields
-- as JSON without BSN or names; `content_hash` (BLAKE2b-128 of the person id and content)
-- tells a changed record from an unchanged one. A record missing from a later snapshot keeps
-- its row with `ended_import` set.
CREATE TABLE feed_records (
	id            INTEGER PRIMARY KEY,
	feed          TEXT NOT NULL,
	source        TEXT NOT NULL,
	record_key    TEXT NOT NULL,
	person_id     INTEGER NOT NULL REFERENCES persons (id),
	content       TEXT NOT NULL,
	content_hash  TEXT NOT NULL,
	valid_from    TEXT,
	valid_to      TEXT,                   -- last day (inclusive); NULL while running
	first_import  INTEGER NOT NULL REFERENCES imports (id),
	last_import   INTEGER NOT NULL REFERENCES imports (id), -- the last that changed it
	ended_import  INTEGER REFERENCES imports (id),          -- missing from this snapshot
	UNIQUE (feed, source, record_key)
);
CREATE INDEX feed_records_person ON feed_records (person_id);
-- The signal rules' incremental run looks for the records changed or ended since its last run.
CREATE INDEX feed_records_last_import ON feed_records (last_import);
CREATE INDEX feed_records_ended_import ON feed_records (ended_import);

-- The timeline: what happened to a young person, on which day, learnt from which import.
-- `day` is the date as a day number (days since 1970-01-01) for date arithmetic that both
-- back ends accept; `org` the school, provider or employer involved; `code` the reason,
-- qualification, kind or status; `detail` more codes as JSON — never a name or a BSN.
CREATE TABLE events (
	id            INTEGER PRIMARY KEY,
	person_id     INTEGER NOT NULL REFERENCES persons (id),
	event_date    TEXT NOT NULL,
	day           INTEGER NOT NULL,
	kind          TEXT NOT NULL,
	feed          TEXT NOT NULL,
	source        TEXT NOT NULL,
	import_id     INTEGER NOT NULL REFERENCES imports (id),
	record_id     INTEGER REFERENCES feed_records (id),
	org           TEXT,
	code          TEXT,
	detail        TEXT
);
CREATE INDEX events_person ON events (person_id, day);

-- Tokens with which a partner's system posts one feed of one source to
-- POST /api/v1/feeds/{feed}. Only the SHA-256 of the token is kept; it is shown once.
CREATE TABLE feed_tokens (
	id            INTEGER PRIMARY KEY,
	token_hash    TEXT NOT NULL UNIQUE,
	source        TEXT NOT NULL,
	feed          TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	created_by    TEXT NOT NULL,
	revoked_at    TEXT
);
