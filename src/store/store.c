/*
 * The store front: choosing a back end by URL, transactions that nest by counting, and the
 * numbered migrations compiled into the binary (src/store/sql/<backend>/NNNN-name.sql).
 */
#include "store/backend.h"
#include "util/embedded.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int store_open(struct store **out, const char *url, struct err *e)
{
	struct store *s = xcalloc(1, sizeof(*s));
	s->url = xstrdup(url);
	if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://")) {
		s->ops = &store_pg_ops;
		s->backend = STORE_POSTGRES;
	} else {
		s->ops = &store_sqlite_ops;
		s->backend = STORE_SQLITE;
		if (has_prefix(url, "sqlite://"))
			url += strlen("sqlite://");
		else if (has_prefix(url, "sqlite:"))
			url += strlen("sqlite:");
		if (!*url) {
			free(s->url);
			free(s);
			return err_set(e, ERR_USAGE, "empty SQLite path in the store URL");
		}
	}
	if (s->ops->open(s, url, e) < 0) {
		free(s->url);
		free(s);
		return -1;
	}
	static _Atomic uint64_t serials;
	s->serial = ++serials;
	*out = s;
	return 0;
}

int store_open_again(struct store *s, struct store **out, struct err *e)
{
	return store_open(out, s->url, e);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->tx_depth > 0) {
		s->tx_depth = 1;
		store_rollback(s);
	}
	s->ops->close(s);
	free(s->url);
	free(s);
}

enum store_backend store_backend(const struct store *s)
{
	return s->backend;
}

uint64_t store_serial(const struct store *s)
{
	return s->serial;
}

bool store_mark_holds(struct store_mark *m, const struct store *s, const char *value)
{
	bool usable = value != NULL;
	if (!value)
		value = "";
	if (m->serial == s->serial && m->usable == usable && strcmp(m->value, value) == 0)
		return true;
	m->serial = s->serial;
	m->usable = usable;
	snprintf(m->value, sizeof(m->value), "%s", value);
	return false;
}

const char *store_backend_name(const struct store *s)
{
	return s->ops->name;
}

int store_exec(struct store *s, const char *sql, struct err *e)
{
	return s->ops->exec(s, sql, e);
}

int store_prepare(struct store *s, const char *sql, struct stmt **out, struct err *e)
{
	struct stmt *st = xcalloc(1, sizeof(*st));
	st->store = s;
	if (s->ops->prepare(s, st, sql, e) < 0) {
		free(st);
		return -1;
	}
	*out = st;
	return 0;
}

void stmt_free(struct stmt *st)
{
	if (!st)
		return;
	st->store->ops->finalize(st);
	free(st);
}

void stmt_bind_int64(struct stmt *st, int i, int64_t v)
{
	st->store->ops->bind_int64(st, i, v);
}

void stmt_bind_double(struct stmt *st, int i, double v)
{
	st->store->ops->bind_double(st, i, v);
}

void stmt_bind_text(struct stmt *st, int i, const char *v)
{
	if (v)
		st->store->ops->bind_text(st, i, v);
	else
		st->store->ops->bind_null(st, i);
}

void stmt_bind_text_ref(struct stmt *st, int i, const char *v, size_t len)
{
	if (v)
		st->store->ops->bind_text_ref(st, i, v, len);
	else
		st->store->ops->bind_null(st, i);
}

void stmt_bind_blob(struct stmt *st, int i, const void *v, size_t len)
{
	st->store->ops->bind_blob(st, i, v, len);
}

void stmt_bind_null(struct stmt *st, int i)
{
	st->store->ops->bind_null(st, i);
}

int stmt_step(struct stmt *st, struct err *e)
{
	return st->store->ops->step(st, e);
}

void stmt_reset(struct stmt *st)
{
	st->store->ops->reset(st);
}

int stmt_is_null(struct stmt *st, int col)
{
	return st->store->ops->is_null(st, col);
}

int64_t stmt_int64(struct stmt *st, int col)
{
	return st->store->ops->column_int64(st, col);
}

double stmt_double(struct stmt *st, int col)
{
	return st->store->ops->column_double(st, col);
}

const char *stmt_text(struct stmt *st, int col)
{
	return st->store->ops->column_text(st, col);
}

const void *stmt_blob(struct stmt *st, int col, size_t *len)
{
	return st->store->ops->column_blob(st, col, len);
}

int64_t stmt_changes(struct stmt *st)
{
	return st->store->ops->changes(st);
}

static int begin_with(struct store *s, const char *sql, struct err *e)
{
	if (s->tx_depth++ > 0)
		return 0;
	s->tx_failed = 0;
	if (s->ops->exec(s, sql, e) < 0) {
		s->tx_depth = 0;
		return -1;
	}
	return 0;
}

