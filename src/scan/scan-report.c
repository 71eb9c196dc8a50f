/*
 * The report of a scan (see scan.h): the profile per theme, the region's score, the actions to
 * take next with their practices, and the comparison with the region's previous closed scan;
 * and the report as JSON.
 */
#include "scan/scan-internal.h"

#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The latest closed scan of the region created before this one. */
static const char previous_sql[] =
	"SELECT id FROM scans WHERE region = ? AND status = 'closed' AND id < ?"
	" ORDER BY closed_at DESC, id DESC LIMIT 1";

/* ---- the profile -------------------------------------------------------------------------- */

/* Put each current answer into its action's row; answers to actions not covered are left. */
static void place_answers(struct scan_action_row *rows, size_t nrows, struct scan_answer *answers,
			  size_t nanswers)
{
	for (size_t i = 0; i < nanswers; i++)
		for (size_t r = 0; r < nrows; r++)
			if (rows[r].action_id == answers[i].action_id) {
				scan_answer_release(&rows[r].answer);
				rows[r].answer = answers[i];
				memset(&answers[i], 0, sizeof(answers[i]));
				break;
			}
}

static void score_themes(struct scan_theme_profile *themes, size_t nthemes,
			 const struct scan_action_row *rows, size_t nrows, double *region)
{
	for (size_t t = 0; t < nthemes; t++) {
		themes[t].nactions = themes[t].answered = 0;
		memset(themes[t].counts, 0, sizeof(themes[t].counts));
	}
	for (size_t r = 0; r < nrows; r++) {
		struct scan_theme_profile *t = &themes[rows[r].theme];
		t->nactions++;
		if (rows[r].answer.level >= 0) {
			t->answered++;
			t->counts[rows[r].answer.level]++;
		}
	}
	double sum = 0;
	size_t scored = 0;
	for (size_t t = 0; t < nthemes; t++) {
		struct scan_theme_profile *p = &themes[t];
		if (!p->nactions)
			continue;
		size_t points = 0;
		for (int l = 0; l < SCAN_LEVELS; l++)
			points += (size_t)l * p->counts[l];
		p->score = 100.0 * (double)points / (3.0 * (double)p->nactions);
		p->answered_share = (double)p->answered / (double)p->nactions;
		sum += p->score;
		scored++;
	}
	*region = scored ? sum / (double)scored : 0;
}

/* Load the content and the answers of `scan` and score it; the rows own the answers. */
static int build_profile(struct store *s, const struct scan *scan, const char *lang,
			 struct scan_theme_profile **themes, size_t *nthemes,
			 struct scan_action_row **rows, size_t *nrows, double *region,
			 struct err *e)
{
	struct scan_answer *answers;
	size_t nanswers;
	if (scan_content_load(s, scan, lang, themes, nthemes, rows, nrows, e) < 0)
		return -1;
	if (scan_current_answers(s, scan->id, &answers, &nanswers, e) < 0) {
		scan_content_release(*themes, *nthemes, *rows, *nrows);
		*themes = NULL;
		*rows = NULL;
		*nthemes = *nrows = 0;
		return -1;
	}
	place_answers(*rows, *nrows, answers, nanswers);
	scan_answer_free_array(answers, nanswers);
	score_themes(*themes, *nthemes, *rows, *nrows, region);
	return 0;
}

/* ---- recommendations ---------------------------------------------------------------------- */

struct candidate {
	size_t action;
	double theme_score;
	size_t theme;
	int level;
};

/* Theme score ascending, theme order, planned before not_started, action order. */
static int compare_candidates(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;
	if (a->theme_score != b->theme_score)
		return a->theme_score < b->theme_score ? -1 : 1;
	if (a->theme != b->theme)
		return a->theme < b->theme ? -1 : 1;
	if (a->level != b->level)
		return a->level > b->level ? -1 : 1;
	return a->action < b->action ? -1 : a->action > b->action;
}

