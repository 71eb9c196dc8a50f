/*
 * Tests of knowledge search: words to terms (folding, Dutch and English stemming), highlighted
 * snippets, and searches on the store — ranking, filters, languages, drafts kept out.
 */
#include "kbtest.h"

#include "knowledge/search.h"

/* The terms of `text` (owned by the caller). */
static char *terms_of(const char *text, enum kb_lang lang)
{
	struct buf b = BUF_INIT;
	search_terms(&b, text, lang);
	return buf_detach(&b, NULL);
}

static void test_search__word_forms_meet(void **state)
{
	(void)state;
	static const struct {
		enum kb_lang lang;
		const char *a, *b;
	} same[] = {
	    {KB_NL, "stages", "stage"},
	    {KB_NL, "scholen", "school"},
	    {KB_NL, "coördinatie", "coordinatie"},
	    {KB_NL, "COÖRDINATIE", "coördinatie"},
	    {KB_NL, "stageplaatsen", "stageplaats"},
	    {KB_NL, "regio's", "regio"},
	    {KB_NL, "regio’s", "regio"},
	    {KB_NL, "werkgevers", "werkgever"},
	    {KB_NL, "jongeren", "jongere"},
	    {KB_NL, "processen", "proces"},
	    {KB_NL, "Één", "een"},
	    {KB_EN, "schools", "school"},
	    {KB_EN, "internships", "internship"},
	    {KB_EN, "stages", "stage"},
	    {KB_EN, "Coördination", "coordination"},
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *a = terms_of(same[i].a, same[i].lang), *b = terms_of(same[i].b, same[i].lang);
		if (strcmp(a, b) != 0 || !*a)
			fail_msg("%s: '%s' gives '%s' but '%s' gives '%s'",
			         kb_lang_code(same[i].lang), same[i].a, a, same[i].b, b);
		free(a);
		free(b);
	}
	char *school = terms_of("school", KB_NL), *stage = terms_of("stage", KB_NL);
	assert_string_not_equal(school, stage);
	free(school);
	free(stage);
}

static void test_search__words(void **state)
{
	(void)state;
	static const char text[] = "vmbo-mbo, (PrO) en regio’s! Coördinatie 2024 ’n baan";
	static const char *const words[] = {"vmbo",        "mbo",  "PrO", "en",   "regio",
	                                    "Coördinatie", "2024", "n",   "baan", NULL};
	size_t pos = 0, start, end, i = 0;
	while (search_next_word(text, &pos, &start, &end)) {
		if (!words[i])
			fail_msg("an extra word '%.*s'", (int)(end - start), text + start);
		if (strlen(words[i]) != end - start || strncmp(text + start, words[i], end - start))
			fail_msg("word %zu: expected '%s', got '%.*s'", i, words[i],
			         (int)(end - start), text + start);
		i++;
	}
	assert_null(words[i]);
	char *t = terms_of("De stageplaatsen in de regio’s", KB_NL);
	assert_string_equal(t, "de stageplat in de regio");
	free(t);
}

static void test_search__highlight_escapes_and_marks(void **state)
{
	(void)state;
	char *terms[] = {"stag"};
	bool prefix[] = {true};
	struct buf out = BUF_INIT;
	search_highlight(&out, "<b>Stages</b> & stageplekken \"hier\"", KB_NL, terms, prefix, 1, 0);
	assert_string_equal(out.data, "&lt;b&gt;<mark>Stages</mark>&lt;/b&gt; &amp; "
	                              "<mark>stageplekken</mark> \"hier\"");
	assert_safe_html(out.data, "highlight");
	buf_release(&out);
}

