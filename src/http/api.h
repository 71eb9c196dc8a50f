/*
 * Inside src/http/: the route handlers (one api-<resource>.c per resource, each handler
 * headed by its route) and the helpers they share for reading a request and writing a JSON
 * response. Nothing here knows about libmicrohttpd.
 */
#ifndef HTTP_API_H
#define HTTP_API_H

#include <jansson.h>
#include <stdint.h>

#include "http/http.h"

/* A handler answers one request; it never fails, every problem becomes a status. */
typedef void http_handler(struct req *rq, struct resp *rs);

/* The path parameter `name` of the matched route, or NULL. */
const char *req_param(const struct req *rq, const char *name);

/* The first query parameter `name` ("" for "?name" without a value), or NULL. */
const char *req_query(const struct req *rq, const char *name);

/*
 * The query parameter `name` as a whole number in [min, max], or `def` when absent.
 * ERR_INVALID naming the parameter, the value and the range otherwise.
 */
int req_query_int64(const struct req *rq, const char *name, int64_t def, int64_t min,
		    int64_t max, int64_t *out, struct err *e);

/* Answer `status` with `value` as compact JSON; takes ownership of `value`. */
void resp_json(struct resp *rs, int status, json_t *value);

/* Answer `status` with {"error": {"code": code, "message": …}}. */
void resp_error(struct resp *rs, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Answer an error value: the status from err_http_status and its code name. The message of
 * a server-side failure (5xx) goes to the log, the client gets a generic one; an I/O error
 * marks the store as failed so that the server replaces it.
 */
void resp_fail(struct resp *rs, const struct err *e);

/* A JSON string, or null for NULL and "" (jansson takes a copy). */
json_t *json_text_or_null(const char *s);

http_handler api_healthz;
http_handler api_version;
http_handler api_regions_list;
http_handler api_orgs_list;
http_handler api_orgs_get;
http_handler api_persons_list;
http_handler api_persons_get;
http_handler api_persons_status;
http_handler api_persons_timeline;
http_handler api_persons_break_glass;
http_handler api_signals_list;
http_handler api_session_login;
http_handler api_session_get;
http_handler api_session_logout;
http_handler api_users_list;
http_handler api_users_add;
http_handler api_knowledge_themes;
http_handler api_knowledge_theme;
http_handler api_knowledge_practices;
http_handler api_knowledge_practice;
http_handler api_knowledge_faqs;
http_handler api_knowledge_search;
http_handler api_feeds_post;

#endif
