/*
 * User accounts: a user belongs to one organisation, has one or more roles (roles.h) and a
 * password kept as an argon2id hash (libsodium's crypto_pwhash_str at the interactive
 * limits: 2 passes over 64 MiB). Every change is audited (user.add, user.disable,
 * user.enable, user.passwd, user.roles) with no person key. Logging in and sessions are in
 * session.h.
 *
 * User names are 2 to 64 characters from a–z, 0–9, '.', '_', '-' and '@', starting with a
 * letter or digit; they are folded to lower case. Passwords (password_check) have at least
 * PASSWORD_MIN_CHARS characters, at most PASSWORD_MAX_BYTES bytes of valid UTF-8 without
 * control characters, and do not contain the user name in any case.
 *
 * A struct user owns its strings; free with user_release / user_free_array.
 */
#ifndef ACCOUNTS_USERS_H
#define ACCOUNTS_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "store/store.h"
#include "util/err.h"

#define USER_NAME_MAX 64
#define USER_DISPLAY_MAX 200 /* bytes of a display name */
#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 1024
#define PASSWORD_HASH_SIZE 128 /* crypto_pwhash_STRBYTES */

struct user {
	int64_t id;
	char *username;
	char *display_name; /* NULL when none was given */
	int64_t organisation_id;
	char *organisation; /* the organisation as kind:ident */
	char *organisation_name;
	unsigned roles; /* ROLE_* bits */
	bool disabled;
	int failed_attempts;
	int64_t locked_until; /* unix seconds; 0: not locked */
	char *created_at;     /* ISO date and time, UTC */
	char *changed_at;
};

struct user_input {
	const char *username;
	const char *display_name; /* may be NULL or "" */
	const char *organisation; /* a reference as org_get takes it: kind:ident, id:N, … */
	unsigned roles;           /* at least one */
	const char *password;
};

/*
 * Check a user name against the rule above and write it folded to lower case into `folded`;
 * ERR_INVALID naming the value and the rule.
 */
int user_name_check(const char *username, char folded[USER_NAME_MAX + 1], struct err *e);

/*
 * Check a new password against the policy above for `username`; ERR_INVALID saying which
 * rule it breaks (never the password itself).
 */
int password_check(const char *username, const char *password, struct err *e);

/* Hash `password` with argon2id into `out` (a NUL-terminated string); ERR_INTERNAL if
 * libsodium cannot (out of memory). */
int password_hash(const char *password, char out[PASSWORD_HASH_SIZE], struct err *e);

/* Whether `password` matches `hash` (as made by password_hash). */
bool password_verify(const char *hash, const char *password);

/*
 * Verify `password` against a hash of a random password made once per process, and return
 * false: the same work as password_verify, for a user that does not exist, so that a wrong
 * user name and a wrong password take alike time.
 */
bool password_verify_dummy(const char *password);

/*
 * Add a user: the name (folded to lower case) must be new (ERR_CONFLICT otherwise), the
 * organisation must exist (ERR_NOTFOUND / ERR_CONFLICT from org_get), the roles at least one
 * and the password must pass password_check. Audited as user.add by `who`. Fills *out when
 * it is not NULL (release it).
 */
int user_add(struct store *s, const struct access *who, const struct user_input *in,
	     struct user *out, struct err *e);

/* One user by name (any case); ERR_NOTFOUND naming it. *out is zeroed first. */
int user_get(struct store *s, const char *username, struct user *out, struct err *e);

/* All users ordered by name; the caller frees *out with user_free_array. */
int user_list(struct store *s, struct user **out, size_t *n, struct err *e);

/*
 * Disable or enable a user. Disabling also ends the user's sessions; enabling clears the
 * failed attempts and a lock. Audited as user.disable / user.enable. ERR_NOTFOUND.
 */
int user_set_disabled(struct store *s, const struct access *who, const char *username,
		      bool disabled, struct err *e);

/*
 * Give a user a new password (password_check applies), clear failed attempts and a lock,
 * and end the user's sessions. Audited as user.passwd. ERR_NOTFOUND, ERR_INVALID.
 */
int user_set_password(struct store *s, const struct access *who, const char *username,
		      const char *password, struct err *e);

/* Replace a user's roles with `roles` (at least one). Audited as user.roles. */
int user_set_roles(struct store *s, const struct access *who, const char *username,
		   unsigned roles, struct err *e);

void user_release(struct user *u);
void user_free_array(struct user *array, size_t n);

/* The current time as ISO text ("2026-11-23T10:00:00Z") from accounts_clock (session.h). */
void accounts_now_text(char out[32]);

#endif
