/*
 * Grants that widen the need-to-know rule for one person (see decide.h): a handover or a
 * consent for an organisation, recorded with purpose and legal ground, and break the glass:
 * a time-limited grant for one user with a reason, marked in the audit and listed for the
 * privacy officer.
 */
#include "access/decide.h"

#include "accounts/roles.h"
#include "audit/audit.h"
#include "util/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REASON_MIN_CHARS = 10, TEXT_MAX = 190 };

static void iso_at(time_t t, char out[24])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char person_id_sql[] = "SELECT id FROM persons WHERE pkey = ?";

static int person_id(struct store *s, const char *pkey, int64_t *id, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, person_id_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, pkey);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (rc == STORE_DONE)
		return err_set(e, ERR_NOTFOUND, "no person with key '%.64s'", pkey);
	return 0;
}

static int text_field(const char *name, const char *v, struct err *e)
{
	if (!v || !*v)
		return err_set(e, ERR_INVALID, "field %s: empty (rule: a grant records its %s)",
		               name, name);
	if (strlen(v) > TEXT_MAX)
		return err_set(e, ERR_INVALID, "field %s: longer than %d bytes", name, TEXT_MAX);
	return 0;
}

static const char insert_sql[] =
    "INSERT INTO access_grants (person_id, organisation_id, user_id, kind, purpose,"
    " legal_ground, granted_by, valid_from, valid_to, revoked, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) RETURNING id";

struct grant_row {
	int64_t person_id, org_id, user_id;
	const char *kind, *purpose, *legal_ground, *from, *to;
};

