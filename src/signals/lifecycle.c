/*
 * The life of a signal: evaluating the rules over the persons (all of them, or those whose
 * records changed or whose next check day has come) and keeping what they propose as
 * signals — raised once per stable key, updated while open, resolved when the situation
 * ends, reopened when it returns — and the people's actions on them (dismiss, take into a
 * case), and listing them per organisation.
 *
 * A run streams persons in id order, a block of ids at a time, with their records and
 * their stored signals (a few range queries per block, merged in memory), so that the work
 * is a few statements per block rather than one per rule per person, and memory stays
 * bounded on both back ends. A full run reads and evaluates in reader threads, each on a
 * connection of its own, while the run's own connection writes; new signals are written many
 * rows to a statement, and the next check days 256 persons to a row (docs/signals.md, "How a
 * run works").
 */
#include "signals/signals.h"

#include "access/decide.h"
#include "accounts/roles.h"
#include "audit/audit.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK_PERSONS 20000 /* person ids per block, unless the options say otherwise */

/* A municipality of the reference table: its RMC region. */
struct muni {
	char code[8], rmc[8];
};

/* The settings of one region, loaded once per run, and the region's lead municipality. */
struct region_settings {
	struct signal_settings set;
	char lead[8];
};

/* A stored signal of the current person. */
struct stored {
	int64_t id;
	char *skey, *detail, *evidence;
	char state[12];
	char involvement[56]; /* "kind:ident/role"; "" for a match signal */
	bool seen;
};

#define INSERTS_PER_STATEMENT 50 /* new signals written by one statement */

/*
 * The next check days, SPAN_PERSONS persons to a row of signal_check_spans (migration 0011):
 * the run keeps a window of consecutive spans in memory while it keeps the persons in id
 * order, and writes the spans that changed when it leaves the window. A full run reads
 * SPAN_WINDOW spans at a time, an incremental run (few persons, far apart) one.
 */
#define SPAN_SHIFT   8
#define SPAN_PERSONS (1 << SPAN_SHIFT)
#define SPAN_BYTES   (4 * SPAN_PERSONS)
#define SPAN_WINDOW  64
#define CHECK_NONE   DATE_OPEN /* no check day, or no such person */

struct span {
	int64_t span;
	date_t day[SPAN_PERSONS];
	bool kept[SPAN_PERSONS]; /* the run kept this person */
	bool stored;             /* a row of signal_check_spans */
	bool dirty;              /* a day changed */
};

/* A signal raised by the run, kept until it is written with others. */
struct new_signal {
	char key[160];
	const char *rule; /* static */
	int64_t person_id;
	char org_kind[16], org_ident[16], role[16], region[8];
	char episode[DATE_STR_SIZE], due[DATE_STR_SIZE];
	char detail[256];
	char *evidence; /* owned */
};

struct run {
	struct store *s;
	date_t on;
	int64_t block; /* person ids per block */
	char on_s[DATE_STR_SIZE], now[32];
	struct muni *munis;
	size_t nmunis;
	struct region_settings *regions;
	size_t nregions;
	struct stmt *ins, *ins_many, *reopen, *update, *resolve, *span_read, *span_ins, *span_upd;
	struct signal_run_stats *stats;
	struct signal_settings defaults; /* computed once: a person's region is not known yet */
	struct stored *stored;           /* the stored signals of the person being kept */
	size_t nstored;
	struct new_signal inserts[INSERTS_PER_STATEMENT]; /* raised, to write */
	int ninserts;
	bool full;
	/* The spans of the next check days from window_lo up to window_lo + nwindow, with
	 * nwindow 0 before the first person; spans_empty: the table had no row when the run
	 * started (a first run), so nothing is read from it. */
	struct span *window;
	int64_t window_lo;
	int nwindow, window_size;
	bool spans_empty;
};

static void now_text(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- reference data and settings ----------------------------------------------------------- */

static const char munis_sql[] =
    "SELECT code, rmc_code, year FROM municipalities WHERE year <= ? ORDER BY code, year";
static const char munis_any_sql[] =
    "SELECT code, rmc_code, year FROM municipalities ORDER BY code, year DESC";

/* Each municipality's RMC region in the latest year up to the run's (else the earliest). */
static int load_munis(struct run *r, struct err *e)
{
	int y, m, d;
	date_to_ymd(r->on, &y, &m, &d);
	size_t cap = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct stmt *st;
		if (store_prepare(r->s, pass ? munis_any_sql : munis_sql, &st, e) < 0)
			return -1;
		if (!pass)
			stmt_bind_int64(st, 1, y);
		int step;
		while ((step = stmt_step(st, e)) == STORE_ROW) {
			const char *code = stmt_text(st, 0), *rmc = stmt_text(st, 1);
			size_t i;
			for (i = r->nmunis; i > 0; i--)
				if (strcmp(r->munis[i - 1].code, code) == 0)
					break;
			if (i > 0) {
				if (!pass) /* a later year of the same code wins */
					snprintf(r->munis[i - 1].rmc, 8, "%s", rmc ? rmc : "");
				continue;
			}
			if (r->nmunis == cap)
				XGROW(r->munis, cap, r->nmunis + 1);
			struct muni *mu = &r->munis[r->nmunis++];
			snprintf(mu->code, sizeof(mu->code), "%s", code);
			snprintf(mu->rmc, sizeof(mu->rmc), "%s", rmc ? rmc : "");
		}
		stmt_free(st);
		if (step < 0)
			return -1;
	}
	return 0;
}

static const char *region_of(const struct run *r, const char *municipality)
{
	for (size_t i = 0; i < r->nmunis; i++)
		if (strcmp(r->munis[i].code, municipality) == 0)
			return r->munis[i].rmc;
	return "";
}

/* The settings of `region`, loaded on first use; the lead is the setting or the lowest code. */
static const struct region_settings *settings_for(struct run *r, const char *region, struct err *e)
{
	for (size_t i = 0; i < r->nregions; i++)
		if (strcmp(r->regions[i].set.region, region) == 0)
			return &r->regions[i];
	struct region_settings rs;
	if (signal_settings_load(r->s, region, &rs.set, e) < 0)
		return NULL;
	snprintf(rs.lead, sizeof(rs.lead), "%s", rs.set.rmc_municipality);
	for (size_t i = 0; !rs.lead[0] && *region && i < r->nmunis; i++)
		if (strcmp(r->munis[i].rmc, region) == 0)
			snprintf(rs.lead, sizeof(rs.lead), "%s", r->munis[i].code);
	r->regions = xrealloc(r->regions, (r->nregions + 1) * sizeof(*r->regions));
	r->regions[r->nregions] = rs;
	return &r->regions[r->nregions++];
}

/* ---- applying the candidates of one person ------------------------------------------------- */

/* New signals are written INSERTS_PER_STATEMENT at a time: the head, then a row each. */
static const char insert_head_sql[] =
    "INSERT INTO signals (skey, rule, person_id, org_kind, org_ident, role, region, episode,"
    " state, raised_on, due_on, detail, evidence, updated_at) VALUES";
static const char insert_row_sql[] = " (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)";
#define INSERT_PARAMS 13
static const char reopen_sql[] =
    "UPDATE signals SET state = 'open', reopened = reopened + 1, resolved_on = NULL,"
    " due_on = ?, detail = ?, evidence = ?, updated_at = ? WHERE id = ?";
static const char update_sql[] =
    "UPDATE signals SET detail = ?, evidence = ?, updated_at = ? WHERE id = ?";
static const char resolve_sql[] =
    "UPDATE signals SET state = 'resolved', resolved_on = ?, updated_at = ? WHERE id = ?";
static const char span_read_sql[] = "SELECT span, days FROM signal_check_spans"
                                    " WHERE span >= ? AND span < ? ORDER BY span";
static const char span_insert_sql[] =
    "INSERT INTO signal_check_spans (span, earliest, days) VALUES (?, ?, ?)";
