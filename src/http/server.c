/*
 * The HTTP server: libmicrohttpd with its own polling thread and a pool of worker threads.
 * This is the only file that includes microhttpd.h; it turns a connection's request into a
 * struct req, hands it to http_dispatch and queues the struct resp it gets back.
 *
 * The request lifecycle (after the libmicrohttpd examples): the first call of the access
 * handler only creates the request state in *req_cls; body data arrives in the calls after
 * it; the answer is queued on a later call. Queueing on the first call would make
 * libmicrohttpd 0.9.75 send "Connection: close", losing keep-alive (about 4× slower). The
 * state lives until the completion callback, which writes the access-log line.
 *
 * Stores: a PostgreSQL connection or SQLite handle serves one thread at a time, so a request
 * takes a store from a small pool (opened lazily from the URL, at most one per worker) and
 * gives it back when its answer is made. A store that failed with an I/O error is closed
 * rather than given back, so that a restarted database is reconnected.
 *
 * Group commit of the audit entries of reads (docs/access.md, "Group commit"): a request's
 * reads put their entries into a collection (audit_collect_begin) instead of writing each in
 * a transaction of its own, which on SQLite would take the single write lock per read. The
 * answer is made, then held: the connection is suspended and the collection handed to the
 * audit writer, a thread with a store of its own that appends the entries of every request
 * waiting in one transaction, committed to disk (audit_set_durability; `serve --audit-sync
 * normal` trades that for speed), and then resumes the
 * connections. Only then is a held answer sent; if the commit failed, a 500 goes instead, so
 * that no read is answered whose entry could be lost. Entries of writes are not collected:
 * they commit with the change they record.
 *
 * Exposure: without TLS (--tls-cert/--tls-key) or a reverse proxy (--behind-proxy ADDR) the
 * server listens on loopback only. With a proxy it answers only the proxy and loopback, and
 * takes the client's address from the proxy's X-Forwarded-For and the scheme from its
 * X-Forwarded-Proto — from the proxy alone, since anyone else could write those headers.
 */
#include "audit/audit.h"
#include "http/api.h"
#include "http/http.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_THREADS 2
#define MAX_THREADS 64
#define STOP_GRACE_SECONDS 10 /* how long requests in flight may take to finish at a stop */
#define IDLE_TIMEOUT_SECONDS 30 /* an idle keep-alive connection is closed after this */

struct request_state;

/* The audit writer: one thread, one store, one transaction per round. */
struct audit_writer {
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	pthread_cond_t work;
	pthread_cond_t released; /* signalled when a request's round is over */
	bool stop;
	struct request_state *first, *last; /* waiting, in arrival order */
	struct store *store;
	const char *db_url;
	bool on_disk; /* commits end on disk (audit_set_durability) */
	unsigned long rounds, entries; /* for the log line at the stop */
	long round_us_total, round_us_max;   /* how long the rounds took, likewise */
};

struct server {
	const struct http_config *cfg;
	struct http_app app;
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock; /* guards what follows */
	pthread_cond_t quiet; /* signalled when in_flight drops to 0 */
	long in_flight;       /* requests between their first call and their completion */
	struct store **idle;  /* stores that no request uses now */
	size_t nidle, idle_cap;
	struct audit_writer writer;
	bool tls;                       /* serving HTTPS */
	char *tls_cert, *tls_key;       /* PEM text of the certificate and key, owned */
	char proxy[INET6_ADDRSTRLEN];   /* the trusted reverse proxy's address, or "" */
};

/* What one request carries from the first call of the access handler to its completion. */
struct request_state {
	struct timespec start;
	char method[16];
	struct buf log_path; /* the path as the access log may show it */
	struct buf body;
	bool too_large;
	bool queued;
	int status;
	size_t bytes;
	/* An answer held until the audit writer has committed the request's entries. */
	bool holding;   /* handed to the writer (stays set: the writer may still touch it) */
	bool delivered; /* the held answer was queued */
	struct resp held;
	struct audit_batch batch;  /* the entries; the writer's from submit to done */
	struct MHD_Connection *conn;
	bool done;                 /* committed or failed; guarded by the writer's lock */
	bool released;             /* the writer is through with it; guarded likewise */
	int committed;             /* 0, or -1 when the commit failed */
	struct request_state *next_waiting;
};


