/*
 * The frame of every page: the document head, the skip link, the header (site name, the
 * signed-in organisation, navigation, search, the NL/EN switch), the footer, and how a page
 * is answered — its headers, the language cookie, and the pages for "not found" and errors.
 */
#include "ui/ui.h"

#include "http/auth.h"
#include "knowledge/markdown.h"
#include "registry/org.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LANG_COOKIE         "lang"
#define LANG_COOKIE_MAX_AGE "31536000" /* a year: the choice is a preference, not a secret */

enum kb_lang ui_lang(const struct req *rq)
{
	enum kb_lang lang;
	const char *q = req_query(rq, "lang");
	if (q && kb_lang_parse(q, &lang, NULL) == 0)
		return lang;
	char value[8];
	if (http_cookie_value(rq->cookie, LANG_COOKIE, value, sizeof(value)) &&
	    kb_lang_parse(value, &lang, NULL) == 0)
		return lang;
	return KB_NL;
}

/* The signed-in user of a request: the one the HTTP layer authenticated, or for a public
 * page the live session its cookie names. */
static void find_session(struct ui_page *p, const struct req *rq)
{
	if (rq->auth == HTTP_AUTH_SESSION) {
		p->session = rq->session;
		p->signed_in = true;
	} else {
		char token[SESSION_TOKEN_HEX_SIZE + 1];
		struct err e = ERR_INIT;
		if (!rq->store || !rq->app ||
		    !http_cookie_value(rq->cookie, HTTP_SESSION_COOKIE, token, sizeof(token)))
			return;
		if (session_lookup(rq->store, &rq->app->sessions, token, &p->session, &e) < 0) {
			if (e.code != ERR_NOTFOUND)
				log_warn("ui: cannot look up a session: %s", e.msg);
			return;
		}
		p->signed_in = true;
	}
	struct organisation org;
	struct err e = ERR_INIT;
	char ref[32];
	memset(&org, 0, sizeof(org));
	snprintf(ref, sizeof(ref), "id:%lld", (long long)p->session.organisation_id);
	if (p->session.organisation_id && org_get(rq->store, ref, &org, &e) == 0 && org.name)
		snprintf(p->org_name, sizeof(p->org_name), "%s", org.name);
	else
		snprintf(p->org_name, sizeof(p->org_name), "%s", p->session.organisation);
	org_release(&org);
}

void ui_page_init(struct ui_page *p, const struct req *rq)
{
	memset(p, 0, sizeof(*p));
	p->rq = rq;
	p->lang = ui_lang(rq);
	p->nav = UI_NAV_NONE;
	find_session(p, rq);
}

/* Decode n bytes of a form value (+ is a space, %XX a byte) and append them to `out`. */
static bool form_decode(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]))
				return false;
			char hex[3] = {s[i + 1], s[i + 2], '\0'};
			c = (char)strtoul(hex, NULL, 16);
			i += 2;
		}
		buf_addch(out, c);
	}
	return true;
}

bool ui_form_field(const struct req *rq, const char *name, struct buf *out)
{
	if (!rq->content_type || !rq->body ||
	    strncasecmp(rq->content_type, "application/x-www-form-urlencoded", 33) != 0)
		return false;
	size_t nlen = strlen(name);
	const char *p = rq->body, *end = rq->body + rq->body_len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p);
		if (len > nlen && memcmp(p, name, nlen) == 0 && p[nlen] == '=') {
			size_t start = out->len;
			if (!form_decode(p + nlen + 1, len - nlen - 1, out) ||
			    !utf8_valid(out->data + start, out->len - start, NULL))
				goto bad;
			for (size_t i = start; i < out->len; i++) {
				unsigned char c = (unsigned char)out->data[i];
				if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
					goto bad;
			}
			return true;
		bad:
			out->len = start;
			out->data[start] = '\0';
			return false;
		}
		p += len + 1;
	}
	return false;
}

void ui_csrf_field(struct buf *out, const struct ui_page *p)
{
	buf_adds(out, "<input type=\"hidden\" name=\"csrf_token\" value=\"");
	html_attr(out, p->signed_in ? p->session.csrf : "");
	buf_adds(out, "\">");
}

