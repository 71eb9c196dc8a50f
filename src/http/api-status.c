/*
 * A young person's status on a date (status/status.h) and their timeline (feeds/feeds.h).
 * The need-to-know decision (access/decide.h) is made by status_load and feed_timeline under
 * the request's identity; a key that does not exist or may not be seen gets the same 404, a
 * role that may not have the data 403. A role without care details gets neither the care
 * records and events nor the youth care and Wmo facts.
 */
#include "feeds/feeds.h"
#include "http/api.h"
#include "registry/ident.h"
#include "status/status.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool key_form(const char *key)
{
	if (!key || strlen(key) != PSEUDONYM_HEX_SIZE - 1)
		return false;
	for (const char *p = key; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return false;
	return true;
}

/*
 * GET /api/v1/persons/{key}/status[?on=YYYY-MM-DD]
 *
 * The situation on `on` (default today) with the records it was derived from.
 */
void api_persons_status(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	char key[PSEUDONYM_HEX_SIZE];
	const char *arg = req_param(rq, "key");
	const char *on_in = req_query(rq, "on");
	date_t on = date_today();
	if (on_in && date_parse(on_in, &on, &e) < 0) {
		resp_error(rs, 400, "invalid", "on: %s", e.msg);
		return;
	}
	if (!key_form(arg)) {
		resp_error(rs, 404, "not_found", "no such person");
		return;
	}
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (char)tolower((unsigned char)arg[i]);
	struct timeline t;
	struct status st;
	timeline_init(&t);
	if (status_get(rq->store, &rq->who, key, on, &t, &st, &e) < 0) {
		if (e.code == ERR_NOTFOUND)
			resp_error(rs, 404, "not_found", "no such person");
		else
			resp_fail(rs, &e);
		timeline_release(&t);
		return;
	}
	char *text = status_to_json(&st, &t);
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	timeline_release(&t);
	json_object_set_new(j, "key", json_string(key));
	resp_json(rs, 200, j);
}

static json_t *event_json(const struct feed_event *ev)
{
	json_t *detail = ev->detail ? json_loads(ev->detail, 0, NULL) : NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "date", ev->date, "kind",
	                 ev->kind, "feed", ev->feed, "source", ev->source, "org",
	                 json_text_or_null(ev->org), "code", json_text_or_null(ev->code), "detail",
	                 detail ? detail : json_null());
}

/*
 * GET /api/v1/persons/{key}/timeline
 *
 * The events of the person in date order (an audited read), as `inbeeld timeline` shows
 * them; codes only, never a name or a BSN.
 */
void api_persons_timeline(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	char key[PSEUDONYM_HEX_SIZE];
	const char *arg = req_param(rq, "key");
	if (!key_form(arg)) {
		resp_error(rs, 404, "not_found", "no such person");
		return;
	}
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (char)tolower((unsigned char)arg[i]);
	struct feed_event *ev;
	size_t n;
	if (feed_timeline(rq->store, &rq->who, key, &ev, &n, &e) < 0) {
		if (e.code == ERR_NOTFOUND)
			resp_error(rs, 404, "not_found", "no such person");
		else
			resp_fail(rs, &e);
		return;
	}
	json_t *events = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(events, event_json(&ev[i]));
	feed_events_free(ev, n);
	resp_json(rs, 200, json_pack("{s:s, s:I, s:o}", "key", key, "count", (json_int_t)n,
	                             "events", events));
}
