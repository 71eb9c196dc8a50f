/*
 * Status on a date: table-driven cases with hand-written timelines around every boundary of
 * docs/definitions.md — the end of leerplicht (31 July of the school year of the 16th
 * birthday), the kwalificatieplicht until the 18th birthday, a 29 February birthday, a
 * startkwalificatie on 31 December, a move out of the region, a death — and a store test
 * that loads a person's records through status_get on the back end under test.
 */
#include "apitest.h"
#include "test-timeline.h"

#include "registry/person.h"
#include "signals/settings.h"
#include "signals/signals.h"
#include "status/status.h"

enum field {
	F_LEERPLICHTIG,
	F_KWALIFICATIEPLICHTIG,
	F_SK,
	F_RESIDENT,
	F_MOVED_OUT,
	F_DECEASED,
	F_EDUCATION,
	F_WORK,
	F_BENEFIT,
	F_DAGBESTEDING,
	F_YOUTH_CARE,
	F_WMO,
	F_UIT_BEELD
};

static bool field(const struct status *st, enum field f)
{
	switch (f) {
	case F_LEERPLICHTIG:
		return st->leerplichtig;
	case F_KWALIFICATIEPLICHTIG:
		return st->kwalificatieplichtig;
	case F_SK:
		return st->has_sk;
	case F_RESIDENT:
		return st->resident;
	case F_MOVED_OUT:
		return st->moved_out;
	case F_DECEASED:
		return st->deceased;
	case F_EDUCATION:
		return st->in_education;
	case F_WORK:
		return st->at_work;
	case F_BENEFIT:
		return st->on_benefit;
	case F_DAGBESTEDING:
		return st->dagbesteding;
	case F_YOUTH_CARE:
		return st->youth_care;
	case F_WMO:
		return st->wmo;
	case F_UIT_BEELD:
		return st->uit_beeld;
	}
	return false;
}

#define RES(from, to) "residence|" from "|" to "|{\"municipality_code\":\"GM0935\"}"

static const char *const lives_here[] = {RES("2000-01-01", ""), NULL};
static const char *const sk_31_dec[] = {
    RES("2000-01-01", ""),
    "diplomas|2025-12-31||{\"qualification\":\"havo\",\"school\":\"14EK00\"}", NULL};
static const char *const vmbo_diploma[] = {
    RES("2000-01-01", ""),
    "diplomas|2025-06-30||{\"qualification\":\"vmbo-t\",\"school\":\"14EK00\"}",
    "diplomas|2025-07-10||{\"qualification\":\"mbo-1\",\"school\":\"25LR02\"}", NULL};
static const char *const moved_out[] = {RES("2000-01-01", "2025-05-31"), NULL};
static const char *const died[] = {
    "residence|2000-01-01||{\"municipality_code\":\"GM0935\",\"died\":\"2025-03-03\"}", NULL};
static const char *const enrolled[] = {
    RES("2000-01-01", ""),
    "enrolments|2022-08-01|2025-07-31|{\"school\":\"14EK00\",\"school_type\":\"VO\","
    "\"level\":\"havo\",\"end_reason\":\"uitval\"}",
    NULL};
static const char *const activities[] = {
    RES("2000-01-01", ""),
    "work|2025-01-01|2025-01-31|{\"kind\":\"employment\",\"employer_kvk\":\"12345678\","
    "\"hours_per_week\":12}",
    "work|2025-02-01|2025-02-28|{\"kind\":\"ww\"}",
    "care|2025-03-01|2025-03-31|{\"law\":\"wmo\",\"product_category\":\"07\"}",
    "care|2025-04-01|2025-04-30|{\"law\":\"jeugdwet\",\"product_category\":\"45\"}",
    "work|2025-05-01||{\"kind\":\"doelgroepenregister\"}",
    NULL};

struct status_case {
	const char *name, *birth;
	const char *const *rows;
	const char *on;
	enum field f;
	bool want;
};

