/*
 * Tests of the self-scan: scoring from hand-made answers, the order of the recommendations and
 * their practices, the comparison with the previous closed scan, the answer history, the
 * rules for closed scans, and HTML injection through every text field of the export.
 */
#include "testutil.h"

#include "knowledge/knowledge.h"
#include "scan/scan.h"

#include <math.h>

static const struct access anna = {"anna", "Gemeente Maastricht", "participant", NULL, "cli",
				   "test", 0, 0, 0};
static const struct access bram = {"bram", "ROC Zuid", "participant", NULL, "cli", "test", 0, 0, 0};
static const struct access seeder = {"system:test", NULL, "editor", NULL, "cli", "test", 0, 0, 0};

/* {"nl": text, "en": text} */
static json_t *both(const char *text)
{
	return json_pack("{s:s, s:s}", "nl", text, "en", text);
}

static json_t *action(const char *slug, const char *title)
{
	return json_pack("{s:s, s:o, s:o}", "slug", slug, "title", both(title), "body",
			 both("Wat de regio doet."));
}

static json_t *theme(const char *slug, int order, const char *title, json_t *actions)
{
	return json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "slug", slug, "order", order,
			 "title", both(title), "summary", both("Samenvatting."), "stake",
			 both("Wat er speelt."), "cooperation", both("Samen."), "actions", actions);
}

static json_t *practice(const char *slug, const char *name, json_t *themes, json_t *actions)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:[s], s:[], s:o, s:o, s:o, s:o, s:s, s:s}", "slug",
			 slug, "kind", "practice", "name", both(name), "region", "Zuid-Limburg",
			 "partners", "Gemeente Heerlen", "target_groups", "what",
			 both("Wat ze doen."), "result", both("Wat het opleverde."), "themes",
			 themes, "actions", actions, "contact_organisation", "Gemeente Heerlen",
			 "source", "test");
}

/*
 * Three themes: alpha (a1, a2, a3), beta (b1, b2), gamma (g1). Practices: one linked to b2,
 * one to theme beta only, one to a1; `evil_name` names the last (for the injection test).
 */
static void load_content(struct store *s, const char *evil_name)
{
	json_t *bundle = json_pack(
		"{s:i, s:[], s:[o, o, o], s:[o, o, o], s:[]}", "version", 1, "target_groups",
		"themes",
		theme("alpha", 1, "Thema Alpha",
		      json_pack("[o, o, o]", action("a1", "Actie A1"), action("a2", "Actie A2"),
				action("a3", "Actie A3"))),
		theme("beta", 2, "Thema Beta",
		      json_pack("[o, o]", action("b1", "Actie B1"), action("b2", "Actie B2"))),
		theme("gamma", 3, "Thema Gamma", json_pack("[o]", action("g1", "Actie G1"))),
		"practices",
		practice("praktijk-b2", "Praktijk B2", json_pack("[s]", "beta"),
			 json_pack("[s]", "b2")),
		practice("praktijk-beta", "Praktijk Beta", json_pack("[s]", "beta"), json_array()),
		practice("praktijk-a1", evil_name ? evil_name : "Praktijk A1",
			 json_pack("[s]", "alpha"), json_pack("[s]", "a1")),
		"faqs");
	assert_non_null(bundle);
	struct err e = ERR_INIT;
	assert_ok(knowledge_import(s, &seeder, bundle, true, "test content", NULL, &e), &e);
	json_decref(bundle);
}

static void answer(struct store *s, const struct access *who, int64_t scan, const char *action,
		   const char *level)
{
	struct err e = ERR_INIT;
	struct scan_answer_input in = {action, level, NULL, NULL, 0};
	assert_ok(scan_answer(s, who, scan, &in, NULL, &e), &e);
}

static int64_t new_scan(struct store *s, const char *region, const char *title)
{
	struct err e = ERR_INIT;
	int64_t id;
	assert_ok(scan_create(s, &anna, region, title, &id, &e), &e);
	return id;
}

#define assert_percent(expected, actual)                                                      \
	do {                                                                                  \
		if (fabs((expected) - (actual)) > 0.01)                                       \
			fail_msg("expected %.2f%%, got %.2f%%", (double)(expected),           \
				 (double)(actual));                                           \
	} while (0)

static const struct scan_theme_profile *theme_of(const struct scan_report *r, const char *slug)
{
	for (size_t i = 0; i < r->nthemes; i++)
		if (strcmp(r->themes[i].slug, slug) == 0)
			return &r->themes[i];
	fail_msg("theme %s is not in the report", slug);
	return NULL;
}

static const struct scan_action_row *action_of(const struct scan_report *r, const char *slug)
{
	for (size_t i = 0; i < r->nactions; i++)
		if (strcmp(r->actions[i].slug, slug) == 0)
			return &r->actions[i];
	fail_msg("action %s is not in the report", slug);
	return NULL;
}

