/*
 * Young people in the registry. The list shows no personal data (key, birth date,
 * municipality, postcode-4); one person shows the opened identifying data with the BSN
 * masked. Every read of personal data goes through the person module, which checks and
 * audits it under the acting identity of the request: the logged-in user (the route table
 * lets only a session with a role that works with persons reach these handlers).
 */
#include "access/decide.h"
#include "http/api.h"
#include "registry/ident.h"
#include "registry/person.h"

#include <ctype.h>
#include <string.h>

enum { PERSONS_PAGE_DEFAULT = 50, PERSONS_PAGE_MAX = 1000 };

static json_t *person_summary_json(const struct person *p)
{
	return json_pack("{s:s, s:b, s:o, s:o, s:o, s:o}", "key", p->pkey, "provisional",
			 p->provisional, "birth_date", json_text_or_null(p->birth_date),
			 "municipality_code", json_text_or_null(p->municipality_code), "postcode4",
			 json_text_or_null(p->postcode4), "merged_into",
			 json_text_or_null(p->merged_into_key));
}

/* The summary with the opened identifying data; the BSN only masked. */
static json_t *person_json(const struct person *p)
{
	json_t *j = person_summary_json(p);
	const struct person_pii *pii = &p->pii;
	char masked[BSN_MASKED_SIZE] = "";
	if (pii->bsn)
		ident_mask_bsn(pii->bsn, masked);
	json_object_set_new(j, "bsn_masked", json_text_or_null(masked));
	json_object_set_new(j, "given_names", json_text_or_null(pii->given_names));
	json_object_set_new(j, "surname_prefix", json_text_or_null(pii->surname_prefix));
	json_object_set_new(j, "surname", json_text_or_null(pii->surname));
	json_object_set_new(j, "street", json_text_or_null(pii->street));
	json_object_set_new(j, "house_number", json_text_or_null(pii->house_number));
	json_object_set_new(j, "postcode", json_text_or_null(pii->postcode));
	json_object_set_new(j, "city", json_text_or_null(pii->city));
	json_object_set_new(j, "phone", json_text_or_null(pii->phone));
	json_object_set_new(j, "email", json_text_or_null(pii->email));
	return j;
}

/*
 * GET /api/v1/persons[?limit=50][&offset=0]
 *
 * A page of the persons the user may see under the need-to-know rules (the same decision
 * as for one person, made for all), ordered by id, without identifying data; `total` counts
 * only those. Audited as one "person.list" entry.
 */
void api_persons_list(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	int64_t limit, offset, total = 0;
	struct person *list = NULL;
	size_t n = 0;
	if (req_query_int64(rq, "limit", PERSONS_PAGE_DEFAULT, 1, PERSONS_PAGE_MAX, &limit, &e) <
		    0 ||
	    req_query_int64(rq, "offset", 0, 0, INT64_MAX, &offset, &e) < 0 ||
	    person_list(rq->store, &rq->who, offset, limit, &list, &n, &total, &e) < 0) {
		resp_fail(rs, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, person_summary_json(&list[i]));
	resp_json(rs, 200,
		  json_pack("{s:I, s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "offset",
			    (json_int_t)offset, "limit", (json_int_t)limit, "count", (json_int_t)n,
			    "persons", items));
	person_free_array(list, n);
}

/* Whether `key` has the form of a person key: 64 hex digits (a pseudonym or random). */
static bool person_key_form(const char *key)
{
	size_t n = strlen(key);
	if (n != PSEUDONYM_HEX_SIZE - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)key[i]))
			return false;
	return true;
}

/* The same answer for a key that does not exist and one the caller may not see. */
static void answer_no_person(struct resp *rs)
{
	resp_error(rs, 404, "not_found", "no such person");
}

/*
 * GET /api/v1/persons/{key}
 *
 * One person with the identifying data opened (an audited read); the BSN is masked.
 */
void api_persons_get(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	char key[PSEUDONYM_HEX_SIZE];
	const char *arg = req_param(rq, "key");
	if (!person_key_form(arg)) {
		answer_no_person(rs);
		return;
	}
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (char)tolower((unsigned char)arg[i]);
	struct person p;
	memset(&p, 0, sizeof(p));
	if (person_get(rq->store, rq->app->keys, &rq->who, key, true, &p, &e) < 0) {
		if (e.code == ERR_NOTFOUND)
			answer_no_person(rs);
		else
			resp_fail(rs, &e);
		person_release(&p);
		return;
	}
	resp_json(rs, 200, person_json(&p));
	person_release(&p);
}

/*
 * POST /api/v1/persons/{key}/break-glass  {"reason": "…"}
 *
 * Break the glass: open a person outside the user's need-to-know rules for a limited time
 * (docs/access.md), with a reason; marked in the audit and listed for the privacy officer.
 * 201 with the end of the access; 404 for an unknown key; 400 without a reason.
 */
void api_persons_break_glass(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	char key[PSEUDONYM_HEX_SIZE], until[24];
	const char *arg = req_param(rq, "key");
	if (!person_key_form(arg)) {
		answer_no_person(rs);
		return;
	}
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (char)tolower((unsigned char)arg[i]);
	json_error_t jerr;
	json_t *body = rq->body ? json_loadb(rq->body, rq->body_len, 0, &jerr) : NULL;
	const char *reason = json_string_value(json_object_get(body, "reason"));
	if (!json_is_object(body) || !reason) {
		resp_error(rs, 400, "invalid", "the body must be a JSON object with a reason");
		json_decref(body);
		return;
	}
	if (access_break_glass(rq->store, &rq->who, key, reason, until, &e) < 0) {
		if (e.code == ERR_NOTFOUND)
			answer_no_person(rs);
		else
			resp_fail(rs, &e);
		json_decref(body);
		return;
	}
	json_decref(body);
	resp_json(rs, 201, json_pack("{s:s, s:s}", "key", key, "until", until));
}
