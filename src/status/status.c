/*
 * A young person's situation on a date, from their records (status.h). The rules follow
 * docs/definitions.md: leerplicht from the month after the 5th birthday to the end of the
 * school year (31 July) in which the child turns 16; kwalificatieplicht from then until the
 * 18th birthday or a startkwalificatie; ages are reached on the birthday, a 29 February
 * birthday in a common year on 1 March or 28 February (definitions.leap_day_birthday).
 */
#include "status/status.h"

#include "access/decide.h"
#include "audit/audit.h"
#include "signals/settings.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void timeline_init(struct timeline *t)
{
	memset(t, 0, sizeof(*t));
	t->birth = DATE_UNKNOWN;
}

void timeline_clear(struct timeline *t)
{
	t->n = 0;
	t->person_id = 0;
	t->birth = DATE_UNKNOWN;
}

void timeline_release(struct timeline *t)
{
	free(t->rec);
	timeline_init(t);
}

enum tl_feed tl_feed_of(const char *feed)
{
	static const char *const names[] = {"residence", "enrolments", "diplomas",      "absence",
	                                    "care",      "work",       "vrijstellingen"};
	/* The first letters differ: one comparison per record. */
	int i = feed[0] == 'r'   ? 0
	        : feed[0] == 'e' ? 1
	        : feed[0] == 'd' ? 2
	        : feed[0] == 'a' ? 3
	        : feed[0] == 'c' ? 4
	        : feed[0] == 'w' ? 5
	        : feed[0] == 'v' ? 6
	                         : -1;
	return i >= 0 && strcmp(feed, names[i]) == 0 ? (enum tl_feed)i : TL_OTHER;
}

/* A fast ISO date reader for the store's own text; DATE_UNKNOWN for anything else. */
static date_t iso_day(const char *s, size_t len)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return DATE_UNKNOWN;
	unsigned v[10];
	for (int i = 0; i < 10; i++)
		v[i] = (unsigned)(unsigned char)s[i] - '0';
	/* A character below '0' wraps around: above 9 as well. */
	if (v[0] > 9 || v[1] > 9 || v[2] > 9 || v[3] > 9 || v[5] > 9 || v[6] > 9 || v[8] > 9 ||
	    v[9] > 9)
		return DATE_UNKNOWN;
	int y = (int)(v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3]);
	int m = (int)(v[5] * 10 + v[6]);
	int d = (int)(v[8] * 10 + v[9]);
	if (!date_ymd_valid(y, m, d))
		return DATE_UNKNOWN;
	return date_from_ymd(y, m, d);
}

