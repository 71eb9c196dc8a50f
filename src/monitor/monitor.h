/*
 * The regional monitor (docs/monitor.md): the region's figures by their official definitions,
 * as aggregates by municipality with small cells suppressed, so that no young person can be
 * recognised in them. This first part holds the vsv count and percentage of a school year and
 * the oud-vsv count (docs/definitions.md, "Voortijdig schoolverlater", "Vsv-percentage",
 * "Oud-vsv").
 *
 * The definition of one young person's place in the figures (monitor_vsv_person) is a pure
 * function of their timeline (status/status.h) and the region's settings, so it is tested
 * with hand-written timelines; monitor_vsv reads every person of the store once and adds
 * them up.
 *
 * Ownership: a struct vsv_report owns its rows; release it with vsv_report_release. The JSON
 * and text of a report are owned by the caller (free()).
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "access/access.h"
#include "signals/settings.h"
#include "status/status.h"
#include "store/store.h"
#include "util/err.h"

/* The kind of school of an enrolment on 1 October: the groups the monitor reports. */
enum vsv_group {
	VSV_GROUP_NONE,   /* not in any count of year t */
	VSV_GROUP_VO_MBO, /* VO and mbo: always in the population */
	VSV_GROUP_PRO,    /* praktijkonderwijs: in the population when the region says so */
	VSV_GROUP_VSO,    /* voortgezet speciaal onderwijs: likewise */
};

/* Where one young person stands in the vsv figures of school year t (1 Oct t → 1 Oct t+1). */
struct vsv_person {
	enum vsv_group group; /* enrolled on 1 October t, aged 12 up to 23, living in the region */
	bool in_population;   /* the group counts in the vsv-percentage (the settings) */
	bool left_region;     /* moved out of the region or died before 1 October t+1 */
	bool new_vsv;         /* a new vsv of year t (of the group, whatever the population) */
	bool oud_vsv;         /* became vsv in an earlier year, on 1 October t+1 still out */
	char municipality[8];    /* residence on 1 October t: population and new vsv */
	char municipality_t1[8]; /* residence on 1 October t+1: oud-vsv */
};

/*
 * Classify the person of timeline `t` for school year `year` under the region's settings
 * `set` (population, age date, the entree-and-job hours, the oud-vsv age, 29 February).
 * Never fails.
 */
void monitor_vsv_person(const struct timeline *t, const struct signal_settings *set, int year,
                        struct vsv_person *out);

/* Counts of one group: enrolled on 1 October t, of them left the region, new vsv. */
struct vsv_cells {
	long enrolled, left_region, new_vsv;
};

/* One municipality's figures, or the total. After vsv_report_suppress a count may be
 * MONITOR_SUPPRESSED. */
struct vsv_row {
	char municipality[8];
	char name[64];
	struct vsv_cells population; /* the vsv-percentage's population (settings) */
	struct vsv_cells pro, vso;   /* PrO and VSO, always reported apart */
	long oud_vsv;
};

#define MONITOR_SUPPRESSED (-1L)
#define VSV_COLUMNS        10 /* the counts of a row: 3 × 3 cells and oud_vsv */

struct vsv_report {
	int year;
	char region[8]; /* MCxx, or "" for every municipality of the store */
	bool includes_pro, includes_vso;
	int suppress_below;
	struct vsv_row *rows; /* by municipality code */
	size_t n;
	struct vsv_row total;
	long persons; /* persons read */
};

/*
 * The vsv figures of school year `year` for RMC region `region` (MCxx; NULL or "" for the
 * region of the store when the reference data holds one, every municipality when it holds
 * none), with that region's settings, suppressed (vsv_report_suppress). Aggregates only: for
 * the local operator and users with the policy, rmc, leerplicht or admin role (ERR_FORBIDDEN
 * otherwise); audited as "monitor.vsv" without a person. ERR_NOTFOUND for an unknown region,
 * ERR_INVALID for a year out of range or a store with several regions and no `region`.
 */
int monitor_vsv(struct store *s, const struct access *who, int year, const char *region,
                struct vsv_report *out, struct err *e);

void vsv_report_release(struct vsv_report *r);

/*
 * Add person `p` to the report's rows (found or made by municipality) and total. For the
 * report's own reading and for tests.
 */
void vsv_report_add(struct vsv_report *r, const struct vsv_person *p);

/*
 * Suppress the small cells of the report: every count from 1 up to r->suppress_below − 1
 * becomes MONITOR_SUPPRESSED, in the rows and in the total (monitor_suppress_column).
 */
void vsv_report_suppress(struct vsv_report *r);

/*
 * Small-cell suppression of one column of n counts (*cells[i]) that add up to `total`: every
 * count from 1 up to below − 1 becomes MONITOR_SUPPRESSED; when exactly one count is
 * suppressed and the total is shown, the smallest other positive count is suppressed too, so
 * that the total does not give the first away. Zero is shown.
 */
void monitor_suppress_column(long *const *cells, size_t n, long total, int below);

/* The percentage new_vsv of enrolled − left_region, or a negative number when a count is
 * suppressed or nothing is left to divide by. */
double vsv_percentage(const struct vsv_cells *c);

/* The report as JSON (docs/monitor.md) and as a text table. */
char *vsv_report_to_json(const struct vsv_report *r);
char *vsv_report_to_text(const struct vsv_report *r);

#endif
