/*
 * Feeds over the API: a partner's system posts records of one feed as JSON, authorised by a
 * feed token (not the server's token, not a session) that is scoped to one source and one
 * feed (`inbeeld import token add`). The records go through the same engine and validation
 * as a file (src/feeds/): one transaction, all or nothing, errors per record and field.
 */
#include "feeds/feeds.h"
#include "http/api.h"
#include "signals/signals.h"
#include "util/log.h"

#include <string.h>
#include <strings.h>

/* The token after "Bearer ", or NULL. */
static const char *bearer(const struct req *rq)
{
	const char *h = rq->authorization;
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return *h ? h : NULL;
}

static json_t *errors_json(const struct feed_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nerrors; i++) {
		const struct feed_error *fe = &r->errors[i];
		json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:s}", "index",
		                                   (json_int_t)fe->line, "field",
		                                   json_text_or_null(fe->field), "value",
		                                   json_text_or_null(fe->value), "rule", fe->rule));
	}
	return a;
}

static json_t *result_json(const struct feed_result *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
	                 "import_id", (json_int_t)r->import_id, "feed", r->feed, "source",
	                 r->source, "mode", r->mode, "as_of", r->as_of, "sha256", r->hash, "status",
	                 r->status, "records", (json_int_t)r->rows, "new", (json_int_t)r->n_new,
	                 "changed", (json_int_t)r->n_changed, "ended", (json_int_t)r->n_ended,
	                 "unchanged", (json_int_t)r->n_unchanged, "rejected",
	                 (json_int_t)r->n_rejected);
}

/*
 * The records are in: the signal rules look at them at once, as after a file. Should the
 * run fail, the import stands and the next run picks the records up; the answer says so.
 */
static json_t *signals_json(struct store *s, const struct access *who)
{
	struct err e = ERR_INIT;
	struct signal_run_stats st;
	if (feed_signals_after(s, who, &st, &e) < 0) {
		log_warn("feeds: imported, but the signal rules did not run: %s", e.msg);
		return json_pack("{s:s}", "error", "the signal rules did not run; the next run "
		                                   "looks at these records");
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "persons", (json_int_t)st.persons, "raised",
	                 (json_int_t)st.raised, "resolved", (json_int_t)st.resolved, "reopened",
	                 (json_int_t)st.reopened, "open", (json_int_t)st.open);
}

/* 401 or 403 from the token check; true when the request may go on. */
static bool authorised(const struct req *rq, struct resp *rs, const char *feed,
                       char source[FEED_SOURCE_SIZE])
{
	struct err e = ERR_INIT;
	const char *token = bearer(rq);
	if (!token) {
		resp_error(rs, 401, "unauthorized",
		           "this route needs 'Authorization: Bearer <feed token>' (inbeeld import "
		           "token add)");
		resp_header(rs, "WWW-Authenticate", "Bearer realm=\"inbeeld feeds\"");
		return false;
	}
	if (feed_token_check(rq->store, token, feed, source, &e) == 0)
		return true;
	if (e.code == ERR_NOTFOUND) {
		resp_error(rs, 401, "unauthorized", "%s", e.msg);
		resp_header(rs, "WWW-Authenticate", "Bearer realm=\"inbeeld feeds\"");
	} else {
		resp_fail(rs, &e);
	}
	return false;
}

/*
 * POST /api/v1/feeds/{feed}[?mode=snapshot|delta][&as_of=YYYY-MM-DD][&source=kind:ident]
 *
 * A JSON array of records whose members are the feed's columns (docs/feeds.md). 200 with
 * the counts; 422 with the failing records by index and field (nothing imported); 401
 * without a valid feed token, 403 when the token is for another feed or source, 409 while
 * another import of the source runs.
 */
void api_feeds_post(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	const char *feed = req_param(rq, "feed");
	char source[FEED_SOURCE_SIZE], today[DATE_STR_SIZE];
	if (!feed_known(feed, NULL)) {
		resp_error(rs, 404, "not_found",
		           "no feed '%.20s' (residence, enrolments, diplomas, "
		           "absence, care, work)",
		           feed ? feed : "");
		return;
	}
	if (!authorised(rq, rs, feed, source))
		return;
	const char *asked = req_query(rq, "source");
	if (asked && strcmp(asked, source) != 0) {
		resp_error(rs, 403, "forbidden", "the feed token is for source %s", source);
		return;
	}
	struct access who;
	char actor[FEED_SOURCE_SIZE + 16];
	snprintf(actor, sizeof(actor), "feed-token:%s", source);
	memset(&who, 0, sizeof(who));
	who.actor = actor;
	who.organisation = source;
	who.role = "feed";
	who.client = rq->client ? rq->client : "unknown";
	who.reason = "feed delivery";
	struct feed_options o = {
	    .feed = feed,
	    .source = source,
	    .mode = req_query(rq, "mode"),
	    .as_of =
	        req_query(rq, "as_of") ? req_query(rq, "as_of") : date_format(date_today(), today),
	    .wait = false,
	};
	struct feed_result r;
	if (feed_import_json(rq->store, rq->app->keys, &who, &o, rq->body ? rq->body : "",
	                     rq->body_len, &r, &e) == 0) {
		json_t *body = result_json(&r);
		json_object_set_new(body, "signals", signals_json(rq->store, &who));
		resp_json(rs, 200, body);
	} else if (e.code == ERR_INVALID && r.nerrors) {
		json_t *body = json_pack("{s:{s:s, s:s}, s:o, s:I}", "error", "code", "invalid",
		                         "message", e.msg, "errors", errors_json(&r),
		                         "errors_total", (json_int_t)r.total_errors);
		resp_json(rs, 422, body);
	} else {
		resp_fail(rs, &e);
	}
	feed_result_release(&r);
}
