/*
 * User accounts, for administrators (docs/access.md, "Accounts and sessions"): the same
 * rules as `inbeeld user`, each change audited under the administrator's name. Passwords
 * and their hashes never leave the server.
 */
#include "accounts/roles.h"
#include "accounts/session.h"
#include "accounts/users.h"
#include "http/api.h"

#include <string.h>
#include <strings.h>

static json_t *user_json(const struct user *u)
{
	json_t *roles = json_array();
	for (int i = 0; i < ROLE_COUNT; i++)
		if (u->roles & (1u << i))
			json_array_append_new(roles, json_string(role_name(1u << i)));
	return json_pack("{s:I, s:s, s:o, s:{s:I, s:s, s:o}, s:o, s:b, s:b, s:o, s:o}", "id",
			 (json_int_t)u->id, "username", u->username, "display_name",
			 json_text_or_null(u->display_name), "organisation", "id",
			 (json_int_t)u->organisation_id, "ref", u->organisation, "name",
			 json_text_or_null(u->organisation_name), "roles", roles, "disabled",
			 u->disabled, "locked", u->locked_until > accounts_now(), "created_at",
			 json_text_or_null(u->created_at), "changed_at",
			 json_text_or_null(u->changed_at));
}

/*
 * GET /api/v1/users
 *
 * Every user, ordered by name: {count, users: [{id, username, display_name, organisation,
 * roles, disabled, locked, created_at, changed_at}]}.
 */
void api_users_list(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	struct user *list;
	size_t n;
	if (user_list(rq->store, &list, &n, &e) < 0) {
		resp_fail(rs, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, user_json(&list[i]));
	user_free_array(list, n);
	resp_json(rs, 200, json_pack("{s:I, s:o}", "count", (json_int_t)n, "users", items));
}

/* The roles of a request body: an array of names or one comma-separated string. */
static int body_roles(json_t *v, unsigned *roles, struct err *e)
{
	if (json_is_string(v))
		return roles_parse(json_string_value(v), roles, e);
	if (!json_is_array(v) || json_array_size(v) == 0)
		return err_set(e, ERR_INVALID, "roles: give an array of role names");
	*roles = 0;
	size_t i;
	json_t *r;
	json_array_foreach(v, i, r) {
		unsigned bit;
		if (!json_is_string(r))
			return err_set(e, ERR_INVALID, "roles: item %zu is not a string", i);
		if (role_parse(json_string_value(r), &bit, e) < 0)
			return -1;
		*roles |= bit;
	}
	return 0;
}

/*
 * POST /api/v1/users   {"username", "display_name"?, "organisation", "roles", "password"}
 * (X-CSRF-Token)
 *
 * Add a user: 201 with the user; 400 for a rule broken (the message names it), 404 for an
 * unknown organisation, 409 for a name in use.
 */
void api_users_add(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	const char *ct = rq->content_type;
	if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
		resp_error(rs, 415, "unsupported_media_type",
			   "send the user as JSON (Content-Type: application/json)");
		return;
	}
	json_error_t jerr;
	json_t *body = rq->body ? json_loadb(rq->body, rq->body_len, 0, &jerr) : NULL;
	if (!json_is_object(body)) {
		resp_error(rs, 400, "invalid", "the body must be a JSON object");
		json_decref(body);
		return;
	}
	struct user_input in = {
		.username = json_string_value(json_object_get(body, "username")),
		.display_name = json_string_value(json_object_get(body, "display_name")),
		.organisation = json_string_value(json_object_get(body, "organisation")),
		.password = json_string_value(json_object_get(body, "password")),
	};
	struct user u;
	memset(&u, 0, sizeof(u));
	if (body_roles(json_object_get(body, "roles"), &in.roles, &e) < 0 ||
	    user_add(rq->store, &rq->who, &in, &u, &e) < 0) {
		json_decref(body);
		resp_fail(rs, &e);
		return;
	}
	json_decref(body);
	resp_json(rs, 201, user_json(&u));
	user_release(&u);
}
