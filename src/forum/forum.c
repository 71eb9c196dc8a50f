/*
 * Threads and posts of the forum (see forum.h): starting, replying with quotes, listing and
 * reading with the viewer's visibility, helpful marks, following and the "new since the last
 * visit" counts. Moderation and reports are in forum-moderation.c, the rules in forum-rules.c.
 */
#include "forum/forum-internal.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define THREAD_COLUMNS                                                                        \
	"th.id, th.theme_id, th.title, th.author, th.author_org, th.author_role, th.created_at," \
	" th.last_post_at, th.locked, th.hidden"

static const char insert_thread_sql[] =
	"INSERT INTO forum_threads (theme_id, title, author, author_org, author_role, created_at,"
	" last_post_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char insert_post_sql[] =
	"INSERT INTO forum_posts (thread_id, opening, body, author, author_org, author_role,"
	" created_at, quote_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char touch_thread_sql[] = "UPDATE forum_threads SET last_post_at = ? WHERE id = ?";

static const char thread_sql[] = "SELECT " THREAD_COLUMNS " FROM forum_threads th WHERE th.id = ?";

/*
 * The threads a viewer can see, with the replies the viewer can see and, for a follower, the
 * posts by others since the last visit. Parameters: viewer is editor (0/1), viewer, viewer,
 * theme id (0: all), theme id, viewer is editor, viewer.
 */
static const char list_sql[] =
	"SELECT " THREAD_COLUMNS ","
	" (SELECT count(*) FROM forum_posts p WHERE p.thread_id = th.id AND p.opening = 0"
	"   AND (p.hidden = 0 OR ? = 1 OR p.author = ?)),"
	" f.last_seen_post_id,"
	" (SELECT count(*) FROM forum_posts p WHERE p.thread_id = th.id AND p.hidden = 0"
	"   AND p.id > f.last_seen_post_id AND p.author <> f.follower)"
	" FROM forum_threads th"
	" LEFT JOIN forum_follows f ON f.thread_id = th.id AND f.follower = ?"
	" WHERE (? = 0 OR th.theme_id = ?) AND (th.hidden = 0 OR ? = 1 OR th.author = ?)"
	" ORDER BY th.last_post_at DESC, th.id DESC";

#define POST_COLUMNS                                                                          \
	"p.id, p.thread_id, p.opening, p.body, p.author, p.author_org, p.author_role,"        \
	" p.created_at, p.quote_id, p.hidden, h.marked_by"

static const char posts_sql[] = "SELECT " POST_COLUMNS " FROM forum_posts p"
				" LEFT JOIN forum_helpful h ON h.post_id = p.id"
				" WHERE p.thread_id = ? ORDER BY p.id";

static const char post_sql[] = "SELECT " POST_COLUMNS " FROM forum_posts p"
			       " LEFT JOIN forum_helpful h ON h.post_id = p.id WHERE p.id = ?";

static const char followers_sql[] =
	"SELECT f.follower, f.follower_org, f.follower_role, f.followed_at,"
	" (SELECT count(*) FROM forum_posts p WHERE p.thread_id = f.thread_id AND p.hidden = 0"
	"   AND p.id > f.last_seen_post_id AND p.author <> f.follower)"
	" FROM forum_follows f WHERE f.thread_id = ? ORDER BY f.followed_at, f.follower";

static const char follow_sql[] =
	"INSERT INTO forum_follows (thread_id, follower, follower_org, follower_role, followed_at,"
	" last_seen_post_id)"
	" VALUES (?, ?, ?, ?, ?,"
	"  (SELECT coalesce(max(id), 0) FROM forum_posts WHERE thread_id = ?))"
	" ON CONFLICT (thread_id, follower) DO NOTHING";

static const char unfollow_sql[] =
	"DELETE FROM forum_follows WHERE thread_id = ? AND follower = ?";

static const char visit_sql[] =
	"UPDATE forum_follows SET last_seen_post_id ="
	" (SELECT coalesce(max(id), 0) FROM forum_posts WHERE thread_id = ?)"
	" WHERE thread_id = ? AND follower = ?";

static const char helpful_exists_sql[] = "SELECT marked_by FROM forum_helpful WHERE post_id = ?";