static void test_search__snippet_is_a_window_around_the_match(void **state)
{
	(void)state;
	struct buf text = BUF_INIT, out = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_addf(&text, "%s ", i == 120 ? "jeugdhulp." : "woord");
	char *terms[] = {"jeugdhulp"};
	bool prefix[] = {true};
	search_highlight(&out, text.data, KB_NL, terms, prefix, 1, 30);
	if (strncmp(out.data, "… ", strlen("… ")) != 0 || !strstr(out.data, " …") ||
	    !strstr(out.data, "<mark>jeugdhulp</mark>."))
		fail_msg("expected a cut window around the match, got: %s", out.data);
	int words = 0;
	for (const char *p = out.data; (p = strstr(p, "woord")); p++)
		words++;
	assert_int_equal(words, 29);
	buf_release(&text);
	buf_release(&out);
}

/* ---- on the store ---- */

struct query {
	const char *text, *lang, *theme, *group, *region, *kind;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Run a search and give the slugs of the hits, comma-separated, best first or (`sorted`) by
 * name, for hits whose order the back ends may rank differently. Owned by the caller.
 */
static char *slugs(struct store *s, struct query q, bool sorted)
{
	struct search_query sq = {.text = q.text,
	                          .theme = q.theme,
	                          .target_group = q.group,
	                          .region = q.region,
	                          .kind = q.kind};
	struct err e = ERR_INIT;
	struct search_result r;
	sq.lang = q.lang && strcmp(q.lang, "en") == 0 ? KB_EN : KB_NL;
	assert_ok(knowledge_search(s, &sq, &r, &e), &e);
	struct buf b = BUF_INIT;
	char **names = xcalloc(r.n + 1, sizeof(char *));
	for (size_t i = 0; i < r.n; i++) {
		names[i] = r.hits[i].slug;
		assert_safe_html(r.hits[i].title_html, "title");
		assert_safe_html(r.hits[i].snippet_html, "snippet");
	}
	if (sorted)
		qsort(names, r.n, sizeof(char *), by_name);
	for (size_t i = 0; i < r.n; i++)
		buf_addf(&b, "%s%s", i ? "," : "", names[i]);
	free(names);
	search_result_release(&r);
	return buf_detach(&b, NULL);
}

/* The hits, in any order (`expected` sorted by name). */
#define EXPECT_HITS(s, expected, ...) EXPECT_((s), (expected), true, __VA_ARGS__)
/* The hits, best first. */
#define EXPECT_RANKED(s, expected, ...) EXPECT_((s), (expected), false, __VA_ARGS__)

#define EXPECT_(s, expected, sorted, ...)                                                          \
	do {                                                                                       \
		char *got_ = slugs((s), (struct query){__VA_ARGS__}, (sorted));                    \
		if (strcmp(got_, (expected)) != 0)                                                 \
			fail_msg("search %s: expected [%s], got [%s]", #__VA_ARGS__, (expected),   \
			         got_);                                                            \
		free(got_);                                                                        \
	} while (0)

static void test_search__title_ranks_above_body(void **state)
{
	(void)state;
	struct test_store ts;
	test_store_open(&ts);
	kbtest_import_fixture(ts.store, true);
	/* Both practices have "stage" once and are as long; only one has it in its name. */
	EXPECT_RANKED(ts.store, "stage-in-titel,stage-in-tekst", .text = "stage",
	              .kind = "practice");
	EXPECT_RANKED(ts.store, "stage-in-titel,stage-in-tekst", .text = "internship", .lang = "en",
	              .kind = "practice");
	/* The theme with "stage" in its title comes before the practice with it in its body. */
	char *all = slugs(ts.store, (struct query){.text = "stage"}, false);
	assert_true(strstr(all, "werk-en-stage") < strstr(all, "stage-in-tekst"));
	free(all);
	test_store_close(&ts);
}

static void test_search__stems_and_folds(void **state)
{
	(void)state;
	struct test_store ts;
	test_store_open(&ts);
	kbtest_import_fixture(ts.store, true);
	EXPECT_HITS(ts.store, "stage-in-tekst,stage-in-titel", .text = "stages",
	            .kind = "practice");
	/* "scholen" finds "school" in four items and "scholen" in two. */
	EXPECT_HITS(ts.store,
	            "coordinatiepunt,mag-een-school-zelf-jeugdhulp-inkopen,regionale-pool,"
	            "werk-en-stage,zorg-op-school",
	            .text = "scholen");
	EXPECT_HITS(ts.store,
	            "coordinatiepunt,mag-een-school-zelf-jeugdhulp-inkopen,regionale-pool,"
	            "werk-en-stage,zorg-op-school",
	            .text = "schools", .lang = "en");
	EXPECT_HITS(ts.store, "coordinatiepunt", .text = "coordinatie");
	EXPECT_HITS(ts.store, "coordinatiepunt", .text = "COÖRDINATIEPUNT");
	EXPECT_HITS(ts.store, "coordinatiepunt", .text = "coordination", .lang = "en");
	/* A longer term also finds the compounds it begins. */
	EXPECT_HITS(ts.store, "coordinatiepunt", .text = "coördinatie", .kind = "practice");
	/* Stop words do not narrow a search; alone they are searched for. */
	EXPECT_HITS(ts.store, "stage-in-tekst,stage-in-titel", .text = "de stage",
	            .kind = "practice");
	EXPECT_HITS(ts.store, "stage-in-tekst,stage-in-titel", .text = "bij de",
	            .kind = "practice");
	test_store_close(&ts);
}

static void test_search__filters(void **state)
{
	(void)state;
	struct test_store ts;
	test_store_open(&ts);
	kbtest_import_fixture(ts.store, true);
	EXPECT_HITS(ts.store,
	            "mag-een-school-zelf-jeugdhulp-inkopen,stage-in-tekst,stage-in-titel,"
	            "werk-en-stage,zorg-op-school",
	            .text = "gemeente");
	EXPECT_HITS(ts.store, "stage-in-tekst,stage-in-titel,werk-en-stage", .text = "gemeente",
	            .theme = "werk-en-stage");
	EXPECT_HITS(ts.store, "mag-een-school-zelf-jeugdhulp-inkopen,zorg-op-school",
	            .text = "gemeente", .theme = "zorg-op-school");
	EXPECT_HITS(ts.store, "stage-in-tekst", .text = "gemeente", .group = "vso");
	EXPECT_HITS(ts.store, "stage-in-titel", .text = "gemeente", .group = "pro");
	EXPECT_HITS(ts.store, "stage-in-titel", .text = "gemeente", .region = "twente");
	EXPECT_HITS(ts.store, "stage-in-tekst", .text = "gemeente", .region = "HAAGLANDEN");
	EXPECT_HITS(ts.store, "stage-in-tekst", .text = "gemeente", .kind = "pilot");
	EXPECT_HITS(ts.store, "mag-een-school-zelf-jeugdhulp-inkopen", .text = "gemeente",
	            .kind = "faq");
	EXPECT_HITS(ts.store, "jobcoach,wie-betaalt-de-jobcoach", .text = "jobcoach");
	EXPECT_HITS(ts.store, "wie-betaalt-de-jobcoach", .text = "jobcoach", .kind = "faq");
	EXPECT_HITS(ts.store, "jobcoach", .text = "jobcoach", .kind = "action");
	/* Each language is searched on its own. */
	EXPECT_HITS(ts.store, "", .text = "municipality");
	EXPECT_HITS(ts.store, "", .text = "leerlingen", .lang = "en");
	/* Names of partners are the same in both languages. */
	EXPECT_HITS(ts.store, "stage-in-tekst,stage-in-titel", .text = "gemeente", .lang = "en");
	test_store_close(&ts);
}

static void test_search__limit_offset_and_total(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct search_result r;
	test_store_open(&ts);
	kbtest_import_fixture(ts.store, true);
	struct search_query q = {.text = "gemeente", .lang = KB_NL, .limit = 2};
	assert_ok(knowledge_search(ts.store, &q, &r, &e), &e);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.total, 5);
	assert_true(r.hits[0].score >= r.hits[1].score);
	search_result_release(&r);
	q.offset = 4;
	assert_ok(knowledge_search(ts.store, &q, &r, &e), &e);
	assert_int_equal(r.n, 1);
	search_result_release(&r);
	q.offset = 0;
	q.kind = "faq";
	assert_ok(knowledge_search(ts.store, &q, &r, &e), &e);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.hits[0].slug, "mag-een-school-zelf-jeugdhulp-inkopen");
	assert_string_equal(r.hits[0].theme, "zorg-op-school");
	assert_string_equal(r.hits[0].kind, "faq");
	assert_non_null(strstr(r.hits[0].snippet_html, "<mark>gemeente</mark>"));
	json_t *j = search_result_json(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	search_result_release(&r);
	test_store_close(&ts);
}

