/*
 * Tests of the knowledge platform's content and workflow: the starting content, drafts,
 * publishing, rollback and history, validation that names the item and field, bundles that
 * go out and come back the same, attachments, and HTML injection in every text field.
 */
#include "kbtest.h"

#include "knowledge/search.h"
#include "util/embedded.h"

/* ---- helpers ---- */

/* The starting content compiled into the binary (a new reference). */
static json_t *seed_bundle(void)
{
	const struct embedded_file *f = embedded_find("content/knowledge.json");
	assert_non_null(f);
	json_error_t je;
	json_t *b = json_loadb((const char *)f->data, f->len, 0, &je);
	if (!b)
		fail_msg("content/knowledge.json: %s", je.text);
	return b;
}

static int64_t count_published(struct store *s, const char *kind)
{
	return kbtest_count(s,
	                    "SELECT count(*) FROM kb_items WHERE kind = ? AND status = 'published'"
	                    " AND published_version = 1",
	                    kind);
}

/* Set the value at `path` ("practices.0.name.nl"; numbers index lists) to `value` (taken). */
static void set_path(json_t *root, const char *path, json_t *value)
{
	char *copy = xstrdup(path), *save = NULL;
	json_t *at = root;
	char *part = strtok_r(copy, ".", &save);
	for (;;) {
		char *next = strtok_r(NULL, ".", &save);
		bool index = part[0] >= '0' && part[0] <= '9';
		if (!next) {
			if (index)
				json_array_set_new(at, (size_t)atoi(part), value);
			else
				json_object_set_new(at, part, value);
			break;
		}
		at = index ? json_array_get(at, (size_t)atoi(part)) : json_object_get(at, part);
		if (!at)
			fail_msg("no %s in the bundle", path);
		part = next;
	}
	free(copy);
}

static json_t *text_of(const char *s)
{
	return json_string(s);
}

/* ---- the starting content ---- */

static void test_knowledge__seed_loads_the_starting_content(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	int loaded;
	test_store_open(&ts);
	json_t *b = seed_bundle();
	json_t *themes = json_object_get(b, "themes");
	int64_t n_actions = 0;
	size_t i;
	json_t *t;
	json_array_foreach(themes, i, t)
	{
		n_actions += (int64_t)json_array_size(json_object_get(t, "actions"));
	}
	int64_t n_themes = (int64_t)json_array_size(themes);
	int64_t n_practices = (int64_t)json_array_size(json_object_get(b, "practices"));
	int64_t n_faqs = (int64_t)json_array_size(json_object_get(b, "faqs"));

	assert_ok(knowledge_seed(ts.store, &loaded, &e), &e);
	assert_int_equal(loaded, n_themes + n_actions + n_practices + n_faqs);
	assert_int_equal(n_themes, 10);
	assert_true(n_practices >= 12);
	assert_int_equal(count_published(ts.store, "theme"), n_themes);
	assert_int_equal(count_published(ts.store, "action"), n_actions);
	assert_int_equal(count_published(ts.store, "practice"), n_practices);
	assert_int_equal(count_published(ts.store, "faq"), n_faqs);
	/* What the public sees holds every text in both languages. */
	assert_int_equal(kbtest_count(ts.store,
	                              "SELECT count(*) FROM kb_themes WHERE title_nl <> '' AND"
	                              " title_en <> '' AND stake_nl <> '' AND stake_en <> ''",
	                              NULL),
	                 n_themes);
	assert_int_equal(kbtest_count(ts.store,
	                              "SELECT count(*) FROM kb_actions WHERE body_nl <> '' AND"
	                              " body_en <> ''",
	                              NULL),
	                 n_actions);
	assert_int_equal(kbtest_count(ts.store,
	                              "SELECT count(*) FROM kb_practices WHERE what_nl <> '' AND"
	                              " what_en <> '' AND result_nl <> '' AND result_en <> ''",
	                              NULL),
	                 n_practices);
	assert_int_equal(kbtest_count(ts.store,
	                              "SELECT count(*) FROM kb_faqs WHERE answer_nl <> '' AND"
	                              " answer_en <> ''",
	                              NULL),
	                 n_faqs);
	assert_int_equal(kbtest_count(ts.store, "SELECT count(*) FROM kb_target_groups", NULL),
	                 (int64_t)json_array_size(json_object_get(b, "target_groups")));
	assert_int_equal(kbtest_count(ts.store, "SELECT count(*) FROM kb_search_docs", NULL),
	                 2 * loaded);
	/* Every theme is found by its own title, in Dutch and in English. */
	json_array_foreach(themes, i, t)
	{
		for (int l = 0; l < KB_NLANGS; l++) {
			struct search_query q = {
			    .lang = (enum kb_lang)l,
			    .kind = "theme",
			    .text = json_string_value(json_object_get(
			        json_object_get(t, "title"), kb_lang_code((enum kb_lang)l)))};
			struct search_result r;
			assert_ok(knowledge_search(ts.store, &q, &r, &e), &e);
			bool found = false;
			for (size_t k = 0; k < r.n; k++)
				found |= strcmp(r.hits[k].slug,
				                json_string_value(json_object_get(t, "slug"))) == 0;
			if (!found)
				fail_msg("theme '%s' not found by its title '%s'",
				         json_string_value(json_object_get(t, "slug")), q.text);
			search_result_release(&r);
		}
	}
	/* A second init finds the content there and leaves it alone. */
	assert_ok(knowledge_seed(ts.store, &loaded, &e), &e);
	assert_int_equal(loaded, 0);
	assert_int_equal(count_published(ts.store, "theme"), n_themes);
	json_decref(b);
	test_store_close(&ts);
}

