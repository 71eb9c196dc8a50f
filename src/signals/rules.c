/*
 * The signal rules, one function each (signals.h, docs/signals.md). A rule reads the
 * person's timeline and status on rc->on and proposes signals for the organisation (role)
 * that must act, with the records it rests on as evidence. No rule touches the store.
 * Every rule also lowers *rc->wake to the first day after rc->on on which its outcome could
 * change without new data, so an incremental run knows when to look again.
 *
 * Common to all rules: a person who has died or no longer lives in the region gets no
 * signal, so their open signals are resolved by the data.
 */
#include "signals/signals.h"

#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_names[RULE_COUNT] = {
    "new_vsv",           "absoluut_verzuim", "relatief_verzuim_threshold",
    "thuiszitter",       "18_min_plus",      "leaver_without_destination",
    "nazorg_checkpoint", "uit_beeld",        "verwijsindex_match",
};

static signal_rule_fn *const rule_functions[RULE_COUNT] = {
    signal_rule_new_vsv,
    signal_rule_absoluut_verzuim,
    signal_rule_relatief_verzuim_threshold,
    signal_rule_thuiszitter,
    signal_rule_18_min_plus,
    signal_rule_leaver_without_destination,
    signal_rule_nazorg_checkpoint,
    signal_rule_uit_beeld,
    signal_rule_verwijsindex_match,
};

const char *signal_rule_name(enum signal_rule r)
{
	return r < RULE_COUNT ? rule_names[r] : "?";
}

signal_rule_fn *signal_rule_function(enum signal_rule r)
{
	return rule_functions[r];
}

int signal_rule_parse(const char *name, enum signal_rule *out, struct err *e)
{
	for (int i = 0; i < RULE_COUNT; i++)
		if (strcmp(name, rule_names[i]) == 0) {
			*out = (enum signal_rule)i;
			return 0;
		}
	return err_set(e, ERR_INVALID,
	               "no signal rule '%s' (rules: new_vsv, absoluut_verzuim, "
	               "relatief_verzuim_threshold, thuiszitter, 18_min_plus, "
	               "leaver_without_destination, nazorg_checkpoint, uit_beeld, "
	               "verwijsindex_match)",
	               name);
}

void signal_list_release(struct signal_list *l)
{
	free(l->c);
	memset(l, 0, sizeof(*l));
}

/* Append text to out (of size bytes, *n used), cut as snprintf would. */
static void key_put(char *out, size_t size, size_t *n, const char *text)
{
	size_t len = strlen(text);
	if (*n + len >= size)
		len = size - 1 - *n;
	memcpy(out + *n, text, len);
	*n += len;
	out[*n] = '\0';
}

/* "rule|person|episode|kind:ident|role|extra", by hand: the run makes one for every
 * candidate of every person, and snprintf was most of the cost. */
void signal_key(const struct signal_candidate *c, int64_t person_id, char *out, size_t size)
{
	char ep[DATE_STR_SIZE], num[24], *p = num + sizeof(num) - 1;
	uint64_t u = person_id < 0 ? -(uint64_t)person_id : (uint64_t)person_id;
	size_t n = 0;
	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (person_id < 0)
		*--p = '-';
	if (!size)
		return;
	out[0] = '\0';
	const char *episode = c->episode == DATE_UNKNOWN ? "-" : date_format(c->episode, ep);
	const char *parts[] = {rule_names[c->rule], p,       episode, c->org_kind,
	                       c->org_ident,        c->role, c->extra};
	static const char *const before[] = {"", "|", "|", "|", ":", "|", "|"};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		key_put(out, size, &n, before[i]);
		key_put(out, size, &n, parts[i]);
	}
}

/* ---- helpers ------------------------------------------------------------------------------- */

static void wake(const struct rule_ctx *rc, date_t day)
{
	if (rc->wake && day > rc->on && day < *rc->wake)
		*rc->wake = day;
}

