/*
 * Logging in and out (docs/access.md, "Accounts and sessions"). A login answers with the
 * session cookie and, in the body, the CSRF token that every state-changing request made
 * with the session must carry in X-CSRF-Token.
 */
#include "accounts/session.h"
#include "http/api.h"
#include "http/auth.h"
#include "registry/org.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static json_t *roles_json(unsigned roles)
{
	json_t *a = json_array();
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(a, json_string(role_name(1u << i)));
	return a;
}

static json_t *iso_time(int64_t t)
{
	char text[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(text);
}

/* The user, organisation and roles of a session, and its CSRF token and limits. */
static json_t *session_json(struct req *rq, const struct session_info *si)
{
	struct organisation org;
	struct err e = ERR_INIT;
	char ref[32];
	snprintf(ref, sizeof(ref), "id:%lld", (long long)si->organisation_id);
	json_t *o = json_pack("{s:I, s:s}", "id", (json_int_t)si->organisation_id, "ref",
			      si->organisation);
	if (org_get(rq->store, ref, &org, &e) == 0)
		json_object_set_new(o, "name", json_text_or_null(org.name));
	org_release(&org);
	return json_pack("{s:s, s:o, s:o, s:o, s:s, s:o, s:I}", "username", si->username,
			 "display_name", json_text_or_null(si->display_name), "organisation", o,
			 "roles", roles_json(si->roles), "csrf_token", si->csrf, "expires_at",
			 iso_time(si->expires_at), "idle_timeout_seconds",
			 (json_int_t)rq->app->sessions.idle_seconds);
}

static bool is_json(const struct req *rq)
{
	const char *ct = rq->content_type;
	return ct && strncasecmp(ct, "application/json", 16) == 0 &&
	       (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

/*
 * POST /api/v1/session   {"username": "…", "password": "…"}
 *
 * Log in. 200 with the session cookie and {username, display_name, organisation, roles,
 * csrf_token, expires_at, idle_timeout_seconds}; 401 "wrong user name or password" for an
 * unknown user, a wrong password and a disabled account alike; 429 with Retry-After while
 * the account is locked. The body must be JSON (415 otherwise), so that a form on another
 * site cannot log a browser in.
 */
void api_session_login(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	if (!is_json(rq)) {
		resp_error(rs, 415, "unsupported_media_type",
			   "log in with a JSON body (Content-Type: application/json)");
		return;
	}
	json_error_t jerr;
	json_t *body = rq->body ? json_loadb(rq->body, rq->body_len, 0, &jerr) : NULL;
	const char *username = json_string_value(json_object_get(body, "username"));
	const char *password = json_string_value(json_object_get(body, "password"));
	if (!username || !password) {
		resp_error(rs, 400, "invalid",
			   "the body must be a JSON object with the strings username and password");
		json_decref(body);
		return;
	}
	enum login_outcome outcome;
	int64_t retry_after;
	struct session_info si;
	int rc = session_login(rq->store, &rq->app->sessions, username, password, rq->client,
			       &outcome, &retry_after, &si, &e);
	json_decref(body);
	if (rc < 0) {
		resp_fail(rs, &e);
		return;
	}
	if (outcome == LOGIN_LOCKED) {
		char secs[24];
		snprintf(secs, sizeof(secs), "%lld", (long long)retry_after);
		resp_error(rs, 429, "locked",
			   "too many failed logins: the account is locked for %lld s",
			   (long long)retry_after);
		resp_header(rs, "Retry-After", secs);
		return;
	}
	if (outcome != LOGIN_OK) {
		resp_error(rs, 401, "unauthorized", "wrong user name or password");
		return;
	}
	http_set_session_cookie(rq, rs, si.token);
	resp_json(rs, 200, session_json(rq, &si));
	memset(&si, 0, sizeof(si));
}

/*
 * GET /api/v1/session
 *
 * The logged-in user: {username, display_name, organisation, roles, csrf_token,
 * expires_at, idle_timeout_seconds}.
 */
void api_session_get(struct req *rq, struct resp *rs)
{
	resp_json(rs, 200, session_json(rq, &rq->session));
}

/*
 * DELETE /api/v1/session   (X-CSRF-Token)
 *
 * Log out: the session ends at once and the cookie is cleared.
 */
void api_session_logout(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	if (session_logout(rq->store, &rq->who, rq->session.id, &e) < 0) {
		resp_fail(rs, &e);
		return;
	}
	http_set_session_cookie(rq, rs, NULL);
	resp_json(rs, 200, json_pack("{s:s}", "status", "logged_out"));
}
