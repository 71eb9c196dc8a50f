/*
 * Unit tests of the person registry on the back end under test: adding and reading with the
 * sealed data, pseudonyms, the validation rules and their messages, search by blind index,
 * loading a residence file, merge and undo, and key rotation.
 */
#include "testutil.h"

#include "audit/audit.h"
#include "registry/person-internal.h"

static const struct access tester = {"cli:tester", NULL, "operator", NULL, "cli", "test", 0, 0, 0};

static int64_t count_of(struct store *s, const char *sql)
{
	struct err e = ERR_INIT;
	int64_t n = -1;
	if (store_query_int64(s, sql, &n, &e) < 0)
		fail_msg("%s: %s", sql, e.msg);
	return n;
}

static const struct person_input zwaantje = {
	.bsn = "111222333",
	.given_names = "Zwaantje",
	.surname = "Testbeeld",
	.birth_date = "2009-03-04",
	.postcode = "6211 ab",
	.street = "Markt",
	.house_number = "1a",
	.city = "Maastricht",
	.municipality_code = "0935",
	.phone = "+31 6 1234 5678",
	.email = "zwaantje@example.nl",
};

static void test_person__add_and_get_round_trip(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person added, got;
	test_store_open(&ts);
	assert_ok(person_add(ts.store, &ts.keys, &tester, &zwaantje, &added, &e), &e);
	assert_false(added.provisional);
	assert_false(added.has_pii);
	assert_string_equal(added.birth_date, "2009-03-04");
	assert_string_equal(added.municipality_code, "GM0935");
	assert_string_equal(added.postcode4, "6211");

	assert_ok(person_get(ts.store, &ts.keys, &tester, added.pkey, true, &got, &e), &e);
	assert_true(got.has_pii);
	assert_int_equal(got.id, added.id);
	assert_string_equal(got.pii.bsn, "111222333");
	assert_string_equal(got.pii.given_names, "Zwaantje");
	assert_null(got.pii.surname_prefix);
	assert_string_equal(got.pii.surname, "Testbeeld");
	assert_string_equal(got.pii.postcode, "6211AB");
	assert_string_equal(got.pii.street, "Markt");
	assert_string_equal(got.pii.house_number, "1a");
	assert_string_equal(got.pii.city, "Maastricht");
	assert_string_equal(got.pii.phone, "+31 6 1234 5678");
	assert_string_equal(got.pii.email, "zwaantje@example.nl");
	assert_string_equal(got.municipality_code, "GM0935");
	person_release(&got);

	/* Without pii nothing is opened and nothing audited. */
	assert_ok(person_get(ts.store, &ts.keys, &tester, added.pkey, false, &got, &e), &e);
	assert_false(got.has_pii);
	assert_null(got.pii.bsn);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log WHERE action = "
					    "'person.add'"),
			 1);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log WHERE action = "
					    "'person.read'"),
			 1);
	struct audit_verify_result vr;
	assert_ok(audit_verify(ts.store, NULL, &vr, &e), &e);

	assert_int_equal(person_get(ts.store, &ts.keys, &tester, "00ff", true, &got, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	test_store_close(&ts);
}

static void test_person__pseudonym_is_deterministic_and_not_the_bsn(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person p;
	char expected[PSEUDONYM_HEX_SIZE];
	test_store_open(&ts);
	assert_ok(person_add(ts.store, &ts.keys, &tester, &zwaantje, &p, &e), &e);
	crypto_pseudonym(&ts.keys, "111222333", expected);
	assert_string_equal(p.pkey, expected);
	assert_null(strstr(p.pkey, "111222333"));
	assert_int_equal(strlen(p.pkey), 64);

	/* The same BSN again: a conflict that names the BSN only masked. */
	assert_int_equal(person_add(ts.store, &ts.keys, &tester, &zwaantje, NULL, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "******333"));
	assert_null(strstr(e.msg, "111222333"));

	/* Another key file gives another pseudonym. */
	struct keyring other;
	char theirs[PSEUDONYM_HEX_SIZE];
	keyring_generate(&other);
	crypto_pseudonym(&other, "111222333", theirs);
	assert_string_not_equal(theirs, expected);
	keyring_wipe(&other);

	/* Without a BSN the key is random. */
	struct person_input prov = zwaantje;
	struct person a, b;
	prov.bsn = NULL;
	assert_ok(person_add(ts.store, &ts.keys, &tester, &prov, &a, &e), &e);
	assert_ok(person_add(ts.store, &ts.keys, &tester, &prov, &b, &e), &e);
	assert_true(a.provisional);
	assert_string_not_equal(a.pkey, b.pkey);
	test_store_close(&ts);
}

/* One invalid input: which field to change, to what, and what the message must say. */
struct bad_case {
	const char *what;
	const char *bsn, *surname, *birth_date, *postcode, *municipality, *email, *phone;
	const char *field; /* "field <name>" must be in the message */
	const char *rule;  /* and this */
};

static const struct bad_case bad_cases[] = {
	{"elfproef", "111222334", NULL, NULL, NULL, NULL, NULL, NULL, "field bsn", "elfproef"},
	{"all zeros", "000000000", NULL, NULL, NULL, NULL, NULL, NULL, "field bsn",
	 "not all zeros"},
	{"letters", "11122233a", NULL, NULL, NULL, NULL, NULL, NULL, "field bsn", "9 digits"},
	{"too short", "1234567", NULL, NULL, NULL, NULL, NULL, NULL, "field bsn", "9 digits"},
	{"too long", "1112223330", NULL, NULL, NULL, NULL, NULL, NULL, "field bsn", "9 digits"},
	{"postcode SA", NULL, NULL, NULL, "6211SA", NULL, NULL, NULL, "field postcode", "SA, SD"},
	{"postcode SD", NULL, NULL, NULL, "6211 SD", NULL, NULL, NULL, "field postcode", "SA, SD"},
	{"postcode SS", NULL, NULL, NULL, "6211ss", NULL, NULL, NULL, "field postcode", "SA, SD"},
	{"postcode 0", NULL, NULL, NULL, "0211AB", NULL, NULL, NULL, "field postcode",
	 "not starting with 0"},
	{"future", NULL, NULL, "2027-01-01", NULL, NULL, NULL, NULL, "field birth_date",
	 "in the future"},
	{"too old", NULL, NULL, "1990-05-05", NULL, NULL, NULL, NULL, "field birth_date",
	 "at most 30"},
	{"no date", NULL, NULL, "31-02-2010", NULL, NULL, NULL, NULL, "field birth_date",
	 "not a date"},
	{"no surname", NULL, "  ", NULL, NULL, NULL, NULL, NULL, "field surname", "required"},
	{"surname", NULL, "--", NULL, NULL, NULL, NULL, NULL, "field surname", "letters"},
	{"gemeente", NULL, NULL, NULL, NULL, "GM93", NULL, NULL, "field municipality_code",
	 "gemeentecode"},
	{"email", NULL, NULL, NULL, NULL, NULL, "zwaantje@", NULL, "field email", "name@domain"},
	{"phone", NULL, NULL, NULL, NULL, NULL, NULL, "12 34", "field phone", "8 to 15"},
};

static void test_person__invalid_input_names_field_and_rule(void **state)
{
	(void)state;
	struct test_store ts;
	test_store_open(&ts);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct person_input in = zwaantje;
		struct err e = ERR_INIT;
		if (c->bsn)
			in.bsn = c->bsn;
		if (c->surname)
			in.surname = c->surname;
		if (c->birth_date)
			in.birth_date = c->birth_date;
		if (c->postcode)
			in.postcode = c->postcode;
		if (c->municipality)
			in.municipality_code = c->municipality;
		if (c->email)
			in.email = c->email;
		if (c->phone)
			in.phone = c->phone;
		if (person_add(ts.store, &ts.keys, &tester, &in, NULL, &e) != -1)
			fail_msg("case '%s' was accepted", c->what);
		if (e.code != ERR_INVALID || !strstr(e.msg, c->field) || !strstr(e.msg, c->rule))
			fail_msg("case '%s': expected '%s' and '%s' in an invalid-input error, got "
				 "'%s'",
				 c->what, c->field, c->rule, e.msg);
		if (strstr(e.msg, in.bsn) && strlen(in.bsn) >= 7)
			fail_msg("case '%s': the message shows the BSN: %s", c->what, e.msg);
		if (strstr(e.msg, "Testbeeld") || strstr(e.msg, "zwaantje"))
			fail_msg("case '%s': the message shows a name: %s", c->what, e.msg);
	}
	/* Nothing of all that was written, not even an audit entry. */
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM persons"), 0);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log"), 0);
	test_store_close(&ts);
}

