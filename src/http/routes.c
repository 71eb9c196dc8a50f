/*
 * The routes of the HTTP front end, as one static table, and the dispatcher that answers a
 * request from it: authentication (auth.c), 404 and 405, allowed query parameters, the
 * role a route asks for, the CSRF check, the security
 * headers that every response carries. Also what the access log may show of a path.
 */
#include "access/decide.h"
#include "accounts/roles.h"
#include "audit/audit.h"
#include "http/api.h"
#include "http/auth.h"
#include "ui/ui.h"
#include "registry/ident.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * What a route needs. A route with neither ROUTE_TOKEN nor ROUTE_SESSION is public (or
 * checks a credential of its own, as the feed route does with feed tokens); with both,
 * either will do. A request authenticated by a session must carry the CSRF token when its
 * method changes state (auth.h). docs/access.md lists the routes and what they need.
 */
enum {
	ROUTE_TOKEN = 1,    /* takes "Authorization: Bearer <token>" (the server's token) */
	ROUTE_STORE = 2,    /* needs the store: 503 when this worker has none */
	ROUTE_SESSION = 4,  /* takes a user's session cookie */
	ROUTE_PERSONS = 8,  /* a session whose roles work with persons (403 for policy, admin,
			     * auditor, editor alone); the need-to-know rule decides per person */
	ROUTE_ADMIN = 16,   /* a session with the admin role (403 otherwise) */
};

struct route {
	const char *method;
	const char *pattern; /* "/api/v1/persons/{key}": a {name} matches one segment */
	http_handler *handler;
	unsigned flags;
	const char *query; /* the query parameters it takes, comma-separated, or NULL */
};

