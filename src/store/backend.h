/*
 * The contract between store.c and a back end (sqlite.c, pg.c): a table of functions, like
 * git's ref storage back ends. Only store.c and the back ends include this file.
 */
#ifndef STORE_BACKEND_H
#define STORE_BACKEND_H

#include "store/store.h"

struct store_ops {
	const char *name;
	const char *begin_sql;
	const char *begin_read_sql; /* a transaction that only reads */
	int (*open)(struct store *s, const char *url, struct err *e);
	void (*close)(struct store *s);
	int (*exec)(struct store *s, const char *sql, struct err *e);
	int (*prepare)(struct store *s, struct stmt *st, const char *sql, struct err *e);
	void (*finalize)(struct stmt *st);
	void (*bind_int64)(struct stmt *st, int i, int64_t v);
	void (*bind_double)(struct stmt *st, int i, double v);
	void (*bind_text)(struct stmt *st, int i, const char *v);
	void (*bind_text_ref)(struct stmt *st, int i, const char *v, size_t len);
	void (*bind_blob)(struct stmt *st, int i, const void *v, size_t len);
	void (*bind_null)(struct stmt *st, int i);
	int (*step)(struct stmt *st, struct err *e);
	void (*reset)(struct stmt *st);
	int (*is_null)(struct stmt *st, int col);
	int64_t (*column_int64)(struct stmt *st, int col);
	double (*column_double)(struct stmt *st, int col);
	const char *(*column_text)(struct stmt *st, int col);
	const void *(*column_blob)(struct stmt *st, int col, size_t *len);
	int64_t (*changes)(struct stmt *st);
	/* Bulk rows (store_copy_*); NULL where the back end has none. */
	int (*copy_begin)(struct store *s, const char *table, const char *columns, struct err *e);
	int (*copy_row)(struct store *s, int n, const char *const *values, const size_t *lens,
			struct err *e);
	int (*copy_end)(struct store *s, int64_t *rows, struct err *e);
};

struct store {
	const struct store_ops *ops;
	enum store_backend backend;
	char *url; /* as given to store_open, for store_open_again */
	void *impl;
	int tx_depth;
	int tx_failed;
	uint64_t serial; /* unique in this process, never reused (store_serial) */
};

struct stmt {
	struct store *store;
	void *impl;
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

#endif
