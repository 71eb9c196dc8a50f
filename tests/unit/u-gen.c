/*
 * Unit tests of the synthetic-region generator (src/gen/): the random numbers are the
 * published ones, identifiers are valid and unique, ages and postcodes keep their rules, the
 * life histories are consistent, and --malformed spoils the fraction of rows it is given.
 * The generator needs no store, so these run the same on every back end.
 */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "gen/gen-internal.h"
#include "registry/ident.h"
#include "util/csv.h"

static void test_gen__xoshiro_matches_published_vectors(void **state)
{
	(void)state;
	/* xoshiro256** from state {1, 2, 3, 4}: the reference implementation's outputs. */
	struct rng r = {{1, 2, 3, 4}};
	assert_true(rng_next(&r) == 11520u);
	assert_true(rng_next(&r) == 0u);
	assert_true(rng_next(&r) == 1509978240u);
	assert_true(rng_next(&r) == 1215971899390074240u);
	/* splitmix64's first output for seed 0 seeds the first word. */
	rng_seed(&r, 0);
	assert_true(r.s[0] == 0xe220a8397b1dcdafULL);
	rng_seed(&r, 12345);
	assert_true(rng_next(&r) == 0xbe6a36374160d49bULL);
	assert_true(rng_next(&r) == 0x214aaa0637a688c6ULL);
	assert_true(rng_next(&r) == 0xf69d16de9954d388ULL);
}

static void test_gen__streams_are_deterministic_and_distinct(void **state)
{
	(void)state;
	struct rng a, b, c;
	rng_seed_stream(&a, 42, STREAM_YOUTH, 7);
	rng_seed_stream(&b, 42, STREAM_YOUTH, 7);
	rng_seed_stream(&c, 42, STREAM_YOUTH, 8);
	int same_as_other = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = rng_next(&a), y = rng_next(&b), z = rng_next(&c);
		assert_true(x == y);
		same_as_other += x == z;
	}
	assert_int_equal(same_as_other, 0);
	rng_seed_stream(&c, 43, STREAM_YOUTH, 7);
	rng_seed_stream(&a, 42, STREAM_YOUTH, 7);
	assert_true(rng_next(&a) != rng_next(&c));
}

static void test_gen__below_and_range_stay_in_bounds(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 1);
	int seen[7] = {0};
	for (int i = 0; i < 70000; i++) {
		uint32_t v = rng_below(&r, 7);
		assert_true(v < 7);
		seen[v]++;
		int x = rng_range(&r, -3, 3);
		assert_true(x >= -3 && x <= 3);
	}
	for (int i = 0; i < 7; i++)
		assert_true(seen[i] > 9000 && seen[i] < 11000); /* about 10,000 each */
	int hits = 0;
	for (int i = 0; i < 100000; i++)
		hits += rng_chance(&r, 250000);
	assert_true(hits > 24000 && hits < 26000);
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void test_gen__permutation_is_a_bijection(void **state)
{
	(void)state;
	static const uint32_t domains[] = {1, 2, 7, 1000, 67599, 100003};
	for (size_t d = 0; d < sizeof(domains) / sizeof(*domains); d++) {
		uint32_t n = domains[d];
		uint32_t *v = xcalloc(n, sizeof(uint32_t));
		for (uint32_t i = 0; i < n; i++) {
			v[i] = rng_permute(99, i, n);
			assert_true(v[i] < n);
		}
		qsort(v, n, sizeof(uint32_t), compare_u32);
		for (uint32_t i = 0; i < n; i++)
			assert_int_equal(v[i], i);
		free(v);
	}
}

static int compare_bsn(const void *a, const void *b)
{
	return memcmp(a, b, BSN_SIZE);
}

static void test_gen__bsns_are_valid_and_unique(void **state)
{
	(void)state;
	enum { N = 100000 };
	char(*bsns)[BSN_SIZE] = xcalloc(N, BSN_SIZE);
	struct err e = ERR_INIT;
	for (int i = 0; i < N; i++) {
		gen_bsn(20260101, (uint64_t)i, bsns[i]);
		char norm[BSN_SIZE];
		assert_ok(ident_bsn(bsns[i], "bsn", norm, &e), &e);
		assert_string_equal(norm, bsns[i]);
	}
	qsort(bsns, N, BSN_SIZE, compare_bsn);
	for (int i = 1; i < N; i++)
		assert_true(memcmp(bsns[i - 1], bsns[i], BSN_SIZE) != 0);
	/* The last index allowed gets a valid BSN too; another seed gives another number. */
	char last[BSN_SIZE], other[BSN_SIZE], first[BSN_SIZE];
	gen_bsn(1, GEN_MAX_YOUTHS - 1, last);
	assert_ok(ident_bsn(last, "bsn", other, &e), &e);
	gen_bsn(1, 0, first);
	gen_bsn(2, 0, other);
	assert_string_not_equal(first, other);
	free(bsns);
}

