-- 0009 signals: the check on a signal's state is written as a chain of comparisons instead of
-- an IN list. It means the same; but SQLite builds a temporary table for the IN list on every
-- row it checks, which made each signal written by a run twice as costly (docs/signals.md,
-- "How a run works, and its speed"). SQLite cannot change a check in place, so the table is
-- rebuilt with the same columns, rows, ids and indexes (no other table refers to it).
-- The twin of this file is sql/postgres/0009-signals-state-check.sql; keep them in step.

CREATE TABLE signals_0009 (
	id            INTEGER PRIMARY KEY,
	skey          TEXT NOT NULL UNIQUE,
	rule          TEXT NOT NULL,
	person_id     INTEGER NOT NULL REFERENCES persons (id),
	org_kind      TEXT NOT NULL,
	org_ident     TEXT NOT NULL,
	role          TEXT NOT NULL,
	region        TEXT,
	episode       TEXT NOT NULL,
	state         TEXT NOT NULL CHECK (state = 'open' OR state = 'in_case' OR
	                                   state = 'dismissed' OR state = 'resolved'),
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
INSERT INTO signals_0009 (id, skey, rule, person_id, org_kind, org_ident, role, region, episode,
                          state, raised_on, due_on, resolved_on, reopened, reason, handled_by,
                          handled_at, detail, evidence, updated_at)
SELECT id, skey, rule, person_id, org_kind, org_ident, role, region, episode, state, raised_on,
       due_on, resolved_on, reopened, reason, handled_by, handled_at, detail, evidence,
       updated_at
FROM signals ORDER BY id;
DROP TABLE signals;
ALTER TABLE signals_0009 RENAME TO signals;
CREATE INDEX signals_person ON signals (person_id);
CREATE INDEX signals_org ON signals (org_kind, org_ident, state);
