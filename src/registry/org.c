/*
 * Organisations of the region (see org.h): each kind's identifier rule and fields, adding,
 * upserting and loading organisations, and finding them by id or identifier
 * (docs/registry.md, "Organisations").
 */
#include "registry/org.h"
#include "registry/ident.h"
#include "registry/region.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define NAME_MAX_BYTES 200
#define SHORT_CODE_MIN 2
#define SHORT_CODE_MAX 20
#define IDENT_MAX 24 /* the longest normalised identifier (a short code) and its NUL */

static const char *const kind_names[] = {
	[ORG_SCHOOL] = "school", [ORG_MUNICIPALITY] = "municipality",
	[ORG_CARE] = "care",	 [ORG_EMPLOYER] = "employer",
	[ORG_UWV] = "uwv",	 [ORG_WSP] = "wsp",
	[ORG_DUO] = "duo",
};
#define NKINDS ((int)(sizeof(kind_names) / sizeof(kind_names[0])))

/* The school types and, for each, the levels (or VSO uitstroomprofielen) it can offer. */
static const struct school_type {
	const char *name;
	const char *levels[7];
} school_types[] = {
	{"VO", {"vmbo-b", "vmbo-k", "vmbo-gl", "vmbo-t", "havo", "vwo", NULL}},
	{"VSO", {"vervolgonderwijs", "arbeidsmarkt", "dagbesteding", NULL}},
	{"PrO", {"pro", NULL}},
	{"mbo", {"entree", "mbo-2", "mbo-3", "mbo-4", NULL}},
};
#define NTYPES (sizeof(school_types) / sizeof(school_types[0]))

static const char columns_sql[] =
	"SELECT id, kind, ident, name, school_type, levels, municipality_code, created_at"
	" FROM organisations";
static const char find_sql[] =
	"SELECT id, kind, ident, name, school_type, levels, municipality_code, created_at"
	" FROM organisations WHERE kind = ? AND ident = ?";
static const char by_id_sql[] =
	"SELECT id, kind, ident, name, school_type, levels, municipality_code, created_at"
	" FROM organisations WHERE id = ?";
static const char by_kind_sql[] =
	"SELECT id, kind, ident, name, school_type, levels, municipality_code, created_at"
	" FROM organisations WHERE kind = ?";
static const char insert_sql[] =
	"INSERT INTO organisations (kind, ident, name, school_type, levels, municipality_code,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char update_sql[] =
	"UPDATE organisations SET name = ?, school_type = ?, levels = ?, municipality_code = ?"
	" WHERE id = ?";

/* ---- kinds ---- */

const char *org_kind_name(enum org_kind kind)
{
	return (int)kind >= 0 && (int)kind < NKINDS ? kind_names[kind] : "unknown";
}

static void kinds_list(struct buf *b)
{
	for (int i = 0; i < NKINDS; i++)
		buf_addf(b, "%s%s", i ? ", " : "", kind_names[i]);
}

/* A value as it may appear in a message: at most 40 bytes, cut on a character boundary. */
static const char *shown(const char *in, char out[48])
{
	size_t n = 0;
	while (in[n] && n < 40)
		n++;
	while (n && in[n] && ((unsigned char)in[n] & 0xC0) == 0x80)
		n--;
	snprintf(out, 48, "%.*s%s", (int)n, in, in[n] ? "…" : "");
	return out;
}

