/*
 * The vsv report (monitor.h, docs/monitor.md): reads every person of the store once, a block
 * of ids at a time, with the records the vsv definition needs (residence, enrolments,
 * diplomas, work), classifies them (vsv.c), adds them up by municipality, suppresses the
 * small cells, and renders the result as JSON or text. Aggregates only: no person leaves
 * this file.
 */
#include "monitor/monitor.h"

#include "accounts/roles.h"
#include "audit/audit.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_PERSONS 20000

/* A municipality of the reference table in the report's year. */
struct muni {
	char code[8], name[64], rmc[8];
	int year;
};

struct munis {
	struct muni *m;
	size_t n, cap;
};

static const char munis_sql[] =
    "SELECT code, name, rmc_code, year FROM municipalities ORDER BY code, year";
static const char id_range_sql[] = "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM persons";
/* What the vsv definition reads, a block of person ids at a time: the persons' birth dates,
 * and their records (in person order, from the index on person_id; the definition looks at
 * residence, enrolments, diplomas and work, and the other feeds are passed over unread). */
static const char vsv_persons_sql[] =
    "SELECT id, birth_date FROM persons WHERE id >= ? AND id < ? ORDER BY id";
static const char vsv_records_sql[] =
    "SELECT person_id, id, feed, content, valid_from, valid_to FROM feed_records"
    " WHERE person_id >= ? AND person_id < ? ORDER BY person_id, id";

/* Each code's row of the latest year up to `year`, else of its earliest year. */
static int load_munis(struct store *s, int year, struct munis *out, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, munis_sql, &st, e) < 0)
		return -1;
	int step;
	while ((step = stmt_step(st, e)) == STORE_ROW) {
		const char *code = stmt_text(st, 0), *rmc = stmt_text(st, 2);
		int y = (int)stmt_int64(st, 3);
		struct muni *m = out->n ? &out->m[out->n - 1] : NULL;
		if (m && strcmp(m->code, code) == 0) {
			if (y > year)
				continue; /* rows come by year: the earlier one stays */
		} else {
			if (out->n == out->cap)
				XGROW(out->m, out->cap, out->n + 1);
			m = &out->m[out->n++];
		}
		snprintf(m->code, sizeof(m->code), "%s", code);
		snprintf(m->name, sizeof(m->name), "%s", stmt_text(st, 1));
		snprintf(m->rmc, sizeof(m->rmc), "%s", rmc ? rmc : "");
		m->year = y;
	}
	stmt_free(st);
	return step < 0 ? -1 : 0;
}