static int recommend(struct store *s, struct scan_report *r, struct err *e)
{
	struct candidate *c = xcalloc(r->nactions + 1, sizeof(*c));
	size_t n = 0;
	for (size_t i = 0; i < r->nactions; i++) {
		int level = r->actions[i].answer.level;
		if (level != SCAN_PLANNED && level != SCAN_NOT_STARTED)
			continue;
		size_t t = r->actions[i].theme;
		c[n++] = (struct candidate){i, r->themes[t].score, t, level};
	}
	qsort(c, n, sizeof(*c), compare_candidates);
	r->recs = xcalloc(n + 1, sizeof(*r->recs));
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct scan_recommendation *rec = &r->recs[r->nrecs++];
		const struct scan_action_row *a = &r->actions[c[i].action];
		rec->action = c[i].action;
		rc = scan_content_practices(s, a->action_id, r->themes[a->theme].theme_id, r->lang,
					    &rec->practices, &rec->npractices,
					    &rec->practices_of_theme, e);
	}
	free(c);
	return rc;
}

/* ---- comparison --------------------------------------------------------------------------- */

static int find_previous(struct store *s, const struct scan *scan, int64_t *id, struct err *e)
{
	struct stmt *st;
	*id = 0;
	if (store_prepare(s, previous_sql, &st, e) < 0)
		return -1;
	stmt_bind_text(st, 1, scan->region);
	stmt_bind_int64(st, 2, scan->id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static void compare_with(struct scan_report *r, const struct scan_theme_profile *pt,
			 size_t npt, const struct scan_action_row *pa, size_t npa)
{
	for (size_t t = 0; t < r->nthemes; t++)
		for (size_t j = 0; j < npt; j++)
			if (pt[j].theme_id == r->themes[t].theme_id && pt[j].nactions) {
				r->themes[t].has_previous = true;
				r->themes[t].previous_score = pt[j].score;
				r->themes[t].change = r->themes[t].score - pt[j].score;
			}
	for (size_t i = 0; i < r->nactions; i++) {
		struct scan_action_row *a = &r->actions[i];
		for (size_t j = 0; j < npa; j++)
			if (pa[j].action_id == a->action_id) {
				a->previous_level = pa[j].answer.level;
				a->has_change = a->previous_level >= 0 && a->answer.level >= 0;
				a->change = a->has_change ? a->answer.level - a->previous_level : 0;
			}
	}
}

static int compare_previous(struct store *s, struct scan_report *r, struct err *e)
{
	int64_t id;
	if (find_previous(s, &r->scan, &id, e) < 0)
		return -1;
	if (!id)
		return 0;
	if (scan_get(s, id, &r->previous, e) < 0)
		return -1;
	r->has_previous = true;
	struct scan_theme_profile *pt;
	struct scan_action_row *pa;
	size_t npt, npa;
	if (build_profile(s, &r->previous, r->lang, &pt, &npt, &pa, &npa, &r->previous_score, e) <
	    0)
		return -1;
	compare_with(r, pt, npt, pa, npa);
	scan_content_release(pt, npt, pa, npa);
	return 0;
}

/* ---- the report --------------------------------------------------------------------------- */

int scan_report_build(struct store *s, int64_t scan_id, const char *lang,
		      struct scan_report *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->lang, sizeof(out->lang), "%s", lang && strcmp(lang, "en") == 0 ? "en" : "nl");
	if (scan_get(s, scan_id, &out->scan, e) < 0)
		return -1;
	if (build_profile(s, &out->scan, out->lang, &out->themes, &out->nthemes, &out->actions,
			  &out->nactions, &out->score, e) < 0 ||
	    recommend(s, out, e) < 0 || compare_previous(s, out, e) < 0) {
		scan_report_release(out);
		return -1;
	}
	return 0;
}

void scan_report_release(struct scan_report *r)
{
	if (!r)
		return;
	scan_release(&r->scan);
	scan_release(&r->previous);
	scan_content_release(r->themes, r->nthemes, r->actions, r->nactions);
	for (size_t i = 0; i < r->nrecs; i++)
		scan_practice_free_array(r->recs[i].practices, r->recs[i].npractices);
	free(r->recs);
	memset(r, 0, sizeof(*r));
}

/* ---- JSON --------------------------------------------------------------------------------- */

/* One decimal is what a percentage needs; the struct keeps the exact value. */
static json_t *percent(double v)
{
	return json_real(round(v * 10.0) / 10.0);
}

static json_t *scan_json(const struct scan *scan)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id",
			 (json_int_t)scan->id, "region", scan->region, "title", scan->title,
			 "status", scan->closed ? "closed" : "open", "created_at", scan->created_at,
			 "created_by", scan->created_by, "created_by_org", scan->created_by_org,
			 "closed_at", scan->closed_at, "closed_by", scan->closed_by);
}

