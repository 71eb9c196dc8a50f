/*
 * A young person's status on a date (status/status.h). The need-to-know decision
 * (access/decide.h) is made by the person module and by status_load under the request's
 * identity; a key that does not exist or may not be seen gets the same 404, a role that may
 * not have the data 403.
 */
#include "http/api.h"
#include "registry/ident.h"
#include "registry/person.h"
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
	struct person p;
	memset(&p, 0, sizeof(p));
	int rc = person_get(rq->store, rq->app->keys, &rq->who, key, false, &p, &e);
	person_release(&p);
	if (rc < 0) {
		if (e.code == ERR_NOTFOUND)
			resp_error(rs, 404, "not_found", "no such person");
		else
			resp_fail(rs, &e);
		return;
	}
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
