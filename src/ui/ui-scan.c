/*
 * The self-scan pages, for signed-in partners of a region: the scans and the form to open
 * one, the answer form of a scan (per theme, per action: where the region stands, a note and
 * the partners involved), the profile (an inline SVG bar chart with the same figures in a
 * table beside it, the actions to take next with the practices that fit, the comparison with
 * the previous scan), and closing a scan. The scoring is the scan module's (scan/scan.h).
 */
#include "ui/ui.h"

#include "knowledge/markdown.h"
#include "scan/scan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const enum i18n_key level_labels[SCAN_LEVELS] = {
    T_SCAN_LEVEL_NOT_STARTED, T_SCAN_LEVEL_PLANNED, T_SCAN_LEVEL_IN_PROGRESS,
    T_SCAN_LEVEL_EMBEDDED};

static const char *level_text(enum kb_lang lang, int level)
{
	return level >= 0 && level < SCAN_LEVELS ? i18n(lang, level_labels[level])
	                                         : i18n(lang, T_SCAN_UNANSWERED);
}

static void add_scan_list(struct buf *out, enum kb_lang lang, const struct scan *scans, size_t n)
{
	if (!n) {
		ui_notice(out, lang, T_SCAN_NONE, false);
		return;
	}
	buf_adds(out, "<table class=\"data\"><caption class=\"visually-hidden\">");
	html_text(out, i18n(lang, T_SCAN_LIST_HEADING));
	buf_adds(out, "</caption>");
	static const enum i18n_key columns[] = {T_SCAN_TITLE_LABEL, T_SCAN_REGION_LABEL,
						T_SCAN_STATUS, T_SCAN_CREATED};
	ui_table_head(out, lang, columns, sizeof(columns) / sizeof(columns[0]));
	for (size_t i = 0; i < n; i++) {
		buf_addf(out, "<tr><td><a href=\"/scan/%lld\">", (long long)scans[i].id);
		html_text(out, scans[i].title);
		buf_adds(out, "</a></td><td>");
		html_text(out, scans[i].region);
		buf_adds(out, "</td><td>");
		html_text(out, i18n(lang, scans[i].closed ? T_SCAN_CLOSED : T_SCAN_OPEN));
		buf_adds(out, "</td><td>");
		html_text(out, scans[i].created_at);
		buf_adds(out, "</td></tr>\n");
	}
	buf_adds(out, "</tbody></table>\n");
}

static void add_new_scan_form(struct buf *out, const struct ui_page *p, const char *region,
                              const char *title, const struct err *error)
{
	buf_adds(out, "<h2 id=\"nieuw\">");
	html_text(out, i18n(p->lang, T_SCAN_NEW_HEADING));
	buf_adds(out, "</h2>\n");
	if (error)
		ui_refusal(out, p->lang, T_FORM_REFUSED, error);
	buf_adds(out, "<form class=\"filters\" action=\"/scan\" method=\"post\">");
	ui_csrf_field(out, p);
	buf_adds(out, "<p class=\"field\"><label for=\"scan-regio\">");
	html_text(out, i18n(p->lang, T_SCAN_REGION_LABEL));
	buf_addf(out,
	         "</label> <input id=\"scan-regio\" name=\"regio\" type=\"text\" required "
	         "maxlength=\"%d\" aria-describedby=\"scan-regio-hint\" value=\"",
	         SCAN_REGION_MAX);
	html_attr(out, region ? region : "");
	buf_adds(out, "\"></p>\n<p class=\"hint\" id=\"scan-regio-hint\">");
	html_text(out, i18n(p->lang, T_SCAN_REGION_HINT));
	buf_adds(out, "</p>\n<p class=\"field\"><label for=\"scan-titel\">");
	html_text(out, i18n(p->lang, T_SCAN_TITLE_LABEL));
	buf_addf(out,
	         "</label> <input id=\"scan-titel\" name=\"titel\" type=\"text\" required "
	         "maxlength=\"%d\" value=\"",
	         SCAN_TITLE_MAX);
	html_attr(out, title ? title : "");
	buf_adds(out, "\"></p>\n<p class=\"field\"><button type=\"submit\">");
	html_text(out, i18n(p->lang, T_SCAN_NEW_BUTTON));
	buf_adds(out, "</button></p></form>\n");
}

