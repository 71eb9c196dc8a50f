-- 0011 signal check spans: the next check days of a run, 256 persons to a row instead of one
-- row per person (docs/signals.md, "How a run works, and its speed"). A first full run wrote a
-- million rows and built their index; now it writes a few thousand.
-- The twin of this file is sql/sqlite/0011-signal-check-spans.sql; keep them in step.
--
-- Span s holds the persons with ids s * 256 up to s * 256 + 255. `days` is 256 next check
-- days, 4 bytes each, little endian, in id order: the day number (as date_t, days since
-- 1970-01-01), 0 to visit the person at the next run (a dismissal or a case), 2147483647 for
-- no check day (or no such person). `earliest` is the lowest of them, so an incremental run
-- finds the spans it must open from an index. Only src/signals/lifecycle.c reads and writes
-- them.
CREATE TABLE signal_check_spans (
	span        BIGINT PRIMARY KEY,
	earliest    BIGINT NOT NULL,
	days        BYTEA NOT NULL CHECK (length(days) = 1024)
);
CREATE INDEX signal_check_spans_earliest ON signal_check_spans (earliest);

-- The days stored so far become "at the next run" for every span that held one, so the next
-- incremental run visits those persons once and stores their days anew.
INSERT INTO signal_check_spans (span, earliest, days)
SELECT DISTINCT person_id / 256, 0, decode(repeat('00', 1024), 'hex') FROM signal_checks
ORDER BY 1;
DROP TABLE signal_checks;