/* ---- the workflow ---- */

static const char *published_name(struct store *s, const char *slug, char *buf, size_t size)
{
	struct err e = ERR_INIT;
	json_t *c;
	assert_ok(knowledge_published(s, KB_PRACTICE, slug, &c, &e), &e);
	snprintf(buf, size, "%s",
	         json_string_value(json_object_get(json_object_get(c, "name"), "nl")));
	json_decref(c);
	return buf;
}

static int64_t hits_for(struct store *s, const char *text)
{
	struct err e = ERR_INIT;
	struct search_result r;
	struct search_query q = {.text = text, .lang = KB_NL};
	assert_ok(knowledge_search(s, &q, &r, &e), &e);
	int64_t n = (int64_t)r.n;
	search_result_release(&r);
	return n;
}

static void test_knowledge__edit_publish_rollback_history(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	char name[256];
	int v;
	test_store_open(&ts);
	kbtest_import_fixture(ts.store, true);
	struct store *s = ts.store;

	assert_ok(knowledge_edit(s, &kbtest_editor, KB_PRACTICE, "stage-in-titel", "name", "nl",
	                         "Snuffelstage bij de gemeente", NULL, &v, &e),
	          &e);
	assert_int_equal(v, 2);
	json_t *item;
	assert_ok(knowledge_show(s, KB_PRACTICE, "stage-in-titel", 0, &item, &e), &e);
	assert_string_equal(json_string_value(json_object_get(item, "status")), "draft");
	assert_int_equal(json_integer_value(json_object_get(item, "published_version")), 1);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(json_object_get(item, "content"), "name"), "nl")),
	                    "Snuffelstage bij de gemeente");
	json_decref(item);
	/* The draft is not what the public sees or finds. */
	assert_string_equal(published_name(s, "stage-in-titel", name, sizeof(name)),
	                    "Stage bij de gemeente");
	assert_int_equal(hits_for(s, "snuffelstage"), 0);

	assert_ok(knowledge_publish(s, &kbtest_editor, KB_PRACTICE, "stage-in-titel", &v, &e), &e);
	assert_int_equal(v, 2);
	assert_int_equal(hits_for(s, "snuffelstage"), 1);
	assert_int_equal(kbtest_count(s,
	                              "SELECT count(*) FROM kb_practices WHERE name_nl ="
	                              " 'Snuffelstage bij de gemeente'",
	                              NULL),
	                 1);
	assert_int_equal(
	    knowledge_publish(s, &kbtest_editor, KB_PRACTICE, "stage-in-titel", &v, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);

	assert_ok(knowledge_edit(s, &kbtest_other_editor, KB_PRACTICE, "stage-in-titel", "region",
	                         NULL, "Regio Achterhoek", "nieuwe regio", &v, &e),
	          &e);
	assert_ok(knowledge_publish(s, &kbtest_other_editor, KB_PRACTICE, "stage-in-titel", &v, &e),
	          &e);
	assert_int_equal(v, 3);

	/* Rollback: the text of version 1 is public again, as version 4. */
	assert_ok(knowledge_rollback(s, &kbtest_editor, KB_PRACTICE, "stage-in-titel", 1, &v, &e),
	          &e);
	assert_int_equal(v, 4);
	assert_string_equal(published_name(s, "stage-in-titel", name, sizeof(name)),
	                    "Stage bij de gemeente");
	assert_int_equal(hits_for(s, "snuffelstage"), 0);
	struct search_query q = {.text = "gemeente", .lang = KB_NL, .region = "twente"};
	struct search_result r;
	assert_ok(knowledge_search(s, &q, &r, &e), &e);
	assert_int_equal(r.n, 1);
	search_result_release(&r);

	json_t *h;
	assert_ok(knowledge_history(s, KB_PRACTICE, "stage-in-titel", &h, &e), &e);
	assert_int_equal(json_array_size(h), 4);
	static const char *const authors[] = {"cli:redacteur", "cli:redacteur", "cli:tweede",
	                                      "cli:redacteur"};
	static const char *const notes[] = {"import", "edit name.nl", "nieuwe regio",
	                                    "rollback to version 1"};
	for (size_t i = 0; i < 4; i++) {
		json_t *row = json_array_get(h, i);
		assert_int_equal(json_integer_value(json_object_get(row, "version")), (int)i + 1);
		assert_string_equal(json_string_value(json_object_get(row, "author")), authors[i]);
		assert_string_equal(json_string_value(json_object_get(row, "note")), notes[i]);
		assert_true(json_is_string(json_object_get(row, "published_at")));
		assert_int_equal(json_is_true(json_object_get(row, "published")), i == 3);
	}
	json_decref(h);
	/* The history keeps the versions themselves, unchanged. */
	assert_ok(knowledge_show(s, KB_PRACTICE, "stage-in-titel", 2, &item, &e), &e);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(json_object_get(item, "content"), "name"), "nl")),
	                    "Snuffelstage bij de gemeente");
	json_decref(item);

	assert_int_equal(
	    knowledge_rollback(s, &kbtest_editor, KB_PRACTICE, "stage-in-titel", 4, &v, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_int_equal(
	    knowledge_rollback(s, &kbtest_editor, KB_PRACTICE, "stage-in-titel", 9, &v, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(
	    knowledge_rollback(s, &kbtest_editor, KB_PRACTICE, "geen-praktijk", 1, &v, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	test_store_close(&ts);
}

static void test_knowledge__edit_rules(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	int v;
	test_store_open(&ts);
	kbtest_import_fixture(ts.store, true);
	static const struct {
		enum kb_kind kind;
		const char *slug, *field, *lang, *text;
		enum err_code code;
		const char *says;
	} bad[] = {
	    {KB_PRACTICE, "stage-in-titel", "slug", NULL, "nieuw", ERR_INVALID, "cannot change"},
	    {KB_PRACTICE, "stage-in-titel", "kleur", NULL, "rood", ERR_INVALID,
	     "'kleur' is not a field of a practice"},
	    {KB_PRACTICE, "stage-in-titel", "name", NULL, "x", ERR_INVALID, "which language"},
	    {KB_PRACTICE, "stage-in-titel", "name", "de", "x", ERR_INVALID, "which language"},
	    {KB_PRACTICE, "stage-in-titel", "region", "nl", "x", ERR_INVALID,
	     "the same in every language"},
	    {KB_PRACTICE, "stage-in-titel", "name", "en", "  ", ERR_INVALID,
	     "practice 'stage-in-titel', field name.en: must not be empty"},
	    {KB_PRACTICE, "stage-in-titel", "name", "nl", "twee\nregels", ERR_INVALID,
	     "field name.nl: must be one line"},
	    {KB_PRACTICE, "stage-in-titel", "kind", NULL, "project", ERR_INVALID,
	     "field kind: must be one of practice|pilot"},
	    {KB_PRACTICE, "stage-in-titel", "themes", NULL, "werk-en-stage, geen-thema",
	     ERR_NOTFOUND, "field themes: no theme 'geen-thema'"},
	    {KB_PRACTICE, "stage-in-titel", "themes", NULL, "", ERR_INVALID,
	     "field themes: must name at least one"},
	    {KB_PRACTICE, "stage-in-titel", "target_groups", NULL, "mbo", ERR_NOTFOUND,
	     "no target group 'mbo'"},
	    {KB_ACTION, "jobcoach", "order", NULL, "tweede", ERR_INVALID, "not a whole number"},
	    {KB_ACTION, "jobcoach", "theme", NULL, "Werk En Stage", ERR_INVALID,
	     "field theme: must be a slug"},
	    {KB_THEME, "geen-thema", "title", "nl", "x", ERR_NOTFOUND, "no theme 'geen-thema'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&e);
		assert_int_equal(knowledge_edit(ts.store, &kbtest_editor, bad[i].kind, bad[i].slug,
		                                bad[i].field, bad[i].lang, bad[i].text, NULL, &v,
		                                &e),
		                 -1);
		if (e.code != bad[i].code || !strstr(e.msg, bad[i].says))
			fail_msg("case %zu: expected code %d with '%s', got %d: %s", i, bad[i].code,
			         bad[i].says, e.code, e.msg);
	}
	/* None of that wrote a version. */
	assert_int_equal(
	    kbtest_count(ts.store, "SELECT count(*) FROM kb_versions WHERE version > 1", NULL), 0);
	/* Lists take one entry per line or comma; the same text again adds nothing. */
	assert_ok(knowledge_edit(ts.store, &kbtest_editor, KB_PRACTICE, "stage-in-titel", "themes",
	                         NULL, "werk-en-stage, zorg-op-school", NULL, &v, &e),
	          &e);
	assert_int_equal(v, 2);
	assert_ok(knowledge_edit(
	              ts.store, &kbtest_editor, KB_PRACTICE, "stage-in-titel", "partners", NULL,
	              "gemeente Enschede, afdeling werk\npraktijkschool\n", NULL, &v, &e),
	          &e);
	assert_int_equal(v, 3);
	assert_ok(knowledge_edit(ts.store, &kbtest_editor, KB_PRACTICE, "stage-in-titel", "themes",
	                         NULL, "werk-en-stage\nzorg-op-school", NULL, &v, &e),
	          &e);
	assert_int_equal(v, 3);
	json_t *item;
	assert_ok(knowledge_show(ts.store, KB_PRACTICE, "stage-in-titel", 0, &item, &e), &e);
	json_t *partners = json_object_get(json_object_get(item, "content"), "partners");
	assert_int_equal(json_array_size(partners), 2);
	assert_string_equal(json_string_value(json_array_get(partners, 0)),
	                    "gemeente Enschede, afdeling werk");
	json_decref(item);
	test_store_close(&ts);
}

/* ---- validation of bundles ---- */

static void test_knowledge__import_names_item_and_field(void **state)
{
	(void)state;
	char long_text[4100];
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	const struct {
		const char *path;
		json_t *value;
		const char *says;
	} cases[] = {
	    {"themes.0.title.en", text_of(""),
	     "themes[1]: theme 'werk-en-stage', field title.en: must not be empty"},
	    {"themes.0.summary.nl", text_of(long_text),
	     "theme 'werk-en-stage', field summary.nl: is longer than 4000 bytes"},
	    {"themes.0.order", text_of("1"),
	     "theme 'werk-en-stage', field order: must be a whole number"},
	    {"themes.1.actions.0.slug", text_of("Zorg Team"),
	     "themes[2].actions[1]: an action, field slug: must be a slug"},
	    {"themes.1.actions.0.body", json_pack("{s:s}", "nl", "alleen Nederlands"),
	     "action 'zorgteam', field body.en: is missing"},
	    {"practices.1.kind", text_of("project"),
	     "practices[2]: practice 'stage-in-tekst', field kind: must be one of practice|pilot"},
	    {"practices.0.themes", json_array(),
	     "practice 'stage-in-titel', field themes: must name at least one"},
	    {"practices.0.target_groups", json_pack("[s]", "onbekend"),
	     "practices[1]: practice 'stage-in-titel', field target_groups: no target group "
	     "'onbekend'"},
	    {"practices.0.actions", json_pack("[s]", "geen-actie"),
	     "field actions: no action 'geen-actie'"},
	    {"practices.2.region", text_of("Haaglanden\nen Delft"),
	     "practice 'coordinatiepunt', field region: must be one line"},
	    {"practices.2.region", text_of("   "),
	     "practice 'coordinatiepunt', field region: must not be empty"},
	    {"practices.0.partners", json_pack("[s, s]", "a", "a"),
	     "field partners: 'a' appears twice"},
	    {"practices.0.name.de", text_of("Praktikum"), "field name: 'de' is not a language"},
	    {"practices.0.kleur", text_of("rood"),
	     "practice 'stage-in-titel': 'kleur' is not a field of a practice"},
	    {"practices.0.what.nl", text_of("bel\001"), "field what.nl: holds a control character"},
	    {"practices.1.slug", text_of("stage-in-titel"), "appears twice in the bundle"},
	    {"faqs.0.theme", text_of("geen-thema"),
	     "faqs[1]: faq 'wie-betaalt-de-jobcoach', field theme: no theme 'geen-thema'"},
	    {"faqs.1.question", text_of("vraag"),
	     "faqs[2]: a faq, field question: must be an object"},
	    {"faqs.1.question.nl", text_of("???"), "faqs[2]: a faq, field slug: is missing"},
	    {"faqs.1",
	     json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "slug", "eigen-slug", "theme",
	               "zorg-op-school", "question", "nl", "", "en", "Why?", "answer", "nl",
	               "Daarom.", "en", "Because."),
	     "faqs[2]: faq 'eigen-slug', field question.nl: must not be empty"},
	    {"target_groups.0.name.en", text_of(""),
	     "target_groups[1]: target group 'pro', field name.en"},
	    {"version", json_integer(2), "bundle: field version: must be 1"},
	    {"themas", json_array(), "'themas' is not a part of a bundle"},
	    {"practices", json_object(), "'practices' must be a list"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct test_store ts;
		struct err e = ERR_INIT;
		test_store_open(&ts);
		json_t *b = kbtest_fixture();
		set_path(b, cases[i].path, cases[i].value);
		assert_int_equal(
		    knowledge_import(ts.store, &kbtest_editor, b, true, NULL, NULL, &e), -1);
		if (!strstr(e.msg, cases[i].says))
			fail_msg("%s: expected '%s' in '%s'", cases[i].path, cases[i].says, e.msg);
		/* All or nothing: not even the target groups or themes before the error. */
		assert_int_equal(kbtest_count(ts.store, "SELECT count(*) FROM kb_items", NULL), 0);
		assert_int_equal(
		    kbtest_count(ts.store, "SELECT count(*) FROM kb_target_groups", NULL), 0);
		json_decref(b);
		test_store_close(&ts);
	}
}

static void test_knowledge__import_again_and_changed(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct kb_import_stats st;
	test_store_open(&ts);
	json_t *b = kbtest_fixture();
	assert_ok(knowledge_import(ts.store, &kbtest_editor, b, true, NULL, &st, &e), &e);
	assert_int_equal(st.created, 10);
	assert_int_equal(st.published, 10);
	assert_int_equal(st.target_groups, 2);
	assert_ok(knowledge_import(ts.store, &kbtest_editor, b, true, NULL, &st, &e), &e);
	assert_int_equal(st.created, 0);
	assert_int_equal(st.unchanged, 10);
	assert_int_equal(st.published, 0);
	assert_int_equal(st.target_groups, 0);

	/* A changed item becomes a draft; the public keeps the old text until publish. */
	set_path(b, "practices.0.name.nl", text_of("Leerwerkplek bij de gemeente"));
	set_path(b, "target_groups.0.name.nl", text_of("Praktijkonderwijs"));
	assert_ok(knowledge_import(ts.store, &kbtest_editor, b, false, "nieuwe namen", &st, &e),
	          &e);
	assert_int_equal(st.changed, 1);
	assert_int_equal(st.unchanged, 9);
	assert_int_equal(st.published, 0);
	assert_int_equal(st.target_groups, 1);
	char name[256];
	assert_string_equal(published_name(ts.store, "stage-in-titel", name, sizeof(name)),
	                    "Stage bij de gemeente");
	json_t *list;
	struct kb_list_filter f = {.status = "draft"};
	assert_ok(knowledge_list(ts.store, &f, &list, &e), &e);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "title")),
	                    "Leerwerkplek bij de gemeente");
	json_decref(list);

	/* An error at the end leaves the earlier changes of the same bundle unwritten. */
	set_path(b, "practices.0.name.nl", text_of("Nog een andere naam"));
	set_path(b, "faqs.1.theme", text_of("geen-thema"));
	assert_int_equal(knowledge_import(ts.store, &kbtest_editor, b, true, NULL, &st, &e), -1);
	assert_int_equal(
	    kbtest_count(ts.store, "SELECT count(*) FROM kb_versions WHERE version > 2", NULL), 0);
	assert_string_equal(published_name(ts.store, "stage-in-titel", name, sizeof(name)),
	                    "Stage bij de gemeente");
	json_decref(b);
	test_store_close(&ts);
}

/* ---- bundles out and in ---- */

/* Remove every "version" but the bundle's own, and faq slugs when `faq_slugs` is false. */
static void strip_versions(json_t *bundle, bool faq_slugs)
{
	static const char *const parts[] = {"themes", "practices", "faqs", NULL};
	for (const char *const *p = parts; *p; p++) {
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(bundle, *p), i, o)
		{
			json_object_del(o, "version");
			if (!faq_slugs && strcmp(*p, "faqs") == 0)
				json_object_del(o, "slug");
			size_t k;
			json_t *a;
			json_array_foreach(json_object_get(o, "actions"), k, a)
			{
				json_object_del(a, "version");
			}
		}
	}
}

static int by_question(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "theme")),
	               json_string_value(json_object_get(y, "theme")));
	if (c)
		return c;
	return strcmp(json_string_value(json_object_get(json_object_get(x, "question"), "nl")),
	              json_string_value(json_object_get(json_object_get(y, "question"), "nl")));
}

