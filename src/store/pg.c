/*
 * The PostgreSQL back end, through libpq. Statements are prepared on the server once and run
 * with text parameters (binary for blobs); `?` placeholders are numbered $1, $2, … here.
 * A result is fetched whole, so that a caller may run other statements while it reads rows,
 * as it can with SQLite; large scans therefore page with LIMIT/OFFSET or keys.
 */
#include "store/backend.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Statements prepared on the server stay there for the life of the connection and are found
 * again by their SQL text, so that preparing the same statement again (as every request and
 * every import does) costs no round trip. A prepared statement is only a template: several
 * struct stmt may run the same one.
 */
#define PREPARED_BUCKETS 256

struct prepared {
	char *sql; /* as given, before numbering */
	char name[32];
	int nparams;
	struct prepared *next;
};

struct pg_store {
	PGconn *conn;
	unsigned next_name;
	struct prepared *prepared[PREPARED_BUCKETS];
	struct buf copy; /* COPY rows not sent yet */
};

struct pg_stmt {
	char name[32];
	int nparams;
	char **values;
	int *lengths;
	int *formats;
	PGresult *res;
	int row;
	int executed;
	unsigned char **blobs; /* unescaped bytea of the current row, per column */
	size_t *blob_lens;
	int ncols;
};

static PGconn *conn_of(struct store *s)
{
	return ((struct pg_store *)s->impl)->conn;
}

static struct pg_stmt *pst(struct stmt *st)
{
	return st->impl;
}

static char *number_placeholders(const char *sql, int *count);

static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Map a failed result to our error codes by SQLSTATE. */
static int pg_fail(PGconn *conn, const PGresult *res, struct err *e)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
	enum err_code code = ERR_IO;
	if (state && strcmp(state, "23505") == 0)
		code = ERR_CONFLICT;
	else if (state && strncmp(state, "23", 2) == 0)
		code = ERR_INVALID;
	else if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
			   strcmp(state, "55P03") == 0))
		code = ERR_CONFLICT;
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	return err_set(e, code, "%.*s", (int)n, msg);
}

static int pg_open(struct store *s, const char *url, struct err *e)
{
	PGconn *conn = PQconnectdb(url);
	if (PQstatus(conn) != CONNECTION_OK) {
		/* The URL may hold a password: name the host, never the URL. */
		const char *host = PQhost(conn);
		err_set(e, ERR_IO, "cannot connect to PostgreSQL on '%s': %s", host ? host : "?",
			PQerrorMessage(conn));
		PQfinish(conn);
		return -1;
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	struct pg_store *ps = xcalloc(1, sizeof(*ps));
	ps->conn = conn;
	s->impl = ps;
	return 0;
}

static void pg_close(struct store *s)
{
	struct pg_store *ps = s->impl;
	PQfinish(ps->conn);
	for (int i = 0; i < PREPARED_BUCKETS; i++) {
		struct prepared *p = ps->prepared[i], *next;
		for (; p; p = next) {
			next = p->next;
			free(p->sql);
			free(p);
		}
	}
	buf_release(&ps->copy);
	free(ps);
}

static unsigned sql_bucket(const char *sql)
{
	unsigned h = 2166136261u; /* FNV-1a */
	for (const unsigned char *c = (const unsigned char *)sql; *c; c++)
		h = (h ^ *c) * 16777619u;
	return h % PREPARED_BUCKETS;
}

/* The server-side statement for `sql`, prepared now if this connection has none yet. */
static struct prepared *prepared_for(struct pg_store *ps, const char *sql, struct err *e)
{
	unsigned b = sql_bucket(sql);
	for (struct prepared *p = ps->prepared[b]; p; p = p->next)
		if (strcmp(p->sql, sql) == 0)
			return p;
	struct prepared *p = xcalloc(1, sizeof(*p));
	char *numbered = number_placeholders(sql, &p->nparams);
	snprintf(p->name, sizeof(p->name), "s%u", ++ps->next_name);
	PGresult *res = PQprepare(ps->conn, p->name, numbered, p->nparams, NULL);
	free(numbered);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_fail(ps->conn, res, e);
		PQclear(res);
		free(p);
		return NULL;
	}
	PQclear(res);
	p->sql = xstrdup(sql);
	p->next = ps->prepared[b];
	ps->prepared[b] = p;
	return p;
}

static int pg_exec(struct store *s, const char *sql, struct err *e)
{
	PGresult *res = PQexec(conn_of(s), sql);
	ExecStatusType status = PQresultStatus(res);
	int rc = 0;
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
		rc = pg_fail(conn_of(s), res, e);
	PQclear(res);
	return rc;
}

