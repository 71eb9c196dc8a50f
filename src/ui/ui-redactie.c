/*
 * Editing for editors (role "editor"): change the texts of a practice and save them as a
 * draft or publish them at once, with the item's version history beside the form. The
 * knowledge module keeps every version and who wrote it; the public pages show the published
 * one only.
 */
#include "ui/ui.h"

#include "accounts/roles.h"
#include "knowledge/markdown.h"

#include <stdio.h>
#include <string.h>

/* The fields of a practice this page edits: a form field per language of each. */
static const struct {
	const char *field;
	enum i18n_key label;
	bool multiline;
} edit_fields[] = {
    {"name", T_EDIT_NAME, false},
    {"what", T_PRACTICE_WHAT, true},
    {"result", T_PRACTICE_RESULT, true},
};

#define NFIELDS (sizeof(edit_fields) / sizeof(edit_fields[0]))

static bool is_editor(const struct ui_page *p)
{
	return p->signed_in && (p->session.roles & ROLE_EDITOR);
}

static void add_history(struct buf *out, enum kb_lang lang, const json_t *history)
{
	buf_adds(out, "<h2 id=\"versies\">");
	html_text(out, i18n(lang, T_EDIT_HISTORY));
	buf_adds(out, "</h2>\n<table class=\"data\">");
	static const enum i18n_key columns[] = {T_EDIT_VERSION, T_EDIT_AUTHOR, T_SCAN_CREATED,
						T_EDIT_NOTE, T_SCAN_STATUS};
	ui_table_head(out, lang, columns, sizeof(columns) / sizeof(columns[0]));
	size_t i;
	json_t *v;
	json_array_foreach(history, i, v)
	{
		buf_addf(out, "<tr><td>%lld</td><td>",
		         (long long)json_integer_value(json_object_get(v, "version")));
		html_text(out, json_string_value(json_object_get(v, "author")));
		buf_adds(out, "</td><td>");
		html_text(out, json_string_value(json_object_get(v, "created_at")));
		buf_adds(out, "</td><td>");
		html_text(out, json_string_value(json_object_get(v, "note")));
		buf_adds(out, "</td><td>");
		if (json_is_true(json_object_get(v, "published")))
			html_text(out, i18n(lang, T_EDIT_PUBLISHED));
		else if (json_string_value(json_object_get(v, "published_at")))
			html_text(out, i18n(lang, T_EDIT_WAS_PUBLISHED));
		else
			html_text(out, i18n(lang, T_EDIT_DRAFT));
		buf_adds(out, "</td></tr>\n");
	}
	buf_adds(out, "</tbody></table>\n");
}

static void add_edit_field(struct buf *out, enum kb_lang lang, const json_t *content, size_t f,
                           enum kb_lang text_lang)
{
	const char *code = kb_lang_code(text_lang);
	char id[48], label[160];
	snprintf(id, sizeof(id), "%s-%s", edit_fields[f].field, code);
	snprintf(label, sizeof(label), "%s (%s)", i18n(lang, edit_fields[f].label),
	         i18n(lang, text_lang == KB_NL ? T_EDIT_IN_DUTCH : T_EDIT_IN_ENGLISH));
	const char *value = json_string_value(
	    json_object_get(json_object_get(content, edit_fields[f].field), code));
	buf_addf(out, "<p class=\"field\"><label for=\"%s\">", id);
	html_text(out, label);
	if (edit_fields[f].multiline) {
		buf_addf(out,
		         "</label> <textarea id=\"%s\" name=\"%s\" rows=\"8\" lang=\"%s\" "
		         "required>",
		         id, id, code);
		html_text(out, value ? value : "");
		buf_adds(out, "</textarea></p>\n");
	} else {
		buf_addf(out,
		         "</label> <input id=\"%s\" name=\"%s\" type=\"text\" lang=\"%s\" "
		         "required value=\"",
		         id, id, code);
		html_attr(out, value ? value : "");
		buf_adds(out, "\"></p>\n");
	}
}

