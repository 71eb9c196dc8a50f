/*
 * The organisations of the region: schools, municipalities, care providers, employers, UWV,
 * the employer service point and DUO. No personal data.
 */
#include "http/api.h"
#include "registry/org.h"

#include <string.h>

/* "vmbo-b,vmbo-k" → ["vmbo-b", "vmbo-k"]; NULL or "" → []. */
static json_t *levels_json(const char *levels)
{
	json_t *a = json_array();
	for (const char *p = levels; p && *p;) {
		size_t n = strcspn(p, ",");
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n;
		if (*p == ',')
			p++;
	}
	return a;
}

static json_t *org_json(const struct organisation *o)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)o->id,
			 "kind", org_kind_name(o->kind), "ident", json_text_or_null(o->ident),
			 "name", json_text_or_null(o->name), "school_type",
			 json_text_or_null(o->school_type), "levels", levels_json(o->levels),
			 "municipality_code", json_text_or_null(o->municipality_code),
			 "created_at", json_text_or_null(o->created_at));
}

/*
 * GET /api/v1/organisations[?kind=school]
 *
 * All organisations, or those of one kind, ordered by kind and name.
 */
void api_orgs_list(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	const char *kind = req_query(rq, "kind");
	enum org_kind parsed;
	struct organisation *list = NULL;
	size_t n = 0;
	if (kind) {
		if (org_kind_parse(kind, &parsed, &e) < 0) {
			resp_fail(rs, &e);
			return;
		}
		kind = org_kind_name(parsed);
	}
	if (org_list(rq->store, kind, &list, &n, &e) < 0) {
		resp_fail(rs, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, org_json(&list[i]));
	resp_json(rs, 200,
		  json_pack("{s:o, s:I, s:o}", "kind", json_text_or_null(kind), "count",
			    (json_int_t)n, "organisations", items));
	org_free_array(list, n);
}

/*
 * GET /api/v1/organisations/{ref}
 *
 * One organisation by id, by "kind:ident" (school:12AB00) or by a bare identifier; 409 when
 * a bare identifier belongs to more than one kind.
 */
void api_orgs_get(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	struct organisation o;
	memset(&o, 0, sizeof(o));
	if (org_get(rq->store, req_param(rq, "ref"), &o, &e) < 0) {
		resp_fail(rs, &e);
		return;
	}
	resp_json(rs, 200, org_json(&o));
	org_release(&o);
}
