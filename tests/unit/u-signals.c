/*
 * The signal rules, table-driven with hand-written timelines: for each rule the day before
 * and the day of each threshold, and the data that resolves it; then the lifecycle on the
 * back end under test — raised once, deduplicated on a second run, resolved when the data
 * changes, reopened when the situation returns, dismissed with a reason, the Verwijsindex
 * match — and the per-region settings.
 */
#include "testutil.h"
#include "test-timeline.h"

#include "signals/signals.h"

#define RES "residence|2000-01-01||{\"municipality_code\":\"GM0935\"}"
#define ENROL(from, to, type, level, reason)                                                       \
	"enrolments|" from "|" to "|{\"school\":\"14EK00\",\"school_type\":\"" type "\","          \
	"\"level\":\"" level "\",\"end_reason\":\"" reason "\"}"
#define ABSENCE(id, kind, from, to, hours, reported, status, sdate)                                \
	"absence|" from "|" to "|{\"report_id\":\"" id "\",\"school\":\"14EK00\",\"kind\":\"" kind \
	"\",\"hours_lost\":" hours ",\"reported_on\":\"" reported "\",\"status\":\"" status        \
	"\",\"status_date\":\"" sdate "\"}"

/* new vsv: enrolled in mbo-2 on 1 October 2023, dropped out in June 2024. */
static const char *const vsv[] = {RES, ENROL("2023-08-01", "2024-06-30", "mbo", "mbo-2", "uitval"),
                                  NULL};
static const char *const vsv_reenrolled[] = {
    RES, ENROL("2023-08-01", "2024-06-30", "mbo", "mbo-2", "uitval"),
    ENROL("2024-11-01", "", "mbo", "mbo-2", ""), NULL};
static const char *const vsv_late_sk[] = {
    RES, ENROL("2023-08-01", "2024-06-30", "mbo", "mbo-2", "uitval"),
    "diplomas|2024-12-31||{\"qualification\":\"mbo-2\",\"school\":\"14EK00\"}", NULL};
static const char *const vsv_entree_job12[] = {
    RES, ENROL("2023-08-01", "2024-06-30", "mbo", "mbo-1", "diploma"),
    "diplomas|2024-06-30||{\"qualification\":\"mbo-1\",\"school\":\"14EK00\"}",
    "work|2024-08-01||{\"kind\":\"employment\",\"hours_per_week\":12}", NULL};
static const char *const vsv_entree_job11[] = {
    RES, ENROL("2023-08-01", "2024-06-30", "mbo", "mbo-1", "diploma"),
    "diplomas|2024-06-30||{\"qualification\":\"mbo-1\",\"school\":\"14EK00\"}",
    "work|2024-08-01||{\"kind\":\"employment\",\"hours_per_week\":11}", NULL};
static const char *const vsv_moved[] = {
    "residence|2000-01-01|2024-08-31|{\"municipality_code\":\"GM0935\"}",
    ENROL("2023-08-01", "2024-06-30", "mbo", "mbo-2", "uitval"), NULL};

/* absoluut verzuim / thuiszitter group 3: born 10 January 2010, left school 31 Dec 2025. */
static const char *const dropout[] = {
    RES, ENROL("2022-08-01", "2025-12-31", "VO", "vmbo-t", "uitval"), NULL};
/* kwalificatieplicht only: born 1 May 2008, left school when the leerplicht ended. */
static const char *const dropout_kp[] = {
    RES, ENROL("2020-08-01", "2024-07-31", "VO", "vmbo-t", "uitval"), NULL};

/* The same dropout with a vrijstelling (article 5a) from 1 January to 31 March 2026. */
#define VRIJSTELLING(article, from, to)                                                            \
	"vrijstellingen|" from "|" to "|{\"article\":\"" article "\",\"municipality_code\":"       \
	"\"GM0935\"}"
static const char *const dropout_exempt[] = {
    RES, ENROL("2022-08-01", "2025-12-31", "VO", "vmbo-t", "uitval"),
    VRIJSTELLING("5a", "2026-01-01", "2026-03-31"), NULL};

/* thuiszitter groups 1 and 2: enrolled, langdurig relatief verzuim reports. */
static const char *const absent_28[] = {RES, ENROL("2022-08-01", "", "VO", "vmbo-t", ""),
                                        ABSENCE("R1", "relatief", "2026-01-05", "2026-02-01", "100",
                                                "2026-01-20", "In behandeling", "2026-01-21"),
                                        NULL};
static const char *const absent_3m[] = {RES, ENROL("2022-08-01", "", "VO", "vmbo-t", ""),
                                        ABSENCE("R1", "relatief", "2026-01-01", "2026-03-31", "300",
                                                "2026-01-20", "In behandeling", "2026-01-21"),
                                        ABSENCE("R2", "relatief", "2026-04-01", "2026-04-01", "5",
                                                "2026-04-01", "Geregistreerd", "2026-04-01"),
                                        NULL};

/* relatief verzuim threshold. */
static const char *const absent_16[] = {RES, ENROL("2022-08-01", "", "VO", "vmbo-t", ""),
                                        ABSENCE("R1", "relatief", "2026-01-05", "2026-02-01", "16",
                                                "2026-02-03", "Geregistreerd", "2026-02-03"),
                                        NULL};
static const char *const absent_15[] = {RES, ENROL("2022-08-01", "", "VO", "vmbo-t", ""),
                                        ABSENCE("R1", "relatief", "2026-01-05", "2026-02-01", "15",
                                                "2026-02-03", "Geregistreerd", "2026-02-03"),
                                        NULL};
static const char *const absent_29days[] = {RES, ENROL("2022-08-01", "", "VO", "vmbo-t", ""),
                                            ABSENCE("R1", "relatief", "2026-01-05", "2026-02-02",
                                                    "20", "2026-02-03", "Geregistreerd",
                                                    "2026-02-03"),
                                            NULL};