void ui_redirect(struct resp *rs, const char *location)
{
	rs->status = 303;
	rs->content_type = "text/html; charset=utf-8";
	buf_reset(&rs->body);
	buf_adds(&rs->body, "<!doctype html>\n<title>303</title>\n<p><a href=\"");
	html_attr(&rs->body, location);
	buf_adds(&rs->body, "\">");
	html_text(&rs->body, location);
	buf_adds(&rs->body, "</a></p>\n");
	resp_header(rs, "Location", location);
	resp_header(rs, "Cache-Control", "no-store");
}

void ui_sign_in_needed(const struct req *rq, struct resp *rs)
{
	struct buf url = BUF_INIT;
	buf_adds(&url, "/inloggen?terug=");
	html_url_arg(&url, rq->path);
	ui_redirect(rs, url.data);
	/* The 401 of the API layer does not apply to a page. */
	resp_header(rs, "WWW-Authenticate", "Cookie realm=\"inbeeld\" form-action=\"/inloggen\"");
	buf_release(&url);
}

void html_url_arg(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addch(out, (char)c);
		} else {
			buf_addch(out, '%');
			buf_addch(out, hex[c >> 4]);
			buf_addch(out, hex[c & 15]);
		}
	}
}

const char *ui_lang_string(const json_t *obj, enum kb_lang lang)
{
	const char *s = json_string_value(json_object_get(obj, kb_lang_code(lang)));
	if (!s || !*s)
		s = json_string_value(json_object_get(obj, "nl"));
	return s ? s : "";
}

void ui_text(struct buf *out, const json_t *obj, enum kb_lang lang)
{
	html_text(out, ui_lang_string(obj, lang));
}

json_t *ui_find_slug(const json_t *array, const char *slug)
{
	size_t i;
	json_t *item;
	json_array_foreach(array, i, item)
	{
		const char *s = json_string_value(json_object_get(item, "slug"));
		if (s && slug && strcmp(s, slug) == 0)
			return item;
	}
	return NULL;
}

void ui_static_url(struct buf *out, const char *name)
{
	char version[17];
	buf_adds(out, "/static/");
	buf_adds(out, name);
	if (ui_static_version(name, version) == 0) {
		buf_adds(out, "?v=");
		buf_adds(out, version);
	}
}

/*
 * The link of the language switch: this page (path and query) in language `to`. The other
 * query parameters are kept, so that a search stays a search.
 */
static void switch_href(struct buf *out, const struct req *rq, enum kb_lang to)
{
	struct buf url = BUF_INIT;
	buf_adds(&url, rq->path);
	char sep = '?';
	for (size_t i = 0; i < rq->nquery; i++) {
		if (strcmp(rq->query[i].name, "lang") == 0)
			continue;
		buf_addch(&url, sep);
		sep = '&';
		html_url_arg(&url, rq->query[i].name);
		buf_addch(&url, '=');
		html_url_arg(&url, rq->query[i].value);
	}
	buf_addch(&url, sep);
	buf_adds(&url, "lang=");
	buf_adds(&url, kb_lang_code(to));
	html_attr(out, url.data);
	buf_release(&url);
}

enum { NAV_ALWAYS, NAV_SIGNED_IN, NAV_SIGNED_OUT };

static const struct nav_item {
	enum ui_nav nav;
	const char *href;
	enum i18n_key label;
	int when;
} nav_items[] = {
    {UI_NAV_HOME, "/", T_NAV_HOME, NAV_ALWAYS},
    {UI_NAV_KNOWLEDGE, "/kennis", T_NAV_KNOWLEDGE, NAV_ALWAYS},
    {UI_NAV_FAQ, "/kennis/vragen", T_NAV_FAQ, NAV_ALWAYS},
    {UI_NAV_SEARCH, "/kennis/zoeken", T_NAV_SEARCH, NAV_ALWAYS},
    {UI_NAV_SCAN, "/scan", T_NAV_SCAN, NAV_SIGNED_IN},
    {UI_NAV_FORUM, "/forum", T_NAV_FORUM, NAV_SIGNED_IN},
    {UI_NAV_SIGN_IN, "/inloggen", T_NAV_SIGN_IN, NAV_SIGNED_OUT},
};

