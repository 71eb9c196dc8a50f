/*
 * User accounts (see users.h): adding, reading, listing, disabling, new passwords and roles,
 * each change in one transaction with its audit entry.
 */
#include "accounts/users.h"
#include "accounts/roles.h"
#include "accounts/session.h"
#include "audit/audit.h"
#include "registry/org.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char insert_sql[] =
	"INSERT INTO users (username, display_name, organisation_id, password_hash, disabled,"
	" failed_attempts, locked_until, created_at, changed_at)"
	" VALUES (?, ?, ?, ?, 0, 0, 0, ?, ?) RETURNING id";
static const char insert_role_sql[] = "INSERT INTO user_roles (user_id, role) VALUES (?, ?)";
static const char delete_roles_sql[] = "DELETE FROM user_roles WHERE user_id = ?";
static const char exists_sql[] = "SELECT count(*) FROM users WHERE username = ?";

#define USER_COLUMNS                                                                          \
	"SELECT u.id, u.username, u.display_name, u.organisation_id, o.kind, o.ident, o.name,"  \
	" u.disabled, u.failed_attempts, u.locked_until, u.created_at, u.changed_at"            \
	" FROM users u JOIN organisations o ON o.id = u.organisation_id"
static const char get_sql[] = USER_COLUMNS " WHERE u.username = ?";
static const char list_sql[] = USER_COLUMNS " ORDER BY u.username";
static const char roles_of_sql[] = "SELECT role FROM user_roles WHERE user_id = ?";
static const char all_roles_sql[] = "SELECT user_id, role FROM user_roles";

static const char set_disabled_sql[] =
	"UPDATE users SET disabled = ?, failed_attempts = 0, locked_until = 0, changed_at = ?"
	" WHERE id = ?";
static const char set_password_sql[] =
	"UPDATE users SET password_hash = ?, failed_attempts = 0, locked_until = 0,"
	" changed_at = ? WHERE id = ?";
static const char touch_sql[] = "UPDATE users SET changed_at = ? WHERE id = ?";
static const char revoke_sessions_sql[] =
	"UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL";

void accounts_now_text(char out[32])
{
	time_t t = (time_t)accounts_now();
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int user_name_check(const char *username, char folded[USER_NAME_MAX + 1], struct err *e)
{
	size_t n = username ? strlen(username) : 0;
	static const char rule[] = "2 to 64 characters from a-z, 0-9, '.', '_', '-' and '@', "
				   "starting with a letter or digit";
	if (n < 2 || n > USER_NAME_MAX)
		return err_set(e, ERR_INVALID, "user name '%.80s' breaks the rule: %s",
			       username ? username : "", rule);
	for (size_t i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)username[i]);
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  (i > 0 && strchr("._-@", c));
		if (!ok || (unsigned char)username[i] >= 0x80)
			return err_set(e, ERR_INVALID, "user name '%.80s' breaks the rule: %s",
				       username, rule);
		folded[i] = c;
	}
	folded[n] = '\0';
	return 0;
}

static int display_name_check(const char *name, struct err *e)
{
	if (!name || !*name)
		return 0;
	if (strlen(name) > USER_DISPLAY_MAX)
		return err_set(e, ERR_INVALID, "the display name is longer than %d bytes",
			       USER_DISPLAY_MAX);
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INVALID,
				       "the display name contains a control character");
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Fill `u` from a row of USER_COLUMNS (roles apart). */
static void user_from_row(struct stmt *st, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = stmt_int64(st, 0);
	u->username = dup_or_null(stmt_text(st, 1));
	u->display_name = dup_or_null(stmt_text(st, 2));
	u->organisation_id = stmt_int64(st, 3);
	u->organisation = xasprintf("%s:%s", stmt_text(st, 4), stmt_text(st, 5));
	u->organisation_name = dup_or_null(stmt_text(st, 6));
	u->disabled = stmt_int64(st, 7) != 0;
	u->failed_attempts = (int)stmt_int64(st, 8);
	u->locked_until = stmt_int64(st, 9);
	u->created_at = dup_or_null(stmt_text(st, 10));
	u->changed_at = dup_or_null(stmt_text(st, 11));
}

