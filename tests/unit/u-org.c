/*
 * Tests of the organisations of the region (registry/org.h) on the back end under test: each
 * kind's identifier rule, school types and levels, municipality codes checked against the
 * reference data, look-ups by reference, and loads that are all-or-nothing.
 */
#include "testutil.h"

#include "registry/org.h"
#include "registry/region.h"

#define DEMO "data/regions/demo_region_zuid_limburg.csv"
#define ORG_FIXTURE "tests/fixtures/organisations.csv"

static char *write_temp(const char *name, const char *text)
{
	static unsigned counter;
	char *path = xasprintf("/tmp/inbeeld-u-org-%d-%u-%s", (int)getpid(), counter++, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int64_t org_count(struct store *s)
{
	int64_t n;
	struct err e = ERR_INIT;
	assert_ok(store_query_int64(s, "SELECT COUNT(*) FROM organisations", &n, &e), &e);
	return n;
}

static void open_with_region(struct test_store *ts)
{
	struct err e = ERR_INIT;
	test_store_open(ts);
	assert_ok(region_load(ts->store, DEMO, 2023, NULL, &e), &e);
}

static void test_org__add_get_list_a_school(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	open_with_region(&ts);
	struct org_input in = {"School", " 12ab-00 ", "Voorbeeldcollege", "vo", "VWO, havo;vwo",
			       "0935"};
	struct organisation o;
	assert_ok(org_add(ts.store, &in, &o, &e), &e);
	assert_true(o.id > 0);
	assert_int_equal(o.kind, ORG_SCHOOL);
	assert_string_equal(o.ident, "12AB00");
	assert_string_equal(o.name, "Voorbeeldcollege");
	assert_string_equal(o.school_type, "VO");
	assert_string_equal(o.levels, "havo,vwo"); /* the type's order, once each */
	assert_string_equal(o.municipality_code, "GM0935");
	assert_non_null(o.created_at);
	int64_t id = o.id;
	org_release(&o);

	static const char *const refs[] = {"12AB00", "12ab-00", "school:12AB00", "SCHOOL:12ab 00",
					   "id:1"};
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		if (org_get(ts.store, refs[i], &o, &e) < 0)
			fail_msg("org_get('%s'): %s", refs[i], e.msg);
		assert_int_equal(o.id, id);
		org_release(&o);
	}
	char by_id[24];
	snprintf(by_id, sizeof(by_id), "%lld", (long long)id);
	assert_ok(org_get(ts.store, by_id, &o, &e), &e);
	assert_string_equal(o.ident, "12AB00");
	org_release(&o);

	/* The same school again is refused and leaves one. */
	assert_int_equal(org_add(ts.store, &in, NULL, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "school:12AB00 exists already"));
	assert_int_equal(org_count(ts.store), 1);

	struct organisation *list;
	size_t n;
	assert_ok(org_list(ts.store, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 1);
	org_free_array(list, n);
	assert_ok(org_list(ts.store, "care", &list, &n, &e), &e);
	assert_int_equal(n, 0);
	org_free_array(list, n);
	assert_int_equal(org_list(ts.store, "bank", &list, &n, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(strstr(e.msg, "field kind: 'bank'"));
	test_store_close(&ts);
}

static void test_org__each_kind_and_its_identifier(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	open_with_region(&ts);
	static const struct {
		struct org_input in;
		const char *ident, *municipality;
	} good[] = {
		{{"school", "34CD01", "Praktijkschool", "PrO", "pro", "GM0917"}, "34CD01", "GM0917"},
		{{"school", "56EF00", "VSO De Brug", "VSO", "dagbesteding,arbeidsmarkt", NULL},
		 "56EF00", NULL},
		{{"school", "78GH00", "mbo Zuid", "MBO", "mbo-4,entree", ""}, "78GH00", NULL},
		{{"municipality", "gm0935", "Gemeente Maastricht", NULL, NULL, NULL}, "GM0935",
		 "GM0935"},
		{{"care", "12345678", "Jeugdhulp", NULL, NULL, "GM0917"}, "12345678", "GM0917"},
		{{"employer", "87654321", "Bouwbedrijf", "", "", "GM0928"}, "87654321", "GM0928"},
		{{"uwv", "uwv-zl", "UWV Zuid-Limburg", NULL, NULL, NULL}, "UWV-ZL", NULL},
		{{"wsp", "WSP-ZL", "WSP Zuid-Limburg", NULL, NULL, NULL}, "WSP-ZL", NULL},
		{{"duo", "DUO", "DUO", NULL, NULL, NULL}, "DUO", NULL},
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct organisation o;
		if (org_add(ts.store, &good[i].in, &o, &e) < 0)
			fail_msg("%s %s: %s", good[i].in.kind, good[i].in.ident, e.msg);
		assert_string_equal(o.ident, good[i].ident);
		if (good[i].municipality)
			assert_string_equal(o.municipality_code, good[i].municipality);
		else
			assert_null(o.municipality_code);
		org_release(&o);
	}
	struct organisation o;
	assert_ok(org_get(ts.store, "56EF00", &o, &e), &e);
	assert_string_equal(o.levels, "arbeidsmarkt,dagbesteding");
	org_release(&o);
	assert_ok(org_get(ts.store, "78GH00", &o, &e), &e);
	assert_string_equal(o.school_type, "mbo");
	assert_string_equal(o.levels, "entree,mbo-4");
	org_release(&o);

	/* Ordered by kind, then by name. */
	struct organisation *list;
	size_t n;
	assert_ok(org_list(ts.store, NULL, &list, &n, &e), &e);
	assert_int_equal(n, 9);
	assert_string_equal(list[0].name, "mbo Zuid");
	assert_string_equal(list[1].name, "Praktijkschool");
	assert_string_equal(list[2].name, "VSO De Brug");
	assert_int_equal(list[3].kind, ORG_MUNICIPALITY);
	assert_int_equal(list[8].kind, ORG_DUO);
	org_free_array(list, n);
	assert_ok(org_list(ts.store, "School", &list, &n, &e), &e);
	assert_int_equal(n, 3);
	org_free_array(list, n);
	test_store_close(&ts);
}

static void test_org__identifier_and_field_errors(void **state)
{
	(void)state;
	struct test_store ts;
	open_with_region(&ts);
	static const struct {
		struct org_input in;
		const char *parts[3];
	} bad[] = {
		{{"school", "12AB0", "X", "VO", NULL, NULL}, {"field ident", "'12AB0'", "BRIN"}},
		{{"school", "12ABCD", "X", "VO", NULL, NULL}, {"field ident", "'12ABCD'", "rule"}},
		{{"municipality", "GM935", "X", NULL, NULL, NULL},
		 {"field ident", "'GM935'", "GM and 4 digits"}},
		{{"care", "1234567", "X", NULL, NULL, NULL},
		 {"field ident", "'1234567'", "AGB code (rule: exactly 8 digits)"}},
		{{"employer", "1234567a", "X", NULL, NULL, NULL},
		 {"field ident", "'1234567a'", "KvK number (rule: exactly 8 digits)"}},
		{{"uwv", "U", "X", NULL, NULL, NULL}, {"field ident", "'U'", "2 to 20 letters"}},
		{{"wsp", "WSP ZL", "X", NULL, NULL, NULL}, {"field ident", "'WSP ZL'", "short code"}},
		{{"duo", "", "X", NULL, NULL, NULL}, {"field ident", "''", "short code"}},
		{{"bank", "X1", "X", NULL, NULL, NULL},
		 {"field kind", "'bank'", "one of school, municipality, care"}},
		{{NULL, "X1", "X", NULL, NULL, NULL}, {"field kind", "empty", "rule"}},
		{{"school", "12AB00", "X", NULL, NULL, NULL},
		 {"field school_type", "empty", "VO, VSO, PrO or mbo"}},
		{{"school", "12AB00", "X", "HBO", NULL, NULL},
		 {"field school_type", "'HBO'", "one of VO, VSO, PrO, mbo"}},
		{{"school", "12AB00", "X", "mbo", "havo", NULL},
		 {"field levels", "'havo' is not a level of mbo", "entree, mbo-2"}},
		{{"school", "12AB00", "X", "VO", "vmbo-t,gymnasium", NULL},
		 {"field levels", "'gymnasium'", "vmbo-b, vmbo-k, vmbo-gl, vmbo-t, havo, vwo"}},
		{{"care", "12345678", "X", "VO", NULL, NULL},
		 {"field school_type", "'VO'", "only schools"}},
		{{"employer", "87654321", "X", NULL, "havo", NULL},
		 {"field levels", "'havo'", "only schools"}},
		{{"school", "12AB00", "  ", "VO", NULL, NULL}, {"field name", "empty", "rule"}},
		{{"school", "12AB00", "X", "VO", NULL, "GM935"},
		 {"field municipality_code", "'GM935'", "GM and 4 digits"}},
		{{"school", "12AB00", "X", "VO", NULL, "GM0363"},
		 {"field municipality_code", "'GM0363'", "loaded with 'inbeeld region load'"}},
		{{"municipality", "GM0363", "Amsterdam", NULL, NULL, NULL},
		 {"field ident", "'GM0363'", "not a municipality of the reference data"}},
		{{"school", "12AB00", "Naam\nmet regel", "VO", NULL, NULL},
		 {"field name", "control character", "rule"}},
		{{"school", "12AB00", "Caf\xe9", "VO", NULL, NULL}, {"field name", "UTF-8", NULL}},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct err e = ERR_INIT;
		struct organisation o;
		if (org_add(ts.store, &bad[i].in, &o, &e) == 0)
			fail_msg("case %zu (%s %s): added; expected a refusal", i,
				 bad[i].in.kind ? bad[i].in.kind : "(null)", bad[i].in.ident);
		assert_int_equal(e.code, ERR_INVALID);
		assert_null(o.name);
		for (int k = 0; k < 3 && bad[i].parts[k]; k++)
			if (!strstr(e.msg, bad[i].parts[k]))
				fail_msg("case %zu: expected '%s' in: %s", i, bad[i].parts[k], e.msg);
	}
	assert_int_equal(org_count(ts.store), 0);
	test_store_close(&ts);
}

static void test_org__any_municipality_code_before_regions_are_loaded(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	struct org_input in = {"care", "12345678", "Jeugdhulp", NULL, NULL, "GM9999"};
	assert_ok(org_add(ts.store, &in, NULL, &e), &e);
	struct org_input gm = {"municipality", "GM9998", "Nergens", NULL, NULL, NULL};
	assert_ok(org_add(ts.store, &gm, NULL, &e), &e);
	test_store_close(&ts);
}

static void test_org__ambiguous_and_unknown_references(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	open_with_region(&ts);
	struct org_input care = {"care", "12345678", "Zorg", NULL, NULL, NULL};
	struct org_input employer = {"employer", "12345678", "Werk", NULL, NULL, NULL};
	assert_ok(org_add(ts.store, &care, NULL, &e), &e);
	assert_ok(org_add(ts.store, &employer, NULL, &e), &e);
	struct organisation o;
	assert_int_equal(org_get(ts.store, "12345678", &o, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "care:12345678"));
	assert_non_null(strstr(e.msg, "employer:12345678"));
	assert_null(o.name);
	assert_ok(org_get(ts.store, "employer:12345678", &o, &e), &e);
	assert_string_equal(o.name, "Werk");
	org_release(&o);

	assert_int_equal(org_get(ts.store, "school:99ZZ00", &o, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(org_get(ts.store, "99ZZ00", &o, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(org_get(ts.store, "424242", &o, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(org_get(ts.store, "school:12AB0", &o, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(strstr(e.msg, "BRIN"));
	assert_int_equal(org_get(ts.store, "bank:1", &o, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(org_get(ts.store, "  ", &o, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(org_get(ts.store, "id:x", &o, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	test_store_close(&ts);
}

static void test_org__upsert_updates_in_place(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	open_with_region(&ts);
	struct org_input in = {"school", "12AB00", "Oude naam", "VO", "havo", "GM0935"};
	struct organisation o;
	assert_ok(org_upsert(ts.store, &in, &o, &e), &e);
	int64_t id = o.id;
	org_release(&o);
	struct org_input changed = {"school", "12ab00", "Nieuwe naam", "VO", "havo,vwo", NULL};
	assert_ok(org_upsert(ts.store, &changed, &o, &e), &e);
	assert_int_equal(o.id, id);
	assert_string_equal(o.name, "Nieuwe naam");
	assert_string_equal(o.levels, "havo,vwo");
	assert_null(o.municipality_code);
	org_release(&o);
	assert_int_equal(org_count(ts.store), 1);
	test_store_close(&ts);
}

static void test_org__load_is_transactional_and_idempotent(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	long count;
	open_with_region(&ts);
	assert_ok(org_load(ts.store, ORG_FIXTURE, &count, &e), &e);
	assert_int_equal(count, 10);
	assert_int_equal(org_count(ts.store), 10);
	assert_ok(org_load(ts.store, ORG_FIXTURE, &count, &e), &e);
	assert_int_equal(count, 10);
	assert_int_equal(org_count(ts.store), 10);
	struct organisation o;
	assert_ok(org_get(ts.store, "school:56EF00", &o, &e), &e);
	assert_string_equal(o.school_type, "VSO");
	assert_string_equal(o.levels, "arbeidsmarkt,dagbesteding");
	org_release(&o);

	/* A file that renames one and breaks on another changes nothing. */
	char *bad = write_temp("bad.csv", "Kind,Ident,Naam,School type,Levels,Gemeente\n"
					  "school,12AB00,Ander college,VO,havo,GM0935\n"
					  "care,11112222,Nieuwe zorg,,,GM0917\n"
					  "employer,1234,Te kort,,,GM0917\n");
	assert_int_equal(org_load(ts.store, bad, &count, &e), -1);
	assert_int_equal(count, 0);
	for (const char *const *p = (const char *const[]){bad, "line 4", "column 2", "field ident",
							   "'1234'", "rule", NULL};
	     *p; p++)
		if (!strstr(e.msg, *p))
			fail_msg("expected '%s' in: %s", *p, e.msg);
	assert_ok(org_get(ts.store, "school:12AB00", &o, &e), &e);
	assert_string_equal(o.name, "Voorbeeldcollege Maastricht");
	org_release(&o);
	assert_int_equal(org_count(ts.store), 10);

	static const struct {
		const char *name, *text, *parts[3];
	} cases[] = {
		{"twice.csv", "kind;ident;name\nuwv;UWV-A;A\nuwv;uwv-a;B\n",
		 {"line 3, column 2", "uwv:UWV-A is on line 2 already", "one row"}},
		{"levels.csv", "kind;ident;name;school_type;levels\nschool;12AB00;A;VO;mbo-2\n",
		 {"line 2, column 5", "field levels", "'mbo-2'"}},
		{"gm.csv", "kind;ident;name;municipality_code\ncare;12345678;A;GM0363\n",
		 {"line 2, column 4", "field municipality_code", "'GM0363'"}},
		{"type-missing.csv", "kind;ident;name\nschool;12AB00;A\n",
		 {"line 2:", "field school_type", "empty"}},
		{"columns.csv", "soort;naam\nschool;A\n",
		 {"needs the columns kind, ident and name", "'soort', 'naam'", NULL}},
		{"header-only.csv", "kind;ident;name\n", {"no organisations", NULL, NULL}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_temp(cases[i].name, cases[i].text);
		if (org_load(ts.store, path, &count, &e) == 0)
			fail_msg("%s: loaded; expected an error", cases[i].name);
		assert_int_equal(e.code, ERR_INVALID);
		for (int k = 0; k < 3 && cases[i].parts[k]; k++)
			if (!strstr(e.msg, cases[i].parts[k]))
				fail_msg("%s: expected '%s' in: %s", cases[i].name, cases[i].parts[k],
					 e.msg);
		unlink(path);
		free(path);
	}
	assert_int_equal(org_count(ts.store), 10);
	unlink(bad);
	free(bad);
	test_store_close(&ts);
}

static void test_org__kind_names(void **state)
{
	(void)state;
	enum org_kind k;
	struct err e = ERR_INIT;
	for (int i = ORG_SCHOOL; i <= ORG_DUO; i++) {
		assert_ok(org_kind_parse(org_kind_name((enum org_kind)i), &k, &e), &e);
		assert_int_equal(k, i);
	}
	assert_ok(org_kind_parse(" WSP ", &k, &e), &e);
	assert_int_equal(k, ORG_WSP);
	assert_int_equal(org_kind_parse("schools", &k, &e), -1);
	assert_string_equal(org_kind_name((enum org_kind)42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_org__add_get_list_a_school),
		cmocka_unit_test(test_org__each_kind_and_its_identifier),
		cmocka_unit_test(test_org__identifier_and_field_errors),
		cmocka_unit_test(test_org__any_municipality_code_before_regions_are_loaded),
		cmocka_unit_test(test_org__ambiguous_and_unknown_references),
		cmocka_unit_test(test_org__upsert_updates_in_place),
		cmocka_unit_test(test_org__load_is_transactional_and_idempotent),
		cmocka_unit_test(test_org__kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
