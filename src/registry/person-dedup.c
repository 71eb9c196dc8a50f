/*
 * Likely duplicates among the young people (see person_duplicates in person.h): a Dutch
 * sound code for blocking, an edit distance that forgives one typo or transposition, the
 * score of a pair, and the search.
 *
 * The search reads the clear fields of every record once (birth date, postcode-4, name
 * block) and finds each provisional record's candidates in memory, from its blocks. The
 * blocks of birth date and postcode-4 grow with the region, so a candidate is decrypted only
 * when the clear fields leave the minimum score within reach: at a million persons that is a
 * few per provisional record rather than hundreds.
 */
#include "registry/person-internal.h"

#include "audit/audit.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sound code --------------------------------------------------------------------------- */

/* Spellings of one sound, longest first; a vowel sound is kept only as the first sound. */
static const struct {
	const char *spelling;
	const char *code;
	bool vowel;
} sounds[] = {
	{"aauw", "o", true}, {"eij", "y", true}, {"auw", "o", true},
	{"ouw", "o", true},  {"sch", "sg", false},
	{"ij", "y", true},  {"ei", "y", true},	{"ey", "y", true},  {"au", "o", true},
	{"ou", "o", true},  {"aa", "a", true},	{"ee", "e", true},  {"oo", "o", true},
	{"uu", "u", true},  {"ie", "i", true},	{"oe", "u", true},  {"ui", "u", true},
	{"ch", "g", false}, {"gh", "g", false}, {"ck", "k", false}, {"ph", "f", false},
	{"th", "t", false}, {"qu", "kw", false}, {"ce", "s", false}, {"ci", "s", false},
	{"cy", "s", false}, {"a", "a", true},	{"e", "e", true},   {"i", "i", true},
	{"o", "o", true},   {"u", "u", true},	{"y", "y", true},   {"c", "k", false},
	{"q", "k", false},  {"x", "ks", false}, {"z", "s", false},  {"v", "f", false},
};

/* The spelling at s[i] and how many bytes it takes. */
static int sound_at(const char *s, size_t i, size_t *len)
{
	for (size_t k = 0; k < sizeof(sounds) / sizeof(sounds[0]); k++) {
		size_t n = strlen(sounds[k].spelling);
		if (strncmp(s + i, sounds[k].spelling, n) == 0) {
			*len = n;
			return (int)k;
		}
	}
	*len = 1;
	return -1;
}

void person_sound_code(const char *normalised, struct buf *out)
{
	/* A final d or dt sounds as t: Smid, Smidt and Smit are one name. */
	char *s = xstrdup(normalised);
	size_t n = strlen(s);
	if (n >= 2 && s[n - 2] == 'd' && s[n - 1] == 't')
		s[--n] = '\0'; /* "dt" → "d", made a "t" below */
	if (n >= 1 && s[n - 1] == 'd')
		s[n - 1] = 't';
	char last = 0; /* the last sound seen, vowels included: double letters count once */
	bool first = true;
	for (size_t i = 0; i < n;) {
		size_t len;
		int k = sound_at(s, i, &len);
		const char *code = k >= 0 ? sounds[k].code : NULL;
		bool vowel = k >= 0 && sounds[k].vowel;
		char single[2] = {s[i], '\0'};
		i += len;
		if (!code) {
			if (single[0] >= '0' && single[0] <= '9')
				continue;
			if (single[0] == 'h' && !first) /* a silent h: Lohman and Loman */
				continue;
			code = single;
		}
		if (first) {
			buf_adds(out, code);
			first = false;
		} else if (!vowel && code[0] != last) {
			buf_adds(out, code);
		}
		last = code[strlen(code) - 1];
	}
	free(s);
}

/* ---- comparisons -------------------------------------------------------------------------- */

