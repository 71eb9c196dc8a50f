/*
 * The public pages of the knowledge platform (capability C8), no login needed: the themes,
 * one theme with its actions and practices, one practice, the frequently asked questions,
 * and search. They show published content only, read through knowledge_export (one query
 * per kind of item), and write every content text through html_text or markdown_html.
 */
#include "ui/ui.h"

#include "accounts/roles.h"
#include "knowledge/markdown.h"
#include "knowledge/search.h"

#include <stdio.h>
#include <string.h>

#define SEARCH_PAGE_LIMIT 50

/* The published content as a bundle (knowledge.h); on failure the error page is answered. */
static int load_published(const struct req *rq, struct resp *rs, json_t **bundle)
{
	struct err e = ERR_INIT;
	if (knowledge_export(rq->store, bundle, &e) < 0) {
		ui_error_page(rq, rs, &e);
		return -1;
	}
	return 0;
}

/* Whether the string array `list` holds `value`. */
static bool list_has(const json_t *list, const char *value)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), value) == 0)
			return true;
	}
	return false;
}

static void add_formatted(struct buf *out, enum kb_lang lang, enum i18n_key key, long n)
{
	char text[160];
	snprintf(text, sizeof(text), i18n(lang, key), n);
	html_text(out, text);
}

static void add_heading(struct buf *out, const char *tag, const char *id, const char *text)
{
	buf_addf(out, "<%s", tag);
	if (id) {
		buf_adds(out, " id=\"");
		html_attr(out, id);
		buf_adds(out, "\"");
	}
	buf_adds(out, ">");
	html_text(out, text);
	buf_addf(out, "</%s>\n", tag);
}

/* <a href="PREFIX SLUG">TEXT</a>, both escaped. */
static void add_link(struct buf *out, const char *prefix, const char *slug, const char *text)
{
	buf_adds(out, "<a href=\"");
	html_attr(out, prefix);
	html_attr(out, slug);
	buf_adds(out, "\">");
	html_text(out, text);
	buf_adds(out, "</a>");
}

static void theme_href(struct buf *out, const char *slug)
{
	buf_adds(out, "/kennis/thema/");
	html_url_arg(out, slug);
}

/* The breadcrumb trail: the knowledge platform, then the current page (not a link). */
static void add_breadcrumb(struct buf *out, enum kb_lang lang, const char *current)
{
	buf_adds(out, "<nav class=\"breadcrumb\" aria-label=\"");
	html_attr(out, i18n(lang, T_BREADCRUMB_LABEL));
	buf_adds(out, "\"><ol><li><a href=\"/kennis\">");
	html_text(out, i18n(lang, T_KENNIS_TITLE));
	buf_adds(out, "</a></li><li aria-current=\"page\">");
	html_text(out, current);
	buf_adds(out, "</li></ol></nav>\n");
}

static enum i18n_key practice_kind_label(const json_t *practice)
{
	const char *kind = json_string_value(json_object_get(practice, "kind"));
	return kind && strcmp(kind, "pilot") == 0 ? T_PRACTICE_KIND_PILOT
	                                          : T_PRACTICE_KIND_PRACTICE;
}

/* One practice as a list entry: its name as a link, its kind and region. */
static void add_practice_entry(struct buf *out, const json_t *practice, enum kb_lang lang)
{
	buf_adds(out, "<li>");
	add_link(out, "/kennis/praktijk/", json_string_value(json_object_get(practice, "slug")),
	         ui_lang_string(json_object_get(practice, "name"), lang));
	buf_adds(out, " <span class=\"meta\">(");
	html_text(out, i18n(lang, practice_kind_label(practice)));
	const char *region = json_string_value(json_object_get(practice, "region"));
	if (region && *region) {
		buf_adds(out, ", ");
		html_text(out, region);
	}
	buf_adds(out, ")</span></li>\n");
}

static size_t count_practices_of_theme(const json_t *practices, const char *theme)
{
	size_t n = 0, i;
	json_t *p;
	json_array_foreach(practices, i, p)
	{
		if (list_has(json_object_get(p, "themes"), theme))
			n++;
	}
	return n;
}

