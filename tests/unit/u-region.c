/*
 * Tests of the region's reference data (registry/region.h) on the back end under test: the
 * shipped demo and 2023 files, the CBS layout recognised by header and by value, loads that
 * are all-or-nothing and idempotent, and errors that name file, line, column and rule.
 */
#include "testutil.h"

#include "registry/region.h"

#define DEMO "data/regions/demo_region_zuid_limburg.csv"
#define GEMEENTEN "data/regions/gemeenten_2023.csv"
#define CBS_FIXTURE "tests/fixtures/gebieden_in_nederland_2024.csv"

/* Write `text` to a file of its own under /tmp; returns its path (free it). */
static char *write_temp(const char *name, const char *text)
{
	static unsigned counter;
	char *path = xasprintf("/tmp/inbeeld-u-region-%d-%u-%s", (int)getpid(), counter++, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int64_t count_rows(struct store *s, const char *sql)
{
	int64_t n;
	struct err e = ERR_INIT;
	assert_ok(store_query_int64(s, sql, &n, &e), &e);
	return n;
}

static void expect_counts(struct store *s, int64_t municipalities, int64_t rmc, int64_t labour,
			  int64_t provinces)
{
	assert_int_equal(count_rows(s, "SELECT COUNT(*) FROM municipalities"), municipalities);
	assert_int_equal(count_rows(s, "SELECT COUNT(*) FROM rmc_regions"), rmc);
	assert_int_equal(count_rows(s, "SELECT COUNT(*) FROM labour_regions"), labour);
	assert_int_equal(count_rows(s, "SELECT COUNT(*) FROM provinces"), provinces);
}

/* Load `path` and expect a refusal whose message contains each of the NULL-ended `parts`. */
static void expect_load_error(struct store *s, const char *path, int year, ...)
{
	struct err e = ERR_INIT;
	struct region_load_stats st;
	if (region_load(s, path, year, &st, &e) == 0)
		fail_msg("loading %s succeeded; expected an error", path);
	assert_int_equal(st.rows, 0);
	va_list ap;
	va_start(ap, year);
	for (const char *part; (part = va_arg(ap, const char *));)
		if (!strstr(e.msg, part))
			fail_msg("expected the message to contain '%s', got: %s", part, e.msg);
	va_end(ap);
}

static void test_region__demo_file_loads_16_municipalities(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct region_load_stats st;
	test_store_open(&ts);
	assert_ok(region_load(ts.store, DEMO, 2023, &st, &e), &e);
	assert_int_equal(st.rows, 16);
	assert_int_equal(st.added, 16);
	assert_int_equal(st.municipalities, 16);
	assert_int_equal(st.regions, 3);
	expect_counts(ts.store, 16, 1, 1, 1);

	struct municipality *list;
	size_t n;
	assert_ok(region_list(ts.store, 0, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 16);
	assert_string_equal(list[0].name, "Beek"); /* ordered by name */
	assert_string_equal(list[15].name, "Voerendaal");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(list[i].year, 2023);
		assert_string_equal(list[i].rmc_code, "MC39");
		assert_string_equal(list[i].rmc_name, "Zuid-Limburg");
		assert_string_equal(list[i].labour_code, "AM35");
		assert_string_equal(list[i].labour_name, "Zuid-Limburg");
		assert_string_equal(list[i].province_code, "PV31");
		assert_string_equal(list[i].province_name, "Limburg");
		assert_true(list[i].has_point);
	}
	municipality_free_array(list, n);

	assert_ok(region_list(ts.store, 2023, "39", &list, &n, &e), &e);
	assert_int_equal(n, 16);
	municipality_free_array(list, n);
	assert_ok(region_list(ts.store, 2023, "MC38", &list, &n, &e), &e);
	assert_int_equal(n, 0);
	municipality_free_array(list, n);
	assert_ok(region_list(ts.store, 2022, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 0);
	municipality_free_array(list, n);
	assert_int_equal(region_list(ts.store, 2023, "AM35", &list, &n, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);

	struct municipality m;
	assert_ok(region_get(ts.store, "0935", 0, &m, &e), &e);
	assert_string_equal(m.code, "GM0935");
	assert_string_equal(m.name, "Maastricht");
	assert_true(m.lat > 50.8 && m.lat < 50.9 && m.lon > 5.6 && m.lon < 5.8);
	municipality_release(&m);
	test_store_close(&ts);
}

static void test_region__loading_twice_changes_nothing(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct region_load_stats st;
	test_store_open(&ts);
	assert_ok(region_load(ts.store, DEMO, 2023, &st, &e), &e);
	assert_ok(region_load(ts.store, DEMO, 2023, &st, &e), &e);
	assert_int_equal(st.rows, 16);
	assert_int_equal(st.added, 0);
	assert_int_equal(st.changed, 0);
	assert_int_equal(st.unchanged, 16);
	assert_int_equal(st.regions, 0);
	expect_counts(ts.store, 16, 1, 1, 1);
	test_store_close(&ts);
}

static void test_region__a_bad_row_rolls_back_everything(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	char *bad = write_temp("bad.csv", "gemeentecode,gemeentenaam,rmc_code,provincie\n"
					  "GM0935,Maastricht,39,Limburg\n"
					  "GM0917,Heerlen,39,Limburg\n"
					  "GM917,Kerkrade,39,Limburg\n");
	expect_load_error(ts.store, bad, 2023, bad, "line 4", "column 1", "gemeentecode",
			  "GM917", "rule: GM and 4 digits", NULL);
	expect_counts(ts.store, 0, 0, 0, 0);

	/* Over a loaded year: a failing file renames nothing either. */
	assert_ok(region_load(ts.store, DEMO, 2023, NULL, &e), &e);
	char *rename = write_temp("rename.csv", "gemeentecode,gemeentenaam,rmc_code,rmc_naam\n"
						"GM0935,Mestreech,39,Andere naam\n"
						"GM0917,Heerlen,40,\n");
	expect_load_error(ts.store, rename, 2023, "line 3", "column 3", "MC40", "no name", NULL);
	struct municipality m;
	assert_ok(region_get(ts.store, "GM0935", 2023, &m, &e), &e);
	assert_string_equal(m.name, "Maastricht");
	assert_string_equal(m.rmc_name, "Zuid-Limburg");
	municipality_release(&m);
	expect_counts(ts.store, 16, 1, 1, 1);
	unlink(bad);
	unlink(rename);
	free(bad);
	free(rename);
	test_store_close(&ts);
}

static void test_region__cbs_layout_is_recognised_by_value(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct region_load_stats st;
	test_store_open(&ts);
	assert_ok(region_load(ts.store, CBS_FIXTURE, 2024, &st, &e), &e);
	assert_int_equal(st.rows, 6);
	/* MC21, MC39, MC29, MC19; AM10, AM35, AM26, AM15; PV27, PV31, PV28, PV26. */
	assert_int_equal(st.regions, 12);
	expect_counts(ts.store, 6, 4, 4, 4);
	static const struct {
		const char *code, *name, *rmc, *rmc_name, *am, *am_name, *pv, *pv_name;
	} want[] = {
		{"GM0363", "Amsterdam", "MC21", "Agglomeratie Amsterdam", "AM10", "Groot Amsterdam",
		 "PV27", "Noord-Holland"},
		{"GM0935", "Maastricht", "MC39", "Zuid-Limburg", "AM35", "Zuid-Limburg", "PV31",
		 "Limburg"},
		{"GM0344", "Utrecht", "MC19", "Utrecht", "AM15", "Midden-Utrecht", "PV26", "Utrecht"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct municipality m;
		assert_ok(region_get(ts.store, want[i].code, 2024, &m, &e), &e);
		assert_string_equal(m.name, want[i].name);
		assert_string_equal(m.rmc_code, want[i].rmc);
		assert_string_equal(m.rmc_name, want[i].rmc_name);
		assert_string_equal(m.labour_code, want[i].am);
		assert_string_equal(m.labour_name, want[i].am_name);
		assert_string_equal(m.province_code, want[i].pv);
		assert_string_equal(m.province_name, want[i].pv_name);
		assert_false(m.has_point);
		municipality_release(&m);
	}
	assert_ok(region_load(ts.store, CBS_FIXTURE, 2024, &st, &e), &e);
	assert_int_equal(st.unchanged, 6);
	assert_int_equal(st.regions, 0);
	test_store_close(&ts);
}

static void test_region__cbs_layout_is_recognised_by_header(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	/* Titles as spelled out in a StatLine download, in an order the values do not give. */
	char *path = write_temp(
		"titles.csv",
		"Regio's;Codes en namen van gemeenten/Code;Codes en namen van gemeenten/Naam;"
		"Lokaliseringen van gemeenten/Provincies/Code;"
		"Lokaliseringen van gemeenten/Provincies/Naam;"
		"Lokaliseringen van gemeenten/RMC-regio's/Code;"
		"Lokaliseringen van gemeenten/RMC-regio's/Naam;"
		"Lokaliseringen van gemeenten/Arbeidsmarktregio's/Code;"
		"Lokaliseringen van gemeenten/Arbeidsmarktregio's/Naam\n"
		"Maastricht;GM0935;Maastricht;PV31;Limburg;39;Zuid-Limburg;35;Zuid-Limburg\n"
		"Heerlen;GM0917;Heerlen;PV31;Limburg;39;Zuid-Limburg;35;Zuid-Limburg\n");
	assert_ok(region_load(ts.store, path, 2024, NULL, &e), &e);
	struct municipality m;
	assert_ok(region_get(ts.store, "GM0917", 2024, &m, &e), &e);
	assert_string_equal(m.name, "Heerlen");
	assert_string_equal(m.rmc_code, "MC39");
	assert_string_equal(m.labour_code, "AM35");
	assert_string_equal(m.province_code, "PV31");
	municipality_release(&m);
	unlink(path);
	free(path);
	test_store_close(&ts);
}

static void test_region__shipped_2023_list_and_merged_loads(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct region_load_stats st;
	test_store_open(&ts);
	assert_ok(region_load(ts.store, GEMEENTEN, 2023, &st, &e), &e);
	assert_int_equal(st.rows, 342);
	expect_counts(ts.store, 342, 0, 0, 12);
	struct municipality m;
	assert_ok(region_get(ts.store, "GM1992", 2023, &m, &e), &e);
	assert_string_equal(m.name, "Voorne aan Zee");
	assert_false(m.has_point); /* no coordinates in the list */
	municipality_release(&m);
	assert_ok(region_get(ts.store, "GM1900", 2023, &m, &e), &e);
	assert_string_equal(m.province_name, "Fryslân");
	assert_string_equal(m.rmc_code, "");
	municipality_release(&m);

	/* The demo file adds the RMC and labour-market regions of 16 of them. */
	assert_ok(region_load(ts.store, DEMO, 2023, &st, &e), &e);
	assert_int_equal(st.changed, 16);
	assert_int_equal(st.added, 0);
	/* The 2023 list again: it has no RMC column, so the RMC regions stay. */
	assert_ok(region_load(ts.store, GEMEENTEN, 2023, &st, &e), &e);
	assert_int_equal(st.unchanged, 342);
	struct municipality *list;
	size_t n;
	assert_ok(region_list(ts.store, 2023, "MC39", &list, &n, &e), &e);
	assert_int_equal(n, 16);
	municipality_free_array(list, n);
	assert_ok(region_list(ts.store, 2023, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 342);
	assert_string_equal(list[0].name, "Aa en Hunze");
	municipality_free_array(list, n);
	test_store_close(&ts);
}

static void test_region__names_come_from_the_builtin_lists(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	/* A bare "arbeidsmarktregio" holding numbers is the code column; "provincie" holding
	 * names is the name column. */
	char *path = write_temp("numbers.csv", "gemeentecode;gemeentenaam;rmc_code;"
					       "arbeidsmarktregio;provincie\n"
					       "GM0080;Leeuwarden;4;2;Friesland\n"
					       "GM0935;Maastricht;MC39;35;limburg\n");
	assert_ok(region_load(ts.store, path, 2023, NULL, &e), &e);
	struct municipality m;
	assert_ok(region_get(ts.store, "GM0080", 2023, &m, &e), &e);
	assert_string_equal(m.rmc_code, "MC04");
	assert_string_equal(m.rmc_name, "Friesland Noord");
	assert_string_equal(m.labour_code, "AM02");
	assert_string_equal(m.labour_name, "Friesland");
	assert_string_equal(m.province_code, "PV21"); /* "Friesland" is Fryslân */
	assert_string_equal(m.province_name, "Fryslân");
	municipality_release(&m);
	assert_ok(region_get(ts.store, "GM0935", 2023, &m, &e), &e);
	assert_string_equal(m.rmc_name, "Gewest Zuid-Limburg");
	assert_string_equal(m.labour_code, "AM35");
	assert_string_equal(m.labour_name, "Zuid-Limburg");
	assert_string_equal(m.province_code, "PV31");
	municipality_release(&m);

	/* A name alone finds its number, spelled loosely and without "Gewest". */
	char *by_name = write_temp("names.csv", "gemeentecode;gemeentenaam;rmc_naam;"
						"arbeidsmarktregio_naam\n"
						"GM0917;Heerlen;zuid limburg;ZUID-LIMBURG\n");
	assert_ok(region_load(ts.store, by_name, 2023, NULL, &e), &e);
	assert_ok(region_get(ts.store, "GM0917", 2023, &m, &e), &e);
	assert_string_equal(m.rmc_code, "MC39");
	assert_string_equal(m.rmc_name, "Gewest Zuid-Limburg"); /* the known name stays */
	assert_string_equal(m.labour_code, "AM35");
	municipality_release(&m);
	unlink(by_name);
	free(by_name);
	unlink(path);
	free(path);
	test_store_close(&ts);
}

static void test_region__errors_name_file_line_column_and_rule(void **state)
{
	(void)state;
	struct test_store ts;
	test_store_open(&ts);
	static const struct {
		const char *name, *text;
		const char *parts[4];
	} cases[] = {
		{"no-code.csv", "pc4,lat,lon,gemeente\n6121,51.03,5.81,Sittard-Geleen\n",
		 {"no municipality code column", "'pc4', 'lat', 'lon', 'gemeente'", NULL}},
		{"no-name.csv", "gemeentecode;rmc_code\nGM0935;39\n",
		 {"no municipality name column", "'gemeentecode', 'rmc_code'", NULL}},
		{"twice.csv", "gemeentecode;gemeentenaam\nGM0935;Maastricht\nGM0935;Maastricht\n",
		 {"line 3, column 1", "GM0935 is on line 2 already", "rule: one row", NULL}},
		{"two-names.csv",
		 "gemeentecode;gemeentenaam;rmc_code;rmc_naam\nGM0935;Maastricht;39;Zuid-Limburg\n"
		 "GM0917;Heerlen;39;Parkstad\n",
		 {"line 3, column 4", "'Parkstad' differs from", "line 2", "one name per region"}},
		{"bad-region.csv", "gemeentecode;gemeentenaam;rmc_code\nGM0935;Maastricht;MC390\n",
		 {"line 2, column 3", "field rmc_code", "'MC390'", "MC and 2 digits"}},
		{"unknown-am.csv",
		 "gemeentecode;gemeentenaam;arbeidsmarktregio_naam\nGM0935;Maastricht;Nergensland\n",
		 {"line 2, column 3", "'Nergensland' is not a known labour-market region", "rule",
		  NULL}},
		{"bad-point.csv", "gemeentecode;gemeentenaam;lat;lon\nGM0935;Maastricht;50,85;noord\n",
		 {"line 2, column 4", "field lon", "'noord'", "decimal degrees"}},
		{"half-point.csv", "gemeentecode;gemeentenaam;lat;lon\nGM0935;Maastricht;50.85;\n",
		 {"line 2, column 4", "field lon", "both or neither", NULL}},
		{"no-name-value.csv", "gemeentecode;gemeentenaam\nGM0935;  \n",
		 {"line 2, column 2", "field gemeentenaam", "needs a name", NULL}},
		{"header-only.csv", "gemeentecode;gemeentenaam\n",
		 {"no municipalities after the header", NULL}},
		{"empty.csv", "", {"empty", NULL}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_temp(cases[i].name, cases[i].text);
		struct err e = ERR_INIT;
		if (region_load(ts.store, path, 2023, NULL, &e) == 0)
			fail_msg("%s: loaded; expected an error", cases[i].name);
		assert_int_equal(e.code, ERR_INVALID);
		if (!strstr(e.msg, path))
			fail_msg("%s: the message does not name the file: %s", cases[i].name, e.msg);
		for (int k = 0; k < 4 && cases[i].parts[k]; k++)
			if (!strstr(e.msg, cases[i].parts[k]))
				fail_msg("%s: expected '%s' in: %s", cases[i].name, cases[i].parts[k],
					 e.msg);
		unlink(path);
		free(path);
	}
	expect_counts(ts.store, 0, 0, 0, 0);
	struct err e = ERR_INIT;
	assert_int_equal(region_load(ts.store, DEMO, 1700, NULL, &e), -1);
	assert_true(strstr(e.msg, "1800") != NULL);
	assert_int_equal(region_load(ts.store, "/nonexistent/file.csv", 2023, NULL, &e), -1);
	assert_int_equal(e.code, ERR_IO);
	test_store_close(&ts);
}

static void test_region__decimal_comma_and_year_of_a_code(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	char *old = write_temp("old.csv", "gemeentecode;gemeentenaam;lat;lon\n"
					  "GM0881;Onderbanken;50,93;5,97\n"
					  "GM0935;Maastricht;50,85;5,70\n");
	assert_ok(region_load(ts.store, old, 2018, NULL, &e), &e);
	assert_ok(region_load(ts.store, DEMO, 2023, NULL, &e), &e);
	struct municipality m;
	/* Year 0: the latest year that has the code, so a merged-away one is still found. */
	assert_ok(region_get(ts.store, "GM0881", 0, &m, &e), &e);
	assert_int_equal(m.year, 2018);
	assert_true(m.has_point && m.lat > 50.92 && m.lat < 50.94);
	municipality_release(&m);
	assert_ok(region_get(ts.store, "GM0935", 0, &m, &e), &e);
	assert_int_equal(m.year, 2023);
	municipality_release(&m);
	assert_int_equal(region_get(ts.store, "GM0881", 2023, &m, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(region_get(ts.store, "GM88", 0, &m, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);

	bool exists, any;
	assert_ok(region_municipality_exists(ts.store, "GM0881", &exists, &e), &e);
	assert_true(exists);
	assert_ok(region_municipality_exists(ts.store, "0881", &exists, &e), &e);
	assert_true(exists);
	assert_ok(region_municipality_exists(ts.store, "GM9999", &exists, &e), &e);
	assert_false(exists);
	assert_ok(region_municipality_exists(ts.store, "Onderbanken", &exists, &e), &e);
	assert_false(exists);
	assert_ok(region_any_loaded(ts.store, &any, &e), &e);
	assert_true(any);
	/* The latest year is listed by default. */
	struct municipality *list;
	size_t n;
	assert_ok(region_list(ts.store, 0, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 16);
	municipality_free_array(list, n);
	unlink(old);
	free(old);
	test_store_close(&ts);
}

static void test_region__nothing_loaded(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	bool any = true;
	assert_ok(region_any_loaded(ts.store, &any, &e), &e);
	assert_false(any);
	struct municipality *list;
	size_t n = 99;
	assert_ok(region_list(ts.store, 0, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 0);
	municipality_free_array(list, n);
	test_store_close(&ts);
}

static void test_region__guess_year(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		int year;
	} cases[] = {
		{"gemeenten_2023.csv", 2023},
		{"/data/cbs/gebieden_in_nederland_2024.csv", 2024},
		{"data/regions/demo_region_zuid_limburg.csv", 2023},
		{"regions.csv", 0},
		{"2024/regions.csv", 0}, /* only the base name counts */
		{"export_12345.csv", 0},
		{"Gebieden 2019 (85067NED).csv", 2019},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (region_guess_year(cases[i].path) != cases[i].year)
			fail_msg("%s: expected %d, got %d", cases[i].path, cases[i].year,
				 region_guess_year(cases[i].path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_region__demo_file_loads_16_municipalities),
		cmocka_unit_test(test_region__loading_twice_changes_nothing),
		cmocka_unit_test(test_region__a_bad_row_rolls_back_everything),
		cmocka_unit_test(test_region__cbs_layout_is_recognised_by_value),
		cmocka_unit_test(test_region__cbs_layout_is_recognised_by_header),
		cmocka_unit_test(test_region__shipped_2023_list_and_merged_loads),
		cmocka_unit_test(test_region__names_come_from_the_builtin_lists),
		cmocka_unit_test(test_region__errors_name_file_line_column_and_rule),
		cmocka_unit_test(test_region__decimal_comma_and_year_of_a_code),
		cmocka_unit_test(test_region__nothing_loaded),
		cmocka_unit_test(test_region__guess_year),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
