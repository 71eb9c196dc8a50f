/*
 * The forum pages, for signed-in professionals: the threads per theme with the form to start
 * one, a thread with its posts (rendered by the forum module), the reply form and the report
 * form. Every post form shows the notice that no personal data of young people may be
 * posted; the forum module refuses a text with a BSN in it.
 */
#include "ui/ui.h"

#include "forum/forum.h"
#include "knowledge/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a refused form keeps, so that nothing typed is lost. */
struct forum_form {
	const char *theme, *title, *body;
	const struct err *error;
	int status;
};

static void add_no_personal_data(struct buf *out, enum kb_lang lang)
{
	buf_adds(out, "<p class=\"notice\" id=\"forum-privacy\">");
	html_text(out, i18n(lang, T_FORUM_NO_PERSONAL_DATA));
	buf_adds(out, "</p>\n");
}

static void add_thread_list(struct buf *out, enum kb_lang lang, const json_t *themes,
                            const struct forum_thread *threads, size_t n)
{
	if (!n) {
		ui_notice(out, lang, T_FORUM_NO_THREADS, false);
		return;
	}
	buf_adds(out, "<ul class=\"threads\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct forum_thread *t = &threads[i];
		json_t *theme = ui_find_slug(themes, t->theme_slug);
		buf_addf(out, "<li><a href=\"/forum/%lld\">", (long long)t->id);
		html_text(out, t->title);
		buf_adds(out, "</a>");
		if (t->locked) {
			buf_adds(out, " <strong>(");
			html_text(out, i18n(lang, T_FORUM_LOCKED));
			buf_adds(out, ")</strong>");
		}
		buf_adds(out, "<br><span class=\"meta\">");
		if (theme)
			ui_text(out, json_object_get(theme, "title"), lang);
		buf_adds(out, " · ");
		html_text(out, t->author.organisation ? t->author.organisation : t->author.name);
		buf_adds(out, " · ");
		char text[120];
		snprintf(text, sizeof(text), i18n(lang, T_FORUM_REPLY_COUNT), (long)t->replies);
		html_text(out, text);
		buf_adds(out, " · <time datetime=\"");
		html_attr(out, t->last_post_at);
		buf_adds(out, "\">");
		html_text(out, t->last_post_at);
		buf_adds(out, "</time></span></li>\n");
	}
	buf_adds(out, "</ul>\n");
}

static void add_start_form(struct buf *out, const struct ui_page *p, const json_t *themes,
                           const struct forum_form *f)
{
	buf_adds(out, "<h2 id=\"nieuw\">");
	html_text(out, i18n(p->lang, T_FORUM_START_HEADING));
	buf_adds(out, "</h2>\n");
	if (f->error)
		ui_refusal(out, p->lang, T_FORM_REFUSED, f->error);
	add_no_personal_data(out, p->lang);
	buf_adds(out, "<form class=\"filters\" action=\"/forum\" method=\"post\">");
	ui_csrf_field(out, p);
	ui_select(out, p->lang, "forum-thema", "thema", T_FILTER_THEME, -1, themes, "title",
	          f->theme);
	buf_adds(out, "<p class=\"field\"><label for=\"forum-titel\">");
	html_text(out, i18n(p->lang, T_FORUM_TITLE_LABEL));
	buf_addf(out,
	         "</label> <input id=\"forum-titel\" name=\"titel\" type=\"text\" required "
	         "maxlength=\"%d\" value=\"",
	         FORUM_TITLE_MAX);
	html_attr(out, f->title ? f->title : "");
	buf_adds(out, "\"></p>\n<p class=\"field\"><label for=\"forum-tekst\">");
	html_text(out, i18n(p->lang, T_FORUM_BODY_LABEL));
	buf_adds(out, "</label> <textarea id=\"forum-tekst\" name=\"tekst\" rows=\"6\" required "
	              "aria-describedby=\"forum-privacy forum-markdown\">");
	html_text(out, f->body ? f->body : "");
	buf_adds(out, "</textarea></p>\n<p class=\"hint\" id=\"forum-markdown\">");
	html_text(out, i18n(p->lang, T_FORUM_MARKDOWN_HINT));
	buf_adds(out, "</p>\n<p class=\"field\"><button type=\"submit\">");
	html_text(out, i18n(p->lang, T_FORUM_START_BUTTON));
	buf_adds(out, "</button></p></form>\n");
}

