/*
 * Reference data of the region (see region.h): the municipalities of a year with their RMC
 * region, labour-market region and province, loaded from a CSV whose layout is recognised
 * from its header and, where the header says too little, from its first values
 * (docs/registry.md, "Regions and municipalities").
 */
#include "registry/region.h"
#include "registry/ident.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/embedded.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* How many data rows are read ahead to recognise columns by their values. */
#define SAMPLE_ROWS 10

/* The year range a load accepts (the same as the API's ?year=). */
#define YEAR_MIN 1800
#define YEAR_MAX 2999

/* ---- the three kinds of region a municipality belongs to ---- */

enum kind { KIND_RMC, KIND_LABOUR, KIND_PROVINCE, KIND_COUNT };

static const char rmc_select_sql[] = "SELECT code, name FROM rmc_regions";
static const char rmc_insert_sql[] = "INSERT INTO rmc_regions (code, name) VALUES (?, ?)";
static const char rmc_update_sql[] = "UPDATE rmc_regions SET name = ? WHERE code = ?";
static const char labour_select_sql[] = "SELECT code, name FROM labour_regions";
static const char labour_insert_sql[] = "INSERT INTO labour_regions (code, name) VALUES (?, ?)";
static const char labour_update_sql[] = "UPDATE labour_regions SET name = ? WHERE code = ?";
static const char province_select_sql[] = "SELECT code, name FROM provinces";
static const char province_insert_sql[] = "INSERT INTO provinces (code, name) VALUES (?, ?)";
static const char province_update_sql[] = "UPDATE provinces SET name = ? WHERE code = ?";

struct kind_def {
	const char *prefix; /* CBS code prefix */
	const char *what;   /* for messages */
	const char *keys[3]; /* how a folded header word that names the kind starts */
	const char *select_sql, *insert_sql, *update_sql;
	const char *builtin; /* the embedded list that names the numbers */
};

static const struct kind_def kinds[KIND_COUNT] = {
	[KIND_RMC] = {"MC", "RMC region", {"rmc", NULL, NULL}, rmc_select_sql, rmc_insert_sql,
		      rmc_update_sql, "data/regions/rmc_regions.csv"},
	[KIND_LABOUR] = {"AM", "labour-market region", {"arbeidsmarkt", "labour", NULL},
			 labour_select_sql, labour_insert_sql, labour_update_sql,
			 "data/regions/arbeidsmarktregios.csv"},
	[KIND_PROVINCE] = {"PV", "province", {"provinci", "province", NULL}, province_select_sql,
			   province_insert_sql, province_update_sql,
			   "data/regions/gemeenten_2023.csv"},
};

/*
 * Names under which a province also goes in older files: CBS writes "Fryslân" since 2022,
 * many files still say "Friesland".
 */
static const struct {
	const char *folded;
	int number;
} province_aliases[] = {{"friesland", 21}};

/* What is known of one region code (e.g. MC39) during a load. */
struct region_entry {
	char *stored;  /* its name in the store, NULL when not stored */
	char *builtin; /* its name in the built-in list, NULL when not listed */
	char *name;    /* the name this load gives it, NULL until a row names it */
	long line;     /* the line whose name it got (0: from the store or the list) */
	bool written;  /* the store has `name` */
};

/* "MC39" for (KIND_RMC, 39); numbers are 0–99 by construction. */
static void code_of(enum kind k, int number, char out[REGION_CODE_SIZE])
{
	snprintf(out, REGION_CODE_SIZE, "%.2s%02u", kinds[k].prefix, (unsigned)number % 100);
}

/* ---- the recognised layout of a file ---- */

struct layout {
	int code, name; /* the municipality's columns */
	int rcode[KIND_COUNT], rname[KIND_COUNT];
	int lat, lon;
	bool assigned[CSV_MAX_FIELDS];
};

struct sample_row {
	long line;
	size_t n;
	char **f;
};

struct loader {
	struct store *s;
	const char *file;
	int year;
	struct csv_reader *csv;
	char **folded; /* the header, folded for comparison: "rmccode" */
	char **words;  /* the header, folded word by word: "rmc code" */
	size_t ncols;
	struct sample_row sample[SAMPLE_ROWS];
	size_t nsample;
	struct layout lay;
	struct region_entry regions[KIND_COUNT][100];
	long *seen; /* the line of each municipality code 0000–9999 met so far */
	struct stmt *get, *ins, *upd;
	struct stmt *rins[KIND_COUNT], *rupd[KIND_COUNT];
	struct region_load_stats *stats;
};

/* ---- small helpers ---- */

static char *fold(const char *s)
{
	struct buf b = BUF_INIT;
	utf8_fold(&b, s);
	return buf_detach(&b, NULL);
}

/*
 * A header folded word by word, the words separated by one space: "RMC-regio's/Code" →
 * "rmc regio s code". Keys must start a word, so that "Formcode" does not name an RMC region.
 */
static char *fold_words(const char *s)
{
	struct buf out = BUF_INIT, word = BUF_INIT;
	for (const char *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c && (c >= 0x80 || isalnum(c))) {
			buf_addch(&word, (char)c);
			continue;
		}
		if (word.len) {
			char *f = fold(word.data);
			if (*f)
				buf_addf(&out, "%s%s", out.len ? " " : "", f);
			free(f);
			buf_reset(&word);
		}
		if (!c)
			break;
	}
	buf_release(&word);
	return buf_detach(&out, NULL);
}