/*
 * GET /kennis[?lang=en]
 *
 * The themes of the platform, each with its summary and how many actions and practices it
 * has, and the list of all practices and pilots.
 */
void ui_kennis_themes(struct req *rq, struct resp *rs)
{
	json_t *bundle;
	if (load_published(rq, rs, &bundle) < 0)
		return;
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = i18n(p.lang, T_KENNIS_TITLE);
	p.nav = UI_NAV_KNOWLEDGE;
	json_t *themes = json_object_get(bundle, "themes");
	json_t *practices = json_object_get(bundle, "practices");
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	add_heading(&out, "h1", NULL, p.title);
	buf_adds(&out, "<p class=\"lead\">");
	html_text(&out, i18n(p.lang, T_KENNIS_INTRO));
	buf_adds(&out, "</p>\n");
	add_heading(&out, "h2", "vraagstukken", i18n(p.lang, T_KENNIS_THEMES_HEADING));
	buf_adds(&out, "<ol class=\"cards\">\n");
	size_t i;
	json_t *theme;
	json_array_foreach(themes, i, theme)
	{
		const char *slug = json_string_value(json_object_get(theme, "slug"));
		buf_adds(&out, "<li class=\"card\"><h3>");
		add_link(&out, "/kennis/thema/", slug,
		         ui_lang_string(json_object_get(theme, "title"), p.lang));
		buf_adds(&out, "</h3><p>");
		ui_text(&out, json_object_get(theme, "summary"), p.lang);
		buf_adds(&out, "</p><p class=\"meta\">");
		add_formatted(&out, p.lang, T_KENNIS_ACTION_COUNT,
		              (long)json_array_size(json_object_get(theme, "actions")));
		buf_adds(&out, " · ");
		add_formatted(&out, p.lang, T_KENNIS_PRACTICE_COUNT,
		              (long)count_practices_of_theme(practices, slug));
		buf_adds(&out, "</p></li>\n");
	}
	buf_adds(&out, "</ol>\n");
	add_heading(&out, "h2", "praktijk", i18n(p.lang, T_KENNIS_PRACTICES_HEADING));
	buf_adds(&out, "<ul class=\"plain-list\">\n");
	json_t *practice;
	json_array_foreach(practices, i, practice) add_practice_entry(&out, practice, p.lang);
	buf_adds(&out, "</ul>\n");
	ui_end(&out, &p);
	ui_respond(rs, &p, 200, &out);
	json_decref(bundle);
}

/* The practices that name action `action` among their actions, as a short line of links. */
static void add_action_practices(struct buf *out, const json_t *practices, const char *action,
                                 enum kb_lang lang)
{
	size_t i, shown = 0;
	json_t *practice;
	json_array_foreach(practices, i, practice)
	{
		if (!list_has(json_object_get(practice, "actions"), action))
			continue;
		if (shown++ == 0) {
			buf_adds(out, "<p class=\"meta\">");
			html_text(out, i18n(lang, T_PRACTICE_ACTIONS_SEEN_IN));
			buf_adds(out, " ");
		} else {
			buf_adds(out, ", ");
		}
		add_link(out, "/kennis/praktijk/",
		         json_string_value(json_object_get(practice, "slug")),
		         ui_lang_string(json_object_get(practice, "name"), lang));
	}
	if (shown)
		buf_adds(out, "</p>\n");
}

static void add_theme_toc(struct buf *out, enum kb_lang lang, const char *slug)
{
	static const struct {
		const char *anchor;
		enum i18n_key label;
	} parts[] = {{"#inzet", T_THEME_STAKE},
	             {"#samenwerking", T_THEME_COOPERATION},
	             {"#acties", T_THEME_ACTIONS},
	             {"#praktijk", T_THEME_PRACTICES}};
	buf_adds(out, "<nav class=\"toc\" aria-labelledby=\"toc-heading\"><h2 id=\"toc-heading\">");
	html_text(out, i18n(lang, T_THEME_ON_THIS_PAGE));
	buf_adds(out, "</h2><ul>");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		buf_adds(out, "<li><a href=\"");
		buf_adds(out, parts[i].anchor);
		buf_adds(out, "\">");
		html_text(out, i18n(lang, parts[i].label));
		buf_adds(out, "</a></li>");
	}
	buf_adds(out, "<li><a href=\"/kennis/vragen?thema=");
	html_url_arg(out, slug);
	buf_adds(out, "\">");
	html_text(out, i18n(lang, T_THEME_FAQ_LINK));
	buf_adds(out, "</a></li></ul></nav>\n");
}

