/*
 * The HTTP front end: a JSON API under /api/v1 and a health check, served by libmicrohttpd
 * (src/http/server.c, the only file that sees its types). Handlers take a plain struct req
 * and fill a struct resp, so that they and the dispatcher are tested without a socket.
 *
 * Ownership: a struct req borrows every pointer it holds from whoever built it (the server,
 * or a test); http_dispatch writes the path parameters into the request's own buffer. A
 * struct resp owns its body and its extra headers; resp_release frees them.
 *
 * Authentication (src/http/auth.c, docs/access.md): people log in and carry a session
 * cookie, with a CSRF token on every state-changing request; routes declare what they need
 * in the route table (routes.c). The bearer token the server makes at start opens only the
 * reference-data routes, for scripts without an account. Without TLS or a reverse proxy the
 * server listens on loopback only.
 */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "access/access.h"
#include "accounts/session.h"
#include "crypto/keyring.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

#define HTTP_TOKEN_BYTES 32
#define HTTP_TOKEN_HEX_SIZE (2 * HTTP_TOKEN_BYTES + 1)
#define HTTP_MAX_PARAMS 4      /* path parameters of one route */
#define HTTP_MAX_HEADERS 12    /* headers of one response, besides Content-Type */
#define HTTP_PATH_MAX 1024     /* a longer path matches no route */
#define HTTP_BODY_MAX (1 << 20) /* a longer request body is answered with 413 */

/* A name and a value: a query or path parameter, or a response header. */
struct http_kv {
	const char *name;
	const char *value;
};

/* What every handler shares; made once by the server and read-only while it serves. */
struct http_app {
	const struct keyring *keys;
	char token[HTTP_TOKEN_HEX_SIZE]; /* the bearer token: 64 lower-case hex digits */
	struct session_policy sessions;  /* idle and absolute expiry of sessions */
};

/* How a request was authenticated (filled by http_dispatch, src/http/auth.c). */
enum http_auth_kind {
	HTTP_AUTH_NONE,    /* a public route, or not (yet) authenticated */
	HTTP_AUTH_TOKEN,   /* the server's bearer token: reference data only */
	HTTP_AUTH_SESSION, /* a user's session cookie: rq->session and rq->who are set */
};

/* One request, as the handlers see it. */
struct req {
	const char *method;        /* "GET", "POST" … */
	const char *path;          /* percent-decoded, without the query string */
	const struct http_kv *query; /* percent-decoded query parameters, in order */
	size_t nquery;
	const char *authorization; /* the Authorization header, or NULL */
	const char *csrf_token;    /* the X-CSRF-Token header, or NULL */
	const char *content_type;  /* the Content-Type header, or NULL */
	bool tls;                  /* came over HTTPS (directly or via the trusted proxy) */
	const char *cookie;        /* the Cookie header, or NULL */
	const char *if_none_match; /* the If-None-Match header, or NULL */
	const char *body;          /* the request body (not NUL-terminated), or NULL */
	size_t body_len;
	bool body_too_large;       /* the body exceeded HTTP_BODY_MAX and was dropped: 413 */
	const char *client;        /* the client's address, e.g. "127.0.0.1" or "::1" */
	struct store *store;       /* this worker's store; NULL when it could not be opened */
	const struct http_app *app;

	/* Filled by http_dispatch: the {name} parts of the matched route's pattern. */
	struct http_kv params[HTTP_MAX_PARAMS];
	size_t nparams;
	char param_buf[HTTP_PATH_MAX];

	/* Filled by http_dispatch (auth.c): who is asking. With HTTP_AUTH_SESSION `who` is the
	 * user (strings borrowed from `session`); with HTTP_AUTH_TOKEN the API token. */
	enum http_auth_kind auth;
	struct access who;
	struct session_info session;
};

/* One response. The body is JSON unless content_type says otherwise. */
struct resp {
	int status;
	const char *content_type; /* a static string */
	struct buf body;
	struct http_kv headers[HTTP_MAX_HEADERS]; /* names and values owned by the response */
	size_t nheaders;
	bool store_failed; /* the store failed with an I/O error: the server opens a new one */
};