static const struct route routes[] = {
	{"GET", "/healthz", api_healthz, 0, NULL}, /* answers 503 itself without a store */
	{"GET", "/api/v1/version", api_version, 0, NULL},
	/* Accounts and sessions (api-session.c, api-users.c). */
	{"POST", "/api/v1/session", api_session_login, ROUTE_STORE, NULL},
	{"GET", "/api/v1/session", api_session_get, ROUTE_SESSION | ROUTE_STORE, NULL},
	{"DELETE", "/api/v1/session", api_session_logout, ROUTE_SESSION | ROUTE_STORE, NULL},
	{"GET", "/api/v1/users", api_users_list, ROUTE_SESSION | ROUTE_ADMIN | ROUTE_STORE, NULL},
	{"POST", "/api/v1/users", api_users_add, ROUTE_SESSION | ROUTE_ADMIN | ROUTE_STORE, NULL},
	/* Reference data: a user's session, or the server's token for scripts. */
	{"GET", "/api/v1/regions", api_regions_list, ROUTE_TOKEN | ROUTE_SESSION | ROUTE_STORE,
	 "rmc,year"},
	{"GET", "/api/v1/organisations", api_orgs_list, ROUTE_TOKEN | ROUTE_SESSION | ROUTE_STORE,
	 "kind"},
	{"GET", "/api/v1/organisations/{ref}", api_orgs_get,
	 ROUTE_TOKEN | ROUTE_SESSION | ROUTE_STORE, NULL},
	/* Young people: a user's session only, never the token. */
	{"GET", "/api/v1/persons", api_persons_list, ROUTE_SESSION | ROUTE_PERSONS | ROUTE_STORE,
	 "limit,offset"},
	{"GET", "/api/v1/persons/{key}", api_persons_get,
	 ROUTE_SESSION | ROUTE_PERSONS | ROUTE_STORE, NULL},
	{"GET", "/api/v1/persons/{key}/status", api_persons_status,
	 ROUTE_SESSION | ROUTE_PERSONS | ROUTE_STORE, "on"},
	{"GET", "/api/v1/persons/{key}/timeline", api_persons_timeline,
	 ROUTE_SESSION | ROUTE_PERSONS | ROUTE_STORE, NULL},
	{"POST", "/api/v1/persons/{key}/break-glass", api_persons_break_glass,
	 ROUTE_SESSION | ROUTE_PERSONS | ROUTE_STORE, NULL},
	{"GET", "/api/v1/signals", api_signals_list, ROUTE_SESSION | ROUTE_PERSONS | ROUTE_STORE,
	 "rule,open,limit,offset"},
	/* Feeds posted by partners' systems: a feed token, checked by the handler. */
	{"POST", "/api/v1/feeds/{feed}", api_feeds_post, ROUTE_STORE, "mode,as_of,source"},
	/* The knowledge platform: public, no token. */
	{"GET", "/api/v1/knowledge/themes", api_knowledge_themes, ROUTE_STORE, NULL},
	{"GET", "/api/v1/knowledge/themes/{slug}", api_knowledge_theme, ROUTE_STORE, NULL},
	{"GET", "/api/v1/knowledge/practices", api_knowledge_practices, ROUTE_STORE,
	 "theme,target_group"},
	{"GET", "/api/v1/knowledge/practices/{slug}", api_knowledge_practice, ROUTE_STORE, NULL},
	{"GET", "/api/v1/knowledge/faqs", api_knowledge_faqs, ROUTE_STORE, "theme"},
	{"GET", "/api/v1/knowledge/search", api_knowledge_search, ROUTE_STORE,
	 "q,theme,target_group,region,kind,lang,limit,offset"},
	/* The web UI (src/ui/): pages for people, public. */
	{"GET", "/", ui_home, 0, "lang"},
	{"GET", "/kennis", ui_kennis_themes, ROUTE_STORE, "lang"},
	{"GET", "/kennis/thema/{slug}", ui_kennis_theme, ROUTE_STORE, "lang"},
	{"GET", "/kennis/praktijk/{slug}", ui_kennis_practice, ROUTE_STORE, "lang"},
	{"GET", "/kennis/vragen", ui_kennis_faq, ROUTE_STORE, "thema,lang"},
	{"GET", "/kennis/zoeken", ui_kennis_search, ROUTE_STORE, "q,thema,doelgroep,lang"},
	{"GET", "/inloggen", ui_sign_in, ROUTE_STORE, "terug,lang"},
	{"POST", "/inloggen", ui_sign_in_post, ROUTE_STORE, NULL},
	{"POST", "/uitloggen", ui_sign_out, ROUTE_SESSION | ROUTE_STORE, NULL},
	{"GET", "/forum", ui_forum, ROUTE_SESSION | ROUTE_STORE, "thema,lang"},
	{"POST", "/forum", ui_forum_start, ROUTE_SESSION | ROUTE_STORE, NULL},
	{"GET", "/forum/{id}", ui_forum_thread, ROUTE_SESSION | ROUTE_STORE, "gemeld,lang"},
	{"POST", "/forum/{id}/reacties", ui_forum_reply, ROUTE_SESSION | ROUTE_STORE, NULL},
	{"POST", "/forum/{id}/melden", ui_forum_report, ROUTE_SESSION | ROUTE_STORE, NULL},
	{"GET", "/scan", ui_scans, ROUTE_SESSION | ROUTE_STORE, "lang"},
	{"POST", "/scan", ui_scan_create, ROUTE_SESSION | ROUTE_STORE, NULL},
	{"GET", "/scan/{id}", ui_scan, ROUTE_SESSION | ROUTE_STORE, "lang"},
	{"POST", "/scan/{id}", ui_scan_answer, ROUTE_SESSION | ROUTE_STORE, NULL},
	{"GET", "/scan/{id}/profiel", ui_scan_profile, ROUTE_SESSION | ROUTE_STORE, "lang"},
	{"POST", "/scan/{id}/sluiten", ui_scan_close, ROUTE_SESSION | ROUTE_STORE, NULL},
	{"GET", "/kennis/praktijk/{slug}/bewerken", ui_edit_practice, ROUTE_SESSION | ROUTE_STORE,
	 "opgeslagen,lang"},
	{"POST", "/kennis/praktijk/{slug}/bewerken", ui_edit_practice_post,
	 ROUTE_SESSION | ROUTE_STORE, NULL},
	{"GET", "/static/{file}", ui_static, 0, "v"},
};

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/*
 * The JSON API is never framed, never rendered as a document and never cached: the most
 * restrictive policy holds for all of it.
 */
static const struct http_kv security_headers[] = {
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
	{"X-Frame-Options", "DENY"},
	{"Content-Security-Policy",
	 "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"},
};

/* A page of the web UI loads its script, style and images from this server only: no inline
 * script or style, no other origin (docs/ui.md). */
static const char page_csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
			       "img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
			       "base-uri 'none'";

