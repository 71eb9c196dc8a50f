/*
 * Unit tests of the need-to-know decision (access/decide.h): each rule at its edge, on a
 * store with a few organisations, persons and records, with the decision's clock set:
 * nazorg ends two years after leaving, kwalificatieplicht at 18, RMC at 23, a grant at its
 * last day, break the glass after three hours.
 */
#include "testutil.h"

#include "access/decide.h"
#include "accounts/roles.h"
#include "registry/person.h"
#include "util/date.h"

static const char fixture_sql[] =
    "INSERT INTO rmc_regions (code, name) VALUES ('MC39', 'Zuid-Limburg'), ('MC01', 'Elders');"
    "INSERT INTO municipalities (year, code, name, rmc_code) VALUES"
    " (2023, 'GM0935', 'Maastricht', 'MC39'), (2023, 'GM0917', 'Heerlen', 'MC39'),"
    " (2023, 'GM0014', 'Groningen', 'MC01');"
    "INSERT INTO organisations (id, kind, ident, name, created_at) VALUES"
    " (1, 'school', '14EK00', 'School', 'x'), (2, 'municipality', 'GM0935', 'Maastricht', 'x'),"
    " (3, 'municipality', 'GM0014', 'Groningen', 'x'), (4, 'care', '98765432', 'Zorg', 'x'),"
    " (5, 'uwv', 'UWV-ZL', 'UWV', 'x');"
    "INSERT INTO users (id, username, organisation_id, password_hash, created_at, changed_at)"
    " VALUES (7, 'anna', 1, 'x', 'x', 'x');"
    "INSERT INTO imports (id, feed, source, mode, as_of, file_name, content_hash, started_at,"
    " status) VALUES (1, 'residence', 'municipality:GM0935', 'snapshot', '2026-01-01', 'f',"
    " 'h', 'x', 'done');";

static const char record_sql[] =
    "INSERT INTO feed_records (feed, source, record_key, person_id, content, content_hash,"
    " valid_from, valid_to, first_import, last_import) VALUES (?, 's', ?, ?, ?, 'h', ?, ?, 1, 1)";

struct fx {
	struct test_store ts;
	int64_t leaver, minor, young, grantee;
	char grantee_key[PSEUDONYM_HEX_SIZE], young_key[PSEUDONYM_HEX_SIZE];
};

static int64_t add_person(struct fx *f, const char *surname, const char *birth, char *key_out)
{
	struct err e = ERR_INIT;
	struct access op;
	struct person p;
	access_cli_operator(&op);
	struct person_input in = {.surname = surname, .birth_date = birth, .postcode = "6211AB"};
	if (person_add(f->ts.store, &f->ts.keys, &op, &in, &p, &e) < 0)
		fail_msg("%s", e.msg);
	if (key_out)
		memcpy(key_out, p.pkey, PSEUDONYM_HEX_SIZE);
	int64_t id = p.id;
	person_release(&p);
	return id;
}

static void add_record(struct fx *f, int64_t pid, const char *feed, const char *content,
                       const char *from, const char *to)
{
	static int n;
	struct err e = ERR_INIT;
	struct stmt *st;
	char key[16];
	snprintf(key, sizeof(key), "r%d", ++n);
	assert_ok(store_prepare(f->ts.store, record_sql, &st, &e), &e);
	stmt_bind_text(st, 1, feed);
	stmt_bind_text(st, 2, key);
	stmt_bind_int64(st, 3, pid);
	stmt_bind_text(st, 4, content);
	stmt_bind_text(st, 5, from);
	if (to)
		stmt_bind_text(st, 6, to);
	else
		stmt_bind_null(st, 6);
	assert_int_equal(stmt_step(st, &e), STORE_DONE);
	stmt_free(st);
}

static const char res_maastricht[] = "{\"municipality_code\":\"GM0935\"}";
static const char res_heerlen[] = "{\"municipality_code\":\"GM0917\"}";

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct err e = ERR_INIT;
	test_store_open(&f->ts);
	assert_ok(store_exec(f->ts.store, fixture_sql, &e), &e);
	/* Left 14EK00 on 2024-07-31. */
	f->leaver = add_person(f, "Leaver", "2006-01-01", NULL);
	add_record(f, f->leaver, "enrolments",
	           "{\"school\":\"14EK00\",\"school_type\":\"VO\",\"level\":\"havo\"}",
	           "2018-08-01", "2024-07-31");
	/* Born 2008-03-10, lives in Maastricht, no startkwalificatie. */
	f->minor = add_person(f, "Minor", "2008-03-10", NULL);
	add_record(f, f->minor, "residence", res_maastricht, "2008-03-10", NULL);
	/* Born 2003-05-01, lives in Heerlen (same RMC region), not enrolled, no diploma; a
	 * client of care provider 98765432 paid by Heerlen. */
	f->young = add_person(f, "Young", "2003-05-01", f->young_key);
	add_record(f, f->young, "residence", res_heerlen, "2003-05-01", NULL);
	add_record(f, f->young, "care",
	           "{\"provider_agb\":\"98765432\",\"law\":\"jeugdwet\",\"municipality_code\":"
	           "\"GM0917\"}",
	           "2025-01-01", NULL);
	f->grantee = add_person(f, "Grantee", "2001-01-01", f->grantee_key);
	add_record(f, f->grantee, "residence", res_heerlen, "2001-01-01", NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	access_clock_set(0);
	test_store_close(&f->ts);
	free(f);
	return 0;
}