/*
 * GET /kennis/thema/{slug}[?lang=en]
 *
 * One theme: what is at stake, how regional cooperation helps, the possible actions (each
 * with the practices that show it) and the practices linked to the theme. 404 for a theme
 * that does not exist or is not published.
 */
void ui_kennis_theme(struct req *rq, struct resp *rs)
{
	json_t *bundle;
	if (load_published(rq, rs, &bundle) < 0)
		return;
	const char *slug = req_param(rq, "slug");
	json_t *theme = ui_find_slug(json_object_get(bundle, "themes"), slug);
	if (!theme) {
		json_decref(bundle);
		ui_error_page(rq, rs, NULL);
		return;
	}
	json_t *practices = json_object_get(bundle, "practices");
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = ui_lang_string(json_object_get(theme, "title"), p.lang);
	p.nav = UI_NAV_KNOWLEDGE;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	add_breadcrumb(&out, p.lang, p.title);
	add_heading(&out, "h1", NULL, p.title);
	buf_adds(&out, "<p class=\"lead\">");
	ui_text(&out, json_object_get(theme, "summary"), p.lang);
	buf_adds(&out, "</p>\n");
	add_theme_toc(&out, p.lang, slug);

	add_heading(&out, "h2", "inzet", i18n(p.lang, T_THEME_STAKE));
	markdown_html(&out, ui_lang_string(json_object_get(theme, "stake"), p.lang));
	add_heading(&out, "h2", "samenwerking", i18n(p.lang, T_THEME_COOPERATION));
	markdown_html(&out, ui_lang_string(json_object_get(theme, "cooperation"), p.lang));

	add_heading(&out, "h2", "acties", i18n(p.lang, T_THEME_ACTIONS));
	buf_adds(&out, "<ol class=\"actions\">\n");
	size_t i;
	json_t *action;
	json_array_foreach(json_object_get(theme, "actions"), i, action)
	{
		const char *aslug = json_string_value(json_object_get(action, "slug"));
		struct buf id = BUF_INIT;
		buf_adds(&id, "actie-");
		buf_adds(&id, aslug);
		buf_adds(&out, "<li>");
		add_heading(&out, "h3", id.data,
		            ui_lang_string(json_object_get(action, "title"), p.lang));
		markdown_html(&out, ui_lang_string(json_object_get(action, "body"), p.lang));
		add_action_practices(&out, practices, aslug, p.lang);
		buf_adds(&out, "</li>\n");
		buf_release(&id);
	}
	buf_adds(&out, "</ol>\n");

	add_heading(&out, "h2", "praktijk", i18n(p.lang, T_THEME_PRACTICES));
	if (count_practices_of_theme(practices, slug) == 0) {
		buf_adds(&out, "<p>");
		html_text(&out, i18n(p.lang, T_THEME_NO_PRACTICES));
		buf_adds(&out, "</p>\n");
	} else {
		buf_adds(&out, "<ul class=\"plain-list\">\n");
		json_t *practice;
		json_array_foreach(practices, i, practice)
		{
			if (list_has(json_object_get(practice, "themes"), slug))
				add_practice_entry(&out, practice, p.lang);
		}
		buf_adds(&out, "</ul>\n");
	}
	ui_end(&out, &p);
	ui_respond(rs, &p, 200, &out);
	json_decref(bundle);
}

/* A <dt>/<dd> pair of the practice's facts; nothing when `value` is empty. */
static void add_fact_start(struct buf *out, enum kb_lang lang, enum i18n_key label)
{
	buf_adds(out, "<dt>");
	html_text(out, i18n(lang, label));
	buf_adds(out, "</dt><dd>");
}

static void add_fact_text(struct buf *out, enum kb_lang lang, enum i18n_key label,
                          const char *value)
{
	if (!value || !*value)
		return;
	add_fact_start(out, lang, label);
	html_text(out, value);
	buf_adds(out, "</dd>\n");
}

