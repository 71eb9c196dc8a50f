-- 0002 knowledge: the regional knowledge platform — themes (vraagstukken), the actions that
-- help, practices and pilots, frequently asked questions, their version history and the
-- full-text search index. Nothing here is personal data of young people.
-- The PostgreSQL twin of this file is sql/postgres/0002-knowledge.sql; keep them in step.

-- The groups of young people a practice is meant for (vso, pro, entree, …). Reference data
-- of the platform: not versioned.
CREATE TABLE kb_target_groups (
	id      INTEGER PRIMARY KEY,
	slug    TEXT NOT NULL UNIQUE,
	name_nl TEXT NOT NULL,
	name_en TEXT NOT NULL
);

-- Every content item of every kind: its identity (kind + slug, which never change), where
-- its workflow stands, and which of its versions the public sees. `status` is 'published'
-- when the latest version is the published one and 'draft' when a newer version waits (or
-- the item was never published); `published_version` is NULL until the first publication.
CREATE TABLE kb_items (
	id                INTEGER PRIMARY KEY,
	kind              TEXT NOT NULL CHECK (kind IN ('theme', 'action', 'practice', 'faq')),
	slug              TEXT NOT NULL,
	status            TEXT NOT NULL CHECK (status IN ('draft', 'published')),
	latest_version    INTEGER NOT NULL,
	published_version INTEGER,
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL,
	UNIQUE (kind, slug)
);
CREATE INDEX kb_items_status ON kb_items (status);

-- The history of an item: every version, in full, as the JSON of the item in the bundle
-- shape (docs/knowledge.md). Rows are only ever added; publishing stamps published_at/by on
-- the version that went public, and a rollback adds a new version with the old content.
CREATE TABLE kb_versions (
	id           INTEGER PRIMARY KEY,
	item_id      INTEGER NOT NULL REFERENCES kb_items (id),
	version      INTEGER NOT NULL,
	content      TEXT NOT NULL,
	author       TEXT NOT NULL,           -- the acting identity, e.g. cli:jan or system:seed
	created_at   TEXT NOT NULL,
	note         TEXT,
	published_at TEXT,
	published_by TEXT,
	UNIQUE (item_id, version)
);

-- What the public sees: the published version of each item, by kind, one column per
-- language. A row appears at an item's first publication and changes at each later one.
CREATE TABLE kb_themes (
	item_id        INTEGER PRIMARY KEY REFERENCES kb_items (id),
	position       INTEGER NOT NULL,
	title_nl       TEXT NOT NULL,
	title_en       TEXT NOT NULL,
	summary_nl     TEXT NOT NULL,         -- Markdown, like every body text below
	summary_en     TEXT NOT NULL,
	stake_nl       TEXT NOT NULL,         -- what is at stake
	stake_en       TEXT NOT NULL,
	cooperation_nl TEXT NOT NULL,         -- how regional cooperation helps
	cooperation_en TEXT NOT NULL
);

CREATE TABLE kb_actions (
	item_id  INTEGER PRIMARY KEY REFERENCES kb_items (id),
	theme_id INTEGER NOT NULL REFERENCES kb_items (id),
	position INTEGER NOT NULL,
	title_nl TEXT NOT NULL,
	title_en TEXT NOT NULL,
	body_nl  TEXT NOT NULL,
	body_en  TEXT NOT NULL
);
CREATE INDEX kb_actions_theme ON kb_actions (theme_id, position);

CREATE TABLE kb_practices (
	item_id              INTEGER PRIMARY KEY REFERENCES kb_items (id),
	kind                 TEXT NOT NULL CHECK (kind IN ('practice', 'pilot')),
	name_nl              TEXT NOT NULL,
	name_en              TEXT NOT NULL,
	region               TEXT NOT NULL,
	what_nl              TEXT NOT NULL,   -- what they do
	what_en              TEXT NOT NULL,
	result_nl            TEXT NOT NULL,   -- what came of it
	result_en            TEXT NOT NULL,
	contact_organisation TEXT NOT NULL,
	source               TEXT NOT NULL
);