/* `s` without surrounding blanks, copied (CBS pads its codes and names with spaces). */
static char *trim_dup(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

static bool is_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Strictly <prefix><digits> (after trimming), e.g. "MC39" for ("MC", 2). */
static bool looks_like(const char *v, const char *prefix, int ndigits)
{
	while (*v == ' ')
		v++;
	if (strncasecmp(v, prefix, 2) != 0)
		return false;
	v += 2;
	for (int i = 0; i < ndigits; i++)
		if (!isdigit((unsigned char)v[i]))
			return false;
	return is_blank(v + ndigits);
}

static bool accepts_gemeente(const char *v)
{
	char out[GEMEENTE_SIZE];
	return ident_gemeente(v, "", out, NULL) == 0;
}

/* ---- built-in lists ---- */

/* Read an embedded nr,naam list (or the provinces of gemeenten_2023.csv) into the entries. */
static int read_builtin(struct loader *ld, enum kind k, struct err *e)
{
	const struct embedded_file *f = embedded_find(kinds[k].builtin);
	if (!f)
		return err_set(e, ERR_INTERNAL, "the built-in list %s is missing from this binary",
			       kinds[k].builtin);
	struct csv_reader *r = csv_open_memory(f->data, f->len, kinds[k].builtin);
	int rc = csv_read_header(r, e);
	bool by_code = k == KIND_PROVINCE;
	int ccol = csv_column(r, by_code ? "provinciecode" : "nr");
	int ncol = csv_column(r, by_code ? "provincienaam" : "naam");
	if (rc == 0 && (ccol < 0 || ncol < 0))
		rc = err_set(e, ERR_INTERNAL, "the built-in list %s lacks its columns",
			     kinds[k].builtin);
	while (rc == 0 && (rc = csv_read(r, e)) == 1) {
		char code[REGION_CODE_SIZE];
		rc = ident_region_code(csv_field(r, (size_t)ccol), kinds[k].prefix, "nr", code, e);
		if (rc < 0)
			break;
		struct region_entry *re = &ld->regions[k][atoi(code + 2)];
		if (!re->builtin)
			re->builtin = trim_dup(csv_field(r, (size_t)ncol));
	}
	csv_close(r);
	return rc < 0 ? err_prefix(e, "built-in list") : 0;
}

static int read_stored(struct loader *ld, enum kind k, struct err *e)
{
	struct stmt *st;
	if (store_prepare(ld->s, kinds[k].select_sql, &st, e) < 0)
		return -1;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		char code[REGION_CODE_SIZE];
		if (ident_region_code(stmt_text(st, 0), kinds[k].prefix, "code", code, NULL) < 0)
			continue; /* not a code this loader writes; leave it alone */
		struct region_entry *re = &ld->regions[k][atoi(code + 2)];
		free(re->stored);
		re->stored = xstrdup(stmt_text(st, 1));
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/*
 * A folded region name for matching: "Gewest Zuid-Limburg" and "Zuid-Limburg" are the same
 * RMC region, so a leading "gewest", "regio" or "rmc" is dropped.
 */
static const char *name_core(const char *folded)
{
	static const char *const lead[] = {"rmcregio", "rmc", "gewest", "regio"};
	for (size_t i = 0; i < sizeof(lead) / sizeof(lead[0]); i++) {
		size_t n = strlen(lead[i]);
		if (strncmp(folded, lead[i], n) == 0 && folded[n])
			return folded + n;
	}
	return folded;
}

static bool name_matches(const char *known, const char *folded_core)
{
	if (!known)
		return false;
	char *f = fold(known);
	bool same = strcmp(name_core(f), folded_core) == 0;
	free(f);
	return same;
}

/* The number of the region of kind `k` called `name`, or -1. */
static int number_by_name(struct loader *ld, enum kind k, const char *name)
{
	char *f = fold(name);
	const char *core = name_core(f);
	int found = -1;
	for (int pass = 0; pass < 3 && found < 0; pass++)
		for (int i = 0; i < 100 && found < 0; i++) {
			const struct region_entry *re = &ld->regions[k][i];
			const char *known = pass == 0 ? re->name : pass == 1 ? re->stored : re->builtin;
			if (name_matches(known, core))
				found = i;
		}
	if (found < 0 && k == KIND_PROVINCE)
		for (size_t i = 0; i < sizeof(province_aliases) / sizeof(province_aliases[0]); i++)
			if (strcmp(core, province_aliases[i].folded) == 0)
				found = province_aliases[i].number;
	free(f);
	return found;
}

/* ---- recognising the layout ---- */

static const char *header(struct loader *ld, int col)
{
	return csv_header_name(ld->csv, (size_t)col);
}

static void assign(struct layout *lay, int *slot, int col)
{
	*slot = col;
	if (col >= 0 && col < CSV_MAX_FIELDS)
		lay->assigned[col] = true;
}

static bool free_col(const struct loader *ld, int col)
{
	return col >= 0 && (size_t)col < ld->ncols && !ld->lay.assigned[col];
}

static const char *sample_value(const struct loader *ld, size_t row, int col)
{
	const struct sample_row *r = &ld->sample[row];
	return (size_t)col < r->n ? r->f[col] : "";
}

/* Whether column `col` has at least one sampled value and all of them satisfy `pred`. */
static bool sample_all(const struct loader *ld, int col, bool (*pred)(const char *, const void *),
		       const void *arg)
{
	bool any = false;
	for (size_t i = 0; i < ld->nsample; i++) {
		const char *v = sample_value(ld, i, col);
		if (is_blank(v))
			continue;
		if (!pred(v, arg))
			return false;
		any = true;
	}
	return any;
}

static bool pred_region_strict(const char *v, const void *prefix)
{
	return looks_like(v, prefix, 2);
}

static bool pred_region_lenient(const char *v, const void *prefix)
{
	char out[REGION_CODE_SIZE];
	return ident_region_code(v, prefix, "", out, NULL) == 0;
}

static bool pred_gm_strict(const char *v, const void *unused)
{
	(void)unused;
	return looks_like(v, "GM", 4);
}

static bool pred_gm_lenient(const char *v, const void *unused)
{
	(void)unused;
	return accepts_gemeente(v);
}

static bool pred_any_code(const char *v, const void *unused)
{
	(void)unused;
	for (int k = 0; k < KIND_COUNT; k++)
		if (looks_like(v, kinds[k].prefix, 2))
			return true;
	return looks_like(v, "GM", 4) || looks_like(v, "JZ", 2);
}

/* Whether a word of `words` starts with `key`. */
static bool word_starts(const char *words, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = words;;) {
		if (strncmp(p, key, n) == 0)
			return true;
		p = strchr(p, ' ');
		if (!p)
			return false;
		p++;
	}
}

static bool has_key(const char *words, enum kind k)
{
	for (int i = 0; i < 3 && kinds[k].keys[i]; i++)
		if (word_starts(words, kinds[k].keys[i]))
			return true;
	return false;
}

static bool names_some_region(const char *words)
{
	for (int k = 0; k < KIND_COUNT; k++)
		if (has_key(words, (enum kind)k))
			return true;
	return word_starts(words, "jeugdzorg");
}

static bool says_code(const char *h)
{
	return strstr(h, "code") || strstr(h, "nummer") || ends_with(h, "nr");
}

static bool says_name(const char *h)
{
	return strstr(h, "naam") || strstr(h, "name");
}

/* Region columns named by their header: "rmc_code", "RMC-regio's/Code", "provincie", … */
static void find_regions_by_header(struct loader *ld)
{
	struct layout *lay = &ld->lay;
	for (int k = 0; k < KIND_COUNT; k++)
		for (int c = 0; c < (int)ld->ncols; c++) {
			const char *h = ld->folded[c];
			if (!free_col(ld, c) || !has_key(ld->words[c], (enum kind)k) ||
			    strstr(h, "sortering"))
				continue;
			bool code = says_code(h), name = says_name(h);
			if (!code && !name) /* a bare "provincie": its values tell */
				code = sample_all(ld, c, pred_region_lenient, kinds[k].prefix);
			if (code && lay->rcode[k] < 0)
				assign(lay, &lay->rcode[k], c);
			else if (!code && lay->rname[k] < 0)
				assign(lay, &lay->rname[k], c);
		}
}

/* The column right after `code`, when it is free and holds no codes, as its name column. */
static int name_after(struct loader *ld, int code)
{
	int next = code + 1;
	if (!free_col(ld, next) || sample_all(ld, next, pred_any_code, NULL))
		return -1;
	return next;
}

/* Region columns found by their values: the first free column whose values all look MCxx. */
static void find_regions_by_value(struct loader *ld)
{
	struct layout *lay = &ld->lay;
	for (int k = 0; k < KIND_COUNT; k++) {
		if (lay->rcode[k] >= 0 || lay->rname[k] >= 0)
			continue;
		for (int c = 0; c < (int)ld->ncols; c++) {
			if (!free_col(ld, c) || !sample_all(ld, c, pred_region_strict, kinds[k].prefix))
				continue;
			assign(lay, &lay->rcode[k], c);
			int name = name_after(ld, c);
			if (name >= 0)
				assign(lay, &lay->rname[k], name);
			break;
		}
	}
}

static int find_exact(struct loader *ld, const char *const *aliases)
{
	for (const char *const *a = aliases; *a; a++)
		for (int c = 0; c < (int)ld->ncols; c++)
			if (free_col(ld, c) && strcmp(ld->folded[c], *a) == 0)
				return c;
	return -1;
}

static void find_municipality(struct loader *ld)
{
	static const char *const code_aliases[] = {"gemeentecode", "gemeentecodegm",
						   "codegemeente", "gmcode",
						   "gemcode",	   "municipalitycode",
						   NULL};
	/* CBS's open-data export puts GM codes in Code_1 and RegioS; a StatLine download
	 * puts names under "Regio's". So these count only when their values are codes. */
	static const char *const weak_aliases[] = {"code1", "regios", NULL};
	static const char *const name_aliases[] = {"gemeentenaam", "naamgemeente", "gemeente",
						   "municipality", "municipalityname", "naam2",
						   NULL};
	struct layout *lay = &ld->lay;
	int code = find_exact(ld, code_aliases);
	for (const char *const *a = weak_aliases; code < 0 && *a; a++) {
		const char *const one[] = {*a, NULL};
		int c = find_exact(ld, one);
		if (c >= 0 && sample_all(ld, c, pred_gm_lenient, NULL))
			code = c;
	}
	/* A longer title ("Codes en namen van gemeenten/Code") counts if its values agree. */
	for (int c = 0; code < 0 && c < (int)ld->ncols; c++) {
		const char *h = ld->folded[c];
		bool bare = strcmp(h, "gemeente") == 0 || strcmp(h, "municipality") == 0;
		if (free_col(ld, c) && strstr(h, "gemeente") && (says_code(h) || bare) &&
		    !names_some_region(ld->words[c]) && sample_all(ld, c, pred_gm_lenient, NULL))
			code = c;
	}
	for (int c = 0; code < 0 && c < (int)ld->ncols; c++)
		if (free_col(ld, c) && sample_all(ld, c, pred_gm_strict, NULL))
			code = c;
	if (code < 0)
		return;
	assign(lay, &lay->code, code);

	int name = find_exact(ld, name_aliases);
	if (name >= 0 && sample_all(ld, name, pred_any_code, NULL))
		name = -1; /* a "gemeente" column holding codes is not the name */
	if (name < 0 && free_col(ld, code + 1) && says_name(ld->folded[code + 1]))
		name = code + 1;
	for (int c = 0; name < 0 && c < (int)ld->ncols; c++) {
		const char *h = ld->folded[c];
		if (free_col(ld, c) && strstr(h, "gemeente") && says_name(h) &&
		    !strstr(h, "sortering") && !names_some_region(ld->words[c]))
			name = c;
	}
	if (name < 0)
		name = name_after(ld, code);
	if (name >= 0)
		assign(lay, &lay->name, name);
}

static void find_point(struct loader *ld)
{
	static const char *const lat[] = {"lat", "latitude", "breedtegraad", NULL};
	static const char *const lon[] = {"lon", "lng", "long", "longitude", "lengtegraad", NULL};
	int c = find_exact(ld, lat);
	if (c >= 0)
		assign(&ld->lay, &ld->lay.lat, c);
	c = find_exact(ld, lon);
	if (c >= 0)
		assign(&ld->lay, &ld->lay.lon, c);
}

static int headers_error(struct loader *ld, const char *missing, const char *hint,
			 struct err *e)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < ld->ncols; i++)
		buf_addf(&b, "%s'%s'", i ? ", " : "", header(ld, (int)i));
	err_set(e, ERR_INVALID,
		"%s: no %s column (%s; docs/registry.md lists what is recognised); the header "
		"has: %s",
		ld->file, missing, hint, b.len ? b.data : "(nothing)");
	buf_release(&b);
	return -1;
}