/* The faqs in a fixed order, for comparing bundles whatever order they list them in. */
static void sort_faqs(json_t *bundle)
{
	json_t *faqs = json_object_get(bundle, "faqs");
	size_t n = json_array_size(faqs);
	json_t **items = xcalloc(n + 1, sizeof(json_t *));
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(faqs, i));
	qsort(items, n, sizeof(json_t *), by_question);
	json_array_clear(faqs);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(faqs, items[i]);
	free(items);
}

static void expect_equal_bundles(json_t *a, json_t *b, const char *what)
{
	if (json_equal(a, b))
		return;
	char *ta = json_dumps(a, JSON_INDENT(1)), *tb = json_dumps(b, JSON_INDENT(1));
	size_t i = 0;
	while (ta[i] && ta[i] == tb[i])
		i++;
	size_t from = i > 200 ? i - 200 : 0;
	fail_msg("%s differ at byte %zu:\n--- %.300s\n+++ %.300s", what, i, ta + from, tb + from);
}

/* The practice `slug` of a bundle, or NULL. */
static json_t *bundle_practice(json_t *bundle, const char *slug)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(bundle, "practices"), i, p)
	{
		if (strcmp(json_string_value(json_object_get(p, "slug")), slug) == 0)
			return p;
	}
	return NULL;
}

