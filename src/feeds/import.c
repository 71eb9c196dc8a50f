/*
 * The import engine (see feeds.h): read rows from a CSV file or a posted JSON array,
 * validate them through the feed's definition, resolve persons, compare with the stored state
 * of the same feed and source, write records and events, and record the import — all in one
 * transaction, under a per-source lock.
 *
 * Speed (docs/feeds.md, "Speed and memory"): rows stream (memory flat in the file's size);
 * statements are prepared once; a large delivery is read and validated by a second thread
 * ("Reading ahead"), its persons resolved through an in-memory map (person-feed.h); on the
 * first delivery of a source there is nothing to compare with, so no row is looked up; a
 * later large delivery compares through an in-memory map of the source's stored records,
 * recognises unchanged rows by their digest, and finds the ended ones in it; new records of
 * a derived feed are written many to a statement (INSERT on SQLite, COPY on PostgreSQL).
 */
#include "feeds/feed-internal.h"

#include "audit/audit.h"
#include "registry/person-feed.h"
#include "util/csv.h"
#include "util/hex.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include <sodium.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *const feed_names[] = {"residence", "enrolments", "diplomas",       "absence",
                                  "care",      "work",       "vrijstellingen", NULL};

static const struct feed_def *const feed_defs[] = {
    &feed_residence, &feed_enrolments, &feed_diplomas,       &feed_absence,
    &feed_care,      &feed_work,       &feed_vrijstellingen,
};
#define NFEEDS (sizeof(feed_defs) / sizeof(feed_defs[0]))

/* Files larger than this resolve persons through the preloaded map. */
#define PRELOAD_BYTES (256 * 1024)
#define PROGRESS_ROWS 8192

static const struct feed_def *feed_def_find(const char *name)
{
	for (size_t i = 0; i < NFEEDS; i++)
		if (strcmp(feed_defs[i]->name, name) == 0)
			return feed_defs[i];
	return NULL;
}

bool feed_known(const char *name, const char **mode)
{
	const struct feed_def *d = name ? feed_def_find(name) : NULL;
	if (d && mode)
		*mode = d->mode == FEED_SNAPSHOT ? "snapshot" : "delta";
	return d != NULL;
}

/* ---- SQL ---------------------------------------------------------------------------------- */

static const char same_content_sql[] =
    "SELECT id FROM imports WHERE feed = ? AND source = ? AND mode = ? AND content_hash = ?"
    " AND status = 'done' ORDER BY id DESC LIMIT 1";

static const char last_snapshot_sql[] =
    "SELECT max(as_of) FROM imports WHERE feed = ? AND source = ? AND mode = 'snapshot'"
    " AND status = 'done'";

static const char insert_import_sql[] =
    "INSERT INTO imports (feed, source, mode, as_of, file_name, content_hash, started_at,"
    " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char finish_import_sql[] =
    "UPDATE imports SET finished_at = ?, duration_ms = ?, rows_read = ?, n_new = ?,"
    " n_changed = ?, n_ended = ?, n_unchanged = ?, n_rejected = ?, status = ? WHERE id = ?";

static const char previous_rows_sql[] = "SELECT rows_read FROM imports WHERE id = ?";

/* The records of one feed and source are those its imports last changed: found through
 * the index on last_import, in the order they were written. */
#define STREAM_IMPORTS                                                                             \
	"last_import IN (SELECT id FROM imports WHERE feed = ? AND source = ? AND status = 'done')"

static const char any_record_sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM feed_records WHERE " STREAM_IMPORTS " LIMIT 1) x";

static const char source_records_sql[] =
    "SELECT id, person_id, record_key, content_hash, ended_import FROM feed_records WHERE "
    STREAM_IMPORTS " AND feed = ? AND source = ?";

/* Running, and not written by this import (a new record may have no id yet in memory). */
static const char active_records_sql[] =
    "SELECT id FROM feed_records WHERE " STREAM_IMPORTS
    " AND feed = ? AND source = ? AND ended_import IS NULL AND last_import <> ?";

static const char max_as_of_sql[] =
    "SELECT max(as_of) FROM imports WHERE feed = ? AND source = ? AND status = 'done'";

static const char orgs_sql[] = "SELECT kind, ident, school_type, levels FROM organisations";

/* A stored record as the comparison reads it; the three finders give the same columns. */
#define RECORD_COLUMNS                                                                             \
	"SELECT id, person_id, content_hash, content, valid_from, valid_to, ended_import,"         \
	" record_key FROM feed_records "
enum { R_ID, R_PERSON, R_HASH, R_CONTENT, R_FROM, R_TO, R_ENDED, R_KEY };

static const char find_person_key_sql[] =
    RECORD_COLUMNS "WHERE person_id = ? AND stream_id = ? AND record_key = ?";

static const char find_source_key_sql[] =
    RECORD_COLUMNS "WHERE stream_id = ? AND record_key = ? AND person_in_key = 0";

static const char stream_find_sql[] = "SELECT id FROM feed_streams WHERE feed = ? AND source = ?";

static const char stream_add_sql[] =
    "INSERT INTO feed_streams (feed, source) VALUES (?, ?) RETURNING id";

static const char record_by_id_sql[] = RECORD_COLUMNS "WHERE id = ?";

/* ON CONFLICT without a target: the key is unique per person, or (absence, care) per source;
 * a row whose record an earlier row of the delivery wrote is then not inserted. */
static const char insert_record_sql[] =
    "INSERT INTO feed_records (feed, source, stream_id, record_key, person_in_key, person_id,"
    " content, content_hash, valid_from, valid_to, first_import, last_import)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id";

/* The same without RETURNING, for a first delivery of a feed whose events are derived: the
 * id is not needed, and SQLite inserts faster without materialising a result. */
static const char insert_plain_sql[] =
    "INSERT INTO feed_records (feed, source, stream_id, record_key, person_in_key, person_id,"
    " content, content_hash, valid_from, valid_to, first_import, last_import)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

static const char update_record_sql[] =
    "UPDATE feed_records SET person_id = ?, content = ?, content_hash = ?, valid_from = ?,"
    " valid_to = ?, last_import = ?, ended_import = NULL WHERE id = ?";

/* The same content delivered in another form (another date notation, say): only the digest. */
static const char rehash_record_sql[] = "UPDATE feed_records SET content_hash = ? WHERE id = ?";

static const char missing_record_sql[] =
    "SELECT person_id, content, valid_to FROM feed_records WHERE id = ?";

static const char end_record_sql[] =
    "UPDATE feed_records SET ended_import = ?, valid_to = COALESCE(valid_to, ?) WHERE id = ?";

static const char insert_event_sql[] =
    "INSERT INTO events (person_id, event_date, day, kind, feed, source, import_id,"
    " record_id, org, code, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char sqlite_file_sql[] = "SELECT file FROM pragma_database_list WHERE name = 'main'";

static const char pg_try_lock_sql[] =
    "SELECT CASE WHEN pg_try_advisory_xact_lock(CAST(? AS BIGINT)) THEN 1 ELSE 0 END";

static const char pg_lock_sql[] =
    "SELECT 1 FROM (SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))) x";

/* ---- the engine's state ------------------------------------------------------------------- */

struct org_entry {
	char *ref; /* "kind:ident" */
	char *school_type, *levels;
};

/*
 * A stored record in the in-memory map of a large delivery: 32 bytes, and two probe tables
 * of 4-byte indexes at most 70 % full, so about 43 bytes a record.
 */
struct rec_slot {
	unsigned char digest[16]; /* its content_hash: the digest of the row that wrote it;
	                           * all zeros when it has none the map can use */
	uint64_t key;             /* SipHash of its person and key under this import's key */
	int64_t id;               /* negative: the record had ended */
};

/*
 * New records of a feed whose events are derived (nothing is done with a record's id when it
 * is written) go many to one INSERT: SQLite keeps its cursors where the last row went, and
 * PostgreSQL is asked once instead of once a row. A record that an earlier row of the
 * delivery wrote already is not inserted (ON CONFLICT DO NOTHING); when a statement inserts
 * fewer rows than it holds, the delivery names a record twice, and the import starts again
 * row by row ("careful"), which says which row it was. On PostgreSQL the rows go by COPY,
 * which has no ON CONFLICT: a row that repeats a record fails the COPY and the attempt, and
 * the careful one follows the same way.
 */
#define BATCH_ROWS_SQLITE 64
#define BATCH_ROWS_PG     5000 /* through COPY (store_copy_begin) */

#define INSERT_COLUMNS                                                                             \
	"feed, source, stream_id, record_key, person_in_key, person_id, content, content_hash,"    \
	" valid_from, valid_to, first_import, last_import"

struct batch_row {
	size_t key, content, hash, from, to; /* offsets into batch.text; SIZE_MAX: NULL */
	size_t key_len, content_len, from_len, to_len;
	int64_t person_id;
};

struct batch {
	int max, n;        /* max 0: rows are inserted one by one */
	struct stmt *full; /* an INSERT of max rows */
	struct batch_row *rows;
	struct buf text;
};

/* Where rows come from: a CSV reader or a JSON array. */
struct input {
	struct csv_reader *csv;
	int csv_col[FEED_MAX_COLS];
	json_t *array;
	size_t index;
	const char *name; /* the file's name or "api" */
	uint64_t total_bytes;
};