static void test_gen__surnames_split_off_their_tussenvoegsel(void **state)
{
	(void)state;
	static const struct {
		const char *in, *prefix, *surname;
	} cases[] = {
	    {"van den Berg", "van den", "Berg"},
	    {"de Boer", "de", "Boer"},
	    {"Jansen", "", "Jansen"},
	    {"'s Gravensande", "'s", "Gravensande"},
	    {"d' Heripon", "d'", "Heripon"},
	    {"Bourgondië, van", "van", "Bourgondië"},
	    {"van der Heijden-van Dam", "van der", "Heijden-van Dam"},
	    {"Van Bragt", "", "Van Bragt"},
	    {"van", "", "van"},
	    {"in 't Veld", "in 't", "Veld"},
	};
	struct buf p = BUF_INIT, s = BUF_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		gen_split_surname(cases[i].in, &p, &s);
		if (strcmp(p.data, cases[i].prefix) || strcmp(s.data, cases[i].surname))
			fail_msg("'%s': expected '%s' + '%s', got '%s' + '%s'", cases[i].in,
			         cases[i].prefix, cases[i].surname, p.data, s.data);
	}
	buf_release(&p);
	buf_release(&s);
}

struct world_fixture {
	struct gen_ref ref;
	struct gen_orgs orgs;
	struct gen_world w;
};

static void world_open(struct world_fixture *f, uint64_t seed, date_t as_of, long youths)
{
	struct err e = ERR_INIT;
	assert_ok(gen_ref_load(&f->ref, NULL, NULL, &e), &e);
	assert_ok(gen_orgs_build(&f->orgs, &f->ref, seed, youths, &e), &e);
	f->w = (struct gen_world){.seed = seed, .ref = &f->ref, .orgs = &f->orgs};
	gen_frame_init(&f->w.frame, as_of, 4);
}

static void world_close(struct world_fixture *f)
{
	gen_orgs_release(&f->orgs);
	gen_ref_release(&f->ref);
}

static void test_gen__ages_and_postcodes_keep_their_rules(void **state)
{
	(void)state;
	/* A leap day and an ordinary day as the as-of date. */
	static const int as_of[][3] = {{2024, 2, 29}, {2026, 11, 23}, {2025, 3, 1}};
	struct err e = ERR_INIT;
	for (size_t k = 0; k < sizeof(as_of) / sizeof(*as_of); k++) {
		struct world_fixture f;
		date_t day = date_from_ymd(as_of[k][0], as_of[k][1], as_of[k][2]);
		world_open(&f, 5 + k, day, 20000);
		struct youth *y = xmalloc(sizeof(*y));
		int ages[28] = {0};
		for (uint64_t i = 0; i < 20000; i++) {
			gen_youth(&f.w, i, y);
			int age = date_age(y->birth, day);
			if (age < 4 || age > 27)
				fail_msg("youth %lu: age %d on the as-of date", (unsigned long)i,
				         age);
			ages[age]++;
			for (int a = 0; a < y->naddr; a++) {
				char pc[8], norm[POSTCODE_SIZE];
				memcpy(pc, f.ref.pc4[y->addr[a].pc4], 4);
				memcpy(pc + 4, y->addr[a].letters, 3);
				assert_ok(ident_postcode(pc, "postcode", norm, &e), &e);
				assert_string_equal(norm, pc);
			}
		}
		for (int a = 4; a <= 27; a++)
			assert_true(ages[a] > 600); /* about 833 each */
		free(y);
		world_close(&f);
	}
}