static const struct status_case cases[] = {
    /* Born 15 March 2009: leerplicht until 31 July 2025, then kwalificatieplicht. */
    {"lp last day", "2009-03-15", lives_here, "2025-07-31", F_LEERPLICHTIG, true},
    {"lp day after", "2009-03-15", lives_here, "2025-08-01", F_LEERPLICHTIG, false},
    {"kp starts", "2009-03-15", lives_here, "2025-08-01", F_KWALIFICATIEPLICHTIG, true},
    {"kp not during lp", "2009-03-15", lives_here, "2025-07-31", F_KWALIFICATIEPLICHTIG, false},
    {"kp day before 18", "2009-03-15", lives_here, "2027-03-14", F_KWALIFICATIEPLICHTIG, true},
    {"kp ends on 18th birthday", "2009-03-15", lives_here, "2027-03-15", F_KWALIFICATIEPLICHTIG,
     false},
    /* Born 20 August 2009: turns 16 in school year 2025/26, so until 31 July 2026. */
    {"august birthday lp", "2009-08-20", lives_here, "2026-07-31", F_LEERPLICHTIG, true},
    {"august birthday lp over", "2009-08-20", lives_here, "2026-08-01", F_LEERPLICHTIG, false},
    /* Born 29 February 2008: 16 on 29 February 2024, 18 on 1 March 2026. */
    {"leap lp end", "2008-02-29", lives_here, "2024-07-31", F_LEERPLICHTIG, true},
    {"leap lp over", "2008-02-29", lives_here, "2024-08-01", F_LEERPLICHTIG, false},
    {"leap kp 28 Feb", "2008-02-29", lives_here, "2026-02-28", F_KWALIFICATIEPLICHTIG, true},
    {"leap kp 1 March", "2008-02-29", lives_here, "2026-03-01", F_KWALIFICATIEPLICHTIG, false},
    /* Leerplicht starts on the first school day of the month after the 5th birthday:
     * born 10 May 2009, June 2014 starts on Sunday 1 June, so on Monday 2 June. */
    {"lp start Sunday", "2009-05-10", lives_here, "2014-06-01", F_LEERPLICHTIG, false},
    {"lp start Monday", "2009-05-10", lives_here, "2014-06-02", F_LEERPLICHTIG, true},
    /* A startkwalificatie on 31 December ends the kwalificatieplicht that day. */
    {"sk day before", "2008-06-01", sk_31_dec, "2025-12-30", F_SK, false},
    {"sk on 31 Dec", "2008-06-01", sk_31_dec, "2025-12-31", F_SK, true},
    {"kp before sk", "2008-06-01", sk_31_dec, "2025-12-30", F_KWALIFICATIEPLICHTIG, true},
    {"kp ends with sk", "2008-06-01", sk_31_dec, "2025-12-31", F_KWALIFICATIEPLICHTIG, false},
    {"vmbo and entree are no sk", "2008-06-01", vmbo_diploma, "2025-12-31", F_SK, false},
    /* A move out of the region: moved_out 1 June, so the last day here is 31 May. */
    {"resident last day", "2008-06-01", moved_out, "2025-05-31", F_RESIDENT, true},
    {"not moved out yet", "2008-06-01", moved_out, "2025-05-31", F_MOVED_OUT, false},
    {"moved out", "2008-06-01", moved_out, "2025-06-01", F_MOVED_OUT, true},
    {"not resident after move", "2008-06-01", moved_out, "2025-06-01", F_RESIDENT, false},
    {"moved out not uit beeld", "2008-06-01", moved_out, "2025-06-01", F_UIT_BEELD, false},
    /* A death. */
    {"alive day before", "2008-06-01", died, "2025-03-02", F_DECEASED, false},
    {"deceased", "2008-06-01", died, "2025-03-03", F_DECEASED, true},
    {"deceased not plichtig", "2008-06-01", died, "2025-03-03", F_KWALIFICATIEPLICHTIG, false},
    {"deceased not uit beeld", "2008-06-01", died, "2025-03-03", F_UIT_BEELD, false},
    /* An enrolment's end date is its last day. */
    {"enrolled last day", "2008-06-01", enrolled, "2025-07-31", F_EDUCATION, true},
    {"not enrolled after", "2008-06-01", enrolled, "2025-08-01", F_EDUCATION, false},
    {"uit beeld after school", "2008-06-01", enrolled, "2025-08-01", F_UIT_BEELD, true},
    {"not enrolled before", "2008-06-01", enrolled, "2022-07-31", F_EDUCATION, false},
    /* Work, benefit, Wmo dagbesteding, youth care; the doelgroepenregister alone is not. */
    {"work", "2005-06-01", activities, "2025-01-31", F_WORK, true},
    {"work ended", "2005-06-01", activities, "2025-02-01", F_WORK, false},
    {"benefit", "2005-06-01", activities, "2025-02-01", F_BENEFIT, true},
    {"wmo dagbesteding", "2005-06-01", activities, "2025-03-15", F_DAGBESTEDING, true},
    {"wmo", "2005-06-01", activities, "2025-03-15", F_WMO, true},
    {"youth care", "2005-06-01", activities, "2025-04-30", F_YOUTH_CARE, true},
    {"in view with care", "2005-06-01", activities, "2025-04-30", F_UIT_BEELD, false},
    {"doelgroepenregister only", "2005-06-01", activities, "2025-05-01", F_UIT_BEELD, true},
};