static const char *const absent_closed[] = {RES, ENROL("2022-08-01", "", "VO", "vmbo-t", ""),
                                            ABSENCE("R1", "relatief", "2026-01-05", "2026-02-01",
                                                    "16", "2026-02-03", "Geregistreerd",
                                                    "2026-02-03"),
                                            ABSENCE("R1", "relatief", "2026-01-05", "2026-02-01",
                                                    "16", "2026-02-03", "Afgesloten", "2026-02-20"),
                                            NULL};
/* The statuses that end a report (DUO): withdrawn (left out), or noted without action. */
static const char *const absent_withdrawn[] = {RES, ENROL("2022-08-01", "", "VO", "vmbo-t", ""),
                                               ABSENCE("R1", "relatief", "2026-01-05", "2026-02-01",
                                                       "16", "2026-02-03", "Geregistreerd",
                                                       "2026-02-03"),
                                               ABSENCE("R1", "relatief", "2026-01-05", "2026-02-01",
                                                       "16", "2026-02-03", "Ingetrokken",
                                                       "2026-02-10"),
                                               NULL};
static const char *const absent_noted[] = {RES, ENROL("2022-08-01", "", "VO", "vmbo-t", ""),
                                           ABSENCE("R1", "relatief", "2026-01-05", "2026-02-01",
                                                   "16", "2026-02-03", "In behandeling",
                                                   "2026-02-03"),
                                           ABSENCE("R1", "relatief", "2026-01-05", "2026-02-01",
                                                   "16", "2026-02-03",
                                                   "Ter kennisgeving aangenomen", "2026-02-10"),
                                           NULL};
/* Two reports below the threshold (signaal) that together reach it: the school did not
 * report relatief verzuim, so its report is late 7 days after 1 February. */
static const char *const absent_signaal[] = {
    RES, ENROL("2022-08-01", "", "VO", "vmbo-t", ""),
    ABSENCE("S1", "signaal", "2026-01-05", "2026-01-11", "8", "2026-01-12", "Geregistreerd",
            "2026-01-12"),
    ABSENCE("S2", "signaal", "2026-01-26", "2026-02-01", "8", "2026-02-02", "Geregistreerd",
            "2026-02-02"),
    NULL};

/* 18-/18+: born 1 March 2008, youth care ended 31 March 2026. */
static const char *const care_ends[] = {
    RES, "care|2024-01-01|2026-03-31|{\"law\":\"jeugdwet\",\"product_category\":\"45\"}", NULL};
static const char *const care_wmo[] = {
    RES, "care|2024-01-01|2026-03-31|{\"law\":\"jeugdwet\",\"product_category\":\"45\"}",
    "care|2026-04-15||{\"law\":\"wmo\",\"product_category\":\"02\"}", NULL};
static const char *const care_early_out[] = {
    RES, "care|2024-01-01|2025-08-31|{\"law\":\"jeugdwet\",\"product_category\":\"45\"}", NULL};
static const char *const care_early_in[] = {
    RES, "care|2024-01-01|2025-09-01|{\"law\":\"jeugdwet\",\"product_category\":\"45\"}", NULL};

/* A VSO leaver: left 1 August 2025 (last day 31 July). */
static const char *const vso_left[] = {
    RES, ENROL("2019-08-01", "2025-07-31", "VSO", "arbeidsmarkt", "uitstroom"), NULL};
static const char *const vso_left_job[] = {
    RES, ENROL("2019-08-01", "2025-07-31", "VSO", "arbeidsmarkt", "uitstroom"),
    "work|2025-09-01||{\"kind\":\"employment\",\"hours_per_week\":20}", NULL};

/* Uit beeld: work ended 31 January 2026. */
static const char *const out_of_view[] = {
    RES, "work|2025-01-01|2026-01-31|{\"kind\":\"employment\",\"hours_per_week\":20}", NULL};

struct rule_case {
	const char *name;
	enum signal_rule rule;
	const char *birth;
	const char *const *rows;
	const char *on;
	int want;           /* the number of signals of the rule */
	const char *role;   /* of the first, when want > 0 */
	const char *detail; /* a substring of the first's detail, or NULL */
};

