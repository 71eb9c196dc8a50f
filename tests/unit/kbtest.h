/*
 * Helpers for the knowledge platform's unit tests: a strict check that HTML holds nothing
 * that could run (no tag or attribute outside a short allow-list, no script URL), the small
 * fixture bundle, and an editor identity.
 */
#ifndef TESTS_UNIT_KBTEST_H
#define TESTS_UNIT_KBTEST_H

#include "testutil.h"

#include <ctype.h>
#include <jansson.h>
#include <strings.h>

#include "knowledge/knowledge.h"

static const struct access kbtest_editor = {
    .actor = "cli:redacteur", .role = "editor", .client = "cli", .reason = "test"};
static const struct access kbtest_other_editor = {
    .actor = "cli:tweede", .role = "editor", .client = "cli", .reason = "test"};

static inline int kbtest_in(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcasecmp(word, *list) == 0)
			return 1;
	return 0;
}

/*
 * Fail unless `html` is made only of allowed elements and attributes, with no URL that runs
 * script. What the renderers write passes; anything an attacker could smuggle in does not.
 */
static inline void assert_safe_html(const char *html, const char *what)
{
	static const char *const tags[] = {"p",  "em",      "strong", "a",    "img",        "ul",
	                                   "ol", "li",      "h1",     "h2",   "h3",         "h4",
	                                   "h5", "h6",      "code",   "pre",  "blockquote", "hr",
	                                   "br", "article", "div",    "mark", NULL};
	static const char *const attrs[] = {"href",       "src",       "alt",  "title", "class",
	                                    "data-field", "data-slug", "lang", "start", NULL};
	static const char omitted[] = "<!-- raw HTML omitted -->";
	for (const char *p = html; (p = strchr(p, '<')) != NULL;) {
		if (strncmp(p, omitted, strlen(omitted)) == 0) {
			p += strlen(omitted);
			continue;
		}
		const char *q = p + 1;
		if (*q == '/')
			q++;
		char name[32];
		size_t n = 0;
		while (isalnum((unsigned char)*q) && n < sizeof(name) - 1)
			name[n++] = *q++;
		name[n] = '\0';
		if (!kbtest_in(name, tags))
			fail_msg("%s: element <%s> is not allowed in: %s", what, name, html);
		for (;;) {
			while (*q == ' ' || *q == '\n' || *q == '\t')
				q++;
			if (*q == '>' || (*q == '/' && q[1] == '>'))
				break;
			if (!*q)
				fail_msg("%s: unterminated tag in: %s", what, html);
			char attr[32];
			n = 0;
			while (*q && *q != '=' && *q != ' ' && *q != '>' && n < sizeof(attr) - 1)
				attr[n++] = *q++;
			attr[n] = '\0';
			if (!kbtest_in(attr, attrs))
				fail_msg("%s: attribute '%s' is not allowed in: %s", what, attr,
				         html);
			if (*q != '=')
				continue;
			if (q[1] != '"')
				fail_msg("%s: unquoted attribute '%s' in: %s", what, attr, html);
			const char *v = q + 2, *end = strchr(v, '"');
			if (!end)
				fail_msg("%s: unterminated attribute in: %s", what, html);
			while (v < end && isspace((unsigned char)*v))
				v++;
			if (strncasecmp(v, "javascript:", 11) == 0 ||
			    strncasecmp(v, "vbscript:", 9) == 0 ||
			    strncasecmp(v, "data:text", 9) == 0)
				fail_msg("%s: a script URL in attribute '%s' of: %s", what, attr,
				         html);
			q = end + 1;
		}
		p = q;
	}
	/* Text may mention onerror= once escaped; a literal tag can only be markup. */
	if (strcasestr(html, "<script") || strcasestr(html, "<img src=x"))
		fail_msg("%s: script survived in: %s", what, html);
}

/* The small bundle of tests/fixtures/knowledge-small.json (a new reference). */
static inline json_t *kbtest_fixture(void)
{
	const char *src = getenv("INBEELD_SRC");
	char *path = xasprintf("%s/tests/fixtures/knowledge-small.json", src ? src : ".");
	json_error_t je;
	json_t *bundle = json_load_file(path, 0, &je);
	if (!bundle)
		fail_msg("%s: %s", path, je.text);
	free(path);
	return bundle;
}

/* Import the fixture, published or as drafts. */
static inline void kbtest_import_fixture(struct store *s, bool publish)
{
	struct err e = ERR_INIT;
	json_t *bundle = kbtest_fixture();
	assert_ok(knowledge_import(s, &kbtest_editor, bundle, publish, NULL, NULL, &e), &e);
	json_decref(bundle);
}

/* count(*) of `sql` with one text parameter (or none when `arg` is NULL). */
static inline int64_t kbtest_count(struct store *s, const char *sql, const char *arg)
{
	struct err e = ERR_INIT;
	struct stmt *st;
	assert_ok(store_prepare(s, sql, &st, &e), &e);
	if (arg)
		stmt_bind_text(st, 1, arg);
	int rc = stmt_step(st, &e);
	assert_ok(rc, &e);
	int64_t n = rc == STORE_ROW ? stmt_int64(st, 0) : 0;
	stmt_free(st);
	return n;
}

#endif