/* Copy a code into a field of `size` bytes, cut to fit. */
static void copy_code(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static struct signal_candidate *add(struct signal_list *out, enum signal_rule rule,
                                    const char *org_kind, const char *org_ident, const char *role,
                                    date_t episode, date_t actionable)
{
	if (out->n == out->cap)
		XGROW(out->c, out->cap, out->n + 1);
	struct signal_candidate *c = &out->c[out->n++];
	memset(c, 0, sizeof(*c));
	c->rule = rule;
	copy_code(c->org_kind, sizeof(c->org_kind), org_kind);
	copy_code(c->org_ident, sizeof(c->org_ident), org_ident);
	copy_code(c->role, sizeof(c->role), role);
	c->episode = episode;
	c->actionable = actionable;
	memcpy(c->detail, "{}", 3);
	return c;
}

static void cite(struct signal_candidate *c, int64_t id)
{
	for (int i = 0; i < c->nevidence; i++)
		if (c->evidence[i] == id)
			return;
	if (c->nevidence < SIGNAL_EVIDENCE_MAX)
		c->evidence[c->nevidence++] = id;
}

static const char *ds(date_t d, char buf[DATE_STR_SIZE])
{
	return date_format(d, buf);
}

/* The person lives in the region on rc->on and is alive: the common condition. */
static bool in_region(const struct rule_ctx *rc)
{
	return rc->st->resident && !rc->st->deceased;
}

/* The RMC of the residence: the region's lead municipality (or the residence's own). */
static const char *rmc_org(const struct rule_ctx *rc)
{
	return rc->rmc_municipality && *rc->rmc_municipality ? rc->rmc_municipality
	                                                     : rc->st->municipality;
}

static const struct tl_record *enrolled_on(const struct timeline *t, date_t day)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->rec[i].feed == TL_ENROLMENT && tl_covers(&t->rec[i], day))
			return &t->rec[i];
	return NULL;
}

/* The last day of the latest enrolment that ended before `day`; DATE_UNKNOWN if none. */
static const struct tl_record *last_enrolment_before(const struct timeline *t, date_t day)
{
	const struct tl_record *best = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		if (r->feed == TL_ENROLMENT && r->to < day && (!best || r->to > best->to))
			best = r;
	}
	return best;
}

/* The first day of the unbroken run of residence records that covers `day`. */
static date_t residence_since(const struct timeline *t, date_t day)
{
	date_t since = DATE_UNKNOWN;
	for (size_t i = 0; i < t->n; i++)
		if (t->rec[i].feed == TL_RESIDENCE && tl_covers(&t->rec[i], day))
			since = t->rec[i].from;
	for (bool more = since != DATE_UNKNOWN; more;) {
		more = false;
		for (size_t i = 0; i < t->n; i++) {
			const struct tl_record *r = &t->rec[i];
			if (r->feed == TL_RESIDENCE && r->to == since - 1 && r->from < since) {
				since = r->from;
				more = true;
			}
		}
	}
	return since;
}

static const struct tl_record *residence_record(const struct timeline *t, date_t day)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->rec[i].feed == TL_RESIDENCE && tl_covers(&t->rec[i], day))
			return &t->rec[i];
	return NULL;
}

/*
 * The first 1 August on or after the 12th birthday: the feeds hold secondary education only
 * (no primary schools), so a child is looked for in them from the school year after turning
 * 12. Earlier, not being enrolled in the feeds says nothing.
 */
static date_t secondary_start(const struct rule_ctx *rc)
{
	date_t b12 = status_birthday(&rc->set->status, rc->t->birth, 12);
	date_t sy = date_school_year_start(b12);
	return sy == b12 ? sy : date_add_months(sy, 12);
}

static date_t max3(date_t a, date_t b, date_t c)
{
	date_t m = a > b ? a : b;
	return m > c ? m : c;
}

/* Whether the person is leerplichtig, or kwalificatieplichtig when that is in scope. */
static bool plichtig(const struct rule_ctx *rc, bool with_kwalificatie)
{
	return rc->st->leerplichtig || (with_kwalificatie && rc->st->kwalificatieplichtig);
}

/* The first day of the current spell out of school (not enrolled) for absoluut verzuim. */
static date_t out_of_school_since(const struct rule_ctx *rc)
{
	const struct tl_record *last = last_enrolment_before(rc->t, rc->on);
	date_t after = last ? last->to + 1 : DATE_UNKNOWN;
	return max3(secondary_start(rc), after, residence_since(rc->t, rc->on));
}

static date_t oct1(int year)
{
	return date_from_ymd(year, 10, 1);
}

/* ---- the rules ----------------------------------------------------------------------------- */

/*
 * New vsv (voortijdig schoolverlater). Basis: the vsv definition of OCW/DUO/CBS
 * (docs/definitions.md, [V]): under 23, enrolled in funded education (vo, vavo, mbo) on
 * 1 October of year t, not enrolled on 1 October of t+1, without a startkwalificatie; an SK
 * obtained by 31 December of t+1 counts; an entree diploma with a paid job of at least
 * definitions.vsv_mbo1_job_min_hours is not vsv. RMC task (wet 34812).
 * Settings: definitions.vsv_age_on, definitions.vsv_mbo1_job_min_hours,
 * signals.due_days.new_vsv. Acts: the RMC of the residence (role rmc of the region's lead
 * municipality). Episode: 1 October of t+1 of the most recent year in which the person
 * left; the signal stays open while they are not enrolled and have no SK (oud-vsv), and is
 * resolved by a new enrolment or an SK.
 */
