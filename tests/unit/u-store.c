/* Unit tests of the store interface, on the back end under test (tests/unit/testutil.h). */
#include "testutil.h"

static void test_store__migrate_to_known_version(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	int version, applied;
	assert_ok(store_schema_version(ts.store, &version, &e), &e);
	assert_int_equal(version, store_known_version(ts.store));
	assert_true(version >= 1);
	assert_ok(store_migrate(ts.store, &applied, &e), &e);
	assert_int_equal(applied, 0); /* nothing left to apply */
	assert_ok(store_check_schema(ts.store, &e), &e);
	test_store_close(&ts);
}

static void test_store__refuses_newer_schema(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	assert_ok(store_exec(ts.store,
			     "INSERT INTO schema_migrations (version, name, applied_at) "
			     "VALUES (9999, '9999-future.sql', '2030-01-01T00:00:00Z')",
			     &e),
		  &e);
	assert_int_equal(store_check_schema(ts.store, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "newer"));
	int applied;
	assert_int_equal(store_migrate(ts.store, &applied, &e), -1);
	assert_non_null(strstr(e.msg, "9999"));
	test_store_close(&ts);
}

/* A store that lacks one migration of the build is older, whatever its highest number. */
static void test_store__lacking_one_migration_is_older(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	assert_ok(store_exec(ts.store, "DELETE FROM schema_migrations WHERE version = 2", &e), &e);
	assert_int_equal(store_check_schema(ts.store, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "lacks migration 0002"));
	test_store_close(&ts);
}

static void test_store__round_trips_values(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	struct stmt *ins, *sel;
	assert_ok(store_prepare(ts.store,
				"INSERT INTO meta (name, value) VALUES (?, ?) RETURNING name", &ins,
				&e),
		  &e);
	stmt_bind_text(ins, 1, "zeeuws meisje ü");
	stmt_bind_text(ins, 2, "quote ' and ? mark");
	assert_int_equal(stmt_step(ins, &e), STORE_ROW);
	assert_string_equal(stmt_text(ins, 0), "zeeuws meisje ü");
	stmt_free(ins);

	/* A `?` inside a string literal is text, not a parameter. */
	assert_ok(store_prepare(ts.store, "SELECT '?', value FROM meta WHERE name = ?", &sel, &e),
		  &e);
	stmt_bind_text(sel, 1, "zeeuws meisje ü");
	assert_int_equal(stmt_step(sel, &e), STORE_ROW);
	assert_string_equal(stmt_text(sel, 0), "?");
	assert_string_equal(stmt_text(sel, 1), "quote ' and ? mark");
	assert_int_equal(stmt_step(sel, &e), STORE_DONE);
	stmt_free(sel);

	/* Blobs with NUL bytes, 64-bit integers and NULLs. */
	static const unsigned char blob[] = {0, 1, 2, 0, 255, 0x5c, 'x'};
	assert_ok(store_exec(ts.store, "CREATE TABLE t_values (b BYTEA, i BIGINT, d DOUBLE "
				       "PRECISION, n TEXT)",
			     &e),
		  &e);
	assert_ok(store_prepare(ts.store, "INSERT INTO t_values (b, i, d, n) VALUES (?, ?, ?, ?)",
				&ins, &e),
		  &e);
	stmt_bind_blob(ins, 1, blob, sizeof(blob));
	stmt_bind_int64(ins, 2, INT64_C(-9007199254740993));
	stmt_bind_double(ins, 3, 50.85);
	stmt_bind_text(ins, 4, NULL);
	assert_int_equal(stmt_step(ins, &e), STORE_DONE);
	assert_int_equal(stmt_changes(ins), 1);
	stmt_free(ins);
	assert_ok(store_prepare(ts.store, "SELECT b, i, d, n FROM t_values", &sel, &e), &e);
	assert_int_equal(stmt_step(sel, &e), STORE_ROW);
	size_t len;
	const void *got = stmt_blob(sel, 0, &len);
	assert_int_equal(len, sizeof(blob));
	assert_memory_equal(got, blob, sizeof(blob));
	assert_true(stmt_int64(sel, 1) == INT64_C(-9007199254740993));
	assert_true(stmt_double(sel, 2) > 50.849 && stmt_double(sel, 2) < 50.851);
	assert_true(stmt_is_null(sel, 3));
	assert_null(stmt_text(sel, 3));
	stmt_free(sel);
	test_store_close(&ts);
}

