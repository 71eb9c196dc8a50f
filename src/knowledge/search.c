/*
 * Full-text search over published knowledge content: words to terms (folding and Snowball
 * stemming), the index kept in step on publish, queries with filters, ranking on SQLite FTS5
 * and PostgreSQL tsvector, and highlighted snippets (see search.h).
 */
#include "knowledge/search.h"
#include "knowledge/knowledge-internal.h"
#include "knowledge/markdown.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

/* ---- words ---- */

/* Decode the code point at text[*i] and move past it; -1 for a malformed byte (skipped). */
static int32_t next_cp(const unsigned char *t, size_t *i)
{
	unsigned char c = t[*i];
	int32_t cp;
	size_t n;
	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		cp = c & 0x1F;
		n = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		cp = c & 0x0F;
		n = 2;
	} else if (c >= 0xF0 && c <= 0xF4) {
		cp = c & 0x07;
		n = 3;
	} else {
		(*i)++;
		return -1;
	}
	for (size_t k = 1; k <= n; k++) {
		if ((t[*i + k] & 0xC0) != 0x80) {
			(*i)++;
			return -1;
		}
		cp = (cp << 6) | (t[*i + k] & 0x3F);
	}
	*i += n + 1;
	return cp;
}

/*
 * Letters and digits make words; so do the letters beyond ASCII, which folding maps to plain
 * Latin letters or drops. Punctuation, symbols and spaces of any script separate words.
 */
static bool is_word_cp(int32_t cp)
{
	if (cp < 0)
		return false;
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || cp == 0xFEFF)
		return false;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F))
		return false;
	return true;
}

static bool is_apostrophe(int32_t cp)
{
	return cp == '\'' || cp == 0x2019;
}

int search_next_word(const char *text, size_t *pos, size_t *start, size_t *end)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = *pos;
	while (t[i]) {
		size_t at = i;
		if (is_word_cp(next_cp(t, &i))) {
			i = at;
			break;
		}
	}
	if (!t[i]) {
		*pos = i;
		return 0;
	}
	*start = i;
	while (t[i]) {
		size_t at = i;
		int32_t cp = next_cp(t, &i);
		if (is_word_cp(cp))
			continue;
		i = at;
		/* "regio's", "auto's": the 's belongs to the word but is no part of its term. */
		if (is_apostrophe(cp)) {
			size_t after = at;
			next_cp(t, &after);
			if ((t[after] == 's' || t[after] == 'S')) {
				size_t next = after + 1;
				size_t probe = next;
				if (!t[next] || !is_word_cp(next_cp(t, &probe))) {
					*end = at;
					*pos = next;
					return 1;
				}
			}
		}
		break;
	}
	*end = i;
	*pos = i;
	return 1;
}

void search_fold(struct buf *out, const char *text, size_t len)
{
	char small[128];
	if (len < sizeof(small)) {
		memcpy(small, text, len);
		small[len] = '\0';
		utf8_fold(out, small);
		return;
	}
	char *copy = xstrndup(text, len);
	utf8_fold(out, copy);
	free(copy);
}

/* ---- stems ---- */

struct stemmer {
	struct sb_stemmer *sb;
	enum kb_lang lang;
	struct buf a, b; /* work space */
};

static void stemmer_init(struct stemmer *st, enum kb_lang lang)
{
	st->sb = sb_stemmer_new(lang == KB_NL ? "dutch" : "english", NULL);
	if (!st->sb)
		abort(); /* only when out of memory: both stemmers are part of libstemmer */
	st->lang = lang;
	buf_init(&st->a);
	buf_init(&st->b);
}

static void stemmer_release(struct stemmer *st)
{
	sb_stemmer_delete(st->sb);
	buf_release(&st->a);
	buf_release(&st->b);
}

