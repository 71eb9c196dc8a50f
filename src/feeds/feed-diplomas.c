/*
 * The diplomas feed (DUO's diploma register, docs/feeds.md): one row per diploma. Event:
 * diploma, with whether it is a startkwalificatie (havo, vwo, mbo-2, mbo-3, mbo-4).
 */
#include "feeds/feed-internal.h"

#include <string.h>

enum { C_BSN, C_QUALIFICATION, C_CREBO, C_DATE, C_BRIN, C_VESTIGING, C_COUNT };

static const char *const columns[C_COUNT] = {
    "bsn", "qualification", "crebo", "diploma_date", "brin", "vestiging",
};

#define REQUIRED                                                                                   \
	(1u << C_BSN | 1u << C_QUALIFICATION | 1u << C_DATE | 1u << C_BRIN | 1u << C_VESTIGING)

static const char *const qualifications[] = {"vmbo-b", "vmbo-k", "vmbo-t", "havo",  "vwo",
                                             "mbo-1",  "mbo-2",  "mbo-3",  "mbo-4", NULL};

/* docs/definitions.md: havo, vwo and mbo 2–4 are a startkwalificatie. */
static bool startkwalificatie(const char *q)
{
	return strcmp(q, "havo") == 0 || strcmp(q, "vwo") == 0 || strcmp(q, "mbo-2") == 0 ||
	       strcmp(q, "mbo-3") == 0 || strcmp(q, "mbo-4") == 0;
}

static void parse(struct feed_ctx *c)
{
	char school[BRIN_SIZE], crebo[CREBO_SIZE] = "";
	date_t day;
	feed_bsn(c, C_BSN);
	int q = feed_code(c, C_QUALIFICATION, true, qualifications);
	bool mbo = q >= 5;
	if (mbo)
		feed_ident(c, C_CREBO, true, ident_crebo, crebo);
	else if (q >= 0 && feed_val(c, C_CREBO))
		feed_reject(c, C_CREBO,
		            "given for %s (rule: a crebo only for an mbo qualification)",
		            feed_val(c, C_QUALIFICATION));
	feed_date(c, C_DATE, true, DATE_NOT_FUTURE, &day);
	feed_school(c, C_BRIN, C_VESTIGING, true, school);
	if (c->nerrors)
		return;
	char s[DATE_STR_SIZE];
	buf_addf(&c->key, "%s|%s|%s", feed_val(c, C_QUALIFICATION), crebo, feed_date_text(day, s));
	feed_json_begin(&c->content);
	feed_json_text(&c->content, "qualification", feed_val(c, C_QUALIFICATION));
	feed_json_text(&c->content, "crebo", crebo);
	feed_json_date(&c->content, "diploma_date", day);
	feed_json_text(&c->content, "school", school);
	feed_json_end(&c->content);
	feed_set_validity(c, day, DATE_NONE);
}

static int record(struct feed_ctx *c, enum feed_change what, const char *old_content,
                  const char *old_valid_to, struct err *e)
{
	(void)old_content;
	(void)old_valid_to;
	if (what != FEED_NEW)
		return 0; /* a corrected school or crebo is no new diploma */
	struct err ignored = ERR_INIT;
	date_t day;
	char school[BRIN_SIZE], joined[16], detail[96];
	const char *q = feed_val(c, C_QUALIFICATION);
	date_parse(feed_val(c, C_DATE), &day, &ignored);
	snprintf(joined, sizeof(joined), "%.8s%s", feed_val(c, C_BRIN), feed_val(c, C_VESTIGING));
	ident_brin(joined, "brin", school, &ignored);
	snprintf(detail, sizeof(detail), "{\"qualification\":\"%s\",\"startkwalificatie\":%s}", q,
	         startkwalificatie(q) ? "true" : "false");
	return feed_event(c, day, "diploma", school, q, detail, NULL, e);
}

const struct feed_def feed_diplomas = {
    .name = "diplomas",
    .mode = FEED_SNAPSHOT,
    .columns = columns,
    .ncolumns = C_COUNT,
    .required = REQUIRED,
    .bsn_column = C_BSN,
    .key_has_person = true,
    .parse = parse,
    .record = record,
};
