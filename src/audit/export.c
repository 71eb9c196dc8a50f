/*
 * Reading the audit log back (see audit.h): a person's entries for the export a young person
 * is entitled to, and the retention setting with what a prune would remove.
 */
#include "audit/audit.h"

#include "util/xalloc.h"

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

static const char prune_plan_sql[] =
    "SELECT count(*), COALESCE(min(id), 0), COALESCE(max(id), 0), COALESCE(max(at), '')"
    " FROM audit_log WHERE at < ?";

int audit_prune_plan(struct store *s, int64_t *count, int64_t *first_id, int64_t *last_id,
                     char last_at[32], struct err *e)
{
	struct stmt *st;
	int years;
	char cutoff[48];
	*count = *first_id = *last_id = 0;
	last_at[0] = '\0';
	if (audit_retention_get(s, &years, e) < 0)
		return -1;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	tm.tm_year -= years;
	/* Entries are ISO text with milliseconds; a cut-off date at midnight compares right. */
	snprintf(cutoff, sizeof(cutoff), "%04d-%02d-%02dT00:00:00", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday);
	if (store_prepare(s, prune_plan_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, cutoff);
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
