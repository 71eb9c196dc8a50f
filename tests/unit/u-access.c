/*
 * Unit tests of the need-to-know decision (access/decide.h): each rule at its edge, on a
 * store with a few organisations, persons and records, with the decision's clock set:
 * nazorg ends two years after leaving, kwalificatieplicht at 18, RMC at 23, a grant at its
 * last day, break the glass after three hours.
 */
#include "testutil.h"

#include "access/decide.h"
#include "accounts/roles.h"
#include "feeds/feeds.h"
#include "gen/gen.h"
#include "registry/org.h"
#include "registry/person.h"
#include "registry/region.h"
#include "signals/settings.h"
#include "util/date.h"
#include "util/embedded.h"

#include <errno.h>
#include <sys/stat.h>

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

/* ---- the set-based form against the decision, on a generated region ---- */

/* Remove the generated files and their directory. */
static void remove_dir(const char *dir, const struct gen_stats *gs)
{
	for (int i = 0; i < gs->nfiles; i++) {
		char *f = xasprintf("%s/%s", dir, gs->files[i].file);
		unlink(f);
		free(f);
	}
	char *m = xasprintf("%s/manifest.csv", dir);
	unlink(m);
	free(m);
	char *r = xasprintf("%s/region.csv", dir);
	unlink(r);
	free(r);
	rmdir(dir);
}

/* A region of `youths` young people, as `inbeeld demo` makes it: the generator's files
 * imported in the manifest's order. */
static void load_generated_region(struct test_store *ts, long youths, const char *dir,
                                  struct gen_stats *gs)
{
	struct err e = ERR_INIT;
	struct access op;
	access_cli_operator(&op);
	mkdir(dir, 0700);
	char *region = xasprintf("%s/region.csv", dir);
	const struct embedded_file *rf = embedded_find("data/regions/demo_region_zuid_limburg.csv");
	assert_non_null(rf);
	FILE *f = fopen(region, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(rf->data, 1, rf->len, f), rf->len);
	fclose(f);
	struct region_load_stats rs;
	assert_ok(region_load(ts->store, region, 2023, &rs, &e), &e);
	free(region);
	struct gen_options go;
	gen_options_init(&go);
	go.youths = youths;
	go.seed = 11;
	go.out_dir = dir;
	go.force = true;
	assert_ok(date_parse("2026-10-01", &go.as_of, &e), &e);
	assert_ok(gen_run(&go, gs, &e), &e);
	for (int i = 0; i < gs->nfiles; i++) {
		const struct gen_file_stats *g = &gs->files[i];
		char *path = xasprintf("%s/%s", dir, g->file);
		if (strcmp(g->feed, "organisations") == 0) {
			long n;
			assert_ok(org_load(ts->store, path, &n, &e), &e);
		} else {
			struct feed_options fo = {.feed = g->feed,
			                          .source = g->source,
			                          .as_of = g->as_of,
			                          .mode = g->mode,
			                          .wait = true};
			struct feed_result r;
			memset(&r, 0, sizeof(r));
			int rc = feed_import_file(ts->store, &ts->keys, &op, &fo, path, &r, &e);
			feed_result_release(&r);
			assert_ok(rc, &e);
		}
		free(path);
	}
}

/* Up to `max` organisation ids of one kind. */
static size_t org_ids(struct store *s, const char *kind, int64_t *out, size_t max)
{
	struct err e = ERR_INIT;
	struct stmt *st;
	size_t n = 0;
	assert_ok(store_prepare(s, "SELECT id FROM organisations WHERE kind = ? ORDER BY id", &st,
	                        &e),
	          &e);
	stmt_bind_text(st, 1, kind);
	while (n < max && stmt_step(st, &e) == STORE_ROW)
		out[n++] = stmt_int64(st, 0);
	stmt_free(st);
	return n;
}