struct engine {
	struct feed_ctx c;
	const struct feed_options *o;
	struct feed_result *r;
	const struct access *who;
	const struct keyring *k;
	enum feed_mode mode;
	bool first;   /* nothing stored yet for this feed and source: no lookups */
	bool writing; /* false once a row failed without accept_valid: only validate */
	bool careful; /* row by row, no batches: the second attempt of a delivery */
	bool large;          /* a large delivery: maps, and rows read by a second thread */
	struct ahead *ahead; /* the reading thread of a large delivery, while rows are read */
	uint64_t bytes_read; /* of the input, as the reading thread last said */
	int64_t stream_id; /* feed_streams: this feed and source */
	bool retry;   /* the attempt failed so that a careful one should follow */
	struct batch batch;
	struct input in;
	struct buf row; /* the current row's trimmed values */
	struct org_entry *orgs;
	size_t norgs;
	unsigned char schools_digest[16]; /* what validation reads from the registry */
	struct stmt *find, *insert, *insert_plain, *update, *rehash, *event, *by_id;
	/*
	 * The row digest (docs/feeds.md, "Speed"): a keyed SipHash-128 of the row's values, kept
	 * as the record's content_hash. A row whose digest a running record of the source has
	 * is that record, unchanged: a large delivery recognises it in the map without parsing
	 * it again. `shortcut` says the map may be trusted so: the registry's schools are as
	 * they were and the as-of date is not before an earlier delivery's.
	 */
	unsigned char digest_key[16];
	unsigned char key_key[16]; /* for rec_slot.key: random per import */
	unsigned char digest[16];  /* the current row's */
	bool digest_done;
	bool shortcut;
	struct buf scratch;
	/* The stored records of this feed and source, for a large delivery; the tables hold
	 * index + 1 into recs (0: empty). NULL: each row is looked up by its key. */
	struct rec_slot *recs;
	size_t nrecs;
	uint32_t *by_digest, *by_key;
	size_t tab_cap;
	uint64_t *seen; /* bit per record id: delivered in this import */
	size_t seen_words;
	FILE *rejected;
	char rejected_tmp[4200];
	size_t max_errors;
	double started;
	int lock_fd[2];
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void now_text(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void feed_result_release(struct feed_result *r)
{
	if (!r)
		return;
	free(r->errors);
	r->errors = NULL;
	r->nerrors = 0;
}

/* ---- errors ------------------------------------------------------------------------------- */

static void ahead_error(struct ahead_row *row, long line, int col, const char *value,
                        const char *rule);

/* Keep one error in the result (up to the limit) and write it to the rejected-rows file. */
static void add_error(struct engine *en, long line, int col, const char *value, const char *rule)
{
	struct feed_result *r = en->r;
	const struct feed_def *d = en->c.def;
	r->total_errors++;
	struct feed_error fe;
	memset(&fe, 0, sizeof(fe));
	fe.line = line;
	if (col >= 0 && d) {
		snprintf(fe.field, sizeof(fe.field), "%s", d->columns[col]);
		if (en->in.csv && en->in.csv_col[col] >= 0)
			fe.column = en->in.csv_col[col] + 1;
	}
	if (value) {
		if (d && col == d->bsn_column) {
			char masked[BSN_MASKED_SIZE];
			ident_mask_bsn(value, masked);
			snprintf(fe.value, sizeof(fe.value), "%s", masked);
		} else {
			snprintf(fe.value, sizeof(fe.value), "%.60s", value);
		}
		/* A value cut inside a UTF-8 sequence, or not UTF-8 at all, is shown as '?'. */
		for (size_t i = 0; fe.value[i]; i++)
			if ((unsigned char)fe.value[i] >= 0x80 || (unsigned char)fe.value[i] < 0x20)
				fe.value[i] = '?';
	}
	snprintf(fe.rule, sizeof(fe.rule), "%s", rule);
	if (r->nerrors < en->max_errors) {
		r->errors = xrealloc(r->errors, (r->nerrors + 1) * sizeof(*r->errors));
		r->errors[r->nerrors++] = fe;
	}
	if (en->rejected)
		fprintf(en->rejected, "%ld;%d;%s;\"%s\";\"%s\"\n", line, fe.column, fe.field,
		        fe.value, fe.rule);
}

int feed_reject(struct feed_ctx *c, int col, const char *fmt, ...)
{
	char rule[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rule, sizeof(rule), fmt, ap);
	va_end(ap);
	/* Quotes would break the rejected-rows file; the rule is ours, so say it plainly. */
	for (char *p = rule; *p; p++)
		if (*p == '"')
			*p = '\'';
	if (c->sink)
		ahead_error(c->sink, c->line, col, col >= 0 ? c->v[col] : NULL, rule);
	else
		add_error(c->engine, c->line, col, col >= 0 ? c->v[col] : NULL, rule);
	c->nerrors++;
	return -1;
}

/* ---- validation helpers for the feeds ----------------------------------------------------- */

int feed_required(struct feed_ctx *c, int col)
{
	if (c->v[col])
		return 0;
	return feed_reject(c, col, "empty (rule: %s is required)", c->def->columns[col]);
}

/* Turn an ident.h message "field X: …" into the rule part of ours. */
static const char *rule_text(const struct err *e)
{
	const char *m = e->msg;
	if (strncmp(m, "field ", 6) == 0) {
		const char *colon = strstr(m, ": ");
		if (colon)
			return colon + 2;
	}
	return m;
}

int feed_bsn(struct feed_ctx *c, int col)
{
	struct err e = ERR_INIT;
	c->bsn[0] = '\0';
	if (feed_required(c, col) < 0)
		return -1;
	if (ident_bsn(c->v[col], c->def->columns[col], c->bsn, &e) < 0)
		return feed_reject(c, col, "%s", rule_text(&e));
	return 0;
}

int feed_date(struct feed_ctx *c, int col, bool required, enum feed_date_rule rule, date_t *out)
{
	struct err e = ERR_INIT;
	*out = DATE_NONE;
	if (!c->v[col])
		return required ? feed_required(c, col) : 0;
	if (date_parse(c->v[col], out, &e) < 0) {
		*out = DATE_NONE;
		return feed_reject(c, col, "%s (rule: a date YYYY-MM-DD or DD-MM-YYYY)", e.msg);
	}
	if (rule == DATE_NOT_FUTURE && *out > c->as_of) {
		*out = DATE_NONE;
		return feed_reject(c, col,
		                   "lies after the as-of date %s (rule: %s cannot be in the "
		                   "future of the delivery)",
		                   c->as_of_s, c->def->columns[col]);
	}
	return 0;
}

int feed_date_order(struct feed_ctx *c, int end_col, date_t start, date_t end)
{
	if (start == DATE_NONE || end == DATE_NONE || end >= start)
		return 0;
	return feed_reject(c, end_col,
	                   "lies before the start (rule: a period ends on or after "
	                   "its first day)");
}

int feed_code(struct feed_ctx *c, int col, bool required, const char *const *codes)
{
	const char *v = c->v[col];
	if (!v)
		return required ? feed_required(c, col) : -2;
	for (int i = 0; codes[i]; i++)
		if (strcmp(codes[i], v) == 0)
			return i;
	struct buf list = BUF_INIT;
	for (int i = 0; codes[i]; i++)
		buf_addf(&list, "%s%s", i ? ", " : "", codes[i]);
	feed_reject(c, col, "unknown code (rule: one of %s)", list.data);
	buf_release(&list);
	return -1;
}

int feed_ident(struct feed_ctx *c, int col, bool required,
               int (*rule)(const char *, const char *, char *, struct err *), char *out)
{
	struct err e = ERR_INIT;
	out[0] = '\0';
	if (!c->v[col])
		return required ? feed_required(c, col) : 0;
	if (rule(c->v[col], c->def->columns[col], out, &e) < 0) {
		out[0] = '\0';
		return feed_reject(c, col, "%s", rule_text(&e));
	}
	return 0;
}

int feed_int(struct feed_ctx *c, int col, bool required, long min, long max, long *out)
{
	const char *v = c->v[col];
	*out = 0;
	if (!v)
		return required ? feed_required(c, col) : 0;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || end == v || n < min || n > max)
		return feed_reject(c, col, "not a whole number from %ld to %ld (rule: %s)", min,
		                   max, c->def->columns[col]);
	*out = n;
	return 0;
}

static int org_cmp(const void *a, const void *b)
{
	return strcmp(((const struct org_entry *)a)->ref, ((const struct org_entry *)b)->ref);
}

static const struct org_entry *org_search(const struct engine *en, const char *kind,
                                          const char *ident)
{
	char ref[64];
	size_t k = strlen(kind), i = strlen(ident);
	if (k + i + 2 > sizeof(ref))
		return NULL;
	memcpy(ref, kind, k);
	ref[k] = ':';
	memcpy(ref + k + 1, ident, i + 1);
	struct org_entry key = {.ref = ref};
	return bsearch(&key, en->orgs, en->norgs, sizeof(*en->orgs), org_cmp);
}

/* The last organisation found (per context: the reading thread has its own): a row asks
 * for its school twice (it exists; its levels). */
static const struct org_entry *org_find(const struct engine *en, const struct org_entry **last,
                                        const char *kind, const char *ident)
{
	const struct org_entry *o = *last;
	size_t k = strlen(kind);
	if (o && strncmp(o->ref, kind, k) == 0 && o->ref[k] == ':' &&
	    strcmp(o->ref + k + 1, ident) == 0)
		return o;
	o = org_search(en, kind, ident);
	if (o)
		*last = o;
	return o;
}

int feed_org_exists(struct feed_ctx *c, int col, const char *kind, const char *ident)
{
	if (org_find(c->engine, &c->last_org, kind, ident))
		return 0;
	return feed_reject(c, col,
	                   "no %s %s in the registry (rule: the organisation is imported "
	                   "from organisations.csv first)",
	                   kind, ident);
}

int feed_school(struct feed_ctx *c, int brin_col, int vest_col, bool required, char out[BRIN_SIZE])
{
	struct err e = ERR_INIT;
	char joined[16];
	out[0] = '\0';
	if (!required && !c->v[brin_col] && !c->v[vest_col])
		return 0;
	if (feed_required(c, brin_col) < 0 || feed_required(c, vest_col) < 0)
		return -1;
	const char *vest = c->v[vest_col], *brin = c->v[brin_col];
	if (strlen(vest) != 2 || !isdigit((unsigned char)vest[0]) ||
	    !isdigit((unsigned char)vest[1]))
		return feed_reject(c, vest_col, "not 2 digits (rule: a vestiging is 00 to 99)");
	size_t brin_len = strlen(brin);
	if (brin_len == 4) {
		memcpy(joined, brin, 4);
		memcpy(joined + 4, vest, 3);
	}
	if (brin_len != 4 || ident_brin(joined, c->def->columns[brin_col], out, &e) < 0) {
		out[0] = '\0';
		return feed_reject(c, brin_col, "not a BRIN (rule: 4 characters 0-9 A-Z)");
	}
	if (feed_org_exists(c, brin_col, "school", out) < 0) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

const char *feed_school_type(struct feed_ctx *c, const char *ident, const char **levels)
{
	const struct org_entry *o = org_find(c->engine, &c->last_org, "school", ident);
	*levels = o ? o->levels : NULL;
	return o ? o->school_type : NULL;
}

/* ---- content ------------------------------------------------------------------------------ */

void feed_json_begin(struct buf *b)
{
	buf_reset(b);
	buf_addch(b, '{');
}

/*
 * `"name":` after a comma when the object has members, into space reserved by the caller;
 * returns where the value goes. The helpers below write straight into the buffer: they run
 * several times a row.
 */
static char *json_key(struct buf *b, const char *name, size_t len)
{
	char *p = b->data + b->len;
	if (b->len > 1)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, name, len);
	p += len;
	*p++ = '"';
	*p++ = ':';
	return p;
}

static void json_done(struct buf *b, char *end)
{
	b->len = (size_t)(end - b->data);
	*end = '\0';
}

void feed_json_text(struct buf *b, const char *name, const char *value)
{
	/* An empty value is left out: smaller records, and a reader sees no member as null. */
	if (!value || !*value)
		return;
	static const char hex[] = "0123456789abcdef";
	size_t nlen = strlen(name), vlen = strlen(value);
	buf_grow(b, nlen + 6 * vlen + 8); /* each byte at most \u00XX */
	char *p = json_key(b, name, nlen);
	*p++ = '"';
	for (const unsigned char *v = (const unsigned char *)value; *v; v++) {
		if (*v == '"' || *v == '\\') {
			*p++ = '\\';
			*p++ = (char)*v;
		} else if (*v < 0x20) {
			memcpy(p, "\\u00", 4);
			p[4] = hex[*v >> 4];
			p[5] = hex[*v & 15];
			p += 6;
		} else {
			*p++ = (char)*v;
		}
	}
	*p++ = '"';
	json_done(b, p);
}

char *feed_date_text(date_t day, char out[DATE_STR_SIZE])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		return date_format(day, out);
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return out;
}

void feed_json_date(struct buf *b, const char *name, date_t d)
{
	if (d == DATE_NONE)
		return;
	size_t nlen = strlen(name);
	buf_grow(b, nlen + DATE_STR_SIZE + 8);
	char *p = json_key(b, name, nlen);
	*p++ = '"';
	p += strlen(feed_date_text(d, p));
	*p++ = '"';
	json_done(b, p);
}

void feed_json_int(struct buf *b, const char *name, long v, bool present)
{
	if (!present)
		return;
	size_t nlen = strlen(name);
	buf_grow(b, nlen + 32);
	char *p = json_key(b, name, nlen);
	p += snprintf(p, 24, "%ld", v);
	json_done(b, p);
}

void feed_json_end(struct buf *b)
{
	buf_addch(b, '}');
}

void feed_set_validity(struct feed_ctx *c, date_t from, date_t to)
{
	c->valid_from[0] = c->valid_to[0] = '\0';
	if (from != DATE_NONE)
		feed_date_text(from, c->valid_from);
	if (to != DATE_NONE)
		feed_date_text(to, c->valid_to);
}

void feed_content_get(const char *content, const char *name, char *out, size_t size)
{
	out[0] = '\0';
	json_t *o = content ? json_loads(content, 0, NULL) : NULL;
	json_t *v = json_object_get(o, name);
	if (json_is_string(v))
		snprintf(out, size, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, size, "%lld", (long long)json_integer_value(v));
	json_decref(o);
}

/* ---- events ------------------------------------------------------------------------------- */