static char *trim_dup(const char *s)
{
	if (!s)
		return xstrdup("");
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

int org_kind_parse(const char *s, enum org_kind *out, struct err *e)
{
	char *t = trim_dup(s);
	for (int i = 0; i < NKINDS; i++)
		if (strcasecmp(t, kind_names[i]) == 0) {
			*out = (enum org_kind)i;
			free(t);
			return 0;
		}
	struct buf b = BUF_INIT;
	char v[48];
	kinds_list(&b);
	if (*t)
		err_set(e, ERR_INVALID,
			"field kind: '%s' is not a kind of organisation (rule: one of %s)",
			utf8_valid(t, strlen(t), NULL) ? shown(t, v) : "?", b.data);
	else
		err_set(e, ERR_INVALID, "field kind: empty (rule: one of %s)", b.data);
	buf_release(&b);
	free(t);
	return -1;
}

/* ---- validation ---- */

/* An organisation's fields, validated and normalised. */
struct org_fields {
	enum org_kind kind;
	char ident[IDENT_MAX];
	char *name;
	const char *school_type; /* static, or NULL */
	char *levels;            /* NULL when none */
	char municipality[GEMEENTE_SIZE]; /* "" when none */
};

static void fields_release(struct org_fields *f)
{
	free(f->name);
	free(f->levels);
}

/* The code UWV, WSP and DUO go by: chosen by the region, [A-Za-z0-9-]{2,20}, upper-cased. */
static int short_code(const char *in, const char *field, char out[IDENT_MAX], struct err *e)
{
	char *t = trim_dup(in);
	size_t n = strlen(t);
	bool ok = n >= SHORT_CODE_MIN && n <= SHORT_CODE_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)t[i]) || t[i] == '-';
	if (ok) {
		for (size_t i = 0; i <= n; i++)
			out[i] = (char)toupper((unsigned char)t[i]);
	} else {
		char v[48];
		err_set(e, ERR_INVALID,
			"field %s: '%s' is not a short code (rule: %d to %d letters, digits or '-', "
			"chosen by the region, e.g. UWV-ZL)",
			field, shown(t, v), SHORT_CODE_MIN, SHORT_CODE_MAX);
	}
	free(t);
	return ok ? 0 : -1;
}

/* Normalise `in` as the identifier of an organisation of `kind`. */
static int ident_of_kind(enum org_kind kind, const char *in, char out[IDENT_MAX], struct err *e)
{
	const char *field = "ident";
	switch (kind) {
	case ORG_SCHOOL:
		return ident_brin(in, field, out, e);
	case ORG_MUNICIPALITY:
		return ident_gemeente(in, field, out, e);
	case ORG_CARE:
		return ident_agb(in, field, out, e);
	case ORG_EMPLOYER:
		return ident_kvk(in, field, out, e);
	case ORG_UWV:
	case ORG_WSP:
	case ORG_DUO:
		return short_code(in, field, out, e);
	}
	return err_set(e, ERR_INTERNAL, "unknown kind of organisation %d", (int)kind);
}

static int check_name(const char *in, struct org_fields *f, struct err *e)
{
	f->name = trim_dup(in);
	size_t n = strlen(f->name);
	if (!n)
		return err_set(e, ERR_INVALID, "field name: empty (rule: an organisation needs a name)");
	if (n > NAME_MAX_BYTES)
		return err_set(e, ERR_INVALID, "field name: %zu bytes long (rule: at most %d)", n,
			       NAME_MAX_BYTES);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)f->name[i] < 0x20)
			return err_set(e, ERR_INVALID,
				       "field name: a control character at byte %zu (rule: one line "
				       "of text)",
				       i + 1);
	return 0;
}

static const struct school_type *find_type(const char *name)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (strcasecmp(name, school_types[i].name) == 0)
			return &school_types[i];
	return NULL;
}

static void levels_list(const struct school_type *t, struct buf *b)
{
	for (int i = 0; t->levels[i]; i++)
		buf_addf(b, "%s%s", i ? ", " : "", t->levels[i]);
}

static int level_error(const struct school_type *t, const char *level, struct err *e)
{
	struct buf b = BUF_INIT;
	char v[48];
	levels_list(t, &b);
	err_set(e, ERR_INVALID, "field levels: '%s' is not a level of %s (rule: one of %s)",
		shown(level, v), t->name, b.data);
	buf_release(&b);
	return -1;
}

