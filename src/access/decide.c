/*
 * The need-to-know decision (see decide.h and docs/access.md, "Who sees whom"): the rule
 * table in C, decided from the person's records and the user's organisation, and the grants
 * that widen it (handover, consent, break the glass).
 */
#include "access/decide.h"

#include "accounts/roles.h"
#include "audit/audit.h"
#include "status/status.h"
#include "util/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NAZORG_YEARS = 2, RMC_AGE_LIMIT = 23 };

static time_t clock_override;

void access_clock_set(time_t now)
{
	clock_override = now;
}

time_t access_now(void)
{
	return clock_override ? clock_override : time(NULL);
}

static date_t access_today(void)
{
	return clock_override ? (date_t)(clock_override / 86400) : date_today();
}

/* ISO UTC text of unix time t: YYYY-MM-DDTHH:MM:SSZ. */
static void iso_time(time_t t, char out[24])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *access_need_name(enum access_need need)
{
	switch (need) {
	case ACCESS_READ_BASIC:
		return "read_basic";
	case ACCESS_READ_IDENTITY:
		return "read_identity";
	case ACCESS_READ_BSN:
		return "read_bsn";
	case ACCESS_READ_CARE:
		return "read_care";
	case ACCESS_READ_TIMELINE:
		return "read_timeline";
	case ACCESS_WRITE:
		return "write";
	}
	return "unknown";
}

static bool is_local(const struct access *who)
{
	return who->user_id == 0 && who->role &&
	       (strcmp(who->role, "operator") == 0 || strncmp(who->role, "system", 6) == 0);
}

bool access_sees_persons(const struct access *who)
{
	return is_local(who) || (who->user_id != 0 && (who->roles & ROLE_PERSON_WORK) != 0);
}

static int verdict(struct access_decision *out, enum access_verdict v, const char *fmt,
                   const char *a, const char *b)
{
	out->verdict = v;
	snprintf(out->rule, sizeof(out->rule), fmt, a ? a : "", b ? b : "");
	return 0;
}

/* ---- what the decision reads ---- */

struct org_ref {
	char kind[16], ident[24];
	char rmc[8]; /* the RMC region of a municipality, "" otherwise */
};

static const char org_sql[] = "SELECT kind, ident FROM organisations WHERE id = ?";
static const char rmc_sql[] =
    "SELECT rmc_code FROM municipalities WHERE code = ? AND rmc_code IS NOT NULL"
    " ORDER BY year DESC LIMIT 1";
static const char person_exists_sql[] = "SELECT id, municipality_code FROM persons WHERE id = ?";

static int copy_column(struct stmt *st, int col, char *out, size_t size)
{
	const char *v = stmt_text(st, col);
	snprintf(out, size, "%s", v ? v : "");
	return 0;
}

