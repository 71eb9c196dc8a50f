/*
 * Per-region settings: the table of known settings with their documented defaults
 * (docs/definitions.md, docs/signals.md), their checks, and loading them for one region.
 */
#include "signals/settings.h"

#include "audit/audit.h"
#include "registry/ident.h"
#include "signals/signals.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct setting_def setting_defs[] = {
    {"definitions.leerplicht_start_age", "int", "5", 4, 7, "age at which leerplicht starts"},
    {"definitions.leerplicht_start_day", "first_school_day|first_day", "first_school_day", 0, 0,
     "first school day (a weekday) or first day of the month after the birthday"},
    {"definitions.leerplicht_end_age", "int", "16", 14, 18,
     "leerplicht ends on 31 July of the school year in which the child reaches this age"},
    {"definitions.absoluut_verzuim_scope", "leerplicht_and_kwalificatieplicht|leerplicht_only",
     "leerplicht_and_kwalificatieplicht", 0, 0, "who can be in absoluut verzuim"},
    {"definitions.absence_threshold_hours", "int", "16", 1, 200,
     "hours of teaching lost that the school must report"},
    {"definitions.absence_threshold_weeks", "int", "4", 1, 52,
     "within this many consecutive school weeks"},
    {"definitions.thuiszitter_min_weeks", "int", "4", 1, 52, "out of school this long"},
    {"definitions.thuiszitter_long_months", "int", "3", 1, 24,
     "boundary between thuiszitter groups 1 and 2"},
    {"definitions.vsv_mbo1_job_min_hours", "int", "12", 0, 40,
     "hours a week of paid work that with an entree diploma is not vsv"},
    {"definitions.vsv_age_on", "t|t+1", "t", 0, 0, "1 October on which the age 23 is measured"},
    {"definitions.nazorg_vso_years", "int", "2", 0, 10, "years of nazorg after VSO"},
    {"definitions.nazorg_pro_years", "int", "2", 0, 10, "years of nazorg after PrO"},
    {"definitions.target_age_max", "int", "27", 18, 30,
     "young people are followed until this birthday"},
    {"definitions.leap_day_birthday", "03-01|02-28", "03-01", 0, 0,
     "the day on which a 29 February birthday is reached in a common year"},
    {"definitions.vsv_population_includes_pro", "false|true", "false", 0, 0,
     "praktijkonderwijs counts in the vsv-percentage's population"},
    {"definitions.vsv_population_includes_vso", "false|true", "false", 0, 0,
     "voortgezet speciaal onderwijs counts in the vsv-percentage's population"},
    {"definitions.oud_vsv_max_age", "int", "23", 16, 30, "oud-vsv are counted until this birthday"},
    {"signals.verzuim_report_days", "int", "7", 0, 90,
     "days after the threshold within which the school's report is on time"},
    {"signals.care_18_window_months", "int", "6", 0, 60,
     "youth care ending this close to the 18th birthday counts as ending at 18"},
    {"signals.care_18_followup_weeks", "int", "4", 0, 104,
     "weeks within which Wmo or adult care must follow"},
    {"signals.leaver_destination_months", "int", "3", 0, 60,
     "months after leaving PrO, VSO or entree without a known destination"},
    {"signals.nazorg_entree_years", "int", "1", 0, 10,
     "years in which the school of an entree leaver is told"},
    {"signals.nazorg_checkpoint_months", "months-list", "6,12,24", 1, 120,
     "months after leaving PrO or VSO at which the school checks in"},
    {"signals.uit_beeld_min_age", "int", "16", 12, 27, "uit beeld from this age"},
    {"signals.uit_beeld_months", "int", "3", 0, 60,
     "months without education, work, benefit or care"},
    {"signals.uit_beeld_rmc_until_age", "int", "23", 16, 30,
     "the RMC acts until this birthday, the municipality's work and income after"},
    {"signals.rmc_municipality", "municipality", "", 0, 0,
     "the RMC region's lead municipality (default: the lowest gemeentecode of the region)"},
    {"signals.due_days.new_vsv", "int", "28", 0, 365, "days the RMC has to make contact"},
    {"signals.due_days.absoluut_verzuim", "int", "7", 0, 365, "days for leerplicht"},
    {"signals.due_days.relatief_verzuim_threshold", "int", "7", 0, 365, "days for leerplicht"},
    {"signals.due_days.thuiszitter", "int", "14", 0, 365, "days for leerplicht"},
    {"signals.due_days.18_min_plus", "int", "28", 0, 365, "days for the care role"},
    {"signals.due_days.leaver_without_destination", "int", "28", 0, 365, "days for RMC and school"},
    {"signals.due_days.nazorg_checkpoint", "int", "28", 0, 365, "days for the school"},
    {"signals.due_days.uit_beeld", "int", "28", 0, 365, "days for RMC or work and income"},
    {"signals.due_days.verwijsindex_match", "int", "14", 0, 365,
     "days for the organisations to coordinate"},
    {"monitor.suppress_below", "int", "5", 1, 100,
     "the monitor shows counts from 1 up to this number as suppressed"},
    {NULL, NULL, NULL, 0, 0, NULL},
};