static void test_search__bad_queries(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct search_result r;
	test_store_open(&ts);
	kbtest_import_fixture(ts.store, true);
	static const struct {
		struct search_query q;
		enum err_code code;
		const char *says;
	} cases[] = {
	    {{.text = "", .lang = KB_NL}, ERR_INVALID, "at least one word"},
	    {{.text = " - !", .lang = KB_NL}, ERR_INVALID, "at least one word"},
	    {{.text = "a b c d e f g h i j k l m n o p q", .lang = KB_NL},
	     ERR_INVALID,
	     "at most 16"},
	    {{.text = "stage", .lang = KB_NL, .theme = "geen-thema"},
	     ERR_NOTFOUND,
	     "no theme 'geen-thema'"},
	    {{.text = "stage", .lang = KB_NL, .target_group = "mbo"},
	     ERR_NOTFOUND,
	     "no target group 'mbo'"},
	    {{.text = "stage", .lang = KB_NL, .kind = "forum"}, ERR_INVALID, "'forum'"},
	    {{.text = "stage", .lang = KB_NL, .limit = 1000}, ERR_INVALID, "results"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		assert_int_equal(knowledge_search(ts.store, &cases[i].q, &r, &e), -1);
		assert_int_equal(e.code, cases[i].code);
		if (!strstr(e.msg, cases[i].says))
			fail_msg("case %zu: expected '%s' in '%s'", i, cases[i].says, e.msg);
	}
	test_store_close(&ts);
}

static void test_search__only_published_content(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	kbtest_import_fixture(ts.store, false);
	EXPECT_HITS(ts.store, "", .text = "stage");
	assert_ok(
	    knowledge_publish(ts.store, &kbtest_editor, KB_PRACTICE, "stage-in-tekst", NULL, &e),
	    &e);
	EXPECT_HITS(ts.store, "stage-in-tekst", .text = "stage");
	/* A new draft does not change what is found until it is published. */
	assert_ok(knowledge_edit(ts.store, &kbtest_editor, KB_PRACTICE, "stage-in-tekst", "what",
	                         "nl", "Leerlingen werken mee in de bibliotheek.", NULL, NULL, &e),
	          &e);
	EXPECT_HITS(ts.store, "stage-in-tekst", .text = "stage");
	EXPECT_HITS(ts.store, "", .text = "bibliotheek");
	assert_ok(
	    knowledge_publish(ts.store, &kbtest_editor, KB_PRACTICE, "stage-in-tekst", NULL, &e),
	    &e);
	EXPECT_HITS(ts.store, "", .text = "stage");
	EXPECT_HITS(ts.store, "stage-in-tekst", .text = "bibliotheek");
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_search__word_forms_meet),
	    cmocka_unit_test(test_search__words),
	    cmocka_unit_test(test_search__highlight_escapes_and_marks),
	    cmocka_unit_test(test_search__snippet_is_a_window_around_the_match),
	    cmocka_unit_test(test_search__title_ranks_above_body),
	    cmocka_unit_test(test_search__stems_and_folds),
	    cmocka_unit_test(test_search__filters),
	    cmocka_unit_test(test_search__limit_offset_and_total),
	    cmocka_unit_test(test_search__bad_queries),
	    cmocka_unit_test(test_search__only_published_content),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
