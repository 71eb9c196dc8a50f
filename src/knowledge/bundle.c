/*
 * Bundles: all published knowledge content as one JSON document in the shape of
 * content/knowledge.json, so that regions can share content — export, import (validated
 * whole, written in one transaction) and the starting content loaded by `inbeeld init`
 * (see knowledge.h).
 */
#include "knowledge/knowledge-internal.h"
#include "util/embedded.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BUNDLE_MAX     (64L * 1024 * 1024)
#define BUNDLE_VERSION 1
#define ANALYZE_AFTER  1000 /* items written by one import */

int knowledge_bundle_load(const char *path, json_t **out, struct err *e)
{
	json_error_t je;
	const size_t flags = JSON_REJECT_DUPLICATES;
	if (strcmp(path, "-") == 0) {
		*out = json_loadf(stdin, flags, &je);
	} else {
		struct stat sb;
		if (stat(path, &sb) < 0)
			return err_set(e, ERR_IO, "cannot read bundle '%s': no such file", path);
		if (sb.st_size > BUNDLE_MAX)
			return err_set(e, ERR_INVALID, "bundle '%s' is larger than %ld MiB", path,
			               BUNDLE_MAX / (1024 * 1024));
		*out = json_load_file(path, flags, &je);
	}
	if (!*out)
		return err_set(e, ERR_INVALID, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	return 0;
}

/* ---- export ---- */

struct published {
	size_t seq; /* creation order, to keep among equal orders */
	char *slug;
	int version;
	json_t *content;
};

struct published_set {
	struct published *items;
	size_t n, cap;
};

static void published_set_release(struct published_set *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->items[i].slug);
		json_decref(ps->items[i].content);
	}
	free(ps->items);
	memset(ps, 0, sizeof(*ps));
}

static const char published_sql[] =
    "SELECT i.slug, i.published_version, v.content FROM kb_items i"
    " JOIN kb_versions v ON v.item_id = i.id AND v.version = i.published_version"
    " WHERE i.kind = ? ORDER BY i.id";

/* The published items of `kind`, in the order they were created. */
static int load_published(struct store *s, enum kb_kind kind, struct published_set *ps,
                          struct err *e)
{
	struct stmt *st;
	memset(ps, 0, sizeof(*ps));
	if (store_prepare(s, published_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, kb_kind_name(kind));
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		json_error_t je;
		json_t *content = json_loads(stmt_text(st, 2), 0, &je);
		if (!content) {
			rc = err_set(e, ERR_INTERNAL, "%s '%s': stored content is not JSON: %s",
			             kb_kind_name(kind), stmt_text(st, 0), je.text);
			break;
		}
		XGROW(ps->items, ps->cap, ps->n + 1);
		ps->items[ps->n].seq = ps->n;
		ps->items[ps->n].slug = xstrdup(stmt_text(st, 0));
		ps->items[ps->n].version = (int)stmt_int64(st, 1);
		ps->items[ps->n].content = content;
		ps->n++;
	}
	stmt_free(st);
	if (rc < 0) {
		published_set_release(ps);
		return -1;
	}
	return 0;
}

static const struct published *find_published(const struct published_set *ps, const char *slug)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->items[i].slug, slug) == 0)
			return &ps->items[i];
	return NULL;
}

static int64_t content_order(const struct published *p)
{
	return json_integer_value(json_object_get(p->content, "order"));
}

/* Sort by "order", keeping creation order among equals. */
static int by_order(const void *a, const void *b)
{
	const struct published *x = a, *y = b;
	int64_t ox = content_order(x), oy = content_order(y);
	if (ox != oy)
		return ox < oy ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The item as the bundle shows it: its content less `drop` fields, plus its version. */
static json_t *bundle_item(const struct published *p, const char *const *drop)
{
	json_t *o = json_deep_copy(p->content);
	for (; drop && *drop; drop++)
		json_object_del(o, *drop);
	json_object_set_new(o, "version", json_integer(p->version));
	return o;
}

/* Keep only the slugs of `list` that `ps` holds: links to unpublished items are left out. */
static void keep_published(json_t *item, const char *field, const struct published_set *ps)
{
	json_t *list = json_object_get(item, field);
	for (size_t i = json_array_size(list); i-- > 0;)
		if (!find_published(ps, json_string_value(json_array_get(list, i))))
			json_array_remove(list, i);
}

static const char target_groups_sql[] =
    "SELECT slug, name_nl, name_en FROM kb_target_groups ORDER BY id";

static int export_target_groups(struct store *s, json_t *bundle, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, target_groups_sql, &st, e) < 0)
		return -1;
	json_t *list = json_array();
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW)
		json_array_append_new(list, json_pack("{s:s, s:{s:s, s:s}}", "slug",
		                                      stmt_text(st, 0), "name", "nl",
		                                      stmt_text(st, 1), "en", stmt_text(st, 2)));
	stmt_free(st);
	json_object_set_new(bundle, "target_groups", list);
	return rc < 0 ? -1 : 0;
}

