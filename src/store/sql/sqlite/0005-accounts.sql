-- 0005 accounts: the people who use inbeeld, their roles and their sessions (docs/access.md,
-- "Accounts and sessions"; docs/security.md).
-- The PostgreSQL twin of this file is sql/postgres/0005-accounts.sql; keep them in step.

-- A user belongs to one organisation. `username` is stored in lower case. `password_hash` is
-- libsodium's argon2id string (algorithm, limits, salt and hash in one). `failed_attempts`
-- counts the failed logins since the last good one; from the fifth on the account is locked
-- until `locked_until` (unix seconds; 0: not locked).
CREATE TABLE users (
	id              INTEGER PRIMARY KEY,
	username        TEXT NOT NULL UNIQUE,
	display_name    TEXT,
	organisation_id INTEGER NOT NULL REFERENCES organisations (id),
	password_hash   TEXT NOT NULL,
	disabled        INTEGER NOT NULL DEFAULT 0,
	failed_attempts INTEGER NOT NULL DEFAULT 0,
	locked_until    INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	changed_at      TEXT NOT NULL
);
CREATE INDEX users_organisation ON users (organisation_id);

-- The roles of a user: one or more of these (docs/access.md).
CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users (id),
	role    TEXT NOT NULL CHECK (role IN ('leerplicht', 'rmc', 'school', 'care', 'jobcoach',
	                                      'policy', 'admin', 'auditor', 'editor')),
	PRIMARY KEY (user_id, role)
);

-- A login session. Only the SHA-256 of the session token (the cookie) is kept, so a copy of
-- the database gives no session. `csrf_token` must accompany every state-changing request
-- made with the session. Times are unix seconds: `created_at` bounds the absolute lifetime,
-- `last_seen` the idle one; `revoked_at` is set by a logout, a disabled account or a new
-- password.
CREATE TABLE sessions (
	id          INTEGER PRIMARY KEY,
	token_hash  TEXT NOT NULL UNIQUE,
	user_id     INTEGER NOT NULL REFERENCES users (id),
	csrf_token  TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	last_seen   INTEGER NOT NULL,
	revoked_at  INTEGER,
	client      TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
