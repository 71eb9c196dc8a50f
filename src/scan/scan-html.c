/*
 * The printable HTML page of a scan's report (see scan.h): a whole document with its own print
 * style, the profile with an inline SVG bar chart per theme, the recommendations with their
 * practices, the comparison with the previous scan and the answers. Every text that comes from
 * the store or a user goes through html_text / html_attr (knowledge/markdown.h); the page
 * loads nothing from elsewhere, so it prints, and saves as PDF, as it is.
 */
#include "scan/scan-internal.h"

#include "knowledge/markdown.h"

#include <stdio.h>
#include <string.h>

struct labels {
	const char *lang, *scan, *region, *status, *open, *closed, *created, *closed_on, *by,
		*region_score, *print_hint, *profile, *score, *previous, *answered, *of,
		*recommendations, *no_recommendations, *practices, *practices_of_theme,
		*no_practices, *comparison, *no_previous, *previous_scan, *theme, *before, *now,
		*change, *action_changes, *no_action_changes, *answers, *no_answers, *action,
		*level, *note, *partners, *answered_by, *answered_at;
	const char *levels[SCAN_LEVELS + 1]; /* the answered levels, then "unanswered" */
};

static const struct labels labels_nl = {
	.lang = "nl",
	.scan = "Zelfscan",
	.region = "Regio",
	.status = "Status",
	.open = "open",
	.closed = "gesloten",
	.created = "Aangemaakt",
	.closed_on = "Gesloten",
	.by = "door",
	.region_score = "Score van de regio",
	.print_hint = "Druk deze pagina af of bewaar haar als PDF via het afdrukmenu van de "
		      "browser.",
	.profile = "Profiel per thema",
	.score = "Score",
	.previous = "Vorige scan",
	.answered = "beantwoord",
	.of = "van",
	.recommendations = "Acties om nu op te pakken",
	.no_recommendations = "Geen: er is geen actie als ‘gepland’ of ‘niet gestart’ beantwoord.",
	.practices = "Praktijken die hierbij passen",
	.practices_of_theme = "Praktijken bij dit thema",
	.no_practices = "Nog geen praktijken bij deze actie of dit thema.",
	.comparison = "Vergelijking met de vorige scan",
	.no_previous = "Er is geen eerdere gesloten scan van deze regio.",
	.previous_scan = "Vergeleken met",
	.theme = "Thema",
	.before = "Toen",
	.now = "Nu",
	.change = "Verschil",
	.action_changes = "Acties die van niveau veranderden",
	.no_action_changes = "Geen actie veranderde van niveau.",
	.answers = "Antwoorden",
	.no_answers = "Nog geen antwoorden.",
	.action = "Actie",
	.level = "Niveau",
	.note = "Toelichting",
	.partners = "Partners",
	.answered_by = "Beantwoord door",
	.answered_at = "Op",
	.levels = {"niet gestart", "gepland", "in uitvoering", "geborgd", "niet beantwoord"},
};

static const struct labels labels_en = {
	.lang = "en",
	.scan = "Self-scan",
	.region = "Region",
	.status = "Status",
	.open = "open",
	.closed = "closed",
	.created = "Created",
	.closed_on = "Closed",
	.by = "by",
	.region_score = "Region score",
	.print_hint = "Print this page, or save it as PDF, from the browser's print menu.",
	.profile = "Profile per theme",
	.score = "Score",
	.previous = "Previous scan",
	.answered = "answered",
	.of = "of",
	.recommendations = "Actions to take next",
	.no_recommendations = "None: no action was answered ‘planned’ or ‘not started’.",
	.practices = "Practices that fit",
	.practices_of_theme = "Practices of this theme",
	.no_practices = "No practices for this action or theme yet.",
	.comparison = "Comparison with the previous scan",
	.no_previous = "There is no earlier closed scan of this region.",
	.previous_scan = "Compared with",
	.theme = "Theme",
	.before = "Then",
	.now = "Now",
	.change = "Change",
	.action_changes = "Actions whose level changed",
	.no_action_changes = "No action changed level.",
	.answers = "Answers",
	.no_answers = "No answers yet.",
	.action = "Action",
	.level = "Level",
	.note = "Note",
	.partners = "Partners",
	.answered_by = "Answered by",
	.answered_at = "On",
	.levels = {"not started", "planned", "in progress", "embedded", "unanswered"},
};

/* Bar colours per level (not started … embedded, unanswered) and for the scores. */
static const char *const level_colours[SCAN_LEVELS + 1] = {
	"#c0392b", "#e67e22", "#2e86c1", "#1e8449", "#aab7b8",
};

