/*
 * Logging in and sessions (docs/access.md, "Accounts and sessions").
 *
 * A login checks the password (users.h) and, when it matches, makes a session: a random
 * 32-byte token that the browser keeps in a cookie and of which only the SHA-256 is stored,
 * and a random CSRF token that must accompany every state-changing request made with it. A
 * session ends at logout, after `idle_seconds` without a request, `max_seconds` after the
 * login, and when the account is disabled or gets a new password.
 *
 * Lock-out: from the LOGIN_MAX_FAILURES-th failed login in a row an account is locked for
 * LOGIN_LOCK_FIRST seconds, doubling with each further failure up to LOGIN_LOCK_MAX; while
 * locked even the right password is refused without being checked. A good login resets the
 * count. A wrong user name and a wrong password take alike time (an unknown user is checked
 * against a dummy hash) and get the same outcome. Failures, lock-outs, logins and logouts
 * are audited (session.login_failed, session.locked, session.login, session.logout); the
 * password never is.
 *
 * Time comes from accounts_clock, which tests replace.
 */
#ifndef ACCOUNTS_SESSION_H
#define ACCOUNTS_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "access/access.h"
#include "accounts/roles.h"
#include "accounts/users.h"
#include "store/store.h"
#include "util/err.h"

#define SESSION_TOKEN_HEX_SIZE 65 /* 32 bytes as 64 hex digits and the NUL */
#define SESSION_IDLE_DEFAULT (30 * 60)
#define SESSION_MAX_DEFAULT (12 * 60 * 60)
#define SESSION_TOUCH_SECONDS 60 /* last_seen is written at most once a minute */
#define LOGIN_MAX_FAILURES 5
#define LOGIN_LOCK_FIRST 30
#define LOGIN_LOCK_MAX 3600

/* The clock of the accounts module in unix seconds; time(NULL) unless a test sets it. */
extern int64_t (*accounts_clock)(void);
int64_t accounts_now(void);

struct session_policy {
	int64_t idle_seconds; /* SESSION_IDLE_DEFAULT */
	int64_t max_seconds;  /* SESSION_MAX_DEFAULT */
};

void session_policy_default(struct session_policy *p);

/* A session and its user, as a request needs them. Fixed-size: no release needed. */
struct session_info {
	int64_t id;
	char token[SESSION_TOKEN_HEX_SIZE]; /* the cookie value; set by session_login only */
	char csrf[SESSION_TOKEN_HEX_SIZE];
	int64_t user_id;
	char username[USER_NAME_MAX + 1];
	char display_name[USER_DISPLAY_MAX + 1]; /* "" when none */
	int64_t organisation_id;
	char organisation[80]; /* kind:ident */
	unsigned roles;
	char roles_text[ROLES_TEXT_SIZE];
	int64_t created_at; /* unix seconds */
	int64_t expires_at; /* the absolute end: created_at + max_seconds */
};

enum login_outcome {
	LOGIN_OK,      /* *out holds the new session */
	LOGIN_REFUSED, /* unknown user, wrong password or disabled account: one answer */
	LOGIN_LOCKED,  /* too many failures; *retry_after seconds to wait */
};

/*
 * Log `username` in with `password` from address `client`. Returns -1 only when the store
 * fails; otherwise 0 with *outcome set, and for LOGIN_OK *out filled.
 */
int session_login(struct store *s, const struct session_policy *p, const char *username,
		  const char *password, const char *client, enum login_outcome *outcome,
		  int64_t *retry_after, struct session_info *out, struct err *e);

/*
 * The live session whose cookie value is `token`: ERR_NOTFOUND (with a message saying
 * whether it is unknown, ended or expired) when there is none. Records the use for the idle
 * expiry (at most once per SESSION_TOUCH_SECONDS).
 *
 * A session found is kept per thread for the store `s` and served from there by the next
 * lookups, at the cost of one query, until the store's accounts counter moves (migration
 * 0012: a logout, a disabled account, a new password, a change of roles, of the user or of
 * the organisation, from any process) or its use is to be recorded again; the expiry is
 * checked on every lookup. So a change takes effect at the next request.
 */
int session_lookup(struct store *s, const struct session_policy *p, const char *token,
		   struct session_info *out, struct err *e);

/* What the session cache of the calling thread did since it started: for tests and benches. */
struct session_cache_stats {
	unsigned long hits, misses, flushes;
};

void session_cache_stats(struct session_cache_stats *out);

/* End session `id` (a logout), audited as session.logout by `who`. */
int session_logout(struct store *s, const struct access *who, int64_t id, struct err *e);

/* Whether `presented` is the session's CSRF token; compared in constant time. */
bool session_csrf_matches(const struct session_info *si, const char *presented);

/*
 * The acting identity of the session's user: actor = user name, organisation = kind:ident,
 * role = the roles as text, the ids and role bits, and `client`. The strings are borrowed
 * from `si` and `client`.
 */
void session_access(const struct session_info *si, const char *client, struct access *out);

#endif