CREATE TABLE kb_practice_partners (
	practice_id INTEGER NOT NULL REFERENCES kb_items (id),
	position    INTEGER NOT NULL,
	name        TEXT NOT NULL,
	PRIMARY KEY (practice_id, position)
);

-- Links of a published practice; they point at items (which may still be drafts), so that
-- public reads join the published side.
CREATE TABLE kb_practice_themes (
	practice_id INTEGER NOT NULL REFERENCES kb_items (id),
	theme_id    INTEGER NOT NULL REFERENCES kb_items (id),
	PRIMARY KEY (practice_id, theme_id)
);
CREATE INDEX kb_practice_themes_theme ON kb_practice_themes (theme_id);

CREATE TABLE kb_practice_actions (
	practice_id INTEGER NOT NULL REFERENCES kb_items (id),
	action_id   INTEGER NOT NULL REFERENCES kb_items (id),
	PRIMARY KEY (practice_id, action_id)
);
CREATE INDEX kb_practice_actions_action ON kb_practice_actions (action_id);

CREATE TABLE kb_practice_target_groups (
	practice_id     INTEGER NOT NULL REFERENCES kb_items (id),
	target_group_id INTEGER NOT NULL REFERENCES kb_target_groups (id),
	PRIMARY KEY (practice_id, target_group_id)
);

CREATE TABLE kb_faqs (
	item_id     INTEGER PRIMARY KEY REFERENCES kb_items (id),
	theme_id    INTEGER NOT NULL REFERENCES kb_items (id),
	position    INTEGER NOT NULL,
	question_nl TEXT NOT NULL,
	question_en TEXT NOT NULL,
	answer_nl   TEXT NOT NULL,
	answer_en   TEXT NOT NULL
);
CREATE INDEX kb_faqs_theme ON kb_faqs (theme_id, position);

-- Files attached to an item: PDF, PNG, JPEG or WebP (checked by their first bytes), at most
-- 5 MiB, under a sanitised file name.
CREATE TABLE kb_attachments (
	id         INTEGER PRIMARY KEY,
	item_id    INTEGER NOT NULL REFERENCES kb_items (id),
	file_name  TEXT NOT NULL,
	media_type TEXT NOT NULL CHECK (media_type IN
	           ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
	size       INTEGER NOT NULL CHECK (size > 0 AND size <= 5242880),
	sha256     TEXT NOT NULL,
	bytes      BLOB NOT NULL,
	author     TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (item_id, file_name)
);

-- The search index over published content: one document per item and language, kept small
-- because a search reads the documents of every match; the stemmed words go to
-- kb_search_fts, whose rowid is the document's id. `region` is the folded region of a
-- practice, `theme` the slug of an action's or question's theme.
CREATE TABLE kb_search_docs (
	id      INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES kb_items (id),
	lang    TEXT NOT NULL CHECK (lang IN ('nl', 'en')),
	kind    TEXT NOT NULL CHECK (kind IN ('theme', 'action', 'practice', 'pilot', 'faq')),
	region  TEXT NOT NULL,
	theme   TEXT NOT NULL,
	UNIQUE (item_id, lang)
);

-- The plain text of each document (Markdown removed), read only for the results shown, to
-- make their highlighted titles and snippets.
CREATE TABLE kb_search_texts (
	doc_id INTEGER PRIMARY KEY REFERENCES kb_search_docs (id),
	title  TEXT NOT NULL,
	body   TEXT NOT NULL
);

-- Filter values of an indexed item: its themes and its target groups, by slug.
CREATE TABLE kb_search_facets (
	item_id INTEGER NOT NULL REFERENCES kb_items (id),
	facet   TEXT NOT NULL CHECK (facet IN ('theme', 'target_group')),
	value   TEXT NOT NULL,
	PRIMARY KEY (facet, value, item_id)
);
CREATE INDEX kb_search_facets_item ON kb_search_facets (item_id);

-- The stemmed words (search.c makes them the same way for both back ends); ranked with
-- bm25, the title weighing ten times the body.
CREATE VIRTUAL TABLE kb_search_fts USING fts5 (title, body, tokenize = 'ascii');
