/*
 * The need-to-know decision (see decide.h and docs/access.md, "Who sees whom"): the rule
 * table in C, decided from the person's records and the user's organisation, and the grants
 * that widen it (handover, consent, break the glass).
 */
#include "access/decide.h"

#include "accounts/roles.h"
#include "audit/audit.h"
#include "signals/settings.h"
#include "status/status.h"
#include "util/date.h"
#include "util/xalloc.h"

#include <stdarg.h>
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

/* The person as the decision needs them: the registry's row and their records. */
struct person_row {
	int64_t id;
	char registered[8]; /* the registry's municipality, "" if none */
	date_t birth;       /* DATE_UNKNOWN when none */
	bool has_generation;
	char generation[24]; /* the store's reference counter, read with the row */
};

static const char org_sql[] = "SELECT kind, ident FROM organisations WHERE id = ?";
static const char rmc_sql[] =
    "SELECT rmc_code FROM municipalities WHERE code = ? AND rmc_code IS NOT NULL"
    " ORDER BY year DESC LIMIT 1";
/* With the reference counter (cache_check), so that a decision costs one query less. */
static const char person_by_id_sql[] =
    "SELECT id, municipality_code, birth_date,"
    " (SELECT value FROM meta WHERE name = 'reference.generation') FROM persons WHERE id = ?";
static const char person_by_key_sql[] =
    "SELECT id, municipality_code, birth_date,"
    " (SELECT value FROM meta WHERE name = 'reference.generation') FROM persons WHERE pkey = ?";
static const char records_sql[] =
    "SELECT id, feed, content, valid_from, valid_to FROM feed_records WHERE person_id = ?"
    " ORDER BY id";
static const char generation_sql[] =
    "SELECT value FROM meta WHERE name = 'reference.generation'";

static int copy_column(struct stmt *st, int col, char *out, size_t size)
{
	const char *v = stmt_text(st, col);
	snprintf(out, size, "%s", v ? v : "");
	return 0;
}

static date_t birth_of(const char *text)
{
	date_t d;
	struct err ignored = ERR_INIT;
	if (!text || date_parse(text, &d, &ignored) < 0)
		return DATE_UNKNOWN;
	return d;
}

/*
 * The reference data the decision reads on every read — the user's organisation, the RMC
 * region of a municipality, the settings of a region — kept per thread for one store while
 * the store's reference counter (meta "reference.generation", moved by triggers on
 * organisations, municipalities and settings from any process, migration 0010) stays where
 * it was. Each table is direct-mapped: a new key takes the slot of an old one.
 */
enum { CACHE_SLOTS = 64 };

struct ref_cache {
	struct store_mark mark; /* the store and reference counter it holds for */
	struct {
		int64_t id;
		struct org_ref o;
	} org[CACHE_SLOTS];
	struct {
		char code[8], rmc[8];
	} rmc[CACHE_SLOTS];
	struct {
		char code[8], region[8];
		int year;
	} region[CACHE_SLOTS];
	struct {
		bool set;
		char region[8];
		struct status_settings ss;
	} settings[CACHE_SLOTS];
	struct access_cache_stats stats;
};

static _Thread_local struct ref_cache cache;

static unsigned slot_of(const char *text, long extra)
{
	unsigned h = 2166136261u ^ (unsigned)extra;
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		h = (h ^ *c) * 16777619u;
	return h % CACHE_SLOTS;
}

/* Drop what the cache holds if the store or its reference counter is another. */
static void cache_use(struct store *s, bool usable, const char *generation)
{
	struct store_mark mark = cache.mark;
	if (store_mark_holds(&mark, s, usable ? generation : NULL))
		return;
	struct access_cache_stats stats = cache.stats;
	memset(&cache, 0, sizeof(cache));
	cache.stats = stats;
	cache.stats.flushes++;
	cache.mark = mark;
}

/* Start a set of decisions: read the reference counter and check the cache against it. */
static int cache_check(struct store *s, struct err *e)
{
	char generation[sizeof(cache.mark.value)];
	bool found;
	if (store_query_text(s, generation_sql, generation, sizeof(generation), &found, e) < 0)
		return -1;
	cache_use(s, found, generation);
	return 0;
}

void access_cache_stats(struct access_cache_stats *out)
{
	*out = cache.stats;
}