static void put(char *dst, size_t size, const char *v, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

#define KEY_IS(lit) (memcmp(k, lit, sizeof(lit) - 1) == 0)

static long hours_of(const char *v, size_t len)
{
	long n = 0;
	for (size_t i = 0; i < len && v[i] >= '0' && v[i] <= '9' && n < 100000; i++)
		n = n * 10 + (v[i] - '0');
	return n;
}

/* Store one member of a record's content in the fields of its feed; other keys are left. The
 * keys are told apart by their length first: this runs for every member of every record. */
static void member(struct tl_record *r, const char *k, size_t klen, const char *v, size_t vlen)
{
	switch (klen) {
	case 3:
		if (KEY_IS("law"))
			put(r->code, sizeof(r->code), v, vlen);
		break;
	case 4:
		if (KEY_IS("kind"))
			put(r->code, sizeof(r->code), v, vlen);
		else if (KEY_IS("died"))
			r->died = iso_day(v, vlen);
		break;
	case 5:
		if (KEY_IS("level"))
			put(r->level, sizeof(r->level), v, vlen);
		break;
	case 6:
		if (KEY_IS("school"))
			put(r->school, sizeof(r->school), v, vlen);
		else if (KEY_IS("status"))
			put(r->status, sizeof(r->status), v, vlen);
		break;
	case 7:
		if (KEY_IS("article"))
			put(r->code, sizeof(r->code), v, vlen);
		break;
	case 9:
		if (KEY_IS("report_id"))
			put(r->report_id, sizeof(r->report_id), v, vlen);
		break;
	case 10:
		if (KEY_IS("end_reason"))
			put(r->reason, sizeof(r->reason), v, vlen);
		else if (KEY_IS("hours_lost"))
			r->hours = hours_of(v, vlen);
		break;
	case 11:
		if (KEY_IS("school_type"))
			put(r->school_type, sizeof(r->school_type), v, vlen);
		else if (KEY_IS("reported_on"))
			r->reported = iso_day(v, vlen);
		else if (KEY_IS("status_date"))
			r->status_date = iso_day(v, vlen);
		break;
	case 12:
		if (KEY_IS("provider_agb"))
			put(r->provider, sizeof(r->provider), v, vlen);
		break;
	case 13:
		if (KEY_IS("qualification"))
			put(r->code, sizeof(r->code), v, vlen);
		break;
	case 14:
		if (KEY_IS("hours_per_week"))
			r->hours = hours_of(v, vlen);
		break;
	case 16:
		if (KEY_IS("product_category"))
			put(r->category, sizeof(r->category), v, vlen);
		break;
	case 17:
		if (KEY_IS("municipality_code"))
			put(r->municipality, sizeof(r->municipality), v, vlen);
		break;
	}
}

/*
 * Walk a flat JSON object of strings and numbers ({"a":"x","n":12}), which is what the
 * importer writes as content. Faster than a general parser, which matters at a million
 * persons with a dozen records each. Returns -1 for anything else.
 */
static int parse_content(struct tl_record *r, const char *p)
{
	while (*p == ' ')
		p++;
	if (*p++ != '{')
		return -1;
	for (;;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '}')
			return 0;
		if (*p++ != '"')
			return -1;
		const char *k = p;
		p = strchr(p, '"'); /* a key holds no escape */
		if (!p)
			return -1;
		size_t klen = (size_t)(p - k);
		p++;
		while (*p == ' ')
			p++;
		if (*p++ != ':')
			return -1;
		while (*p == ' ')
			p++;
		const char *v;
		size_t vlen;
		if (*p == '"') {
			v = ++p;
			const char *q = strchr(p, '"');
			if (q && !memchr(p, '\\', (size_t)(q - p))) {
				p = q; /* no escape: the first quote ends the value */
			} else {
				while (*p && *p != '"') {
					if (*p == '\\' && p[1])
						p++;
					p++;
				}
			}
			if (!*p)
				return -1;
			vlen = (size_t)(p - v);
			p++;
		} else {
			v = p;
			while (*p && *p != ',' && *p != '}' && *p != ' ')
				p++;
			vlen = (size_t)(p - v);
			if (vlen == 0)
				return -1;
		}
		member(r, k, klen, v, vlen);
	}
}

int timeline_add(struct timeline *t, int64_t id, const char *feed, const char *content,
                 const char *valid_from, const char *valid_to, struct err *e)
{
	if (t->n == t->cap)
		XGROW(t->rec, t->cap, t->n + 1);
	if (tl_record_parse(&t->rec[t->n], id, feed, content, valid_from, valid_to, e) < 0)
		return -1;
	t->n++;
	return 0;
}

int tl_record_parse(struct tl_record *r, int64_t id, const char *feed, const char *content,
                    const char *valid_from, const char *valid_to, struct err *e)
{
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->feed = tl_feed_of(feed);
	r->died = r->reported = r->status_date = DATE_UNKNOWN;
	r->from = valid_from ? iso_day(valid_from, strlen(valid_from)) : DATE_UNKNOWN;
	r->to = valid_to ? iso_day(valid_to, strlen(valid_to)) : DATE_OPEN;
	if (r->to == DATE_UNKNOWN || parse_content(r, content ? content : "") < 0)
		return err_set(e, ERR_INVALID,
		               "feed record %lld: content or validity is not what "
		               "the importer writes",
		               (long long)id);
	return 0;
}