/* Themes in order, each with its published actions in order. */
static json_t *export_themes(struct published_set *themes, struct published_set *actions)
{
	static const char *const action_drop[] = {"theme", "order", NULL};
	json_t *list = json_array();
	qsort(themes->items, themes->n, sizeof(*themes->items), by_order);
	qsort(actions->items, actions->n, sizeof(*actions->items), by_order);
	for (size_t t = 0; t < themes->n; t++) {
		json_t *theme = bundle_item(&themes->items[t], NULL);
		json_t *acts = json_array();
		for (size_t a = 0; a < actions->n; a++) {
			const char *of =
			    json_string_value(json_object_get(actions->items[a].content, "theme"));
			if (strcmp(of, themes->items[t].slug) == 0)
				json_array_append_new(acts,
				                      bundle_item(&actions->items[a], action_drop));
		}
		json_object_set_new(theme, "actions", acts);
		json_array_append_new(list, theme);
	}
	return list;
}

static json_t *export_practices(const struct published_set *practices,
                                const struct published_set *themes,
                                const struct published_set *actions)
{
	json_t *list = json_array();
	for (size_t i = 0; i < practices->n; i++) {
		json_t *p = bundle_item(&practices->items[i], NULL);
		keep_published(p, "themes", themes);
		keep_published(p, "actions", actions);
		json_array_append_new(list, p);
	}
	return list;
}

/* Faqs by the order of their themes, then their own order. */
static json_t *export_faqs(struct published_set *faqs, const struct published_set *themes)
{
	static const char *const faq_drop[] = {"order", NULL};
	json_t *list = json_array();
	qsort(faqs->items, faqs->n, sizeof(*faqs->items), by_order);
	for (size_t t = 0; t < themes->n; t++)
		for (size_t f = 0; f < faqs->n; f++) {
			const char *of =
			    json_string_value(json_object_get(faqs->items[f].content, "theme"));
			if (strcmp(of, themes->items[t].slug) == 0)
				json_array_append_new(list, bundle_item(&faqs->items[f], faq_drop));
		}
	return list;
}

int knowledge_export(struct store *s, json_t **out, struct err *e)
{
	struct published_set sets[KB_NKINDS];
	int loaded = 0, rc = -1;
	json_t *bundle = json_pack("{s:i}", "version", BUNDLE_VERSION);
	if (export_target_groups(s, bundle, e) < 0)
		goto out;
	for (; loaded < KB_NKINDS; loaded++)
		if (load_published(s, (enum kb_kind)loaded, &sets[loaded], e) < 0)
			goto out;
	/* Practices first: they are filtered against the themes before those are sorted. */
	json_t *practices = export_practices(&sets[KB_PRACTICE], &sets[KB_THEME], &sets[KB_ACTION]);
	json_object_set_new(bundle, "themes", export_themes(&sets[KB_THEME], &sets[KB_ACTION]));
	json_object_set_new(bundle, "practices", practices);
	json_object_set_new(bundle, "faqs", export_faqs(&sets[KB_FAQ], &sets[KB_THEME]));
	*out = bundle;
	bundle = NULL;
	rc = 0;
out:
	for (int k = 0; k < loaded; k++)
		published_set_release(&sets[k]);
	json_decref(bundle);
	return rc;
}

/* ---- import ---- */

/* One item of a bundle, ready to save: its kind, its content and where it stood. */
struct entry {
	enum kb_kind kind;
	json_t *content;
	char where[64]; /* e.g. "themes[2].actions[4]" */
};

struct entries {
	struct entry *items;
	size_t n, cap;
};

static void entries_release(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++)
		json_decref(es->items[i].content);
	free(es->items);
	memset(es, 0, sizeof(*es));
}