static int recognise(struct loader *ld, struct err *e)
{
	struct layout *lay = &ld->lay;
	lay->code = lay->name = lay->lat = lay->lon = -1;
	for (int k = 0; k < KIND_COUNT; k++)
		lay->rcode[k] = lay->rname[k] = -1;
	find_point(ld);
	find_regions_by_header(ld);
	find_municipality(ld);
	find_regions_by_value(ld);
	if (lay->code < 0)
		return headers_error(ld, "municipality code",
				     "a header such as Gemeentecode, GemeentecodeGM, Code_1 or "
				     "RegioS, or values such as GM0935",
				     e);
	if (lay->name < 0)
		return headers_error(ld, "municipality name",
				     "a header such as Gemeentenaam or Naam_2, or the column after "
				     "the code",
				     e);
	if ((lay->lat < 0) != (lay->lon < 0))
		return headers_error(ld, lay->lat < 0 ? "lat" : "lon",
				     "lat and lon come together or not at all", e);
	return 0;
}

/* ---- loading rows ---- */

static const char *cell(const char *const *f, size_t n, int col)
{
	return col >= 0 && (size_t)col < n ? f[col] : "";
}

/* Put "FILE: line N, column C: " before the message in `e`. */
static int row_error(struct loader *ld, long line, int col, struct err *e)
{
	return err_prefix(e, "%s: line %ld, column %d", ld->file, line, col + 1);
}

