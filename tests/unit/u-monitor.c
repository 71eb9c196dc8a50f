/*
 * The monitor's vsv definition, table-driven on hand-written timelines around each boundary
 * (docs/definitions.md): 22 or 23 on 1 October, a diploma on 31 December or 1 January, an
 * entree diploma with a job of enough hours, PrO and VSO in or out of the population, a move
 * out of the region and a death before the second reference date, oud-vsv; then the adding up
 * by municipality, the small-cell suppression and the report on the store with its access rule.
 */
#include "testutil.h"
#include "test-timeline.h"

#include "accounts/roles.h"
#include "monitor/monitor.h"

#define RES "residence|2000-01-01||{\"municipality_code\":\"GM0935\"}"
#define ENROL(from, to, type, level, reason)                                                       \
	"enrolments|" from "|" to "|{\"school\":\"14EK00\",\"school_type\":\"" type "\","          \
	"\"level\":\"" level "\",\"end_reason\":\"" reason "\"}"
#define DIPLOMA(day, q) "diplomas|" day "||{\"qualification\":\"" q "\",\"school\":\"14EK00\"}"
#define JOB(from, hours) "work|" from "||{\"kind\":\"employment\",\"hours_per_week\":" hours "}"

/* School year 2024/25: 1 October 2024 and 1 October 2025. */
static const char *const stays[] = {RES, ENROL("2023-08-01", "", "mbo", "mbo-2", ""), NULL};
static const char *const left[] = {RES, ENROL("2023-08-01", "2025-06-30", "mbo", "mbo-2", "uitval"),
                                   NULL};
static const char *const left_sk_31dec[] = {
    RES, ENROL("2023-08-01", "2025-06-30", "mbo", "mbo-2", "diploma"),
    DIPLOMA("2025-12-31", "mbo-2"), NULL};
static const char *const left_sk_1jan[] = {
    RES, ENROL("2023-08-01", "2025-06-30", "mbo", "mbo-2", "diploma"),
    DIPLOMA("2026-01-01", "mbo-2"), NULL};
static const char *const left_vmbo_diploma[] = {
    RES, ENROL("2021-08-01", "2025-06-30", "VO", "vmbo-t", "diploma"),
    DIPLOMA("2025-06-20", "vmbo-t"), NULL};
static const char *const had_sk[] = {RES, DIPLOMA("2023-06-20", "havo"),
                                     ENROL("2023-08-01", "2025-06-30", "mbo", "mbo-4", "uitval"),
                                     NULL};
static const char *const entree_job12[] = {
    RES, ENROL("2024-08-01", "2025-06-30", "mbo", "mbo-1", "diploma"),
    DIPLOMA("2025-06-30", "mbo-1"), JOB("2025-08-01", "12"), NULL};
static const char *const entree_job11[] = {
    RES, ENROL("2024-08-01", "2025-06-30", "mbo", "mbo-1", "diploma"),
    DIPLOMA("2025-06-30", "mbo-1"), JOB("2025-08-01", "11"), NULL};
static const char *const job_no_entree[] = {
    RES, ENROL("2024-08-01", "2025-06-30", "mbo", "mbo-1", "uitval"), JOB("2025-08-01", "38"),
    NULL};
static const char *const pro_left[] = {
    RES, ENROL("2020-08-01", "2025-07-31", "PrO", "pro", "uitstroom"), NULL};
static const char *const vso_left[] = {
    RES, ENROL("2019-08-01", "2025-07-31", "VSO", "arbeidsmarkt", "uitstroom"), NULL};
static const char *const vo_to_pro[] = {
    RES, ENROL("2022-08-01", "2025-07-31", "VO", "vmbo-b", "overstap"),
    ENROL("2025-08-01", "", "PrO", "pro", ""), NULL};
static const char *const moved_out[] = {
    "residence|2000-01-01|2025-09-30|{\"municipality_code\":\"GM0935\"}",
    ENROL("2023-08-01", "2025-06-30", "mbo", "mbo-2", "verhuizing"), NULL};
static const char *const moved_within[] = {
    "residence|2000-01-01|2025-03-31|{\"municipality_code\":\"GM0935\"}",
    "residence|2025-04-01||{\"municipality_code\":\"GM0917\"}",
    ENROL("2023-08-01", "2025-06-30", "mbo", "mbo-2", "uitval"), NULL};
static const char *const died[] = {
    "residence|2000-01-01||{\"municipality_code\":\"GM0935\",\"died\":\"2025-08-01\"}",
    ENROL("2023-08-01", "2025-06-30", "mbo", "mbo-2", "overlijden"), NULL};
static const char *const moved_in_later[] = {
    "residence|2024-10-02||{\"municipality_code\":\"GM0935\"}",
    ENROL("2023-08-01", "2025-06-30", "mbo", "mbo-2", "uitval"), NULL};