/* The theme holding action `slug`, or NULL. */
static json_t *theme_of_action(const json_t *themes, const char *slug)
{
	size_t i;
	json_t *theme;
	json_array_foreach(themes, i, theme)
	{
		if (ui_find_slug(json_object_get(theme, "actions"), slug))
			return theme;
	}
	return NULL;
}

static void add_practice_facts(struct buf *out, const json_t *bundle, const json_t *practice,
                               enum kb_lang lang)
{
	buf_adds(out, "<dl class=\"facts\">\n");
	add_fact_start(out, lang, T_PRACTICE_KIND);
	html_text(out, i18n(lang, practice_kind_label(practice)));
	buf_adds(out, "</dd>\n");
	add_fact_text(out, lang, T_PRACTICE_REGION,
	              json_string_value(json_object_get(practice, "region")));
	json_t *partners = json_object_get(practice, "partners");
	if (json_array_size(partners)) {
		add_fact_start(out, lang, T_PRACTICE_PARTNERS);
		size_t i;
		json_t *v;
		json_array_foreach(partners, i, v)
		{
			if (i)
				buf_adds(out, ", ");
			html_text(out, json_string_value(v));
		}
		buf_adds(out, "</dd>\n");
	}
	json_t *groups = json_object_get(practice, "target_groups");
	if (json_array_size(groups)) {
		add_fact_start(out, lang, T_PRACTICE_TARGET_GROUPS);
		json_t *known = json_object_get(bundle, "target_groups");
		size_t i;
		json_t *v;
		json_array_foreach(groups, i, v)
		{
			json_t *group = ui_find_slug(known, json_string_value(v));
			if (i)
				buf_adds(out, ", ");
			if (group)
				ui_text(out, json_object_get(group, "name"), lang);
			else
				html_text(out, json_string_value(v));
		}
		buf_adds(out, "</dd>\n");
	}
	add_fact_text(out, lang, T_PRACTICE_CONTACT,
	              json_string_value(json_object_get(practice, "contact_organisation")));
	add_fact_text(out, lang, T_PRACTICE_SOURCE,
	              json_string_value(json_object_get(practice, "source")));
	buf_adds(out, "</dl>\n");
}

/* The themes and actions a practice is linked to, as lists of links. */
static void add_practice_links(struct buf *out, const json_t *bundle, const json_t *practice,
                               enum kb_lang lang)
{
	json_t *themes = json_object_get(bundle, "themes");
	size_t i;
	json_t *v;
	if (json_array_size(json_object_get(practice, "themes"))) {
		add_heading(out, "h2", "themas", i18n(lang, T_PRACTICE_THEMES));
		buf_adds(out, "<ul class=\"plain-list\">\n");
		json_array_foreach(json_object_get(practice, "themes"), i, v)
		{
			json_t *theme = ui_find_slug(themes, json_string_value(v));
			if (!theme)
				continue;
			buf_adds(out, "<li>");
			add_link(out, "/kennis/thema/", json_string_value(v),
			         ui_lang_string(json_object_get(theme, "title"), lang));
			buf_adds(out, "</li>\n");
		}
		buf_adds(out, "</ul>\n");
	}
	if (json_array_size(json_object_get(practice, "actions"))) {
		add_heading(out, "h2", "acties", i18n(lang, T_PRACTICE_ACTIONS));
		buf_adds(out, "<ul class=\"plain-list\">\n");
		json_array_foreach(json_object_get(practice, "actions"), i, v)
		{
			const char *aslug = json_string_value(v);
			json_t *theme = theme_of_action(themes, aslug);
			if (!theme)
				continue;
			json_t *action = ui_find_slug(json_object_get(theme, "actions"), aslug);
			buf_adds(out, "<li><a href=\"");
			theme_href(out, json_string_value(json_object_get(theme, "slug")));
			buf_adds(out, "#actie-");
			html_url_arg(out, aslug);
			buf_adds(out, "\">");
			ui_text(out, json_object_get(action, "title"), lang);
			buf_adds(out, "</a></li>\n");
		}
		buf_adds(out, "</ul>\n");
	}
}