int feed_event(struct feed_ctx *c, date_t day, const char *kind, const char *org, const char *code,
               const char *detail, int64_t *id, struct err *e)
{
	struct stmt *st = c->engine->event;
	char date[DATE_STR_SIZE];
	date_format(day, date);
	stmt_bind_int64(st, 1, c->person_id);
	stmt_bind_text(st, 2, date);
	stmt_bind_int64(st, 3, day);
	stmt_bind_text(st, 4, kind);
	stmt_bind_text(st, 5, c->def->name);
	stmt_bind_text(st, 6, c->source);
	stmt_bind_int64(st, 7, c->import_id);
	if (c->record_id)
		stmt_bind_int64(st, 8, c->record_id);
	else
		stmt_bind_null(st, 8);
	stmt_bind_text(st, 9, org && *org ? org : NULL);
	stmt_bind_text(st, 10, code && *code ? code : NULL);
	stmt_bind_text(st, 11, detail);
	int rc = stmt_step(st, e);
	if (id)
		*id = rc == STORE_ROW ? stmt_int64(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return -1;
	c->events++;
	return 0;
}

int feed_period_events(struct feed_ctx *c, enum feed_change what, const char *old_valid_to,
                       const char *started, const char *ended, const char *org, const char *code,
                       const char *detail, struct err *e)
{
	struct err ignored = ERR_INIT;
	char text[256];
	date_t day;
	if (what == FEED_NEW && c->valid_from[0]) {
		snprintf(text, sizeof(text), "{%s}", detail);
		date_parse(c->valid_from, &day, &ignored);
		if (feed_event(c, day, started, org, code, text, NULL, e) < 0)
			return -1;
	}
	if (!c->valid_to[0] || (old_valid_to && strcmp(old_valid_to, c->valid_to) == 0))
		return 0;
	date_parse(c->valid_to, &day, &ignored);
	snprintf(text, sizeof(text), "{%s%s}", detail, day > c->as_of ? ",\"planned\":true" : "");
	return feed_event(c, day, ended, org, code, text, NULL, e);
}

int feed_period_not_delivered(struct feed_ctx *c, const char *ended, const char *org,
                              const char *code, struct err *e)
{
	return feed_event(c, c->as_of, ended, org, code, "{\"reason\":\"not_delivered\"}", NULL, e);
}

/* ---- reading rows ------------------------------------------------------------------------- */

/* Trim blanks (and a CR) around a value into `row`; offset SIZE_MAX for an empty one. */
static void put_value(struct buf *row, size_t *offsets, int col, const char *v, size_t len)
{
	while (len && (*v == ' ' || *v == '\t'))
		v++, len--;
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r'))
		len--;
	if (!len) {
		offsets[col] = SIZE_MAX;
		return;
	}
	offsets[col] = row->len;
	buf_grow(row, len + 1);
	memcpy(row->data + row->len, v, len);
	row->len += len + 1;
	row->data[row->len - 1] = '\0';
	row->data[row->len] = '\0';
}

static void set_values(struct feed_ctx *c, const struct buf *row, const size_t *offsets)
{
	for (int i = 0; i < c->def->ncolumns; i++)
		c->v[i] = offsets[i] == SIZE_MAX ? NULL : row->data + offsets[i];
}

/* The next CSV row into `row` and c->v: 1, 0 at the end, -1 when the file cannot be read
 * on. The row's value offsets in `offsets`. */
static int next_csv_row(struct input *in, struct feed_ctx *c, struct buf *row, size_t *offsets,
                        struct err *e)
{
	int rc = csv_read(in->csv, e);
	if (rc <= 0)
		return rc;
	buf_reset(row);
	for (int i = 0; i < c->def->ncolumns; i++) {
		int ci = in->csv_col[i];
		if (ci < 0)
			offsets[i] = SIZE_MAX;
		else
			put_value(row, offsets, i, csv_field(in->csv, (size_t)ci),
			          csv_field_len(in->csv, (size_t)ci));
	}
	set_values(c, row, offsets);
	c->line = csv_line(in->csv);
	return 1;
}

/* The next JSON record into `row` and c->v; a member of the wrong type rejects it. */
static int next_json_row(struct input *in, struct feed_ctx *c, struct buf *row, size_t *offsets,
                         bool *bad)
{
	if (in->index >= json_array_size(in->array))
		return 0;
	json_t *obj = json_array_get(in->array, in->index);
	const char *wrong = NULL;
	int wrong_col = -1;
	buf_reset(row);
	c->line = (long)in->index++;
	*bad = false;
	if (!json_is_object(obj)) {
		for (int i = 0; i < c->def->ncolumns; i++)
			offsets[i] = SIZE_MAX;
		set_values(c, row, offsets);
		feed_reject(c, -1,
		            "not a JSON object (rule: each record is an object whose "
		            "members are the feed's columns)");
		*bad = true;
		return 1;
	}
	for (int i = 0; i < c->def->ncolumns; i++) {
		json_t *m = json_object_get(obj, c->def->columns[i]);
		char num[32];
		if (json_is_string(m)) {
			put_value(row, offsets, i, json_string_value(m), json_string_length(m));
		} else if (json_is_integer(m)) {
			int n =
			    snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(m));
			put_value(row, offsets, i, num, (size_t)n);
		} else {
			offsets[i] = SIZE_MAX;
			if (m && !json_is_null(m) && wrong_col < 0) {
				wrong_col = i;
				wrong = json_is_boolean(m) ? "a boolean" : "not a string";
			}
		}
	}
	set_values(c, row, offsets);
	if (wrong_col >= 0) {
		feed_reject(c, wrong_col,
		            "%s (rule: a member is a string, a whole number or "
		            "null)",
		            wrong);
		*bad = true;
	}
	return 1;
}

/* ---- digests ------------------------------------------------------------------------------ */

/* A stored digest: 32 lower-case hex digits into 16 bytes; false for anything else. */
static bool unhex16(const char *in, unsigned char out[16])
{
	return in && hex_decode(in, 16, out) && in[32] == '\0';
}

/*
 * The digest of the current row: which of the feed's columns have a value (a bitmap), then
 * the values themselves as the row buffer holds them (trimmed, each ended by a NUL), under
 * the import's digest key (the feed, the registry's schools, a key from the key file: no
 * digest of a BSN can be tried without the key file).
 */
static void digest_of(const struct engine *en, const struct feed_ctx *c, const struct buf *row,
                      struct buf *scratch, unsigned char out[16])
{
	unsigned char present[FEED_MAX_COLS / 8 + 1] = {0};
	for (int i = 0; i < c->def->ncolumns; i++)
		if (c->v[i])
			present[i / 8] |= (unsigned char)(1u << (i % 8));
	buf_reset(scratch);
	buf_add(scratch, present, sizeof(present));
	buf_add(scratch, row->data, row->len);
	crypto_shorthash_siphashx24(out, (const unsigned char *)scratch->data, scratch->len,
	                            en->digest_key);
}

static void row_digest(struct engine *en)
{
	digest_of(en, &en->c, &en->row, &en->scratch, en->digest);
	en->digest_done = true;
}

/* The key of a record in the map: its person (0 for a key unique per source) and key. */
static uint64_t key_digest(struct engine *en, int64_t person_id, const char *key, size_t len)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v = (uint64_t)person_id, out;
	buf_reset(&en->scratch);
	buf_add(&en->scratch, &v, sizeof(v));
	buf_add(&en->scratch, key, len);
	crypto_shorthash(h, (const unsigned char *)en->scratch.data, en->scratch.len, en->key_key);
	memcpy(&out, h, sizeof(out));
	return out;
}

/* ---- records ------------------------------------------------------------------------------ */

static void mark_seen(struct engine *en, int64_t id)
{
	size_t w = (size_t)id / 64;
	if (w >= en->seen_words) {
		size_t cap = en->seen_words;
		XGROW(en->seen, cap, w + 1);
		memset(en->seen + en->seen_words, 0, (cap - en->seen_words) * sizeof(*en->seen));
		en->seen_words = cap;
	}
	en->seen[w] |= (uint64_t)1 << (id % 64);
}

static bool was_seen(const struct engine *en, int64_t id)
{
	size_t w = (size_t)id / 64;
	return w < en->seen_words && (en->seen[w] >> (id % 64)) & 1;
}

/* Where a 64-bit hash starts probing a table (its capacity need not be a power of two). */
static size_t tab_index(const struct engine *en, uint64_t h)
{
	return (size_t)(((h >> 32) * (uint64_t)en->tab_cap) >> 32);
}

static size_t tab_next(const struct engine *en, size_t i)
{
	return i + 1 == en->tab_cap ? 0 : i + 1;
}

static void tab_put(struct engine *en, uint32_t *tab, uint64_t h, uint32_t slot)
{
	size_t i = tab_index(en, h);
	while (tab[i])
		i = tab_next(en, i);
	tab[i] = slot;
}

static uint64_t digest_hash(const unsigned char d[16])
{
	uint64_t h;
	memcpy(&h, d, sizeof(h));
	return h;
}

/* The running record whose digest is `d`, or NULL (the map is read only while rows are
 * read: the reading thread asks it too). */
static struct rec_slot *find_digest(const struct engine *en, const unsigned char d[16])
{
	for (size_t i = tab_index(en, digest_hash(d)); en->by_digest[i]; i = tab_next(en, i)) {
		struct rec_slot *r = &en->recs[en->by_digest[i] - 1];
		if (memcmp(r->digest, d, 16) == 0)
			return r;
	}
	return NULL;
}

/* The digest of a record that has none the map can use (ended, or written before row
 * digests): a real one is all zeros once in 2^128 rows, and is then found by its key. */
static bool no_digest(const struct rec_slot *r)
{
	static const unsigned char zero[16];
	return memcmp(r->digest, zero, sizeof(zero)) == 0;
}

/*
 * Index the records read into both tables. The tables are larger than the CPU's cache and
 * each entry lands in a random place: a group's slots are fetched together, instead of one
 * miss after the other (a third of reading a million records, one at a time).
 */
static void index_records(struct engine *en)
{
	enum { GROUP = 16 };
	en->tab_cap = en->nrecs * 10 / 7 + 64;
	en->by_digest = xcalloc(en->tab_cap, sizeof(*en->by_digest));
	en->by_key = xcalloc(en->tab_cap, sizeof(*en->by_key));
	for (size_t first = 0; first < en->nrecs; first += GROUP) {
		size_t end = first + GROUP < en->nrecs ? first + GROUP : en->nrecs;
		for (size_t i = first; i < end; i++) {
			__builtin_prefetch(&en->by_key[tab_index(en, en->recs[i].key)], 1);
			__builtin_prefetch(&en->by_digest[tab_index(en, digest_hash(en->recs[i].digest))],
			                   1);
		}
		for (size_t i = first; i < end; i++) {
			const struct rec_slot *r = &en->recs[i];
			tab_put(en, en->by_key, r->key, (uint32_t)(i + 1));
			if (!no_digest(r))
				tab_put(en, en->by_digest, digest_hash(r->digest), (uint32_t)(i + 1));
		}
	}
}

/*
 * Read the stored records of this feed and source into the map, once: a large delivery then
 * recognises its unchanged rows in memory and touches the store only for what changed.
 * Memory is proportional to the source's records (about 43 bytes each), not to the file.
 */
static int load_records(struct engine *en, struct err *e)
{
	struct feed_ctx *c = &en->c;
	struct stmt *st;
	size_t cap = 0;
	int rc;
	if (store_prepare(c->s, source_records_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, c->def->name);
	stmt_bind_text(st, 2, c->source);
	stmt_bind_text(st, 3, c->def->name);
	stmt_bind_text(st, 4, c->source);
	XGROW(en->recs, cap, 1); /* a map, if an empty one: the source's records are all in it */
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		if (en->nrecs == UINT32_MAX / 2) { /* beyond the map: each row looked up by key */
			free(en->recs);
			en->recs = NULL;
			en->nrecs = 0;
			stmt_free(st);
			return 0;
		}
		XGROW(en->recs, cap, en->nrecs + 1);
		struct rec_slot *r = &en->recs[en->nrecs++];
		const char *key = stmt_text(st, 2);
		int64_t id = stmt_int64(st, 0);
		bool running = stmt_is_null(st, 4);
		if (!running || !unhex16(stmt_text(st, 3), r->digest))
			memset(r->digest, 0, sizeof(r->digest));
		r->id = running ? id : -id;
		r->key = key_digest(en, c->def->key_has_person ? stmt_int64(st, 1) : 0, key,
		                    strlen(key));
	}
	stmt_free(st);
	if (rc < 0)
		return -1;
	en->recs = xrealloc(en->recs, (en->nrecs ? en->nrecs : 1) * sizeof(*en->recs));
	index_records(en);
	return 0;
}

static void reject_duplicate(struct engine *en)
{
	feed_reject(&en->c, -1,
	            "the same record as an earlier row (rule: a record's key — "
	            "the feed's key columns — appears once in a delivery)");
}

static void bind_record(struct engine *en, struct stmt *st, int first, const char *hash)
{
	struct feed_ctx *c = &en->c;
	stmt_bind_int64(st, first, c->person_id);
	stmt_bind_text(st, first + 1, c->content.data);
	stmt_bind_text(st, first + 2, hash);
	stmt_bind_text(st, first + 3, c->valid_from[0] ? c->valid_from : NULL);
	stmt_bind_text(st, first + 4, c->valid_to[0] ? c->valid_to : NULL);
}

