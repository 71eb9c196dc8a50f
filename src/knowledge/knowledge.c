/*
 * The content model of the knowledge platform: the fields of each kind, their validation,
 * rendering to safe HTML, and reading items, versions and lists from the store
 * (see knowledge.h).
 */
#include "knowledge/knowledge-internal.h"
#include "knowledge/markdown.h"
#include "knowledge/search.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const kind_names[KB_NKINDS] = {"theme", "action", "practice", "faq"};
static const char *const lang_codes[KB_NLANGS] = {"nl", "en"};

const char *kb_kind_name(enum kb_kind kind)
{
	return kind_names[kind];
}

int kb_kind_parse(const char *name, enum kb_kind *out, struct err *e)
{
	for (int k = 0; k < KB_NKINDS; k++)
		if (name && strcmp(name, kind_names[k]) == 0) {
			*out = (enum kb_kind)k;
			return 0;
		}
	return err_set(e, ERR_INVALID,
	               "'%s' is not a kind of content (theme, action, practice, faq)",
	               name ? name : "");
}

const char *kb_lang_code(enum kb_lang lang)
{
	return lang_codes[lang];
}

int kb_lang_parse(const char *code, enum kb_lang *out, struct err *e)
{
	for (int l = 0; l < KB_NLANGS; l++)
		if (code && strcmp(code, lang_codes[l]) == 0) {
			*out = (enum kb_lang)l;
			return 0;
		}
	return err_set(e, ERR_INVALID, "'%s' is not a language of the platform (nl, en)",
	               code ? code : "");
}

/* ---- the fields of each kind ---- */

#define TITLE_MAX   300
#define SUMMARY_MAX 4000
#define BODY_MAX    20000
#define LINE_MAX_   200
#define LIST_MAX    50

static const struct kb_field theme_fields[] = {
    {"slug", KF_SLUG, KB_SLUG_MAX, true, REF_NONE, NULL},
    {"order", KF_ORDER, 0, true, REF_NONE, NULL},
    {"title", KF_TEXT, TITLE_MAX, true, REF_NONE, NULL},
    {"summary", KF_MARKDOWN, SUMMARY_MAX, true, REF_NONE, NULL},
    {"stake", KF_MARKDOWN, BODY_MAX, true, REF_NONE, NULL},
    {"cooperation", KF_MARKDOWN, BODY_MAX, true, REF_NONE, NULL},
    {NULL, 0, 0, false, REF_NONE, NULL},
};

static const struct kb_field action_fields[] = {
    {"slug", KF_SLUG, KB_SLUG_MAX, true, REF_NONE, NULL},
    {"theme", KF_REF, KB_SLUG_MAX, true, REF_THEME, NULL},
    {"order", KF_ORDER, 0, true, REF_NONE, NULL},
    {"title", KF_TEXT, TITLE_MAX, true, REF_NONE, NULL},
    {"body", KF_MARKDOWN, BODY_MAX, true, REF_NONE, NULL},
    {NULL, 0, 0, false, REF_NONE, NULL},
};

static const struct kb_field practice_fields[] = {
    {"slug", KF_SLUG, KB_SLUG_MAX, true, REF_NONE, NULL},
    {"kind", KF_CHOICE, 0, true, REF_NONE, "practice|pilot"},
    {"name", KF_TEXT, TITLE_MAX, true, REF_NONE, NULL},
    {"region", KF_STRING, LINE_MAX_, true, REF_NONE, NULL},
    {"partners", KF_NAMES, LIST_MAX, false, REF_NONE, NULL},
    {"target_groups", KF_REFS, LIST_MAX, false, REF_TARGET_GROUP, NULL},
    {"what", KF_MARKDOWN, BODY_MAX, true, REF_NONE, NULL},
    {"result", KF_MARKDOWN, BODY_MAX, true, REF_NONE, NULL},
    {"themes", KF_REFS, LIST_MAX, true, REF_THEME, NULL},
    {"actions", KF_REFS, LIST_MAX, false, REF_ACTION, NULL},
    {"contact_organisation", KF_STRING, LINE_MAX_, false, REF_NONE, NULL},
    {"source", KF_STRING, 500, false, REF_NONE, NULL},
    {NULL, 0, 0, false, REF_NONE, NULL},
};