/* The answers of the first scan: alpha 4/9, beta 1/6, gamma 2/3. */
static int64_t first_scan(struct store *s)
{
	int64_t id = new_scan(s, "MC39", "Zelfscan 2025");
	answer(s, &anna, id, "a1", "planned");
	answer(s, &bram, id, "a2", "embedded");
	answer(s, &anna, id, "b1", "not_started");
	answer(s, &bram, id, "b2", "planned");
	answer(s, &anna, id, "g1", "in_progress");
	return id;
}

static void test_scan__scores_per_theme(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct scan_report r;
	test_store_open(&ts);
	load_content(ts.store, NULL);
	int64_t id = first_scan(ts.store);
	assert_ok(scan_report_build(ts.store, id, "nl", &r, &e), &e);
	assert_int_equal(r.nthemes, 3);
	assert_string_equal(r.themes[0].slug, "alpha"); /* in the themes' order */
	assert_string_equal(r.themes[2].slug, "gamma");

	const struct scan_theme_profile *alpha = theme_of(&r, "alpha");
	assert_percent(100.0 * 4 / 9, alpha->score); /* planned 1 + embedded 3, a3 unanswered */
	assert_int_equal(alpha->nactions, 3);
	assert_int_equal(alpha->answered, 2);
	assert_int_equal(alpha->counts[SCAN_PLANNED], 1);
	assert_int_equal(alpha->counts[SCAN_EMBEDDED], 1);
	assert_int_equal(alpha->counts[SCAN_NOT_STARTED], 0);
	assert_percent(2.0 / 3, alpha->answered_share);
	assert_percent(100.0 * 1 / 6, theme_of(&r, "beta")->score);
	assert_percent(100.0 * 2 / 3, theme_of(&r, "gamma")->score);
	assert_percent((100.0 * 4 / 9 + 100.0 / 6 + 200.0 / 3) / 3, r.score);
	assert_string_equal(r.themes[0].title, "Thema Alpha");
	assert_false(r.has_previous);
	scan_report_release(&r);

	/* Nothing answered: every theme scores 0 and nothing is recommended. */
	int64_t empty = new_scan(ts.store, "MC40", "Leeg");
	assert_ok(scan_report_build(ts.store, empty, "en", &r, &e), &e);
	assert_percent(0, r.score);
	assert_int_equal(r.nrecs, 0);
	assert_int_equal(theme_of(&r, "beta")->answered, 0);
	scan_report_release(&r);
	test_store_close(&ts);
}