/*
 * GET /kennis/praktijk/{slug}[?lang=en]
 *
 * One practice or pilot: its facts (kind, region, partners, target groups, contact, source),
 * what it does, what came of it, and the themes and actions it shows. 404 when it does not
 * exist or is not published.
 */
void ui_kennis_practice(struct req *rq, struct resp *rs)
{
	json_t *bundle;
	if (load_published(rq, rs, &bundle) < 0)
		return;
	json_t *practice =
	    ui_find_slug(json_object_get(bundle, "practices"), req_param(rq, "slug"));
	if (!practice) {
		json_decref(bundle);
		ui_error_page(rq, rs, NULL);
		return;
	}
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = ui_lang_string(json_object_get(practice, "name"), p.lang);
	p.nav = UI_NAV_KNOWLEDGE;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	add_breadcrumb(&out, p.lang, p.title);
	add_heading(&out, "h1", NULL, p.title);
	if (p.signed_in && (p.session.roles & ROLE_EDITOR)) {
		buf_adds(&out, "<p><a class=\"button\" href=\"/kennis/praktijk/");
		html_url_arg(&out, req_param(rq, "slug"));
		buf_adds(&out, "/bewerken\">");
		html_text(&out, i18n(p.lang, T_EDIT_LINK));
		buf_adds(&out, "</a></p>\n");
	}
	add_practice_facts(&out, bundle, practice, p.lang);
	add_heading(&out, "h2", "wat", i18n(p.lang, T_PRACTICE_WHAT));
	markdown_html(&out, ui_lang_string(json_object_get(practice, "what"), p.lang));
	add_heading(&out, "h2", "resultaat", i18n(p.lang, T_PRACTICE_RESULT));
	markdown_html(&out, ui_lang_string(json_object_get(practice, "result"), p.lang));
	add_practice_links(&out, bundle, practice, p.lang);
	ui_end(&out, &p);
	ui_respond(rs, &p, 200, &out);
	json_decref(bundle);
}

/* The questions of one theme under its heading. */
static void add_theme_faqs(struct buf *out, const json_t *theme, const json_t *faqs,
                           enum kb_lang lang)
{
	const char *slug = json_string_value(json_object_get(theme, "slug"));
	buf_adds(out, "<section class=\"faq-theme\" aria-labelledby=\"faq-");
	html_attr(out, slug);
	buf_adds(out, "\"><h2 id=\"faq-");
	html_attr(out, slug);
	buf_adds(out, "\">");
	add_link(out, "/kennis/thema/", slug,
	         ui_lang_string(json_object_get(theme, "title"), lang));
	buf_adds(out, "</h2>\n");
	size_t i, shown = 0;
	json_t *faq;
	json_array_foreach(faqs, i, faq)
	{
		const char *t = json_string_value(json_object_get(faq, "theme"));
		if (!t || strcmp(t, slug) != 0)
			continue;
		struct buf id = BUF_INIT;
		buf_adds(&id, "vraag-");
		buf_adds(&id, json_string_value(json_object_get(faq, "slug")));
		add_heading(out, "h3", id.data,
		            ui_lang_string(json_object_get(faq, "question"), lang));
		buf_release(&id);
		buf_adds(out, "<div class=\"answer\">");
		markdown_html(out, ui_lang_string(json_object_get(faq, "answer"), lang));
		buf_adds(out, "</div>\n");
		shown++;
	}
	if (!shown) {
		buf_adds(out, "<p>");
		html_text(out, i18n(lang, T_FAQ_NONE));
		buf_adds(out, "</p>\n");
	}
	buf_adds(out, "</section>\n");
}

/*
 * GET /kennis/vragen[?thema=SLUG][&lang=en]
 *
 * The frequently asked questions, per theme; with thema= those of one theme (404 for a theme
 * that does not exist). The filter is a plain form, so it works without script.
 */