/* Write the entry's name to the store if the store does not have it yet. */
static int write_region(struct loader *ld, enum kind k, int number, struct err *e)
{
	struct region_entry *re = &ld->regions[k][number];
	if (re->written || same_text(re->name, re->stored)) {
		re->written = true;
		return 0;
	}
	char code[REGION_CODE_SIZE];
	code_of(k, number, code);
	struct stmt *st = re->stored ? ld->rupd[k] : ld->rins[k];
	stmt_reset(st);
	if (re->stored) {
		stmt_bind_text(st, 1, re->name);
		stmt_bind_text(st, 2, code);
	} else {
		stmt_bind_text(st, 1, code);
		stmt_bind_text(st, 2, re->name);
	}
	if (stmt_step(st, e) < 0)
		return -1;
	free(re->stored);
	re->stored = xstrdup(re->name);
	re->written = true;
	ld->stats->regions++;
	return 0;
}

/* Give region `number` of kind `k` the name `name` from `line`; refuse a second, other name. */
static int name_region(struct loader *ld, enum kind k, int number, const char *name, long line,
		       struct err *e)
{
	struct region_entry *re = &ld->regions[k][number];
	if (re->line) {
		if (strcmp(re->name, name) != 0)
			return err_set(e, ERR_INVALID,
				       "field %s: '%s' differs from the name '%s' that line %ld gives "
				       "%s%02d (rule: one name per region)",
				       header(ld, ld->lay.rname[k]), name, re->name, re->line,
				       kinds[k].prefix, number);
		return 0;
	}
	free(re->name);
	re->name = xstrdup(name);
	re->line = line;
	re->written = false;
	return 0;
}

/* A code without a name in the file: take the stored name, else the built-in one. */
static int name_from_elsewhere(struct loader *ld, enum kind k, int number, const char *field,
			       struct err *e)
{
	struct region_entry *re = &ld->regions[k][number];
	if (re->name)
		return 0;
	const char *known = re->stored ? re->stored : re->builtin;
	if (!known)
		return err_set(e, ERR_INVALID,
			       "field %s: %s %s%02d has no name: the file gives none and it is not "
			       "in %s (rule: a region needs a name; add a name column)",
			       field, kinds[k].what, kinds[k].prefix, number, kinds[k].builtin);
	re->name = xstrdup(known);
	return 0;
}