static void test_person__eight_digit_bsn_gets_leading_zero(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person p, got;
	char bsn[BSN_SIZE];
	test_store_open(&ts);
	assert_true(ident_bsn_complete(1234567, bsn)); /* "01234567d" */
	assert_int_equal(bsn[0], '0');
	struct person_input in = zwaantje;
	in.bsn = bsn + 1;
	assert_ok(person_add(ts.store, &ts.keys, &tester, &in, &p, &e), &e);
	assert_ok(person_get(ts.store, &ts.keys, &tester, p.pkey, true, &got, &e), &e);
	assert_string_equal(got.pii.bsn, bsn);
	person_release(&got);
	test_store_close(&ts);
}

static void test_person__provisional_needs_postcode(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	struct person_input in = {.surname = "Testbeeld", .birth_date = "2009-03-04"};
	assert_int_equal(person_add(ts.store, &ts.keys, &tester, &in, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "field postcode"));
	assert_non_null(strstr(e.msg, "without a BSN"));
	in.postcode = "6211AB";
	assert_ok(person_add(ts.store, &ts.keys, &tester, &in, NULL, &e), &e);
	test_store_close(&ts);
}

/* The normalised surname: folded, tussenvoegsels off the front. */
static const struct {
	const char *in, *out;
} surnames[] = {
	{"van den Berg", "berg"},     {"Van Der Berg", "berg"},	  {"De Vries", "vries"},
	{"'t Hart", "hart"},	      {"in 't Veld", "veld"},	  {"op de Beek", "beek"},
	{"van de Kamp-de Wit", "kampdewit"}, {"Çelik", "celik"},  {"Ölçek", "olcek"},
	{"De", "de"},		      {"van", "van"},		  {"Janssen", "janssen"},
	{"  van   der   Linden ", "linden"}, {"d' Ancona", "ancona"}, {"Vandenberg", "vandenberg"},
	{"IJzerman", "ijzerman"},
};