static const struct kb_field faq_fields[] = {
    {"slug", KF_SLUG, KB_SLUG_MAX, true, REF_NONE, NULL},
    {"theme", KF_REF, KB_SLUG_MAX, true, REF_THEME, NULL},
    {"order", KF_ORDER, 0, true, REF_NONE, NULL},
    {"question", KF_TEXT, TITLE_MAX, true, REF_NONE, NULL},
    {"answer", KF_MARKDOWN, BODY_MAX, true, REF_NONE, NULL},
    {NULL, 0, 0, false, REF_NONE, NULL},
};

const struct kb_field *kb_fields(enum kb_kind kind)
{
	static const struct kb_field *const tables[KB_NKINDS] = {theme_fields, action_fields,
	                                                         practice_fields, faq_fields};
	return tables[kind];
}

const struct kb_field *kb_field_find(enum kb_kind kind, const char *name)
{
	for (const struct kb_field *f = kb_fields(kind); f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* ---- validation ---- */

bool kb_slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > KB_SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

/* The name of the item for messages: "theme 'slug'", or "a theme" without a usable slug. */
static void item_label(char *out, size_t size, enum kb_kind kind, const json_t *content)
{
	const char *slug = json_string_value(json_object_get(content, "slug"));
	if (slug && kb_slug_valid(slug))
		snprintf(out, size, "%s '%s'", kb_kind_name(kind), slug);
	else
		snprintf(out, size, "%s %s", kind == KB_ACTION ? "an" : "a", kb_kind_name(kind));
}

/* Why `s` is not acceptable as text of this kind, or NULL. */
static const char *text_problem(const char *s, size_t max, bool multiline, bool required)
{
	size_t n = strlen(s);
	if (n > max)
		return "is too long";
	bool blank = true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			if (!multiline && *p != '\t')
				return "must be one line";
		} else if (*p < 0x20 || *p == 0x7f) {
			return "holds a control character";
		} else if (*p != ' ') {
			blank = false;
		}
	}
	if (required && blank)
		return "must not be empty";
	return NULL;
}

static int field_error(struct err *e, const char *label, const char *field, const char *lang,
                       const char *problem, size_t max)
{
	if (strcmp(problem, "is too long") == 0)
		return err_set(e, ERR_INVALID, "%s, field %s%s%s: is longer than %zu bytes", label,
		               field, lang ? "." : "", lang ? lang : "", max);
	return err_set(e, ERR_INVALID, "%s, field %s%s%s: %s", label, field, lang ? "." : "",
	               lang ? lang : "", problem);
}

static int check_lang_text(const char *label, const struct kb_field *f, const json_t *value,
                           struct err *e)
{
	if (!json_is_object(value))
		return err_set(e, ERR_INVALID,
		               "%s, field %s: must be an object with texts \"nl\" and \"en\"",
		               label, f->name);
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)value, key, v)
	{
		if (strcmp(key, "nl") != 0 && strcmp(key, "en") != 0)
			return err_set(
			    e, ERR_INVALID,
			    "%s, field %s: '%s' is not a language of the platform (nl, en)", label,
			    f->name, key);
	}
	for (int l = 0; l < KB_NLANGS; l++) {
		json_t *t = json_object_get(value, lang_codes[l]);
		if (!json_is_string(t))
			return err_set(e, ERR_INVALID, "%s, field %s.%s: %s", label, f->name,
			               lang_codes[l], t ? "must be text" : "is missing");
		const char *problem =
		    text_problem(json_string_value(t), f->max, f->type == KF_MARKDOWN, true);
		if (problem)
			return field_error(e, label, f->name, lang_codes[l], problem, f->max);
	}
	return 0;
}