/* Validate `content` (a new reference, taken over) and add it to `es`. */
static int add_entry(struct entries *es, enum kb_kind kind, json_t *content, const char *where,
                     struct err *e)
{
	if (knowledge_validate(kind, content, e) < 0) {
		json_decref(content);
		return err_prefix(e, "%s", where);
	}
	const char *slug = json_string_value(json_object_get(content, "slug"));
	for (size_t i = 0; i < es->n; i++)
		if (es->items[i].kind == kind &&
		    strcmp(json_string_value(json_object_get(es->items[i].content, "slug")),
		           slug) == 0) {
			err_set(e, ERR_INVALID, "%s: %s '%s' appears twice in the bundle (also %s)",
			        where, kb_kind_name(kind), slug, es->items[i].where);
			json_decref(content);
			return -1;
		}
	XGROW(es->items, es->cap, es->n + 1);
	struct entry *en = &es->items[es->n++];
	en->kind = kind;
	en->content = content;
	snprintf(en->where, sizeof(en->where), "%s", where);
	return 0;
}

static json_t *array_member(const json_t *bundle, const char *name, struct err *e)
{
	json_t *v = json_object_get(bundle, name);
	if (!v)
		return json_array(); /* a bundle may leave out a part */
	if (!json_is_array(v)) {
		err_set(e, ERR_INVALID, "bundle: '%s' must be a list", name);
		return NULL;
	}
	return json_incref(v);
}

/* Set `field` of nested item `o` from its place, or check that what it says agrees. */
static int implied_field(json_t *o, const char *field, json_t *value, const char *where,
                         struct err *e)
{
	json_t *have = json_object_get(o, field);
	if (have && !json_equal(have, value)) {
		json_decref(value);
		return err_set(e, ERR_INVALID, "%s, field %s: differs from where the item stands",
		               where, field);
	}
	json_object_set_new(o, field, value);
	return 0;
}

static int collect_themes(const json_t *themes, struct entries *es, struct err *e)
{
	size_t t;
	json_t *theme;
	json_array_foreach(themes, t, theme)
	{
		char where[64];
		snprintf(where, sizeof(where), "themes[%zu]", t + 1);
		if (!json_is_object(theme))
			return err_set(e, ERR_INVALID, "%s: must be an object", where);
		json_t *actions = json_object_get(theme, "actions");
		if (actions && !json_is_array(actions))
			return err_set(e, ERR_INVALID, "%s, field actions: must be a list", where);
		json_t *content = json_deep_copy(theme);
		json_object_del(content, "actions");
		if (add_entry(es, KB_THEME, content, where, e) < 0)
			return -1;
		json_t *slug = json_object_get(theme, "slug");
		size_t a;
		json_t *action;
		json_array_foreach(actions, a, action)
		{
			snprintf(where, sizeof(where), "themes[%zu].actions[%zu]", t + 1, a + 1);
			if (!json_is_object(action))
				return err_set(e, ERR_INVALID, "%s: must be an object", where);
			json_t *c = json_deep_copy(action);
			if (implied_field(c, "theme", json_deep_copy(slug), where, e) < 0 ||
			    (!json_object_get(c, "order") &&
			     implied_field(c, "order", json_integer((json_int_t)a + 1), where, e) <
			         0) ||
			    add_entry(es, KB_ACTION, json_incref(c), where, e) < 0) {
				json_decref(c);
				return -1;
			}
			json_decref(c);
		}
	}
	return 0;
}

static int collect_list(const json_t *list, const char *name, enum kb_kind kind, struct entries *es,
                        struct err *e)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	{
		char where[64];
		snprintf(where, sizeof(where), "%s[%zu]", name, i + 1);
		if (!json_is_object(o))
			return err_set(e, ERR_INVALID, "%s: must be an object", where);
		if (add_entry(es, kind, json_deep_copy(o), where, e) < 0)
			return -1;
	}
	return 0;
}

/* A faq's slug, made from its Dutch question when the bundle gives none. */
static int faq_slug(json_t *faq, const char *where, struct err *e)
{
	if (json_object_get(faq, "slug"))
		return 0;
	const char *q = json_string_value(json_object_get(json_object_get(faq, "question"), "nl"));
	if (!q)
		return err_set(e, ERR_INVALID,
		               "%s: a faq, field question: must be an object with texts \"nl\" and "
		               "\"en\" (the slug is made from question.nl)",
		               where);
	struct buf slug = BUF_INIT;
	kb_slugify(&slug, q, 60);
	if (slug.len)
		json_object_set_new(faq, "slug", json_string(slug.data));
	buf_release(&slug);
	if (!json_object_get(faq, "slug"))
		return err_set(e, ERR_INVALID,
		               "%s: a faq, field slug: is missing, and question.nl has no words to "
		               "make one from",
		               where);
	return 0;
}

