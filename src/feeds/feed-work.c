/*
 * The work feed (work and income, docs/feeds.md): jobs, benefits (Participatiewet, WW,
 * Wajong), the doelgroepenregister and dagbesteding, one row per period. Events:
 * job_started/job_ended, benefit_started/benefit_ended (with the kind) and
 * dagbesteding_started/dagbesteding_ended.
 */
#include "feeds/feed-internal.h"

#include <stdlib.h>
#include <string.h>

enum { C_BSN, C_KIND, C_KVK, C_START, C_END, C_HOURS, C_COUNT };

static const char *const columns[C_COUNT] = {
    "bsn", "kind", "employer_kvk", "start_date", "end_date", "hours_per_week",
};

#define REQUIRED (1u << C_BSN | 1u << C_KIND | 1u << C_START)

static const char *const kinds[] = {"employment",          "participatiewet", "ww", "wajong",
                                    "doelgroepenregister", "dagbesteding",    NULL};
enum { KIND_EMPLOYMENT = 0, KIND_DAGBESTEDING = 5 };

static void parse(struct feed_ctx *c)
{
	char kvk[KVK_SIZE] = "";
	date_t start, end;
	long hours = 0;
	feed_bsn(c, C_BSN);
	int kind = feed_code(c, C_KIND, true, kinds);
	if (kind == KIND_EMPLOYMENT) {
		if (feed_ident(c, C_KVK, true, ident_kvk, kvk) == 0)
			feed_org_exists(c, C_KVK, "employer", kvk);
	} else if (kind >= 0 && feed_val(c, C_KVK)) {
		feed_reject(c, C_KVK, "given for kind %s (rule: an employer only for employment)",
		            feed_val(c, C_KIND));
	}
	bool has_hours = kind == KIND_EMPLOYMENT || kind == KIND_DAGBESTEDING;
	if (has_hours)
		feed_int(c, C_HOURS, true, 1, 40, &hours);
	else if (kind >= 0 && feed_val(c, C_HOURS))
		feed_reject(c, C_HOURS,
		            "given for kind %s (rule: hours only for employment and "
		            "dagbesteding)",
		            feed_val(c, C_KIND));
	feed_date(c, C_START, true, DATE_NOT_FUTURE, &start);
	feed_date(c, C_END, false, DATE_ANY, &end);
	feed_date_order(c, C_END, start, end);
	if (c->nerrors)
		return;
	char s[DATE_STR_SIZE];
	buf_addf(&c->key, "%s|%s|%s", feed_val(c, C_KIND), kvk, feed_date_text(start, s));
	feed_json_begin(&c->content);
	feed_json_text(&c->content, "kind", feed_val(c, C_KIND));
	feed_json_text(&c->content, "employer_kvk", kvk);
	feed_json_date(&c->content, "start_date", start);
	feed_json_date(&c->content, "end_date", end);
	feed_json_int(&c->content, "hours_per_week", hours, has_hours);
	feed_json_end(&c->content);
	feed_set_validity(c, start, end);
}

static void kinds_of(const char *kind, const char **started, const char **ended_kind)
{
	if (strcmp(kind, "employment") == 0) {
		*started = "job_started";
		*ended_kind = "job_ended";
	} else if (strcmp(kind, "dagbesteding") == 0) {
		*started = "dagbesteding_started";
		*ended_kind = "dagbesteding_ended";
	} else {
		*started = "benefit_started";
		*ended_kind = "benefit_ended";
	}
}

static int record(struct feed_ctx *c, enum feed_change what, const char *old_content,
                  const char *old_valid_to, struct err *e)
{
	const char *started, *ended_kind;
	char detail[96];
	(void)old_content;
	kinds_of(feed_val(c, C_KIND), &started, &ended_kind);
	if (feed_val(c, C_HOURS))
		snprintf(detail, sizeof(detail), "\"kind\":\"%s\",\"hours_per_week\":%ld",
		         feed_val(c, C_KIND), strtol(feed_val(c, C_HOURS), NULL, 10));
	else
		snprintf(detail, sizeof(detail), "\"kind\":\"%s\"", feed_val(c, C_KIND));
	return feed_period_events(c, what, old_valid_to, started, ended_kind, feed_val(c, C_KVK),
	                          feed_val(c, C_KIND), detail, e);
}

static int ended(struct feed_ctx *c, const char *content, struct err *e)
{
	const char *started, *ended_kind;
	char kind[32], kvk[KVK_SIZE];
	feed_content_get(content, "kind", kind, sizeof(kind));
	feed_content_get(content, "employer_kvk", kvk, sizeof(kvk));
	kinds_of(kind, &started, &ended_kind);
	return feed_period_not_delivered(c, ended_kind, kvk, kind, e);
}

const struct feed_def feed_work = {
    .name = "work",
    .mode = FEED_SNAPSHOT,
    .columns = columns,
    .ncolumns = C_COUNT,
    .required = REQUIRED,
    .bsn_column = C_BSN,
    .key_has_person = true,
    .parse = parse,
    .record = record,
    .ended = ended,
};
