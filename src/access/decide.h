/*
 * The need-to-know decision (docs/access.md, "Who sees whom"): whether an acting identity may
 * read or write what of one young person, decided from the person's records (enrolments,
 * residence, care allocations, diplomas: status/status.h) and the user's organisation, or
 * from a grant that widens it (a handover, a consent, break the glass). Every path that
 * reads or writes a person goes through access_check (the person module, status, the
 * timeline), so there is no path around it.
 *
 * Ownership: struct access_decision holds no pointers. Grant lists are arrays the caller
 * frees with free().
 */
#ifndef ACCESS_DECIDE_H
#define ACCESS_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "status/status.h"
#include "store/store.h"
#include "util/err.h"

/* What of a person is asked for. */
enum access_need {
	ACCESS_READ_BASIC,    /* key, birth date, municipality */
	ACCESS_READ_IDENTITY, /* names, address, contact, the BSN masked */
	ACCESS_READ_BSN,      /* the BSN in full */
	ACCESS_READ_CARE,     /* care details: law, product, provider */
	ACCESS_READ_TIMELINE, /* the records, the status and the timeline */
	ACCESS_WRITE,         /* change the person's data */
};

enum access_verdict {
	ACCESS_ALLOW,
	ACCESS_DENY_NOT_FOUND, /* 404: the caller may not learn that the person exists */
	ACCESS_DENY_FORBIDDEN, /* 403: a role that never sees persons, or data the role lacks */
};

#define ACCESS_RULE_SIZE 200

/*
 * Kinds of records — the feeds of status/status.h as a set of bits 1u << TL_RESIDENCE … —
 * that a caller may be shown of a person: their records, the events derived from them, the
 * facts of the status they rest on. Care (TL_CARE: youth care and Wmo allocations, their
 * provider, product category and events) is for care roles alone; vrijstellingen
 * (TL_VRIJSTELLING) for leerplicht and RMC roles alone.
 */
#define ACCESS_KINDS_ALL ((1u << (TL_OTHER + 1)) - 1)

struct access_decision {
	enum access_verdict verdict;
	char rule[ACCESS_RULE_SIZE]; /* the rule that allowed it, or why not: for the audit */
	int64_t grant_id;            /* the grant that allowed it, 0 when a rule did */
	bool break_glass;            /* allowed by a break-the-glass grant */
	unsigned kinds;              /* allowed: the record kinds that may be shown; else 0 */
};

/*
 * The record kinds a caller's roles may ever be shown (ACCESS_KINDS_ALL for the local
 * operator; every kind but care and vrijstellingen, care for a care role, vrijstellingen for
 * a leerplicht or RMC role). The decision narrows it per
 * person: a care role sees the care details of its own clients (and of persons granted to
 * it), not of others it sees under another role.
 */
unsigned access_role_kinds(const struct access *who);

/* Whether an allowing decision lets the caller see records of the feed named `feed`. */
bool access_sees_feed(const struct access_decision *d, const char *feed);

/* The name of a need ("read_identity", …), for audit details and messages. */
const char *access_need_name(enum access_need need);

/*
 * Decide whether `who` may have `need` of the person with id `person_id`, on the clock's
 * today (access_clock_set). Fills *out; returns 0 whatever the verdict, -1 only when the
 * store fails. An unknown person is ACCESS_DENY_NOT_FOUND. Nothing is audited here: callers
 * use access_check.
 */
int access_decide(struct store *s, const struct access *who, int64_t person_id,
                  enum access_need need, struct access_decision *out, struct err *e);

/*
 * The decision for the person with key `pkey`, audited when refused: a refusal appends
 * "person.denied" (detail: the need; reason: why) and returns -1 with ERR_NOTFOUND ("no
 * person with key …", the same as for an unknown key) or ERR_FORBIDDEN. On success *out
 * holds the rule and *who_out (may be NULL) is *who with reason set to out->rule (borrowed
 * from *out), for the caller's audit entry of the read. *person_id (may be NULL) gets the id.
 */
