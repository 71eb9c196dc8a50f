/*
 * Feeds: the import of what partners deliver — residence, enrolments, diplomas, absence
 * reports, care allocations, work and income (docs/feeds.md) — as files or as JSON posted to
 * the API, into the current state of every record (feed_records) and a timeline of events
 * per young person (events).
 *
 * An import is one transaction: every row is validated, and by default one invalid row
 * rejects the whole file (all errors are collected, up to a limit); with accept_valid the
 * valid rows are imported and the rejected ones written, with their reasons, to a CSV beside
 * the input. A snapshot is compared with the last snapshot of the same feed and source:
 * records new, changed (their content hash differs), unchanged, and missing (ended); a delta
 * only adds and changes. The same bytes imported again change nothing (the file's SHA-256 is
 * recorded). Imports of one source are serialised; of different sources they may overlap.
 *
 * Ownership: a struct feed_result owns its error list; release it with feed_result_release.
 */
#ifndef FEEDS_FEEDS_H
#define FEEDS_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "crypto/keyring.h"
#include "store/store.h"
#include "util/date.h"
#include "util/err.h"

#define FEED_NAME_SIZE          16
#define FEED_SOURCE_SIZE        64
#define FEED_HASH_HEX_SIZE      65
#define FEED_MAX_ERRORS_DEFAULT 100

/* The names of the seven feeds, NULL-terminated, in the order a region imports them. */
extern const char *const feed_names[];

/* Whether `name` is a feed; its usual mode ("snapshot" or "delta") in *mode (may be NULL). */
bool feed_known(const char *name, const char **mode);

/* Progress of a running import, for a progress bar or log lines. */
typedef void feed_progress_fn(void *arg, long rows, uint64_t bytes, uint64_t total_bytes,
                              bool last);

struct feed_options {
	const char *feed;   /* residence, enrolments, diplomas, absence, care, work */
	const char *source; /* the delivering organisation as kind:ident, e.g. "duo:DUO" */
	const char *as_of;  /* the date the contents are true on */
	const char *mode;   /* "snapshot", "delta", or NULL: the feed's usual mode */
	bool accept_valid;  /* import the valid rows, write the rejected ones beside the input */
	bool rescan;        /* compare row by row even when the bytes equal the last import's */
	bool wait;          /* wait for another import of the source; false: ERR_CONFLICT */
	int max_errors;     /* errors kept in the result; 0: FEED_MAX_ERRORS_DEFAULT */
	feed_progress_fn *progress;
	void *progress_arg;
};

/* One invalid row or field. `line` is the file's line (the header is 1), or for records
 * posted as JSON the record's index from 0. No BSN in the clear, no name. */
struct feed_error {
	long line;
	int column;     /* from 1; 0 when the error is not about one column */
	char field[32]; /* the column's name, or "" */
	char value[64]; /* the value as read (a BSN masked), cut at 60 bytes */
	char rule[256]; /* what was wrong and the rule it breaks */
};

struct feed_result {
	int64_t import_id;
	char feed[FEED_NAME_SIZE];
	char source[FEED_SOURCE_SIZE];
	char mode[10];
	char as_of[DATE_STR_SIZE];
	char file[256];
	char hash[FEED_HASH_HEX_SIZE]; /* SHA-256 of the bytes delivered */
	const char *status;            /* "done", "unchanged" (same bytes as before), "failed" */
	int64_t same_as;               /* status "unchanged": the import with the same bytes */
	long rows, n_new, n_changed, n_ended, n_unchanged, n_rejected;
	long persons_created, persons_updated, events;
	double seconds;
	char rejected_path[4096];  /* accept_valid with rejections: where they were written */
	struct feed_error *errors; /* owned */
	size_t nerrors;
	long total_errors; /* may exceed nerrors */
};

void feed_result_release(struct feed_result *r);

/*
 * Import the CSV file at `path` as o->feed from o->source. Fills *r (released by the caller
 * also after a failure: it then lists the invalid rows). ERR_INVALID when rows are invalid
 * (nothing imported unless accept_valid) or the file cannot be read as CSV (a wrong
 * encoding, broken quoting: nothing imported), ERR_NOTFOUND for an unknown source
 * organisation, ERR_CONFLICT when another import of the source runs and !o->wait.
 * A failed import is recorded (status "failed", its counts) after the rollback.
 */