void status_settings_default(struct status_settings *ss)
{
	ss->leerplicht_start_age = 5;
	ss->leerplicht_start_first_day = false;
	ss->leerplicht_end_age = 16;
	ss->target_age_max = 27;
	ss->leap_day_feb28 = false;
}

date_t status_birthday(const struct status_settings *ss, date_t birth, int years)
{
	return date_birthday_leap(birth, years, ss->leap_day_feb28);
}

int status_age(const struct status_settings *ss, date_t birth, date_t on)
{
	return date_age_leap(birth, on, ss->leap_day_feb28);
}

bool status_is_startkwalificatie(const char *q)
{
	return strcmp(q, "havo") == 0 || strcmp(q, "vwo") == 0 || strcmp(q, "mbo-2") == 0 ||
	       strcmp(q, "mbo-3") == 0 || strcmp(q, "mbo-4") == 0;
}

/*
 * The first day of the month after the birthday, or (first_school_day) the first weekday
 * of that month: the feeds carry no school calendar, so a weekday is the nearest reading.
 */
date_t status_leerplicht_start(const struct status_settings *ss, date_t birth)
{
	int y, m, d;
	date_to_ymd(status_birthday(ss, birth, ss->leerplicht_start_age), &y, &m, &d);
	if (++m > 12) {
		m = 1;
		y++;
	}
	date_t day = date_from_ymd(y, m, 1);
	if (!ss->leerplicht_start_first_day)
		/* 1970-01-01 was a Thursday: day 0 → 3 in a week that starts on Monday at 0. */
		while ((day % 7 + 7 + 3) % 7 >= 5)
			day++;
	return day;
}

/* 31 July of the school year in which the child reaches the end age. */
date_t status_leerplicht_end(const struct status_settings *ss, date_t birth)
{
	date_t end_birthday = status_birthday(ss, birth, ss->leerplicht_end_age);
	date_t year_start = date_school_year_start(end_birthday);
	return date_add_months(year_start, 12) - 1;
}

bool tl_is_work(const struct tl_record *r)
{
	return r->feed == TL_WORK && strcmp(r->code, "employment") == 0;
}

bool tl_is_benefit(const struct tl_record *r)
{
	return r->feed == TL_WORK && (strcmp(r->code, "participatiewet") == 0 ||
	                              strcmp(r->code, "ww") == 0 || strcmp(r->code, "wajong") == 0);
}

/* Dagbesteding from the work feed, or a Wmo allocation of category 07 (dagbesteding). */
bool tl_is_dagbesteding(const struct tl_record *r)
{
	return (r->feed == TL_WORK && strcmp(r->code, "dagbesteding") == 0) ||
	       (r->feed == TL_CARE && strcmp(r->code, "wmo") == 0 &&
	        strcmp(r->category, "07") == 0);
}

/* Copy a code into a field of the same size (both are fields of the structs above). */
#define COPY(dst, src)                                                                             \
	do {                                                                                       \
		_Static_assert(sizeof(dst) == sizeof(src), "same size");                           \
		memcpy((dst), (src), sizeof(dst));                                                 \
	} while (0)

static void evidence(struct status *st, int64_t id)
{
	for (int i = 0; i < st->nevidence; i++)
		if (st->evidence[i] == id)
			return;
	if (st->nevidence < STATUS_MAX_EVIDENCE)
		st->evidence[st->nevidence++] = id;
}

static void residence(const struct timeline *t, date_t on, struct status *st)
{
	const struct tl_record *last = NULL, *current = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		if (r->feed != TL_RESIDENCE || r->from == DATE_UNKNOWN)
			continue;
		if (r->died != DATE_UNKNOWN && r->died <= on) {
			st->deceased = true;
			st->died = r->died;
			evidence(st, r->id);
		}
		if (tl_covers(r, on))
			current = r;
		if (r->from <= on && (!last || r->from > last->from))
			last = r;
	}
	if (current) {
		st->resident = !st->deceased;
		COPY(st->municipality, current->municipality);
		evidence(st, current->id);
	} else if (last) {
		st->moved_out = !st->deceased;
		COPY(st->municipality, last->municipality);
		evidence(st, last->id);
	}
}