static void visible_agrees_with_decide(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct gen_stats gs;
	char dir[128];
	snprintf(dir, sizeof(dir), "/tmp/inbeeld-u-access-%d", (int)getpid());
	test_store_open(&ts);
	load_generated_region(&ts, 200, dir, &gs);
	remove_dir(dir, &gs);

	/* Users of every kind of organisation, with the roles that work there. */
	struct access users[32];
	size_t nusers = 0;
	int64_t ids[8];
	size_t n = org_ids(ts.store, "school", ids, 3);
	for (size_t i = 0; i < n; i++)
		users[nusers++] = user(ids[i], ROLE_SCHOOL);
	n = org_ids(ts.store, "municipality", ids, 2);
	for (size_t i = 0; i < n; i++) {
		users[nusers++] = user(ids[i], ROLE_LEERPLICHT);
		users[nusers++] = user(ids[i], ROLE_RMC);
		users[nusers++] = user(ids[i], ROLE_CARE);
	}
	n = org_ids(ts.store, "care", ids, 2);
	for (size_t i = 0; i < n; i++)
		users[nusers++] = user(ids[i], ROLE_CARE);
	n = org_ids(ts.store, "uwv", ids, 1);
	assert_int_equal(n, 1);
	users[nusers++] = user(ids[0], ROLE_JOBCOACH);
	int64_t uwv = ids[0];
	assert_true(nusers >= 10);
	/* A few persons handed to UWV by consent. */
	struct access op;
	access_cli_operator(&op);
	struct stmt *st;
	assert_ok(store_prepare(ts.store, "SELECT pkey FROM persons ORDER BY id LIMIT 5", &st, &e),
	          &e);
	while (stmt_step(st, &e) == STORE_ROW) {
		struct access_grant_input in = {.pkey = stmt_text(st, 0),
		                                .organisation_id = uwv,
		                                .kind = "consent",
		                                .purpose = "werk",
		                                .legal_ground = "toestemming"};
		int64_t gid;
		access_clock_set(noon("2026-01-01"));
		assert_ok(access_grant_add(ts.store, &op, &in, &gid, &e), &e);
	}
	stmt_free(st);
	int64_t *persons = NULL;
	size_t npersons = 0, cap = 0;
	assert_ok(store_prepare(ts.store, "SELECT id FROM persons ORDER BY id", &st, &e), &e);
	while (stmt_step(st, &e) == STORE_ROW) {
		XGROW(persons, cap, npersons + 1);
		persons[npersons++] = stmt_int64(st, 0);
	}
	stmt_free(st);
	assert_true(npersons >= 200);

	/* On several days, every user: the set holds exactly whom the decision allows. */
	const char *days[] = {"2026-10-01", "2024-09-15"};
	size_t seen_total = 0, users_seeing = 0;
	for (size_t d = 0; d < sizeof(days) / sizeof(days[0]); d++) {
		access_clock_set(noon(days[d]));
		for (size_t u = 0; u < nusers; u++) {
			struct access_set set;
			assert_ok(access_visible(ts.store, &users[u], &set, &e), &e);
			assert_false(set.all);
			size_t allowed = 0;
			for (size_t i = 0; i < npersons; i++) {
				struct access_decision dec;
				assert_ok(access_decide(ts.store, &users[u], persons[i],
				                        ACCESS_READ_BASIC, &dec, &e),
				          &e);
				bool want = dec.verdict == ACCESS_ALLOW;
				if (want != access_set_has(&set, persons[i]))
					fail_msg("on %s user %zu (org %lld, roles %u): person %lld is "
					         "%s by the decision (%s) but %s by the set",
					         days[d], u, (long long)users[u].organisation_id,
					         users[u].roles, (long long)persons[i],
					         want ? "allowed" : "refused", dec.rule,
					         want ? "missing" : "listed");
				allowed += want;
			}
			assert_int_equal(set.n, allowed);
			seen_total += allowed;
			users_seeing += allowed > 0;
			access_set_release(&set);
		}
	}
	/* Not a vacuous agreement: every user sees someone on some day, nobody sees all. */
	assert_true(users_seeing >= nusers);
	assert_true(seen_total < 2 * nusers * npersons / 2);
	struct access local;
	access_cli_operator(&local);
	struct access_set all;
	assert_ok(access_visible(ts.store, &local, &all, &e), &e);
	assert_true(all.all);
	access_set_release(&all);
	free(persons);
	access_clock_set(0);
	test_store_close(&ts);
}

/*
 * The decision keeps organisations, RMC regions and settings per thread; a change of the
 * settings by another connection (another process) is seen at the next decision.
 */
static void cache_follows_changes(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct access lp = user(2, ROLE_LEERPLICHT);
	struct access_cache_stats before, after;
	/* Minor turns 16 on 2024-03-10: leerplichtig until 31 July 2024 by default. */
	assert_int_equal(decide(f, &lp, f->minor, ACCESS_READ_BASIC, "2024-05-01"), ACCESS_ALLOW);
	access_cache_stats(&before);
	assert_int_equal(decide(f, &lp, f->minor, ACCESS_READ_BASIC, "2024-05-01"), ACCESS_ALLOW);
	access_cache_stats(&after);
	assert_true(after.hits > before.hits);
	assert_int_equal(after.misses, before.misses);
	/* A child of 6 is leerplichtig; another connection then lets the leerplicht start at
	 * 7 in the region, and the next decision follows. */
	struct store *other;
	char *url = test_backend_is_pg()
	                ? xasprintf("%s?options=-csearch_path%%3D%s", getenv("INBEELD_TEST_PG"),
	                            f->ts.schema)
	                : xstrdup(f->ts.path);
	assert_ok(store_open(&other, url, &e), &e);
	free(url);
	int64_t child = add_person(f, "Child", "2019-06-15", NULL);
	add_record(f, child, "residence", res_maastricht, "2019-06-15", NULL);
	assert_int_equal(decide(f, &lp, child, ACCESS_READ_BASIC, "2026-01-05"), ACCESS_ALLOW);
	struct access op;
	access_cli_operator(&op);
	assert_ok(setting_set(other, &op, "MC39", "definitions.leerplicht_start_age", "7", &e), &e);
	store_close(other);
	access_cache_stats(&before);
	assert_int_equal(decide(f, &lp, child, ACCESS_READ_BASIC, "2026-01-05"),
	                 ACCESS_DENY_NOT_FOUND);
	access_cache_stats(&after);
	assert_true(after.flushes > before.flushes);
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
	    cmocka_unit_test_setup_teardown(cache_follows_changes, setup, teardown),
	    cmocka_unit_test(visible_agrees_with_decide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
