/*
 * Tests of the feeds engine (src/feeds/) through records posted as JSON: the rules of each
 * feed (one defect per case, the field and rule expected), all-or-nothing, idempotence,
 * snapshot and delta, the events derived from enrolments, and feed tokens.
 */
#include "testutil.h"

#include "feeds/feeds.h"
#include "registry/ident.h"
#include "registry/person.h"
#include "util/buf.h"

static const struct access who = {
    .actor = "cli:tester", .role = "operator", .client = "cli", .reason = "test"};

static const char orgs_sql[] =
    "INSERT INTO organisations (kind, ident, name, school_type, levels, municipality_code,"
    " created_at) VALUES"
    " ('duo', 'DUO', 'DUO', NULL, NULL, NULL, '2026-01-01'),"
    " ('municipality', 'GM0935', 'Maastricht', NULL, NULL, 'GM0935', '2026-01-01'),"
    " ('school', '14EK00', 'A', 'VO', 'vmbo-t,havo,vwo', 'GM0935', '2026-01-01'),"
    " ('school', '14EK01', 'B', 'VO', 'vmbo-t,havo', 'GM0935', '2026-01-01'),"
    " ('school', '25LR02', 'C', 'mbo', 'entree,mbo-2', 'GM0935', '2026-01-01'),"
    " ('care', '98765432', 'D', NULL, NULL, NULL, '2026-01-01'),"
    " ('employer', '61234567', 'E', NULL, NULL, NULL, '2026-01-01'),"
    " ('uwv', 'UWV-ZL', 'F', NULL, NULL, NULL, '2026-01-01')";

static void open_region(struct test_store *ts)
{
	struct err e = ERR_INIT;
	setenv("INBEELD_TODAY", "2026-11-23", 1);
	test_store_open(ts);
	assert_ok(store_exec(ts->store, orgs_sql, &e), &e);
}

/* Post `body` as `feed` from `source`; returns the engine's result code. */
static int post(struct test_store *ts, const char *feed, const char *source, const char *mode,
                const char *as_of, const char *body, struct feed_result *r, struct err *e)
{
	struct feed_options o = {.feed = feed, .source = source, .mode = mode, .as_of = as_of};
	return feed_import_json(ts->store, &ts->keys, &who, &o, body, strlen(body), r, e);
}

static int64_t count(struct test_store *ts, const char *sql)
{
	int64_t n = -1;
	struct err e = ERR_INIT;
	assert_ok(store_query_int64(ts->store, sql, &n, &e), &e);
	return n;
}

/* ---- the rules, one defect per case ------------------------------------------------------ */

struct rule_case {
	const char *feed, *source, *record, *field, *rule;
};