static const char helpful_sql[] =
	"INSERT INTO forum_helpful (post_id, thread_id, marked_by, marked_by_org, marked_by_role,"
	" marked_at) VALUES (?, ?, ?, ?, ?, ?)";

/* ---- reading ------------------------------------------------------------------------------ */

static void read_thread_row(struct stmt *st, struct forum_thread *t)
{
	t->id = stmt_int64(st, 0);
	t->theme_id = stmt_int64(st, 1);
	t->title = forum_col_dup(st, 2);
	forum_party_read(&t->author, st, 3);
	t->created_at = forum_col_dup(st, 6);
	t->last_post_at = forum_col_dup(st, 7);
	t->locked = stmt_int64(st, 8) != 0;
	t->hidden = stmt_int64(st, 9) != 0;
}

static void read_post_row(struct stmt *st, struct forum_post *p)
{
	p->id = stmt_int64(st, 0);
	p->thread_id = stmt_int64(st, 1);
	p->opening = stmt_int64(st, 2) != 0;
	p->body = forum_col_dup(st, 3);
	forum_party_read(&p->author, st, 4);
	p->created_at = forum_col_dup(st, 7);
	p->quote_id = stmt_is_null(st, 8) ? 0 : stmt_int64(st, 8);
	p->hidden = stmt_int64(st, 9) != 0;
	p->helpful_by = forum_col_dup(st, 10);
	p->helpful = p->helpful_by != NULL;
}

static void post_release(struct forum_post *p)
{
	free(p->body);
	forum_party_release(&p->author);
	free(p->created_at);
	free(p->helpful_by);
	memset(p, 0, sizeof(*p));
}

void forum_thread_release(struct forum_thread *t)
{
	if (!t)
		return;
	free(t->theme_slug);
	free(t->title);
	forum_party_release(&t->author);
	free(t->created_at);
	free(t->last_post_at);
	for (size_t i = 0; i < t->nposts; i++)
		post_release(&t->posts[i]);
	free(t->posts);
	for (size_t i = 0; i < t->nfollowers; i++) {
		forum_party_release(&t->followers[i].who);
		free(t->followers[i].since);
	}
	free(t->followers);
	memset(t, 0, sizeof(*t));
}

void forum_thread_free_array(struct forum_thread *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		forum_thread_release(&t[i]);
	free(t);
}

/*
 * Load a thread's own row, refusing one that is missing or hidden from `who` with the same
 * ERR_NOTFOUND, so that hidden threads cannot be told from missing ones.
 */