static void test_store__unique_violation_is_conflict(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	assert_ok(store_exec(ts.store, "INSERT INTO meta (name, value) VALUES ('a', '1')", &e),
		  &e);
	struct stmt *st;
	assert_ok(store_prepare(ts.store, "INSERT INTO meta (name, value) VALUES ('a', '2')", &st,
				&e),
		  &e);
	assert_int_equal(stmt_step(st, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	stmt_free(st);
	test_store_close(&ts);
}

static int64_t count_meta(struct store *s)
{
	struct err e = ERR_INIT;
	int64_t n = -1;
	assert_ok(store_query_int64(s, "SELECT count(*) FROM meta", &n, &e), &e);
	return n;
}

static void test_store__rollback_leaves_nothing(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	int64_t before = count_meta(ts.store);
	assert_ok(store_begin(ts.store, &e), &e);
	assert_ok(store_exec(ts.store, "INSERT INTO meta (name, value) VALUES ('x', '1')", &e),
		  &e);
	store_rollback(ts.store);
	assert_int_equal(count_meta(ts.store), before);

	/* An inner rollback dooms the outer transaction. */
	assert_ok(store_begin(ts.store, &e), &e);
	assert_ok(store_exec(ts.store, "INSERT INTO meta (name, value) VALUES ('y', '1')", &e),
		  &e);
	assert_ok(store_begin(ts.store, &e), &e);
	store_rollback(ts.store);
	assert_int_equal(store_commit(ts.store, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_int_equal(count_meta(ts.store), before);

	/* Nested commits reach the store once, at the outermost commit. */
	assert_ok(store_begin(ts.store, &e), &e);
	assert_ok(store_begin(ts.store, &e), &e);
	assert_ok(store_exec(ts.store, "INSERT INTO meta (name, value) VALUES ('z', '1')", &e),
		  &e);
	assert_ok(store_commit(ts.store, &e), &e);
	assert_ok(store_commit(ts.store, &e), &e);
	assert_int_equal(count_meta(ts.store), before + 1);
	test_store_close(&ts);
}

static void test_store__bad_sql_names_the_problem(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	struct stmt *st = NULL;
	assert_int_equal(store_prepare(ts.store, "SELECT colour FROM no_such_table", &st, &e),
			 -1);
	assert_non_null(strstr(e.msg, "no_such_table"));
	test_store_close(&ts);
}

/*
 * A statement prepared again (from the store's kept statements on SQLite, the server's on
 * PostgreSQL) starts afresh: no bindings and no half-read rows of its last use, and two
 * uses of one text may be open at once.
 */
static void test_store__prepared_again_starts_afresh(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	static const char ins_sql[] = "INSERT INTO meta (name, value) VALUES (?, ?)";
	static const char sel_sql[] = "SELECT value FROM meta WHERE name LIKE ? ORDER BY name";
	for (int i = 0; i < 3; i++) {
		struct stmt *st;
		char name[32], value[32];
		snprintf(name, sizeof(name), "again.%d", i);
		snprintf(value, sizeof(value), "v%d", i);
		assert_ok(store_prepare(ts.store, ins_sql, &st, &e), &e);
		stmt_bind_text(st, 1, name);
		stmt_bind_text(st, 2, value);
		assert_int_equal(stmt_step(st, &e), STORE_DONE);
		stmt_free(st);
	}
	/* Left after one row of three. */
	struct stmt *a, *b;
	assert_ok(store_prepare(ts.store, sel_sql, &a, &e), &e);
	stmt_bind_text(a, 1, "again.%");
	assert_int_equal(stmt_step(a, &e), STORE_ROW);
	assert_string_equal(stmt_text(a, 0), "v0");
	/* The same text while the first is open: a statement of its own. */
	assert_ok(store_prepare(ts.store, sel_sql, &b, &e), &e);
	stmt_bind_text(b, 1, "again.2");
	assert_int_equal(stmt_step(b, &e), STORE_ROW);
	assert_string_equal(stmt_text(b, 0), "v2");
	assert_int_equal(stmt_step(a, &e), STORE_ROW);
	assert_string_equal(stmt_text(a, 0), "v1");
	stmt_free(a);
	stmt_free(b);
	/* Taken again: from the first row, and unbound (NULL matches nothing). */
	assert_ok(store_prepare(ts.store, sel_sql, &a, &e), &e);
	assert_int_equal(stmt_step(a, &e), STORE_DONE);
	stmt_reset(a);
	stmt_bind_text(a, 1, "again.%");
	assert_int_equal(stmt_step(a, &e), STORE_ROW);
	assert_string_equal(stmt_text(a, 0), "v0");
	stmt_free(a);
	/* Many texts: more than are kept; each still runs. */
	for (int i = 0; i < 400; i++) {
		char sql[64];
		struct stmt *st;
		snprintf(sql, sizeof(sql), "SELECT %d", i);
		assert_ok(store_prepare(ts.store, sql, &st, &e), &e);
		assert_int_equal(stmt_step(st, &e), STORE_ROW);
		assert_int_equal(stmt_int64(st, 0), i);
		stmt_free(st);
	}
	/* A schema change under a kept statement: it sees the table as it is now (SQLite
	 * compiles it again; a PostgreSQL server refuses a changed result type instead). */
	if (test_backend_is_pg()) {
		test_store_close(&ts);
		return;
	}
	assert_ok(store_exec(ts.store, "CREATE TABLE again_t (a INTEGER)", &e), &e);
	static const char t_sql[] = "SELECT * FROM again_t";
	struct stmt *t;
	assert_ok(store_prepare(ts.store, t_sql, &t, &e), &e);
	assert_int_equal(stmt_step(t, &e), STORE_DONE);
	stmt_free(t);
	assert_ok(store_exec(ts.store, "ALTER TABLE again_t ADD COLUMN b TEXT", &e), &e);
	assert_ok(store_exec(ts.store, "INSERT INTO again_t (a, b) VALUES (1, 'x')", &e), &e);
	assert_ok(store_prepare(ts.store, t_sql, &t, &e), &e);
	assert_int_equal(stmt_step(t, &e), STORE_ROW);
	assert_string_equal(stmt_text(t, 1), "x");
	stmt_free(t);
	test_store_close(&ts);
}

/* A read transaction sees one state and does not keep a writer on another store out. */
static void test_store__read_transaction_takes_no_write_lock(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	struct store *other;
	char *url = test_backend_is_pg()
			? xasprintf("%s?options=-csearch_path%%3D%s", getenv("INBEELD_TEST_PG"),
				    ts.schema)
			: xstrdup(ts.path);
	assert_ok(store_open(&other, url, &e), &e);
	free(url);
	assert_true(store_serial(other) != store_serial(ts.store));
	int before = count_meta(ts.store);
	assert_ok(store_begin_read(ts.store, &e), &e);
	assert_int_equal(count_meta(ts.store), before);
	/* The other store writes while the read is open: no wait, no conflict. */
	assert_ok(store_begin(other, &e), &e);
	assert_ok(store_exec(other, "INSERT INTO meta (name, value) VALUES ('rt', '1')", &e), &e);
	assert_ok(store_commit(other, &e), &e);
	assert_ok(store_commit(ts.store, &e), &e);
	assert_int_equal(count_meta(ts.store), before + 1);
	store_close(other);
	test_store_close(&ts);
}

static void test_store__query_text_and_marks(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	char out[8];
	bool found;
	test_store_open(&ts);
	assert_ok(store_exec(ts.store,
	                     "INSERT INTO meta (name, value) VALUES ('t.counter', '41'),"
	                     " ('t.long', '0123456789')",
	                     &e),
	          &e);
	assert_ok(store_query_text(ts.store, "SELECT value FROM meta WHERE name = 't.counter'", out,
	                           sizeof(out), &found, &e),
	          &e);
	assert_true(found);
	assert_string_equal(out, "41");
	assert_ok(store_query_text(ts.store, "SELECT value FROM meta WHERE name = 't.none'", out,
	                           sizeof(out), &found, &e),
	          &e);
	assert_false(found);
	assert_string_equal(out, "");
	assert_ok(store_query_text(ts.store, "SELECT NULL", out, sizeof(out), &found, &e), &e);
	assert_false(found);
	assert_ok(store_query_text(ts.store, "SELECT value FROM meta WHERE name = 't.long'", out,
	                           sizeof(out), &found, &e),
	          &e);
	assert_string_equal(out, "0123456"); /* cut to the buffer */

	/* A mark holds for one store at one value of the counter, and only once set. */
	struct store_mark m = {0};
	assert_false(store_mark_holds(&m, ts.store, "41"));
	assert_true(m.usable);
	assert_true(store_mark_holds(&m, ts.store, "41"));
	assert_false(store_mark_holds(&m, ts.store, "42"));
	assert_true(store_mark_holds(&m, ts.store, "42"));
	/* Without a counter nothing may be kept: the mark says so, and moves when one comes. */
	assert_false(store_mark_holds(&m, ts.store, NULL));
	assert_false(m.usable);
	assert_true(store_mark_holds(&m, ts.store, NULL));
	assert_false(store_mark_holds(&m, ts.store, ""));
	assert_true(m.usable);
	/* Another store at the same value is another store. */
	struct test_store other;
	test_store_open(&other);
	assert_false(store_mark_holds(&m, other.store, ""));
	assert_true(store_mark_holds(&m, other.store, ""));
	test_store_close(&other);
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store__migrate_to_known_version),
		cmocka_unit_test(test_store__refuses_newer_schema),
		cmocka_unit_test(test_store__lacking_one_migration_is_older),
		cmocka_unit_test(test_store__round_trips_values),
		cmocka_unit_test(test_store__unique_violation_is_conflict),
		cmocka_unit_test(test_store__rollback_leaves_nothing),
		cmocka_unit_test(test_store__bad_sql_names_the_problem),
		cmocka_unit_test(test_store__prepared_again_starts_afresh),
		cmocka_unit_test(test_store__read_transaction_takes_no_write_lock),
		cmocka_unit_test(test_store__query_text_and_marks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