static const char page_style[] =
	"body{font-family:system-ui,sans-serif;color:#1b1b1b;max-width:56rem;margin:2rem auto;"
	"padding:0 1rem;line-height:1.45}"
	"h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;margin-top:2rem}"
	"h3{font-size:1.05rem;margin-bottom:.25rem}"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}"
	"dl.meta dt{font-weight:600}dl.meta dd{margin:0}"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0}"
	"th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
	"td.num,th.num{text-align:right}.note{white-space:pre-line}"
	"figure{margin:.25rem 0 1rem}figcaption{font-size:.9rem;color:#444}"
	".hint{font-size:.9rem;color:#444}section.theme{break-inside:avoid}"
	"@media print{body{margin:0;max-width:none}.hint{display:none}a{color:inherit}}";

static const struct labels *labels_for(const char *lang)
{
	return strcmp(lang, "en") == 0 ? &labels_en : &labels_nl;
}

static const char *level_label(const struct labels *l, int level)
{
	return level >= 0 && level < SCAN_LEVELS ? l->levels[level] : l->levels[SCAN_LEVELS];
}

/* "Name (Organisation)", escaped. */
static void who_html(struct buf *out, const char *name, const char *org)
{
	html_text(out, name);
	if (org && *org) {
		buf_adds(out, " (");
		html_text(out, org);
		buf_addch(out, ')');
	}
}

/* ---- the chart ---------------------------------------------------------------------------- */

#define CHART_WIDTH 560
#define LABEL_WIDTH 150
#define BAR_WIDTH 330
#define ROW_HEIGHT 22

/* One labelled horizontal bar: `value` out of `max`, the text `shown` after it. */
static void svg_bar(struct buf *out, int row, const char *label, double value, double max,
		    const char *colour, const char *shown)
{
	int y = 6 + row * ROW_HEIGHT;
	double w = max > 0 ? BAR_WIDTH * value / max : 0;
	buf_addf(out, "<text x=\"0\" y=\"%d\" font-size=\"12\">", y + 13);
	html_text(out, label);
	buf_addf(out,
		 "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"#eef0f1\"/>"
		 "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>"
		 "<text x=\"%d\" y=\"%d\" font-size=\"12\">",
		 LABEL_WIDTH, y, BAR_WIDTH, LABEL_WIDTH, y, w, colour, LABEL_WIDTH + BAR_WIDTH + 8,
		 y + 13);
	html_text(out, shown);
	buf_adds(out, "</text>\n");
}

static void theme_chart(struct buf *out, const struct scan_theme_profile *t, size_t index,
			const struct labels *l)
{
	int rows = 1 + (t->has_previous ? 1 : 0) + SCAN_LEVELS + 1, row = 0;
	char shown[32];
	buf_addf(out,
		 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		 "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"chart-%zu\">"
		 "<title id=\"chart-%zu\">",
		 CHART_WIDTH, 12 + rows * ROW_HEIGHT, CHART_WIDTH, 12 + rows * ROW_HEIGHT, index,
		 index);
	html_text(out, t->title);
	buf_adds(out, "</title>\n");
	snprintf(shown, sizeof(shown), "%.0f%%", t->score);
	svg_bar(out, row++, l->score, t->score, 100, "#1b4f72", shown);
	if (t->has_previous) {
		snprintf(shown, sizeof(shown), "%.0f%%", t->previous_score);
		svg_bar(out, row++, l->previous, t->previous_score, 100, "#7f8c8d", shown);
	}
	for (int lv = 0; lv <= SCAN_LEVELS; lv++) {
		size_t count = lv < SCAN_LEVELS ? t->counts[lv] : t->nactions - t->answered;
		snprintf(shown, sizeof(shown), "%zu", count);
		svg_bar(out, row++, l->levels[lv], (double)count, (double)t->nactions,
			level_colours[lv], shown);
	}
	buf_adds(out, "</svg>\n");
}

/* ---- the sections ------------------------------------------------------------------------- */