static void test_knowledge__export_import_round_trip(void **state)
{
	(void)state;
	struct test_store a, b;
	struct err e = ERR_INIT;
	int loaded, v;
	json_t *out_a, *out_b;
	test_store_open(&a);
	assert_ok(knowledge_seed(a.store, &loaded, &e), &e);

	/* The export is the starting content, faq slugs and version numbers aside. */
	assert_ok(knowledge_export(a.store, &out_a, &e), &e);
	json_t *seed = seed_bundle(), *copy = json_deep_copy(out_a);
	strip_versions(copy, false);
	sort_faqs(copy);
	sort_faqs(seed);
	expect_equal_bundles(seed, copy, "the seed and its export");
	json_decref(copy);
	json_decref(out_a);

	/* A published edit goes out with its version number; a draft stays behind. */
	json_t *practices = json_object_get(seed, "practices");
	const char *first =
	    json_string_value(json_object_get(json_array_get(practices, 0), "slug"));
	const char *second =
	    json_string_value(json_object_get(json_array_get(practices, 1), "slug"));
	assert_ok(knowledge_edit(a.store, &kbtest_editor, KB_PRACTICE, first, "what", "en",
	                         "A new **text**.", NULL, &v, &e),
	          &e);
	assert_ok(knowledge_publish(a.store, &kbtest_editor, KB_PRACTICE, first, &v, &e), &e);
	assert_ok(knowledge_edit(a.store, &kbtest_editor, KB_PRACTICE, second, "name", "nl",
	                         "Concept", NULL, &v, &e),
	          &e);
	assert_ok(knowledge_export(a.store, &out_a, &e), &e);
	json_t *p = bundle_practice(out_a, first);
	assert_int_equal(json_integer_value(json_object_get(p, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "what"), "en")),
	                    "A new **text**.");
	p = bundle_practice(out_a, second);
	assert_int_equal(json_integer_value(json_object_get(p, "version")), 1);
	assert_string_not_equal(
	    json_string_value(json_object_get(json_object_get(p, "name"), "nl")), "Concept");

	/* Into a fresh store and out again: the same content. */
	test_store_open(&b);
	assert_ok(knowledge_import(b.store, &kbtest_editor, out_a, true, NULL, NULL, &e), &e);
	assert_ok(knowledge_export(b.store, &out_b, &e), &e);
	p = bundle_practice(out_b, first);
	assert_int_equal(json_integer_value(json_object_get(p, "version")), 1);
	strip_versions(out_a, true);
	strip_versions(out_b, true);
	expect_equal_bundles(out_a, out_b, "the export and the export of its import");
	json_decref(out_a);
	json_decref(out_b);
	json_decref(seed);
	test_store_close(&b);
	test_store_close(&a);
}

