/*
 * The reference data the generator draws from: the municipalities of the region, their PC4
 * areas, and Dutch given names and surnames. By default these are the files compiled into the
 * binary (data/README.md gives their sources); --region and --pc4 name others of the same
 * shape.
 */
#include "gen/gen-internal.h"
#include "util/csv.h"
#include "util/embedded.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char default_region[] = "data/regions/demo_region_zuid_limburg.csv";
static const char default_pc4[] = "data/regions/pc4_zuid_limburg.csv";
static const char first_names_file[] = "data/names/nl_first_names.csv";
static const char last_names_file[] = "data/names/nl_last_names.csv";

/* Open `path`, or the embedded file `fallback` when path is NULL, and read its header. */
static int open_table(const char *path, const char *fallback, struct csv_reader **out,
                      struct err *e)
{
	struct csv_reader *r;
	if (path) {
		if (csv_open(&r, path, e) < 0)
			return -1;
	} else {
		const struct embedded_file *f = embedded_find(fallback);
		if (!f)
			return err_set(e, ERR_INTERNAL, "%s is not compiled into this binary",
			               fallback);
		r = csv_open_memory(f->data, f->len, fallback);
	}
	if (csv_read_header(r, e) < 0) {
		csv_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

/* The index of required column `name`, or -1 with an error naming the file. */
static int need_column(struct csv_reader *r, const char *name, struct err *e)
{
	int c = csv_column(r, name);
	if (c < 0)
		err_set(e, ERR_INVALID, "%s: no column '%s' in the header", csv_name(r), name);
	return c;
}

static int find_muni_by_code(const struct gen_ref *ref, const char *code)
{
	for (int i = 0; i < ref->nmunis; i++)
		if (strcmp(ref->munis[i].code, code) == 0)
			return i;
	return -1;
}

static int find_muni_by_name(const struct gen_ref *ref, const char *name)
{
	struct buf want = BUF_INIT, have = BUF_INIT;
	int found = -1;
	utf8_fold(&want, name);
	for (int i = 0; i < ref->nmunis && found < 0; i++) {
		buf_reset(&have);
		utf8_fold(&have, ref->munis[i].name);
		if (strcmp(want.data, have.data) == 0)
			found = i;
	}
	buf_release(&want);
	buf_release(&have);
	return found;
}

/* A whole number in 1..10^9 from a weight column, or 0 when the field is not one. */
static uint32_t parse_weight(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > 1000000000L)
		return 0;
	return (uint32_t)v;
}

static int read_region(struct gen_ref *ref, const char *path, struct err *e)
{
	struct csv_reader *r;
	if (open_table(path, default_region, &r, e) < 0)
		return -1;
	int rc = -1, ccode = need_column(r, "gemeentecode", e), cname = -1;
	if (ccode >= 0)
		cname = need_column(r, "gemeentenaam", e);
	/* An optional weight; without it the number of PC4 areas stands in for size. */
	int cweight = csv_column(r, "inwoners");
	if (cweight < 0)
		cweight = csv_column(r, "population");
	if (cname < 0)
		goto out;
	size_t cap = 0;
	int got;
	while ((got = csv_read(r, e)) == 1) {
		char code[GEMEENTE_SIZE];
		if (ident_gemeente(csv_field(r, (size_t)ccode), "gemeentecode", code, e) < 0) {
			err_prefix(e, "%s, line %ld", csv_name(r), csv_line(r));
			goto out;
		}
		const char *name = csv_field(r, (size_t)cname);
		if (!*name) {
			err_set(e, ERR_INVALID, "%s, line %ld, field gemeentenaam: empty",
			        csv_name(r), csv_line(r));
			goto out;
		}
		if (find_muni_by_code(ref, code) >= 0) {
			err_set(e, ERR_INVALID,
			        "%s, line %ld, field gemeentecode: %s is listed twice", csv_name(r),
			        csv_line(r), code);
			goto out;
		}
		XGROW(ref->munis, cap, (size_t)ref->nmunis + 1);
		struct gen_muni *m = &ref->munis[ref->nmunis++];
		memset(m, 0, sizeof(*m));
		memcpy(m->code, code, sizeof(code));
		m->name = xstrdup(name);
		if (cweight >= 0) {
			m->weight = parse_weight(csv_field(r, (size_t)cweight));
			if (!m->weight) {
				err_set(
				    e, ERR_INVALID,
				    "%s, line %ld, field %s: '%.20s' is not a whole number from 1",
				    csv_name(r), csv_line(r), csv_header_name(r, (size_t)cweight),
				    csv_field(r, (size_t)cweight));
				goto out;
			}
		}
	}
	if (got < 0)
		goto out;
	if (ref->nmunis == 0) {
		err_set(e, ERR_INVALID, "%s: no municipalities", csv_name(r));
		goto out;
	}
	rc = 0;
out:
	csv_close(r);
	return rc;
}

static int compare_pc4(const void *a, const void *b)
{
	return memcmp(a, b, 5);
}

/*
 * Read the PC4 file: pc4 and the municipality (column gemeentecode, or gemeente by name).
 * PC4s of municipalities outside the region are skipped; each municipality needs one.
 */
static int read_pc4(struct gen_ref *ref, const char *path, struct err *e)
{
	struct csv_reader *r;
	if (open_table(path, default_pc4, &r, e) < 0)
		return -1;
	int rc = -1, cpc4 = need_column(r, "pc4", e);
	int cmuni = csv_column(r, "gemeentecode");
	bool by_code = cmuni >= 0;
	if (!by_code)
		cmuni = csv_column(r, "gemeente");
	char(*rows)[5] = NULL; /* pc4 (4 chars) and the municipality index in byte 4 */
	int *muni_of = NULL;
	size_t cap = 0, mcap = 0;
	int n = 0, got;
	if (cpc4 < 0)
		goto out;
	if (cmuni < 0) {
		err_set(e, ERR_INVALID, "%s: no column 'gemeentecode' or 'gemeente' in the header",
		        csv_name(r));
		goto out;
	}
	while ((got = csv_read(r, e)) == 1) {
		const char *pc = csv_field(r, (size_t)cpc4);
		if (strlen(pc) != 4 || pc[0] < '1' || pc[0] > '9' ||
		    !isdigit((unsigned char)pc[1]) || !isdigit((unsigned char)pc[2]) ||
		    !isdigit((unsigned char)pc[3])) {
			err_set(
			    e, ERR_INVALID,
			    "%s, line %ld, field pc4: '%.10s' is not a PC4 (rule: 4 digits, not "
			    "starting with 0)",
			    csv_name(r), csv_line(r), pc);
			goto out;
		}
		const char *mv = csv_field(r, (size_t)cmuni);
		int m;
		if (by_code) {
			char code[GEMEENTE_SIZE];
			m = ident_gemeente(mv, "gemeentecode", code, NULL) == 0
			        ? find_muni_by_code(ref, code)
			        : -1;
		} else {
			m = find_muni_by_name(ref, mv);
		}
		if (m < 0)
			continue; /* outside the region */
		XGROW(rows, cap, (size_t)n + 1);
		XGROW(muni_of, mcap, (size_t)n + 1);
		memcpy(rows[n], pc, 4);
		rows[n][4] = '\0';
		muni_of[n] = m;
		n++;
	}
	if (got < 0)
		goto out;
	/* Group by municipality in region order, each group sorted, duplicates dropped. */
	ref->pc4 = xcalloc((size_t)n + 1, sizeof(*ref->pc4));
	for (int m = 0; m < ref->nmunis; m++) {
		struct gen_muni *mu = &ref->munis[m];
		mu->first_pc4 = ref->npc4;
		for (int i = 0; i < n; i++)
			if (muni_of[i] == m)
				memcpy(ref->pc4[ref->npc4++], rows[i], 5);
		qsort(ref->pc4[mu->first_pc4], (size_t)(ref->npc4 - mu->first_pc4), 5, compare_pc4);
		int k = mu->first_pc4;
		for (int i = mu->first_pc4; i < ref->npc4; i++)
			if (i == mu->first_pc4 || memcmp(ref->pc4[i], ref->pc4[k - 1], 5) != 0)
				memcpy(ref->pc4[k++], ref->pc4[i], 5);
		ref->npc4 = k;
		mu->npc4 = k - mu->first_pc4;
		if (mu->npc4 == 0) {
			err_set(e, ERR_INVALID, "%s: no PC4 area of municipality %s (%s)",
			        csv_name(r), mu->code, mu->name);
			goto out;
		}
		if (!mu->weight)
			mu->weight = (uint32_t)mu->npc4;
	}
	rc = 0;
out:
	free(rows);
	free(muni_of);
	csv_close(r);
	return rc;
}

static int read_first_names(struct gen_ref *ref, struct err *e)
{
	struct csv_reader *r;
	if (open_table(NULL, first_names_file, &r, e) < 0)
		return -1;
	int rc = -1, cname = need_column(r, "first_name", e), csex = -1, got;
	size_t cap[2] = {0, 0};
	if (cname >= 0)
		csex = need_column(r, "sex", e);
	if (csex < 0)
		goto out;
	while ((got = csv_read(r, e)) == 1) {
		const char *sex = csv_field(r, (size_t)csex), *name = csv_field(r, (size_t)cname);
		if (!*name)
			continue;
		int s = strcmp(sex, "M") == 0 ? 1 : strcmp(sex, "F") == 0 ? 0 : -1;
		if (s < 0) {
			err_set(e, ERR_INVALID, "%s, line %ld, field sex: '%.4s' is not M or F",
			        csv_name(r), csv_line(r), sex);
			goto out;
		}
		XGROW(ref->first[s], cap[s], (size_t)ref->nfirst[s] + 1);
		ref->first[s][ref->nfirst[s]++] = xstrdup(name);
	}
	if (got < 0)
		goto out;
	if (ref->nfirst[0] < 3 || ref->nfirst[1] < 3) {
		err_set(e, ERR_INVALID, "%s: too few given names of each sex", csv_name(r));
		goto out;
	}
	rc = 0;
out:
	csv_close(r);
	return rc;
}

static bool is_prefix_word(const char *w, size_t n)
{
	static const char *const words[] = {
	    "van", "de", "der", "den", "het", "'t",  "te",  "ter", "ten", "in",  "op",    "uit",
	    "d'",  "'s", "la",  "le",  "du",  "des", "del", "von", "zu",  "und", "vander"};
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
			return true;
	return false;
}

void gen_split_surname(const char *in, struct buf *prefix, struct buf *surname)
{
	buf_reset(prefix);
	buf_reset(surname);
	/* "Bourgondië, van": the register's sorted form, prefix after a comma. */
	const char *comma = strchr(in, ',');
	if (comma) {
		const char *p = comma + 1;
		while (*p == ' ')
			p++;
		buf_adds(prefix, p);
		buf_add(surname, in, (size_t)(comma - in));
		return;
	}
	/* Leading lower-case words that are tussenvoegsels, as long as a surname remains. */
	const char *p = in, *rest = in;
	while (*p) {
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		size_t n = (size_t)(p - w);
		/* "d'Heripon" has no blank after the apostrophe; "d' Heripon" has one. */
		if (!is_prefix_word(w, n) || !*p)
			break;
		while (*p == ' ')
			p++;
		rest = p;
	}
	if (rest != in) {
		size_t n = (size_t)(rest - in);
		while (n && in[n - 1] == ' ')
			n--;
		buf_add(prefix, in, n);
	}
	buf_adds(surname, rest);
}

static int read_surnames(struct gen_ref *ref, struct err *e)
{
	struct csv_reader *r;
	if (open_table(NULL, last_names_file, &r, e) < 0)
		return -1;
	int rc = -1, cname = need_column(r, "last_name", e), got;
	size_t cap = 0;
	struct buf prefix = BUF_INIT, surname = BUF_INIT;
	if (cname < 0)
		goto out;
	while ((got = csv_read(r, e)) == 1) {
		const char *name = csv_field(r, (size_t)cname);
		if (!*name)
			continue;
		gen_split_surname(name, &prefix, &surname);
		if (!surname.len)
			continue;
		XGROW(ref->surnames, cap, (size_t)ref->nsurnames + 1);
		struct gen_surname *s = &ref->surnames[ref->nsurnames++];
		s->prefix = xstrdup(prefix.data);
		s->surname = xstrdup(surname.data);
	}
	if (got < 0)
		goto out;
	if (ref->nsurnames < 10) {
		err_set(e, ERR_INVALID, "%s: too few surnames", csv_name(r));
		goto out;
	}
	rc = 0;
out:
	buf_release(&prefix);
	buf_release(&surname);
	csv_close(r);
	return rc;
}

int gen_ref_load(struct gen_ref *ref, const char *region_path, const char *pc4_path, struct err *e)
{
	memset(ref, 0, sizeof(*ref));
	if (read_region(ref, region_path, e) < 0 || read_pc4(ref, pc4_path, e) < 0 ||
	    read_first_names(ref, e) < 0 || read_surnames(ref, e) < 0) {
		gen_ref_release(ref);
		return -1;
	}
	ref->muni_weights = xcalloc((size_t)ref->nmunis, sizeof(uint32_t));
	for (int i = 0; i < ref->nmunis; i++)
		ref->muni_weights[i] = ref->munis[i].weight;
	return 0;
}

void gen_ref_release(struct gen_ref *ref)
{
	for (int i = 0; i < ref->nmunis; i++)
		free(ref->munis[i].name);
	free(ref->munis);
	free(ref->muni_weights);
	free(ref->pc4);
	for (int s = 0; s < 2; s++) {
		for (int i = 0; i < ref->nfirst[s]; i++)
			free(ref->first[s][i]);
		free(ref->first[s]);
	}
	for (int i = 0; i < ref->nsurnames; i++) {
		free(ref->surnames[i].prefix);
		free(ref->surnames[i].surname);
	}
	free(ref->surnames);
	memset(ref, 0, sizeof(*ref));
}
