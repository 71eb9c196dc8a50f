/*
 * Logging in, lock-out and sessions (see session.h). The password is checked outside any
 * transaction, because argon2id takes tens of milliseconds and SQLite has one writer; the
 * counters are then changed in one statement each, so that two logins at once cannot lose
 * a failure.
 */
#include "accounts/session.h"
#include "audit/audit.h"

#include <nettle/sha2.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t wall_clock(void)
{
	return (int64_t)time(NULL);
}

int64_t (*accounts_clock)(void) = wall_clock;

int64_t accounts_now(void)
{
	return accounts_clock();
}

void session_policy_default(struct session_policy *p)
{
	p->idle_seconds = SESSION_IDLE_DEFAULT;
	p->max_seconds = SESSION_MAX_DEFAULT;
}

static const char login_user_sql[] =
	"SELECT u.id, u.password_hash, u.disabled, u.locked_until, u.display_name,"
	" u.organisation_id, o.kind, o.ident FROM users u"
	" JOIN organisations o ON o.id = u.organisation_id WHERE u.username = ?";
static const char roles_sql[] = "SELECT role FROM user_roles WHERE user_id = ?";
static const char fail_sql[] =
	"UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?"
	" RETURNING failed_attempts";
static const char lock_sql[] = "UPDATE users SET locked_until = ? WHERE id = ?";
static const char reset_sql[] =
	"UPDATE users SET failed_attempts = 0, locked_until = 0 WHERE id = ?";
static const char prune_sql[] =
	"DELETE FROM sessions WHERE user_id = ? AND (revoked_at IS NOT NULL OR created_at < ?)";
static const char insert_sql[] =
	"INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen, client)"
	" VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
static const char lookup_sql[] =
	"SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen, s.revoked_at,"
	" u.username, u.display_name, u.organisation_id, o.kind, o.ident, u.disabled"
	" FROM sessions s JOIN users u ON u.id = s.user_id"
	" JOIN organisations o ON o.id = u.organisation_id WHERE s.token_hash = ?";
static const char touch_sql[] = "UPDATE sessions SET last_seen = ? WHERE id = ?";
static const char logout_sql[] =
	"UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";

static void random_hex(char out[SESSION_TOKEN_HEX_SIZE])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, SESSION_TOKEN_HEX_SIZE, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

static void token_hash(const char *token, char out[SESSION_TOKEN_HEX_SIZE])
{
	unsigned char h[SHA256_DIGEST_SIZE];
	struct sha256_ctx st; /* nettle's: the CPU's SHA instructions where there are some */
	sha256_init(&st);
	sha256_update(&st, strlen(token), (const uint8_t *)token);
	sha256_digest(&st, sizeof(h), h);
	sodium_bin2hex(out, SESSION_TOKEN_HEX_SIZE, h, sizeof(h));
}

static bool token_form(const char *token)
{
	if (!token || strlen(token) != SESSION_TOKEN_HEX_SIZE - 1)
		return false;
	return strspn(token, "0123456789abcdef") == SESSION_TOKEN_HEX_SIZE - 1;
}

void session_access(const struct session_info *si, const char *client, struct access *out)
{
	memset(out, 0, sizeof(*out));
	out->actor = si->username;
	out->organisation = si->organisation;
	out->role = si->roles_text;
	out->client = client ? client : "unknown";
	out->user_id = si->user_id;
	out->organisation_id = si->organisation_id;
	out->roles = si->roles;
}

bool session_csrf_matches(const struct session_info *si, const char *presented)
{
	size_t n = presented ? strlen(presented) : 0;
	/* The length of the token is no secret; its digits are. */
	if (n != SESSION_TOKEN_HEX_SIZE - 1 || !si->csrf[0])
		return false;
	return sodium_memcmp(presented, si->csrf, n) == 0;
}

static int read_roles(struct store *s, struct session_info *si, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, roles_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, si->user_id);
	int rc;
	si->roles = 0;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		unsigned r;
		if (role_parse(stmt_text(st, 0), &r, NULL) == 0)
			si->roles |= r;
	}
	stmt_free(st);
	roles_format(si->roles, si->roles_text);
	return rc < 0 ? -1 : 0;
}

