/*
 * Errors are values. A function below the front ends that can fail returns 0 on success or
 * -1 after filling the caller's struct err with a code and a message that names what failed
 * ("no person with key 'ab12…'", "line 14, field bsn: fails the elfproef"). Only main.c and
 * the front ends print errors or turn them into exit codes and HTTP statuses.
 */
#ifndef UTIL_ERR_H
#define UTIL_ERR_H

enum err_code {
	ERR_NONE = 0,
	ERR_INVALID,   /* the input breaks a rule */
	ERR_NOTFOUND,  /* the thing named does not exist (or may not be known to the caller) */
	ERR_CONFLICT,  /* the thing exists already, or the state forbids the change */
	ERR_FORBIDDEN, /* the caller may not do this */
	ERR_IO,        /* a file, the network or the store failed */
	ERR_INTERNAL,  /* a bug: an invariant did not hold */
	ERR_USAGE,     /* a command was called with the wrong words */
};

struct err {
	enum err_code code;
	char msg[512];
};

#define ERR_INIT {ERR_NONE, ""}

/* Fill `e` (which may be NULL) and return -1, so that `return err_set(...)` reads well. */
int err_set(struct err *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put `fmt …: ` in front of the message already in `e`; returns -1. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void err_clear(struct err *e);

/* The process exit code for an error: 2 for usage, 1 for everything else. */
int err_exit_code(const struct err *e);

/* The HTTP status for an error: 400, 404, 409, 403, 500 … */
int err_http_status(const struct err *e);

/* A short English name of the code, e.g. "invalid", for JSON error bodies. */
const char *err_code_name(enum err_code code);

#endif