static void answer_scans(struct req *rq, struct resp *rs, int status, const char *region,
                         const char *title, const struct err *error)
{
	struct err e = ERR_INIT;
	struct scan *scans = NULL;
	size_t n = 0;
	if (scan_list(rq->store, NULL, &scans, &n, &e) < 0) {
		ui_error_page(rq, rs, &e);
		return;
	}
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = i18n(p.lang, T_NAV_SCAN);
	p.nav = UI_NAV_SCAN;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	buf_adds(&out, "<h1>");
	html_text(&out, p.title);
	buf_adds(&out, "</h1>\n<p class=\"lead\">");
	html_text(&out, i18n(p.lang, T_SCAN_INTRO));
	buf_adds(&out, "</p>\n<h2 id=\"scans\">");
	html_text(&out, i18n(p.lang, T_SCAN_LIST_HEADING));
	buf_adds(&out, "</h2>\n");
	add_scan_list(&out, p.lang, scans, n);
	add_new_scan_form(&out, &p, region, title, error);
	ui_end(&out, &p);
	ui_respond(rs, &p, status, &out);
	scan_free_array(scans, n);
}

/*
 * GET /scan   (signed in)
 *
 * The self-scans, the newest first, and the form to open a new one.
 */
void ui_scans(struct req *rq, struct resp *rs)
{
	answer_scans(rq, rs, 200, NULL, NULL, NULL);
}

/*
 * POST /scan   (form: csrf_token, regio, titel)
 *
 * Open a new scan and go to its answer form (303).
 */
void ui_scan_create(struct req *rq, struct resp *rs)
{
	struct buf region = BUF_INIT, title = BUF_INIT;
	struct err e = ERR_INIT;
	int64_t id = 0;
	if (!ui_form_field(rq, "regio", &region) || !ui_form_field(rq, "titel", &title))
		err_set(&e, ERR_INVALID, "the form needs a region and a title");
	else
		scan_create(rq->store, &rq->who, region.data, title.data, &id, &e);
	if (e.code == ERR_NONE) {
		char location[48];
		snprintf(location, sizeof(location), "/scan/%lld", (long long)id);
		ui_redirect(rs, location);
	} else if (err_http_status(&e) >= 500) {
		ui_error_page(rq, rs, &e);
	} else {
		answer_scans(rq, rs, err_http_status(&e), region.data, title.data, &e);
	}
	buf_release(&region);
	buf_release(&title);
}

/* The value a control of the answer form shows: what was posted (after a refusal), else the
 * current answer. `field` is "niveau", "notitie" or "partners". Appended to `out`. */
static void form_value(struct buf *out, const struct req *posted, const char *field,
                       const char *slug)
{
	struct buf name = BUF_INIT;
	buf_addf(&name, "%s-%s", field, slug);
	ui_form_field(posted, name.data, out);
	buf_release(&name);
}

static void current_partners(struct buf *out, const struct scan_answer *a)
{
	for (size_t i = 0; i < a->npartners; i++) {
		if (i)
			buf_adds(out, ", ");
		buf_adds(out, a->partners[i]);
	}
}

/* One action of the answer form: its levels as radio buttons, a note and the partners. */
static void add_action_fields(struct buf *out, enum kb_lang lang, const struct scan_action_row *a,
                              const struct req *posted)
{
	struct buf level = BUF_INIT, note = BUF_INIT, partners = BUF_INIT;
	if (posted) {
		form_value(&level, posted, "niveau", a->slug);
		form_value(&note, posted, "notitie", a->slug);
		form_value(&partners, posted, "partners", a->slug);
	} else {
		if (a->answer.id)
			buf_adds(&level, scan_level_name(a->answer.level));
		buf_adds(&note, a->answer.note ? a->answer.note : "");
		current_partners(&partners, &a->answer);
	}
	buf_adds(out, "<fieldset class=\"scan-action\"><legend>");
	html_text(out, a->title);
	buf_adds(out, "</legend><div class=\"levels\">");
	for (int l = 0; l < SCAN_LEVELS; l++) {
		const char *name = scan_level_name(l);
		buf_adds(out, "<label><input type=\"radio\" name=\"niveau-");
		html_attr(out, a->slug);
		buf_adds(out, "\" value=\"");
		buf_adds(out, name);
		buf_adds(out, "\"");
		if (level.len && strcmp(level.data, name) == 0)
			buf_adds(out, " checked");
		buf_adds(out, "> ");
		html_text(out, level_text(lang, l));
		buf_adds(out, "</label> ");
	}
	buf_adds(out, "</div><p class=\"field\"><label for=\"notitie-");
	html_attr(out, a->slug);
	buf_adds(out, "\">");
	html_text(out, i18n(lang, T_SCAN_NOTE));
	buf_adds(out, "</label> <textarea rows=\"2\" id=\"notitie-");
	html_attr(out, a->slug);
	buf_adds(out, "\" name=\"notitie-");
	html_attr(out, a->slug);
	buf_adds(out, "\">");
	html_text(out, note.len ? note.data : "");
	buf_adds(out, "</textarea></p><p class=\"field\"><label for=\"partners-");
	html_attr(out, a->slug);
	buf_adds(out, "\">");
	html_text(out, i18n(lang, T_SCAN_PARTNERS));
	buf_adds(out, "</label> <input type=\"text\" id=\"partners-");
	html_attr(out, a->slug);
	buf_adds(out, "\" name=\"partners-");
	html_attr(out, a->slug);
	buf_adds(out, "\" value=\"");
	html_attr(out, partners.len ? partners.data : "");
	buf_adds(out, "\"></p></fieldset>\n");
	buf_release(&level);
	buf_release(&note);
	buf_release(&partners);
}