static int role_bit(const char *name)
{
	unsigned r = 0;
	return role_parse(name, &r, NULL) == 0 ? (int)r : 0;
}

static int load_roles(struct store *s, struct user *u, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, roles_of_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, u->id);
	int rc;
	u->roles = 0;
	while ((rc = stmt_step(st, e)) == STORE_ROW)
		u->roles |= (unsigned)role_bit(stmt_text(st, 0));
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int user_get(struct store *s, const char *username, struct user *out, struct err *e)
{
	char name[USER_NAME_MAX + 1];
	struct stmt *st;
	memset(out, 0, sizeof(*out));
	if (user_name_check(username, name, NULL) < 0)
		return err_set(e, ERR_NOTFOUND, "no user '%.80s'", username ? username : "");
	if (store_prepare(s, get_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, name);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		user_from_row(st, out);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (rc == STORE_DONE)
		return err_set(e, ERR_NOTFOUND, "no user '%s'", name);
	if (load_roles(s, out, e) < 0) {
		user_release(out);
		return -1;
	}
	return 0;
}

int user_list(struct store *s, struct user **out, size_t *n, struct err *e)
{
	struct stmt *st = NULL;
	struct user *list = NULL;
	size_t count = 0, cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (store_prepare(s, list_sql, &st, e) < 0)
		return -1;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(list, cap, count + 1);
		user_from_row(st, &list[count++]);
	}
	stmt_free(st);
	st = NULL;
	if (rc < 0 || store_prepare(s, all_roles_sql, &st, e) < 0)
		goto fail;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		int64_t id = stmt_int64(st, 0);
		for (size_t i = 0; i < count; i++)
			if (list[i].id == id)
				list[i].roles |= (unsigned)role_bit(stmt_text(st, 1));
	}
	stmt_free(st);
	if (rc < 0)
		goto fail;
	*out = list;
	*n = count;
	return 0;
fail:
	user_free_array(list, count);
	return -1;
}

static int insert_roles(struct store *s, int64_t user_id, unsigned roles, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, insert_role_sql, &st, e) < 0)
		return -1;
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (!(roles & (1u << i)))
			continue;
		stmt_reset(st);
		stmt_bind_int64(st, 1, user_id);
		stmt_bind_text(st, 2, role_name(1u << i));
		if (stmt_step(st, e) < 0) {
			stmt_free(st);
			return -1;
		}
	}
	stmt_free(st);
	return 0;
}