/* "havo, VWO;vwo" → "havo,vwo": known levels of the type, in the type's order, once each. */
static int check_levels(const struct school_type *t, const char *in, struct org_fields *f,
			struct err *e)
{
	bool chosen[7] = {false};
	char *copy = xstrdup(in ? in : "");
	int rc = 0;
	for (char *save = NULL, *tok = strtok_r(copy, ",;| \t", &save); tok && rc == 0;
	     tok = strtok_r(NULL, ",;| \t", &save)) {
		int found = -1;
		for (int i = 0; t->levels[i]; i++)
			if (strcasecmp(tok, t->levels[i]) == 0)
				found = i;
		if (found < 0)
			rc = level_error(t, tok, e);
		else
			chosen[found] = true;
	}
	free(copy);
	if (rc < 0)
		return -1;
	struct buf b = BUF_INIT;
	for (int i = 0; t->levels[i]; i++)
		if (chosen[i])
			buf_addf(&b, "%s%s", b.len ? "," : "", t->levels[i]);
	f->levels = b.len ? buf_detach(&b, NULL) : NULL;
	buf_release(&b);
	return 0;
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

static int check_school(const struct org_input *in, struct org_fields *f, const char **field,
			struct err *e)
{
	char v[48];
	*field = "school_type";
	if (f->kind != ORG_SCHOOL) {
		if (!blank(in->school_type))
			return err_set(e, ERR_INVALID,
				       "field school_type: '%s' given for an organisation of kind %s "
				       "(rule: only schools have a school type)",
				       shown(in->school_type, v), org_kind_name(f->kind));
		*field = "levels";
		if (!blank(in->levels))
			return err_set(e, ERR_INVALID,
				       "field levels: '%s' given for an organisation of kind %s "
				       "(rule: only schools offer levels)",
				       shown(in->levels, v), org_kind_name(f->kind));
		return 0;
	}
	if (blank(in->school_type))
		return err_set(e, ERR_INVALID,
			       "field school_type: empty (rule: a school has a type: VO, VSO, PrO "
			       "or mbo)");
	char *t = trim_dup(in->school_type);
	const struct school_type *type = find_type(t);
	if (!type)
		err_set(e, ERR_INVALID,
			"field school_type: '%s' is not a school type (rule: one of VO, VSO, PrO, "
			"mbo)",
			shown(t, v));
	free(t);
	if (!type)
		return -1;
	f->school_type = type->name;
	*field = "levels";
	return check_levels(type, in->levels, f, e);
}

/*
 * Cached answers about municipality codes during one add or load: whether any are loaded,
 * and for each code 0000–9999 whether it is known (1), unknown (-1) or not yet asked (0).
 */
struct gm_check {
	int any; /* -1 not asked, 0 none loaded, 1 some */
	signed char known[10000];
};

static int check_known(struct store *s, struct gm_check *gm, const char *code, const char *field,
		       struct err *e)
{
	if (gm->any < 0) {
		bool any;
		if (region_any_loaded(s, &any, e) < 0)
			return -1;
		gm->any = any;
	}
	if (!gm->any)
		return 0;
	signed char *k = &gm->known[atoi(code + 2)];
	if (*k == 0) {
		bool exists;
		if (region_municipality_exists(s, code, &exists, e) < 0)
			return -1;
		*k = exists ? 1 : -1;
	}
	if (*k < 0)
		return err_set(e, ERR_INVALID,
			       "field %s: '%s' is not a municipality of the reference data (rule: a "
			       "code loaded with 'inbeeld region load')",
			       field, code);
	return 0;
}

static int check_municipality(struct store *s, struct gm_check *gm, const struct org_input *in,
			      struct org_fields *f, const char **field, struct err *e)
{
	*field = "ident";
	if (f->kind == ORG_MUNICIPALITY && check_known(s, gm, f->ident, "ident", e) < 0)
		return -1;
	*field = "municipality_code";
	if (blank(in->municipality_code)) {
		/* A municipality is located in itself. */
		if (f->kind == ORG_MUNICIPALITY)
			memcpy(f->municipality, f->ident, GEMEENTE_SIZE);
		return 0;
	}
	if (ident_gemeente(in->municipality_code, "municipality_code", f->municipality, e) < 0)
		return -1;
	return check_known(s, gm, f->municipality, "municipality_code", e);
}

static int check_utf8(const char *field, const char *v, struct err *e)
{
	size_t bad;
	if (v && !utf8_valid(v, strlen(v), &bad))
		return err_set(e, ERR_INVALID, "field %s: not valid UTF-8 at byte %zu", field,
			       bad + 1);
	return 0;
}

/*
 * Validate `in` into `f` (released by the caller). *field names the field that failed, so a
 * load can name its column.
 */
static int validate(struct store *s, struct gm_check *gm, const struct org_input *in,
		    struct org_fields *f, const char **field, struct err *e)
{
	memset(f, 0, sizeof(*f));
	const struct {
		const char *name, *value;
	} all[] = {{"kind", in->kind},
		   {"ident", in->ident},
		   {"name", in->name},
		   {"school_type", in->school_type},
		   {"levels", in->levels},
		   {"municipality_code", in->municipality_code}};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (check_utf8(all[i].name, all[i].value, e) < 0) {
			*field = all[i].name;
			return -1;
		}
	*field = "kind";
	if (org_kind_parse(in->kind ? in->kind : "", &f->kind, e) < 0)
		return -1;
	*field = "ident";
	if (ident_of_kind(f->kind, in->ident ? in->ident : "", f->ident, e) < 0)
		return -1;
	*field = "name";
	if (check_name(in->name, f, e) < 0)
		return -1;
	if (check_school(in, f, field, e) < 0 || check_municipality(s, gm, in, f, field, e) < 0)
		return -1;
	*field = NULL;
	return 0;
}

/* ---- reading and writing rows ---- */

static char *text_or_null(struct stmt *st, int col)
{
	const char *t = stmt_text(st, col);
	return t ? xstrdup(t) : NULL;
}

static void read_org(struct stmt *st, struct organisation *o)
{
	memset(o, 0, sizeof(*o));
	o->id = stmt_int64(st, 0);
	const char *kind = stmt_text(st, 1);
	for (int i = 0; kind && i < NKINDS; i++)
		if (strcmp(kind, kind_names[i]) == 0)
			o->kind = (enum org_kind)i;
	o->ident = text_or_null(st, 2);
	o->name = text_or_null(st, 3);
	o->school_type = text_or_null(st, 4);
	o->levels = text_or_null(st, 5);
	o->municipality_code = text_or_null(st, 6);
	o->created_at = text_or_null(st, 7);
}

/* The statements one add or a whole load uses, prepared once. */
struct writer {
	struct store *s;
	struct stmt *find, *by_id, *insert, *update;
	struct gm_check gm;
};

static int writer_init(struct writer *w, struct store *s, struct err *e)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	w->gm.any = -1;
	if (store_prepare(s, find_sql, &w->find, e) < 0 ||
	    store_prepare(s, by_id_sql, &w->by_id, e) < 0 ||
	    store_prepare(s, insert_sql, &w->insert, e) < 0 ||
	    store_prepare(s, update_sql, &w->update, e) < 0)
		return -1;
	return 0;
}