/* The forum's front page, with the start form in the state `f` describes. */
static void answer_forum(struct req *rq, struct resp *rs, const struct forum_form *f)
{
	struct err e = ERR_INIT;
	json_t *bundle = NULL;
	struct forum_thread *threads = NULL;
	size_t n = 0;
	const char *filter = req_query(rq, "thema");
	if (filter && !*filter)
		filter = NULL;
	if (knowledge_export(rq->store, &bundle, &e) < 0 ||
	    forum_threads(rq->store, &rq->who, filter, &threads, &n, &e) < 0) {
		json_decref(bundle);
		ui_error_page(rq, rs, &e);
		return;
	}
	json_t *themes = json_object_get(bundle, "themes");
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = i18n(p.lang, T_NAV_FORUM);
	p.nav = UI_NAV_FORUM;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	buf_adds(&out, "<h1>");
	html_text(&out, p.title);
	buf_adds(&out, "</h1>\n<p class=\"lead\">");
	html_text(&out, i18n(p.lang, T_FORUM_INTRO));
	buf_adds(&out, "</p>\n<form class=\"filters\" action=\"/forum\" method=\"get\">");
	ui_select(&out, p.lang, "forum-filter", "thema", T_FILTER_THEME, T_FILTER_ALL_THEMES,
	          themes, "title", filter);
	buf_adds(&out, "<p class=\"field\"><button type=\"submit\">");
	html_text(&out, i18n(p.lang, T_FAQ_FILTER_BUTTON));
	buf_adds(&out, "</button></p></form>\n<h2 id=\"onderwerpen\">");
	html_text(&out, i18n(p.lang, T_FORUM_THREADS_HEADING));
	buf_adds(&out, "</h2>\n");
	add_thread_list(&out, p.lang, themes, threads, n);
	add_start_form(&out, &p, themes, f);
	ui_end(&out, &p);
	ui_respond(rs, &p, f->status, &out);
	forum_thread_free_array(threads, n);
	json_decref(bundle);
}

/*
 * GET /forum[?thema=SLUG]   (signed in)
 *
 * The threads, the most recently active first, of all themes or one; and the form to start
 * a thread.
 */
void ui_forum(struct req *rq, struct resp *rs)
{
	struct forum_form f = {.status = 200};
	answer_forum(rq, rs, &f);
}

static int settings(struct store *s, struct forum_settings *fs, struct err *e)
{
	forum_settings_default(fs);
	return forum_settings_load(s, fs, e);
}

/*
 * POST /forum   (form: csrf_token, thema, titel, tekst)
 *
 * Start a thread and go to it (303). A refusal (an empty or too long text, a BSN in it, the
 * rate limit) shows the form again with the reason and what was typed.
 */
void ui_forum_start(struct req *rq, struct resp *rs)
{
	struct buf theme = BUF_INIT, title = BUF_INIT, body = BUF_INIT;
	struct err e = ERR_INIT;
	struct forum_settings fs;
	int64_t id = 0;
	bool ok = ui_form_field(rq, "thema", &theme) && ui_form_field(rq, "titel", &title) &&
	          ui_form_field(rq, "tekst", &body);
	if (!ok)
		err_set(&e, ERR_INVALID, "the form needs a theme, a title and a text");
	else if (settings(rq->store, &fs, &e) == 0)
		forum_thread_start(rq->store, &fs, &rq->who, theme.data, title.data, body.data, &id,
		                   &e);
	if (e.code == ERR_NONE) {
		char location[64];
		snprintf(location, sizeof(location), "/forum/%lld", (long long)id);
		ui_redirect(rs, location);
	} else if (err_http_status(&e) >= 500) {
		ui_error_page(rq, rs, &e);
	} else {
		struct forum_form f = {theme.data, title.data, body.data, &e, err_http_status(&e)};
		answer_forum(rq, rs, &f);
	}
	buf_release(&theme);
	buf_release(&title);
	buf_release(&body);
}

