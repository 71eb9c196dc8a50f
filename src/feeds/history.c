/*
 * The imports done, for `import list` and `import show` (see feeds.h).
 */
#include "feeds/feeds.h"

#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_COLUMNS                                                                             \
	"id, feed, source, mode, as_of, file_name, content_hash, started_at, finished_at,"         \
	" status, duration_ms, rows_read, n_new, n_changed, n_ended, n_unchanged, n_rejected"

static const char list_sql[] = "SELECT " IMPORT_COLUMNS " FROM imports ORDER BY id DESC";
static const char list_limit_sql[] =
    "SELECT " IMPORT_COLUMNS " FROM imports ORDER BY id DESC LIMIT ?";
static const char get_sql[] = "SELECT " IMPORT_COLUMNS " FROM imports WHERE id = ?";

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void from_row(struct stmt *st, struct feed_import_info *x)
{
	memset(x, 0, sizeof(*x));
	x->id = stmt_int64(st, 0);
	copy(x->feed, sizeof(x->feed), stmt_text(st, 1));
	copy(x->source, sizeof(x->source), stmt_text(st, 2));
	copy(x->mode, sizeof(x->mode), stmt_text(st, 3));
	copy(x->as_of, sizeof(x->as_of), stmt_text(st, 4));
	copy(x->file, sizeof(x->file), stmt_text(st, 5));
	copy(x->hash, sizeof(x->hash), stmt_text(st, 6));
	copy(x->started_at, sizeof(x->started_at), stmt_text(st, 7));
	copy(x->finished_at, sizeof(x->finished_at), stmt_text(st, 8));
	copy(x->status, sizeof(x->status), stmt_text(st, 9));
	x->duration_ms = stmt_int64(st, 10);
	x->rows = stmt_int64(st, 11);
	x->n_new = stmt_int64(st, 12);
	x->n_changed = stmt_int64(st, 13);
	x->n_ended = stmt_int64(st, 14);
	x->n_unchanged = stmt_int64(st, 15);
	x->n_rejected = stmt_int64(st, 16);
}

int feed_import_list(struct store *s, int64_t limit, struct feed_import_info **out, size_t *n,
                     struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (store_prepare(s, limit > 0 ? list_limit_sql : list_sql, &st, e) < 0)
		return -1;
	if (limit > 0)
		stmt_bind_int64(st, 1, limit);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(*out, cap, *n + 1);
		from_row(st, &(*out)[(*n)++]);
	}
	stmt_free(st);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int feed_import_get(struct store *s, int64_t id, struct feed_import_info *out, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, get_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		from_row(st, out);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (rc == STORE_DONE)
		return err_set(e, ERR_NOTFOUND, "no import with id %lld", (long long)id);
	return 0;
}