/* One audit entry about a login; `si` may be only partly filled (unknown user: NULL). */
static int audit_login(struct store *s, const struct session_info *si, const char *client,
		       const char *action, const char *detail, struct err *e)
{
	struct access who;
	if (si) {
		session_access(si, client, &who);
	} else {
		memset(&who, 0, sizeof(who));
		/* The name typed is not recorded: it may be a mistyped password. */
		who.actor = "anonymous";
		who.client = client ? client : "unknown";
	}
	return audit_append(s, &who, action, NULL, detail, e);
}

/* Run `sql` binding (a, b) as integers; with `returned`, read column 0 of the row. */
static int exec_ints(struct store *s, const char *sql, int nbind, int64_t a, int64_t b,
		     int64_t *returned, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, a);
	if (nbind > 1)
		stmt_bind_int64(st, 2, b);
	int rc = stmt_step(st, e);
	if (returned)
		*returned = rc == STORE_ROW ? stmt_int64(st, 0) : 0;
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* The lock after `failures` failures in a row: 0 below the limit, then doubling. */
static int64_t lock_seconds(int64_t failures)
{
	if (failures < LOGIN_MAX_FAILURES)
		return 0;
	int64_t t = LOGIN_LOCK_FIRST;
	for (int64_t i = LOGIN_MAX_FAILURES; i < failures && t < LOGIN_LOCK_MAX; i++)
		t *= 2;
	return t < LOGIN_LOCK_MAX ? t : LOGIN_LOCK_MAX;
}

/* A wrong password for a known user: count it, lock when due, audit both. */
static int record_failure(struct store *s, struct session_info *si, const char *client,
			  struct err *e)
{
	int64_t failures, lock;
	char detail[64];
	if (store_begin(s, e) < 0)
		return -1;
	if (exec_ints(s, fail_sql, 1, si->user_id, 0, &failures, e) < 0)
		goto fail;
	lock = lock_seconds(failures);
	snprintf(detail, sizeof(detail), "wrong password (%lld in a row)", (long long)failures);
	if (audit_login(s, si, client, "session.login_failed", detail, e) < 0)
		goto fail;
	if (lock) {
		snprintf(detail, sizeof(detail), "locked for %lld s after %lld failures",
			 (long long)lock, (long long)failures);
		if (exec_ints(s, lock_sql, 2, accounts_now() + lock, si->user_id, NULL, e) < 0 ||
		    audit_login(s, si, client, "session.locked", detail, e) < 0)
			goto fail;
	}
	return store_commit(s, e);
fail:
	store_rollback(s);
	return -1;
}