static void add_reply_form(struct buf *out, const struct ui_page *p, const struct forum_thread *t,
                           const char *body, const struct err *error)
{
	buf_adds(out, "<h2 id=\"reageren\">");
	html_text(out, i18n(p->lang, T_FORUM_REPLY_HEADING));
	buf_adds(out, "</h2>\n");
	if (t->locked) {
		ui_notice(out, p->lang, T_FORUM_LOCKED_NOTICE, false);
		return;
	}
	if (error)
		ui_refusal(out, p->lang, T_FORM_REFUSED, error);
	add_no_personal_data(out, p->lang);
	buf_addf(out, "<form action=\"/forum/%lld/reacties\" method=\"post\">", (long long)t->id);
	ui_csrf_field(out, p);
	buf_adds(out, "<p class=\"field\"><label for=\"reactie-tekst\">");
	html_text(out, i18n(p->lang, T_FORUM_REPLY_LABEL));
	buf_adds(out, "</label> <textarea id=\"reactie-tekst\" name=\"tekst\" rows=\"5\" required "
	              "aria-describedby=\"forum-privacy\">");
	html_text(out, body ? body : "");
	buf_adds(out, "</textarea></p>\n<p class=\"field\"><button type=\"submit\">");
	html_text(out, i18n(p->lang, T_FORUM_REPLY_BUTTON));
	buf_adds(out, "</button></p></form>\n");
}

static void add_report_form(struct buf *out, const struct ui_page *p, const struct forum_thread *t)
{
	buf_adds(out, "<h2 id=\"melden\">");
	html_text(out, i18n(p->lang, T_FORUM_REPORT_HEADING));
	buf_adds(out, "</h2>\n<p>");
	html_text(out, i18n(p->lang, T_FORUM_REPORT_INTRO));
	buf_addf(out,
	         "</p>\n<form class=\"filters\" action=\"/forum/%lld/melden\" method=\"post\">",
	         (long long)t->id);
	ui_csrf_field(out, p);
	buf_adds(out, "<p class=\"field\"><label for=\"melden-bericht\">");
	html_text(out, i18n(p->lang, T_FORUM_REPORT_POST));
	buf_adds(out, "</label> <select id=\"melden-bericht\" name=\"bericht\" required>");
	for (size_t i = 0; i < t->nposts; i++) {
		const struct forum_post *post = &t->posts[i];
		buf_addf(out, "<option value=\"%lld\">%zu · ", (long long)post->id, i + 1);
		html_text(out, post->author.organisation ? post->author.organisation
		                                         : post->author.name);
		buf_adds(out, " · ");
		html_text(out, post->created_at);
		buf_adds(out, "</option>");
	}
	buf_adds(out, "</select></p>\n<p class=\"field\"><label for=\"melden-reden\">");
	html_text(out, i18n(p->lang, T_FORUM_REPORT_REASON));
	buf_addf(out,
	         "</label> <textarea id=\"melden-reden\" name=\"reden\" rows=\"3\" required "
	         "maxlength=\"%d\"></textarea></p>\n<p class=\"field\"><button type=\"submit\">",
	         FORUM_REASON_MAX);
	html_text(out, i18n(p->lang, T_FORUM_REPORT_BUTTON));
	buf_adds(out, "</button></p></form>\n");
}

