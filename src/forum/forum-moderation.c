/*
 * Moderation of the forum by editors (see forum.h): hiding and unhiding posts and threads,
 * locking, moving to another theme, the moderation log that records each of these, and the
 * reports anyone makes of a post.
 */
#include "forum/forum-internal.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char thread_state_sql[] =
	"SELECT hidden, locked, theme_id FROM forum_threads WHERE id = ?";
static const char post_state_sql[] = "SELECT hidden, thread_id FROM forum_posts WHERE id = ?";

static const char hide_thread_sql[] = "UPDATE forum_threads SET hidden = ? WHERE id = ?";
static const char hide_post_sql[] = "UPDATE forum_posts SET hidden = ? WHERE id = ?";
static const char lock_sql[] = "UPDATE forum_threads SET locked = ? WHERE id = ?";
static const char move_sql[] = "UPDATE forum_threads SET theme_id = ? WHERE id = ?";

static const char close_reports_sql[] =
	"UPDATE forum_reports SET status = 'hidden', closed_at = ?, closed_by = ?"
	" WHERE post_id = ? AND status = 'open'";

static const char log_sql[] =
	"INSERT INTO forum_moderation (at, actor, actor_org, actor_role, action, thread_id,"
	" post_id, report_id, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char log_list_sql[] =
	"SELECT id, at, actor, actor_org, actor_role, action, thread_id, post_id, report_id,"
	" reason, detail FROM forum_moderation WHERE (? = 0 OR thread_id = ?) ORDER BY id";

static const char report_dup_sql[] =
	"SELECT id FROM forum_reports WHERE post_id = ? AND reporter = ? AND status = 'open'";

static const char report_sql[] =
	"INSERT INTO forum_reports (post_id, reporter, reporter_org, reporter_role, reason,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";

static const char reports_open_sql[] =
	"SELECT r.id, r.post_id, p.thread_id, th.title, r.reporter, r.reporter_org,"
	" r.reporter_role, r.reason, r.created_at, r.status"
	" FROM forum_reports r JOIN forum_posts p ON p.id = r.post_id"
	" JOIN forum_threads th ON th.id = p.thread_id"
	" WHERE r.status = 'open' ORDER BY r.id";

static const char report_get_sql[] =
	"SELECT r.status, r.post_id, p.thread_id FROM forum_reports r"
	" JOIN forum_posts p ON p.id = r.post_id WHERE r.id = ?";

static const char dismiss_sql[] =
	"UPDATE forum_reports SET status = 'dismissed', closed_at = ?, closed_by = ? WHERE id = ?";

/* ---- shared ------------------------------------------------------------------------------- */

static int require_editor(const struct access *who, const char *what, struct err *e)
{
	if (forum_check_actor(who, e) < 0)
		return -1;
	if (!forum_is_editor(who))
		return err_set(e, ERR_FORBIDDEN, "only an editor may %s (you act as role '%s')",
			       what, who->role ? who->role : "none");
	return 0;
}

static int require_reason(const char *reason, struct err *e)
{
	return forum_check_text(reason, "the reason", true, FORUM_REASON_MAX, true, e);
}

int forum_log_moderation(struct store *s, const struct access *who, const char *action,
			 int64_t thread_id, int64_t post_id, int64_t report_id, const char *reason,
			 const char *detail, const char *at, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, log_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, at);
	forum_bind_party(st, 2, who);
	stmt_bind_text(st, 5, action);
	stmt_bind_int64(st, 6, thread_id);
	if (post_id)
		stmt_bind_int64(st, 7, post_id);
	else
		stmt_bind_null(st, 7);
	if (report_id)
		stmt_bind_int64(st, 8, report_id);
	else
		stmt_bind_null(st, 8);
	stmt_bind_text(st, 9, reason);
	stmt_bind_text(st, 10, detail);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* Run an UPDATE of one row by id that sets one integer. */
static int set_flag(struct store *s, const char *sql, int64_t value, int64_t id, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, value);
	stmt_bind_int64(st, 2, id);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

struct state {
	bool hidden, locked;
	int64_t thread_id; /* of a post; of a thread: its own id */
	int64_t theme_id;
};