static const struct rule_case cases[] = {
    {"vsv before 1 Oct", RULE_NEW_VSV, "2005-01-01", vsv, "2024-09-30", 0, NULL, NULL},
    {"vsv on 1 Oct", RULE_NEW_VSV, "2005-01-01", vsv, "2024-10-01", 1, "rmc",
     "\"not_enrolled_on\":\"2024-10-01\""},
    {"oud-vsv stays", RULE_NEW_VSV, "2005-01-01", vsv, "2025-11-01", 1, "rmc",
     "\"enrolled_on\":\"2023-10-01\""},
    {"vsv re-enrolled", RULE_NEW_VSV, "2005-01-01", vsv_reenrolled, "2024-11-01", 0, NULL, NULL},
    {"vsv sk on 31 Dec", RULE_NEW_VSV, "2005-01-01", vsv_late_sk, "2024-12-31", 0, NULL, NULL},
    {"vsv sk day before", RULE_NEW_VSV, "2005-01-01", vsv_late_sk, "2024-12-30", 1, "rmc", NULL},
    {"vsv age 22 on 1 Oct t", RULE_NEW_VSV, "2000-10-02", vsv, "2024-10-01", 1, "rmc", NULL},
    {"vsv age 23 on 1 Oct t", RULE_NEW_VSV, "2000-10-01", vsv, "2024-10-01", 0, NULL, NULL},
    {"vsv entree + 12 h job", RULE_NEW_VSV, "2005-01-01", vsv_entree_job12, "2024-10-01", 0, NULL,
     NULL},
    {"vsv entree + 11 h job", RULE_NEW_VSV, "2005-01-01", vsv_entree_job11, "2024-10-01", 1, "rmc",
     NULL},
    {"vsv moved out", RULE_NEW_VSV, "2005-01-01", vsv_moved, "2024-10-01", 0, NULL, NULL},

    {"absoluut last school day", RULE_ABSOLUUT_VERZUIM, "2010-01-10", dropout, "2025-12-31", 0,
     NULL, NULL},
    {"absoluut day after", RULE_ABSOLUUT_VERZUIM, "2010-01-10", dropout, "2026-01-01", 1,
     "leerplicht", "\"plicht\":\"leerplicht\""},
    {"absoluut kp day before 18", RULE_ABSOLUUT_VERZUIM, "2008-05-01", dropout_kp, "2026-04-30", 1,
     "leerplicht", "kwalificatieplicht"},
    {"absoluut kp 18th birthday", RULE_ABSOLUUT_VERZUIM, "2008-05-01", dropout_kp, "2026-05-01", 0,
     NULL, NULL},
    {"absoluut vrijstelling first day", RULE_ABSOLUUT_VERZUIM, "2010-01-10", dropout_exempt,
     "2026-01-01", 0, NULL, NULL},
    {"absoluut vrijstelling last day", RULE_ABSOLUUT_VERZUIM, "2010-01-10", dropout_exempt,
     "2026-03-31", 0, NULL, NULL},
    {"absoluut after the vrijstelling", RULE_ABSOLUUT_VERZUIM, "2010-01-10", dropout_exempt,
     "2026-04-01", 1, "leerplicht", "\"plicht\":\"leerplicht\""},

    {"thuiszitter 3 day 27", RULE_THUISZITTER, "2010-01-10", dropout, "2026-01-27", 0, NULL, NULL},
    {"thuiszitter 3 day 28", RULE_THUISZITTER, "2010-01-10", dropout, "2026-01-28", 1, "leerplicht",
     "\"group\":3"},
    {"thuiszitter with vrijstelling", RULE_THUISZITTER, "2010-01-10", dropout_exempt, "2026-02-15",
     0, NULL, NULL},
    {"thuiszitter 1 at 28 days", RULE_THUISZITTER, "2010-01-10", absent_28, "2026-02-01", 1,
     "leerplicht", "\"group\":1"},
    {"thuiszitter 1 at 27 days", RULE_THUISZITTER, "2010-01-10", absent_28, "2026-01-31", 0, NULL,
     NULL},
    {"thuiszitter exactly 3 months", RULE_THUISZITTER, "2010-01-10", absent_3m, "2026-03-31", 1,
     "leerplicht", "\"group\":1"},
    {"thuiszitter over 3 months", RULE_THUISZITTER, "2010-01-10", absent_3m, "2026-04-01", 1,
     "leerplicht", "\"group\":2"},

    {"verzuim 16 hours", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_16, "2026-02-03", 1,
     "leerplicht", "\"school_report_late\":false"},
    {"verzuim 15 hours", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_15, "2026-02-03", 0, NULL,
     NULL},
    {"verzuim over 4 weeks", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_29days, "2026-02-03", 0,
     NULL, NULL},
    {"verzuim closed", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_closed, "2026-02-20", 0, NULL,
     NULL},
    {"verzuim before closing", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_closed, "2026-02-19", 1,
     "leerplicht", NULL},
    {"verzuim before withdrawal", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_withdrawn,
     "2026-02-09", 1, "leerplicht", NULL},
    {"verzuim withdrawn", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_withdrawn, "2026-02-10", 0,
     NULL, NULL},
    {"verzuim in behandeling", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_noted, "2026-02-09", 1,
     "leerplicht", NULL},
    {"verzuim ter kennisgeving aangenomen", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_noted,
     "2026-02-10", 0, NULL, NULL},
    {"signaal, report not late yet", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_signaal,
     "2026-02-08", 1, "leerplicht", "\"school_report_late\":false"},
    {"signaal, report late", RULE_RELATIEF_VERZUIM, "2010-01-10", absent_signaal, "2026-02-09", 1,
     "leerplicht", "\"school_report_late\":true"},

    {"18- follow-up window", RULE_18_MIN_PLUS, "2008-03-01", care_ends, "2026-04-28", 0, NULL,
     NULL},
    {"18- after 4 weeks", RULE_18_MIN_PLUS, "2008-03-01", care_ends, "2026-04-29", 1, "care",
     "\"youth_care_ended\":\"2026-03-31\""},
    {"18- with wmo", RULE_18_MIN_PLUS, "2008-03-01", care_wmo, "2026-05-01", 0, NULL, NULL},
    {"18- ended too early", RULE_18_MIN_PLUS, "2008-03-01", care_early_out, "2026-05-01", 0, NULL,
     NULL},
    {"18- ended within 6 months", RULE_18_MIN_PLUS, "2008-03-01", care_early_in, "2026-05-01", 1,
     "care", NULL},

    {"leaver day before", RULE_LEAVER, "2006-05-01", vso_left, "2025-10-31", 0, NULL, NULL},
    {"leaver 3 months", RULE_LEAVER, "2006-05-01", vso_left, "2025-11-01", 2, "rmc",
     "\"school_type\":\"VSO\""},
    {"leaver with a job", RULE_LEAVER, "2006-05-01", vso_left_job, "2025-11-01", 0, NULL, NULL},
    {"leaver after nazorg", RULE_LEAVER, "2006-05-01", vso_left, "2027-08-01", 1, "rmc", NULL},
    {"leaver last nazorg day", RULE_LEAVER, "2006-05-01", vso_left, "2027-07-31", 2, "rmc", NULL},

    {"checkpoint day before 6", RULE_NAZORG_CHECKPOINT, "2006-05-01", vso_left, "2026-01-31", 0,
     NULL, NULL},
    {"checkpoint 6", RULE_NAZORG_CHECKPOINT, "2006-05-01", vso_left, "2026-02-01", 1, "school",
     "\"months\":6"},
    {"checkpoint 12", RULE_NAZORG_CHECKPOINT, "2006-05-01", vso_left_job, "2026-08-01", 2, "school",
     "\"at_work\":true"},
    {"checkpoint 24", RULE_NAZORG_CHECKPOINT, "2006-05-01", vso_left, "2027-08-01", 3, "school",
     NULL},

    {"uit beeld day before", RULE_UIT_BEELD, "2005-06-01", out_of_view, "2026-04-30", 0, NULL,
     NULL},
    {"uit beeld 3 months", RULE_UIT_BEELD, "2005-06-01", out_of_view, "2026-05-01", 1, "rmc",
     "\"since\":\"2026-02-01\""},
    {"uit beeld over 23", RULE_UIT_BEELD, "2002-06-01", out_of_view, "2026-05-01", 1, "jobcoach",
     NULL},
    {"uit beeld day before 23rd", RULE_UIT_BEELD, "2003-05-02", out_of_view, "2026-05-01", 1, "rmc",
     NULL},
    {"uit beeld on 23rd birthday", RULE_UIT_BEELD, "2003-05-01", out_of_view, "2026-05-01", 1,
     "jobcoach", NULL},
    {"uit beeld 27th birthday", RULE_UIT_BEELD, "1999-05-01", out_of_view, "2026-05-01", 0, NULL,
     NULL},
};

