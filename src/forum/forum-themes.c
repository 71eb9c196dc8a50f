/*
 * The forum's one look at the knowledge platform's content: themes by slug and by id. All SQL
 * against the knowledge tables (migration 0002) that the forum needs is here, so that it can
 * give way to the knowledge module's own interface in one place.
 */
#include "forum/forum-internal.h"

#include "util/xalloc.h"

/* A published theme: the public side (kb_themes) has a row for it. */
static const char theme_id_sql[] =
	"SELECT i.id FROM kb_items i JOIN kb_themes t ON t.item_id = i.id"
	" WHERE i.kind = 'theme' AND i.slug = ?";

static const char theme_slug_sql[] = "SELECT slug FROM kb_items WHERE id = ? AND kind = 'theme'";

int forum_theme_id(struct store *s, const char *slug, int64_t *id, struct err *e)
{
	if (!slug || !*slug)
		return err_set(e, ERR_INVALID, "a forum thread needs a theme (its slug)");
	struct stmt *st;
	if (store_prepare(s, theme_id_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, slug);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	else if (rc == STORE_DONE)
		rc = err_set(e, ERR_NOTFOUND, "no published theme '%s'", slug);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int forum_theme_slug(struct store *s, int64_t id, char **slug, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, theme_slug_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*slug = xstrdup(stmt_text(st, 0));
	else if (rc == STORE_DONE)
		rc = err_set(e, ERR_INTERNAL, "forum theme %lld is not a theme", (long long)id);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}