static void education(const struct timeline *t, date_t on, struct status *st)
{
	const struct tl_record *cur = NULL, *sk = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		if (r->feed == TL_ENROLMENT && tl_covers(r, on) && (!cur || r->from > cur->from))
			cur = r;
		if (r->feed == TL_DIPLOMA && r->from != DATE_UNKNOWN && r->from <= on &&
		    status_is_startkwalificatie(r->code) && (!sk || r->from < sk->from))
			sk = r;
	}
	if (cur) {
		st->in_education = true;
		COPY(st->school, cur->school);
		COPY(st->school_type, cur->school_type);
		COPY(st->level, cur->level);
		st->education_since = cur->from;
		evidence(st, cur->id);
	}
	if (sk) {
		st->has_sk = true;
		COPY(st->sk_qualification, sk->code);
		st->sk_date = sk->from;
		evidence(st, sk->id);
	}
}

static void activities(const struct timeline *t, date_t on, struct status *st)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		if ((r->feed != TL_WORK && r->feed != TL_CARE) || !tl_covers(r, on))
			continue;
		bool used = true;
		if (tl_is_work(r))
			st->at_work = true;
		else if (tl_is_benefit(r))
			st->on_benefit = true;
		else if (r->feed == TL_WORK && strcmp(r->code, "doelgroepenregister") == 0)
			st->doelgroepenregister = true;
		else if (r->feed == TL_WORK && !tl_is_dagbesteding(r))
			used = false;
		if (tl_is_dagbesteding(r))
			st->dagbesteding = true;
		if (r->feed == TL_CARE && strcmp(r->code, "jeugdwet") == 0)
			st->youth_care = true;
		if (r->feed == TL_CARE && strcmp(r->code, "wmo") == 0)
			st->wmo = true;
		if (used)
			evidence(st, r->id);
	}
}

/* The vrijstelling that covers `on`; of several, the one that runs longest. */
static void vrijstelling(const struct timeline *t, date_t on, struct status *st)
{
	const struct tl_record *cur = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		if (r->feed == TL_VRIJSTELLING && tl_covers(r, on) && (!cur || r->to > cur->to))
			cur = r;
	}
	if (!cur)
		return;
	snprintf(st->vrijstelling, sizeof(st->vrijstelling), "%.3s", cur->code);
	st->vrijstelling_end = cur->to;
	evidence(st, cur->id);
}

static void obligations(const struct status_settings *ss, date_t birth, date_t on,
                        struct status *st)
{
	st->leerplicht_start = status_leerplicht_start(ss, birth);
	st->leerplicht_end = status_leerplicht_end(ss, birth);
	st->kwalificatieplicht_end = status_birthday(ss, birth, 18) - 1;
	st->leerplichtig = on >= st->leerplicht_start && on <= st->leerplicht_end;
	/* Kwalificatieplicht follows the leerplicht; an SK ends it, so does the 18th birthday. */
	st->kwalificatieplichtig =
	    on > st->leerplicht_end && on <= st->kwalificatieplicht_end && !st->has_sk;
}

void status_compute(const struct timeline *t, const struct status_settings *ss, date_t on,
                    struct status *st)
{
	memset(st, 0, sizeof(*st));
	st->on = on;
	st->died = st->sk_date = st->education_since = DATE_UNKNOWN;
	st->leerplicht_start = st->leerplicht_end = st->kwalificatieplicht_end = DATE_UNKNOWN;
	st->vrijstelling_end = DATE_UNKNOWN;
	st->age = -1;
	st->birth_known = t->birth != DATE_UNKNOWN && t->birth <= on;
	residence(t, on, st);
	education(t, on, st);
	activities(t, on, st);
	vrijstelling(t, on, st);
	if (st->birth_known) {
		st->age = status_age(ss, t->birth, on);
		if (!st->deceased)
			obligations(ss, t->birth, on, st);
	}
	if (st->deceased) {
		st->in_education = st->at_work = st->on_benefit = st->dagbesteding = false;
		st->youth_care = st->wmo = false;
	}
	st->uit_beeld = st->resident && !st->in_education && !st->at_work && !st->on_benefit &&
	                !st->dagbesteding && !st->youth_care && !st->wmo;
}

