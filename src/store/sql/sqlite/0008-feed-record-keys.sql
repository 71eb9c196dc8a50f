-- 0008 feed record keys: a record is found by its person and key, with fewer and narrower
-- indexes to keep up while a large delivery is written (docs/feeds.md, "Speed").
-- The PostgreSQL twin of this file is sql/postgres/0008-feed-record-keys.sql; keep them in step.
--
-- What changes in feed_records:
--   - record_key no longer starts with the person's id ("000000000042|14EK00|havo|…" becomes
--     "14EK00|havo|…") in the feeds whose records belong to a person by their key
--     (person_in_key = 1: residence, enrolments, diplomas, work). The person is the
--     person_id column, so a merge that moves a record to the survivor moves its key too.
--     In absence and care (person_in_key = 0) the key is the source's own report or
--     allocation number, unique per source whoever it is about.
--   - each feed and source is a stream with a small number (feed_streams), and one unique
--     index on (person_id, stream_id, record_key) serves both the lookup of a record by its
--     key and every read of a person's records, in place of the unique index on (feed,
--     source, record_key) and the index on person_id: one index to keep up instead of two,
--     and about half as wide. A partial unique index keeps the numbers of absence and care
--     unique per stream. The importer always sets stream_id; a row written otherwise (a
--     test's fixture) may leave it NULL and is then outside both unique indexes.
--   - the index on ended_import holds only the records that ended.
--   - an enrolment's content no longer repeats its start and end: they are its validity
--     (valid_from, valid_to), which is what every reader takes them from.
--   - content_hash is now a keyed digest of the delivered row (see feeds.md); the digests
--     of the records written before this migration stay as they are and are replaced when
--     the source delivers the record again.
--
-- SQLite cannot drop a table's UNIQUE constraint, so the table is rebuilt (ids kept; the
-- migrations run with foreign keys off and checked before they commit).

-- One stream per feed and source that delivered records.
CREATE TABLE feed_streams (
	id            INTEGER PRIMARY KEY,
	feed          TEXT NOT NULL,
	source        TEXT NOT NULL,
	UNIQUE (feed, source)
);
INSERT INTO feed_streams (feed, source) SELECT DISTINCT feed, source FROM feed_records
	ORDER BY feed, source;

CREATE TABLE feed_records_new (
	id            INTEGER PRIMARY KEY,
	feed          TEXT NOT NULL,
	source        TEXT NOT NULL,
	stream_id     INTEGER REFERENCES feed_streams (id), -- the feed and source, as a number
	record_key    TEXT NOT NULL,          -- unique per person (person_in_key) or per stream
	person_in_key INTEGER NOT NULL DEFAULT 1 CHECK (person_in_key IN (0, 1)),
	person_id     INTEGER NOT NULL REFERENCES persons (id),
	content       TEXT NOT NULL,
	content_hash  TEXT NOT NULL,          -- keyed digest of the delivered row's values
	valid_from    TEXT,
	valid_to      TEXT,                   -- last day (inclusive); NULL while running
	first_import  INTEGER NOT NULL REFERENCES imports (id),
	last_import   INTEGER NOT NULL REFERENCES imports (id), -- the last that changed it
	ended_import  INTEGER REFERENCES imports (id)           -- missing from this snapshot
);

-- A record whose key starts with its own person's id gets the short key. One that a merge
-- moved (its key names the merged person) gets it too, unless the person has another record
-- with that short key; then it keeps the full one.
INSERT INTO feed_records_new (id, feed, source, stream_id, record_key, person_in_key, person_id,
	content, content_hash, valid_from, valid_to, first_import, last_import, ended_import)
SELECT id, feed, source,
	(SELECT st.id FROM feed_streams st WHERE st.feed = r.feed AND st.source = r.source),
	CASE WHEN NOT by_person THEN record_key
	     WHEN own THEN short_key
	     WHEN NOT EXISTS (SELECT 1 FROM feed_records o
	                      WHERE o.person_id = r.person_id AND o.feed = r.feed
	                        AND o.source = r.source AND o.id <> r.id
	                        AND substr(o.record_key, instr(o.record_key, '|') + 1) = short_key)
	     THEN short_key
	     ELSE record_key END,
	CASE WHEN feed IN ('absence', 'care') THEN 0 ELSE 1 END,
	person_id,
	CASE WHEN feed = 'enrolments'
	     THEN replace(replace(content, ',"start_date":"' || coalesce(valid_from, '') || '"', ''),
	                  ',"end_date":"' || coalesce(valid_to, '') || '"', '')
	     ELSE content END,
	content_hash, valid_from, valid_to, first_import, last_import, ended_import
FROM (
	SELECT r0.*,
		feed IN ('residence', 'enrolments', 'diplomas', 'work')
			AND instr(record_key, '|') > 0 AS by_person,
		substr(record_key, instr(record_key, '|') + 1) AS short_key,
		substr(record_key, 1, instr(record_key, '|') - 1)
			= printf('%012d', person_id) AS own
	FROM feed_records r0
) r
ORDER BY id;

DROP TABLE feed_records;
ALTER TABLE feed_records_new RENAME TO feed_records;

CREATE UNIQUE INDEX feed_records_person_key ON feed_records (person_id, stream_id, record_key);
CREATE UNIQUE INDEX feed_records_source_key ON feed_records (stream_id, record_key)
	WHERE person_in_key = 0;
-- The signal rules' incremental run looks for the records changed or ended since its last
-- run; an import finds the records of its source through the imports that last changed them.
CREATE INDEX feed_records_last_import ON feed_records (last_import);
CREATE INDEX feed_records_ended_import ON feed_records (ended_import)
	WHERE ended_import IS NOT NULL;
