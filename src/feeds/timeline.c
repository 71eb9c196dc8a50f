/*
 * A young person's timeline (see feeds.h): the events the imports wrote, and those derived
 * from the enrolment records when read, in date order, read under the caller's identity and
 * audited as "person.timeline".
 */
#include "feeds/feed-internal.h"

#include "access/decide.h"
#include "audit/audit.h"
#include "status/status.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char person_sql[] = "SELECT id, merged_into FROM persons WHERE pkey = ?";

static const char events_sql[] =
    "SELECT event_date, kind, feed, source, org, code, detail, import_id FROM events"
    " WHERE person_id = ? ORDER BY day, id";

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int person_id_of(struct store *s, const char *pkey, int64_t *id, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, person_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, pkey);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		/* A merged record's events moved to the survivor: show those. */
		*id = stmt_is_null(st, 1) ? stmt_int64(st, 0) : stmt_int64(st, 1);
	stmt_free(st);
	if (rc < 0)
		return -1;
	if (rc == STORE_DONE)
		return err_set(e, ERR_NOTFOUND, "no person with key '%.64s'", pkey);
	return 0;
}

static int read_events(struct store *s, int64_t id, struct feed_event **out, size_t *n,
                       size_t *cap_out, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	if (store_prepare(s, events_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(*out, cap, *n + 1);
		*cap_out = cap;
		struct feed_event *ev = &(*out)[(*n)++];
		memset(ev, 0, sizeof(*ev));
		copy(ev->date, sizeof(ev->date), stmt_text(st, 0));
		copy(ev->kind, sizeof(ev->kind), stmt_text(st, 1));
		copy(ev->feed, sizeof(ev->feed), stmt_text(st, 2));
		copy(ev->source, sizeof(ev->source), stmt_text(st, 3));
		copy(ev->org, sizeof(ev->org), stmt_text(st, 4));
		copy(ev->code, sizeof(ev->code), stmt_text(st, 5));
		ev->detail = stmt_text(st, 6) ? xstrdup(stmt_text(st, 6)) : NULL;
		ev->import_id = stmt_int64(st, 7);
	}
	stmt_free(st);
	*cap_out = cap;
	return rc < 0 ? -1 : 0;
}

/* Date order; on one day the stored events first, in the order they were written. */
static int by_date(const void *a, const void *b)
{
	const struct feed_event *x = a, *y = b;
	int c = strcmp(x->date, y->date);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The stored events and those derived from the enrolment records, in date order. */
static int all_events(struct store *s, int64_t id, struct feed_event **out, size_t *n,
                      struct err *e)
{
	size_t cap = 0;
	if (read_events(s, id, out, n, &cap, e) < 0 ||
	    feed_enrolment_events(s, id, out, n, &cap, e) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		(*out)[i].seq = (int64_t)i;
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), by_date);
	return 0;
}

/*
 * Only the kinds of records the decision lets the caller see (docs/access.md: care details
 * for care roles alone): the events of other feeds go. Returns whether any went.
 */
static bool keep_visible_events(const struct access_decision *d, struct feed_event *ev, size_t *n)
{
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		if (!access_sees_feed(d, ev[i].feed)) {
			free(ev[i].detail);
			continue;
		}
		ev[kept++] = ev[i];
	}
	bool dropped = kept != *n;
	*n = kept;
	return dropped;
}

int feed_timeline(struct store *s, const struct access *who, const char *pkey,
                  struct feed_event **out, size_t *n, struct err *e)
{
	int64_t id = 0;
	char detail[64];
	struct access_decision d;
	struct access allowed;
	*out = NULL;
	*n = 0;
	/* Decided before the transaction, so that a refusal's audit entry stays. */
	if (access_check(s, who, pkey, ACCESS_READ_TIMELINE, &d, &allowed, &id, e) < 0)
		return -1;
	if (audit_tx_begin(s, e) < 0)
		return -1;
	if (person_id_of(s, pkey, &id, e) < 0 || all_events(s, id, out, n, e) < 0)
		goto fail;
	keep_visible_events(&d, *out, n);
	snprintf(detail, sizeof(detail), "events(%zu)%s", *n,
	         d.kinds & (1u << TL_CARE) ? "" : " without care");
	if (audit_append_read(s, &allowed, "person.timeline", pkey, detail, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		goto fail_committed;
	return 0;
fail:
	store_rollback(s);
fail_committed:
	feed_events_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

void feed_events_free(struct feed_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ev[i].detail);
	free(ev);
}
