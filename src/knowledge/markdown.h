/*
 * Text for the web: Markdown body texts rendered to HTML that is safe to put in a page, and
 * escaping of everything else, named after the place it is escaped for (as cgit does):
 * html_text for element content, html_attr for a quoted attribute value.
 *
 * Markdown goes through cmark (the CommonMark reference implementation) with its default,
 * safe options: raw HTML (blocks and inline tags) is replaced by a comment, and links and
 * images whose URL is javascript:, vbscript:, file: or data: (other than a PNG, GIF, JPEG or
 * WebP image) get an empty URL. Every attribute cmark writes is escaped. So no script, no
 * event-handler attribute and no script URL can come out of any input.
 *
 * Ownership: functions returning char * return a string the caller frees with free();
 * functions taking a struct buf append to it.
 */
#ifndef KNOWLEDGE_MARKDOWN_H
#define KNOWLEDGE_MARKDOWN_H

#include "util/buf.h"

/* Render Markdown `md` (UTF-8; NULL counts as "") to safe HTML. Never NULL. */
char *markdown_to_html(const char *md);

/* Append the safe HTML of Markdown `md` to `out`. */
void markdown_html(struct buf *out, const char *md);

/*
 * The plain text of Markdown `md`: the words of text, code and link texts, with blocks and
 * line breaks turned into single spaces and no markup. For search snippets and titles.
 * Never NULL.
 */
char *markdown_to_text(const char *md);

/* Append `s` escaped for element content: & < > become entities. NULL appends nothing. */
void html_text(struct buf *out, const char *s);

/* Append `s` escaped for a quoted attribute value: & < > " ' become entities. */
void html_attr(struct buf *out, const char *s);

#endif
