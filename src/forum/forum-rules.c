/*
 * The forum's rules (see forum.h, docs/forum.md): no BSN in a post, the rate limits against
 * spam and their settings, who counts as an editor, and the checks every text goes through.
 */
#include "accounts/roles.h"
#include "forum/forum-internal.h"

#include "registry/ident.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char setting_get_sql[] = "SELECT value FROM meta WHERE name = ?";
static const char setting_put_sql[] =
	"INSERT INTO meta (name, value) VALUES (?, ?)"
	" ON CONFLICT (name) DO UPDATE SET value = excluded.value";

/* The authors' posts inside the window, oldest first. */
static const char posts_in_window_sql[] =
	"SELECT created_at FROM forum_posts WHERE author = ? AND created_at > ?"
	" ORDER BY created_at, id";
static const char threads_in_window_sql[] =
	"SELECT created_at FROM forum_threads WHERE author = ? AND created_at > ?"
	" ORDER BY created_at, id";

#define POST_WINDOW 600    /* seconds: 10 minutes */
#define THREAD_WINDOW 3600 /* seconds: an hour */
#define SETTING_MAX 1000

/* ---- time --------------------------------------------------------------------------------- */

time_t forum_now(const struct forum_settings *fs)
{
	return fs && fs->now ? fs->now : time(NULL);
}

void forum_time_text(time_t t, char out[FORUM_TIME_SIZE])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, FORUM_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Read back what forum_time_text wrote; 0 when the text is not such a time. */
static time_t time_from_text(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* ---- the BSN rule ------------------------------------------------------------------------- */

static bool is_separator(char c)
{
	return c == '.' || c == ' ' || c == '-';
}

/* Whether the digits of `groups` (their lengths in `len`) from group i on form a BSN. */
static bool groups_form_bsn(const char *const *groups, const size_t *len, size_t n, size_t i,
			    char digits[BSN_SIZE])
{
	static const size_t layouts[][3] = {{4, 2, 3}, {3, 3, 3}};
	if (len[i] == 9) {
		memcpy(digits, groups[i], 9);
		digits[9] = '\0';
		return true;
	}
	if (i + 3 > n)
		return false;
	for (size_t l = 0; l < sizeof(layouts) / sizeof(layouts[0]); l++) {
		if (len[i] != layouts[l][0] || len[i + 1] != layouts[l][1] ||
		    len[i + 2] != layouts[l][2])
			continue;
		size_t k = 0;
		for (size_t g = i; g < i + 3; g++)
			for (size_t j = 0; j < len[g]; j++)
				digits[k++] = groups[g][j];
		digits[9] = '\0';
		return true;
	}
	return false;
}

#define MAX_GROUPS 16

int forum_check_no_bsn(const char *text, const char *field, struct err *e)
{
	const char *p = text;
	while (*p) {
		if (!isdigit((unsigned char)*p)) {
			p++;
			continue;
		}
		/* A run of digit groups joined by single separators: "1234.56.782". */
		const char *groups[MAX_GROUPS];
		size_t len[MAX_GROUPS], n = 0;
		for (;;) {
			const char *start = p;
			while (isdigit((unsigned char)*p))
				p++;
			if (n < MAX_GROUPS) {
				groups[n] = start;
				len[n++] = (size_t)(p - start);
			}
			if (is_separator(*p) && isdigit((unsigned char)p[1]))
				p++;
			else
				break;
		}
		for (size_t i = 0; i < n; i++) {
			char digits[BSN_SIZE], normal[BSN_SIZE];
			if (!groups_form_bsn(groups, len, n, i, digits) ||
			    ident_bsn(digits, field, normal, NULL) < 0)
				continue;
			char masked[BSN_MASKED_SIZE];
			ident_mask_bsn(normal, masked);
			return err_set(e, ERR_INVALID,
				       "%s holds a number that passes the BSN elfproef (%s): "
				       "personal data of young people may not be posted in the "
				       "forum; remove the number",
				       field, masked);
		}
	}
	return 0;
}

int forum_check_text(const char *text, const char *field, bool required, size_t max,
		     bool multiline, struct err *e)
{
	if (!text)
		text = "";
	size_t len = strlen(text), bad;
	if (!utf8_valid(text, len, &bad))
		return err_set(e, ERR_INVALID, "%s is not valid UTF-8 (byte %zu)", field, bad);
	if (len > max)
		return err_set(e, ERR_INVALID, "%s is %zu bytes long; at most %zu are allowed",
			       field, len, max);
	/* Control characters would reach terminals and pages as they are. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 || c == 0x7f) &&
		    !(multiline && (c == '\n' || c == '\r' || c == '\t')))
			return err_set(e, ERR_INVALID, "%s holds a control character (byte %zu)",
				       field, i);
	}
	if (required) {
		const char *q = text;
		while (*q && isspace((unsigned char)*q))
			q++;
		if (!*q)
			return err_set(e, ERR_INVALID, "%s is empty", field);
	}
	return forum_check_no_bsn(text, field, e);
}

/* ---- rate limits -------------------------------------------------------------------------- */

/*
 * Count the author's rows since `now - window`; when there are `limit` or more, fail with the
 * moment the oldest one that counts leaves the window.
 */
static int check_window(struct store *s, const char *sql, const char *author, time_t now,
			int window, int limit, const char *what, struct err *e)
{
	char since[FORUM_TIME_SIZE];
	forum_time_text(now - window, since);
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, author);
	stmt_bind_text(st, 2, since);
	time_t *times = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(times, cap, n + 1);
		times[n++] = time_from_text(stmt_text(st, 0));
	}
	stmt_free(st);
	if (rc < 0) {
		free(times);
		return -1;
	}
	if (n >= (size_t)limit) {
		/* Posting is possible again when only limit - 1 remain in the window. */
		time_t again = times[n - (size_t)limit] + window;
		char at[FORUM_TIME_SIZE];
		forum_time_text(again, at);
		long wait = (long)(again - now);
		rc = err_set(e, ERR_CONFLICT,
			     "rate limit: at most %d %s per %s per author; you can post again "
			     "at %s (in %ld min %ld s)",
			     limit, what, window == POST_WINDOW ? "10 minutes" : "hour", at,
			     wait / 60, wait % 60);
	}
	free(times);
	return rc < 0 ? -1 : 0;
}