static void sb_into(struct stemmer *st, struct buf *out, const char *w, size_t n)
{
	const sb_symbol *r = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)n);
	if (!r)
		abort(); /* out of memory */
	buf_reset(out);
	buf_add(out, r, (size_t)sb_stemmer_length(st->sb));
}

/* A Dutch plural in -es that Snowball leaves whole: "stages", "interesses". */
static bool dutch_plain_es(const struct buf *w)
{
	return w->len >= 6 && w->data[w->len - 2] == 'e' && w->data[w->len - 1] == 's';
}

/*
 * The term of folded word w[0, n) in *out (borrowed, valid until the next call). Dutch words
 * go through the stemmer until they no longer change, since Snowball's Dutch takes one suffix
 * at a time ("stageplaatsen" → "stageplaats" → "stageplat").
 */
static const struct buf *stem(struct stemmer *st, const char *w, size_t n)
{
	if (n > 64)
		n = 64; /* no real word is longer; the term stays stable */
	sb_into(st, &st->a, w, n);
	if (st->lang != KB_NL)
		return &st->a;
	for (int round = 0; round < 6; round++) {
		sb_into(st, &st->b, st->a.data, st->a.len);
		if (st->b.len == st->a.len && memcmp(st->b.data, st->a.data, st->a.len) == 0) {
			if (!dutch_plain_es(&st->a))
				break;
			sb_into(st, &st->b, st->a.data, st->a.len - 1);
		}
		struct buf t = st->a;
		st->a = st->b;
		st->b = t;
	}
	return &st->a;
}

void search_terms(struct buf *out, const char *text, enum kb_lang lang)
{
	struct stemmer st;
	struct buf word = BUF_INIT;
	size_t pos = 0, ws, we;
	stemmer_init(&st, lang);
	while (search_next_word(text, &pos, &ws, &we)) {
		buf_reset(&word);
		search_fold(&word, text + ws, we - ws);
		if (!word.len)
			continue;
		const struct buf *t = stem(&st, word.data, word.len);
		if (out->len && out->data[out->len - 1] != ' ')
			buf_addch(out, ' ');
		buf_add(out, t->data, t->len);
	}
	buf_release(&word);
	stemmer_release(&st);
}

/* ---- the query ---- */

static const char *const stop_nl[] = {
    "aan",    "al",   "als",    "bij",   "dan",   "dat",    "de",   "der", "die",  "dit", "door",
    "een",    "en",   "er",     "het",   "hoe",   "in",     "is",   "je",  "met",  "na",  "naar",
    "niet",   "nog",  "of",     "om",    "ook",   "op",     "over", "te",  "tot",  "uit", "van",
    "voor",   "waar", "wat",    "welke", "wie",   "wij",    "ze",   "zij", "zijn", "zo",  "wordt",
    "worden", "kan",  "kunnen", "moet",  "heeft", "hebben", NULL,
};

static const char *const stop_en[] = {
    "a",    "an",  "and",  "are",  "as",    "at",    "be",  "by",  "can",  "do",
    "does", "for", "from", "how",  "in",    "is",    "it",  "of",  "on",   "or",
    "the",  "to",  "what", "when", "where", "which", "who", "why", "with", NULL,
};

static bool is_stop_word(const char *w, enum kb_lang lang)
{
	for (const char *const *s = lang == KB_NL ? stop_nl : stop_en; *s; s++)
		if (strcmp(*s, w) == 0)
			return true;
	return false;
}

/* The terms of a query: words folded, stop words dropped (unless nothing else is left). */
struct query_terms {
	char *term[SEARCH_MAX_TERMS];
	bool prefix[SEARCH_MAX_TERMS];
	size_t n;
};

static void query_terms_release(struct query_terms *qt)
{
	for (size_t i = 0; i < qt->n; i++)
		free(qt->term[i]);
	qt->n = 0;
}