static void add_answer_form(struct buf *out, const struct ui_page *p, const struct scan_report *r,
                            const struct req *posted)
{
	buf_addf(out, "<form class=\"scan-form\" action=\"/scan/%lld\" method=\"post\">",
	         (long long)r->scan.id);
	ui_csrf_field(out, p);
	for (size_t t = 0; t < r->nthemes; t++) {
		buf_addf(out, "<section aria-labelledby=\"thema-%zu\"><h2 id=\"thema-%zu\">", t, t);
		html_text(out, r->themes[t].title);
		buf_adds(out, "</h2>\n");
		for (size_t i = 0; i < r->nactions; i++)
			if (r->actions[i].theme == t)
				add_action_fields(out, p->lang, &r->actions[i], posted);
		buf_adds(out, "<p class=\"field\"><button type=\"submit\">");
		html_text(out, i18n(p->lang, T_SCAN_SAVE));
		buf_adds(out, "</button></p></section>\n");
	}
	buf_adds(out, "</form>\n");
}

static void add_scan_heading(struct buf *out, enum kb_lang lang, const struct scan *s,
                             enum i18n_key prefix)
{
	char text[SCAN_TITLE_MAX + 64];
	snprintf(text, sizeof(text), i18n(lang, prefix), s->title);
	buf_adds(out, "<h1>");
	html_text(out, text);
	buf_adds(out, "</h1>\n<p class=\"meta\">");
	html_text(out, i18n(lang, T_SCAN_REGION_LABEL));
	buf_adds(out, ": ");
	html_text(out, s->region);
	buf_adds(out, " · ");
	html_text(out, i18n(lang, s->closed ? T_SCAN_CLOSED : T_SCAN_OPEN));
	buf_adds(out, "</p>\n");
}

/*
 * Begin a page about the scan named by the path's {id}: its report built into *r (the caller
 * releases it), the frame and the heading written into *out. Returns the scan's id, or 0
 * after answering with the error page.
 */
static int64_t begin_scan_page(struct req *rq, struct resp *rs, struct ui_page *p,
			       struct scan_report *r, struct buf *out, enum i18n_key heading)
{
	struct err e = ERR_INIT;
	ui_page_init(p, rq);
	int64_t id = ui_param_id(rq, "id");
	memset(r, 0, sizeof(*r));
	if (!id) {
		ui_error_page(rq, rs, NULL);
		return 0;
	}
	if (scan_report_build(rq->store, id, kb_lang_code(p->lang), r, &e) < 0) {
		ui_error_page(rq, rs, &e);
		return 0;
	}
	p->title = r->scan.title;
	p->nav = UI_NAV_SCAN;
	buf_init(out);
	ui_begin(out, p);
	add_scan_heading(out, p->lang, &r->scan, heading);
	return id;
}

/* The answer form of a scan; with `posted`, the values of a refused post. */
static void answer_scan(struct req *rq, struct resp *rs, int status, const struct req *posted,
                        const struct err *error)
{
	struct scan_report r;
	struct ui_page p;
	struct buf out;
	int64_t id = begin_scan_page(rq, rs, &p, &r, &out, T_SCAN_ANSWER_TITLE);
	if (!id)
		return;
	buf_addf(&out, "<p><a href=\"/scan/%lld/profiel\">", (long long)id);
	html_text(&out, i18n(p.lang, T_SCAN_SEE_PROFILE));
	buf_adds(&out, "</a></p>\n");
	if (error)
		ui_refusal(&out, p.lang, T_FORM_REFUSED, error);
	if (r.scan.closed) {
		ui_notice(&out, p.lang, T_SCAN_CLOSED_NOTICE, false);
	} else {
		buf_adds(&out, "<p>");
		html_text(&out, i18n(p.lang, T_SCAN_ANSWER_INTRO));
		buf_adds(&out, "</p>\n");
		add_answer_form(&out, &p, &r, posted);
	}
	ui_end(&out, &p);
	ui_respond(rs, &p, status, &out);
	scan_report_release(&r);
}