/*
 * The region of kind `k` that row `f` names, into `out` ("" for none). *present is false when
 * the file has no column for this kind, so the stored value stays.
 */
static int row_region(struct loader *ld, enum kind k, const char *const *f, size_t n,
		      long line, char out[REGION_CODE_SIZE], bool *present, struct err *e)
{
	const struct layout *lay = &ld->lay;
	int ccol = lay->rcode[k], ncol = lay->rname[k];
	*present = ccol >= 0 || ncol >= 0;
	out[0] = '\0';
	if (!*present)
		return 0;
	char *code_text = trim_dup(cell(f, n, ccol)), *name = trim_dup(cell(f, n, ncol));
	int number = -1, col = ccol, rc = 0;
	if (*code_text) {
		rc = ident_region_code(code_text, kinds[k].prefix, header(ld, ccol), out, e);
		if (rc == 0)
			number = atoi(out + 2);
		if (rc == 0 && *name) {
			col = ncol;
			rc = name_region(ld, k, number, name, line, e);
		} else if (rc == 0) {
			rc = name_from_elsewhere(ld, k, number, header(ld, ccol), e);
		}
	} else if (*name) {
		col = ncol;
		number = number_by_name(ld, k, name);
		if (number < 0)
			rc = err_set(e, ERR_INVALID,
				     "field %s: '%s' is not a known %s (rule: a name in the store or "
				     "in %s, or its %sxx code in a column of its own)",
				     header(ld, ncol), name, kinds[k].what, kinds[k].builtin,
				     kinds[k].prefix);
		else
			code_of(k, number, out);
		if (rc == 0)
			rc = name_from_elsewhere(ld, k, number, header(ld, ncol), e);
	}
	if (rc == 0 && number >= 0)
		rc = write_region(ld, k, number, e);
	free(code_text);
	free(name);
	return rc < 0 ? row_error(ld, line, col, e) : 0;
}

/* A coordinate: decimal point or (Dutch spreadsheets) decimal comma, within ±limit. */
static int parse_coordinate(const char *text, const char *field, double limit, bool *has,
			    double *out, struct err *e)
{
	char *t = trim_dup(text);
	*has = *t != '\0';
	int rc = 0;
	if (*has) {
		if (!strchr(t, '.')) {
			char *comma = strchr(t, ',');
			if (comma)
				*comma = '.';
		}
		char *end;
		*out = strtod(t, &end);
		if (end == t || *end || !isfinite(*out) || fabs(*out) > limit)
			rc = err_set(e, ERR_INVALID,
				     "field %s: '%.20s' is not a coordinate (rule: decimal degrees "
				     "between -%g and %g)",
				     field, text, limit, limit);
	}
	free(t);
	return rc;
}

struct row_values {
	char code[GEMEENTE_SIZE];
	char *name;
	char region[KIND_COUNT][REGION_CODE_SIZE];
	bool region_present[KIND_COUNT];
	bool has_point;
	double lat, lon;
};

static int row_point(struct loader *ld, const char *const *f, size_t n, long line,
		     struct row_values *v, struct err *e)
{
	const struct layout *lay = &ld->lay;
	bool has_lat = false, has_lon = false;
	if (lay->lat < 0)
		return 0;
	if (parse_coordinate(cell(f, n, lay->lat), header(ld, lay->lat), 90, &has_lat, &v->lat,
			     e) < 0)
		return row_error(ld, line, lay->lat, e);
	if (parse_coordinate(cell(f, n, lay->lon), header(ld, lay->lon), 180, &has_lon, &v->lon,
			     e) < 0)
		return row_error(ld, line, lay->lon, e);
	if (has_lat != has_lon) {
		int col = has_lat ? lay->lon : lay->lat;
		err_set(e, ERR_INVALID, "field %s: empty while %s is given (rule: both or neither)",
			header(ld, col), header(ld, has_lat ? lay->lat : lay->lon));
		return row_error(ld, line, col, e);
	}
	v->has_point = has_lat;
	return 0;
}

/* Read the municipality's code and name from the row and check the code is new here. */
static int row_municipality(struct loader *ld, const char *const *f, size_t n, long line,
			    struct row_values *v, struct err *e)
{
	const struct layout *lay = &ld->lay;
	if (ident_gemeente(cell(f, n, lay->code), header(ld, lay->code), v->code, e) < 0)
		return row_error(ld, line, lay->code, e);
	long *first = &ld->seen[atoi(v->code + 2)];
	if (*first) {
		err_set(e, ERR_INVALID,
			"field %s: %s is on line %ld already (rule: one row per municipality)",
			header(ld, lay->code), v->code, *first);
		return row_error(ld, line, lay->code, e);
	}
	*first = line;
	v->name = trim_dup(cell(f, n, lay->name));
	if (!*v->name) {
		err_set(e, ERR_INVALID, "field %s: empty (rule: a municipality needs a name)",
			header(ld, lay->name));
		return row_error(ld, line, lay->name, e);
	}
	return 0;
}

/* What the store holds for this municipality and year; *found says whether it exists. */
struct stored_row {
	bool found;
	char *name;
	char *region[KIND_COUNT];
	bool has_point;
	double lat, lon;
};

static void stored_row_release(struct stored_row *r)
{
	free(r->name);
	for (int k = 0; k < KIND_COUNT; k++)
		free(r->region[k]);
}

static const char municipality_get_sql[] =
	"SELECT name, rmc_code, labour_code, province_code, lat, lon FROM municipalities"
	" WHERE year = ? AND code = ?";