static const char span_update_sql[] =
    "UPDATE signal_check_spans SET earliest = ?, days = ? WHERE span = ?";

/* "head row, row, … row tail" with n rows: one statement that writes n rows. Owned. */
static char *rows_sql(const char *head, const char *row, int n, const char *tail)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, head);
	for (int i = 0; i < n; i++) {
		if (i)
			buf_addch(&b, ',');
		buf_adds(&b, row);
	}
	buf_adds(&b, tail);
	return buf_detach(&b, NULL);
}

/* The decimal digits of v (a record id: not negative) at the end of out[24]; their start. */
static char *digits(int64_t v, char out[24])
{
	char *p = out + 23;
	uint64_t u = v < 0 ? 0 : (uint64_t)v;
	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	return p;
}

/* "[id,id,…]": by hand, since the run writes one for every signal it raises or keeps. */
static void evidence_json(const struct signal_candidate *c, struct buf *b)
{
	char num[24];
	buf_reset(b);
	buf_addch(b, '[');
	for (int i = 0; i < c->nevidence; i++) {
		if (i)
			buf_addch(b, ',');
		buf_adds(b, digits(c->evidence[i], num));
	}
	buf_addch(b, ']');
}

static int run_stmt(struct stmt *st, struct err *e)
{
	int rc = stmt_step(st, e);
	stmt_reset(st);
	return rc < 0 ? -1 : 0;
}

static struct stored *find_stored(struct run *r, const char *key)
{
	for (size_t i = 0; i < r->nstored; i++)
		if (strcmp(r->stored[i].skey, key) == 0)
			return &r->stored[i];
	return NULL;
}

static void bind_ref(struct stmt *st, int i, const char *v)
{
	stmt_bind_text_ref(st, i, v, v ? strlen(v) : 0);
}

/* Bind the new signal n as the rows' k-th (from 0) of statement st. The texts are borrowed:
 * n and r outlive the statement's step (flush_inserts). */
static void bind_new_signal(struct stmt *st, int k, const struct new_signal *n, const struct run *r)
{
	int p = k * INSERT_PARAMS;
	bind_ref(st, p + 1, n->key);
	bind_ref(st, p + 2, n->rule);
	stmt_bind_int64(st, p + 3, n->person_id);
	bind_ref(st, p + 4, n->org_kind);
	bind_ref(st, p + 5, n->org_ident);
	bind_ref(st, p + 6, n->role);
	bind_ref(st, p + 7, n->region[0] ? n->region : NULL);
	bind_ref(st, p + 8, n->episode);
	bind_ref(st, p + 9, r->on_s);
	bind_ref(st, p + 10, n->due);
	bind_ref(st, p + 11, n->detail);
	bind_ref(st, p + 12, n->evidence);
	bind_ref(st, p + 13, r->now);
}

/*
 * Write the new signals collected so far, in the order they were raised (so their ids are
 * the same as when each is written at once): INSERTS_PER_STATEMENT in one statement, the
 * rest one by one.
 */
static int flush_inserts(struct run *r, struct err *e)
{
	int rc = 0;
	if (r->ninserts == INSERTS_PER_STATEMENT) {
		for (int k = 0; k < r->ninserts; k++)
			bind_new_signal(r->ins_many, k, &r->inserts[k], r);
		rc = run_stmt(r->ins_many, e);
	} else {
		for (int k = 0; k < r->ninserts && rc == 0; k++) {
			bind_new_signal(r->ins, 0, &r->inserts[k], r);
			rc = run_stmt(r->ins, e);
		}
	}
	for (int k = 0; k < r->ninserts; k++)
		free(r->inserts[k].evidence);
	r->ninserts = 0;
	return rc;
}

/* Keep one candidate: raise it, reopen it (resolved before) or update its detail and
 * evidence (open or in a case); a dismissed one stays dismissed and does not count as an
 * involvement for the match. */
static int apply_candidate(struct run *r, int64_t person_id, const char *region,
                           const struct signal_candidate *c, int due_days, bool *involved,
                           struct err *e)
{
	char key[160], due[DATE_STR_SIZE];
	struct buf ev = BUF_INIT;
	int rc = -1;
	signal_key(c, person_id, key, sizeof(key));
	evidence_json(c, &ev);
	date_t from = c->actionable > r->on ? c->actionable : r->on;
	date_format(from + due_days, due);
	struct stored *s = find_stored(r, key);
	*involved = true;
	if (!s) {
		struct new_signal *n = &r->inserts[r->ninserts];
		snprintf(n->key, sizeof(n->key), "%s", key);
		n->rule = signal_rule_name(c->rule);
		n->person_id = person_id;
		memcpy(n->org_kind, c->org_kind, sizeof(n->org_kind));
		memcpy(n->org_ident, c->org_ident, sizeof(n->org_ident));
		memcpy(n->role, c->role, sizeof(n->role));
		snprintf(n->region, sizeof(n->region), "%s", region ? region : "");
		if (c->episode == DATE_UNKNOWN)
			memcpy(n->episode, "-", 2);
		else
			date_format(c->episode, n->episode);
		memcpy(n->due, due, sizeof(n->due));
		memcpy(n->detail, c->detail, sizeof(n->detail));
		n->evidence = buf_detach(&ev, NULL);
		r->stats->raised++;
		if (++r->ninserts == INSERTS_PER_STATEMENT && flush_inserts(r, e) < 0)
			goto out;
	} else {
		s->seen = true;
		if (strcmp(s->state, "dismissed") == 0) {
			*involved = false;
		} else if (strcmp(s->state, "resolved") == 0) {
			struct stmt *st = r->reopen;
			stmt_bind_text(st, 1, due);
			stmt_bind_text(st, 2, c->detail);
			stmt_bind_text(st, 3, ev.data);
			stmt_bind_text(st, 4, r->now);
			stmt_bind_int64(st, 5, s->id);
			if (run_stmt(st, e) < 0)
				goto out;
			r->stats->reopened++;
		} else if (strcmp(s->detail, c->detail) != 0 || strcmp(s->evidence, ev.data) != 0) {
			struct stmt *st = r->update;
			stmt_bind_text(st, 1, c->detail);
			stmt_bind_text(st, 2, ev.data);
			stmt_bind_text(st, 3, r->now);
			stmt_bind_int64(st, 4, s->id);
			if (run_stmt(st, e) < 0)
				goto out;
			r->stats->updated++;
		}
	}
	rc = 0;
out:
	buf_release(&ev);
	return rc;
}

static int resolve_unseen(struct run *r, bool match_only, struct err *e)
{
	for (size_t i = 0; i < r->nstored; i++) {
		struct stored *s = &r->stored[i];
		bool is_match = !s->involvement[0];
		if (s->seen || strcmp(s->state, "open") != 0 || is_match != match_only)
			continue;
		stmt_bind_text(r->resolve, 1, r->on_s);
		stmt_bind_text(r->resolve, 2, r->now);
		stmt_bind_int64(r->resolve, 3, s->id);
		if (run_stmt(r->resolve, e) < 0)
			return -1;
		snprintf(s->state, sizeof(s->state), "resolved");
		r->stats->resolved++;
	}
	return 0;
}

/* "kind:ident/role" into out[56], cut to fit. */
static void involvement(char out[56], const char *kind, const char *ident, const char *role)
{
	const char *parts[] = {kind, ":", ident, "/", role};
	size_t n = 0;
	for (size_t i = 0; i < 5; i++) {
		size_t len = strlen(parts[i]);
		if (n + len > 55)
			len = 55 - n;
		memcpy(out + n, parts[i], len);
		n += len;
	}
	out[n] = '\0';
}

static void add_involved(const char ***list, size_t *n, size_t *cap, const char *org)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i], org) == 0)
			return;
	if (*n == *cap)
		XGROW(*list, *cap, *n + 1);
	(*list)[(*n)++] = org;
}

