/* Reading a struct req and writing a struct resp: parameters, JSON bodies, errors. */
#include "http/api.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void resp_init(struct resp *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->status = 500;
	rs->content_type = "application/json";
	buf_init(&rs->body);
}

void resp_release(struct resp *rs)
{
	buf_release(&rs->body);
	for (size_t i = 0; i < rs->nheaders; i++) {
		free((char *)rs->headers[i].name);
		free((char *)rs->headers[i].value);
	}
	rs->nheaders = 0;
}

void resp_header(struct resp *rs, const char *name, const char *value)
{
	for (size_t i = 0; i < rs->nheaders; i++)
		if (strcasecmp(rs->headers[i].name, name) == 0) {
			free((char *)rs->headers[i].value);
			rs->headers[i].value = xstrdup(value);
			return;
		}
	/* The set of headers is fixed by this program, so running out is a bug. */
	if (rs->nheaders == HTTP_MAX_HEADERS) {
		log_error("http: more than %d response headers; dropped '%s'", HTTP_MAX_HEADERS,
			  name);
		return;
	}
	rs->headers[rs->nheaders].name = xstrdup(name);
	rs->headers[rs->nheaders].value = xstrdup(value);
	rs->nheaders++;
}

const char *resp_header_get(const struct resp *rs, const char *name)
{
	for (size_t i = 0; i < rs->nheaders; i++)
		if (strcasecmp(rs->headers[i].name, name) == 0)
			return rs->headers[i].value;
	return NULL;
}

const char *req_param(const struct req *rq, const char *name)
{
	for (size_t i = 0; i < rq->nparams; i++)
		if (strcmp(rq->params[i].name, name) == 0)
			return rq->params[i].value;
	return NULL;
}

const char *req_query(const struct req *rq, const char *name)
{
	for (size_t i = 0; i < rq->nquery; i++)
		if (strcmp(rq->query[i].name, name) == 0)
			return rq->query[i].value ? rq->query[i].value : "";
	return NULL;
}

int req_query_int64(const struct req *rq, const char *name, int64_t def, int64_t min,
		    int64_t max, int64_t *out, struct err *e)
{
	const char *v = req_query(rq, name);
	if (!v) {
		*out = def;
		return 0;
	}
	char *end = NULL;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || errno || n < min || n > max)
		return err_set(e, ERR_INVALID,
			       "query parameter %s: '%.40s' is not a whole number from %" PRId64
			       " to %" PRId64,
			       name, v, min, max);
	*out = n;
	return 0;
}

static int dump_to_buf(const char *data, size_t len, void *arg)
{
	buf_add(arg, data, len);
	return 0;
}

void resp_json(struct resp *rs, int status, json_t *value)
{
	rs->status = status;
	rs->content_type = "application/json";
	buf_reset(&rs->body);
	/* 15 significant digits: a coordinate read as 50.93237 is written so, not as
	 * 50.932369999999999. */
	size_t flags = JSON_COMPACT | JSON_REAL_PRECISION(15);
	if (!value || json_dump_callback(value, dump_to_buf, &rs->body, flags) < 0) {
		/* jansson fails only on a value it cannot encode (bad UTF-8 from a caller). */
		log_error("http: a response could not be encoded as JSON");
		rs->status = 500;
		buf_reset(&rs->body);
		buf_adds(&rs->body, "{\"error\":{\"code\":\"internal\",\"message\":"
				    "\"the response could not be encoded\"}}");
	}
	buf_addch(&rs->body, '\n');
	json_decref(value);
}

void resp_error(struct resp *rs, int status, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	resp_json(rs, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg));
}

void resp_fail(struct resp *rs, const struct err *e)
{
	int status = err_http_status(e);
	if (e->code == ERR_IO)
		rs->store_failed = true;
	if (status >= 500) {
		log_error("http: %s: %s", err_code_name(e->code), e->msg);
		resp_error(rs, status, err_code_name(e->code),
			   "the server could not answer; the reason is in its log");
		return;
	}
	resp_error(rs, status, err_code_name(e->code), "%s", e->msg);
}

json_t *json_text_or_null(const char *s)
{
	json_t *j = s && *s ? json_string(s) : NULL;
	return j ? j : json_null(); /* json_string refuses text that is not UTF-8 */
}