static const char municipality_insert_sql[] =
	"INSERT INTO municipalities (name, rmc_code, labour_code, province_code, lat, lon, year,"
	" code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char municipality_update_sql[] =
	"UPDATE municipalities SET name = ?, rmc_code = ?, labour_code = ?, province_code = ?,"
	" lat = ?, lon = ? WHERE year = ? AND code = ?";

static int read_stored_row(struct loader *ld, const char *code, struct stored_row *out,
			   struct err *e)
{
	memset(out, 0, sizeof(*out));
	stmt_reset(ld->get);
	stmt_bind_int64(ld->get, 1, ld->year);
	stmt_bind_text(ld->get, 2, code);
	int rc = stmt_step(ld->get, e);
	if (rc != STORE_ROW)
		return rc < 0 ? -1 : 0;
	out->found = true;
	out->name = xstrdup(stmt_text(ld->get, 0));
	for (int k = 0; k < KIND_COUNT; k++)
		if (stmt_text(ld->get, 1 + k))
			out->region[k] = xstrdup(stmt_text(ld->get, 1 + k));
	out->has_point = !stmt_is_null(ld->get, 4) && !stmt_is_null(ld->get, 5);
	out->lat = stmt_double(ld->get, 4);
	out->lon = stmt_double(ld->get, 5);
	stmt_reset(ld->get);
	return 0;
}

/* Insert, update or leave the municipality; a value the file has no column for is kept. */
static int store_row(struct loader *ld, struct row_values *v, struct err *e)
{
	struct stored_row old;
	if (read_stored_row(ld, v->code, &old, e) < 0)
		return -1;
	const char *region[KIND_COUNT];
	bool same = old.found && strcmp(old.name, v->name) == 0;
	for (int k = 0; k < KIND_COUNT; k++) {
		region[k] = v->region_present[k] ? (v->region[k][0] ? v->region[k] : NULL)
						 : old.region[k];
		same = same && same_text(region[k], old.region[k]);
	}
	bool has_point = ld->lay.lat >= 0 ? v->has_point : old.has_point;
	double lat = ld->lay.lat >= 0 ? v->lat : old.lat, lon = ld->lay.lat >= 0 ? v->lon : old.lon;
	same = same && has_point == old.has_point && (!has_point || (lat == old.lat && lon == old.lon));
	int rc = 0;
	if (same) {
		ld->stats->unchanged++;
	} else {
		struct stmt *st = old.found ? ld->upd : ld->ins;
		stmt_reset(st);
		stmt_bind_text(st, 1, v->name);
		for (int k = 0; k < KIND_COUNT; k++)
			stmt_bind_text(st, 2 + k, region[k]);
		if (has_point) {
			stmt_bind_double(st, 5, lat);
			stmt_bind_double(st, 6, lon);
		} else {
			stmt_bind_null(st, 5);
			stmt_bind_null(st, 6);
		}
		stmt_bind_int64(st, 7, ld->year);
		stmt_bind_text(st, 8, v->code);
		rc = stmt_step(st, e) < 0 ? -1 : 0;
		if (rc == 0 && old.found)
			ld->stats->changed++;
		else if (rc == 0)
			ld->stats->added++;
	}
	stored_row_release(&old);
	return rc;
}

static int load_row(struct loader *ld, const char *const *f, size_t n, long line, struct err *e)
{
	struct row_values v;
	memset(&v, 0, sizeof(v));
	int rc = row_municipality(ld, f, n, line, &v, e);
	for (int k = 0; rc == 0 && k < KIND_COUNT; k++)
		rc = row_region(ld, (enum kind)k, f, n, line, v.region[k], &v.region_present[k], e);
	if (rc == 0)
		rc = row_point(ld, f, n, line, &v, e);
	if (rc == 0)
		rc = store_row(ld, &v, e);
	if (rc == 0)
		ld->stats->rows++;
	free(v.name);
	return rc;
}

/* ---- the loader's life ---- */

static int open_source(struct loader *ld, const char *path, struct err *e)
{
	/* A shipped file can be named by its path in the source tree from anywhere. */
	const struct embedded_file *shipped = embedded_find(path);
	if (shipped && strncmp(path, "data/regions/", 13) == 0 && access(path, F_OK) != 0) {
		ld->csv = csv_open_memory(shipped->data, shipped->len, path);
		return 0;
	}
	return csv_open(&ld->csv, path, e);
}

static int read_sample(struct loader *ld, struct err *e)
{
	while (ld->nsample < SAMPLE_ROWS) {
		int rc = csv_read(ld->csv, e);
		if (rc <= 0)
			return rc;
		struct sample_row *r = &ld->sample[ld->nsample++];
		r->line = csv_line(ld->csv);
		r->n = csv_nfields(ld->csv);
		r->f = xcalloc(r->n ? r->n : 1, sizeof(char *));
		for (size_t i = 0; i < r->n; i++)
			r->f[i] = xstrdup(csv_field(ld->csv, i));
	}
	return 1;
}

static int prepare_all(struct loader *ld, struct err *e)
{
	if (store_prepare(ld->s, municipality_get_sql, &ld->get, e) < 0 ||
	    store_prepare(ld->s, municipality_insert_sql, &ld->ins, e) < 0 ||
	    store_prepare(ld->s, municipality_update_sql, &ld->upd, e) < 0)
		return -1;
	for (int k = 0; k < KIND_COUNT; k++)
		if (store_prepare(ld->s, kinds[k].insert_sql, &ld->rins[k], e) < 0 ||
		    store_prepare(ld->s, kinds[k].update_sql, &ld->rupd[k], e) < 0 ||
		    read_stored(ld, (enum kind)k, e) < 0 || read_builtin(ld, (enum kind)k, e) < 0)
			return -1;
	return 0;
}