void signal_rule_new_vsv(const struct rule_ctx *rc, struct signal_list *out)
{
	const struct status *st = rc->st;
	int y, m, d;
	date_to_ymd(rc->on, &y, &m, &d);
	/* The next 1 October makes a new pair of reference dates; it can make someone a new vsv
	 * only if they were enrolled on the last one, or are to be enrolled on it. */
	date_t next = oct1(rc->on >= oct1(y) ? y + 1 : y);
	if (enrolled_on(rc->t, date_add_months(next, -12)) || enrolled_on(rc->t, next))
		wake(rc, next);
	if (!in_region(rc) || !st->birth_known || st->in_education || st->has_sk)
		return;
	if (rc->on < oct1(y))
		y--;
	/* The most recent pair of reference dates with enrolled → not enrolled. */
	for (int back = 0; back < 15; back++, y--) {
		date_t r = oct1(y), t = oct1(y - 1);
		if (enrolled_on(rc->t, r))
			return; /* left after the last reference date: vsv only at the next one */
		const struct tl_record *at_t = enrolled_on(rc->t, t);
		if (!at_t)
			continue;
		date_t age_day = rc->set->vsv_age_on_t1 ? r : t;
		if (status_age(&rc->set->status, rc->t->birth, age_day) >= 23)
			return;
		/* An entree diploma together with a paid job of enough hours on 1 October t+1. */
		const struct tl_record *entree = NULL, *job = NULL;
		for (size_t i = 0; i < rc->t->n; i++) {
			const struct tl_record *x = &rc->t->rec[i];
			if (x->feed == TL_DIPLOMA && strcmp(x->code, "mbo-1") == 0 && x->from <= r)
				entree = x;
			if (tl_is_work(x) && tl_covers(x, r) &&
			    x->hours >= rc->set->vsv_mbo1_job_min_hours)
				job = x;
		}
		if (entree && job)
			return;
		struct signal_candidate *c =
		    add(out, RULE_NEW_VSV, "municipality", rmc_org(rc), "rmc", r, r);
		char a[DATE_STR_SIZE], b[DATE_STR_SIZE];
		snprintf(c->detail, sizeof(c->detail),
		         "{\"enrolled_on\":\"%s\",\"not_enrolled_on\":\"%s\",\"school\":\"%s\","
		         "\"level\":\"%s\"}",
		         ds(t, a), ds(r, b), at_t->school, at_t->level);
		cite(c, at_t->id);
		const struct tl_record *last = last_enrolment_before(rc->t, rc->on);
		if (last)
			cite(c, last->id);
		return;
	}
}

/*
 * Absoluut verzuim. Basis: Leerplichtwet 1969 (definition [S] in docs/definitions.md): a
 * leerplichtige or kwalificatieplichtige is not enrolled at any school and has no
 * vrijstelling (the vrijstellingen feed). Only from the first 1 August on or after
 * the 12th birthday, because the feeds hold no primary education.
 * Settings: definitions.absoluut_verzuim_scope, definitions.leerplicht_*,
 * signals.due_days.absoluut_verzuim. Acts: leerplicht of the residence municipality.
 * Episode: the first day not enrolled (the day after the last enrolment, the start of
 * secondary age, or the day the person came to live in the region).
 */
/* Whether a vrijstelling covers the day; the rule looks again the day after it ends. */
static bool exempt(const struct rule_ctx *rc)
{
	if (!rc->st->vrijstelling[0])
		return false;
	if (rc->st->vrijstelling_end != DATE_OPEN)
		wake(rc, rc->st->vrijstelling_end + 1);
	return true;
}

