/*
 * GET /api/v1/organisations and /api/v1/organisations/{ref} on a store filled through
 * org_add: the list and its ?kind= filter, one organisation by id and by kind:ident, 404.
 */
#include "apitest.h"

#include "registry/org.h"

static int64_t school_id;

static int setup(void **state)
{
	api_setup(state);
	struct err e = ERR_INIT;
	const struct org_input orgs[] = {
		{.kind = "school",
		 .ident = "12AB00",
		 .name = "Sint-Maartenscollege",
		 .school_type = "VO",
		 .levels = "vmbo-t,havo,vwo"},
		{.kind = "care", .ident = "12345678", .name = "Jeugdzorg Zuid"},
		{.kind = "employer", .ident = "87654321", .name = "Bakkerij Bosch"},
	};
	for (size_t i = 0; i < sizeof(orgs) / sizeof(orgs[0]); i++) {
		struct organisation o;
		if (org_add(ts.store, &orgs[i], &o, &e) < 0)
			fail_msg("org_add %s: %s", orgs[i].ident, e.msg);
		if (i == 0)
			school_id = o.id;
		org_release(&o);
	}
	return 0;
}

static json_t *find_ident(json_t *list, const char *ident)
{
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		if (strcmp(jstr(o, "ident"), ident) == 0)
			return o;
	}
	return NULL;
}

static void test_api_orgs__list_and_kind_filter(void **state)
{
	(void)state;
	json_t *j = get_json("/api/v1/organisations", NULL, 0, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 3);
	assert_true(json_is_null(json_object_get(j, "kind")));
	json_t *school = find_ident(json_object_get(j, "organisations"), "12AB00");
	assert_non_null(school);
	assert_int_equal(json_integer_value(json_object_get(school, "id")), school_id);
	assert_string_equal(jstr(school, "kind"), "school");
	assert_string_equal(jstr(school, "name"), "Sint-Maartenscollege");
	assert_string_equal(jstr(school, "school_type"), "VO");
	json_t *levels = json_object_get(school, "levels");
	assert_int_equal(json_array_size(levels), 3);
	assert_string_equal(json_string_value(json_array_get(levels, 1)), "havo");
	assert_non_null(jstr(school, "created_at"));
	json_t *care = find_ident(json_object_get(j, "organisations"), "12345678");
	assert_non_null(care);
	assert_true(json_is_null(json_object_get(care, "school_type")));
	assert_int_equal(json_array_size(json_object_get(care, "levels")), 0);
	json_decref(j);

	const struct http_kv q[] = {{"kind", "school"}};
	j = get_json("/api/v1/organisations", q, 1, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 1);
	assert_string_equal(jstr(j, "kind"), "school");
	assert_string_equal(jstr(json_array_get(json_object_get(j, "organisations"), 0), "ident"),
			    "12AB00");
	json_decref(j);

	const struct http_kv none[] = {{"kind", "uwv"}};
	j = get_json("/api/v1/organisations", none, 1, 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 0);
	json_decref(j);

	const struct http_kv bad[] = {{"kind", "bakery"}};
	j = get_json("/api/v1/organisations", bad, 1, 400);
	assert_string_equal(error_code(j), "invalid");
	json_decref(j);
}

static void test_api_orgs__one_by_reference(void **state)
{
	(void)state;
	char by_id[64];
	snprintf(by_id, sizeof(by_id), "/api/v1/organisations/%lld", (long long)school_id);
	const char *paths[] = {by_id, "/api/v1/organisations/school:12AB00",
			       "/api/v1/organisations/12AB00"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		json_t *j = get_json(paths[i], NULL, 0, 200);
		assert_string_equal(jstr(j, "ident"), "12AB00");
		assert_string_equal(jstr(j, "kind"), "school");
		json_decref(j);
	}
	json_t *j = get_json("/api/v1/organisations/school:99ZZ99", NULL, 0, 404);
	assert_string_equal(error_code(j), "not_found");
	assert_non_null(error_message(j));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_orgs__list_and_kind_filter),
		cmocka_unit_test(test_api_orgs__one_by_reference),
	};
	return cmocka_run_group_tests(tests, setup, api_teardown);
}