static void test_signals__rules_table(void **state)
{
	(void)state;
	struct signal_settings set;
	signal_settings_default(&set);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rule_case *c = &cases[i];
		struct timeline t;
		struct status st;
		struct signal_list out = {0};
		date_t wake = DATE_OPEN;
		test_timeline(&t, c->birth, c->rows);
		status_compute(&t, &set.status, test_day(c->on), &st);
		struct rule_ctx rc = {.t = &t,
		                      .st = &st,
		                      .on = test_day(c->on),
		                      .set = &set,
		                      .rmc_municipality = "GM0935",
		                      .wake = &wake};
		signal_rule_function(c->rule)(&rc, &out);
		if ((int)out.n != c->want)
			fail_msg("%s: on %s expected %d signals of %s, got %zu", c->name, c->on,
			         c->want, signal_rule_name(c->rule), out.n);
		if (c->want && strcmp(out.c[0].role, c->role) != 0)
			fail_msg("%s: expected role %s, got %s", c->name, c->role, out.c[0].role);
		if (c->want && c->detail && !strstr(out.c[0].detail, c->detail))
			fail_msg("%s: expected %s in %s", c->name, c->detail, out.c[0].detail);
		if (c->want && out.c[0].nevidence == 0 && c->rule != RULE_VERWIJSINDEX_MATCH)
			fail_msg("%s: a signal without evidence", c->name);
		signal_list_release(&out);
		timeline_release(&t);
	}
}

/*
 * A 29 February birthday in a common year (definitions.leap_day_birthday): the rules follow
 * the same day as the status. Born 29 February 2008 and out of school since August 2024:
 * absoluut verzuim (kwalificatieplicht) until the 18th birthday, 1 March or 28 February 2026.
 * Born 29 February 2004 and out of view: the RMC acts until the 23rd birthday in 2027.
 */
static const char *const dropout_leap[] = {
    RES, ENROL("2020-08-01", "2024-07-31", "VO", "vmbo-t", "uitval"), NULL};

struct leap_rule_case {
	const char *name;
	enum signal_rule rule;
	const char *birth;
	const char *const *rows;
	bool feb28;
	const char *on;
	int want;
	const char *role;
};

static const struct leap_rule_case leap_rule_cases[] = {
    {"absoluut: 28 Feb, still 17", RULE_ABSOLUUT_VERZUIM, "2008-02-29", dropout_leap, false,
     "2026-02-28", 1, "leerplicht"},
    {"absoluut: 1 March, 18", RULE_ABSOLUUT_VERZUIM, "2008-02-29", dropout_leap, false,
     "2026-03-01", 0, NULL},
    {"absoluut 02-28: 27 Feb, still 17", RULE_ABSOLUUT_VERZUIM, "2008-02-29", dropout_leap, true,
     "2026-02-27", 1, "leerplicht"},
    {"absoluut 02-28: 28 Feb, 18", RULE_ABSOLUUT_VERZUIM, "2008-02-29", dropout_leap, true,
     "2026-02-28", 0, NULL},
    {"uit beeld: 28 Feb, RMC", RULE_UIT_BEELD, "2004-02-29", out_of_view, false, "2027-02-28", 1,
     "rmc"},
    {"uit beeld: 1 March, 23", RULE_UIT_BEELD, "2004-02-29", out_of_view, false, "2027-03-01", 1,
     "jobcoach"},
    {"uit beeld 02-28: 27 Feb, RMC", RULE_UIT_BEELD, "2004-02-29", out_of_view, true, "2027-02-27",
     1, "rmc"},
    {"uit beeld 02-28: 28 Feb, 23", RULE_UIT_BEELD, "2004-02-29", out_of_view, true, "2027-02-28",
     1, "jobcoach"},
};

static void test_signals__leap_day_birthday(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(leap_rule_cases) / sizeof(leap_rule_cases[0]); i++) {
		const struct leap_rule_case *c = &leap_rule_cases[i];
		struct signal_settings set;
		struct timeline t;
		struct status st;
		struct signal_list out = {0};
		signal_settings_default(&set);
		set.status.leap_day_feb28 = c->feb28;
		test_timeline(&t, c->birth, c->rows);
		status_compute(&t, &set.status, test_day(c->on), &st);
		struct rule_ctx rc = {.t = &t,
		                      .st = &st,
		                      .on = test_day(c->on),
		                      .set = &set,
		                      .rmc_municipality = "GM0935"};
		signal_rule_function(c->rule)(&rc, &out);
		if ((int)out.n != c->want || (c->want && strcmp(out.c[0].role, c->role) != 0))
			fail_msg("%s: expected %d signals (%s), got %zu (%s)", c->name, c->want,
			         c->role ? c->role : "-", out.n, out.n ? out.c[0].role : "-");
		signal_list_release(&out);
		timeline_release(&t);
	}
}