/* A good password: reset the count, prune old sessions, make a new one, audit the login. */
static int open_session(struct store *s, const struct session_policy *p, struct session_info *si,
			const char *client, struct err *e)
{
	char hash[SESSION_TOKEN_HEX_SIZE];
	struct stmt *st = NULL;
	int64_t now = accounts_now();
	random_hex(si->token);
	random_hex(si->csrf);
	token_hash(si->token, hash);
	si->created_at = now;
	si->expires_at = now + p->max_seconds;
	if (store_begin(s, e) < 0)
		return -1;
	if (exec_ints(s, reset_sql, 1, si->user_id, 0, NULL, e) < 0 ||
	    exec_ints(s, prune_sql, 2, si->user_id, now - p->max_seconds, NULL, e) < 0 ||
	    store_prepare(s, insert_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, hash);
	stmt_bind_int64(st, 2, si->user_id);
	stmt_bind_text(st, 3, si->csrf);
	stmt_bind_int64(st, 4, now);
	stmt_bind_int64(st, 5, now);
	stmt_bind_text(st, 6, client);
	if (stmt_step(st, e) != STORE_ROW) {
		err_set(e, ERR_INTERNAL, "adding a session returned no id");
		goto fail;
	}
	si->id = stmt_int64(st, 0);
	stmt_free(st);
	st = NULL;
	if (audit_login(s, si, client, "session.login", NULL, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	stmt_free(st);
	store_rollback(s);
	sodium_memzero(si->token, sizeof(si->token));
	return -1;
}

/* Copy `src` (may be NULL) into a fixed buffer. */
static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* The user row for a login; *found false for an unknown name. */
static int login_user(struct store *s, const char *name, bool *found, char *hash,
		      bool *disabled, int64_t *locked_until, struct session_info *si,
		      struct err *e)
{
	struct stmt *st;
	*found = false;
	if (store_prepare(s, login_user_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, name);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		*found = true;
		si->user_id = stmt_int64(st, 0);
		copy_text(hash, PASSWORD_HASH_SIZE, stmt_text(st, 1));
		*disabled = stmt_int64(st, 2) != 0;
		*locked_until = stmt_int64(st, 3);
		copy_text(si->username, sizeof(si->username), name);
		copy_text(si->display_name, sizeof(si->display_name), stmt_text(st, 4));
		si->organisation_id = stmt_int64(st, 5);
		snprintf(si->organisation, sizeof(si->organisation), "%s:%s", stmt_text(st, 6),
			 stmt_text(st, 7));
	}
	stmt_free(st);
	if (rc < 0)
		return -1;
	return *found ? read_roles(s, si, e) : 0;
}

int session_login(struct store *s, const struct session_policy *p, const char *username,
		  const char *password, const char *client, enum login_outcome *outcome,
		  int64_t *retry_after, struct session_info *out, struct err *e)
{
	char name[USER_NAME_MAX + 1], hash[PASSWORD_HASH_SIZE];
	bool found = false, disabled = false;
	int64_t locked_until = 0;
	memset(out, 0, sizeof(*out));
	*outcome = LOGIN_REFUSED;
	*retry_after = 0;
	if (!password)
		password = "";
	if (user_name_check(username, name, NULL) == 0 &&
	    login_user(s, name, &found, hash, &disabled, &locked_until, out, e) < 0)
		return -1;
	if (!found) {
		password_verify_dummy(password);
		memset(out, 0, sizeof(*out));
		return audit_login(s, NULL, client, "session.login_failed", "unknown user name",
				   e);
	}
	int64_t now = accounts_now();
	if (locked_until > now) {
		*outcome = LOGIN_LOCKED;
		*retry_after = locked_until - now;
		int rc = audit_login(s, out, client, "session.login_failed", "account locked", e);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	bool good = password_verify(hash, password);
	sodium_memzero(hash, sizeof(hash));
	if (disabled) {
		int rc = audit_login(s, out, client, "session.login_failed", "account disabled", e);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	if (!good) {
		int rc = record_failure(s, out, client, e);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	if (open_session(s, p, out, client, e) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	*outcome = LOGIN_OK;
	return 0;
}

/*
 * Sessions looked up, kept per thread (a server's worker) for one store while the store's
 * accounts counter (meta "accounts.generation", moved by triggers on sessions, users, their
 * roles and organisations from whichever process changes them, migration 0012) stays where
 * it was: a hit costs the one query of the counter instead of the two of the lookup. The
 * expiry is checked on every hit; a session last used SESSION_TOUCH_SECONDS ago (or its
 * idle time, if shorter) is looked up again, which records the use. Direct-mapped by the
 * token's hash: a new session takes the slot of an old one.
 */
enum { SESSION_CACHE_SLOTS = 64 };

struct session_slot {
	char hash[SESSION_TOKEN_HEX_SIZE]; /* "" when empty */
	int64_t last_seen;                 /* as stored, or as this thread recorded it */
	struct session_info si;            /* without the token */
};

struct session_cache {
	struct store_mark mark; /* the store and accounts counter it holds for */
	struct session_slot slot[SESSION_CACHE_SLOTS];
	struct session_cache_stats stats;
};

static _Thread_local struct session_cache cache;

static const char generation_sql[] = "SELECT value FROM meta WHERE name = 'accounts.generation'";

void session_cache_stats(struct session_cache_stats *out)
{
	*out = cache.stats;
}

/* Read the counter and drop what the cache holds if the store or the counter is another. */
static int cache_check(struct store *s, struct err *e)
{
	char generation[sizeof(cache.mark.value)];
	bool found;
	if (store_query_text(s, generation_sql, generation, sizeof(generation), &found, e) < 0)
		return -1;
	struct store_mark mark = cache.mark;
	if (store_mark_holds(&mark, s, found ? generation : NULL))
		return 0;
	struct session_cache_stats stats = cache.stats;
	sodium_memzero(&cache, sizeof(cache));
	cache.stats = stats;
	cache.stats.flushes++;
	cache.mark = mark;
	return 0;
}

static struct session_slot *slot_of(const char *hash)
{
	unsigned h = 0;
	for (int i = 0; i < 4; i++)
		h = h << 4 | (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
	return &cache.slot[h % SESSION_CACHE_SLOTS];
}

/* The session with token hash `hash` from the store; *last_seen: its last use, recorded. */
static int lookup_stored(struct store *s, const struct session_policy *p, const char *hash,
			 int64_t now, struct session_info *out, int64_t *last_seen_out,
			 struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, lookup_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, hash);
	int rc = stmt_step(st, e);
	int64_t last_seen = 0;
	bool revoked = false, disabled = false;
	if (rc == STORE_ROW) {
		out->id = stmt_int64(st, 0);
		out->user_id = stmt_int64(st, 1);
		copy_text(out->csrf, sizeof(out->csrf), stmt_text(st, 2));
		out->created_at = stmt_int64(st, 3);
		out->expires_at = out->created_at + p->max_seconds;
		last_seen = stmt_int64(st, 4);
		revoked = !stmt_is_null(st, 5);
		copy_text(out->username, sizeof(out->username), stmt_text(st, 6));
		copy_text(out->display_name, sizeof(out->display_name), stmt_text(st, 7));
		out->organisation_id = stmt_int64(st, 8);
		snprintf(out->organisation, sizeof(out->organisation), "%s:%s", stmt_text(st, 9),
			 stmt_text(st, 10));
		disabled = stmt_int64(st, 11) != 0;
	}
	stmt_free(st);
	if (rc < 0)
		return -1;
	const char *why = NULL;
	if (rc == STORE_DONE)
		why = "no such session: log in again";
	else if (revoked || disabled)
		why = "the session has ended: log in again";
	else if (now >= out->expires_at)
		why = "the session has expired (it lasts at most its maximum time): log in again";
	else if (now - last_seen >= p->idle_seconds)
		why = "the session has expired after a time without requests: log in again";
	if (why)
		return err_set(e, ERR_NOTFOUND, "%s", why);
	if (read_roles(s, out, e) < 0)
		return -1;
	if (now - last_seen >= SESSION_TOUCH_SECONDS) {
		if (exec_ints(s, touch_sql, 2, now, out->id, NULL, e) < 0)
			return -1;
		last_seen = now;
	}
	*last_seen_out = last_seen;
	return 0;
}

int session_lookup(struct store *s, const struct session_policy *p, const char *token,
		   struct session_info *out, struct err *e)
{
	char hash[SESSION_TOKEN_HEX_SIZE];
	memset(out, 0, sizeof(*out));
	if (!token_form(token))
		return err_set(e, ERR_NOTFOUND, "no such session: log in again");
	token_hash(token, hash);
	if (cache_check(s, e) < 0)
		return -1;
	int64_t now = accounts_now(), last_seen = 0;
	int64_t fresh = p->idle_seconds < SESSION_TOUCH_SECONDS ? p->idle_seconds
								 : SESSION_TOUCH_SECONDS;
	struct session_slot *slot = slot_of(hash);
	bool held = cache.mark.usable && strcmp(slot->hash, hash) == 0;
	if (held && now < slot->si.created_at + p->max_seconds && now - slot->last_seen < fresh) {
		cache.stats.hits++;
		*out = slot->si;
		out->expires_at = out->created_at + p->max_seconds;
		return 0;
	}
	cache.stats.misses++;
	if (held)
		sodium_memzero(slot, sizeof(*slot));
	if (lookup_stored(s, p, hash, now, out, &last_seen, e) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	if (cache.mark.usable) {
		memcpy(slot->hash, hash, sizeof(slot->hash));
		slot->last_seen = last_seen;
		slot->si = *out;
	}
	return 0;
}

int session_logout(struct store *s, const struct access *who, int64_t id, struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	if (exec_ints(s, logout_sql, 2, accounts_now(), id, NULL, e) < 0 ||
	    audit_append(s, who, "session.logout", NULL, NULL, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, e);
}