static void test_scan__recommendations_order_and_practices(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct scan_report r;
	test_store_open(&ts);
	load_content(ts.store, NULL);
	int64_t id = first_scan(ts.store);
	assert_ok(scan_report_build(ts.store, id, "nl", &r, &e), &e);
	/* beta (17%) first, planned b2 before not_started b1; then alpha (44%): a1; gamma has
	 * nothing planned or not started. */
	static const char *const order[] = {"b2", "b1", "a1"};
	assert_int_equal(r.nrecs, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(r.actions[r.recs[i].action].slug, order[i]);
	/* b2 has a practice of its own. */
	assert_int_equal(r.recs[0].npractices, 1);
	assert_string_equal(r.recs[0].practices[0].slug, "praktijk-b2");
	assert_false(r.recs[0].practices_of_theme);
	/* b1 has none: the theme's practices, by name. */
	assert_true(r.recs[1].practices_of_theme);
	assert_int_equal(r.recs[1].npractices, 2);
	assert_string_equal(r.recs[1].practices[0].slug, "praktijk-b2");
	assert_string_equal(r.recs[1].practices[1].slug, "praktijk-beta");
	assert_string_equal(r.recs[2].practices[0].slug, "praktijk-a1");
	scan_report_release(&r);
	test_store_close(&ts);
}

static void test_scan__comparison_with_previous_closed_scan(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct scan_report r;
	test_store_open(&ts);
	load_content(ts.store, NULL);
	int64_t first = first_scan(ts.store);
	assert_ok(scan_close(ts.store, &anna, first, &e), &e);
	/* A closed scan of another region is no previous scan of MC39. */
	int64_t other = new_scan(ts.store, "MC40", "Elders");
	answer(ts.store, &bram, other, "a1", "embedded");
	assert_ok(scan_close(ts.store, &bram, other, &e), &e);

	int64_t second = new_scan(ts.store, "mc 39", "Zelfscan 2026");
	answer(ts.store, &anna, second, "a1", "embedded");
	answer(ts.store, &anna, second, "a2", "embedded");
	answer(ts.store, &bram, second, "a3", "planned");
	answer(ts.store, &bram, second, "b1", "planned");
	answer(ts.store, &anna, second, "b2", "planned");
	answer(ts.store, &anna, second, "g1", "embedded");
	assert_ok(scan_report_build(ts.store, second, "nl", &r, &e), &e);
	assert_string_equal(r.scan.region, "MC39");
	assert_true(r.has_previous);
	assert_int_equal(r.previous.id, first);
	const struct scan_theme_profile *alpha = theme_of(&r, "alpha");
	assert_true(alpha->has_previous);
	assert_percent(100.0 * 7 / 9, alpha->score);
	assert_percent(100.0 * 4 / 9, alpha->previous_score);
	assert_percent(100.0 * 3 / 9, alpha->change);
	assert_percent(100.0 * 1 / 6, theme_of(&r, "beta")->change);
	assert_percent(100.0 / 3, theme_of(&r, "gamma")->change);

	const struct scan_action_row *a1 = action_of(&r, "a1");
	assert_int_equal(a1->previous_level, SCAN_PLANNED);
	assert_true(a1->has_change);
	assert_int_equal(a1->change, 2);
	const struct scan_action_row *a3 = action_of(&r, "a3");
	assert_int_equal(a3->previous_level, SCAN_UNANSWERED);
	assert_false(a3->has_change);
	assert_int_equal(action_of(&r, "b1")->change, 1);
	assert_int_equal(action_of(&r, "b2")->change, 0);
	scan_report_release(&r);

	/* The first scan has nothing before it. */
	assert_ok(scan_report_build(ts.store, first, "nl", &r, &e), &e);
	assert_false(r.has_previous);
	scan_report_release(&r);
	test_store_close(&ts);
}

static void test_scan__closed_scan_keeps_its_actions(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct scan_report r;
	test_store_open(&ts);
	load_content(ts.store, NULL);
	int64_t first = first_scan(ts.store);
	assert_ok(scan_close(ts.store, &anna, first, &e), &e);
	/* An action added to alpha afterwards counts for open scans only. */
	json_t *a4 = json_pack("{s:s, s:s, s:i, s:o, s:o}", "slug", "a4", "theme", "alpha",
			       "order", 4, "title", both("Actie A4"), "body", both("Nieuw."));
	assert_ok(knowledge_save(ts.store, &seeder, KB_ACTION, a4, NULL, NULL, NULL, &e), &e);
	json_decref(a4);
	assert_ok(knowledge_publish(ts.store, &seeder, KB_ACTION, "a4", NULL, &e), &e);
	assert_ok(scan_report_build(ts.store, first, "nl", &r, &e), &e);
	assert_int_equal(theme_of(&r, "alpha")->nactions, 3);
	assert_percent(100.0 * 4 / 9, theme_of(&r, "alpha")->score);
	scan_report_release(&r);
	int64_t second = new_scan(ts.store, "MC39", "Daarna");
	assert_ok(scan_report_build(ts.store, second, "nl", &r, &e), &e);
	assert_int_equal(theme_of(&r, "alpha")->nactions, 4);
	scan_report_release(&r);
	test_store_close(&ts);
}

static void test_scan__history_keeps_who_answered_what(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	load_content(ts.store, NULL);
	int64_t id = new_scan(ts.store, "Zuid-Limburg", "Samen ingevuld");
	const char *partners[] = {"Gemeente Heerlen", "UWV"};
	struct scan_answer_input first = {"a1", "not_started", "Nog niets", partners, 2};
	struct scan_answer_input second = {"a1", "in-progress", "Gestart in mei", NULL, 0};
	assert_ok(scan_answer(ts.store, &anna, id, &first, NULL, &e), &e);
	assert_ok(scan_answer(ts.store, &bram, id, &second, NULL, &e), &e);
	answer(ts.store, &bram, id, "b1", "planned");

	struct scan_answer *h;
	size_t n;
	assert_ok(scan_answer_history(ts.store, id, "a1", &h, &n, &e), &e);
	assert_int_equal(n, 2);
	assert_string_equal(h[0].answered_by, "anna");
	assert_string_equal(h[0].answered_by_org, "Gemeente Maastricht");
	assert_int_equal(h[0].level, SCAN_NOT_STARTED);
	assert_string_equal(h[0].note, "Nog niets");
	assert_int_equal(h[0].npartners, 2);
	assert_string_equal(h[0].partners[1], "UWV");
	assert_string_equal(h[1].answered_by, "bram");
	assert_int_equal(h[1].level, SCAN_IN_PROGRESS);
	assert_int_equal(h[1].npartners, 0);
	scan_answer_free_array(h, n);
	assert_ok(scan_answer_history(ts.store, id, NULL, &h, &n, &e), &e);
	assert_int_equal(n, 3);
	scan_answer_free_array(h, n);

	/* The latest answer counts. */
	struct scan_report r;
	assert_ok(scan_report_build(ts.store, id, "nl", &r, &e), &e);
	const struct scan_action_row *a1 = action_of(&r, "a1");
	assert_int_equal(a1->answer.level, SCAN_IN_PROGRESS);
	assert_string_equal(a1->answer.answered_by, "bram");
	scan_report_release(&r);
	test_store_close(&ts);
}

static void test_scan__rules(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	load_content(ts.store, NULL);
	int64_t id = new_scan(ts.store, " MC 3 ", "Regels");
	struct scan scan;
	assert_ok(scan_get(ts.store, id, &scan, &e), &e);
	assert_string_equal(scan.region, "MC03");
	scan_release(&scan);

	struct scan_answer_input bad_level = {"a1", "half", NULL, NULL, 0};
	assert_int_equal(scan_answer(ts.store, &anna, id, &bad_level, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(strstr(e.msg, "'half'"));
	struct scan_answer_input bad_action = {"zz", "planned", NULL, NULL, 0};
	assert_int_equal(scan_answer(ts.store, &anna, id, &bad_action, NULL, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(scan_create(ts.store, &anna, "MC39", "  ", &id, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(scan_create(ts.store, &anna, "", "Titel", &id, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);

	id = new_scan(ts.store, "MC39", "Dicht");
	assert_ok(scan_close(ts.store, &anna, id, &e), &e);
	struct scan_answer_input ok = {"a1", "planned", NULL, NULL, 0};
	assert_int_equal(scan_answer(ts.store, &anna, id, &ok, NULL, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_int_equal(scan_close(ts.store, &anna, id, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_int_equal(scan_close(ts.store, &anna, 9999, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);

	struct scan *list;
	size_t n;
	assert_ok(scan_list(ts.store, "mc39", &list, &n, &e), &e);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, id);
	assert_true(list[0].closed);
	scan_free_array(list, n);
	assert_ok(scan_list(ts.store, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 2);
	scan_free_array(list, n);

	char **names;
	scan_split_partners(" Gemeente  Sittard , ,UWV,", &names, &n);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "Gemeente Sittard");
	assert_string_equal(names[1], "UWV");
	scan_strings_free(names, n);
	test_store_close(&ts);
}

/* What an attacker types into every text field. */
#define EVIL "<script>alert(1)</script>\"><img src=x onerror=alert(2)>"

static void test_scan__export_escapes_every_text(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	load_content(ts.store, "Praktijk " EVIL);
	struct access evil_who = {"x" EVIL, "org" EVIL, "participant", NULL, "cli", "test", 0, 0, 0};
	int64_t id;
	assert_ok(scan_create(ts.store, &evil_who, "regio " EVIL, "titel " EVIL, &id, &e), &e);
	const char *partners[] = {"partner " EVIL};
	struct scan_answer_input in = {"a1", "planned", "note " EVIL "\nline 2", partners, 1};
	assert_ok(scan_answer(ts.store, &evil_who, id, &in, NULL, &e), &e);
	assert_ok(scan_close(ts.store, &evil_who, id, &e), &e);
	int64_t second;
	assert_ok(scan_create(ts.store, &evil_who, "regio " EVIL, "tweede " EVIL, &second, &e), &e);
	assert_ok(scan_answer(ts.store, &evil_who, second, &in, NULL, &e), &e);

	struct scan_report r;
	assert_ok(scan_report_build(ts.store, second, "nl", &r, &e), &e);
	assert_true(r.has_previous);
	struct buf html = BUF_INIT;
	scan_report_html(&r, &html);
	scan_report_release(&r);
	assert_null(strstr(html.data, "<script"));
	assert_null(strstr(html.data, "<img"));
	assert_non_null(strstr(html.data, "tweede &lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html.data, "regio &lt;script&gt;"));
	assert_non_null(strstr(html.data, "note &lt;script&gt;"));
	assert_non_null(strstr(html.data, "partner &lt;script&gt;"));
	assert_non_null(strstr(html.data, "org&lt;script&gt;"));
	assert_non_null(strstr(html.data, "x&lt;script&gt;"));
	assert_non_null(strstr(html.data, "Praktijk &lt;script&gt;"));
	assert_non_null(strstr(html.data, "titel &lt;script&gt;")); /* the previous scan's */
	assert_non_null(strstr(html.data, "<svg"));
	buf_release(&html);
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan__scores_per_theme),
		cmocka_unit_test(test_scan__recommendations_order_and_practices),
		cmocka_unit_test(test_scan__comparison_with_previous_closed_scan),
		cmocka_unit_test(test_scan__closed_scan_keeps_its_actions),
		cmocka_unit_test(test_scan__history_keeps_who_answered_what),
		cmocka_unit_test(test_scan__rules),
		cmocka_unit_test(test_scan__export_escapes_every_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
