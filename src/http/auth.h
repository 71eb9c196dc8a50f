/*
 * Inside src/http/: request authentication (auth.c). Turns the credentials a request
 * carries — the session cookie of a person, or the server's bearer token for scripts —
 * into rq->auth and rq->who, checks the CSRF token of state-changing requests, and writes
 * the session cookie. docs/access.md ("Accounts and sessions") describes the rules.
 */
#ifndef HTTP_AUTH_H
#define HTTP_AUTH_H

#include <stdbool.h>

#include "http/http.h"

#define HTTP_SESSION_COOKIE "inbeeld_session"

/* Which credentials a route takes (route flags, routes.c). */
enum {
	HTTP_ACCEPT_TOKEN = 1,   /* the server's bearer token */
	HTTP_ACCEPT_SESSION = 2, /* a user's session cookie */
};

/*
 * Authenticate `rq` with one of the credentials `accepts` allows: the session cookie (looked
 * up in rq->store, which must be set when HTTP_ACCEPT_SESSION is given) or the bearer token.
 * On success sets rq->auth, rq->who (and rq->session) and returns true. Otherwise answers
 * 401 in `rs` — with the reason when a session was presented but is unknown, ended or
 * expired — and returns false; a store failure answers 500/503 and returns false.
 */
bool http_authenticate(struct req *rq, struct resp *rs, unsigned accepts);

/*
 * Whether a request authenticated by a session may change state: GET, HEAD and OPTIONS
 * always; any other method only with the session's CSRF token in X-CSRF-Token, or in the
 * form field csrf_token of an application/x-www-form-urlencoded body. Compared in constant
 * time. Requests not authenticated by a session pass.
 */
bool http_csrf_ok(const struct req *rq);

/* The value of cookie `name` in a Cookie header ("a=1; b=2"), copied into `out`. */
bool http_cookie_value(const char *header, const char *name, char *out, size_t size);

/*
 * Set the session cookie to `token` (HttpOnly, SameSite=Strict, Path=/, and Secure when the
 * request came over HTTPS); with `token` NULL, clear it (Max-Age=0).
 */
void http_set_session_cookie(const struct req *rq, struct resp *rs, const char *token);

#endif
