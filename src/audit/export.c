/*
 * Reading the audit log back (see audit.h): a person's entries for the export a young person
 * is entitled to, and the retention setting with what a prune would remove.
 */
#include "audit/audit.h"

#include "util/date.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char person_entries_sql[] =
    "SELECT id, at, actor, organisation, role, on_behalf_of, action, person_key, detail,"
    " reason, client FROM audit_log WHERE person_key = ? ORDER BY id";

static char *dup_or_null(const char *v)
{
	return v ? xstrdup(v) : NULL;
}

int audit_person_entries(struct store *s, const struct access *who, const char *pkey,
                         struct audit_entry **out, size_t *n, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (store_begin(s, e) < 0)
		return -1;
	if (store_prepare(s, person_entries_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, pkey);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(*out, cap, *n + 1);
		struct audit_entry *a = &(*out)[(*n)++];
		a->id = stmt_int64(st, 0);
		char **f[] = {&a->at,           &a->actor,  &a->organisation, &a->role,
		              &a->on_behalf_of, &a->action, &a->person_key,   &a->detail,
		              &a->reason,       &a->client};
		for (int i = 0; i < 10; i++)
			*f[i] = dup_or_null(stmt_text(st, i + 1));
	}
	stmt_free(st);
	if (rc < 0)
		goto fail;
	char detail[48];
	snprintf(detail, sizeof(detail), "entries(%zu)", *n);
	if (audit_append(s, who, "audit.export", pkey, detail, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		goto fail_committed;
	return 0;
fail:
	store_rollback(s);
fail_committed:
	audit_entries_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

void audit_entries_free(struct audit_entry *entries, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct audit_entry *a = &entries[i];
		char *f[] = {a->at,     a->actor,      a->organisation, a->role,   a->on_behalf_of,
		             a->action, a->person_key, a->detail,       a->reason, a->client};
		for (int j = 0; j < 10; j++)
			free(f[j]);
	}
	free(entries);
}

static const char retention_get_sql[] =
    "SELECT value FROM meta WHERE name = 'audit.retention_years'";
static const char retention_del_sql[] = "DELETE FROM meta WHERE name = 'audit.retention_years'";
static const char retention_put_sql[] =
    "INSERT INTO meta (name, value) VALUES ('audit.retention_years', ?)";

int audit_retention_get(struct store *s, int *years, struct err *e)
{
	struct stmt *st;
	*years = AUDIT_RETENTION_MIN_YEARS;
	if (store_prepare(s, retention_get_sql, &st, e) < 0)
		return -1;
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW && stmt_text(st, 0)) {
		int v = atoi(stmt_text(st, 0));
		if (v >= AUDIT_RETENTION_MIN_YEARS)
			*years = v;
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int audit_retention_set(struct store *s, const struct access *who, int years, struct err *e)
{
	struct stmt *st = NULL;
	char value[16];
	if (years < AUDIT_RETENTION_MIN_YEARS || years > 100)
		return err_set(e, ERR_INVALID,
		               "audit retention %d years: must be %d to 100 years (NEN 7513 asks "
		               "for at least %d)",
		               years, AUDIT_RETENTION_MIN_YEARS, AUDIT_RETENTION_MIN_YEARS);
	snprintf(value, sizeof(value), "%d", years);
	if (store_begin(s, e) < 0)
		return -1;
	if (store_exec(s, retention_del_sql, e) < 0 ||
	    store_prepare(s, retention_put_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, value);
	int rc = stmt_step(st, e);
	stmt_free(st);
	char detail[48];
	snprintf(detail, sizeof(detail), "retention_years=%d", years);
	if (rc < 0 || audit_append(s, who, "audit.retention", NULL, detail, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return -1;
}

static const char first_young_sql[] =
    "SELECT COALESCE(min(id), 0) FROM audit_log WHERE at >= ?";
static const char prune_plan_sql[] =
    "SELECT count(*), COALESCE(min(id), 0), COALESCE(max(id), 0), COALESCE(max(at), '')"
    " FROM audit_log WHERE id <= ?";

/* The plan's last id: the entry before the first younger than the retention, or the last. */
static int plan_end(struct store *s, int64_t *end, struct err *e)
{
	int years;
	char cutoff[48];
	struct stmt *st;
	if (audit_retention_get(s, &years, e) < 0)
		return -1;
	int y, m, d;
	date_to_ymd(date_today(), &y, &m, &d);
	/* 29 February of a leap year less N years: 28 February. */
	if (m == 2 && d == 29 && !date_ymd_valid(y - years, m, d))
		d = 28;
	/* Entries are ISO text with milliseconds; a cut-off date at midnight compares right. */
	snprintf(cutoff, sizeof(cutoff), "%04d-%02d-%02dT00:00:00", y - years, m, d);
	if (store_prepare(s, first_young_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, cutoff);
	int rc = stmt_step(st, e);
	int64_t first_young = rc == STORE_ROW ? stmt_int64(st, 0) : 0;
	stmt_free(st);
	if (rc < 0)
		return -1;
	*end = first_young ? first_young - 1 : INT64_MAX;
	return 0;
}

static int plan_up_to(struct store *s, int64_t end, int64_t *count, int64_t *first_id,
                      int64_t *last_id, char last_at[32], struct err *e)
{
	struct stmt *st;
	*count = *first_id = *last_id = 0;
	last_at[0] = '\0';
	if (store_prepare(s, prune_plan_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, end);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		*count = stmt_int64(st, 0);
		*first_id = stmt_int64(st, 1);
		*last_id = stmt_int64(st, 2);
		snprintf(last_at, 32, "%s", stmt_text(st, 3) ? stmt_text(st, 3) : "");
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int audit_prune_plan(struct store *s, int64_t *count, int64_t *first_id, int64_t *last_id,
                     char last_at[32], struct err *e)
{
	int64_t end;
	if (plan_end(s, &end, e) < 0)
		return -1;
	return plan_up_to(s, end, count, first_id, last_id, last_at, e);
}

static const char prune_hash_sql[] = "SELECT hash FROM audit_log WHERE id = ?";
static const char prune_delete_sql[] = "DELETE FROM audit_log WHERE id <= ?";

int audit_prune(struct store *s, const struct access *who, int64_t up_to, int64_t *removed,
                struct err *e)
{
	struct audit_verify_result r;
	struct audit_head cp;
	struct stmt *st = NULL;
	int64_t end, count, first, last;
	char last_at[32], detail[160];
	*removed = 0;
	if (store_begin(s, e) < 0)
		return -1;
	/* The writers wait meanwhile: PostgreSQL by the lock, SQLite by its write lock. */
	if (store_backend(s) == STORE_POSTGRES &&
	    store_exec(s, "LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE", e) < 0)
		goto fail;
	/* What is removed must have been intact: a prune must not hide a change. */
	if (audit_verify(s, NULL, &r, e) < 0) {
		err_prefix(e, "nothing pruned");
		goto fail;
	}
	if (plan_end(s, &end, e) < 0 || plan_up_to(s, up_to < end ? up_to : end, &count, &first,
	                                           &last, last_at, e) < 0)
		goto fail;
	if (up_to > end) {
		err_set(e, ERR_INVALID,
		        "audit entry %lld is younger than the retention or follows one that is: "
		        "prune up to %lld at most ('audit prune --dry-run')",
		        (long long)up_to, (long long)(end == INT64_MAX ? last : end));
		goto fail;
	}
	if (count == 0) {
		store_rollback(s);
		return 0;
	}
	cp.seq = r.pruned + count;
	cp.entry_id = last;
	if (store_prepare(s, prune_hash_sql, &st, e) < 0)
		goto fail;
	stmt_bind_int64(st, 1, last);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		snprintf(cp.hash, sizeof(cp.hash), "%s", stmt_text(st, 0));
	stmt_free(st);
	st = NULL;
	if (rc != STORE_ROW) {
		if (rc == STORE_DONE)
			err_set(e, ERR_INTERNAL, "audit entry %lld vanished", (long long)last);
		goto fail;
	}
	if (store_prepare(s, prune_delete_sql, &st, e) < 0)
		goto fail;
	stmt_bind_int64(st, 1, last);
	rc = stmt_step(st, e);
	stmt_free(st);
	st = NULL;
	snprintf(detail, sizeof(detail),
	         "removed %lld entries, ids %lld to %lld (the last at %s); checkpoint at entry "
	         "number %lld",
	         (long long)count, (long long)first, (long long)last, last_at, (long long)cp.seq);
	if (rc < 0 || audit_checkpoint_put(s, &cp, e) < 0 ||
	    audit_append(s, who, "audit.prune", NULL, detail, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		return -1;
	*removed = count;
	return 0;
fail:
	stmt_free(st);
	store_rollback(s);
	return -1;
}