static void lower(date_t *wake, date_t on, date_t day)
{
	if (day != DATE_UNKNOWN && day != DATE_OPEN && day > on && day < *wake)
		*wake = day;
}

/*
 * The first day after `on` on which the person's records say something new: a period
 * starts or ends, a report gets its status, a death. The rules add their own thresholds.
 */
static date_t next_change(const struct timeline *t, date_t on)
{
	date_t wake = DATE_OPEN;
	for (size_t i = 0; i < t->n; i++) {
		const struct tl_record *r = &t->rec[i];
		lower(&wake, on, r->from);
		if (r->to != DATE_OPEN)
			lower(&wake, on, r->to + 1);
		lower(&wake, on, r->status_date);
		lower(&wake, on, r->died);
	}
	return wake;
}

/* ---- the next check days --------------------------------------------------------------- */

static void span_decode(const unsigned char *b, date_t *day)
{
	for (int i = 0; i < SPAN_PERSONS; i++, b += 4)
		day[i] = (date_t)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		                  (uint32_t)b[3] << 24);
}

/* The bytes of a span's days, and the lowest of them. */
static date_t span_encode(const date_t *day, unsigned char *b)
{
	date_t earliest = CHECK_NONE;
	for (int i = 0; i < SPAN_PERSONS; i++, b += 4) {
		uint32_t v = (uint32_t)day[i];
		b[0] = (unsigned char)v;
		b[1] = (unsigned char)(v >> 8);
		b[2] = (unsigned char)(v >> 16);
		b[3] = (unsigned char)(v >> 24);
		if (day[i] < earliest)
			earliest = day[i];
	}
	return earliest;
}

static void span_clear(struct span *sp, int64_t span)
{
	sp->span = span;
	for (int i = 0; i < SPAN_PERSONS; i++)
		sp->day[i] = CHECK_NONE;
	memset(sp->kept, 0, sizeof(sp->kept));
	sp->stored = sp->dirty = false;
}

/*
 * Write the window's spans that changed. Every person of the range a run covers is kept, so a
 * day the run did not set belongs to no person: a full run clears them all; an incremental
 * run clears those that were due (it queued them all, so no person has them).
 */
static int window_write(struct run *r, struct err *e)
{
	unsigned char bytes[SPAN_BYTES];
	for (int k = 0; k < r->nwindow; k++) {
		struct span *sp = &r->window[k];
		for (int i = 0; i < SPAN_PERSONS; i++)
			if (!sp->kept[i] && sp->day[i] != CHECK_NONE &&
			    (r->full || sp->day[i] <= r->on)) {
				sp->day[i] = CHECK_NONE;
				sp->dirty = true;
			}
		if (!sp->dirty)
			continue;
		date_t earliest = span_encode(sp->day, bytes);
		struct stmt *st = sp->stored ? r->span_upd : r->span_ins;
		int p = sp->stored ? 1 : 2;
		stmt_bind_int64(st, p, earliest);
		stmt_bind_blob(st, p + 1, bytes, sizeof(bytes));
		stmt_bind_int64(st, sp->stored ? 3 : 1, sp->span);
		if (run_stmt(st, e) < 0)
			return -1;
	}
	r->nwindow = 0;
	return 0;
}

/* Write the window and read the one that starts at span `first`. */
static int window_move(struct run *r, int64_t first, struct err *e)
{
	if (window_write(r, e) < 0)
		return -1;
	r->window_lo = first;
	r->nwindow = r->window_size;
	for (int k = 0; k < r->nwindow; k++)
		span_clear(&r->window[k], first + k);
	if (r->spans_empty)
		return 0;
	struct stmt *st = r->span_read;
	stmt_bind_int64(st, 1, first);
	stmt_bind_int64(st, 2, first + r->nwindow);
	int step;
	while ((step = stmt_step(st, e)) == STORE_ROW) {
		size_t len;
		const void *b = stmt_blob(st, 1, &len);
		struct span *sp = &r->window[stmt_int64(st, 0) - first];
		if (len != SPAN_BYTES) {
			stmt_reset(st);
			return err_set(e, ERR_INVALID,
			               "signal_check_spans: span %lld is not %d bytes",
			               (long long)sp->span, SPAN_BYTES);
		}
		span_decode(b, sp->day);
		sp->stored = true;
	}
	stmt_reset(st);
	return step < 0 ? -1 : 0;
}

/* Keep the next check day of a person, whom the run keeps in id order. */
static int set_check(struct run *r, int64_t person, date_t day, struct err *e)
{
	int64_t span = person >> SPAN_SHIFT;
	if ((r->nwindow == 0 || span >= r->window_lo + r->nwindow) && window_move(r, span, e) < 0)
		return -1;
	struct span *sp = &r->window[span - r->window_lo];
	int i = (int)(person & (SPAN_PERSONS - 1));
	sp->kept[i] = true;
	if (sp->day[i] != day) {
		sp->day[i] = day;
		sp->dirty = true;
	}
	return 0;
}

/* What the rules proposed for one person, between evaluating and keeping. */
struct pres {
	struct signal_list cand;
	date_t wake;
	const struct region_settings *rs;
	const char *region;
};

/* The settings of a region loaded before the evaluation started (read-only meanwhile). */
static const struct region_settings *settings_loaded(const struct run *r, const char *region)
{
	for (size_t i = 0; i < r->nregions; i++)
		if (strcmp(r->regions[i].set.region, region) == 0)
			return &r->regions[i];
	return &r->regions[0]; /* "" : every region's values and the defaults */
}

/* Load the settings of every region of the reference table, and of none (""), up front. */
static int preload_settings(struct run *r, struct err *e)
{
	if (!settings_for(r, "", e))
		return -1;
	for (size_t i = 0; i < r->nmunis; i++)
		if (!settings_for(r, r->munis[i].rmc, e))
			return -1;
	return 0;
}

/*
 * Run the rules on one person: status, region, settings, candidates and the next check day.
 * Reads only the person and what the run loaded before the evaluation.
 */
static void evaluate_person(const struct run *r, const struct timeline *t, struct pres *out)
{
	struct status st;
	const struct signal_settings *defaults = &r->defaults;
	status_compute(t, &defaults->status, r->on, &st);
	out->region = region_of(r, st.municipality);
	out->rs = settings_loaded(r, out->region);
	if (memcmp(&out->rs->set.status, &defaults->status, sizeof(defaults->status)) != 0)
		status_compute(t, &out->rs->set.status, r->on, &st);
	out->wake = next_change(t, r->on);
	struct rule_ctx rc = {.t = t,
	                      .st = &st,
	                      .on = r->on,
	                      .set = &out->rs->set,
	                      .rmc_municipality = out->rs->lead,
	                      .wake = &out->wake};
	out->cand.n = 0;
	signals_evaluate(&rc, &out->cand);
}

/* Keep what the rules proposed for one person (r->stored holds their stored signals). */
static int keep_person(struct run *r, const struct timeline *t, struct pres *res, struct err *e)
{
	const struct region_settings *rs = res->rs;
	const char **involved = NULL;
	size_t ninv = 0, capinv = 0;
	char(*names)[56] = xmalloc((res->cand.n + 1) * sizeof(*names));
	int rcode = -1;
	for (size_t i = 0; i < res->cand.n; i++) {
		const struct signal_candidate *c = &res->cand.c[i];
		bool inv;
		if (apply_candidate(r, t->person_id, res->region, c, rs->set.due_days[c->rule],
		                    &inv, e) < 0)
			goto out;
		if (inv) {
			involvement(names[i], c->org_kind, c->org_ident, c->role);
			add_involved(&involved, &ninv, &capinv, names[i]);
		}
	}
	if (resolve_unseen(r, false, e) < 0)
		goto out;
	for (size_t i = 0; i < r->nstored; i++)
		if (strcmp(r->stored[i].state, "in_case") == 0 && r->stored[i].involvement[0])
			add_involved(&involved, &ninv, &capinv, r->stored[i].involvement);
	struct signal_list match = {0};
	struct rule_ctx rc = {
	    .t = t, .on = r->on, .set = &rs->set, .involved = involved, .ninvolved = ninv};
	signal_rule_verwijsindex_match(&rc, &match);
	for (size_t i = 0; i < match.n; i++) {
		bool inv;
		if (apply_candidate(r, t->person_id, res->region, &match.c[i],
		                    rs->set.due_days[RULE_VERWIJSINDEX_MATCH], &inv, e) < 0) {
			signal_list_release(&match);
			goto out;
		}
	}
	signal_list_release(&match);
	if (resolve_unseen(r, true, e) < 0)
		goto out;
	if (set_check(r, t->person_id, res->wake, e) < 0)
		goto out;
	r->stats->persons++;
	rcode = 0;
out:
	free(involved);
	free(names);
	return rcode;
}