int forum_check_rate(struct store *s, const struct forum_settings *fs, const struct access *who,
		     bool new_thread, struct err *e)
{
	time_t now = forum_now(fs);
	if (check_window(s, posts_in_window_sql, who->actor, now, POST_WINDOW,
			 fs->posts_per_10min, "posts", e) < 0)
		return -1;
	if (new_thread && check_window(s, threads_in_window_sql, who->actor, now, THREAD_WINDOW,
				       fs->threads_per_hour, "new threads", e) < 0)
		return -1;
	return 0;
}

/* ---- settings ----------------------------------------------------------------------------- */

void forum_settings_default(struct forum_settings *fs)
{
	fs->posts_per_10min = FORUM_DEFAULT_POSTS_PER_10MIN;
	fs->threads_per_hour = FORUM_DEFAULT_THREADS_PER_HOUR;
	fs->now = 0;
}

static int load_setting(struct store *s, const char *name, int *value, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, setting_get_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, name);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		const char *text = stmt_text(st, 0);
		char *end = NULL;
		long v = strtol(text, &end, 10);
		if (!*text || *end || v < 1 || v > SETTING_MAX)
			rc = err_set(e, ERR_INVALID,
				     "setting %s is '%s'; it must be a whole number from 1 to %d",
				     name, text, SETTING_MAX);
		else
			*value = (int)v;
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int forum_settings_load(struct store *s, struct forum_settings *fs, struct err *e)
{
	forum_settings_default(fs);
	if (load_setting(s, "forum.posts_per_10min", &fs->posts_per_10min, e) < 0 ||
	    load_setting(s, "forum.threads_per_hour", &fs->threads_per_hour, e) < 0)
		return -1;
	return 0;
}

static int save_setting(struct store *s, const char *name, int value, struct err *e)
{
	if (value < 1 || value > SETTING_MAX)
		return err_set(e, ERR_INVALID, "%s must be a whole number from 1 to %d, not %d",
			       name, SETTING_MAX, value);
	char text[16];
	snprintf(text, sizeof(text), "%d", value);
	struct stmt *st;
	if (store_prepare(s, setting_put_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, name);
	stmt_bind_text(st, 2, text);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int forum_settings_save(struct store *s, const struct forum_settings *fs, struct err *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	if (save_setting(s, "forum.posts_per_10min", fs->posts_per_10min, e) < 0 ||
	    save_setting(s, "forum.threads_per_hour", fs->threads_per_hour, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, e);
}

/* ---- identities --------------------------------------------------------------------------- */

/*
 * An editor: a signed-in user with the editor role among their roles, or (on the command
 * line, where there are no accounts) an identity whose role is "editor".
 */
bool forum_is_editor(const struct access *who)
{
	if (!who)
		return false;
	if (who->roles & ROLE_EDITOR)
		return true;
	return who->role && strcmp(who->role, "editor") == 0;
}

bool forum_sees_hidden(const struct access *who, const char *author)
{
	return forum_is_editor(who) ||
	       (who && who->actor && author && strcmp(who->actor, author) == 0);
}

int forum_check_actor(const struct access *who, struct err *e)
{
	if (!who || !who->actor || !*who->actor)
		return err_set(e, ERR_FORBIDDEN, "the forum needs to know who is acting");
	return 0;
}

void forum_party_from(struct forum_party *p, const struct access *who)
{
	p->name = xstrdup(who->actor);
	p->organisation = who->organisation ? xstrdup(who->organisation) : NULL;
	p->role = who->role ? xstrdup(who->role) : NULL;
}

void forum_party_release(struct forum_party *p)
{
	free(p->name);
	free(p->organisation);
	free(p->role);
	memset(p, 0, sizeof(*p));
}

char *forum_col_dup(struct stmt *st, int col)
{
	const char *v = stmt_text(st, col);
	return v ? xstrdup(v) : NULL;
}

void forum_party_read(struct forum_party *p, struct stmt *st, int col)
{
	p->name = forum_col_dup(st, col);
	p->organisation = forum_col_dup(st, col + 1);
	p->role = forum_col_dup(st, col + 2);
}

void forum_bind_party(struct stmt *st, int i, const struct access *who)
{
	stmt_bind_text(st, i, who->actor);
	stmt_bind_text(st, i + 1, who->organisation);
	stmt_bind_text(st, i + 2, who->role);
}
