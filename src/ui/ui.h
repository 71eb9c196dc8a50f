/*
 * The web UI: pages rendered on the server as semantic HTML5, in the frame that every screen
 * of inbeeld shares (src/ui/ui.c), one ui-<page>.c per page or group of pages, and the
 * static assets under web/static/ (ui-static.c). docs/ui.md explains the choices.
 *
 * Every text a page writes goes through an escaping helper named after what it escapes:
 * html_text for element content, html_attr for a quoted attribute value (both from
 * knowledge/markdown.h), html_url_arg for a value inside a URL's query string, and
 * markdown_html for the Markdown of body texts. Words of the UI itself come from the
 * translation tables (ui/i18n.h).
 *
 * The page handlers have the shape of every route handler (http/api.h): they take a plain
 * struct req, fill a struct resp, and never fail — a problem becomes a page with a status.
 *
 * Ownership: a struct ui_page borrows everything it points to; text is appended to the
 * caller's struct buf.
 */
#ifndef UI_UI_H
#define UI_UI_H

#include "accounts/session.h"
#include "http/api.h"
#include "ui/i18n.h"

/* The item of the main navigation that a page belongs to (shown with aria-current). */
enum ui_nav {
	UI_NAV_NONE,
	UI_NAV_HOME,
	UI_NAV_KNOWLEDGE,
	UI_NAV_FAQ,
	UI_NAV_SEARCH,
	UI_NAV_SCAN,
	UI_NAV_FORUM,
	UI_NAV_SIGN_IN
};

/* What the frame needs to know about a page. */
struct ui_page {
	const struct req *rq; /* for the language and the links of the language switch */
	enum kb_lang lang;    /* from ui_lang(rq) */
	const char *title;    /* the page's own title, plain text (the site name is added) */
	enum ui_nav nav;
	const char *search; /* what the header's search field shows, or NULL */

	/* The signed-in user, when the request carries a live session cookie. */
	bool signed_in;
	struct session_info session;
	char org_name[128]; /* the user's organisation by name ("" when it has none) */
};

/*
 * The language of a request: the query parameter lang=nl|en, else the cookie "lang" that the
 * language switch sets, else Dutch. Anything else is ignored.
 */
enum kb_lang ui_lang(const struct req *rq);

/*
 * Set up `p` for request `rq`: its language, no title, no navigation item, and the signed-in
 * user when the request's session cookie names a live session (a public page looks it up;
 * a route that needs a session has it already). A cookie that names no live session is
 * ignored: the page shows as to anyone.
 */
void ui_page_init(struct ui_page *p, const struct req *rq);

/*
 * Append the start of a page to `out`: doctype, <html lang>, head (title, stylesheet and
 * script from /static/ with their version), the skip link, the header with the site name,
 * the signed-in organisation, the main navigation, the search form and the NL/EN switch, and
 * the opening <main id="inhoud">.
 */
void ui_begin(struct buf *out, const struct ui_page *p);

/* Append the end of a page: </main>, the footer, </body></html>. */
void ui_end(struct buf *out, const struct ui_page *p);

/*
 * Answer with the page in `body` (taken over: `body` is empty afterwards) and `status`:
 * text/html, Content-Language, Vary: Cookie, no caching by shared caches, and — when the
 * request chose its language with ?lang= — the cookie that keeps that choice.
 */
void ui_respond(struct resp *rs, const struct ui_page *p, int status, struct buf *body);

/*
 * Answer a complete page for an error: 404 (with `e` NULL or ERR_NOTFOUND) says the page does
 * not exist; another error says that something went wrong, with the status of err_http_status.
 * A server-side error's message goes to the log, not to the page.
 */
void ui_error_page(const struct req *rq, struct resp *rs, const struct err *e);

/*
 * The field `name` of the request's application/x-www-form-urlencoded body, decoded and
 * appended to `out`. False when the body is not a form, lacks the field, or the value is not
 * valid UTF-8 or holds a control character other than tab, CR and LF.
 */
bool ui_form_field(const struct req *rq, const char *name, struct buf *out);

/* Append the hidden field with the session's CSRF token that every form of a signed-in page
 * carries (checked by the HTTP layer before the handler runs). */