static const struct rule_case rule_cases[] = {
    {"enrolments", "duo:DUO",
     "{\"bsn\":\"100015838\",\"brin\":\"14EK\",\"vestiging\":\"00\",\"school_type\":\"VO\","
     "\"level\":\"havo\",\"start_date\":\"2022-08-01\"}",
     "bsn", "elfproef"},
    {"enrolments", "duo:DUO",
     "{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\",\"school_type\":\"VO\","
     "\"level\":\"havo\",\"start_date\":\"2022-02-30\"}",
     "start_date", "not a date of the calendar"},
    {"enrolments", "duo:DUO",
     "{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\",\"school_type\":\"VO\","
     "\"level\":\"mbo-2\",\"start_date\":\"2022-08-01\"}",
     "level", "unknown code"},
    {"enrolments", "duo:DUO",
     "{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"01\",\"school_type\":\"VO\","
     "\"level\":\"vwo\",\"start_date\":\"2022-08-01\"}",
     "level", "not offered by school 14EK01"},
    {"enrolments", "duo:DUO",
     "{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\",\"school_type\":\"VO\","
     "\"level\":\"havo\",\"start_date\":\"2022-08-01\",\"end_date\":\"2023-07-31\","
     "\"end_reason\":\"weg\"}",
     "end_reason", "unknown code"},
    {"diplomas", "duo:DUO",
     "{\"bsn\":\"100015839\",\"qualification\":\"mbo-2\",\"diploma_date\":\"2025-07-01\","
     "\"brin\":\"25LR\",\"vestiging\":\"02\"}",
     "crebo", "required"},
    {"diplomas", "duo:DUO",
     "{\"bsn\":\"100015839\",\"qualification\":\"havo\",\"diploma_date\":\"2027-07-01\","
     "\"brin\":\"14EK\",\"vestiging\":\"00\"}",
     "diploma_date", "after the as-of date"},
    {"absence", "duo:DUO",
     "{\"report_id\":\"1\",\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\","
     "\"kind\":\"relatief\",\"period_from\":\"2026-01-01\",\"period_to\":\"2026-01-20\","
     "\"reported_on\":\"2026-01-21\",\"status\":\"Geregistreerd\",\"status_date\":\"2026-01-21\"}",
     "hours_lost", "required"},
    {"absence", "duo:DUO",
     "{\"report_id\":\"1\",\"bsn\":\"100015839\",\"kind\":\"absoluut\","
     "\"period_from\":\"2026-01-01\",\"reported_on\":\"2026-01-21\",\"status\":\"Open\","
     "\"status_date\":\"2026-01-21\"}",
     "status", "unknown code"},
    {"care", "municipality:GM0935",
     "{\"allocation_id\":\"A\",\"bsn\":\"100015839\",\"provider_agb\":\"98765432\","
     "\"law\":\"wmo\",\"product_category\":\"45\",\"start_date\":\"2026-01-01\","
     "\"municipality_code\":\"GM0935\"}",
     "product_category", "01 to 18"},
    {"care", "municipality:GM0935",
     "{\"allocation_id\":\"A\",\"bsn\":\"100015839\",\"provider_agb\":\"12345678\","
     "\"law\":\"jeugdwet\",\"product_category\":\"45\",\"start_date\":\"2026-01-01\","
     "\"municipality_code\":\"GM0935\"}",
     "provider_agb", "no care 12345678 in the registry"},
    {"work", "uwv:UWV-ZL",
     "{\"bsn\":\"100015839\",\"kind\":\"ww\",\"employer_kvk\":\"61234567\","
     "\"start_date\":\"2026-01-01\"}",
     "employer_kvk", "only for employment"},
    {"work", "uwv:UWV-ZL",
     "{\"bsn\":\"100015839\",\"kind\":\"employment\",\"employer_kvk\":\"61234567\","
     "\"start_date\":\"2026-01-01\",\"hours_per_week\":60}",
     "hours_per_week", "1 to 40"},
    {"residence", "municipality:GM0935",
     "{\"bsn\":\"100015839\",\"given_names\":\"A\",\"surname\":\"B\","
     "\"birth_date\":\"2010-01-01\",\"street\":\"S\",\"house_number\":\"1\","
     "\"postcode\":\"0211AB\",\"city\":\"M\",\"municipality_code\":\"GM0935\","
     "\"moved_in\":\"2010-01-01\"}",
     "postcode", "postcode"},
    {"residence", "municipality:GM0935",
     "{\"bsn\":\"100015839\",\"given_names\":\"A\",\"surname\":\"B\","
     "\"birth_date\":\"2010-01-01\",\"street\":\"S\",\"house_number\":\"1\","
     "\"postcode\":\"6211AB\",\"city\":\"M\",\"municipality_code\":\"GM0935\","
     "\"moved_in\":\"2009-01-01\"}",
     "moved_in", "before the birth date"},
};

static void test_feeds__each_rule_names_field_and_rule(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		const struct rule_case *c = &rule_cases[i];
		struct test_store ts;
		struct feed_result r;
		struct err e = ERR_INIT;
		char body[1024];
		open_region(&ts);
		snprintf(body, sizeof(body), "[%s]", c->record);
		int rc = post(&ts, c->feed, c->source, NULL, "2026-10-01", body, &r, &e);
		if (rc == 0)
			fail_msg("case %zu (%s, %s): accepted", i, c->feed, c->field);
		assert_int_equal(e.code, ERR_INVALID);
		assert_true(r.nerrors >= 1);
		if (strcmp(r.errors[0].field, c->field) != 0 || !strstr(r.errors[0].rule, c->rule))
			fail_msg("case %zu: expected %s / '%s', got %s / '%s'", i, c->field,
			         c->rule, r.errors[0].field, r.errors[0].rule);
		assert_int_equal(r.errors[0].line, 0); /* the record's index */
		assert_null(strstr(r.errors[0].value, "100015838"));
		assert_int_equal(count(&ts, "SELECT count(*) FROM feed_records"), 0);
		feed_result_release(&r);
		test_store_close(&ts);
	}
}

