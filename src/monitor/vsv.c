/*
 * The vsv figures of a school year (monitor.h, docs/monitor.md): the definition of a new
 * voortijdig schoolverlater and of an oud-vsv on one young person's timeline, read at the two
 * reference dates 1 October t and 1 October t+1 (the A05 starting set and the set a year
 * later), and the report that adds them up by municipality.
 */
#include "monitor/monitor.h"

#include "accounts/roles.h"
#include "audit/audit.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the definition ------------------------------------------------------------------------ */

static date_t oct1(int year)
{
	return date_from_ymd(year, 10, 1);
}

static enum vsv_group group_of(const struct tl_record *r)
{
	if (strcmp(r->school_type, "PrO") == 0)
		return VSV_GROUP_PRO;
	if (strcmp(r->school_type, "VSO") == 0)
		return VSV_GROUP_VSO;
	return VSV_GROUP_VO_MBO;
}

static bool group_in_population(const struct signal_settings *set, enum vsv_group g)
{
	return g == VSV_GROUP_VO_MBO || (g == VSV_GROUP_PRO && set->vsv_includes_pro) ||
	       (g == VSV_GROUP_VSO && set->vsv_includes_vso);
}

/*
 * The enrolment that covers `day`: one in the population when there is one (a pupil in VO
 * and VSO at once counts where the population has them), else the one that started last.
 */
static const struct tl_record *enrolment_on(const struct timeline *t,
                                            const struct signal_settings *set, date_t day)
{
	const struct tl_record *best = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		if (r->feed != TL_ENROLMENT || !tl_covers(r, day))
			continue;
		bool in = group_in_population(set, group_of(r));
		bool best_in = best && group_in_population(set, group_of(best));
		if (!best || (in && !best_in) || (in == best_in && r->from > best->from))
			best = r;
	}
	return best;
}

/* The residence record that covers `day` of a person alive on it; NULL otherwise. */
static const struct tl_record *living_in_region(const struct timeline *t, date_t day)
{
	const struct tl_record *found = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		if (r->feed != TL_RESIDENCE)
			continue;
		if (r->died != DATE_UNKNOWN && r->died <= day)
			return NULL;
		if (tl_covers(r, day))
			found = r;
	}
	return found;
}

/* A startkwalificatie dated on or before `day`. */
static bool sk_by(const struct timeline *t, date_t day)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		if (r->feed == TL_DIPLOMA && r->from != DATE_UNKNOWN && r->from <= day &&
		    status_is_startkwalificatie(r->code))
			return true;
	}
	return false;
}

/* An entree (mbo-1) diploma by `day` and a paid job of enough hours a week on it. */
static bool entree_and_job(const struct timeline *t, const struct signal_settings *set, date_t day)
{
	bool entree = false, job = false;
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		if (r->feed == TL_DIPLOMA && strcmp(r->code, "mbo-1") == 0 && r->from != DATE_UNKNOWN &&
		    r->from <= day)
			entree = true;
		if (tl_is_work(r) && tl_covers(r, day) && r->hours >= set->vsv_mbo1_job_min_hours)
			job = true;
	}
	return entree && job;
}

/* The outcome of the vsv definition for one school year. */
enum vsv_outcome {
	VSV_NOT_COUNTED, /* not enrolled on 1 October y, not aged 12–22, not living here */
	VSV_STAYED,      /* enrolled on 1 October y+1, or left with an SK, or an exception */
	VSV_LEFT_REGION, /* moved out or died before 1 October y+1: cannot be followed */
	VSV_NEW,         /* a new vsv of year y */
};

/*
 * The vsv definition (docs/definitions.md) for school year y: enrolled in funded education
 * on 1 October y, aged 12 up to 23 on it (23 measured on 1 October y+1 with
 * definitions.vsv_age_on = t+1), not enrolled on 1 October y+1, no startkwalificatie by
 * 31 December y+1 (a diploma of the autumn still counts), and not an entree diploma with a
 * paid job of definitions.vsv_mbo1_job_min_hours on 1 October y+1. *group and *municipality
 * (may be NULL) get the enrolment's group and the residence on 1 October y.
 */
static enum vsv_outcome vsv_of_year(const struct timeline *t, const struct signal_settings *set,
                                    int y, enum vsv_group *group, const char **municipality)
{
	const struct status_settings *ss = &set->status;
	date_t ref = oct1(y), next = oct1(y + 1);
	const struct tl_record *home = living_in_region(t, ref);
	const struct tl_record *school = home ? enrolment_on(t, set, ref) : NULL;
	if (!school)
		return VSV_NOT_COUNTED;
	int age = status_age(ss, t->birth, ref);
	if (age < 12 || age >= 23)
		return VSV_NOT_COUNTED;
	if (group)
		*group = group_of(school);
	if (municipality)
		*municipality = home->municipality;
	if (enrolment_on(t, set, next))
		return VSV_STAYED;
	if (!living_in_region(t, next))
		return VSV_LEFT_REGION;
	if (sk_by(t, date_from_ymd(y + 1, 12, 31)))
		return VSV_STAYED;
	if (set->vsv_age_on_t1 && status_age(ss, t->birth, next) >= 23)
		return VSV_STAYED;
	if (entree_and_job(t, set, next))
		return VSV_STAYED;
	return VSV_NEW;
}

/*
 * Oud-vsv on 1 October t+1: living in the region, under definitions.oud_vsv_max_age, not
 * enrolled and without a startkwalificatie on that day, and a new vsv (of the population) of
 * an earlier school year than t.
 */
