/*
 * Inside src/feeds/: what the import engine (import.c) and the seven feeds (feed-*.c) share.
 * A feed is a struct feed_def: its columns, how a row is validated into a record key and a
 * content, and which events a new, changed or ended record gives. The engine reads rows,
 * resolves persons, compares with the stored state, writes records and calls the feed back.
 */
#ifndef FEEDS_FEED_INTERNAL_H
#define FEEDS_FEED_INTERNAL_H

#include "feeds/feeds.h"
#include "registry/ident.h"
#include "registry/person.h"
#include "util/buf.h"

#include <limits.h>

#define FEED_MAX_COLS 16
#define DATE_NONE     INT_MIN

enum feed_mode { FEED_SNAPSHOT, FEED_DELTA };
enum feed_change { FEED_NEW, FEED_CHANGED };

struct feed_ctx;
struct ahead_row;
struct org_entry;

struct feed_def {
	const char *name;
	enum feed_mode mode;        /* the usual one */
	const char *const *columns; /* the column names, indexed by the feed's enum */
	int ncolumns;
	unsigned required;   /* bit i: column i must be in the header */
	int bsn_column;      /* the column that names the person */
	bool key_has_person; /* the record key starts with the person's id */
	/* Validate the row (feed_reject for each fault) and fill key, content, valid_*. */
	void (*parse)(struct feed_ctx *c);
	/* The person's identifying data in a valid row (residence): a person the registry does
	 * not know yet is created with it (c->person_created). NULL: the feed has only the BSN. */
	void (*person_data)(const struct feed_ctx *c, struct person_input *in);
	/* The events of a new or changed record (c->record_id set); old_* of a changed one. */
	int (*record)(struct feed_ctx *c, enum feed_change what, const char *old_content,
	              const char *old_valid_to, struct err *e);
	/* The events of a running record missing from a snapshot, ended on c->as_of. */
	int (*ended)(struct feed_ctx *c, const char *content, struct err *e);
	/* After the last row, inside the transaction: events that need the whole file. */
	int (*finish)(struct feed_ctx *c, struct err *e);
	/* The feed writes no events: they are derived from its records when read. */
	bool derived;
	/* Free what the feed keeps in c->feed_state (NULL: a plain free). */
	void (*release)(void *state);
};

extern const struct feed_def feed_residence, feed_enrolments, feed_diplomas, feed_absence,
    feed_care, feed_work, feed_vrijstellingen;

/* What the engine and a feed share while one import runs. */
struct feed_ctx {
	const struct feed_def *def;
	struct store *s;
	const struct keyring *k;
	struct person_feed *persons;
	char source[FEED_SOURCE_SIZE];
	date_t as_of;
	char as_of_s[DATE_STR_SIZE];
	int64_t import_id;

	/* The current row: its values (trimmed; NULL when empty or the column is absent). */
	const char *v[FEED_MAX_COLS];
	long line;
	int nerrors; /* faults found in this row */

	/* What parse fills. */
	char bsn[BSN_SIZE];
	struct buf key;     /* without the person's id */
	struct buf content; /* a JSON object of codes and dates */
	char valid_from[DATE_STR_SIZE], valid_to[DATE_STR_SIZE]; /* "" when none */

	/* What the engine fills before record(). */
	int64_t person_id, record_id;
	bool person_created;
	long events;

	void *feed_state; /* a feed's own state for one import; freed by finish */
	struct engine *engine;
	/* The reading thread's context (import.c, "Reading ahead"): its rejections go to the
	 * row it is parsing, to be reported in order; NULL in the engine's own context. */
	struct ahead_row *sink;
	const struct org_entry *last_org; /* the organisation found last, per context */
};

/* The value of column `col` of the current row, or NULL when empty. */
static inline const char *feed_val(const struct feed_ctx *c, int col)
{
	return c->v[col];
}