static int collect_faqs(const json_t *faqs, struct entries *es, struct err *e)
{
	size_t i;
	json_t *o;
	json_array_foreach(faqs, i, o)
	{
		char where[64];
		snprintf(where, sizeof(where), "faqs[%zu]", i + 1);
		if (!json_is_object(o))
			return err_set(e, ERR_INVALID, "%s: must be an object", where);
		json_t *c = json_deep_copy(o);
		if (faq_slug(c, where, e) < 0) {
			json_decref(c);
			return -1;
		}
		if (!json_object_get(c, "order")) {
			/* Its place among the questions of its theme so far. */
			int n = 1;
			for (size_t k = 0; k < i; k++)
				n += json_equal(json_object_get(json_array_get(faqs, k), "theme"),
				                json_object_get(o, "theme"));
			json_object_set_new(c, "order", json_integer(n));
		}
		if (add_entry(es, KB_FAQ, c, where, e) < 0)
			return -1;
	}
	return 0;
}

static int check_target_group(const json_t *tg, const char *where, struct err *e)
{
	const char *slug = json_string_value(json_object_get(tg, "slug"));
	json_t *name = json_object_get(tg, "name");
	if (!json_is_object(tg))
		return err_set(e, ERR_INVALID, "%s: must be an object", where);
	if (!slug || !kb_slug_valid(slug))
		return err_set(e, ERR_INVALID, "%s, field slug: must be a slug (a-z, 0-9 and '-')",
		               where);
	for (int l = 0; l < KB_NLANGS; l++) {
		const char *n =
		    json_string_value(json_object_get(name, kb_lang_code((enum kb_lang)l)));
		if (!n || !*n || strlen(n) > 300 || strchr(n, '\n'))
			return err_set(e, ERR_INVALID,
			               "%s: target group '%s', field name.%s: must be one line of "
			               "text, not empty, at most 300 bytes",
			               where, slug, kb_lang_code((enum kb_lang)l));
	}
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)tg, key, v)
	{
		if (strcmp(key, "slug") != 0 && strcmp(key, "name") != 0)
			return err_set(e, ERR_INVALID, "%s: '%s' is not a field of a target group",
			               where, key);
	}
	return 0;
}

static int check_bundle_top(const json_t *bundle, struct err *e)
{
	static const char *const parts[] = {"version",   "target_groups", "themes",
	                                    "practices", "faqs",          NULL};
	if (!json_is_object(bundle))
		return err_set(e, ERR_INVALID, "bundle: must be a JSON object");
	json_t *v = json_object_get(bundle, "version");
	if (!json_is_integer(v) || json_integer_value(v) != BUNDLE_VERSION)
		return err_set(e, ERR_INVALID, "bundle: field version: must be %d", BUNDLE_VERSION);
	const char *key;
	json_object_foreach((json_t *)bundle, key, v)
	{
		bool known = false;
		for (const char *const *p = parts; *p; p++)
			known |= strcmp(*p, key) == 0;
		if (!known)
			return err_set(e, ERR_INVALID, "bundle: '%s' is not a part of a bundle",
			               key);
	}
	return 0;
}

static const char get_group_sql[] = "SELECT name_nl, name_en FROM kb_target_groups WHERE slug = ?";
static const char insert_group_sql[] =
    "INSERT INTO kb_target_groups (slug, name_nl, name_en) VALUES (?, ?, ?)";
static const char update_group_sql[] =
    "UPDATE kb_target_groups SET name_nl = ?, name_en = ? WHERE slug = ?";

