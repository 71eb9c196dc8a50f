/*
 * Unit tests of duplicate detection: the sound code, the edit distance, how birth dates
 * agree, the score of hand-made pairs (as a table), and the search on the back end under test.
 */
#include "testutil.h"

#include "registry/person-internal.h"

static const struct access tester = {"cli:tester", NULL, "operator", NULL, "cli", "test", 0, 0, 0};

static const struct {
	const char *a, *b;
	bool same;
} sounds[] = {
	{"jansen", "janssen", true},   {"jansen", "janszen", true},  {"smit", "smid", true},
	{"smit", "smidt", true},       {"claassen", "klaasen", true}, {"vries", "fries", true},
	{"meijer", "meyer", true},     {"meijer", "meier", true},    {"huisman", "huysman", true},
	{"bakker", "baker", true},     {"philips", "filips", true},  {"ijzerman", "yzerman", true},
	{"lohman", "loman", true},     {"bergh", "berg", true},	     {"thijssen", "tijssen", true},
	{"pauw", "paauw", true},       {"schouten", "sgouten", true},
	{"jansen", "pietersen", false},
	{"bakker", "visser", false},   {"berg", "burg", true},	     {"berg", "bergman", false},
};

static void test_dedup__sound_code(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sounds) / sizeof(sounds[0]); i++) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		person_sound_code(sounds[i].a, &a);
		person_sound_code(sounds[i].b, &b);
		if ((strcmp(a.data, b.data) == 0) != sounds[i].same)
			fail_msg("'%s' (%s) and '%s' (%s) should %ssound alike", sounds[i].a,
				 a.data, sounds[i].b, b.data, sounds[i].same ? "" : "not ");
		buf_release(&a);
		buf_release(&b);
	}
	struct buf c = BUF_INIT;
	person_sound_code("bakker", &c);
	assert_string_equal(c.data, "bkr");
	buf_reset(&c);
	person_sound_code("", &c);
	assert_string_equal(c.data, "");
	buf_release(&c);
}

static const struct {
	const char *a, *b;
	int distance;
} distances[] = {
	{"jansen", "jansen", 0}, {"jansen", "janssen", 1}, {"jansen", "jasnen", 1},
	{"jansen", "jansne", 1}, {"jansen", "hansen", 1},  {"jansen", "jans", 2},
	{"", "abc", 3},		 {"ab", "ba", 1},	   {"abc", "cba", 2},
};

static void test_dedup__edit_distance(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(distances) / sizeof(distances[0]); i++) {
		int d = person_edit_distance(distances[i].a, distances[i].b);
		if (d != distances[i].distance)
			fail_msg("'%s' to '%s': expected %d, got %d", distances[i].a,
				 distances[i].b, distances[i].distance, d);
		assert_int_equal(d, person_edit_distance(distances[i].b, distances[i].a));
	}
}

static void test_dedup__birth_date_agreement(void **state)
{
	(void)state;
	assert_int_equal(person_date_agreement("2009-03-04", "2009-03-04"), DATE_EQUAL);
	assert_int_equal(person_date_agreement("2009-03-04", "2009-04-03"), DATE_SWAPPED);
	assert_int_equal(person_date_agreement("2009-03-04", "2009-03-14"), DATE_ONE_DIGIT);
	assert_int_equal(person_date_agreement("2009-03-04", "2008-03-04"), DATE_ONE_DIGIT);
	assert_int_equal(person_date_agreement("2009-03-04", "2009-04-04"), DATE_ONE_DIGIT);
	assert_int_equal(person_date_agreement("2009-03-04", "2010-04-03"), DATE_DIFFERENT);
	assert_int_equal(person_date_agreement("2009-03-04", "2009-12-25"), DATE_DIFFERENT);
	assert_int_equal(person_date_agreement("2009-03-04", ""), DATE_DIFFERENT);
}

/* A hand-made pair, what it should score at least / at most, and what agrees. */
struct score_case {
	const char *what;
	struct person_match a, b;
	int min, max;
	const char *agree;
};

#define M(sur, giv, birth, pc, pc4) {sur, giv, birth, pc, pc4}