static void test_person__normalise_surname(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(surnames) / sizeof(surnames[0]); i++) {
		struct buf b = BUF_INIT;
		person_normalise_surname(surnames[i].in, &b);
		if (strcmp(b.data, surnames[i].out) != 0)
			fail_msg("'%s': expected '%s', got '%s'", surnames[i].in, surnames[i].out,
				 b.data);
		buf_release(&b);
	}
}

static void test_person__tussenvoegsel_is_split_off(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person p, got;
	test_store_open(&ts);
	struct person_input in = zwaantje;
	in.surname = "van den Testbeeld";
	assert_ok(person_add(ts.store, &ts.keys, &tester, &in, &p, &e), &e);
	assert_ok(person_get(ts.store, &ts.keys, &tester, p.pkey, true, &got, &e), &e);
	assert_string_equal(got.pii.surname_prefix, "van den");
	assert_string_equal(got.pii.surname, "Testbeeld");
	person_release(&got);
	/* Given apart, the prefix is kept as given and the surname is not split. */
	in.bsn = NULL;
	in.surname_prefix = "de";
	in.surname = "la Fontaine";
	assert_ok(person_add(ts.store, &ts.keys, &tester, &in, &p, &e), &e);
	assert_ok(person_get(ts.store, &ts.keys, &tester, p.pkey, true, &got, &e), &e);
	assert_string_equal(got.pii.surname_prefix, "de");
	assert_string_equal(got.pii.surname, "la Fontaine");
	person_release(&got);
	test_store_close(&ts);
}

static size_t found_count(struct test_store *ts, const char *surname, const char *birth)
{
	struct err e = ERR_INIT;
	struct person *found;
	size_t n;
	assert_ok(person_find(ts->store, &ts->keys, &tester, surname, birth, &found, &n, &e), &e);
	for (size_t i = 0; i < n; i++)
		assert_true(found[i].has_pii);
	person_free_array(found, n);
	return n;
}