/* ---- attachments ---- */

static void test_knowledge__attachment_types(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len;
		const char *type; /* NULL: refused */
	} cases[] = {
	    {"%PDF-1.7\n%\xe2\xe3\xcf\xd3", 14, "application/pdf"},
	    {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "image/png"},
	    {"\xff\xd8\xff\xe0\0\x10JFIF", 10, "image/jpeg"},
	    {"RIFF\x24\0\0\0WEBPVP8 ", 16, "image/webp"},
	    {"RIFF\x24\0\0\0WAVEfmt ", 16, NULL},
	    {"GIF89a\x01\0\x01\0", 10, NULL},
	    {"MZ\x90\0\x03\0\0\0", 8, NULL},
	    {"<html><script>", 14, NULL},
	    {"%PD", 3, NULL},
	    {"\x89PNG", 4, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *type = NULL, *ext = NULL;
		struct err e = ERR_INIT;
		int rc = knowledge_attachment_type(cases[i].bytes, cases[i].len, &type, &ext, &e);
		if (cases[i].type) {
			if (rc < 0 || strcmp(type, cases[i].type) != 0)
				fail_msg("case %zu: expected %s, got %s", i, cases[i].type,
				         rc < 0 ? e.msg : type);
		} else if (rc == 0) {
			fail_msg("case %zu: expected a refusal, got %s", i, type);
		}
	}
}