static const struct score_case score_cases[] = {
	{"identical", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("jansen", "anna", "2009-03-04", "6211AB", "6211"), 100, 100,
	 "surname,given_names,birth_date,postcode"},
	{"typo in surname", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("janssen", "anna", "2009-03-04", "6211AB", "6211"), 90, 95,
	 "surname~1,given_names,birth_date,postcode"},
	{"transposition", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("jasnen", "anna", "2009-03-04", "6211CD", "6211"), 70, 80,
	 "surname~1,given_names,birth_date,postcode4"},
	{"day and month swapped", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("jansen", "anna", "2009-04-03", "6211AB", "6211"), 90, 95,
	 "surname,given_names,birth_date(swapped),postcode"},
	{"given name typo and swap", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("jansen", "ana", "2009-04-03", "6211XY", "6211"), 75, 80,
	 "surname,given_names~1,birth_date(swapped),postcode4"},
	{"initial only", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("jansen", "a", "2009-03-04", "6211AB", "6211"), 80, 90,
	 "surname,given_names(initial),birth_date,postcode"},
	{"one digit off", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("jansen", "anna", "2009-03-14", "6211AB", "6211"), 75, 85,
	 "surname,given_names,birth_date~1,postcode"},
	{"given name unknown", M("jansen", "", "2009-03-04", "6211AB", "6211"),
	 M("jansen", "anna", "2009-03-04", "6211AB", "6211"), 75, 80,
	 "surname,birth_date,postcode"},
	{"sibling", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("jansen", "piet", "2011-08-19", "6211AB", "6211"), 0, 40, "surname,postcode"},
	{"twin", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("jansen", "piet", "2009-03-04", "6211AB", "6211"), 0, 64,
	 "surname,birth_date,postcode"},
	{"different person", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("bakker", "kees", "2010-07-21", "6212CD", "6212"), 0, 0, ""},
	{"same postcode-4 only", M("jansen", "anna", "2009-03-04", "6211AB", "6211"),
	 M("visser", "", "2009-09-30", "6211ZZ", "6211"), 10, 10, "postcode4"},
};

static void test_dedup__scores(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(score_cases) / sizeof(score_cases[0]); i++) {
		const struct score_case *c = &score_cases[i];
		char agree[128], back[128];
		int score = person_dup_score(&c->a, &c->b, agree);
		if (score < c->min || score > c->max || strcmp(agree, c->agree) != 0)
			fail_msg("%s: expected %d–%d with '%s', got %d with '%s'", c->what, c->min,
				 c->max, c->agree, score, agree);
		/* Symmetric, and never above what the clear fields allowed. */
		assert_int_equal(person_dup_score(&c->b, &c->a, back), score);
		struct buf sa = BUF_INIT, sb = BUF_INIT;
		person_sound_code(c->a.surname, &sa);
		person_sound_code(c->b.surname, &sb);
		bool same_block = strcmp(sa.data, sb.data) == 0 &&
				  strncmp(c->a.birth_date, c->b.birth_date, 4) == 0;
		int bound = person_dup_bound(c->a.birth_date, c->b.birth_date, c->a.postcode4,
					     c->b.postcode4, same_block);
		if (score > bound)
			fail_msg("%s: score %d above its bound %d", c->what, score, bound);
		buf_release(&sa);
		buf_release(&sb);
	}
}

static void add(struct test_store *ts, const char *bsn, const char *given, const char *surname,
		const char *birth, const char *postcode, char pkey[PSEUDONYM_HEX_SIZE])
{
	struct err e = ERR_INIT;
	struct person p;
	struct person_input in = {.bsn = bsn,
				  .given_names = given,
				  .surname = surname,
				  .birth_date = birth,
				  .postcode = postcode};
	assert_ok(person_add(ts->store, &ts->keys, &tester, &in, &p, &e), &e);
	if (pkey)
		snprintf(pkey, PSEUDONYM_HEX_SIZE, "%s", p.pkey);
}

/* The pair (a, b) in either order among dups, or NULL. */
static const struct person_dup *pair_of(const struct person_dup *dups, size_t n, const char *a,
					const char *b)
{
	for (size_t i = 0; i < n; i++)
		if ((!strcmp(dups[i].a, a) && !strcmp(dups[i].b, b)) ||
		    (!strcmp(dups[i].a, b) && !strcmp(dups[i].b, a)))
			return &dups[i];
	return NULL;
}

