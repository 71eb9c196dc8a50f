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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store__migrate_to_known_version),
		cmocka_unit_test(test_store__refuses_newer_schema),
		cmocka_unit_test(test_store__round_trips_values),
		cmocka_unit_test(test_store__unique_violation_is_conflict),
		cmocka_unit_test(test_store__rollback_leaves_nothing),
		cmocka_unit_test(test_store__bad_sql_names_the_problem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