void signal_rule_absoluut_verzuim(const struct rule_ctx *rc, struct signal_list *out)
{
	const struct status *st = rc->st;
	if (!in_region(rc) || !st->birth_known)
		return;
	date_t sec = secondary_start(rc);
	wake(rc, sec);
	wake(rc, st->leerplicht_end + 1);
	wake(rc, st->kwalificatieplicht_end + 1);
	if (exempt(rc) || st->in_education || rc->on < sec ||
	    !plichtig(rc, rc->set->absoluut_scope_kwalificatie))
		return;
	date_t since = out_of_school_since(rc);
	struct signal_candidate *c = add(out, RULE_ABSOLUUT_VERZUIM, "municipality",
	                                 st->municipality, "leerplicht", since, since);
	char a[DATE_STR_SIZE];
	snprintf(c->detail, sizeof(c->detail), "{\"since\":\"%s\",\"plicht\":\"%s\"}", ds(since, a),
	         st->leerplichtig ? "leerplicht" : "kwalificatieplicht");
	const struct tl_record *last = last_enrolment_before(rc->t, rc->on);
	if (last)
		cite(c, last->id);
	const struct tl_record *res = residence_record(rc->t, rc->on);
	if (res)
		cite(c, res->id);
	for (size_t i = 0; i < rc->t->n; i++)
		if (rc->t->rec[i].feed == TL_ABSENCE &&
		    strcmp(rc->t->rec[i].code, "absoluut") == 0 && rc->t->rec[i].from <= rc->on)
			cite(c, rc->t->rec[i].id);
}

/* One absence report: its latest status row. */
struct report {
	const struct tl_record *r;
};

static bool report_closed(const struct tl_record *r)
{
	return strcmp(r->status, "Afgesloten") == 0 || strcmp(r->status, "Ingetrokken") == 0 ||
	       strcmp(r->status, "Ter kennisgeving aangenomen") == 0;
}

static int report_cmp(const void *a, const void *b)
{
	const struct tl_record *x = ((const struct report *)a)->r,
	                       *y = ((const struct report *)b)->r;
	return x->from < y->from ? -1 : x->from > y->from ? 1 : strcmp(x->report_id, y->report_id);
}

/*
 * The reports of the kinds in `kinds` (a |-separated list), each by its latest status row
 * known on rc->on, withdrawn ones left out, in order of their first day. Owned array.
 */
static struct report *collect_reports(const struct rule_ctx *rc, const char *kinds, size_t *n)
{
	struct report *list = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < rc->t->n; i++) {
		const struct tl_record *r = &rc->t->rec[i];
		if (r->feed != TL_ABSENCE || !r->code[0] || !strstr(kinds, r->code) ||
		    r->status_date > rc->on || r->to == DATE_OPEN)
			continue;
		size_t j;
		for (j = 0; j < *n; j++)
			if (strcmp(list[j].r->report_id, r->report_id) == 0)
				break;
		if (j < *n) {
			if (r->status_date >= list[j].r->status_date)
				list[j].r = r;
			continue;
		}
		if (*n == cap)
			XGROW(list, cap, *n + 1);
		list[(*n)++].r = r;
	}
	size_t k = 0;
	for (size_t j = 0; j < *n; j++)
		if (strcmp(list[j].r->status, "Ingetrokken") != 0)
			list[k++] = list[j];
	*n = k;
	if (k > 1)
		qsort(list, k, sizeof(*list), report_cmp);
	return list;
}

/*
 * Relatief verzuim threshold. Basis: Leerplichtwet (art. 21 [U]; threshold [S]): the school
 * must report once 16 hours of teaching time are lost within 4 consecutive school weeks.
 * The absence reports of kinds relatief, luxe and signaal that lie wholly within a window
 * of definitions.absence_threshold_weeks weeks (calendar weeks: the feeds carry no school
 * holidays) are added up; at definitions.absence_threshold_hours or more a signal is
 * raised. The school's report is late when no relatief report was made within
 * signals.verzuim_report_days after the day the threshold was reached.
 * The signal stays open until every report of the window is closed (Afgesloten, Ter
 * kennisgeving aangenomen) or withdrawn. Acts: leerplicht of the residence municipality
 * while the pupil is leerplichtig or kwalificatieplichtig, the RMC for an older student
 * under 23 without an SK.
 */