const struct setting_def *setting_find(const char *name)
{
	for (const struct setting_def *d = setting_defs; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static int parse_int(const char *v, long *out)
{
	char *end;
	if (!*v)
		return -1;
	*out = strtol(v, &end, 10);
	return *end ? -1 : 0;
}

/* "6,12,24": ascending whole months in [min, max]; the count in *n. */
static int parse_months(const struct setting_def *d, const char *v, int *out, int *n)
{
	char copy[SETTING_VALUE_SIZE];
	*n = 0;
	if (strlen(v) >= sizeof(copy))
		return -1;
	snprintf(copy, sizeof(copy), "%s", v);
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long m;
		if (parse_int(tok, &m) < 0 || m < d->min || m > d->max ||
		    *n == SETTINGS_MAX_CHECKPOINTS || (*n > 0 && m <= out[*n - 1]))
			return -1;
		out[(*n)++] = (int)m;
	}
	return *n ? 0 : -1;
}

int setting_check(const struct setting_def *d, const char *v, struct err *e)
{
	long n;
	int months[SETTINGS_MAX_CHECKPOINTS], nm;
	char code[GEMEENTE_SIZE];
	struct err ignored = ERR_INIT;
	if (strlen(v) >= SETTING_VALUE_SIZE)
		return err_set(e, ERR_INVALID, "setting %s: value is too long", d->name);
	if (strcmp(d->type, "int") == 0) {
		if (parse_int(v, &n) < 0 || n < d->min || n > d->max)
			return err_set(e, ERR_INVALID,
			               "setting %s: '%s' is not a whole number "
			               "from %d to %d",
			               d->name, v, d->min, d->max);
	} else if (strcmp(d->type, "months-list") == 0) {
		if (parse_months(d, v, months, &nm) < 0)
			return err_set(e, ERR_INVALID,
			               "setting %s: '%s' is not a list of up to %d "
			               "ascending months from %d to %d, e.g. 6,12,24",
			               d->name, v, SETTINGS_MAX_CHECKPOINTS, d->min, d->max);
	} else if (strcmp(d->type, "municipality") == 0) {
		if (*v && (ident_gemeente(v, d->name, code, &ignored) < 0 || strcmp(code, v) != 0))
			return err_set(e, ERR_INVALID,
			               "setting %s: '%s' is not a gemeentecode "
			               "(GM and 4 digits)",
			               d->name, v);
	} else {
		size_t len = strlen(v);
		const char *p = d->type;
		for (;;) {
			const char *bar = strchr(p, '|');
			size_t plen = bar ? (size_t)(bar - p) : strlen(p);
			if (plen == len && strncmp(p, v, len) == 0)
				return 0;
			if (!bar)
				break;
			p = bar + 1;
		}
		return err_set(e, ERR_INVALID, "setting %s: '%s' is not one of %s", d->name, v,
		               d->type);
	}
	return 0;
}

static int int_of(const char *v)
{
	return (int)strtol(v, NULL, 10);
}

/* Apply one value (already checked) to the struct. */
static void apply(struct signal_settings *set, const struct setting_def *d, const char *v)
{
	const char *n = d->name;
	if (strcmp(n, "definitions.leerplicht_start_age") == 0)
		set->status.leerplicht_start_age = int_of(v);
	else if (strcmp(n, "definitions.leerplicht_start_day") == 0)
		set->status.leerplicht_start_first_day = strcmp(v, "first_day") == 0;
	else if (strcmp(n, "definitions.leerplicht_end_age") == 0)
		set->status.leerplicht_end_age = int_of(v);
	else if (strcmp(n, "definitions.target_age_max") == 0)
		set->status.target_age_max = int_of(v);
	else if (strcmp(n, "definitions.leap_day_birthday") == 0)
		set->status.leap_day_feb28 = strcmp(v, "02-28") == 0;
	else if (strcmp(n, "definitions.vsv_population_includes_pro") == 0)
		set->vsv_includes_pro = strcmp(v, "true") == 0;
	else if (strcmp(n, "definitions.vsv_population_includes_vso") == 0)
		set->vsv_includes_vso = strcmp(v, "true") == 0;
	else if (strcmp(n, "definitions.oud_vsv_max_age") == 0)
		set->oud_vsv_max_age = int_of(v);
	else if (strcmp(n, "monitor.suppress_below") == 0)
		set->suppress_below = int_of(v);
	else if (strcmp(n, "definitions.absoluut_verzuim_scope") == 0)
		set->absoluut_scope_kwalificatie = strcmp(v, "leerplicht_only") != 0;
	else if (strcmp(n, "definitions.absence_threshold_hours") == 0)
		set->absence_threshold_hours = int_of(v);
	else if (strcmp(n, "definitions.absence_threshold_weeks") == 0)
		set->absence_threshold_weeks = int_of(v);
	else if (strcmp(n, "definitions.thuiszitter_min_weeks") == 0)
		set->thuiszitter_min_weeks = int_of(v);
	else if (strcmp(n, "definitions.thuiszitter_long_months") == 0)
		set->thuiszitter_long_months = int_of(v);
	else if (strcmp(n, "definitions.vsv_mbo1_job_min_hours") == 0)
		set->vsv_mbo1_job_min_hours = int_of(v);
	else if (strcmp(n, "definitions.vsv_age_on") == 0)
		set->vsv_age_on_t1 = strcmp(v, "t+1") == 0;
	else if (strcmp(n, "definitions.nazorg_vso_years") == 0)
		set->nazorg_vso_years = int_of(v);
	else if (strcmp(n, "definitions.nazorg_pro_years") == 0)
		set->nazorg_pro_years = int_of(v);
	else if (strcmp(n, "signals.verzuim_report_days") == 0)
		set->verzuim_report_days = int_of(v);
	else if (strcmp(n, "signals.care_18_window_months") == 0)
		set->care_18_window_months = int_of(v);
	else if (strcmp(n, "signals.care_18_followup_weeks") == 0)
		set->care_18_followup_weeks = int_of(v);
	else if (strcmp(n, "signals.leaver_destination_months") == 0)
		set->leaver_destination_months = int_of(v);
	else if (strcmp(n, "signals.nazorg_entree_years") == 0)
		set->nazorg_entree_years = int_of(v);
	else if (strcmp(n, "signals.nazorg_checkpoint_months") == 0)
		parse_months(d, v, set->checkpoints, &set->ncheckpoints);
	else if (strcmp(n, "signals.uit_beeld_min_age") == 0)
		set->uit_beeld_min_age = int_of(v);
	else if (strcmp(n, "signals.uit_beeld_months") == 0)
		set->uit_beeld_months = int_of(v);
	else if (strcmp(n, "signals.uit_beeld_rmc_until_age") == 0)
		set->uit_beeld_rmc_until_age = int_of(v);
	else if (strcmp(n, "signals.rmc_municipality") == 0)
		snprintf(set->rmc_municipality, sizeof(set->rmc_municipality), "%s", v);
	else if (strncmp(n, "signals.due_days.", 17) == 0) {
		enum signal_rule r;
		if (signal_rule_parse(n + 17, &r, NULL) == 0)
			set->due_days[r] = int_of(v);
	}
}

void signal_settings_default(struct signal_settings *set)
{
	memset(set, 0, sizeof(*set));
	status_settings_default(&set->status);
	for (const struct setting_def *d = setting_defs; d->name; d++)
		apply(set, d, d->deflt);
}

static const char load_sql[] =
    "SELECT name, value, region FROM settings WHERE region = '*' OR region = ?"
    " ORDER BY CASE WHEN region = '*' THEN 0 ELSE 1 END";

int signal_settings_load(struct store *s, const char *region, struct signal_settings *set,
                         struct err *e)
{
	struct stmt *st = NULL;
	int rc = -1, step;
	signal_settings_default(set);
	snprintf(set->region, sizeof(set->region), "%s", region ? region : "");
	if (store_prepare(s, load_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, region && *region ? region : "-");
	while ((step = stmt_step(st, e)) == STORE_ROW) {
		const struct setting_def *d = setting_find(stmt_text(st, 0));
		const char *v = stmt_text(st, 1);
		if (!d)
			continue; /* a setting of a newer or older version: not ours to read */
		if (setting_check(d, v, e) < 0) {
			err_set(e, ERR_INVALID, "stored setting %s for region %s: '%s' is invalid",
			        d->name, stmt_text(st, 2), v);
			goto out;
		}
		apply(set, d, v);
	}
	rc = step < 0 ? -1 : 0;
out:
	stmt_free(st);
	return rc;
}

static const char region_of_sql[] =
    "SELECT rmc_code FROM municipalities WHERE code = ? AND year <= ?"
    " ORDER BY year DESC LIMIT 1";
static const char region_any_sql[] =
    "SELECT rmc_code FROM municipalities WHERE code = ? ORDER BY year LIMIT 1";

int settings_region_of(struct store *s, const char *municipality, date_t on, char region[8],
                       struct err *e)
{
	region[0] = '\0';
	if (!municipality || !*municipality)
		return 0;
	int y, m, d;
	date_to_ymd(on, &y, &m, &d);
	for (int pass = 0; pass < 2 && !region[0]; pass++) {
		struct stmt *st;
		if (store_prepare(s, pass == 0 ? region_of_sql : region_any_sql, &st, e) < 0)
			return -1;
		stmt_bind_text(st, 1, municipality);
		if (pass == 0)
			stmt_bind_int64(st, 2, y);
		int step = stmt_step(st, e);
		if (step == STORE_ROW && stmt_text(st, 0))
			snprintf(region, 8, "%s", stmt_text(st, 0));
		stmt_free(st);
		if (step < 0)
			return -1;
	}
	return 0;
}

static const char get_sql[] =
    "SELECT value, region FROM settings WHERE name = ? AND (region = '*' OR region = ?)"
    " ORDER BY CASE WHEN region = '*' THEN 1 ELSE 0 END LIMIT 1";

int setting_get(struct store *s, const char *region, const char *name,
                char value[SETTING_VALUE_SIZE], const char **from, struct err *e)
{
	const struct setting_def *d = setting_find(name);
	if (!d)
		return err_set(e, ERR_NOTFOUND, "no setting '%s' (inbeeld settings list)", name);
	struct stmt *st;
	if (store_prepare(s, get_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, name);
	stmt_bind_text(st, 2, region && *region ? region : "-");
	int step = stmt_step(st, e);
	if (step == STORE_ROW) {
		snprintf(value, SETTING_VALUE_SIZE, "%s", stmt_text(st, 0));
		*from = strcmp(stmt_text(st, 1), "*") == 0 ? "all regions" : "region";
	} else {
		snprintf(value, SETTING_VALUE_SIZE, "%s", d->deflt);
		*from = "default";
	}
	stmt_free(st);
	return step < 0 ? -1 : 0;
}

static const char rmc_exists_sql[] = "SELECT COUNT(*) FROM rmc_regions WHERE code = ?";
static const char delete_sql[] = "DELETE FROM settings WHERE region = ? AND name = ?";
static const char insert_sql[] =
    "INSERT INTO settings (region, name, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)";

int settings_region_exists(struct store *s, const char *region, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, rmc_exists_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, region);
	int step = stmt_step(st, e);
	int64_t n = step == STORE_ROW ? stmt_int64(st, 0) : 0;
	stmt_free(st);
	if (step < 0)
		return -1;
	if (n == 0)
		return err_set(e, ERR_NOTFOUND, "no RMC region '%s' (inbeeld region list)", region);
	return 0;
}

static int exec_bound(struct store *s, const char *sql, const char *const *args, int n,
                      struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		stmt_bind_text(st, i + 1, args[i]);
	int step = stmt_step(st, e);
	stmt_free(st);
	return step < 0 ? -1 : 0;
}

int setting_set(struct store *s, const struct access *who, const char *region, const char *name,
                const char *value, struct err *e)
{
	const struct setting_def *d = setting_find(name);
	if (!d)
		return err_set(e, ERR_NOTFOUND, "no setting '%s' (inbeeld settings list)", name);
	if (setting_check(d, value, e) < 0)
		return -1;
	if (strcmp(region, "*") != 0 && settings_region_exists(s, region, e) < 0)
		return -1;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	char detail[256];
	snprintf(detail, sizeof(detail), "%s %s=%s", region, name, value);
	const char *del[] = {region, name};
	const char *ins[] = {region, name, value, now, who->actor ? who->actor : "?"};
	if (store_begin(s, e) < 0)
		return -1;
	if (exec_bound(s, delete_sql, del, 2, e) < 0 || exec_bound(s, insert_sql, ins, 5, e) < 0 ||
	    audit_append(s, who, "settings.set", NULL, detail, e) < 0 || store_commit(s, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}