static void test_knowledge__attachment_names(void **state)
{
	(void)state;
	static const struct {
		const char *name, *ext, *safe;
	} cases[] = {
	    {"verslag.pdf", "pdf", "verslag.pdf"},
	    {"../../etc/passwd.pdf", "pdf", "passwd.pdf"},
	    {"C:\\Users\\jan\\plan.pdf", "pdf", "plan.pdf"},
	    {"Verslag 2024 (def).PDF", "pdf", "Verslag-2024-def.pdf"},
	    {"<script>alert(1)</script>.png", "jpg", "script.jpg"},
	    {"<img src=x onerror=alert(1)>.png", "png", "img-src-x-onerror-alert-1.png"},
	    {"rapport.exe", "pdf", "rapport.pdf"},
	    {"foto.jpg.php", "png", "foto.jpg.png"},
	    {".htaccess", "pdf", "htaccess.pdf"},
	    {"...", "pdf", "attachment.pdf"},
	    {"", "webp", "attachment.webp"},
	    {"één rapport – def.pdf", "pdf", "een-rapport-def.pdf"},
	    {"a\"b'c;d|e$f.pdf", "pdf", "a-b-c-d-e-f.pdf"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf out = BUF_INIT;
		knowledge_attachment_name(&out, cases[i].name, cases[i].ext);
		if (strcmp(out.data, cases[i].safe) != 0)
			fail_msg("'%s': expected '%s', got '%s'", cases[i].name, cases[i].safe,
			         out.data);
		buf_release(&out);
	}
	char long_name[400];
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	struct buf out = BUF_INIT;
	knowledge_attachment_name(&out, long_name, "webp");
	assert_true(out.len <= 100);
	assert_string_equal(out.data + out.len - 5, ".webp");
	buf_release(&out);
}

static void test_knowledge__attach_limits(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	json_t *stored;
	test_store_open(&ts);
	kbtest_import_fixture(ts.store, true);
	struct store *s = ts.store;
	size_t max = KB_ATTACHMENT_MAX;
	unsigned char *big = xcalloc(max + 1, 1);
	memcpy(big, "%PDF-1.4\n", 9);

	assert_ok(knowledge_attach(s, &kbtest_editor, KB_PRACTICE, "coordinatiepunt",
	                           "../Jaarverslag 2024.pdf", big, max, &stored, &e),
	          &e);
	assert_string_equal(json_string_value(json_object_get(stored, "file_name")),
	                    "Jaarverslag-2024.pdf");
	assert_string_equal(json_string_value(json_object_get(stored, "media_type")),
	                    "application/pdf");
	assert_int_equal(json_integer_value(json_object_get(stored, "size")), max);
	json_decref(stored);

	err_clear(&e);
	assert_int_equal(knowledge_attach(s, &kbtest_editor, KB_PRACTICE, "coordinatiepunt",
	                                  "groot.pdf", big, max + 1, NULL, &e),
	                 -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(strstr(e.msg, "5 MiB"));
	assert_int_equal(knowledge_attach(s, &kbtest_editor, KB_PRACTICE, "coordinatiepunt",
	                                  "leeg.pdf", big, 0, NULL, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "empty"));
	assert_int_equal(knowledge_attach(s, &kbtest_editor, KB_PRACTICE, "coordinatiepunt",
	                                  "virus.pdf", "MZ\x90\0\x03\0\0\0", 8, NULL, &e),
	                 -1);
	assert_non_null(strstr(e.msg, "not a PDF, PNG, JPEG or WebP"));
	assert_int_equal(knowledge_attach(s, &kbtest_editor, KB_PRACTICE, "coordinatiepunt",
	                                  "Jaarverslag 2024.pdf", big, 100, NULL, &e),
	                 -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_int_equal(knowledge_attach(s, &kbtest_editor, KB_PRACTICE, "geen-praktijk", "x.pdf",
	                                  big, 100, NULL, &e),
	                 -1);
	assert_int_equal(e.code, ERR_NOTFOUND);

	/* A PNG named .pdf is stored as what it is. */
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	assert_ok(knowledge_attach(s, &kbtest_editor, KB_THEME, "werk-en-stage", "kaart.pdf", png,
	                           sizeof(png) - 1, &stored, &e),
	          &e);
	assert_string_equal(json_string_value(json_object_get(stored, "file_name")), "kaart.png");
	json_decref(stored);
	void *bytes;
	size_t len;
	char *type;
	assert_ok(knowledge_attachment_get(s, KB_THEME, "werk-en-stage", "kaart.png", &bytes, &len,
	                                   &type, &e),
	          &e);
	assert_int_equal(len, sizeof(png) - 1);
	assert_memory_equal(bytes, png, len);
	assert_string_equal(type, "image/png");
	free(bytes);
	free(type);
	json_t *item;
	assert_ok(knowledge_show(s, KB_PRACTICE, "coordinatiepunt", 0, &item, &e), &e);
	assert_int_equal(json_array_size(json_object_get(item, "attachments")), 1);
	json_decref(item);
	assert_int_equal(kbtest_count(s, "SELECT count(*) FROM kb_attachments", NULL), 2);
	free(big);
	test_store_close(&ts);
}

/* ---- HTML injection ---- */

#define PLAIN_ATTACK                                                                               \
	"<script>alert(1)</script><img src=x onerror=alert(1)> \"q\" 'q' "                         \
	"<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">x</a> gemeente"
#define MARKDOWN_ATTACK                                                                            \
	PLAIN_ATTACK "\n\n<div onmouseover=\"alert(1)\">y</div>\n\n"                               \
	             "[klik](javascript:alert(1)) ![b](javascript:alert(1)) "                      \
	             "<svg onload=alert(1)>\n\n<iframe src=\"https://evil.example\"></iframe>"

static const char *const one_line_fields[] = {"title", "name", "question", NULL};

/* The attack followed by the text it replaces, so that texts stay distinct. */
static json_t *poisoned(const char *attack, const json_t *was)
{
	char *text = xasprintf("%s %s", attack, json_string_value(was));
	json_t *v = json_string(text);
	free(text);
	return v;
}

/* Put an attack into every text of `item`, keeping slugs and references. */
static void poison_item(json_t *item)
{
	const char *key;
	json_t *v;
	json_object_foreach(item, key, v)
	{
		if (strcmp(key, "slug") == 0 || strcmp(key, "kind") == 0 ||
		    strcmp(key, "theme") == 0 || strcmp(key, "order") == 0 ||
		    strcmp(key, "themes") == 0 || strcmp(key, "actions") == 0 ||
		    strcmp(key, "target_groups") == 0)
			continue;
		if (json_is_string(v)) {
			json_object_set_new(item, key, poisoned(PLAIN_ATTACK, v));
		} else if (json_is_object(v)) {
			const char *attack =
			    kbtest_in(key, one_line_fields) ? PLAIN_ATTACK : MARKDOWN_ATTACK;
			json_object_set_new(v, "nl", poisoned(attack, json_object_get(v, "nl")));
			json_object_set_new(v, "en", poisoned(attack, json_object_get(v, "en")));
		} else if (json_is_array(v)) {
			json_array_clear(v);
			json_array_append_new(v, json_string(PLAIN_ATTACK));
			json_array_append_new(v, json_string("<b onmouseover=alert(1)>b</b>"));
		}
	}
}

static void poison_bundle(json_t *b)
{
	static const char *const parts[] = {"themes", "practices", "faqs", NULL};
	for (const char *const *p = parts; *p; p++) {
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(b, *p), i, o)
		{
			/* Slugs made from poisoned questions would all start alike: name them. */
			if (strcmp(*p, "faqs") == 0) {
				char *slug = xasprintf("vraag-%zu", i + 1);
				json_object_set_new(o, "slug", json_string(slug));
				free(slug);
			}
			json_t *actions = json_incref(json_object_get(o, "actions"));
			json_object_del(o, "actions");
			poison_item(o);
			size_t k;
			json_t *a;
			json_array_foreach(actions, k, a)
			{
				poison_item(a);
			}
			if (actions)
				json_object_set_new(o, "actions", actions);
		}
	}
}

static void check_rendered(struct store *s, enum kb_kind kind, const char *slug)
{
	struct err e = ERR_INIT;
	json_t *content;
	assert_ok(knowledge_published(s, kind, slug, &content, &e), &e);
	for (int l = 0; l < KB_NLANGS; l++) {
		struct buf html = BUF_INIT;
		knowledge_render_html(&html, kind, content, (enum kb_lang)l);
		assert_safe_html(html.data, slug);
		/* The attack is shown as text, not dropped: the page says what was written. */
		if (!strstr(html.data, "&lt;script&gt;alert(1)&lt;/script&gt;"))
			fail_msg("%s: the escaped text is missing from: %s", slug, html.data);
		buf_release(&html);
	}
	json_decref(content);
}

static void test_knowledge__html_injection_in_every_text_field(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	json_t *b = kbtest_fixture();
	poison_bundle(b);
	assert_ok(knowledge_import(ts.store, &kbtest_editor, b, true, NULL, NULL, &e), &e);
	json_decref(b);

	json_t *list;
	struct kb_list_filter all = {NULL, NULL};
	assert_ok(knowledge_list(ts.store, &all, &list, &e), &e);
	assert_int_equal(json_array_size(list), 10);
	size_t i;
	json_t *row;
	json_array_foreach(list, i, row)
	{
		enum kb_kind kind;
		assert_ok(kb_kind_parse(json_string_value(json_object_get(row, "kind")), &kind, &e),
		          &e);
		check_rendered(ts.store, kind, json_string_value(json_object_get(row, "slug")));
	}
	json_decref(list);

	/* Search titles and snippets show the same texts, escaped, with the matches marked. */
	static const char *const queries[] = {"alert", "script",  "gemeente",
	                                      "klik",  "onerror", NULL};
	for (const char *const *q = queries; *q; q++)
		for (int l = 0; l < KB_NLANGS; l++) {
			struct search_query sq = {.text = *q, .lang = (enum kb_lang)l};
			struct search_result r;
			assert_ok(knowledge_search(ts.store, &sq, &r, &e), &e);
			assert_true(r.n > 0);
			for (size_t k = 0; k < r.n; k++) {
				assert_safe_html(r.hits[k].title_html, "search title");
				assert_safe_html(r.hits[k].snippet_html, "search snippet");
				if (!strstr(r.hits[k].snippet_html, "<mark>") &&
				    !strstr(r.hits[k].title_html, "<mark>"))
					fail_msg("%s: no match marked in %s | %s", *q,
					         r.hits[k].title_html, r.hits[k].snippet_html);
			}
			search_result_release(&r);
		}

	/* A slug cannot carry markup at all. */
	json_t *bad = kbtest_fixture();
	set_path(bad, "practices.0.slug", json_string("<script>"));
	assert_int_equal(knowledge_import(ts.store, &kbtest_editor, bad, true, NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "field slug: must be a slug"));
	json_decref(bad);
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_knowledge__seed_loads_the_starting_content),
	    cmocka_unit_test(test_knowledge__edit_publish_rollback_history),
	    cmocka_unit_test(test_knowledge__edit_rules),
	    cmocka_unit_test(test_knowledge__import_names_item_and_field),
	    cmocka_unit_test(test_knowledge__import_again_and_changed),
	    cmocka_unit_test(test_knowledge__export_import_round_trip),
	    cmocka_unit_test(test_knowledge__attachment_types),
	    cmocka_unit_test(test_knowledge__attachment_names),
	    cmocka_unit_test(test_knowledge__attach_limits),
	    cmocka_unit_test(test_knowledge__html_injection_in_every_text_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