void signal_rule_relatief_verzuim_threshold(const struct rule_ctx *rc, struct signal_list *out)
{
	const struct status *st = rc->st;
	if (!in_region(rc) || !st->birth_known)
		return;
	size_t n;
	struct report *rep = collect_reports(rc, "relatief|luxe|signaal", &n);
	int days = 7 * rc->set->absence_threshold_weeks;
	for (size_t i = 0; i < n;) {
		date_t from = rep[i].r->from, end = from + days - 1, reached = DATE_UNKNOWN;
		long hours = 0;
		bool all_closed = true, school_reported = false;
		size_t j;
		for (j = i; j < n && rep[j].r->from <= end; j++) {
			const struct tl_record *r = rep[j].r;
			if (r->to > end)
				continue;
			hours += r->hours;
			if (reached == DATE_UNKNOWN && hours >= rc->set->absence_threshold_hours)
				reached = r->to;
			if (!report_closed(r))
				all_closed = false;
		}
		if (reached == DATE_UNKNOWN) {
			i++;
			continue;
		}
		date_t deadline = reached + rc->set->verzuim_report_days;
		for (size_t k = i; k < j; k++)
			if (strcmp(rep[k].r->code, "relatief") == 0 && rep[k].r->to <= end &&
			    rep[k].r->reported <= deadline)
				school_reported = true;
		if (!school_reported)
			all_closed = false; /* leerplicht has not been told by the school */
		bool late = !school_reported && rc->on > deadline;
		if (!school_reported)
			wake(rc, deadline + 1);
		struct status then;
		status_compute(rc->t, &rc->set->status, from, &then);
		bool lp = then.leerplichtig || then.kwalificatieplichtig;
		bool rmc = !lp && then.age >= 0 && then.age < 23 && !then.has_sk;
		if (!all_closed && (lp || rmc)) {
			struct signal_candidate *c = add(out, RULE_RELATIEF_VERZUIM, "municipality",
			                                 lp ? st->municipality : rmc_org(rc),
			                                 lp ? "leerplicht" : "rmc", from, reached);
			char a[DATE_STR_SIZE], b[DATE_STR_SIZE], r2[DATE_STR_SIZE];
			snprintf(c->detail, sizeof(c->detail),
			         "{\"window_from\":\"%s\",\"window_to\":\"%s\",\"hours\":%ld,"
			         "\"reached\":\"%s\",\"school_report_late\":%s}",
			         ds(from, a), ds(end, b), hours, ds(reached, r2),
			         late ? "true" : "false");
			for (size_t k = i; k < j; k++)
				if (rep[k].r->to <= end)
					cite(c, rep[k].r->id);
		}
		while (i < n && rep[i].r->from <= end)
			i++;
	}
	free(rep);
}

/*
 * Thuiszitter. Basis: regional leerplicht reports and samenwerkingsverbanden [S]: a
 * leerplichtige or kwalificatieplichtige (5–18), enrolled or not, out of school for 4 weeks
 * or more without vrijstelling, in three groups: 1 langdurig relatief verzuim from 4 weeks up
 * to 3 months, 2 more than 3 months, 3 absoluut verzuim. Out of school while enrolled is the
 * run of open relatief reports (periods at most 3 days apart); not enrolled, the spell of
 * absoluut verzuim. A spell from day S has lasted the weeks when rc->on ≥ S + 7·weeks − 1,
 * more than the months when its last day ≥ S + months.
 * Settings: definitions.thuiszitter_min_weeks, definitions.thuiszitter_long_months,
 * signals.due_days.thuiszitter. Acts: leerplicht of the residence municipality. One signal
 * per spell; the group is in the detail and follows the spell.
 */
void signal_rule_thuiszitter(const struct rule_ctx *rc, struct signal_list *out)
{
	const struct status *st = rc->st;
	if (!in_region(rc) || !st->birth_known || st->age >= 18 || !plichtig(rc, true) ||
	    exempt(rc))
		return;
	int days = 7 * rc->set->thuiszitter_min_weeks;
	date_t start = DATE_UNKNOWN, last = DATE_UNKNOWN;
	int group = 0;
	struct report *rep = NULL;
	size_t n = 0, first = 0, end = 0;
	if (!st->in_education) {
		if (rc->on < secondary_start(rc))
			return;
		start = out_of_school_since(rc);
		last = rc->on;
		group = 3;
	} else {
		rep = collect_reports(rc, "relatief", &n);
		/* Chains of open reports; the one that reaches closest to today. */
		for (size_t i = 0; i < n;) {
			if (report_closed(rep[i].r) || rep[i].r->from > rc->on) {
				i++;
				continue;
			}
			size_t j = i + 1;
			date_t chain_end = rep[i].r->to;
			while (j < n && !report_closed(rep[j].r) &&
			       rep[j].r->from <= chain_end + 3) {
				if (rep[j].r->to > chain_end)
					chain_end = rep[j].r->to;
				j++;
			}
			start = rep[i].r->from;
			last = chain_end < rc->on ? chain_end : rc->on;
			first = i;
			end = j;
			i = j;
		}
	}
	if (start == DATE_UNKNOWN) {
		free(rep);
		return;
	}
	date_t reached = start + days - 1;
	date_t long_day = date_add_months(start, rc->set->thuiszitter_long_months);
	if (last < reached) {
		wake(rc, reached); /* the spell may go on without new data */
		free(rep);
		return;
	}
	if (group != 3) {
		group = last >= long_day ? 2 : 1;
		if (group == 1)
			wake(rc, long_day);
	}
	struct signal_candidate *c = add(out, RULE_THUISZITTER, "municipality", st->municipality,
	                                 "leerplicht", start, reached);
	char a[DATE_STR_SIZE];
	/* The group, not the running count of days, so that the detail changes only when the
	 * group does. */
	snprintf(c->detail, sizeof(c->detail), "{\"group\":%d,\"since\":\"%s\"}", group,
	         ds(start, a));
	if (group == 3) {
		const struct tl_record *prev = last_enrolment_before(rc->t, rc->on);
		if (prev)
			cite(c, prev->id);
	} else {
		for (size_t k = first; k < end; k++)
			cite(c, rep[k].r->id);
	}
	free(rep);
}

