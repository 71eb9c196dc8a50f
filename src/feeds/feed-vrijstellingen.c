/*
 * The vrijstellingen feed (the municipality's leerplicht administration, docs/feeds.md): one
 * row per vrijstelling from the Leerplichtwet granted to a young person, with its article
 * and period. Events: vrijstelling_started and vrijstelling_ended (a planned end after the
 * as-of date is marked planned). The signal rules for absoluut verzuim and thuiszitters
 * leave out whoever has a vrijstelling on the day (docs/signals.md).
 */
#include "feeds/feed-internal.h"

#include <string.h>

enum { C_BSN, C_ARTICLE, C_START, C_END, C_MUNICIPALITY, C_COUNT };

static const char *const columns[C_COUNT] = {
    "bsn", "article", "start_date", "end_date", "municipality_code",
};

#define REQUIRED (1u << C_BSN | 1u << C_ARTICLE | 1u << C_START | 1u << C_MUNICIPALITY)

/* docs/definitions.md, "Vrijstelling": the articles a vrijstelling is granted under. */
static const char *const articles[] = {"5a", "5b", "5c", "3a", "15", NULL};

static void parse(struct feed_ctx *c)
{
	char municipality[GEMEENTE_SIZE];
	date_t start, end;
	feed_bsn(c, C_BSN);
	feed_code(c, C_ARTICLE, true, articles);
	feed_date(c, C_START, true, DATE_NOT_FUTURE, &start);
	feed_date(c, C_END, false, DATE_ANY, &end);
	feed_date_order(c, C_END, start, end);
	feed_ident(c, C_MUNICIPALITY, true, ident_gemeente, municipality);
	if (c->nerrors)
		return;
	char s[DATE_STR_SIZE];
	buf_addf(&c->key, "%s|%s", feed_val(c, C_ARTICLE), feed_date_text(start, s));
	feed_json_begin(&c->content);
	feed_json_text(&c->content, "article", feed_val(c, C_ARTICLE));
	feed_json_text(&c->content, "municipality_code", municipality);
	feed_json_end(&c->content);
	feed_set_validity(c, start, end);
}

static int record(struct feed_ctx *c, enum feed_change what, const char *old_content,
                  const char *old_valid_to, struct err *e)
{
	char detail[64], municipality[GEMEENTE_SIZE];
	struct err ignored = ERR_INIT;
	(void)old_content;
	/* Validated by parse: "0935" is GM0935 here as in the record. */
	ident_gemeente(feed_val(c, C_MUNICIPALITY), "municipality_code", municipality, &ignored);
	snprintf(detail, sizeof(detail), "\"article\":\"%s\"", feed_val(c, C_ARTICLE));
	return feed_period_events(c, what, old_valid_to, "vrijstelling_started",
	                          "vrijstelling_ended", municipality, feed_val(c, C_ARTICLE), detail,
	                          e);
}

static int ended(struct feed_ctx *c, const char *content, struct err *e)
{
	char article[8], municipality[GEMEENTE_SIZE];
	feed_content_get(content, "article", article, sizeof(article));
	feed_content_get(content, "municipality_code", municipality, sizeof(municipality));
	return feed_period_not_delivered(c, "vrijstelling_ended", municipality, article, e);
}

const struct feed_def feed_vrijstellingen = {
    .name = "vrijstellingen",
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