static int load_thread(struct store *s, const struct access *who, int64_t id,
		       struct forum_thread *t, struct err *e)
{
	memset(t, 0, sizeof(*t));
	struct stmt *st;
	if (store_prepare(s, thread_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		read_thread_row(st, t);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (rc == STORE_DONE || (t->hidden && !forum_sees_hidden(who, t->author.name))) {
		forum_thread_release(t);
		return err_set(e, ERR_NOTFOUND, "no forum thread %lld", (long long)id);
	}
	return forum_theme_slug(s, t->theme_id, &t->theme_slug, e);
}

/* Load one post that `who` can see (its thread too), or fail with ERR_NOTFOUND. */
static int load_post(struct store *s, const struct access *who, int64_t id, struct forum_post *p,
		     struct forum_thread *t, struct err *e)
{
	memset(p, 0, sizeof(*p));
	struct stmt *st;
	if (store_prepare(s, post_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		read_post_row(st, p);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (rc == STORE_DONE || (p->hidden && !forum_sees_hidden(who, p->author.name))) {
		post_release(p);
		return err_set(e, ERR_NOTFOUND, "no forum post %lld", (long long)id);
	}
	if (load_thread(s, who, p->thread_id, t, e) < 0) {
		post_release(p);
		return err_set(e, ERR_NOTFOUND, "no forum post %lld", (long long)id);
	}
	return 0;
}

int forum_load_post(struct store *s, const struct access *who, int64_t id, int64_t *thread_id,
		    char **author, struct err *e)
{
	struct forum_post p;
	struct forum_thread t;
	if (load_post(s, who, id, &p, &t, e) < 0)
		return -1;
	*thread_id = p.thread_id;
	if (author) {
		*author = p.author.name;
		p.author.name = NULL;
	}
	post_release(&p);
	forum_thread_release(&t);
	return 0;
}

/* Fill in the theme slugs of the threads, looking each theme up once. */
static int name_themes(struct store *s, struct forum_thread *list, size_t n, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < i && list[j].theme_id != list[i].theme_id)
			j++;
		if (j < i)
			list[i].theme_slug = xstrdup(list[j].theme_slug);
		else if (forum_theme_slug(s, list[i].theme_id, &list[i].theme_slug, e) < 0)
			return -1;
	}
	return 0;
}

int forum_threads(struct store *s, const struct access *who, const char *theme_slug,
		  struct forum_thread **out, size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	int64_t theme_id = 0;
	if (forum_check_actor(who, e) < 0)
		return -1;
	if (theme_slug && forum_theme_id(s, theme_slug, &theme_id, e) < 0)
		return -1;
	int editor = forum_is_editor(who);
	struct stmt *st;
	if (store_prepare(s, list_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, editor);
	stmt_bind_text(st, 2, who->actor);
	stmt_bind_text(st, 3, who->actor);
	stmt_bind_int64(st, 4, theme_id);
	stmt_bind_int64(st, 5, theme_id);
	stmt_bind_int64(st, 6, editor);
	stmt_bind_text(st, 7, who->actor);
	struct forum_thread *list = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(list, cap, count + 1);
		struct forum_thread *t = &list[count++];
		memset(t, 0, sizeof(*t));
		read_thread_row(st, t);
		t->replies = stmt_int64(st, 10);
		t->following = !stmt_is_null(st, 11);
		t->new_posts = t->following ? stmt_int64(st, 12) : 0;
	}
	stmt_free(st);
	if (rc >= 0)
		rc = name_themes(s, list, count, e);
	if (rc < 0) {
		forum_thread_free_array(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

static int load_posts(struct store *s, const struct access *who, struct forum_thread *t,
		      struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	if (store_prepare(s, posts_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, t->id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		struct forum_post p;
		read_post_row(st, &p);
		if (p.hidden && !forum_sees_hidden(who, p.author.name)) {
			post_release(&p);
			continue;
		}
		XGROW(t->posts, cap, t->nposts + 1);
		t->posts[t->nposts++] = p;
		if (!p.opening)
			t->replies++;
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int load_followers(struct store *s, const struct access *who, struct forum_thread *t,
			  struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	if (store_prepare(s, followers_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, t->id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(t->followers, cap, t->nfollowers + 1);
		struct forum_follower *f = &t->followers[t->nfollowers++];
		forum_party_read(&f->who, st, 0);
		f->since = forum_col_dup(st, 3);
		f->new_posts = stmt_int64(st, 4);
		if (strcmp(f->who.name, who->actor) == 0) {
			t->following = true;
			t->new_posts = f->new_posts;
		}
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int forum_thread_get(struct store *s, const struct access *who, int64_t thread_id,
		     struct forum_thread *out, struct err *e)
{
	if (forum_check_actor(who, e) < 0)
		return -1;
	if (load_thread(s, who, thread_id, out, e) < 0)
		return -1;
	if (load_posts(s, who, out, e) < 0 || load_followers(s, who, out, e) < 0) {
		forum_thread_release(out);
		return -1;
	}
	return 0;
}

/* ---- writing ------------------------------------------------------------------------------ */

static int insert_post(struct store *s, const struct access *who, int64_t thread_id,
		       bool opening, const char *body, int64_t quote_id, const char *at,
		       int64_t *post_id, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, insert_post_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, thread_id);
	stmt_bind_int64(st, 2, opening);
	stmt_bind_text(st, 3, body);
	forum_bind_party(st, 4, who);
	stmt_bind_text(st, 7, at);
	if (quote_id)
		stmt_bind_int64(st, 8, quote_id);
	else
		stmt_bind_null(st, 8);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*post_id = stmt_int64(st, 0);
	else if (rc == STORE_DONE)
		rc = err_set(e, ERR_INTERNAL, "the new forum post got no id");
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* Bind `who` as a follower of the thread and run `sql` (follow, unfollow or visit). */
static int run_follow_sql(struct store *s, const char *sql, int64_t thread_id,
			  const struct access *who, const char *at, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	if (sql == follow_sql) {
		/* thread, follower …, since, thread (for the posts seen so far) */
		stmt_bind_int64(st, 1, thread_id);
		forum_bind_party(st, 2, who);
		stmt_bind_text(st, 5, at);
		stmt_bind_int64(st, 6, thread_id);
	} else if (sql == visit_sql) {
		/* thread (for the posts seen so far), thread, follower */
		stmt_bind_int64(st, 1, thread_id);
		stmt_bind_int64(st, 2, thread_id);
		stmt_bind_text(st, 3, who->actor);
	} else {
		/* thread, follower */
		stmt_bind_int64(st, 1, thread_id);
		stmt_bind_text(st, 2, who->actor);
	}
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int forum_thread_start(struct store *s, const struct forum_settings *fs, const struct access *who,
		       const char *theme_slug, const char *title, const char *body,
		       int64_t *thread_id, struct err *e)
{
	int64_t theme_id, id = 0, post_id;
	char at[FORUM_TIME_SIZE];
	forum_time_text(forum_now(fs), at);
	if (forum_check_actor(who, e) < 0 ||
	    forum_check_text(title, "the title", true, FORUM_TITLE_MAX, false, e) < 0 ||
	    forum_check_text(body, "the text", true, FORUM_BODY_MAX, true, e) < 0)
		return -1;
	if (store_begin(s, e) < 0)
		return -1;
	struct stmt *st = NULL;
	if (forum_theme_id(s, theme_slug, &theme_id, e) < 0 ||
	    forum_check_rate(s, fs, who, true, e) < 0 ||
	    store_prepare(s, insert_thread_sql, &st, e) < 0)
		goto fail;
	stmt_bind_int64(st, 1, theme_id);
	stmt_bind_text(st, 2, title);
	forum_bind_party(st, 3, who);
	stmt_bind_text(st, 6, at);
	stmt_bind_text(st, 7, at);
	int rc = stmt_step(st, e);
	if (rc == STORE_DONE)
		err_set(e, ERR_INTERNAL, "the new forum thread got no id");
	if (rc != STORE_ROW)
		goto fail;
	id = stmt_int64(st, 0);
	stmt_free(st);
	st = NULL;
	if (insert_post(s, who, id, true, body, 0, at, &post_id, e) < 0 ||
	    run_follow_sql(s, follow_sql, id, who, at, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		return -1;
	*thread_id = id;
	return 0;
fail:
	stmt_free(st);
	store_rollback(s);
	return -1;
}

/* Check that `quote_id` is a post of thread `thread_id` that `who` can see. */
static int check_quote(struct store *s, const struct access *who, int64_t thread_id,
		       int64_t quote_id, struct err *e)
{
	struct forum_post p;
	struct forum_thread t;
	if (load_post(s, who, quote_id, &p, &t, e) < 0)
		return err_prefix(e, "cannot quote post %lld", (long long)quote_id);
	int rc = 0;
	if (p.thread_id != thread_id)
		rc = err_set(e, ERR_INVALID,
			     "cannot quote post %lld: it belongs to thread %lld, not to "
			     "thread %lld",
			     (long long)quote_id, (long long)p.thread_id, (long long)thread_id);
	post_release(&p);
	forum_thread_release(&t);
	return rc;
}

int forum_reply(struct store *s, const struct forum_settings *fs, const struct access *who,
		int64_t thread_id, const char *body, int64_t quote_id, int64_t *post_id,
		struct err *e)
{
	char at[FORUM_TIME_SIZE];
	forum_time_text(forum_now(fs), at);
	if (forum_check_actor(who, e) < 0 ||
	    forum_check_text(body, "the text", true, FORUM_BODY_MAX, true, e) < 0)
		return -1;
	if (quote_id < 0)
		return err_set(e, ERR_INVALID, "no forum post %lld to quote", (long long)quote_id);
	if (store_begin(s, e) < 0)
		return -1;
	struct forum_thread t;
	int64_t id = 0;
	struct stmt *st = NULL;
	if (load_thread(s, who, thread_id, &t, e) < 0)
		goto fail;
	bool locked = t.locked, hidden = t.hidden;
	forum_thread_release(&t);
	if (locked || hidden) {
		err_set(e, ERR_CONFLICT, "forum thread %lld is %s: it takes no new replies",
			(long long)thread_id, locked ? "locked" : "hidden");
		goto fail;
	}
	if ((quote_id && check_quote(s, who, thread_id, quote_id, e) < 0) ||
	    forum_check_rate(s, fs, who, false, e) < 0 ||
	    insert_post(s, who, thread_id, false, body, quote_id, at, &id, e) < 0 ||
	    store_prepare(s, touch_thread_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, at);
	stmt_bind_int64(st, 2, thread_id);
	if (stmt_step(st, e) < 0)
		goto fail;
	stmt_free(st);
	st = NULL;
	/* Whoever replies has read the thread up to their own reply. */
	if (run_follow_sql(s, visit_sql, thread_id, who, at, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		return -1;
	if (post_id)
		*post_id = id;
	return 0;
fail:
	stmt_free(st);
	store_rollback(s);
	return -1;
}

int forum_visit(struct store *s, const struct access *who, int64_t thread_id, struct err *e)
{
	struct forum_thread t;
	if (forum_check_actor(who, e) < 0 || load_thread(s, who, thread_id, &t, e) < 0)
		return -1;
	forum_thread_release(&t);
	return run_follow_sql(s, visit_sql, thread_id, who, NULL, e);
}

int forum_follow(struct store *s, const struct access *who, int64_t thread_id, struct err *e)
{
	struct forum_thread t;
	char at[FORUM_TIME_SIZE];
	forum_time_text(forum_now(NULL), at);
	if (forum_check_actor(who, e) < 0 || load_thread(s, who, thread_id, &t, e) < 0)
		return -1;
	forum_thread_release(&t);
	return run_follow_sql(s, follow_sql, thread_id, who, at, e);
}

int forum_unfollow(struct store *s, const struct access *who, int64_t thread_id, struct err *e)
{
	struct forum_thread t;
	if (forum_check_actor(who, e) < 0 || load_thread(s, who, thread_id, &t, e) < 0)
		return -1;
	forum_thread_release(&t);
	return run_follow_sql(s, unfollow_sql, thread_id, who, NULL, e);
}

/* ---- helpful ------------------------------------------------------------------------------ */

/* Whether the post already carries a helpful mark. */
static int already_helpful(struct store *s, int64_t post_id, bool *marked, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, helpful_exists_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, post_id);
	int rc = stmt_step(st, e);
	*marked = rc == STORE_ROW;
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int forum_helpful(struct store *s, const struct access *who, int64_t post_id, struct err *e)
{
	struct forum_post p;
	struct forum_thread t;
	char at[FORUM_TIME_SIZE];
	forum_time_text(forum_now(NULL), at);
	if (forum_check_actor(who, e) < 0)
		return -1;
	if (store_begin(s, e) < 0)
		return -1;
	if (load_post(s, who, post_id, &p, &t, e) < 0) {
		store_rollback(s);
		return -1;
	}
	struct stmt *st = NULL;
	bool marked;
	int rc = -1;
	if (p.opening) {
		err_set(e, ERR_INVALID,
			"post %lld opens thread %lld: only a reply can be marked helpful",
			(long long)post_id, (long long)t.id);
		goto done;
	}
	if (!forum_is_editor(who) && strcmp(who->actor, t.author.name) != 0) {
		err_set(e, ERR_FORBIDDEN,
			"only the starter of thread %lld (%s) or an editor marks a reply as "
			"helpful",
			(long long)t.id, t.author.name);
		goto done;
	}
	if (already_helpful(s, post_id, &marked, e) < 0)
		goto done;
	if (marked) {
		err_set(e, ERR_CONFLICT, "post %lld is already marked helpful", (long long)post_id);
		goto done;
	}
	if (store_prepare(s, helpful_sql, &st, e) < 0)
		goto done;
	stmt_bind_int64(st, 1, post_id);
	stmt_bind_int64(st, 2, t.id);
	forum_bind_party(st, 3, who);
	stmt_bind_text(st, 6, at);
	if (stmt_step(st, e) < 0)
		goto done;
	rc = 0;
done:
	stmt_free(st);
	post_release(&p);
	forum_thread_release(&t);
	if (rc < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, e);
}