static void test_person__find_by_blind_index(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	struct person_input in = zwaantje;
	in.surname = "van den Bérgh";
	assert_ok(person_add(ts.store, &ts.keys, &tester, &in, NULL, &e), &e);
	in.bsn = NULL;
	in.surname = "Bakker";
	assert_ok(person_add(ts.store, &ts.keys, &tester, &in, NULL, &e), &e);

	static const char *const hits[] = {"van den Bérgh", "VAN DEN BERGH", "bergh", "Bérgh",
					   "van der Bergh", "de Bergh", " Bergh "};
	for (size_t i = 0; i < sizeof(hits) / sizeof(hits[0]); i++)
		if (found_count(&ts, hits[i], "2009-03-04") != 1)
			fail_msg("'%s' did not find the person", hits[i]);
	assert_int_equal(found_count(&ts, "bergh", "04-03-2009"), 1);
	assert_int_equal(found_count(&ts, "bergh", "2009-03-05"), 0);
	assert_int_equal(found_count(&ts, "berg", "2009-03-04"), 0);
	assert_int_equal(found_count(&ts, "bakker", "2009-03-04"), 1);

	/* The index is keyed: it is neither the name nor a plain hash of it. */
	struct stmt *st;
	assert_ok(store_prepare(ts.store, "SELECT name_index, name_block FROM persons", &st, &e),
		  &e);
	while (stmt_step(st, &e) == STORE_ROW) {
		assert_null(strstr(stmt_text(st, 0), "bergh"));
		assert_int_equal(strlen(stmt_text(st, 0)), 32);
	}
	stmt_free(st);

	/* Each find is audited: a hit per person found, a miss once. */
	int64_t finds = count_of(ts.store, "SELECT count(*) FROM audit_log WHERE action = "
					   "'person.find'");
	assert_int_equal(finds, 7 + 1 + 1 + 1 + 1);

	struct person *found;
	size_t n;
	assert_int_equal(person_find(ts.store, &ts.keys, &tester, "bergh", "2040-01-01", &found,
				     &n, &e),
			 -1);
	assert_non_null(strstr(e.msg, "field birth_date"));
	test_store_close(&ts);
}

static void test_person__list_without_pii(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person *page;
	size_t n;
	int64_t total;
	test_store_open(&ts);
	struct person_input in = zwaantje;
	in.bsn = NULL;
	for (int i = 0; i < 5; i++)
		assert_ok(person_add(ts.store, &ts.keys, &tester, &in, NULL, &e), &e);
	int64_t audits = count_of(ts.store, "SELECT count(*) FROM audit_log");
	assert_ok(person_list(ts.store, &tester, 1, 3, &page, &n, &total, &e), &e);
	assert_int_equal(total, 5);
	assert_int_equal(n, 3);
	assert_true(page[0].id < page[1].id);
	for (size_t i = 0; i < n; i++) {
		assert_false(page[i].has_pii);
		assert_null(page[i].pii.surname);
		assert_true(page[i].provisional);
	}
	person_free_array(page, n);
	/* One entry for the page, naming no person. */
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log"), audits + 1);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log WHERE action = "
					    "'person.list' AND person_key IS NULL"),
			 1);
	test_store_close(&ts);
}

/* ---- load ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_person__load_upserts_by_bsn(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	char path[64];
	long count;
	test_store_open(&ts);
	snprintf(path, sizeof(path), "/tmp/u-person-%d.csv", (int)getpid());
	write_file(path, "bsn;given_names;surname_prefix;surname;birth_date;street;house_number;"
			 "postcode;city;municipality_code;moved_in;died\n"
			 "111222333;Zwaantje;;Testbeeld;2009-03-04;Markt;1;6211AB;Maastricht;"
			 "GM0935;2020-01-01;\n"
			 "123456782;Pieter;van der;Laan;04-05-2010;;;;;;;\n"
			 "111222333;Zwaantje;;Testbeeld-Jansen;2009-03-04;Markt;2;6211AB;"
			 "Maastricht;GM0935;2021-01-01;\n");
	assert_ok(person_load(ts.store, &ts.keys, &tester, path, &count, &e), &e);
	assert_int_equal(count, 3);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM persons"), 2);
	/* A later row of the same BSN replaced the earlier one. */
	assert_int_equal(found_count(&ts, "Testbeeld-Jansen", "2009-03-04"), 1);
	assert_int_equal(found_count(&ts, "Testbeeld", "2009-03-04"), 0);
	assert_int_equal(found_count(&ts, "Laan", "2010-05-04"), 1);

	/* Loading again replaces, by pseudonym: same persons, new data. */
	write_file(path, "surname,birth_date,bsn,given_names\n"
			 "Testbeeld,2009-03-04,111222333,Zwaan\n");
	assert_ok(person_load(ts.store, &ts.keys, &tester, path, &count, &e), &e);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM persons"), 2);
	struct person p;
	char pkey[PSEUDONYM_HEX_SIZE];
	crypto_pseudonym(&ts.keys, "111222333", pkey);
	assert_ok(person_get(ts.store, &ts.keys, &tester, pkey, true, &p, &e), &e);
	assert_string_equal(p.pii.given_names, "Zwaan");
	assert_string_equal(p.pii.surname, "Testbeeld");
	assert_null(p.pii.street);
	assert_string_equal(p.postcode4, "");
	person_release(&p);
	/* One audit entry per load, not per row. */
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log WHERE action = "
					    "'person.load'"),
			 2);
	/* The indexes dropped for the first load into an empty table are back. */
	int64_t indexes = count_of(
		ts.store, test_backend_is_pg()
				  ? "SELECT count(*) FROM pg_indexes WHERE schemaname = "
				    "current_schema() AND tablename = 'persons'"
				  : "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
				    "tbl_name = 'persons'");
	assert_int_equal(indexes, test_backend_is_pg() ? 6 : 5);
	unlink(path);
	test_store_close(&ts);
}

