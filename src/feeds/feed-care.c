/*
 * The care feed (iJw/iWmo allocations, docs/feeds.md): one row per allocation of youth care
 * or social support. Events: care_started and care_ended (a planned end after the as-of
 * date is marked planned).
 */
#include "feeds/feed-internal.h"

#include <stdlib.h>
#include <string.h>

enum {
	C_ALLOCATION,
	C_BSN,
	C_AGB,
	C_LAW,
	C_CATEGORY,
	C_PRODUCT,
	C_START,
	C_END,
	C_MUNICIPALITY,
	C_COUNT
};

static const char *const columns[C_COUNT] = {
    "allocation_id", "bsn",      "provider_agb",      "law", "product_category", "product_code",
    "start_date",    "end_date", "municipality_code",
};

#define REQUIRED                                                                                   \
	(1u << C_ALLOCATION | 1u << C_BSN | 1u << C_AGB | 1u << C_LAW | 1u << C_CATEGORY |         \
	 1u << C_START | 1u << C_MUNICIPALITY)

static const char *const laws[] = {"jeugdwet", "wmo", NULL};

/* The national product categories: Jeugdwet 40–50, Wmo 01–18. */
static int check_category(struct feed_ctx *c, int law)
{
	const char *v = feed_val(c, C_CATEGORY);
	if (feed_required(c, C_CATEGORY) < 0)
		return -1;
	int n = (strlen(v) == 2 && v[0] >= '0' && v[0] <= '9' && v[1] >= '0' && v[1] <= '9')
	            ? atoi(v)
	            : -1;
	bool ok = law == 0 ? n >= 40 && n <= 50 : n >= 1 && n <= 18;
	if (law >= 0 && !ok)
		return feed_reject(c, C_CATEGORY,
		                   "unknown code (rule: a product category of the "
		                   "%s, %s)",
		                   laws[law], law == 0 ? "40 to 50" : "01 to 18");
	return 0;
}

static void check_allocation_id(struct feed_ctx *c)
{
	const char *id = feed_val(c, C_ALLOCATION);
	if (feed_required(c, C_ALLOCATION) < 0)
		return;
	if (strlen(id) > 32 || strpbrk(id, "|\"\\"))
		feed_reject(c, C_ALLOCATION,
		            "not an allocation number (rule: at most 32 "
		            "characters, no | or quotes)");
}

static void parse(struct feed_ctx *c)
{
	char agb[AGB_SIZE], municipality[GEMEENTE_SIZE];
	date_t start, end;
	check_allocation_id(c);
	feed_bsn(c, C_BSN);
	if (feed_ident(c, C_AGB, true, ident_agb, agb) == 0)
		feed_org_exists(c, C_AGB, "care", agb);
	int law = feed_code(c, C_LAW, true, laws);
	check_category(c, law);
	const char *product = feed_val(c, C_PRODUCT);
	const char *category = feed_val(c, C_CATEGORY);
	if (product && category && (strlen(product) != 5 || strncmp(product, category, 2) != 0))
		feed_reject(c, C_PRODUCT,
		            "not a product of category %s (rule: 5 characters "
		            "starting with the category)",
		            category);
	feed_date(c, C_START, true, DATE_NOT_FUTURE, &start);
	feed_date(c, C_END, false, DATE_ANY, &end);
	feed_date_order(c, C_END, start, end);
	feed_ident(c, C_MUNICIPALITY, true, ident_gemeente, municipality);
	if (c->nerrors)
		return;
	buf_adds(&c->key, feed_val(c, C_ALLOCATION));
	feed_json_begin(&c->content);
	feed_json_text(&c->content, "allocation_id", feed_val(c, C_ALLOCATION));
	feed_json_text(&c->content, "provider_agb", agb);
	feed_json_text(&c->content, "law", feed_val(c, C_LAW));
	feed_json_text(&c->content, "product_category", category);
	feed_json_text(&c->content, "product_code", product);
	feed_json_date(&c->content, "start_date", start);
	feed_json_date(&c->content, "end_date", end);
	feed_json_text(&c->content, "municipality_code", municipality);
	feed_json_end(&c->content);
	feed_set_validity(c, start, end);
}

static int record(struct feed_ctx *c, enum feed_change what, const char *old_content,
                  const char *old_valid_to, struct err *e)
{
	char detail[128];
	(void)old_content;
	snprintf(detail, sizeof(detail), "\"law\":\"%s\",\"product_category\":\"%s\"",
	         feed_val(c, C_LAW), feed_val(c, C_CATEGORY));
	return feed_period_events(c, what, old_valid_to, "care_started", "care_ended",
	                          feed_val(c, C_AGB), feed_val(c, C_CATEGORY), detail, e);
}

static int ended(struct feed_ctx *c, const char *content, struct err *e)
{
	char agb[AGB_SIZE], category[8];
	feed_content_get(content, "provider_agb", agb, sizeof(agb));
	feed_content_get(content, "product_category", category, sizeof(category));
	return feed_period_not_delivered(c, "care_ended", agb, category, e);
}

const struct feed_def feed_care = {
    .name = "care",
    .mode = FEED_SNAPSHOT,
    .columns = columns,
    .ncolumns = C_COUNT,
    .required = REQUIRED,
    .bsn_column = C_BSN,
    .key_has_person = false,
    .parse = parse,
    .record = record,
    .ended = ended,
};