/* Wmo support, dagbesteding or a Wajong after `day`: adult follow-up of youth care. */
static const struct tl_record *follow_up_after(const struct timeline *t, date_t day, date_t on)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		bool adult = (r->feed == TL_CARE && strcmp(r->code, "wmo") == 0) ||
		             tl_is_dagbesteding(r) ||
		             (r->feed == TL_WORK && !strcmp(r->code, "wajong"));
		if (adult && r->to >= day && r->from <= on)
			return r;
	}
	return NULL;
}

/*
 * 18-/18+. Basis: the Jeugdwet ends at 18 (verlengde jeugdhulp aside) and adult support
 * follows under the Wmo; regional agreements on the transition [S]. Youth care that ends
 * within signals.care_18_window_months of the 18th birthday, with no other youth care after
 * it and no Wmo, dagbesteding or Wajong running or starting by
 * signals.care_18_followup_weeks weeks after it ended, raises a signal; it is resolved when
 * such follow-up appears. Acts: the care role of the residence municipality.
 */
void signal_rule_18_min_plus(const struct rule_ctx *rc, struct signal_list *out)
{
	const struct status *st = rc->st;
	if (!in_region(rc) || !st->birth_known || st->age >= rc->set->status.target_age_max)
		return;
	wake(rc, status_birthday(&rc->set->status, rc->t->birth, rc->set->status.target_age_max));
	const struct tl_record *last = NULL;
	for (size_t i = 0; i < rc->t->n; i++) {
		const struct tl_record *r = &rc->t->rec[i];
		if (r->feed == TL_CARE && strcmp(r->code, "jeugdwet") == 0 && r->from <= rc->on &&
		    (!last || r->to > last->to))
			last = r;
	}
	if (!last || last->to == DATE_OPEN)
		return;
	date_t b18 = status_birthday(&rc->set->status, rc->t->birth, 18);
	int w = rc->set->care_18_window_months;
	if (last->to < date_add_months(b18, -w) || last->to > date_add_months(b18, w))
		return;
	if (last->to >= rc->on) {
		wake(rc, last->to + 1 + 7 * rc->set->care_18_followup_weeks);
		return;
	}
	date_t deadline = last->to + 7 * rc->set->care_18_followup_weeks;
	if (follow_up_after(rc->t, last->to + 1, rc->on))
		return;
	if (rc->on <= deadline) {
		wake(rc, deadline + 1);
		return;
	}
	struct signal_candidate *c = add(out, RULE_18_MIN_PLUS, "municipality", st->municipality,
	                                 "care", last->to + 1, deadline + 1);
	char a[DATE_STR_SIZE], b[DATE_STR_SIZE];
	snprintf(c->detail, sizeof(c->detail),
	         "{\"youth_care_ended\":\"%s\",\"category\":\"%s\",\"followup_by\":\"%s\"}",
	         ds(last->to, a), last->category, ds(deadline, b));
	cite(c, last->id);
}

static bool pro_vso_entree(const struct tl_record *r)
{
	return r->feed == TL_ENROLMENT &&
	       (strcmp(r->school_type, "PrO") == 0 || strcmp(r->school_type, "VSO") == 0 ||
	        strcmp(r->level, "mbo-1") == 0);
}

static int nazorg_years(const struct rule_ctx *rc, const struct tl_record *r)
{
	if (strcmp(r->school_type, "VSO") == 0)
		return rc->set->nazorg_vso_years;
	if (strcmp(r->school_type, "PrO") == 0)
		return rc->set->nazorg_pro_years;
	return rc->set->nazorg_entree_years;
}

/* The person's latest enrolment, by its last day; NULL when none ended or one runs. */
static const struct tl_record *latest_leaving(const struct rule_ctx *rc)
{
	const struct tl_record *latest = NULL;
	for (size_t i = 0; i < rc->t->n; i++) {
		const struct tl_record *r = &rc->t->rec[i];
		if (r->feed != TL_ENROLMENT || r->from > rc->on)
			continue;
		if (r->to >= rc->on)
			return NULL;
		if (!latest || r->to > latest->to)
			latest = r;
	}
	return latest;
}