static void test_person__load_is_all_or_nothing(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	char path[64];
	long count;
	test_store_open(&ts);
	snprintf(path, sizeof(path), "/tmp/u-person-%d.csv", (int)getpid());
	write_file(path, "bsn;surname;birth_date;postcode\n"
			 "111222333;Testbeeld;2009-03-04;6211AB\n"
			 "123456782;Laan;2010-05-04;6211AB\n"
			 "111222334;Fout;2010-05-04;6211AB\n"
			 "123456782;Laan;2010-05-04;6211SS\n"
			 ";Zonder;2010-05-04;6211AB\n");
	assert_int_equal(person_load(ts.store, &ts.keys, &tester, path, &count, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	if (!strstr(e.msg, path) || !strstr(e.msg, "line 4, column bsn") ||
	    !strstr(e.msg, "elfproef") || !strstr(e.msg, "2 more rows") ||
	    !strstr(e.msg, "nothing was loaded"))
		fail_msg("unexpected message: %s", e.msg);
	assert_null(strstr(e.msg, "111222334"));
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM persons"), 0);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log"), 0);

	write_file(path, "bsn;given_names;birth_date\n111222333;Zwaantje;2009-03-04\n");
	assert_int_equal(person_load(ts.store, &ts.keys, &tester, path, &count, &e), -1);
	assert_non_null(strstr(e.msg, "no column 'surname'"));

	assert_int_equal(person_load(ts.store, &ts.keys, &tester, "/nonexistent/x.csv", &count,
				     &e),
			 -1);
	assert_int_equal(e.code, ERR_IO);
	unlink(path);
	test_store_close(&ts);
}

/* ---- merge ---- */

/* Everything stored of a person, as one string, to compare before and after. */
static void snapshot(struct test_store *ts, const char *pkey, struct buf *out)
{
	struct err e = ERR_INIT;
	struct stmt *st;
	struct person p;
	buf_reset(out);
	assert_ok(store_prepare(ts->store,
				"SELECT id, provisional, birth_date, municipality_code, postcode4,"
				" name_index, name_block, key_id, merged_into, created_at,"
				" updated_at, pii FROM persons WHERE pkey = ?",
				&st, &e),
		  &e);
	stmt_bind_text(st, 1, pkey);
	assert_int_equal(stmt_step(st, &e), STORE_ROW);
	for (int i = 0; i < 11; i++)
		buf_addf(out, "%s|", stmt_is_null(st, i) ? "NULL" : stmt_text(st, i));
	size_t len;
	const void *pii = stmt_blob(st, 11, &len);
	buf_addhex(out, pii, len);
	stmt_free(st);
	assert_ok(person_get(ts->store, &ts->keys, &tester, pkey, true, &p, &e), &e);
	for (size_t i = 0; i < person_pii_nfields; i++)
		buf_addf(out, "|%s", PERSON_PII_FIELD(&p.pii, i) ? PERSON_PII_FIELD(&p.pii, i)
								 : "NULL");
	person_release(&p);
}

static void add_pair(struct test_store *ts, struct person *with_bsn, struct person *prov)
{
	struct err e = ERR_INIT;
	struct person_input a = {.bsn = "111222333",
				 .given_names = "Zwaantje",
				 .surname = "Testbeeld",
				 .birth_date = "2009-03-04"};
	struct person_input b = {.given_names = "Z.",
				 .surname = "Tesbeeld",
				 .birth_date = "2009-04-03",
				 .postcode = "6211AB",
				 .municipality_code = "GM0935",
				 .phone = "0612345678"};
	assert_ok(person_add(ts->store, &ts->keys, &tester, &a, with_bsn, &e), &e);
	assert_ok(person_add(ts->store, &ts->keys, &tester, &b, prov, &e), &e);
}

