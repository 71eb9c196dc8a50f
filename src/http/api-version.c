/*
 * GET /api/v1/version
 *
 * The release of this server, the API version and the schema version it knows; needs no
 * token, so that a client can check what it talks to before it has one.
 */
#include "http/api.h"
#include "version.h"

void api_version(struct req *rq, struct resp *rs)
{
	json_t *body = json_pack("{s:s, s:s}", "version", INBEELD_VERSION, "api", "v1");
	if (rq->store)
		json_object_set_new(body, "schema_version",
				    json_integer(store_known_version(rq->store)));
	resp_json(rs, 200, body);
}
