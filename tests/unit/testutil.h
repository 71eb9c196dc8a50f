/*
 * Helpers for the cmocka unit tests: a fresh store on the back end under test
 * (INBEELD_TEST_BACKEND=sqlite|postgresql; PostgreSQL gets a schema of its own in the
 * database INBEELD_TEST_PG), migrated, with a fresh keyring.
 */
#ifndef TESTS_UNIT_TESTUTIL_H
#define TESTS_UNIT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "crypto/keyring.h"
#include "store/store.h"
#include "util/xalloc.h"

struct test_store {
	struct store *store;
	struct keyring keys;
	char path[256];  /* SQLite file, removed at the end */
	char schema[64]; /* PostgreSQL schema, dropped at the end */
};

static inline int test_backend_is_pg(void)
{
	const char *b = getenv("INBEELD_TEST_BACKEND");
	return b && strcmp(b, "postgresql") == 0;
}

/* Open a fresh store migrated to schema `version` (0: the newest); fails the test when that
 * cannot be done. */
static inline void test_store_open_at(struct test_store *ts, int version)
{
	struct err e = ERR_INIT;
	static unsigned counter;
	memset(ts, 0, sizeof(*ts));
	assert_int_equal(sodium_init() >= 0, 1);
	char *url;
	if (test_backend_is_pg()) {
		const char *base = getenv("INBEELD_TEST_PG");
		assert_non_null(base);
		snprintf(ts->schema, sizeof(ts->schema), "u_%d_%u_%u", (int)getpid(), counter++,
			 (unsigned)randombytes_uniform(1000000));
		struct store *admin;
		if (store_open(&admin, base, &e) < 0)
			fail_msg("%s", e.msg);
		char *sql = xasprintf("CREATE SCHEMA %s", ts->schema);
		if (store_exec(admin, sql, &e) < 0)
			fail_msg("%s", e.msg);
		free(sql);
		store_close(admin);
		url = xasprintf("%s?options=-csearch_path%%3D%s", base, ts->schema);
	} else {
		snprintf(ts->path, sizeof(ts->path), "/tmp/inbeeld-u-%d-%u.db", (int)getpid(),
			 counter++);
		unlink(ts->path);
		url = xstrdup(ts->path);
	}
	if (store_open(&ts->store, url, &e) < 0)
		fail_msg("%s", e.msg);
	free(url);
	int applied;
	if (store_migrate_to(ts->store, version ? version : store_known_version(ts->store),
			     &applied, &e) < 0)
		fail_msg("%s", e.msg);
	keyring_generate(&ts->keys);
	/* Audit entries are sealed with the key file's audit key, as in the CLI and server. */
	unsigned char audit_key[KEYRING_KEY_BYTES];
	keyring_audit_key(&ts->keys, audit_key);
	audit_set_key(audit_key);
}

/* Open a fresh, migrated store; fails the test when that cannot be done. */
static inline void test_store_open(struct test_store *ts)
{
	test_store_open_at(ts, 0);
}

static inline void test_store_close(struct test_store *ts)
{
	store_close(ts->store);
	ts->store = NULL;
	keyring_wipe(&ts->keys);
	if (ts->path[0]) {
		char side[300];
		unlink(ts->path);
		snprintf(side, sizeof(side), "%s-wal", ts->path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", ts->path);
		unlink(side);
	}
	if (ts->schema[0]) {
		struct err e = ERR_INIT;
		struct store *admin;
		if (store_open(&admin, getenv("INBEELD_TEST_PG"), &e) == 0) {
			char *sql = xasprintf("DROP SCHEMA %s CASCADE", ts->schema);
			store_exec(admin, sql, &e);
			free(sql);
			store_close(admin);
		}
	}
}

/* Fail with the error's message when rc is negative. */
#define assert_ok(rc, e)                                                                      \
	do {                                                                                  \
		if ((rc) < 0)                                                                 \
			fail_msg("unexpected error: %s", (e)->msg);                           \
	} while (0)

#endif