/* The edit page of practice `slug`, with `error` from a refused save (may be NULL). */
static void answer_edit(struct req *rq, struct resp *rs, int status, const struct err *error)
{
	struct err e = ERR_INIT;
	const char *slug = req_param(rq, "slug");
	json_t *item = NULL, *history = NULL;
	struct ui_page p;
	ui_page_init(&p, rq);
	if (!is_editor(&p)) {
		err_set(&e, ERR_FORBIDDEN, "only editors edit the knowledge platform");
		ui_error_page(rq, rs, &e);
		return;
	}
	if (knowledge_show(rq->store, KB_PRACTICE, slug, 0, &item, &e) < 0 ||
	    knowledge_history(rq->store, KB_PRACTICE, slug, &history, &e) < 0) {
		json_decref(item);
		ui_error_page(rq, rs, &e);
		return;
	}
	json_t *content = json_object_get(item, "content");
	struct buf title = BUF_INIT;
	ui_format(&title, p.lang, T_EDIT_TITLE,
	          ui_lang_string(json_object_get(content, "name"), p.lang));
	p.title = title.data;
	p.nav = UI_NAV_KNOWLEDGE;
	struct buf out = BUF_INIT;
	ui_begin(&out, &p);
	buf_adds(&out, "<h1>");
	html_text(&out, title.data);
	buf_adds(&out, "</h1>\n");
	if (req_query(rq, "opgeslagen"))
		ui_notice(&out, p.lang, T_EDIT_SAVED, false);
	if (error)
		ui_refusal(&out, p.lang, T_FORM_REFUSED, error);
	char state[200];
	json_t *published = json_object_get(item, "published_version");
	snprintf(state, sizeof(state),
	         i18n(p.lang, json_is_integer(published) ? T_EDIT_STATE : T_EDIT_STATE_UNPUBLISHED),
	         (long)json_integer_value(json_object_get(item, "latest_version")),
	         (long)json_integer_value(published));
	buf_adds(&out, "<p>");
	html_text(&out, state);
	buf_adds(&out, " <a href=\"/kennis/praktijk/");
	html_url_arg(&out, slug);
	buf_adds(&out, "\">");
	html_text(&out, i18n(p.lang, T_EDIT_VIEW_PUBLIC));
	buf_adds(&out,
	         "</a></p>\n<form class=\"edit-form\" method=\"post\" action=\"/kennis/praktijk/");
	html_url_arg(&out, slug);
	buf_adds(&out, "/bewerken\">");
	ui_csrf_field(&out, &p);
	for (size_t f = 0; f < NFIELDS; f++)
		for (int l = 0; l < KB_NLANGS; l++)
			add_edit_field(&out, p.lang, content, f, (enum kb_lang)l);
	buf_adds(&out, "<p class=\"field\"><label for=\"notitie\">");
	html_text(&out, i18n(p.lang, T_EDIT_NOTE));
	buf_adds(&out, "</label> <input id=\"notitie\" name=\"notitie\" type=\"text\"></p>\n"
	               "<p class=\"field buttons\"><button type=\"submit\" name=\"actie\" "
	               "value=\"concept\">");
	html_text(&out, i18n(p.lang, T_EDIT_SAVE_DRAFT));
	buf_adds(&out, "</button> <button type=\"submit\" name=\"actie\" value=\"publiceren\">");
	html_text(&out, i18n(p.lang, T_EDIT_PUBLISH));
	buf_adds(&out, "</button></p></form>\n");
	add_history(&out, p.lang, history);
	ui_end(&out, &p);
	ui_respond(rs, &p, status, &out);
	resp_header(rs, "Cache-Control", "no-store");
	json_decref(item);
	json_decref(history);
	buf_release(&title);
}