int access_check(struct store *s, const struct access *who, const char *pkey, enum access_need need,
                 struct access_decision *out, struct access *who_out, int64_t *person_id,
                 struct err *e);

/*
 * The persons `who` may see today (the decision for ACCESS_READ_BASIC), decided for a whole
 * population at once by the same rules as access_decide: a query per role for the persons
 * its rule could allow, then the rules on each one's records. For the person list.
 * `all` is set for the local operator (every person, no ids); otherwise ids[0..n) are
 * sorted. Nothing is audited here. Release with access_set_release.
 */
struct access_set {
	bool all;
	int64_t *ids;
	size_t n;
};

int access_visible(struct store *s, const struct access *who, struct access_set *out,
                   struct err *e);
bool access_set_has(const struct access_set *set, int64_t id);
void access_set_release(struct access_set *set);

/*
 * What the decision keeps per thread (organisations, RMC regions, region settings; flushed
 * when the store's reference data changes): counts since the thread started, for tests and
 * benchmarks.
 */
struct access_cache_stats {
	unsigned long hits, misses, flushes;
};

void access_cache_stats(struct access_cache_stats *out);

/* Whether `who` may open person routes at all (a role that works with persons, or local). */
bool access_sees_persons(const struct access *who);

/*
 * The clock the decision uses: `now` (unix seconds) from here on, or the real time (and
 * INBEELD_TODAY for the date) after access_clock_set(0). For tests of expiry.
 */
void access_clock_set(time_t now);
time_t access_now(void);

/* ---- grants ---- */

struct access_grant {
	int64_t id;
	char person_key[65];
	char org[48];  /* kind:ident of the organisation */
	char user[64]; /* the user of a break-the-glass grant, "" otherwise */
	char kind[16]; /* handover, consent, break_glass */
	char purpose[200];
	char legal_ground[200];
	char granted_by[100];
	char valid_from[24], valid_to[24]; /* ISO UTC; valid_to "" while open */
	bool revoked;
};

struct access_grant_input {
	const char *pkey;
	int64_t organisation_id;
	const char *kind; /* handover or consent */
	const char *purpose;
	const char *legal_ground;
	const char *until; /* YYYY-MM-DD (the last day), or NULL: until revoked */
};

/*
 * Record a grant (audited as "access.grant" on the person). ERR_INVALID for an unknown kind,
 * an empty purpose or legal ground, a bad date; ERR_NOTFOUND for an unknown person.
 * *id gets the grant's id.
 */
int access_grant_add(struct store *s, const struct access *who, const struct access_grant_input *in,
                     int64_t *id, struct err *e);

/* The grants of a person, newest first (audited as "access.grants"); free(*out). */
int access_grant_list(struct store *s, const struct access *who, const char *pkey,
                      struct access_grant **out, size_t *n, struct err *e);

/* Revoke a grant (audited as "access.revoke"); ERR_NOTFOUND, ERR_CONFLICT when revoked. */
int access_grant_revoke(struct store *s, const struct access *who, int64_t id, struct err *e);

/* The break-the-glass hours (setting "access.break_glass_hours" in meta; default 3). */
#define ACCESS_BREAK_GLASS_HOURS 3

/*
 * Break the glass: record a grant for the user `who` (a logged-in user with a role that
 * works with persons) on the person with key `pkey` for the set number of hours, audited as
 * "person.break_glass" with the reason. ERR_INVALID for an empty or too short reason;
 * ERR_FORBIDDEN for a role that never sees persons; ERR_NOTFOUND for an unknown person.
 * *until (may be NULL, 24 bytes) gets the end, ISO UTC.
 */
int access_break_glass(struct store *s, const struct access *who, const char *pkey,
                       const char *reason, char until[24], struct err *e);

/*
 * The break-the-glass grants (for the privacy officer), newest first: of the organisation
 * with id `org_id` (0: all), made on or after `since` (ISO date, NULL: all). free(*out).
 */
int access_glass_list(struct store *s, int64_t org_id, const char *since, struct access_grant **out,
                      size_t *n, struct err *e);

#endif