static void test_gen__histories_are_consistent(void **state)
{
	(void)state;
	struct world_fixture f;
	date_t as_of = date_from_ymd(2026, 11, 23);
	world_open(&f, 11, as_of, 20000);
	struct youth *y = xmalloc(sizeof(*y));
	long spells = 0, care = 0, work = 0, absence = 0;
	for (uint64_t i = 0; i < 20000; i++) {
		gen_youth(&f.w, i, y);
		/* Addresses follow each other without gaps. */
		for (int a = 1; a < y->naddr; a++)
			assert_int_equal(y->addr[a].in, y->addr[a - 1].out);
		for (int a = 0; a < y->naddr; a++)
			assert_true(y->addr[a].out == DATE_NONE || y->addr[a].out > y->addr[a].in);
		/* Everyone lives in the region on the history's first day (so is in residence). */
		const struct addr *end = &y->addr[y->naddr - 1];
		assert_true(end->out == DATE_NONE || end->out > f.w.frame.window);
		assert_true(y->died == DATE_NONE || y->died >= f.w.frame.window);
		/* Enrolments: in order, not overlapping, ended ones with a reason, none after
		 * as_of. */
		for (int s = 0; s < y->nspell; s++) {
			const struct spell *sp = &y->spell[s];
			assert_true(sp->start <= as_of);
			assert_true(sp->end == DATE_NONE ||
			            (sp->end >= sp->start && sp->end <= as_of));
			assert_true((sp->end == DATE_NONE) == (sp->reason == END_NONE));
			if (s)
				assert_true(sp->start > y->spell[s - 1].end);
			assert_true(f.orgs.schools[sp->school].levels & (1u << sp->level));
		}
		for (int d = 0; d < y->ndiploma; d++)
			assert_true(y->diploma[d].date <= as_of && y->diploma[d].date > y->birth);
		for (int c = 0; c < y->ncare; c++)
			assert_true(y->care[c].end == DATE_NONE ||
			            y->care[c].end >= y->care[c].start);
		for (int k = 0; k < y->nwork; k++)
			assert_true(y->work[k].end == DATE_NONE ||
			            y->work[k].end >= y->work[k].start);
		for (int k = 0; k < y->nabsence; k++) {
			const struct absence *ab = &y->absence[k];
			assert_true(ab->nstatus >= 1 && ab->status[0] == STATUS_GEREGISTREERD);
			for (int s = 1; s < ab->nstatus; s++)
				assert_true(ab->status_date[s] >= ab->status_date[s - 1]);
			assert_true(ab->to == DATE_NONE || ab->to >= ab->from);
		}
		/* Nothing happens after a person has left the region's view. */
		if (y->gone != DATE_NONE) {
			for (int s = 0; s < y->nspell; s++)
				assert_true(y->spell[s].end != DATE_NONE &&
				            y->spell[s].end < y->gone);
			for (int k = 0; k < y->nwork; k++)
				assert_true(y->work[k].end != DATE_NONE &&
				            y->work[k].end < y->gone);
		}
		spells += y->nspell;
		care += y->ncare;
		work += y->nwork;
		absence += y->nabsence;
	}
	/* The population is not empty in any part of life (a guard against a silent model). */
	assert_true(spells > 5000 && care > 1000 && work > 5000 && absence > 300);
	free(y);
	world_close(&f);
}

/* The spell that ended the day before `day` by uitval, or NULL. */
static const struct spell *dropout_before(const struct youth *y, date_t day)
{
	for (int s = 0; s < y->nspell; s++)
		if (y->spell[s].end != DATE_NONE && y->spell[s].end + 1 == day &&
		    y->spell[s].reason == END_UITVAL)
			return &y->spell[s];
	return NULL;
}

static void test_gen__vrijstellingen_follow_the_life_lived(void **state)
{
	(void)state;
	struct world_fixture f;
	date_t as_of = date_from_ymd(2026, 11, 23);
	world_open(&f, 11, as_of, 40000);
	struct youth *y = xmalloc(sizeof(*y));
	long per_article[5] = {0}, after_dropout = 0;
	for (uint64_t i = 0; i < 40000; i++) {
		gen_youth(&f.w, i, y);
		for (int k = 0; k < y->nvrij; k++) {
			const struct vrijstelling *v = &y->vrij[k];
			per_article[v->article]++;
			/* Granted by then, while in view, by the municipality they lived in. */
			assert_true(v->from <= as_of && v->from < y->gone);
			assert_true(v->to == DATE_NONE || v->to >= v->from);
			assert_true(y->gone == DATE_NONE || (v->to != DATE_NONE && v->to < y->gone));
			assert_true(v->muni >= 0 && v->muni < f.ref.nmunis);
			/* Below 18 when it begins: the Leerplichtwet ends there. */
			assert_true(date_age(y->birth, v->from) < 18);
			/* Never two at once (the feed's key is the article and the start). */
			for (int j = 0; j < k; j++)
				assert_true(y->vrij[j].to < v->from || v->to < y->vrij[j].from);
			if (v->article == VRIJ_3A) {
				/* Until the 18th birthday, after a VSO or PrO spell. */
				assert_int_equal(v->to, date_birthday(y->birth, 18) - 1);
			}
			if (v->article == VRIJ_5A && dropout_before(y, v->from))
				after_dropout++;
		}
	}
	/* The three kinds the model makes, in the proportions it means (5a by far the most). */
	assert_true(per_article[VRIJ_5A] > 40);
	assert_true(per_article[VRIJ_3A] > 0 && per_article[VRIJ_15] > 0);
	assert_true(per_article[VRIJ_5A] > per_article[VRIJ_3A] + per_article[VRIJ_15]);
	assert_int_equal(per_article[VRIJ_5B] + per_article[VRIJ_5C], 0);
	assert_true(after_dropout > 0 && after_dropout < per_article[VRIJ_5A]);
	free(y);
	world_close(&f);
}