/* Rewrite `?` placeholders as $1, $2 …, leaving quoted text and comments alone. */
static char *number_placeholders(const char *sql, int *count)
{
	struct buf out = BUF_INIT;
	int n = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			buf_addch(&out, *p++);
			while (*p && *p != q)
				buf_addch(&out, *p++);
			if (!*p)
				break;
			buf_addch(&out, *p);
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				buf_addch(&out, *p++);
			if (!*p)
				break;
			buf_addch(&out, *p);
		} else if (*p == '?') {
			buf_addf(&out, "$%d", ++n);
		} else {
			buf_addch(&out, *p);
		}
	}
	*count = n;
	return buf_detach(&out, NULL);
}

static int pg_prepare(struct store *s, struct stmt *st, const char *sql, struct err *e)
{
	struct prepared *prep = prepared_for(s->impl, sql, e);
	if (!prep)
		return -1;
	struct pg_stmt *p = xcalloc(1, sizeof(*p));
	memcpy(p->name, prep->name, sizeof(p->name));
	p->nparams = prep->nparams;
	int np = p->nparams ? p->nparams : 1;
	p->values = xcalloc((size_t)np, sizeof(char *));
	p->lengths = xcalloc((size_t)np, sizeof(int));
	p->formats = xcalloc((size_t)np, sizeof(int));
	st->impl = p;
	return 0;
}

static void drop_blobs(struct pg_stmt *p)
{
	for (int i = 0; i < p->ncols; i++) {
		if (p->blobs[i])
			PQfreemem(p->blobs[i]);
		p->blobs[i] = NULL;
	}
}

static void drop_result(struct pg_stmt *p)
{
	if (p->blobs)
		drop_blobs(p);
	free(p->blobs);
	free(p->blob_lens);
	p->blobs = NULL;
	p->blob_lens = NULL;
	p->ncols = 0;
	PQclear(p->res);
	p->res = NULL;
	p->executed = 0;
}

static void clear_bindings(struct pg_stmt *p)
{
	for (int i = 0; i < p->nparams; i++) {
		free(p->values[i]);
		p->values[i] = NULL;
		p->lengths[i] = 0;
		p->formats[i] = 0;
	}
}

static void pg_finalize(struct stmt *st)
{
	struct pg_stmt *p = pst(st);
	drop_result(p);
	clear_bindings(p);
	free(p->values);
	free(p->lengths);
	free(p->formats);
	free(p);
}

static void set_param(struct stmt *st, int i, char *value, int len, int format)
{
	struct pg_stmt *p = pst(st);
	if (i < 1 || i > p->nparams) {
		free(value);
		return;
	}
	free(p->values[i - 1]);
	p->values[i - 1] = value;
	p->lengths[i - 1] = len;
	p->formats[i - 1] = format;
}

static void pg_bind_int64(struct stmt *st, int i, int64_t v)
{
	set_param(st, i, xasprintf("%lld", (long long)v), 0, 0);
}

static void pg_bind_double(struct stmt *st, int i, double v)
{
	set_param(st, i, xasprintf("%.17g", v), 0, 0);
}

static void pg_bind_text(struct stmt *st, int i, const char *v)
{
	set_param(st, i, xstrdup(v), 0, 0);
}

/* libpq reads the values when the statement runs; a copy is as cheap as keeping the pointer
 * apart from the owned ones, and keeps the bindings' ownership simple. */
static void pg_bind_text_ref(struct stmt *st, int i, const char *v, size_t len)
{
	char *copy = xmalloc(len + 1);
	memcpy(copy, v, len);
	copy[len] = '\0';
	set_param(st, i, copy, 0, 0);
}

static void pg_bind_blob(struct stmt *st, int i, const void *v, size_t len)
{
	char *copy = xmalloc(len ? len : 1);
	memcpy(copy, v, len);
	set_param(st, i, copy, (int)len, 1);
}

static void pg_bind_null(struct stmt *st, int i)
{
	set_param(st, i, NULL, 0, 0);
}

static int pg_step(struct stmt *st, struct err *e)
{
	struct pg_stmt *p = pst(st);
	if (!p->executed) {
		PGconn *conn = conn_of(st->store);
		p->res = PQexecPrepared(conn, p->name, p->nparams, (const char *const *)p->values,
					p->lengths, p->formats, 0);
		p->executed = 1;
		p->row = -1;
		ExecStatusType status = PQresultStatus(p->res);
		if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
			int rc = pg_fail(conn, p->res, e);
			PQclear(p->res);
			p->res = NULL;
			return rc;
		}
		p->ncols = PQnfields(p->res);
		p->blobs = xcalloc((size_t)(p->ncols ? p->ncols : 1), sizeof(*p->blobs));
		p->blob_lens = xcalloc((size_t)(p->ncols ? p->ncols : 1), sizeof(*p->blob_lens));
	}
	if (!p->res)
		return STORE_DONE;
	drop_blobs(p);
	if (p->row + 1 < PQntuples(p->res)) {
		p->row++;
		return STORE_ROW;
	}
	p->row = PQntuples(p->res);
	return STORE_DONE;
}

static void pg_reset(struct stmt *st)
{
	drop_result(pst(st));
	clear_bindings(pst(st));
}

