/*
 * The life of a signal: evaluating the rules over the persons (all of them, or those whose
 * records changed or whose next check day has come) and keeping what they propose as
 * signals — raised once per stable key, updated while open, resolved when the situation
 * ends, reopened when it returns — and the people's actions on them (dismiss, take into a
 * case), and listing them per organisation.
 *
 * A run streams persons in id order, a block of ids at a time, with their records and
 * their stored signals (two queries per block, merged in memory), so that the work is a
 * few statements per block rather than one per rule per person, and memory stays bounded
 * on both back ends.
 */
#include "signals/signals.h"

#include "access/decide.h"
#include "accounts/roles.h"
#include "audit/audit.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK_PERSONS 20000

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

struct batch;

struct run {
	struct store *s;
	date_t on;
	char on_s[DATE_STR_SIZE], now[32];
	struct muni *munis;
	size_t nmunis;
	struct region_settings *regions;
	size_t nregions;
	struct stmt *ins, *reopen, *update, *resolve, *check;
	struct signal_run_stats *stats;
	struct batch *batch;             /* the persons being evaluated, reused block after block */
	struct signal_settings defaults; /* computed once: a person's region is not known yet */
	struct stored *stored;
	size_t nstored, capstored;
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

static const char insert_sql[] =
    "INSERT INTO signals (skey, rule, person_id, org_kind, org_ident, role, region, episode,"
    " state, raised_on, due_on, detail, evidence, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)";
static const char reopen_sql[] =
    "UPDATE signals SET state = 'open', reopened = reopened + 1, resolved_on = NULL,"
    " due_on = ?, detail = ?, evidence = ?, updated_at = ? WHERE id = ?";
static const char update_sql[] =
    "UPDATE signals SET detail = ?, evidence = ?, updated_at = ? WHERE id = ?";
static const char resolve_sql[] =
    "UPDATE signals SET state = 'resolved', resolved_on = ?, updated_at = ? WHERE id = ?";
static const char check_sql[] =
    "INSERT INTO signal_checks (person_id, next_day) VALUES (?, ?)"
    " ON CONFLICT (person_id) DO UPDATE SET next_day = excluded.next_day";

static void evidence_json(const struct signal_candidate *c, struct buf *b)
{
	buf_reset(b);
	buf_addch(b, '[');
	for (int i = 0; i < c->nevidence; i++)
		buf_addf(b, "%s%lld", i ? "," : "", (long long)c->evidence[i]);
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

/* Keep one candidate: raise it, reopen it (resolved before) or update its detail and
 * evidence (open or in a case); a dismissed one stays dismissed and does not count as an
 * involvement for the match. */
static int apply_candidate(struct run *r, int64_t person_id, const char *region,
                           const struct signal_candidate *c, int due_days, bool *involved,
                           struct err *e)
{
	char key[160], due[DATE_STR_SIZE], ep[DATE_STR_SIZE];
	struct buf ev = BUF_INIT;
	int rc = -1;
	signal_key(c, person_id, key, sizeof(key));
	evidence_json(c, &ev);
	date_t from = c->actionable > r->on ? c->actionable : r->on;
	date_format(from + due_days, due);
	struct stored *s = find_stored(r, key);
	*involved = true;
	if (!s) {
		struct stmt *st = r->ins;
		stmt_bind_text(st, 1, key);
		stmt_bind_text(st, 2, signal_rule_name(c->rule));
		stmt_bind_int64(st, 3, person_id);
		stmt_bind_text(st, 4, c->org_kind);
		stmt_bind_text(st, 5, c->org_ident);
		stmt_bind_text(st, 6, c->role);
		stmt_bind_text(st, 7, region && *region ? region : NULL);
		stmt_bind_text(st, 8,
		               c->episode == DATE_UNKNOWN ? "-" : date_format(c->episode, ep));
		stmt_bind_text(st, 9, r->on_s);
		stmt_bind_text(st, 10, due);
		stmt_bind_text(st, 11, c->detail);
		stmt_bind_text(st, 12, ev.data);
		stmt_bind_text(st, 13, r->now);
		if (run_stmt(st, e) < 0)
			goto out;
		r->stats->raised++;
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
static int keep_person(struct run *r, const struct timeline *t, struct pres *res, int64_t next_day,
                       struct err *e)
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
		snprintf(names[i], sizeof(names[i]), "%s:%s/%s", c->org_kind, c->org_ident,
		         c->role);
		if (inv)
			add_involved(&involved, &ninv, &capinv, names[i]);
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
	if (res->wake != next_day) {
		stmt_bind_int64(r->check, 1, t->person_id);
		stmt_bind_int64(r->check, 2, res->wake);
		if (run_stmt(r->check, e) < 0)
			goto out;
	}
	r->stats->persons++;
	rcode = 0;
out:
	free(involved);
	free(names);
	return rcode;
}

/* ---- streaming the persons ----------------------------------------------------------------- */

/* Merged persons too: their records moved to the survivor, so their open signals resolve. */
static const char persons_full_sql[] =
    "SELECT p.id, p.birth_date, c.next_day, r.id, r.feed, r.content, r.valid_from, r.valid_to"
    " FROM persons p LEFT JOIN signal_checks c ON c.person_id = p.id"
    " LEFT JOIN feed_records r ON r.person_id = p.id"
    " WHERE p.id >= ? AND p.id < ? ORDER BY p.id";
/* CROSS JOIN: SQLite then walks the (small) queue and looks the persons up, rather than
 * scanning the block's persons; PostgreSQL plans it as the inner join it is. */
static const char persons_queue_sql[] =
    "SELECT p.id, p.birth_date, c.next_day, r.id, r.feed, r.content, r.valid_from, r.valid_to"
    " FROM signal_queue q CROSS JOIN persons p"
    " LEFT JOIN signal_checks c ON c.person_id = p.id"
    " LEFT JOIN feed_records r ON r.person_id = p.id"
    " WHERE p.id = q.person_id AND q.person_id >= ? AND q.person_id < ? ORDER BY p.id";
static const char signals_full_sql[] =
    "SELECT person_id, id, skey, state, detail, evidence, rule, org_kind, org_ident, role"
    " FROM signals WHERE person_id >= ? AND person_id < ? ORDER BY person_id";
static const char signals_queue_sql[] =
    "SELECT s.person_id, s.id, s.skey, s.state, s.detail, s.evidence, s.rule, s.org_kind,"
    " s.org_ident, s.role FROM signal_queue q CROSS JOIN signals s"
    " WHERE s.person_id = q.person_id AND q.person_id >= ? AND q.person_id < ?"
    " ORDER BY s.person_id";

static void stored_clear(struct run *r)
{
	for (size_t i = 0; i < r->nstored; i++) {
		free(r->stored[i].skey);
		free(r->stored[i].detail);
		free(r->stored[i].evidence);
	}
	r->nstored = 0;
}

/* Move the stored signals of `person` from the signal stream (at row *pending) into r. */
static int load_stored(struct run *r, struct stmt *sig, int *pending, int64_t person, struct err *e)
{
	stored_clear(r);
	while (*pending == STORE_ROW && stmt_int64(sig, 0) <= person) {
		if (stmt_int64(sig, 0) == person) {
			if (r->nstored == r->capstored)
				XGROW(r->stored, r->capstored, r->nstored + 1);
			struct stored *s = &r->stored[r->nstored++];
			memset(s, 0, sizeof(*s));
			s->id = stmt_int64(sig, 1);
			s->skey = xstrdup(stmt_text(sig, 2));
			snprintf(s->state, sizeof(s->state), "%s", stmt_text(sig, 3));
			s->detail = xstrdup(stmt_text(sig, 4));
			s->evidence = xstrdup(stmt_text(sig, 5));
			if (strcmp(stmt_text(sig, 6), "verwijsindex_match") != 0)
				snprintf(s->involvement, sizeof(s->involvement), "%s:%s/%s",
				         stmt_text(sig, 7), stmt_text(sig, 8), stmt_text(sig, 9));
		}
		*pending = stmt_step(sig, e);
	}
	return *pending < 0 ? -1 : 0;
}

/*
 * A batch of persons: read from the store, evaluated (evaluate_person reads nothing but the
 * batch and what the run loaded up front), then kept. Evaluating a batch on a second thread
 * while the next one is read was measured and gained nothing: reading the rows and writing
 * the signals dominate, so the batches run in turn.
 */
#define BATCH_PERSONS 2000

struct batch {
	const struct run *r;
	struct timeline t[BATCH_PERSONS];
	int64_t next_day[BATCH_PERSONS];
	struct pres res[BATCH_PERSONS];
	size_t n;
};

static void evaluate_batch(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		evaluate_person(b->r, &b->t[i], &b->res[i]);
}

/*
 * Read persons from `ps` (positioned at row *step) into b until it is full or the rows end;
 * the first row of the next person stays current for the next call.
 */
static int fill_batch(struct batch *b, struct stmt *ps, int *step, struct err *e)
{
	int64_t current = 0;
	b->n = 0;
	while (*step == STORE_ROW) {
		int64_t id = stmt_int64(ps, 0);
		if (id != current) {
			if (b->n == BATCH_PERSONS)
				return 0;
			struct timeline *t = &b->t[b->n++];
			timeline_clear(t);
			current = t->person_id = id;
			const char *birth = stmt_text(ps, 1);
			if (birth && date_parse(birth, &t->birth, e) < 0)
				return -1;
			b->next_day[b->n - 1] = stmt_is_null(ps, 2) ? -1 : stmt_int64(ps, 2);
		}
		if (!stmt_is_null(ps, 3) &&
		    timeline_add(&b->t[b->n - 1], stmt_int64(ps, 3), stmt_text(ps, 4),
		                 stmt_text(ps, 5), stmt_text(ps, 6), stmt_text(ps, 7), e) < 0)
			return -1;
		*step = stmt_step(ps, e);
	}
	return *step < 0 ? -1 : 0;
}

static int keep_batch(struct run *r, struct batch *b, struct stmt *sig, int *pending, struct err *e)
{
	for (size_t i = 0; i < b->n; i++)
		if (load_stored(r, sig, pending, b->t[i].person_id, e) < 0 ||
		    keep_person(r, &b->t[i], &b->res[i], b->next_day[i], e) < 0)
			return -1;
	return 0;
}

static int run_block(struct run *r, bool full, int64_t lo, int64_t hi, struct err *e)
{
	struct stmt *ps = NULL, *sig = NULL;
	int rc = -1;
	if (store_prepare(r->s, full ? persons_full_sql : persons_queue_sql, &ps, e) < 0 ||
	    store_prepare(r->s, full ? signals_full_sql : signals_queue_sql, &sig, e) < 0)
		goto out;
	stmt_bind_int64(ps, 1, lo);
	stmt_bind_int64(ps, 2, hi);
	stmt_bind_int64(sig, 1, lo);
	stmt_bind_int64(sig, 2, hi);
	int pending = stmt_step(sig, e);
	int step = stmt_step(ps, e);
	if (pending < 0 || step < 0 || fill_batch(r->batch, ps, &step, e) < 0)
		goto out;
	while (r->batch->n > 0) {
		evaluate_batch(r->batch);
		if (keep_batch(r, r->batch, sig, &pending, e) < 0 ||
		    fill_batch(r->batch, ps, &step, e) < 0)
			goto out;
	}
	rc = 0;
out:
	stmt_free(ps);
	stmt_free(sig);
	return rc;
}

static const char last_run_sql[] =
    "SELECT max_import FROM signal_runs WHERE id = (SELECT MAX(id) FROM signal_runs)";
static const char any_run_sql[] = "SELECT COUNT(*) FROM signal_runs";
static const char max_import_sql[] = "SELECT COALESCE(MAX(id), 0) FROM imports";
static const char queue_clear_sql[] = "DELETE FROM signal_queue";
static const char queue_fill_sql[] =
    "INSERT INTO signal_queue (person_id)"
    " SELECT person_id FROM feed_records WHERE last_import > ? OR ended_import > ?"
    " UNION SELECT person_id FROM signal_checks WHERE next_day <= ?";
static const char id_range_sql[] = "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM persons";
static const char queue_range_sql[] =
    "SELECT COALESCE(MIN(person_id), 0), COALESCE(MAX(person_id), 0) FROM signal_queue";
static const char run_insert_sql[] =
    "INSERT INTO signal_runs (run_on, full_run, max_import, started_at, duration_ms, persons,"
    " raised, resolved, reopened) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char open_count_sql[] = "SELECT COUNT(*) FROM signals WHERE state = 'open'";

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

static int fill_queue(struct run *r, int64_t since, struct err *e)
{
	struct stmt *st;
	if (store_exec(r->s, queue_clear_sql, e) < 0 ||
	    store_prepare(r->s, queue_fill_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, since);
	stmt_bind_int64(st, 2, since);
	stmt_bind_int64(st, 3, r->on);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
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
	stmt_free(r->reopen);
	stmt_free(r->update);
	stmt_free(r->resolve);
	stmt_free(r->check);
	free(r->munis);
	free(r->regions);
	stored_clear(r);
	free(r->stored);
	for (size_t j = 0; r->batch && j < BATCH_PERSONS; j++) {
		timeline_release(&r->batch->t[j]);
		signal_list_release(&r->batch->res[j].cand);
	}
	free(r->batch);
}

int signals_run(struct store *s, const struct access *who, date_t on, bool full,
                struct signal_run_stats *stats, struct err *e)
{
	double started = seconds_now();
	struct run r = {.s = s, .on = on, .stats = stats};
	int rc = -1;
	int64_t lo = 0, hi = 0, runs = 0, last = 0;
	memset(stats, 0, sizeof(*stats));
	r.batch = xcalloc(1, sizeof(*r.batch));
	r.batch->r = &r;
	for (size_t j = 0; j < BATCH_PERSONS; j++)
		timeline_init(&r.batch->t[j]);
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
	if (store_prepare(s, insert_sql, &r.ins, e) < 0 ||
	    store_prepare(s, reopen_sql, &r.reopen, e) < 0 ||
	    store_prepare(s, update_sql, &r.update, e) < 0 ||
	    store_prepare(s, resolve_sql, &r.resolve, e) < 0 ||
	    store_prepare(s, check_sql, &r.check, e) < 0)
		goto out;
	if (!full && fill_queue(&r, last, e) < 0)
		goto out;
	if (range(s, full ? id_range_sql : queue_range_sql, &lo, &hi, e) < 0)
		goto out;
	for (int64_t b = lo; hi > 0 && b <= hi; b += BLOCK_PERSONS)
		if (run_block(&r, full, b, b + BLOCK_PERSONS, e) < 0)
			goto out;
	if ((!full && store_exec(s, queue_clear_sql, e) < 0) ||
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

/* ---- people's actions ---------------------------------------------------------------------- */

static const char state_sql[] = "SELECT s.state, p.pkey, s.person_id FROM signals s"
                                " JOIN persons p ON p.id = s.person_id WHERE s.id = ?";
static const char dismiss_sql[] =
    "UPDATE signals SET state = ?, reason = ?, handled_by = ?, handled_at = ?, updated_at = ?"
    " WHERE id = ?";
static const char recheck_sql[] = "INSERT INTO signal_checks (person_id, next_day) VALUES (?, 0)"
                                  " ON CONFLICT (person_id) DO UPDATE SET next_day = 0";

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
	if (store_prepare(s, recheck_sql, &st, e) < 0)
		goto out;
	stmt_bind_int64(st, 1, person);
	if (stmt_step(st, e) < 0)
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