static int rmc_of(struct store *s, const char *municipality, char out[8], struct err *e)
{
	struct stmt *st;
	out[0] = '\0';
	if (!municipality[0])
		return 0;
	unsigned k = slot_of(municipality, 0);
	if (cache.mark.usable && strcmp(cache.rmc[k].code, municipality) == 0) {
		cache.stats.hits++;
		memcpy(out, cache.rmc[k].rmc, 8);
		return 0;
	}
	cache.stats.misses++;
	if (store_prepare(s, rmc_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, municipality);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		copy_column(st, 0, out, 8);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (cache.mark.usable && strlen(municipality) < sizeof(cache.rmc[k].code)) {
		snprintf(cache.rmc[k].code, sizeof(cache.rmc[k].code), "%s", municipality);
		memcpy(cache.rmc[k].rmc, out, 8);
	}
	return 0;
}

static int load_org(struct store *s, int64_t id, struct org_ref *o, struct err *e)
{
	struct stmt *st;
	memset(o, 0, sizeof(*o));
	if (!id)
		return 0;
	unsigned k = (unsigned)((uint64_t)id % CACHE_SLOTS);
	if (cache.mark.usable && cache.org[k].id == id) {
		cache.stats.hits++;
		*o = cache.org[k].o;
		return 0;
	}
	cache.stats.misses++;
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
	if (strcmp(o->kind, "municipality") == 0 && rmc_of(s, o->ident, o->rmc, e) < 0)
		return -1;
	if (cache.mark.usable) {
		cache.org[k].id = id;
		cache.org[k].o = *o;
	}
	return 0;
}

/* settings_region_of, kept: the region of a municipality in the year of `on`. */
static int region_of(struct store *s, const char *municipality, date_t on, char region[8],
                     struct err *e)
{
	int y, m, d;
	date_to_ymd(on, &y, &m, &d);
	unsigned k = slot_of(municipality, y);
	if (cache.mark.usable && cache.region[k].year == y &&
	    strcmp(cache.region[k].code, municipality) == 0) {
		cache.stats.hits++;
		memcpy(region, cache.region[k].region, 8);
		return 0;
	}
	cache.stats.misses++;
	if (settings_region_of(s, municipality, on, region, e) < 0)
		return -1;
	if (cache.mark.usable && strlen(municipality) < sizeof(cache.region[k].code)) {
		snprintf(cache.region[k].code, sizeof(cache.region[k].code), "%s", municipality);
		memcpy(cache.region[k].region, region, 8);
		cache.region[k].year = y;
	}
	return 0;
}

/* The status settings of a region ("" for none), kept. */
static int region_settings(struct store *s, const char *region, struct status_settings *ss,
                           struct err *e)
{
	unsigned k = slot_of(region, 1);
	if (cache.mark.usable && cache.settings[k].set && strcmp(cache.settings[k].region, region) == 0) {
		cache.stats.hits++;
		*ss = cache.settings[k].ss;
		return 0;
	}
	cache.stats.misses++;
	struct signal_settings set;
	if (signal_settings_load(s, region, &set, e) < 0)
		return -1;
	*ss = set.status;
	if (cache.mark.usable && strlen(region) < sizeof(cache.settings[k].region)) {
		cache.settings[k].set = true;
		snprintf(cache.settings[k].region, sizeof(cache.settings[k].region), "%s", region);
		cache.settings[k].ss = *ss;
	}
	return 0;
}

/*
 * The situation on `on` with the settings of the region the person lives in: what status_on
 * (status/status.h) computes, with the region and its settings from the cache.
 */
static int status_with_settings(struct store *s, const struct timeline *t, date_t on,
                                struct status *out, struct err *e)
{
	struct status_settings ss;
	char region[8];
	status_settings_default(&ss);
	status_compute(t, &ss, on, out);
	if (region_of(s, out->municipality, on, region, e) < 0 ||
	    region_settings(s, region, &ss, e) < 0)
		return -1;
	status_compute(t, &ss, on, out);
	return 0;
}

/* The person's registry row by id (pkey NULL) or by key; *found says whether there is one. */
static int load_person(struct store *s, int64_t id, const char *pkey, struct person_row *p,
                       bool *found, struct err *e)
{
	struct stmt *st;
	memset(p, 0, sizeof(*p));
	p->birth = DATE_UNKNOWN;
	if (store_prepare(s, pkey ? person_by_key_sql : person_by_id_sql, &st, e) < 0)
		return -1;
	if (pkey)
		stmt_bind_text(st, 1, pkey);
	else
		stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	*found = rc == STORE_ROW;
	if (rc == STORE_ROW) {
		p->id = stmt_int64(st, 0);
		copy_column(st, 1, p->registered, sizeof(p->registered));
		p->birth = birth_of(stmt_text(st, 2));
		p->has_generation = !stmt_is_null(st, 3);
		copy_column(st, 3, p->generation, sizeof(p->generation));
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* The person's records into *t (timeline_load without the second read of the birth date). */
static int load_records(struct store *s, const struct person_row *p, struct timeline *t,
                        struct err *e)
{
	struct stmt *st;
	timeline_clear(t);
	t->person_id = p->id;
	t->birth = p->birth;
	if (store_prepare(s, records_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, p->id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW)
		if (timeline_add(t, stmt_int64(st, 0), stmt_text(st, 1), stmt_text(st, 2),
		                 stmt_text(st, 3), stmt_text(st, 4), e) < 0) {
			rc = -1;
			break;
		}
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
static int load_facts(struct store *s, const struct person_row *p, const struct timeline *t,
                      struct facts *f, struct err *e)
{
	memset(f, 0, sizeof(*f));
	f->t = t;
	f->today = access_today();
	if (status_with_settings(s, t, f->today, &f->st, e) < 0)
		return -1;
	bool has_residence = false;
	for (size_t i = 0; i < t->n; i++)
		has_residence |= t->rec[i].feed == TL_RESIDENCE;
	if (!has_residence && p->registered[0] && !f->st.deceased) {
		f->st.resident = true;
		snprintf(f->st.municipality, sizeof(f->st.municipality), "%s", p->registered);
	}
	return rmc_of(s, f->st.municipality, f->rmc, e);
}

unsigned access_role_kinds(const struct access *who)
{
	if (is_local(who))
		return ACCESS_KINDS_ALL;
	unsigned kinds = ACCESS_KINDS_ALL & ~(1u << TL_CARE | 1u << TL_VRIJSTELLING);
	if (who->roles & ROLE_CARE)
		kinds |= 1u << TL_CARE;
	/* A vrijstelling may rest on a medical statement (article 5a): for the roles that act
	 * on leerplicht and vsv only. */
	if (who->roles & (ROLE_LEERPLICHT | ROLE_RMC))
		kinds |= 1u << TL_VRIJSTELLING;
	return kinds;
}

bool access_sees_feed(const struct access_decision *d, const char *feed)
{
	return d->verdict == ACCESS_ALLOW && (d->kinds & (1u << tl_feed_of(feed))) != 0;
}

/*
 * The decision for a person whose row is loaded: the rules of the user's roles on the
 * person's records, then the grants. out->kinds says which record kinds may be shown: those
 * of the roles (access_role_kinds), and care details only when a care rule or a grant lets a
 * care role see this person's care.
 */
static int decide_loaded(struct store *s, const struct access *who, const struct person_row *p,
                         enum access_need need, struct access_decision *out, struct err *e)
{
	if (is_local(who)) {
		out->kinds = ACCESS_KINDS_ALL;
		return verdict(out, ACCESS_ALLOW, "%s: %s (local key holder)", who->role,
		               who->actor);
	}
	if (who->user_id == 0 || !(who->roles & ROLE_PERSON_WORK))
		return verdict(out, ACCESS_DENY_FORBIDDEN, "role never sees persons%s%s", NULL,
		               NULL);
	struct org_ref o;
	struct timeline t;
	struct facts f;
	char why[ACCESS_RULE_SIZE], care_why[ACCESS_RULE_SIZE];
	int rc = -1;
	timeline_init(&t);
	cache_use(s, p->has_generation, p->generation);
	if (load_org(s, who->organisation_id, &o, e) < 0 || load_records(s, p, &t, e) < 0 ||
	    load_facts(s, p, &t, &f, e) < 0)
		goto out;
	rc = 0;
	bool care_rule = rules_allow(&f, &o, who->roles, ACCESS_READ_CARE, care_why,
	                             sizeof(care_why));
	if (rules_allow(&f, &o, who->roles, need, why, sizeof(why))) {
		verdict(out, ACCESS_ALLOW, "%s%s", why, NULL);
		out->kinds = access_role_kinds(who) & ~(care_rule ? 0u : 1u << TL_CARE);
		goto out;
	}
	/* Whether a rule lets the user see the person at all decides 403 against 404. */
	bool sees = rules_allow(&f, &o, who->roles, ACCESS_READ_BASIC, why, sizeof(why));
	bool granted;
	if (!sees) {
		rc = grant_allows(s, who, p->id, out, &granted, e);
		if (rc < 0)
			goto out;
		if (granted && need_fits(who->roles, need)) {
			out->verdict = ACCESS_ALLOW;
			/* A grant gives care details to a care role only (need_fits). */
			out->kinds = access_role_kinds(who);
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

int access_decide(struct store *s, const struct access *who, int64_t person_id,
                  enum access_need need, struct access_decision *out, struct err *e)
{
	struct person_row p;
	bool found;
	memset(out, 0, sizeof(*out));
	if (load_person(s, person_id, NULL, &p, &found, e) < 0)
		return -1;
	if (!found)
		return verdict(out, ACCESS_DENY_NOT_FOUND, "no such person%s%s", NULL, NULL);
	return decide_loaded(s, who, &p, need, out, e);
}

int access_check(struct store *s, const struct access *who, const char *pkey, enum access_need need,
                 struct access_decision *out, struct access *who_out, int64_t *person_id,
                 struct err *e)
{
	struct person_row p;
	bool found;
	memset(out, 0, sizeof(*out));
	if (load_person(s, 0, pkey, &p, &found, e) < 0)
		return -1;
	if (!found)
		verdict(out, ACCESS_DENY_NOT_FOUND, "no such person%s%s", NULL, NULL);
	else if (decide_loaded(s, who, &p, need, out, e) < 0)
		return -1;
	if (out->verdict != ACCESS_ALLOW) {
		struct access denied = *who;
		denied.reason = out->rule;
		/* An unknown key is not an access to a person's data: no entry for it. */
		if (found && audit_append_read(s, &denied, "person.denied", pkey,
		                               access_need_name(need), e) < 0)
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
		*person_id = p.id;
	return 0;
}

/* ---- the same rules over a population ------------------------------------------------------ */

/*
 * Candidates: for each role the user holds, a query for a superset of the persons its rule
 * can allow, cheap to run because it reads one kind of record or an index; the decision
 * above then runs on each candidate's records. Each is a superset because the rule it stands
 * for compares a code of a record with the organisation's identifier, and the importer writes
 * such codes into the record's content as they are (docs/feeds.md), so a record that the rule
 * accepts contains the identifier. access_visible must agree with access_decide person by
 * person (tests/unit/u-access.c checks that on a generated region).
 */
static const char cand_enrolled_sql[] =
    "SELECT person_id FROM feed_records WHERE feed = 'enrolments' AND content LIKE ?";
static const char cand_care_sql[] =
    "SELECT person_id FROM feed_records WHERE feed = 'care' AND content LIKE ?";
/* Residents of a municipality born in a window: the registry's municipality (for persons
 * without a residence record) or a residence record naming it. */
static const char cand_registered_sql[] =
    "SELECT id FROM persons WHERE municipality_code = ? AND birth_date > ? AND birth_date <= ?";
static const char cand_resident_sql[] =
    "SELECT r.person_id FROM feed_records r JOIN persons p ON p.id = r.person_id"
    " WHERE r.feed = 'residence' AND r.content LIKE ? AND p.birth_date > ? AND"
    " p.birth_date <= ?";
static const char cand_born_after_sql[] = "SELECT id FROM persons WHERE birth_date > ?";
static const char cand_grants_sql[] =
    "SELECT person_id FROM access_grants WHERE organisation_id = ? AND revoked = 0"
    " AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)"
    " AND (user_id IS NULL OR user_id = ?)";
/* Persons with their records, in id order: a range, or one person. */
static const char range_sql[] =
    "SELECT p.id, p.municipality_code, p.birth_date, r.id, r.feed, r.content, r.valid_from,"
    " r.valid_to FROM persons p LEFT JOIN feed_records r ON r.person_id = p.id"
    " WHERE p.id >= ? AND p.id <= ? ORDER BY p.id, r.id";
static const char one_sql[] =
    "SELECT p.id, p.municipality_code, p.birth_date, r.id, r.feed, r.content, r.valid_from,"
    " r.valid_to FROM persons p LEFT JOIN feed_records r ON r.person_id = p.id"
    " WHERE p.id = ? ORDER BY r.id";

/* Leerplicht ends before the 19th birthday at the latest, the RMC rule at 23; the windows
 * are wider by a year so that a birthday on the edge is still a candidate. */
enum { LEERPLICHT_MIN_AGE = 4, LEERPLICHT_WINDOW_YEARS = 20, RMC_WINDOW_YEARS = 24 };

struct id_vec {
	int64_t *v;
	size_t n, cap;
};

static void id_push(struct id_vec *a, int64_t id)
{
	XGROW(a->v, a->cap, a->n + 1);
	a->v[a->n++] = id;
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void id_sort_unique(struct id_vec *a)
{
	if (a->n > 1)
		qsort(a->v, a->n, sizeof(*a->v), id_cmp);
	size_t kept = 0;
	for (size_t i = 0; i < a->n; i++)
		if (kept == 0 || a->v[kept - 1] != a->v[i])
			a->v[kept++] = a->v[i];
	a->n = kept;
}

static bool id_has(const struct id_vec *a, int64_t id)
{
	return a->n && bsearch(&id, a->v, a->n, sizeof(*a->v), id_cmp) != NULL;
}

/* Run a candidate query with text parameters (NULL ends them) and collect column 0. */
static int collect(struct store *s, const char *sql, struct id_vec *out, struct err *e, ...)
{
	struct stmt *st;
	va_list ap;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	va_start(ap, e);
	const char *v;
	for (int i = 1; (v = va_arg(ap, const char *)) != NULL; i++)
		stmt_bind_text(st, i, v);
	va_end(ap);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW)
		id_push(out, stmt_int64(st, 0));
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* The day `years` years before `today` as ISO text (day clamped to 28: the windows are wide). */
static void years_before(date_t today, int years, char out[DATE_STR_SIZE])
{
	int y, m, d;
	date_to_ymd(today, &y, &m, &d);
	date_format(date_from_ymd(y - years, m, d > 28 ? 28 : d), out);
}

static int grant_candidates(struct store *s, const struct access *who, struct id_vec *out,
                            struct err *e)
{
	struct stmt *st;
	char now[24];
	iso_time(access_now(), now);
	if (store_prepare(s, cand_grants_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, who->organisation_id);
	stmt_bind_text(st, 2, now);
	stmt_bind_text(st, 3, now);
	stmt_bind_int64(st, 4, who->user_id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW)
		id_push(out, stmt_int64(st, 0));
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int rule_candidates(struct store *s, const struct access *who, const struct org_ref *o,
                           date_t today, struct id_vec *out, struct err *e)
{
	char like[40], young[DATE_STR_SIZE], old[DATE_STR_SIZE], rmc_old[DATE_STR_SIZE];
	snprintf(like, sizeof(like), "%%%s%%", o->ident);
	years_before(today, LEERPLICHT_MIN_AGE, young);
	years_before(today, LEERPLICHT_WINDOW_YEARS, old);
	years_before(today, RMC_WINDOW_YEARS, rmc_old);
	bool school = strcmp(o->kind, "school") == 0;
	bool municipality = strcmp(o->kind, "municipality") == 0;
	if (!o->ident[0])
		return 0;
	if ((who->roles & ROLE_SCHOOL) && school &&
	    collect(s, cand_enrolled_sql, out, e, like, NULL) < 0)
		return -1;
	if ((who->roles & ROLE_CARE) && (municipality || strcmp(o->kind, "care") == 0) &&
	    collect(s, cand_care_sql, out, e, like, NULL) < 0)
		return -1;
	if ((who->roles & ROLE_LEERPLICHT) && municipality &&
	    (collect(s, cand_registered_sql, out, e, o->ident, old, young, NULL) < 0 ||
	     collect(s, cand_resident_sql, out, e, like, old, young, NULL) < 0))
		return -1;
	if ((who->roles & ROLE_RMC) && municipality && o->rmc[0] &&
	    collect(s, cand_born_after_sql, out, e, rmc_old, NULL) < 0)
		return -1;
	return 0;
}

/* Whether the rules of `who` let them see the person whose row and records are loaded. */
static int sees_loaded(struct store *s, const struct access *who, const struct org_ref *o,
                       const struct person_row *p, const struct timeline *t, bool *sees,
                       struct err *e)
{
	struct facts f;
	char why[ACCESS_RULE_SIZE];
	if (load_facts(s, p, t, &f, e) < 0)
		return -1;
	*sees = rules_allow(&f, o, who->roles, ACCESS_READ_BASIC, why, sizeof(why));
	return 0;
}

/*
 * Walk the persons of `ids[0..n)` (sorted) with their records, from one range query when
 * they lie close together and person by person otherwise, deciding each.
 */
enum { WALK_BATCH = 256, WALK_DENSE = 4 };

struct walk {
	struct store *s;
	const struct access *who;
	const struct org_ref *o;
	const struct id_vec *grants;
	struct id_vec *visible;
	struct timeline t;
	struct person_row p;
	bool open; /* a person is being read */
};

static int walk_finish(struct walk *w, struct err *e)
{
	if (!w->open)
		return 0;
	w->open = false;
	bool sees = id_has(w->grants, w->p.id);
	if (!sees && sees_loaded(w->s, w->who, w->o, &w->p, &w->t, &sees, e) < 0)
		return -1;
	if (sees)
		id_push(w->visible, w->p.id);
	return 0;
}

/* One row of range_sql or one_sql: a person (the first time) and one of their records. */
static int walk_row(struct walk *w, struct stmt *st, struct err *e)
{
	int64_t id = stmt_int64(st, 0);
	if (!w->open || w->p.id != id) {
		if (walk_finish(w, e) < 0)
			return -1;
		memset(&w->p, 0, sizeof(w->p));
		w->p.id = id;
		copy_column(st, 1, w->p.registered, sizeof(w->p.registered));
		w->p.birth = birth_of(stmt_text(st, 2));
		timeline_clear(&w->t);
		w->t.person_id = id;
		w->t.birth = w->p.birth;
		w->open = true;
	}
	if (stmt_is_null(st, 3))
		return 0;
	return timeline_add(&w->t, stmt_int64(st, 3), stmt_text(st, 4), stmt_text(st, 5),
	                    stmt_text(st, 6), stmt_text(st, 7), e);
}

static int walk_query(struct walk *w, const char *sql, int64_t lo, int64_t hi,
                      const struct id_vec *want, struct err *e)
{
	struct stmt *st;
	if (store_prepare(w->s, sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, lo);
	if (sql == range_sql)
		stmt_bind_int64(st, 2, hi);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		if (want && !id_has(want, stmt_int64(st, 0)))
			continue;
		if (walk_row(w, st, e) < 0) {
			rc = -1;
			break;
		}
	}
	stmt_free(st);
	if (rc < 0)
		return -1;
	return walk_finish(w, e);
}

static int walk_all(struct walk *w, const struct id_vec *ids, struct err *e)
{
	for (size_t i = 0; i < ids->n; i += WALK_BATCH) {
		size_t end = i + WALK_BATCH < ids->n ? i + WALK_BATCH : ids->n;
		int64_t lo = ids->v[i], hi = ids->v[end - 1];
		if ((uint64_t)(hi - lo) < (uint64_t)(end - i) * WALK_DENSE) {
			if (walk_query(w, range_sql, lo, hi, ids, e) < 0)
				return -1;
			continue;
		}
		for (size_t j = i; j < end; j++)
			if (walk_query(w, one_sql, ids->v[j], 0, NULL, e) < 0)
				return -1;
	}
	return 0;
}

int access_visible(struct store *s, const struct access *who, struct access_set *out,
                   struct err *e)
{
	struct id_vec cand = {0}, grants = {0}, visible = {0};
	struct org_ref o;
	memset(out, 0, sizeof(*out));
	if (is_local(who)) {
		out->all = true;
		return 0;
	}
	if (who->user_id == 0 || !(who->roles & ROLE_PERSON_WORK))
		return 0;
	int rc = -1;
	struct walk w = {.s = s, .who = who, .o = &o, .grants = &grants, .visible = &visible};
	timeline_init(&w.t);
	if (cache_check(s, e) < 0 || load_org(s, who->organisation_id, &o, e) < 0 ||
	    grant_candidates(s, who, &grants, e) < 0 ||
	    rule_candidates(s, who, &o, access_today(), &cand, e) < 0)
		goto out;
	id_sort_unique(&grants);
	for (size_t i = 0; i < grants.n; i++)
		id_push(&cand, grants.v[i]);
	id_sort_unique(&cand);
	if (walk_all(&w, &cand, e) < 0)
		goto out;
	out->ids = visible.v;
	out->n = visible.n;
	visible.v = NULL;
	rc = 0;
out:
	timeline_release(&w.t);
	free(cand.v);
	free(grants.v);
	free(visible.v);
	return rc;
}

bool access_set_has(const struct access_set *set, int64_t id)
{
	return set->all ||
	       (set->n && bsearch(&id, set->ids, set->n, sizeof(*set->ids), id_cmp) != NULL);
}

void access_set_release(struct access_set *set)
{
	free(set->ids);
	memset(set, 0, sizeof(*set));
}