static bool choice_ok(const char *choices, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, s, n) == 0)
			return true;
		p += len + (bar ? 1 : 0);
	}
	return false;
}

static int check_list(const char *label, const struct kb_field *f, const json_t *value,
                      struct err *e)
{
	if (!json_is_array(value))
		return err_set(e, ERR_INVALID, "%s, field %s: must be a list", label, f->name);
	size_t n = json_array_size(value);
	if (n > f->max)
		return err_set(e, ERR_INVALID, "%s, field %s: has more than %zu entries", label,
		               f->name, f->max);
	if (f->required && n == 0)
		return err_set(e, ERR_INVALID, "%s, field %s: must name at least one", label,
		               f->name);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(value, i));
		if (!s)
			return err_set(e, ERR_INVALID, "%s, field %s: entry %zu must be text",
			               label, f->name, i + 1);
		if (f->type == KF_REFS && !kb_slug_valid(s))
			return err_set(e, ERR_INVALID,
			               "%s, field %s: '%s' is not a slug (a-z, 0-9 and '-')", label,
			               f->name, s);
		const char *problem = text_problem(s, LINE_MAX_, false, true);
		if (problem)
			return err_set(e, ERR_INVALID, "%s, field %s: entry %zu %s", label, f->name,
			               i + 1, problem);
		for (size_t j = 0; j < i; j++)
			if (strcmp(s, json_string_value(json_array_get(value, j))) == 0)
				return err_set(e, ERR_INVALID, "%s, field %s: '%s' appears twice",
				               label, f->name, s);
	}
	return 0;
}

static int check_field(const char *label, const struct kb_field *f, const json_t *value,
                       struct err *e)
{
	if (!value)
		return err_set(e, ERR_INVALID, "%s, field %s: is missing", label, f->name);
	switch (f->type) {
	case KF_SLUG:
	case KF_REF:
		if (!json_is_string(value) || !kb_slug_valid(json_string_value(value)))
			return err_set(e, ERR_INVALID,
			               "%s, field %s: must be a slug of at most %d characters a-z, "
			               "0-9 and '-'",
			               label, f->name, KB_SLUG_MAX);
		return 0;
	case KF_ORDER:
		if (!json_is_integer(value) || json_integer_value(value) < 1 ||
		    json_integer_value(value) > 100000)
			return err_set(e, ERR_INVALID,
			               "%s, field %s: must be a whole number from 1 to 100000",
			               label, f->name);
		return 0;
	case KF_TEXT:
	case KF_MARKDOWN:
		return check_lang_text(label, f, value, e);
	case KF_STRING: {
		if (!json_is_string(value))
			return err_set(e, ERR_INVALID, "%s, field %s: must be text", label,
			               f->name);
		const char *problem =
		    text_problem(json_string_value(value), f->max, false, f->required);
		return problem ? field_error(e, label, f->name, NULL, problem, f->max) : 0;
	}
	case KF_CHOICE:
		if (!json_is_string(value) || !choice_ok(f->choices, json_string_value(value)))
			return err_set(e, ERR_INVALID, "%s, field %s: must be one of %s", label,
			               f->name, f->choices);
		return 0;
	case KF_REFS:
	case KF_NAMES:
		return check_list(label, f, value, e);
	}
	return err_set(e, ERR_INTERNAL, "%s, field %s: unknown field type", label, f->name);
}

int knowledge_validate(enum kb_kind kind, const json_t *content, struct err *e)
{
	char label[KB_SLUG_MAX + 32];
	if (!json_is_object(content))
		return err_set(e, ERR_INVALID, "a %s must be a JSON object", kb_kind_name(kind));
	item_label(label, sizeof(label), kind, content);
	for (const struct kb_field *f = kb_fields(kind); f->name; f++)
		if (check_field(label, f, json_object_get(content, f->name), e) < 0)
			return -1;
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)content, key, v)
	{
		if (!kb_field_find(kind, key) && strcmp(key, "version") != 0)
			return err_set(e, ERR_INVALID, "%s: '%s' is not a field of a %s", label,
			               key, kb_kind_name(kind));
	}
	return 0;
}