/* A thread, with the reply form in the state given (NULL, NULL: empty). */
static void answer_thread(struct req *rq, struct resp *rs, int status, const char *reply,
                          const struct err *error)
{
	struct err e = ERR_INIT;
	int64_t id = ui_param_id(rq, "id");
	struct forum_thread t;
	memset(&t, 0, sizeof(t));
	if (!id) {
		ui_error_page(rq, rs, NULL);
		return;
	}
	if (forum_thread_get(rq->store, &rq->who, id, &t, &e) < 0 ||
	    forum_visit(rq->store, &rq->who, id, &e) < 0) {
		forum_thread_release(&t);
		ui_error_page(rq, rs, &e);
		return;
	}
	struct ui_page p;
	ui_page_init(&p, rq);
	p.title = t.title;
	p.nav = UI_NAV_FORUM;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	buf_adds(&out, "<nav class=\"breadcrumb\" aria-label=\"");
	html_attr(&out, i18n(p.lang, T_BREADCRUMB_LABEL));
	buf_adds(&out, "\"><ol><li><a href=\"/forum\">");
	html_text(&out, i18n(p.lang, T_NAV_FORUM));
	buf_adds(&out, "</a></li><li aria-current=\"page\">");
	html_text(&out, t.title);
	buf_adds(&out, "</li></ol></nav>\n");
	if (req_query(rq, "gemeld"))
		ui_notice(&out, p.lang, T_FORUM_REPORTED, false);
	forum_thread_html(&t, kb_lang_code(p.lang), &out);
	add_reply_form(&out, &p, &t, reply, error);
	add_report_form(&out, &p, &t);
	ui_end(&out, &p);
	ui_respond(rs, &p, status, &out);
	forum_thread_release(&t);
}

/*
 * GET /forum/{id}[?gemeld=1]   (signed in)
 *
 * A thread with its posts, the reply form (or the notice that it is locked) and the form to
 * report a post. Reading it counts as a visit for a follower.
 */
void ui_forum_thread(struct req *rq, struct resp *rs)
{
	answer_thread(rq, rs, 200, NULL, NULL);
}

/*
 * POST /forum/{id}/reacties   (form: csrf_token, tekst)
 *
 * Reply, then back to the thread at the new post (303).
 */
void ui_forum_reply(struct req *rq, struct resp *rs)
{
	struct buf body = BUF_INIT;
	struct err e = ERR_INIT;
	struct forum_settings fs;
	int64_t id = ui_param_id(rq, "id"), post = 0;
	if (!ui_form_field(rq, "tekst", &body))
		err_set(&e, ERR_INVALID, "the form needs a text");
	else if (settings(rq->store, &fs, &e) == 0)
		forum_reply(rq->store, &fs, &rq->who, id, body.data, 0, &post, &e);
	if (e.code == ERR_NONE) {
		char location[96];
		snprintf(location, sizeof(location), "/forum/%lld#post-%lld", (long long)id,
		         (long long)post);
		ui_redirect(rs, location);
	} else if (e.code == ERR_NOTFOUND || err_http_status(&e) >= 500) {
		ui_error_page(rq, rs, &e);
	} else {
		answer_thread(rq, rs, err_http_status(&e), body.data, &e);
	}
	buf_release(&body);
}

/*
 * POST /forum/{id}/melden   (form: csrf_token, bericht, reden)
 *
 * Report a post of the thread to the editors, then back to the thread with a thank-you.
 */
void ui_forum_report(struct req *rq, struct resp *rs)
{
	struct buf post = BUF_INIT, reason = BUF_INIT;
	struct err e = ERR_INIT;
	int64_t id = ui_param_id(rq, "id");
	if (!ui_form_field(rq, "bericht", &post) || !ui_form_field(rq, "reden", &reason))
		err_set(&e, ERR_INVALID, "the form needs a post and a reason");
	else
		forum_report_post(rq->store, &rq->who, strtoll(post.data, NULL, 10), reason.data,
		                  NULL, &e);
	if (e.code == ERR_NONE) {
		char location[64];
		snprintf(location, sizeof(location), "/forum/%lld?gemeld=1", (long long)id);
		ui_redirect(rs, location);
	} else if (e.code == ERR_NOTFOUND || err_http_status(&e) >= 500) {
		ui_error_page(rq, rs, &e);
	} else {
		answer_thread(rq, rs, err_http_status(&e), NULL, &e);
	}
	buf_release(&post);
	buf_release(&reason);
}
