/*
 * Helpers for the unit tests of the HTTP front end: a fresh store with an app (keyring and
 * token), requests built as the server builds them, and the answer parsed as JSON. After
 * api_login the good credentials are the token and that user's session cookie.
 */
#ifndef TESTS_UNIT_APITEST_H
#define TESTS_UNIT_APITEST_H

#include "testutil.h"

#include <jansson.h>

#include "accounts/session.h"
#include "accounts/users.h"
#include "http/api.h"
#include "http/http.h"
#include "registry/org.h"

static struct test_store ts;
static struct http_app app;
static char bearer[16 + HTTP_TOKEN_HEX_SIZE];
static char api_cookie[32 + SESSION_TOKEN_HEX_SIZE]; /* "inbeeld_session=…" after api_login */
static char api_csrf[SESSION_TOKEN_HEX_SIZE];

static inline int api_setup(void **state)
{
	(void)state;
	test_store_open(&ts);
	app.keys = &ts.keys;
	http_token_generate(app.token);
	session_policy_default(&app.sessions);
	snprintf(bearer, sizeof(bearer), "Bearer %s", app.token);
	api_cookie[0] = api_csrf[0] = '\0';
	return 0;
}

/*
 * Add user `username` with `roles` (e.g. "leerplicht") at the municipality GM0935 (added
 * when missing) and log in; from then on make_req with good_auth() sends the session
 * cookie and CSRF token too.
 */
static inline void api_login(const char *username, const char *roles)
{
	struct err e = ERR_INIT;
	struct organisation org;
	struct access who;
	access_cli_operator(&who);
	if (org_get(ts.store, "municipality:GM0935", &org, &e) < 0) {
		const struct org_input in = {.kind = "municipality", .ident = "GM0935",
					     .name = "Maastricht"};
		if (org_add(ts.store, &in, &org, &e) < 0)
			fail_msg("org_add: %s", e.msg);
	}
	org_release(&org);
	struct user_input u = {.username = username, .organisation = "municipality:GM0935",
			       .password = "correct horse battery staple"};
	if (roles_parse(roles, &u.roles, &e) < 0 || user_add(ts.store, &who, &u, NULL, &e) < 0)
		fail_msg("user_add: %s", e.msg);
	enum login_outcome outcome;
	int64_t retry;
	struct session_info si;
	if (session_login(ts.store, &app.sessions, username, u.password, "127.0.0.1", &outcome,
			  &retry, &si, &e) < 0 || outcome != LOGIN_OK)
		fail_msg("login of %s failed: %s", username, e.msg);
	snprintf(api_cookie, sizeof(api_cookie), "inbeeld_session=%s", si.token);
	snprintf(api_csrf, sizeof(api_csrf), "%s", si.csrf);
}

static inline int api_teardown(void **state)
{
	(void)state;
	test_store_close(&ts);
	return 0;
}

/* "Authorization: Bearer <the right token>". */
static inline const char *good_auth(void)
{
	return bearer;
}

/* A request as the server would build it. */
static inline void make_req(struct req *rq, const char *method, const char *path,
			    const char *auth)
{
	memset(rq, 0, sizeof(*rq));
	rq->method = method;
	rq->path = path;
	rq->authorization = auth;
	if (auth && auth == bearer && api_cookie[0]) {
		rq->cookie = api_cookie;
		rq->csrf_token = api_csrf;
	}
	rq->client = "127.0.0.1";
	rq->store = ts.store;
	rq->app = &app;
}

/* Dispatch and parse the body as JSON; the caller decrefs the result and releases `rs`. */
static inline json_t *call(struct req *rq, struct resp *rs)
{
	resp_init(rs);
	http_dispatch(rq, rs);
	json_error_t jerr;
	json_t *j = json_loads(rs->body.data, 0, &jerr);
	if (!j)
		fail_msg("body is not JSON (%s): %s", jerr.text, rs->body.data);
	return j;
}

/* Dispatch a request for a page (not JSON); the caller releases `rs`. */
static inline void call_page(struct req *rq, struct resp *rs)
{
	resp_init(rs);
	http_dispatch(rq, rs);
}

/* GET `path` with the token and the query parameters `q` (n of them); expects `status`. */
static inline json_t *get_json(const char *path, const struct http_kv *q, size_t n, int status)
{
	struct req rq;
	struct resp rs;
	make_req(&rq, "GET", path, good_auth());
	rq.query = q;
	rq.nquery = n;
	json_t *j = call(&rq, &rs);
	if (rs.status != status)
		fail_msg("GET %s: expected %d, got %d: %s", path, status, rs.status, rs.body.data);
	resp_release(&rs);
	return j;
}

static inline const char *error_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

static inline const char *error_message(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "message"));
}

static inline const char *jstr(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

/* A file of the source tree (tests run from its top; INBEELD_SRC says where it is). */
static inline char *source_path(const char *rel)
{
	const char *src = getenv("INBEELD_SRC");
	return xasprintf("%s/%s", src && *src ? src : ".", rel);
}

#endif
