/*
 * The SQLite back end: one file, write-ahead log, foreign keys on, a busy timeout so that a
 * second process waits for the writer instead of failing at once.
 */
#include "store/backend.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>
#include <string.h>

#define BUSY_TIMEOUT_MS 15000

static sqlite3 *db_of(struct store *s)
{
	return s->impl;
}

static sqlite3_stmt *stmt_of(struct stmt *st)
{
	return st->impl;
}

/* Map an SQLite result code to our error codes, naming what failed. */
static int sqlite_fail(sqlite3 *db, int rc, const char *what, struct err *e)
{
	enum err_code code = ERR_IO;
	int primary = rc & 0xff;
	if (primary == SQLITE_CONSTRAINT)
		code = rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY
			       ? ERR_CONFLICT
			       : ERR_INVALID;
	else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		code = ERR_CONFLICT;
	return err_set(e, code, "%s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static int sq_open(struct store *s, const char *path, struct err *e)
{
	/* A new store file is readable by its owner alone, like the key file. */
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd >= 0)
		close(fd);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_IO, "cannot open SQLite store '%s': %s", path,
			db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	s->impl = db;
	/* WAL lets readers go on while one writer works; NORMAL sync is safe with WAL. */
	static const char setup[] = "PRAGMA journal_mode=WAL;"
				    "PRAGMA synchronous=NORMAL;"
				    "PRAGMA foreign_keys=ON;"
				    "PRAGMA temp_store=MEMORY;";
	char *msg = NULL;
	rc = sqlite3_exec(db, setup, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_IO, "cannot set up SQLite store '%s': %s", path,
			msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(db);
		return -1;
	}
	return 0;
}

static void sq_close(struct store *s)
{
	sqlite3_close(db_of(s));
}

static int sq_exec(struct store *s, const char *sql, struct err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return 0;
	int ret = sqlite_fail(NULL, rc, msg ? msg : "statement", e);
	if (e && msg)
		err_set(e, e->code, "%s", msg);
	sqlite3_free(msg);
	return ret;
}

static int sq_prepare(struct store *s, struct stmt *st, const char *sql, struct err *e)
{
	sqlite3_stmt *p = NULL;
	int rc = sqlite3_prepare_v3(db_of(s), sql, -1, SQLITE_PREPARE_PERSISTENT, &p, NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(db_of(s), rc, "prepare", e);
	st->impl = p;
	return 0;
}

static void sq_finalize(struct stmt *st)
{
	sqlite3_finalize(stmt_of(st));
}

static void sq_bind_int64(struct stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(stmt_of(st), i, v);
}

static void sq_bind_double(struct stmt *st, int i, double v)
{
	sqlite3_bind_double(stmt_of(st), i, v);
}

static void sq_bind_text(struct stmt *st, int i, const char *v)
{
	sqlite3_bind_text(stmt_of(st), i, v, -1, SQLITE_TRANSIENT);
}

static void sq_bind_text_ref(struct stmt *st, int i, const char *v, size_t len)
{
	sqlite3_bind_text64(stmt_of(st), i, v, len, SQLITE_STATIC, SQLITE_UTF8);
}

static void sq_bind_blob(struct stmt *st, int i, const void *v, size_t len)
{
	sqlite3_bind_blob64(stmt_of(st), i, v, len, SQLITE_TRANSIENT);
}

static void sq_bind_null(struct stmt *st, int i)
{
	sqlite3_bind_null(stmt_of(st), i);
}

static int sq_step(struct stmt *st, struct err *e)
{
	int rc = sqlite3_step(stmt_of(st));
	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	sqlite3 *db = db_of(st->store);
	return sqlite_fail(db, sqlite3_extended_errcode(db), "statement", e);
}

static void sq_reset(struct stmt *st)
{
	sqlite3_reset(stmt_of(st));
	sqlite3_clear_bindings(stmt_of(st));
}

static int sq_is_null(struct stmt *st, int col)
{
	return sqlite3_column_type(stmt_of(st), col) == SQLITE_NULL;
}

static int64_t sq_int64(struct stmt *st, int col)
{
	return sqlite3_column_int64(stmt_of(st), col);
}

static double sq_double(struct stmt *st, int col)
{
	return sqlite3_column_double(stmt_of(st), col);
}

static const char *sq_text(struct stmt *st, int col)
{
	return (const char *)sqlite3_column_text(stmt_of(st), col);
}

static const void *sq_blob(struct stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(stmt_of(st), col);
	*len = (size_t)sqlite3_column_bytes(stmt_of(st), col);
	return p;
}

static int64_t sq_changes(struct stmt *st)
{
	return sqlite3_changes64(db_of(st->store));
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.begin_sql = "BEGIN IMMEDIATE",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_text_ref = sq_bind_text_ref,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.is_null = sq_is_null,
	.column_int64 = sq_int64,
	.column_double = sq_double,
	.column_text = sq_text,
	.column_blob = sq_blob,
	.changes = sq_changes,
};
