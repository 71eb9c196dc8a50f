-- 0006 signals: the settings of each region, the signals the rules raise for the
-- organisation (role) that must act, and the bookkeeping of incremental evaluation
-- (docs/signals.md). The PostgreSQL twin is sql/postgres/0006-signals.sql; keep them in step.

-- Per-region settings (`inbeeld settings`). `region` is an RMC region code (MCxx) or '*' for
-- every region; a region's own value wins over '*', and '*' over the documented default.
CREATE TABLE settings (
	region      TEXT NOT NULL,
	name        TEXT NOT NULL,
	value       TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	updated_by  TEXT NOT NULL,
	PRIMARY KEY (region, name)
);

-- One signal: a rule found a situation of one young person that an organisation must act
-- on. `skey` is stable per rule, person, episode and acting organisation (and checkpoint),
-- so a run raises a signal once; `state` is open, in_case, dismissed or resolved. `evidence`
-- is a JSON array of the feed_records ids the rule used, `detail` a JSON object of codes
-- (never a name or a BSN). `due_on` is when the organisation must have acted.
CREATE TABLE signals (
	id            INTEGER PRIMARY KEY,
	skey          TEXT NOT NULL UNIQUE,
	rule          TEXT NOT NULL,
	person_id     INTEGER NOT NULL REFERENCES persons (id),
	org_kind      TEXT NOT NULL,
	org_ident     TEXT NOT NULL,
	role          TEXT NOT NULL,
	region        TEXT,
	episode       TEXT NOT NULL,
	state         TEXT NOT NULL CHECK (state IN ('open', 'in_case', 'dismissed', 'resolved')),
	raised_on     TEXT NOT NULL,
	due_on        TEXT NOT NULL,
	resolved_on   TEXT,
	reopened      INTEGER NOT NULL DEFAULT 0,
	reason        TEXT,                   -- why dismissed
	handled_by    TEXT,
	handled_at    TEXT,
	detail        TEXT NOT NULL,
	evidence      TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
CREATE INDEX signals_person ON signals (person_id);
CREATE INDEX signals_org ON signals (org_kind, org_ident, state);

-- Per person, the first day on which a rule's outcome can change without new data (a
-- birthday, the end of a period, a checkpoint), so an incremental run also visits them.
CREATE TABLE signal_checks (
	person_id   INTEGER PRIMARY KEY REFERENCES persons (id),
	next_day    INTEGER NOT NULL
);
CREATE INDEX signal_checks_next_day ON signal_checks (next_day);

-- The persons an incremental run is to visit; filled and emptied by the run.
CREATE TABLE signal_queue (
	person_id   INTEGER PRIMARY KEY
);

-- Each run: on which date, full or incremental, the highest import it has seen.
CREATE TABLE signal_runs (
	id          INTEGER PRIMARY KEY,
	run_on      TEXT NOT NULL,
	full_run    INTEGER NOT NULL,
	max_import  INTEGER NOT NULL,
	started_at  TEXT NOT NULL,
	duration_ms INTEGER NOT NULL,
	persons     INTEGER NOT NULL,
	raised      INTEGER NOT NULL,
	resolved    INTEGER NOT NULL,
	reopened    INTEGER NOT NULL
);