static void test_status__table(void **state)
{
	(void)state;
	struct status_settings ss;
	status_settings_default(&ss);
	ss.leerplicht_start_first_day = false; /* the default: first_school_day */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct status_case *c = &cases[i];
		struct timeline t;
		struct status st;
		test_timeline(&t, c->birth, c->rows);
		status_compute(&t, &ss, test_day(c->on), &st);
		if (field(&st, c->f) != c->want)
			fail_msg("%s: on %s expected %s, got %s", c->name, c->on,
			         c->want ? "true" : "false", c->want ? "false" : "true");
		timeline_release(&t);
	}
}

/*
 * definitions.leap_day_birthday: someone born on 29 February reaches an age, in a common
 * year, on 1 March (the default) or on 28 February. Born 29 February 2008: 18 in 2026, 5 in
 * 2013 (leerplicht from the first school day of the next month: Friday 1 March or Monday
 * 1 April 2013); 16 on 29 February 2024, a leap year, whatever the setting.
 */
struct leap_case {
	const char *name;
	bool feb28;
	const char *on;
	enum field f;
	bool want;
	int age;
};

static const struct leap_case leap_cases[] = {
    {"1 March: kp on 28 Feb", false, "2026-02-28", F_KWALIFICATIEPLICHTIG, true, 17},
    {"1 March: 18 on 1 March", false, "2026-03-01", F_KWALIFICATIEPLICHTIG, false, 18},
    {"28 Feb: kp on 27 Feb", true, "2026-02-27", F_KWALIFICATIEPLICHTIG, true, 17},
    {"28 Feb: 18 on 28 Feb", true, "2026-02-28", F_KWALIFICATIEPLICHTIG, false, 18},
    {"1 March: lp not yet in March 2013", false, "2013-03-01", F_LEERPLICHTIG, false, 5},
    {"1 March: lp from 1 April 2013", false, "2013-04-01", F_LEERPLICHTIG, true, 5},
    {"28 Feb: lp from 1 March 2013", true, "2013-03-01", F_LEERPLICHTIG, true, 5},
    {"28 Feb: not 5 on 27 Feb 2013", true, "2013-02-27", F_LEERPLICHTIG, false, 4},
    {"leap year: lp to 31 July 2024", true, "2024-07-31", F_LEERPLICHTIG, true, 16},
    {"leap year: lp over 1 August 2024", true, "2024-08-01", F_LEERPLICHTIG, false, 16},
};

