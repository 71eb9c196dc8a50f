/*
 * Hash-chained audit entries (see audit.h). The hash covers every field, each preceded by its
 * length, so that no two different entries serialise alike.
 */
#include "audit/audit.h"
#include "util/buf.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

static const char last_hash_sql[] = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";

static const char insert_sql[] =
	"INSERT INTO audit_log (at, actor, organisation, role, on_behalf_of, action, person_key,"
	" detail, reason, client, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static const char scan_sql[] =
	"SELECT id, at, actor, organisation, role, on_behalf_of, action, person_key, detail,"
	" reason, client, prev_hash, hash FROM audit_log ORDER BY id";

/* The number of text fields an entry has, in hashing order (at … client). */
#define AUDIT_FIELDS 10

static void entry_hash(const char *prev, const char *const fields[AUDIT_FIELDS],
		       char out[AUDIT_HASH_HEX_SIZE])
{
	crypto_hash_sha256_state st;
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)prev, strlen(prev));
	for (int i = 0; i < AUDIT_FIELDS; i++) {
		char len[24];
		const char *f = fields[i] ? fields[i] : "";
		/* NULL and "" differ: a NULL field is marked by length -1. */
		snprintf(len, sizeof(len), "|%ld:", fields[i] ? (long)strlen(f) : -1L);
		crypto_hash_sha256_update(&st, (const unsigned char *)len, strlen(len));
		crypto_hash_sha256_update(&st, (const unsigned char *)f, strlen(f));
	}
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(out, AUDIT_HASH_HEX_SIZE, digest, sizeof(digest));
}

static void now_iso(char out[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

int audit_append(struct store *s, const struct access *who, const char *action,
		 const char *person_key, const char *detail, struct err *e)
{
	char at[32], prev[AUDIT_HASH_HEX_SIZE], hash[AUDIT_HASH_HEX_SIZE];
	struct stmt *last = NULL, *ins = NULL;
	now_iso(at);
	if (store_begin(s, e) < 0)
		return -1;
	/* PostgreSQL: one appender at a time, or two could chain onto the same entry. */
	if (store_backend(s) == STORE_POSTGRES &&
	    store_exec(s, "LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE", e) < 0)
		goto fail;
	if (store_prepare(s, last_hash_sql, &last, e) < 0)
		goto fail;
	int rc = stmt_step(last, e);
	if (rc < 0)
		goto fail;
	snprintf(prev, sizeof(prev), "%s", rc == STORE_ROW ? stmt_text(last, 0) : genesis);

	const char *fields[AUDIT_FIELDS] = {
		at,	      who->actor,  who->organisation, who->role,   who->on_behalf_of,
		action,	      person_key,  detail,	      who->reason, who->client,
	};
	entry_hash(prev, fields, hash);
	if (store_prepare(s, insert_sql, &ins, e) < 0)
		goto fail;
	for (int i = 0; i < AUDIT_FIELDS; i++)
		stmt_bind_text(ins, i + 1, fields[i]);
	stmt_bind_text(ins, 11, prev);
	stmt_bind_text(ins, 12, hash);
	if (stmt_step(ins, e) < 0)
		goto fail;
	stmt_free(last);
	stmt_free(ins);
	return store_commit(s, e);
fail:
	stmt_free(last);
	stmt_free(ins);
	store_rollback(s);
	return err_prefix(e, "audit");
}

int audit_verify(struct store *s, int64_t *checked, int64_t *first_bad, struct err *e)
{
	struct stmt *st;
	char expect_prev[AUDIT_HASH_HEX_SIZE], hash[AUDIT_HASH_HEX_SIZE];
	*checked = 0;
	*first_bad = 0;
	if (store_prepare(s, scan_sql, &st, e) < 0)
		return -1;
	snprintf(expect_prev, sizeof(expect_prev), "%s", genesis);
	int rc, ret = 0;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		int64_t id = stmt_int64(st, 0);
		const char *fields[AUDIT_FIELDS];
		for (int i = 0; i < AUDIT_FIELDS; i++)
			fields[i] = stmt_text(st, i + 1);
		const char *prev = stmt_text(st, 11), *stored = stmt_text(st, 12);
		if (strcmp(prev, expect_prev) != 0) {
			*first_bad = id;
			ret = err_set(e, ERR_INVALID,
				      "audit entry %lld does not follow the entry before it (an entry "
				      "was removed, inserted or reordered)",
				      (long long)id);
			break;
		}
		entry_hash(prev, fields, hash);
		if (strcmp(hash, stored) != 0) {
			*first_bad = id;
			ret = err_set(e, ERR_INVALID, "audit entry %lld was altered (its hash differs)",
				      (long long)id);
			break;
		}
		snprintf(expect_prev, sizeof(expect_prev), "%s", stored);
		(*checked)++;
	}
	stmt_free(st);
	return rc < 0 ? -1 : ret;
}