/* Oud-vsv: left in 2023/24 (enrolled on 1 October 2023, not on 1 October 2024). */
static const char *const left_earlier[] = {
    RES, ENROL("2022-08-01", "2024-06-30", "mbo", "mbo-2", "uitval"), NULL};
static const char *const left_earlier_sk[] = {
    RES, ENROL("2022-08-01", "2024-06-30", "mbo", "mbo-2", "uitval"),
    DIPLOMA("2025-09-30", "mbo-2"), NULL};
static const char *const left_earlier_back[] = {
    RES, ENROL("2022-08-01", "2024-06-30", "mbo", "mbo-2", "uitval"),
    ENROL("2025-09-01", "", "mbo", "mbo-2", ""), NULL};
static const char *const left_earlier_pro[] = {
    RES, ENROL("2020-08-01", "2024-06-30", "PrO", "pro", "uitstroom"), NULL};

enum tweak { NONE, PRO_IN, VSO_IN, AGE_ON_T1, OUD_TO_27 };

enum { F_POP = 1, F_LEFT = 2, F_NEW = 4, F_OUD = 8 };

struct vsv_case {
	const char *name;
	const char *birth;
	const char *const *rows;
	enum tweak tweak;
	enum vsv_group group;
	int flags; /* F_POP in_population, F_LEFT left_region, F_NEW new_vsv, F_OUD oud_vsv */
	const char *municipality; /* of the counts of year t, or of the oud-vsv */
};

static const struct vsv_case vsv_cases[] = {
    {"enrolled on both dates", "2007-05-01", stays, NONE, VSV_GROUP_VO_MBO, F_POP, "GM0935"},
    {"left without an SK", "2007-05-01", left, NONE, VSV_GROUP_VO_MBO, F_POP | F_NEW, "GM0935"},
    {"22 on 1 October t", "2001-10-02", left, NONE, VSV_GROUP_VO_MBO, F_POP | F_NEW, "GM0935"},
    {"23 on 1 October t", "2001-10-01", left, NONE, VSV_GROUP_NONE, 0, ""},
    {"11 on 1 October t", "2012-10-02", left, NONE, VSV_GROUP_NONE, 0, ""},
    {"12 on 1 October t", "2012-10-01", left, NONE, VSV_GROUP_VO_MBO, F_POP | F_NEW, "GM0935"},
    {"age on t+1: 23 then", "2002-10-01", left, AGE_ON_T1, VSV_GROUP_VO_MBO, F_POP, "GM0935"},
    {"age on t+1: 22 then", "2002-10-02", left, AGE_ON_T1, VSV_GROUP_VO_MBO, F_POP | F_NEW,
     "GM0935"},
    {"SK on 31 December t+1", "2007-05-01", left_sk_31dec, NONE, VSV_GROUP_VO_MBO, F_POP,
     "GM0935"},
    {"SK on 1 January t+2", "2007-05-01", left_sk_1jan, NONE, VSV_GROUP_VO_MBO, F_POP | F_NEW,
     "GM0935"},
    {"a vmbo diploma is no SK", "2009-05-01", left_vmbo_diploma, NONE, VSV_GROUP_VO_MBO,
     F_POP | F_NEW, "GM0935"},
    {"an SK from before", "2005-05-01", had_sk, NONE, VSV_GROUP_VO_MBO, F_POP, "GM0935"},
    {"entree + 12 h job", "2007-05-01", entree_job12, NONE, VSV_GROUP_VO_MBO, F_POP, "GM0935"},
    {"entree + 11 h job", "2007-05-01", entree_job11, NONE, VSV_GROUP_VO_MBO, F_POP | F_NEW,
     "GM0935"},
    {"job without entree diploma", "2007-05-01", job_no_entree, NONE, VSV_GROUP_VO_MBO,
     F_POP | F_NEW, "GM0935"},
    {"PrO out of the population", "2007-05-01", pro_left, NONE, VSV_GROUP_PRO, F_NEW, "GM0935"},
    {"PrO in the population", "2007-05-01", pro_left, PRO_IN, VSV_GROUP_PRO, F_POP | F_NEW,
     "GM0935"},
    {"VSO out of the population", "2006-05-01", vso_left, NONE, VSV_GROUP_VSO, F_NEW, "GM0935"},
    {"VSO in the population", "2006-05-01", vso_left, VSO_IN, VSV_GROUP_VSO, F_POP | F_NEW,
     "GM0935"},
    {"VO to PrO is no leaving", "2009-05-01", vo_to_pro, NONE, VSV_GROUP_VO_MBO, F_POP, "GM0935"},
    {"moved out before t+1", "2007-05-01", moved_out, NONE, VSV_GROUP_VO_MBO, F_POP | F_LEFT,
     "GM0935"},
    {"moved within: counted where on t", "2007-05-01", moved_within, NONE, VSV_GROUP_VO_MBO,
     F_POP | F_NEW, "GM0935"},
    {"died before t+1", "2007-05-01", died, NONE, VSV_GROUP_VO_MBO, F_POP | F_LEFT, "GM0935"},
    {"came to live here after t", "2007-05-01", moved_in_later, NONE, VSV_GROUP_NONE, 0, ""},
    {"oud-vsv", "2005-05-01", left_earlier, NONE, VSV_GROUP_NONE, F_OUD, "GM0935"},
    {"oud-vsv: 22 on 1 October t+1", "2002-10-02", left_earlier, NONE, VSV_GROUP_NONE, F_OUD,
     "GM0935"},
    {"oud-vsv: 23 on 1 October t+1", "2002-10-01", left_earlier, NONE, VSV_GROUP_NONE, 0, ""},
    {"oud-vsv to 27: 23", "2002-10-01", left_earlier, OUD_TO_27, VSV_GROUP_NONE, F_OUD,
     "GM0935"},
    {"oud-vsv with a later SK", "2005-05-01", left_earlier_sk, NONE, VSV_GROUP_NONE, 0, ""},
    {"oud-vsv back at school", "2005-05-01", left_earlier_back, NONE, VSV_GROUP_NONE, 0, ""},
    {"oud-vsv of PrO, out", "2005-05-01", left_earlier_pro, NONE, VSV_GROUP_NONE, 0, ""},
    {"oud-vsv of PrO, in", "2005-05-01", left_earlier_pro, PRO_IN, VSV_GROUP_NONE, F_OUD,
     "GM0935"},
};