/* ---- streaming the persons ----------------------------------------------------------------- */

/*
 * What a run reads of a block of person ids, in three streams in id order that the reader
 * merges: the persons (merged ones too: their records moved to the survivor, so their open
 * signals resolve), their records, and their stored signals. Each is a plain range (or
 * queue) lookup that both back ends answer from an index, block after block. The records
 * come in the order of their index (person, stream, key), not by id: sorting a block's
 * records by id cost SQLite as much as reading them, so the reader puts each person's few
 * records in id order itself (sort_records). With two readers each reads its stripes of ids
 * by ranges of their own (struct reader). The queue variants visit only the persons an
 * incremental run queued; CROSS JOIN
 * makes SQLite walk the (small) queue, PostgreSQL plans it as the join it is. The stored next
 * check days are the run's own business (set_check).
 */
static const char persons_range_sql[] =
    "SELECT id, birth_date FROM persons WHERE id >= ? AND id < ? ORDER BY id";
static const char persons_queue_sql[] =
    "SELECT p.id, p.birth_date FROM signal_queue q CROSS JOIN persons p"
    " WHERE p.id = q.person_id AND q.person_id >= ? AND q.person_id < ? ORDER BY p.id";
static const char records_range_sql[] =
    "SELECT person_id, id, feed, content, valid_from, valid_to FROM feed_records"
    " WHERE person_id >= ? AND person_id < ? ORDER BY person_id";
static const char records_queue_sql[] =
    "SELECT r.person_id, r.id, r.feed, r.content, r.valid_from, r.valid_to"
    " FROM signal_queue q CROSS JOIN feed_records r"
    " WHERE r.person_id = q.person_id AND q.person_id >= ? AND q.person_id < ?"
    " ORDER BY r.person_id";
static const char signals_range_sql[] =
    "SELECT person_id, id, skey, state, detail, evidence, rule, org_kind, org_ident, role"
    " FROM signals WHERE person_id >= ? AND person_id < ? ORDER BY person_id, id";
static const char signals_queue_sql[] =
    "SELECT s.person_id, s.id, s.skey, s.state, s.detail, s.evidence, s.rule, s.org_kind,"
    " s.org_ident, s.role FROM signal_queue q CROSS JOIN signals s"
    " WHERE s.person_id = q.person_id AND q.person_id >= ? AND q.person_id < ?"
    " ORDER BY s.person_id, s.id";

/*
 * A batch of persons with everything the keeping needs: their records, their stored signals
 * (stored[from[i]] up to stored[from[i + 1]]), and what the rules proposed. A reader fills
 * and evaluates it (evaluate_person reads nothing but the batch and what the run loaded up
 * front); the run keeps it. The batch is small so that its records stay in the processor's
 * cache between reading and evaluating; with two readers a batch is one stripe of
 * BATCH_PERSONS ids.
 */
#define BATCH_PERSONS 250

struct batch {
	struct timeline t[BATCH_PERSONS];
	struct pres res[BATCH_PERSONS];
	size_t from[BATCH_PERSONS + 1];
	size_t n;
	bool done; /* no persons are left to read: n is 0 */
	struct stored *stored;
	size_t nstored, capstored;
};

static struct batch *batch_new(void)
{
	struct batch *b = xcalloc(1, sizeof(*b));
	for (size_t j = 0; j < BATCH_PERSONS; j++)
		timeline_init(&b->t[j]);
	return b;
}

static void batch_clear_stored(struct batch *b)
{
	for (size_t i = 0; i < b->nstored; i++) {
		free(b->stored[i].skey);
		free(b->stored[i].detail);
		free(b->stored[i].evidence);
	}
	b->nstored = 0;
}

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	for (size_t j = 0; j < BATCH_PERSONS; j++) {
		timeline_release(&b->t[j]);
		signal_list_release(&b->res[j].cand);
	}
	batch_clear_stored(b);
	free(b->stored);
	free(b);
}

/*
 * A reader of the persons of a run, block of ids after block from `next_block` up to `hi`:
 * on the run's own connection (an incremental run, which reads the queue of its own
 * transaction) or on one of its own (a reader thread of a full run). With nstripes > 1 it
 * reads only the stripes of `width` ids whose number (id / width) is `stripe` modulo
 * nstripes, one batch per stripe, empty or not, so that the run can take the stripes from
 * the readers in turn; each stripe by range queries of its own. Reading a block's range and
 * leaving out the other reader's stripes cost SQLite a tenth of the run, and made PostgreSQL
 * scan the whole table for every block of a small region.
 */
struct reader {
	struct store *s;
	const struct run *r;
	bool full;
	int64_t next_block, hi;
	int64_t width, nstripes, stripe, next_stripe; /* next_stripe: its first id */
	struct stmt *ps, *rs, *ss; /* persons, records, stored signals of the block or stripe */
	int pstep, rstep, sstep;
};

static void reader_close_block(struct reader *rd)
{
	stmt_free(rd->ps);
	stmt_free(rd->rs);
	stmt_free(rd->ss);
	rd->ps = rd->rs = rd->ss = NULL;
}

static int open_stream(struct reader *rd, const char *sql, int64_t lo, int64_t hi,
                       struct stmt **st, int *step, struct err *e)
{
	if (store_prepare(rd->s, sql, st, e) < 0)
		return -1;
	stmt_bind_int64(*st, 1, lo);
	stmt_bind_int64(*st, 2, hi);
	*step = stmt_step(*st, e);
	return *step < 0 ? -1 : 0;
}

/* Open the streams of the ids from lo up to hi: all of them (a full run) or the queued ones. */
static int reader_open_range(struct reader *rd, int64_t lo, int64_t hi, struct err *e)
{
	bool f = rd->full;
	return open_stream(rd, f ? persons_range_sql : persons_queue_sql, lo, hi, &rd->ps,
	                   &rd->pstep, e) < 0 ||
	               open_stream(rd, f ? records_range_sql : records_queue_sql, lo, hi, &rd->rs,
	                           &rd->rstep, e) < 0 ||
	               open_stream(rd, f ? signals_range_sql : signals_queue_sql, lo, hi, &rd->ss,
	                           &rd->sstep, e) < 0
	           ? -1
	           : 0;
}

/* Open the block that starts at next_block. */
static int reader_open_block(struct reader *rd, struct err *e)
{
	int64_t lo = rd->next_block;
	rd->next_block = lo + rd->r->block;
	return reader_open_range(rd, lo, rd->next_block, e);
}

/* A person's records in id order, as the rules have always seen them (a handful: insertion). */
static void sort_records(struct timeline *t)
{
	for (size_t i = 1; i < t->n; i++) {
		if (t->rec[i - 1].id <= t->rec[i].id)
			continue;
		struct tl_record r = t->rec[i];
		size_t j = i;
		for (; j > 0 && t->rec[j - 1].id > r.id; j--)
			t->rec[j] = t->rec[j - 1];
		t->rec[j] = r;
	}
}