static int insert_record(struct engine *en, const char *hash, bool *duplicate, struct err *e)
{
	struct feed_ctx *c = &en->c;
	struct stmt *st = en->first && c->def->derived ? en->insert_plain : en->insert;
	stmt_bind_text(st, 1, c->def->name);
	stmt_bind_text(st, 2, c->source);
	stmt_bind_int64(st, 3, en->stream_id);
	stmt_bind_text(st, 4, c->key.data);
	stmt_bind_int64(st, 5, c->def->key_has_person ? 1 : 0);
	bind_record(en, st, 6, hash);
	stmt_bind_int64(st, 11, c->import_id);
	stmt_bind_int64(st, 12, c->import_id);
	int rc = stmt_step(st, e);
	if (st == en->insert_plain) {
		c->record_id = 0;
		*duplicate = rc == STORE_DONE && stmt_changes(st) == 0;
	} else {
		c->record_id = rc == STORE_ROW ? stmt_int64(st, 0) : 0;
		*duplicate = rc == STORE_DONE;
	}
	stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static int update_record(struct engine *en, const char *hash, struct err *e)
{
	struct stmt *st = en->update;
	bind_record(en, st, 1, hash);
	stmt_bind_int64(st, 6, en->c.import_id);
	stmt_bind_int64(st, 7, en->c.record_id);
	int rc = stmt_step(st, e);
	stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

/* The INSERT of `n` rows. */
static char *batch_sql(int n)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "INSERT INTO feed_records (" INSERT_COLUMNS ") VALUES ");
	for (int i = 0; i < n; i++)
		buf_adds(&b, i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		               : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	buf_adds(&b, " ON CONFLICT DO NOTHING");
	return buf_detach(&b, NULL);
}

static int batch_open(struct engine *en, struct err *e)
{
	struct batch *b = &en->batch;
	if (en->careful || en->c.def->record)
		return 0;
	bool copy = store_can_copy(en->c.s);
	b->max = copy ? BATCH_ROWS_PG : BATCH_ROWS_SQLITE;
	b->rows = xcalloc((size_t)b->max, sizeof(*b->rows));
	if (copy)
		return 0;
	char *sql = batch_sql(b->max);
	int rc = store_prepare(en->c.s, sql, &b->full, e);
	free(sql);
	if (rc < 0) {
		b->max = 0;
		return -1;
	}
	return 0;
}

static void batch_close(struct engine *en)
{
	struct batch *b = &en->batch;
	stmt_free(b->full);
	free(b->rows);
	buf_release(&b->text);
	memset(b, 0, sizeof(*b));
}

static size_t batch_text(struct batch *b, const char *v, size_t len)
{
	size_t at = b->text.len;
	buf_grow(&b->text, len + 1);
	memcpy(b->text.data + at, v, len);
	b->text.data[at + len] = '\0';
	b->text.len += len + 1;
	b->text.data[b->text.len] = '\0';
	return at;
}

static void batch_bind(struct engine *en, struct stmt *st, int first, const struct batch_row *r)
{
	const struct batch *b = &en->batch;
	const char *t = b->text.data;
	stmt_bind_text_ref(st, first, en->c.def->name, strlen(en->c.def->name));
	stmt_bind_text_ref(st, first + 1, en->c.source, strlen(en->c.source));
	stmt_bind_int64(st, first + 2, en->stream_id);
	stmt_bind_text_ref(st, first + 3, t + r->key, r->key_len);
	stmt_bind_int64(st, first + 4, en->c.def->key_has_person ? 1 : 0);
	stmt_bind_int64(st, first + 5, r->person_id);
	stmt_bind_text_ref(st, first + 6, t + r->content, r->content_len);
	stmt_bind_text_ref(st, first + 7, t + r->hash, 32);
	stmt_bind_text_ref(st, first + 8, r->from == SIZE_MAX ? NULL : t + r->from, r->from_len);
	stmt_bind_text_ref(st, first + 9, r->to == SIZE_MAX ? NULL : t + r->to, r->to_len);
	stmt_bind_int64(st, first + 10, en->c.import_id);
	stmt_bind_int64(st, first + 11, en->c.import_id);
}

/* The rows waiting by COPY; returns the rows written, -1 on an error. */
static int64_t batch_copy(struct engine *en, struct err *e)
{
	struct batch *b = &en->batch;
	struct feed_ctx *c = &en->c;
	char stream[24], person[24], import[24];
	const char *v[12];
	size_t len[12];
	int64_t rows = 0;
	snprintf(stream, sizeof(stream), "%lld", (long long)en->stream_id);
	snprintf(import, sizeof(import), "%lld", (long long)c->import_id);
	v[0] = c->def->name, len[0] = strlen(c->def->name);
	v[1] = c->source, len[1] = strlen(c->source);
	v[2] = stream, len[2] = strlen(stream);
	v[4] = c->def->key_has_person ? "1" : "0", len[4] = 1;
	v[10] = v[11] = import, len[10] = len[11] = strlen(import);
	if (store_copy_begin(c->s, "feed_records", INSERT_COLUMNS, e) < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < b->n && rc == 0; i++) {
		const struct batch_row *r = &b->rows[i];
		const char *t = b->text.data;
		snprintf(person, sizeof(person), "%lld", (long long)r->person_id);
		v[3] = t + r->key, len[3] = r->key_len;
		v[5] = person, len[5] = strlen(person);
		v[6] = t + r->content, len[6] = r->content_len;
		v[7] = t + r->hash, len[7] = 32;
		v[8] = r->from == SIZE_MAX ? NULL : t + r->from, len[8] = r->from_len;
		v[9] = r->to == SIZE_MAX ? NULL : t + r->to, len[9] = r->to_len;
		rc = store_copy_row(c->s, 12, v, len, e);
	}
	struct err end = ERR_INIT;
	if (store_copy_end(c->s, &rows, rc < 0 ? &end : e) < 0 && rc == 0)
		rc = -1;
	return rc < 0 ? -1 : rows;
}

/* Insert the rows waiting; fewer inserted than waiting asks for a careful attempt. */
static int batch_flush(struct engine *en, struct err *e)
{
	struct batch *b = &en->batch;
	if (!b->n)
		return 0;
	if (store_can_copy(en->c.s)) {
		int n = b->n;
		int64_t rows = batch_copy(en, e);
		b->n = 0;
		buf_reset(&b->text);
		if (rows < 0 && e->code != ERR_CONFLICT)
			return -1;
		if (rows != n) { /* a record twice: the careful attempt says where */
			en->retry = true;
			if (rows >= 0)
				err_set(e, ERR_CONFLICT, "a record twice in the delivery");
			return -1;
		}
		return 0;
	}
	struct stmt *st = b->full, *tail = NULL;
	if (b->n < b->max) {
		char *sql = batch_sql(b->n);
		int rc = store_prepare(en->c.s, sql, &tail, e);
		free(sql);
		if (rc < 0)
			return -1;
		st = tail;
	}
	for (int i = 0; i < b->n; i++)
		batch_bind(en, st, 1 + i * 12, &b->rows[i]);
	int rc = stmt_step(st, e);
	int64_t inserted = rc < 0 ? 0 : stmt_changes(st);
	stmt_reset(st);
	stmt_free(tail);
	int n = b->n;
	b->n = 0;
	buf_reset(&b->text);
	if (rc < 0)
		return -1;
	if (inserted != n) {
		en->retry = true;
		return err_set(e, ERR_CONFLICT, "a record twice in the delivery");
	}
	return 0;
}

static int batch_add(struct engine *en, const char *hash, struct err *e)
{
	struct batch *b = &en->batch;
	struct feed_ctx *c = &en->c;
	struct batch_row *r = &b->rows[b->n++];
	r->person_id = c->person_id;
	r->key_len = c->key.len;
	r->key = batch_text(b, c->key.data, c->key.len);
	r->content_len = c->content.len;
	r->content = batch_text(b, c->content.data, c->content.len);
	r->hash = batch_text(b, hash, 32);
	r->from_len = strlen(c->valid_from);
	r->from = r->from_len ? batch_text(b, c->valid_from, r->from_len) : SIZE_MAX;
	r->to_len = strlen(c->valid_to);
	r->to = r->to_len ? batch_text(b, c->valid_to, r->to_len) : SIZE_MAX;
	en->r->n_new++;
	return b->n == b->max ? batch_flush(en, e) : 0;
}

static int store_new(struct engine *en, const char *hash, struct err *e)
{
	if (en->batch.max)
		return batch_add(en, hash, e);
	struct feed_ctx *c = &en->c;
	bool duplicate = false;
	if (insert_record(en, hash, &duplicate, e) < 0)
		return -1;
	if (duplicate) { /* inserted by an earlier row of this delivery */
		reject_duplicate(en);
		return 0;
	}
	if (c->record_id)
		mark_seen(en, c->record_id);
	en->r->n_new++;
	return c->def->record ? c->def->record(c, FEED_NEW, NULL, NULL, e) : 0;
}

/* A stored text column against a value of the row ("" for none). */
static bool same_text(const char *stored, const char *value)
{
	return stored ? strcmp(stored, value) == 0 : !*value;
}

/*
 * The row names a stored record (`st` is on it, with the RECORD_COLUMNS; reset here):
 * unchanged when its digest is the row's, or when the row says the same in another form
 * (then only the digest is replaced); otherwise changed, or ended and delivered again.
 */
static int compare_stored(struct engine *en, struct stmt *st, const char *hash, struct err *e)
{
	struct feed_ctx *c = &en->c;
	c->record_id = stmt_int64(st, R_ID);
	if (was_seen(en, c->record_id)) {
		stmt_reset(st);
		reject_duplicate(en);
		return 0;
	}
	mark_seen(en, c->record_id);
	bool running = stmt_is_null(st, R_ENDED);
	if (running && same_text(stmt_text(st, R_HASH), hash)) {
		stmt_reset(st);
		en->r->n_unchanged++;
		return 0;
	}
	if (running && stmt_int64(st, R_PERSON) == c->person_id &&
	    same_text(stmt_text(st, R_CONTENT), c->content.data) &&
	    same_text(stmt_text(st, R_FROM), c->valid_from) &&
	    same_text(stmt_text(st, R_TO), c->valid_to)) {
		stmt_reset(st);
		en->r->n_unchanged++;
		stmt_bind_text(en->rehash, 1, hash);
		stmt_bind_int64(en->rehash, 2, c->record_id);
		int rc = stmt_step(en->rehash, e);
		stmt_reset(en->rehash);
		return rc < 0 ? -1 : 0;
	}
	char *old_content = xstrdup(stmt_text(st, R_CONTENT));
	char *old_valid_to = stmt_text(st, R_TO) ? xstrdup(stmt_text(st, R_TO)) : NULL;
	stmt_reset(st);
	int rc = update_record(en, hash, e);
	if (rc == 0) {
		en->r->n_changed++;
		rc = c->def->record ? c->def->record(c, FEED_CHANGED, old_content, old_valid_to, e)
		                    : 0;
	}
	free(old_content);
	free(old_valid_to);
	return rc;
}

/* Whether the record `st` is on has the current row's key (a map's key can collide). */
static bool same_key(const struct engine *en, struct stmt *st)
{
	const struct feed_ctx *c = &en->c;
	return (!c->def->key_has_person || stmt_int64(st, R_PERSON) == c->person_id) &&
	       same_text(stmt_text(st, R_KEY), c->key.data);
}

/* Compare a row with the stored records through the map. */
static int store_row_mapped(struct engine *en, const char *hash, struct err *e)
{
	struct feed_ctx *c = &en->c;
	int64_t person = c->def->key_has_person ? c->person_id : 0;
	uint64_t k = key_digest(en, person, c->key.data, c->key.len);
	for (size_t i = tab_index(en, k); en->by_key[i]; i = tab_next(en, i)) {
		struct rec_slot *r = &en->recs[en->by_key[i] - 1];
		if (r->key != k)
			continue;
		int64_t id = r->id < 0 ? -r->id : r->id;
		if (r->id > 0 && memcmp(r->digest, en->digest, 16) == 0) {
			/* The row that wrote it (the shortcut was not taken): unchanged. */
			c->record_id = id;
			if (was_seen(en, id)) {
				reject_duplicate(en);
			} else {
				mark_seen(en, id);
				en->r->n_unchanged++;
			}
			return 0;
		}
		stmt_bind_int64(en->by_id, 1, id);
		int rc = stmt_step(en->by_id, e);
		if (rc < 0) {
			stmt_reset(en->by_id);
			return -1;
		}
		if (rc == STORE_ROW && same_key(en, en->by_id))
			return compare_stored(en, en->by_id, hash, e);
		stmt_reset(en->by_id);
	}
	return store_new(en, hash, e);
}

/* Store a valid row: new, changed or unchanged, and its events. */
static int store_row(struct engine *en, struct err *e)
{
	struct feed_ctx *c = &en->c;
	char hash[33];
	if (!en->digest_done)
		row_digest(en);
	hex_encode(en->digest, 16, hash);
	c->record_id = 0;
	if (en->first)
		return store_new(en, hash, e);
	if (en->recs)
		return store_row_mapped(en, hash, e);
	struct stmt *st = en->find;
	int p = 1;
	if (c->def->key_has_person)
		stmt_bind_int64(st, p++, c->person_id);
	stmt_bind_int64(st, p++, en->stream_id);
	stmt_bind_text(st, p, c->key.data);
	int rc = stmt_step(st, e);
	if (rc < 0) {
		stmt_reset(st);
		return -1;
	}
	if (rc == STORE_DONE) {
		stmt_reset(st);
		return store_new(en, hash, e);
	}
	return compare_stored(en, st, hash, e);
}

/*
 * The shortcut of a large delivery: a row whose digest a running record of the source has
 * is that record, as it was delivered and validated before — unchanged, or (seen already)
 * a second row of it. True when the row was dealt with so.
 */
static bool known_row(struct engine *en)
{
	row_digest(en);
	struct rec_slot *r = find_digest(en, en->digest);
	if (!r)
		return false;
	if (was_seen(en, r->id)) {
		reject_duplicate(en);
	} else {
		mark_seen(en, r->id);
		en->r->n_unchanged++;
	}
	return true;
}

/* A snapshot: the records of this source that it no longer holds have ended. */
static int end_missing(struct engine *en, struct err *e)
{
	struct feed_ctx *c = &en->c;
	struct stmt *st = NULL, *end = NULL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;
	/* The records not delivered this time: from the map when there is one (no scan at
	 * all), else from the ids of the source's running records. */
	if (en->recs) {
		for (size_t i = 0; i < en->nrecs; i++)
			if (en->recs[i].id > 0 && !was_seen(en, en->recs[i].id)) {
				XGROW(ids, cap, n + 1);
				ids[n++] = en->recs[i].id;
			}
	} else {
		if (store_prepare(c->s, active_records_sql, &st, e) < 0)
			goto done;
		stmt_bind_text(st, 1, c->def->name);
		stmt_bind_text(st, 2, c->source);
		stmt_bind_text(st, 3, c->def->name);
		stmt_bind_text(st, 4, c->source);
		stmt_bind_int64(st, 5, c->import_id);
		int step;
		while ((step = stmt_step(st, e)) == STORE_ROW) {
			int64_t id = stmt_int64(st, 0);
			if (was_seen(en, id))
				continue;
			XGROW(ids, cap, n + 1);
			ids[n++] = id;
		}
		stmt_free(st);
		st = NULL;
		if (step < 0)
			goto done;
	}
	if (store_prepare(c->s, missing_record_sql, &st, e) < 0 ||
	    store_prepare(c->s, end_record_sql, &end, e) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		stmt_bind_int64(st, 1, ids[i]);
		int got = stmt_step(st, e);
		if (got != STORE_ROW) {
			stmt_reset(st);
			if (got < 0)
				goto done;
			continue;
		}
		c->person_id = stmt_int64(st, 0);
		c->record_id = ids[i];
		/* A record that ran past the as-of date (or had no end) ends now, with an event;
		 * one that had ended already has only gone from the source's list. */
		const char *valid_to = stmt_text(st, 2);
		bool running = !valid_to || strcmp(valid_to, c->as_of_s) > 0;
		char *content = running && c->def->ended ? xstrdup(stmt_text(st, 1)) : NULL;
		stmt_reset(st);
		stmt_bind_int64(end, 1, c->import_id);
		stmt_bind_text(end, 2, c->as_of_s);
		stmt_bind_int64(end, 3, ids[i]);
		int step = stmt_step(end, e);
		stmt_reset(end);
		if (step >= 0) {
			en->r->n_ended++;
			if (content)
				step = c->def->ended(c, content, e);
		}
		free(content);
		if (step < 0)
			goto done;
	}
	rc = 0;
done:
	free(ids);
	stmt_free(st);
	stmt_free(end);
	return rc;
}

/* The end of a row: counted as rejected when it had a fault; its BSN forgotten. */
static void row_done(struct engine *en)
{
	struct feed_ctx *c = &en->c;
	if (c->nerrors) {
		en->r->n_rejected++;
		if (!en->o->accept_valid)
			en->writing = false;
	}
	sodium_memzero(c->bsn, sizeof(c->bsn));
}

static void row_reset(struct engine *en)
{
	struct feed_ctx *c = &en->c;
	en->r->rows++;
	c->nerrors = 0;
	buf_reset(&c->key);
	buf_reset(&c->content);
	c->valid_from[0] = c->valid_to[0] = '\0';
	c->bsn[0] = '\0';
	en->digest_done = false;
}

/* Store a valid row whose person is the BSN in c->bsn. */
static int resolve_and_store(struct engine *en, struct err *e)
{
	struct feed_ctx *c = &en->c;
	int rc;
	if (c->def->person_data) {
		struct person_input in;
		c->def->person_data(c, &in);
		rc = person_feed_resolve_with(c->persons, &in, &c->person_id, &c->person_created, e);
	} else {
		rc = person_feed_resolve(c->persons, c->bsn, &c->person_id, &c->person_created, e);
	}
	if (rc < 0 || store_row(en, e) < 0)
		return err_prefix(e, "%s, line %ld", en->in.name, c->line);
	return 0;
}

/* Validate and store one row that was read. */
static int handle_row(struct engine *en, bool already_bad, struct err *e)
{
	struct feed_ctx *c = &en->c;
	row_reset(en);
	c->nerrors = already_bad ? 1 : 0;
	if (!already_bad && en->shortcut && known_row(en))
		goto counted;
	if (!already_bad && en->writing)
		person_feed_prefetch(c->persons, c->v[c->def->bsn_column]);
	if (!already_bad)
		c->def->parse(c);
	if (c->nerrors == 0 && en->writing && resolve_and_store(en, e) < 0)
		return -1;
counted:
	row_done(en);
	return 0;
}

/* ---- reading ahead ------------------------------------------------------------------------ */

/*
 * A large delivery is read by two threads: a second one reads the rows, takes their digests
 * and parses and validates them (and computes the pseudonym), while the engine's thread
 * resolves persons and writes; on two cores a row then costs about the larger of the two
 * halves instead of their sum. The reading thread works on its own context and buffers:
 * it touches nothing of the engine but what stays the same while rows are read (the feed,
 * the organisations, the map of stored records, the keys), and its rejections go to the
 * row, to be reported by the engine's thread in the order of the rows. Rows pass through
 * a ring of AHEAD_ROWS; memory stays flat.
 */
#define AHEAD_ROWS 512
/* A thread that waits is woken when this many rows (or slots) are ready for it, not at each
 * one: a wake-up costs more than a row. */
#define AHEAD_WAKE 64

struct ahead_error {
	long line;
	int col;
	char *value, *rule; /* owned */
};

struct ahead_row {
	struct buf row; /* the values, as en->row holds them */
	size_t offsets[FEED_MAX_COLS];
	long line;
	uint64_t bytes; /* of the input read up to this row */
	bool known;     /* its digest is a running record's: not parsed */
	int nerrors;
	struct ahead_error *errors;
	size_t nerr, errcap;
	struct buf key, content;
	char valid_from[DATE_STR_SIZE], valid_to[DATE_STR_SIZE], bsn[BSN_SIZE];
	unsigned char digest[16];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
};

struct ahead {
	struct engine *en;
	struct feed_ctx c;    /* the reading thread's */
	struct buf scratch;   /* for its digests */
	struct ahead_row *rows;
	size_t head, tail;    /* rows taken by the engine, rows read; tail - head <= AHEAD_ROWS */
	bool done, stop;      /* the input ended (or failed); the engine wants no more */
	bool reader_waits, engine_waits;
	int rc;               /* of the input at the end: 0, or -1 (err, line) */
	struct err err;
	long err_line;
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	pthread_t thread;
};

static void ahead_error(struct ahead_row *row, long line, int col, const char *value,
                        const char *rule)
{
	XGROW(row->errors, row->errcap, row->nerr + 1);
	struct ahead_error *ae = &row->errors[row->nerr++];
	ae->line = line;
	ae->col = col;
	ae->value = value ? xstrdup(value) : NULL;
	ae->rule = xstrdup(rule);
}

static void ahead_row_clear_errors(struct ahead_row *row)
{
	for (size_t i = 0; i < row->nerr; i++) {
		if (row->errors[i].value)
			sodium_memzero(row->errors[i].value, strlen(row->errors[i].value));
		free(row->errors[i].value);
		free(row->errors[i].rule);
	}
	row->nerr = 0;
}

/* Read, digest and parse one row into `row`: 1, 0 at the end, -1 when the input fails. */
static int ahead_read(struct ahead *a, struct ahead_row *row)
{
	struct engine *en = a->en;
	struct feed_ctx *c = &a->c;
	bool bad = false;
	ahead_row_clear_errors(row);
	c->sink = row;
	c->nerrors = 0;
	int rc = en->in.csv ? next_csv_row(&en->in, c, &row->row, row->offsets, &a->err)
	                    : next_json_row(&en->in, c, &row->row, row->offsets, &bad);
	if (rc <= 0) {
		a->err_line = en->in.csv ? csv_line(en->in.csv) : 0;
		return rc;
	}
	row->line = c->line;
	row->bytes = en->in.csv ? csv_bytes_read(en->in.csv) : 0;
	row->known = false;
	c->nerrors = bad ? 1 : 0;
	buf_reset(&c->key);
	buf_reset(&c->content);
	c->valid_from[0] = c->valid_to[0] = c->bsn[0] = '\0';
	digest_of(en, c, &row->row, &a->scratch, row->digest);
	if (!bad && en->shortcut && find_digest(en, row->digest)) {
		row->known = true;
	} else if (!bad) {
		c->def->parse(c);
		if (!c->nerrors)
			crypto_pseudonym_bin(c->k, c->bsn, row->mac);
	}
	row->nerrors = c->nerrors;
	/* The parse's buffers go with the row; the row's old ones are reused. */
	struct buf t = row->key;
	row->key = c->key;
	c->key = t;
	t = row->content;
	row->content = c->content;
	c->content = t;
	memcpy(row->valid_from, c->valid_from, sizeof(row->valid_from));
	memcpy(row->valid_to, c->valid_to, sizeof(row->valid_to));
	memcpy(row->bsn, c->bsn, sizeof(row->bsn));
	sodium_memzero(c->bsn, sizeof(c->bsn));
	return 1;
}

static void *ahead_main(void *arg)
{
	struct ahead *a = arg;
	for (;;) {
		pthread_mutex_lock(&a->lock);
		while (a->tail - a->head == AHEAD_ROWS && !a->stop) {
			a->reader_waits = true;
			pthread_cond_wait(&a->room, &a->lock);
		}
		a->reader_waits = false;
		bool stop = a->stop;
		struct ahead_row *row = &a->rows[a->tail % AHEAD_ROWS];
		pthread_mutex_unlock(&a->lock);
		if (stop)
			break;
		int rc = ahead_read(a, row);
		pthread_mutex_lock(&a->lock);
		if (rc > 0) {
			a->tail++;
		} else {
			a->done = true;
			a->rc = rc;
		}
		if (a->engine_waits && (a->done || a->tail - a->head >= AHEAD_WAKE))
			pthread_cond_signal(&a->more);
		pthread_mutex_unlock(&a->lock);
		if (rc <= 0)
			break;
	}
	return NULL;
}

static void ahead_free(struct ahead *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < AHEAD_ROWS; i++) {
		struct ahead_row *row = &a->rows[i];
		ahead_row_clear_errors(row);
		free(row->errors);
		buf_release(&row->row);
		buf_release(&row->key);
		buf_release(&row->content);
		sodium_memzero(row->bsn, sizeof(row->bsn));
	}
	free(a->rows);
	buf_release(&a->c.key);
	buf_release(&a->c.content);
	buf_release(&a->scratch);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->more);
	pthread_cond_destroy(&a->room);
	free(a);
}

