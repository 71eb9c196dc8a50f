/*
 * The store: one small interface over SQLite (the embedded default) and PostgreSQL (a shared
 * deployment), chosen by URL. Modules keep their SQL beside their code, written in the subset
 * both back ends accept, with `?` for parameters (the PostgreSQL back end numbers them).
 *
 * Conventions both back ends keep: integers are 64-bit; dates are ISO text "YYYY-MM-DD";
 * booleans are integers 0/1; binary values are BLOB/bytea; new ids come from RETURNING id.
 *
 * Ownership: store_open returns a store the caller frees with store_close; store_prepare
 * returns a statement the caller frees with stmt_free, before closing its store. Text and
 * blob columns are borrowed and stay valid until the next stmt_step, stmt_reset or stmt_free.
 * A store and its statements are used by one thread at a time.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct store;
struct stmt;

enum store_backend { STORE_SQLITE, STORE_POSTGRES };

enum { STORE_DONE = 0, STORE_ROW = 1 };

/*
 * Open the store at `url`: "postgresql://…" or "postgres://…" for PostgreSQL; "sqlite:PATH"
 * or a plain file path for SQLite (created if missing). Does not look at the schema.
 */
int store_open(struct store **out, const char *url, struct err *e);
void store_close(struct store *s);

/*
 * A second connection to the store `s` is on (same URL), for a thread that reads while `s`
 * writes. It sees what others committed, not `s`'s open transaction. Freed with store_close.
 */
int store_open_again(struct store *s, struct store **out, struct err *e);

enum store_backend store_backend(const struct store *s);

/*
 * A number that tells this store apart from every other opened in this process, including
 * those closed before (an address may be reused, this number is not): for caches that
 * hold what one store said.
 */
uint64_t store_serial(const struct store *s);

/*
 * What a per-thread cache holds for: one store (store_serial) at one value of a counter in
 * `meta` that triggers move whenever what the cache copies changes, from any process.
 */
struct store_mark {
	uint64_t serial; /* 0: nothing yet */
	bool usable;     /* the store has the counter; without it nothing may be kept */
	char value[24];
};

/*
 * Whether `m` still holds for `s` with the counter at `value` (NULL: the store has none).
 * When it does not, `m` is set to them and false returned: the cache drops what it holds.
 */
bool store_mark_holds(struct store_mark *m, const struct store *s, const char *value);
const char *store_backend_name(const struct store *s);

/* Run one or more statements without parameters or results (migrations, settings). */
int store_exec(struct store *s, const char *sql, struct err *e);

int store_prepare(struct store *s, const char *sql, struct stmt **out, struct err *e);
void stmt_free(struct stmt *st);

/* Parameters are numbered from 1. Text and blobs are copied. A NULL text binds NULL. */
void stmt_bind_int64(struct stmt *st, int i, int64_t v);
void stmt_bind_double(struct stmt *st, int i, double v);
void stmt_bind_text(struct stmt *st, int i, const char *v);
void stmt_bind_blob(struct stmt *st, int i, const void *v, size_t len);
void stmt_bind_null(struct stmt *st, int i);

/*
 * Bind `len` bytes of text that the caller keeps valid and unchanged until the statement is
 * reset or freed: SQLite then does not copy them (a bulk insert binds thousands of values).
 * A NULL text binds NULL.
 */
void stmt_bind_text_ref(struct stmt *st, int i, const char *v, size_t len);

/* Run or advance: STORE_ROW when a row is ready, STORE_DONE at the end, -1 on error. */
int stmt_step(struct stmt *st, struct err *e);

/* Ready the statement to run again; bindings are cleared. */
void stmt_reset(struct stmt *st);

/* Columns are numbered from 0. */
int stmt_is_null(struct stmt *st, int col);
int64_t stmt_int64(struct stmt *st, int col);
double stmt_double(struct stmt *st, int col);
const char *stmt_text(struct stmt *st, int col); /* NULL for NULL */
const void *stmt_blob(struct stmt *st, int col, size_t *len);

/* Rows changed by the last INSERT, UPDATE or DELETE run through this statement. */
int64_t stmt_changes(struct stmt *st);

/*
 * Transactions. They nest by counting: only the outermost begin and commit reach the back
 * end; a rollback at any depth makes the whole transaction roll back, and the outer commit
 * then fails with ERR_CONFLICT. On SQLite, begin takes the write lock at once (IMMEDIATE).
 */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);

/*
 * A transaction that only reads: one consistent view for several statements, without the
 * write lock on SQLite (so that readers never wait for the writer nor hold it up). It ends
 * with store_commit or store_rollback; inside another transaction it only counts. A write
 * inside it is an error of the caller (on SQLite it may fail with ERR_CONFLICT).
 */
int store_begin_read(struct store *s, struct err *e);
void store_rollback(struct store *s);

/*
 * Bulk rows into one table: PostgreSQL's COPY … FROM STDIN, which takes thousands of rows
 * in one request and without a statement to plan (docs/feeds.md, "Speed"). SQLite has no
 * such thing, nor needs it (a prepared multi-row INSERT runs in the same process):
 * store_can_copy is false there and the others must not be called.
 *
 * store_copy_begin starts COPY into `table` (`columns` as in an INSERT: "a, b, c"); until
 * store_copy_end the store runs nothing else. store_copy_row adds one row of `n` values,
 * in the columns' order, each `lens[i]` bytes of text (values[i] NULL: SQL NULL).
 * store_copy_end sends what is left and gives the outcome of the whole COPY, with the
 * rows written in *rows: a row breaking a constraint fails it (ERR_CONFLICT for a
 * duplicate key) and, as any failed statement on PostgreSQL, the transaction.
 */
bool store_can_copy(const struct store *s);
int store_copy_begin(struct store *s, const char *table, const char *columns, struct err *e);
int store_copy_row(struct store *s, int n, const char *const *values, const size_t *lens,
		   struct err *e);
int store_copy_end(struct store *s, int64_t *rows, struct err *e);

/* Prepare, bind nothing, step once and read column 0 as an integer (0 when no row). */
int store_query_int64(struct store *s, const char *sql, int64_t *out, struct err *e);
/* The same for a text of at most size - 1 bytes into out; *found false (out "") when the
 * query gives no row or NULL. */
int store_query_text(struct store *s, const char *sql, char *out, size_t size, bool *found,
                     struct err *e);

/*
 * For a bulk write on SQLite: let the page cache grow to `mib` MiB, so that the index pages a
 * long transaction touches again and again are written to the WAL once rather than every time
 * the cache spills them. *restore holds the setting to give store_bulk_cache_end. Memory
 * stays bounded by `mib`, whatever the size of the write. PostgreSQL: nothing to do.
 */
int store_bulk_cache_begin(struct store *s, int mib, int64_t *restore, struct err *e);
void store_bulk_cache_end(struct store *s, int64_t restore);

/*
 * Schema. store_migrate applies the numbered migrations that the store lacks, each in its own
 * transaction; store_check_schema refuses a store with no schema, an older one ("run inbeeld
 * init") and a newer one ("this inbeeld is older than the store").
 */
int store_migrate(struct store *s, int *applied, struct err *e);
/* The same up to schema `version` only (a test of a migration starts below it). */
int store_migrate_to(struct store *s, int version, int *applied, struct err *e);
int store_check_schema(struct store *s, struct err *e);
int store_schema_version(struct store *s, int *version, struct err *e);
int store_known_version(const struct store *s);

#endif