/* Add the records of `person` from the record stream to t, in id order. */
static int read_records(struct reader *rd, struct timeline *t, int64_t person, struct err *e)
{
	struct stmt *rs = rd->rs;
	int64_t id;
	while (rd->rstep == STORE_ROW && (id = stmt_int64(rs, 0)) <= person) {
		if (id == person &&
		    timeline_add(t, stmt_int64(rs, 1), stmt_text(rs, 2), stmt_text(rs, 3),
		                 stmt_text(rs, 4), stmt_text(rs, 5), e) < 0)
			return -1;
		rd->rstep = stmt_step(rs, e);
	}
	sort_records(t);
	return rd->rstep < 0 ? -1 : 0;
}

/* Add the stored signals of `person` from the signal stream to b. */
static int read_stored(struct reader *rd, struct batch *b, int64_t person, struct err *e)
{
	struct stmt *sig = rd->ss;
	int64_t id;
	while (rd->sstep == STORE_ROW && (id = stmt_int64(sig, 0)) <= person) {
		if (id == person) {
			if (b->nstored == b->capstored)
				XGROW(b->stored, b->capstored, b->nstored + 1);
			struct stored *s = &b->stored[b->nstored++];
			memset(s, 0, sizeof(*s));
			s->id = stmt_int64(sig, 1);
			s->skey = xstrdup(stmt_text(sig, 2));
			snprintf(s->state, sizeof(s->state), "%s", stmt_text(sig, 3));
			s->detail = xstrdup(stmt_text(sig, 4));
			s->evidence = xstrdup(stmt_text(sig, 5));
			if (strcmp(stmt_text(sig, 6), "verwijsindex_match") != 0)
				involvement(s->involvement, stmt_text(sig, 7), stmt_text(sig, 8),
				            stmt_text(sig, 9));
		}
		rd->sstep = stmt_step(sig, e);
	}
	return rd->sstep < 0 ? -1 : 0;
}

/*
 * Fill b with the next persons (up to BATCH_PERSONS, or those of the next stripe), their
 * records and stored signals, opening blocks as needed, and evaluate them. b->done when no
 * person is left to read.
 */
static int reader_next(struct reader *rd, struct batch *b, struct err *e)
{
	int64_t until = INT64_MAX; /* the first id after the batch */
	b->n = 0;
	b->done = false;
	batch_clear_stored(b);
	if (rd->nstripes > 1) {
		if (rd->next_stripe > rd->hi) {
			b->done = true;
			return 0;
		}
		int64_t first = rd->next_stripe;
		until = first + rd->width;
		rd->next_stripe += rd->nstripes * rd->width;
		reader_close_block(rd);
		if (reader_open_range(rd, first, until, e) < 0)
			return -1;
	}
	while (!rd->ps || (rd->pstep != STORE_ROW && rd->nstripes == 1)) {
		reader_close_block(rd);
		if (rd->hi <= 0 || rd->next_block > rd->hi) {
			b->done = rd->nstripes == 1;
			return 0;
		}
		if (reader_open_block(rd, e) < 0)
			return -1;
	}
	struct stmt *ps = rd->ps;
	while (rd->pstep == STORE_ROW && b->n < BATCH_PERSONS && stmt_int64(ps, 0) < until) {
		struct timeline *t = &b->t[b->n];
		timeline_clear(t);
		t->person_id = stmt_int64(ps, 0);
		const char *birth = stmt_text(ps, 1);
		if (birth && date_parse(birth, &t->birth, e) < 0)
			return -1;
		b->from[b->n] = b->nstored;
		if (read_records(rd, t, t->person_id, e) < 0 ||
		    read_stored(rd, b, t->person_id, e) < 0)
			return -1;
		b->n++;
		rd->pstep = stmt_step(ps, e);
	}
	if (rd->pstep < 0)
		return -1;
	b->from[b->n] = b->nstored;
	for (size_t i = 0; i < b->n; i++)
		evaluate_person(rd->r, &b->t[i], &b->res[i]);
	return 0;
}

/* Keep the persons of a batch, in order. */
static int keep_batch(struct run *r, struct batch *b, struct err *e)
{
	for (size_t i = 0; i < b->n; i++) {
		r->stored = &b->stored[b->from[i]];
		r->nstored = b->from[i + 1] - b->from[i];
		if (keep_person(r, &b->t[i], &b->res[i], e) < 0)
			return -1;
	}
	r->stored = NULL;
	r->nstored = 0;
	return 0;
}

/*
 * The reader threads of a full run. Each reads and evaluates on a connection of its own into
 * a ring of SLOTS batches; with two, each takes every other stripe of BATCH_PERSONS ids of
 * every block, and the run takes the stripes from them in turn, so that both read at once
 * and the run keeps the persons in id order, as one thread would. The run's transaction holds
 * the write lock (SQLite) for the whole run, and the readers hold disjoint persons, so a
 * reader sees what the run would read itself: the signals are the same, with the same ids,
 * however many threads read (tests/unit/u-signals.c compares them).
 */
#define SLOTS   4
#define FEEDERS 2

struct feeder {
	struct reader rd;
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *slot[SLOTS];
	bool full[SLOTS];    /* slot i holds a batch to keep */
	size_t filled, kept; /* batches made and kept so far */
	bool stop;           /* the run asks the reader to stop */
	int rc;              /* the reader's outcome, once it has stopped */
	struct err err;
};

static void *feeder_main(void *arg)
{
	struct feeder *f = arg;
	for (;;) {
		size_t i = f->filled % SLOTS;
		pthread_mutex_lock(&f->mu);
		while (f->full[i] && !f->stop)
			pthread_cond_wait(&f->cv, &f->mu);
		bool stop = f->stop;
		pthread_mutex_unlock(&f->mu);
		if (stop)
			break;
		struct batch *b = f->slot[i];
		int rc = reader_next(&f->rd, b, &f->err);
		if (rc < 0) {
			b->n = 0;
			b->done = true;
		}
		pthread_mutex_lock(&f->mu);
		f->rc = rc;
		f->full[i] = true;
		f->filled++;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		if (b->done)
			break;
	}
	reader_close_block(&f->rd);
	return NULL;
}

/* The next batch of feeder f, waiting for it; give it back with feeder_release. */
static struct batch *feeder_take(struct feeder *f)
{
	size_t i = f->kept % SLOTS;
	pthread_mutex_lock(&f->mu);
	while (!f->full[i])
		pthread_cond_wait(&f->cv, &f->mu);
	pthread_mutex_unlock(&f->mu);
	return f->slot[i];
}

static void feeder_release(struct feeder *f)
{
	pthread_mutex_lock(&f->mu);
	f->full[f->kept % SLOTS] = false;
	f->kept++;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

static void feeder_stop(struct feeder *f)
{
	if (f->started) {
		pthread_mutex_lock(&f->mu);
		f->stop = true;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->thread, NULL);
	}
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	for (int i = 0; i < SLOTS; i++)
		batch_free(f->slot[i]);
	store_close(f->rd.s);
}

/*
 * The first id of the run's first stripe and block, and the stripe width: stripes of
 * BATCH_PERSONS ids when blocks hold a whole number of them, else a block each.
 */
static void stripes(const struct run *r, int64_t lo, int64_t *start, int64_t *width)
{
	*width = r->block % BATCH_PERSONS == 0 ? BATCH_PERSONS : r->block;
	*start = lo - lo % *width;
}

