/*
 * Writing the generated files: the columns of each feed (docs/feeds.md), one row at a time
 * into a buffered file, with a defect injected into a fraction of the data rows when asked
 * (`--malformed`). Values are formatted by hand rather than with printf, because a million
 * young people make several million rows and the generator should take seconds.
 */
#include "gen/gen-internal.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum col_type {
	COL_TEXT,
	COL_ID,
	COL_BSN,
	COL_DATE,
	COL_INT,
	COL_CODE,
	COL_GEMEENTE,
	COL_BRIN,
	COL_VESTIGING,
	COL_AGB,
	COL_KVK,
	COL_CREBO,
	COL_POSTCODE,
};

struct column {
	const char *name;
	enum col_type type;
	bool required; /* never empty in any row of the feed */
};

struct feed_def {
	const char *name; /* feed name in the manifest */
	const char *header;
	const struct column *cols;
	int ncols;
};

#define MAX_COLS  14
#define FIELD_MAX 160

static const struct column organisations_cols[] = {
    {"kind", COL_CODE, true},    {"ident", COL_ID, true},
    {"name", COL_TEXT, true},    {"school_type", COL_CODE, false},
    {"levels", COL_TEXT, false}, {"municipality_code", COL_GEMEENTE, false},
};
static const struct column residence_cols[] = {
    {"bsn", COL_BSN, true},
    {"given_names", COL_TEXT, true},
    {"surname_prefix", COL_TEXT, false},
    {"surname", COL_TEXT, true},
    {"birth_date", COL_DATE, true},
    {"street", COL_TEXT, true},
    {"house_number", COL_TEXT, true},
    {"postcode", COL_POSTCODE, true},
    {"city", COL_TEXT, true},
    {"municipality_code", COL_GEMEENTE, true},
    {"moved_in", COL_DATE, true},
    {"moved_out", COL_DATE, false},
    {"died", COL_DATE, false},
};
static const struct column enrolments_cols[] = {
    {"bsn", COL_BSN, true},
    {"brin", COL_BRIN, true},
    {"vestiging", COL_VESTIGING, true},
    {"school_type", COL_CODE, true},
    {"level", COL_CODE, true},
    {"crebo", COL_CREBO, false},
    {"start_date", COL_DATE, true},
    {"end_date", COL_DATE, false},
    {"end_reason", COL_CODE, false},
};
static const struct column diplomas_cols[] = {
    {"bsn", COL_BSN, true},      {"qualification", COL_CODE, true},
    {"crebo", COL_CREBO, false}, {"diploma_date", COL_DATE, true},
    {"brin", COL_BRIN, true},    {"vestiging", COL_VESTIGING, true},
};
static const struct column absence_cols[] = {
    {"report_id", COL_ID, true},     {"bsn", COL_BSN, true},
    {"brin", COL_BRIN, false},       {"vestiging", COL_VESTIGING, false},
    {"kind", COL_CODE, true},        {"period_from", COL_DATE, true},
    {"period_to", COL_DATE, false},  {"hours_lost", COL_INT, false},
    {"reported_on", COL_DATE, true}, {"status", COL_CODE, true},
    {"status_date", COL_DATE, true},
};
static const struct column care_cols[] = {
    {"allocation_id", COL_ID, true},
    {"bsn", COL_BSN, true},
    {"provider_agb", COL_AGB, true},
    {"law", COL_CODE, true},
    {"product_category", COL_CODE, true},
    {"product_code", COL_TEXT, false},
    {"start_date", COL_DATE, true},
    {"end_date", COL_DATE, false},
    {"municipality_code", COL_GEMEENTE, true},
};
static const struct column work_cols[] = {
    {"bsn", COL_BSN, true},           {"kind", COL_CODE, true},
    {"employer_kvk", COL_KVK, false}, {"start_date", COL_DATE, true},
    {"end_date", COL_DATE, false},    {"hours_per_week", COL_INT, false},
};
static const struct column vrijstellingen_cols[] = {
    {"bsn", COL_BSN, true},
    {"article", COL_CODE, true},
    {"start_date", COL_DATE, true},
    {"end_date", COL_DATE, false},
    {"municipality_code", COL_GEMEENTE, true},
};
static const struct column manifest_cols[] = {
    {"order", COL_INT, true},   {"feed", COL_CODE, true},      {"file", COL_TEXT, true},
    {"source", COL_TEXT, true}, {"mode", COL_CODE, true},      {"as_of", COL_DATE, true},
    {"rows", COL_INT, false},   {"malformed", COL_INT, false},
};
static const struct column malformed_cols[] = {
    {"file", COL_TEXT, true},
    {"line", COL_INT, true},
    {"column", COL_TEXT, true},
    {"defect", COL_CODE, true},
};