static void test_status__leap_day_birthday(void **state)
{
	(void)state;
	char out[DATE_STR_SIZE];
	for (size_t i = 0; i < sizeof(leap_cases) / sizeof(leap_cases[0]); i++) {
		const struct leap_case *c = &leap_cases[i];
		struct status_settings ss;
		struct timeline t;
		struct status st;
		status_settings_default(&ss);
		ss.leap_day_feb28 = c->feb28;
		test_timeline(&t, "2008-02-29", lives_here);
		status_compute(&t, &ss, test_day(c->on), &st);
		if (field(&st, c->f) != c->want || st.age != c->age)
			fail_msg("%s: on %s expected %s at age %d, got %s at %d", c->name, c->on,
			         c->want ? "true" : "false", c->age, field(&st, c->f) ? "true" : "false",
			         st.age);
		timeline_release(&t);
	}
	struct status_settings ss;
	status_settings_default(&ss);
	assert_string_equal(date_format(status_birthday(&ss, test_day("2008-02-29"), 18), out),
	                    "2026-03-01");
	ss.leap_day_feb28 = true;
	assert_string_equal(date_format(status_birthday(&ss, test_day("2008-02-29"), 18), out),
	                    "2026-02-28");
	assert_string_equal(date_format(status_birthday(&ss, test_day("2008-02-29"), 20), out),
	                    "2028-02-29");
	assert_int_equal(status_age(&ss, test_day("2008-02-29"), test_day("2026-02-27")), 17);
}

static void test_status__leerplicht_dates_and_settings(void **state)
{
	(void)state;
	struct status_settings ss;
	char out[DATE_STR_SIZE];
	status_settings_default(&ss);
	assert_string_equal(date_format(status_leerplicht_end(&ss, test_day("2009-03-15")), out),
	                    "2025-07-31");
	assert_string_equal(date_format(status_leerplicht_end(&ss, test_day("2009-08-20")), out),
	                    "2026-07-31");
	assert_string_equal(date_format(status_leerplicht_end(&ss, test_day("2008-02-29")), out),
	                    "2024-07-31");
	/* Born 1 August: turns 16 on the first day of a school year. */
	assert_string_equal(date_format(status_leerplicht_end(&ss, test_day("2009-08-01")), out),
	                    "2026-07-31");
	assert_string_equal(date_format(status_leerplicht_end(&ss, test_day("2009-07-31")), out),
	                    "2025-07-31");
	assert_string_equal(date_format(status_leerplicht_start(&ss, test_day("2009-03-15")), out),
	                    "2014-04-01");
	ss.leerplicht_start_first_day = true;
	assert_string_equal(date_format(status_leerplicht_start(&ss, test_day("2009-05-10")), out),
	                    "2014-06-01");
	ss.leerplicht_end_age = 17;
	assert_string_equal(date_format(status_leerplicht_end(&ss, test_day("2009-03-15")), out),
	                    "2026-07-31");
	assert_true(status_is_startkwalificatie("mbo-2"));
	assert_true(status_is_startkwalificatie("vwo"));
	assert_false(status_is_startkwalificatie("mbo-1"));
	assert_false(status_is_startkwalificatie("vmbo-t"));
}

static void test_status__evidence_and_json(void **state)
{
	(void)state;
	struct status_settings ss;
	struct timeline t;
	struct status st;
	status_settings_default(&ss);
	test_timeline(&t, "2008-06-01", enrolled);
	status_compute(&t, &ss, test_day("2024-01-10"), &st);
	assert_true(st.in_education);
	assert_string_equal(st.school, "14EK00");
	assert_string_equal(st.level, "havo");
	assert_int_equal(st.nevidence, 2); /* the residence and the enrolment */
	char *json = status_to_json(&st, &t);
	assert_non_null(strstr(json, "\"leerplichtig\":true"));
	assert_non_null(strstr(json, "\"record\":2"));
	free(json);
	timeline_release(&t);
}

