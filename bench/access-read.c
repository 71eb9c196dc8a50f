/*
 * access-read — the cost of the need-to-know decision and the audit entry per read of one
 * person: the same read (select the person by key, open the sealed data) done N times
 *   bare:     without decision and audit (the read path alone);
 *   decided:  access_decide as a named user, then the bare read (no audit);
 *   checked:  through person_get as a named user: access_decide, the read, audit_append,
 *             each read a write transaction of its own (as the command line does);
 *   grouped:  through person_get with the entries collected, GROUP reads at a time, and
 *             appended in one transaction (the server's group commit, audit/audit.h).
 *
 *   access-read STORE_URL KEYFILE USER N
 *
 * Reads the keys of all persons from the store and cycles through them. Prints one line per
 * mode, "mode M reads N seconds S reads_per_s R", then how many times slower checked (and
 * decided) is than bare.
 */
#include "access/decide.h"
#include "accounts/users.h"
#include "audit/audit.h"
#include "registry/person-internal.h"
#include "registry/person.h"
#include "util/xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char keys_sql[] = "SELECT pkey FROM persons ORDER BY id";
static const char by_pkey_sql[] = "SELECT " PERSON_COLUMNS " FROM persons p WHERE p.pkey = ?";

static int load_keys(struct store *s, char (**keys)[PSEUDONYM_HEX_SIZE], size_t *n, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	*keys = NULL;
	*n = 0;
	if (store_prepare(s, keys_sql, &st, e) < 0)
		return -1;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(*keys, cap, *n + 1);
		snprintf((*keys)[(*n)++], PSEUDONYM_HEX_SIZE, "%s", stmt_text(st, 0));
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static const char id_sql[] = "SELECT id FROM persons WHERE pkey = ?";

static int access_id(struct store *s, const char *pkey, int64_t *id, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, id_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, pkey);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	stmt_free(st);
	return rc == STORE_ROW ? 0 : rc < 0 ? -1 : err_set(e, ERR_NOTFOUND, "no person");
}

/* The read path alone: the row by key and the sealed data opened. */
static int bare_read(struct store *s, const struct keyring *k, const char *pkey, struct err *e)
{
	struct stmt *st;
	struct person p;
	memset(&p, 0, sizeof(p));
	if (store_prepare(s, by_pkey_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, pkey);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		size_t len;
		person_from_row(st, &p);
		const void *sealed = stmt_blob(st, PERSON_COLUMN_PII, &len);
		rc = person_pii_open(k, p.pkey, sealed, len, &p.pii, e) < 0 ? -1 : 0;
	} else if (rc == STORE_DONE) {
		rc = err_set(e, ERR_NOTFOUND, "no person");
	}
	stmt_free(st);
	person_release(&p);
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: access-read STORE_URL KEYFILE USER N\n");
		return 2;
	}
	struct err e = ERR_INIT;
	struct store *s = NULL;
	struct keyring k;
	struct user u;
	char(*keys)[PSEUDONYM_HEX_SIZE] = NULL;
	size_t nkeys = 0;
	long n = atol(argv[4]);
	memset(&u, 0, sizeof(u));
	if (sodium_init() < 0 || store_open(&s, argv[1], &e) < 0 ||
	    keyring_load(&k, argv[2], &e) < 0 || user_get(s, argv[3], &u, &e) < 0 ||
	    load_keys(s, &keys, &nkeys, &e) < 0)
		goto fail;
	unsigned char audit_key[KEYRING_KEY_BYTES];
	keyring_audit_key(&k, audit_key);
	audit_set_key(audit_key);
	if (nkeys == 0) {
		err_set(&e, ERR_NOTFOUND, "the store holds no persons");
		goto fail;
	}
	struct access who = {.actor = u.username,
	                     .organisation = u.organisation,
	                     .role = "bench",
	                     .client = "bench",
	                     .user_id = u.id,
	                     .organisation_id = u.organisation_id,
	                     .roles = u.roles};
	double t0 = now();
	for (long i = 0; i < n; i++)
		if (bare_read(s, &k, keys[(size_t)i % nkeys], &e) < 0)
			goto fail;
	double bare = now() - t0;
	t0 = now();
	for (long i = 0; i < n; i++) {
		struct access_decision d;
		int64_t id = 0;
		if (access_id(s, keys[(size_t)i % nkeys], &id, &e) < 0 ||
		    access_decide(s, &who, id, ACCESS_READ_IDENTITY, &d, &e) < 0 ||
		    bare_read(s, &k, keys[(size_t)i % nkeys], &e) < 0)
			goto fail;
		if (d.verdict != ACCESS_ALLOW) {
			err_set(&e, ERR_FORBIDDEN, "the bench user may not see a person: %s",
			        d.rule);
			goto fail;
		}
	}
	double decided = now() - t0;
	t0 = now();
	for (long i = 0; i < n; i++) {
		struct person p;
		if (person_get(s, &k, &who, keys[(size_t)i % nkeys], true, &p, &e) < 0)
			goto fail;
		person_release(&p);
	}
	double checked = now() - t0;
	enum { GROUP = 32 };
	struct audit_batch batches[GROUP];
	struct audit_batch *group[GROUP];
	memset(batches, 0, sizeof(batches));
	t0 = now();
	for (long i = 0; i < n; i++) {
		struct person p;
		int slot = (int)(i % GROUP);
		group[slot] = &batches[slot];
		audit_collect_begin(&batches[slot]);
		int rc = person_get(s, &k, &who, keys[(size_t)i % nkeys], true, &p, &e);
		audit_collect_end();
		if (rc < 0)
			goto fail;
		person_release(&p);
		if (slot == GROUP - 1 || i == n - 1) {
			if (audit_commit_batches(s, group, (size_t)slot + 1, &e) < 0)
				goto fail;
			for (int j = 0; j <= slot; j++)
				audit_batch_release(&batches[j]);
		}
	}
	double grouped = now() - t0;
	printf("mode bare reads %ld seconds %.3f reads_per_s %.0f\n", n, bare, (double)n / bare);
	printf("mode decided reads %ld seconds %.3f reads_per_s %.0f\n", n, decided,
	       (double)n / decided);
	printf("mode checked reads %ld seconds %.3f reads_per_s %.0f\n", n, checked,
	       (double)n / checked);
	printf("mode grouped reads %ld seconds %.3f reads_per_s %.0f\n", n, grouped,
	       (double)n / grouped);
	printf("ratio checked/bare %.1f, grouped/bare %.1f (decision alone %.1f)\n",
	       checked / bare, grouped / bare, decided / bare);
	free(keys);
	user_release(&u);
	keyring_wipe(&k);
	store_close(s);
	return 0;
fail:
	fprintf(stderr, "access-read: %s\n", e.msg);
	free(keys);
	user_release(&u);
	if (s)
		store_close(s);
	return 1;
}