/* The moderation state of a thread or post, whatever its visibility (editors see all). */
static int load_state(struct store *s, enum forum_target target, int64_t id, struct state *out,
		      struct err *e)
{
	struct stmt *st;
	memset(out, 0, sizeof(*out));
	if (store_prepare(s, target == FORUM_THREAD ? thread_state_sql : post_state_sql, &st, e) <
	    0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		out->hidden = stmt_int64(st, 0) != 0;
		if (target == FORUM_THREAD) {
			out->locked = stmt_int64(st, 1) != 0;
			out->theme_id = stmt_int64(st, 2);
			out->thread_id = id;
		} else {
			out->thread_id = stmt_int64(st, 1);
		}
	} else if (rc == STORE_DONE) {
		rc = err_set(e, ERR_NOTFOUND, "no forum %s %lld",
			     target == FORUM_THREAD ? "thread" : "post", (long long)id);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/*
 * The frame of every moderation action: check the editor and the reason, load the target's
 * state and open a transaction. On success the caller changes the row, logs and commits.
 */
static int begin_moderation(struct store *s, const struct access *who, const char *what,
			    enum forum_target target, int64_t id, const char *reason,
			    struct state *state, struct err *e)
{
	if (require_editor(who, what, e) < 0 || require_reason(reason, e) < 0)
		return -1;
	if (store_begin(s, e) < 0)
		return -1;
	if (load_state(s, target, id, state, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

/* Commit the moderation when rc is 0; roll it back otherwise. */
static int finish_transaction(struct store *s, int rc, struct err *e)
{
	if (rc < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, e);
}

/* ---- hide, lock, move --------------------------------------------------------------------- */

/* Close the open reports of a post that is hidden now. */
static int close_reports(struct store *s, const struct access *who, int64_t post_id,
			 const char *at, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, close_reports_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, at);
	stmt_bind_text(st, 2, who->actor);
	stmt_bind_int64(st, 3, post_id);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int forum_set_hidden(struct store *s, const struct access *who, enum forum_target target,
		     int64_t id, bool hidden, const char *reason, struct err *e)
{
	struct state st;
	char at[FORUM_TIME_SIZE];
	const char *kind = target == FORUM_THREAD ? "thread" : "post";
	forum_time_text(forum_now(NULL), at);
	if (begin_moderation(s, who, hidden ? "hide forum content" : "unhide forum content",
			     target, id, reason, &st, e) < 0)
		return -1;
	int rc = 0;
	if (st.hidden == hidden)
		rc = err_set(e, ERR_CONFLICT, "forum %s %lld is %s hidden", kind, (long long)id,
			     hidden ? "already" : "not");
	else if (set_flag(s, target == FORUM_THREAD ? hide_thread_sql : hide_post_sql, hidden,
			  id, e) < 0 ||
		 (target == FORUM_POST && hidden && close_reports(s, who, id, at, e) < 0) ||
		 forum_log_moderation(s, who, hidden ? "hide" : "unhide", st.thread_id,
				      target == FORUM_POST ? id : 0, 0, reason, NULL, at, e) < 0)
		rc = -1;
	return finish_transaction(s, rc, e);
}

int forum_set_locked(struct store *s, const struct access *who, int64_t thread_id, bool locked,
		     const char *reason, struct err *e)
{
	struct state st;
	char at[FORUM_TIME_SIZE];
	forum_time_text(forum_now(NULL), at);
	if (begin_moderation(s, who, locked ? "lock a thread" : "unlock a thread", FORUM_THREAD,
			     thread_id, reason, &st, e) < 0)
		return -1;
	int rc = 0;
	if (st.locked == locked)
		rc = err_set(e, ERR_CONFLICT, "forum thread %lld is %s locked",
			     (long long)thread_id, locked ? "already" : "not");
	else if (set_flag(s, lock_sql, locked, thread_id, e) < 0 ||
		 forum_log_moderation(s, who, locked ? "lock" : "unlock", thread_id, 0, 0, reason,
				      NULL, at, e) < 0)
		rc = -1;
	return finish_transaction(s, rc, e);
}

int forum_move(struct store *s, const struct access *who, int64_t thread_id,
	       const char *theme_slug, const char *reason, struct err *e)
{
	struct state st;
	char at[FORUM_TIME_SIZE];
	forum_time_text(forum_now(NULL), at);
	if (begin_moderation(s, who, "move a thread", FORUM_THREAD, thread_id, reason, &st, e) < 0)
		return -1;
	int64_t to;
	char *from_slug = NULL, *detail = NULL;
	int rc = -1;
	if (forum_theme_id(s, theme_slug, &to, e) < 0 ||
	    forum_theme_slug(s, st.theme_id, &from_slug, e) < 0)
		goto done;
	if (to == st.theme_id) {
		err_set(e, ERR_CONFLICT, "forum thread %lld is already on theme '%s'",
			(long long)thread_id, theme_slug);
		goto done;
	}
	detail = xasprintf("from %s to %s", from_slug, theme_slug);
	if (set_flag(s, move_sql, to, thread_id, e) < 0 ||
	    forum_log_moderation(s, who, "move", thread_id, 0, 0, reason, detail, at, e) < 0)
		goto done;
	rc = 0;
done:
	free(from_slug);
	free(detail);
	return finish_transaction(s, rc, e);
}

/* ---- the log ------------------------------------------------------------------------------ */

void forum_moderation_free_array(struct forum_moderation *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].at);
		forum_party_release(&m[i].by);
		free(m[i].action);
		free(m[i].reason);
		free(m[i].detail);
	}
	free(m);
}

int forum_moderation_log(struct store *s, const struct access *who, int64_t thread_id,
			 struct forum_moderation **out, size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	if (require_editor(who, "read the moderation log", e) < 0)
		return -1;
	struct stmt *st;
	if (store_prepare(s, log_list_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, thread_id);
	stmt_bind_int64(st, 2, thread_id);
	struct forum_moderation *list = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(list, cap, count + 1);
		struct forum_moderation *m = &list[count++];
		m->id = stmt_int64(st, 0);
		m->at = forum_col_dup(st, 1);
		forum_party_read(&m->by, st, 2);
		m->action = forum_col_dup(st, 5);
		m->thread_id = stmt_int64(st, 6);
		m->post_id = stmt_is_null(st, 7) ? 0 : stmt_int64(st, 7);
		m->report_id = stmt_is_null(st, 8) ? 0 : stmt_int64(st, 8);
		m->reason = forum_col_dup(st, 9);
		m->detail = forum_col_dup(st, 10);
	}
	stmt_free(st);
	if (rc < 0) {
		forum_moderation_free_array(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

/* ---- reports ------------------------------------------------------------------------------ */

void forum_report_free_array(struct forum_report *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].thread_title);
		forum_party_release(&r[i].by);
		free(r[i].reason);
		free(r[i].created_at);
		free(r[i].status);
	}
	free(r);
}

/* Whether `who` already has an open report of the post. */
static int has_open_report(struct store *s, const struct access *who, int64_t post_id,
			   bool *open, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, report_dup_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, post_id);
	stmt_bind_text(st, 2, who->actor);
	int rc = stmt_step(st, e);
	*open = rc == STORE_ROW;
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int forum_report_post(struct store *s, const struct access *who, int64_t post_id,
		      const char *reason, int64_t *report_id, struct err *e)
{
	char at[FORUM_TIME_SIZE];
	forum_time_text(forum_now(NULL), at);
	if (forum_check_actor(who, e) < 0 || require_reason(reason, e) < 0)
		return -1;
	if (store_begin(s, e) < 0)
		return -1;
	int64_t thread_id;
	bool open;
	struct stmt *st = NULL;
	int rc = -1;
	if (forum_load_post(s, who, post_id, &thread_id, NULL, e) < 0 ||
	    has_open_report(s, who, post_id, &open, e) < 0)
		goto done;
	if (open) {
		err_set(e, ERR_CONFLICT, "you have reported post %lld already; an editor will look "
					 "at it", (long long)post_id);
		goto done;
	}
	if (store_prepare(s, report_sql, &st, e) < 0)
		goto done;
	stmt_bind_int64(st, 1, post_id);
	forum_bind_party(st, 2, who);
	stmt_bind_text(st, 5, reason);
	stmt_bind_text(st, 6, at);
	rc = stmt_step(st, e);
	if (rc == STORE_ROW && report_id)
		*report_id = stmt_int64(st, 0);
	rc = rc < 0 ? -1 : 0;
done:
	stmt_free(st);
	return finish_transaction(s, rc, e);
}

int forum_reports_open(struct store *s, const struct access *who, struct forum_report **out,
		       size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	if (require_editor(who, "list the reports", e) < 0)
		return -1;
	struct stmt *st;
	if (store_prepare(s, reports_open_sql, &st, e) < 0)
		return -1;
	struct forum_report *list = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(list, cap, count + 1);
		struct forum_report *r = &list[count++];
		r->id = stmt_int64(st, 0);
		r->post_id = stmt_int64(st, 1);
		r->thread_id = stmt_int64(st, 2);
		r->thread_title = forum_col_dup(st, 3);
		forum_party_read(&r->by, st, 4);
		r->reason = forum_col_dup(st, 7);
		r->created_at = forum_col_dup(st, 8);
		r->status = forum_col_dup(st, 9);
	}
	stmt_free(st);
	if (rc < 0) {
		forum_report_free_array(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

int forum_report_dismiss(struct store *s, const struct access *who, int64_t report_id,
			 const char *reason, struct err *e)
{
	char at[FORUM_TIME_SIZE];
	forum_time_text(forum_now(NULL), at);
	if (require_editor(who, "dismiss a report", e) < 0 || require_reason(reason, e) < 0)
		return -1;
	if (store_begin(s, e) < 0)
		return -1;
	struct stmt *st = NULL;
	int rc = -1;
	if (store_prepare(s, report_get_sql, &st, e) < 0)
		goto done;
	stmt_bind_int64(st, 1, report_id);
	int step = stmt_step(st, e);
	if (step < 0)
		goto done;
	if (step == STORE_DONE) {
		err_set(e, ERR_NOTFOUND, "no forum report %lld", (long long)report_id);
		goto done;
	}
	bool open = strcmp(stmt_text(st, 0), "open") == 0;
	int64_t post_id = stmt_int64(st, 1), thread_id = stmt_int64(st, 2);
	stmt_free(st);
	st = NULL;
	if (!open) {
		err_set(e, ERR_CONFLICT, "forum report %lld is closed already",
			(long long)report_id);
		goto done;
	}
	if (store_prepare(s, dismiss_sql, &st, e) < 0)
		goto done;
	stmt_bind_text(st, 1, at);
	stmt_bind_text(st, 2, who->actor);
	stmt_bind_int64(st, 3, report_id);
	if (stmt_step(st, e) < 0 ||
	    forum_log_moderation(s, who, "dismiss", thread_id, post_id, report_id, reason, NULL,
				 at, e) < 0)
		goto done;
	rc = 0;
done:
	stmt_free(st);
	return finish_transaction(s, rc, e);
}
