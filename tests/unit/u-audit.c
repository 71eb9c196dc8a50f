/*
 * Tests of the hash-chained audit log: an honest log verifies, every kind of tampering fails
 * — an entry changed, removed or reordered, the newest entries removed, the head or the
 * checkpoint removed or altered, entries added without the key, the store put back from an
 * older copy — and a prune keeps what stays verifiable; group commit appends many entries in
 * one transaction.
 */
#include "testutil.h"

#include "audit/audit.h"

#include <time.h>

static struct access tester = {"cli:tester", "GM0935", "operator", NULL, "cli", "test", 0, 0, 0};

static void append_n(struct store *s, int n)
{
	struct err e = ERR_INIT;
	for (int i = 0; i < n; i++) {
		char key[16];
		snprintf(key, sizeof(key), "p%d", i);
		assert_ok(audit_append(s, &tester, i % 2 ? "person.add" : "person.read", key,
				       i % 2 ? NULL : "pii", &e),
			  &e);
	}
}

static void append_three(struct store *s)
{
	append_n(s, 3);
}

static int64_t count_of(struct store *s, const char *sql)
{
	int64_t v;
	struct err e = ERR_INIT;
	assert_ok(store_query_int64(s, sql, &v, &e), &e);
	return v;
}

/* Verify fails naming entry `id`, and its message holds `says` (may be NULL). */
static void expect_broken_at(struct store *s, int64_t id, const char *says)
{
	struct audit_verify_result r;
	struct err e = ERR_INIT;
	assert_int_equal(audit_verify(s, NULL, &r, &e), -1);
	if (r.first_bad != id)
		fail_msg("expected entry %lld to be named, got %lld (%s)", (long long)id,
			 (long long)r.first_bad, e.msg);
	if (says && !strstr(e.msg, says))
		fail_msg("expected the message to say '%s', got: %s", says, e.msg);
}

static void expect_intact(struct store *s, int64_t checked, int64_t pruned)
{
	struct audit_verify_result r;
	struct err e = ERR_INIT;
	assert_ok(audit_verify(s, NULL, &r, &e), &e);
	assert_int_equal(r.checked, checked);
	assert_int_equal(r.pruned, pruned);
}

static void test_audit__honest_log_verifies(void **state)
{
	(void)state;
	struct test_store ts;
	test_store_open(&ts);
	expect_intact(ts.store, 0, 0);
	append_three(ts.store);
	expect_intact(ts.store, 3, 0);
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
	expect_broken_at(ts.store, 2, "altered");
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
	expect_broken_at(ts.store, 2, NULL);
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
	expect_broken_at(ts.store, 3, "does not follow");
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
	expect_broken_at(ts.store, 1, NULL);
	test_store_close(&ts);
}

/* The chain alone cannot show that its newest entries went; the sealed head does. */
static void test_audit__removing_the_newest_is_found(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	append_n(ts.store, 5);
	assert_ok(store_exec(ts.store, "DELETE FROM audit_log WHERE id >= 4", &e), &e);
	expect_broken_at(ts.store, 5, "newest 2 audit entries were removed");
	/* The next entry does not hide it: it chains on the head, not on the last row left. */
	append_n(ts.store, 1);
	expect_broken_at(ts.store, 6, "does not follow");
	test_store_close(&ts);
}