void resp_init(struct resp *rs);
void resp_release(struct resp *rs);

/* Add a header (name and value copied); a name already present is replaced. */
void resp_header(struct resp *rs, const char *name, const char *value);

/* The value of header `name` (case-insensitive) in `rs`, or NULL. */
const char *resp_header_get(const struct resp *rs, const char *name);

/*
 * Answer `rq` into `rs` (initialised by the caller with resp_init): find the route,
 * authenticate the caller (rq->auth, rq->who), check the CSRF token and the route's role,
 * fill rq->params, run its handler, and add the security headers. Never fails:
 * every problem becomes an HTTP status with a JSON error body.
 */
void http_dispatch(struct req *rq, struct resp *rs);

/*
 * The form of `path` that a log line may show: a segment of 16 or more hex digits (a person
 * key) becomes its first 8 digits and "…", a segment of 8 or 9 digits (perhaps a BSN) is
 * masked as ident_mask_bsn does, control characters become '?', and a path longer than 200
 * bytes is cut there with "…". Appends to `out`.
 */
void http_log_path(const char *path, struct buf *out);

/* A fresh random bearer token: 32 bytes from libsodium, as 64 hex digits. */
void http_token_generate(char out[HTTP_TOKEN_HEX_SIZE]);

/* Where to listen: a parsed IPv4 or IPv6 literal address and a port. */
struct http_listen {
	int family;         /* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* in network order: 4 bytes for IPv4, 16 for IPv6 */
	unsigned port;      /* 0: the system picks one */
	char host[64];      /* the address as text, e.g. "127.0.0.1" or "::1" */
};

/*
 * Parse "127.0.0.1:8080" or "[::1]:8080". ERR_INVALID when the text is not an address
 * literal and a port; ERR_FORBIDDEN for an address that is not loopback (the server
 * refuses those without TLS or a reverse proxy in front).
 */
int http_parse_listen(const char *text, struct http_listen *out, struct err *e);

/* The same for any address, loopback or not (with TLS or behind a proxy). */
int http_parse_listen_any(const char *text, struct http_listen *out, struct err *e);

/* What http_serve needs. Strings and the keyring are borrowed for the whole call. */
struct http_config {
	const char *db_url;         /* each worker thread opens its own store from this URL */
	const struct keyring *keys; /* loaded and checked by the caller; read-only here */
	const char *listen;         /* "127.0.0.1:8080" (the default when NULL), "[::1]:8080" */
	int threads;                /* worker threads; 0: 2 */
	const char *token_file;     /* also write the token here (mode 0600); NULL: do not */
	const char *tls_cert;       /* PEM certificate (chain) file: serve HTTPS; NULL: HTTP */
	const char *tls_key;        /* PEM private key file, with tls_cert */
	const char *behind_proxy;   /* the reverse proxy's address: trust its X-Forwarded-For
				     * and X-Forwarded-Proto, answer only it and loopback, and
				     * allow a non-loopback listen address; NULL: no proxy */
	struct session_policy sessions; /* zero: the defaults (session.h) */
	bool audit_sync_normal;     /* group commits end when the database has them rather
				     * than on disk (audit/audit.h: audit_set_durability) */
	/* Called once the server listens, with its base URL ("http://127.0.0.1:8080/");
	 * NULL: print "listening on URL" on standard output. */
	void (*on_ready)(void *arg, const char *url);
	void *on_ready_arg;
};

/*
 * Serve until SIGTERM or SIGINT arrives, then stop accepting, let requests in flight finish
 * (up to a few seconds), close the stores and return 0. Prints "API token: …" once on
 * standard output. Returns -1 with `e` filled when the server cannot start: a bad address,
 * a non-loopback one without TLS or a proxy, TLS asked for in a libmicrohttpd built without
 * it or with unreadable certificate or key files, a bad proxy address, a port in use, a
 * store that does not answer or has the wrong schema, or a token file that cannot be
 * written. Blocks SIGTERM and SIGINT in the calling thread while it runs.
 */
int http_serve(const struct http_config *cfg, struct err *e);

#endif