/* Noon (UTC) of an ISO day, as the decision's clock. */
static time_t noon(const char *day)
{
	date_t d;
	struct err e = ERR_INIT;
	assert_ok(date_parse(day, &d, &e), &e);
	return (time_t)d * 86400 + 12 * 3600;
}

static struct access user(int64_t org, unsigned roles)
{
	struct access a = {.actor = "anna",
	                   .role = "x",
	                   .client = "test",
	                   .user_id = 7,
	                   .organisation_id = org,
	                   .roles = roles};
	return a;
}

static enum access_verdict decide(struct fx *f, const struct access *who, int64_t pid,
                                  enum access_need need, const char *day)
{
	struct err e = ERR_INIT;
	struct access_decision d;
	access_clock_set(noon(day));
	assert_ok(access_decide(f->ts.store, who, pid, need, &d, &e), &e);
	return d.verdict;
}

static void nazorg_two_years(void **state)
{
	struct fx *f = *state;
	struct access school = user(1, ROLE_SCHOOL);
	assert_int_equal(decide(f, &school, f->leaver, ACCESS_READ_IDENTITY, "2024-07-31"),
	                 ACCESS_ALLOW);
	assert_int_equal(decide(f, &school, f->leaver, ACCESS_READ_IDENTITY, "2026-07-31"),
	                 ACCESS_ALLOW);
	assert_int_equal(decide(f, &school, f->leaver, ACCESS_READ_IDENTITY, "2026-08-01"),
	                 ACCESS_DENY_NOT_FOUND);
}

static void kwalificatieplicht_ends_at_18(void **state)
{
	struct fx *f = *state;
	struct access lp = user(2, ROLE_LEERPLICHT);
	struct access lp_elsewhere = user(3, ROLE_LEERPLICHT);
	assert_int_equal(decide(f, &lp, f->minor, ACCESS_READ_IDENTITY, "2026-03-09"),
	                 ACCESS_ALLOW);
	assert_int_equal(decide(f, &lp, f->minor, ACCESS_READ_IDENTITY, "2026-03-10"),
	                 ACCESS_DENY_NOT_FOUND);
	assert_int_equal(decide(f, &lp_elsewhere, f->minor, ACCESS_READ_IDENTITY, "2026-03-09"),
	                 ACCESS_DENY_NOT_FOUND);
}

static void rmc_until_23(void **state)
{
	struct fx *f = *state;
	struct access rmc = user(2, ROLE_RMC);
	struct access rmc_elsewhere = user(3, ROLE_RMC);
	assert_int_equal(decide(f, &rmc, f->young, ACCESS_READ_BSN, "2026-04-30"), ACCESS_ALLOW);
	assert_int_equal(decide(f, &rmc, f->young, ACCESS_READ_BSN, "2026-05-01"),
	                 ACCESS_DENY_NOT_FOUND);
	assert_int_equal(decide(f, &rmc_elsewhere, f->young, ACCESS_READ_BSN, "2026-04-30"),
	                 ACCESS_DENY_NOT_FOUND);
	/* RMC sees the person but not the care details. */
	assert_int_equal(decide(f, &rmc, f->young, ACCESS_READ_CARE, "2026-04-30"),
	                 ACCESS_DENY_FORBIDDEN);
}

static void care_sees_clients_and_care(void **state)
{
	struct fx *f = *state;
	struct access care = user(4, ROLE_CARE);
	struct access school = user(1, ROLE_SCHOOL);
	assert_int_equal(decide(f, &care, f->young, ACCESS_READ_CARE, "2026-06-01"), ACCESS_ALLOW);
	assert_int_equal(decide(f, &care, f->young, ACCESS_READ_CARE, "2024-12-31"),
	                 ACCESS_DENY_NOT_FOUND);
	assert_int_equal(decide(f, &school, f->young, ACCESS_READ_CARE, "2026-06-01"),
	                 ACCESS_DENY_NOT_FOUND);
}

static void roles_without_persons(void **state)
{
	struct fx *f = *state;
	struct access op;
	access_cli_operator(&op);
	unsigned never[] = {ROLE_POLICY, ROLE_ADMIN, ROLE_AUDITOR, ROLE_EDITOR};
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		struct access a = user(2, never[i]);
		assert_int_equal(decide(f, &a, f->minor, ACCESS_READ_BASIC, "2026-01-01"),
		                 ACCESS_DENY_FORBIDDEN);
	}
	assert_int_equal(decide(f, &op, f->minor, ACCESS_READ_BSN, "2026-01-01"), ACCESS_ALLOW);
	assert_int_equal(decide(f, &op, 999999, ACCESS_READ_BASIC, "2026-01-01"),
	                 ACCESS_DENY_NOT_FOUND);
}