void ui_csrf_field(struct buf *out, const struct ui_page *p);

/* Answer 303 See Other to `location` (a path on this site), with a short page linking it. */
void ui_redirect(struct resp *rs, const char *location);

/* Answer a page that needs a session, asked for without one: 303 to the sign-in page, which
 * returns to `rq`'s path afterwards. */
void ui_sign_in_needed(const struct req *rq, struct resp *rs);

/* Append `s` encoded for a value in a URL's query string (RFC 3986 unreserved kept). */
void html_url_arg(struct buf *out, const char *s);

/* Append the localised text of `obj` ({"nl": …, "en": …}) in `lang` escaped as element
 * content; a missing language falls back to Dutch. */
void ui_text(struct buf *out, const json_t *obj, enum kb_lang lang);

/* The localised string of `obj` in `lang` (Dutch when it lacks one), borrowed; "" if none. */
const char *ui_lang_string(const json_t *obj, enum kb_lang lang);

/* The item of `array` (an array of objects) whose "slug" is `slug`, borrowed; or NULL. */
json_t *ui_find_slug(const json_t *array, const char *slug);

/*
 * A <select name=`name` id=`id`> with its <label> (text `label`): a first option "" whose
 * text is `all` (an i18n key; -1 for an empty first option and a required choice), then one
 * option per object of `items` with its "slug" as value and its localised `label_field` as
 * text, `selected` (may be NULL) chosen.
 */
void ui_select(struct buf *out, enum kb_lang lang, const char *id, const char *name,
               enum i18n_key label, int all, const json_t *items, const char *label_field,
               const char *selected);

/* A paragraph with text `key`: role=status, or role=alert marked as an error. */
void ui_notice(struct buf *out, enum kb_lang lang, enum i18n_key key, bool alert);

/* A table's head: <thead> with one column header per key, in `lang`, then <tbody>. */
void ui_table_head(struct buf *out, enum kb_lang lang, const enum i18n_key *columns, size_t n);

/* An error box (role=alert, id "form-error") for a refused form: text `key` and, when `e`
 * has one, the domain module's message (in English, marked so). */
void ui_refusal(struct buf *out, enum kb_lang lang, enum i18n_key key, const struct err *e);

/*
 * Append the text of `key` in `lang`, a printf format, with the arguments that follow, as it
 * is (not escaped): for a text that is then escaped, or used as a page title. Never cuts.
 */
void ui_format(struct buf *out, enum kb_lang lang, enum i18n_key key, ...);

/* The path parameter `name` as a positive id; 0 when it is not one. */
int64_t ui_param_id(const struct req *rq, const char *name);

/* The path of the static asset `name` ("app.css") with its version: "/static/app.css?v=…". */
void ui_static_url(struct buf *out, const char *name);

/* ---- pages (each headed by its route in its file) ---- */

http_handler ui_home;          /* ui-home.c */
http_handler ui_kennis_themes; /* ui-kennis.c */
http_handler ui_kennis_theme;
http_handler ui_kennis_practice;
http_handler ui_kennis_faq;
http_handler ui_kennis_search;
http_handler ui_sign_in; /* ui-inloggen.c */
http_handler ui_sign_in_post;
http_handler ui_sign_out;
http_handler ui_forum; /* ui-forum.c */
http_handler ui_forum_start;
http_handler ui_forum_thread;
http_handler ui_forum_reply;
http_handler ui_forum_report;
http_handler ui_scans; /* ui-scan.c */
http_handler ui_scan_create;
http_handler ui_scan;
http_handler ui_scan_answer;
http_handler ui_scan_profile;
http_handler ui_scan_close;
http_handler ui_edit_practice; /* ui-redactie.c */
http_handler ui_edit_practice_post;
http_handler ui_static;    /* ui-static.c */
http_handler ui_not_found; /* ui.c: any path outside /api/ that no route serves */

/*
 * The version of an embedded static asset, web/static/`name`: the first 16 hex digits of its
 * BLAKE2b hash, written into `out` (17 bytes). Returns 0, or -1 when there is no such asset.
 */
int ui_static_version(const char *name, char out[17]);

#endif
