/*
 * Full-text search over the published content of the knowledge platform, in Dutch and
 * English, the same on both store back ends.
 *
 * Text becomes terms in one place, here: it is cut into words (letters and digits; a
 * possessive or plural "'s" stays with its word), each word is folded (lower case, accents
 * removed: "coördinatie" → "coordinatie") and stemmed with the Snowball stemmer of the
 * text's language (libstemmer). Dutch words are stemmed until the stem no longer changes, and
 * a plural in -es that Snowball leaves alone ("stages") loses its s first, so that
 * "stageplaatsen" and "stageplaats", "stages" and "stage", "scholen" and "school" meet.
 * The stems go to SQLite FTS5 (ranked by bm25) or to a PostgreSQL tsvector under the 'simple'
 * configuration (ranked by ts_rank), so both back ends match the same documents. A query is
 * turned into terms the same way; Dutch or English stop words are dropped from it, every
 * remaining term must match, and a term of four letters or more also matches the words it
 * begins ("stage" finds "stageplaatsen", as Dutch makes compounds).
 *
 * Ownership: a struct search_result owns its hits and their strings; release it with
 * search_result_release. Strings passed in are borrowed.
 */
#ifndef KNOWLEDGE_SEARCH_H
#define KNOWLEDGE_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "knowledge/knowledge.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

#define SEARCH_MAX_TERMS     16
#define SEARCH_DEFAULT_LIMIT 20
#define SEARCH_MAX_LIMIT     100

/* A search; NULL or "" filters do not filter. */
struct search_query {
	const char *text;         /* what the user typed */
	enum kb_lang lang;        /* the language searched and shown */
	const char *theme;        /* slug of a theme: its own page, actions, practices, faqs */
	const char *target_group; /* slug of a target group (practices only carry them) */
	const char *region;       /* part of a practice's region, e.g. "haaglanden" */
	const char *kind;         /* theme, action, practice (with pilots), pilot or faq */
	int limit;                /* 0: SEARCH_DEFAULT_LIMIT; at most SEARCH_MAX_LIMIT */
	int offset;
};

struct search_hit {
	char *kind;         /* theme, action, practice, pilot, faq */
	char *slug;         /* the item's slug */
	char *theme;        /* the theme's slug of an action or faq, "" otherwise */
	char *title;        /* plain text */
	char *title_html;   /* escaped, with the matching words in <mark> … </mark> */
	char *snippet_html; /* a passage of the body around the matches, escaped and marked */
	double score;       /* the back end's rank, higher is better (not comparable across
	                       back ends) */
};

struct search_result {
	struct search_hit *hits;
	size_t n;
	int64_t total; /* matches in all, beyond limit and offset (0 past the last match) */
};

/*
 * Run `q` and fill `out` with the ranked hits (best first). ERR_INVALID for a query without a
 * word, with more than SEARCH_MAX_TERMS words or with a bad kind; ERR_NOTFOUND for a theme or
 * target group that does not exist.
 */
int knowledge_search(struct store *s, const struct search_query *q, struct search_result *out,
                     struct err *e);

void search_result_release(struct search_result *r);

/* The hits of `r` as JSON: {"total", "hits": [{kind, slug, theme, title, title_html,
 * snippet_html, score}]} (a new reference). */
json_t *search_result_json(const struct search_result *r);

/*
 * The next word of `text` at or after byte *pos: its bytes are text[*start, *end); *pos moves
 * past it. Returns 0 when there is none.
 */
int search_next_word(const char *text, size_t *pos, size_t *start, size_t *end);

/* Append the folded form of text[0, len) (see utf8_fold). */
void search_fold(struct buf *out, const char *text, size_t len);

/*
 * Append the terms of `text` in language `lang`, separated by single spaces: the text that
 * the index holds and that queries are matched against.
 */
void search_terms(struct buf *out, const char *text, enum kb_lang lang);

/*
 * Append `text` escaped for HTML with every word whose term matches one of `terms` (given as
 * by search_terms; `prefix[i]` true when term i also matches longer terms) wrapped in
 * <mark> … </mark>. With `window` > 0 only the passage of about `window` words with the most
 * matches is kept, with "…" where text was cut.
 */
void search_highlight(struct buf *out, const char *text, enum kb_lang lang, char **terms,
                      const bool *prefix, size_t nterms, int window);

#endif