#define DEF(name, header, cols)                                                                    \
	{                                                                                          \
		name, header, cols, (int)(sizeof(cols) / sizeof(*(cols)))                          \
	}

/* The header lines are spelled out so that they can be compared with docs/feeds.md. */
static const struct feed_def feeds[FEED_COUNT] = {
    [FEED_ORGANISATIONS] =
        DEF("organisations", "kind;ident;name;school_type;levels;municipality_code",
            organisations_cols),
    [FEED_RESIDENCE] = DEF("residence",
                           "bsn;given_names;surname_prefix;surname;birth_date;street;"
                           "house_number;postcode;city;municipality_code;moved_in;moved_out;died",
                           residence_cols),
    [FEED_ENROLMENTS] = DEF("enrolments",
                            "bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;"
                            "end_reason",
                            enrolments_cols),
    [FEED_DIPLOMAS] =
        DEF("diplomas", "bsn;qualification;crebo;diploma_date;brin;vestiging", diplomas_cols),
    [FEED_ABSENCE] = DEF("absence",
                         "report_id;bsn;brin;vestiging;kind;period_from;period_to;hours_lost;"
                         "reported_on;status;status_date",
                         absence_cols),
    [FEED_CARE] = DEF("care",
                      "allocation_id;bsn;provider_agb;law;product_category;product_code;"
                      "start_date;end_date;municipality_code",
                      care_cols),
    [FEED_WORK] =
        DEF("work", "bsn;kind;employer_kvk;start_date;end_date;hours_per_week", work_cols),
    [FEED_VRIJSTELLINGEN] = DEF(
        "vrijstellingen", "bsn;article;start_date;end_date;municipality_code", vrijstellingen_cols),
    [FEED_MANIFEST] =
        DEF("manifest", "order;feed;file;source;mode;as_of;rows;malformed", manifest_cols),
    [FEED_MALFORMED] = DEF("malformed", "file;line;column;defect", malformed_cols),
};

const char *gen_feed_header(const char *feed)
{
	for (int i = 0; i < FEED_COUNT; i++)
		if (strcmp(feeds[i].name, feed) == 0)
			return feeds[i].header;
	return NULL;
}

/* ---- output files ---- */

/* The spelled-out header and the column table (which the defects use) must agree. */
static bool header_matches_columns(const struct feed_def *def)
{
	const char *h = def->header;
	for (int i = 0; i < def->ncols; i++) {
		size_t n = strlen(def->cols[i].name);
		if (strncmp(h, def->cols[i].name, n) != 0)
			return false;
		h += n;
		if (*h != (i + 1 < def->ncols ? ';' : '\0'))
			return false;
		h += *h == ';';
	}
	return def->ncols <= MAX_COLS;
}

int gen_out_open(struct gen_out *out, enum feed feed, const char *path,
                 struct gen_file_stats *stats, struct err *e)
{
	memset(out, 0, sizeof(*out));
	out->feed = feed;
	out->path = xstrdup(path);
	out->tmp = xasprintf("%s.tmp", path);
	out->stats = stats;
	if (!header_matches_columns(&feeds[feed]))
		return err_set(e, ERR_INTERNAL, "the header of feed %s does not match its columns",
		               feeds[feed].name);
	out->f = fopen(out->tmp, "w");
	if (!out->f)
		return err_set(e, ERR_IO, "%s: cannot create: %s", out->tmp, strerror(errno));
	/* Large buffers: several files are written at once, a row at a time. */
	setvbuf(out->f, NULL, _IOFBF, 1 << 20);
	fputs(feeds[feed].header, out->f);
	fputc('\n', out->f);
	out->line = 1;
	return 0;
}

int gen_out_close(struct gen_out *out, struct err *e)
{
	if (!out->f)
		return 0;
	int bad = ferror(out->f);
	int rc = fclose(out->f);
	out->f = NULL;
	if (bad || rc != 0)
		return err_set(e, ERR_IO, "%s: could not write it all (disk full?)", out->tmp);
	return 0;
}