static void test_status__bad_content_rejected(void **state)
{
	(void)state;
	struct timeline t;
	struct err e = ERR_INIT;
	timeline_init(&t);
	assert_int_equal(timeline_add(&t, 7, "work", "not json", "2025-01-01", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "feed record 7"));
	assert_int_equal(timeline_add(&t, 8, "work", "{\"kind\":\"ww\"}", "2025-01-01", "x", &e),
	                 -1);
	/* A value without its closing quote, and one whose escaped quote does not end it. */
	assert_int_equal(timeline_add(&t, 9, "work", "{\"kind\":\"ww}", "2025-01-01", NULL, &e),
	                 -1);
	assert_int_equal(t.n, 0);
	assert_ok(timeline_add(&t, 10, "enrolments",
	                       "{\"school\":\"14EK00\",\"end_reason\":\"a\\\"b\","
	                       "\"level\":\"havo\"}",
	                       "2025-01-01", NULL, &e),
	          &e);
	assert_string_equal(t.rec[0].school, "14EK00");
	assert_string_equal(t.rec[0].reason, "a\\\"b");
	assert_string_equal(t.rec[0].level, "havo");
	timeline_release(&t);
}

/* Through the store: a person and their records, loaded and audited by status_get. */
static void test_status__from_store(void **state)
{
	(void)state;
	struct test_store tstore;
	struct err e = ERR_INIT;
	test_store_open(&tstore);
	const char *setup[] = {
	    "INSERT INTO persons (pkey, birth_date, pii, key_id, created_at, updated_at)"
	    " VALUES ('k1', '2009-03-15', 'x', 1, 'now', 'now')",
	    "INSERT INTO imports (feed, source, mode, as_of, file_name, content_hash, started_at,"
	    " status) VALUES ('residence', 'municipality:GM0935', 'snapshot', '2025-10-01', 'f',"
	    " 'h', 'now', 'done')",
	    "INSERT INTO feed_records (feed, source, record_key, person_id, content, content_hash,"
	    " valid_from, valid_to, first_import, last_import) VALUES ('residence',"
	    " 'municipality:GM0935', 'a', 1, '{\"municipality_code\":\"GM0935\"}', 'h',"
	    " '2009-03-15', NULL, 1, 1)",
	    NULL};
	for (int i = 0; setup[i]; i++)
		if (store_exec(tstore.store, setup[i], &e) < 0)
			fail_msg("%s", e.msg);
	struct access who = {.actor = "test", .client = "cli", .role = "operator"};
	struct timeline t;
	struct status st;
	timeline_init(&t);
	assert_ok(status_get(tstore.store, &who, "k1", test_day("2025-08-01"), &t, &st, &e), &e);
	assert_true(st.resident);
	assert_false(st.leerplichtig);
	assert_true(st.kwalificatieplichtig);
	assert_true(st.uit_beeld);
	assert_int_equal(
	    status_get(tstore.store, &who, "nobody", test_day("2025-08-01"), &t, &st, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	/* A region's setting changes the outcome: leerplicht until 17. */
	assert_ok(setting_set(tstore.store, &who, "*", "definitions.leerplicht_end_age", "17", &e),
	          &e);
	assert_ok(status_get(tstore.store, &who, "k1", test_day("2025-08-01"), &t, &st, &e), &e);
	assert_true(st.leerplichtig);
	timeline_release(&t);
	test_store_close(&tstore);
}

/* ---- the API routes ------------------------------------------------------------------------ */

static char api_key[PSEUDONYM_HEX_SIZE];

static int api_group_setup(void **state)
{
	api_setup(state);
	api_login("lp", "leerplicht");
	struct err e = ERR_INIT;
	struct access who;
	access_cli_operator(&who);
	const struct person_input in = {.bsn = "111222333",
	                                .given_names = "Sem",
	                                .surname = "Jansen",
	                                .birth_date = "2010-01-10",
	                                .postcode = "6211AB"};
	struct person p;
	if (person_add(ts.store, &ts.keys, &who, &in, &p, &e) < 0)
		fail_msg("person_add: %s", e.msg);
	memcpy(api_key, p.pkey, sizeof(api_key));
	person_release(&p);
	const char *sql[] = {
	    "INSERT INTO imports (feed, source, mode, as_of, file_name, content_hash, started_at,"
	    " status) VALUES ('residence', 'x', 'snapshot', '2026-01-01', 'f', 'h', 'now', 'done')",
	    "INSERT INTO feed_records (feed, source, record_key, person_id, content, content_hash,"
	    " valid_from, valid_to, first_import, last_import) SELECT 'residence', 'x', 'r', id,"
	    " '{\"municipality_code\":\"GM0935\"}', 'h', '2010-01-10', NULL, 1, 1 FROM persons",
	    "INSERT INTO feed_records (feed, source, record_key, person_id, content, content_hash,"
	    " valid_from, valid_to, first_import, last_import) SELECT 'enrolments', 'x', 'e', id,"
	    " '{\"school\":\"14EK00\",\"school_type\":\"VO\",\"level\":\"vmbo-t\","
	    "\"end_reason\":\"uitval\"}', 'h', '2022-08-01', '2025-12-31', 1, 1 FROM persons",
	    NULL};
	for (int i = 0; sql[i]; i++)
		if (store_exec(ts.store, sql[i], &e) < 0)
			fail_msg("%s", e.msg);
	struct signal_run_stats st;
	if (signals_run(ts.store, &who, date_from_ymd(2026, 2, 1), true, &st, &e) < 0)
		fail_msg("%s", e.msg);
	return 0;
}

static void test_status__api_status_on_a_date(void **state)
{
	(void)state;
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/persons/%s/status", api_key);
	const struct http_kv on[] = {{"on", "2025-12-31"}};
	json_t *j = get_json(path, on, 1, 200);
	assert_true(json_is_true(json_object_get(j, "leerplichtig")));
	assert_string_equal(jstr(json_object_get(j, "education"), "level"), "vmbo-t");
	assert_true(json_array_size(json_object_get(j, "evidence")) >= 2);
	json_decref(j);
	const struct http_kv after[] = {{"on", "2026-01-01"}};
	j = get_json(path, after, 1, 200);
	assert_true(json_is_null(json_object_get(j, "education")));
	json_decref(j);
	const struct http_kv bad[] = {{"on", "2026-02-30"}};
	j = get_json(path, bad, 1, 400);
	json_decref(j);
	j = get_json(
	    "/api/v1/persons/0000000000000000000000000000000000000000000000000000000000000000"
	    "/status",
	    NULL, 0, 404);
	json_decref(j);
}

static void test_status__api_signals_inbox(void **state)
{
	(void)state;
	json_t *j = get_json("/api/v1/signals", NULL, 0, 200);
	json_t *list = json_object_get(j, "signals");
	assert_true(json_array_size(list) >= 1);
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it)
	{
		assert_string_equal(jstr(it, "org"), "municipality:GM0935");
		assert_string_equal(jstr(it, "role"), "leerplicht");
	}
	json_decref(j);
	const struct http_kv rule[] = {{"rule", "absoluut_verzuim"}};
	j = get_json("/api/v1/signals", rule, 1, 200);
	assert_int_equal(json_array_size(json_object_get(j, "signals")), 1);
	json_decref(j);
	const struct http_kv bad[] = {{"rule", "nope"}};
	j = get_json("/api/v1/signals", bad, 1, 400);
	json_decref(j);
}

/* A user of another organisation does not see these signals. */
static void test_status__api_signals_other_org(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	assert_ok(store_exec(ts.store, "UPDATE signals SET org_ident = 'GM0917'", &e), &e);
	json_t *j = get_json("/api/v1/signals", NULL, 0, 200);
	assert_int_equal(json_array_size(json_object_get(j, "signals")), 0);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status__table),
	    cmocka_unit_test(test_status__leerplicht_dates_and_settings),
	    cmocka_unit_test(test_status__leap_day_birthday),
	    cmocka_unit_test(test_status__evidence_and_json),
	    cmocka_unit_test(test_status__bad_content_rejected),
	    cmocka_unit_test(test_status__from_store),
	};
	const struct CMUnitTest api_tests[] = {
	    cmocka_unit_test(test_status__api_status_on_a_date),
	    cmocka_unit_test(test_status__api_signals_inbox),
	    cmocka_unit_test(test_status__api_signals_other_org),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	return failed + cmocka_run_group_tests(api_tests, api_group_setup, api_teardown);
}
