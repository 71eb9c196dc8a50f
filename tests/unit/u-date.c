/* Table-driven tests of dates, ages and school years (util/date.h). */
#include "testutil.h"

#include "util/date.h"

static date_t d(const char *s)
{
	date_t day;
	struct err e = ERR_INIT;
	if (date_parse(s, &day, &e) < 0)
		fail_msg("%s", e.msg);
	return day;
}

static void test_date__parses_both_forms(void **state)
{
	(void)state;
	char out[DATE_STR_SIZE];
	assert_string_equal(date_format(d("2025-10-01"), out), "2025-10-01");
	assert_string_equal(date_format(d("01-10-2025"), out), "2025-10-01");
	assert_string_equal(date_format(d("01/10/2025"), out), "2025-10-01");
	assert_string_equal(date_format(d("1970-01-01"), out), "1970-01-01");
	assert_int_equal(d("1970-01-01"), 0);
	assert_int_equal(d("2000-03-01") - d("2000-02-28"), 2); /* 2000 is a leap year */
	assert_int_equal(d("1900-03-01") - d("1900-02-28"), 1); /* 1900 is not */

	static const char *const bad[] = {"2023-02-29", "2025-13-01", "2025-1-01", "31-04-2025",
					  "20251001",   "",           "01-10/2025", "tomorrow"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		date_t day;
		struct err e = ERR_INIT;
		if (date_parse(bad[i], &day, &e) != -1)
			fail_msg("'%s' should not parse", bad[i]);
		assert_int_equal(e.code, ERR_INVALID);
	}
}

static const struct {
	const char *birth, *on;
	int age;
} age_cases[] = {
	{"2009-03-04", "2025-03-03", 15},
	{"2009-03-04", "2025-03-04", 16}, /* the birthday itself */
	{"2008-02-29", "2025-02-28", 16}, /* 29 February: not yet in a common year */
	{"2008-02-29", "2025-03-01", 17}, /* … reached on 1 March */
	{"2008-02-29", "2028-02-29", 20}, /* and on the day itself in a leap year */
	{"2000-12-31", "2001-01-01", 0},
};

static void test_date__ages_follow_birthdays(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(age_cases) / sizeof(age_cases[0]); i++) {
		int age = date_age(d(age_cases[i].birth), d(age_cases[i].on));
		if (age != age_cases[i].age)
			fail_msg("born %s, on %s: expected %d, got %d", age_cases[i].birth,
				 age_cases[i].on, age_cases[i].age, age);
	}
}

static void test_date__months_and_school_years(void **state)
{
	(void)state;
	char out[DATE_STR_SIZE];
	assert_string_equal(date_format(date_add_months(d("2025-01-31"), 1), out), "2025-02-28");
	assert_string_equal(date_format(date_add_months(d("2024-01-31"), 1), out), "2024-02-29");
	assert_string_equal(date_format(date_add_months(d("2025-03-15"), -3), out), "2024-12-15");
	assert_string_equal(date_format(date_add_months(d("2025-08-01"), 24), out), "2027-08-01");
	assert_string_equal(date_format(date_school_year_start(d("2025-07-31")), out),
			    "2024-08-01");
	assert_string_equal(date_format(date_school_year_start(d("2025-08-01")), out),
			    "2025-08-01");
	assert_string_equal(date_format(date_school_year_start(d("2025-10-01")), out),
			    "2025-08-01");
	assert_string_equal(date_format(date_birthday(d("2008-02-29"), 18), out), "2026-03-01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date__parses_both_forms),
		cmocka_unit_test(test_date__ages_follow_birthdays),
		cmocka_unit_test(test_date__months_and_school_years),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