static long elapsed_us(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - start->tv_sec) * 1000000L +
	       (now.tv_nsec - start->tv_nsec) / 1000L;
}

/* The store this thread used last: the caches of a thread (the access decision's, the
 * sessions') hold for one store, so a worker takes the same one again when it is idle. Only
 * compared, never used through this pointer: it may have been closed since. */
static _Thread_local const struct store *last_store;

/* A store for this request: an idle one from the pool (the thread's own if it is there), or
 * a newly opened one; NULL if the store cannot be opened (the request then gets 503). */
static struct store *store_acquire(struct server *srv)
{
	struct store *s = NULL;
	pthread_mutex_lock(&srv->lock);
	if (srv->nidle) {
		size_t i = srv->nidle - 1;
		while (i > 0 && srv->idle[i] != last_store)
			i--;
		if (srv->idle[i] != last_store)
			i = srv->nidle - 1;
		s = srv->idle[i];
		srv->idle[i] = srv->idle[--srv->nidle];
	}
	pthread_mutex_unlock(&srv->lock);
	if (!s) {
		struct err e = ERR_INIT;
		if (store_open(&s, srv->cfg->db_url, &e) < 0) {
			log_error("http: cannot open the store: %s", e.msg);
			return NULL;
		}
	}
	last_store = s;
	return s;
}

static void store_give_back(struct server *srv, struct store *s, bool failed)
{
	if (!s)
		return;
	if (failed) {
		log_warn("http: a store failed; it is closed and will be opened anew");
		store_close(s);
		return;
	}
	pthread_mutex_lock(&srv->lock);
	XGROW(srv->idle, srv->idle_cap, srv->nidle + 1);
	srv->idle[srv->nidle++] = s;
	pthread_mutex_unlock(&srv->lock);
}

struct query_vec {
	struct http_kv *items;
	size_t n, cap;
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	(void)kind;
	struct query_vec *q = cls;
	XGROW(q->items, q->cap, q->n + 1);
	q->items[q->n].name = key;
	q->items[q->n].value = value ? value : "";
	q->n++;
	return MHD_YES;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, size, "unknown");
	if (!info || !info->client_addr)
		return;
	const struct sockaddr *sa = info->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)size);
}

