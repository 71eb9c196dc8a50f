/*
 * The editorial workflow of the knowledge platform: drafts as new versions, publishing (which
 * writes the public tables and the search index in the same transaction), rollback as a new
 * version, and the history (see knowledge.h).
 */
#include "knowledge/knowledge-internal.h"
#include "knowledge/search.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- references ---- */

static int ref_exists(struct store *s, enum kb_ref ref, const char *slug, struct err *e)
{
	struct kb_item item;
	int64_t id;
	switch (ref) {
	case REF_THEME:
		return kb_item_find(s, KB_THEME, slug, &item, e);
	case REF_ACTION:
		return kb_item_find(s, KB_ACTION, slug, &item, e);
	case REF_TARGET_GROUP:
		return kb_target_group_id(s, slug, &id, e);
	case REF_NONE:
		break;
	}
	return 0;
}

/* Every slug that content of `kind` refers to must name an existing item or target group. */
static int check_references(struct store *s, enum kb_kind kind, const json_t *content,
                            struct err *e)
{
	const char *slug = json_string_value(json_object_get(content, "slug"));
	for (const struct kb_field *f = kb_fields(kind); f->name; f++) {
		json_t *v = json_object_get(content, f->name);
		if (f->type == KF_REF && ref_exists(s, f->ref, json_string_value(v), e) < 0)
			return err_prefix(e, "%s '%s', field %s", kb_kind_name(kind), slug,
			                  f->name);
		if (f->type != KF_REFS)
			continue;
		size_t i;
		json_t *ref;
		json_array_foreach(v, i, ref)
		{
			if (ref_exists(s, f->ref, json_string_value(ref), e) < 0)
				return err_prefix(e, "%s '%s', field %s", kb_kind_name(kind), slug,
				                  f->name);
		}
	}
	return 0;
}

/* ---- versions ---- */

static const char insert_item_sql[] =
    "INSERT INTO kb_items (kind, slug, status, latest_version, published_version, created_at,"
    " updated_at) VALUES (?, ?, 'draft', 0, NULL, ?, ?) RETURNING id";
static const char insert_version_sql[] =
    "INSERT INTO kb_versions (item_id, version, content, author, created_at, note)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char set_latest_sql[] =
    "UPDATE kb_items SET latest_version = ?, status = 'draft', updated_at = ? WHERE id = ?";

