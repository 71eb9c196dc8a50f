/*
 * Calendar dates as day numbers (days since 1970-01-01, proleptic Gregorian), which are easy
 * to compare and subtract. The store keeps dates as ISO text ("2025-10-01"); these functions
 * convert. Dutch rules that depend on dates (ages, school years) live here too.
 */
#ifndef UTIL_DATE_H
#define UTIL_DATE_H

#include <stdbool.h>

#include "util/err.h"

typedef int date_t;

#define DATE_STR_SIZE 11 /* "YYYY-MM-DD" and NUL */

bool date_ymd_valid(int y, int m, int d);
date_t date_from_ymd(int y, int m, int d);
void date_to_ymd(date_t day, int *y, int *m, int *d);
int date_days_in_month(int y, int m);
bool date_is_leap(int y);

/*
 * Parse "2025-10-01" or the Dutch "01-10-2025" (also with '/' or '.'), nothing else.
 * On failure fills `e` with a message that quotes the text and returns -1.
 */
int date_parse(const char *s, date_t *out, struct err *e);

/* Write "YYYY-MM-DD" into out, which holds DATE_STR_SIZE bytes; returns out. */
char *date_format(date_t day, char *out);

/* Today in UTC, or the date in INBEELD_TODAY (YYYY-MM-DD) when set, so tests can fix it. */
date_t date_today(void);

/* The same day `n` months later (n may be negative), clamped to the month's last day. */
date_t date_add_months(date_t day, int n);

/*
 * Age in whole years on `on` of someone born on `birth`. A birthday on 29 February counts,
 * in a year without it, as reached on 1 March (docs/definitions.md).
 */
int date_age(date_t birth, date_t on);

/* The day on which someone born on `birth` reaches `years` (29 February → 1 March). */
date_t date_birthday(date_t birth, int years);

/*
 * The same with the reading of a 29 February birthday in a common year as a choice: on
 * 28 February when `feb28`, else on 1 March (definitions.leap_day_birthday; status.h has the
 * versions that take a region's settings).
 */
date_t date_birthday_leap(date_t birth, int years, bool feb28);
int date_age_leap(date_t birth, date_t on, bool feb28);

/* 1 August of the school year that contains `day` (school years run 1 August – 31 July). */
date_t date_school_year_start(date_t day);

#endif