void ui_kennis_faq(struct req *rq, struct resp *rs)
{
	json_t *bundle;
	if (load_published(rq, rs, &bundle) < 0)
		return;
	json_t *themes = json_object_get(bundle, "themes");
	const char *filter = req_query(rq, "thema");
	if (filter && !*filter)
		filter = NULL;
	if (filter && !ui_find_slug(themes, filter)) {
		json_decref(bundle);
		ui_error_page(rq, rs, NULL);
		return;
	}
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = i18n(p.lang, T_FAQ_TITLE);
	p.nav = UI_NAV_FAQ;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	add_heading(&out, "h1", NULL, p.title);
	buf_adds(&out, "<p class=\"lead\">");
	html_text(&out, i18n(p.lang, T_FAQ_INTRO));
	buf_adds(&out, "</p>\n<form class=\"filters\" action=\"/kennis/vragen\" method=\"get\">"
	               "<fieldset><legend>");
	html_text(&out, i18n(p.lang, T_FAQ_FILTER_LEGEND));
	buf_adds(&out, "</legend>\n");
	ui_select(&out, p.lang, "faq-thema", "thema", T_FILTER_THEME, T_FILTER_ALL_THEMES, themes,
	          "title", filter);
	buf_adds(&out, "<p class=\"field\"><button type=\"submit\">");
	html_text(&out, i18n(p.lang, T_FAQ_FILTER_BUTTON));
	buf_adds(&out, "</button></p></fieldset></form>\n");
	size_t i;
	json_t *theme;
	json_array_foreach(themes, i, theme)
	{
		const char *slug = json_string_value(json_object_get(theme, "slug"));
		if (!filter || strcmp(filter, slug) == 0)
			add_theme_faqs(&out, theme, json_object_get(bundle, "faqs"), p.lang);
	}
	ui_end(&out, &p);
	ui_respond(rs, &p, 200, &out);
	json_decref(bundle);
}

/* Where a search hit lives on the site. */
static void hit_href(struct buf *out, const struct search_hit *h)
{
	if (strcmp(h->kind, "practice") == 0 || strcmp(h->kind, "pilot") == 0) {
		buf_adds(out, "/kennis/praktijk/");
		html_url_arg(out, h->slug);
	} else if (strcmp(h->kind, "theme") == 0) {
		theme_href(out, h->slug);
	} else if (strcmp(h->kind, "action") == 0) {
		theme_href(out, h->theme);
		buf_adds(out, "#actie-");
		html_url_arg(out, h->slug);
	} else {
		buf_adds(out, "/kennis/vragen?thema=");
		html_url_arg(out, h->theme);
		buf_adds(out, "#vraag-");
		html_url_arg(out, h->slug);
	}
}

static enum i18n_key hit_kind_label(const char *kind)
{
	if (strcmp(kind, "theme") == 0)
		return T_KIND_THEME;
	if (strcmp(kind, "action") == 0)
		return T_KIND_ACTION;
	if (strcmp(kind, "pilot") == 0)
		return T_KIND_PILOT;
	if (strcmp(kind, "faq") == 0)
		return T_KIND_FAQ;
	return T_KIND_PRACTICE;
}

static void add_search_form(struct buf *out, enum kb_lang lang, const json_t *bundle, const char *q,
                            const char *theme, const char *group)
{
	buf_adds(out, "<form class=\"filters\" role=\"search\" action=\"/kennis/zoeken\" "
	              "method=\"get\"><p class=\"field\"><label for=\"zoek-q\">");
	html_text(out, i18n(lang, T_SEARCH_LABEL));
	buf_adds(out, "</label> <input id=\"zoek-q\" type=\"search\" name=\"q\" value=\"");
	html_attr(out, q ? q : "");
	buf_adds(out,
	         "\" aria-describedby=\"zoek-hint\"></p>\n<p id=\"zoek-hint\" class=\"hint\">");
	html_text(out, i18n(lang, T_SEARCH_HINT));
	buf_adds(out, "</p>\n");
	ui_select(out, lang, "zoek-thema", "thema", T_FILTER_THEME, T_FILTER_ALL_THEMES,
	          json_object_get(bundle, "themes"), "title", theme);
	ui_select(out, lang, "zoek-doelgroep", "doelgroep", T_FILTER_TARGET_GROUP,
	          T_FILTER_ALL_GROUPS, json_object_get(bundle, "target_groups"), "name", group);
	buf_adds(out, "<p class=\"field\"><button type=\"submit\">");
	html_text(out, i18n(lang, T_SEARCH_BUTTON));
	buf_adds(out, "</button></p></form>\n");
}

