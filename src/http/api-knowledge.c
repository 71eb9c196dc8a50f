/*
 * The knowledge platform's published content as JSON, public (no token): themes with their
 * actions, practices, frequently asked questions, and search. Texts that differ per language
 * are objects {"nl": …, "en": …}, body texts Markdown, as in the bundle (docs/knowledge.md);
 * search hits carry HTML that is escaped and marked. Drafts and history are not shown here.
 */
#include "http/api.h"
#include "knowledge/knowledge.h"
#include "knowledge/search.h"

#include <string.h>

/* The published content (knowledge_export); on failure the error is answered. */
static json_t *published_bundle(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	json_t *bundle = NULL;
	if (knowledge_export(rq->store, &bundle, &e) < 0) {
		resp_fail(rs, &e);
		return NULL;
	}
	return bundle;
}

static json_t *find_slug(const json_t *array, const char *slug)
{
	size_t i;
	json_t *item;
	json_array_foreach(array, i, item)
	{
		const char *s = json_string_value(json_object_get(item, "slug"));
		if (s && slug && strcmp(s, slug) == 0)
			return item;
	}
	return NULL;
}

static bool list_has(const json_t *list, const char *value)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), value) == 0)
			return true;
	}
	return false;
}

/* A filter value naming a theme or target group that does not exist is a 404, not an empty
 * list, so that a typo shows. */
static bool unknown_filter(struct resp *rs, const json_t *known, const char *what, const char *slug)
{
	if (!slug || find_slug(known, slug))
		return false;
	resp_error(rs, 404, "not_found", "no published %s '%.80s'", what, slug);
	return true;
}

/*
 * GET /api/v1/knowledge/themes
 *
 * The published themes in their order: {"count", "themes": [{slug, order, title, summary,
 * "actions": [{slug, title}]}]}. The full texts are under /themes/{slug}.
 */
void api_knowledge_themes(struct req *rq, struct resp *rs)
{
	json_t *bundle = published_bundle(rq, rs);
	if (!bundle)
		return;
	json_t *list = json_array();
	size_t i, j;
	json_t *theme, *action;
	json_array_foreach(json_object_get(bundle, "themes"), i, theme)
	{
		json_t *actions = json_array();
		json_array_foreach(json_object_get(theme, "actions"), j, action)
		    json_array_append_new(
		        actions, json_pack("{s:O, s:O}", "slug", json_object_get(action, "slug"),
		                           "title", json_object_get(action, "title")));
		json_array_append_new(list, json_pack("{s:O, s:O, s:O, s:O, s:o}", "slug",
		                                      json_object_get(theme, "slug"), "order",
		                                      json_object_get(theme, "order"), "title",
		                                      json_object_get(theme, "title"), "summary",
		                                      json_object_get(theme, "summary"), "actions",
		                                      actions));
	}
	resp_json(
	    rs, 200,
	    json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(list), "themes", list));
	json_decref(bundle);
}

/*
 * GET /api/v1/knowledge/themes/{slug}
 *
 * One published theme with all its texts and actions, the practices linked to it
 * ("practices": [{slug, kind, name}]) and its questions ("faqs"). 404 when it does not exist
 * or is not published.
 */
void api_knowledge_theme(struct req *rq, struct resp *rs)
{
	json_t *bundle = published_bundle(rq, rs);
	if (!bundle)
		return;
	const char *slug = req_param(rq, "slug");
	json_t *theme = find_slug(json_object_get(bundle, "themes"), slug);
	if (!theme) {
		resp_error(rs, 404, "not_found", "no published theme '%.80s'", slug);
		json_decref(bundle);
		return;
	}
	json_t *out = json_deep_copy(theme);
	json_t *practices = json_array(), *faqs = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(bundle, "practices"), i, item)
	{
		if (list_has(json_object_get(item, "themes"), slug))
			json_array_append_new(practices,
			                      json_pack("{s:O, s:O, s:O}", "slug",
			                                json_object_get(item, "slug"), "kind",
			                                json_object_get(item, "kind"), "name",
			                                json_object_get(item, "name")));
	}
	json_array_foreach(json_object_get(bundle, "faqs"), i, item)
	{
		const char *t = json_string_value(json_object_get(item, "theme"));
		if (t && strcmp(t, slug) == 0)
			json_array_append(faqs, item);
	}
	json_object_set_new(out, "practices", practices);
	json_object_set_new(out, "faqs", faqs);
	resp_json(rs, 200, out);
	json_decref(bundle);
}

/*
 * GET /api/v1/knowledge/practices[?theme=SLUG][&target_group=SLUG]
 *
 * The published practices and pilots, whole: {"count", "practices": […]}, optionally only
 * those linked to a theme or meant for a target group (404 for one that does not exist).
 */
