/*
 * Hand-written timelines for the unit tests of status, the signal rules and the monitor:
 * a date from its text, and a person's records from lines "feed|from|to|content" (to may be
 * empty), numbered 1, 2, … in their order. Include after testutil.h.
 */
#ifndef TEST_TIMELINE_H
#define TEST_TIMELINE_H

#include "status/status.h"
#include "util/date.h"

static inline date_t test_day(const char *s)
{
	date_t day;
	struct err e = ERR_INIT;
	if (date_parse(s, &day, &e) < 0)
		fail_msg("%s", e.msg);
	return day;
}

/* The timeline of someone born on `birth` (NULL: unknown) with the records of `rows`. */
static inline void test_timeline(struct timeline *t, const char *birth, const char *const *rows)
{
	struct err e = ERR_INIT;
	timeline_init(t);
	t->birth = birth ? test_day(birth) : DATE_UNKNOWN;
	for (int i = 0; rows[i]; i++) {
		char feed[16], from[12], to[12], content[300];
		from[0] = to[0] = '\0';
		if (sscanf(rows[i], "%15[^|]|%11[^|]|%11[^|]|%299[^\n]", feed, from, to, content) !=
		        4 &&
		    sscanf(rows[i], "%15[^|]|%11[^|]||%299[^\n]", feed, from, content) != 3)
			fail_msg("bad test row %s", rows[i]);
		if (timeline_add(t, i + 1, feed, content, from, to[0] ? to : NULL, &e) < 0)
			fail_msg("%s", e.msg);
	}
}

#endif