/*
 * GET /scan/{id}   (signed in)
 *
 * The answer form of a scan, with the current answers filled in; a closed scan says so.
 */
void ui_scan(struct req *rq, struct resp *rs)
{
	answer_scan(rq, rs, 200, NULL, NULL);
}

/* Whether the posted answer to `a` differs from its current answer. */
static bool answer_changed(const struct scan_action_row *a, const char *level, const char *note,
                           const char *partners)
{
	if (!a->answer.id)
		return true;
	struct buf current = BUF_INIT;
	current_partners(&current, &a->answer);
	bool changed = strcmp(level, scan_level_name(a->answer.level)) != 0 ||
	               strcmp(note, a->answer.note ? a->answer.note : "") != 0 ||
	               strcmp(partners, current.len ? current.data : "") != 0;
	buf_release(&current);
	return changed;
}

/* Save the posted answer to action `a` when one was given and it changed. */
static int save_answer(struct req *rq, int64_t scan_id, const struct scan_action_row *a,
                       struct err *e)
{
	struct buf level = BUF_INIT, note = BUF_INIT, partners = BUF_INIT;
	int rc = 0;
	form_value(&level, rq, "niveau", a->slug);
	form_value(&note, rq, "notitie", a->slug);
	form_value(&partners, rq, "partners", a->slug);
	const char *lv = level.len ? level.data : "", *nt = note.len ? note.data : "",
	           *pt = partners.len ? partners.data : "";
	if (*lv && answer_changed(a, lv, nt, pt)) {
		char **names = NULL;
		size_t n = 0;
		scan_split_partners(pt, &names, &n);
		struct scan_answer_input in = {.action = a->slug,
		                               .level = lv,
		                               .note = *nt ? nt : NULL,
		                               .partners = (const char *const *)names,
		                               .npartners = n};
		rc = scan_answer(rq->store, &rq->who, scan_id, &in, NULL, e);
		scan_strings_free(names, n);
	}
	buf_release(&level);
	buf_release(&note);
	buf_release(&partners);
	return rc;
}

/*
 * POST /scan/{id}   (form: csrf_token, and per action SLUG: niveau-SLUG, notitie-SLUG,
 *                    partners-SLUG)
 *
 * Save the answers that changed, all or none (one transaction), as the signed-in user, and
 * go to the profile (303). A refusal shows the form again with what was posted.
 */
void ui_scan_answer(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	struct scan_report r;
	int64_t id = ui_param_id(rq, "id");
	memset(&r, 0, sizeof(r));
	if (!id || scan_report_build(rq->store, id, "nl", &r, &e) < 0) {
		ui_error_page(rq, rs, id ? &e : NULL);
		return;
	}
	if (store_begin(rq->store, &e) == 0) {
		for (size_t i = 0; i < r.nactions && e.code == ERR_NONE; i++)
			save_answer(rq, id, &r.actions[i], &e);
		if (e.code == ERR_NONE)
			store_commit(rq->store, &e);
		else
			store_rollback(rq->store);
	}
	scan_report_release(&r);
	if (e.code == ERR_NONE) {
		char location[64];
		snprintf(location, sizeof(location), "/scan/%lld/profiel", (long long)id);
		ui_redirect(rs, location);
	} else if (err_http_status(&e) >= 500) {
		ui_error_page(rq, rs, &e);
	} else {
		answer_scan(rq, rs, err_http_status(&e), rq, &e);
	}
}

/*
 * The profile as a horizontal bar chart: one bar per theme, its length the score (0–100),
 * the score also written as a number after the bar and the theme's title before it, so that
 * nothing depends on colour or on seeing the bar. The table after it holds the same figures.
 */
