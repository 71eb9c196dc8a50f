/*
 * The forum of the knowledge platform: per theme, threads and replies among the professionals
 * of all regions (docs/forum.md).
 *
 * A thread has a title and an opening post; replies are posts of the same thread and may quote
 * another post of it. The thread's starter or an editor marks a reply as helpful; anyone
 * follows a thread and sees how many posts are new since the last visit. Editors (role
 * "editor") hide and unhide posts and threads, lock and unlock threads and move them to another
 * theme; every such action is kept in a moderation log with who, when, what and why. Anyone
 * reports a post; editors see the open reports. Posting is rate-limited per author, and a text
 * holding a number that passes the BSN elfproef is refused: no personal data of young people.
 *
 * Participants are identified by the acting identity (struct access: actor, organisation,
 * role), kept as text in every row, until accounts exist; then a users table takes its place.
 *
 * Ownership: every struct filled by a function here owns its strings and arrays; release it
 * with the matching *_release / *_free_array function. Strings passed in are borrowed.
 * Errors: ERR_INVALID (bad input, a BSN in the text), ERR_NOTFOUND (no such thread, post,
 * report or theme — also for content hidden from the caller), ERR_FORBIDDEN (not the starter
 * or an editor), ERR_CONFLICT (locked thread, already marked, rate limit reached).
 */
#ifndef FORUM_FORUM_H
#define FORUM_FORUM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

#define FORUM_TITLE_MAX 200   /* bytes */
#define FORUM_BODY_MAX 20000  /* bytes */
#define FORUM_REASON_MAX 1000 /* bytes */

/* The defaults of the rate limits (docs/forum.md). */
#define FORUM_DEFAULT_POSTS_PER_10MIN 10
#define FORUM_DEFAULT_THREADS_PER_HOUR 3

struct forum_settings {
	int posts_per_10min;  /* posts (openings and replies) per author in any 10 minutes */
	int threads_per_hour; /* new threads per author in any hour */
	time_t now;           /* 0: the real clock; tests fix the time here */
};

/* The defaults: 10 posts per 10 minutes, 3 threads per hour, the real clock. */
void forum_settings_default(struct forum_settings *fs);

/*
 * The store's settings: the defaults, overridden by the rows 'forum.posts_per_10min' and
 * 'forum.threads_per_hour' of the meta table when present.
 */
int forum_settings_load(struct store *s, struct forum_settings *fs, struct err *e);

/* Keep the two limits in the meta table; each must be between 1 and 1000. */
int forum_settings_save(struct store *s, const struct forum_settings *fs, struct err *e);

/* Whether `who` may moderate: role "editor". */
bool forum_is_editor(const struct access *who);

/* Who wrote or did something, as kept until accounts exist. */
struct forum_party {
	char *name;         /* the actor */
	char *organisation; /* may be NULL */
	char *role;         /* may be NULL */
};

struct forum_post {
	int64_t id;
	int64_t thread_id;
	bool opening;          /* the thread's first post */
	char *body;            /* Markdown, as written */
	struct forum_party author;
	char *created_at;      /* "YYYY-MM-DDTHH:MM:SSZ" */
	int64_t quote_id;      /* 0, or the post this one quotes (same thread) */
	bool hidden;           /* only editors and the author see a hidden post */
	bool helpful;
	char *helpful_by;      /* who marked it, or NULL */
};

struct forum_follower {
	struct forum_party who;
	char *since;
	int64_t new_posts; /* posts by others since this follower's last visit */
};

struct forum_thread {
	int64_t id;
	int64_t theme_id;
	char *theme_slug;
	char *title;
	struct forum_party author;
	char *created_at;
	char *last_post_at;
	bool locked;
	bool hidden;
	int64_t replies;   /* replies the viewer can see */
	bool following;    /* whether the viewer follows it */
	int64_t new_posts; /* for a follower: posts by others since the last visit; else 0 */
	/* Filled by forum_thread_get only: */
	struct forum_post *posts; /* the opening post first, then replies in order */
	size_t nposts;
	struct forum_follower *followers;
	size_t nfollowers;
};

void forum_thread_release(struct forum_thread *t);
void forum_thread_free_array(struct forum_thread *t, size_t n);

/*
 * Start a thread on the theme `theme_slug` with `title` (plain text) and `body` (Markdown),
 * written by `who`, who then follows it. Refused when the title or body is empty or too long,
 * not UTF-8, holds a BSN, or the author has reached a rate limit (the message says when
 * posting is possible again). *thread_id gets the new id.
 */
int forum_thread_start(struct store *s, const struct forum_settings *fs, const struct access *who,
		       const char *theme_slug, const char *title, const char *body,
		       int64_t *thread_id, struct err *e);

/*
 * Reply to a thread. `quote_id` is 0 or a post of the same thread that `who` can see.
 * Refused on a locked or hidden thread, and for the reasons of forum_thread_start. *post_id (may be NULL) gets the new id. A follower who replies has seen
 * the thread.
 */
