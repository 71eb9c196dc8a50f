/*
 * The absence feed (DUO's verzuimregister, docs/feeds.md), a delta: each row is one status
 * of one report. Events: absence_reported when a report arrives (status Geregistreerd), and
 * absence_status for each later status.
 */
#include "feeds/feed-internal.h"

#include <stdlib.h>
#include <string.h>

enum {
	C_REPORT,
	C_BSN,
	C_BRIN,
	C_VESTIGING,
	C_KIND,
	C_FROM,
	C_TO,
	C_HOURS,
	C_REPORTED,
	C_STATUS,
	C_STATUS_DATE,
	C_COUNT
};

static const char *const columns[C_COUNT] = {
    "report_id", "bsn",        "brin",        "vestiging", "kind",        "period_from",
    "period_to", "hours_lost", "reported_on", "status",    "status_date",
};

#define REQUIRED                                                                                   \
	(1u << C_REPORT | 1u << C_BSN | 1u << C_BRIN | 1u << C_VESTIGING | 1u << C_KIND |          \
	 1u << C_FROM | 1u << C_TO | 1u << C_HOURS | 1u << C_REPORTED | 1u << C_STATUS |           \
	 1u << C_STATUS_DATE)

static const char *const kinds[] = {"relatief", "absoluut", "luxe", "signaal", NULL};
enum { KIND_ABSOLUUT = 1 };

static const char *const statuses[] = {"Geregistreerd",
                                       "In behandeling",
                                       "Afgesloten",
                                       "Ingetrokken",
                                       "Ter kennisgeving aangenomen",
                                       NULL};

static void check_report_id(struct feed_ctx *c)
{
	const char *id = feed_val(c, C_REPORT);
	if (feed_required(c, C_REPORT) < 0)
		return;
	if (strlen(id) > 32)
		feed_reject(c, C_REPORT, "longer than 32 characters (rule: a report number)");
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= 'a' && *p <= 'z') || *p == '-' || *p == '/')) {
			feed_reject(c, C_REPORT,
			            "has a character other than letters, digits, - "
			            "and / (rule: a report number)");
			return;
		}
}

static void parse(struct feed_ctx *c)
{
	char school[BRIN_SIZE];
	date_t from, to, reported, status_day;
	long hours = 0;
	check_report_id(c);
	feed_bsn(c, C_BSN);
	int kind = feed_code(c, C_KIND, true, kinds);
	bool absoluut = kind == KIND_ABSOLUUT;
	feed_school(c, C_BRIN, C_VESTIGING, kind >= 0 && !absoluut, school);
	feed_date(c, C_FROM, true, DATE_NOT_FUTURE, &from);
	feed_date(c, C_TO, kind >= 0 && !absoluut, DATE_ANY, &to);
	feed_date_order(c, C_TO, from, to);
	feed_int(c, C_HOURS, kind >= 0 && !absoluut, 0, 10000, &hours);
	feed_date(c, C_REPORTED, true, DATE_NOT_FUTURE, &reported);
	feed_code(c, C_STATUS, true, statuses);
	feed_date(c, C_STATUS_DATE, true, DATE_NOT_FUTURE, &status_day);
	if (c->nerrors)
		return;
	if (reported < from)
		feed_reject(c, C_REPORTED,
		            "lies before period_from (rule: a report follows the "
		            "absence it reports)");
	if (status_day < reported)
		feed_reject(c, C_STATUS_DATE,
		            "lies before reported_on (rule: a status follows the "
		            "report)");
	if (c->nerrors)
		return;
	char s[DATE_STR_SIZE];
	buf_addf(&c->key, "%s|%s|%s", feed_val(c, C_REPORT), feed_date_text(status_day, s),
	         feed_val(c, C_STATUS));
	feed_json_begin(&c->content);
	feed_json_text(&c->content, "report_id", feed_val(c, C_REPORT));
	feed_json_text(&c->content, "school", school);
	feed_json_text(&c->content, "kind", feed_val(c, C_KIND));
	feed_json_date(&c->content, "period_from", from);
	feed_json_date(&c->content, "period_to", to);
	feed_json_int(&c->content, "hours_lost", hours, feed_val(c, C_HOURS) != NULL);
	feed_json_date(&c->content, "reported_on", reported);
	feed_json_text(&c->content, "status", feed_val(c, C_STATUS));
	feed_json_date(&c->content, "status_date", status_day);
	feed_json_end(&c->content);
	feed_set_validity(c, from, to);
}

static int record(struct feed_ctx *c, enum feed_change what, const char *old_content,
                  const char *old_valid_to, struct err *e)
{
	(void)old_content;
	(void)old_valid_to;
	if (what != FEED_NEW)
		return 0; /* a corrected row of a status already known */
	struct err ignored = ERR_INIT;
	char school[BRIN_SIZE] = "", joined[16];
	const char *status = feed_val(c, C_STATUS);
	date_t day;
	if (feed_val(c, C_BRIN) && feed_val(c, C_VESTIGING)) {
		snprintf(joined, sizeof(joined), "%.8s%s", feed_val(c, C_BRIN),
		         feed_val(c, C_VESTIGING));
		ident_brin(joined, "brin", school, &ignored);
	}
	if (strcmp(status, "Geregistreerd") == 0) {
		date_t from, to = DATE_NONE;
		struct buf d = BUF_INIT;
		date_parse(feed_val(c, C_REPORTED), &day, &ignored);
		date_parse(feed_val(c, C_FROM), &from, &ignored);
		if (feed_val(c, C_TO))
			date_parse(feed_val(c, C_TO), &to, &ignored);
		feed_json_begin(&d);
		feed_json_text(&d, "report_id", feed_val(c, C_REPORT));
		feed_json_date(&d, "period_from", from);
		feed_json_date(&d, "period_to", to);
		feed_json_int(&d, "hours_lost",
		              feed_val(c, C_HOURS) ? strtol(feed_val(c, C_HOURS), NULL, 10) : 0,
		              feed_val(c, C_HOURS) != NULL);
		feed_json_end(&d);
		int rc = feed_event(c, day, "absence_reported", school, feed_val(c, C_KIND), d.data,
		                    NULL, e);
		buf_release(&d);
		return rc;
	}
	date_parse(feed_val(c, C_STATUS_DATE), &day, &ignored);
	struct buf d = BUF_INIT;
	feed_json_begin(&d);
	feed_json_text(&d, "report_id", feed_val(c, C_REPORT));
	feed_json_text(&d, "kind", feed_val(c, C_KIND));
	feed_json_end(&d);
	int rc = feed_event(c, day, "absence_status", school, status, d.data, NULL, e);
	buf_release(&d);
	return rc;
}

const struct feed_def feed_absence = {
    .name = "absence",
    .mode = FEED_DELTA,
    .columns = columns,
    .ncolumns = C_COUNT,
    .required = REQUIRED,
    .bsn_column = C_BSN,
    .key_has_person = false,
    .parse = parse,
    .record = record,
};