static void loader_release(struct loader *ld)
{
	for (size_t i = 0; i < ld->nsample; i++) {
		for (size_t j = 0; j < ld->sample[i].n; j++)
			free(ld->sample[i].f[j]);
		free(ld->sample[i].f);
	}
	for (size_t i = 0; i < ld->ncols; i++) {
		free(ld->folded[i]);
		free(ld->words[i]);
	}
	free(ld->folded);
	free(ld->words);
	for (int k = 0; k < KIND_COUNT; k++) {
		for (int i = 0; i < 100; i++) {
			free(ld->regions[k][i].stored);
			free(ld->regions[k][i].builtin);
			free(ld->regions[k][i].name);
		}
		stmt_free(ld->rins[k]);
		stmt_free(ld->rupd[k]);
	}
	stmt_free(ld->get);
	stmt_free(ld->ins);
	stmt_free(ld->upd);
	free(ld->seen);
	csv_close(ld->csv);
}

/* Read the header and the sample, and recognise the layout. */
static int start(struct loader *ld, const char *path, struct err *e)
{
	if (open_source(ld, path, e) < 0 || csv_read_header(ld->csv, e) < 0)
		return -1;
	ld->ncols = csv_header_count(ld->csv);
	ld->folded = xcalloc(ld->ncols ? ld->ncols : 1, sizeof(char *));
	ld->words = xcalloc(ld->ncols ? ld->ncols : 1, sizeof(char *));
	for (size_t i = 0; i < ld->ncols; i++) {
		ld->folded[i] = fold(header(ld, (int)i));
		ld->words[i] = fold_words(header(ld, (int)i));
	}
	if (read_sample(ld, e) < 0)
		return -1;
	return recognise(ld, e);
}

static int load_all_rows(struct loader *ld, struct err *e)
{
	for (size_t i = 0; i < ld->nsample; i++)
		if (load_row(ld, (const char *const *)ld->sample[i].f, ld->sample[i].n,
			     ld->sample[i].line, e) < 0)
			return -1;
	const char *fields[CSV_MAX_FIELDS];
	int rc;
	while ((rc = csv_read(ld->csv, e)) == 1) {
		size_t n = csv_nfields(ld->csv);
		for (size_t i = 0; i < n; i++)
			fields[i] = csv_field(ld->csv, i);
		if (load_row(ld, fields, n, csv_line(ld->csv), e) < 0)
			return -1;
	}
	return rc;
}

int region_load(struct store *s, const char *path, int year, struct region_load_stats *stats,
		struct err *e)
{
	struct region_load_stats local;
	struct loader ld;
	memset(&ld, 0, sizeof(ld));
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (year < YEAR_MIN || year > YEAR_MAX)
		return err_set(e, ERR_INVALID, "year %d is not a year of the reference data "
					       "(rule: %d–%d)",
			       year, YEAR_MIN, YEAR_MAX);
	ld.s = s;
	ld.file = path;
	ld.year = year;
	ld.stats = stats;
	ld.seen = xcalloc(10000, sizeof(long));
	int rc = -1;
	if (start(&ld, path, e) < 0 || store_begin(s, e) < 0)
		goto done;
	if (prepare_all(&ld, e) < 0 || load_all_rows(&ld, e) < 0) {
		store_rollback(s);
		goto done;
	}
	if (stats->rows == 0) {
		store_rollback(s);
		err_set(e, ERR_INVALID, "%s: no municipalities after the header", path);
		goto done;
	}
	rc = store_commit(s, e);
done:
	loader_release(&ld);
	if (rc < 0)
		memset(stats, 0, sizeof(*stats));
	else
		stats->municipalities = stats->added + stats->changed;
	return rc;
}

/* ---- reading ---- */

static const char list_sql[] =
	"SELECT m.year, m.code, m.name, m.rmc_code, r.name, m.labour_code, l.name,"
	" m.province_code, p.name, m.lat, m.lon FROM municipalities m"
	" LEFT JOIN rmc_regions r ON r.code = m.rmc_code"
	" LEFT JOIN labour_regions l ON l.code = m.labour_code"
	" LEFT JOIN provinces p ON p.code = m.province_code"
	" WHERE m.year = ?";
static const char list_rmc_sql[] =
	"SELECT m.year, m.code, m.name, m.rmc_code, r.name, m.labour_code, l.name,"
	" m.province_code, p.name, m.lat, m.lon FROM municipalities m"
	" LEFT JOIN rmc_regions r ON r.code = m.rmc_code"
	" LEFT JOIN labour_regions l ON l.code = m.labour_code"
	" LEFT JOIN provinces p ON p.code = m.province_code"
	" WHERE m.year = ? AND m.rmc_code = ?";
static const char get_sql[] =
	"SELECT m.year, m.code, m.name, m.rmc_code, r.name, m.labour_code, l.name,"
	" m.province_code, p.name, m.lat, m.lon FROM municipalities m"
	" LEFT JOIN rmc_regions r ON r.code = m.rmc_code"
	" LEFT JOIN labour_regions l ON l.code = m.labour_code"
	" LEFT JOIN provinces p ON p.code = m.province_code"
	" WHERE m.code = ? AND (m.year = ? OR ? = 0) ORDER BY m.year DESC LIMIT 1";