int person_edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	/* Three rows of the optimal-string-alignment matrix. */
	int *prev2 = xcalloc(m + 1, sizeof(int)), *prev = xcalloc(m + 1, sizeof(int)),
	    *cur = xcalloc(m + 1, sizeof(int));
	for (size_t j = 0; j <= m; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (prev[j - 1] + cost < best)
				best = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		int *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	int d = prev[m];
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

/* A date "YYYY-MM-DD" as the number YYYYMMDD; 0 when it is not one. */
static uint32_t ymd_of(const char *iso)
{
	if (!iso || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
		return 0;
	uint32_t v = 0;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (iso[i] < '0' || iso[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(iso[i] - '0');
	}
	return v;
}

static enum person_date_agreement ymd_agreement(uint32_t a, uint32_t b)
{
	if (!a || !b)
		return DATE_DIFFERENT;
	if (a == b)
		return DATE_EQUAL;
	if (a / 10000 == b / 10000 && a / 100 % 100 == b % 100 && a % 100 == b / 100 % 100)
		return DATE_SWAPPED;
	int differ = 0;
	for (uint32_t x = a, y = b; x || y; x /= 10, y /= 10)
		differ += x % 10 != y % 10;
	return differ == 1 ? DATE_ONE_DIGIT : DATE_DIFFERENT;
}

enum person_date_agreement person_date_agreement(const char *a, const char *b)
{
	return ymd_agreement(ymd_of(a), ymd_of(b));
}

/*
 * The weights of the score (docs/registry.md). A surname one edit away counts more when it
 * sounds the same (Jansen, Janssen) than when the edit changes the sound (Jansen, Jasnen).
 */
enum {
	W_SURNAME = 30,
	W_SURNAME_1_SOUND = 24,
	W_SURNAME_1 = 14,
	W_GIVEN = 20,
	W_GIVEN_1 = 14,
	W_GIVEN_INITIAL = 6,
	W_GIVEN_DISAGREE = -20,
	W_BIRTH = 30,
	W_BIRTH_SWAPPED = 24,
	W_BIRTH_1 = 10,
	W_POSTCODE = 20,
	W_POSTCODE4 = 10,
};

static void agree_add(char agree[128], const char *what)
{
	size_t len = strlen(agree);
	snprintf(agree + len, 128 - len, "%s%s", len ? "," : "", what);
}

static bool same_sound(const char *a, const char *b)
{
	struct buf x = BUF_INIT, y = BUF_INIT;
	person_sound_code(a, &x);
	person_sound_code(b, &y);
	bool same = strcmp(x.data, y.data) == 0;
	buf_release(&x);
	buf_release(&y);
	return same;
}

static int score_surname(const struct person_match *a, const struct person_match *b,
			 char agree[128])
{
	if (!a->surname[0] || !b->surname[0])
		return 0;
	if (strcmp(a->surname, b->surname) == 0) {
		agree_add(agree, "surname");
		return W_SURNAME;
	}
	if (person_edit_distance(a->surname, b->surname) == 1) {
		agree_add(agree, "surname~1");
		return same_sound(a->surname, b->surname) ? W_SURNAME_1_SOUND : W_SURNAME_1;
	}
	return 0;
}

static int score_given(const struct person_match *a, const struct person_match *b,
		       char agree[128])
{
	if (!a->given[0] || !b->given[0])
		return 0;
	if (strcmp(a->given, b->given) == 0) {
		agree_add(agree, "given_names");
		return W_GIVEN;
	}
	/* An initial ("J") against a name, or two names that begin alike, agree a little. */
	bool initial_only = !a->given[1] || !b->given[1];
	if (!initial_only && person_edit_distance(a->given, b->given) == 1) {
		agree_add(agree, "given_names~1");
		return W_GIVEN_1;
	}
	if (a->given[0] == b->given[0]) {
		agree_add(agree, "given_names(initial)");
		return W_GIVEN_INITIAL;
	}
	return W_GIVEN_DISAGREE;
}

static const int birth_points[] = {
	[DATE_DIFFERENT] = 0,
	[DATE_ONE_DIGIT] = W_BIRTH_1,
	[DATE_SWAPPED] = W_BIRTH_SWAPPED,
	[DATE_EQUAL] = W_BIRTH,
};

static int score_birth(const struct person_match *a, const struct person_match *b,
		       char agree[128])
{
	static const char *const names[] = {
		[DATE_DIFFERENT] = NULL,
		[DATE_ONE_DIGIT] = "birth_date~1",
		[DATE_SWAPPED] = "birth_date(swapped)",
		[DATE_EQUAL] = "birth_date",
	};
	enum person_date_agreement d = person_date_agreement(a->birth_date, b->birth_date);
	if (names[d])
		agree_add(agree, names[d]);
	return birth_points[d];
}

static int score_postcode(const struct person_match *a, const struct person_match *b,
			  char agree[128])
{
	if (a->postcode[0] && strcmp(a->postcode, b->postcode) == 0) {
		agree_add(agree, "postcode");
		return W_POSTCODE;
	}
	if (a->postcode4[0] && strcmp(a->postcode4, b->postcode4) == 0) {
		agree_add(agree, "postcode4");
		return W_POSTCODE4;
	}
	return 0;
}

int person_dup_score(const struct person_match *a, const struct person_match *b,
		     char agree[128])
{
	agree[0] = '\0';
	int score = score_surname(a, b, agree);
	score += score_given(a, b, agree);
	score += score_birth(a, b, agree);
	score += score_postcode(a, b, agree);
	return score < 0 ? 0 : score > 100 ? 100 : score;
}

/* The bound on numbers: birth dates as YYYYMMDD, postcode-4 as a number (0 unknown). */
static int bound_of(uint32_t birth_a, uint32_t birth_b, int pc4_a, int pc4_b, bool same_block)
{
	/* Equal surnames sound alike: in one birth year, different blocks mean different sounds. */
	bool same_year = birth_a / 10000 == birth_b / 10000;
	int bound = same_block || !same_year ? W_SURNAME : W_SURNAME_1;
	bound += W_GIVEN;
	bound += birth_points[ymd_agreement(birth_a, birth_b)];
	if (pc4_a && pc4_a == pc4_b)
		bound += W_POSTCODE;
	return bound;
}

int person_dup_bound(const char *birth_a, const char *birth_b, const char *pc4_a,
		     const char *pc4_b, bool same_block)
{
	return bound_of(ymd_of(birth_a), ymd_of(birth_b), pc4_a ? atoi(pc4_a) : 0,
			pc4_b ? atoi(pc4_b) : 0, same_block);
}

void person_match_from(const struct person *p, struct person_match *m)
{
	struct buf b = BUF_INIT;
	memset(m, 0, sizeof(*m));
	if (p->pii.surname) {
		person_normalise_surname(p->pii.surname, &b);
		snprintf(m->surname, sizeof(m->surname), "%s", b.data);
	}
	if (p->pii.given_names) {
		/* The first given name: "Anna Maria" → "anna". */
		const char *g = p->pii.given_names;
		size_t len = strcspn(g, " \t");
		char *first = xstrndup(g, len);
		buf_reset(&b);
		utf8_fold(&b, first);
		snprintf(m->given, sizeof(m->given), "%s", b.data);
		free(first);
	}
	buf_release(&b);
	snprintf(m->birth_date, sizeof(m->birth_date), "%s", p->birth_date);
	snprintf(m->postcode, sizeof(m->postcode), "%s", p->pii.postcode ? p->pii.postcode : "");
	snprintf(m->postcode4, sizeof(m->postcode4), "%s", p->postcode4);
}

/* ---- the search --------------------------------------------------------------------------- */

/* The clear fields of the records not merged away, read in pages by id. */
static const char clear_page_sql[] =
	"SELECT id, provisional, birth_date, postcode4, name_block FROM persons"
	" WHERE merged_into IS NULL AND id > ? ORDER BY id LIMIT ?";
#define CLEAR_PAGE 50000

/* One record's sealed data, to open a candidate. */
static const char sealed_sql[] = "SELECT " PERSON_COLUMNS " FROM persons p WHERE p.id = ?";

/* What blocking looks at, per record. */
struct clear {
	int64_t id;
	uint32_t birth; /* YYYYMMDD */
	int32_t pc4;    /* 0 unknown */
	unsigned char block[16];
	bool provisional;
};

struct dedup {
	struct store *s;
	const struct keyring *k;
	int min_score;
	struct clear *recs;
	size_t nrecs, cap;
	uint32_t *by_block, *by_birth, *by_place; /* record numbers in three orders */
	uint32_t *seen;                            /* the provisional record that last saw it */
	uint32_t *pending;                         /* the candidates of one record to open */
	size_t npending;
	struct stmt *sealed;
	struct person_dup *dups;
	size_t ndups, dcap;
	long opened;
};

static int read_clear(struct dedup *d, struct err *e)
{
	struct stmt *st;
	int64_t after = 0;
	size_t page;
	if (store_prepare(d->s, clear_page_sql, &st, e) < 0)
		return -1;
	do {
		int rc;
		page = 0;
		stmt_bind_int64(st, 1, after);
		stmt_bind_int64(st, 2, CLEAR_PAGE);
		while ((rc = stmt_step(st, e)) == STORE_ROW) {
			XGROW(d->recs, d->cap, d->nrecs + 1);
			struct clear *c = &d->recs[d->nrecs++];
			const char *pc4 = stmt_text(st, 3), *block = stmt_text(st, 4);
			c->id = after = stmt_int64(st, 0);
			c->provisional = stmt_int64(st, 1) != 0;
			c->birth = ymd_of(stmt_text(st, 2));
			c->pc4 = pc4 ? atoi(pc4) : 0;
			memset(c->block, 0, sizeof(c->block));
			if (block)
				sodium_hex2bin(c->block, sizeof(c->block), block, strlen(block),
					       NULL, NULL, NULL);
			page++;
		}
		stmt_reset(st);
		if (rc < 0) {
			stmt_free(st);
			return -1;
		}
	} while (page == CLEAR_PAGE);
	stmt_free(st);
	return 0;
}

/* Comparisons of record numbers for qsort_r; `recs` is the array of records. */
static int cmp_block(const void *x, const void *y, void *recs)
{
	const struct clear *r = recs, *a = &r[*(const uint32_t *)x], *b = &r[*(const uint32_t *)y];
	return memcmp(a->block, b->block, sizeof(a->block));
}

static int cmp_birth(const void *x, const void *y, void *recs)
{
	const struct clear *r = recs, *a = &r[*(const uint32_t *)x], *b = &r[*(const uint32_t *)y];
	return (a->birth > b->birth) - (a->birth < b->birth);
}

static int cmp_place(const void *x, const void *y, void *recs)
{
	const struct clear *r = recs, *a = &r[*(const uint32_t *)x], *b = &r[*(const uint32_t *)y];
	if (a->pc4 != b->pc4)
		return (a->pc4 > b->pc4) - (a->pc4 < b->pc4);
	return (a->birth > b->birth) - (a->birth < b->birth);
}

static uint32_t *sorted_order(const struct dedup *d,
			      int (*cmp)(const void *, const void *, void *))
{
	uint32_t *order = xcalloc(d->nrecs ? d->nrecs : 1, sizeof(*order));
	for (size_t i = 0; i < d->nrecs; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, d->nrecs, sizeof(*order), cmp, d->recs);
	return order;
}

/* The first position in `order` whose record is not below `key` by `below`. */
static size_t lower_bound(const struct dedup *d, const uint32_t *order, const struct clear *key,
			  bool (*below)(const struct clear *, const struct clear *))
{
	size_t lo = 0, hi = d->nrecs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (below(&d->recs[order[mid]], key))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool block_below(const struct clear *a, const struct clear *b)
{
	return memcmp(a->block, b->block, sizeof(a->block)) < 0;
}

static bool birth_below(const struct clear *a, const struct clear *b)
{
	return a->birth < b->birth;
}

static bool place_below(const struct clear *a, const struct clear *b)
{
	return a->pc4 < b->pc4 || (a->pc4 == b->pc4 && a->birth < b->birth);
}

/* Consider record `c` as a candidate of provisional record `p` (number `pn`). */
static void consider(struct dedup *d, uint32_t pn, uint32_t cn)
{
	const struct clear *p = &d->recs[pn], *c = &d->recs[cn];
	if (cn == pn || d->seen[cn] == pn + 1)
		return;
	d->seen[cn] = pn + 1;
	/* A pair of two provisional records is compared once, from the older one. */
	if (c->provisional && c->id < p->id)
		return;
	bool same_block = memcmp(p->block, c->block, sizeof(p->block)) == 0;
	if (bound_of(p->birth, c->birth, p->pc4, c->pc4, same_block) >= d->min_score)
		d->pending[d->npending++] = cn;
}

/* Gather into d->pending the candidates of provisional record `pn` that may reach the minimum. */
static void gather_candidates(struct dedup *d, uint32_t pn)
{
	const struct clear *p = &d->recs[pn];
	struct clear key = *p;
	size_t i;
	d->npending = 0;
	for (i = lower_bound(d, d->by_block, p, block_below);
	     i < d->nrecs && !block_below(p, &d->recs[d->by_block[i]]); i++)
		consider(d, pn, d->by_block[i]);
	uint32_t y = p->birth / 10000, m = p->birth / 100 % 100, dd = p->birth % 100;
	uint32_t births[2] = {p->birth, dd <= 12 && dd != m ? y * 10000 + dd * 100 + m : 0};
	for (int b = 0; b < 2 && births[b]; b++) {
		key.birth = births[b];
		for (i = lower_bound(d, d->by_birth, &key, birth_below);
		     i < d->nrecs && d->recs[d->by_birth[i]].birth == births[b]; i++)
			consider(d, pn, d->by_birth[i]);
	}
	if (!p->pc4)
		return;
	key.birth = y * 10000 + 101;
	for (i = lower_bound(d, d->by_place, &key, place_below);
	     i < d->nrecs && d->recs[d->by_place[i]].pc4 == p->pc4 &&
	     d->recs[d->by_place[i]].birth / 10000 == y;
	     i++)
		consider(d, pn, d->by_place[i]);
}

/* Read and open the record with id `id`. */
static int open_record(struct dedup *d, int64_t id, struct person *out, struct err *e)
{
	struct stmt *st = d->sealed;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		person_from_row(st, out);
		size_t len;
		const void *sealed = stmt_blob(st, PERSON_COLUMN_PII, &len);
		rc = person_pii_open(d->k, out->pkey, sealed, len, &out->pii, e);
		d->opened++;
	} else if (rc == STORE_DONE) {
		rc = err_set(e, ERR_CONFLICT, "person %lld was removed during the search",
			     (long long)id);
	}
	stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static void add_dup(struct dedup *d, const struct person *a, const struct person *b, int score,
		    const char *agree)
{
	XGROW(d->dups, d->dcap, d->ndups + 1);
	struct person_dup *p = &d->dups[d->ndups++];
	/* The record to keep first: the one with a BSN, as person_merge would. */
	const struct person *keep = a->provisional && !b->provisional ? b : a;
	const struct person *other = keep == a ? b : a;
	snprintf(p->a, sizeof(p->a), "%s", keep->pkey);
	snprintf(p->b, sizeof(p->b), "%s", other->pkey);
	p->score = score;
	snprintf(p->agree, sizeof(p->agree), "%s", agree);
}

/* Open provisional record `pn` and its gathered candidates, and score each pair. */
static int score_candidates(struct dedup *d, uint32_t pn, struct err *e)
{
	struct person p, c;
	struct person_match pm, cm;
	if (open_record(d, d->recs[pn].id, &p, e) < 0) {
		person_release(&p);
		return -1;
	}
	person_match_from(&p, &pm);
	int rc = 0;
	for (size_t i = 0; i < d->npending && rc == 0; i++) {
		rc = open_record(d, d->recs[d->pending[i]].id, &c, e);
		if (rc == 0) {
			char agree[128];
			person_match_from(&c, &cm);
			int score = person_dup_score(&pm, &cm, agree);
			if (score >= d->min_score)
				add_dup(d, &p, &c, score, agree);
		}
		person_release(&c);
	}
	person_release(&p);
	return rc;
}

static int search(struct dedup *d, struct err *e)
{
	if (read_clear(d, e) < 0 || store_prepare(d->s, sealed_sql, &d->sealed, e) < 0)
		return -1;
	d->by_block = sorted_order(d, cmp_block);
	d->by_birth = sorted_order(d, cmp_birth);
	d->by_place = sorted_order(d, cmp_place);
	d->seen = xcalloc(d->nrecs ? d->nrecs : 1, sizeof(*d->seen));
	d->pending = xcalloc(d->nrecs ? d->nrecs : 1, sizeof(*d->pending));
	for (size_t pn = 0; pn < d->nrecs; pn++) {
		if (!d->recs[pn].provisional)
			continue;
		gather_candidates(d, (uint32_t)pn);
		if (d->npending && score_candidates(d, (uint32_t)pn, e) < 0)
			return -1;
	}
	return 0;
}

static void dedup_release(struct dedup *d)
{
	stmt_free(d->sealed);
	free(d->recs);
	free(d->by_block);
	free(d->by_birth);
	free(d->by_place);
	free(d->seen);
	free(d->pending);
}

static int by_score(const void *x, const void *y)
{
	const struct person_dup *a = x, *b = y;
	if (a->score != b->score)
		return b->score - a->score;
	int c = strcmp(a->a, b->a);
	return c ? c : strcmp(a->b, b->b);
}

int person_duplicates(struct store *s, const struct keyring *k, const struct access *who,
		      int min_score, struct person_dup **out, size_t *n, struct err *e)
{
	struct dedup d = {.s = s, .k = k, .min_score = min_score};
	*out = NULL;
	*n = 0;
	if (min_score < 0 || min_score > 100)
		return err_set(e, ERR_INVALID, "minimum score %d: not between 0 and 100",
			       min_score);
	if (store_begin(s, e) < 0)
		return -1;
	if (search(&d, e) < 0)
		goto fail;
	char detail[160];
	snprintf(detail, sizeof(detail),
		 "pii(surname,given_names,postcode) of %ld records opened to compare; pairs=%zu",
		 d.opened, d.ndups);
	if (audit_append(s, who, "person.duplicates", NULL, detail, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		goto fail_committed;
	dedup_release(&d);
	if (d.ndups)
		qsort(d.dups, d.ndups, sizeof(d.dups[0]), by_score);
	*out = d.dups;
	*n = d.ndups;
	return 0;
fail:
	store_rollback(s);
fail_committed:
	dedup_release(&d);
	free(d.dups);
	return -1;
}