static void add_message(struct buf *out, enum kb_lang lang, enum i18n_key key)
{
	buf_adds(out, "<p class=\"notice\" role=\"status\">");
	html_text(out, i18n(lang, key));
	buf_adds(out, "</p>\n");
}

/* The ranked hits: title and snippet come escaped from the search module, with <mark>. */
static void add_hits(struct buf *out, enum kb_lang lang, const char *q,
                     const struct search_result *r)
{
	buf_adds(out, "<h2 id=\"resultaten\">");
	struct buf text = BUF_INIT;
	ui_format(&text, lang, T_SEARCH_RESULTS_FOR, q);
	html_text(out, text.data);
	buf_release(&text);
	buf_adds(out, "</h2>\n<p role=\"status\">");
	add_formatted(out, lang, T_SEARCH_RESULT_COUNT, (long)r->total);
	if (r->total > (int64_t)r->n) {
		buf_adds(out, " ");
		add_formatted(out, lang, T_SEARCH_SHOWING_FIRST, (long)r->n);
	}
	buf_adds(out, "</p>\n");
	if (!r->n) {
		add_message(out, lang, T_SEARCH_NO_RESULTS);
		return;
	}
	buf_adds(out, "<ol class=\"results\" aria-labelledby=\"resultaten\">\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct search_hit *h = &r->hits[i];
		buf_adds(out, "<li><h3><a href=\"");
		hit_href(out, h);
		buf_adds(out, "\">");
		buf_adds(out, h->title_html); /* escaped by search_highlight */
		buf_adds(out, "</a></h3><p class=\"meta\">");
		html_text(out, i18n(lang, hit_kind_label(h->kind)));
		buf_adds(out, "</p><p>");
		buf_adds(out, h->snippet_html); /* escaped by search_highlight */
		buf_adds(out, "</p></li>\n");
	}
	buf_adds(out, "</ol>\n");
}

/* "" counts as absent: an empty select option means "all". */
static const char *query_or_null(const struct req *rq, const char *name)
{
	const char *v = req_query(rq, name);
	return v && *v ? v : NULL;
}

/*
 * GET /kennis/zoeken[?q=WORDS][&thema=SLUG][&doelgroep=SLUG][&lang=en]
 *
 * Search the published content in the page's language: the form with its filters, and for a
 * query the hits ranked best first, the matching words marked. A query without a searchable
 * word, or a filter naming nothing, gets a message rather than an error page.
 */
void ui_kennis_search(struct req *rq, struct resp *rs)
{
	json_t *bundle;
	if (load_published(rq, rs, &bundle) < 0)
		return;
	const char *q = query_or_null(rq, "q");
	struct search_query sq = {.text = q,
	                          .theme = query_or_null(rq, "thema"),
	                          .target_group = query_or_null(rq, "doelgroep"),
	                          .limit = SEARCH_PAGE_LIMIT};
	struct ui_page p;
	ui_page_init(&p, rq);
	sq.lang = p.lang;
	p.title = i18n(p.lang, T_SEARCH_TITLE);
	p.nav = UI_NAV_SEARCH;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	add_heading(&out, "h1", NULL, p.title);
	add_search_form(&out, p.lang, bundle, q, sq.theme, sq.target_group);
	if (q) {
		struct search_result r = {0};
		struct err e = ERR_INIT;
		if (knowledge_search(rq->store, &sq, &r, &e) == 0) {
			add_hits(&out, p.lang, q, &r);
		} else if (e.code == ERR_INVALID) {
			add_message(&out, p.lang, T_SEARCH_NO_WORDS);
		} else if (e.code == ERR_NOTFOUND) {
			add_message(&out, p.lang, T_SEARCH_UNKNOWN_FILTER);
		} else {
			buf_release(&out);
			json_decref(bundle);
			ui_error_page(rq, rs, &e);
			return;
		}
		search_result_release(&r);
	}
	ui_end(&out, &p);
	ui_respond(rs, &p, 200, &out);
	json_decref(bundle);
}