/*
 * GET /kennis/praktijk/{slug}/bewerken[?opgeslagen=1]   (signed in, editor)
 *
 * The texts of a practice's latest version in both languages, to change and save as a draft
 * or publish; and the version history. 403 for a user who is not an editor.
 */
void ui_edit_practice(struct req *rq, struct resp *rs)
{
	answer_edit(rq, rs, 200, NULL);
}

/* The latest content with the posted texts put in; NULL with `e` set when a field lacks. */
static json_t *posted_content(const struct req *rq, const json_t *latest, struct err *e)
{
	json_t *content = json_deep_copy(latest);
	for (size_t f = 0; f < NFIELDS; f++)
		for (int l = 0; l < KB_NLANGS; l++) {
			const char *code = kb_lang_code((enum kb_lang)l);
			struct buf name = BUF_INIT, value = BUF_INIT;
			buf_addf(&name, "%s-%s", edit_fields[f].field, code);
			bool ok = ui_form_field(rq, name.data, &value);
			if (ok)
				json_object_set_new(json_object_get(content, edit_fields[f].field),
				                    code,
				                    json_string(value.data ? value.data : ""));
			else
				err_set(e, ERR_INVALID, "the form lacks the field %s", name.data);
			buf_release(&name);
			buf_release(&value);
			if (!ok) {
				json_decref(content);
				return NULL;
			}
		}
	return content;
}

/*
 * POST /kennis/praktijk/{slug}/bewerken   (form: csrf_token, name-nl, name-en, what-nl,
 *                                          what-en, result-nl, result-en, notitie, actie)
 *
 * Save the texts as a new draft version (nothing when they did not change) and, with
 * actie=publiceren, publish the latest version; then 303 to the public page (published) or
 * back to the form (draft). A refusal shows the form again with the reason.
 */
void ui_edit_practice_post(struct req *rq, struct resp *rs)
{
	struct err e = ERR_INIT;
	const char *slug = req_param(rq, "slug");
	json_t *item = NULL, *content = NULL;
	struct buf note = BUF_INIT, action = BUF_INIT;
	if (!(rq->who.roles & ROLE_EDITOR)) {
		err_set(&e, ERR_FORBIDDEN, "only editors edit the knowledge platform");
		ui_error_page(rq, rs, &e);
		return;
	}
	ui_form_field(rq, "notitie", &note);
	ui_form_field(rq, "actie", &action);
	bool publish = action.len && strcmp(action.data, "publiceren") == 0;
	if (knowledge_show(rq->store, KB_PRACTICE, slug, 0, &item, &e) == 0 &&
	    (content = posted_content(rq, json_object_get(item, "content"), &e)) != NULL &&
	    store_begin(rq->store, &e) == 0) {
		struct err pe = ERR_INIT;
		if (knowledge_save(rq->store, &rq->who, KB_PRACTICE, content,
		                   note.len ? note.data : NULL, NULL, NULL, &e) == 0 &&
		    publish &&
		    knowledge_publish(rq->store, &rq->who, KB_PRACTICE, slug, NULL, &pe) < 0 &&
		    pe.code != ERR_CONFLICT) /* already published: nothing to do */
			e = pe;
		if (e.code == ERR_NONE)
			store_commit(rq->store, &e);
		else
			store_rollback(rq->store);
	}
	if (e.code == ERR_NONE) {
		struct buf location = BUF_INIT;
		buf_adds(&location, "/kennis/praktijk/");
		html_url_arg(&location, slug);
		if (!publish)
			buf_adds(&location, "/bewerken?opgeslagen=1");
		ui_redirect(rs, location.data);
		buf_release(&location);
	} else if (e.code == ERR_NOTFOUND || err_http_status(&e) >= 500) {
		ui_error_page(rq, rs, &e);
	} else {
		answer_edit(rq, rs, err_http_status(&e), &e);
	}
	json_decref(item);
	json_decref(content);
	buf_release(&note);
	buf_release(&action);
}