static void add_profile_chart(struct buf *out, enum kb_lang lang, const struct scan_report *r)
{
	enum { LABEL_W = 330, BAR_W = 300, ROW_H = 34, BAR_H = 20 };
	int height = (int)r->nthemes * ROW_H + 30;
	buf_addf(out,
	         "<figure class=\"chart\"><svg role=\"img\" aria-labelledby=\"chart-title\" "
	         "viewBox=\"0 0 %d %d\" width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\" "
	         "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">",
	         LABEL_W + BAR_W + 60, height);
	html_text(out, i18n(lang, T_SCAN_CHART_TITLE));
	buf_adds(out, "</title>\n");
	for (int tick = 0; tick <= 100; tick += 25) {
		int x = LABEL_W + tick * BAR_W / 100;
		buf_addf(out,
		         "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#8a8a8a\" "
		         "stroke-width=\"1\"/><text x=\"%d\" y=\"%d\" font-size=\"12\" "
		         "text-anchor=\"middle\" fill=\"#4a4a4a\">%d</text>\n",
		         x, x, height - 22, x, height - 6, tick);
	}
	for (size_t t = 0; t < r->nthemes; t++) {
		const struct scan_theme_profile *th = &r->themes[t];
		int y = (int)t * ROW_H + 6;
		int w = (int)lround(th->score * BAR_W / 100.0);
		buf_addf(out,
		         "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"end\" "
		         "fill=\"#1b1b1b\">",
		         LABEL_W - 8, y + 15);
		/* Long titles are cut for the chart; the table has them whole. */
		char label[48];
		size_t len = strlen(th->title);
		if (len < sizeof(label)) {
			html_text(out, th->title);
		} else {
			size_t cut = sizeof(label) - 4;
			while (cut && ((unsigned char)th->title[cut] & 0xC0) == 0x80)
				cut--;
			memcpy(label, th->title, cut);
			memcpy(label + cut, "…", 4);
			html_text(out, label);
		}
		buf_addf(out,
		         "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		         "fill=\"#1d5b8f\"/><text x=\"%d\" y=\"%d\" font-size=\"13\" "
		         "font-weight=\"bold\" fill=\"#1b1b1b\">%.0f</text>\n",
		         LABEL_W, y, w, BAR_H, LABEL_W + w + 6, y + 15, th->score);
	}
	buf_adds(out, "</svg><figcaption>");
	html_text(out, i18n(lang, T_SCAN_CHART_CAPTION));
	buf_adds(out, "</figcaption></figure>\n");
}

static void add_profile_table(struct buf *out, enum kb_lang lang, const struct scan_report *r)
{
	static const enum i18n_key columns[] = {T_FILTER_THEME, T_SCAN_SCORE, T_SCAN_ANSWERED,
	                                        T_SCAN_PREVIOUS_SCORE, T_SCAN_CHANGE};
	buf_adds(out, "<table class=\"data\"><caption>");
	html_text(out, i18n(lang, T_SCAN_TABLE_CAPTION));
	buf_adds(out, "</caption>");
	ui_table_head(out, lang, columns, sizeof(columns) / sizeof(columns[0]));
	for (size_t t = 0; t < r->nthemes; t++) {
		const struct scan_theme_profile *th = &r->themes[t];
		buf_adds(out, "<tr><th scope=\"row\"><a href=\"/kennis/thema/");
		html_url_arg(out, th->slug);
		buf_adds(out, "\">");
		html_text(out, th->title);
		buf_addf(out, "</a></th><td>%.0f</td><td>%zu / %zu</td>", th->score, th->answered,
		         th->nactions);
		if (th->has_previous)
			buf_addf(out, "<td>%.0f</td><td>%+.0f</td>", th->previous_score,
			         th->change);
		else
			buf_adds(out, "<td>–</td><td>–</td>");
		buf_adds(out, "</tr>\n");
	}
	buf_adds(out, "</tbody></table>\n");
}

static void add_recommendations(struct buf *out, enum kb_lang lang, const struct scan_report *r)
{
	buf_adds(out, "<h2 id=\"acties\">");
	html_text(out, i18n(lang, T_SCAN_RECOMMENDATIONS));
	buf_adds(out, "</h2>\n");
	if (!r->nrecs) {
		ui_notice(out, lang, T_SCAN_NO_RECOMMENDATIONS, false);
		return;
	}
	buf_adds(out, "<ol class=\"recommendations\">\n");
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct scan_recommendation *rec = &r->recs[i];
		const struct scan_action_row *a = &r->actions[rec->action];
		buf_adds(out, "<li><a href=\"/kennis/thema/");
		html_url_arg(out, r->themes[a->theme].slug);
		buf_adds(out, "#actie-");
		html_url_arg(out, a->slug);
		buf_adds(out, "\">");
		html_text(out, a->title);
		buf_adds(out, "</a> <span class=\"meta\">(");
		html_text(out, level_text(lang, a->answer.level));
		buf_adds(out, ")</span>");
		if (rec->npractices) {
			buf_adds(out, "<br><span class=\"meta\">");
			html_text(out, i18n(lang, T_PRACTICE_ACTIONS_SEEN_IN));
			buf_adds(out, "</span> ");
			for (size_t k = 0; k < rec->npractices; k++) {
				if (k)
					buf_adds(out, ", ");
				buf_adds(out, "<a href=\"/kennis/praktijk/");
				html_url_arg(out, rec->practices[k].slug);
				buf_adds(out, "\">");
				html_text(out, rec->practices[k].name);
				buf_adds(out, "</a>");
			}
		}
		buf_adds(out, "</li>\n");
	}
	buf_adds(out, "</ol>\n");
}