/* Read and evaluate every person of a full run with n reader threads, and keep them. */
static int run_threaded(struct run *r, int n, int64_t lo, int64_t hi, struct err *e)
{
	struct feeder f[FEEDERS];
	int64_t start, width;
	int rc = -1;
	stripes(r, lo, &start, &width);
	memset(f, 0, sizeof(f));
	for (int k = 0; k < n; k++) {
		f[k].rd = (struct reader){.r = r,
		                          .full = true,
		                          .next_block = start,
		                          .hi = hi,
		                          .width = n > 1 ? width : 1,
		                          .nstripes = n,
		                          .stripe = k,
		                          .next_stripe = start + k * width};
		pthread_mutex_init(&f[k].mu, NULL);
		pthread_cond_init(&f[k].cv, NULL);
		for (int i = 0; i < SLOTS; i++)
			f[k].slot[i] = batch_new();
	}
	for (int k = 0; k < n; k++) {
		if (store_open_again(r->s, &f[k].rd.s, e) < 0)
			goto out;
		if (pthread_create(&f[k].thread, NULL, feeder_main, &f[k]) != 0) {
			err_set(e, ERR_INTERNAL, "signals run: cannot start a reader thread");
			goto out;
		}
		f[k].started = true;
	}
	/* Batch g comes from reader g % n: with two, stripe after stripe in id order. */
	for (int64_t g = 0;; g++) {
		struct feeder *fk = &f[g % n];
		struct batch *b = feeder_take(fk);
		if (fk->rc < 0) {
			*e = fk->err;
			goto out;
		}
		if (b->done) {
			rc = 0;
			goto out;
		}
		int kept = keep_batch(r, b, e);
		feeder_release(fk);
		if (kept < 0)
			goto out;
	}
out:
	for (int k = 0; k < n; k++)
		feeder_stop(&f[k]);
	return rc;
}

/* Read, evaluate and keep the persons in turn on the run's own connection. */
static int run_inline(struct run *r, bool full, int64_t lo, int64_t hi, struct err *e)
{
	int64_t start, width;
	stripes(r, lo, &start, &width);
	struct reader rd = {.s = r->s,
	                    .r = r,
	                    .full = full,
	                    .next_block = full ? start : lo,
	                    .hi = hi,
	                    .width = 1,
	                    .nstripes = 1};
	struct batch *b = batch_new();
	int rc;
	while ((rc = reader_next(&rd, b, e)) == 0 && !b->done)
		if ((rc = keep_batch(r, b, e)) < 0)
			break;
	reader_close_block(&rd);
	batch_free(b);
	return rc;
}

static const char last_run_sql[] =
    "SELECT max_import FROM signal_runs WHERE id = (SELECT MAX(id) FROM signal_runs)";
static const char any_run_sql[] = "SELECT COUNT(*) FROM signal_runs";
static const char max_import_sql[] = "SELECT COALESCE(MAX(id), 0) FROM imports";
static const char queue_clear_sql[] = "DELETE FROM signal_queue";
/* Not DISTINCT: SQLite would then walk the whole person index rather than the two small
 * ones of the changed and ended records. */
static const char queue_fill_sql[] =
    "INSERT INTO signal_queue (person_id)"
    " SELECT person_id FROM feed_records WHERE last_import > ? OR ended_import > ?"
    " ON CONFLICT (person_id) DO NOTHING";
/* The persons whose next check day has come are in the spans whose earliest day has (in any
 * order: the queue is read in id order; ORDER BY span would have SQLite scan every span). */
static const char spans_due_sql[] = "SELECT span, days FROM signal_check_spans WHERE earliest <= ?";
static const char queue_head_sql[] = "INSERT INTO signal_queue (person_id) VALUES";
static const char queue_row_sql[] = " (?)";
static const char queue_tail_sql[] = " ON CONFLICT (person_id) DO NOTHING";
#define QUEUE_PER_INSERT 100
static const char id_range_sql[] = "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM persons";
static const char queue_range_sql[] =
    "SELECT COALESCE(MIN(person_id), 0), COALESCE(MAX(person_id), 0) FROM signal_queue";
static const char run_insert_sql[] =
    "INSERT INTO signal_runs (run_on, full_run, max_import, started_at, duration_ms, persons,"
    " raised, resolved, reopened) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char open_count_sql[] = "SELECT COUNT(*) FROM signals WHERE state = 'open'";
static const char spans_empty_sql[] =
    "SELECT COUNT(*) FROM (SELECT span FROM signal_check_spans LIMIT 1) c";

static int range(struct store *s, const char *sql, int64_t *lo, int64_t *hi, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	int step = stmt_step(st, e);
	if (step == STORE_ROW) {
		*lo = stmt_int64(st, 0);
		*hi = stmt_int64(st, 1);
	}
	stmt_free(st);
	return step < 0 ? -1 : 0;
}

/* Queue the persons ids[0..n) that are not queued yet: QUEUE_PER_INSERT in one statement, or
 * one by one. */
static int queue_ids(struct stmt *many, struct stmt *one, const int64_t *ids, int n, struct err *e)
{
	if (n == QUEUE_PER_INSERT) {
		for (int k = 0; k < n; k++)
			stmt_bind_int64(many, k + 1, ids[k]);
		return run_stmt(many, e);
	}
	for (int k = 0; k < n; k++) {
		stmt_bind_int64(one, 1, ids[k]);
		if (run_stmt(one, e) < 0)
			return -1;
	}
	return 0;
}

/* The persons with records changed by an import after `since`, and those due on r->on. */
static int fill_queue(struct run *r, int64_t since, struct err *e)
{
	struct stmt *st = NULL, *many = NULL, *one = NULL;
	char *many_sql = rows_sql(queue_head_sql, queue_row_sql, QUEUE_PER_INSERT, queue_tail_sql);
	char *one_sql = rows_sql(queue_head_sql, queue_row_sql, 1, queue_tail_sql);
	int64_t ids[QUEUE_PER_INSERT];
	date_t day[SPAN_PERSONS];
	int n = 0, rc = -1, step;
	if (store_exec(r->s, queue_clear_sql, e) < 0 ||
	    store_prepare(r->s, queue_fill_sql, &st, e) < 0)
		goto out;
	stmt_bind_int64(st, 1, since);
	stmt_bind_int64(st, 2, since);
	if (stmt_step(st, e) < 0)
		goto out;
	stmt_free(st);
	st = NULL;
	if (store_prepare(r->s, many_sql, &many, e) < 0 ||
	    store_prepare(r->s, one_sql, &one, e) < 0 ||
	    store_prepare(r->s, spans_due_sql, &st, e) < 0)
		goto out;
	stmt_bind_int64(st, 1, r->on);
	while ((step = stmt_step(st, e)) == STORE_ROW) {
		size_t len;
		const void *b = stmt_blob(st, 1, &len);
		int64_t first = stmt_int64(st, 0) << SPAN_SHIFT;
		if (len != SPAN_BYTES) {
			err_set(e, ERR_INVALID, "signal_check_spans: span %lld is not %d bytes",
			        (long long)stmt_int64(st, 0), SPAN_BYTES);
			goto out;
		}
		span_decode(b, day);
		for (int i = 0; i < SPAN_PERSONS; i++) {
			if (day[i] > r->on)
				continue;
			ids[n++] = first + i;
			if (n < QUEUE_PER_INSERT)
				continue;
			if (queue_ids(many, one, ids, n, e) < 0)
				goto out;
			n = 0;
		}
	}
	if (step < 0 || queue_ids(many, one, ids, n, e) < 0)
		goto out;
	rc = 0;
out:
	stmt_free(st);
	stmt_free(many);
	stmt_free(one);
	free(many_sql);
	free(one_sql);
	return rc;
}