static const char load_birth_sql[] = "SELECT birth_date FROM persons WHERE id = ?";
static const char load_records_sql[] =
    "SELECT id, feed, content, valid_from, valid_to FROM feed_records WHERE person_id = ?"
    " ORDER BY id";

int timeline_load(struct store *s, int64_t person_id, struct timeline *t, struct err *e)
{
	struct stmt *st = NULL;
	int rc = -1;
	timeline_clear(t);
	if (store_prepare(s, load_birth_sql, &st, e) < 0)
		goto out;
	stmt_bind_int64(st, 1, person_id);
	int step = stmt_step(st, e);
	if (step < 0)
		goto out;
	if (step == STORE_DONE) {
		err_set(e, ERR_NOTFOUND, "no person with id %lld", (long long)person_id);
		goto out;
	}
	t->person_id = person_id;
	const char *birth = stmt_text(st, 0);
	t->birth = birth ? iso_day(birth, strlen(birth)) : DATE_UNKNOWN;
	stmt_free(st);
	st = NULL;
	if (store_prepare(s, load_records_sql, &st, e) < 0)
		goto out;
	stmt_bind_int64(st, 1, person_id);
	while ((step = stmt_step(st, e)) == STORE_ROW)
		if (timeline_add(t, stmt_int64(st, 0), stmt_text(st, 1), stmt_text(st, 2),
		                 stmt_text(st, 3), stmt_text(st, 4), e) < 0)
			goto out;
	if (step < 0)
		goto out;
	rc = 0;
out:
	stmt_free(st);
	return rc;
}

/* Drop the records of kinds the decision does not let the caller see; whether any went. */
static bool keep_kinds(struct timeline *t, unsigned kinds)
{
	size_t kept = 0;
	for (size_t i = 0; i < t->n; i++)
		if (kinds & (1u << t->rec[i].feed))
			t->rec[kept++] = t->rec[i];
	bool dropped = kept != t->n;
	t->n = kept;
	return dropped;
}

int status_load(struct store *s, const struct access *who, const char *pkey, struct timeline *t,
                char region[8], unsigned *kinds, struct err *e)
{
	struct access_decision d;
	struct access allowed;
	int64_t id;
	timeline_clear(t);
	region[0] = '\0';
	if (access_check(s, who, pkey, ACCESS_READ_TIMELINE, &d, &allowed, &id, e) < 0 ||
	    timeline_load(s, id, t, e) < 0)
		return -1;
	keep_kinds(t, d.kinds);
	bool withheld = !(d.kinds & (1u << TL_CARE));
	if (kinds)
		*kinds = d.kinds;
	return audit_append_read(s, &allowed, "person.status", pkey,
	                         withheld ? "records without care, birth date"
	                                  : "records, birth date",
	                         e);
}

int status_on(struct store *s, const struct timeline *t, date_t on, struct status *out,
              struct err *e)
{
	char region[8];
	struct signal_settings set;
	struct status tmp;
	status_settings_default(&set.status);
	status_compute(t, &set.status, on, &tmp);
	if (settings_region_of(s, tmp.municipality, on, region, e) < 0 ||
	    signal_settings_load(s, region, &set, e) < 0)
		return -1;
	status_compute(t, &set.status, on, out);
	return 0;
}