void gen_out_discard(struct gen_out *out)
{
	if (out->f)
		fclose(out->f);
	out->f = NULL;
	if (out->tmp)
		unlink(out->tmp);
	gen_out_release(out);
}

void gen_out_release(struct gen_out *out)
{
	free(out->path);
	free(out->tmp);
	out->path = out->tmp = NULL;
}

/* ---- rows ---- */

struct row {
	int n;
	char f[MAX_COLS][FIELD_MAX];
};

static void set_text(struct row *r, int i, const char *s)
{
	size_t n = strlen(s);
	if (n >= FIELD_MAX)
		n = FIELD_MAX - 1;
	memcpy(r->f[i], s, n);
	r->f[i][n] = '\0';
}

static void set_empty(struct row *r, int i)
{
	r->f[i][0] = '\0';
}

static char *put_uint(char *p, unsigned long v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
}

static void set_int(struct row *r, int i, long v)
{
	if (v < 0) {
		set_empty(r, i);
		return;
	}
	*put_uint(r->f[i], (unsigned long)v, 1) = '\0';
}

static void set_date(struct row *r, int i, date_t d)
{
	if (d == DATE_NONE) {
		set_empty(r, i);
		return;
	}
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	char *p = put_uint(r->f[i], (unsigned long)y, 4);
	*p++ = '-';
	p = put_uint(p, (unsigned long)m, 2);
	*p++ = '-';
	p = put_uint(p, (unsigned long)dd, 2);
	*p = '\0';
}

static bool needs_quotes(const char *s)
{
	for (; *s; s++)
		if (*s == ';' || *s == '"' || *s == '\n' || *s == '\r')
			return true;
	return false;
}

static void write_line(struct gen_out *out, const struct row *r)
{
	char line[MAX_COLS * (FIELD_MAX * 2 + 3) + 2];
	char *p = line;
	for (int i = 0; i < r->n; i++) {
		const char *s = r->f[i];
		if (i)
			*p++ = ';';
		if (needs_quotes(s)) {
			*p++ = '"';
			for (; *s; s++) {
				if (*s == '"')
					*p++ = '"';
				*p++ = *s;
			}
			*p++ = '"';
		} else {
			size_t n = strlen(s);
			memcpy(p, s, n);
			p += n;
		}
	}
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), out->f);
	out->line++;
	if (out->stats)
		out->stats->rows++;
}

/* ---- defects ---- */

enum defect { DEF_BSN, DEF_DATE, DEF_CODE, DEF_MISSING, DEF_POSTCODE, DEF_COUNT };
static const char *const defect_names[DEF_COUNT] = {
    "bad_bsn_check_digit", "impossible_date", "unknown_code", "missing_field", "bad_postcode"};

static bool defect_applies(enum defect d, const struct column *c, const char *value)
{
	if (!*value)
		return false;
	switch (d) {
	case DEF_BSN:
		return c->type == COL_BSN && strlen(value) == 9;
	case DEF_DATE:
		return c->type == COL_DATE;
	case DEF_CODE:
		return c->type == COL_CODE || c->type == COL_GEMEENTE || c->type == COL_BRIN ||
		       c->type == COL_AGB || c->type == COL_KVK;
	case DEF_MISSING:
		return c->required;
	case DEF_POSTCODE:
		return c->type == COL_POSTCODE;
	default:
		return false;
	}
}

/*
 * Spoil one field of `r` in a way an importer must reject, and log it in malformed.csv:
 * a BSN that fails the elfproef, a date that is not in the calendar, a code nobody uses, an
 * empty required field, or a postcode that breaks its rule.
 */