static void test_audit__the_head_is_needed_and_sealed(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	append_three(ts.store);
	/* A head made to fit a shortened log, without the key, does not fit its seal. */
	assert_ok(store_exec(ts.store, "DELETE FROM audit_log WHERE id = 3", &e), &e);
	assert_ok(store_exec(ts.store,
			     "UPDATE audit_anchors SET seq = 2, entry_id = 2, hash = (SELECT hash "
			     "FROM audit_log WHERE id = 2) WHERE name = 'head'",
			     &e),
		  &e);
	expect_broken_at(ts.store, 0, "its seal does not fit");
	/* Without a head, the log says so, and no entry is appended to it. */
	assert_ok(store_exec(ts.store, "DELETE FROM audit_anchors", &e), &e);
	expect_broken_at(ts.store, 0, "head of the audit log is missing");
	assert_int_equal(audit_append(ts.store, &tester, "person.read", "x", NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	/* Without the key nothing is appended or verified. */
	audit_clear_key();
	assert_int_equal(audit_append(ts.store, &tester, "person.read", "x", NULL, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "key file"));
	test_store_close(&ts);
}

/* Entries written by someone who can write the store but not seal it. */
static void test_audit__entries_after_the_head_are_found(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open(&ts);
	append_three(ts.store);
	assert_ok(store_exec(ts.store,
			     "CREATE TABLE saved_head AS SELECT * FROM audit_anchors;", &e),
		  &e);
	append_n(ts.store, 1);
	assert_ok(store_exec(ts.store,
			     "DELETE FROM audit_anchors; INSERT INTO audit_anchors SELECT * FROM "
			     "saved_head;",
			     &e),
		  &e);
	expect_broken_at(ts.store, 4, "after the sealed head");
	test_store_close(&ts);
}

/* A store put back whole (entries and head) from an older copy: only an anchor kept
 * elsewhere can tell. */
static void test_audit__anchor_file_finds_an_older_copy(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct audit_head h;
	struct audit_verify_result r;
	char path[128];
	snprintf(path, sizeof(path), "/tmp/inbeeld-u-anchor-%d.txt", (int)getpid());
	unlink(path);
	test_store_open(&ts);
	append_three(ts.store);
	assert_ok(store_exec(ts.store, "CREATE TABLE old_head AS SELECT * FROM audit_anchors;",
			     &e),
		  &e);
	append_n(ts.store, 2);
	assert_ok(audit_anchor_write(ts.store, path, &h, &e), &e);
	assert_int_equal(h.seq, 5);
	assert_ok(audit_verify(ts.store, path, &r, &e), &e);
	assert_int_equal(r.anchors, 1);
	/* Back to the state after three entries: consistent in itself. */
	assert_ok(store_exec(ts.store,
			     "DELETE FROM audit_log WHERE id > 3; DELETE FROM audit_anchors;"
			     " INSERT INTO audit_anchors SELECT * FROM old_head;",
			     &e),
		  &e);
	expect_intact(ts.store, 3, 0);
	assert_int_equal(audit_verify(ts.store, path, &r, &e), -1);
	assert_non_null(strstr(e.msg, "older copy"));
	/* An anchor line not sealed with this key is refused. */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "inbeeld-audit-anchor 1 1 1 %s 2026-01-01T00:00:00.000Z %s\n",
		"0000000000000000000000000000000000000000000000000000000000000000",
		"1111111111111111111111111111111111111111111111111111111111111111");
	fclose(f);
	assert_int_equal(audit_verify(ts.store, path, &r, &e), -1);
	assert_non_null(strstr(e.msg, "seal does not fit"));
	unlink(path);
	test_store_close(&ts);
}

/* Today as the prune sees it: years after the entries were written. */
static void prune_today(int years_on)
{
	time_t now = time(NULL);
	struct tm tm;
	char day[48];
	gmtime_r(&now, &tm);
	snprintf(day, sizeof(day), "%04d-%02d-%02d", tm.tm_year + 1900 + years_on, tm.tm_mon + 1,
		 tm.tm_mday > 28 ? 28 : tm.tm_mday);
	setenv("INBEELD_TODAY", day, 1);
}

static void test_audit__prune_keeps_the_chain_verifiable(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	int64_t count, first, last, removed;
	char last_at[32];
	test_store_open(&ts);
	append_n(ts.store, 4);
	/* Nothing is older than five years today. */
	unsetenv("INBEELD_TODAY");
	assert_ok(audit_prune_plan(ts.store, &count, &first, &last, last_at, &e), &e);
	assert_int_equal(count, 0);
	assert_int_equal(audit_prune(ts.store, &tester, 4, &removed, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log"), 4);
	/* Six years on, all four are; a prune up to the third leaves the fourth. */
	prune_today(6);
	assert_ok(audit_prune_plan(ts.store, &count, &first, &last, last_at, &e), &e);
	assert_int_equal(count, 4);
	assert_int_equal(first, 1);
	assert_int_equal(last, 4);
	assert_ok(audit_prune(ts.store, &tester, 3, &removed, &e), &e);
	assert_int_equal(removed, 3);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log"), 2);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log WHERE action = "
					    "'audit.prune'"),
			 1);
	/* Entry 4 and the prune's own entry verify from the checkpoint on. */
	expect_intact(ts.store, 2, 3);
	append_n(ts.store, 1);
	expect_intact(ts.store, 3, 3);
	/* A prune of all that is left: the checkpoint moves on, the prune's entry stays. */
	assert_ok(audit_prune(ts.store, &tester, 100, &removed, &e), &e);
	assert_int_equal(removed, 3);
	expect_intact(ts.store, 1, 6);
	unsetenv("INBEELD_TODAY");
	test_store_close(&ts);
}

static void test_audit__tampering_after_a_prune_is_found(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	int64_t removed;
	test_store_open(&ts);
	append_n(ts.store, 5);
	prune_today(6);
	assert_ok(audit_prune(ts.store, &tester, 2, &removed, &e), &e);
	unsetenv("INBEELD_TODAY");
	expect_intact(ts.store, 4, 2);
	/* The oldest entry kept removed quietly, as if pruned: it no longer follows. */
	assert_ok(store_exec(ts.store, "CREATE TABLE saved_log AS SELECT * FROM audit_log", &e),
		  &e);
	assert_ok(store_exec(ts.store, "DELETE FROM audit_log WHERE id = 3", &e), &e);
	expect_broken_at(ts.store, 4, "does not follow the checkpoint");
	/* A checkpoint moved to fit, without the key, does not fit its seal. */
	assert_ok(store_exec(ts.store,
			     "UPDATE audit_anchors SET seq = 3, entry_id = 3, hash = (SELECT hash "
			     "FROM saved_log WHERE id = 3) WHERE name = 'checkpoint'",
			     &e),
		  &e);
	expect_broken_at(ts.store, 0, "checkpoint of the audit log (entry 3) was altered");
	/* A prune refuses to remove what does not verify. */
	prune_today(6);
	assert_int_equal(audit_prune(ts.store, &tester, 4, &removed, &e), -1);
	assert_non_null(strstr(e.msg, "nothing pruned"));
	unsetenv("INBEELD_TODAY");
	test_store_close(&ts);
}

/* Reads of several requests collected and appended by one writer in one transaction. */
static void test_audit__group_commit(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct audit_batch a = {0}, b = {0}, none = {0};
	test_store_open(&ts);
	append_n(ts.store, 1);
	audit_collect_begin(&a);
	assert_true(audit_collecting());
	assert_ok(audit_tx_begin(ts.store, &e), &e);
	assert_ok(audit_append_read(ts.store, &tester, "person.read", "k1", "pii", &e), &e);
	assert_ok(audit_append_read(ts.store, &tester, "person.status", "k1", NULL, &e), &e);
	assert_ok(store_commit(ts.store, &e), &e);
	audit_collect_end();
	audit_collect_begin(&b);
	assert_ok(audit_append_read(ts.store, &tester, "person.timeline", "k2", NULL, &e), &e);
	audit_collect_end();
	assert_false(audit_collecting());
	assert_int_equal(a.n, 2);
	assert_int_equal(b.n, 1);
	/* Nothing is written until the writer commits. */
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log"), 1);
	struct audit_batch *batches[] = {&a, &none, &b};
	assert_ok(audit_commit_batches(ts.store, batches, 3, &e), &e);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log"), 4);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log WHERE id = 4 AND "
					    "action = 'person.timeline'"),
			 1);
	expect_intact(ts.store, 4, 0);
	/* All or none: without the key the batch fails and writes nothing. */
	audit_clear_key();
	assert_int_equal(audit_commit_batches(ts.store, batches, 3, &e), -1);
	assert_int_equal(count_of(ts.store, "SELECT count(*) FROM audit_log"), 4);
	audit_batch_release(&a);
	audit_batch_release(&b);
	assert_int_equal(a.n, 0);
	/* Without a collector a read is written at once, in its transaction. */
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
		cmocka_unit_test(test_audit__removing_the_newest_is_found),
		cmocka_unit_test(test_audit__the_head_is_needed_and_sealed),
		cmocka_unit_test(test_audit__entries_after_the_head_are_found),
		cmocka_unit_test(test_audit__anchor_file_finds_an_older_copy),
		cmocka_unit_test(test_audit__prune_keeps_the_chain_verifiable),
		cmocka_unit_test(test_audit__tampering_after_a_prune_is_found),
		cmocka_unit_test(test_audit__group_commit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
