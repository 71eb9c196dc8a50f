/*
 * GET /healthz
 *
 * Whether this server can answer: the worker's store runs a trivial query. For a load
 * balancer or a script that waits for the server; needs no token and shows no data.
 */
#include "http/api.h"

static const char ping_sql[] = "SELECT 1";

void api_healthz(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	int64_t one = 0;
	const char *backend = rq->store ? store_backend_name(rq->store) : NULL;
	if (!rq->store || store_query_int64(rq->store, ping_sql, &one, &e) < 0 || one != 1) {
		rs->store_failed = rq->store != NULL;
		resp_json(rs, 503,
			  json_pack("{s:s, s:o, s:{s:s, s:s}}", "status", "unavailable", "backend",
				    json_text_or_null(backend), "error", "code", "unavailable",
				    "message", "the store does not answer"));
		return;
	}
	resp_json(rs, 200, json_pack("{s:s, s:s}", "status", "ok", "backend", backend));
}