static bool oud_vsv(const struct timeline *t, const struct signal_settings *set, int year)
{
	date_t next = oct1(year + 1);
	if (!living_in_region(t, next) || enrolment_on(t, set, next) || sk_by(t, next) ||
	    status_age(&set->status, t->birth, next) >= set->oud_vsv_max_age)
		return false;
	int first = 0, m, d;
	date_to_ymd(status_birthday(&set->status, t->birth, 12), &first, &m, &d);
	for (int y = year - 1; y >= first - 1; y--) {
		enum vsv_group g = VSV_GROUP_NONE;
		if (vsv_of_year(t, set, y, &g, NULL) == VSV_NEW && group_in_population(set, g))
			return true;
	}
	return false;
}

void monitor_vsv_person(const struct timeline *t, const struct signal_settings *set, int year,
                        struct vsv_person *out)
{
	memset(out, 0, sizeof(*out));
	if (t->birth == DATE_UNKNOWN)
		return;
	const char *muni = NULL;
	enum vsv_group g = VSV_GROUP_NONE;
	enum vsv_outcome o = vsv_of_year(t, set, year, &g, &muni);
	if (o != VSV_NOT_COUNTED) {
		out->group = g;
		out->in_population = group_in_population(set, g);
		out->left_region = o == VSV_LEFT_REGION;
		out->new_vsv = o == VSV_NEW;
		snprintf(out->municipality, sizeof(out->municipality), "%s", muni);
	}
	if (!out->new_vsv && oud_vsv(t, set, year)) {
		const struct tl_record *home = living_in_region(t, oct1(year + 1));
		out->oud_vsv = true;
		snprintf(out->municipality_t1, sizeof(out->municipality_t1), "%s",
		         home->municipality);
	}
}

/* ---- adding up ----------------------------------------------------------------------------- */

static struct vsv_row *row_for(struct vsv_report *r, const char *municipality)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) { /* rows stay sorted by code */
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->rows[mid].municipality, municipality);
		if (c == 0)
			return &r->rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	r->rows = xrealloc(r->rows, (r->n + 1) * sizeof(*r->rows));
	memmove(&r->rows[lo + 1], &r->rows[lo], (r->n - lo) * sizeof(*r->rows));
	r->n++;
	struct vsv_row *row = &r->rows[lo];
	memset(row, 0, sizeof(*row));
	snprintf(row->municipality, sizeof(row->municipality), "%s", municipality);
	return row;
}

static void add_cells(struct vsv_cells *c, const struct vsv_person *p)
{
	c->enrolled++;
	c->left_region += p->left_region;
	c->new_vsv += p->new_vsv;
}

static void add_to_row(struct vsv_row *row, const struct vsv_person *p)
{
	if (p->in_population)
		add_cells(&row->population, p);
	if (p->group == VSV_GROUP_PRO)
		add_cells(&row->pro, p);
	if (p->group == VSV_GROUP_VSO)
		add_cells(&row->vso, p);
}

void vsv_report_add(struct vsv_report *r, const struct vsv_person *p)
{
	if (p->group != VSV_GROUP_NONE) {
		add_to_row(row_for(r, p->municipality), p);
		add_to_row(&r->total, p);
	}
	if (p->oud_vsv) {
		row_for(r, p->municipality_t1)->oud_vsv++;
		r->total.oud_vsv++;
	}
}

void vsv_report_release(struct vsv_report *r)
{
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

/* ---- suppression --------------------------------------------------------------------------- */

void monitor_suppress_column(long *const *cells, size_t n, long total, int below)
{
	size_t suppressed = 0;
	for (size_t i = 0; i < n; i++)
		if (*cells[i] > 0 && *cells[i] < below) {
			*cells[i] = MONITOR_SUPPRESSED;
			suppressed++;
		}
	if (suppressed != 1 || (total > 0 && total < below))
		return;
	long *smallest = NULL;
	for (size_t i = 0; i < n; i++)
		if (*cells[i] > 0 && (!smallest || *cells[i] < *smallest))
			smallest = cells[i];
	if (smallest)
		*smallest = MONITOR_SUPPRESSED;
}

/* The counts of a row, in the order of the columns. */
static void row_cells(struct vsv_row *row, long *out[VSV_COLUMNS])
{
	long *c[VSV_COLUMNS] = {
	    &row->population.enrolled, &row->population.left_region, &row->population.new_vsv,
	    &row->pro.enrolled,        &row->pro.left_region,        &row->pro.new_vsv,
	    &row->vso.enrolled,        &row->vso.left_region,        &row->vso.new_vsv,
	    &row->oud_vsv,
	};
	memcpy(out, c, sizeof(c));
}

void vsv_report_suppress(struct vsv_report *r)
{
	long *total[VSV_COLUMNS], *cells[VSV_COLUMNS];
	long **column = xmalloc((r->n + 1) * sizeof(*column));
	row_cells(&r->total, total);
	for (int k = 0; k < VSV_COLUMNS; k++) {
		for (size_t i = 0; i < r->n; i++) {
			row_cells(&r->rows[i], cells);
			column[i] = cells[k];
		}
		monitor_suppress_column(column, r->n, *total[k], r->suppress_below);
		monitor_suppress_column(&total[k], 1, 0, r->suppress_below);
	}
	free(column);
}

double vsv_percentage(const struct vsv_cells *c)
{
	if (c->enrolled < 0 || c->left_region < 0 || c->new_vsv < 0 ||
	    c->enrolled - c->left_region <= 0)
		return -1;
	return 100.0 * (double)c->new_vsv / (double)(c->enrolled - c->left_region);
}