static void writer_release(struct writer *w)
{
	stmt_free(w->find);
	stmt_free(w->by_id);
	stmt_free(w->insert);
	stmt_free(w->update);
}

/* The organisation of `kind` with identifier `ident` into *out; *found says whether. */
static int find(struct stmt *st, enum org_kind kind, const char *ident, struct organisation *out,
		bool *found, struct err *e)
{
	stmt_reset(st);
	stmt_bind_text(st, 1, org_kind_name(kind));
	stmt_bind_text(st, 2, ident);
	int rc = stmt_step(st, e);
	*found = rc == STORE_ROW;
	if (*found)
		read_org(st, out);
	stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static int by_id(struct stmt *st, int64_t id, struct organisation *out, bool *found,
		 struct err *e)
{
	stmt_reset(st);
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	*found = rc == STORE_ROW;
	if (*found)
		read_org(st, out);
	stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

enum write_result { WRITE_UNCHANGED, WRITE_ADDED, WRITE_UPDATED };

static int insert(struct writer *w, const struct org_fields *f, int64_t *id, struct err *e)
{
	char now[32];
	now_iso(now);
	struct stmt *st = w->insert;
	stmt_reset(st);
	stmt_bind_text(st, 1, org_kind_name(f->kind));
	stmt_bind_text(st, 2, f->ident);
	stmt_bind_text(st, 3, f->name);
	stmt_bind_text(st, 4, f->school_type);
	stmt_bind_text(st, 5, f->levels);
	stmt_bind_text(st, 6, or_null(f->municipality));
	stmt_bind_text(st, 7, now);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	else if (rc == STORE_DONE)
		rc = err_set(e, ERR_INTERNAL, "inserting an organisation returned no id");
	stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static int update(struct writer *w, const struct org_fields *f, int64_t id, struct err *e)
{
	struct stmt *st = w->update;
	stmt_reset(st);
	stmt_bind_text(st, 1, f->name);
	stmt_bind_text(st, 2, f->school_type);
	stmt_bind_text(st, 3, f->levels);
	stmt_bind_text(st, 4, or_null(f->municipality));
	stmt_bind_int64(st, 5, id);
	int rc = stmt_step(st, e);
	stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static bool differs(const struct organisation *o, const struct org_fields *f)
{
	return !same_text(o->name, f->name) || !same_text(o->school_type, f->school_type) ||
	       !same_text(o->levels, f->levels) ||
	       !same_text(o->municipality_code, or_null(f->municipality));
}

/*
 * Write validated fields: insert, or (when `may_update`) update an existing one whose fields
 * differ. *out (may be NULL) gets the stored organisation.
 */
static int write_fields(struct writer *w, const struct org_fields *f, bool may_update,
			struct organisation *out, enum write_result *result, struct err *e)
{
	/* *result stays WRITE_UNCHANGED until a row was written. */
	struct organisation old;
	bool found;
	int64_t id = 0;
	*result = WRITE_UNCHANGED;
	if (find(w->find, f->kind, f->ident, &old, &found, e) < 0)
		return -1;
	if (found && !may_update) {
		char v[48];
		err_set(e, ERR_CONFLICT,
			"an organisation %s:%s exists already (id %lld, '%s')", org_kind_name(f->kind),
			f->ident, (long long)old.id, shown(old.name ? old.name : "", v));
		org_release(&old);
		return -1;
	}
	int rc = 0;
	if (!found) {
		rc = insert(w, f, &id, e);
		*result = rc == 0 ? WRITE_ADDED : WRITE_UNCHANGED;
	} else {
		id = old.id;
		if (differs(&old, f)) {
			rc = update(w, f, id, e);
			*result = rc == 0 ? WRITE_UPDATED : WRITE_UNCHANGED;
		}
		org_release(&old);
	}
	if (rc == 0 && out) {
		rc = by_id(w->by_id, id, out, &found, e);
		if (rc == 0 && !found)
			rc = err_set(e, ERR_INTERNAL, "organisation %lld vanished", (long long)id);
	}
	return rc;
}

/*
 * Add or upsert one organisation in a transaction of its own (nested in the caller's). A
 * refusal that wrote nothing (invalid, exists already) ends the transaction without failing
 * a caller's outer one; a failed write rolls back.
 */
static int write_one(struct store *s, const struct org_input *in, bool may_update,
		     struct organisation *out, struct err *e)
{
	struct writer w;
	struct org_fields f;
	enum write_result result = WRITE_UNCHANGED;
	const char *field;
	memset(&f, 0, sizeof(f));
	if (out)
		memset(out, 0, sizeof(*out));
	int rc = writer_init(&w, s, e);
	if (rc == 0)
		rc = validate(s, &w.gm, in, &f, &field, e);
	if (rc == 0 && (rc = store_begin(s, e)) == 0) {
		rc = write_fields(&w, &f, may_update, out, &result, e);
		if (rc == 0) {
			rc = store_commit(s, e);
		} else if (result == WRITE_UNCHANGED && e && e->code == ERR_CONFLICT) {
			struct err ignored = ERR_INIT;
			store_commit(s, &ignored);
		} else {
			store_rollback(s);
		}
	}
	writer_release(&w);
	fields_release(&f);
	if (rc < 0 && out)
		org_release(out);
	return rc;
}

int org_add(struct store *s, const struct org_input *in, struct organisation *out,
	    struct err *e)
{
	return write_one(s, in, false, out, e);
}

int org_upsert(struct store *s, const struct org_input *in, struct organisation *out,
	       struct err *e)
{
	return write_one(s, in, true, out, e);
}

/* ---- loading a file ---- */

/* Which file column holds each field of struct org_input (-1: none). */
enum { COL_KIND, COL_IDENT, COL_NAME, COL_TYPE, COL_LEVELS, COL_MUNICIPALITY, NCOLS };

static const char *const field_names[NCOLS] = {
	"kind", "ident", "name", "school_type", "levels", "municipality_code"};

/* Header names each field answers to, folded ("School type" → "schooltype"). */
static const char *const column_aliases[NCOLS][5] = {
	{"kind", "soort", NULL},
	{"ident", "identifier", "code", NULL},
	{"name", "naam", NULL},
	{"schooltype", "type", "onderwijssoort", NULL},
	{"levels", "niveaus", "level", "niveau", NULL},
	{"municipalitycode", "municipality", "gemeentecode", "gemeente", NULL},
};

static int find_columns(struct csv_reader *r, const char *path, int cols[NCOLS], struct err *e)
{
	for (int k = 0; k < NCOLS; k++) {
		cols[k] = -1;
		for (size_t i = 0; cols[k] < 0 && i < csv_header_count(r); i++) {
			struct buf b = BUF_INIT;
			utf8_fold(&b, csv_header_name(r, i));
			for (int a = 0; column_aliases[k][a]; a++)
				if (strcmp(b.data, column_aliases[k][a]) == 0)
					cols[k] = (int)i;
			buf_release(&b);
		}
	}
	if (cols[COL_KIND] >= 0 && cols[COL_IDENT] >= 0 && cols[COL_NAME] >= 0)
		return 0;
	struct buf found = BUF_INIT;
	for (size_t i = 0; i < csv_header_count(r); i++)
		buf_addf(&found, "%s'%s'", i ? ", " : "", csv_header_name(r, i));
	err_set(e, ERR_INVALID,
		"%s: the header needs the columns kind, ident and name (and may have school_type, "
		"levels, municipality_code); it has: %s",
		path, found.len ? found.data : "(nothing)");
	buf_release(&found);
	return -1;
}

/* Lines on which each kind:ident was met, to refuse a second row for one organisation. */
struct seen_set {
	char **keys;
	long *lines;
	size_t cap, n;
};

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The line `key` was first seen on, or 0 after recording it for `line`. */
static long seen_put(struct seen_set *set, const char *key, long line)
{
	if (2 * (set->n + 1) > set->cap) {
		struct seen_set bigger = {NULL, NULL, set->cap ? 2 * set->cap : 64, 0};
		bigger.keys = xcalloc(bigger.cap, sizeof(char *));
		bigger.lines = xcalloc(bigger.cap, sizeof(long));
		for (size_t i = 0; i < set->cap; i++)
			if (set->keys[i]) {
				size_t j = hash_text(set->keys[i]) & (bigger.cap - 1);
				while (bigger.keys[j])
					j = (j + 1) & (bigger.cap - 1);
				bigger.keys[j] = set->keys[i];
				bigger.lines[j] = set->lines[i];
				bigger.n++;
			}
		free(set->keys);
		free(set->lines);
		*set = bigger;
	}
	size_t j = hash_text(key) & (set->cap - 1);
	for (; set->keys[j]; j = (j + 1) & (set->cap - 1))
		if (strcmp(set->keys[j], key) == 0)
			return set->lines[j];
	set->keys[j] = xstrdup(key);
	set->lines[j] = line;
	set->n++;
	return 0;
}

static void seen_release(struct seen_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->keys[i]);
	free(set->keys);
	free(set->lines);
}

static const char *field_value(struct csv_reader *r, int col)
{
	return col >= 0 ? csv_field(r, (size_t)col) : NULL;
}

static int load_row(struct writer *w, struct csv_reader *r, const int cols[NCOLS],
		    struct seen_set *seen, struct err *e)
{
	struct org_input in = {
		field_value(r, cols[COL_KIND]),	  field_value(r, cols[COL_IDENT]),
		field_value(r, cols[COL_NAME]),	  field_value(r, cols[COL_TYPE]),
		field_value(r, cols[COL_LEVELS]), field_value(r, cols[COL_MUNICIPALITY]),
	};
	struct org_fields f;
	const char *field = NULL;
	enum write_result result;
	long line = csv_line(r);
	int rc = validate(w->s, &w->gm, &in, &f, &field, e);
	if (rc == 0) {
		char key[64];
		snprintf(key, sizeof(key), "%s:%s", org_kind_name(f.kind), f.ident);
		long first = seen_put(seen, key, line);
		field = "ident";
		if (first)
			rc = err_set(e, ERR_INVALID,
				     "field ident: %s is on line %ld already (rule: one row per "
				     "organisation)",
				     key, first);
	}
	if (rc == 0) {
		field = NULL;
		rc = write_fields(w, &f, true, NULL, &result, e);
	}
	fields_release(&f);
	if (rc == 0)
		return 0;
	int col = -1;
	for (int k = 0; field && k < NCOLS; k++)
		if (strcmp(field, field_names[k]) == 0)
			col = cols[k];
	if (col >= 0)
		return err_prefix(e, "%s: line %ld, column %d", csv_name(r), line, col + 1);
	return err_prefix(e, "%s: line %ld", csv_name(r), line);
}

int org_load(struct store *s, const char *path, long *count, struct err *e)
{
	struct csv_reader *r = NULL;
	struct writer w;
	struct seen_set seen = {NULL, NULL, 0, 0};
	int cols[NCOLS];
	long rows = 0;
	*count = 0;
	memset(&w, 0, sizeof(w));
	if (csv_open(&r, path, e) < 0)
		return -1;
	int rc = csv_read_header(r, e);
	if (rc == 0)
		rc = find_columns(r, path, cols, e);
	if (rc == 0)
		rc = store_begin(s, e);
	if (rc < 0)
		goto done;
	rc = writer_init(&w, s, e);
	while (rc == 0 && (rc = csv_read(r, e)) == 1) {
		rc = load_row(&w, r, cols, &seen, e);
		rows++;
	}
	if (rc == 0 && rows == 0)
		rc = err_set(e, ERR_INVALID, "%s: no organisations after the header", path);
	writer_release(&w);
	if (rc == 0)
		rc = store_commit(s, e);
	else
		store_rollback(s);
	if (rc == 0)
		*count = rows;
done:
	seen_release(&seen);
	csv_close(r);
	return rc < 0 ? -1 : 0;
}

/* ---- finding ---- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The organisations a reference can mean, gathered without duplicates. */
struct matches {
	struct organisation o[NKINDS + 1];
	size_t n;
};

static void add_match(struct matches *m, struct organisation *o)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->o[i].id == o->id) {
			org_release(o);
			return;
		}
	m->o[m->n++] = *o;
}

static int match_id(struct writer *w, const char *text, struct matches *m, struct err *e)
{
	if (!all_digits(text) || strlen(text) > 18)
		return 0;
	struct organisation o;
	bool found;
	if (by_id(w->by_id, strtoll(text, NULL, 10), &o, &found, e) < 0)
		return -1;
	if (found)
		add_match(m, &o);
	return 0;
}

static int match_ident(struct writer *w, enum org_kind kind, const char *text, struct matches *m,
		       struct err *e)
{
	char ident[IDENT_MAX];
	struct organisation o;
	bool found;
	if (ident_of_kind(kind, text, ident, NULL) < 0)
		return 0; /* not an identifier of this kind */
	if (find(w->find, kind, ident, &o, &found, e) < 0)
		return -1;
	if (found)
		add_match(m, &o);
	return 0;
}

/* "school:12ab-00": a malformed identifier is an error here, since the kind was named. */
static int match_kind_ident(struct writer *w, enum org_kind kind, const char *text,
			    struct matches *m, struct err *e)
{
	char ident[IDENT_MAX];
	if (ident_of_kind(kind, text, ident, e) < 0)
		return -1;
	return match_ident(w, kind, ident, m, e);
}

/* Gather what `ref` can mean: "id:N", "kind:ident", or a bare id or identifier. */
static int gather(struct writer *w, const char *ref, struct matches *m, struct err *e)
{
	const char *colon = strchr(ref, ':');
	if (colon) {
		char *kind_text = xstrndup(ref, (size_t)(colon - ref));
		int rc;
		enum org_kind kind;
		if (strcasecmp(kind_text, "id") == 0)
			rc = all_digits(colon + 1) ? match_id(w, colon + 1, m, e)
						   : err_set(e, ERR_INVALID,
							     "'%s' is not an organisation id (rule: "
							     "id:N with N a number)",
							     ref);
		else if ((rc = org_kind_parse(kind_text, &kind, e)) == 0)
			rc = match_kind_ident(w, kind, colon + 1, m, e);
		free(kind_text);
		return rc;
	}
	if (match_id(w, ref, m, e) < 0)
		return -1;
	for (int k = 0; k < NKINDS; k++)
		if (match_ident(w, (enum org_kind)k, ref, m, e) < 0)
			return -1;
	return 0;
}

int org_get(struct store *s, const char *ref, struct organisation *out, struct err *e)
{
	struct writer w;
	struct matches m;
	char v[48];
	memset(out, 0, sizeof(*out));
	m.n = 0;
	char *t = trim_dup(ref);
	int rc = 0;
	memset(&w, 0, sizeof(w));
	if (!*t || !utf8_valid(t, strlen(t), NULL))
		rc = err_set(e, ERR_INVALID,
			     "an empty or unreadable reference to an organisation (rule: an id, "
			     "kind:ident such as school:12AB00, or an identifier)");
	if (rc == 0)
		rc = writer_init(&w, s, e);
	if (rc == 0)
		rc = gather(&w, t, &m, e);
	writer_release(&w);
	if (rc == 0 && m.n == 0)
		rc = err_set(e, ERR_NOTFOUND, "no organisation '%s'", shown(t, v));
	if (rc == 0 && m.n > 1) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < m.n; i++)
			buf_addf(&b, "%s%s:%s (id %lld)", i ? ", " : "", org_kind_name(m.o[i].kind),
				 m.o[i].ident, (long long)m.o[i].id);
		rc = err_set(e, ERR_CONFLICT,
			     "'%s' names more than one organisation: %s; say which with kind:ident "
			     "or id:N",
			     shown(t, v), b.data);
		buf_release(&b);
	}
	if (rc == 0) {
		*out = m.o[0];
		m.n = 0;
	}
	for (size_t i = 0; i < m.n; i++)
		org_release(&m.o[i]);
	free(t);
	return rc < 0 ? -1 : 0;
}