/* ---- all or nothing, idempotence --------------------------------------------------------- */

static const char two_enrolments[] =
    "[{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\",\"school_type\":\"VO\","
    "\"level\":\"havo\",\"start_date\":\"2022-08-01\"},"
    "{\"bsn\":\"100071272\",\"brin\":\"14EK\",\"vestiging\":\"00\",\"school_type\":\"VO\","
    "\"level\":\"vwo\",\"start_date\":\"2021-08-01\"}]";

static void test_feeds__one_bad_record_rejects_all(void **state)
{
	(void)state;
	struct test_store ts;
	struct feed_result r;
	struct err e = ERR_INIT;
	open_region(&ts);
	const char *body =
	    "[{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\","
	    "\"school_type\":\"VO\",\"level\":\"havo\",\"start_date\":\"2022-08-01\"},"
	    "{\"bsn\":\"100071272\",\"brin\":\"99ZZ\",\"vestiging\":\"00\","
	    "\"school_type\":\"VO\",\"level\":\"vwo\",\"start_date\":\"2021-08-01\"}]";
	assert_int_equal(post(&ts, "enrolments", "duo:DUO", NULL, "2026-10-01", body, &r, &e), -1);
	assert_int_equal(r.n_rejected, 1);
	assert_int_equal(r.errors[0].line, 1);
	assert_int_equal(count(&ts, "SELECT count(*) FROM feed_records"), 0);
	assert_int_equal(count(&ts, "SELECT count(*) FROM persons"), 0);
	assert_int_equal(count(&ts, "SELECT count(*) FROM imports WHERE status = 'failed'"), 1);
	feed_result_release(&r);
	test_store_close(&ts);
}

static void test_feeds__same_content_twice_changes_nothing(void **state)
{
	(void)state;
	struct test_store ts;
	struct feed_result r;
	struct err e = ERR_INIT;
	open_region(&ts);
	assert_ok(post(&ts, "enrolments", "duo:DUO", NULL, "2025-10-01", two_enrolments, &r, &e),
	          &e);
	assert_int_equal(r.n_new, 2);
	char hash[FEED_HASH_HEX_SIZE];
	memcpy(hash, r.hash, sizeof(hash));
	feed_result_release(&r);
	assert_ok(post(&ts, "enrolments", "duo:DUO", NULL, "2025-10-01", two_enrolments, &r, &e),
	          &e);
	assert_string_equal(r.status, "unchanged");
	assert_string_equal(r.hash, hash);
	assert_int_equal(r.n_unchanged, 2);
	assert_int_equal(count(&ts, "SELECT count(*) FROM feed_records"), 2);
	feed_result_release(&r);
	test_store_close(&ts);
}