static void test_monitor__vsv_definition(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(vsv_cases) / sizeof(vsv_cases[0]); i++) {
		const struct vsv_case *c = &vsv_cases[i];
		struct signal_settings set;
		struct timeline t;
		struct vsv_person p;
		signal_settings_default(&set);
		set.vsv_includes_pro = c->tweak == PRO_IN;
		set.vsv_includes_vso = c->tweak == VSO_IN;
		set.vsv_age_on_t1 = c->tweak == AGE_ON_T1;
		if (c->tweak == OUD_TO_27)
			set.oud_vsv_max_age = 27;
		test_timeline(&t, c->birth, c->rows);
		monitor_vsv_person(&t, &set, 2024, &p);
		int got = (p.in_population ? F_POP : 0) | (p.left_region ? F_LEFT : 0) |
		          (p.new_vsv ? F_NEW : 0) | (p.oud_vsv ? F_OUD : 0);
		if (p.group != c->group || got != c->flags)
			fail_msg("%s: expected group %d flags %d, got group %d flags %d", c->name,
			         c->group, c->flags, p.group, got);
		const char *muni = p.oud_vsv ? p.municipality_t1 : p.municipality;
		if (strcmp(muni, c->municipality) != 0)
			fail_msg("%s: expected municipality '%s', got '%s'", c->name,
			         c->municipality, muni);
		timeline_release(&t);
	}
}

/* The school year t+1 does not see the leaver of year t as new again: they are oud-vsv. */
static void test_monitor__next_year(void **state)
{
	(void)state;
	struct signal_settings set;
	struct timeline t;
	struct vsv_person p;
	signal_settings_default(&set);
	test_timeline(&t, "2005-05-01", left);
	monitor_vsv_person(&t, &set, 2025, &p);
	assert_int_equal(p.group, VSV_GROUP_NONE);
	assert_false(p.new_vsv);
	assert_true(p.oud_vsv);
	timeline_release(&t);
}

static void test_monitor__suppress_column(void **state)
{
	(void)state;
	long a = 120, b = 3, c = 0, e = 40, f = 7;
	long *cells[] = {&a, &b, &c, &e, &f};
	/* One cell below 5: the smallest other positive one (7) goes too; zero stays. */
	monitor_suppress_column(cells, 5, 170, 5);
	assert_int_equal(a, 120);
	assert_int_equal(b, MONITOR_SUPPRESSED);
	assert_int_equal(c, 0);
	assert_int_equal(e, 40);
	assert_int_equal(f, MONITOR_SUPPRESSED);
	/* Two small cells hide each other; a threshold of 1 hides nothing. */
	long g = 2, h = 4, k = 50;
	long *two[] = {&g, &h, &k};
	monitor_suppress_column(two, 3, 56, 5);
	assert_int_equal(g, MONITOR_SUPPRESSED);
	assert_int_equal(h, MONITOR_SUPPRESSED);
	assert_int_equal(k, 50);
	long m = 1;
	long *one[] = {&m};
	monitor_suppress_column(one, 1, 1, 1);
	assert_int_equal(m, 1);
	/* The boundary: 4 is suppressed at 5, 5 is shown. */
	long n4 = 4, n5 = 5, n6 = 6;
	long *edge[] = {&n4, &n5, &n6};
	monitor_suppress_column(edge, 3, 15, 5);
	assert_int_equal(n4, MONITOR_SUPPRESSED);
	assert_int_equal(n5, MONITOR_SUPPRESSED); /* the smallest other, so 4 cannot be derived */
	assert_int_equal(n6, 6);
}

