/*
 * GET /api/v1/knowledge/… on a store seeded with the starting content: public without a
 * token, the themes in order, one theme with its practices and questions, practices and
 * questions with their filters, search with its parameters, 404 for what does not exist.
 */
#include "apitest.h"

#include "knowledge/knowledge.h"

static int setup(void **state)
{
	api_setup(state);
	struct err e = ERR_INIT;
	int loaded = 0;
	if (knowledge_seed(ts.store, &loaded, &e) < 0)
		fail_msg("knowledge_seed: %s", e.msg);
	return 0;
}

/* GET without a token: the knowledge API is public. */
static json_t *get_public(const char *path, const struct http_kv *q, size_t n, int status)
{
	struct req rq;
	struct resp rs;
	make_req(&rq, "GET", path, NULL);
	rq.query = q;
	rq.nquery = n;
	json_t *j = call(&rq, &rs);
	if (rs.status != status)
		fail_msg("GET %s: expected %d, got %d: %s", path, status, rs.status, rs.body.data);
	assert_string_equal(resp_header_get(&rs, "Cache-Control"), "no-store");
	resp_release(&rs);
	return j;
}

static void test_api_knowledge__themes_in_order(void **state)
{
	(void)state;
	json_t *j = get_public("/api/v1/knowledge/themes", NULL, 0, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 10);
	json_t *themes = json_object_get(j, "themes");
	assert_int_equal(json_array_size(themes), 10);
	json_t *first = json_array_get(themes, 0);
	assert_string_equal(json_string_value(json_object_get(first, "slug")),
	                    "spreiding-onderwijsaanbod");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(first, "title"), "en")),
	    "Spread of the school offer as pupil numbers fall");
	assert_true(json_array_size(json_object_get(first, "actions")) > 0);
	for (size_t i = 1; i < json_array_size(themes); i++)
		assert_true(
		    json_integer_value(json_object_get(json_array_get(themes, i), "order")) >
		    json_integer_value(json_object_get(json_array_get(themes, i - 1), "order")));
	json_decref(j);
}

static void test_api_knowledge__one_theme(void **state)
{
	(void)state;
	json_t *j = get_public("/api/v1/knowledge/themes/uitstroom-pro-vso-entree", NULL, 0, 200);
	assert_non_null(json_object_get(j, "stake"));
	assert_true(json_array_size(json_object_get(j, "actions")) > 0);
	json_t *practices = json_object_get(j, "practices");
	assert_true(json_array_size(practices) > 0);
	size_t i;
	json_t *p;
	int boris = 0;
	json_array_foreach(practices, i, p)
	{
		if (strcmp(json_string_value(json_object_get(p, "slug")),
		           "boris-brengt-je-bij-n-baan") == 0)
			boris = 1;
	}
	assert_true(boris);
	json_t *faq;
	json_array_foreach(json_object_get(j, "faqs"), i, faq) assert_string_equal(
	    json_string_value(json_object_get(faq, "theme")), "uitstroom-pro-vso-entree");
	json_decref(j);
	j = get_public("/api/v1/knowledge/themes/bestaat-niet", NULL, 0, 404);
	json_decref(j);
}

static void test_api_knowledge__practices_and_filters(void **state)
{
	(void)state;
	json_t *all = get_public("/api/v1/knowledge/practices", NULL, 0, 200);
	json_int_t n = json_integer_value(json_object_get(all, "count"));
	assert_true(n >= 12);
	json_decref(all);

	struct http_kv vso = {"target_group", "vso"};
	json_t *j = get_public("/api/v1/knowledge/practices", &vso, 1, 200);
	assert_true(json_integer_value(json_object_get(j, "count")) > 0);
	assert_true(json_integer_value(json_object_get(j, "count")) < n);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(j, "practices"), i, p)
	{
		json_t *groups = json_object_get(p, "target_groups");
		int has = 0;
		for (size_t g = 0; g < json_array_size(groups); g++)
			has |= strcmp(json_string_value(json_array_get(groups, g)), "vso") == 0;
		assert_true(has);
	}
	json_decref(j);

	struct http_kv bad = {"theme", "bestaat-niet"};
	json_decref(get_public("/api/v1/knowledge/practices", &bad, 1, 404));
	json_decref(get_public("/api/v1/knowledge/faqs", &bad, 1, 404));

	j = get_public("/api/v1/knowledge/practices/boris-brengt-je-bij-n-baan", NULL, 0, 200);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "pilot");
	json_decref(j);
	json_decref(get_public("/api/v1/knowledge/practices/bestaat-niet", NULL, 0, 404));

	struct http_kv theme = {"theme", "verzuim-en-uitval"};
	j = get_public("/api/v1/knowledge/faqs", &theme, 1, 200);
	assert_true(json_integer_value(json_object_get(j, "count")) > 0);
	json_t *faq;
	json_array_foreach(json_object_get(j, "faqs"), i, faq) assert_string_equal(
	    json_string_value(json_object_get(faq, "theme")), "verzuim-en-uitval");
	json_decref(j);
}

static void test_api_knowledge__search(void **state)
{
	(void)state;
	struct http_kv q[] = {{"q", "internship"}, {"lang", "en"}, {"limit", "5"}};
	json_t *j = get_public("/api/v1/knowledge/search", q, 3, 200);
	assert_string_equal(json_string_value(json_object_get(j, "lang")), "en");
	assert_true(json_integer_value(json_object_get(j, "total")) > 0);
	json_t *hits = json_object_get(j, "hits");
	assert_true(json_array_size(hits) > 0 && json_array_size(hits) <= 5);
	json_t *best = json_array_get(hits, 0);
	const char *title = json_string_value(json_object_get(best, "title_html"));
	const char *snippet = json_string_value(json_object_get(best, "snippet_html"));
	assert_true(strstr(title, "<mark>") || strstr(snippet, "<mark>"));
	json_decref(j);

	struct http_kv none[] = {{"lang", "nl"}};
	json_decref(get_public("/api/v1/knowledge/search", none, 1, 400));
	struct http_kv badlang[] = {{"q", "stage"}, {"lang", "de"}};
	json_decref(get_public("/api/v1/knowledge/search", badlang, 2, 400));
	struct http_kv badlimit[] = {{"q", "stage"}, {"limit", "0"}};
	json_decref(get_public("/api/v1/knowledge/search", badlimit, 2, 400));
	struct http_kv unknown[] = {{"q", "stage"}, {"sort", "x"}};
	json_decref(get_public("/api/v1/knowledge/search", unknown, 2, 400));
	struct http_kv nogroup[] = {{"q", "stage"}, {"target_group", "bestaat-niet"}};
	json_decref(get_public("/api/v1/knowledge/search", nogroup, 2, 404));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_api_knowledge__themes_in_order),
	    cmocka_unit_test(test_api_knowledge__one_theme),
	    cmocka_unit_test(test_api_knowledge__practices_and_filters),
	    cmocka_unit_test(test_api_knowledge__search),
	};
	return cmocka_run_group_tests(tests, setup, api_teardown);
}