static void test_person__merge_and_unmerge_restore_exactly(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person a, b, got;
	struct buf a0 = BUF_INIT, b0 = BUF_INIT, a1 = BUF_INIT, b1 = BUF_INIT;
	int64_t merge_id;
	test_store_open(&ts);
	add_pair(&ts, &a, &b);
	snapshot(&ts, a.pkey, &a0);
	snapshot(&ts, b.pkey, &b0);

	/* Named provisional first: the record with the BSN survives all the same. */
	assert_ok(person_merge(ts.store, &ts.keys, &tester, b.pkey, a.pkey, &merge_id, &e), &e);
	assert_ok(person_get(ts.store, &ts.keys, &tester, a.pkey, true, &got, &e), &e);
	assert_int_equal(got.merged_into, 0);
	assert_string_equal(got.pii.given_names, "Zwaantje"); /* kept */
	assert_string_equal(got.pii.postcode, "6211AB");      /* filled */
	assert_string_equal(got.pii.phone, "0612345678");
	assert_string_equal(got.postcode4, "6211");
	assert_string_equal(got.municipality_code, "GM0935");
	person_release(&got);
	assert_ok(person_get(ts.store, &ts.keys, &tester, b.pkey, false, &got, &e), &e);
	assert_int_equal(got.merged_into, a.id);
	assert_string_equal(got.merged_into_key, a.pkey);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log WHERE action = "
					    "'person.merge'"),
			 2);

	/* A merged record is not merged again, nor found. */
	assert_int_equal(person_merge(ts.store, &ts.keys, &tester, b.pkey, a.pkey, &merge_id, &e),
			 -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "merged into another record"));
	assert_int_equal(found_count(&ts, "Tesbeeld", "2009-04-03"), 0);

	assert_ok(person_unmerge(ts.store, &ts.keys, &tester, merge_id, &e), &e);
	snapshot(&ts, a.pkey, &a1);
	snapshot(&ts, b.pkey, &b1);
	assert_string_equal(a0.data, a1.data);
	assert_string_equal(b0.data, b1.data);

	assert_int_equal(person_unmerge(ts.store, &ts.keys, &tester, merge_id, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "undone already"));
	assert_int_equal(person_unmerge(ts.store, &ts.keys, &tester, merge_id + 100, &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	struct audit_verify_result vr;
	assert_ok(audit_verify(ts.store, NULL, &vr, &e), &e);
	buf_release(&a0);
	buf_release(&b0);
	buf_release(&a1);
	buf_release(&b1);
	test_store_close(&ts);
}

static void test_person__merge_refusals(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person a, b, c;
	int64_t merge_id;
	test_store_open(&ts);
	add_pair(&ts, &a, &b);
	struct person_input other = {.bsn = "123456782", .surname = "Laan", .birth_date =
									      "2010-05-04"};
	assert_ok(person_add(ts.store, &ts.keys, &tester, &other, &c, &e), &e);
	assert_int_equal(person_merge(ts.store, &ts.keys, &tester, a.pkey, c.pkey, &merge_id, &e),
			 -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "both have a BSN"));
	assert_int_equal(person_merge(ts.store, &ts.keys, &tester, a.pkey, a.pkey, &merge_id, &e),
			 -1);
	assert_non_null(strstr(e.msg, "with itself"));
	assert_int_equal(person_merge(ts.store, &ts.keys, &tester, a.pkey, "beef", &merge_id, &e),
			 -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM person_merges"), 0);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM persons WHERE merged_into IS "
					    "NOT NULL"),
			 0);

	/* An earlier merge cannot be undone under a later one on the same records. */
	struct person_input prov = {.surname = "Testbeeld", .birth_date = "2009-03-04",
				    .postcode = "6211AB"};
	struct person d;
	int64_t first, second;
	assert_ok(person_add(ts.store, &ts.keys, &tester, &prov, &d, &e), &e);
	assert_ok(person_merge(ts.store, &ts.keys, &tester, a.pkey, b.pkey, &first, &e), &e);
	assert_ok(person_merge(ts.store, &ts.keys, &tester, a.pkey, d.pkey, &second, &e), &e);
	assert_int_equal(person_unmerge(ts.store, &ts.keys, &tester, first, &e), -1);
	assert_non_null(strstr(e.msg, "undo it first"));
	assert_ok(person_unmerge(ts.store, &ts.keys, &tester, second, &e), &e);
	assert_ok(person_unmerge(ts.store, &ts.keys, &tester, first, &e), &e);
	test_store_close(&ts);
}