static int insert_grant(struct store *s, const struct access *who, const struct grant_row *g,
                        int64_t *id, struct err *e)
{
	struct stmt *st;
	char now[24];
	iso_at(access_now(), now);
	if (store_prepare(s, insert_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, g->person_id);
	stmt_bind_int64(st, 2, g->org_id);
	if (g->user_id)
		stmt_bind_int64(st, 3, g->user_id);
	else
		stmt_bind_null(st, 3);
	stmt_bind_text(st, 4, g->kind);
	stmt_bind_text(st, 5, g->purpose);
	stmt_bind_text(st, 6, g->legal_ground);
	stmt_bind_text(st, 7, who->actor ? who->actor : "unknown");
	stmt_bind_text(st, 8, g->from);
	if (g->to)
		stmt_bind_text(st, 9, g->to);
	else
		stmt_bind_null(st, 9);
	stmt_bind_text(st, 10, now);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	stmt_free(st);
	if (rc != STORE_ROW)
		return rc < 0 ? -1 : err_set(e, ERR_INTERNAL, "INSERT … RETURNING gave no id");
	return 0;
}

int access_grant_add(struct store *s, const struct access *who, const struct access_grant_input *in,
                     int64_t *id, struct err *e)
{
	char from[24], to[24], detail[128];
	int64_t pid;
	date_t until;
	if (!in->kind || (strcmp(in->kind, "handover") != 0 && strcmp(in->kind, "consent") != 0))
		return err_set(e, ERR_INVALID, "field kind: '%.20s' is not handover or consent",
		               in->kind ? in->kind : "");
	if (text_field("purpose", in->purpose, e) < 0 ||
	    text_field("legal_ground", in->legal_ground, e) < 0)
		return -1;
	if (in->until) {
		if (date_parse(in->until, &until, e) < 0)
			return -1;
		char day[DATE_STR_SIZE];
		snprintf(to, sizeof(to), "%sT23:59:59Z", date_format(until, day));
	}
	iso_at(access_now(), from);
	struct grant_row g = {.org_id = in->organisation_id,
	                      .kind = in->kind,
	                      .purpose = in->purpose,
	                      .legal_ground = in->legal_ground,
	                      .from = from,
	                      .to = in->until ? to : NULL};
	if (store_begin(s, e) < 0)
		return -1;
	if (person_id(s, in->pkey, &pid, e) < 0)
		goto fail;
	g.person_id = pid;
	if (insert_grant(s, who, &g, id, e) < 0)
		goto fail;
	snprintf(detail, sizeof(detail), "grant %lld (%s) for organisation %lld", (long long)*id,
	         in->kind, (long long)in->organisation_id);
	struct access w = *who;
	w.reason = in->legal_ground;
	if (audit_append(s, &w, "access.grant", in->pkey, detail, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return -1;
}

#define GRANT_COLUMNS                                                                              \
	"SELECT g.id, p.pkey, o.kind || ':' || o.ident, COALESCE(u.username, ''), g.kind,"         \
	" g.purpose, g.legal_ground, g.granted_by, g.valid_from, COALESCE(g.valid_to, ''),"        \
	" g.revoked FROM access_grants g JOIN persons p ON p.id = g.person_id"                     \
	" JOIN organisations o ON o.id = g.organisation_id"                                        \
	" LEFT JOIN users u ON u.id = g.user_id"

static const char list_sql[] = GRANT_COLUMNS " WHERE p.pkey = ? ORDER BY g.id DESC";
static const char glass_sql[] =
    GRANT_COLUMNS " WHERE g.kind = 'break_glass' AND (? = 0 OR g.organisation_id = ?)"
                  " AND g.created_at >= ? ORDER BY g.id DESC";

static void grant_from_row(struct stmt *st, struct access_grant *g)
{
	memset(g, 0, sizeof(*g));
	g->id = stmt_int64(st, 0);
#define COL(i, f) snprintf(g->f, sizeof(g->f), "%s", stmt_text(st, i) ? stmt_text(st, i) : "")
	COL(1, person_key);
	COL(2, org);
	COL(3, user);
	COL(4, kind);
	COL(5, purpose);
	COL(6, legal_ground);
	COL(7, granted_by);
	COL(8, valid_from);
	COL(9, valid_to);
#undef COL
	g->revoked = stmt_int64(st, 10) != 0;
}

static int read_grants(struct stmt *st, struct access_grant **out, size_t *n, struct err *e)
{
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			struct access_grant *grown = realloc(*out, cap * sizeof(**out));
			if (!grown)
				abort();
			*out = grown;
		}
		grant_from_row(st, &(*out)[(*n)++]);
	}
	stmt_free(st);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int access_grant_list(struct store *s, const struct access *who, const char *pkey,
                      struct access_grant **out, size_t *n, struct err *e)
{
	struct stmt *st;
	int64_t pid;
	*out = NULL;
	*n = 0;
	if (store_begin(s, e) < 0)
		return -1;
	if (person_id(s, pkey, &pid, e) < 0 || store_prepare(s, list_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, pkey);
	if (read_grants(st, out, n, e) < 0 ||
	    audit_append(s, who, "access.grants", pkey, "grants", e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	free(*out);
	*out = NULL;
	*n = 0;
	return -1;
}

static const char grant_state_sql[] =
    "SELECT p.pkey, g.revoked FROM access_grants g JOIN persons p ON p.id = g.person_id"
    " WHERE g.id = ?";
static const char revoke_sql[] =
    "UPDATE access_grants SET revoked = 1, revoked_at = ?, revoked_by = ? WHERE id = ?";

int access_grant_revoke(struct store *s, const struct access *who, int64_t id, struct err *e)
{
	struct stmt *st = NULL;
	char pkey[65] = "", now[24], detail[48];
	int revoked = 0;
	if (store_begin(s, e) < 0)
		return -1;
	if (store_prepare(s, grant_state_sql, &st, e) < 0)
		goto fail;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		snprintf(pkey, sizeof(pkey), "%s", stmt_text(st, 0));
		revoked = (int)stmt_int64(st, 1);
	}
	stmt_free(st);
	st = NULL;
	if (rc < 0)
		goto fail;
	if (rc == STORE_DONE) {
		err_set(e, ERR_NOTFOUND, "no grant %lld", (long long)id);
		goto fail;
	}
	if (revoked) {
		err_set(e, ERR_CONFLICT, "grant %lld was revoked already", (long long)id);
		goto fail;
	}
	iso_at(access_now(), now);
	if (store_prepare(s, revoke_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, now);
	stmt_bind_text(st, 2, who->actor ? who->actor : "unknown");
	stmt_bind_int64(st, 3, id);
	rc = stmt_step(st, e);
	stmt_free(st);
	st = NULL;
	snprintf(detail, sizeof(detail), "grant %lld", (long long)id);
	if (rc < 0 || audit_append(s, who, "access.revoke", pkey, detail, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return -1;
}

static const char hours_sql[] = "SELECT value FROM meta WHERE name = 'access.break_glass_hours'";

/* The setting, or the default when it is not set or not a number of 1–24 hours. */
static int glass_hours(struct store *s, int *hours, struct err *e)
{
	struct stmt *st;
	*hours = ACCESS_BREAK_GLASS_HOURS;
	if (store_prepare(s, hours_sql, &st, e) < 0)
		return -1;
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW && stmt_text(st, 0)) {
		int v = atoi(stmt_text(st, 0));
		if (v >= 1 && v <= 24)
			*hours = v;
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int access_break_glass(struct store *s, const struct access *who, const char *pkey,
                       const char *reason, char until[24], struct err *e)
{
	char from[24], to[24], rule[ACCESS_RULE_SIZE];
	int64_t pid, id;
	int hours;
	if (!who->user_id || !(who->roles & ROLE_PERSON_WORK))
		return err_set(e, ERR_FORBIDDEN,
		               "break the glass is for users whose roles work with persons");
	if (!reason || strlen(reason) < REASON_MIN_CHARS)
		return err_set(e, ERR_INVALID,
		               "field reason: too short (rule: break the glass needs a reason of "
		               "at least %d characters)",
		               REASON_MIN_CHARS);
	if (strlen(reason) > TEXT_MAX)
		return err_set(e, ERR_INVALID, "field reason: longer than %d bytes", TEXT_MAX);
	if (store_begin(s, e) < 0)
		return -1;
	if (glass_hours(s, &hours, e) < 0 || person_id(s, pkey, &pid, e) < 0)
		goto fail;
	time_t now = access_now();
	iso_at(now, from);
	iso_at(now + (time_t)hours * 3600, to);
	struct grant_row g = {.person_id = pid,
	                      .org_id = who->organisation_id,
	                      .user_id = who->user_id,
	                      .kind = "break_glass",
	                      .purpose = reason,
	                      .legal_ground = "break the glass",
	                      .from = from,
	                      .to = to};
	if (insert_grant(s, who, &g, &id, e) < 0)
		goto fail;
	snprintf(rule, sizeof(rule), "break-the-glass: %.170s", reason);
	struct access w = *who;
	w.reason = rule;
	char detail[64];
	snprintf(detail, sizeof(detail), "grant %lld until %s", (long long)id, to);
	if (audit_append(s, &w, "person.break_glass", pkey, detail, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		return -1;
	if (until)
		memcpy(until, to, 24);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int access_glass_list(struct store *s, int64_t org_id, const char *since, struct access_grant **out,
                      size_t *n, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, glass_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, org_id);
	stmt_bind_int64(st, 2, org_id);
	stmt_bind_text(st, 3, since ? since : "");
	return read_grants(st, out, n, e);
}
