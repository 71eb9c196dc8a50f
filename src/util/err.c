/* Error values and their mapping to exit codes and HTTP statuses (see err.h). */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	if (!e)
		return -1;
	char head[256], old[sizeof(e->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	/* head ": " old, cut at the buffer's end (a long message loses its tail). */
	size_t cap = sizeof(e->msg) - 1, n = 0;
	for (const char *parts[] = {head, ": ", old}, **p = parts; p < parts + 3; p++) {
		size_t len = strnlen(*p, cap - n);
		memcpy(e->msg + n, *p, len);
		n += len;
	}
	e->msg[n] = '\0';
	return -1;
}

void err_clear(struct err *e)
{
	e->code = ERR_NONE;
	e->msg[0] = '\0';
}

int err_exit_code(const struct err *e)
{
	return e->code == ERR_USAGE ? 2 : 1;
}

int err_http_status(const struct err *e)
{
	switch (e->code) {
	case ERR_NONE:
		return 200;
	case ERR_INVALID:
	case ERR_USAGE:
		return 400;
	case ERR_NOTFOUND:
		return 404;
	case ERR_CONFLICT:
		return 409;
	case ERR_FORBIDDEN:
		return 403;
	case ERR_IO:
	case ERR_INTERNAL:
		break;
	}
	return 500;
}

const char *err_code_name(enum err_code code)
{
	static const char *const names[] = {
		[ERR_NONE] = "none",	     [ERR_INVALID] = "invalid", [ERR_NOTFOUND] = "not_found",
		[ERR_CONFLICT] = "conflict", [ERR_FORBIDDEN] = "forbidden", [ERR_IO] = "io",
		[ERR_INTERNAL] = "internal", [ERR_USAGE] = "usage",
	};
	return names[code];
}