/*
 * A name folded word by word for sorting: "Voorbeeld mbo" → "voorbeeld mbo", which sorts
 * before "voorbeeldcollege" as a reader expects.
 */
static char *sort_key(const char *name)
{
	struct buf out = BUF_INIT, word = BUF_INIT;
	for (const char *p = name ? name : "";; p++) {
		unsigned char c = (unsigned char)*p;
		if (c && (c >= 0x80 || isalnum(c))) {
			buf_addch(&word, (char)c);
			continue;
		}
		if (word.len) {
			if (out.len)
				buf_addch(&out, ' ');
			utf8_fold(&out, word.data);
			buf_reset(&word);
		}
		if (!c)
			break;
	}
	buf_release(&word);
	return buf_detach(&out, NULL);
}

/* Order by kind (as the enum lists them), then by name as folded for reading, then id. */
struct sort_item {
	char *key;
	struct organisation o;
};

static int by_kind_and_name(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	if (x->o.kind != y->o.kind)
		return (int)x->o.kind - (int)y->o.kind;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->o.id < y->o.id ? -1 : x->o.id > y->o.id;
}

static void sort_list(struct organisation *list, size_t n)
{
	struct sort_item *items = xcalloc(n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		items[i].key = sort_key(list[i].name);
		items[i].o = list[i];
	}
	qsort(items, n, sizeof(*items), by_kind_and_name);
	for (size_t i = 0; i < n; i++) {
		list[i] = items[i].o;
		free(items[i].key);
	}
	free(items);
}

int org_list(struct store *s, const char *kind, struct organisation **out, size_t *n,
	     struct err *e)
{
	enum org_kind k;
	*out = NULL;
	*n = 0;
	if (kind && org_kind_parse(kind, &k, e) < 0)
		return -1;
	struct stmt *st;
	if (store_prepare(s, kind ? by_kind_sql : columns_sql, &st, e) < 0)
		return -1;
	if (kind)
		stmt_bind_text(st, 1, org_kind_name(k));
	struct organisation *list = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(list, cap, count + 1);
		read_org(st, &list[count++]);
	}
	stmt_free(st);
	if (rc < 0) {
		org_free_array(list, count);
		return -1;
	}
	sort_list(list, count);
	*out = list;
	*n = count;
	return 0;
}

void org_release(struct organisation *o)
{
	if (!o)
		return;
	free(o->ident);
	free(o->name);
	free(o->school_type);
	free(o->levels);
	free(o->municipality_code);
	free(o->created_at);
	memset(o, 0, sizeof(*o));
}

void org_free_array(struct organisation *array, size_t n)
{
	for (size_t i = 0; i < n; i++)
		org_release(&array[i]);
	free(array);
}