/* Start the reading thread; NULL (rows are then read here) when it cannot be started. */
static struct ahead *ahead_start(struct engine *en)
{
	struct ahead *a = xcalloc(1, sizeof(*a));
	a->en = en;
	a->c = en->c; /* the feed, keys, as-of date, source; its own buffers below */
	a->c.sink = NULL;
	a->c.last_org = NULL;
	a->c.persons = NULL;
	buf_init(&a->c.key);
	buf_init(&a->c.content);
	buf_init(&a->scratch);
	a->err = (struct err)ERR_INIT;
	a->rows = xcalloc(AHEAD_ROWS, sizeof(*a->rows));
	for (size_t i = 0; i < AHEAD_ROWS; i++) {
		buf_init(&a->rows[i].row);
		buf_init(&a->rows[i].key);
		buf_init(&a->rows[i].content);
	}
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->more, NULL);
	pthread_cond_init(&a->room, NULL);
	if (pthread_create(&a->thread, NULL, ahead_main, a) != 0) {
		ahead_free(a);
		return NULL;
	}
	return a;
}

/* Stop the reading thread (it may be waiting for room) and free what it had. */
static void ahead_stop(struct engine *en)
{
	struct ahead *a = en->ahead;
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->room);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	ahead_free(a);
	en->ahead = NULL;
}