/*
 * PrO/VSO/entree leaver without a known destination. Basis: wet 34812 (RMC follows PrO and
 * VSO pupils, [V]); nazorg VSO (WEC art. 44, [S]) and PrO ([U]). A pupil whose last
 * enrolment, in PrO, VSO or mbo-1 (entree), ended without a move or death and who
 * signals.leaver_destination_months months after leaving is not in education, work or
 * dagbesteding raises a signal for the RMC of the residence and, within the school's nazorg
 * period (definitions.nazorg_vso_years, definitions.nazorg_pro_years,
 * signals.nazorg_entree_years), for the school. Resolved when a destination is known.
 */
void signal_rule_leaver_without_destination(const struct rule_ctx *rc, struct signal_list *out)
{
	const struct status *st = rc->st;
	if (!in_region(rc) || !st->birth_known || st->age >= rc->set->status.target_age_max)
		return;
	wake(rc, status_birthday(&rc->set->status, rc->t->birth, rc->set->status.target_age_max));
	const struct tl_record *r = latest_leaving(rc);
	if (!r || !pro_vso_entree(r) || !strcmp(r->reason, "verhuizing") ||
	    !strcmp(r->reason, "overlijden"))
		return;
	if (st->in_education || st->at_work || st->dagbesteding)
		return;
	date_t left = r->to + 1;
	date_t due = date_add_months(left, rc->set->leaver_destination_months);
	if (rc->on < due) {
		wake(rc, due);
		return;
	}
	char a[DATE_STR_SIZE];
	struct signal_candidate *c =
	    add(out, RULE_LEAVER, "municipality", rmc_org(rc), "rmc", left, due);
	snprintf(c->detail, sizeof(c->detail),
	         "{\"left\":\"%s\",\"school\":\"%s\",\"school_type\":\"%s\",\"level\":\"%s\","
	         "\"reason\":\"%s\"}",
	         ds(left, a), r->school, r->school_type, r->level, r->reason);
	cite(c, r->id);
	date_t nazorg_end = date_add_months(left, 12 * nazorg_years(rc, r));
	if (rc->on < nazorg_end && r->school[0]) {
		struct signal_candidate *s =
		    add(out, RULE_LEAVER, "school", r->school, "school", left, due);
		memcpy(s->detail, c->detail, sizeof(s->detail));
		cite(s, r->id);
		wake(rc, nazorg_end);
	}
}

/*
 * Nazorg checkpoints. Basis: nazorg VSO (WEC art. 44, up to 2 years, [S]) and PrO ([U]).
 * At each of signals.nazorg_checkpoint_months months after a pupil left PrO or VSO (other
 * than by overstap to another enrolment, a move or death), within the nazorg period, the
 * school is asked to check in. One signal per checkpoint; it stays open until the school
 * dismisses it or takes it into a case. Acts: the school (role school).
 */
void signal_rule_nazorg_checkpoint(const struct rule_ctx *rc, struct signal_list *out)
{
	if (!in_region(rc))
		return;
	for (size_t i = 0; i < rc->t->n; i++) {
		const struct tl_record *r = &rc->t->rec[i];
		if (r->feed != TL_ENROLMENT || r->to >= rc->on || !r->school[0] ||
		    (strcmp(r->school_type, "PrO") != 0 && strcmp(r->school_type, "VSO") != 0) ||
		    !strcmp(r->reason, "overstap") || !strcmp(r->reason, "verhuizing") ||
		    !strcmp(r->reason, "overlijden"))
			continue;
		date_t left = r->to + 1;
		int max_months = 12 * nazorg_years(rc, r);
		for (int k = 0; k < rc->set->ncheckpoints; k++) {
			int months = rc->set->checkpoints[k];
			date_t day = date_add_months(left, months);
			if (months > max_months)
				break;
			if (rc->on < day) {
				wake(rc, day);
				break;
			}
			struct signal_candidate *c = add(out, RULE_NAZORG_CHECKPOINT, "school",
			                                 r->school, "school", left, day);
			snprintf(c->extra, sizeof(c->extra), "m%d", months);
			char a[DATE_STR_SIZE], b[DATE_STR_SIZE];
			snprintf(c->detail, sizeof(c->detail),
			         "{\"left\":\"%s\",\"months\":%d,\"checkpoint\":\"%s\","
			         "\"school_type\":\"%s\",\"in_education\":%s,\"at_work\":%s}",
			         ds(left, a), months, ds(day, b), r->school_type,
			         rc->st->in_education ? "true" : "false",
			         rc->st->at_work ? "true" : "false");
			cite(c, r->id);
		}
	}
}

