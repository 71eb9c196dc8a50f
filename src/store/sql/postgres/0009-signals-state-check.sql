-- 0009 signals: the check on a signal's state is written as a chain of comparisons instead of
-- an IN list. It means the same. SQLite builds a temporary table for the IN list on every row
-- it checks, which made each signal written by a run twice as costly there, so its twin
-- rebuilds the table; PostgreSQL changes the check in place, and the two stores keep the same
-- definition.
-- The twin of this file is sql/sqlite/0009-signals-state-check.sql; keep them in step.

ALTER TABLE signals DROP CONSTRAINT signals_state_check;
ALTER TABLE signals ADD CONSTRAINT signals_state_check
	CHECK (state = 'open' OR state = 'in_case' OR state = 'dismissed' OR state = 'resolved');
