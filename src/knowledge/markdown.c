/* Markdown to safe HTML and plain text with cmark, and HTML escaping (see markdown.h). */
#include "knowledge/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/*
 * CMARK_OPT_DEFAULT leaves out CMARK_OPT_UNSAFE, which is what makes cmark drop raw HTML and
 * dangerous URLs; CMARK_OPT_VALIDATE_UTF8 replaces malformed bytes rather than passing them.
 */
#define MARKDOWN_OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

void markdown_html(struct buf *out, const char *md)
{
	if (!md)
		md = "";
	char *html = cmark_markdown_to_html(md, strlen(md), MARKDOWN_OPTIONS);
	if (!html)
		abort(); /* cmark returns NULL only when it ran out of memory */
	buf_adds(out, html);
	free(html);
}

char *markdown_to_html(const char *md)
{
	struct buf out = BUF_INIT;
	markdown_html(&out, md);
	return buf_detach(&out, NULL);
}

/* Add one space between words, never two, never at the start. */
static void add_space(struct buf *out)
{
	if (out->len && out->data[out->len - 1] != ' ')
		buf_addch(out, ' ');
}

/* Append `s` with runs of white space (newlines, tabs) made single spaces. */
static void add_words(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
			add_space(out);
		else
			buf_addch(out, *s);
	}
}

/* Blocks end a run of words; leaf blocks are entered only, containers also exited. */
static int ends_words(cmark_node_type type, cmark_event_type ev)
{
	if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK)
		return 1;
	if (type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK ||
	    type == CMARK_NODE_THEMATIC_BREAK)
		return 1;
	return ev == CMARK_EVENT_EXIT && type >= CMARK_NODE_FIRST_BLOCK &&
	       type <= CMARK_NODE_LAST_BLOCK;
}

char *markdown_to_text(const char *md)
{
	struct buf out = BUF_INIT;
	if (!md)
		md = "";
	cmark_node *doc = cmark_parse_document(md, strlen(md), MARKDOWN_OPTIONS);
	if (!doc)
		abort();
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev == CMARK_EVENT_ENTER &&
		    (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE ||
		     type == CMARK_NODE_CODE_BLOCK))
			add_words(&out, cmark_node_get_literal(node));
		if (ends_words(type, ev))
			add_space(&out);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	if (out.len && out.data[out.len - 1] == ' ')
		out.data[--out.len] = '\0';
	return buf_detach(&out, NULL);
}

/* The entity for a character that must be escaped, or NULL. `attr`: also the quotes. */
static const char *entity(char c, int attr)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return attr ? "&quot;" : NULL;
	case '\'':
		return attr ? "&#39;" : NULL;
	default:
		return NULL;
	}
}

static void escape(struct buf *out, const char *s, int attr)
{
	if (!s)
		return;
	const char *run = s;
	for (; *s; s++) {
		const char *ent = entity(*s, attr);
		if (!ent)
			continue;
		buf_add(out, run, (size_t)(s - run));
		buf_adds(out, ent);
		run = s + 1;
	}
	buf_add(out, run, (size_t)(s - run));
}

void html_text(struct buf *out, const char *s)
{
	escape(out, s, 0);
}

void html_attr(struct buf *out, const char *s)
{
	escape(out, s, 1);
}
