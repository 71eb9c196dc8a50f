-- 0012 accounts generation: a counter that tells the session caches of a server (docs/
-- access.md, "Accounts and sessions") that a session, a user, a user's roles or an
-- organisation changed, so that a logout, a disabled account, a new password or a role taken
-- away takes effect at the next request, whichever process made the change.
-- The twin of this file is sql/sqlite/0012-accounts-generation.sql; keep them in step.

-- A server keeps a session it looked up, per worker thread, only while this counter stays.
-- What a request learns from its session is covered: the session's end (revoked_at; a
-- deleted session), the user's name, display name, organisation, password and disabled flag,
-- the roles, and the organisation's kind and identifier. The use of a session (last_seen)
-- and the login counters (failed_attempts, locked_until) do not move it.
INSERT INTO meta (name, value) VALUES ('accounts.generation', '0');

CREATE FUNCTION accounts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE meta SET value = (value::bigint + 1)::text WHERE name = 'accounts.generation';
	RETURN NULL;
END
$$;

-- Row triggers, as SQLite's: a statement that changes no row (a prune that finds nothing)
-- leaves the caches alone.
CREATE TRIGGER sessions_ended AFTER UPDATE OF revoked_at OR DELETE ON sessions
	FOR EACH ROW EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER users_changed
	AFTER UPDATE OF username, display_name, organisation_id, password_hash, disabled
	OR DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER user_roles_changed AFTER INSERT OR UPDATE OR DELETE ON user_roles
	FOR EACH ROW EXECUTE FUNCTION accounts_changed();
CREATE TRIGGER organisations_accounts AFTER UPDATE OF kind, ident ON organisations
	FOR EACH ROW EXECUTE FUNCTION accounts_changed();
