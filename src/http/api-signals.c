/*
 * The signals inbox of the logged-in user's organisation: only the signals addressed to
 * that organisation, for a role the user holds (docs/signals.md). A user without an
 * organisation has no inbox.
 */
#include "http/api.h"
#include "signals/signals.h"

#include <string.h>

enum { SIGNALS_PAGE_DEFAULT = 100, SIGNALS_PAGE_MAX = 1000 };

static json_t *row_json(const struct signal_row *r)
{
	json_t *detail = json_loads(r->detail, 0, NULL);
	json_t *evidence = json_loads(r->evidence, 0, NULL);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:o, s:o}",
	                      "id", (json_int_t)r->id, "rule", r->rule, "person", r->pkey, "org",
	                      r->org, "role", r->role, "episode", r->episode, "state", r->state,
	                      "raised_on", r->raised_on, "due_on", r->due_on, "overdue", r->overdue,
	                      "reopened", r->reopened, "detail", detail ? detail : json_object(),
	                      "evidence", evidence ? evidence : json_array());
	json_object_set_new(o, "resolved_on", json_text_or_null(r->resolved_on));
	json_object_set_new(o, "reason", json_text_or_null(r->reason));
	return o;
}

/*
 * GET /api/v1/signals[?rule=R][&open=1][&limit=100][&offset=0]
 *
 * The signals of the user's organisation for the roles the user holds, newest first.
 */
void api_signals_list(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	int64_t limit, offset, open;
	const char *rule = req_query(rq, "rule");
	enum signal_rule r;
	/* The session gives the organisation as kind:ident. */
	const char *org = rq->who.organisation;
	const char *colon = org ? strchr(org, ':') : NULL;
	char kind[24];
	if (!colon || (size_t)(colon - org) >= sizeof(kind)) {
		resp_error(rs, 403, "forbidden", "signals go to organisations; this user has none");
		return;
	}
	if ((rule && signal_rule_parse(rule, &r, &e) < 0) ||
	    req_query_int64(rq, "limit", SIGNALS_PAGE_DEFAULT, 1, SIGNALS_PAGE_MAX, &limit, &e) <
	        0 ||
	    req_query_int64(rq, "offset", 0, 0, INT64_MAX, &offset, &e) < 0 ||
	    req_query_int64(rq, "open", 0, 0, 1, &open, &e) < 0) {
		resp_fail(rs, &e);
		return;
	}
	memcpy(kind, org, (size_t)(colon - org));
	kind[colon - org] = '\0';
	struct signal_filter f = {.org_kind = kind,
	                          .org_ident = colon + 1,
	                          .roles = rq->who.roles ? rq->who.roles : ~0u,
	                          .rule = rule,
	                          .open_only = open != 0,
	                          .today = date_today(),
	                          .limit = limit,
	                          .offset = offset};
	struct signal_row *rows;
	size_t n;
	if (signal_list(rq->store, &rq->who, &f, &rows, &n, &e) < 0) {
		resp_fail(rs, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, row_json(&rows[i]));
	signal_rows_free(rows, n);
	resp_json(rs, 200, json_pack("{s:I, s:o}", "count", (json_int_t)n, "signals", items));
}