static void inject_defect(struct gen_writer *wr, struct gen_out *out, struct row *r)
{
	const struct feed_def *def = &feeds[out->feed];
	struct rng *g = &wr->defects;
	int kinds[DEF_COUNT], nkinds = 0;
	for (int d = 0; d < DEF_COUNT; d++)
		for (int i = 0; i < r->n; i++)
			if (defect_applies((enum defect)d, &def->cols[i], r->f[i])) {
				kinds[nkinds++] = d;
				break;
			}
	if (!nkinds)
		return;
	enum defect d = (enum defect)kinds[rng_below(g, (uint32_t)nkinds)];
	int cols[MAX_COLS], ncols = 0;
	for (int i = 0; i < r->n; i++)
		if (defect_applies(d, &def->cols[i], r->f[i]))
			cols[ncols++] = i;
	int i = cols[rng_below(g, (uint32_t)ncols)];
	char *f = r->f[i];
	switch (d) {
	case DEF_BSN:
		f[8] = (char)('0' + (f[8] - '0' + 1 + (int)rng_below(g, 9)) % 10);
		break;
	case DEF_DATE: {
		static const char *const bad[] = {"-02-30", "-13-01", "-04-31", "-00-10"};
		memcpy(f + 4, bad[rng_below(g, 4)], 7);
		break;
	}
	case DEF_CODE:
		switch (def->cols[i].type) {
		case COL_GEMEENTE:
			set_text(r, i, "GM9999");
			break;
		case COL_BRIN:
			set_text(r, i, "99ZZ"); /* never given to a generated school */
			break;
		case COL_AGB:
		case COL_KVK:
			set_text(r, i, "00000000");
			break;
		default:
			set_text(r, i, "zzz");
		}
		break;
	case DEF_MISSING:
		set_empty(r, i);
		break;
	default: {
		char pc[8];
		memcpy(pc, f, 7);
		switch (rng_below(g, 3)) {
		case 0:
			pc[0] = '0'; /* a PC4 does not start with 0 */
			break;
		case 1:
			pc[4] = 'S'; /* SA, SD and SS are not used */
			pc[5] = "ADS"[rng_below(g, 3)];
			break;
		default:
			pc[4] = '\0'; /* the letters are missing */
		}
		set_text(r, i, pc);
	}
	}
	if (out->stats)
		out->stats->malformed++;
	if (wr->malformed) {
		struct row m;
		m.n = 4;
		const char *base = strrchr(out->path, '/');
		set_text(&m, 0, base ? base + 1 : out->path);
		set_int(&m, 1, out->line + 1);
		set_text(&m, 2, def->cols[i].name);
		set_text(&m, 3, defect_names[d]);
		write_line(wr->malformed, &m);
	}
}

/* Write a data row, spoiling it first with probability malformed_ppb / 10^9. */
static void emit(struct gen_writer *wr, struct gen_out *out, struct row *r)
{
	if (wr->malformed_ppb && rng_chance_ppb(&wr->defects, wr->malformed_ppb))
		inject_defect(wr, out, r);
	write_line(out, r);
}

/* ---- the feeds ---- */

static void school_fields(const struct gen_writer *wr, struct row *r, int i, int school)
{
	if (school < 0) {
		set_empty(r, i);
		set_empty(r, i + 1);
		return;
	}
	const struct gen_school *s = &wr->w->orgs->schools[school];
	set_text(r, i, s->brin);
	set_text(r, i + 1, s->vestiging);
}

static void write_residence(struct gen_writer *wr, const struct youth *y)
{
	const struct gen_ref *ref = wr->w->ref;
	const struct gen_surname *sn = &ref->surnames[y->surname];
	for (int i = 0; i < y->naddr; i++) {
		const struct addr *a = &y->addr[i];
		if (a->out != DATE_NONE && a->out <= wr->w->frame.window)
			continue;
		struct row r;
		r.n = 13;
		set_text(&r, 0, y->bsn);
		set_text(&r, 1, y->given_names);
		set_text(&r, 2, sn->prefix);
		set_text(&r, 3, sn->surname);
		set_date(&r, 4, y->birth);
		set_text(&r, 5, gen_streets[a->street]);
		char *p = put_uint(r.f[6], (unsigned long)a->number, 1);
		if (a->suffix)
			*p++ = a->suffix;
		*p = '\0';
		memcpy(r.f[7], ref->pc4[a->pc4], 4);
		memcpy(r.f[7] + 4, a->letters, 3);
		set_text(&r, 8, ref->munis[a->muni].name);
		set_text(&r, 9, ref->munis[a->muni].code);
		set_date(&r, 10, a->in);
		set_date(&r, 11, a->out);
		set_date(&r, 12, y->died);
		emit(wr, wr->residence, &r);
	}
}