static void add_nav(struct buf *out, const struct ui_page *p)
{
	buf_adds(out, "<nav class=\"site-nav\" aria-label=\"");
	html_attr(out, i18n(p->lang, T_NAV_LABEL));
	buf_adds(out, "\"><ul>");
	for (size_t i = 0; i < sizeof(nav_items) / sizeof(nav_items[0]); i++) {
		if ((nav_items[i].when == NAV_SIGNED_IN && !p->signed_in) ||
		    (nav_items[i].when == NAV_SIGNED_OUT && p->signed_in))
			continue;
		buf_adds(out, "<li><a href=\"");
		buf_adds(out, nav_items[i].href);
		buf_adds(out, "\"");
		if (nav_items[i].nav == p->nav)
			buf_adds(out, " aria-current=\"page\"");
		buf_adds(out, ">");
		html_text(out, i18n(p->lang, nav_items[i].label));
		buf_adds(out, "</a></li>");
	}
	buf_adds(out, "</ul></nav>\n");
}

/* The search form of the header; the search page has its own, fuller form instead. */
static void add_header_search(struct buf *out, const struct ui_page *p)
{
	if (p->nav == UI_NAV_SEARCH)
		return;
	buf_adds(out, "<form class=\"site-search\" role=\"search\" action=\"/kennis/zoeken\" "
	              "method=\"get\"><label for=\"site-search-q\">");
	html_text(out, i18n(p->lang, T_SEARCH_LABEL));
	buf_adds(out, "</label> <input id=\"site-search-q\" type=\"search\" name=\"q\" "
	              "autocomplete=\"off\" value=\"");
	html_attr(out, p->search ? p->search : "");
	buf_adds(out, "\"> <button type=\"submit\">");
	html_text(out, i18n(p->lang, T_SEARCH_BUTTON));
	buf_adds(out, "</button></form>\n");
}

/* Who is signed in, for which organisation, and the sign-out button (a form: it changes
 * state, so it is a POST with the CSRF token). */
static void add_signed_in(struct buf *out, const struct ui_page *p)
{
	buf_adds(out, "<div class=\"signed-in\"><p>");
	html_text(out, p->session.display_name[0] ? p->session.display_name : p->session.username);
	buf_adds(out, " · ");
	html_text(out, i18n(p->lang, T_SIGNED_IN_AS));
	buf_adds(out, " <strong>");
	html_text(out, p->org_name);
	buf_adds(out, "</strong></p><form action=\"/uitloggen\" method=\"post\">");
	ui_csrf_field(out, p);
	buf_adds(out, "<button type=\"submit\" class=\"link-button\">");
	html_text(out, i18n(p->lang, T_SIGN_OUT));
	buf_adds(out, "</button></form></div>");
}