static enum MHD_Result queue_resp(struct MHD_Connection *conn, struct request_state *st,
				  struct resp *rs)
{
	size_t len;
	char *data = buf_detach(&rs->body, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(data);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type);
	for (size_t i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(r, rs->headers[i].name, rs->headers[i].value);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	if (ret == MHD_YES) {
		st->queued = true;
		st->status = rs->status;
		st->bytes = len;
	}
	return ret;
}

/* An IP address literal in canonical text form; false when `text` is not one. */
static bool canonical_address(const char *text, char *out, size_t size)
{
	unsigned char a[16];
	if (inet_pton(AF_INET, text, a) == 1)
		return inet_ntop(AF_INET, a, out, (socklen_t)size) != NULL;
	if (inet_pton(AF_INET6, text, a) == 1)
		return inet_ntop(AF_INET6, a, out, (socklen_t)size) != NULL;
	return false;
}

/*
 * A request from the trusted proxy: the client is the last address of X-Forwarded-For (the
 * one the proxy itself added; earlier ones come from the client and prove nothing), and
 * X-Forwarded-Proto: https means the client used TLS.
 */
static void forwarded_client(struct MHD_Connection *conn, char *client, size_t size, bool *tls)
{
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	if (proto && strcasecmp(proto, "https") == 0)
		*tls = true;
	if (!xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	char text[INET6_ADDRSTRLEN + 1];
	size_t n = strcspn(last, " ");
	if (n == 0 || n >= sizeof(text))
		return;
	memcpy(text, last, n);
	text[n] = '\0';
	char canon[INET6_ADDRSTRLEN + 1];
	if (canonical_address(text, canon, sizeof(canon)))
		snprintf(client, size, "%s", canon);
}

/* ---- the audit writer ------------------------------------------------------------------------ */

/*
 * Hold the answer `rs` (taken over) until the request's audit entries are committed: the
 * connection is suspended first, so that the writer cannot resume it before it is.
 */
static enum MHD_Result hold(struct server *srv, struct MHD_Connection *conn,
			    struct request_state *st, struct resp *rs)
{
	struct audit_writer *w = &srv->writer;
	st->held = *rs;
	st->holding = true;
	st->conn = conn;
	MHD_suspend_connection(conn);
	pthread_mutex_lock(&w->lock);
	st->done = st->released = false;
	st->next_waiting = NULL;
	if (w->last)
		w->last->next_waiting = st;
	else
		w->first = st;
	w->last = st;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	return MHD_YES;
}

/* The held answer once the writer is done: as made, or a 500 if the entries were lost. */
static enum MHD_Result deliver(struct server *srv, struct MHD_Connection *conn,
			       struct request_state *st)
{
	pthread_mutex_lock(&srv->writer.lock);
	bool done = st->done;
	int committed = st->committed;
	pthread_mutex_unlock(&srv->writer.lock);
	if (!done)
		return MHD_YES;
	st->delivered = true;
	if (committed < 0) {
		resp_release(&st->held);
		resp_init(&st->held);
		resp_error(&st->held, 500, "internal",
			   "the audit log could not be written, so the read is not answered");
	}
	enum MHD_Result ret = queue_resp(conn, st, &st->held);
	resp_release(&st->held);
	return ret;
}

static int writer_store(struct audit_writer *w, struct err *e)
{
	if (w->store)
		return 0;
	if (store_open(&w->store, w->db_url, e) < 0)
		return -1;
	if (audit_set_durability(w->store, w->on_disk, e) < 0) {
		store_close(w->store);
		w->store = NULL;
		return -1;
	}
	return 0;
}

/* One round: every request waiting now, one transaction, then resume them all. */
static void writer_round(struct audit_writer *w, struct request_state *list)
{
	struct err e = ERR_INIT;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	size_t n = 0, cap = 0;
	struct audit_batch **batches = NULL;
	for (struct request_state *st = list; st; st = st->next_waiting) {
		XGROW(batches, cap, n + 1);
		batches[n++] = &st->batch;
	}
	int rc = writer_store(w, &e);
	if (rc == 0)
		rc = audit_commit_batches(w->store, batches, n, &e);
	if (rc < 0) {
		log_error("http: audit entries not written, %zu read%s refused: %s", n,
			  n == 1 ? "" : "s", e.msg);
		if (e.code == ERR_IO && w->store) {
			store_close(w->store);
			w->store = NULL;
		}
	}
	w->rounds++;
	long took = elapsed_us(&start);
	w->round_us_total += took;
	if (took > w->round_us_max)
		w->round_us_max = took;
	for (size_t i = 0; i < n; i++) {
		w->entries += rc == 0 ? batches[i]->n : 0;
		audit_batch_release(batches[i]);
	}
	free(batches);
	/* Resumed, a request may complete and be freed at once: take what is needed first. */
	while (list) {
		struct request_state *st = list;
		struct MHD_Connection *conn = st->conn;
		list = st->next_waiting;
		pthread_mutex_lock(&w->lock);
		st->committed = rc;
		st->done = true;
		pthread_mutex_unlock(&w->lock);
		MHD_resume_connection(conn);
		pthread_mutex_lock(&w->lock);
		st->released = true;
		pthread_cond_broadcast(&w->released);
		pthread_mutex_unlock(&w->lock);
	}
}

/*
 * A held request that ends (at a stop of the daemon, say) must not be freed while the writer
 * may still use it: take it out of the queue if its round has not begun, or wait until the
 * writer is through with it.
 */
static void writer_forget(struct audit_writer *w, struct request_state *st)
{
	pthread_mutex_lock(&w->lock);
	struct request_state *prev = NULL;
	for (struct request_state **at = &w->first; *at; prev = *at, at = &(*at)->next_waiting)
		if (*at == st) {
			*at = st->next_waiting;
			if (w->last == st)
				w->last = prev;
			st->done = st->released = true;
			break;
		}
	while (!st->released)
		pthread_cond_wait(&w->released, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

static void *writer_main(void *arg)
{
	struct audit_writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->first && !w->stop)
			pthread_cond_wait(&w->work, &w->lock);
		if (!w->first && w->stop)
			break;
		struct request_state *list = w->first;
		w->first = w->last = NULL;
		pthread_mutex_unlock(&w->lock);
		writer_round(w, list);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int writer_start(struct server *srv, struct err *e)
{
	struct audit_writer *w = &srv->writer;
	w->db_url = srv->cfg->db_url;
	w->on_disk = !srv->cfg->audit_sync_normal;
	if (writer_store(w, e) < 0)
		return err_prefix(e, "the audit writer");
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		return err_set(e, ERR_INTERNAL, "cannot start the audit writer thread");
	w->running = true;
	return 0;
}

/* After the daemon stopped: nothing is waiting any more. */
static void writer_stop(struct server *srv)
{
	struct audit_writer *w = &srv->writer;
	if (w->running) {
		pthread_mutex_lock(&w->lock);
		w->stop = true;
		pthread_cond_signal(&w->work);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		w->running = false;
		log_info("http: the audit writer committed %lu entries in %lu rounds (%.2f ms on "
			 "average, the longest %.2f ms)",
			 w->entries, w->rounds,
			 w->rounds ? (double)w->round_us_total / (double)w->rounds / 1e3 : 0.0,
			 (double)w->round_us_max / 1e3);
	}
	store_close(w->store);
	w->store = NULL;
}

/* Build the struct req, dispatch it with a store from the pool, and queue the answer. */
static enum MHD_Result answer(struct server *srv, struct MHD_Connection *conn, const char *url,
			      const char *method, struct request_state *st)
{
	char client[INET6_ADDRSTRLEN + 1];
	struct query_vec query = {NULL, 0, 0};
	client_address(conn, client, sizeof(client));
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, &query);
	struct req rq;
	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.path = url;
	rq.query = query.items;
	rq.nquery = query.n;
	rq.authorization =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	rq.cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	rq.if_none_match =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	rq.csrf_token = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
	rq.content_type =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	rq.tls = srv->tls;
	if (srv->proxy[0] && strcmp(client, srv->proxy) == 0)
		forwarded_client(conn, client, sizeof(client), &rq.tls);
	rq.body = st->body.len ? st->body.data : NULL;
	rq.body_len = st->body.len;
	rq.body_too_large = st->too_large;
	rq.client = client;
	rq.app = &srv->app;
	rq.store = store_acquire(srv);
	struct resp rs;
	resp_init(&rs);
	audit_collect_begin(&st->batch);
	http_dispatch(&rq, &rs);
	audit_collect_end();
	store_give_back(srv, rq.store, rs.store_failed);
	free(query.items);
	if (st->batch.n > 0)
		return hold(srv, conn, st, &rs);
	enum MHD_Result ret = queue_resp(conn, st, &rs);
	resp_release(&rs);
	return ret;
}

/* A body announced longer than the limit is refused before it is read. */
static bool announced_too_large(struct MHD_Connection *conn)
{
	const char *cl =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return cl && strtoull(cl, NULL, 10) > HTTP_BODY_MAX;
}

static struct request_state *request_begin(struct server *srv, const char *url,
					   const char *method)
{
	struct request_state *st = xcalloc(1, sizeof(*st));
	clock_gettime(CLOCK_MONOTONIC, &st->start);
	snprintf(st->method, sizeof(st->method), "%s", method);
	buf_init(&st->log_path);
	buf_init(&st->body);
	http_log_path(url, &st->log_path);
	pthread_mutex_lock(&srv->lock);
	srv->in_flight++;
	pthread_mutex_unlock(&srv->lock);
	return st;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	(void)version;
	struct server *srv = cls;
	struct request_state *st = *req_cls;
	if (!st) {
		*req_cls = st = request_begin(srv, url, method);
		/* An early answer closes the connection, which is what a refused body needs. */
		if (announced_too_large(conn)) {
			st->too_large = true;
			return answer(srv, conn, url, method, st);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* Past the limit the rest is read and dropped: 0.9.75 cannot answer mid-body. */
		if (!st->too_large && st->body.len + *upload_data_size <= HTTP_BODY_MAX)
			buf_add(&st->body, upload_data, *upload_data_size);
		else
			st->too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (st->queued)
		return MHD_YES;
	if (st->holding && !st->delivered)
		return deliver(srv, conn, st);
	return answer(srv, conn, url, method, st);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	struct server *srv = cls;
	struct request_state *st = *req_cls;
	if (!st)
		return;
	*req_cls = NULL;
	log_info("%s %s %d %zu %ldus%s", st->method, st->log_path.data, st->queued ? st->status : 0,
		 st->bytes, elapsed_us(&st->start),
		 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (not completed)");
	buf_release(&st->log_path);
	buf_release(&st->body);
	if (st->holding) {
		writer_forget(&srv->writer, st);
		if (!st->delivered)
			resp_release(&st->held);
	}
	audit_batch_release(&st->batch);
	free(st);
	pthread_mutex_lock(&srv->lock);
	if (--srv->in_flight == 0)
		pthread_cond_broadcast(&srv->quiet);
	pthread_mutex_unlock(&srv->lock);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char text[512];
	vsnprintf(text, sizeof(text), fmt, ap);
	size_t n = strlen(text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	log_warn("http: %s", text);
}

static int parse_listen(const char *text, struct http_listen *out, bool any, struct err *e)
{
	memset(out, 0, sizeof(*out));
	const char *host = text, *colon;
	size_t hlen;
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':')
			return err_set(e, ERR_INVALID,
				       "listen address '%.80s': write an IPv6 address as [::1]:PORT",
				       text);
		host = text + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon || strchr(text, ':') != colon)
			return err_set(e, ERR_INVALID,
				       "listen address '%.80s' is not ADDRESS:PORT (e.g. "
				       "127.0.0.1:8080 or [::1]:8080)",
				       text);
		hlen = (size_t)(colon - text);
	}
	if (hlen == 0 || hlen >= sizeof(out->host))
		return err_set(e, ERR_INVALID, "listen address '%.80s' has no address", text);
	memcpy(out->host, host, hlen);
	out->host[hlen] = '\0';
	char *end = NULL;
	const char *port = colon + 1;
	unsigned long p = strtoul(port, &end, 10);
	if (!*port || *end || p > 65535 || port[0] == '-' || port[0] == '+')
		return err_set(e, ERR_INVALID,
			       "listen address '%.80s': the port must be a number from 0 to 65535",
			       text);
	out->port = (unsigned)p;
	if (inet_pton(AF_INET, out->host, out->addr) == 1) {
		out->family = AF_INET;
		if (!any && out->addr[0] != 127)
			return err_set(e, ERR_FORBIDDEN,
				       "listen address '%.80s' is not a loopback address: without "
				       "--tls-cert/--tls-key or --behind-proxy the server listens on "
				       "127.0.0.0/8 or [::1] only",
				       text);
		return 0;
	}
	if (inet_pton(AF_INET6, out->host, out->addr) == 1) {
		out->family = AF_INET6;
		struct in6_addr a;
		memcpy(&a, out->addr, sizeof(a));
		if (!any && !IN6_IS_ADDR_LOOPBACK(&a) &&
		    !(IN6_IS_ADDR_V4MAPPED(&a) && out->addr[12] == 127))
			return err_set(e, ERR_FORBIDDEN,
				       "listen address '%.80s' is not a loopback address: without "
				       "--tls-cert/--tls-key or --behind-proxy the server listens on "
				       "127.0.0.0/8 or [::1] only",
				       text);
		return 0;
	}
	return err_set(e, ERR_INVALID,
		       "listen address '%.80s': '%s' is not an IPv4 or IPv6 address literal (e.g. "
		       "127.0.0.1 or [::1])",
		       text, out->host);
}

int http_parse_listen(const char *text, struct http_listen *out, struct err *e)
{
	return parse_listen(text, out, false, e);
}

int http_parse_listen_any(const char *text, struct http_listen *out, struct err *e)
{
	return parse_listen(text, out, true, e);
}

/* Create the listening socket ourselves, so that a port in use is reported with errno. */
static int open_listen_socket(struct http_listen *l, int *out, struct err *e)
{
	struct sockaddr_storage ss;
	socklen_t len;
	memset(&ss, 0, sizeof(ss));
	if (l->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)l->port);
		memcpy(&sin->sin_addr, l->addr, 4);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)l->port);
		memcpy(&sin6->sin6_addr, l->addr, 16);
		len = sizeof(*sin6);
	}
	int fd = socket(l->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot make a socket: %s", strerror(errno));
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 128) < 0) {
		int saved = errno;
		close(fd);
		return err_set(e, ERR_IO, "cannot listen on %s%s%s:%u: %s",
			       l->family == AF_INET6 ? "[" : "", l->host,
			       l->family == AF_INET6 ? "]" : "", l->port, strerror(saved));
	}
	/* With port 0 the system chose one; the URL must name it. */
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		l->port = ntohs(l->family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						     : ((struct sockaddr_in6 *)&ss)->sin6_port);
	*out = fd;
	return 0;
}