static int record_run(struct run *r, double started, struct err *e)
{
	struct signal_run_stats *x = r->stats;
	struct stmt *st;
	if (store_prepare(r->s, run_insert_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, r->on_s);
	stmt_bind_int64(st, 2, x->full);
	stmt_bind_int64(st, 3, x->max_import);
	stmt_bind_text(st, 4, r->now);
	stmt_bind_int64(st, 5, (int64_t)((seconds_now() - started) * 1000));
	stmt_bind_int64(st, 6, x->persons);
	stmt_bind_int64(st, 7, x->raised);
	stmt_bind_int64(st, 8, x->resolved);
	stmt_bind_int64(st, 9, x->reopened);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static void run_release(struct run *r)
{
	stmt_free(r->ins);
	stmt_free(r->ins_many);
	for (int k = 0; k < r->ninserts; k++)
		free(r->inserts[k].evidence);
	stmt_free(r->reopen);
	stmt_free(r->update);
	stmt_free(r->resolve);
	stmt_free(r->span_read);
	stmt_free(r->span_ins);
	stmt_free(r->span_upd);
	free(r->window);
	free(r->munis);
	free(r->regions);
}

/* Prepare the run's writing statements. */
static int prepare_writes(struct run *r, struct err *e)
{
	char *ins = rows_sql(insert_head_sql, insert_row_sql, 1, "");
	char *ins_many = rows_sql(insert_head_sql, insert_row_sql, INSERTS_PER_STATEMENT, "");
	int rc = store_prepare(r->s, ins, &r->ins, e) < 0 ||
	                 store_prepare(r->s, ins_many, &r->ins_many, e) < 0 ||
	                 store_prepare(r->s, reopen_sql, &r->reopen, e) < 0 ||
	                 store_prepare(r->s, update_sql, &r->update, e) < 0 ||
	                 store_prepare(r->s, resolve_sql, &r->resolve, e) < 0 ||
	                 store_prepare(r->s, span_read_sql, &r->span_read, e) < 0 ||
	                 store_prepare(r->s, span_insert_sql, &r->span_ins, e) < 0 ||
	                 store_prepare(r->s, span_update_sql, &r->span_upd, e) < 0
	             ? -1
	             : 0;
	free(ins);
	free(ins_many);
	return rc;
}

int signals_run_opts(struct store *s, const struct access *who, date_t on,
                     const struct signal_run_opts *o, struct signal_run_stats *stats, struct err *e)
{
	double started = seconds_now();
	bool full = o->full;
	int threads = o->threads > 0 ? o->threads : SIGNALS_THREADS;
	struct run r = {.s = s,
	                .on = on,
	                .stats = stats,
	                .block = o->block_persons > 0 ? o->block_persons : BLOCK_PERSONS};
	int rc = -1;
	int64_t lo = 0, hi = 0, runs = 0, last = 0, empty = 0;
	memset(stats, 0, sizeof(*stats));
	signal_settings_default(&r.defaults);
	date_format(on, r.on_s);
	now_text(r.now);
	if (store_begin(s, e) < 0)
		return -1;
	if (load_munis(&r, e) < 0 || preload_settings(&r, e) < 0 ||
	    store_query_int64(s, max_import_sql, &stats->max_import, e) < 0 ||
	    store_query_int64(s, any_run_sql, &runs, e) < 0)
		goto out;
	if (runs == 0)
		full = true; /* nothing to be incremental from */
	else if (!full && store_query_int64(s, last_run_sql, &last, e) < 0)
		goto out;
	stats->full = full;
	r.full = full;
	r.window_size = full ? SPAN_WINDOW : 1;
	r.window = xcalloc((size_t)r.window_size, sizeof(*r.window));
	if (prepare_writes(&r, e) < 0)
		goto out;
	if (full && store_query_int64(s, spans_empty_sql, &empty, e) < 0)
		goto out;
	r.spans_empty = full && empty == 0;
	if (!full && fill_queue(&r, last, e) < 0)
		goto out;
	if (range(s, full ? id_range_sql : queue_range_sql, &lo, &hi, e) < 0)
		goto out;
	int readers = threads - 1 > FEEDERS ? FEEDERS : threads - 1;
	if (full && readers > 0 ? run_threaded(&r, readers, lo, hi, e) < 0
	                        : run_inline(&r, full, lo, hi, e) < 0)
		goto out;
	if (flush_inserts(&r, e) < 0 || window_write(&r, e) < 0 ||
	    (!full && store_exec(s, queue_clear_sql, e) < 0) ||
	    store_query_int64(s, open_count_sql, &lo, e) < 0)
		goto out;
	stats->open = lo;
	char detail[160];
	snprintf(detail, sizeof(detail),
	         "on %s, %s: %ld persons, %ld raised, %ld resolved, "
	         "%ld reopened",
	         r.on_s, full ? "full" : "incremental", stats->persons, stats->raised,
	         stats->resolved, stats->reopened);
	if (record_run(&r, started, e) < 0 ||
	    audit_append(s, who, "signals.run", NULL, detail, e) < 0 || store_commit(s, e) < 0)
		goto out;
	stats->seconds = seconds_now() - started;
	rc = 0;
out:
	if (rc < 0)
		store_rollback(s);
	run_release(&r);
	return rc;
}

int signals_run(struct store *s, const struct access *who, date_t on, bool full,
                struct signal_run_stats *stats, struct err *e)
{
	struct signal_run_opts o = {.full = full};
	return signals_run_opts(s, who, on, &o, stats, e);
}

/* ---- people's actions ---------------------------------------------------------------------- */

static const char state_sql[] = "SELECT s.state, p.pkey, s.person_id FROM signals s"
                                " JOIN persons p ON p.id = s.person_id WHERE s.id = ?";
static const char dismiss_sql[] =
    "UPDATE signals SET state = ?, reason = ?, handled_by = ?, handled_at = ?, updated_at = ?"
    " WHERE id = ?";
static const char span_one_sql[] = "SELECT days FROM signal_check_spans WHERE span = ?";

/* Visit `person` at the next incremental run: next check day 0 in their span. */
static int check_again(struct store *s, int64_t person, struct err *e)
{
	struct stmt *st = NULL;
	date_t day[SPAN_PERSONS];
	unsigned char bytes[SPAN_BYTES];
	int64_t span = person >> SPAN_SHIFT;
	int rc = -1;
	if (store_prepare(s, span_one_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, span);
	int step = stmt_step(st, e);
	if (step < 0)
		goto out;
	bool stored = step == STORE_ROW;
	size_t len = 0;
	const void *b = stored ? stmt_blob(st, 0, &len) : NULL;
	if (stored && len != SPAN_BYTES) {
		err_set(e, ERR_INVALID, "signal_check_spans: span %lld is not %d bytes",
		        (long long)span, SPAN_BYTES);
		goto out;
	}
	if (stored)
		span_decode(b, day);
	else
		for (int i = 0; i < SPAN_PERSONS; i++)
			day[i] = CHECK_NONE;
	stmt_free(st);
	st = NULL;
	day[person & (SPAN_PERSONS - 1)] = 0;
	date_t earliest = span_encode(day, bytes);
	if (store_prepare(s, stored ? span_update_sql : span_insert_sql, &st, e) < 0)
		goto out;
	stmt_bind_int64(st, stored ? 1 : 2, earliest);
	stmt_bind_blob(st, stored ? 2 : 3, bytes, sizeof(bytes));
	stmt_bind_int64(st, stored ? 3 : 1, span);
	if (stmt_step(st, e) < 0)
		goto out;
	rc = 0;
out:
	stmt_free(st);
	return rc;
}

/* Move open signal `id` to `state`; the person is visited by the next incremental run,
 * because the Verwijsindex match depends on who is still involved. */
static int handle(struct store *s, const struct access *who, int64_t id, const char *state,
                  const char *reason, struct err *e)
{
	struct stmt *st = NULL;
	int rc = -1;
	char now[32], pkey[72], detail[64];
	int64_t person = 0;
	now_text(now);
	if (store_begin(s, e) < 0)
		return -1;
	if (store_prepare(s, state_sql, &st, e) < 0)
		goto out;
	stmt_bind_int64(st, 1, id);
	int step = stmt_step(st, e);
	if (step < 0)
		goto out;
	if (step == STORE_DONE) {
		err_set(e, ERR_NOTFOUND, "no signal %lld", (long long)id);
		goto out;
	}
	if (strcmp(stmt_text(st, 0), "open") != 0) {
		err_set(e, ERR_CONFLICT, "signal %lld is %s, not open", (long long)id,
		        stmt_text(st, 0));
		goto out;
	}
	snprintf(pkey, sizeof(pkey), "%s", stmt_text(st, 1));
	person = stmt_int64(st, 2);
	stmt_free(st);
	st = NULL;
	if (store_prepare(s, dismiss_sql, &st, e) < 0)
		goto out;
	stmt_bind_text(st, 1, state);
	stmt_bind_text(st, 2, reason);
	stmt_bind_text(st, 3, who->actor ? who->actor : "?");
	stmt_bind_text(st, 4, now);
	stmt_bind_text(st, 5, now);
	stmt_bind_int64(st, 6, id);
	if (stmt_step(st, e) < 0)
		goto out;
	stmt_free(st);
	st = NULL;
	if (check_again(s, person, e) < 0)
		goto out;
	snprintf(detail, sizeof(detail), "signal %lld %s", (long long)id, state);
	if (audit_append(s, who, "signals.handle", pkey, detail, e) < 0 || store_commit(s, e) < 0)
		goto out;
	rc = 0;
out:
	stmt_free(st);
	if (rc < 0)
		store_rollback(s);
	return rc;
}

int signal_dismiss(struct store *s, const struct access *who, int64_t id, const char *reason,
                   struct err *e)
{
	if (!reason || !*reason)
		return err_set(e, ERR_INVALID, "dismissing signal %lld needs a reason",
		               (long long)id);
	return handle(s, who, id, "dismissed", reason, e);
}

int signal_take_into_case(struct store *s, const struct access *who, int64_t id, struct err *e)
{
	return handle(s, who, id, "in_case", NULL, e);
}

/* ---- listing ------------------------------------------------------------------------------- */

static const char list_sql[] =
    "SELECT s.id, s.rule, p.pkey, s.org_kind, s.org_ident, s.role, s.region, s.episode,"
    " s.state, s.raised_on, s.due_on, s.resolved_on, s.reopened, s.detail, s.evidence, s.reason"
    " FROM signals s JOIN persons p ON p.id = s.person_id"
    " WHERE (CAST(? AS TEXT) IS NULL OR s.org_kind = ?)"
    " AND (CAST(? AS TEXT) IS NULL OR s.org_ident = ?)"
    " AND (CAST(? AS TEXT) IS NULL OR s.rule = ?)"
    " AND (CAST(? AS TEXT) IS NULL OR p.pkey = ?)"
    " AND (? = 0 OR s.state IN ('open', 'in_case'))"
    " ORDER BY s.id DESC";

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static bool role_allowed(unsigned roles, const char *role)
{
	if (!roles)
		return true;
	for (unsigned bit = 1; bit < (1u << ROLE_COUNT); bit <<= 1)
		if ((roles & bit) && role_name(bit) && strcmp(role_name(bit), role) == 0)
			return true;
	return false;
}

static const char record_feed_sql[] = "SELECT feed FROM feed_records WHERE id = ?";

/*
 * What a signal shows a viewer without care details (access_role_kinds, docs/access.md): the
 * evidence without the care records it cites, and a Verwijsindex match without the care
 * organisations involved. The rule still saw everything; only the showing is narrowed.
 */
static int redact_care(struct store *s, struct signal_row *row, struct err *e)
{
	json_t *ev = json_loads(row->evidence, 0, NULL);
	json_t *kept = json_array();
	struct stmt *st = NULL;
	int rc = 0;
	size_t i;
	json_t *v;
	json_array_foreach(ev, i, v)
	{
		if (!json_is_integer(v))
			continue;
		if ((!st && store_prepare(s, record_feed_sql, &st, e) < 0)) {
			rc = -1;
			break;
		}
		stmt_reset(st);
		stmt_bind_int64(st, 1, json_integer_value(v));
		int step = stmt_step(st, e);
		if (step < 0) {
			rc = -1;
			break;
		}
		if (step == STORE_ROW && tl_feed_of(stmt_text(st, 0)) == TL_CARE)
			continue;
		json_array_append(kept, v);
	}
	stmt_free(st);
	json_decref(ev);
	if (rc == 0) {
		free(row->evidence);
		row->evidence = json_dumps(kept, JSON_COMPACT);
	}
	json_decref(kept);
	json_t *detail = json_loads(row->detail, 0, NULL);
	json_t *involved = json_object_get(detail, "involved");
	if (rc == 0 && json_is_array(involved)) {
		json_t *others = json_array();
		json_array_foreach(involved, i, v)
		{
			const char *who = json_string_value(v);
			const char *role = who ? strrchr(who, '/') : NULL;
			if (!role || strcmp(role, "/care") != 0)
				json_array_append(others, v);
		}
		json_object_set_new(detail, "involved", others);
		free(row->detail);
		row->detail = json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
	json_decref(detail);
	return rc;
}

int signal_list(struct store *s, const struct access *who, const struct signal_filter *f,
                struct signal_row **out, size_t *n, struct err *e)
{
	struct stmt *st;
	size_t cap = 0;
	long skipped = 0;
	*out = NULL;
	*n = 0;
	if (store_prepare(s, list_sql, &st, e) < 0)
		return -1;
	const char *args[] = {f->org_kind, f->org_ident, f->rule, f->pkey};
	for (int i = 0; i < 4; i++) {
		stmt_bind_text(st, 2 * i + 1, args[i]);
		stmt_bind_text(st, 2 * i + 2, args[i]);
	}
	stmt_bind_int64(st, 9, f->open_only);
	int step;
	while ((step = stmt_step(st, e)) == STORE_ROW) {
		if (!role_allowed(f->roles, stmt_text(st, 5)))
			continue;
		if (skipped++ < f->offset)
			continue;
		if (f->limit && (long)*n >= f->limit)
			continue;
		if (*n == cap)
			XGROW(*out, cap, *n + 1);
		struct signal_row *row = &(*out)[(*n)++];
		memset(row, 0, sizeof(*row));
		row->id = stmt_int64(st, 0);
		copy(row->rule, sizeof(row->rule), stmt_text(st, 1));
		copy(row->pkey, sizeof(row->pkey), stmt_text(st, 2));
		snprintf(row->org, sizeof(row->org), "%s:%s", stmt_text(st, 3), stmt_text(st, 4));
		copy(row->role, sizeof(row->role), stmt_text(st, 5));
		copy(row->region, sizeof(row->region), stmt_text(st, 6));
		copy(row->episode, sizeof(row->episode), stmt_text(st, 7));
		copy(row->state, sizeof(row->state), stmt_text(st, 8));
		copy(row->raised_on, sizeof(row->raised_on), stmt_text(st, 9));
		copy(row->due_on, sizeof(row->due_on), stmt_text(st, 10));
		copy(row->resolved_on, sizeof(row->resolved_on), stmt_text(st, 11));
		row->reopened = (int)stmt_int64(st, 12);
		row->detail = xstrdup(stmt_text(st, 13));
		row->evidence = xstrdup(stmt_text(st, 14));
		row->reason = stmt_text(st, 15) ? xstrdup(stmt_text(st, 15)) : NULL;
		char today[DATE_STR_SIZE];
		row->overdue = strcmp(row->state, "open") == 0 &&
		               strcmp(row->due_on, date_format(f->today, today)) < 0;
	}
	stmt_free(st);
	bool care = (access_role_kinds(who) & (1u << TL_CARE)) != 0;
	for (size_t i = 0; step >= 0 && !care && i < *n; i++)
		if (redact_care(s, &(*out)[i], e) < 0)
			step = -1;
	if (step < 0) {
		signal_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	char detail[96];
	snprintf(detail, sizeof(detail), "%zu signals%s%s", *n, f->org_ident ? " of " : "",
	         f->org_ident ? f->org_ident : "");
	if (audit_append_read(s, who, "signals.list", f->pkey, detail, e) < 0) {
		signal_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void signal_rows_free(struct signal_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].detail);
		free(rows[i].evidence);
		free(rows[i].reason);
	}
	free(rows);
}
