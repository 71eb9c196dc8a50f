/*
 * Request authentication (see auth.h): one function turns a request into the acting
 * identity, from the session cookie or the server's token, or answers 401.
 */
#include "http/auth.h"
#include "http/api.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool http_cookie_value(const char *header, const char *name, char *out, size_t size)
{
	size_t nlen = strlen(name);
	for (const char *p = header; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		size_t len = strcspn(p, ";");
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			size_t vlen = len - nlen - 1;
			while (vlen && p[nlen + 1 + vlen - 1] == ' ')
				vlen--;
			if (vlen >= size)
				return false;
			memcpy(out, p + nlen + 1, vlen);
			out[vlen] = '\0';
			return true;
		}
		p += len;
	}
	return false;
}

/* Whether the request carries the server's token; compared in constant time. */
static bool token_matches(const struct req *rq)
{
	const char *h = rq->authorization;
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	while (*h == ' ')
		h++;
	size_t n = strlen(h);
	while (n && h[n - 1] == ' ')
		n--;
	/* The length of the token is no secret; its digits are. */
	if (n != HTTP_TOKEN_HEX_SIZE - 1)
		return false;
	return sodium_memcmp(h, rq->app->token, n) == 0;
}

/*
 * The acting identity of a request made with the server's token: a script of the operator
 * who started the server, without a user account.
 */
static void token_access(struct req *rq)
{
	memset(&rq->who, 0, sizeof(rq->who));
	rq->who.actor = "api-token";
	rq->who.role = "operator";
	rq->who.client = rq->client ? rq->client : "unknown";
	rq->who.reason = "registry api";
	rq->auth = HTTP_AUTH_TOKEN;
}

static void answer_401(struct resp *rs, unsigned accepts, const char *why)
{
	static const char bearer[] = "Bearer realm=\"inbeeld\"";
	static const char cookie[] = "Cookie realm=\"inbeeld\" form-action=\"/api/v1/session\" "
				     "cookie-name=\"" HTTP_SESSION_COOKIE "\"";
	resp_error(rs, 401, "unauthorized", "%s", why);
	/* One header may list several challenges, comma-separated (RFC 9110, 11.6.1). */
	char both[sizeof(bearer) + sizeof(cookie) + 2];
	snprintf(both, sizeof(both), "%s, %s", bearer, cookie);
	if ((accepts & HTTP_ACCEPT_SESSION) && (accepts & HTTP_ACCEPT_TOKEN))
		resp_header(rs, "WWW-Authenticate", both);
	else
		resp_header(rs, "WWW-Authenticate",
			    (accepts & HTTP_ACCEPT_SESSION) ? cookie : bearer);
}

bool http_authenticate(struct req *rq, struct resp *rs, unsigned accepts)
{
	char token[SESSION_TOKEN_HEX_SIZE + 1];
	struct err e = ERR_INIT;
	const char *why = NULL;
	rq->auth = HTTP_AUTH_NONE;
	memset(&rq->who, 0, sizeof(rq->who));
	bool has_cookie = http_cookie_value(rq->cookie, HTTP_SESSION_COOKIE, token, sizeof(token));
	if ((accepts & HTTP_ACCEPT_SESSION) && has_cookie) {
		if (!rq->store) {
			resp_error(rs, 503, "unavailable", "the store does not answer");
			return false;
		}
		if (session_lookup(rq->store, &rq->app->sessions, token, &rq->session, &e) == 0) {
			session_access(&rq->session, rq->client, &rq->who);
			rq->auth = HTTP_AUTH_SESSION;
			sodium_memzero(token, sizeof(token));
			return true;
		}
		sodium_memzero(token, sizeof(token));
		if (e.code != ERR_NOTFOUND) {
			resp_fail(rs, &e);
			return false;
		}
		why = e.msg;
	}
	if ((accepts & HTTP_ACCEPT_TOKEN) && token_matches(rq)) {
		token_access(rq);
		return true;
	}
	if (!why) {
		if (accepts & HTTP_ACCEPT_SESSION)
			why = rq->authorization && (accepts & HTTP_ACCEPT_TOKEN)
				      ? "the bearer token does not match"
				      : "this route needs a session: log in with POST "
					"/api/v1/session";
		else
			why = rq->authorization ? "the bearer token does not match"
						: "this route needs 'Authorization: Bearer <token>' "
						  "with the token the server printed at start";
	}
	answer_401(rs, accepts, why);
	return false;
}

/* Decode one application/x-www-form-urlencoded value into `out`; false if too long or bad. */
static bool form_decode(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]))
				return false;
			char hex[3] = {s[i + 1], s[i + 2], '\0'};
			c = (char)strtoul(hex, NULL, 16);
			i += 2;
		}
		if (o + 1 >= size)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

/* The csrf_token field of a form body, copied into `out`. */
static bool form_csrf(const struct req *rq, char *out, size_t size)
{
	static const char name[] = "csrf_token=";
	if (!rq->content_type || !rq->body ||
	    strncasecmp(rq->content_type, "application/x-www-form-urlencoded", 33) != 0)
		return false;
	const char *p = rq->body, *end = rq->body + rq->body_len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p);
		if (len >= sizeof(name) - 1 && memcmp(p, name, sizeof(name) - 1) == 0)
			return form_decode(p + sizeof(name) - 1, len - (sizeof(name) - 1), out,
					   size);
		p += len + 1;
	}
	return false;
}

bool http_csrf_ok(const struct req *rq)
{
	if (rq->auth != HTTP_AUTH_SESSION)
		return true;
	if (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0 ||
	    strcmp(rq->method, "OPTIONS") == 0)
		return true;
	if (rq->csrf_token)
		return session_csrf_matches(&rq->session, rq->csrf_token);
	char field[SESSION_TOKEN_HEX_SIZE + 1];
	return form_csrf(rq, field, sizeof(field)) && session_csrf_matches(&rq->session, field);
}

void http_set_session_cookie(const struct req *rq, struct resp *rs, const char *token)
{
	char cookie[256];
	snprintf(cookie, sizeof(cookie), HTTP_SESSION_COOKIE "=%s; Path=/; HttpOnly; "
		 "SameSite=Strict%s%s",
		 token ? token : "", token ? "" : "; Max-Age=0", rq->tls ? "; Secure" : "");
	resp_header(rs, "Set-Cookie", cookie);
	sodium_memzero(cookie, sizeof(cookie));
}
