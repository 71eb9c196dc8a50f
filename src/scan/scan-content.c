/*
 * The scan's one look at the knowledge platform's content (see scan-internal.h): themes,
 * actions and practices as published, and the coverage a closed scan keeps. All SQL against
 * the knowledge tables (migration 0002) that the scan needs is here, so that it can give way
 * to the knowledge module's own interface in one place.
 */
#include "scan/scan-internal.h"

#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Titles by language: the first parameter of each statement is the language. */
#define LANG_TEXT(col) "CASE WHEN ? = 'en' THEN " col "_en ELSE " col "_nl END"

static const char live_themes_sql[] =
	"SELECT t.item_id, i.slug, " LANG_TEXT("t.title") " FROM kb_themes t"
	" JOIN kb_items i ON i.id = t.item_id ORDER BY t.position, i.slug";

static const char live_actions_sql[] =
	"SELECT a.item_id, i.slug, " LANG_TEXT("a.title") ", a.theme_id FROM kb_actions a"
	" JOIN kb_items i ON i.id = a.item_id JOIN kb_themes t ON t.item_id = a.theme_id"
	" ORDER BY t.position, a.position, i.slug";

/* A closed scan: what it covered, titled as published now (the slug when no longer). */
static const char kept_themes_sql[] =
	"SELECT DISTINCT sa.theme_id, i.slug, coalesce(" LANG_TEXT("t.title") ", i.slug),"
	" sa.theme_position FROM scan_actions sa JOIN kb_items i ON i.id = sa.theme_id"
	" LEFT JOIN kb_themes t ON t.item_id = sa.theme_id WHERE sa.scan_id = ?"
	" ORDER BY sa.theme_position, i.slug";

static const char kept_actions_sql[] =
	"SELECT sa.action_id, i.slug, coalesce(" LANG_TEXT("a.title") ", i.slug), sa.theme_id"
	" FROM scan_actions sa JOIN kb_items i ON i.id = sa.action_id"
	" LEFT JOIN kb_actions a ON a.item_id = sa.action_id WHERE sa.scan_id = ?"
	" ORDER BY sa.theme_position, sa.action_position, i.slug";

static const char action_id_sql[] =
	"SELECT i.id FROM kb_items i JOIN kb_actions a ON a.item_id = i.id"
	" JOIN kb_themes t ON t.item_id = a.theme_id WHERE i.kind = 'action' AND i.slug = ?";

static const char freeze_sql[] =
	"INSERT INTO scan_actions (scan_id, action_id, theme_id, theme_position, action_position)"
	" SELECT ?, a.item_id, a.theme_id, t.position, a.position FROM kb_actions a"
	" JOIN kb_themes t ON t.item_id = a.theme_id";

static const char action_practices_sql[] =
	"SELECT i.slug, " LANG_TEXT("p.name") ", p.region FROM kb_practice_actions l"
	" JOIN kb_practices p ON p.item_id = l.practice_id JOIN kb_items i ON i.id = p.item_id"
	" WHERE l.action_id = ? ORDER BY 2, i.slug";

static const char theme_practices_sql[] =
	"SELECT i.slug, " LANG_TEXT("p.name") ", p.region FROM kb_practice_themes l"
	" JOIN kb_practices p ON p.item_id = l.practice_id JOIN kb_items i ON i.id = p.item_id"
	" WHERE l.theme_id = ? ORDER BY 2, i.slug";

void scan_content_release(struct scan_theme_profile *themes, size_t nthemes,
			  struct scan_action_row *actions, size_t nactions)
{
	for (size_t i = 0; i < nthemes; i++) {
		free(themes[i].slug);
		free(themes[i].title);
	}
	free(themes);
	for (size_t i = 0; i < nactions; i++) {
		free(actions[i].slug);
		free(actions[i].title);
		scan_answer_release(&actions[i].answer);
	}
	free(actions);
}

