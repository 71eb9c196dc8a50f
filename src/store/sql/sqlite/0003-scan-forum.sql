-- 0003 scan and forum: the self-scan (implementatiescan) in which a region scores its approach
-- per theme and action, and the forum of the professionals of all regions, per theme.
-- Themes and actions are items of 0002 (kb_items of kind 'theme' and 'action').
-- Nothing here is personal data of young people; the forum refuses a text holding a BSN.
-- Until accounts exist, a participant is the acting identity kept as text: a name (the actor),
-- its organisation and its role. A later users table replaces these columns with a reference.
-- The PostgreSQL twin of this file is sql/postgres/0003-scan-forum.sql; keep them in step.

-- A scan of one region (an RMC region code such as MC39, or a name), filled in by several
-- partners together while it is open; closed, it is kept as it was and later scans of the
-- region compare with it.
CREATE TABLE scans (
	id             INTEGER PRIMARY KEY,
	region         TEXT NOT NULL,
	title          TEXT NOT NULL,
	status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	created_at     TEXT NOT NULL,
	created_by     TEXT NOT NULL,
	created_by_org TEXT,
	closed_at      TEXT,
	closed_by      TEXT
);
CREATE INDEX scans_region ON scans (region, status);

-- The actions a closed scan covered, with the theme each belonged to then, so that its
-- profile stays what it was when content is edited later. Written when the scan is closed;
-- an open scan covers the published actions of the moment.
CREATE TABLE scan_actions (
	scan_id         INTEGER NOT NULL REFERENCES scans (id),
	action_id       INTEGER NOT NULL REFERENCES kb_items (id),
	theme_id        INTEGER NOT NULL REFERENCES kb_items (id),
	theme_position  INTEGER NOT NULL,
	action_position INTEGER NOT NULL,
	PRIMARY KEY (scan_id, action_id)
);

-- Every answer ever given, never changed: the latest per (scan, action) counts, the earlier
-- ones are the history of who answered what. Levels score 0 (not_started) to 3 (embedded).
CREATE TABLE scan_answers (
	id              INTEGER PRIMARY KEY,
	scan_id         INTEGER NOT NULL REFERENCES scans (id),
	action_id       INTEGER NOT NULL REFERENCES kb_items (id),
	level           TEXT NOT NULL CHECK (level IN
	                ('not_started', 'planned', 'in_progress', 'embedded')),
	note            TEXT,
	answered_by     TEXT NOT NULL,
	answered_by_org TEXT,
	answered_at     TEXT NOT NULL
);
CREATE INDEX scan_answers_action ON scan_answers (scan_id, action_id, id);

-- The partners involved in an answer: organisation names as given, in order.
CREATE TABLE scan_answer_partners (
	answer_id INTEGER NOT NULL REFERENCES scan_answers (id),
	position  INTEGER NOT NULL,
	name      TEXT NOT NULL,
	PRIMARY KEY (answer_id, position)
);

-- Forum threads, per theme. The opening text is the thread's first post (opening = 1).
CREATE TABLE forum_threads (
	id           INTEGER PRIMARY KEY,
	theme_id     INTEGER NOT NULL REFERENCES kb_items (id),
	title        TEXT NOT NULL,
	author       TEXT NOT NULL,
	author_org   TEXT,
	author_role  TEXT,
	created_at   TEXT NOT NULL,
	last_post_at TEXT NOT NULL,
	locked       INTEGER NOT NULL DEFAULT 0,
	hidden       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX forum_threads_theme ON forum_threads (theme_id, last_post_at);
CREATE INDEX forum_threads_author ON forum_threads (author, created_at);

-- Posts: Markdown as written, rendered to safe HTML when shown. A reply may quote another
-- post of its thread. Hidden posts are kept, shown only to editors and their author.
CREATE TABLE forum_posts (
	id          INTEGER PRIMARY KEY,
	thread_id   INTEGER NOT NULL REFERENCES forum_threads (id),
	opening     INTEGER NOT NULL DEFAULT 0,
	body        TEXT NOT NULL,
	author      TEXT NOT NULL,
	author_org  TEXT,
	author_role TEXT,
	created_at  TEXT NOT NULL,
	quote_id    INTEGER REFERENCES forum_posts (id),
	hidden      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX forum_posts_thread ON forum_posts (thread_id, id);
CREATE INDEX forum_posts_author ON forum_posts (author, created_at);

-- A reply marked helpful by the thread's starter or an editor: one mark per post.
CREATE TABLE forum_helpful (
	post_id        INTEGER PRIMARY KEY REFERENCES forum_posts (id),
	thread_id      INTEGER NOT NULL REFERENCES forum_threads (id),
	marked_by      TEXT NOT NULL,
	marked_by_org  TEXT,
	marked_by_role TEXT,
	marked_at      TEXT NOT NULL
);

-- Who follows a thread, and the last post they have seen (for "new since the last visit").
CREATE TABLE forum_follows (
	thread_id         INTEGER NOT NULL REFERENCES forum_threads (id),
	follower          TEXT NOT NULL,
	follower_org      TEXT,
	follower_role     TEXT,
	followed_at       TEXT NOT NULL,
	last_seen_post_id INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (thread_id, follower)
);

-- Reports of posts, by anyone, with a reason; open until an editor hides the post or
-- dismisses the report.
CREATE TABLE forum_reports (
	id            INTEGER PRIMARY KEY,
	post_id       INTEGER NOT NULL REFERENCES forum_posts (id),
	reporter      TEXT NOT NULL,
	reporter_org  TEXT,
	reporter_role TEXT,
	reason        TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	status        TEXT NOT NULL DEFAULT 'open'
	              CHECK (status IN ('open', 'hidden', 'dismissed')),
	closed_at     TEXT,
	closed_by     TEXT
);
CREATE INDEX forum_reports_status ON forum_reports (status, id);

-- Every moderation action: who, when, what, on which thread, post or report, and why.
CREATE TABLE forum_moderation (
	id         INTEGER PRIMARY KEY,
	at         TEXT NOT NULL,
	actor      TEXT NOT NULL,
	actor_org  TEXT,
	actor_role TEXT,
	action     TEXT NOT NULL CHECK (action IN
	           ('hide', 'unhide', 'lock', 'unlock', 'move', 'dismiss')),
	thread_id  INTEGER NOT NULL REFERENCES forum_threads (id),
	post_id    INTEGER REFERENCES forum_posts (id),
	report_id  INTEGER REFERENCES forum_reports (id),
	reason     TEXT NOT NULL,
	detail     TEXT
);
CREATE INDEX forum_moderation_thread ON forum_moderation (thread_id, id);
