/*
 * GET /api/v1/regions[?rmc=MC39][&year=2023]
 *
 * The municipalities of a year (the latest loaded by default) with their RMC region,
 * labour-market region and province, ordered by name; ?rmc= keeps those of one RMC region.
 */
#include "http/api.h"
#include "registry/ident.h"
#include "registry/region.h"

/* {"code": …, "name": …} of a region, or null when the municipality has none. */
static json_t *region_json(const char *code, const char *name)
{
	if (!code || !*code)
		return json_null();
	return json_pack("{s:s, s:o}", "code", code, "name", json_text_or_null(name));
}

static json_t *municipality_json(const struct municipality *m)
{
	return json_pack("{s:s, s:o, s:i, s:o, s:o, s:o, s:o, s:o}", "code", m->code, "name",
			 json_text_or_null(m->name), "year", m->year, "rmc",
			 region_json(m->rmc_code, m->rmc_name), "labour_market_region",
			 region_json(m->labour_code, m->labour_name), "province",
			 region_json(m->province_code, m->province_name), "lat",
			 m->has_point ? json_real(m->lat) : json_null(), "lon",
			 m->has_point ? json_real(m->lon) : json_null());
}

void api_regions_list(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	char rmc[REGION_CODE_SIZE];
	const char *rmc_arg = req_query(rq, "rmc");
	int64_t year;
	struct municipality *list = NULL;
	size_t n = 0;
	if (req_query_int64(rq, "year", 0, 1800, 2999, &year, &e) < 0 ||
	    (rmc_arg && ident_region_code(rmc_arg, "MC", "rmc", rmc, &e) < 0) ||
	    region_list(rq->store, (int)year, rmc_arg ? rmc : NULL, &list, &n, &e) < 0) {
		resp_fail(rs, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, municipality_json(&list[i]));
	json_t *shown_year = n ? json_integer(list[0].year)
			       : (year ? json_integer(year) : json_null());
	resp_json(rs, 200,
		  json_pack("{s:o, s:o, s:I, s:o}", "year", shown_year, "rmc",
			    json_text_or_null(rmc_arg ? rmc : NULL), "count", (json_int_t)n,
			    "municipalities", items));
	municipality_free_array(list, n);
}
