/*
 * What the files of the forum module share and nobody else needs: timestamps, text checks, the
 * rate limits, the theme look-up and the party columns.
 */
#ifndef FORUM_FORUM_INTERNAL_H
#define FORUM_FORUM_INTERNAL_H

#include "forum/forum.h"

#define FORUM_TIME_SIZE 21 /* "YYYY-MM-DDTHH:MM:SSZ" */

/* The settings' clock (fs->now, or the real one when 0). */
time_t forum_now(const struct forum_settings *fs);

/* Write `t` as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out. */
void forum_time_text(time_t t, char out[FORUM_TIME_SIZE]);

/*
 * Check a text field: valid UTF-8, not blank when `required`, at most `max` bytes, no control
 * characters (but newlines and tabs when `multiline`), and no BSN. `field` names it in the
 * message.
 */
int forum_check_text(const char *text, const char *field, bool required, size_t max,
		     bool multiline, struct err *e);

/*
 * Refuse a post (and, when `new_thread`, a thread) by `who` that would pass a rate limit of
 * `fs`; the message says from when posting is possible again.
 */
int forum_check_rate(struct store *s, const struct forum_settings *fs, const struct access *who,
		     bool new_thread, struct err *e);

/* The id of the theme with `slug`; ERR_NOTFOUND naming the slug when there is none. */
int forum_theme_id(struct store *s, const char *slug, int64_t *id, struct err *e);

/* The slug of the theme with `id`, owned by the caller (free()). */
int forum_theme_slug(struct store *s, int64_t id, char **slug, struct err *e);

/*
 * The thread of post `id` and its author (owned, may be NULL to skip), when `who` can see the
 * post and its thread; otherwise ERR_NOTFOUND.
 */
int forum_load_post(struct store *s, const struct access *who, int64_t id, int64_t *thread_id,
		    char **author, struct err *e);

/* Copy the acting identity into a party (owned strings). */
void forum_party_from(struct forum_party *p, const struct access *who);
void forum_party_release(struct forum_party *p);

/* Read a party from three text columns starting at `col`. */
void forum_party_read(struct forum_party *p, struct stmt *st, int col);

/* Bind the identity's actor, organisation and role at parameters i, i+1, i+2. */
void forum_bind_party(struct stmt *st, int i, const struct access *who);

/* The acting identity's name: refuse an identity without an actor. */
int forum_check_actor(const struct access *who, struct err *e);

/* Record a moderation action in the same transaction as the change. */
int forum_log_moderation(struct store *s, const struct access *who, const char *action,
			 int64_t thread_id, int64_t post_id, int64_t report_id, const char *reason,
			 const char *detail, const char *at, struct err *e);

/* Whether `who` may see hidden content written by `author`: editors and the author. */
bool forum_sees_hidden(const struct access *who, const char *author);

/* A copy of a nullable text column. */
char *forum_col_dup(struct stmt *st, int col);

#endif