/* Prepare `sql`, let `bind` bind its parameters from `arg`, and run it once. */
static int exec_bound(struct store *s, const char *sql, void (*bind)(struct stmt *, void *),
		      void *arg, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	bind(st, arg);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* The parameters of the small updates below: a user id, a number, a text. */
struct id_time {
	int64_t id;
	int64_t now;      /* a time in unix seconds, or the new `disabled` flag */
	const char *text; /* the change time as ISO text */
};

static void bind_revoke(struct stmt *st, void *arg)
{
	const struct id_time *a = arg;
	stmt_bind_int64(st, 1, a->now);
	stmt_bind_int64(st, 2, a->id);
}

/* End every open session of user `id`. */
static int revoke_sessions(struct store *s, int64_t id, struct err *e)
{
	struct id_time a = {id, accounts_now(), NULL};
	return exec_bound(s, revoke_sessions_sql, bind_revoke, &a, e);
}

static int name_taken(struct store *s, const char *name, bool *taken, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, exists_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, name);
	int rc = stmt_step(st, e);
	*taken = rc == STORE_ROW && stmt_int64(st, 0) > 0;
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* Validate everything in `in` that needs no store; the folded name goes to `name`. */
static int user_input_check(const struct user_input *in, char name[USER_NAME_MAX + 1],
			    struct err *e)
{
	if (user_name_check(in->username, name, e) < 0 ||
	    display_name_check(in->display_name, e) < 0)
		return -1;
	if (!in->organisation || !*in->organisation)
		return err_set(e, ERR_INVALID, "user '%s': no organisation given", name);
	if (!(in->roles & ROLE_ALL) || (in->roles & ~ROLE_ALL))
		return err_set(e, ERR_INVALID, "user '%s': no valid role given", name);
	if (!in->password)
		return err_set(e, ERR_INVALID, "user '%s': no password given", name);
	return password_check(name, in->password, e);
}

int user_add(struct store *s, const struct access *who, const struct user_input *in,
	     struct user *out, struct err *e)
{
	char name[USER_NAME_MAX + 1], hash[PASSWORD_HASH_SIZE], now[32], roles[ROLES_TEXT_SIZE];
	struct organisation org;
	struct stmt *st = NULL;
	bool taken;
	int64_t id = 0;
	memset(&org, 0, sizeof(org));
	if (out)
		memset(out, 0, sizeof(*out));
	if (user_input_check(in, name, e) < 0)
		return -1;
	/* Hashing takes a while: do it before the write lock is taken. */
	if (password_hash(in->password, hash, e) < 0)
		return -1;
	accounts_now_text(now);
	roles_format(in->roles, roles);
	if (store_begin(s, e) < 0)
		return -1;
	if (org_get(s, in->organisation, &org, e) < 0) {
		err_prefix(e, "user '%s'", name);
		goto fail;
	}
	if (name_taken(s, name, &taken, e) < 0)
		goto fail;
	if (taken) {
		err_set(e, ERR_CONFLICT, "a user '%s' exists already", name);
		goto fail;
	}
	if (store_prepare(s, insert_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, name);
	stmt_bind_text(st, 2, in->display_name && *in->display_name ? in->display_name : NULL);
	stmt_bind_int64(st, 3, org.id);
	stmt_bind_text(st, 4, hash);
	stmt_bind_text(st, 5, now);
	stmt_bind_text(st, 6, now);
	if (stmt_step(st, e) != STORE_ROW) {
		err_set(e, ERR_INTERNAL, "adding user '%s' returned no id", name);
		goto fail;
	}
	id = stmt_int64(st, 0);
	stmt_free(st);
	st = NULL;
	char *detail = xasprintf("user=%s organisation=%s:%s roles=%s", name,
				 org_kind_name(org.kind), org.ident, roles);
	int rc = insert_roles(s, id, in->roles, e) < 0 ||
				 audit_append(s, who, "user.add", NULL, detail, e) < 0
			 ? -1
			 : 0;
	free(detail);
	if (rc < 0 || store_commit(s, e) < 0)
		goto fail;
	sodium_memzero(hash, sizeof(hash));
	org_release(&org);
	return out ? user_get(s, name, out, e) : 0;
fail:
	stmt_free(st);
	store_rollback(s);
	sodium_memzero(hash, sizeof(hash));
	org_release(&org);
	return -1;
}

/* Begin a change of `username`: open a transaction and read the user into *u. */
static int change_prologue(struct store *s, const char *username, struct user *u, struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	if (user_get(s, username, u, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

/* End a change: with rc 0, audit `action` with `detail` and commit; else roll back. */
static int change_epilogue(struct store *s, const struct access *who, const char *action,
			   const char *detail, struct user *u, int rc, struct err *e)
{
	if (rc == 0 && audit_append(s, who, action, NULL, detail, e) == 0 &&
	    store_commit(s, e) == 0) {
		user_release(u);
		return 0;
	}
	store_rollback(s);
	user_release(u);
	return -1;
}

static void bind_disabled(struct stmt *st, void *arg)
{
	const struct id_time *a = arg;
	stmt_bind_int64(st, 1, a->now);
	stmt_bind_text(st, 2, a->text);
	stmt_bind_int64(st, 3, a->id);
}

int user_set_disabled(struct store *s, const struct access *who, const char *username,
		      bool disabled, struct err *e)
{
	struct user u;
	char now[32], detail[128];
	if (change_prologue(s, username, &u, e) < 0)
		return -1;
	accounts_now_text(now);
	struct id_time a = {u.id, disabled ? 1 : 0, now};
	int rc = exec_bound(s, set_disabled_sql, bind_disabled, &a, e);
	if (rc == 0 && disabled)
		rc = revoke_sessions(s, u.id, e);
	snprintf(detail, sizeof(detail), "user=%s", u.username);
	return change_epilogue(s, who, disabled ? "user.disable" : "user.enable", detail, &u, rc,
			       e);
}

int user_set_password(struct store *s, const struct access *who, const char *username,
		      const char *password, struct err *e)
{
	struct user u;
	char now[32], detail[128], hash[PASSWORD_HASH_SIZE], name[USER_NAME_MAX + 1];
	if (user_name_check(username, name, NULL) < 0)
		return err_set(e, ERR_NOTFOUND, "no user '%.80s'", username ? username : "");
	if (password_check(name, password, e) < 0 || password_hash(password, hash, e) < 0)
		return -1;
	if (change_prologue(s, name, &u, e) < 0)
		return -1;
	accounts_now_text(now);
	struct stmt *st;
	int rc = store_prepare(s, set_password_sql, &st, e);
	if (rc == 0) {
		stmt_bind_text(st, 1, hash);
		stmt_bind_text(st, 2, now);
		stmt_bind_int64(st, 3, u.id);
		rc = stmt_step(st, e) < 0 ? -1 : 0;
		stmt_free(st);
	}
	sodium_memzero(hash, sizeof(hash));
	if (rc == 0)
		rc = revoke_sessions(s, u.id, e);
	snprintf(detail, sizeof(detail), "user=%s", u.username);
	return change_epilogue(s, who, "user.passwd", detail, &u, rc, e);
}

static void bind_id(struct stmt *st, void *arg)
{
	stmt_bind_int64(st, 1, *(const int64_t *)arg);
}

static void bind_touch(struct stmt *st, void *arg)
{
	const struct id_time *a = arg;
	stmt_bind_text(st, 1, a->text);
	stmt_bind_int64(st, 2, a->id);
}

int user_set_roles(struct store *s, const struct access *who, const char *username,
		   unsigned roles, struct err *e)
{
	struct user u;
	char now[32], detail[320], before[ROLES_TEXT_SIZE], after[ROLES_TEXT_SIZE];
	if (!(roles & ROLE_ALL) || (roles & ~ROLE_ALL))
		return err_set(e, ERR_INVALID, "no valid role given");
	if (change_prologue(s, username, &u, e) < 0)
		return -1;
	accounts_now_text(now);
	roles_format(u.roles, before);
	roles_format(roles, after);
	struct id_time a = {u.id, 0, now};
	int rc = exec_bound(s, delete_roles_sql, bind_id, &u.id, e);
	if (rc == 0)
		rc = insert_roles(s, u.id, roles, e);
	if (rc == 0)
		rc = exec_bound(s, touch_sql, bind_touch, &a, e);
	snprintf(detail, sizeof(detail), "user=%s roles=%s (was %s)", u.username, after, before);
	return change_epilogue(s, who, "user.roles", detail, &u, rc, e);
}

void user_release(struct user *u)
{
	if (!u)
		return;
	free(u->username);
	free(u->display_name);
	free(u->organisation);
	free(u->organisation_name);
	free(u->created_at);
	free(u->changed_at);
	memset(u, 0, sizeof(*u));
}

void user_free_array(struct user *array, size_t n)
{
	for (size_t i = 0; i < n; i++)
		user_release(&array[i]);
	free(array);
}