/* Write the token to `path`, mode 0600, replacing what was there. */
static int write_token_file(const char *path, const char *token, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(e, ERR_IO, "cannot write the token file '%s': %s", path,
			       strerror(errno));
	char line[HTTP_TOKEN_HEX_SIZE + 1];
	int n = snprintf(line, sizeof(line), "%s\n", token);
	int rc = 0;
	/* A file that existed keeps its mode on open: make it the owner's alone first. */
	if (fchmod(fd, 0600) < 0 || write(fd, line, (size_t)n) != n)
		rc = err_set(e, ERR_IO, "cannot write the token file '%s': %s", path,
			     strerror(errno));
	if (close(fd) < 0 && rc == 0)
		rc = err_set(e, ERR_IO, "cannot write the token file '%s': %s", path,
			     strerror(errno));
	sodium_memzero(line, sizeof(line));
	return rc;
}

/* Open the first store and check its schema, so that a wrong --db fails at start. */
static int first_store(struct server *srv, struct err *e)
{
	struct store *s;
	if (store_open(&s, srv->cfg->db_url, e) < 0)
		return -1;
	if (store_check_schema(s, e) < 0) {
		store_close(s);
		return -1;
	}
	store_give_back(srv, s, false);
	return 0;
}

static void server_release(struct server *srv)
{
	for (size_t i = 0; i < srv->nidle; i++)
		store_close(srv->idle[i]);
	free(srv->idle);
	srv->idle = NULL;
	srv->nidle = srv->idle_cap = 0;
	writer_stop(srv);
	pthread_cond_destroy(&srv->writer.work);
	pthread_cond_destroy(&srv->writer.released);
	pthread_mutex_destroy(&srv->writer.lock);
	sodium_memzero(srv->app.token, sizeof(srv->app.token));
	if (srv->tls_key) {
		sodium_memzero(srv->tls_key, strlen(srv->tls_key));
		free(srv->tls_key);
	}
	free(srv->tls_cert);
	pthread_cond_destroy(&srv->quiet);
	pthread_mutex_destroy(&srv->lock);
}