int status_get(struct store *s, const struct access *who, const char *pkey, date_t on,
               struct timeline *t, struct status *out, struct err *e)
{
	char region[8];
	unsigned kinds;
	if (status_load(s, who, pkey, t, region, &kinds, e) < 0 || status_on(s, t, on, out, e) < 0)
		return -1;
	out->care_withheld = !(kinds & (1u << TL_CARE));
	out->vrijstelling_withheld = !(kinds & (1u << TL_VRIJSTELLING));
	return 0;
}

static json_t *date_json(date_t d)
{
	char s[DATE_STR_SIZE];
	if (d == DATE_UNKNOWN || d == DATE_OPEN)
		return json_null();
	return json_string(date_format(d, s));
}

static json_t *text_json(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static const char *feed_name(enum tl_feed f)
{
	static const char *const names[] = {"residence", "enrolments", "diplomas",
	                                    "absence",   "care",       "work",
	                                    "vrijstellingen", "other"};
	return names[f];
}

static json_t *record_json(const struct tl_record *r)
{
	json_t *o =
	    json_pack("{s:I, s:s, s:o, s:o}", "record", (json_int_t)r->id, "feed",
	              feed_name(r->feed), "from", date_json(r->from), "to", date_json(r->to));
	const char *code = r->feed == TL_RESIDENCE   ? r->municipality
	                   : r->feed == TL_ENROLMENT ? r->level
	                                             : r->code;
	json_object_set_new(o, "code", text_json(code));
	if (r->school[0])
		json_object_set_new(o, "org", json_string(r->school));
	return o;
}

char *status_to_json(const struct status *st, const struct timeline *t)
{
	json_t *ev = json_array();
	for (int i = 0; i < st->nevidence; i++)
		for (size_t j = 0; j < t->n; j++)
			if (t->rec[j].id == st->evidence[i])
				json_array_append_new(ev, record_json(&t->rec[j]));
	json_t *edu = st->in_education ? json_pack("{s:s, s:s, s:s, s:o}", "school", st->school,
	                                           "type", st->school_type, "level", st->level,
	                                           "since", date_json(st->education_since))
	                               : json_null();
	json_t *o = json_pack(
	    "{s:o, s:o, s:b, s:b, s:b, s:o, s:o, s:o, s:b, s:o, s:b, s:b, s:o, s:o, s:b, s:b,"
	    " s:b, s:b, s:b, s:b, s:b}",
	    "on", date_json(st->on), "age", st->age >= 0 ? json_integer(st->age) : json_null(),
	    "resident", st->resident, "moved_out", st->moved_out, "deceased", st->deceased, "died",
	    date_json(st->died), "municipality", text_json(st->municipality), "education", edu,
	    "startkwalificatie", st->has_sk, "sk_date", date_json(st->sk_date), "leerplichtig",
	    st->leerplichtig, "kwalificatieplichtig", st->kwalificatieplichtig, "leerplicht_end",
	    date_json(st->leerplicht_end), "kwalificatieplicht_end",
	    date_json(st->kwalificatieplicht_end), "at_work", st->at_work, "on_benefit",
	    st->on_benefit, "dagbesteding", st->dagbesteding, "youth_care", st->youth_care, "wmo",
	    st->wmo, "doelgroepenregister", st->doelgroepenregister, "uit_beeld", st->uit_beeld);
	json_object_set_new(o, "vrijstelling",
	                    st->vrijstelling[0] && !st->vrijstelling_withheld
	                        ? json_pack("{s:s, s:o}", "article", st->vrijstelling, "until",
	                                    date_json(st->vrijstelling_end))
	                        : json_null());
	json_object_set_new(o, "evidence", ev);
	json_t *withheld = json_array();
	if (st->care_withheld) {
		/* Unknown to this caller, not false: the keys stay where they are. */
		json_object_set_new(o, "youth_care", json_null());
		json_object_set_new(o, "wmo", json_null());
		json_array_append_new(withheld, json_string("care"));
	}
	if (st->vrijstelling_withheld)
		json_array_append_new(withheld, json_string("vrijstellingen"));
	if (json_array_size(withheld))
		json_object_set_new(o, "withheld", withheld);
	else
		json_decref(withheld);
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}