static json_t *strings_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *theme_json(const struct scan_theme_profile *t)
{
	json_t *counts = json_object();
	for (int l = 0; l < SCAN_LEVELS; l++)
		json_object_set_new(counts, scan_level_name(l),
				    json_integer((json_int_t)t->counts[l]));
	json_object_set_new(counts, "unanswered",
			    json_integer((json_int_t)(t->nactions - t->answered)));
	json_t *o = json_pack("{s:s, s:s, s:o, s:I, s:I, s:o, s:o}", "slug", t->slug, "title",
			      t->title, "score", percent(t->score), "actions",
			      (json_int_t)t->nactions, "answered", (json_int_t)t->answered,
			      "answered_share", percent(100.0 * t->answered_share), "levels",
			      counts);
	if (t->has_previous) {
		json_object_set_new(o, "previous_score", percent(t->previous_score));
		json_object_set_new(o, "change", percent(t->change));
	}
	return o;
}

json_t *scan_answer_json(const struct scan_answer *a)
{
	return json_pack("{s:I, s:s?, s:s, s:s?, s:o, s:s?, s:s?, s:s?}", "id",
			 (json_int_t)a->id, "action", a->action_slug, "level",
			 scan_level_name(a->level), "note", a->note, "partners",
			 strings_json(a->partners, a->npartners), "answered_by", a->answered_by,
			 "answered_by_org", a->answered_by_org, "answered_at", a->answered_at);
}

static json_t *action_json(const struct scan_report *r, const struct scan_action_row *a)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "slug", a->slug, "title", a->title, "theme",
			      r->themes[a->theme].slug, "level", scan_level_name(a->answer.level));
	if (a->answer.id) {
		json_t *ans = scan_answer_json(&a->answer);
		json_object_del(ans, "action");
		json_object_set_new(o, "answer", ans);
	}
	if (r->has_previous) {
		json_object_set_new(o, "previous_level",
				    json_string(scan_level_name(a->previous_level)));
		json_object_set_new(o, "change", a->has_change ? json_integer(a->change)
							       : json_null());
	}
	return o;
}

static json_t *recommendation_json(const struct scan_report *r,
				   const struct scan_recommendation *rec)
{
	const struct scan_action_row *a = &r->actions[rec->action];
	json_t *practices = json_array();
	for (size_t i = 0; i < rec->npractices; i++)
		json_array_append_new(practices,
				      json_pack("{s:s, s:s, s:s?}", "slug", rec->practices[i].slug,
						"name", rec->practices[i].name, "region",
						rec->practices[i].region));
	const struct scan_theme_profile *t = &r->themes[a->theme];
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "theme", t->slug,
			 "theme_title", t->title, "action", a->slug, "title", a->title,
			 "theme_score", percent(t->score), "practices", practices, "practices_from",
			 rec->practices_of_theme ? "theme" : "action", "level",
			 scan_level_name(a->answer.level));
}

json_t *scan_report_json(const struct scan_report *r)
{
	json_t *themes = json_array(), *actions = json_array(), *recs = json_array();
	for (size_t i = 0; i < r->nthemes; i++)
		json_array_append_new(themes, theme_json(&r->themes[i]));
	for (size_t i = 0; i < r->nactions; i++)
		json_array_append_new(actions, action_json(r, &r->actions[i]));
	for (size_t i = 0; i < r->nrecs; i++)
		json_array_append_new(recs, recommendation_json(r, &r->recs[i]));
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "scan", scan_json(&r->scan), "score",
			      percent(r->score), "themes", themes, "actions", actions,
			      "recommendations", recs);
	if (r->has_previous)
		json_object_set_new(o, "previous",
				    json_pack("{s:o, s:o, s:o}", "scan", scan_json(&r->previous),
					      "score", percent(r->previous_score), "change",
					      percent(r->score - r->previous_score)));
	else
		json_object_set_new(o, "previous", json_null());
	return o;
}