static void head_html(struct buf *out, const struct scan_report *r, const struct labels *l)
{
	buf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>",
		 l->lang);
	html_text(out, l->scan);
	buf_adds(out, ": ");
	html_text(out, r->scan.title);
	buf_adds(out, " — ");
	html_text(out, r->scan.region);
	buf_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>", page_style);
	html_text(out, l->scan);
	buf_adds(out, ": ");
	html_text(out, r->scan.title);
	buf_adds(out, "</h1>\n<dl class=\"meta\">\n<dt>");
	html_text(out, l->region);
	buf_adds(out, "</dt><dd>");
	html_text(out, r->scan.region);
	buf_adds(out, "</dd>\n<dt>");
	html_text(out, l->status);
	buf_adds(out, "</dt><dd>");
	html_text(out, r->scan.closed ? l->closed : l->open);
	buf_adds(out, "</dd>\n<dt>");
	html_text(out, l->created);
	buf_adds(out, "</dt><dd>");
	html_text(out, r->scan.created_at);
	buf_addf(out, " %s ", l->by);
	who_html(out, r->scan.created_by, r->scan.created_by_org);
	buf_adds(out, "</dd>\n");
	if (r->scan.closed) {
		buf_adds(out, "<dt>");
		html_text(out, l->closed_on);
		buf_adds(out, "</dt><dd>");
		html_text(out, r->scan.closed_at);
		buf_addf(out, " %s ", l->by);
		html_text(out, r->scan.closed_by);
		buf_adds(out, "</dd>\n");
	}
	buf_adds(out, "<dt>");
	html_text(out, l->region_score);
	buf_addf(out, "</dt><dd>%.0f%%</dd>\n</dl>\n<p class=\"hint\">", r->score);
	html_text(out, l->print_hint);
	buf_adds(out, "</p>\n");
}

static void profile_html(struct buf *out, const struct scan_report *r, const struct labels *l)
{
	buf_adds(out, "<h2>");
	html_text(out, l->profile);
	buf_adds(out, "</h2>\n");
	for (size_t i = 0; i < r->nthemes; i++) {
		const struct scan_theme_profile *t = &r->themes[i];
		buf_adds(out, "<section class=\"theme\">\n<h3>");
		html_text(out, t->title);
		buf_adds(out, "</h3>\n<figure>\n");
		theme_chart(out, t, i, l);
		buf_addf(out, "<figcaption>%s %.0f%%", l->score, t->score);
		if (t->has_previous)
			buf_addf(out, " (%s %.0f%%, %+.0f)", l->previous, t->previous_score,
				 t->change);
		buf_addf(out, "; %zu %s %zu %s.</figcaption>\n</figure>\n</section>\n",
			 t->answered, l->of, t->nactions, l->answered);
	}
}

static void practices_html(struct buf *out, const struct scan_recommendation *rec,
			   const struct labels *l)
{
	if (!rec->npractices) {
		buf_adds(out, "<p>");
		html_text(out, l->no_practices);
		buf_adds(out, "</p>\n");
		return;
	}
	buf_adds(out, "<p>");
	html_text(out, rec->practices_of_theme ? l->practices_of_theme : l->practices);
	buf_adds(out, ":</p>\n<ul>\n");
	for (size_t i = 0; i < rec->npractices; i++) {
		buf_adds(out, "<li>");
		html_text(out, rec->practices[i].name);
		if (rec->practices[i].region && *rec->practices[i].region) {
			buf_adds(out, " (");
			html_text(out, rec->practices[i].region);
			buf_addch(out, ')');
		}
		buf_adds(out, "</li>\n");
	}
	buf_adds(out, "</ul>\n");
}

static void recommendations_html(struct buf *out, const struct scan_report *r,
				 const struct labels *l)
{
	buf_adds(out, "<h2>");
	html_text(out, l->recommendations);
	buf_adds(out, "</h2>\n");
	if (!r->nrecs) {
		buf_adds(out, "<p>");
		html_text(out, l->no_recommendations);
		buf_adds(out, "</p>\n");
		return;
	}
	buf_adds(out, "<ol>\n");
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct scan_action_row *a = &r->actions[r->recs[i].action];
		const struct scan_theme_profile *t = &r->themes[a->theme];
		buf_adds(out, "<li><strong>");
		html_text(out, a->title);
		buf_adds(out, "</strong> — ");
		html_text(out, t->title);
		buf_addf(out, " (%.0f%%), ", t->score);
		html_text(out, level_label(l, a->answer.level));
		buf_adds(out, "\n");
		practices_html(out, &r->recs[i], l);
		buf_adds(out, "</li>\n");
	}
	buf_adds(out, "</ol>\n");
}