json_t *kb_canonical(enum kb_kind kind, const json_t *content)
{
	json_t *out = json_object();
	for (const struct kb_field *f = kb_fields(kind); f->name; f++) {
		json_t *v = json_object_get(content, f->name);
		if (v)
			json_object_set_new(out, f->name, json_deep_copy(v));
	}
	return out;
}

const char *kb_content_title(enum kb_kind kind, const json_t *content, enum kb_lang lang)
{
	static const char *const title_field[KB_NKINDS] = {"title", "title", "name", "question"};
	const char *s = json_string_value(
	    json_object_get(json_object_get(content, title_field[kind]), lang_codes[lang]));
	return s ? s : "";
}

void kb_slugify(struct buf *out, const char *text, size_t max)
{
	size_t start_len = out->len, pos = 0, ws, we;
	struct buf word = BUF_INIT;
	while (search_next_word(text, &pos, &ws, &we)) {
		buf_reset(&word);
		search_fold(&word, text + ws, we - ws);
		if (!word.len)
			continue;
		size_t have = out->len - start_len;
		if (have + (have ? 1 : 0) + word.len > max)
			break;
		if (have)
			buf_addch(out, '-');
		buf_add(out, word.data, word.len);
	}
	buf_release(&word);
}

/* ---- rendering ---- */

static void render_text(struct buf *out, const char *tag, const char *field, const char *text)
{
	buf_addf(out, "<%s class=\"kb-field\" data-field=\"", tag);
	html_attr(out, field);
	buf_adds(out, "\">");
	html_text(out, text);
	buf_addf(out, "</%s>\n", tag);
}

static void render_field(struct buf *out, const struct kb_field *f, const json_t *value,
                         enum kb_lang lang)
{
	const char *text = json_string_value(value);
	switch (f->type) {
	case KF_SLUG:
	case KF_ORDER:
		return; /* shown in the article's attributes, or not at all */
	case KF_TEXT:
		render_text(out, "h1", f->name,
		            json_string_value(json_object_get(value, lang_codes[lang])));
		return;
	case KF_MARKDOWN:
		buf_adds(out, "<div class=\"kb-field\" data-field=\"");
		html_attr(out, f->name);
		buf_adds(out, "\">\n");
		markdown_html(out, json_string_value(json_object_get(value, lang_codes[lang])));
		buf_adds(out, "</div>\n");
		return;
	case KF_STRING:
	case KF_CHOICE:
	case KF_REF:
		render_text(out, "p", f->name, text);
		return;
	case KF_REFS:
	case KF_NAMES: {
		buf_adds(out, "<ul class=\"kb-field\" data-field=\"");
		html_attr(out, f->name);
		buf_adds(out, "\">\n");
		size_t i;
		json_t *v;
		json_array_foreach(value, i, v)
		{
			buf_adds(out, "<li>");
			html_text(out, json_string_value(v));
			buf_adds(out, "</li>\n");
		}
		buf_adds(out, "</ul>\n");
		return;
	}
	}
}

void knowledge_render_html(struct buf *out, enum kb_kind kind, const json_t *content,
                           enum kb_lang lang)
{
	buf_addf(out, "<article class=\"kb-item kb-%s\" lang=\"%s\" data-slug=\"",
	         kb_kind_name(kind), lang_codes[lang]);
	html_attr(out, json_string_value(json_object_get(content, "slug")));
	buf_adds(out, "\">\n");
	for (const struct kb_field *f = kb_fields(kind); f->name; f++) {
		json_t *v = json_object_get(content, f->name);
		if (v)
			render_field(out, f, v, lang);
	}
	buf_adds(out, "</article>\n");
}