static void write_enrolments(struct gen_writer *wr, const struct youth *y)
{
	const struct gen_frame *fr = &wr->w->frame;
	for (int j = 0; j < fr->nsnap; j++) {
		date_t day = fr->snap[j];
		date_t prev = j ? fr->snap[j - 1] : date_add_months(day, -12);
		for (int i = 0; i < y->nspell; i++) {
			const struct spell *s = &y->spell[i];
			if (s->start > day || (s->end != DATE_NONE && s->end <= prev))
				continue;
			bool ended = s->end != DATE_NONE && s->end <= day;
			const struct level_info *lv = &gen_levels[s->level];
			struct row r;
			r.n = 9;
			set_text(&r, 0, y->bsn);
			school_fields(wr, &r, 1, s->school);
			set_text(&r, 3, gen_school_type_names[lv->type]);
			set_text(&r, 4, lv->code);
			set_text(&r, 5, s->crebo >= 0 ? gen_crebo(s->level, s->crebo) : "");
			set_date(&r, 6, s->start);
			set_date(&r, 7, ended ? s->end : DATE_NONE);
			set_text(&r, 8, ended ? gen_end_reasons[s->reason] : "");
			emit(wr, wr->enrolments[j], &r);
		}
	}
}

static void write_diplomas(struct gen_writer *wr, const struct youth *y)
{
	for (int i = 0; i < y->ndiploma; i++) {
		const struct diploma *d = &y->diploma[i];
		struct row r;
		r.n = 6;
		set_text(&r, 0, y->bsn);
		set_text(&r, 1, gen_levels[d->qual].code);
		set_text(&r, 2,
		         d->crebo >= 0 && gen_levels[d->qual].type == ST_MBO
		             ? gen_crebo(d->qual, d->crebo)
		             : "");
		set_date(&r, 3, d->date);
		school_fields(wr, &r, 4, d->school);
		emit(wr, wr->diplomas, &r);
	}
}

static void write_absence(struct gen_writer *wr, const struct youth *y)
{
	for (int i = 0; i < y->nabsence; i++) {
		const struct absence *a = &y->absence[i];
		for (int k = 0; k < a->nstatus; k++) {
			struct row r;
			r.n = 11;
			set_int(&r, 0, 10000000L + (long)(y->index * MAX_ABSENCE) + i);
			set_text(&r, 1, y->bsn);
			school_fields(wr, &r, 2, a->school);
			set_text(&r, 4, gen_absence_kinds[a->kind]);
			set_date(&r, 5, a->from);
			/* The end of absolute absence is known once the pupil is enrolled again. */
			bool known = a->kind != ABS_ABSOLUUT || a->status_date[k] > a->to;
			set_date(&r, 6, known ? a->to : DATE_NONE);
			set_int(&r, 7, a->hours);
			set_date(&r, 8, a->reported);
			set_text(&r, 9, gen_absence_statuses[a->status[k]]);
			set_date(&r, 10, a->status_date[k]);
			emit(wr, wr->absence, &r);
		}
	}
}

static void write_care(struct gen_writer *wr, const struct youth *y)
{
	for (int i = 0; i < y->ncare; i++) {
		const struct care *c = &y->care[i];
		if (c->end != DATE_NONE && c->end < wr->w->frame.window)
			continue;
		struct row r;
		r.n = 9;
		char *p = r.f[0];
		*p++ = 'T';
		*p++ = 'W';
		*put_uint(p, (unsigned long)(y->index * MAX_CARE + (uint64_t)i), 9) = '\0';
		set_text(&r, 1, y->bsn);
		set_text(&r, 2, wr->w->orgs->agb[c->provider]);
		set_text(&r, 3, c->wmo ? "wmo" : "jeugdwet");
		*put_uint(r.f[4], (unsigned long)c->category, 2) = '\0';
		p = put_uint(r.f[5], (unsigned long)c->category, 2);
		*p++ = 'A';
		*put_uint(p, (unsigned long)c->product, 2) = '\0';
		set_date(&r, 6, c->start);
		set_date(&r, 7, c->end);
		set_text(&r, 8, wr->w->ref->munis[c->muni].code);
		emit(wr, wr->care, &r);
	}
}

static void write_work(struct gen_writer *wr, const struct youth *y)
{
	for (int i = 0; i < y->nwork; i++) {
		const struct work *x = &y->work[i];
		if (x->end != DATE_NONE && x->end < wr->w->frame.window)
			continue;
		struct row r;
		r.n = 6;
		set_text(&r, 0, y->bsn);
		set_text(&r, 1, gen_work_kinds[x->kind]);
		set_text(&r, 2, x->employer >= 0 ? wr->w->orgs->kvk[x->employer] : "");
		set_date(&r, 3, x->start);
		set_date(&r, 4, x->end);
		set_int(&r, 5, x->hours);
		emit(wr, wr->work, &r);
	}
}