/*
 * The next row the reading thread has ready, made the engine's current one (its buffers
 * swapped with the engine's): 1, 0 at the end, -1 when the input failed (*line: where).
 */
static int ahead_next(struct engine *en, struct ahead_row **out, long *line, struct err *e)
{
	struct ahead *a = en->ahead;
	pthread_mutex_lock(&a->lock);
	while (a->tail == a->head && !a->done) {
		a->engine_waits = true;
		pthread_cond_wait(&a->more, &a->lock);
	}
	a->engine_waits = false;
	bool have = a->tail != a->head;
	pthread_mutex_unlock(&a->lock);
	if (!have) {
		if (a->rc < 0) {
			*e = a->err;
			*line = a->err_line;
			return -1;
		}
		return 0;
	}
	struct ahead_row *row = &a->rows[a->head % AHEAD_ROWS];
	struct buf t = en->row;
	en->row = row->row;
	row->row = t;
	set_values(&en->c, &en->row, row->offsets);
	en->c.line = row->line;
	en->bytes_read = row->bytes;
	*out = row;
	return 1;
}

/* The engine is done with the row it took last: its slot may be read into again. */
static void ahead_release(struct engine *en)
{
	struct ahead *a = en->ahead;
	pthread_mutex_lock(&a->lock);
	a->head++;
	if (a->reader_waits && AHEAD_ROWS - (a->tail - a->head) >= AHEAD_WAKE)
		pthread_cond_signal(&a->room);
	pthread_mutex_unlock(&a->lock);
}

/* Report and store a row the reading thread parsed (or recognised by its digest). */
static int handle_ahead_row(struct engine *en, struct ahead_row *row, struct err *e)
{
	struct feed_ctx *c = &en->c;
	row_reset(en);
	memcpy(en->digest, row->digest, sizeof(en->digest));
	en->digest_done = true;
	if (row->known) {
		struct rec_slot *r = find_digest(en, en->digest);
		if (was_seen(en, r->id)) {
			reject_duplicate(en);
		} else {
			mark_seen(en, r->id);
			en->r->n_unchanged++;
		}
		row_done(en);
		return 0;
	}
	for (size_t i = 0; i < row->nerr; i++)
		add_error(en, row->errors[i].line, row->errors[i].col, row->errors[i].value,
		          row->errors[i].rule);
	c->nerrors = row->nerrors;
	if (!c->nerrors && en->writing) {
		struct buf t = c->key;
		c->key = row->key;
		row->key = t;
		t = c->content;
		c->content = row->content;
		row->content = t;
		memcpy(c->valid_from, row->valid_from, sizeof(c->valid_from));
		memcpy(c->valid_to, row->valid_to, sizeof(c->valid_to));
		memcpy(c->bsn, row->bsn, sizeof(c->bsn));
		person_feed_expect(c->persons, c->bsn, row->mac);
		if (resolve_and_store(en, e) < 0)
			return -1;
	}
	sodium_memzero(row->bsn, sizeof(row->bsn));
	row_done(en);
	return 0;
}

/* ---- locks -------------------------------------------------------------------------------- */

static const char pg_where_sql[] = "SELECT current_database() || '.' || current_schema()";

/*
 * A 63-bit number for the advisory lock of a source. Advisory locks are shared by the whole
 * server, so the database and schema are part of it: two stores on one server do not block
 * each other.
 */
static int64_t lock_key(const char *where, const char *source)
{
	unsigned char h[8];
	crypto_generichash_state st;
	crypto_generichash_init(&st, (const unsigned char *)"inbeeld-import", 14, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)where, strlen(where) + 1);
	crypto_generichash_update(&st, (const unsigned char *)source, strlen(source));
	crypto_generichash_final(&st, h, sizeof(h));
	uint64_t k;
	memcpy(&k, h, sizeof(k));
	return (int64_t)(k >> 1);
}

static int flock_file(const char *path, const char *what, bool wait, int *fd_out, struct err *e)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot open the lock file %s: %s", path,
		               strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK) {
			close(fd);
			return err_set(e, ERR_IO, "cannot lock %s: %s", path, strerror(errno));
		}
		if (!wait) {
			close(fd);
			return err_set(e, ERR_CONFLICT, "%s is running; try again when it is done",
			               what);
		}
		log_info("waiting: %s is running", what);
		if (flock(fd, LOCK_EX) < 0) {
			close(fd);
			return err_set(e, ERR_IO, "cannot lock %s: %s", path, strerror(errno));
		}
		log_info("%s has finished; going on", what);
	}
	*fd_out = fd;
	return 0;
}

/*
 * SQLite: a lock file per source beside the database (imports of one source take turns),
 * then one for the single writer (so that an import of another source waits with a message
 * instead of failing "busy"). Both go when the process dies.
 */
static int lock_sqlite(struct engine *en, struct err *e)
{
	struct stmt *st;
	char *file = NULL;
	if (store_prepare(en->c.s, sqlite_file_sql, &st, e) < 0)
		return -1;
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW && stmt_text(st, 0) && *stmt_text(st, 0))
		file = xstrdup(stmt_text(st, 0));
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (!file)
		return 0; /* an in-memory store has one connection */
	char safe[FEED_SOURCE_SIZE];
	size_t i = 0;
	for (const char *p = en->c.source; *p && i + 1 < sizeof(safe); p++)
		safe[i++] = (isalnum((unsigned char)*p) || *p == '-') ? *p : '_';
	safe[i] = '\0';
	char *source_lock = xasprintf("%s.import-%s.lock", file, safe);
	char *writer_lock = xasprintf("%s.import.lock", file);
	char what[160];
	snprintf(what, sizeof(what), "another import of source %s", en->c.source);
	rc = flock_file(source_lock, what, en->o->wait, &en->lock_fd[0], e);
	if (rc == 0)
		rc = flock_file(writer_lock, "an import of another source (SQLite has one writer)",
		                true, &en->lock_fd[1], e);
	free(source_lock);
	free(writer_lock);
	free(file);
	return rc;
}

/* PostgreSQL: a transaction-scoped advisory lock per source, released at commit or abort. */
static int lock_pg(struct engine *en, struct err *e)
{
	struct stmt *st;
	char where[256] = "";
	if (store_prepare(en->c.s, pg_where_sql, &st, e) < 0)
		return -1;
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW && stmt_text(st, 0))
		snprintf(where, sizeof(where), "%s", stmt_text(st, 0));
	stmt_free(st);
	if (rc < 0)
		return -1;
	int64_t key = lock_key(where, en->c.source);
	if (store_prepare(en->c.s, pg_try_lock_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, key);
	rc = stmt_step(st, e);
	bool got = rc == STORE_ROW && stmt_int64(st, 0) == 1;
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (got)
		return 0;
	if (!en->o->wait)
		return err_set(e, ERR_CONFLICT,
		               "another import of source %s is running; try again when it is done",
		               en->c.source);
	log_info("waiting: another import of source %s is running", en->c.source);
	if (store_prepare(en->c.s, pg_lock_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, key);
	rc = stmt_step(st, e);
	stmt_free(st);
	if (rc < 0)
		return -1;
	log_info("the other import of source %s has finished; going on", en->c.source);
	return 0;
}

static void unlock_all(struct engine *en)
{
	for (int i = 1; i >= 0; i--)
		if (en->lock_fd[i] >= 0) {
			close(en->lock_fd[i]);
			en->lock_fd[i] = -1;
		}
}

/* ---- the import --------------------------------------------------------------------------- */

static int load_orgs(struct engine *en, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	if (store_prepare(en->c.s, orgs_sql, &st, e) < 0)
		return -1;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(en->orgs, cap, en->norgs + 1);
		struct org_entry *o = &en->orgs[en->norgs++];
		o->ref = xasprintf("%s:%s", stmt_text(st, 0), stmt_text(st, 1));
		o->school_type = stmt_text(st, 2) ? xstrdup(stmt_text(st, 2)) : NULL;
		o->levels = stmt_text(st, 3) ? xstrdup(stmt_text(st, 3)) : NULL;
	}
	stmt_free(st);
	if (rc < 0)
		return -1;
	qsort(en->orgs, en->norgs, sizeof(*en->orgs), org_cmp);
	/* What a row's validation reads from the registry beyond that an organisation exists
	 * (organisations are never removed): the schools' types and levels. */
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, sizeof(en->schools_digest));
	for (size_t i = 0; i < en->norgs; i++) {
		const struct org_entry *o = &en->orgs[i];
		if (strncmp(o->ref, "school:", 7) != 0)
			continue;
		const char *parts[3] = {o->ref, o->school_type ? o->school_type : "",
		                        o->levels ? o->levels : ""};
		for (int j = 0; j < 3; j++)
			crypto_generichash_update(&h, (const unsigned char *)parts[j],
			                          strlen(parts[j]) + 1);
	}
	crypto_generichash_final(&h, en->schools_digest, sizeof(en->schools_digest));
	return 0;
}

/* "kind:ident" of an organisation in the registry; ERR_NOTFOUND otherwise. */
static int check_source(struct engine *en, struct err *e)
{
	const char *colon = strchr(en->c.source, ':');
	if (!colon || colon == en->c.source || !colon[1])
		return err_set(e, ERR_USAGE,
		               "source '%s' is not an organisation reference (rule: kind:ident, "
		               "e.g. duo:DUO or municipality:GM0935)",
		               en->c.source);
	char kind[24];
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - en->c.source), en->c.source);
	if (!org_search(en, kind, colon + 1))
		return err_set(e, ERR_NOTFOUND,
		               "source %s is not an organisation in the registry (load "
		               "organisations.csv first)",
		               en->c.source);
	return 0;
}