static int query_terms_make(struct query_terms *qt, const char *text, enum kb_lang lang,
                            struct err *e)
{
	char *words[SEARCH_MAX_TERMS];
	size_t nwords = 0, nstop = 0, pos = 0, ws, we;
	struct buf w = BUF_INIT;
	int rc = 0;
	memset(qt, 0, sizeof(*qt));
	while (search_next_word(text, &pos, &ws, &we)) {
		buf_reset(&w);
		search_fold(&w, text + ws, we - ws);
		if (!w.len)
			continue;
		if (nwords == SEARCH_MAX_TERMS) {
			rc = err_set(e, ERR_INVALID, "a search takes at most %d words",
			             SEARCH_MAX_TERMS);
			goto out;
		}
		nstop += is_stop_word(w.data, lang);
		words[nwords++] = xstrdup(w.data);
	}
	if (nwords == 0) {
		rc = err_set(e, ERR_INVALID, "search for at least one word");
		goto out;
	}
	struct stemmer st;
	stemmer_init(&st, lang);
	for (size_t i = 0; i < nwords; i++) {
		if (nstop < nwords && is_stop_word(words[i], lang))
			continue;
		const struct buf *t = stem(&st, words[i], strlen(words[i]));
		bool seen = false;
		for (size_t j = 0; j < qt->n; j++)
			seen |= strcmp(qt->term[j], t->data) == 0;
		if (seen)
			continue;
		qt->term[qt->n] = xstrdup(t->data);
		/* A longer term also finds the compounds it begins; a short one would find too
		 * much. */
		qt->prefix[qt->n] = t->len >= 4;
		qt->n++;
	}
	stemmer_release(&st);
out:
	for (size_t i = 0; i < nwords; i++)
		free(words[i]);
	buf_release(&w);
	return rc;
}

/* The FTS5 query: "term"* AND "term" … — terms are [a-z0-9] only, so quoting is enough. */
static void fts5_match(struct buf *out, const struct query_terms *qt)
{
	for (size_t i = 0; i < qt->n; i++)
		buf_addf(out, "%s\"%s\"%s", i ? " AND " : "", qt->term[i],
		         qt->prefix[i] ? "*" : "");
}

/* The tsquery: term:* & term … */
static void pg_tsquery(struct buf *out, const struct query_terms *qt)
{
	for (size_t i = 0; i < qt->n; i++)
		buf_addf(out, "%s%s%s", i ? " & " : "", qt->term[i], qt->prefix[i] ? ":*" : "");
}

/* ---- highlighting ---- */

struct word_span {
	size_t start, end;
	int term; /* the index of the query term it matches, or -1 */
};

/* Whether folded word w can stem to something starting with term t: a cheap test first. */
static bool may_match(const char *w, size_t wn, const char *t)
{
	size_t tn = strlen(t);
	size_t k = wn < 2 ? wn : 2;
	if (tn < k)
		k = tn;
	return strncmp(w, t, k) == 0;
}

static int match_term(struct stemmer *st, const char *w, size_t wn, char **terms,
                      const bool *prefix, size_t nterms)
{
	bool possible = false;
	for (size_t i = 0; i < nterms && !possible; i++)
		possible = may_match(w, wn, terms[i]);
	if (!possible)
		return -1;
	const struct buf *s = stem(st, w, wn);
	for (size_t i = 0; i < nterms; i++) {
		size_t tn = strlen(terms[i]);
		if (s->len == tn ? memcmp(s->data, terms[i], tn) == 0
		                 : prefix[i] && s->len > tn && memcmp(s->data, terms[i], tn) == 0)
			return (int)i;
	}
	return -1;
}