/* Behind a proxy only the proxy and this machine may connect, so that nobody reaches the
 * server around the proxy. */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)len;
	const struct server *srv = cls;
	char text[INET6_ADDRSTRLEN + 1] = "";
	if (addr->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;
		if (((const unsigned char *)&sin->sin_addr)[0] == 127)
			return MHD_YES;
		inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text));
	} else if (addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)addr;
		if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return MHD_YES;
		inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof(text));
	}
	return strcmp(text, srv->proxy) == 0 ? MHD_YES : MHD_NO;
}

static struct MHD_Daemon *start_daemon(struct server *srv, const struct http_listen *l,
				       int fd, int threads)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_AUTO |
			 MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (l->family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (srv->tls)
		flags |= MHD_USE_TLS;
	/* A pool of one is the polling thread itself. */
	unsigned pool = threads > 1 ? (unsigned)threads : 0;
	MHD_AcceptPolicyCallback apc = srv->proxy[0] ? accept_policy : NULL;
	/* The logger comes first, so that problems with the options after it reach it. The
	 * TLS options come last: without TLS they are ended early by MHD_OPTION_END. */
	return MHD_start_daemon(flags, 0, apc, srv, on_request, srv,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
				MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
				MHD_OPTION_THREAD_POOL_SIZE, pool, MHD_OPTION_NOTIFY_COMPLETED,
				on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned)IDLE_TIMEOUT_SECONDS,
				srv->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END,
				srv->tls_cert, MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key,
				MHD_OPTION_END);
}