static void grant_until_its_last_day(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct access op;
	struct access job = user(5, ROLE_JOBCOACH);
	int64_t id;
	access_cli_operator(&op);
	assert_int_equal(decide(f, &job, f->grantee, ACCESS_READ_IDENTITY, "2026-06-01"),
	                 ACCESS_DENY_NOT_FOUND);
	struct access_grant_input in = {.pkey = f->grantee_key,
	                                .organisation_id = 5,
	                                .kind = "consent",
	                                .purpose = "werk",
	                                .legal_ground = "toestemming",
	                                .until = "2026-06-30"};
	access_clock_set(noon("2026-06-01"));
	assert_ok(access_grant_add(f->ts.store, &op, &in, &id, &e), &e);
	assert_int_equal(decide(f, &job, f->grantee, ACCESS_READ_IDENTITY, "2026-06-30"),
	                 ACCESS_ALLOW);
	/* A jobcoach never gets the BSN, not even through a grant. */
	assert_int_equal(decide(f, &job, f->grantee, ACCESS_READ_BSN, "2026-06-30"),
	                 ACCESS_DENY_FORBIDDEN);
	assert_int_equal(decide(f, &job, f->grantee, ACCESS_READ_IDENTITY, "2026-07-01"),
	                 ACCESS_DENY_NOT_FOUND);
	/* A bad kind and an empty purpose are refused, naming the field. */
	in.kind = "handshake";
	assert_int_equal(access_grant_add(f->ts.store, &op, &in, &id, &e), -1);
	assert_non_null(strstr(e.msg, "kind"));
	in.kind = "consent";
	in.purpose = "";
	assert_int_equal(access_grant_add(f->ts.store, &op, &in, &id, &e), -1);
	assert_non_null(strstr(e.msg, "purpose"));
}

static void break_glass_three_hours(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct access school = user(1, ROLE_SCHOOL);
	struct access_decision d;
	char until[24];
	time_t t0 = noon("2026-09-01");
	access_clock_set(t0);
	assert_int_equal(access_break_glass(f->ts.store, &school, f->young_key, "kort", until, &e),
	                 -1);
	assert_int_equal(e.code, ERR_INVALID);
	struct access policy = user(2, ROLE_POLICY);
	assert_int_equal(
	    access_break_glass(f->ts.store, &policy, f->young_key, "acute zorgmelding", until, &e),
	    -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_ok(
	    access_break_glass(f->ts.store, &school, f->young_key, "acute zorgmelding", until, &e),
	    &e);
	assert_string_equal(until, "2026-09-01T15:00:00Z");
	access_clock_set(t0 + 3 * 3600 - 1);
	assert_ok(access_decide(f->ts.store, &school, f->young, ACCESS_READ_IDENTITY, &d, &e), &e);
	assert_int_equal(d.verdict, ACCESS_ALLOW);
	assert_true(d.break_glass);
	assert_string_equal(d.rule, "break-the-glass: acute zorgmelding");
	/* Break the glass is the user's, not the organisation's. */
	struct access colleague = user(1, ROLE_SCHOOL);
	colleague.user_id = 8;
	assert_ok(access_decide(f->ts.store, &colleague, f->young, ACCESS_READ_IDENTITY, &d, &e),
	          &e);
	assert_int_equal(d.verdict, ACCESS_DENY_NOT_FOUND);
	access_clock_set(t0 + 3 * 3600 + 1);
	assert_ok(access_decide(f->ts.store, &school, f->young, ACCESS_READ_IDENTITY, &d, &e), &e);
	assert_int_equal(d.verdict, ACCESS_DENY_NOT_FOUND);
}

static void check_audits_refusals(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct access school = user(1, ROLE_SCHOOL);
	struct access_decision d;
	struct access allowed;
	int64_t before, after;
	access_clock_set(noon("2026-09-01"));
	assert_ok(store_query_int64(f->ts.store,
	                            "SELECT count(*) FROM audit_log WHERE action = 'person.denied'",
	                            &before, &e),
	          &e);
	assert_int_equal(access_check(f->ts.store, &school, f->grantee_key, ACCESS_READ_BASIC, &d,
	                              &allowed, NULL, &e),
	                 -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_ok(store_query_int64(f->ts.store,
	                            "SELECT count(*) FROM audit_log WHERE action = 'person.denied'",
	                            &after, &e),
	          &e);
	assert_int_equal(after, before + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(nazorg_two_years, setup, teardown),
	    cmocka_unit_test_setup_teardown(kwalificatieplicht_ends_at_18, setup, teardown),
	    cmocka_unit_test_setup_teardown(rmc_until_23, setup, teardown),
	    cmocka_unit_test_setup_teardown(care_sees_clients_and_care, setup, teardown),
	    cmocka_unit_test_setup_teardown(roles_without_persons, setup, teardown),
	    cmocka_unit_test_setup_teardown(grant_until_its_last_day, setup, teardown),
	    cmocka_unit_test_setup_teardown(break_glass_three_hours, setup, teardown),
	    cmocka_unit_test_setup_teardown(check_audits_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
