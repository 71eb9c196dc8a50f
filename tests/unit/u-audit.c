/* Tests of the hash-chained audit log: an honest log verifies, every kind of tampering fails. */
#include "testutil.h"

#include "audit/audit.h"

static void append_three(struct store *s)
{
	struct access who = {"cli:tester", "GM0935", "operator", NULL, "cli", "test", 0, 0, 0};
	struct err e = ERR_INIT;
	assert_ok(audit_append(s, &who, "person.read", "aa11", "pii", &e), &e);
	assert_ok(audit_append(s, &who, "person.add", "bb22", NULL, &e), &e);
	assert_ok(audit_append(s, &who, "person.read", "cc33", "pii", &e), &e);
}

static void expect_broken_at(struct store *s, int64_t id)
{
	int64_t checked, bad;
	struct err e = ERR_INIT;
	assert_int_equal(audit_verify(s, &checked, &bad, &e), -1);
	if (bad != id)
		fail_msg("expected entry %lld to be named, got %lld (%s)", (long long)id,
			 (long long)bad, e.msg);
}

static void test_audit__honest_log_verifies(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	append_three(ts.store);
	int64_t checked, bad;
	assert_ok(audit_verify(ts.store, &checked, &bad, &e), &e);
	assert_int_equal(checked, 3);
	test_store_close(&ts);
}

static void test_audit__changed_entry_is_found(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	append_three(ts.store);
	assert_ok(store_exec(ts.store, "UPDATE audit_log SET actor = 'someone else' WHERE id = 2",
			     &e),
		  &e);
	expect_broken_at(ts.store, 2);
	test_store_close(&ts);
}

static void test_audit__null_and_empty_differ(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	append_three(ts.store);
	assert_ok(store_exec(ts.store, "UPDATE audit_log SET detail = '' WHERE id = 2", &e), &e);
	expect_broken_at(ts.store, 2);
	test_store_close(&ts);
}

static void test_audit__deleted_entry_is_found(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	append_three(ts.store);
	assert_ok(store_exec(ts.store, "DELETE FROM audit_log WHERE id = 2", &e), &e);
	expect_broken_at(ts.store, 3);
	test_store_close(&ts);
}

static void test_audit__reordered_entries_are_found(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	append_three(ts.store);
	/* Swap the contents of entries 1 and 2, hashes and all. */
	assert_ok(store_exec(ts.store,
			     "UPDATE audit_log SET id = 100 WHERE id = 1;"
			     "UPDATE audit_log SET id = 1 WHERE id = 2;"
			     "UPDATE audit_log SET id = 2 WHERE id = 100;",
			     &e),
		  &e);
	expect_broken_at(ts.store, 1);
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_audit__honest_log_verifies),
		cmocka_unit_test(test_audit__changed_entry_is_found),
		cmocka_unit_test(test_audit__null_and_empty_differ),
		cmocka_unit_test(test_audit__deleted_entry_is_found),
		cmocka_unit_test(test_audit__reordered_entries_are_found),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