/* ---- the store ---- */

void kb_now(char out[KB_TIME_SIZE])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, KB_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char item_lookup_sql[] =
    "SELECT id, status, latest_version, published_version FROM kb_items "
    "WHERE kind = ? AND slug = ?";

int kb_item_lookup(struct store *s, enum kb_kind kind, const char *slug, struct kb_item *item,
                   bool *found, struct err *e)
{
	struct stmt *st;
	memset(item, 0, sizeof(*item));
	*found = false;
	if (!slug || strlen(slug) > KB_SLUG_MAX)
		return 0;
	if (store_prepare(s, item_lookup_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, kb_kind_name(kind));
	stmt_bind_text(st, 2, slug);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		*found = true;
		item->id = stmt_int64(st, 0);
		item->kind = kind;
		snprintf(item->slug, sizeof(item->slug), "%s", slug);
		item->published = strcmp(stmt_text(st, 1), "published") == 0;
		item->latest_version = (int)stmt_int64(st, 2);
		item->published_version = stmt_is_null(st, 3) ? 0 : (int)stmt_int64(st, 3);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int kb_item_find(struct store *s, enum kb_kind kind, const char *slug, struct kb_item *item,
                 struct err *e)
{
	bool found;
	if (kb_item_lookup(s, kind, slug, item, &found, e) < 0)
		return -1;
	if (!found)
		return err_set(e, ERR_NOTFOUND, "no %s '%s'", kb_kind_name(kind), slug ? slug : "");
	return 0;
}

static const char version_content_sql[] =
    "SELECT content FROM kb_versions WHERE item_id = ? AND version = ?";

int kb_version_content(struct store *s, const struct kb_item *item, int version, json_t **out,
                       struct err *e)
{
	struct stmt *st;
	*out = NULL;
	if (store_prepare(s, version_content_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, item->id);
	stmt_bind_int64(st, 2, version);
	int rc = stmt_step(st, e);
	if (rc == STORE_DONE) {
		rc = err_set(e, ERR_NOTFOUND, "%s '%s' has no version %d", kb_kind_name(item->kind),
		             item->slug, version);
	} else if (rc == STORE_ROW) {
		json_error_t je;
		*out = json_loads(stmt_text(st, 0), 0, &je);
		if (!*out)
			rc = err_set(e, ERR_INTERNAL,
			             "%s '%s', version %d: stored content is not JSON: %s",
			             kb_kind_name(item->kind), item->slug, version, je.text);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static const char target_group_id_sql[] = "SELECT id FROM kb_target_groups WHERE slug = ?";

int kb_target_group_id(struct store *s, const char *slug, int64_t *id, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, target_group_id_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, slug);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	else if (rc == STORE_DONE)
		rc = err_set(e, ERR_NOTFOUND, "no target group '%s'", slug);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static const char list_sql[] =
    "SELECT i.kind, i.slug, i.status, i.latest_version, i.published_version, v.content,"
    " i.updated_at"
    " FROM kb_items i JOIN kb_versions v ON v.item_id = i.id AND v.version = i.latest_version"
    " WHERE (CAST(? AS TEXT) = '' OR i.kind = CAST(? AS TEXT))"
    " AND (CAST(? AS TEXT) = '' OR i.status = CAST(? AS TEXT))"
    " ORDER BY CASE i.kind WHEN 'theme' THEN 0 WHEN 'action' THEN 1 WHEN 'practice' THEN 2"
    " ELSE 3 END, i.id";

int knowledge_list(struct store *s, const struct kb_list_filter *filter, json_t **out,
                   struct err *e)
{
	const char *kind = filter && filter->kind ? filter->kind : "";
	const char *status = filter && filter->status ? filter->status : "";
	enum kb_kind k;
	if (*kind && kb_kind_parse(kind, &k, e) < 0)
		return -1;
	if (*status && strcmp(status, "draft") != 0 && strcmp(status, "published") != 0)
		return err_set(e, ERR_INVALID, "'%s' is not a status (draft, published)", status);
	struct stmt *st;
	if (store_prepare(s, list_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, kind);
	stmt_bind_text(st, 2, kind);
	stmt_bind_text(st, 3, status);
	stmt_bind_text(st, 4, status);
	json_t *list = json_array();
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		enum kb_kind rk;
		kb_kind_parse(stmt_text(st, 0), &rk, NULL);
		json_t *content = json_loads(stmt_text(st, 5), 0, NULL);
		json_t *row = json_pack(
		    "{s:s, s:s, s:s, s:i, s:o, s:s, s:s}", "kind", stmt_text(st, 0), "slug",
		    stmt_text(st, 1), "status", stmt_text(st, 2), "latest_version",
		    (int)stmt_int64(st, 3), "published_version",
		    stmt_is_null(st, 4) ? json_null() : json_integer(stmt_int64(st, 4)), "title",
		    kb_content_title(rk, content, KB_NL), "updated_at", stmt_text(st, 6));
		json_decref(content);
		json_array_append_new(list, row);
	}
	stmt_free(st);
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	*out = list;
	return 0;
}

static const char attachments_sql[] =
    "SELECT file_name, media_type, size, sha256, author, created_at FROM kb_attachments"
    " WHERE item_id = ? ORDER BY file_name";

static int item_attachments(struct store *s, int64_t item_id, json_t **out, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, attachments_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, item_id);
	json_t *list = json_array();
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "file_name", stmt_text(st, 0),
		                    "media_type", stmt_text(st, 1), "size",
		                    (json_int_t)stmt_int64(st, 2), "sha256", stmt_text(st, 3),
		                    "author", stmt_text(st, 4), "created_at", stmt_text(st, 5)));
	stmt_free(st);
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	*out = list;
	return 0;
}

int knowledge_show(struct store *s, enum kb_kind kind, const char *slug, int version, json_t **out,
                   struct err *e)
{
	struct kb_item item;
	json_t *content = NULL, *attachments = NULL;
	if (kb_item_find(s, kind, slug, &item, e) < 0)
		return -1;
	if (version < 0) {
		if (!item.published_version)
			return err_set(e, ERR_NOTFOUND, "%s '%s' has not been published",
			               kb_kind_name(kind), slug);
		version = item.published_version;
	} else if (version == 0) {
		version = item.latest_version;
	}
	if (kb_version_content(s, &item, version, &content, e) < 0)
		return -1;
	if (item_attachments(s, item.id, &attachments, e) < 0) {
		json_decref(content);
		return -1;
	}
	*out =
	    json_pack("{s:s, s:s, s:s, s:i, s:o, s:i, s:o, s:o}", "kind", kb_kind_name(kind),
	              "slug", item.slug, "status", item.published ? "published" : "draft",
	              "latest_version", item.latest_version, "published_version",
	              item.published_version ? json_integer(item.published_version) : json_null(),
	              "version", version, "content", content, "attachments", attachments);
	return 0;
}

int knowledge_published(struct store *s, enum kb_kind kind, const char *slug, json_t **out,
                        struct err *e)
{
	struct kb_item item;
	if (kb_item_find(s, kind, slug, &item, e) < 0)
		return -1;
	if (!item.published_version)
		return err_set(e, ERR_NOTFOUND, "%s '%s' has not been published",
		               kb_kind_name(kind), slug);
	return kb_version_content(s, &item, item.published_version, out, e);
}

static const char target_groups_sql[] =
    "SELECT slug, name_nl, name_en FROM kb_target_groups ORDER BY slug";

int knowledge_target_groups(struct store *s, json_t **out, struct err *e)
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
	if (rc < 0) {
		json_decref(list);
		return -1;
	}
	*out = list;
	return 0;
}