/* The start of the window of `window` words with the most distinct terms, then matches. */
static size_t best_window(const struct word_span *w, size_t n, int window, size_t nterms)
{
	size_t best = 0;
	int best_distinct = -1, best_count = -1;
	for (size_t m = 0; m < n; m++) {
		if (w[m].term < 0)
			continue;
		size_t start = m > 4 ? m - 4 : 0;
		if (start + (size_t)window > n)
			start = n - (size_t)window;
		bool seen[SEARCH_MAX_TERMS] = {false};
		int distinct = 0, count = 0;
		for (size_t k = start; k < start + (size_t)window; k++) {
			if (w[k].term < 0)
				continue;
			count++;
			if ((size_t)w[k].term < nterms && !seen[w[k].term]) {
				seen[w[k].term] = true;
				distinct++;
			}
		}
		if (distinct > best_distinct || (distinct == best_distinct && count > best_count)) {
			best = start;
			best_distinct = distinct;
			best_count = count;
		}
	}
	return best;
}

void search_highlight(struct buf *out, const char *text, enum kb_lang lang, char **terms,
                      const bool *prefix, size_t nterms, int window)
{
	struct word_span *w = NULL;
	size_t n = 0, cap = 0, pos = 0, ws, we;
	struct buf folded = BUF_INIT;
	struct stemmer st;
	if (nterms > SEARCH_MAX_TERMS)
		nterms = SEARCH_MAX_TERMS;
	stemmer_init(&st, lang);
	while (search_next_word(text, &pos, &ws, &we)) {
		buf_reset(&folded);
		search_fold(&folded, text + ws, we - ws);
		XGROW(w, cap, n + 1);
		w[n].start = ws;
		w[n].end = we;
		w[n].term = folded.len
		                ? match_term(&st, folded.data, folded.len, terms, prefix, nterms)
		                : -1;
		n++;
	}
	size_t first = 0, last = n; /* words [first, last) are shown */
	if (window > 0 && n > (size_t)window) {
		first = best_window(w, n, window, nterms);
		last = first + (size_t)window;
	}
	size_t from = first > 0 ? w[first].start : 0;
	size_t to = strlen(text);
	if (last < n) {
		/* Keep the punctuation that closes the last word shown ("school." or "(PrO)"). */
		to = w[last - 1].end;
		while (text[to] && text[to] != ' ' && to < w[last].start)
			to++;
	}
	if (first > 0)
		buf_adds(out, "… ");
	size_t at = from;
	char *copy = NULL;
	for (size_t k = first; k < last; k++) {
		if (w[k].term < 0)
			continue;
		copy = xstrndup(text + at, w[k].start - at);
		html_text(out, copy);
		free(copy);
		copy = xstrndup(text + w[k].start, w[k].end - w[k].start);
		buf_adds(out, "<mark>");
		html_text(out, copy);
		buf_adds(out, "</mark>");
		free(copy);
		at = w[k].end;
	}
	copy = xstrndup(text + at, to > at ? to - at : 0);
	html_text(out, copy);
	free(copy);
	if (last < n)
		buf_adds(out, " …");
	free(w);
	buf_release(&folded);
	stemmer_release(&st);
}

/* ---- the index ---- */

static const char delete_fts_sql[] =
    "DELETE FROM kb_search_fts WHERE rowid IN (SELECT id FROM kb_search_docs WHERE item_id = ?)";
static const char delete_texts_sql[] =
    "DELETE FROM kb_search_texts WHERE doc_id IN (SELECT id FROM kb_search_docs WHERE item_id = ?)";
static const char delete_docs_sql[] = "DELETE FROM kb_search_docs WHERE item_id = ?";
static const char delete_facets_sql[] = "DELETE FROM kb_search_facets WHERE item_id = ?";
static const char insert_doc_sqlite_sql[] =
    "INSERT INTO kb_search_docs (item_id, lang, kind, region, theme)"
    " VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char insert_doc_pg_sql[] =
    "INSERT INTO kb_search_docs (item_id, lang, kind, region, theme, tsv)"
    " VALUES (?, ?, ?, ?, ?,"
    " setweight(to_tsvector('simple', CAST(? AS TEXT)), 'A') ||"
    " setweight(to_tsvector('simple', CAST(? AS TEXT)), 'B')) RETURNING id";