static void comparison_html(struct buf *out, const struct scan_report *r, const struct labels *l)
{
	buf_adds(out, "<h2>");
	html_text(out, l->comparison);
	buf_adds(out, "</h2>\n<p>");
	if (!r->has_previous) {
		html_text(out, l->no_previous);
		buf_adds(out, "</p>\n");
		return;
	}
	html_text(out, l->previous_scan);
	buf_adds(out, ": ");
	html_text(out, r->previous.title);
	buf_adds(out, " (");
	html_text(out, l->closed);
	buf_addch(out, ' ');
	html_text(out, r->previous.closed_at);
	buf_addf(out, "), %s %.0f%% → %.0f%%.</p>\n<table>\n<thead><tr><th>%s</th>"
		      "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
		      "</tr></thead>\n<tbody>\n",
		 l->region_score, r->previous_score, r->score, l->theme, l->before, l->now,
		 l->change);
	for (size_t i = 0; i < r->nthemes; i++) {
		const struct scan_theme_profile *t = &r->themes[i];
		buf_adds(out, "<tr><td>");
		html_text(out, t->title);
		if (t->has_previous)
			buf_addf(out, "</td><td class=\"num\">%.0f%%</td><td class=\"num\">%.0f%%"
				      "</td><td class=\"num\">%+.0f</td></tr>\n",
				 t->previous_score, t->score, t->change);
		else
			buf_addf(out, "</td><td class=\"num\">—</td><td class=\"num\">%.0f%%</td>"
				      "<td class=\"num\">—</td></tr>\n",
				 t->score);
	}
	buf_adds(out, "</tbody>\n</table>\n<h3>");
	html_text(out, l->action_changes);
	buf_adds(out, "</h3>\n");
	size_t changed = 0;
	for (size_t i = 0; i < r->nactions; i++) {
		const struct scan_action_row *a = &r->actions[i];
		if (a->previous_level == a->answer.level)
			continue;
		if (!changed++)
			buf_addf(out, "<table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
				      "<th>%s</th></tr></thead>\n<tbody>\n",
				 l->action, l->theme, l->before, l->now);
		buf_adds(out, "<tr><td>");
		html_text(out, a->title);
		buf_adds(out, "</td><td>");
		html_text(out, r->themes[a->theme].title);
		buf_adds(out, "</td><td>");
		html_text(out, level_label(l, a->previous_level));
		buf_adds(out, "</td><td>");
		html_text(out, level_label(l, a->answer.level));
		buf_adds(out, "</td></tr>\n");
	}
	if (changed) {
		buf_adds(out, "</tbody>\n</table>\n");
	} else {
		buf_adds(out, "<p>");
		html_text(out, l->no_action_changes);
		buf_adds(out, "</p>\n");
	}
}

static void answer_row_html(struct buf *out, const struct scan_report *r,
			    const struct scan_action_row *a, const struct labels *l)
{
	buf_adds(out, "<tr><td>");
	html_text(out, r->themes[a->theme].title);
	buf_adds(out, "</td><td>");
	html_text(out, a->title);
	buf_adds(out, "</td><td>");
	html_text(out, level_label(l, a->answer.level));
	buf_adds(out, "</td><td class=\"note\">");
	html_text(out, a->answer.note);
	buf_adds(out, "</td><td>");
	for (size_t p = 0; p < a->answer.npartners; p++) {
		if (p)
			buf_adds(out, ", ");
		html_text(out, a->answer.partners[p]);
	}
	buf_adds(out, "</td><td>");
	who_html(out, a->answer.answered_by, a->answer.answered_by_org);
	buf_adds(out, "</td><td>");
	html_text(out, a->answer.answered_at);
	buf_adds(out, "</td></tr>\n");
}

static void answers_html(struct buf *out, const struct scan_report *r, const struct labels *l)
{
	buf_adds(out, "<h2>");
	html_text(out, l->answers);
	buf_adds(out, "</h2>\n");
	size_t shown = 0;
	for (size_t i = 0; i < r->nactions; i++) {
		const struct scan_action_row *a = &r->actions[i];
		if (!a->answer.id)
			continue;
		if (!shown++)
			buf_addf(out, "<table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
				      "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n"
				      "<tbody>\n",
				 l->theme, l->action, l->level, l->note, l->partners,
				 l->answered_by, l->answered_at);
		answer_row_html(out, r, a, l);
	}
	if (shown) {
		buf_adds(out, "</tbody>\n</table>\n");
	} else {
		buf_adds(out, "<p>");
		html_text(out, l->no_answers);
		buf_adds(out, "</p>\n");
	}
}

void scan_report_html(const struct scan_report *r, struct buf *out)
{
	const struct labels *l = labels_for(r->lang);
	head_html(out, r, l);
	profile_html(out, r, l);
	recommendations_html(out, r, l);
	comparison_html(out, r, l);
	answers_html(out, r, l);
	buf_adds(out, "</main>\n</body>\n</html>\n");
}