/* Reject the current row for column `col` (-1: the row as a whole); always returns -1. */
int feed_reject(struct feed_ctx *c, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A required column: -1 (and rejected) when empty. */
int feed_required(struct feed_ctx *c, int col);

/* The BSN of column `col` into c->bsn, or a rejection. */
int feed_bsn(struct feed_ctx *c, int col);

enum feed_date_rule {
	DATE_ANY,        /* any valid date */
	DATE_NOT_FUTURE, /* on or before the as-of date */
};

/* A date: *out is DATE_NONE for an empty optional one; required empty is a rejection. */
int feed_date(struct feed_ctx *c, int col, bool required, enum feed_date_rule rule, date_t *out);

/* `end` (column end_col) not before `start`: a rejection otherwise. */
int feed_date_order(struct feed_ctx *c, int end_col, date_t start, date_t end);

/* One of `codes` (NULL-terminated, compared exactly): its index, or -1 (rejected). */
int feed_code(struct feed_ctx *c, int col, bool required, const char *const *codes);

/* An identifier by its rule from ident.h into `out`; "" for an empty optional one. */
int feed_ident(struct feed_ctx *c, int col, bool required,
               int (*rule)(const char *, const char *, char *, struct err *), char *out);

/* Whether an organisation of `kind` with `ident` is in the registry; rejected otherwise. */
int feed_org_exists(struct feed_ctx *c, int col, const char *kind, const char *ident);

/*
 * A school location from a BRIN column and a vestiging column ("14EK" + "00" → "14EK00"),
 * which must be in the registry. Optional and both empty: 0 with out "".
 */
int feed_school(struct feed_ctx *c, int brin_col, int vest_col, bool required, char out[BRIN_SIZE]);

/* The school's type and levels ("VO", "vmbo-t,havo"); NULL when it is not known. */
const char *feed_school_type(struct feed_ctx *c, const char *ident, const char **levels);

/* A whole number in [min, max]; rejected otherwise. */
int feed_int(struct feed_ctx *c, int col, bool required, long min, long max, long *out);

/* Content helpers: add "name":"value" to the JSON object being built in `b` (an empty or
 * absent value adds nothing). */
void feed_json_begin(struct buf *b);
void feed_json_text(struct buf *b, const char *name, const char *value);
void feed_json_date(struct buf *b, const char *name, date_t d);
void feed_json_int(struct buf *b, const char *name, long v, bool present);
void feed_json_end(struct buf *b);

/* "YYYY-MM-DD" of a day number, fast (the hot path writes several a row); returns out. */
char *feed_date_text(date_t day, char out[DATE_STR_SIZE]);

/* Set c->valid_from / valid_to from day numbers (DATE_NONE: ""). */
void feed_set_validity(struct feed_ctx *c, date_t from, date_t to);

/*
 * Write an event of the current person on day `day`: kind, the organisation involved and a
 * code (either may be NULL), and detail (a JSON object, or NULL). Its id in *id (may be NULL).
 */
int feed_event(struct feed_ctx *c, date_t day, const char *kind, const char *org, const char *code,
               const char *detail, int64_t *id, struct err *e);

/*
 * The events of a period (care, work): `started` on valid_from when the record is new;
 * `ended` on valid_to when that end is new or moved (with "planned":true in the detail when
 * it lies after the as-of date). `detail` is a JSON object's members without braces.
 */
int feed_period_events(struct feed_ctx *c, enum feed_change what, const char *old_valid_to,
                       const char *started, const char *ended, const char *org, const char *code,
                       const char *detail, struct err *e);

/* The `ended` event of a running period missing from a snapshot: on the as-of date, with
 * the reason not_delivered. */
int feed_period_not_delivered(struct feed_ctx *c, const char *ended, const char *org,
                              const char *code, struct err *e);

/*
 * The events derived from the enrolment records of person `person_id`, appended to *out
 * (*n used, *cap allocated; each detail owned by the array).
 */
int feed_enrolment_events(struct store *s, int64_t person_id, struct feed_event **out, size_t *n,
                          size_t *cap, struct err *e);

/* A member of a stored content object as text ("" when absent or null); for old records. */
void feed_content_get(const char *content, const char *name, char *out, size_t size);

#endif