void ui_begin(struct buf *out, const struct ui_page *p)
{
	enum kb_lang other = p->lang == KB_NL ? KB_EN : KB_NL;
	buf_adds(out, "<!doctype html>\n<html lang=\"");
	buf_adds(out, kb_lang_code(p->lang));
	buf_adds(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	              "<title>");
	if (p->title && *p->title) {
		html_text(out, p->title);
		buf_adds(out, " · ");
	}
	html_text(out, i18n(p->lang, T_SITE_NAME));
	buf_adds(out, "</title>\n<link rel=\"stylesheet\" href=\"");
	ui_static_url(out, "app.css");
	buf_adds(out, "\">\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
	ui_static_url(out, "icon.svg");
	buf_adds(out, "\">\n<script src=\"");
	ui_static_url(out, "app.js");
	buf_adds(out,
	         "\" defer></script>\n</head>\n<body>\n<a class=\"skip-link\" href=\"#inhoud\">");
	html_text(out, i18n(p->lang, T_SKIP_TO_CONTENT));
	buf_adds(out, "</a>\n<header class=\"site-header\">\n<div class=\"wrap header-top\">"
	              "<p class=\"site-name\"><a href=\"/\"><img src=\"");
	ui_static_url(out, "icon.svg");
	buf_adds(out, "\" alt=\"\" width=\"28\" height=\"28\"> ");
	html_text(out, i18n(p->lang, T_SITE_NAME));
	buf_adds(out, "</a> <span class=\"tagline\">");
	html_text(out, i18n(p->lang, T_SITE_TAGLINE));
	buf_adds(out, "</span></p>");
	if (p->signed_in)
		add_signed_in(out, p);
	buf_adds(out, "<p class=\"lang-switch\"><span class=\"visually-hidden\">");
	html_text(out, i18n(p->lang, T_LANG_SWITCH_LABEL));
	buf_adds(out, " </span><a href=\"");
	switch_href(out, p->rq, other);
	buf_adds(out, "\" hreflang=\"");
	buf_adds(out, kb_lang_code(other));
	buf_adds(out, "\" lang=\"");
	buf_adds(out, kb_lang_code(other));
	buf_adds(out, "\">");
	html_text(out, i18n(other, T_LANG_OWN_NAME));
	buf_adds(out, "</a></p></div>\n<div class=\"wrap header-bottom\">");
	add_nav(out, p);
	add_header_search(out, p);
	buf_adds(out, "</div>\n</header>\n<main id=\"inhoud\" class=\"wrap\" tabindex=\"-1\">\n");
}

void ui_end(struct buf *out, const struct ui_page *p)
{
	buf_adds(out, "</main>\n<footer class=\"site-footer\"><div class=\"wrap\"><p>");
	html_text(out, i18n(p->lang, T_FOOTER_ABOUT));
	buf_adds(out, "</p><p>");
	html_text(out, i18n(p->lang, T_FOOTER_PRIVACY));
	buf_adds(out, "</p><p><a href=\"/api/v1/knowledge/themes\">");
	html_text(out, i18n(p->lang, T_FOOTER_API));
	buf_adds(out, "</a></p></div></footer>\n</body>\n</html>\n");
}

void ui_respond(struct resp *rs, const struct ui_page *p, int status, struct buf *body)
{
	rs->status = status;
	rs->content_type = "text/html; charset=utf-8";
	buf_release(&rs->body);
	rs->body = *body;
	buf_init(body);
	resp_header(rs, "Content-Language", kb_lang_code(p->lang));
	/* The language may come from the cookie: a cache must not mix the two. */
	resp_header(rs, "Vary", "Cookie");
	resp_header(rs, "Cache-Control", "private, no-cache");
	enum kb_lang chosen;
	const char *q = req_query(p->rq, "lang");
	if (q && kb_lang_parse(q, &chosen, NULL) == 0) {
		char cookie[96];
		snprintf(cookie, sizeof(cookie),
		         LANG_COOKIE "=%s; Path=/; Max-Age=" LANG_COOKIE_MAX_AGE
		                     "; SameSite=Lax; HttpOnly",
		         kb_lang_code(chosen));
		resp_header(rs, "Set-Cookie", cookie);
	}
}

/* A page with a heading, a paragraph and a link back to the knowledge platform. */
static void message_page(const struct req *rq, struct resp *rs, int status, enum i18n_key title,
                         enum i18n_key text)
{
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = i18n(p.lang, title);
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	buf_adds(&out, "<h1>");
	html_text(&out, p.title);
	buf_adds(&out, "</h1>\n<p>");
	html_text(&out, i18n(p.lang, text));
	buf_adds(&out, "</p>\n<p><a href=\"/kennis\">");
	html_text(&out, i18n(p.lang, T_BACK_TO_KNOWLEDGE));
	buf_adds(&out, "</a></p>\n");
	ui_end(&out, &p);
	ui_respond(rs, &p, status, &out);
}

void ui_error_page(const struct req *rq, struct resp *rs, const struct err *e)
{
	if (!e || e->code == ERR_NOTFOUND) {
		message_page(rq, rs, 404, T_NOT_FOUND_TITLE, T_NOT_FOUND_TEXT);
		return;
	}
	int status = err_http_status(e);
	if (status >= 500) {
		log_error("ui: %s", e->msg);
		rs->store_failed = rs->store_failed || e->code == ERR_IO;
	}
	message_page(rq, rs, status, T_ERROR_TITLE, T_ERROR_TEXT);
}

/*
 * Any GET outside /api/ that no route serves.
 *
 * A page, not JSON, because a person reads it.
 */
void ui_not_found(struct req *rq, struct resp *rs)
{
	ui_error_page(rq, rs, NULL);
}

/* <select name=NAME> of `items` (objects with "slug" and the localised `label` field), the
 * first option "all", `selected` marked. With its <label>. */
void ui_select(struct buf *out, enum kb_lang lang, const char *id, const char *name,
               enum i18n_key label, int all, const json_t *items, const char *label_field,
               const char *selected)
{
	buf_addf(out, "<p class=\"field\"><label for=\"%s\">", id);
	html_text(out, i18n(lang, label));
	buf_addf(out, "</label> <select id=\"%s\" name=\"%s\"%s>", id, name,
	         all < 0 ? " required" : "");
	buf_adds(out, "<option value=\"\">");
	if (all >= 0)
		html_text(out, i18n(lang, (enum i18n_key)all));
	buf_adds(out, "</option>");
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		const char *slug = json_string_value(json_object_get(item, "slug"));
		buf_adds(out, "<option value=\"");
		html_attr(out, slug);
		buf_adds(out, "\"");
		if (selected && slug && strcmp(selected, slug) == 0)
			buf_adds(out, " selected");
		buf_adds(out, ">");
		ui_text(out, json_object_get(item, label_field), lang);
		buf_adds(out, "</option>");
	}
	buf_adds(out, "</select></p>\n");
}

