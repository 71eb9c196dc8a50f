/*
 * Status: a young person's situation on any date, derived from the current state of the
 * records the partners delivered (feed_records: residence, enrolments, diplomas, absence,
 * care, work) and the birth date, after the Dutch rules of docs/definitions.md — in
 * education (school, type, level), startkwalificatie, leerplichtig / kwalificatieplichtig, at
 * work, on a benefit, in dagbesteding, in youth care or Wmo, moved out of the region,
 * deceased, or "uit beeld" — with the records each fact was derived from.
 *
 * The derivation is a pure function of a struct timeline (the person's records, parsed) and
 * the settings (struct status_settings), so it is tested without a store; status_get loads
 * one person's timeline from the store. The signal rules (signals/) use the same timeline.
 *
 * Ownership: a struct timeline owns its records; release it with timeline_release. A struct
 * status holds no pointers.
 */
#ifndef STATUS_STATUS_H
#define STATUS_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "store/store.h"
#include "util/date.h"
#include "util/err.h"

#define DATE_OPEN    0x7fffffff /* the end of a period still running */
#define DATE_UNKNOWN (-0x7fffffff)

enum tl_feed {
	TL_RESIDENCE,
	TL_ENROLMENT,
	TL_DIPLOMA,
	TL_ABSENCE,
	TL_CARE,
	TL_WORK,
	TL_VRIJSTELLING,
	TL_OTHER
};

/* The feed of a feed name ("care" → TL_CARE); TL_OTHER for a name that is none of the seven. */
enum tl_feed tl_feed_of(const char *feed);

/* One record of the person, parsed from feed_records (content, valid_from, valid_to). */
struct tl_record {
	int64_t id; /* feed_records.id: the evidence */
	enum tl_feed feed;
	date_t from, to; /* the period, inclusive; to = DATE_OPEN while running */
	/* Codes from `content`, "" when absent. Which are set depends on the feed:
	 * residence municipality, died; enrolment school, school_type, level, reason;
	 * diploma qualification, school; absence report_id, school, kind, status, reported,
	 * status_date, hours; care law, category, municipality; work kind, hours; vrijstelling
	 * article, municipality. */
	char school[8];
	char school_type[4];
	char level[24];
	char reason[12];
	char code[24]; /* qualification, absence kind, care law, work kind, vrijstelling article */
	char status[28];
	char category[4];
	char municipality[8];
	char report_id[24];
	char provider[12]; /* care: the provider's AGB */
	date_t died, reported, status_date;
	long hours;
};

/* A person's records, in any order; rules sort what they need. */
struct timeline {
	int64_t person_id;
	date_t birth; /* DATE_UNKNOWN when no feed carried it */
	struct tl_record *rec;
	size_t n, cap;
};

void timeline_init(struct timeline *t);
void timeline_clear(struct timeline *t); /* keep the memory, drop the records */
void timeline_release(struct timeline *t);

/*
 * Add a record from its feed name, JSON content and ISO validity (NULL: none). Codes that do
 * not fit their field are cut; a content that is not a flat JSON object of strings and
 * numbers gives ERR_INVALID naming the record id.
 */
int timeline_add(struct timeline *t, int64_t id, const char *feed, const char *content,
                 const char *valid_from, const char *valid_to, struct err *e);

/*
 * The same for one record on its own, into *r: for other readers of the importer's content
 * (the enrolment events of a timeline), so that it has one parser.
 */
int tl_record_parse(struct tl_record *r, int64_t id, const char *feed, const char *content,
                    const char *valid_from, const char *valid_to, struct err *e);

/* The definitions a status depends on (docs/definitions.md, "Settings at a glance"). */
struct status_settings {
	int leerplicht_start_age;        /* definitions.leerplicht_start_age = 5 */
	bool leerplicht_start_first_day; /* definitions.leerplicht_start_day = first_day */
	int leerplicht_end_age;          /* definitions.leerplicht_end_age = 16 */
	int target_age_max;              /* definitions.target_age_max = 27 */
	bool leap_day_feb28;             /* definitions.leap_day_birthday = 02-28 */
};

void status_settings_default(struct status_settings *ss);

/*
 * The day on which someone born on `birth` reaches `years`, and their age in whole years on
 * `on`, with the region's reading of a 29 February birthday in a common year (reached on
 * 1 March, or on 28 February with definitions.leap_day_birthday = 02-28). Every age and
 * birthday that status and the rules use goes through these.
 */
date_t status_birthday(const struct status_settings *ss, date_t birth, int years);
int status_age(const struct status_settings *ss, date_t birth, date_t on);

/* Evidence: which records a fact rests on (at most STATUS_MAX_EVIDENCE kept). */
#define STATUS_MAX_EVIDENCE 16