static int create_item(struct store *s, enum kb_kind kind, const char *slug, struct kb_item *item,
                       struct err *e)
{
	char now[KB_TIME_SIZE];
	struct stmt *st;
	kb_now(now);
	if (store_prepare(s, insert_item_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, kb_kind_name(kind));
	stmt_bind_text(st, 2, slug);
	stmt_bind_text(st, 3, now);
	stmt_bind_text(st, 4, now);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		memset(item, 0, sizeof(*item));
		item->id = stmt_int64(st, 0);
		item->kind = kind;
		snprintf(item->slug, sizeof(item->slug), "%s", slug);
	} else if (rc == STORE_DONE) {
		rc = err_set(e, ERR_INTERNAL, "%s '%s': no id returned", kb_kind_name(kind), slug);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* Add `content` as version latest + 1 of `item`, a draft. */
static int add_version(struct store *s, struct kb_item *item, const json_t *content,
                       const char *author, const char *note, struct err *e)
{
	char now[KB_TIME_SIZE];
	struct stmt *st = NULL;
	int version = item->latest_version + 1;
	char *text = json_dumps(content, JSON_COMPACT);
	int rc = -1;
	kb_now(now);
	if (store_prepare(s, insert_version_sql, &st, e) < 0)
		goto out;
	stmt_bind_int64(st, 1, item->id);
	stmt_bind_int64(st, 2, version);
	stmt_bind_text(st, 3, text);
	stmt_bind_text(st, 4, author);
	stmt_bind_text(st, 5, now);
	stmt_bind_text(st, 6, note && *note ? note : NULL);
	if (stmt_step(st, e) < 0)
		goto out;
	stmt_free(st);
	st = NULL;
	if (store_prepare(s, set_latest_sql, &st, e) < 0)
		goto out;
	stmt_bind_int64(st, 1, version);
	stmt_bind_text(st, 2, now);
	stmt_bind_int64(st, 3, item->id);
	if (stmt_step(st, e) < 0)
		goto out;
	item->latest_version = version;
	item->published = false;
	rc = 0;
out:
	stmt_free(st);
	free(text);
	return rc;
}

/* ---- the public tables ---- */

static const char upsert_theme_sql[] =
    "INSERT INTO kb_themes (item_id, position, title_nl, title_en, summary_nl, summary_en,"
    " stake_nl, stake_en, cooperation_nl, cooperation_en)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (item_id) DO UPDATE SET position = excluded.position,"
    " title_nl = excluded.title_nl, title_en = excluded.title_en,"
    " summary_nl = excluded.summary_nl, summary_en = excluded.summary_en,"
    " stake_nl = excluded.stake_nl, stake_en = excluded.stake_en,"
    " cooperation_nl = excluded.cooperation_nl, cooperation_en = excluded.cooperation_en";
static const char upsert_action_sql[] =
    "INSERT INTO kb_actions (item_id, theme_id, position, title_nl, title_en, body_nl, body_en)"
    " VALUES (?, (SELECT id FROM kb_items WHERE kind = 'theme' AND slug = ?), ?, ?, ?, ?, ?)"
    " ON CONFLICT (item_id) DO UPDATE SET theme_id = excluded.theme_id,"
    " position = excluded.position, title_nl = excluded.title_nl,"
    " title_en = excluded.title_en, body_nl = excluded.body_nl, body_en = excluded.body_en";
static const char upsert_practice_sql[] =
    "INSERT INTO kb_practices (item_id, kind, name_nl, name_en, region, what_nl, what_en,"
    " result_nl, result_en, contact_organisation, source)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (item_id) DO UPDATE SET kind = excluded.kind, name_nl = excluded.name_nl,"
    " name_en = excluded.name_en, region = excluded.region, what_nl = excluded.what_nl,"
    " what_en = excluded.what_en, result_nl = excluded.result_nl,"
    " result_en = excluded.result_en, contact_organisation = excluded.contact_organisation,"
    " source = excluded.source";
static const char upsert_faq_sql[] =
    "INSERT INTO kb_faqs (item_id, theme_id, position, question_nl, question_en, answer_nl,"
    " answer_en)"
    " VALUES (?, (SELECT id FROM kb_items WHERE kind = 'theme' AND slug = ?), ?, ?, ?, ?, ?)"
    " ON CONFLICT (item_id) DO UPDATE SET theme_id = excluded.theme_id,"
    " position = excluded.position, question_nl = excluded.question_nl,"
    " question_en = excluded.question_en, answer_nl = excluded.answer_nl,"
    " answer_en = excluded.answer_en";

static const char delete_partners_sql[] = "DELETE FROM kb_practice_partners WHERE practice_id = ?";
static const char delete_ptheme_sql[] = "DELETE FROM kb_practice_themes WHERE practice_id = ?";
static const char delete_paction_sql[] = "DELETE FROM kb_practice_actions WHERE practice_id = ?";
static const char delete_pgroup_sql[] =
    "DELETE FROM kb_practice_target_groups WHERE practice_id = ?";
static const char insert_partner_sql[] =
    "INSERT INTO kb_practice_partners (practice_id, position, name) VALUES (?, ?, ?)";
static const char insert_ptheme_sql[] =
    "INSERT INTO kb_practice_themes (practice_id, theme_id)"
    " SELECT ?, id FROM kb_items WHERE kind = 'theme' AND slug = ?";
static const char insert_paction_sql[] =
    "INSERT INTO kb_practice_actions (practice_id, action_id)"
    " SELECT ?, id FROM kb_items WHERE kind = 'action' AND slug = ?";
static const char insert_pgroup_sql[] =
    "INSERT INTO kb_practice_target_groups (practice_id, target_group_id)"
    " SELECT ?, id FROM kb_target_groups WHERE slug = ?";

static const char *lang_text(const json_t *content, const char *field, enum kb_lang lang)
{
	return json_string_value(
	    json_object_get(json_object_get(content, field), kb_lang_code(lang)));
}

/* Bind field `field` of `content` in both languages at i and i + 1. */
static void bind_both(struct stmt *st, int i, const json_t *content, const char *field)
{
	stmt_bind_text(st, i, lang_text(content, field, KB_NL));
	stmt_bind_text(st, i + 1, lang_text(content, field, KB_EN));
}

static const char *str(const json_t *content, const char *field)
{
	return json_string_value(json_object_get(content, field));
}

static int64_t order(const json_t *content)
{
	return json_integer_value(json_object_get(content, "order"));
}

static void bind_projection(struct stmt *st, enum kb_kind kind, int64_t id, const json_t *c)
{
	stmt_bind_int64(st, 1, id);
	switch (kind) {
	case KB_THEME:
		stmt_bind_int64(st, 2, order(c));
		bind_both(st, 3, c, "title");
		bind_both(st, 5, c, "summary");
		bind_both(st, 7, c, "stake");
		bind_both(st, 9, c, "cooperation");
		break;
	case KB_ACTION:
		stmt_bind_text(st, 2, str(c, "theme"));
		stmt_bind_int64(st, 3, order(c));
		bind_both(st, 4, c, "title");
		bind_both(st, 6, c, "body");
		break;
	case KB_PRACTICE:
		stmt_bind_text(st, 2, str(c, "kind"));
		bind_both(st, 3, c, "name");
		stmt_bind_text(st, 5, str(c, "region"));
		bind_both(st, 6, c, "what");
		bind_both(st, 8, c, "result");
		stmt_bind_text(st, 10, str(c, "contact_organisation"));
		stmt_bind_text(st, 11, str(c, "source"));
		break;
	case KB_FAQ:
		stmt_bind_text(st, 2, str(c, "theme"));
		stmt_bind_int64(st, 3, order(c));
		bind_both(st, 4, c, "question");
		bind_both(st, 6, c, "answer");
		break;
	}
}

static int run_id(struct store *s, const char *sql, int64_t id, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* Insert one row per entry of list `values` with `sql` (practice id, value [, position]). */
static int insert_links(struct store *s, const char *sql, int64_t id, const json_t *values,
                        bool with_position, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	size_t i;
	json_t *v;
	int rc = 0;
	json_array_foreach(values, i, v)
	{
		stmt_reset(st);
		stmt_bind_int64(st, 1, id);
		if (with_position) {
			stmt_bind_int64(st, 2, (int64_t)i + 1);
			stmt_bind_text(st, 3, json_string_value(v));
		} else {
			stmt_bind_text(st, 2, json_string_value(v));
		}
		if (stmt_step(st, e) < 0) {
			rc = -1;
			break;
		}
	}
	stmt_free(st);
	return rc;
}

static int project_practice_links(struct store *s, int64_t id, const json_t *c, struct err *e)
{
	if (run_id(s, delete_partners_sql, id, e) < 0 || run_id(s, delete_ptheme_sql, id, e) < 0 ||
	    run_id(s, delete_paction_sql, id, e) < 0 || run_id(s, delete_pgroup_sql, id, e) < 0)
		return -1;
	if (insert_links(s, insert_partner_sql, id, json_object_get(c, "partners"), true, e) < 0 ||
	    insert_links(s, insert_ptheme_sql, id, json_object_get(c, "themes"), false, e) < 0 ||
	    insert_links(s, insert_paction_sql, id, json_object_get(c, "actions"), false, e) < 0 ||
	    insert_links(s, insert_pgroup_sql, id, json_object_get(c, "target_groups"), false, e) <
	        0)
		return -1;
	return 0;
}

/* Write published `content` to the public table of its kind. */
static int project(struct store *s, const struct kb_item *item, const json_t *content,
                   struct err *e)
{
	static const char *const sql[KB_NKINDS] = {upsert_theme_sql, upsert_action_sql,
	                                           upsert_practice_sql, upsert_faq_sql};
	struct stmt *st;
	if (store_prepare(s, sql[item->kind], &st, e) < 0)
		return -1;
	bind_projection(st, item->kind, item->id, content);
	int rc = stmt_step(st, e);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (item->kind == KB_PRACTICE)
		return project_practice_links(s, item->id, content, e);
	return 0;
}

static const char mark_published_sql[] =
    "UPDATE kb_items SET status = 'published', published_version = ?, updated_at = ?"
    " WHERE id = ?";
static const char stamp_version_sql[] =
    "UPDATE kb_versions SET published_at = ?, published_by = ? WHERE item_id = ? AND version = ?";

/* Make the latest version of `item` (whose content is `content`) the published one. */
static int publish_latest(struct store *s, struct kb_item *item, const json_t *content,
                          const char *who, struct err *e)
{
	char now[KB_TIME_SIZE];
	struct stmt *st = NULL;
	int rc = -1;
	kb_now(now);
	if (project(s, item, content, e) < 0 ||
	    search_index_item(s, item->id, item->kind, content, e) < 0)
		return -1;
	if (store_prepare(s, mark_published_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, item->latest_version);
	stmt_bind_text(st, 2, now);
	stmt_bind_int64(st, 3, item->id);
	if (stmt_step(st, e) < 0)
		goto out;
	stmt_free(st);
	st = NULL;
	if (store_prepare(s, stamp_version_sql, &st, e) < 0)
		goto out;
	stmt_bind_text(st, 1, now);
	stmt_bind_text(st, 2, who);
	stmt_bind_int64(st, 3, item->id);
	stmt_bind_int64(st, 4, item->latest_version);
	if (stmt_step(st, e) < 0)
		goto out;
	item->published = true;
	item->published_version = item->latest_version;
	rc = 0;
out:
	stmt_free(st);
	return rc;
}

/* ---- the public functions ---- */

/* Save within the caller's transaction; see knowledge_save. */
static int save_in_tx(struct store *s, const char *author, enum kb_kind kind, const json_t *content,
                      const char *note, struct kb_item *item, bool *created, struct err *e)
{
	json_t *canon = NULL, *latest = NULL;
	bool found;
	int rc = -1;
	*created = false;
	if (knowledge_validate(kind, content, e) < 0 || check_references(s, kind, content, e) < 0)
		return -1;
	const char *slug = json_string_value(json_object_get(content, "slug"));
	canon = kb_canonical(kind, content);
	if (kb_item_lookup(s, kind, slug, item, &found, e) < 0)
		goto out;
	if (found) {
		if (kb_version_content(s, item, item->latest_version, &latest, e) < 0)
			goto out;
		if (json_equal(latest, canon)) {
			rc = 0;
			goto out;
		}
	} else {
		if (create_item(s, kind, slug, item, e) < 0)
			goto out;
		*created = true;
	}
	rc = add_version(s, item, canon, author, note, e);
out:
	json_decref(canon);
	json_decref(latest);
	return rc;
}

int knowledge_save(struct store *s, const struct access *who, enum kb_kind kind,
                   const json_t *content, const char *note, int *version, bool *created,
                   struct err *e)
{
	struct kb_item item;
	bool is_new;
	if (store_begin(s, e) < 0)
		return -1;
	if (save_in_tx(s, who->actor, kind, content, note, &item, &is_new, e) < 0) {
		store_rollback(s);
		return -1;
	}
	if (store_commit(s, e) < 0)
		return -1;
	if (version)
		*version = item.latest_version;
	if (created)
		*created = is_new;
	return 0;
}

int kb_save_and_publish(struct store *s, const char *author, enum kb_kind kind,
                        const json_t *content, const char *note, bool publish, bool *created,
                        bool *changed, bool *published, struct err *e)
{
	struct kb_item item;
	int before;
	bool found;
	const char *slug = json_string_value(json_object_get(content, "slug"));
	*published = false;
	if (kb_item_lookup(s, kind, slug, &item, &found, e) < 0)
		return -1;
	before = found ? item.latest_version : 0;
	if (save_in_tx(s, author, kind, content, note, &item, created, e) < 0)
		return -1;
	*changed = !*created && item.latest_version != before;
	if (!publish || item.published)
		return 0;
	json_t *latest;
	if (kb_version_content(s, &item, item.latest_version, &latest, e) < 0)
		return -1;
	int rc = publish_latest(s, &item, latest, author, e);
	json_decref(latest);
	*published = rc == 0;
	return rc;
}

/* Split `text` into list entries: one per line; slug lists also at commas. */
static json_t *parse_list(const char *text, bool commas)
{
	json_t *list = json_array();
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, commas ? "\n," : "\n");
		const char *a = p, *b = p + n;
		while (a < b && (*a == ' ' || *a == '\t' || *a == '\r'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
			b--;
		if (b > a) {
			char *entry = xstrndup(a, (size_t)(b - a));
			json_array_append_new(list, json_string(entry));
			free(entry);
		}
		p += n;
		if (*p)
			p++;
	}
	return list;
}

/* The new value of field `f` from `text`, or NULL with `e` filled. */
static json_t *field_value(const struct kb_field *f, const char *label, const char *text,
                           struct err *e)
{
	switch (f->type) {
	case KF_ORDER: {
		char *end;
		long v = strtol(text, &end, 10);
		if (!*text || *end) {
			err_set(e, ERR_INVALID, "%s, field order: '%s' is not a whole number",
			        label, text);
			return NULL;
		}
		return json_integer(v);
	}
	case KF_REFS:
		return parse_list(text, true);
	case KF_NAMES:
		return parse_list(text, false);
	default: {
		json_t *v = json_string(text);
		if (!v) /* jansson takes UTF-8 only */
			err_set(e, ERR_INVALID, "%s, field %s: the text is not UTF-8", label,
			        f->name);
		return v;
	}
	}
}

int knowledge_edit(struct store *s, const struct access *who, enum kb_kind kind, const char *slug,
                   const char *field, const char *lang, const char *text, const char *note,
                   int *version, struct err *e)
{
	char label[KB_SLUG_MAX + 32], auto_note[96];
	struct kb_item item;
	json_t *content = NULL;
	int rc = -1;
	snprintf(label, sizeof(label), "%s '%s'", kb_kind_name(kind), slug);
	const struct kb_field *f = kb_field_find(kind, field);
	if (!f)
		return err_set(e, ERR_INVALID, "%s: '%s' is not a field of a %s", label, field,
		               kb_kind_name(kind));
	if (f->type == KF_SLUG)
		return err_set(e, ERR_INVALID, "%s: the slug names the item and cannot change",
		               label);
	bool per_lang = f->type == KF_TEXT || f->type == KF_MARKDOWN;
	enum kb_lang l = KB_NL;
	if (per_lang && (!lang || kb_lang_parse(lang, &l, e) < 0))
		return err_set(e, ERR_INVALID, "%s, field %s: say which language (nl or en)", label,
		               field);
	if (!per_lang && lang)
		return err_set(e, ERR_INVALID, "%s, field %s: is the same in every language", label,
		               field);
	json_t *value = field_value(f, label, text, e);
	if (!value)
		return -1;
	if (store_begin(s, e) < 0) {
		json_decref(value);
		return -1;
	}
	if (kb_item_find(s, kind, slug, &item, e) < 0 ||
	    kb_version_content(s, &item, item.latest_version, &content, e) < 0) {
		json_decref(value);
		goto out;
	}
	if (per_lang) {
		json_t *texts = json_deep_copy(json_object_get(content, field));
		if (!json_is_object(texts))
			texts = json_object();
		json_object_set_new(texts, kb_lang_code(l), value);
		json_object_set_new(content, field, texts);
	} else {
		json_object_set_new(content, field, value);
	}
	snprintf(auto_note, sizeof(auto_note), "edit %s%s%s", field, per_lang ? "." : "",
	         per_lang ? kb_lang_code(l) : "");
	bool created;
	if (save_in_tx(s, who->actor, kind, content, note && *note ? note : auto_note, &item,
	               &created, e) < 0)
		goto out;
	rc = 0;
out:
	json_decref(content);
	if (rc < 0) {
		store_rollback(s);
		return -1;
	}
	if (store_commit(s, e) < 0)
		return -1;
	if (version)
		*version = item.latest_version;
	return 0;
}

int knowledge_publish(struct store *s, const struct access *who, enum kb_kind kind,
                      const char *slug, int *version, struct err *e)
{
	struct kb_item item;
	json_t *content = NULL;
	if (store_begin(s, e) < 0)
		return -1;
	if (kb_item_find(s, kind, slug, &item, e) < 0)
		goto fail;
	if (item.published) {
		err_set(e, ERR_CONFLICT, "%s '%s': nothing to publish, version %d is published",
		        kb_kind_name(kind), slug, item.latest_version);
		goto fail;
	}
	if (kb_version_content(s, &item, item.latest_version, &content, e) < 0 ||
	    check_references(s, kind, content, e) < 0 ||
	    publish_latest(s, &item, content, who->actor, e) < 0)
		goto fail;
	json_decref(content);
	if (store_commit(s, e) < 0)
		return -1;
	if (version)
		*version = item.latest_version;
	return 0;
fail:
	json_decref(content);
	store_rollback(s);
	return -1;
}

int knowledge_rollback(struct store *s, const struct access *who, enum kb_kind kind,
                       const char *slug, int to, int *version, struct err *e)
{
	struct kb_item item;
	json_t *content = NULL;
	char note[64];
	if (store_begin(s, e) < 0)
		return -1;
	if (kb_item_find(s, kind, slug, &item, e) < 0)
		goto fail;
	if (to < 1 || to > item.latest_version) {
		err_set(e, ERR_NOTFOUND, "%s '%s' has no version %d (it has 1 to %d)",
		        kb_kind_name(kind), slug, to, item.latest_version);
		goto fail;
	}
	if (to == item.latest_version && item.published) {
		err_set(e, ERR_CONFLICT, "%s '%s': version %d is the published one already",
		        kb_kind_name(kind), slug, to);
		goto fail;
	}
	if (kb_version_content(s, &item, to, &content, e) < 0 ||
	    check_references(s, kind, content, e) < 0)
		goto fail;
	snprintf(note, sizeof(note), "rollback to version %d", to);
	if (add_version(s, &item, content, who->actor, note, e) < 0 ||
	    publish_latest(s, &item, content, who->actor, e) < 0)
		goto fail;
	json_decref(content);
	if (store_commit(s, e) < 0)
		return -1;
	if (version)
		*version = item.latest_version;
	return 0;
fail:
	json_decref(content);
	store_rollback(s);
	return -1;
}

static const char history_sql[] =
    "SELECT version, author, created_at, note, published_at, published_by FROM kb_versions"
    " WHERE item_id = ? ORDER BY version";

static json_t *text_or_null(struct stmt *st, int col)
{
	return stmt_is_null(st, col) ? json_null() : json_string(stmt_text(st, col));
}

int knowledge_history(struct store *s, enum kb_kind kind, const char *slug, json_t **out,
                      struct err *e)
{
	struct kb_item item;
	struct stmt *st;
	if (kb_item_find(s, kind, slug, &item, e) < 0 || store_prepare(s, history_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, item.id);
	json_t *list = json_array();
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		int v = (int)stmt_int64(st, 0);
		json_array_append_new(
		    list, json_pack("{s:i, s:s, s:s, s:o, s:o, s:o, s:b}", "version", v, "author",
		                    stmt_text(st, 1), "created_at", stmt_text(st, 2), "note",
		                    text_or_null(st, 3), "published_at", text_or_null(st, 4),
		                    "published_by", text_or_null(st, 5), "published",
		                    v == item.published_version));
	}
	stmt_free(st);
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	*out = list;
	return 0;
}
