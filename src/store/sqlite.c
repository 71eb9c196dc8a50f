/*
 * The SQLite back end: one file, write-ahead log, foreign keys on, a busy timeout so that a
 * second process waits for the writer instead of failing at once.
 *
 * Statements are kept for reuse: stmt_free resets a statement and puts it aside under its SQL
 * text, and the next store_prepare of the same text takes it back instead of compiling it
 * again. Compiling costs more than running the point queries that a request makes (the
 * access decision makes about ten), as the PostgreSQL back end found for its round trips.
 */
#include "store/backend.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 15000
#define CACHE_BUCKETS 128
#define CACHE_MAX 256 /* statements kept aside per connection; more are finalised */

/* A compiled statement and the text it was compiled from; in use or kept aside. */
struct sq_stmt {
	sqlite3_stmt *p;
	char *sql;
	unsigned hash;
	struct sq_stmt *next; /* in its bucket, while kept aside */
};

struct sq_store {
	sqlite3 *db;
	struct sq_stmt *kept[CACHE_BUCKETS];
	size_t nkept;
};

static sqlite3 *db_of(struct store *s)
{
	return ((struct sq_store *)s->impl)->db;
}

static sqlite3_stmt *stmt_of(struct stmt *st)
{
	return ((struct sq_stmt *)st->impl)->p;
}

static unsigned sql_hash(const char *sql)
{
	unsigned h = 2166136261u; /* FNV-1a */
	for (const unsigned char *c = (const unsigned char *)sql; *c; c++)
		h = (h ^ *c) * 16777619u;
	return h;
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
	/* A store is used by one thread at a time (store.h), so SQLite's own mutex on every
	 * call is not needed: NOMUTEX saves a lock and unlock per column read. */
	int rc = sqlite3_open_v2(path, &db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_IO, "cannot open SQLite store '%s': %s", path,
			db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	struct sq_store *ss = xcalloc(1, sizeof(*ss));
	ss->db = db;
	s->impl = ss;
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
		free(ss);
		s->impl = NULL;
		return -1;
	}
	return 0;
}

static void sq_stmt_free(struct sq_stmt *q)
{
	sqlite3_finalize(q->p);
	free(q->sql);
	free(q);
}

static void sq_close(struct store *s)
{
	struct sq_store *ss = s->impl;
	for (int i = 0; i < CACHE_BUCKETS; i++)
		for (struct sq_stmt *q = ss->kept[i], *next; q; q = next) {
			next = q->next;
			sq_stmt_free(q);
		}
	sqlite3_close(ss->db);
	free(ss);
}

static int sq_prepare(struct store *s, struct stmt *st, const char *sql, struct err *e);
static void sq_finalize(struct stmt *st);

/*
 * One statement without a ';' (BEGIN, COMMIT, a PRAGMA …): through the kept statements,
 * since a transaction's begin and commit are compiled as often as the statements in them.
 */
static int sq_exec_one(struct store *s, const char *sql, struct err *e)
{
	struct stmt st = {.store = s};
	if (sq_prepare(s, &st, sql, e) < 0)
		return -1;
	int rc;
	struct sq_stmt *q = st.impl;
	while ((rc = sqlite3_step(q->p)) == SQLITE_ROW)
		;
	sqlite3 *db = db_of(s);
	int ret = rc == SQLITE_DONE ? 0 : sqlite_fail(db, sqlite3_extended_errcode(db), "statement", e);
	sq_finalize(&st);
	return ret;
}

static int sq_exec(struct store *s, const char *sql, struct err *e)
{
	if (!strchr(sql, ';'))
		return sq_exec_one(s, sql, e);
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
	struct sq_store *ss = s->impl;
	unsigned h = sql_hash(sql);
	for (struct sq_stmt **at = &ss->kept[h % CACHE_BUCKETS]; *at; at = &(*at)->next) {
		struct sq_stmt *q = *at;
		if (q->hash == h && strcmp(q->sql, sql) == 0) {
			*at = q->next;
			q->next = NULL;
			ss->nkept--;
			st->impl = q;
			return 0;
		}
	}
	sqlite3_stmt *p = NULL;
	int rc = sqlite3_prepare_v3(ss->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &p, NULL);
	if (rc != SQLITE_OK)
		return sqlite_fail(ss->db, rc, "prepare", e);
	struct sq_stmt *q = xcalloc(1, sizeof(*q));
	q->p = p;
	q->sql = xstrdup(sql);
	q->hash = h;
	st->impl = q;
	return 0;
}

/* Keep the statement aside for the next prepare of its text, reset and unbound. */
static void sq_finalize(struct stmt *st)
{
	struct sq_stmt *q = st->impl;
	struct sq_store *ss = st->store->impl;
	if (!q->p || ss->nkept >= CACHE_MAX) {
		sq_stmt_free(q);
		return;
	}
	sqlite3_reset(q->p);
	sqlite3_clear_bindings(q->p);
	unsigned b = q->hash % CACHE_BUCKETS;
	q->next = ss->kept[b];
	ss->kept[b] = q;
	ss->nkept++;
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
	/* A read takes no lock until it reads, and never the write lock. */
	.begin_read_sql = "BEGIN DEFERRED",
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