static void test_person__merge_moves_referring_rows(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person a, b;
	int64_t merge_id;
	char sql[200];
	test_store_open(&ts);
	add_pair(&ts, &a, &b);
	static const struct person_ref refs[] = {{"t_refs", "person_id", NULL}, {NULL, NULL, NULL}};
	assert_ok(store_exec(ts.store, "CREATE TABLE t_refs (id INTEGER PRIMARY KEY, "
				       "person_id INTEGER NOT NULL)",
			     &e),
		  &e);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO t_refs VALUES (1, %lld), (2, %lld), (3, %lld), (4, %lld)",
		 (long long)b.id, (long long)b.id, (long long)a.id, (long long)b.id + 100);
	assert_ok(store_exec(ts.store, sql, &e), &e);

	assert_ok(person_merge_refs(ts.store, &ts.keys, &tester, a.pkey, b.pkey, refs, &merge_id,
				    &e),
		  &e);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM t_refs WHERE person_id = %lld",
		 (long long)a.id);
	assert_int_equal(count_of(ts.store, sql), 3);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM person_merge_moves"), 2);

	assert_ok(person_unmerge_refs(ts.store, &ts.keys, &tester, merge_id, refs, &e), &e);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM t_refs WHERE person_id = %lld",
		 (long long)b.id);
	assert_int_equal(count_of(ts.store, sql), 2);
	assert_int_equal(count_of(ts.store, "SELECT person_id FROM t_refs WHERE id = 3"), a.id);
	assert_int_equal(count_of(ts.store, "SELECT person_id FROM t_refs WHERE id = 4"),
			 b.id + 100);
	test_store_close(&ts);
}

/* ---- key rotation ---- */

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	struct buf b = BUF_INIT;
	char chunk[512];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

static void test_person__rotation_reseals_and_drops_old_key(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person a, b, got;
	char keyfile[64];
	int64_t merge_id;
	long count;
	test_store_open(&ts);
	snprintf(keyfile, sizeof(keyfile), "/tmp/u-person-%d.key", (int)getpid());
	unlink(keyfile);
	assert_ok(keyring_create_file(&ts.keys, keyfile, &e), &e);
	add_pair(&ts, &a, &b);
	struct person_input third = {.surname = "Derde", .birth_date = "2012-01-01",
				     .postcode = "6211AB"};
	assert_ok(person_add(ts.store, &ts.keys, &tester, &third, NULL, &e), &e);
	assert_ok(person_merge(ts.store, &ts.keys, &tester, a.pkey, b.pkey, &merge_id, &e), &e);

	struct buf old_hex = BUF_INIT;
	buf_addhex(&old_hex, ts.keys.data[0].key, KEYRING_KEY_BYTES);
	assert_ok(person_rotate_keys(ts.store, &ts.keys, &tester, keyfile, &count, &e), &e);
	assert_int_equal(count, 3 + 1); /* three persons, one merge */
	assert_int_equal(keyring_current_id(&ts.keys), 2);
	assert_int_equal(ts.keys.ndata, 1);

	char *text = read_text(keyfile);
	assert_null(strstr(text, old_hex.data));
	assert_non_null(strstr(text, "data 2 "));
	free(text);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM persons WHERE key_id <> 2"), 0);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM person_merges WHERE "
					    "survivor_key <> 2"),
			 0);

	/* The data opens with the rotated key file, and the merge still undoes. */
	struct keyring loaded;
	assert_ok(keyring_load(&loaded, keyfile, &e), &e);
	assert_ok(person_get(ts.store, &loaded, &tester, a.pkey, true, &got, &e), &e);
	assert_string_equal(got.pii.phone, "0612345678");
	person_release(&got);
	assert_ok(person_unmerge(ts.store, &loaded, &tester, merge_id, &e), &e);
	assert_ok(person_get(ts.store, &loaded, &tester, a.pkey, true, &got, &e), &e);
	assert_null(got.pii.phone);
	person_release(&got);
	keyring_wipe(&loaded);
	buf_release(&old_hex);
	unlink(keyfile);
	test_store_close(&ts);
}

