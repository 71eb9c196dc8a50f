/*
 * The forum's output forms (see forum.h): a thread as an HTML fragment, with every text
 * escaped and every body rendered from Markdown to safe HTML (knowledge/markdown.h), and as
 * JSON for the API and the CLI.
 */
#include "forum/forum-internal.h"

#include "knowledge/markdown.h"

#include <stdlib.h>
#include <string.h>

struct labels {
	const char *theme, *started_by, *wrote, *not_shown, *helpful, *hidden, *locked,
		*replies, *followers, *on;
};

static const struct labels labels_nl = {
	"Thema", "Gestart door", "schreef", "(een bericht dat niet getoond wordt)", "Behulpzaam",
	"Verborgen", "Gesloten: er kan niet meer gereageerd worden", "Reacties", "Volgers", "op",
};

static const struct labels labels_en = {
	"Theme", "Started by", "wrote", "(a post that is not shown)", "Helpful",
	"Hidden", "Locked: no new replies", "Replies", "Followers", "on",
};

static const struct labels *labels_for(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? &labels_en : &labels_nl;
}

/* "Name (Organisation)" escaped. */
static void party_html(struct buf *out, const struct forum_party *p)
{
	html_text(out, p->name);
	if (p->organisation && *p->organisation) {
		buf_adds(out, " (");
		html_text(out, p->organisation);
		buf_addch(out, ')');
	}
}

static const struct forum_post *find_post(const struct forum_thread *t, int64_t id)
{
	for (size_t i = 0; i < t->nposts; i++)
		if (t->posts[i].id == id)
			return &t->posts[i];
	return NULL;
}

static void quote_html(struct buf *out, const struct forum_thread *t, int64_t quote_id,
		       const struct labels *l)
{
	const struct forum_post *q = find_post(t, quote_id);
	buf_addf(out, "<blockquote class=\"forum-quote\" cite=\"#post-%lld\">",
		 (long long)quote_id);
	if (!q) {
		buf_adds(out, "<p>");
		html_text(out, l->not_shown);
		buf_adds(out, "</p></blockquote>\n");
		return;
	}
	buf_addf(out, "<p class=\"forum-quote-author\"><a href=\"#post-%lld\">", (long long)q->id);
	party_html(out, &q->author);
	buf_adds(out, "</a> ");
	html_text(out, l->wrote);
	buf_adds(out, ":</p>\n");
	markdown_html(out, q->body);
	buf_adds(out, "</blockquote>\n");
}

static void post_html(struct buf *out, const struct forum_thread *t, const struct forum_post *p,
		      const struct labels *l)
{
	buf_addf(out, "<section class=\"forum-post%s%s%s\" id=\"post-%lld\">\n",
		 p->opening ? " forum-opening" : "", p->hidden ? " forum-hidden" : "",
		 p->helpful ? " forum-helpful" : "", (long long)p->id);
	buf_adds(out, "<p class=\"forum-meta\">");
	party_html(out, &p->author);
	buf_adds(out, ", <time datetime=\"");
	html_attr(out, p->created_at);
	buf_adds(out, "\">");
	html_text(out, p->created_at);
	buf_adds(out, "</time>");
	if (p->helpful) {
		buf_adds(out, " <strong class=\"forum-mark\">");
		html_text(out, l->helpful);
		buf_adds(out, "</strong>");
	}
	if (p->hidden) {
		buf_adds(out, " <strong class=\"forum-mark\">");
		html_text(out, l->hidden);
		buf_adds(out, "</strong>");
	}
	buf_adds(out, "</p>\n");
	if (p->quote_id)
		quote_html(out, t, p->quote_id, l);
	buf_adds(out, "<div class=\"forum-body\">\n");
	markdown_html(out, p->body);
	buf_adds(out, "</div>\n</section>\n");
}

void forum_thread_html(const struct forum_thread *t, const char *lang, struct buf *out)
{
	const struct labels *l = labels_for(lang);
	buf_addf(out, "<article class=\"forum-thread%s\" id=\"thread-%lld\">\n<header>\n<h1>",
		 t->hidden ? " forum-hidden" : "", (long long)t->id);
	html_text(out, t->title);
	buf_adds(out, "</h1>\n<p class=\"forum-meta\">");
	html_text(out, l->theme);
	buf_adds(out, ": <span class=\"forum-theme\">");
	html_text(out, t->theme_slug);
	buf_adds(out, "</span> · ");
	html_text(out, l->started_by);
	buf_addch(out, ' ');
	party_html(out, &t->author);
	buf_addch(out, ' ');
	html_text(out, l->on);
	buf_adds(out, " <time datetime=\"");
	html_attr(out, t->created_at);
	buf_adds(out, "\">");
	html_text(out, t->created_at);
	buf_adds(out, "</time> · ");
	html_text(out, l->replies);
	buf_addf(out, ": %lld · ", (long long)t->replies);
	html_text(out, l->followers);
	buf_addf(out, ": %zu</p>\n", t->nfollowers);
	if (t->hidden) {
		buf_adds(out, "<p class=\"forum-state\">");
		html_text(out, l->hidden);
		buf_adds(out, "</p>\n");
	}
	if (t->locked) {
		buf_adds(out, "<p class=\"forum-state\">");
		html_text(out, l->locked);
		buf_adds(out, "</p>\n");
	}
	buf_adds(out, "</header>\n");
	for (size_t i = 0; i < t->nposts; i++)
		post_html(out, t, &t->posts[i], l);
	buf_adds(out, "</article>\n");
}

/* ---- JSON --------------------------------------------------------------------------------- */

static json_t *party_json(const struct forum_party *p)
{
	return json_pack("{s:s, s:s?, s:s?}", "name", p->name, "organisation", p->organisation,
			 "role", p->role);
}

static json_t *post_json(const struct forum_post *p)
{
	char *html = markdown_to_html(p->body);
	json_t *o = json_pack("{s:I, s:b, s:s, s:s, s:o, s:s, s:b, s:b, s:s?}", "id",
			      (json_int_t)p->id, "opening", p->opening, "body", p->body,
			      "body_html", html, "author", party_json(&p->author), "created_at",
			      p->created_at, "hidden", p->hidden, "helpful", p->helpful,
			      "helpful_by", p->helpful_by);
	free(html);
	json_object_set_new(o, "quote_id", p->quote_id ? json_integer(p->quote_id) : json_null());
	return o;
}

json_t *forum_thread_json(const struct forum_thread *t)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:b, s:b, s:I, s:b, s:I}", "id",
			      (json_int_t)t->id, "theme", t->theme_slug, "title", t->title,
			      "author", party_json(&t->author), "created_at", t->created_at,
			      "last_post_at", t->last_post_at, "locked", t->locked, "hidden",
			      t->hidden, "replies", (json_int_t)t->replies, "following",
			      t->following, "new_posts", (json_int_t)t->new_posts);
	if (t->posts) {
		json_t *posts = json_array();
		for (size_t i = 0; i < t->nposts; i++)
			json_array_append_new(posts, post_json(&t->posts[i]));
		json_object_set_new(o, "posts", posts);
	}
	if (t->posts || t->followers) {
		json_t *followers = json_array();
		for (size_t i = 0; i < t->nfollowers; i++) {
			const struct forum_follower *f = &t->followers[i];
			json_t *fo = party_json(&f->who);
			json_object_set_new(fo, "since", json_string(f->since));
			json_object_set_new(fo, "new_posts", json_integer(f->new_posts));
			json_array_append_new(followers, fo);
		}
		json_object_set_new(o, "followers", followers);
	}
	return o;
}