static int rmc_of(struct store *s, const char *municipality, char out[8], struct err *e)
{
	struct stmt *st;
	out[0] = '\0';
	if (!municipality[0])
		return 0;
	if (store_prepare(s, rmc_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, municipality);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		copy_column(st, 0, out, 8);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int load_org(struct store *s, int64_t id, struct org_ref *o, struct err *e)
{
	struct stmt *st;
	memset(o, 0, sizeof(*o));
	if (!id)
		return 0;
	if (store_prepare(s, org_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		copy_column(st, 0, o->kind, sizeof(o->kind));
		copy_column(st, 1, o->ident, sizeof(o->ident));
	}
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (strcmp(o->kind, "municipality") == 0)
		return rmc_of(s, o->ident, o->rmc, e);
	return 0;
}

/* Whether the person exists, and the municipality the registry has for them ("" if none). */
static int person_exists(struct store *s, int64_t id, bool *exists, char municipality[8],
                         struct err *e)
{
	struct stmt *st;
	municipality[0] = '\0';
	if (store_prepare(s, person_exists_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	*exists = rc == STORE_ROW;
	if (rc == STORE_ROW)
		copy_column(st, 1, municipality, 8);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* ---- the rules, one function per role; each says whether it allows and why ---- */

struct facts {
	const struct timeline *t;
	struct status st; /* today */
	date_t today;
	char rmc[8]; /* the person's RMC region today */
};

static bool rule_school(const struct facts *f, const struct org_ref *o, char *why, size_t n)
{
	if (strcmp(o->kind, "school") != 0)
		return false;
	bool nazorg = false;
	for (size_t i = 0; i < f->t->n; i++) {
		const struct tl_record *r = &f->t->rec[i];
		if (r->feed != TL_ENROLMENT || strcmp(r->school, o->ident) != 0)
			continue;
		if (tl_covers(r, f->today)) {
			snprintf(why, n, "school: enrolled at %s", o->ident);
			return true;
		}
		/* Nazorg: the school follows a pupil who left for two years after the last day. */
		if (r->to != DATE_OPEN && r->to < f->today &&
		    f->today <= date_birthday(r->to, NAZORG_YEARS))
			nazorg = true;
	}
	if (nazorg)
		snprintf(why, n, "school: nazorg, left %s within %d years", o->ident, NAZORG_YEARS);
	return nazorg;
}

static bool rule_leerplicht(const struct facts *f, const struct org_ref *o, char *why, size_t n)
{
	if (strcmp(o->kind, "municipality") != 0 || !f->st.resident ||
	    strcmp(f->st.municipality, o->ident) != 0)
		return false;
	if (!f->st.leerplichtig && !f->st.kwalificatieplichtig)
		return false;
	snprintf(why, n, "leerplicht: %s resident of %s",
	         f->st.leerplichtig ? "leerplichtig" : "kwalificatieplichtig", o->ident);
	return true;
}

static bool followed_special(const struct timeline *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->rec[i].feed == TL_ENROLMENT && (strcmp(t->rec[i].school_type, "PrO") == 0 ||
		                                       strcmp(t->rec[i].school_type, "VSO") == 0))
			return true;
	return false;
}

static bool rule_rmc(const struct facts *f, const struct org_ref *o, char *why, size_t n)
{
	if (strcmp(o->kind, "municipality") != 0 || !o->rmc[0] || !f->st.resident ||
	    strcmp(f->rmc, o->rmc) != 0)
		return false;
	if (f->st.age < 0 || f->st.age >= RMC_AGE_LIMIT)
		return false;
	if (!f->st.has_sk && !f->st.in_education) {
		snprintf(why, n, "rmc: resident of %s under %d, no startkwalificatie, not enrolled",
		         o->rmc, RMC_AGE_LIMIT);
		return true;
	}
	if (followed_special(f->t)) {
		snprintf(why, n, "rmc: PrO/VSO pupil or leaver followed by %s", o->rmc);
		return true;
	}
	return false;
}

static bool rule_care(const struct facts *f, const struct org_ref *o, char *why, size_t n)
{
	bool provider = strcmp(o->kind, "care") == 0;
	bool municipality = strcmp(o->kind, "municipality") == 0;
	if (!provider && !municipality)
		return false;
	for (size_t i = 0; i < f->t->n; i++) {
		const struct tl_record *r = &f->t->rec[i];
		if (r->feed != TL_CARE || !tl_covers(r, f->today))
			continue;
		if (provider && strcmp(r->provider, o->ident) == 0) {
			snprintf(why, n, "care: client of provider %s", o->ident);
			return true;
		}
		if (municipality && strcmp(r->municipality, o->ident) == 0) {
			snprintf(why, n, "care: allocation paid by %s", o->ident);
			return true;
		}
	}
	return false;
}

/* Whether `need` is data the role set may have once a rule or grant lets it see the person. */
static bool need_fits(unsigned roles, enum access_need need)
{
	if (need == ACCESS_READ_CARE)
		return (roles & ROLE_CARE) != 0;
	if (need == ACCESS_READ_BSN)
		return (roles & (ROLE_PERSON_WORK & ~ROLE_JOBCOACH)) != 0;
	return true;
}

/* The rules of the roles the user holds: the first that allows wins; the roles it allows. */
static bool rules_allow(const struct facts *f, const struct org_ref *o, unsigned roles,
                        enum access_need need, char *why, size_t n)
{
	if ((roles & ROLE_SCHOOL) && need_fits(ROLE_SCHOOL, need) && rule_school(f, o, why, n))
		return true;
	if ((roles & ROLE_LEERPLICHT) && need_fits(ROLE_LEERPLICHT, need) &&
	    rule_leerplicht(f, o, why, n))
		return true;
	if ((roles & ROLE_RMC) && need_fits(ROLE_RMC, need) && rule_rmc(f, o, why, n))
		return true;
	if ((roles & ROLE_CARE) && rule_care(f, o, why, n))
		return true;
	return false;
}

static const char grant_sql[] =
    "SELECT id, kind, purpose FROM access_grants WHERE person_id = ? AND organisation_id = ?"
    " AND revoked = 0 AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)"
    " AND (user_id IS NULL OR user_id = ?) ORDER BY id DESC";

/* A grant that lets the user's organisation (or the user) see the person now. */
static int grant_allows(struct store *s, const struct access *who, int64_t person_id,
                        struct access_decision *out, bool *found, struct err *e)
{
	struct stmt *st;
	char now[24];
	*found = false;
	iso_time(access_now(), now);
	if (store_prepare(s, grant_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, person_id);
	stmt_bind_int64(st, 2, who->organisation_id);
	stmt_bind_text(st, 3, now);
	stmt_bind_text(st, 4, now);
	stmt_bind_int64(st, 5, who->user_id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW) {
		const char *kind = stmt_text(st, 1);
		const char *purpose = stmt_text(st, 2);
		*found = true;
		out->grant_id = stmt_int64(st, 0);
		out->break_glass = kind && strcmp(kind, "break_glass") == 0;
		if (out->break_glass)
			snprintf(out->rule, sizeof(out->rule), "break-the-glass: %.170s",
			         purpose ? purpose : "");
		else
			snprintf(out->rule, sizeof(out->rule), "grant %lld (%s): %.150s",
			         (long long)out->grant_id, kind ? kind : "",
			         purpose ? purpose : "");
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/*
 * The person's situation today. Without a residence record the registry's municipality
 * (person add --municipality, the residence load) counts as where the person lives.
 */
static int load_facts(struct store *s, int64_t person_id, const char *registered,
                      struct timeline *t, struct facts *f, struct err *e)
{
	memset(f, 0, sizeof(*f));
	f->t = t;
	f->today = access_today();
	if (timeline_load(s, person_id, t, e) < 0 || status_on(s, t, f->today, &f->st, e) < 0)
		return -1;
	bool has_residence = false;
	for (size_t i = 0; i < t->n; i++)
		has_residence |= t->rec[i].feed == TL_RESIDENCE;
	if (!has_residence && registered[0] && !f->st.deceased) {
		f->st.resident = true;
		snprintf(f->st.municipality, sizeof(f->st.municipality), "%s", registered);
	}
	return rmc_of(s, f->st.municipality, f->rmc, e);
}

int access_decide(struct store *s, const struct access *who, int64_t person_id,
                  enum access_need need, struct access_decision *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	bool exists;
	char registered[8];
	if (person_exists(s, person_id, &exists, registered, e) < 0)
		return -1;
	if (!exists)
		return verdict(out, ACCESS_DENY_NOT_FOUND, "no such person%s%s", NULL, NULL);
	if (is_local(who))
		return verdict(out, ACCESS_ALLOW, "%s: %s (local key holder)", who->role,
		               who->actor);
	if (who->user_id == 0 || !(who->roles & ROLE_PERSON_WORK))
		return verdict(out, ACCESS_DENY_FORBIDDEN, "role never sees persons%s%s", NULL,
		               NULL);
	struct org_ref o;
	struct timeline t;
	struct facts f;
	char why[ACCESS_RULE_SIZE];
	int rc = -1;
	timeline_init(&t);
	if (load_org(s, who->organisation_id, &o, e) < 0 ||
	    load_facts(s, person_id, registered, &t, &f, e) < 0)
		goto out;
	rc = 0;
	if (rules_allow(&f, &o, who->roles, need, why, sizeof(why))) {
		verdict(out, ACCESS_ALLOW, "%s%s", why, NULL);
		goto out;
	}
	/* Whether a rule lets the user see the person at all decides 403 against 404. */
	bool sees = rules_allow(&f, &o, who->roles, ACCESS_READ_BASIC, why, sizeof(why));
	bool granted;
	if (!sees) {
		rc = grant_allows(s, who, person_id, out, &granted, e);
		if (rc < 0)
			goto out;
		if (granted && need_fits(who->roles, need)) {
			out->verdict = ACCESS_ALLOW;
			goto out;
		}
		sees = granted;
		out->grant_id = 0;
		out->break_glass = false;
	}
	if (sees)
		verdict(out, ACCESS_DENY_FORBIDDEN, "the role may not have %s%s",
		        access_need_name(need), NULL);
	else
		verdict(out, ACCESS_DENY_NOT_FOUND, "outside the need-to-know rules%s%s", NULL,
		        NULL);
out:
	timeline_release(&t);
	return rc;
}

static const char person_id_sql[] = "SELECT id FROM persons WHERE pkey = ?";

int access_check(struct store *s, const struct access *who, const char *pkey, enum access_need need,
                 struct access_decision *out, struct access *who_out, int64_t *person_id,
                 struct err *e)
{
	struct stmt *st;
	int64_t id = 0;
	memset(out, 0, sizeof(*out));
	if (store_prepare(s, person_id_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, pkey);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		id = stmt_int64(st, 0);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (rc == STORE_DONE)
		verdict(out, ACCESS_DENY_NOT_FOUND, "no such person%s%s", NULL, NULL);
	else if (access_decide(s, who, id, need, out, e) < 0)
		return -1;
	if (out->verdict != ACCESS_ALLOW) {
		struct access denied = *who;
		denied.reason = out->rule;
		/* An unknown key is not an access to a person's data: no entry for it. */
		if (id &&
		    audit_append(s, &denied, "person.denied", pkey, access_need_name(need), e) < 0)
			return -1;
		if (out->verdict == ACCESS_DENY_FORBIDDEN)
			return err_set(e, ERR_FORBIDDEN, "%s", out->rule);
		return err_set(e, ERR_NOTFOUND, "no person with key '%.64s'", pkey);
	}
	if (who_out) {
		*who_out = *who;
		who_out->reason = out->rule;
	}
	if (person_id)
		*person_id = id;
	return 0;
}