/* An earlier import of the same bytes for this feed, source and mode: its id, or 0. */
static int same_content(struct engine *en, int64_t *id, struct err *e)
{
	struct stmt *st;
	*id = 0;
	if (store_prepare(en->c.s, same_content_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, en->c.def->name);
	stmt_bind_text(st, 2, en->c.source);
	stmt_bind_text(st, 3, en->r->mode);
	stmt_bind_text(st, 4, en->r->hash);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/*
 * A snapshot older than the last one of the source would end the records that came later:
 * refused (ERR_CONFLICT).
 */
static int check_snapshot_order(struct engine *en, struct err *e)
{
	struct stmt *st;
	char last[DATE_STR_SIZE] = "";
	if (en->mode != FEED_SNAPSHOT)
		return 0;
	if (store_prepare(en->c.s, last_snapshot_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, en->c.def->name);
	stmt_bind_text(st, 2, en->c.source);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW && stmt_text(st, 0))
		snprintf(last, sizeof(last), "%s", stmt_text(st, 0));
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (last[0] && strcmp(last, en->c.as_of_s) > 0)
		return err_set(e, ERR_CONFLICT,
		               "a snapshot as of %s is older than the last one of %s from %s (%s); "
		               "it would end what came after it",
		               en->c.as_of_s, en->c.def->name, en->c.source, last);
	return 0;
}

static int insert_import(struct engine *en, const char *status, int64_t *id, struct err *e)
{
	struct stmt *st;
	char now[32];
	now_text(now);
	if (store_prepare(en->c.s, insert_import_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, en->c.def->name);
	stmt_bind_text(st, 2, en->c.source);
	stmt_bind_text(st, 3, en->r->mode);
	stmt_bind_text(st, 4, en->c.as_of_s);
	stmt_bind_text(st, 5, en->r->file);
	stmt_bind_text(st, 6, en->r->hash);
	stmt_bind_text(st, 7, now);
	stmt_bind_text(st, 8, status);
	int rc = stmt_step(st, e);
	*id = rc == STORE_ROW ? stmt_int64(st, 0) : 0;
	stmt_free(st);
	if (rc != STORE_ROW)
		return rc < 0 ? -1 : err_set(e, ERR_INTERNAL, "INSERT … RETURNING gave no id");
	return 0;
}

static int finish_import(struct engine *en, int64_t id, const char *status, struct err *e)
{
	struct stmt *st;
	struct feed_result *r = en->r;
	char now[32];
	now_text(now);
	r->seconds = now_seconds() - en->started;
	if (store_prepare(en->c.s, finish_import_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, now);
	stmt_bind_int64(st, 2, (int64_t)(r->seconds * 1000));
	stmt_bind_int64(st, 3, r->rows);
	stmt_bind_int64(st, 4, r->n_new);
	stmt_bind_int64(st, 5, r->n_changed);
	stmt_bind_int64(st, 6, r->n_ended);
	stmt_bind_int64(st, 7, r->n_unchanged);
	stmt_bind_int64(st, 8, r->n_rejected);
	stmt_bind_text(st, 9, status);
	stmt_bind_int64(st, 10, id);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* The same bytes as the last import: record that, change nothing else. */
static int record_unchanged(struct engine *en, int64_t previous, struct err *e)
{
	int64_t rows = 0;
	struct stmt *st;
	if (store_prepare(en->c.s, previous_rows_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, previous);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		rows = stmt_int64(st, 0);
	stmt_free(st);
	if (rc < 0)
		return -1;
	en->r->rows = (long)rows;
	en->r->n_unchanged = (long)rows;
	en->r->status = "unchanged";
	en->r->same_as = previous;
	if (insert_import(en, "unchanged", &en->r->import_id, e) < 0 ||
	    finish_import(en, en->r->import_id, "unchanged", e) < 0)
		return -1;
	return audit_append(en->c.s, en->who, "feed.import", NULL,
	                    "same content as an earlier import: nothing changed", e);
}

/* After a rollback: keep a trace of the failed import and its counts. */
static void record_failure(struct engine *en)
{
	struct err ignored = ERR_INIT;
	int64_t id;
	if (store_begin(en->c.s, &ignored) < 0)
		return;
	if (insert_import(en, "failed", &id, &ignored) < 0 ||
	    finish_import(en, id, "failed", &ignored) < 0) {
		store_rollback(en->c.s);
		return;
	}
	if (store_commit(en->c.s, &ignored) == 0)
		en->r->import_id = id;
}

static int prepare_statements(struct engine *en, struct err *e)
{
	struct store *s = en->c.s;
	const char *find = en->c.def->key_has_person ? find_person_key_sql : find_source_key_sql;
	return store_prepare(s, find, &en->find, e) < 0 ||
	               store_prepare(s, insert_record_sql, &en->insert, e) < 0 ||
	               store_prepare(s, insert_plain_sql, &en->insert_plain, e) < 0 ||
	               store_prepare(s, record_by_id_sql, &en->by_id, e) < 0 ||
	               store_prepare(s, update_record_sql, &en->update, e) < 0 ||
	               store_prepare(s, rehash_record_sql, &en->rehash, e) < 0 ||
	               store_prepare(s, insert_event_sql, &en->event, e) < 0
	           ? -1
	           : 0;
}

static void free_statements(struct engine *en)
{
	stmt_free(en->find);
	stmt_free(en->insert);
	stmt_free(en->insert_plain);
	stmt_free(en->by_id);
	stmt_free(en->update);
	stmt_free(en->rehash);
	stmt_free(en->event);
	en->find = en->insert = en->insert_plain = en->update = en->event = en->by_id = NULL;
	en->rehash = NULL;
}

static void report_progress(struct engine *en, bool last)
{
	if (!en->o->progress)
		return;
	uint64_t bytes = en->ahead ? en->bytes_read : en->in.csv ? csv_bytes_read(en->in.csv) : 0;
	en->o->progress(en->o->progress_arg, en->r->rows, bytes, en->in.total_bytes, last);
}

/* Read every row, then end what a snapshot no longer holds; inside the transaction. */
static int import_rows(struct engine *en, struct err *e)
{
	int rc;
	long bad_line = 0;
	/* Not when the rows can be recognised by their digests: then the reading is nearly all
	 * the work, and handing each row over would only add to it (tried again at a million
	 * rows: 1.52 s against 1.45 s). */
	if (en->large && !en->shortcut)
		en->ahead = ahead_start(en);
	for (;;) {
		bool bad = false;
		struct ahead_row *row = NULL;
		size_t offsets[FEED_MAX_COLS];
		if (en->ahead)
			rc = ahead_next(en, &row, &bad_line, e);
		else if (en->in.csv)
			rc = next_csv_row(&en->in, &en->c, &en->row, offsets, e);
		else
			rc = next_json_row(&en->in, &en->c, &en->row, offsets, &bad);
		if (rc <= 0)
			break;
		int handled = row ? handle_ahead_row(en, row, e) : handle_row(en, bad, e);
		if (row)
			ahead_release(en);
		if (handled < 0) {
			ahead_stop(en);
			return -1;
		}
		if (en->r->rows % PROGRESS_ROWS == 0)
			report_progress(en, false);
	}
	if (rc < 0 && !en->ahead)
		bad_line = en->in.csv ? csv_line(en->in.csv) : 0;
	ahead_stop(en);
	report_progress(en, true);
	if (rc < 0) {
		/* The reader cannot go on (a wrong encoding, broken quoting): the whole file. */
		add_error(en, bad_line, -1, NULL, e->msg);
		return err_prefix(e, "the file cannot be read; nothing was imported");
	}
	if (en->writing && batch_flush(en, e) < 0)
		return -1;
	if (en->r->n_rejected && !en->o->accept_valid)
		return err_set(e, ERR_INVALID,
		               "%s: %ld of %ld rows rejected (%ld errors); nothing was imported",
		               en->in.name, en->r->n_rejected, en->r->rows, en->r->total_errors);
	if (en->mode == FEED_SNAPSHOT && !en->first && end_missing(en, e) < 0)
		return -1;
	if (en->c.def->finish && en->c.def->finish(&en->c, e) < 0)
		return -1;
	return 0;
}

static int audit_import(struct engine *en, struct err *e)
{
	char detail[256];
	snprintf(detail, sizeof(detail),
	         "feed=%s source=%s import=%lld rows=%ld new=%ld changed=%ld ended=%ld "
	         "persons_created=%ld persons_updated=%ld",
	         en->c.def->name, en->c.source, (long long)en->c.import_id, en->r->rows,
	         en->r->n_new, en->r->n_changed, en->r->n_ended, person_feed_created(en->c.persons),
	         person_feed_updated(en->c.persons));
	return audit_append(en->c.s, en->who, "feed.import", NULL, detail, e);
}

/* The number of this feed and source (feed_streams), made on its first delivery. */
static int resolve_stream(struct engine *en, struct err *e)
{
	struct stmt *st;
	const char *sql[] = {stream_find_sql, stream_add_sql};
	en->stream_id = 0;
	for (int i = 0; i < 2 && !en->stream_id; i++) {
		if (store_prepare(en->c.s, sql[i], &st, e) < 0)
			return -1;
		stmt_bind_text(st, 1, en->c.def->name);
		stmt_bind_text(st, 2, en->c.source);
		int rc = stmt_step(st, e);
		if (rc == STORE_ROW)
			en->stream_id = stmt_int64(st, 0);
		stmt_free(st);
		if (rc < 0)
			return -1;
	}
	return en->stream_id ? 0 : err_set(e, ERR_INTERNAL, "no stream for %s from %s",
	                                   en->c.def->name, en->c.source);
}

/*
 * Whether the map's digests may stand for validation: a row that was valid when delivered
 * before is valid now if the registry's schools are unchanged (their digest is in the digest
 * key) and the as-of date is not earlier than any delivery's of the source (a date in the
 * row then cannot have come to lie in its future).
 */
static int shortcut_allowed(struct engine *en, struct err *e)
{
	struct stmt *st;
	char max[DATE_STR_SIZE] = "";
	if (!en->recs || store_prepare(en->c.s, max_as_of_sql, &st, e) < 0)
		return en->recs ? -1 : 0;
	stmt_bind_text(st, 1, en->c.def->name);
	stmt_bind_text(st, 2, en->c.source);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW && stmt_text(st, 0))
		snprintf(max, sizeof(max), "%s", stmt_text(st, 0));
	stmt_free(st);
	if (rc < 0)
		return -1;
	en->shortcut = strcmp(en->c.as_of_s, max) >= 0;
	return 0;
}

/* Everything between the lock and the commit. Returns 1 when the bytes were known already. */
static int run_locked(struct engine *en, struct err *e)
{
	struct feed_ctx *c = &en->c;
	int64_t previous = 0;
	int64_t any = 0;
	if (load_orgs(en, e) < 0 || check_source(en, e) < 0 ||
	    (!en->o->rescan && same_content(en, &previous, e) < 0))
		return -1;
	if (previous)
		return record_unchanged(en, previous, e) < 0 ? -1 : 1;
	if (check_snapshot_order(en, e) < 0 || resolve_stream(en, e) < 0)
		return -1;
	struct stmt *st;
	if (store_prepare(c->s, any_record_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, c->def->name);
	stmt_bind_text(st, 2, c->source);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		any = stmt_int64(st, 0);
	stmt_free(st);
	if (rc < 0)
		return -1;
	en->first = any == 0;
	bool large = en->in.total_bytes > PRELOAD_BYTES ||
	             (en->in.array && json_array_size(en->in.array) > 2000);
	en->large = large;
	unsigned char context[FEED_NAME_SIZE + sizeof(en->schools_digest)] = {0};
	memcpy(context, c->def->name, strlen(c->def->name));
	memcpy(context + FEED_NAME_SIZE, en->schools_digest, sizeof(en->schools_digest));
	crypto_derive_key16(en->k, "feed-row", context, sizeof(context), en->digest_key);
	randombytes_buf(en->key_key, sizeof(en->key_key));
	if (!en->first && large) {
		if (load_records(en, e) < 0 || shortcut_allowed(en, e) < 0)
			return -1;
	}
	if (insert_import(en, "done", &c->import_id, e) < 0)
		return -1;
	en->r->import_id = c->import_id;
	enum person_feed_mode pm = !large       ? PERSON_FEED_LOOKUP
	                           : en->first ? PERSON_FEED_PRELOAD
	                                       : PERSON_FEED_ON_DEMAND;
	if (person_feed_open(c->s, en->k, pm, &c->persons, e) < 0)
		return -1;
	return 0;
}

static int open_rejected(struct engine *en, const char *path, struct err *e)
{
	if (!en->o->accept_valid || !path)
		return 0;
	snprintf(en->r->rejected_path, sizeof(en->r->rejected_path), "%s.rejected.csv", path);
	snprintf(en->rejected_tmp, sizeof(en->rejected_tmp), "%s.tmp", en->r->rejected_path);
	int fd = open(en->rejected_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(en->rejected = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		en->r->rejected_path[0] = '\0';
		return err_set(e, ERR_IO, "cannot write %s: %s", en->rejected_tmp, strerror(errno));
	}
	fprintf(en->rejected, "line;column;field;value;rule\n");
	return 0;
}

/* Keep the rejected-rows file when rows were rejected and the import committed. */
static void close_rejected(struct engine *en, bool keep)
{
	if (!en->rejected)
		return;
	fclose(en->rejected);
	en->rejected = NULL;
	if (keep && en->r->n_rejected && rename(en->rejected_tmp, en->r->rejected_path) == 0)
		return;
	unlink(en->rejected_tmp);
	en->r->rejected_path[0] = '\0';
}

static int setup(struct engine *en, const struct feed_options *o, struct store *s,
                 const struct access *who, struct feed_result *r, const char *name, struct err *e)
{
	memset(en, 0, sizeof(*en));
	memset(r, 0, sizeof(*r));
	en->o = o;
	en->r = r;
	en->who = who;
	en->lock_fd[0] = en->lock_fd[1] = -1;
	en->max_errors = o->max_errors > 0 ? (size_t)o->max_errors : FEED_MAX_ERRORS_DEFAULT;
	en->writing = true;
	en->started = now_seconds();
	buf_init(&en->row);
	buf_init(&en->scratch);
	en->c.s = s;
	en->c.engine = en;
	buf_init(&en->c.key);
	buf_init(&en->c.content);
	r->status = "failed";
	snprintf(r->file, sizeof(r->file), "%s", name);
	const struct feed_def *d = o->feed ? feed_def_find(o->feed) : NULL;
	if (!d)
		return err_set(e, ERR_USAGE,
		               "'%s' is not a feed (one of residence, enrolments, "
		               "diplomas, absence, care, work)",
		               o->feed ? o->feed : "");
	en->c.def = d;
	snprintf(r->feed, sizeof(r->feed), "%s", d->name);
	if (!o->source || strlen(o->source) >= FEED_SOURCE_SIZE)
		return err_set(e, ERR_USAGE, "a source organisation is needed (kind:ident)");
	snprintf(en->c.source, sizeof(en->c.source), "%s", o->source);
	snprintf(r->source, sizeof(r->source), "%s", o->source);
	en->mode = d->mode;
	if (o->mode && strcmp(o->mode, "snapshot") == 0)
		en->mode = FEED_SNAPSHOT;
	else if (o->mode && strcmp(o->mode, "delta") == 0)
		en->mode = FEED_DELTA;
	else if (o->mode)
		return err_set(e, ERR_USAGE, "mode '%.20s' is neither snapshot nor delta", o->mode);
	snprintf(r->mode, sizeof(r->mode), "%s", en->mode == FEED_SNAPSHOT ? "snapshot" : "delta");
	if (!o->as_of)
		return err_set(e, ERR_USAGE, "the as-of date is needed (--as-of YYYY-MM-DD)");
	if (date_parse(o->as_of, &en->c.as_of, e) < 0)
		return err_prefix(e, "as-of date");
	if (en->c.as_of > date_today())
		return err_set(e, ERR_INVALID, "as-of date %s lies in the future", o->as_of);
	date_format(en->c.as_of, en->c.as_of_s);
	snprintf(r->as_of, sizeof(r->as_of), "%s", en->c.as_of_s);
	return 0;
}

/* What one attempt builds: statements, batch, persons, organisations, maps, feed state. */
static void release_state(struct engine *en)
{
	free_statements(en);
	batch_close(en);
	person_feed_free(en->c.persons);
	en->c.persons = NULL;
	for (size_t i = 0; i < en->norgs; i++) {
		free(en->orgs[i].ref);
		free(en->orgs[i].school_type);
		free(en->orgs[i].levels);
	}
	free(en->orgs);
	en->orgs = NULL;
	en->norgs = 0;
	en->c.last_org = NULL;
	free(en->seen);
	en->seen = NULL;
	en->seen_words = 0;
	free(en->recs);
	free(en->by_digest);
	free(en->by_key);
	en->recs = NULL;
	en->by_digest = en->by_key = NULL;
	en->nrecs = en->tab_cap = 0;
	en->shortcut = false;
	if (en->c.feed_state && en->c.def->release)
		en->c.def->release(en->c.feed_state);
	else
		free(en->c.feed_state);
	en->c.feed_state = NULL;
}

static void teardown(struct engine *en)
{
	release_state(en);
	buf_release(&en->row);
	buf_release(&en->scratch);
	buf_release(&en->c.key);
	buf_release(&en->c.content);
	csv_close(en->in.csv);
	en->in.csv = NULL;
	json_decref(en->in.array);
	en->in.array = NULL;
	unlock_all(en);
}

/* One attempt at the import, in one transaction; the locks are held. */
static int attempt(struct engine *en, const char *path, struct err *e)
{
	struct store *s = en->c.s;
	bool in_tx = false;
	int rc = -1;
	if (store_begin(s, e) < 0)
		goto done;
	in_tx = true;
	if (store_backend(s) != STORE_SQLITE && lock_pg(en, e) < 0)
		goto done;
	int known = run_locked(en, e);
	if (known < 0)
		goto done;
	if (known == 1) {
		in_tx = false;
		if (store_commit(s, e) < 0)
			goto done;
		rc = 0;
		goto done;
	}
	if (open_rejected(en, path, e) < 0 || prepare_statements(en, e) < 0 ||
	    batch_open(en, e) < 0 || import_rows(en, e) < 0 || audit_import(en, e) < 0)
		goto done;
	free_statements(en);
	en->r->status = "done";
	en->r->persons_created = person_feed_created(en->c.persons);
	en->r->persons_updated = person_feed_updated(en->c.persons);
	en->r->events = en->c.events;
	if (finish_import(en, en->c.import_id, "done", e) < 0)
		goto done;
	in_tx = false;
	if (store_commit(s, e) < 0)
		goto done;
	rc = 0;
done:
	free_statements(en);
	if (in_tx)
		store_rollback(s);
	return rc;
}

static void release_state(struct engine *en);
static int rewind_input(struct engine *en, const char *path, struct err *e);

/*
 * Forget what a failed attempt built, so that a careful one starts as the first did: the
 * result's counts and errors, the maps, the rejected-rows file, and the input's position.
 */
static int start_again(struct engine *en, const char *path, struct err *e)
{
	struct feed_result *r = en->r;
	close_rejected(en, false);
	release_state(en);
	free(r->errors);
	r->errors = NULL;
	r->nerrors = 0;
	r->total_errors = 0;
	r->rows = r->n_new = r->n_changed = r->n_ended = r->n_unchanged = r->n_rejected = 0;
	r->import_id = 0;
	en->c.events = 0;
	en->c.import_id = 0;
	en->writing = true;
	en->careful = true;
	en->retry = false;
	return rewind_input(en, path, e);
}

/*
 * SQLite's page cache during an import (128 MiB): the index pages a long transaction touches
 * again and again are then written to the WAL once. The cache has to hold the index of the
 * records by person, which new records enter all over: at a million young people that index
 * is about 75 MiB, and with a 64 MiB cache the first enrolment import took 5.7 s instead of
 * 4.9 s (docs/feeds.md, "Speed and memory").
 */
enum { IMPORT_CACHE_MIB = 128 };

/* Take the locks, run the import in one transaction, record it; the engine is set up. */
static int run(struct engine *en, const char *path, struct err *e)
{
	struct store *s = en->c.s;
	bool sqlite = store_backend(s) == STORE_SQLITE;
	bool fk_off = false, cache_set = false;
	int64_t cache = 0;
	int rc = -1;
	if (sqlite && lock_sqlite(en, e) < 0)
		goto done;
	/*
	 * SQLite checks each foreign key by a seek into the parent table: a read of a persons
	 * page for every record. The ids written come from the store inside this transaction
	 * (persons resolved or created, this import's id), so the checks cannot fail; they are
	 * off while the import runs and on again after it.
	 */
	if (sqlite && store_exec(s, "PRAGMA foreign_keys = OFF", e) < 0)
		goto done;
	fk_off = sqlite;
	/* The cache grows only as pages are touched: a small delivery pays nothing for it. */
	if (store_bulk_cache_begin(s, IMPORT_CACHE_MIB, &cache, e) < 0)
		goto done;
	cache_set = true;
	rc = attempt(en, path, e);
	if (rc < 0 && en->retry) {
		log_info("%s names a record twice; importing it again row by row to say where",
		         en->in.name);
		*e = (struct err)ERR_INIT;
		if (start_again(en, path, e) == 0)
			rc = attempt(en, path, e);
	}
done:
	if (cache_set)
		store_bulk_cache_end(s, cache);
	if (fk_off) {
		struct err ignored = ERR_INIT;
		store_exec(s, "PRAGMA foreign_keys = ON", &ignored);
	}
	close_rejected(en, rc == 0);
	if (rc < 0) {
		/* Nothing of it stays: only the rows read and rejected still mean something. */
		en->r->status = "failed";
		en->r->import_id = 0;
		en->r->n_new = en->r->n_changed = en->r->n_ended = en->r->n_unchanged = 0;
		en->r->persons_created = en->r->persons_updated = en->r->events = 0;
		en->r->seconds = now_seconds() - en->started;
		if (e->code == ERR_INVALID)
			record_failure(en);
	}
	return rc;
}

/* SHA-256 of the file's bytes and its size. */
static int hash_file(const char *path, char hex[FEED_HASH_HEX_SIZE], uint64_t *size, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "cannot read %s: %s", path, strerror(errno));
	struct sha256_ctx st; /* nettle's: the CPU's SHA instructions where there are some */
	unsigned char h[SHA256_DIGEST_SIZE];
	enum { BLOCK = 1 << 16 };
	unsigned char *block = xmalloc(BLOCK); /* not static: imports may run in threads */
	size_t n;
	*size = 0;
	sha256_init(&st);
	while ((n = fread(block, 1, BLOCK, f)) > 0) {
		sha256_update(&st, n, block);
		*size += n;
	}
	int failed = ferror(f);
	fclose(f);
	free(block);
	if (failed)
		return err_set(e, ERR_IO, "cannot read %s", path);
	sha256_digest(&st, sizeof(h), h);
	sodium_bin2hex(hex, FEED_HASH_HEX_SIZE, h, sizeof(h));
	return 0;
}

/* Find the feed's columns in the CSV header: a missing required one fails the file. */
static int map_header(struct engine *en, struct err *e)
{
	const struct feed_def *d = en->c.def;
	struct buf missing = BUF_INIT, found = BUF_INIT;
	for (int i = 0; i < d->ncolumns; i++) {
		en->in.csv_col[i] = csv_column(en->in.csv, d->columns[i]);
		if (en->in.csv_col[i] < 0 && (d->required >> i) & 1)
			buf_addf(&missing, "%s%s", missing.len ? ", " : "", d->columns[i]);
	}
	int rc = 0;
	if (missing.len) {
		for (size_t i = 0; i < csv_header_count(en->in.csv); i++)
			buf_addf(&found, "%s%s", i ? ";" : "", csv_header_name(en->in.csv, i));
		char rule[256];
		snprintf(rule, sizeof(rule), "missing column %s (the header has: %.160s)",
		         missing.data, found.data);
		add_error(en, 1, -1, NULL, rule);
		rc = err_set(e, ERR_INVALID,
		             "%s, line 1: a required column is missing (rule: the "
		             "%s feed has the columns of docs/feeds.md); nothing was "
		             "imported",
		             en->in.name, d->name);
	}
	buf_release(&missing);
	buf_release(&found);
	return rc;
}

/* Back to the first row, for a careful attempt. */
static int rewind_input(struct engine *en, const char *path, struct err *e)
{
	if (!en->in.csv) {
		en->in.index = 0;
		return 0;
	}
	csv_close(en->in.csv);
	en->in.csv = NULL;
	if (csv_open(&en->in.csv, path, e) < 0 || csv_read_header(en->in.csv, e) < 0)
		return -1;
	return map_header(en, e);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int feed_import_file(struct store *s, const struct keyring *k, const struct access *who,
                     const struct feed_options *o, const char *path, struct feed_result *r,
                     struct err *e)
{
	struct engine en;
	int rc = -1;
	int set = setup(&en, o, s, who, r, base_name(path), e);
	en.k = k;
	en.c.k = k;
	if (set < 0)
		goto done;
	en.in.name = base_name(path);
	if (hash_file(path, r->hash, &en.in.total_bytes, e) < 0 ||
	    csv_open(&en.in.csv, path, e) < 0)
		goto done;
	if (csv_read_header(en.in.csv, e) < 0) {
		add_error(&en, 1, -1, NULL, e->msg);
		goto done;
	}
	if (map_header(&en, e) < 0)
		goto done;
	rc = run(&en, path, e);
done:
	teardown(&en);
	return rc;
}

int feed_import_json(struct store *s, const struct keyring *k, const struct access *who,
                     const struct feed_options *o, const char *body, size_t len,
                     struct feed_result *r, struct err *e)
{
	struct engine en;
	json_error_t jerr;
	unsigned char h[crypto_hash_sha256_BYTES];
	int rc = -1;
	int set = setup(&en, o, s, who, r, "api", e);
	en.k = k;
	en.c.k = k;
	if (set < 0)
		goto done;
	en.in.name = "api";
	crypto_hash_sha256(h, (const unsigned char *)body, len);
	sodium_bin2hex(r->hash, sizeof(r->hash), h, sizeof(h));
	en.in.array = json_loadb(body, len, 0, &jerr);
	if (!json_is_array(en.in.array)) {
		err_set(e, ERR_INVALID, "the body is not a JSON array of records%s%s",
		        en.in.array ? "" : ": ", en.in.array ? "" : jerr.text);
		goto done;
	}
	rc = run(&en, NULL, e);
done:
	teardown(&en);
	return rc;
}
