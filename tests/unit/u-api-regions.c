/*
 * GET /api/v1/regions on a store filled through region_load with the demo region
 * (Zuid-Limburg, RMC region 39): the shape of the list and the ?rmc= and ?year= filters.
 */
#include "apitest.h"

#include "registry/region.h"

static size_t loaded; /* municipalities in the demo file */

static int setup(void **state)
{
	api_setup(state);
	struct err e = ERR_INIT;
	struct region_load_stats stats;
	char *path = source_path("data/regions/demo_region_zuid_limburg.csv");
	if (region_load(ts.store, path, 2023, &stats, &e) < 0)
		fail_msg("region_load: %s", e.msg);
	free(path);
	loaded = (size_t)stats.municipalities;
	return 0;
}

static void test_api_regions__empty_store_lists_nothing(void **state)
{
	(void)state;
	struct store *saved = ts.store;
	struct test_store empty;
	test_store_open(&empty);
	ts.store = empty.store;
	json_t *j = get_json("/api/v1/regions", NULL, 0, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 0);
	assert_true(json_is_null(json_object_get(j, "year")));
	assert_int_equal(json_array_size(json_object_get(j, "municipalities")), 0);
	json_decref(j);
	ts.store = saved;
	test_store_close(&empty);
}

static void test_api_regions__lists_latest_year_with_regions(void **state)
{
	(void)state;
	assert_true(loaded > 0);
	json_t *j = get_json("/api/v1/regions", NULL, 0, 200);
	json_t *list = json_object_get(j, "municipalities");
	assert_int_equal(json_integer_value(json_object_get(j, "year")), 2023);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), loaded);
	assert_int_equal(json_array_size(list), loaded);
	const char *previous = "";
	size_t i;
	json_t *m;
	json_array_foreach(list, i, m) {
		const char *code = jstr(m, "code");
		assert_non_null(code);
		assert_int_equal(strlen(code), 6);
		assert_memory_equal(code, "GM", 2);
		assert_int_equal(json_integer_value(json_object_get(m, "year")), 2023);
		assert_string_equal(jstr(json_object_get(m, "rmc"), "code"), "MC39");
		assert_string_equal(jstr(json_object_get(m, "rmc"), "name"), "Zuid-Limburg");
		assert_true(json_is_object(json_object_get(m, "labour_market_region")));
		assert_true(json_is_number(json_object_get(m, "lat")));
		assert_true(json_is_number(json_object_get(m, "lon")));
		/* ordered by name */
		assert_true(strcmp(previous, jstr(m, "name")) <= 0);
		previous = jstr(m, "name");
	}
	/* Maastricht is in the demo region, with its point. */
	int found = 0;
	json_array_foreach(list, i, m) {
		if (strcmp(jstr(m, "code"), "GM0935") == 0) {
			found = 1;
			assert_string_equal(jstr(m, "name"), "Maastricht");
			assert_true(json_real_value(json_object_get(m, "lat")) > 50.8);
		}
	}
	assert_true(found);
	json_decref(j);
}

static void test_api_regions__filters(void **state)
{
	(void)state;
	const struct {
		const char *name, *value;
		long count; /* -1: all loaded */
		int status;
	} cases[] = {
		{"rmc", "MC39", -1, 200}, {"rmc", "39", -1, 200},	 {"rmc", "MC01", 0, 200},
		{"year", "2023", -1, 200}, {"year", "2019", 0, 200}, {"rmc", "GM0935", 0, 400},
		{"year", "23x", 0, 400},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct http_kv q[] = {{cases[i].name, cases[i].value}};
		json_t *j = get_json("/api/v1/regions", q, 1, cases[i].status);
		if (cases[i].status == 200) {
			size_t want = cases[i].count < 0 ? loaded : (size_t)cases[i].count;
			if ((size_t)json_integer_value(json_object_get(j, "count")) != want)
				fail_msg("?%s=%s: expected %zu, got %s", cases[i].name,
					 cases[i].value, want, json_dumps(j, 0));
		} else {
			assert_string_equal(error_code(j), "invalid");
			assert_non_null(strstr(error_message(j), cases[i].name));
		}
		json_decref(j);
	}
	/* the filter is echoed normalised */
	const struct http_kv q[] = {{"rmc", "39"}};
	json_t *j = get_json("/api/v1/regions", q, 1, 200);
	assert_string_equal(jstr(j, "rmc"), "MC39");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_regions__empty_store_lists_nothing),
		cmocka_unit_test(test_api_regions__lists_latest_year_with_regions),
		cmocka_unit_test(test_api_regions__filters),
	};
	return cmocka_run_group_tests(tests, setup, api_teardown);
}