static struct vsv_person person(const char *muni, enum vsv_group g, bool pop, bool vsv)
{
	struct vsv_person p = {.group = g, .in_population = pop, .new_vsv = vsv};
	snprintf(p.municipality, sizeof(p.municipality), "%s", muni);
	return p;
}

static void test_monitor__report_adds_up(void **state)
{
	(void)state;
	struct vsv_report r = {.year = 2024, .suppress_below = 5};
	for (int i = 0; i < 200; i++) {
		struct vsv_person p = person("GM0935", VSV_GROUP_VO_MBO, true, i < 8);
		vsv_report_add(&r, &p);
	}
	for (int i = 0; i < 50; i++) {
		struct vsv_person p = person("GM0917", VSV_GROUP_VO_MBO, true, i < 2);
		vsv_report_add(&r, &p);
	}
	for (int i = 0; i < 30; i++) {
		struct vsv_person p = person("GM0917", VSV_GROUP_PRO, false, i < 6);
		vsv_report_add(&r, &p);
	}
	struct vsv_person oud = {.oud_vsv = true};
	snprintf(oud.municipality_t1, sizeof(oud.municipality_t1), "GM0888");
	vsv_report_add(&r, &oud);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.rows[0].municipality, "GM0888"); /* rows by code */
	assert_int_equal(r.total.population.enrolled, 250);
	assert_int_equal(r.total.population.new_vsv, 10);
	assert_int_equal(r.total.pro.enrolled, 30);
	assert_int_equal(r.total.pro.new_vsv, 6);
	assert_int_equal(r.total.oud_vsv, 1);
	assert_true(vsv_percentage(&r.rows[2].population) > 3.99 &&
	            vsv_percentage(&r.rows[2].population) < 4.01);
	vsv_report_suppress(&r);
	/* GM0917's 2 new vsv are hidden and GM0935's 8 with them; the total 10 is shown. */
	assert_int_equal(r.rows[1].population.new_vsv, MONITOR_SUPPRESSED);
	assert_int_equal(r.rows[2].population.new_vsv, MONITOR_SUPPRESSED);
	assert_int_equal(r.total.population.new_vsv, 10);
	assert_true(vsv_percentage(&r.rows[1].population) < 0);
	assert_int_equal(r.rows[0].oud_vsv, MONITOR_SUPPRESSED);
	assert_int_equal(r.total.oud_vsv, MONITOR_SUPPRESSED);
	char *json = vsv_report_to_json(&r);
	assert_non_null(strstr(json, "\"new_vsv\":null"));
	assert_non_null(strstr(json, "\"school_year\":\"2024/2025\""));
	free(json);
	char *text = vsv_report_to_text(&r);
	assert_non_null(strstr(text, "total"));
	free(text);
	vsv_report_release(&r);
}

/* On the store: aggregates for the policy role, refused for care, and audited. */
static void test_monitor__access(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct vsv_report r;
	test_store_open(&ts);
	setenv("INBEELD_TODAY", "2026-11-23", 1);
	struct access policy = {.actor = "p", .client = "cli", .role = "policy", .user_id = 7,
	                        .roles = ROLE_POLICY};
	struct access care = {.actor = "c", .client = "cli", .role = "care", .user_id = 8,
	                      .roles = ROLE_CARE};
	assert_int_equal(monitor_vsv(ts.store, &care, 2024, NULL, &r, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_int_equal(monitor_vsv(ts.store, &policy, 2025, NULL, &r, &e), 0);
	assert_int_equal(r.n, 0);
	vsv_report_release(&r);
	/* 1 October 2027 has not come yet. */
	assert_int_equal(monitor_vsv(ts.store, &policy, 2026, NULL, &r, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(monitor_vsv(ts.store, &policy, 2024, "MC99", &r, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	int64_t n = 0;
	assert_ok(store_query_int64(ts.store,
	                            "SELECT COUNT(*) FROM audit_log WHERE action IN"
	                            " ('monitor.vsv', 'monitor.denied') AND person_key IS NULL",
	                            &n, &e),
	          &e);
	assert_int_equal(n, 2);
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_monitor__vsv_definition),
	    cmocka_unit_test(test_monitor__next_year),
	    cmocka_unit_test(test_monitor__suppress_column),
	    cmocka_unit_test(test_monitor__report_adds_up),
	    cmocka_unit_test(test_monitor__access),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