/* Add or update one target group; *changed says whether the store changed. */
static int put_target_group(struct store *s, const json_t *tg, bool *changed, struct err *e)
{
	const char *slug = json_string_value(json_object_get(tg, "slug"));
	json_t *name = json_object_get(tg, "name");
	const char *nl = json_string_value(json_object_get(name, "nl"));
	const char *en = json_string_value(json_object_get(name, "en"));
	struct stmt *st;
	*changed = false;
	if (store_prepare(s, get_group_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, slug);
	int rc = stmt_step(st, e);
	bool exists = rc == STORE_ROW;
	bool same =
	    exists && strcmp(stmt_text(st, 0), nl) == 0 && strcmp(stmt_text(st, 1), en) == 0;
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (same)
		return 0;
	if (store_prepare(s, exists ? update_group_sql : insert_group_sql, &st, e) < 0)
		return -1;
	if (exists) {
		stmt_bind_text(st, 1, nl);
		stmt_bind_text(st, 2, en);
		stmt_bind_text(st, 3, slug);
	} else {
		stmt_bind_text(st, 1, slug);
		stmt_bind_text(st, 2, nl);
		stmt_bind_text(st, 3, en);
	}
	rc = stmt_step(st, e);
	stmt_free(st);
	*changed = rc >= 0;
	return rc < 0 ? -1 : 0;
}

/* Validate every part of the bundle into `es`, in the order they must be saved. */
static int collect(const json_t *bundle, const json_t *groups, struct entries *es, struct err *e)
{
	json_t *themes = NULL, *practices = NULL, *faqs = NULL;
	int rc = -1;
	size_t i;
	json_t *tg;
	json_array_foreach(groups, i, tg)
	{
		char where[64];
		snprintf(where, sizeof(where), "target_groups[%zu]", i + 1);
		if (check_target_group(tg, where, e) < 0)
			return -1;
	}
	if (!(themes = array_member(bundle, "themes", e)) ||
	    !(practices = array_member(bundle, "practices", e)) ||
	    !(faqs = array_member(bundle, "faqs", e)))
		goto out;
	if (collect_themes(themes, es, e) < 0 ||
	    collect_list(practices, "practices", KB_PRACTICE, es, e) < 0 ||
	    collect_faqs(faqs, es, e) < 0)
		goto out;
	rc = 0;
out:
	json_decref(themes);
	json_decref(practices);
	json_decref(faqs);
	return rc;
}

static int write_all(struct store *s, const struct access *who, const json_t *groups,
                     const struct entries *es, bool publish, const char *note,
                     struct kb_import_stats *stats, struct err *e)
{
	size_t i;
	json_t *tg;
	json_array_foreach(groups, i, tg)
	{
		bool changed;
		if (put_target_group(s, tg, &changed, e) < 0)
			return err_prefix(e, "target_groups[%zu]", i + 1);
		stats->target_groups += changed;
	}
	for (i = 0; i < es->n; i++) {
		const struct entry *en = &es->items[i];
		bool created, changed, published;
		if (kb_save_and_publish(s, who->actor, en->kind, en->content, note, publish,
		                        &created, &changed, &published, e) < 0)
			return err_prefix(e, "%s", en->where);
		stats->created += created;
		stats->changed += changed;
		stats->unchanged += !created && !changed;
		stats->published += published;
	}
	return 0;
}

int knowledge_import(struct store *s, const struct access *who, const json_t *bundle, bool publish,
                     const char *note, struct kb_import_stats *stats, struct err *e)
{
	struct kb_import_stats mine = {0};
	struct entries es = {0};
	json_t *groups = NULL;
	int rc = -1;
	if (check_bundle_top(bundle, e) < 0 || !(groups = array_member(bundle, "target_groups", e)))
		return -1;
	if (collect(bundle, groups, &es, e) < 0)
		goto out;
	if (store_begin(s, e) < 0)
		goto out;
	if (write_all(s, who, groups, &es, publish, note ? note : "import", &mine, e) < 0) {
		store_rollback(s);
		goto out;
	}
	if (store_commit(s, e) < 0)
		goto out;
	/* After a large import the planner's picture of the index is stale; refresh it. */
	if (mine.created + mine.changed >= ANALYZE_AFTER &&
	    store_exec(s, "ANALYZE kb_search_docs", e) < 0)
		goto out;
	if (stats)
		*stats = mine;
	rc = 0;
out:
	entries_release(&es);
	json_decref(groups);
	return rc;
}

/* ---- the starting content ---- */

#define SEED_FILE "content/knowledge.json"

int knowledge_seed(struct store *s, int *loaded, struct err *e)
{
	static const struct access seed = {
	    .actor = "system:seed",
	    .role = "editor",
	    .client = "init",
	    .reason = "starting content of the knowledge platform",
	};
	int64_t present;
	*loaded = 0;
	if (store_query_int64(s,
	                      "SELECT (SELECT count(*) FROM kb_items) +"
	                      " (SELECT count(*) FROM kb_target_groups)",
	                      &present, e) < 0)
		return -1;
	if (present > 0)
		return 0;
	const struct embedded_file *f = embedded_find(SEED_FILE);
	if (!f)
		return err_set(e, ERR_INTERNAL, "%s is not in this build of inbeeld", SEED_FILE);
	json_error_t je;
	json_t *bundle = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &je);
	if (!bundle)
		return err_set(e, ERR_INTERNAL, "%s:%d:%d: %s", SEED_FILE, je.line, je.column,
		               je.text);
	struct kb_import_stats stats;
	int rc = knowledge_import(s, &seed, bundle, true, "starting content", &stats, e);
	json_decref(bundle);
	if (rc < 0)
		return err_prefix(e, "%s", SEED_FILE);
	*loaded = stats.created;
	return 0;
}