static const char latest_year_sql[] = "SELECT MAX(year) FROM municipalities";
static const char exists_sql[] = "SELECT 1 FROM municipalities WHERE code = ? LIMIT 1";
static const char any_sql[] = "SELECT 1 FROM municipalities LIMIT 1";

static char *text_or_null(struct stmt *st, int col)
{
	const char *t = stmt_text(st, col);
	return t ? xstrdup(t) : NULL;
}

static void read_municipality(struct stmt *st, struct municipality *m)
{
	memset(m, 0, sizeof(*m));
	m->year = (int)stmt_int64(st, 0);
	snprintf(m->code, sizeof(m->code), "%s", stmt_text(st, 1));
	m->name = text_or_null(st, 2);
	snprintf(m->rmc_code, sizeof(m->rmc_code), "%s", stmt_text(st, 3) ? stmt_text(st, 3) : "");
	m->rmc_name = text_or_null(st, 4);
	snprintf(m->labour_code, sizeof(m->labour_code), "%s",
		 stmt_text(st, 5) ? stmt_text(st, 5) : "");
	m->labour_name = text_or_null(st, 6);
	snprintf(m->province_code, sizeof(m->province_code), "%s",
		 stmt_text(st, 7) ? stmt_text(st, 7) : "");
	m->province_name = text_or_null(st, 8);
	m->has_point = !stmt_is_null(st, 9) && !stmt_is_null(st, 10);
	m->lat = stmt_double(st, 9);
	m->lon = stmt_double(st, 10);
}

/*
 * Order by name as people read it: folded word by word ("'s-Gravenhage" under S, "Bergen
 * (L.)" before "Bergen op Zoom"), then as written.
 */
struct sort_item {
	char *key;
	struct municipality m;
};

static int by_name(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->m.name ? x->m.name : "", y->m.name ? y->m.name : "");
}

static void sort_by_name(struct municipality *list, size_t n)
{
	struct sort_item *items = xcalloc(n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		items[i].key = fold_words(list[i].name ? list[i].name : "");
		items[i].m = list[i];
	}
	qsort(items, n, sizeof(*items), by_name);
	for (size_t i = 0; i < n; i++) {
		list[i] = items[i].m;
		free(items[i].key);
	}
	free(items);
}

int region_list(struct store *s, int year, const char *rmc_code, struct municipality **out,
		size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	char rmc[REGION_CODE_SIZE];
	if (rmc_code && ident_region_code(rmc_code, "MC", "rmc", rmc, e) < 0)
		return -1;
	if (year == 0) {
		int64_t latest;
		if (store_query_int64(s, latest_year_sql, &latest, e) < 0)
			return -1;
		if (latest == 0)
			return 0; /* nothing loaded yet */
		year = (int)latest;
	}
	struct stmt *st;
	if (store_prepare(s, rmc_code ? list_rmc_sql : list_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, year);
	if (rmc_code)
		stmt_bind_text(st, 2, rmc);
	struct municipality *list = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(list, cap, count + 1);
		read_municipality(st, &list[count++]);
	}
	stmt_free(st);
	if (rc < 0) {
		municipality_free_array(list, count);
		return -1;
	}
	sort_by_name(list, count);
	*out = list;
	*n = count;
	return 0;
}

int region_get(struct store *s, const char *code, int year, struct municipality *out,
	       struct err *e)
{
	char gm[GEMEENTE_SIZE];
	memset(out, 0, sizeof(*out));
	if (ident_gemeente(code, "code", gm, e) < 0)
		return -1;
	struct stmt *st;
	if (store_prepare(s, get_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, gm);
	stmt_bind_int64(st, 2, year);
	stmt_bind_int64(st, 3, year);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		read_municipality(st, out);
	else if (rc == STORE_DONE && year)
		rc = err_set(e, ERR_NOTFOUND, "no municipality %s in %d", gm, year);
	else if (rc == STORE_DONE)
		rc = err_set(e, ERR_NOTFOUND, "no municipality %s in any year loaded", gm);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int region_municipality_exists(struct store *s, const char *code, bool *exists, struct err *e)
{
	struct stmt *st;
	char gm[GEMEENTE_SIZE];
	*exists = false;
	if (ident_gemeente(code, "code", gm, NULL) < 0)
		return 0; /* not a gemeentecode, so not a known one */
	if (store_prepare(s, exists_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, gm);
	int rc = stmt_step(st, e);
	*exists = rc == STORE_ROW;
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int region_any_loaded(struct store *s, bool *any, struct err *e)
{
	int64_t one;
	*any = false;
	if (store_query_int64(s, any_sql, &one, e) < 0)
		return -1;
	*any = one == 1;
	return 0;
}

int region_guess_year(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	int year = 0;
	for (const char *p = base; *p; p++) {
		if (!isdigit((unsigned char)*p) || (p > base && isdigit((unsigned char)p[-1])))
			continue;
		size_t len = strspn(p, "0123456789");
		int v = len == 4 ? atoi(p) : 0;
		if (v >= YEAR_MIN && v <= YEAR_MAX)
			year = v;
	}
	if (!year && strcmp(base, "demo_region_zuid_limburg.csv") == 0)
		year = 2023; /* built from the CBS list of 2023 (data/README.md) */
	return year;
}

void municipality_release(struct municipality *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->rmc_name);
	free(m->labour_name);
	free(m->province_name);
	memset(m, 0, sizeof(*m));
}

void municipality_free_array(struct municipality *array, size_t n)
{
	for (size_t i = 0; i < n; i++)
		municipality_release(&array[i]);
	free(array);
}