static void test_person__interrupted_rotation_stays_readable(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person a, b, got;
	char keyfile[64];
	long count;
	test_store_open(&ts);
	snprintf(keyfile, sizeof(keyfile), "/tmp/u-person-%d-b.key", (int)getpid());
	unlink(keyfile);
	assert_ok(keyring_create_file(&ts.keys, keyfile, &e), &e);
	add_pair(&ts, &a, &b);
	/* The second table cannot be re-sealed: the transaction fails after the first. */
	assert_ok(store_exec(ts.store, "ALTER TABLE person_merges RENAME TO person_merges_away",
			     &e),
		  &e);
	assert_int_equal(person_rotate_keys(ts.store, &ts.keys, &tester, keyfile, &count, &e), -1);
	assert_non_null(strstr(e.msg, "nothing was re-sealed"));
	assert_int_equal(count, 0);

	struct keyring loaded;
	assert_ok(keyring_load(&loaded, keyfile, &e), &e);
	assert_int_equal(loaded.ndata, 2); /* old and new */
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM persons WHERE key_id <> 1"), 0);
	assert_ok(person_get(ts.store, &loaded, &tester, a.pkey, true, &got, &e), &e);
	assert_string_equal(got.pii.surname, "Testbeeld");
	person_release(&got);

	/* Running it again finishes the job with a third key. */
	assert_ok(store_exec(ts.store, "ALTER TABLE person_merges_away RENAME TO person_merges",
			     &e),
		  &e);
	assert_ok(person_rotate_keys(ts.store, &loaded, &tester, keyfile, &count, &e), &e);
	assert_int_equal(count, 2);
	assert_int_equal(keyring_current_id(&loaded), 3);
	assert_ok(person_get(ts.store, &loaded, &tester, b.pkey, true, &got, &e), &e);
	assert_string_equal(got.pii.surname, "Tesbeeld");
	person_release(&got);
	keyring_wipe(&loaded);
	unlink(keyfile);
	test_store_close(&ts);
}

static void test_person__wrong_key_file_opens_nothing(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct person p, got;
	test_store_open(&ts);
	assert_ok(person_add(ts.store, &ts.keys, &tester, &zwaantje, &p, &e), &e);
	struct keyring other;
	keyring_generate(&other);
	assert_int_equal(person_get(ts.store, &other, &tester, p.pkey, true, &got, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_false(got.has_pii);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log WHERE action = "
					    "'person.read'"),
			 0);
	/* A sealed value moved to another row does not open there either. */
	assert_ok(store_exec(ts.store, "UPDATE persons SET pkey = 'aa' || pkey", &e), &e);
	char moved[PSEUDONYM_HEX_SIZE + 2];
	snprintf(moved, sizeof(moved), "aa%s", p.pkey);
	assert_int_equal(person_get(ts.store, &ts.keys, &tester, moved, true, &got, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	keyring_wipe(&other);
	test_store_close(&ts);
}

int main(void)
{
	setenv("INBEELD_TODAY", "2026-11-23", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_person__add_and_get_round_trip),
		cmocka_unit_test(test_person__pseudonym_is_deterministic_and_not_the_bsn),
		cmocka_unit_test(test_person__invalid_input_names_field_and_rule),
		cmocka_unit_test(test_person__eight_digit_bsn_gets_leading_zero),
		cmocka_unit_test(test_person__provisional_needs_postcode),
		cmocka_unit_test(test_person__normalise_surname),
		cmocka_unit_test(test_person__tussenvoegsel_is_split_off),
		cmocka_unit_test(test_person__find_by_blind_index),
		cmocka_unit_test(test_person__list_without_pii),
		cmocka_unit_test(test_person__load_upserts_by_bsn),
		cmocka_unit_test(test_person__load_is_all_or_nothing),
		cmocka_unit_test(test_person__merge_and_unmerge_restore_exactly),
		cmocka_unit_test(test_person__merge_refusals),
		cmocka_unit_test(test_person__merge_moves_referring_rows),
		cmocka_unit_test(test_person__rotation_reseals_and_drops_old_key),
		cmocka_unit_test(test_person__interrupted_rotation_stays_readable),
		cmocka_unit_test(test_person__wrong_key_file_opens_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