int feed_import_file(struct store *s, const struct keyring *k, const struct access *who,
                     const struct feed_options *o, const char *path, struct feed_result *r,
                     struct err *e);

/*
 * Import records posted as a JSON array of objects whose members are the CSV columns
 * (strings, or numbers where the column is a number). Errors name the record by its index.
 */
int feed_import_json(struct store *s, const struct keyring *k, const struct access *who,
                     const struct feed_options *o, const char *body, size_t len,
                     struct feed_result *r, struct err *e);

/*
 * What follows every import that committed, from a file (`inbeeld import`) or posted to the
 * API: the incremental run of the signal rules (docs/signals.md) over the persons whose
 * records changed, so that what came in is looked at at once. Runs started so take turns (an
 * advisory lock on PostgreSQL; SQLite has one writer). Fills *st (signals/signals.h).
 */
struct signal_run_stats;
int feed_signals_after(struct store *s, const struct access *who, struct signal_run_stats *st,
                       struct err *e);

/* A past import, as import list and show give it. */
struct feed_import_info {
	int64_t id;
	char feed[FEED_NAME_SIZE], source[FEED_SOURCE_SIZE], mode[10], as_of[DATE_STR_SIZE];
	char file[256], hash[FEED_HASH_HEX_SIZE], started_at[32], finished_at[32], status[12];
	int64_t duration_ms, rows, n_new, n_changed, n_ended, n_unchanged, n_rejected;
};

/* The imports, newest first, at most `limit` (0: all). *out is freed with free(). */
int feed_import_list(struct store *s, int64_t limit, struct feed_import_info **out, size_t *n,
                     struct err *e);
int feed_import_get(struct store *s, int64_t id, struct feed_import_info *out, struct err *e);

/* ---- feed tokens (tokens.c) --------------------------------------------------------------- */

#define FEED_TOKEN_HEX_SIZE 65 /* 32 random bytes as hex */

struct feed_token_info {
	int64_t id;
	char source[FEED_SOURCE_SIZE], feed[FEED_NAME_SIZE], created_at[32], created_by[64];
	char revoked_at[32]; /* "" while valid */
};

/* Make a token for `feed` from `source`; the token itself is written to `token` only. */
int feed_token_add(struct store *s, const struct access *who, const char *source, const char *feed,
                   char token[FEED_TOKEN_HEX_SIZE], int64_t *id, struct err *e);
int feed_token_list(struct store *s, struct feed_token_info **out, size_t *n, struct err *e);
int feed_token_revoke(struct store *s, const struct access *who, int64_t id, struct err *e);

/*
 * Check a presented token for posting `feed`: ERR_NOTFOUND (unknown or revoked: 401 for the
 * API) or ERR_FORBIDDEN (valid for another feed: 403). Fills the token's source.
 */
int feed_token_check(struct store *s, const char *token, const char *feed,
                     char source[FEED_SOURCE_SIZE], struct err *e);

/* ---- the timeline (timeline.c) ------------------------------------------------------------ */

struct feed_event {
	char date[DATE_STR_SIZE];
	char kind[32];
	char feed[FEED_NAME_SIZE];
	char source[FEED_SOURCE_SIZE];
	char org[16];
	char code[32];
	char *detail; /* JSON text, owned; may be NULL */
	int64_t import_id;
	int64_t seq; /* the order within one day */
};

/*
 * The events of the person with key `pkey` in date order, audited as "person.timeline"
 * for `who`. ERR_NOTFOUND for an unknown key. Free with feed_events_free.
 */
int feed_timeline(struct store *s, const struct access *who, const char *pkey,
                  struct feed_event **out, size_t *n, struct err *e);
void feed_events_free(struct feed_event *ev, size_t n);

/* ---- progress (progress.c) ---------------------------------------------------------------- */

/*
 * A feed_progress_fn that draws a bar on a terminal (rows, rows/s, time left from the file
 * size) or writes a plain line every few seconds otherwise. `arg` is a struct feed_progress.
 */
struct feed_progress {
	const char *label; /* e.g. "enrolments_2025-10-01.csv"; never personal data */
	bool tty;
	double started, last_shown;
};
void feed_progress_init(struct feed_progress *p, const char *label, bool tty);
feed_progress_fn feed_progress_show;

#endif