static void test_dedup__search_finds_the_pairs(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	char anna[65], anna_typo[65], kees[65], kees_swapped[65], piet[65], piet_far[65], sanne[65],
		sanne_2[65], lone[65];
	test_store_open(&ts);
	/* Registered: four young people with a BSN. */
	add(&ts, "111222333", "Anna", "Jansen", "2009-03-04", "6211AB", anna);
	add(&ts, "123456782", "Kees", "Bakker", "2010-05-07", "6212CD", kees);
	add(&ts, "100000022", "Piet", "Visser", "2011-08-19", "6221EF", piet);
	add(&ts, "100000010", "Sanne", "de Boer", "2012-01-02", "6222GH", NULL);
	/* Provisional: a transposition in the surname, swapped day and month, a stranger. */
	add(&ts, NULL, "Anna", "Jasnen", "2009-03-04", "6211AB", anna_typo);
	add(&ts, NULL, "K.", "Bakker", "2010-07-05", "6212CD", kees_swapped);
	add(&ts, NULL, "Piet", "Pietersen", "2013-02-11", "6301XY", piet_far);
	/* Two provisional records of one girl: compared once. */
	add(&ts, NULL, "Sanne", "Smit", "2012-06-06", "6223AA", sanne);
	add(&ts, NULL, "Sanne", "Smid", "2012-06-06", "6223AA", sanne_2);
	add(&ts, NULL, "Lone", "Wolf", "2014-10-10", "6300AA", lone);
	/* A merged record is left out. */
	char merged[65];
	int64_t merge_id;
	add(&ts, NULL, "Anna", "Jansen", "2009-03-04", "6211AB", merged);
	assert_ok(person_merge(ts.store, &ts.keys, &tester, anna, merged, &merge_id, &e), &e);

	struct person_dup *dups;
	size_t n;
	assert_ok(person_duplicates(ts.store, &ts.keys, &tester, 65, &dups, &n, &e), &e);
	const struct person_dup *d = pair_of(dups, n, anna, anna_typo);
	assert_non_null(d);
	assert_string_equal(d->a, anna); /* the record with the BSN first */
	assert_string_equal(d->agree, "surname~1,given_names,birth_date,postcode");
	d = pair_of(dups, n, kees, kees_swapped);
	assert_non_null(d);
	assert_string_equal(d->agree,
			    "surname,given_names(initial),birth_date(swapped),postcode");
	d = pair_of(dups, n, sanne, sanne_2);
	assert_non_null(d);
	assert_int_equal(d->score, 94);
	assert_null(pair_of(dups, n, piet, piet_far));
	for (size_t i = 0; i < n; i++) {
		assert_string_not_equal(dups[i].a, merged);
		assert_string_not_equal(dups[i].b, merged);
		assert_string_not_equal(dups[i].a, lone);
		assert_string_not_equal(dups[i].b, lone);
		if (i)
			assert_true(dups[i - 1].score >= dups[i].score);
	}
	assert_int_equal(n, 3);
	free(dups);

	/* A higher minimum keeps fewer; the search is audited each time. */
	assert_ok(person_duplicates(ts.store, &ts.keys, &tester, 93, &dups, &n, &e), &e);
	assert_int_equal(n, 1);
	free(dups);
	int64_t audits = 0;
	assert_ok(store_query_int64(ts.store,
				    "SELECT count(*) FROM audit_log WHERE action = "
				    "'person.duplicates'",
				    &audits, &e),
		  &e);
	assert_int_equal(audits, 2);
	assert_int_equal(person_duplicates(ts.store, &ts.keys, &tester, 101, &dups, &n, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	test_store_close(&ts);
}

int main(void)
{
	setenv("INBEELD_TODAY", "2026-11-23", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedup__sound_code),
		cmocka_unit_test(test_dedup__edit_distance),
		cmocka_unit_test(test_dedup__birth_date_agreement),
		cmocka_unit_test(test_dedup__scores),
		cmocka_unit_test(test_dedup__search_finds_the_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