/* The wake day: the next day on which the outcome changes without new data. */
static void test_signals__wake_days(void **state)
{
	(void)state;
	struct signal_settings set;
	struct timeline t;
	struct status st;
	struct signal_list out = {0};
	char s[DATE_STR_SIZE];
	signal_settings_default(&set);
	test_timeline(&t, "2005-06-01", out_of_view);
	date_t wake = DATE_OPEN;
	status_compute(&t, &set.status, test_day("2026-03-01"), &st);
	struct rule_ctx rc = {
	    .t = &t, .st = &st, .on = test_day("2026-03-01"), .set = &set, .wake = &wake};
	signal_rule_uit_beeld(&rc, &out);
	assert_int_equal(out.n, 0);
	assert_string_equal(date_format(wake, s), "2026-05-01");
	signal_list_release(&out);
	timeline_release(&t);
	/* Open signals of a 26-year-old end on the 27th birthday (definitions.target_age_max):
	 * the rules wake on it, without new data. */
	static const struct {
		enum signal_rule rule;
		const char *const *rows;
	} at_27[] = {{RULE_UIT_BEELD, out_of_view}, {RULE_LEAVER, vso_left}};
	for (size_t i = 0; i < sizeof(at_27) / sizeof(at_27[0]); i++) {
		test_timeline(&t, "2000-05-01", at_27[i].rows);
		wake = DATE_OPEN;
		status_compute(&t, &set.status, test_day("2026-06-01"), &st);
		rc.t = &t;
		rc.on = test_day("2026-06-01");
		signal_rule_function(at_27[i].rule)(&rc, &out);
		assert_true(out.n >= 1);
		assert_string_equal(date_format(wake, s), "2027-05-01");
		signal_list_release(&out);
		timeline_release(&t);
	}
	/* The next 1 October matters to someone enrolled on the last one, not to anyone else. */
	test_timeline(&t, "2005-06-01", out_of_view);
	wake = DATE_OPEN;
	status_compute(&t, &set.status, test_day("2026-06-01"), &st);
	rc.t = &t;
	signal_rule_new_vsv(&rc, &out);
	assert_int_equal(wake, DATE_OPEN);
	timeline_release(&t);
	test_timeline(&t, "2005-06-01", vsv);
	status_compute(&t, &set.status, test_day("2024-06-01"), &st);
	rc.on = test_day("2024-06-01");
	signal_rule_new_vsv(&rc, &out);
	assert_string_equal(date_format(wake, s), "2024-10-01");
	signal_list_release(&out);
	timeline_release(&t);
}

static void test_signals__match(void **state)
{
	(void)state;
	struct signal_list out = {0};
	const char *one[] = {"municipality:GM0935/leerplicht"};
	const char *two[] = {"municipality:GM0935/leerplicht", "school:14EK00/school"};
	struct rule_ctx rc = {.involved = one, .ninvolved = 1};
	signal_rule_verwijsindex_match(&rc, &out);
	assert_int_equal(out.n, 0);
	rc.involved = two;
	rc.ninvolved = 2;
	signal_rule_verwijsindex_match(&rc, &out);
	assert_int_equal(out.n, 2);
	assert_string_equal(out.c[1].org_kind, "school");
	assert_string_equal(out.c[1].org_ident, "14EK00");
	assert_non_null(strstr(out.c[0].detail, "school:14EK00/school"));
	signal_list_release(&out);
}