void ui_table_head(struct buf *out, enum kb_lang lang, const enum i18n_key *columns, size_t n)
{
	buf_adds(out, "<thead><tr>");
	for (size_t c = 0; c < n; c++) {
		buf_adds(out, "<th scope=\"col\">");
		html_text(out, i18n(lang, columns[c]));
		buf_adds(out, "</th>");
	}
	buf_adds(out, "</tr></thead><tbody>\n");
}

void ui_notice(struct buf *out, enum kb_lang lang, enum i18n_key key, bool alert)
{
	buf_addf(out, "<p class=\"notice%s\" role=\"%s\">", alert ? " error" : "",
	         alert ? "alert" : "status");
	html_text(out, i18n(lang, key));
	buf_adds(out, "</p>\n");
}

void ui_refusal(struct buf *out, enum kb_lang lang, enum i18n_key key, const struct err *e)
{
	buf_adds(out, "<div class=\"notice error\" role=\"alert\" id=\"form-error\"><p>");
	html_text(out, i18n(lang, key));
	buf_adds(out, "</p>");
	if (e && e->msg[0]) {
		/* The domain modules explain in English. */
		buf_adds(out, "<p lang=\"en\">");
		html_text(out, e->msg);
		buf_adds(out, "</p>");
	}
	buf_adds(out, "</div>\n");
}

int64_t ui_param_id(const struct req *rq, const char *name)
{
	const char *v = req_param(rq, name);
	if (!v || !*v || strlen(v) > 18)
		return 0;
	for (const char *c = v; *c; c++)
		if (!isdigit((unsigned char)*c))
			return 0;
	return strtoll(v, NULL, 10);
}

void ui_format(struct buf *out, enum kb_lang lang, enum i18n_key key, ...)
{
	va_list ap, again;
	va_start(ap, key);
	va_copy(again, ap);
	const char *fmt = i18n(lang, key);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0) {
		char *text = xmalloc((size_t)n + 1);
		vsnprintf(text, (size_t)n + 1, fmt, again);
		buf_add(out, text, (size_t)n);
		free(text);
	}
	va_end(again);
}