int store_begin(struct store *s, struct err *e)
{
	return begin_with(s, s->ops->begin_sql, e);
}

int store_begin_read(struct store *s, struct err *e)
{
	return begin_with(s, s->ops->begin_read_sql, e);
}

int store_commit(struct store *s, struct err *e)
{
	if (s->tx_depth <= 0)
		return err_set(e, ERR_INTERNAL, "commit without a transaction");
	if (--s->tx_depth > 0)
		return 0;
	if (s->tx_failed) {
		s->ops->exec(s, "ROLLBACK", NULL);
		return err_set(e, ERR_CONFLICT, "the transaction was rolled back by an inner step");
	}
	if (s->ops->exec(s, "COMMIT", e) < 0) {
		s->ops->exec(s, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

void store_rollback(struct store *s)
{
	if (s->tx_depth <= 0)
		return;
	if (--s->tx_depth > 0) {
		s->tx_failed = 1;
		return;
	}
	s->ops->exec(s, "ROLLBACK", NULL);
}

bool store_can_copy(const struct store *s)
{
	return s->ops->copy_begin != NULL;
}

int store_copy_begin(struct store *s, const char *table, const char *columns, struct err *e)
{
	if (!s->ops->copy_begin)
		return err_set(e, ERR_INTERNAL, "the %s store has no bulk copy", s->ops->name);
	return s->ops->copy_begin(s, table, columns, e);
}

int store_copy_row(struct store *s, int n, const char *const *values, const size_t *lens,
		   struct err *e)
{
	return s->ops->copy_row(s, n, values, lens, e);
}

int store_copy_end(struct store *s, int64_t *rows, struct err *e)
{
	return s->ops->copy_end(s, rows, e);
}

int store_query_int64(struct store *s, const char *sql, int64_t *out, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	int rc = stmt_step(st, e);
	if (rc >= 0)
		*out = rc == STORE_ROW && !stmt_is_null(st, 0) ? stmt_int64(st, 0) : 0;
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int store_query_text(struct store *s, const char *sql, char *out, size_t size, bool *found,
                     struct err *e)
{
	struct stmt *st;
	out[0] = '\0';
	*found = false;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW && !stmt_is_null(st, 0)) {
		snprintf(out, size, "%s", stmt_text(st, 0));
		*found = true;
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int store_bulk_cache_begin(struct store *s, int mib, int64_t *restore, struct err *e)
{
	*restore = 0;
	if (s->backend != STORE_SQLITE)
		return 0;
	if (store_query_int64(s, "PRAGMA cache_size", restore, e) < 0)
		return -1;
	char sql[48];
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %lld", -1024LL * mib); /* negative: KiB */
	return store_exec(s, sql, e);
}

void store_bulk_cache_end(struct store *s, int64_t restore)
{
	if (s->backend != STORE_SQLITE)
		return;
	char sql[48];
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %lld", (long long)restore);
	store_exec(s, sql, NULL);
}

/* ---- migrations ---- */

static const char *migration_dir(const struct store *s)
{
	return s->backend == STORE_SQLITE ? "src/store/sql/sqlite/" : "src/store/sql/postgres/";
}

/* The version number of a migration file, from its NNNN- prefix; 0 when it has none. */
static int migration_version(const char *name, const char *dir)
{
	if (!has_prefix(name, dir))
		return 0;
	const char *base = name + strlen(dir);
	if (strlen(base) < 6 || base[4] != '-')
		return 0;
	return atoi(base);
}

int store_known_version(const struct store *s)
{
	int max = 0;
	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		int v = migration_version(f->name, migration_dir(s));
		if (v > max)
			max = v;
	}
	return max;
}

int store_schema_version(struct store *s, int *version, struct err *e)
{
	int64_t v = 0;
	struct err ignored = ERR_INIT;
	if (store_query_int64(s, "SELECT max(version) FROM schema_migrations", &v, &ignored) < 0) {
		*version = -1; /* no schema at all */
		return 0;
	}
	(void)e;
	*version = (int)v;
	return 0;
}

static const char create_migrations_sql[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL)";

static const char record_migration_sql[] =
	"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";

/*
 * SQLite rebuilds a table to change its constraints (create the new one, copy, drop the
 * old, rename): its migrations run with foreign keys off, as SQLite's documentation says to
 * do, and every reference is checked before the migration commits.
 */
static int check_foreign_keys(struct store *s, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, "PRAGMA foreign_key_check", &st, e) < 0)
		return -1;
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		rc = err_set(e, ERR_INTERNAL, "a row of table %s refers to a missing row of %s",
			     stmt_text(st, 0), stmt_text(st, 2));
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int apply_migration(struct store *s, int version, const struct embedded_file *f,
			   struct err *e)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);

	bool fk_off = s->backend == STORE_SQLITE && s->tx_depth == 0;
	if (fk_off && store_exec(s, "PRAGMA foreign_keys = OFF", e) < 0)
		return err_prefix(e, "migration %s", f->name);
	if (store_begin(s, e) < 0)
		goto fail_fk;
	struct stmt *st = NULL;
	if (store_exec(s, (const char *)f->data, e) < 0 ||
	    (fk_off && check_foreign_keys(s, e) < 0) ||
	    store_prepare(s, record_migration_sql, &st, e) < 0)
		goto fail;
	stmt_bind_int64(st, 1, version);
	stmt_bind_text(st, 2, f->name + strlen(migration_dir(s)));
	stmt_bind_text(st, 3, when);
	if (stmt_step(st, e) < 0)
		goto fail;
	stmt_free(st);
	int rc = store_commit(s, e);
	if (fk_off) {
		struct err ignored = ERR_INIT;
		store_exec(s, "PRAGMA foreign_keys = ON", &ignored);
	}
	return rc;
fail:
	stmt_free(st);
	store_rollback(s);
fail_fk:
	if (fk_off) {
		struct err ignored = ERR_INIT;
		store_exec(s, "PRAGMA foreign_keys = ON", &ignored);
	}
	return err_prefix(e, "migration %s", f->name);
}

/* The embedded migration with version `v`, or NULL. */
static const struct embedded_file *migration_file(const struct store *s, int v)
{
	const struct embedded_file *found = NULL;
	for (const struct embedded_file *f = embedded_files; f->name; f++)
		if (migration_version(f->name, migration_dir(s)) == v)
			found = f;
	return found;
}

static const char applied_sql[] = "SELECT version FROM schema_migrations WHERE version <= ?";

/*
 * Which versions up to `known` the store has applied: applied[v] for v in 1..known. The
 * store may have applied a migration before one numbered lower (a store of a release that
 * did not have 0008 yet has 0009 and 0010), so a store is up to date when it has every
 * migration of the build, not when its highest number is the build's.
 */
static int applied_versions(struct store *s, int known, unsigned char *applied, struct err *e)
{
	struct stmt *st;
	memset(applied, 0, (size_t)known + 1);
	if (store_prepare(s, applied_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, known);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		int64_t v = stmt_int64(st, 0);
		if (v >= 1 && v <= known)
			applied[v] = 1;
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int store_migrate(struct store *s, int *applied, struct err *e)
{
	return store_migrate_to(s, store_known_version(s), applied, e);
}

int store_migrate_to(struct store *s, int version, int *applied, struct err *e)
{
	int current;
	*applied = 0;
	if (store_exec(s, create_migrations_sql, e) < 0 || store_schema_version(s, &current, e) < 0)
		return -1;
	int known = store_known_version(s);
	if (current > known)
		return err_set(e, ERR_CONFLICT,
			       "the store has schema version %d, newer than this inbeeld knows (%d): "
			       "use a newer inbeeld",
			       current, known);
	unsigned char *have = xmalloc((size_t)known + 1);
	int rc = applied_versions(s, known, have, e);
	for (int v = 1; rc == 0 && v <= known && v <= version; v++) {
		const struct embedded_file *found = migration_file(s, v);
		if (!found || have[v])
			continue;
		if ((rc = apply_migration(s, v, found, e)) == 0)
			(*applied)++;
	}
	free(have);
	return rc;
}

int store_check_schema(struct store *s, struct err *e)
{
	int current;
	if (store_schema_version(s, &current, e) < 0)
		return -1;
	int known = store_known_version(s);
	if (current < 0)
		return err_set(e, ERR_NOTFOUND,
			       "the store holds no inbeeld schema: run 'inbeeld init' first");
	if (current > known)
		return err_set(e, ERR_CONFLICT,
			       "the store has schema version %d, newer than this inbeeld knows (%d): "
			       "use a newer inbeeld",
			       current, known);
	unsigned char *have = xmalloc((size_t)known + 1);
	int missing = 0;
	int rc = applied_versions(s, known, have, e);
	for (int v = 1; rc == 0 && v <= known && !missing; v++)
		if (!have[v] && migration_file(s, v))
			missing = v;
	free(have);
	if (rc < 0)
		return -1;
	if (missing)
		return err_set(e, ERR_CONFLICT,
			       "the store lacks migration %04d of this inbeeld (it has schema version "
			       "%d, this inbeeld %d): run 'inbeeld init' to upgrade it",
			       missing, current, known);
	return 0;
}