static int valid_cell(struct pg_stmt *p, int col)
{
	return p->res && p->row >= 0 && p->row < PQntuples(p->res) && col >= 0 && col < p->ncols;
}

static int pg_is_null(struct stmt *st, int col)
{
	struct pg_stmt *p = pst(st);
	return !valid_cell(p, col) || PQgetisnull(p->res, p->row, col);
}

static int64_t pgst_int64(struct stmt *st, int col)
{
	struct pg_stmt *p = pst(st);
	return pg_is_null(st, col) ? 0 : strtoll(PQgetvalue(p->res, p->row, col), NULL, 10);
}

static double pgst_double(struct stmt *st, int col)
{
	struct pg_stmt *p = pst(st);
	return pg_is_null(st, col) ? 0.0 : strtod(PQgetvalue(p->res, p->row, col), NULL);
}

static const char *pgst_text(struct stmt *st, int col)
{
	struct pg_stmt *p = pst(st);
	return pg_is_null(st, col) ? NULL : PQgetvalue(p->res, p->row, col);
}

static const void *pgst_blob(struct stmt *st, int col, size_t *len)
{
	struct pg_stmt *p = pst(st);
	*len = 0;
	if (pg_is_null(st, col))
		return NULL;
	if (!p->blobs[col])
		p->blobs[col] = PQunescapeBytea(
			(const unsigned char *)PQgetvalue(p->res, p->row, col), &p->blob_lens[col]);
	*len = p->blob_lens[col];
	return p->blobs[col];
}

static int64_t pg_changes(struct stmt *st)
{
	struct pg_stmt *p = pst(st);
	return p->res ? strtoll(PQcmdTuples(p->res), NULL, 10) : 0;
}

/* ---- COPY (store_copy_*) ---- */

#define COPY_SEND_BYTES (256 * 1024)

static int pg_copy_begin(struct store *s, const char *table, const char *columns, struct err *e)
{
	struct pg_store *ps = s->impl;
	/* Table and columns come from the caller's static text, never from input. */
	char *sql = xasprintf("COPY %s (%s) FROM STDIN", table, columns);
	PGresult *res = PQexec(ps->conn, sql);
	free(sql);
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COPY_IN)
		rc = pg_fail(ps->conn, res, e);
	PQclear(res);
	buf_reset(&ps->copy);
	return rc;
}

static int copy_send(struct pg_store *ps, struct err *e)
{
	if (ps->copy.len && PQputCopyData(ps->conn, ps->copy.data, (int)ps->copy.len) != 1)
		return err_set(e, ERR_IO, "COPY: %s", PQerrorMessage(ps->conn));
	buf_reset(&ps->copy);
	return 0;
}

/* One row in COPY's text format: tab between values, \N for NULL, a backslash before a
 * backslash, tab, newline or carriage return in a value. */
static int pg_copy_row(struct store *s, int n, const char *const *values, const size_t *lens,
		       struct err *e)
{
	struct pg_store *ps = s->impl;
	struct buf *b = &ps->copy;
	for (int i = 0; i < n; i++) {
		if (i)
			buf_addch(b, '\t');
		if (!values[i]) {
			buf_add(b, "\\N", 2);
			continue;
		}
		buf_grow(b, 2 * lens[i]);
		char *p = b->data + b->len;
		for (size_t j = 0; j < lens[i]; j++) {
			char c = values[i][j];
			if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
				*p++ = '\\';
				*p++ = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
			} else {
				*p++ = c;
			}
		}
		b->len = (size_t)(p - b->data);
		b->data[b->len] = '\0';
	}
	buf_addch(b, '\n');
	return b->len >= COPY_SEND_BYTES ? copy_send(ps, e) : 0;
}

static int pg_copy_end(struct store *s, int64_t *rows, struct err *e)
{
	struct pg_store *ps = s->impl;
	*rows = 0;
	int rc = copy_send(ps, e);
	const char *abort = rc < 0 ? "the client could not send a row" : NULL;
	if (PQputCopyEnd(ps->conn, abort) != 1 && rc == 0)
		rc = err_set(e, ERR_IO, "COPY: %s", PQerrorMessage(ps->conn));
	PGresult *res;
	while ((res = PQgetResult(ps->conn))) {
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			*rows = strtoll(PQcmdTuples(res), NULL, 10);
		else if (rc == 0)
			rc = pg_fail(ps->conn, res, e);
		PQclear(res);
	}
	return rc;
}

const struct store_ops store_pg_ops = {
	.name = "postgresql",
	.begin_sql = "BEGIN",
	.begin_read_sql = "BEGIN",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_text_ref = pg_bind_text_ref,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.is_null = pg_is_null,
	.column_int64 = pgst_int64,
	.column_double = pgst_double,
	.column_text = pgst_text,
	.column_blob = pgst_blob,
	.changes = pg_changes,
	.copy_begin = pg_copy_begin,
	.copy_row = pg_copy_row,
	.copy_end = pg_copy_end,
};
