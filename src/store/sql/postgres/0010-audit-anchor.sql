-- 0010 audit anchors: what keeps the audit log verifiable when its oldest entries are pruned
-- and tells when its newest were removed (docs/access.md, "Retention of the audit log";
-- docs/security.md, "The audit log"); and a counter that tells the access decision's caches
-- that reference data changed.
-- The twin of this file is sql/sqlite/0010-audit-anchor.sql; keep them in step.

-- Two anchors, each sealed with an HMAC-SHA256 under the audit key (derived from the key
-- file, which is not in the store), so that whoever can write the store but lacks the key
-- file cannot forge one:
--   head        seq = the number of entries ever appended; entry_id and hash: the last one.
--               Every append moves it, so removing the newest entries leaves it ahead.
--   checkpoint  seq = the number of entries pruned; entry_id and hash: the last pruned one,
--               on which the oldest entry kept must follow.
-- hash is the all-zero genesis value and entry_id 0 when there is no such entry.
CREATE TABLE audit_anchors (
	name      TEXT PRIMARY KEY CHECK (name IN ('head', 'checkpoint')),
	seq       BIGINT NOT NULL,
	entry_id  BIGINT NOT NULL,
	hash      TEXT NOT NULL,
	at        TEXT NOT NULL,
	mac       TEXT NOT NULL
);

-- Reference data that the access decision caches per process (organisations, municipalities
-- with their RMC regions, the per-region settings) moves this counter on every change, from
-- whichever process makes it; a cache holds only while the counter stays.
INSERT INTO meta (name, value) VALUES ('reference.generation', '0');

CREATE FUNCTION reference_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE meta SET value = (value::bigint + 1)::text WHERE name = 'reference.generation';
	RETURN NULL;
END
$$;

CREATE TRIGGER organisations_changed AFTER INSERT OR UPDATE OR DELETE ON organisations
	FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER municipalities_changed AFTER INSERT OR UPDATE OR DELETE ON municipalities
	FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE ON settings
	FOR EACH STATEMENT EXECUTE FUNCTION reference_changed();