int forum_reply(struct store *s, const struct forum_settings *fs, const struct access *who,
		int64_t thread_id, const char *body, int64_t quote_id, int64_t *post_id,
		struct err *e);

/*
 * The threads of a theme (all themes when `theme_slug` is NULL) that `who` can see, the most
 * recently active first, without their posts.
 */
int forum_threads(struct store *s, const struct access *who, const char *theme_slug,
		  struct forum_thread **out, size_t *n, struct err *e);

/*
 * A thread with the posts and followers that `who` can see. ERR_NOTFOUND when there is none
 * or it is hidden from `who`. Reading does not count as a visit: see forum_visit.
 */
int forum_thread_get(struct store *s, const struct access *who, int64_t thread_id,
		     struct forum_thread *out, struct err *e);

/* Record that `who` has seen every post of the thread so far (only when following it). */
int forum_visit(struct store *s, const struct access *who, int64_t thread_id, struct err *e);

/*
 * Mark a reply as helpful: only the thread's starter or an editor, once per post, not the
 * opening post.
 */
int forum_helpful(struct store *s, const struct access *who, int64_t post_id, struct err *e);

/* Follow or stop following a thread `who` can see. Following twice is no error. */
int forum_follow(struct store *s, const struct access *who, int64_t thread_id, struct err *e);
int forum_unfollow(struct store *s, const struct access *who, int64_t thread_id, struct err *e);

/* ---- moderation (editors) ---------------------------------------------------------------- */

enum forum_target { FORUM_POST, FORUM_THREAD };

/*
 * Hide or unhide a post or a thread. Hidden content is kept and shown only to editors (and its
 * author). Hiding a post closes its open reports. `reason` is required.
 */
int forum_set_hidden(struct store *s, const struct access *who, enum forum_target target,
		     int64_t id, bool hidden, const char *reason, struct err *e);

/* Lock or unlock a thread: a locked thread takes no replies. `reason` is required. */
int forum_set_locked(struct store *s, const struct access *who, int64_t thread_id, bool locked,
		     const char *reason, struct err *e);

/* Move a thread to the theme `theme_slug`. `reason` is required. */
int forum_move(struct store *s, const struct access *who, int64_t thread_id,
	       const char *theme_slug, const char *reason, struct err *e);

struct forum_moderation {
	int64_t id;
	char *at;
	struct forum_party by;
	char *action; /* hide, unhide, lock, unlock, move, dismiss */
	int64_t thread_id;
	int64_t post_id;   /* 0 when the action was on the thread */
	int64_t report_id; /* 0 unless the action was on a report */
	char *reason;
	char *detail; /* e.g. "from spreiding-onderwijsaanbod to vmbo-mbo", or NULL */
};

void forum_moderation_free_array(struct forum_moderation *m, size_t n);

/* The moderation log, oldest first; of one thread, or of all when thread_id is 0. Editors. */
int forum_moderation_log(struct store *s, const struct access *who, int64_t thread_id,
			 struct forum_moderation **out, size_t *n, struct err *e);

/* ---- reports ------------------------------------------------------------------------------ */

struct forum_report {
	int64_t id;
	int64_t post_id;
	int64_t thread_id;
	char *thread_title;
	struct forum_party by;
	char *reason;
	char *created_at;
	char *status; /* open, hidden (the post was hidden), dismissed */
};

void forum_report_free_array(struct forum_report *r, size_t n);

/* Report a post `who` can see, with a reason (required). *report_id may be NULL. */
int forum_report_post(struct store *s, const struct access *who, int64_t post_id,
		      const char *reason, int64_t *report_id, struct err *e);

/* The open reports, oldest first. Editors only. */
int forum_reports_open(struct store *s, const struct access *who, struct forum_report **out,
		       size_t *n, struct err *e);

/* Close a report without hiding the post, with a reason. Editors only. */
int forum_report_dismiss(struct store *s, const struct access *who, int64_t report_id,
			 const char *reason, struct err *e);

/* ---- rules, rendering --------------------------------------------------------------------- */

/*
 * Refuse a text that holds a number passing the BSN elfproef: nine digits in a row, or written
 * in groups of 4-2-3 or 3-3-3 separated by one '.', ' ' or '-'. `field` names the text in the
 * message, which shows the number masked.
 */
int forum_check_no_bsn(const char *text, const char *field, struct err *e);

/*
 * Render a thread read by forum_thread_get as an HTML fragment (an <article> with the posts,
 * their quotes, authors and marks) with labels in `lang` ("nl" or "en"), every text escaped
 * and the bodies rendered from Markdown to safe HTML. Appends to `out`.
 */
void forum_thread_html(const struct forum_thread *t, const char *lang, struct buf *out);

/* The thread as JSON (a new reference), with posts (Markdown and safe HTML) and followers. */
json_t *forum_thread_json(const struct forum_thread *t);

#endif