void http_token_generate(char out[HTTP_TOKEN_HEX_SIZE])
{
	unsigned char raw[HTTP_TOKEN_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, HTTP_TOKEN_HEX_SIZE, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * Whether `path` fits `pattern`, segment by segment. With `rq`, the {name} segments are
 * copied into rq->param_buf and listed in rq->params.
 */
static bool route_match(const char *pattern, const char *path, struct req *rq)
{
	size_t used = 0;
	if (rq)
		rq->nparams = 0;
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		size_t plen = strcspn(pattern, "/"), slen = strcspn(path, "/");
		if (plen > 2 && pattern[0] == '{' && pattern[plen - 1] == '}') {
			if (slen == 0)
				return false;
			if (rq) {
				size_t nlen = plen - 2;
				if (rq->nparams == HTTP_MAX_PARAMS ||
				    used + nlen + slen + 2 > sizeof(rq->param_buf))
					return false;
				char *name = rq->param_buf + used;
				memcpy(name, pattern + 1, nlen);
				name[nlen] = '\0';
				char *value = name + nlen + 1;
				memcpy(value, path, slen);
				value[slen] = '\0';
				used += nlen + slen + 2;
				rq->params[rq->nparams].name = name;
				rq->params[rq->nparams].value = value;
				rq->nparams++;
			}
		} else if (plen != slen || strncmp(pattern, path, plen) != 0) {
			return false;
		}
		pattern += plen;
		path += slen;
	}
	return !*pattern && !*path;
}

/* Whether a route for `method` answers a request with `method`; HEAD is GET without body. */
static bool method_fits(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

/* Whether `name` is in the comma-separated `list`. */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* 400 for a query parameter the route does not take, so that a typo is not ignored. */
static bool unknown_query(const struct route *r, const struct req *rq, struct resp *rs)
{
	for (size_t i = 0; i < rq->nquery; i++) {
		if (listed(r->query, rq->query[i].name))
			continue;
		if (r->query)
			resp_error(rs, 400, "invalid",
				   "unknown query parameter '%.40s' (this route takes: %s)",
				   rq->query[i].name, r->query);
		else
			resp_error(rs, 400, "invalid",
				   "unknown query parameter '%.40s' (this route takes none)",
				   rq->query[i].name);
		return true;
	}
	return false;
}

static void answer_not_allowed(const struct req *rq, struct resp *rs)
{
	char allow[128] = "";
	size_t used = 0;
	for (size_t i = 0; i < NROUTES; i++) {
		if (!route_match(routes[i].pattern, rq->path, NULL))
			continue;
		used += (size_t)snprintf(allow + used, sizeof(allow) - used, "%s%s",
					 used ? ", " : "", routes[i].method);
		if (strcmp(routes[i].method, "GET") == 0)
			used += (size_t)snprintf(allow + used, sizeof(allow) - used, ", HEAD");
		if (used >= sizeof(allow))
			break;
	}
	resp_error(rs, 405, "method_not_allowed", "this route takes %s, not %.16s", allow,
		   rq->method);
	resp_header(rs, "Allow", allow);
}

static void add_security_headers(const struct req *rq, struct resp *rs)
{
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		resp_header(rs, security_headers[i].name, security_headers[i].value);
	if (strncmp(rs->content_type, "text/html", 9) == 0)
		resp_header(rs, "Content-Security-Policy", page_csp);
	if (starts_with(rq->path, "/api/") || strcmp(rq->path, "/healthz") == 0)
		resp_header(rs, "Cache-Control", "no-store");
}

static unsigned route_accepts(unsigned flags)
{
	return ((flags & ROUTE_TOKEN) ? HTTP_ACCEPT_TOKEN : 0) |
	       ((flags & ROUTE_SESSION) ? HTTP_ACCEPT_SESSION : 0);
}

/* 403 when the route asks for a role the caller lacks. */
static bool role_refused(const struct route *r, const struct req *rq, struct resp *rs)
{
	unsigned roles = rq->auth == HTTP_AUTH_SESSION ? rq->who.roles : 0;
	if ((r->flags & ROUTE_ADMIN) && !(roles & ROLE_ADMIN)) {
		resp_error(rs, 403, "forbidden", "this route is for administrators");
		return true;
	}
	if ((r->flags & ROUTE_PERSONS) &&
	    (rq->auth != HTTP_AUTH_SESSION || !access_sees_persons(&rq->who))) {
		resp_error(rs, 403, "forbidden",
			   "your roles do not give access to individual young people");
		return true;
	}
	return false;
}

/* Find the route, authenticate the caller, check the request, and run the handler. */
static void route_request(struct req *rq, struct resp *rs)
{
	const struct route *found = NULL;
	bool path_known = false;
	if (strlen(rq->path) < HTTP_PATH_MAX)
		for (size_t i = 0; i < NROUTES && !found; i++) {
			if (!route_match(routes[i].pattern, rq->path, NULL))
				continue;
			path_known = true;
			if (method_fits(routes[i].method, rq->method))
				found = &routes[i];
		}
	/* Below /api/ authentication comes first, so that a caller without credentials
	 * learns nothing about which routes exist. */
	unsigned accepts = found ? route_accepts(found->flags)
				 : starts_with(rq->path, "/api/")
					   ? HTTP_ACCEPT_TOKEN | HTTP_ACCEPT_SESSION
					   : 0;
	if (accepts && !http_authenticate(rq, rs, accepts)) {
		/* A page asked for without a session leads to the sign-in page. */
		if (found && !starts_with(rq->path, "/api/") && method_fits("GET", rq->method))
			ui_sign_in_needed(rq, rs);
		return;
	}
	if (rq->body_too_large) {
		resp_error(rs, 413, "payload_too_large", "the request body exceeds %d bytes",
			   HTTP_BODY_MAX);
		return;
	}
	if (!found) {
		if (path_known)
			answer_not_allowed(rq, rs);
		else if (!starts_with(rq->path, "/api/") && method_fits("GET", rq->method))
			ui_not_found(rq, rs);
		else
			resp_error(rs, 404, "not_found", "no such route (see docs/api.md)");
		return;
	}
	if (unknown_query(found, rq, rs))
		return;
	if ((found->flags & ROUTE_STORE) && !rq->store) {
		resp_error(rs, 503, "unavailable", "the store does not answer");
		return;
	}
	if (!http_csrf_ok(rq)) {
		resp_error(rs, 403, "forbidden",
			   "a request that changes something needs the session's CSRF token in "
			   "the X-CSRF-Token header (GET /api/v1/session gives it)");
		return;
	}
	if (role_refused(found, rq, rs))
		return;
	route_match(found->pattern, rq->path, rq);
	/* A person route that reads, while the server collects the audit entries of reads for
	 * its group commit: the whole request in one read transaction, so that the decision
	 * and the read see one state and SQLite takes its locks once, not per statement. Such
	 * routes write nothing of their own (the entries go to the writer). */
	bool one_read = (found->flags & ROUTE_PERSONS) && strcmp(found->method, "GET") == 0 &&
			audit_collecting();
	struct err e = ERR_INIT;
	if (one_read && store_begin_read(rq->store, &e) < 0) {
		resp_fail(rs, &e);
		return;
	}
	found->handler(rq, rs);
	if (one_read)
		store_rollback(rq->store); /* a read: nothing to keep */
}

void http_dispatch(struct req *rq, struct resp *rs)
{
	route_request(rq, rs);
	add_security_headers(rq, rs);
}

static bool all_of(const char *s, size_t n, int (*is)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!is((unsigned char)s[i]))
			return false;
	return true;
}

/* Append `n` bytes of a path segment with control characters (a log line's end) as '?'. */
static void add_printable(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addch(out, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i]);
}

void http_log_path(const char *path, struct buf *out)
{
	enum { LOG_PATH_MAX = 200 };
	size_t shown = 0;
	while (*path) {
		size_t n = strcspn(path, "/");
		if (n >= 16 && all_of(path, n, isxdigit)) {
			buf_add(out, path, 8);
			buf_adds(out, "…");
		} else if ((n == 8 || n == 9) && all_of(path, n, isdigit)) {
			char masked[BSN_MASKED_SIZE], digits[10];
			memcpy(digits, path, n);
			digits[n] = '\0';
			ident_mask_bsn(digits, masked);
			buf_adds(out, masked);
		} else if (shown + n > LOG_PATH_MAX) {
			add_printable(out, path, LOG_PATH_MAX - shown);
			buf_adds(out, "…");
			return;
		} else {
			add_printable(out, path, n);
		}
		shown += n + 1;
		path += n;
		if (*path == '/') {
			buf_addch(out, '/');
			path++;
		}
		if (shown > LOG_PATH_MAX && *path) {
			buf_adds(out, "…");
			return;
		}
	}
}