static const struct muni *muni_find(const struct munis *ms, const char *code)
{
	size_t lo = 0, hi = ms->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(ms->m[mid].code, code);
		if (c == 0)
			return &ms->m[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The region of the report: the one asked for (it must exist), else the only one. */
static int pick_region(struct store *s, const struct munis *ms, const char *asked, char out[8],
                       struct err *e)
{
	out[0] = '\0';
	if (asked && *asked) {
		if (settings_region_exists(s, asked, e) < 0)
			return -1;
		snprintf(out, 8, "%s", asked);
		return 0;
	}
	for (size_t i = 0; i < ms->n; i++) {
		if (!ms->m[i].rmc[0] || strcmp(ms->m[i].rmc, out) == 0)
			continue;
		if (out[0])
			return err_set(e, ERR_INVALID,
			               "the store holds more than one RMC region (%s, %s, …): "
			               "give --region",
			               out, ms->m[i].rmc);
		snprintf(out, 8, "%s", ms->m[i].rmc);
	}
	return 0;
}

static bool in_region(const struct munis *ms, const char *region, const char *code)
{
	if (!*region)
		return true;
	const struct muni *m = muni_find(ms, code);
	return m && strcmp(m->rmc, region) == 0;
}

/* Classify one person and add what falls in the region. */
static void add_person(struct vsv_report *r, const struct munis *ms,
                       const struct signal_settings *set, const struct timeline *t)
{
	struct vsv_person p;
	monitor_vsv_person(t, set, r->year, &p);
	if (p.group != VSV_GROUP_NONE && !in_region(ms, r->region, p.municipality))
		p.group = VSV_GROUP_NONE;
	if (p.oud_vsv && !in_region(ms, r->region, p.municipality_t1))
		p.oud_vsv = false;
	vsv_report_add(r, &p);
	r->persons++;
}

static bool vsv_reads(const char *feed)
{
	return strcmp(feed, "residence") == 0 || strcmp(feed, "enrolments") == 0 ||
	       strcmp(feed, "diplomas") == 0 || strcmp(feed, "work") == 0;
}

static int open_range(struct store *s, const char *sql, int64_t lo, int64_t hi, struct stmt **st,
                      int *step, struct err *e)
{
	if (store_prepare(s, sql, st, e) < 0)
		return -1;
	stmt_bind_int64(*st, 1, lo);
	stmt_bind_int64(*st, 2, hi);
	*step = stmt_step(*st, e);
	return *step < 0 ? -1 : 0;
}

/* Stream the persons with ids in [lo, hi) with their records and add them up. */
static int read_block(struct store *s, struct vsv_report *r, const struct munis *ms,
                      const struct signal_settings *set, struct timeline *t, int64_t lo,
                      int64_t hi, struct err *e)
{
	struct stmt *ps = NULL, *rs = NULL;
	int pstep, rstep, rc = -1;
	if (open_range(s, vsv_persons_sql, lo, hi, &ps, &pstep, e) < 0 ||
	    open_range(s, vsv_records_sql, lo, hi, &rs, &rstep, e) < 0)
		goto out;
	for (; pstep == STORE_ROW; pstep = stmt_step(ps, e)) {
		timeline_clear(t);
		t->person_id = stmt_int64(ps, 0);
		const char *birth = stmt_text(ps, 1);
		if (birth && date_parse(birth, &t->birth, e) < 0)
			goto out;
		for (; rstep == STORE_ROW && stmt_int64(rs, 0) <= t->person_id;
		     rstep = stmt_step(rs, e))
			if (stmt_int64(rs, 0) == t->person_id && vsv_reads(stmt_text(rs, 2)) &&
			    timeline_add(t, stmt_int64(rs, 1), stmt_text(rs, 2), stmt_text(rs, 3),
			                 stmt_text(rs, 4), stmt_text(rs, 5), e) < 0)
				goto out;
		if (rstep < 0)
			goto out;
		add_person(r, ms, set, t);
	}
	rc = pstep < 0 ? -1 : 0;
out:
	stmt_free(ps);
	stmt_free(rs);
	return rc;
}

/* Who reads aggregates: the local operator and the roles that account for the region. */
static bool may_read_aggregates(const struct access *who)
{
	if (who->user_id == 0)
		return who->role && strcmp(who->role, "operator") == 0;
	return (who->roles & (ROLE_POLICY | ROLE_RMC | ROLE_LEERPLICHT | ROLE_ADMIN)) != 0;
}

static int refuse(struct store *s, const struct access *who, struct err *e)
{
	if (store_begin(s, e) < 0 ||
	    audit_append(s, who, "monitor.denied", NULL, "vsv: aggregates", e) < 0 ||
	    store_commit(s, e) < 0) {
		store_rollback(s);
		return -1;
	}
	return err_set(e, ERR_FORBIDDEN,
	               "the monitor's figures are for the policy, rmc, leerplicht and admin "
	               "roles");
}

int monitor_vsv(struct store *s, const struct access *who, int year, const char *region,
                struct vsv_report *out, struct err *e)
{
	struct munis ms = {0};
	struct signal_settings set;
	struct timeline t;
	int rc = -1;
	memset(out, 0, sizeof(*out));
	out->year = year;
	timeline_init(&t);
	int y, m, d;
	date_to_ymd(date_today(), &y, &m, &d);
	if (year < 1990 || date_from_ymd(year + 1, 10, 1) > date_today())
		return err_set(e, ERR_INVALID,
		               "school year %d: its second reference date, 1 October %d, has "
		               "not come yet (today is %04d-%02d-%02d)",
		               year, year + 1, y, m, d);
	if (!may_read_aggregates(who))
		return refuse(s, who, e);
	if (store_begin(s, e) < 0)
		return -1;
	int64_t lo = 0, hi = 0;
	struct stmt *st = NULL;
	if (load_munis(s, year, &ms, e) < 0 || pick_region(s, &ms, region, out->region, e) < 0 ||
	    signal_settings_load(s, out->region, &set, e) < 0 ||
	    store_prepare(s, id_range_sql, &st, e) < 0)
		goto out;
	if (stmt_step(st, e) == STORE_ROW) {
		lo = stmt_int64(st, 0);
		hi = stmt_int64(st, 1);
	}
	stmt_free(st);
	out->includes_pro = set.vsv_includes_pro;
	out->includes_vso = set.vsv_includes_vso;
	out->suppress_below = set.suppress_below;
	for (int64_t b = lo; hi > 0 && b <= hi; b += BLOCK_PERSONS)
		if (read_block(s, out, &ms, &set, &t, b, b + BLOCK_PERSONS, e) < 0)
			goto out;
	for (size_t i = 0; i < out->n; i++) {
		const struct muni *mu = muni_find(&ms, out->rows[i].municipality);
		snprintf(out->rows[i].name, sizeof(out->rows[i].name), "%s", mu ? mu->name : "");
	}
	vsv_report_suppress(out);
	char detail[160];
	snprintf(detail, sizeof(detail),
	         "vsv %d, region %s: %zu municipalities from %ld persons, aggregates", year,
	         out->region[0] ? out->region : "all", out->n, out->persons);
	struct access allowed = *who;
	allowed.reason = "aggregates only, small cells suppressed";
	if (audit_append(s, &allowed, "monitor.vsv", NULL, detail, e) < 0 || store_commit(s, e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		store_rollback(s);
		vsv_report_release(out);
	}
	timeline_release(&t);
	free(ms.m);
	return rc;
}

/* ---- rendering ----------------------------------------------------------------------------- */

static json_t *count_json(long n)
{
	return n == MONITOR_SUPPRESSED ? json_null() : json_integer(n);
}

static json_t *cells_json(const struct vsv_cells *c)
{
	double pct = vsv_percentage(c);
	return json_pack("{s:o, s:o, s:o, s:o}", "enrolled", count_json(c->enrolled), "left_region",
	                 count_json(c->left_region), "new_vsv", count_json(c->new_vsv),
	                 "vsv_percentage",
	                 pct < 0 ? json_null() : json_real(floor(pct * 100 + 0.5) / 100));
}

static json_t *row_json(const struct vsv_row *row, bool total)
{
	json_t *o = total ? json_object()
	                  : json_pack("{s:s, s:s}", "municipality", row->municipality, "name",
	                              row->name);
	json_object_set_new(o, "population", cells_json(&row->population));
	json_object_set_new(o, "pro", cells_json(&row->pro));
	json_object_set_new(o, "vso", cells_json(&row->vso));
	json_object_set_new(o, "oud_vsv", count_json(row->oud_vsv));
	return o;
}

char *vsv_report_to_json(const struct vsv_report *r)
{
	char t[DATE_STR_SIZE], t1[DATE_STR_SIZE], sy[16];
	snprintf(sy, sizeof(sy), "%d/%d", r->year, r->year + 1);
	json_t *rows = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(rows, row_json(&r->rows[i], false));
	json_t *o = json_pack(
	    "{s:i, s:s, s:[s, s], s:o, s:{s:b, s:b}, s:i, s:o, s:o}", "year", r->year,
	    "school_year", sy, "reference_dates", date_format(date_from_ymd(r->year, 10, 1), t),
	    date_format(date_from_ymd(r->year + 1, 10, 1), t1), "region",
	    r->region[0] ? json_string(r->region) : json_null(), "population", "includes_pro",
	    r->includes_pro, "includes_vso", r->includes_vso, "suppress_below", r->suppress_below,
	    "municipalities", rows, "total", row_json(&r->total, true));
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

static void count_text(struct buf *b, long n, int width)
{
	if (n == MONITOR_SUPPRESSED)
		buf_addf(b, " %*s", width, "<");
	else
		buf_addf(b, " %*ld", width, n);
}

static void cells_text(struct buf *b, const struct vsv_cells *c)
{
	count_text(b, c->enrolled, 8);
	count_text(b, c->left_region, 5);
	count_text(b, c->new_vsv, 7);
	double pct = vsv_percentage(c);
	if (pct < 0)
		buf_addf(b, " %6s", "-");
	else
		buf_addf(b, " %6.2f", pct);
}

static void row_text(struct buf *b, const struct vsv_row *row, const char *label)
{
	buf_addf(b, "%-28.28s", label);
	cells_text(b, &row->population);
	count_text(b, row->oud_vsv, 7);
	buf_addf(b, "  |");
	cells_text(b, &row->pro);
	buf_addf(b, "  |");
	cells_text(b, &row->vso);
	buf_addch(b, '\n');
}

char *vsv_report_to_text(const struct vsv_report *r)
{
	struct buf b = BUF_INIT;
	buf_addf(&b,
	         "vsv %d/%d: enrolled on 1 October %d, not on 1 October %d, no startkwalificatie"
	         " (region %s)\n",
	         r->year, r->year + 1, r->year, r->year + 1, r->region[0] ? r->region : "all");
	buf_addf(&b,
	         "population: VO and mbo%s%s; PrO and VSO also apart; counts from 1 to %d shown "
	         "as <\n\n",
	         r->includes_pro ? ", PrO" : "", r->includes_vso ? ", VSO" : "",
	         r->suppress_below - 1);
	buf_addf(&b, "%-28s %8s %5s %7s %6s %7s  | %8s %5s %7s %6s  | %8s %5s %7s %6s\n",
	         "municipality", "enrolled", "left", "new vsv", "%", "oud-vsv", "PrO", "left", "vsv",
	         "%", "VSO", "left", "vsv", "%");
	for (size_t i = 0; i < r->n; i++) {
		char label[80];
		snprintf(label, sizeof(label), "%s %s", r->rows[i].municipality, r->rows[i].name);
		row_text(&b, &r->rows[i], label);
	}
	row_text(&b, &r->total, "total");
	return buf_detach(&b, NULL);
}
