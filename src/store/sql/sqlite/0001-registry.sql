-- 0001 registry: the region's reference data, its organisations and its young people.
-- The PostgreSQL twin of this file is sql/postgres/0001-registry.sql; keep them in step.

-- Facts about this store, e.g. the check value that tells whether a key file belongs to it.
CREATE TABLE meta (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Reference data, versioned by year because municipalities merge (CBS "Gebieden in
-- Nederland"). Region codes are CBS codes: RMC regions MCxx, labour-market regions AMxx,
-- provinces PVxx.
CREATE TABLE rmc_regions (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL
);

CREATE TABLE labour_regions (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL
);

CREATE TABLE provinces (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL
);

CREATE TABLE municipalities (
	year          INTEGER NOT NULL,
	code          TEXT NOT NULL,          -- GM + 4 digits
	name          TEXT NOT NULL,
	rmc_code      TEXT REFERENCES rmc_regions (code),
	labour_code   TEXT REFERENCES labour_regions (code),
	province_code TEXT REFERENCES provinces (code),
	lat           REAL,                   -- a representative point, not a centroid
	lon           REAL,
	PRIMARY KEY (year, code)
);
CREATE INDEX municipalities_code ON municipalities (code);

-- Organisations: schools by BRIN + vestiging, municipalities by CBS code, care providers by
-- AGB, employers by KvK, UWV, the employer service point (WSP) and DUO (which delivers
-- enrolments, diplomas and absence reports on behalf of the schools).
CREATE TABLE organisations (
	id                INTEGER PRIMARY KEY,
	kind              TEXT NOT NULL CHECK (kind IN
	                  ('school', 'municipality', 'care', 'employer', 'uwv', 'wsp', 'duo')),
	ident             TEXT NOT NULL,      -- the identifier of its kind, normalised
	name              TEXT NOT NULL,
	school_type       TEXT CHECK (school_type IN ('VO', 'VSO', 'PrO', 'mbo')),
	levels            TEXT,               -- comma-separated levels offered (schools)
	municipality_code TEXT,               -- where it is located
	created_at        TEXT NOT NULL,
	UNIQUE (kind, ident)
);

-- Young people. `pkey` is the pseudonym: HMAC-SHA256 of the BSN under the region's key, or a
-- random value for a provisional person (no BSN known). A person first seen in a feed that
-- carries only the BSN has no name or birth date until one that carries them arrives. Identifying data (BSN, names,
-- address, contact) is in `pii`, sealed with an AEAD under data key `key_id`; only birth date,
-- municipality and postcode-4 stay in the clear, because rules and reports need them.
CREATE TABLE persons (
	id                INTEGER PRIMARY KEY,
	pkey              TEXT NOT NULL UNIQUE,
	provisional       INTEGER NOT NULL DEFAULT 0,
	birth_date        TEXT,               -- NULL until a feed that carries it arrives
	municipality_code TEXT,
	postcode4         TEXT,
	name_index        TEXT,               -- keyed blind index: surname + birth date
	name_block        TEXT,               -- keyed blocking token: surname sound + birth year
	pii               BLOB NOT NULL,
	key_id            INTEGER NOT NULL,
	merged_into       INTEGER REFERENCES persons (id),
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
);
CREATE INDEX persons_name_index ON persons (name_index);
CREATE INDEX persons_name_block ON persons (name_block);
CREATE INDEX persons_birth_date ON persons (birth_date);
CREATE INDEX persons_postcode4 ON persons (postcode4);

-- A merge of two records of one person, kept so that it can be undone: the surviving record's
-- sealed data and clear fields before the merge, the merged record's last change, and each
-- row that was moved to the survivor.
CREATE TABLE person_merges (
	id             INTEGER PRIMARY KEY,
	survivor_id    INTEGER NOT NULL REFERENCES persons (id),
	merged_id      INTEGER NOT NULL REFERENCES persons (id),
	survivor_pii   BLOB NOT NULL,
	survivor_key   INTEGER NOT NULL,
	survivor_municipality TEXT,
	survivor_postcode4    TEXT,
	survivor_updated_at   TEXT NOT NULL,
	merged_updated_at     TEXT NOT NULL,
	merged_at      TEXT NOT NULL,
	merged_by      TEXT NOT NULL,
	undone_at      TEXT,
	undone_by      TEXT
);

CREATE TABLE person_merge_moves (
	merge_id  INTEGER NOT NULL REFERENCES person_merges (id),
	tbl       TEXT NOT NULL,
	row_id    INTEGER NOT NULL
);
CREATE INDEX person_merge_moves_merge ON person_merge_moves (merge_id);

-- The audit log: every read and write of personal data, append-only and hash-chained (each
-- entry holds the hash of the one before it), after NEN 7513.
CREATE TABLE audit_log (
	id           INTEGER PRIMARY KEY,
	at           TEXT NOT NULL,
	actor        TEXT NOT NULL,           -- user name or system
	organisation TEXT,
	role         TEXT,
	on_behalf_of TEXT,
	action       TEXT NOT NULL,           -- e.g. person.read, person.merge
	person_key   TEXT,
	detail       TEXT,                    -- fields or record kinds touched
	reason       TEXT,                    -- purpose, legal ground or break-the-glass reason
	client       TEXT,                    -- client address or "cli"
	prev_hash    TEXT NOT NULL,
	hash         TEXT NOT NULL
);
CREATE INDEX audit_log_person ON audit_log (person_key);
