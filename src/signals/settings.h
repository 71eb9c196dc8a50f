/*
 * Per-region settings of the definitions, the signal rules and the monitor (`inbeeld
 * settings`, docs/signals.md, docs/monitor.md and docs/definitions.md, "Settings at a
 * glance"). A value set for an RMC region (MCxx) wins over one set for every region ('*'),
 * which wins over the documented default. Every value is checked against its setting's type
 * when it is set.
 */
#ifndef SIGNALS_SETTINGS_H
#define SIGNALS_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "access/access.h"
#include "status/status.h"
#include "store/store.h"
#include "util/err.h"

#define SETTING_VALUE_SIZE       64
#define SETTINGS_MAX_CHECKPOINTS 8

/* A documented setting: its name, type, default and meaning. */
struct setting_def {
	const char *name;
	const char *type; /* "int", "bool", "months-list", "municipality" or "a|b" choices */
	const char *deflt;
	int min, max; /* for int and months-list */
	const char *help;
};

/* The known settings, ending with a NULL name. */
extern const struct setting_def setting_defs[];

const struct setting_def *setting_find(const char *name);

/* Check `value` against the setting's type; ERR_INVALID naming the setting and the value. */
int setting_check(const struct setting_def *d, const char *value, struct err *e);

/* The values that the rules read, for one region. */
struct signal_settings {
	char region[8];
	struct status_settings status;
	bool absoluut_scope_kwalificatie;          /* definitions.absoluut_verzuim_scope */
	int absence_threshold_hours;               /* definitions.absence_threshold_hours */
	int absence_threshold_weeks;               /* definitions.absence_threshold_weeks */
	int thuiszitter_min_weeks;                 /* definitions.thuiszitter_min_weeks */
	int thuiszitter_long_months;               /* definitions.thuiszitter_long_months */
	int vsv_mbo1_job_min_hours;                /* definitions.vsv_mbo1_job_min_hours */
	bool vsv_age_on_t1;                        /* definitions.vsv_age_on = t+1 */
	int nazorg_vso_years, nazorg_pro_years;    /* definitions.nazorg_*_years */
	bool vsv_includes_pro, vsv_includes_vso;   /* definitions.vsv_population_includes_* */
	int oud_vsv_max_age;                       /* definitions.oud_vsv_max_age */
	int suppress_below;                        /* monitor.suppress_below */
	int verzuim_report_days;                   /* signals.verzuim_report_days */
	int care_18_window_months;                 /* signals.care_18_window_months */
	int care_18_followup_weeks;                /* signals.care_18_followup_weeks */
	int leaver_destination_months;             /* signals.leaver_destination_months */
	int nazorg_entree_years;                   /* signals.nazorg_entree_years */
	int checkpoints[SETTINGS_MAX_CHECKPOINTS]; /* signals.nazorg_checkpoint_months */
	int ncheckpoints;
	int uit_beeld_min_age;       /* signals.uit_beeld_min_age */
	int uit_beeld_months;        /* signals.uit_beeld_months */
	int uit_beeld_rmc_until_age; /* signals.uit_beeld_rmc_until_age */
	char rmc_municipality[8];    /* signals.rmc_municipality; "" = derived */
	int due_days[16];            /* signals.due_days.<rule>, by enum signal_rule */
};

/* The documented defaults. */
void signal_settings_default(struct signal_settings *set);

/*
 * The settings of RMC region `region` ("" for none: then '*' and the defaults). A stored
 * value that no longer passes its check gives ERR_INVALID naming region, setting and value.
 */
int signal_settings_load(struct store *s, const char *region, struct signal_settings *set,
                         struct err *e);

/* The RMC region (MCxx) of municipality `code` in the year of `on`, or "" when unknown. */
int settings_region_of(struct store *s, const char *municipality, date_t on, char region[8],
                       struct err *e);

/* 0 when `region` is an RMC region in the registry; ERR_NOTFOUND, saying so, otherwise. */
int settings_region_exists(struct store *s, const char *region, struct err *e);

/* A setting's value for a region as it applies (region, '*' or default) and where from. */
int setting_get(struct store *s, const char *region, const char *name,
                char value[SETTING_VALUE_SIZE], const char **from, struct err *e);

/*
 * Set `name` to `value` for `region` ('*' or an RMC code that exists), audited as
 * "settings.set". ERR_NOTFOUND for an unknown setting or region, ERR_INVALID for a bad value.
 */
int setting_set(struct store *s, const struct access *who, const char *region, const char *name,
                const char *value, struct err *e);

#endif