static const char insert_text_sql[] =
    "INSERT INTO kb_search_texts (doc_id, title, body) VALUES (?, ?, ?)";
static const char insert_fts_sql[] =
    "INSERT INTO kb_search_fts (rowid, title, body) VALUES (?, ?, ?)";
static const char insert_facet_sql[] =
    "INSERT INTO kb_search_facets (item_id, facet, value) VALUES (?, ?, ?)";

static int run_with_id(struct store *s, const char *sql, int64_t id, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static void add_plain(struct buf *body, const char *text)
{
	if (!text || !*text)
		return;
	if (body->len)
		buf_addch(body, ' ');
	buf_adds(body, text);
}

/*
 * The plain text of every field but the title, in `lang`: what the body column holds. The
 * Markdown texts come first, as a snippet reads best from them; names and places after.
 */
static void body_text(struct buf *body, enum kb_kind kind, const json_t *content, enum kb_lang lang)
{
	for (const struct kb_field *f = kb_fields(kind); f->name; f++) {
		if (f->type != KF_MARKDOWN)
			continue;
		char *text = markdown_to_text(json_string_value(
		    json_object_get(json_object_get(content, f->name), kb_lang_code(lang))));
		add_plain(body, text);
		free(text);
	}
	for (const struct kb_field *f = kb_fields(kind); f->name; f++) {
		json_t *v = json_object_get(content, f->name);
		if (f->type == KF_STRING) {
			add_plain(body, json_string_value(v));
		} else if (f->type == KF_NAMES) {
			size_t i;
			json_t *name;
			json_array_foreach(v, i, name)
			{
				add_plain(body, json_string_value(name));
			}
		}
	}
}

struct doc {
	int64_t item_id;
	const char *lang, *kind, *region, *theme, *title, *body, *title_terms, *body_terms;
};

/* Insert a statement's three values: an id and two texts. */
static int insert_id_texts(struct store *s, const char *sql, int64_t id, const char *a,
                           const char *b, struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, a);
	stmt_bind_text(st, 3, b);
	int rc = stmt_step(st, e);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int insert_doc(struct store *s, const struct doc *d, struct err *e)
{
	bool pg = store_backend(s) == STORE_POSTGRES;
	struct stmt *st = NULL;
	if (store_prepare(s, pg ? insert_doc_pg_sql : insert_doc_sqlite_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, d->item_id);
	stmt_bind_text(st, 2, d->lang);
	stmt_bind_text(st, 3, d->kind);
	stmt_bind_text(st, 4, d->region);
	stmt_bind_text(st, 5, d->theme);
	if (pg) {
		stmt_bind_text(st, 6, d->title_terms);
		stmt_bind_text(st, 7, d->body_terms);
	}
	int rc = stmt_step(st, e);
	int64_t doc_id = rc == STORE_ROW ? stmt_int64(st, 0) : 0;
	stmt_free(st);
	if (rc != STORE_ROW)
		return rc < 0 ? -1 : err_set(e, ERR_INTERNAL, "no id for a search document");
	if (insert_id_texts(s, insert_text_sql, doc_id, d->title, d->body, e) < 0)
		return -1;
	if (!pg && insert_id_texts(s, insert_fts_sql, doc_id, d->title_terms, d->body_terms, e) < 0)
		return -1;
	return 0;
}

static int insert_facets(struct store *s, int64_t item_id, const char *facet, const json_t *slugs,
                         struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, insert_facet_sql, &st, e) < 0)
		return -1;
	size_t i;
	json_t *v;
	int rc = 0;
	json_array_foreach(slugs, i, v)
	{
		stmt_reset(st);
		stmt_bind_int64(st, 1, item_id);
		stmt_bind_text(st, 2, facet);
		stmt_bind_text(st, 3, json_string_value(v));
		if (stmt_step(st, e) < 0) {
			rc = -1;
			break;
		}
	}
	stmt_free(st);
	return rc;
}