static void test_feeds__snapshot_ends_and_delta_keeps(void **state)
{
	(void)state;
	struct test_store ts;
	struct feed_result r;
	struct err e = ERR_INIT;
	open_region(&ts);
	assert_ok(post(&ts, "enrolments", "duo:DUO", NULL, "2025-10-01", two_enrolments, &r, &e),
	          &e);
	feed_result_release(&r);
	const char *one =
	    "[{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\","
	    "\"school_type\":\"VO\",\"level\":\"havo\",\"start_date\":\"2022-08-01\"}]";
	assert_ok(post(&ts, "enrolments", "duo:DUO", "delta", "2025-11-01", one, &r, &e), &e);
	assert_int_equal(r.n_ended, 0);
	assert_int_equal(r.n_unchanged, 1);
	feed_result_release(&r);
	assert_ok(post(&ts, "enrolments", "duo:DUO", "snapshot", "2025-12-01", one, &r, &e), &e);
	assert_int_equal(r.n_ended, 1);
	assert_int_equal(count(&ts,
	                       "SELECT count(*) FROM feed_records WHERE ended_import IS NOT NULL"
	                       " AND valid_to = '2025-12-01'"),
	                 1);
	feed_result_release(&r);
	/* An older snapshot than the last would end what came after it. */
	assert_int_equal(post(&ts, "enrolments", "duo:DUO", "snapshot", "2025-10-01", "[]", &r, &e),
	                 -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	feed_result_release(&r);
	test_store_close(&ts);
}

/* `n` enrolments of `n` persons as a JSON array; record `changed` gets another level. */
static void many_enrolments(struct buf *b, int n, int skip, int changed)
{
	buf_adds(b, "[");
	for (int i = 0; i < n; i++) {
		char bsn[BSN_SIZE];
		if (i == skip)
			continue;
		assert_true(ident_bsn_complete(20000000u + (uint32_t)i * 7u, bsn) ||
		            ident_bsn_complete(20000000u + (uint32_t)i * 7u + 1u, bsn));
		buf_addf(b,
		         "%s{\"bsn\":\"%s\",\"brin\":\"14EK\",\"vestiging\":\"00\","
		         "\"school_type\":\"VO\",\"level\":\"%s\",\"start_date\":\"2022-08-01\"}",
		         b->len > 1 ? "," : "", bsn, i == changed ? "vwo" : "havo");
	}
	buf_adds(b, "]");
}

/* A large delivery compares through the in-memory map of the stored records. */
static void test_feeds__large_snapshot_through_the_map(void **state)
{
	(void)state;
	struct test_store ts;
	struct feed_result r;
	struct err e = ERR_INIT;
	struct buf first = BUF_INIT, second = BUF_INIT;
	open_region(&ts);
	many_enrolments(&first, 2500, -1, -1);
	assert_ok(post(&ts, "enrolments", "duo:DUO", NULL, "2025-10-01", first.data, &r, &e), &e);
	assert_int_equal(r.n_new, 2500);
	feed_result_release(&r);
	/* Record 7 missing, record 9's level changed: a new key, so the old one ends. */
	many_enrolments(&second, 2500, 7, 9);
	assert_ok(post(&ts, "enrolments", "duo:DUO", NULL, "2026-10-01", second.data, &r, &e), &e);
	assert_int_equal(r.n_unchanged, 2498);
	assert_int_equal(r.n_new, 1);
	assert_int_equal(r.n_ended, 2);
	feed_result_release(&r);
	/* The same records again, row by row: all unchanged. */
	struct feed_options o = {
	    .feed = "enrolments", .source = "duo:DUO", .as_of = "2026-10-01", .rescan = true};
	assert_ok(feed_import_json(ts.store, &ts.keys, &who, &o, second.data, second.len, &r, &e),
	          &e);
	assert_int_equal(r.n_unchanged, 2499);
	assert_int_equal(r.n_new + r.n_changed + r.n_ended, 0);
	feed_result_release(&r);
	buf_release(&first);
	buf_release(&second);
	test_store_close(&ts);
}

/* A large delivery is read and parsed by a second thread: its rejections come in the order
 * of the records, and a record named twice is found (by the careful second attempt). */
static void test_feeds__large_delivery_rejects_in_order(void **state)
{
	(void)state;
	struct test_store ts;
	struct feed_result r;
	struct err e = ERR_INIT;
	struct buf body = BUF_INIT;
	open_region(&ts);
	many_enrolments(&body, 2500, -1, -1);
	/* Record 10 gets a level the school does not offer, record 2000 a date that is none. */
	char *p = body.data;
	for (int i = 0; i <= 2000; i++) {
		p = strstr(p + 1, "{\"bsn\"");
		if (i == 10)
			memcpy(strstr(p, "\"havo\""), "\"mbo2\"", 6);
		if (i == 2000)
			memcpy(strstr(p, "2022-08-01"), "2022-02-30", 10);
	}
	struct feed_options o = {
	    .feed = "enrolments", .source = "duo:DUO", .as_of = "2025-10-01", .accept_valid = true};
	assert_ok(feed_import_json(ts.store, &ts.keys, &who, &o, body.data, body.len, &r, &e), &e);
	assert_int_equal(r.n_new, 2498);
	assert_int_equal(r.n_rejected, 2);
	assert_int_equal(r.nerrors, 2);
	assert_int_equal(r.errors[0].line, 10);
	assert_string_equal(r.errors[0].field, "level");
	assert_int_equal(r.errors[1].line, 2000);
	assert_string_equal(r.errors[1].field, "start_date");
	feed_result_release(&r);
	/* Another source delivers the same record twice, at the start and at the end. */
	buf_reset(&body);
	many_enrolments(&body, 2500, -1, -1);
	body.data[body.len - 1] = ',';
	char *first_end = strchr(body.data, '}');
	buf_add(&body, body.data + 1, (size_t)(first_end - body.data));
	buf_adds(&body, "]");
	o.source = "municipality:GM0935";
	o.accept_valid = false;
	assert_int_equal(
	    feed_import_json(ts.store, &ts.keys, &who, &o, body.data, body.len, &r, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(r.n_rejected, 1);
	assert_int_equal(r.errors[0].line, 2500);
	assert_non_null(strstr(r.errors[0].rule, "the same record as an earlier row"));
	feed_result_release(&r);
	buf_release(&body);
	test_store_close(&ts);
}

/* ---- events derived from enrolments ------------------------------------------------------ */

static void kinds_of(struct test_store *ts, const char *bsn, char *out, size_t size)
{
	char pkey[PSEUDONYM_HEX_SIZE];
	struct feed_event *ev;
	size_t n, used = 0;
	struct err e = ERR_INIT;
	crypto_pseudonym(&ts->keys, bsn, pkey);
	assert_ok(feed_timeline(ts->store, &who, pkey, &ev, &n, &e), &e);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s %s", i ? ", " : "",
		                         ev[i].date, ev[i].kind);
	feed_events_free(ev, n);
}

static void test_feeds__overstap_becomes_change_of_school_or_level(void **state)
{
	(void)state;
	struct test_store ts;
	struct feed_result r;
	struct err e = ERR_INIT;
	char got[512];
	open_region(&ts);
	const char *body =
	    "[{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\",\"school_type\":\"VO\","
	    "\"level\":\"havo\",\"start_date\":\"2022-08-01\",\"end_date\":\"2024-07-31\","
	    "\"end_reason\":\"overstap\"},"
	    "{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"01\",\"school_type\":\"VO\","
	    "\"level\":\"vmbo-t\",\"start_date\":\"2024-08-01\",\"end_date\":\"2025-07-31\","
	    "\"end_reason\":\"overstap\"},"
	    "{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"01\",\"school_type\":\"VO\","
	    "\"level\":\"havo\",\"start_date\":\"2025-08-01\",\"end_date\":\"2026-01-31\","
	    "\"end_reason\":\"overstap\"}]";
	assert_ok(post(&ts, "enrolments", "duo:DUO", NULL, "2026-10-01", body, &r, &e), &e);
	feed_result_release(&r);
	kinds_of(&ts, "100015839", got, sizeof(got));
	assert_string_equal(got, "2022-08-01 enrolled, 2024-07-31 changed_school, "
	                         "2024-08-01 enrolled, 2025-07-31 changed_level, "
	                         "2025-08-01 enrolled, 2026-01-31 left_school");
	/* Reading a timeline is audited, with the person's key and no personal data. */
	assert_int_equal(count(&ts,
	                       "SELECT count(*) FROM audit_log WHERE action = 'person.timeline'"
	                       " AND person_key IS NOT NULL AND detail = 'events(6)'"),
	                 1);
	test_store_close(&ts);
}

/* ---- merge and unmerge ------------------------------------------------------------------- */

static const char havo_of_a[] =
    "{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\",\"school_type\":\"VO\","
    "\"level\":\"havo\",\"start_date\":\"2022-08-01\"}";
static const char vwo_of_a[] =
    "{\"bsn\":\"100015839\",\"brin\":\"14EK\",\"vestiging\":\"00\",\"school_type\":\"VO\","
    "\"level\":\"vwo\",\"start_date\":\"2021-08-01\"}";

/* A provisional person (no BSN) holding the records that `body` gives person 100071272:
 * as if they had been delivered about the provisional record. Its key in *pkey. */
static int64_t provisional_with(struct test_store *ts, const char *body,
                                char pkey[PSEUDONYM_HEX_SIZE])
{
	struct err e = ERR_INIT;
	struct feed_result r;
	struct person p;
	const struct person_input in = {
	    .surname = "Berg", .birth_date = "2010-03-14", .postcode = "6211AB"};
	assert_ok(person_add(ts->store, &ts->keys, &who, &in, &p, &e), &e);
	memcpy(pkey, p.pkey, PSEUDONYM_HEX_SIZE);
	int64_t id = p.id;
	person_release(&p);
	assert_ok(post(ts, "enrolments", "duo:DUO", "delta", "2025-10-01", body, &r, &e), &e);
	feed_result_release(&r);
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "UPDATE feed_records SET person_id = %lld WHERE person_id <> %lld AND person_id"
	         " <> (SELECT min(person_id) FROM feed_records)",
	         (long long)id, (long long)id);
	assert_ok(store_exec(ts->store, sql, &e), &e);
	return id;
}

static int64_t person_of(struct test_store *ts, const char *level)
{
	char sql[160];
	snprintf(sql, sizeof(sql),
	         "SELECT max(person_id) FROM feed_records WHERE content LIKE '%%\"%s\"%%'", level);
	return count(ts, sql);
}

/* A region whose DUO delivered person A's havo enrolment: A's id, and its key in key_a. */
static int64_t region_with_havo_of_a(struct test_store *ts, char key_a[PSEUDONYM_HEX_SIZE])
{
	struct feed_result r;
	struct err e = ERR_INIT;
	char buf[512];
	open_region(ts);
	snprintf(buf, sizeof(buf), "[%s]", havo_of_a);
	assert_ok(post(ts, "enrolments", "duo:DUO", NULL, "2025-10-01", buf, &r, &e), &e);
	feed_result_release(&r);
	crypto_pseudonym(&ts->keys, "100015839", key_a);
	return person_of(ts, "havo");
}

/* A merge moves a record and, since keys hold no person, the survivor's next delivery
 * matches it; an unmerge moves it back, and the survivor's record is new again. */
static void test_feeds__merge_moves_records_with_their_keys(void **state)
{
	(void)state;
	struct test_store ts;
	struct feed_result r;
	struct err e = ERR_INIT;
	char buf[1024], key_a[PSEUDONYM_HEX_SIZE], key_p[PSEUDONYM_HEX_SIZE];
	int64_t merge_id;
	int64_t a = region_with_havo_of_a(&ts, key_a);
	/* Another person's vwo enrolment, then given to a provisional record. */
	const char *vwo_other =
	    "[{\"bsn\":\"100071272\",\"brin\":\"14EK\",\"vestiging\":\"00\","
	    "\"school_type\":\"VO\",\"level\":\"vwo\",\"start_date\":\"2021-08-01\"}]";
	int64_t p = provisional_with(&ts, vwo_other, key_p);
	assert_int_equal(person_of(&ts, "vwo"), p);

	assert_ok(person_merge(ts.store, &ts.keys, &who, key_a, key_p, &merge_id, &e), &e);
	assert_int_equal(person_of(&ts, "vwo"), a);
	snprintf(buf, sizeof(buf), "[%s,%s]", havo_of_a, vwo_of_a);
	assert_ok(post(&ts, "enrolments", "duo:DUO", NULL, "2026-10-01", buf, &r, &e), &e);
	assert_int_equal(r.n_new, 0);
	assert_int_equal(r.n_unchanged, 2);
	assert_int_equal(r.n_changed + r.n_ended, 0);
	feed_result_release(&r);

	assert_ok(person_unmerge(ts.store, &ts.keys, &who, merge_id, &e), &e);
	assert_int_equal(person_of(&ts, "vwo"), p);
	struct feed_options o = {
	    .feed = "enrolments", .source = "duo:DUO", .as_of = "2026-10-01", .rescan = true};
	assert_ok(feed_import_json(ts.store, &ts.keys, &who, &o, buf, strlen(buf), &r, &e), &e);
	assert_int_equal(r.n_new, 1);   /* the survivor's vwo again */
	assert_int_equal(r.n_ended, 1); /* the provisional record's, not delivered */
	assert_int_equal(r.n_unchanged, 1);
	feed_result_release(&r);
	test_store_close(&ts);
}

/* A record that both were delivered stays with the merged record: the survivor keeps its own. */
static void test_feeds__merge_leaves_a_record_the_survivor_has(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	char key_a[PSEUDONYM_HEX_SIZE], key_p[PSEUDONYM_HEX_SIZE];
	int64_t merge_id;
	int64_t a = region_with_havo_of_a(&ts, key_a);
	const char *havo_other =
	    "[{\"bsn\":\"100071272\",\"brin\":\"14EK\",\"vestiging\":\"00\","
	    "\"school_type\":\"VO\",\"level\":\"havo\",\"start_date\":\"2022-08-01\"}]";
	int64_t p = provisional_with(&ts, havo_other, key_p);
	assert_ok(person_merge(ts.store, &ts.keys, &who, key_a, key_p, &merge_id, &e), &e);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM feed_records WHERE person_id = %lld",
	         (long long)a);
	assert_int_equal(count(&ts, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM feed_records WHERE person_id = %lld",
	         (long long)p);
	assert_int_equal(count(&ts, sql), 1);
	test_store_close(&ts);
}

/* ---- migration 0008 ----------------------------------------------------------------------- */

/* Records as version 7 wrote them, and what 0008 makes of their keys. */
static void test_feeds__migration_0008_keeps_records(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open_at(&ts, 7);
	const char *old[] = {
	    "INSERT INTO persons (id, pkey, pii, key_id, created_at, updated_at) VALUES"
	    " (1, 'k1', 'x', 1, 'now', 'now'), (2, 'k2', 'x', 1, 'now', 'now'),"
	    " (3, 'k3', 'x', 1, 'now', 'now')",
	    "INSERT INTO imports (id, feed, source, mode, as_of, file_name, content_hash,"
	    " started_at, status) VALUES (1, 'enrolments', 'duo:DUO', 'snapshot', '2025-10-01',"
	    " 'f', 'h', 'now', 'done')",
	    /* id 1: the person's own; 2: residence; 3: care, keyed per source; 4: moved to
	     * person 1 by a merge, its key naming person 3; 5: moved, but person 1 has its key */
	    "INSERT INTO feed_records (id, feed, source, record_key, person_id, content,"
	    " content_hash, valid_from, valid_to, first_import, last_import) VALUES"
	    " (1, 'enrolments', 'duo:DUO', '000000000001|14EK00|havo|2022-08-01', 1,"
	    " '{\"school\":\"14EK00\",\"level\":\"havo\",\"start_date\":\"2022-08-01\","
	    "\"end_date\":\"2024-07-31\",\"end_reason\":\"overstap\"}', 'h',"
	    " '2022-08-01', '2024-07-31', 1, 1),"
	    " (2, 'residence', 'municipality:GM0935', '000000000001|2010-01-01', 1, '{}', 'h',"
	    " '2010-01-01', NULL, 1, 1),"
	    " (3, 'care', 'municipality:GM0935', 'TW1', 2, '{}', 'h', '2026-01-01', NULL, 1, 1),"
	    " (4, 'enrolments', 'duo:DUO', '000000000003|14EK00|vwo|2021-08-01', 1, '{}', 'h',"
	    " '2021-08-01', NULL, 1, 1),"
	    " (5, 'enrolments', 'duo:DUO', '000000000002|14EK00|havo|2022-08-01', 1, '{}', 'h',"
	    " '2022-08-01', NULL, 1, 1)",
	    "INSERT INTO events (person_id, event_date, day, kind, feed, source, import_id,"
	    " record_id) VALUES (2, '2026-01-01', 20454, 'care_started', 'care',"
	    " 'municipality:GM0935', 1, 3)",
	    NULL};
	for (int i = 0; old[i]; i++)
		assert_ok(store_exec(ts.store, old[i], &e), &e);
	int applied;
	assert_ok(store_migrate(ts.store, &applied, &e), &e);
	assert_int_equal(applied, store_known_version(ts.store) - 7);
	struct stmt *st;
	assert_ok(store_prepare(ts.store,
	                        "SELECT r.id, r.record_key, r.person_in_key, s.feed, s.source"
	                        " FROM feed_records r JOIN feed_streams s ON s.id = r.stream_id"
	                        " ORDER BY r.id",
	                        &st, &e),
	          &e);
	static const char *const want[] = {
	    "1 14EK00|havo|2022-08-01 1 enrolments duo:DUO",
	    "2 2010-01-01 1 residence municipality:GM0935",
	    "3 TW1 0 care municipality:GM0935",
	    "4 14EK00|vwo|2021-08-01 1 enrolments duo:DUO",
	    "5 000000000002|14EK00|havo|2022-08-01 1 enrolments duo:DUO",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char got[160];
		assert_int_equal(stmt_step(st, &e), STORE_ROW);
		snprintf(got, sizeof(got), "%lld %s %lld %s %s", (long long)stmt_int64(st, 0),
		         stmt_text(st, 1), (long long)stmt_int64(st, 2), stmt_text(st, 3),
		         stmt_text(st, 4));
		assert_string_equal(got, want[i]);
	}
	assert_int_equal(stmt_step(st, &e), STORE_DONE);
	stmt_free(st);
	assert_int_equal(count(&ts, "SELECT record_id FROM events"), 3);
	/* An enrolment's dates are its validity, no longer repeated in the content. */
	assert_int_equal(count(&ts,
	                       "SELECT count(*) FROM feed_records WHERE id = 1 AND content ="
	                       " '{\"school\":\"14EK00\",\"level\":\"havo\","
	                       "\"end_reason\":\"overstap\"}'"),
	                 1);
	assert_int_equal(count(&ts, "SELECT count(*) FROM feed_streams"), 3);
	test_store_close(&ts);
}

/* ---- feed tokens ------------------------------------------------------------------------- */

static void test_feeds__token_scope(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	char token[FEED_TOKEN_HEX_SIZE], source[FEED_SOURCE_SIZE];
	int64_t id;
	open_region(&ts);
	assert_ok(feed_token_add(ts.store, &who, "duo:DUO", "absence", token, &id, &e), &e);
	assert_ok(feed_token_check(ts.store, token, "absence", source, &e), &e);
	assert_string_equal(source, "duo:DUO");
	assert_int_equal(feed_token_check(ts.store, token, "enrolments", source, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_int_equal(count(&ts, "SELECT count(*) FROM feed_tokens WHERE token_hash LIKE '%'"),
	                 1);
	assert_ok(feed_token_revoke(ts.store, &who, id, &e), &e);
	assert_int_equal(feed_token_check(ts.store, token, "absence", source, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_feeds__each_rule_names_field_and_rule),
	    cmocka_unit_test(test_feeds__one_bad_record_rejects_all),
	    cmocka_unit_test(test_feeds__same_content_twice_changes_nothing),
	    cmocka_unit_test(test_feeds__snapshot_ends_and_delta_keeps),
	    cmocka_unit_test(test_feeds__large_snapshot_through_the_map),
	    cmocka_unit_test(test_feeds__large_delivery_rejects_in_order),
	    cmocka_unit_test(test_feeds__overstap_becomes_change_of_school_or_level),
	    cmocka_unit_test(test_feeds__merge_moves_records_with_their_keys),
	    cmocka_unit_test(test_feeds__merge_leaves_a_record_the_survivor_has),
	    cmocka_unit_test(test_feeds__migration_0008_keeps_records),
	    cmocka_unit_test(test_feeds__token_scope),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