/* ---- whole runs into a directory ---- */

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *ent;
	while ((ent = readdir(d))) {
		if (ent->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, ent->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

static char *temp_dir(void)
{
	static unsigned n;
	return xasprintf("/tmp/inbeeld-u-gen-%d-%u", (int)getpid(), n++);
}

static long count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	long n = 0;
	int c;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void run_gen(const char *dir, uint64_t seed, long youths, double malformed,
                    struct gen_stats *st)
{
	struct gen_options o;
	struct err e = ERR_INIT;
	gen_options_init(&o);
	o.youths = youths;
	o.seed = seed;
	o.out_dir = dir;
	o.as_of = date_from_ymd(2026, 11, 23);
	o.malformed_ppb = (uint32_t)(malformed * 1e9 + 0.5);
	assert_ok(gen_run(&o, st, &e), &e);
}

static void test_gen__malformed_fraction_is_respected(void **state)
{
	(void)state;
	char *dir = temp_dir();
	struct gen_stats st;
	run_gen(dir, 3, 8000, 0.05, &st);
	long data_rows = 0, bad = 0;
	for (int i = 0; i < st.nfiles; i++) {
		if (strcmp(st.files[i].feed, "organisations") == 0) {
			assert_int_equal(st.files[i].malformed, 0); /* kept clean on purpose */
			continue;
		}
		char *path = xasprintf("%s/%s", dir, st.files[i].file);
		assert_int_equal(count_lines(path) - 1, st.files[i].rows);
		free(path);
		data_rows += st.files[i].rows;
		bad += st.files[i].malformed;
	}
	double fraction = (double)bad / (double)data_rows;
	if (fraction < 0.045 || fraction > 0.055)
		fail_msg("asked 5%% defective rows, got %ld of %ld (%.2f%%)", bad, data_rows,
		         100 * fraction);
	/* malformed.csv lists each defect once. */
	char *log = xasprintf("%s/malformed.csv", dir);
	assert_int_equal(count_lines(log) - 1, bad);
	free(log);
	remove_dir(dir);
	free(dir);

	/* Without --malformed: none, and no malformed.csv. */
	dir = temp_dir();
	run_gen(dir, 3, 2000, 0, &st);
	assert_int_equal(st.malformed, 0);
	log = xasprintf("%s/malformed.csv", dir);
	assert_int_equal(access(log, F_OK), -1);
	free(log);
	remove_dir(dir);
	free(dir);
}

/* Every row that malformed.csv names fails the rule its defect names. */
static void test_gen__defects_break_their_rule(void **state)
{
	(void)state;
	char *dir = temp_dir();
	struct gen_stats st;
	struct err e = ERR_INIT;
	run_gen(dir, 9, 3000, 0.2, &st);
	char *log = xasprintf("%s/malformed.csv", dir);
	struct csv_reader *r;
	assert_ok(csv_open(&r, log, &e), &e);
	assert_ok(csv_read_header(r, &e), &e);
	int checked[5] = {0};
	char current[64] = "";
	struct csv_reader *data = NULL;
	while (csv_read(r, &e) == 1) {
		const char *file = csv_field(r, 0), *column = csv_field(r, 2),
		           *defect = csv_field(r, 3);
		long line = atol(csv_field(r, 1));
		if (strcmp(file, current) != 0) {
			csv_close(data);
			char *p = xasprintf("%s/%s", dir, file);
			assert_ok(csv_open(&data, p, &e), &e);
			assert_ok(csv_read_header(data, &e), &e);
			free(p);
			snprintf(current, sizeof(current), "%s", file);
		}
		while (csv_line(data) < line)
			assert_int_equal(csv_read(data, &e), 1);
		assert_int_equal(csv_line(data), line);
		int col = csv_column(data, column);
		assert_true(col >= 0);
		const char *v = csv_field(data, (size_t)col);
		char out[16];
		date_t day;
		if (strcmp(defect, "bad_bsn_check_digit") == 0) {
			assert_int_equal(ident_bsn(v, "bsn", out, NULL), -1);
			checked[0]++;
		} else if (strcmp(defect, "impossible_date") == 0) {
			assert_int_equal(date_parse(v, &day, NULL), -1);
			checked[1]++;
		} else if (strcmp(defect, "missing_field") == 0) {
			assert_string_equal(v, "");
			checked[2]++;
		} else if (strcmp(defect, "bad_postcode") == 0) {
			assert_int_equal(ident_postcode(v, "postcode", out, NULL), -1);
			checked[3]++;
		} else {
			assert_string_equal(defect, "unknown_code");
			assert_true(strcmp(v, "zzz") == 0 || strcmp(v, "GM9999") == 0 ||
			            strcmp(v, "99ZZ") == 0 || strcmp(v, "00000000") == 0);
			checked[4]++;
		}
	}
	csv_close(data);
	csv_close(r);
	for (int i = 0; i < 5; i++)
		assert_true(checked[i] > 0);
	free(log);
	remove_dir(dir);
	free(dir);
}

static void test_gen__refuses_a_non_empty_directory(void **state)
{
	(void)state;
	char *dir = temp_dir();
	struct gen_stats st;
	run_gen(dir, 1, 200, 0, &st);
	struct gen_options o;
	struct err e = ERR_INIT;
	gen_options_init(&o);
	o.youths = 200;
	o.seed = 1;
	o.out_dir = dir;
	assert_int_equal(gen_run(&o, &st, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "--force"));
	/* With --force and fewer years, the enrolment files of the first run are gone. */
	o.force = true;
	o.years = 2;
	o.as_of = date_from_ymd(2026, 11, 23);
	assert_ok(gen_run(&o, &st, &e), &e);
	char *old = xasprintf("%s/enrolments_2023-10-01.csv", dir);
	assert_int_equal(access(old, F_OK), -1);
	free(old);
	remove_dir(dir);
	free(dir);
}

static void test_gen__rejects_bad_options(void **state)
{
	(void)state;
	struct gen_options o;
	struct err e = ERR_INIT;
	gen_options_init(&o);
	o.out_dir = "/tmp/inbeeld-u-gen-never";
	o.youths = 0;
	assert_int_equal(gen_run(&o, NULL, &e), -1);
	assert_int_equal(e.code, ERR_USAGE);
	o.youths = GEN_MAX_YOUTHS + 1;
	assert_int_equal(gen_run(&o, NULL, &e), -1);
	o.youths = 10;
	o.years = 0;
	assert_int_equal(gen_run(&o, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "--years"));
	o.years = 4;
	o.region_path = "/nonexistent/region.csv";
	assert_int_equal(gen_run(&o, NULL, &e), -1);
	assert_int_equal(e.code, ERR_IO);
	assert_int_equal(access("/tmp/inbeeld-u-gen-never", F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gen__xoshiro_matches_published_vectors),
	    cmocka_unit_test(test_gen__streams_are_deterministic_and_distinct),
	    cmocka_unit_test(test_gen__below_and_range_stay_in_bounds),
	    cmocka_unit_test(test_gen__permutation_is_a_bijection),
	    cmocka_unit_test(test_gen__bsns_are_valid_and_unique),
	    cmocka_unit_test(test_gen__surnames_split_off_their_tussenvoegsel),
	    cmocka_unit_test(test_gen__ages_and_postcodes_keep_their_rules),
	    cmocka_unit_test(test_gen__histories_are_consistent),
	    cmocka_unit_test(test_gen__vrijstellingen_follow_the_life_lived),
	    cmocka_unit_test(test_gen__malformed_fraction_is_respected),
	    cmocka_unit_test(test_gen__defects_break_their_rule),
	    cmocka_unit_test(test_gen__refuses_a_non_empty_directory),
	    cmocka_unit_test(test_gen__rejects_bad_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