/* The themes an item belongs to, as a list of slugs (a new reference). */
static json_t *item_themes(enum kb_kind kind, const json_t *content)
{
	if (kind == KB_PRACTICE)
		return json_incref(json_object_get(content, "themes"));
	const char *field = kind == KB_THEME ? "slug" : "theme";
	return json_pack("[O]", json_object_get(content, field));
}

static int index_language(struct store *s, int64_t item_id, enum kb_kind kind,
                          const json_t *content, enum kb_lang lang, struct err *e)
{
	struct buf body = BUF_INIT, title_terms = BUF_INIT, body_terms = BUF_INIT,
	           region = BUF_INIT;
	const char *title = kb_content_title(kind, content, lang);
	body_text(&body, kind, content, lang);
	search_terms(&title_terms, title, lang);
	search_terms(&body_terms, body.data, lang);
	const char *r = json_string_value(json_object_get(content, "region"));
	if (r)
		utf8_fold(&region, r);
	const char *theme = json_string_value(json_object_get(content, "theme"));
	struct doc d = {
	    .item_id = item_id,
	    .lang = kb_lang_code(lang),
	    .kind = kind == KB_PRACTICE ? json_string_value(json_object_get(content, "kind"))
	                                : kb_kind_name(kind),
	    .region = region.data,
	    .theme = kind == KB_ACTION || kind == KB_FAQ ? theme : "",
	    .title = title,
	    .body = body.data,
	    .title_terms = title_terms.data,
	    .body_terms = body_terms.data,
	};
	int rc = insert_doc(s, &d, e);
	buf_release(&body);
	buf_release(&title_terms);
	buf_release(&body_terms);
	buf_release(&region);
	return rc;
}

int search_index_item(struct store *s, int64_t item_id, enum kb_kind kind, const json_t *content,
                      struct err *e)
{
	if (store_backend(s) == STORE_SQLITE && run_with_id(s, delete_fts_sql, item_id, e) < 0)
		return -1;
	if (run_with_id(s, delete_texts_sql, item_id, e) < 0 ||
	    run_with_id(s, delete_docs_sql, item_id, e) < 0 ||
	    run_with_id(s, delete_facets_sql, item_id, e) < 0)
		return -1;
	for (int l = 0; l < KB_NLANGS; l++)
		if (index_language(s, item_id, kind, content, (enum kb_lang)l, e) < 0)
			return -1;
	json_t *themes = item_themes(kind, content);
	int rc = insert_facets(s, item_id, "theme", themes, e);
	json_decref(themes);
	if (rc == 0 && kind == KB_PRACTICE)
		rc = insert_facets(s, item_id, "target_group",
		                   json_object_get(content, "target_groups"), e);
	return rc;
}

/* ---- searching ---- */

#define SEARCH_FILTERS                                                                             \
	" AND d.lang = ?"                                                                          \
	" AND (CAST(? AS TEXT) = '' OR d.kind = CAST(? AS TEXT)"                                   \
	" OR (CAST(? AS TEXT) = 'practice' AND d.kind = 'pilot'))"                                 \
	" AND (CAST(? AS TEXT) = '' OR d.region LIKE CAST(? AS TEXT))"                             \
	" AND (CAST(? AS TEXT) = '' OR EXISTS (SELECT 1 FROM kb_search_facets f"                   \
	" WHERE f.facet = 'theme' AND f.value = CAST(? AS TEXT) AND f.item_id = d.item_id))"       \
	" AND (CAST(? AS TEXT) = '' OR EXISTS (SELECT 1 FROM kb_search_facets f"                   \
	" WHERE f.facet = 'target_group' AND f.value = CAST(? AS TEXT)"                            \
	" AND f.item_id = d.item_id))"

/*
 * A search in three layers: the matches with their rank (m), counted and cut to the page
 * asked for (r), and only then the texts of that page. FTS5 allows bm25() only where the
 * full-text query drives the rows, so it stays in the innermost query; and reading the texts
 * of every match would cost more than the search.
 */