struct status {
	date_t on;
	bool birth_known;
	int age; /* whole years on `on`; -1 when the birth date is unknown */
	date_t leerplicht_start, leerplicht_end; /* first and last day; DATE_UNKNOWN */
	date_t kwalificatieplicht_end;           /* the last day (before the 18th birthday) */

	bool resident;        /* a residence record covers `on` */
	bool moved_out;       /* lived in the region before `on` and not on `on` */
	bool deceased;        /* died on or before `on` */
	date_t died;          /* DATE_UNKNOWN when not known */
	char municipality[8]; /* of the residence on `on` (or the last one), "" when none */

	bool in_education;
	char school[8], school_type[4], level[24];
	date_t education_since;
	bool has_sk; /* a havo, vwo or mbo-2..4 diploma dated on or before `on` */
	char sk_qualification[24];
	date_t sk_date;
	bool leerplichtig, kwalificatieplichtig;
	/* A vrijstelling from the Leerplichtwet covers `on`: its article ("5a"), "" when none. */
	char vrijstelling[4];
	date_t vrijstelling_end; /* its last day; DATE_OPEN while it runs */

	bool at_work, on_benefit, dagbesteding, youth_care, wmo, doelgroepenregister;
	bool uit_beeld; /* alive, resident, and none of: education, work, benefit,
	                 * dagbesteding, youth care, Wmo */

	int64_t evidence[STATUS_MAX_EVIDENCE];
	int nevidence;

	/* Set by status_get for a caller who may not see care details (access/decide.h): the
	 * care records were left out before the status was derived, so youth_care and wmo are
	 * unknown (shown as null), and dagbesteding and uit_beeld rest on the other records. */
	bool care_withheld;
	/* The same for vrijstellingen, which only leerplicht and RMC roles see: vrijstelling is
	 * then unknown (shown as null). */
	bool vrijstelling_withheld;
};

/* Whether a qualification code is a startkwalificatie: havo, vwo, mbo-2, mbo-3, mbo-4. */
bool status_is_startkwalificatie(const char *qualification);

/* The leerplicht's first and last day for someone born on `birth` (definitions). */
date_t status_leerplicht_start(const struct status_settings *ss, date_t birth);
date_t status_leerplicht_end(const struct status_settings *ss, date_t birth);

/* Whether record r's period covers `day`. */
static inline bool tl_covers(const struct tl_record *r, date_t day)
{
	return r->from != DATE_UNKNOWN && r->from <= day && day <= r->to;
}

/* Whether a work record counts as work, benefit or dagbesteding; a care record's kind. */
bool tl_is_work(const struct tl_record *r);
bool tl_is_benefit(const struct tl_record *r);
bool tl_is_dagbesteding(const struct tl_record *r);

/* The situation on `on` from the timeline. Never fails. */
void status_compute(const struct timeline *t, const struct status_settings *ss, date_t on,
                    struct status *out);

/*
 * Load the records and birth date of the person with id `person_id` into *t (initialised by
 * the caller), not audited: for the access decision, which audits what it allows.
 * ERR_NOTFOUND for an unknown id.
 */
int timeline_load(struct store *s, int64_t person_id, struct timeline *t, struct err *e);

/*
 * The situation on `on` from *t with the settings of the region the person lives in on `on`.
 */
int status_on(struct store *s, const struct timeline *t, date_t on, struct status *out,
              struct err *e);

/*
 * Load the person with key `pkey` (their records and birth date) into *t (initialised by
 * the caller) and the region of their residence into region (MCxx or ""), audited as
 * "person.status" for `who` after the need-to-know decision (access/decide.h: read_timeline).
 * Only the kinds of records the decision lets `who` see are loaded (no care records for a
 * role without care details); *kinds (may be NULL) gets the kinds the decision allows, as
 * bits 1 << enum tl_feed. ERR_NOTFOUND for an unknown key or a person `who` may not see.
 */
int status_load(struct store *s, const struct access *who, const char *pkey, struct timeline *t,
                char region[8], unsigned *kinds, struct err *e);

/*
 * The situation of the person with key `pkey` on `on`, with the region's settings: loads
 * the timeline (status_load), computes, and returns the records as evidence in *t, which
 * the caller initialised and releases. For a caller without care details the status is
 * derived without the care records and marked care_withheld.
 */
int status_get(struct store *s, const struct access *who, const char *pkey, date_t on,
               struct timeline *t, struct status *out, struct err *e);

/*
 * The status as a JSON object (text owned by the caller, free()), with the evidence records.
 * With care_withheld, youth_care and wmo are null and "withheld": ["care"] says why.
 */
char *status_to_json(const struct status *st, const struct timeline *t);

#endif