static void add_comparison(struct buf *out, enum kb_lang lang, const struct scan_report *r)
{
	buf_adds(out, "<h2 id=\"vergelijking\">");
	html_text(out, i18n(lang, T_SCAN_COMPARISON));
	buf_adds(out, "</h2>\n");
	if (!r->has_previous) {
		ui_notice(out, lang, T_SCAN_NO_PREVIOUS, false);
		return;
	}
	char text[SCAN_TITLE_MAX + 200];
	snprintf(text, sizeof(text), i18n(lang, T_SCAN_PREVIOUS_SUMMARY), r->previous.title,
	         r->previous.closed_at ? r->previous.closed_at : r->previous.created_at,
	         r->previous_score, r->score);
	buf_adds(out, "<p class=\"comparison\">");
	html_text(out, text);
	buf_adds(out, "</p>\n");
}

/*
 * GET /scan/{id}/profiel   (signed in)
 *
 * The profile of a scan: the region's score, the chart and table per theme, the actions to
 * take next with their practices, and the comparison with the region's previous closed scan.
 * An open scan can be closed here.
 */
void ui_scan_profile(struct req *rq, struct resp *rs)
{
	struct scan_report r;
	struct ui_page p;
	struct buf out;
	int64_t id = begin_scan_page(rq, rs, &p, &r, &out, T_SCAN_PROFILE_TITLE);
	if (!id)
		return;
	char text[120];
	snprintf(text, sizeof(text), i18n(p.lang, T_SCAN_REGION_SCORE), r.score);
	buf_adds(&out, "<p class=\"lead\" id=\"score\">");
	html_text(&out, text);
	buf_addf(&out, "</p>\n<p><a href=\"/scan/%lld\">", (long long)id);
	html_text(&out, i18n(p.lang, r.scan.closed ? T_SCAN_SEE_ANSWERS : T_SCAN_EDIT_ANSWERS));
	buf_adds(&out, "</a></p>\n<h2 id=\"profiel\">");
	html_text(&out, i18n(p.lang, T_SCAN_PROFILE_HEADING));
	buf_adds(&out, "</h2>\n");
	add_profile_chart(&out, p.lang, &r);
	add_profile_table(&out, p.lang, &r);
	add_recommendations(&out, p.lang, &r);
	add_comparison(&out, p.lang, &r);
	if (!r.scan.closed) {
		buf_adds(&out, "<h2 id=\"afsluiten\">");
		html_text(&out, i18n(p.lang, T_SCAN_CLOSE_HEADING));
		buf_adds(&out, "</h2>\n<p>");
		html_text(&out, i18n(p.lang, T_SCAN_CLOSE_INTRO));
		buf_addf(&out, "</p>\n<form action=\"/scan/%lld/sluiten\" method=\"post\">",
		         (long long)id);
		ui_csrf_field(&out, &p);
		buf_adds(&out, "<button type=\"submit\">");
		html_text(&out, i18n(p.lang, T_SCAN_CLOSE_BUTTON));
		buf_adds(&out, "</button></form>\n");
	}
	ui_end(&out, &p);
	ui_respond(rs, &p, 200, &out);
	scan_report_release(&r);
}

/*
 * POST /scan/{id}/sluiten   (form: csrf_token)
 *
 * Close a scan: its answers become final and a later scan of the region compares with it.
 */
void ui_scan_close(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	int64_t id = ui_param_id(rq, "id");
	if (!id || scan_close(rq->store, &rq->who, id, &e) < 0) {
		ui_error_page(rq, rs, id ? &e : NULL);
		return;
	}
	char location[64];
	snprintf(location, sizeof(location), "/scan/%lld/profiel", (long long)id);
	ui_redirect(rs, location);
}
