/*
 * Day-number arithmetic (see date.h). The civil-from-days conversions follow the well-known
 * era-based algorithm, which is exact over the whole proleptic Gregorian range used here.
 */
#include "util/date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && date_is_leap(y))
		return 29;
	return days[m - 1];
}

bool date_ymd_valid(int y, int m, int d)
{
	return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

date_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(date_t day, int *y, int *m, int *d)
{
	int z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool is_sep(char c)
{
	return c == '-' || c == '/' || c == '.';
}

/* The number `n` digits at `s` write (checked digits: no atoi in a loop over a file). */
static int digits_value(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int date_parse(const char *s, date_t *out, struct err *e)
{
	int y, m, d;
	size_t n = strlen(s);
	if (n == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) && s[7] == '-' &&
	    all_digits(s + 8, 2)) {
		y = digits_value(s, 4);
		m = digits_value(s + 5, 2);
		d = digits_value(s + 8, 2);
	} else if (n == 10 && all_digits(s, 2) && is_sep(s[2]) && all_digits(s + 3, 2) &&
		   s[5] == s[2] && all_digits(s + 6, 4)) {
		d = digits_value(s, 2);
		m = digits_value(s + 3, 2);
		y = digits_value(s + 6, 4);
	} else {
		return err_set(e, ERR_INVALID, "'%.40s' is not a date (expected YYYY-MM-DD or DD-MM-YYYY)",
			       s);
	}
	if (!date_ymd_valid(y, m, d))
		return err_set(e, ERR_INVALID, "'%.40s' is not a date of the calendar", s);
	*out = date_from_ymd(y, m, d);
	return 0;
}

char *date_format(date_t day, char *out)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	/* By hand rather than snprintf: the signal rules format dates by the million. */
	unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + um / 10);
	out[6] = (char)('0' + um % 10);
	out[7] = '-';
	out[8] = (char)('0' + ud / 10);
	out[9] = (char)('0' + ud % 10);
	out[10] = '\0';
	return out;
}

date_t date_today(void)
{
	const char *fixed = getenv("INBEELD_TODAY");
	date_t day;
	if (fixed && date_parse(fixed, &day, NULL) == 0)
		return day;
	return (date_t)(time(NULL) / 86400);
}

date_t date_add_months(date_t day, int n)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	int months = y * 12 + (m - 1) + n;
	y = months / 12;
	m = months % 12 + 1;
	int last = date_days_in_month(y, m);
	return date_from_ymd(y, m, d > last ? last : d);
}

date_t date_birthday_leap(date_t birth, int years, bool feb28)
{
	int y, m, d;
	date_to_ymd(birth, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !date_is_leap(y))
		return feb28 ? date_from_ymd(y, 2, 28) : date_from_ymd(y, 3, 1);
	return date_from_ymd(y, m, d);
}

int date_age_leap(date_t birth, date_t on, bool feb28)
{
	int by, bm, bd, y, m, d;
	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(on, &y, &m, &d);
	int age = y - by;
	if (on < date_birthday_leap(birth, age, feb28))
		age--;
	return age;
}

date_t date_birthday(date_t birth, int years)
{
	return date_birthday_leap(birth, years, false);
}

int date_age(date_t birth, date_t on)
{
	return date_age_leap(birth, on, false);
}

date_t date_school_year_start(date_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return date_from_ymd(m >= 8 ? y : y - 1, 8, 1);
}