#define SEARCH_PAGE_BEGIN                                                                          \
	"SELECT d.kind, i.slug, d.theme, t.title, t.body, r.score, r.total FROM ("                 \
	" SELECT id, score, count(*) OVER () AS total FROM ("
#define SEARCH_PAGE_END                                                                            \
	") AS m ORDER BY score DESC, id LIMIT ? OFFSET ?) AS r"                                    \
	" JOIN kb_search_docs d ON d.id = r.id JOIN kb_search_texts t ON t.doc_id = r.id"          \
	" JOIN kb_items i ON i.id = d.item_id ORDER BY r.score DESC, r.id"

static const char search_sqlite_sql[] =
    SEARCH_PAGE_BEGIN "SELECT d.id AS id, -bm25(kb_search_fts, 10.0, 1.0) AS score"
                      " FROM kb_search_fts JOIN kb_search_docs d ON d.id = kb_search_fts.rowid"
                      " WHERE kb_search_fts MATCH ?" SEARCH_FILTERS SEARCH_PAGE_END;

/*
 * The title weighs ten times the body, as in bm25 above; normalised by document length.
 * OFFSET 0 keeps PostgreSQL from merging the ranking into the outer query, which would carry
 * every match's tsvector through the window function.
 */
static const char search_pg_sql[] = SEARCH_PAGE_BEGIN
    "SELECT d.id AS id,"
    " ts_rank(CAST('{0.1, 0.1, 0.1, 1.0}' AS float4[]), d.tsv, q.query, 1) AS score"
    " FROM kb_search_docs d"
    " CROSS JOIN (SELECT to_tsquery('simple', CAST(? AS TEXT)) AS query) AS q"
    " WHERE d.tsv @@ q.query" SEARCH_FILTERS " OFFSET 0" SEARCH_PAGE_END;

static const char facet_exists_sql[] =
    "SELECT count(*) FROM kb_items WHERE kind = 'theme' AND slug = ?";

static int check_filters(struct store *s, const struct search_query *q, struct err *e)
{
	static const char *const kinds[] = {"theme", "action", "practice", "pilot", "faq", NULL};
	if (q->kind && *q->kind) {
		bool ok = false;
		for (const char *const *k = kinds; *k; k++)
			ok |= strcmp(*k, q->kind) == 0;
		if (!ok)
			return err_set(
			    e, ERR_INVALID,
			    "'%s' is not a kind to search (theme, action, practice, pilot, "
			    "faq)",
			    q->kind);
	}
	if (q->theme && *q->theme) {
		int64_t n = 0;
		struct stmt *st;
		if (store_prepare(s, facet_exists_sql, &st, e) < 0)
			return -1;
		stmt_bind_text(st, 1, q->theme);
		int rc = stmt_step(st, e);
		if (rc == STORE_ROW)
			n = stmt_int64(st, 0);
		stmt_free(st);
		if (rc < 0)
			return -1;
		if (n == 0)
			return err_set(e, ERR_NOTFOUND, "no theme '%s'", q->theme);
	}
	if (q->target_group && *q->target_group) {
		int64_t id;
		if (kb_target_group_id(s, q->target_group, &id, e) < 0)
			return -1;
	}
	if (q->limit < 0 || q->limit > SEARCH_MAX_LIMIT || q->offset < 0)
		return err_set(e, ERR_INVALID, "a search shows 1 to %d results from offset 0 on",
		               SEARCH_MAX_LIMIT);
	return 0;
}