void api_knowledge_practices(struct req *rq, struct resp *rs)
{
	json_t *bundle = published_bundle(rq, rs);
	if (!bundle)
		return;
	const char *theme = req_query(rq, "theme"), *group = req_query(rq, "target_group");
	if (unknown_filter(rs, json_object_get(bundle, "themes"), "theme", theme) ||
	    unknown_filter(rs, json_object_get(bundle, "target_groups"), "target group", group)) {
		json_decref(bundle);
		return;
	}
	json_t *list = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(bundle, "practices"), i, item)
	{
		if (theme && !list_has(json_object_get(item, "themes"), theme))
			continue;
		if (group && !list_has(json_object_get(item, "target_groups"), group))
			continue;
		json_array_append(list, item);
	}
	resp_json(
	    rs, 200,
	    json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(list), "practices", list));
	json_decref(bundle);
}

/*
 * GET /api/v1/knowledge/practices/{slug}
 *
 * One published practice or pilot; 404 when it does not exist or is not published.
 */
void api_knowledge_practice(struct req *rq, struct resp *rs)
{
	json_t *bundle = published_bundle(rq, rs);
	if (!bundle)
		return;
	const char *slug = req_param(rq, "slug");
	json_t *practice = find_slug(json_object_get(bundle, "practices"), slug);
	if (practice)
		resp_json(rs, 200, json_incref(practice));
	else
		resp_error(rs, 404, "not_found", "no published practice '%.80s'", slug);
	json_decref(bundle);
}

/*
 * GET /api/v1/knowledge/faqs[?theme=SLUG]
 *
 * The published questions with their answers, by theme and place: {"count", "faqs": […]};
 * with theme= those of one theme (404 for a theme that does not exist).
 */
void api_knowledge_faqs(struct req *rq, struct resp *rs)
{
	json_t *bundle = published_bundle(rq, rs);
	if (!bundle)
		return;
	const char *theme = req_query(rq, "theme");
	if (unknown_filter(rs, json_object_get(bundle, "themes"), "theme", theme)) {
		json_decref(bundle);
		return;
	}
	json_t *list = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(bundle, "faqs"), i, item)
	{
		const char *t = json_string_value(json_object_get(item, "theme"));
		if (!theme || (t && strcmp(t, theme) == 0))
			json_array_append(list, item);
	}
	resp_json(
	    rs, 200,
	    json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(list), "faqs", list));
	json_decref(bundle);
}

/* An empty query parameter counts as absent. */
static const char *query_or_null(const struct req *rq, const char *name)
{
	const char *v = req_query(rq, name);
	return v && *v ? v : NULL;
}

/*
 * GET /api/v1/knowledge/search?q=WORDS[&theme=SLUG][&target_group=SLUG][&region=TEXT]
 *                               [&kind=KIND][&lang=nl|en][&limit=N][&offset=N]
 *
 * Full-text search over the published content (knowledge/search.h), best first:
 * {"query", "lang", "total", "hits": [{kind, slug, theme, title, title_html, snippet_html,
 * score}]}. 400 for a query without a word or a bad parameter, 404 for a theme or target
 * group that does not exist.
 */
void api_knowledge_search(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	struct search_query q = {.text = req_query(rq, "q"),
	                         .theme = query_or_null(rq, "theme"),
	                         .target_group = query_or_null(rq, "target_group"),
	                         .region = query_or_null(rq, "region"),
	                         .kind = query_or_null(rq, "kind")};
	const char *lang = query_or_null(rq, "lang");
	int64_t limit, offset;
	if (!q.text)
		err_set(&e, ERR_INVALID, "query parameter q (the words to search for) is missing");
	else if (lang && kb_lang_parse(lang, &q.lang, &e) < 0)
		err_prefix(&e, "query parameter lang");
	else if (req_query_int64(rq, "limit", SEARCH_DEFAULT_LIMIT, 1, SEARCH_MAX_LIMIT, &limit,
	                         &e) == 0 &&
	         req_query_int64(rq, "offset", 0, 0, 100000, &offset, &e) == 0) {
		q.limit = (int)limit;
		q.offset = (int)offset;
	}
	struct search_result r = {0};
	if (e.code != ERR_NONE || knowledge_search(rq->store, &q, &r, &e) < 0) {
		resp_fail(rs, &e);
		search_result_release(&r);
		return;
	}
	json_t *out = search_result_json(&r);
	json_object_set_new(out, "query", json_string(q.text));
	json_object_set_new(out, "lang", json_string(kb_lang_code(q.lang)));
	resp_json(rs, 200, out);
	search_result_release(&r);
}