static void test_signals__settings(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct access who = {.actor = "test", .client = "cli", .role = "operator"};
	test_store_open(&ts);
	assert_int_equal(
	    setting_set(ts.store, &who, "*", "definitions.absence_threshold_hours", "sixteen", &e),
	    -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(setting_set(ts.store, &who, "*", "no.such", "1", &e), -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(setting_set(ts.store, &who, "MC99", "signals.uit_beeld_months", "4", &e),
	                 -1);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(
	    setting_set(ts.store, &who, "*", "signals.nazorg_checkpoint_months", "12,6", &e), -1);
	assert_ok(setting_set(ts.store, &who, "*", "signals.nazorg_checkpoint_months", "3,9", &e),
	          &e);
	assert_ok(
	    store_exec(ts.store, "INSERT INTO rmc_regions (code, name) VALUES ('MC39', 'Z')", &e),
	    &e);
	assert_ok(setting_set(ts.store, &who, "MC39", "signals.uit_beeld_months", "6", &e), &e);
	struct signal_settings set;
	assert_ok(signal_settings_load(ts.store, "MC39", &set, &e), &e);
	assert_int_equal(set.uit_beeld_months, 6);
	assert_int_equal(set.ncheckpoints, 2);
	assert_int_equal(set.checkpoints[1], 9);
	assert_int_equal(set.absence_threshold_hours, 16);
	assert_ok(signal_settings_load(ts.store, "MC40", &set, &e), &e);
	assert_int_equal(set.uit_beeld_months, 3);
	assert_false(set.status.leap_day_feb28);
	assert_int_equal(
	    setting_set(ts.store, &who, "*", "definitions.leap_day_birthday", "02-29", &e), -1);
	assert_ok(setting_set(ts.store, &who, "*", "definitions.leap_day_birthday", "02-28", &e),
	          &e);
	assert_ok(signal_settings_load(ts.store, "MC40", &set, &e), &e);
	assert_true(set.status.leap_day_feb28);
	char value[SETTING_VALUE_SIZE];
	const char *from;
	assert_ok(setting_get(ts.store, "MC39", "signals.uit_beeld_months", value, &from, &e), &e);
	assert_string_equal(value, "6");
	assert_string_equal(from, "region");
	test_store_close(&ts);
}

/* ---- lifecycle on the store ---------------------------------------------------------------- */

static int64_t imports;

static void exec(struct store *s, const char *sql)
{
	struct err e = ERR_INIT;
	if (store_exec(s, sql, &e) < 0)
		fail_msg("%s: %s", sql, e.msg);
}

/* A new import, so the incremental run sees the records it touches. */
static void new_import(struct store *s)
{
	exec(s,
	     "INSERT INTO imports (feed, source, mode, as_of, file_name, content_hash,"
	     " started_at, status) VALUES ('work', 'uwv:UWV', 'snapshot', '2026-01-01', 'f', 'h',"
	     " 'now', 'done')");
	imports++;
}

static void add_record(struct store *s, const char *key, const char *feed, const char *content,
                       const char *from, const char *to)
{
	struct stmt *st;
	struct err e = ERR_INIT;
	new_import(s);
	assert_ok(store_prepare(s,
	                        "INSERT INTO feed_records (feed, source, record_key, person_id,"
	                        " content, content_hash, valid_from, valid_to, first_import,"
	                        " last_import) VALUES (?, 'x', ?, 1, ?, 'h', ?, ?, ?, ?)",
	                        &st, &e),
	          &e);
	stmt_bind_text(st, 1, feed);
	stmt_bind_text(st, 2, key);
	stmt_bind_text(st, 3, content);
	stmt_bind_text(st, 4, from);
	stmt_bind_text(st, 5, to);
	stmt_bind_int64(st, 6, imports);
	stmt_bind_int64(st, 7, imports);
	assert_true(stmt_step(st, &e) >= 0);
	stmt_free(st);
}

static void end_record(struct store *s, const char *key, const char *to)
{
	struct stmt *st;
	struct err e = ERR_INIT;
	new_import(s);
	assert_ok(store_prepare(s,
	                        "UPDATE feed_records SET valid_to = ?, last_import = ?"
	                        " WHERE record_key = ?",
	                        &st, &e),
	          &e);
	stmt_bind_text(st, 1, to);
	stmt_bind_int64(st, 2, imports);
	stmt_bind_text(st, 3, key);
	assert_true(stmt_step(st, &e) >= 0);
	stmt_free(st);
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;
	struct err e = ERR_INIT;
	if (store_query_int64(s, sql, &n, &e) < 0)
		fail_msg("%s", e.msg);
	return n;
}

static struct signal_run_stats run(struct store *s, const char *on, bool full)
{
	struct signal_run_stats st;
	struct err e = ERR_INIT;
	struct access who = {.actor = "test", .client = "cli", .role = "operator"};
	if (signals_run(s, &who, test_day(on), full, &st, &e) < 0)
		fail_msg("signals run: %s", e.msg);
	return st;
}

static void test_signals__lifecycle(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	struct access who = {.actor = "test", .client = "cli", .role = "operator"};
	test_store_open(&ts);
	imports = 0;
	struct store *s = ts.store;
	exec(s, "INSERT INTO persons (pkey, birth_date, pii, key_id, created_at, updated_at)"
	        " VALUES ('k1', '2005-06-01', 'x', 1, 'now', 'now')");
	add_record(s, "res", "residence", "{\"municipality_code\":\"GM0935\"}", "2005-06-01", NULL);
	add_record(s, "job", "work", "{\"kind\":\"employment\",\"hours_per_week\":20}",
	           "2025-01-01", "2026-01-31");

	/* Uit beeld from 1 February: not yet on 30 April, raised on 1 May. */
	struct signal_run_stats st = run(s, "2026-04-30", true);
	assert_int_equal(st.raised, 0);
	st = run(s, "2026-05-01", false); /* the wake day brings the person back */
	assert_int_equal(st.persons, 1);
	assert_int_equal(st.raised, 1);
	/* Raised once: neither an incremental nor a full run raises it again. */
	st = run(s, "2026-05-02", false);
	assert_int_equal(st.raised, 0);
	st = run(s, "2026-05-02", true);
	assert_int_equal(st.raised, 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM signals WHERE state = 'open'"), 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM signals WHERE due_on = '2026-05-29'"), 1);

	/* A new job resolves it; the incremental run sees the changed person only. */
	add_record(s, "job2", "work", "{\"kind\":\"employment\",\"hours_per_week\":20}",
	           "2026-05-03", NULL);
	st = run(s, "2026-05-03", false);
	assert_int_equal(st.persons, 1);
	assert_int_equal(st.resolved, 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM signals WHERE state = 'resolved'"), 1);

	/* The job turns out never to have started (the record is corrected): the same episode
	 * returns and the signal reopens. */
	new_import(s);
	exec(s, "DELETE FROM feed_records WHERE record_key = 'job2'");
	st = run(s, "2026-05-04", true);
	assert_int_equal(st.reopened, 1);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM signals WHERE state = 'open'"
	                          " AND reopened = 1"),
	                 1);

	/* A second organisation gets involved: leerplicht's absoluut verzuim does not apply at
	 * 20, so a school's nazorg checkpoint is used: the Verwijsindex match goes to both. */
	add_record(s, "vso", "enrolments",
	           "{\"school\":\"14EK00\",\"school_type\":\"VSO\",\"level\":\"arbeidsmarkt\","
	           "\"end_reason\":\"uitstroom\"}",
	           "2019-08-01", "2025-07-31");
	st = run(s, "2026-05-05", false);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM signals WHERE rule = 'verwijsindex_match'"
	                          " AND state = 'open'"),
	                 2);

	/* Dismissal needs a reason; a dismissed signal is not raised again. */
	int64_t id = count(s, "SELECT MIN(id) FROM signals WHERE rule = 'nazorg_checkpoint'");
	assert_int_equal(signal_dismiss(s, &who, id, "", &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_ok(signal_dismiss(s, &who, id, "in contact with the family", &e), &e);
	assert_int_equal(signal_dismiss(s, &who, id, "again", &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	/* The dismissal brings the person back at the next run: check day 0 in their span. */
	assert_int_equal(count(s, "SELECT MIN(earliest) FROM signal_check_spans"), 0);
	st = run(s, "2026-05-06", false);
	assert_int_equal(st.persons, 1);
	assert_true(count(s, "SELECT MIN(earliest) FROM signal_check_spans") >
	            test_day("2026-05-06"));
	assert_int_equal(st.raised, 0);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM signals WHERE state = 'dismissed'"), 1);

	/* Each organisation sees its own: the school's list holds no RMC signal. */
	struct signal_filter f = {
	    .org_kind = "school", .org_ident = "14EK00", .today = test_day("2026-05-06")};
	struct signal_row *rows;
	size_t n;
	assert_ok(signal_list(s, &who, &f, &rows, &n, &e), &e);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(rows[i].org, "school:14EK00");
	signal_rows_free(rows, n);
	/* Overdue once the due day has passed. */
	f = (struct signal_filter){.rule = "uit_beeld", .today = test_day("2026-07-01")};
	assert_ok(signal_list(s, &who, &f, &rows, &n, &e), &e);
	assert_int_equal(n, 1);
	assert_true(rows[0].overdue);
	assert_non_null(strstr(rows[0].evidence, "["));
	signal_rows_free(rows, n);

	/* A move out of the region resolves everything still open. */
	end_record(s, "res", "2026-05-31");
	st = run(s, "2026-06-01", false);
	assert_int_equal(count(s, "SELECT COUNT(*) FROM signals WHERE state = 'open'"), 0);
	test_store_close(&ts);
}

/* ---- the same signals whatever the threads and blocks ---------------------------------------- */

/* A region of n made-up persons with varied records, the same in every store. */
static void fill_region(struct store *s, int n)
{
	struct err e = ERR_INIT;
	struct stmt *person, *rec;
	static const char *const types[] = {"VO", "VSO", "PrO", "mbo"};
	exec(s, "INSERT INTO imports (feed, source, mode, as_of, file_name, content_hash,"
	        " started_at, status) VALUES ('work', 'x', 'snapshot', '2026-01-01', 'f', 'h',"
	        " 'now', 'done')");
	assert_ok(
	    store_prepare(s,
	                  "INSERT INTO persons (id, pkey, birth_date, pii, key_id, created_at,"
	                  " updated_at) VALUES (?, ?, ?, 'x', 1, 'now', 'now')",
	                  &person, &e),
	    &e);
	assert_ok(store_prepare(s,
	                        "INSERT INTO feed_records (feed, source, record_key, person_id,"
	                        " content, content_hash, valid_from, valid_to, first_import,"
	                        " last_import) VALUES (?, 'x', ?, ?, ?, 'h', ?, ?, 1, 1)",
	                        &rec, &e),
	          &e);
	for (int i = 1; i <= n; i++) {
		char key[16], birth[DATE_STR_SIZE], from[DATE_STR_SIZE], to[DATE_STR_SIZE];
		char content[256], rk[32];
		date_t born = test_day("2000-01-01") + (i * 97) % 4200;
		snprintf(key, sizeof(key), "k%d", i);
		stmt_bind_int64(person, 1, i);
		stmt_bind_text(person, 2, key);
		stmt_bind_text(person, 3, date_format(born, birth));
		assert_true(stmt_step(person, &e) >= 0);
		stmt_reset(person);
		struct {
			const char *feed, *from, *to;
			char content[256];
		} rows[6];
		int nrows = 0;
#define ROW(f, a, b, ...)                                                                          	do {                                                                                       		rows[nrows].feed = f;                                                              		rows[nrows].from = a;                                                              		rows[nrows].to = b;                                                                		snprintf(rows[nrows].content, sizeof(rows[nrows].content), __VA_ARGS__);          		nrows++;                                                                           	} while (0)
		ROW("residence", birth, i % 13 == 0 ? "2026-06-30" : NULL,
		    "{\"municipality_code\":\"%s\"}", i % 2 ? "GM0935" : "GM0917");
		date_format(test_day("2024-06-30") + (i * 37) % 700, to);
		ROW("enrolments", "2019-08-01", i % 3 == 0 ? NULL : to,
		    "{\"school\":\"14EK00\",\"school_type\":\"%s\",\"level\":\"%s\","
		    "\"end_reason\":\"%s\"}",
		    types[i % 4], i % 4 == 3 ? (i % 8 == 3 ? "mbo-1" : "mbo-2") : "x",
		    i % 3 == 0 ? "" : "uitval");
		if (i % 5 == 0)
			ROW("absence", "2026-09-07", "2026-10-04",
			    "{\"report_id\":\"R%d\",\"school\":\"14EK00\",\"kind\":\"relatief\","
			    "\"hours_lost\":%d,\"reported_on\":\"2026-10-05\",\"status\":"
			    "\"Geregistreerd\",\"status_date\":\"2026-10-05\"}",
			    i, 10 + i % 20);
		if (i % 7 == 0) {
			date_format(date_birthday(born, 18) + i % 60 - 30, to);
			ROW("care", "2020-01-01", to, "{\"law\":\"jeugdwet\",\"product_category\":\"45\"}");
		}
		if (i % 6 == 0)
			ROW("work", "2025-01-01", "2026-02-28",
			    "{\"kind\":\"employment\",\"hours_per_week\":%d}", 8 + i % 20);
		if (i % 11 == 0) {
			date_format(test_day("2024-06-01") + i % 300, from);
			ROW("diplomas", from, NULL, "{\"qualification\":\"mbo-2\"}");
		}
#undef ROW
		for (int k = 0; k < nrows; k++) {
			snprintf(rk, sizeof(rk), "%d-%d", i, k);
			snprintf(content, sizeof(content), "%s", rows[k].content);
			stmt_bind_text(rec, 1, rows[k].feed);
			stmt_bind_text(rec, 2, rk);
			stmt_bind_int64(rec, 3, i);
			stmt_bind_text(rec, 4, content);
			stmt_bind_text(rec, 5, rows[k].from);
			stmt_bind_text(rec, 6, rows[k].to);
			assert_true(stmt_step(rec, &e) >= 0);
			stmt_reset(rec);
		}
	}
	stmt_free(person);
	stmt_free(rec);
}

/* Every signal and next check day of the store, as one text. Owned. */
static char *signals_text(struct store *s)
{
	struct stmt *st;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	assert_ok(store_prepare(s,
	                        "SELECT id, skey, state, due_on, reopened, detail, evidence"
	                        " FROM signals ORDER BY id",
	                        &st, &e),
	          &e);
	while (stmt_step(st, &e) == STORE_ROW)
		buf_addf(&b, "%lld %s %s %s %lld %s %s\n", (long long)stmt_int64(st, 0),
		         stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3),
		         (long long)stmt_int64(st, 4), stmt_text(st, 5), stmt_text(st, 6));
	stmt_free(st);
	/* The next check days: 256 to a span, 4 bytes each, little endian (migration 0011). */
	assert_ok(store_prepare(s, "SELECT span, earliest, days FROM signal_check_spans ORDER BY span",
	                        &st, &e),
	          &e);
	while (stmt_step(st, &e) == STORE_ROW) {
		size_t len;
		const unsigned char *days = stmt_blob(st, 2, &len);
		int64_t earliest = INT32_MAX;
		assert_int_equal(len, 1024);
		for (int i = 0; i < 256; i++) {
			const unsigned char *p = days + 4 * i;
			int32_t day = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			                        (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
			if (day < earliest)
				earliest = day;
			if (day != INT32_MAX)
				buf_addf(&b, "check %lld %d\n", (long long)(stmt_int64(st, 0) * 256 + i),
				         (int)day);
		}
		assert_int_equal(stmt_int64(st, 1), earliest);
	}
	stmt_free(st);
	return buf_detach(&b, NULL);
}

static void run_with(struct store *s, const char *on, bool full, int threads, int block)
{
	struct signal_run_stats st;
	struct err e = ERR_INIT;
	struct access who = {.actor = "test", .client = "cli", .role = "operator"};
	struct signal_run_opts o = {.full = full, .threads = threads, .block_persons = block};
	if (signals_run_opts(s, &who, test_day(on), &o, &st, &e) < 0)
		fail_msg("signals run: %s", e.msg);
}

/*
 * One thread or three, blocks of 7 person ids or the default: the same signals with the same
 * ids, details, evidence and due dates, and the same next check days, after a first full run
 * and after a second one later (which resolves and reopens).
 */
static void test_signals__threads_same_outcome(void **state)
{
	(void)state;
	struct test_store a, b, c, s;
	test_store_open(&a);
	test_store_open(&b);
	test_store_open(&c);
	test_store_open(&s);
	fill_region(a.store, 300);
	fill_region(b.store, 300);
	fill_region(c.store, 300);
	fill_region(s.store, 600);
	run_with(a.store, "2026-10-20", true, 1, 0);
	run_with(b.store, "2026-10-20", true, 3, 7);
	run_with(c.store, "2026-10-20", true, 2, 7);
	/* Stripes of 250 ids, two readers, in blocks of 1,000: the same as one thread. */
	struct test_store s1;
	test_store_open(&s1);
	fill_region(s1.store, 600);
	run_with(s.store, "2026-10-20", true, 3, 1000);
	run_with(s1.store, "2026-10-20", true, 1, 0);
	char *ts = signals_text(s.store), *ts1 = signals_text(s1.store);
	assert_string_equal(ts, ts1);
	free(ts);
	free(ts1);
	test_store_close(&s1);
	char *ta = signals_text(a.store), *tb = signals_text(b.store), *tc = signals_text(c.store);
	assert_true(count(a.store, "SELECT COUNT(DISTINCT rule) FROM signals") >= 5);
	assert_true(count(a.store, "SELECT COUNT(*) FROM signals") >= 60);
	assert_string_equal(ta, tb);
	assert_string_equal(ta, tc);
	free(ta);
	free(tb);
	free(tc);
	run_with(a.store, "2027-01-15", true, 1, 0);
	run_with(b.store, "2027-01-15", true, 3, 7);
	run_with(c.store, "2027-01-15", false, 3, 7);
	assert_true(count(a.store, "SELECT COUNT(*) FROM signals WHERE state = 'resolved'") > 0);
	ta = signals_text(a.store);
	tb = signals_text(b.store);
	tc = signals_text(c.store);
	assert_string_equal(ta, tb);
	assert_string_equal(ta, tc); /* an incremental run there: the same as a full one */
	free(ta);
	free(tb);
	free(tc);
	/* Across 1 October, where new vsv appear: the incremental run visits whom it must. */
	run_with(a.store, "2027-10-02", true, 1, 0);
	run_with(c.store, "2027-10-02", false, 3, 7);
	ta = signals_text(a.store);
	tc = signals_text(c.store);
	assert_string_equal(ta, tc);
	free(ta);
	free(tc);
	test_store_close(&a);
	test_store_close(&b);
	test_store_close(&c);
	test_store_close(&s);
}

/* ---- migration 0011 ----------------------------------------------------------------------- */

/*
 * The next check days of version 10, one row per person, become spans whose every day is 0:
 * the next incremental run visits each person of a span that held one, and stores their days
 * anew.
 */
static void test_signals__migration_0011_checks_to_spans(void **state)
{
	(void)state;
	struct test_store ts;
	struct err e = ERR_INIT;
	test_store_open_at(&ts, 10);
	fill_region(ts.store, 300);
	exec(ts.store, "INSERT INTO signal_runs (run_on, full_run, max_import, started_at,"
	               " duration_ms, persons, raised, resolved, reopened)"
	               " VALUES ('2026-10-20', 1, 1, 'now', 1, 300, 0, 0, 0)");
	exec(ts.store, "INSERT INTO signal_checks (person_id, next_day)"
	               " SELECT id, 2147483647 FROM persons WHERE id <= 260");
	int applied;
	assert_ok(store_migrate(ts.store, &applied, &e), &e);
	assert_int_equal(applied, store_known_version(ts.store) - 10);
	/* Persons 1-255 are span 0, 256-260 span 1: two spans, which also hold 261-300 (no row). */
	assert_int_equal(count(ts.store, "SELECT COUNT(*) FROM signal_check_spans"), 2);
	assert_int_equal(count(ts.store, "SELECT COUNT(*) FROM signal_check_spans"
	                                 " WHERE earliest = 0 AND length(days) = 1024"),
	                 2);
	struct signal_run_stats st = run(ts.store, "2026-10-21", false);
	assert_int_equal(st.persons, 300); /* every person of the two spans */
	assert_true(count(ts.store, "SELECT MIN(earliest) FROM signal_check_spans") >
	            test_day("2026-10-21"));
	/* Nothing is due the day after: no one is visited. */
	st = run(ts.store, "2026-10-22", false);
	assert_int_equal(st.persons, 0);
	test_store_close(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_signals__rules_table), cmocka_unit_test(test_signals__wake_days),
	    cmocka_unit_test(test_signals__match),       cmocka_unit_test(test_signals__settings),
	    cmocka_unit_test(test_signals__lifecycle),
	    cmocka_unit_test(test_signals__threads_same_outcome),
	    cmocka_unit_test(test_signals__migration_0011_checks_to_spans),
	    cmocka_unit_test(test_signals__leap_day_birthday),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