/*
 * Uit beeld. Basis: RMC task (wet 34812, [V]) up to 23 and the regional follow-up of young
 * adults up to definitions.target_age_max ([U]). A resident aged signals.uit_beeld_min_age
 * or older, under the target age, with no education, work, benefit, dagbesteding or care
 * for signals.uit_beeld_months months (counted from the end of the last of these, the
 * birthday of the minimum age, or the day they came to live in the region, whichever is
 * latest). Acts: the RMC until the birthday signals.uit_beeld_rmc_until_age (default 23,
 * the RMC range of docs/definitions.md), the municipality's work and income role (jobcoach)
 * after it.
 */
void signal_rule_uit_beeld(const struct rule_ctx *rc, struct signal_list *out)
{
	const struct status *st = rc->st;
	if (!in_region(rc) || !st->birth_known)
		return;
	const struct status_settings *ss = &rc->set->status;
	date_t b_min = status_birthday(ss, rc->t->birth, rc->set->uit_beeld_min_age);
	date_t b_rmc = status_birthday(ss, rc->t->birth, rc->set->uit_beeld_rmc_until_age);
	date_t b_max = status_birthday(ss, rc->t->birth, ss->target_age_max);
	wake(rc, b_rmc);
	wake(rc, b_max);
	if (!st->uit_beeld || rc->on < b_min || rc->on >= b_max) {
		wake(rc, b_min);
		return;
	}
	date_t since = max3(b_min, residence_since(rc->t, rc->on), DATE_UNKNOWN);
	const struct tl_record *last = NULL;
	for (size_t i = 0; i < rc->t->n; i++) {
		const struct tl_record *r = &rc->t->rec[i];
		bool activity = r->feed == TL_ENROLMENT || r->feed == TL_CARE || tl_is_work(r) ||
		                tl_is_benefit(r) || tl_is_dagbesteding(r);
		if (activity && r->to < rc->on && (!last || r->to > last->to))
			last = r;
	}
	if (last && last->to + 1 > since)
		since = last->to + 1;
	date_t reached = date_add_months(since, rc->set->uit_beeld_months);
	if (rc->on < reached) {
		wake(rc, reached);
		return;
	}
	bool rmc = rc->on < b_rmc;
	struct signal_candidate *c =
	    add(out, RULE_UIT_BEELD, "municipality", rmc ? rmc_org(rc) : st->municipality,
	        rmc ? "rmc" : "jobcoach", since, reached);
	char a[DATE_STR_SIZE];
	snprintf(c->detail, sizeof(c->detail), "{\"since\":\"%s\",\"has_sk\":%s}", ds(since, a),
	         st->has_sk ? "true" : "false");
	if (last)
		cite(c, last->id);
	const struct tl_record *res = residence_record(rc->t, rc->on);
	if (res)
		cite(c, res->id);
}

/*
 * Verwijsindex match. Basis: Verwijsindex risicojongeren (Jeugdwet, [V/S]): when two or more
 * organisations are involved with the same young person at once, each is told so that they
 * coordinate. Involved: an open signal (or one taken into a case) of another rule, counted
 * per organisation and role (rc->involved). Acts: each of them. Resolved when fewer than
 * two remain.
 */
void signal_rule_verwijsindex_match(const struct rule_ctx *rc, struct signal_list *out)
{
	if (rc->ninvolved < 2)
		return;
	struct buf list = BUF_INIT;
	for (size_t i = 0; i < rc->ninvolved; i++)
		buf_addf(&list, "%s\"%s\"", i ? "," : "", rc->involved[i]);
	for (size_t i = 0; i < rc->ninvolved; i++) {
		char kind[16] = "", ident[16] = "", role[16] = "";
		if (sscanf(rc->involved[i], "%15[^:]:%15[^/]/%15s", kind, ident, role) != 3)
			continue;
		struct signal_candidate *c =
		    add(out, RULE_VERWIJSINDEX_MATCH, kind, ident, role, DATE_UNKNOWN, rc->on);
		snprintf(c->detail, sizeof(c->detail), "{\"involved\":[%s]}", list.data);
	}
	buf_release(&list);
}

void signals_evaluate(const struct rule_ctx *rc, struct signal_list *out)
{
	for (int r = 0; r < RULE_VERWIJSINDEX_MATCH; r++)
		rule_functions[r](rc, out);
}