/* Read a PEM file (at most 1 MiB) into a new string. */
static int read_pem(const char *what, const char *path, char **out, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "cannot read the TLS %s '%s': %s", what, path,
			       strerror(errno));
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len <= (1 << 20))
		buf_add(&b, chunk, n);
	bool failed = ferror(f);
	fclose(f);
	sodium_memzero(chunk, sizeof(chunk));
	if (failed || b.len > (1 << 20) || !strstr(b.data ? b.data : "", "-----BEGIN ")) {
		if (b.data)
			sodium_memzero(b.data, b.len);
		buf_release(&b);
		return err_set(e, ERR_INVALID, "the TLS %s '%s' is not a PEM file", what, path);
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

/*
 * TLS and proxy settings, and with them where the server may listen: a non-loopback
 * address needs TLS or a proxy in front.
 */
static int exposure(struct server *srv, const struct http_config *cfg, struct http_listen *l,
		    struct err *e)
{
	const char *listen = cfg->listen ? cfg->listen : DEFAULT_LISTEN;
	if (!cfg->tls_cert != !cfg->tls_key)
		return err_set(e, ERR_USAGE, "TLS needs both a certificate and a key file");
	if (cfg->tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			return err_set(e, ERR_INVALID,
				       "this libmicrohttpd was built without TLS support: serve "
				       "without --tls-cert behind a reverse proxy that does TLS");
		if (read_pem("certificate", cfg->tls_cert, &srv->tls_cert, e) < 0 ||
		    read_pem("key", cfg->tls_key, &srv->tls_key, e) < 0)
			return -1;
		srv->tls = true;
	}
	if (cfg->behind_proxy && !canonical_address(cfg->behind_proxy, srv->proxy,
						    sizeof(srv->proxy)))
		return err_set(e, ERR_INVALID,
			       "proxy address '%.80s' is not an IPv4 or IPv6 address literal",
			       cfg->behind_proxy);
	if (srv->tls || srv->proxy[0])
		return http_parse_listen_any(listen, l, e);
	return http_parse_listen(listen, l, e);
}

/* Stop accepting, give requests in flight up to STOP_GRACE_SECONDS, then stop. */
static void stop_daemon(struct server *srv)
{
	MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += STOP_GRACE_SECONDS;
	pthread_mutex_lock(&srv->lock);
	while (srv->in_flight > 0)
		if (pthread_cond_timedwait(&srv->quiet, &srv->lock, &until) == ETIMEDOUT)
			break;
	long left = srv->in_flight;
	pthread_mutex_unlock(&srv->lock);
	if (left)
		log_warn("http: stopping with %ld request%s still in flight", left,
			 left == 1 ? "" : "s");
	MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

/* Wait for SIGTERM or SIGINT (blocked in `set`); a second one during the stop is dropped. */
static int wait_for_stop(const sigset_t *set)
{
	int sig = 0;
	while (sigwait(set, &sig) != 0)
		;
	return sig;
}

static void drain_signals(const sigset_t *set)
{
	struct timespec zero = {0, 0};
	while (sigtimedwait(set, NULL, &zero) > 0)
		;
}

static void print_url(void *arg, const char *url)
{
	(void)arg;
	printf("listening on %s\n", url);
}

int http_serve(const struct http_config *cfg, struct err *e)
{
	struct http_listen l;
	int threads = cfg->threads ? cfg->threads : DEFAULT_THREADS;
	if (threads < 1 || threads > MAX_THREADS)
		return err_set(e, ERR_INVALID, "threads: %d is not from 1 to %d", threads,
			       MAX_THREADS);
	struct server srv;
	memset(&srv, 0, sizeof(srv));
	srv.cfg = cfg;
	srv.app.keys = cfg->keys;
	/* Every entry the server writes is sealed under the key file's audit key. */
	unsigned char audit_key[KEYRING_KEY_BYTES];
	keyring_audit_key(cfg->keys, audit_key);
	audit_set_key(audit_key);
	sodium_memzero(audit_key, sizeof(audit_key));
	srv.app.sessions = cfg->sessions;
	if (srv.app.sessions.idle_seconds <= 0 || srv.app.sessions.max_seconds <= 0)
		session_policy_default(&srv.app.sessions);
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.quiet, NULL);
	pthread_mutex_init(&srv.writer.lock, NULL);
	pthread_cond_init(&srv.writer.work, NULL);
	pthread_cond_init(&srv.writer.released, NULL);
	int fd = -1, rc = -1;
	sigset_t stop_set, old_set;
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	if (exposure(&srv, cfg, &l, e) < 0 || first_store(&srv, e) < 0 ||
	    writer_start(&srv, e) < 0 || open_listen_socket(&l, &fd, e) < 0)
		goto out;
	http_token_generate(srv.app.token);
	if (cfg->token_file && write_token_file(cfg->token_file, srv.app.token, e) < 0)
		goto out;
	/* Blocked before the threads start, so that they inherit it and only sigwait sees
	 * the signal. */
	pthread_sigmask(SIG_BLOCK, &stop_set, &old_set);
	srv.daemon = start_daemon(&srv, &l, fd, threads);
	if (!srv.daemon) {
		pthread_sigmask(SIG_SETMASK, &old_set, NULL);
		err_set(e, ERR_IO, "the HTTP server did not start (see the log above)");
		goto out;
	}
	fd = -1; /* the daemon has it now; stop_daemon closes it */
	char url[128];
	snprintf(url, sizeof(url), "%s://%s%s%s:%u/", srv.tls ? "https" : "http",
		 l.family == AF_INET6 ? "[" : "", l.host, l.family == AF_INET6 ? "]" : "", l.port);
	printf("API token: %s\n", srv.app.token);
	(cfg->on_ready ? cfg->on_ready : print_url)(cfg->on_ready_arg, url);
	fflush(stdout);
	log_info("http: serving %s with %d thread%s%s%s", url, threads, threads == 1 ? "" : "s",
		 srv.proxy[0] ? " behind the proxy at " : "", srv.proxy);
	int sig = wait_for_stop(&stop_set);
	log_info("http: %s received, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	stop_daemon(&srv);
	drain_signals(&stop_set);
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	log_info("http: stopped");
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	server_release(&srv);
	return rc;
}