static int load_themes(struct store *s, const struct scan *scan, const char *lang,
		       struct scan_theme_profile **out, size_t *n, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	if (store_prepare(s, scan->closed ? kept_themes_sql : live_themes_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, lang);
	if (scan->closed)
		stmt_bind_int64(st, 2, scan->id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(*out, cap, *n + 1);
		struct scan_theme_profile *t = &(*out)[(*n)++];
		memset(t, 0, sizeof(*t));
		t->theme_id = stmt_int64(st, 0);
		t->slug = xstrdup(stmt_text(st, 1));
		t->title = xstrdup(stmt_text(st, 2));
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int load_actions(struct store *s, const struct scan *scan, const char *lang,
			const struct scan_theme_profile *themes, size_t nthemes,
			struct scan_action_row **out, size_t *n, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	if (store_prepare(s, scan->closed ? kept_actions_sql : live_actions_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, lang);
	if (scan->closed)
		stmt_bind_int64(st, 2, scan->id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		int64_t theme_id = stmt_int64(st, 3);
		size_t ti = 0;
		while (ti < nthemes && themes[ti].theme_id != theme_id)
			ti++;
		if (ti == nthemes) {
			rc = err_set(e, ERR_INTERNAL,
				     "action '%s' belongs to no theme of scan %lld",
				     stmt_text(st, 1), (long long)scan->id);
			break;
		}
		XGROW(*out, cap, *n + 1);
		struct scan_action_row *a = &(*out)[(*n)++];
		memset(a, 0, sizeof(*a));
		a->action_id = stmt_int64(st, 0);
		a->slug = xstrdup(stmt_text(st, 1));
		a->title = xstrdup(stmt_text(st, 2));
		a->theme = ti;
		a->answer.level = SCAN_UNANSWERED;
		a->answer.action_id = a->action_id;
		a->previous_level = SCAN_UNANSWERED;
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int scan_content_load(struct store *s, const struct scan *scan, const char *lang,
		      struct scan_theme_profile **themes, size_t *nthemes,
		      struct scan_action_row **actions, size_t *nactions, struct err *e)
{
	*themes = NULL;
	*actions = NULL;
	*nthemes = *nactions = 0;
	if (load_themes(s, scan, lang, themes, nthemes, e) < 0 ||
	    load_actions(s, scan, lang, *themes, *nthemes, actions, nactions, e) < 0) {
		scan_content_release(*themes, *nthemes, *actions, *nactions);
		*themes = NULL;
		*actions = NULL;
		*nthemes = *nactions = 0;
		return -1;
	}
	return 0;
}

int scan_content_action_id(struct store *s, const char *slug, int64_t *id, struct err *e)
{
	if (!slug || !*slug)
		return err_set(e, ERR_INVALID, "an answer needs an action (its slug)");
	struct stmt *st;
	if (store_prepare(s, action_id_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, slug);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	else if (rc == STORE_DONE)
		rc = err_set(e, ERR_NOTFOUND, "no published action '%s'", slug);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int scan_content_freeze(struct store *s, int64_t scan_id, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, freeze_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, scan_id);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

void scan_practice_free_array(struct scan_practice *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].slug);
		free(p[i].name);
		free(p[i].region);
	}
	free(p);
}

static int load_practices(struct store *s, const char *sql, int64_t id, const char *lang,
			  struct scan_practice **out, size_t *n, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, lang);
	stmt_bind_int64(st, 2, id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(*out, cap, *n + 1);
		struct scan_practice *p = &(*out)[(*n)++];
		p->slug = xstrdup(stmt_text(st, 0));
		p->name = xstrdup(stmt_text(st, 1));
		p->region = scan_col_dup(st, 2);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int scan_content_practices(struct store *s, int64_t action_id, int64_t theme_id,
			   const char *lang, struct scan_practice **out, size_t *n, bool *of_theme,
			   struct err *e)
{
	*out = NULL;
	*n = 0;
	*of_theme = false;
	int rc = load_practices(s, action_practices_sql, action_id, lang, out, n, e);
	if (rc == 0 && *n == 0) {
		*of_theme = true;
		rc = load_practices(s, theme_practices_sql, theme_id, lang, out, n, e);
	}
	if (rc < 0) {
		scan_practice_free_array(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