static void bind_query(struct stmt *st, const struct search_query *q, const char *match,
                       const char *region_like)
{
	const char *kind = q->kind ? q->kind : "";
	const char *theme = q->theme ? q->theme : "";
	const char *group = q->target_group ? q->target_group : "";
	int i = 1;
	stmt_bind_text(st, i++, match);
	stmt_bind_text(st, i++, kb_lang_code(q->lang));
	stmt_bind_text(st, i++, kind);
	stmt_bind_text(st, i++, kind);
	stmt_bind_text(st, i++, kind);
	stmt_bind_text(st, i++, region_like);
	stmt_bind_text(st, i++, region_like);
	stmt_bind_text(st, i++, theme);
	stmt_bind_text(st, i++, theme);
	stmt_bind_text(st, i++, group);
	stmt_bind_text(st, i++, group);
	stmt_bind_int64(st, i++, q->limit ? q->limit : SEARCH_DEFAULT_LIMIT);
	stmt_bind_int64(st, i, q->offset);
}

static void add_hit(struct search_result *r, size_t *cap, struct stmt *st,
                    const struct query_terms *qt, enum kb_lang lang)
{
	struct buf title = BUF_INIT, snippet = BUF_INIT;
	XGROW(r->hits, *cap, r->n + 1);
	struct search_hit *h = &r->hits[r->n++];
	h->kind = xstrdup(stmt_text(st, 0));
	h->slug = xstrdup(stmt_text(st, 1));
	h->theme = xstrdup(stmt_text(st, 2));
	h->title = xstrdup(stmt_text(st, 3));
	search_highlight(&title, h->title, lang, (char **)qt->term, qt->prefix, qt->n, 0);
	search_highlight(&snippet, stmt_text(st, 4), lang, (char **)qt->term, qt->prefix, qt->n,
	                 30);
	h->title_html = buf_detach(&title, NULL);
	h->snippet_html = buf_detach(&snippet, NULL);
	h->score = stmt_double(st, 5);
	r->total = stmt_int64(st, 6);
}

int knowledge_search(struct store *s, const struct search_query *q, struct search_result *out,
                     struct err *e)
{
	struct query_terms qt;
	struct buf match = BUF_INIT, region = BUF_INIT;
	struct stmt *st = NULL;
	size_t cap = 0;
	int rc = -1;
	memset(out, 0, sizeof(*out));
	if (check_filters(s, q, e) < 0 ||
	    query_terms_make(&qt, q->text ? q->text : "", q->lang, e) < 0)
		return -1;
	bool pg = store_backend(s) == STORE_POSTGRES;
	if (pg)
		pg_tsquery(&match, &qt);
	else
		fts5_match(&match, &qt);
	if (q->region && *q->region) {
		buf_addch(&region, '%');
		utf8_fold(&region, q->region);
		buf_addch(&region, '%');
	}
	if (store_prepare(s, pg ? search_pg_sql : search_sqlite_sql, &st, e) < 0)
		goto out;
	bind_query(st, q, match.data, region.len > 2 ? region.data : "");
	int step;
	while ((step = stmt_step(st, e)) == STORE_ROW)
		add_hit(out, &cap, st, &qt, q->lang);
	if (step < 0) {
		search_result_release(out);
		goto out;
	}
	rc = 0;
out:
	stmt_free(st);
	query_terms_release(&qt);
	buf_release(&match);
	buf_release(&region);
	return rc;
}

void search_result_release(struct search_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct search_hit *h = &r->hits[i];
		free(h->kind);
		free(h->slug);
		free(h->theme);
		free(h->title);
		free(h->title_html);
		free(h->snippet_html);
	}
	free(r->hits);
	memset(r, 0, sizeof(*r));
}

json_t *search_result_json(const struct search_result *r)
{
	json_t *hits = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const struct search_hit *h = &r->hits[i];
		json_array_append_new(hits, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f}", "kind",
		                                      h->kind, "slug", h->slug, "theme", h->theme,
		                                      "title", h->title, "title_html",
		                                      h->title_html, "snippet_html",
		                                      h->snippet_html, "score", h->score));
	}
	return json_pack("{s:I, s:o}", "total", (json_int_t)r->total, "hits", hits);
}