static void write_vrijstellingen(struct gen_writer *wr, const struct youth *y)
{
	for (int i = 0; i < y->nvrij; i++) {
		const struct vrijstelling *v = &y->vrij[i];
		if (v->to != DATE_NONE && v->to < wr->w->frame.window)
			continue;
		struct row r;
		r.n = 5;
		set_text(&r, 0, y->bsn);
		set_text(&r, 1, gen_vrij_articles[v->article]);
		set_date(&r, 2, v->from);
		set_date(&r, 3, v->to);
		set_text(&r, 4, wr->w->ref->munis[v->muni].code);
		emit(wr, wr->vrijstellingen, &r);
	}
}

void gen_write_youth(struct gen_writer *wr, const struct youth *y)
{
	rng_seed_stream(&wr->defects, wr->w->seed, STREAM_DEFECT, y->index);
	write_residence(wr, y);
	write_enrolments(wr, y);
	write_diplomas(wr, y);
	write_absence(wr, y);
	write_care(wr, y);
	write_work(wr, y);
	write_vrijstellingen(wr, y);
}

/* ---- organisations and the manifest ---- */

/* Whether the comma-separated `list` holds `code` (two PrO kinds share the level "pro"). */
static bool listed(const char *list, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && memcmp(p, code, n) == 0)
			return true;
		if (!comma)
			break;
		p = comma + 1;
	}
	return false;
}

static void levels_text(uint32_t levels, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (int l = 0; l < LV_COUNT; l++)
		if ((levels & (1u << l)) && !listed(out, gen_levels[l].org_code)) {
			int k = snprintf(out + n, size - n, "%s%s", n ? "," : "",
			                 gen_levels[l].org_code);
			if (k < 0 || (size_t)k >= size - n)
				break;
			n += (size_t)k;
		}
}

static void org_row(struct gen_writer *wr, const char *kind, const char *ident, const char *name,
                    const char *school_type, const char *levels, const char *muni)
{
	struct row r;
	r.n = 6;
	set_text(&r, 0, kind);
	set_text(&r, 1, ident);
	set_text(&r, 2, name);
	set_text(&r, 3, school_type);
	set_text(&r, 4, levels);
	set_text(&r, 5, muni);
	write_line(wr->orgs, &r);
}

void gen_write_organisations(struct gen_writer *wr)
{
	const struct gen_ref *ref = wr->w->ref;
	const struct gen_orgs *o = wr->w->orgs;
	for (int i = 0; i < ref->nmunis; i++)
		org_row(wr, "municipality", ref->munis[i].code, ref->munis[i].name, "", "",
		        ref->munis[i].code);
	for (int i = 0; i < o->nschools; i++) {
		const struct gen_school *s = &o->schools[i];
		char ident[BRIN_SIZE], levels[128];
		memcpy(ident, s->brin, 4);
		memcpy(ident + 4, s->vestiging, 3);
		levels_text(s->levels, levels, sizeof(levels));
		org_row(wr, "school", ident, s->name, gen_school_type_names[s->type], levels,
		        ref->munis[s->muni].code);
	}
	for (int i = 0; i < o->ncare; i++)
		org_row(wr, "care", o->agb[i], o->care_names[i], "", "",
		        ref->munis[o->care_muni[i]].code);
	for (int i = 0; i < o->nemployers; i++)
		org_row(wr, "employer", o->kvk[i], o->employer_names[i], "", "",
		        ref->munis[o->employer_muni[i]].code);
	const char *lead = ref->munis[o->lead_muni].name,
	           *lead_code = ref->munis[o->lead_muni].code;
	char name[160];
	snprintf(name, sizeof(name), "UWV WERKbedrijf %s", lead);
	org_row(wr, "uwv", "UWV-ZL", name, "", "", lead_code);
	snprintf(name, sizeof(name), "Werkgeversservicepunt %s", lead);
	org_row(wr, "wsp", "WSP-ZL", name, "", "", lead_code);
	org_row(wr, "duo", "DUO", "Dienst Uitvoering Onderwijs", "", "", "");
}

void gen_write_manifest_row(struct gen_out *out, int order, const struct gen_file_stats *st)
{
	struct row r;
	r.n = 8;
	set_int(&r, 0, order);
	set_text(&r, 1, st->feed);
	set_text(&r, 2, st->file);
	set_text(&r, 3, st->source);
	set_text(&r, 4, st->mode);
	set_text(&r, 5, st->as_of);
	set_int(&r, 6, st->rows);
	set_int(&r, 7, st->malformed);
	write_line(out, &r);
}
