/*
 * Scans and their answers (see scan.h): creating, listing and closing scans, answering with
 * the history kept, and the small rules of levels, regions and partner lists. The report is
 * in scan-report.c, its HTML page in scan-html.c.
 */
#include "scan/scan-internal.h"

#include "registry/ident.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCAN_COLUMNS                                                                          \
	"id, region, title, status, created_at, created_by, created_by_org, closed_at, closed_by"

static const char insert_scan_sql[] =
	"INSERT INTO scans (region, title, status, created_at, created_by, created_by_org)"
	" VALUES (?, ?, 'open', ?, ?, ?) RETURNING id";

static const char get_scan_sql[] = "SELECT " SCAN_COLUMNS " FROM scans WHERE id = ?";

static const char list_scans_sql[] =
	"SELECT " SCAN_COLUMNS " FROM scans WHERE (? = 0 OR region = ?)"
	" ORDER BY created_at DESC, id DESC";

static const char close_scan_sql[] =
	"UPDATE scans SET status = 'closed', closed_at = ?, closed_by = ?"
	" WHERE id = ? AND status = 'open'";

static const char insert_answer_sql[] =
	"INSERT INTO scan_answers (scan_id, action_id, level, note, answered_by, answered_by_org,"
	" answered_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

static const char insert_partner_sql[] =
	"INSERT INTO scan_answer_partners (answer_id, position, name) VALUES (?, ?, ?)";

#define ANSWER_COLUMNS                                                                        \
	"a.id, a.action_id, i.slug, a.level, a.note, a.answered_by, a.answered_by_org,"       \
	" a.answered_at"

/* Every answer of a scan, to one action or to all (first parameters: 0 or 1, the slug). */
static const char history_sql[] =
	"SELECT " ANSWER_COLUMNS " FROM scan_answers a JOIN kb_items i ON i.id = a.action_id"
	" WHERE a.scan_id = ? AND (? = 0 OR i.slug = ?) ORDER BY a.id";

/* The answer that counts: the latest per action. */
static const char current_sql[] =
	"SELECT " ANSWER_COLUMNS " FROM scan_answers a JOIN kb_items i ON i.id = a.action_id"
	" WHERE a.scan_id = ? AND a.id = (SELECT max(b.id) FROM scan_answers b"
	"   WHERE b.scan_id = a.scan_id AND b.action_id = a.action_id)"
	" ORDER BY a.action_id";

static const char partners_sql[] =
	"SELECT p.answer_id, p.name FROM scan_answer_partners p"
	" JOIN scan_answers a ON a.id = p.answer_id WHERE a.scan_id = ?"
	" ORDER BY p.answer_id, p.position";

static const char rmc_names_sql[] = "SELECT code, name FROM rmc_regions ORDER BY code";

static const char *const level_names[SCAN_LEVELS] = {
	"not_started",
	"planned",
	"in_progress",
	"embedded",
};

/* ---- small rules -------------------------------------------------------------------------- */

void scan_now(char out[SCAN_TIME_SIZE])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, SCAN_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *scan_col_dup(struct stmt *st, int col)
{
	const char *v = stmt_text(st, col);
	return v ? xstrdup(v) : NULL;
}

const char *scan_level_name(int level)
{
	return level >= 0 && level < SCAN_LEVELS ? level_names[level] : "unanswered";
}

int scan_level_parse(const char *text, int *level, struct err *e)
{
	char norm[32];
	size_t n = 0;
	for (const char *p = text ? text : ""; *p && n + 1 < sizeof(norm); p++)
		norm[n++] = *p == '-' ? '_' : (char)tolower((unsigned char)*p);
	norm[n] = '\0';
	for (int i = 0; i < SCAN_LEVELS; i++)
		if (strcmp(norm, level_names[i]) == 0) {
			*level = i;
			return 0;
		}
	return err_set(e, ERR_INVALID,
		       "level '%s' is not one of not_started, planned, in_progress, embedded",
		       text ? text : "");
}

/* Check a text field: UTF-8, no control characters but newlines and tabs, within `max`. */
static int check_text(const char *text, const char *field, bool required, size_t max,
		      bool multiline, struct err *e)
{
	size_t len = text ? strlen(text) : 0, bad;
	if (len && !utf8_valid(text, len, &bad))
		return err_set(e, ERR_INVALID, "%s is not valid UTF-8 (byte %zu)", field, bad);
	if (len > max)
		return err_set(e, ERR_INVALID, "%s is %zu bytes long; at most %zu are allowed",
			       field, len, max);
	bool blank = true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
			return err_set(e, ERR_INVALID,
				       "%s holds a control character (byte %zu)", field, i);
		if (!isspace(c))
			blank = false;
	}
	if (required && blank)
		return err_set(e, ERR_INVALID, "%s is empty", field);
	return 0;
}

/* Trim and collapse runs of blanks into one space; the result is owned. */
static char *collapse_blanks(const char *in)
{
	struct buf b = BUF_INIT;
	bool space = false;
	for (const char *p = in; *p; p++) {
		if (isspace((unsigned char)*p)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_addch(&b, ' ');
		space = false;
		buf_addch(&b, *p);
	}
	return buf_detach(&b, NULL);
}

/* Whether `s` reads as an RMC code: "MC" and one or two digits, blanks ignored. */
static bool looks_like_rmc_code(const char *s, char *compact, size_t size)
{
	size_t n = 0;
	for (; *s && n + 1 < size; s++)
		if (*s != ' ')
			compact[n++] = *s;
	compact[n] = '\0';
	if (n < 3 || n > 4 || strncasecmp(compact, "MC", 2) != 0)
		return false;
	for (size_t i = 2; i < n; i++)
		if (!isdigit((unsigned char)compact[i]))
			return false;
	return true;
}

/* The code of the RMC region called `name` (folded), or NULL. */
static int rmc_code_of_name(struct store *s, const char *name, char **code, struct err *e)
{
	struct buf want = BUF_INIT, have = BUF_INIT;
	struct stmt *st;
	*code = NULL;
	utf8_fold(&want, name);
	if (store_prepare(s, rmc_names_sql, &st, e) < 0) {
		buf_release(&want);
		return -1;
	}
	int rc = STORE_DONE;
	while (!*code && (rc = stmt_step(st, e)) == STORE_ROW) {
		buf_reset(&have);
		utf8_fold(&have, stmt_text(st, 1));
		if (want.len && strcmp(want.data, have.data) == 0)
			*code = xstrdup(stmt_text(st, 0));
	}
	stmt_free(st);
	buf_release(&want);
	buf_release(&have);
	return rc < 0 ? -1 : 0;
}

int scan_region_normalise(struct store *s, const char *in, char **out, struct err *e)
{
	*out = NULL;
	if (check_text(in, "the region", true, SCAN_REGION_MAX, false, e) < 0)
		return -1;
	char compact[16];
	if (looks_like_rmc_code(in, compact, sizeof(compact))) {
		char code[REGION_CODE_SIZE];
		if (ident_region_code(compact, "MC", "region", code, e) < 0)
			return -1;
		*out = xstrdup(code);
		return 0;
	}
	char *name = collapse_blanks(in), *code;
	if (rmc_code_of_name(s, name, &code, e) < 0) {
		free(name);
		return -1;
	}
	if (code) {
		free(name);
		name = code;
	}
	*out = name;
	return 0;
}

void scan_split_partners(const char *text, char ***out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	const char *p = text ? text : "";
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *raw = xstrndup(p, len);
		char *name = collapse_blanks(raw);
		free(raw);
		if (*name) {
			XGROW(*out, cap, *n + 1);
			(*out)[(*n)++] = name;
		} else {
			free(name);
		}
		p += len + (end ? 1 : 0);
	}
}

void scan_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- scans -------------------------------------------------------------------------------- */

void scan_release(struct scan *scan)
{
	if (!scan)
		return;
	free(scan->region);
	free(scan->title);
	free(scan->created_at);
	free(scan->created_by);
	free(scan->created_by_org);
	free(scan->closed_at);
	free(scan->closed_by);
	memset(scan, 0, sizeof(*scan));
}

void scan_free_array(struct scan *scans, size_t n)
{
	for (size_t i = 0; i < n; i++)
		scan_release(&scans[i]);
	free(scans);
}

static void read_scan_row(struct stmt *st, struct scan *scan)
{
	scan->id = stmt_int64(st, 0);
	scan->region = scan_col_dup(st, 1);
	scan->title = scan_col_dup(st, 2);
	scan->closed = strcmp(stmt_text(st, 3), "closed") == 0;
	scan->created_at = scan_col_dup(st, 4);
	scan->created_by = scan_col_dup(st, 5);
	scan->created_by_org = scan_col_dup(st, 6);
	scan->closed_at = scan_col_dup(st, 7);
	scan->closed_by = scan_col_dup(st, 8);
}

static int check_actor(const struct access *who, struct err *e)
{
	if (!who || !who->actor || !*who->actor)
		return err_set(e, ERR_FORBIDDEN, "the scan needs to know who is acting");
	return 0;
}

int scan_create(struct store *s, const struct access *who, const char *region, const char *title,
		int64_t *id, struct err *e)
{
	char now[SCAN_TIME_SIZE], *code = NULL;
	scan_now(now);
	if (check_actor(who, e) < 0 ||
	    check_text(title, "the title", true, SCAN_TITLE_MAX, false, e) < 0 ||
	    scan_region_normalise(s, region, &code, e) < 0)
		return -1;
	char *clean_title = collapse_blanks(title);
	struct stmt *st;
	int rc = -1;
	if (store_prepare(s, insert_scan_sql, &st, e) < 0)
		goto done;
	stmt_bind_text(st, 1, code);
	stmt_bind_text(st, 2, clean_title);
	stmt_bind_text(st, 3, now);
	stmt_bind_text(st, 4, who->actor);
	stmt_bind_text(st, 5, who->organisation);
	rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		*id = stmt_int64(st, 0);
	else if (rc == STORE_DONE)
		rc = err_set(e, ERR_INTERNAL, "the new scan got no id");
	stmt_free(st);
done:
	free(code);
	free(clean_title);
	return rc < 0 ? -1 : 0;
}

int scan_get(struct store *s, int64_t id, struct scan *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	struct stmt *st;
	if (store_prepare(s, get_scan_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, id);
	int rc = stmt_step(st, e);
	if (rc == STORE_ROW)
		read_scan_row(st, out);
	else if (rc == STORE_DONE)
		rc = err_set(e, ERR_NOTFOUND, "no scan %lld", (long long)id);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int scan_list(struct store *s, const char *region, struct scan **out, size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	char *code = NULL;
	if (region && scan_region_normalise(s, region, &code, e) < 0)
		return -1;
	struct stmt *st;
	if (store_prepare(s, list_scans_sql, &st, e) < 0) {
		free(code);
		return -1;
	}
	stmt_bind_int64(st, 1, code != NULL);
	stmt_bind_text(st, 2, code ? code : "");
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(*out, cap, *n + 1);
		read_scan_row(st, &(*out)[(*n)++]);
	}
	stmt_free(st);
	free(code);
	if (rc < 0) {
		scan_free_array(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int scan_close(struct store *s, const struct access *who, int64_t id, struct err *e)
{
	char now[SCAN_TIME_SIZE];
	scan_now(now);
	if (check_actor(who, e) < 0 || store_begin(s, e) < 0)
		return -1;
	struct scan scan;
	struct stmt *st = NULL;
	if (scan_get(s, id, &scan, e) < 0)
		goto fail;
	bool closed = scan.closed;
	scan_release(&scan);
	if (closed) {
		err_set(e, ERR_CONFLICT, "scan %lld is closed already", (long long)id);
		goto fail;
	}
	if (scan_content_freeze(s, id, e) < 0 || store_prepare(s, close_scan_sql, &st, e) < 0)
		goto fail;
	stmt_bind_text(st, 1, now);
	stmt_bind_text(st, 2, who->actor);
	stmt_bind_int64(st, 3, id);
	if (stmt_step(st, e) < 0)
		goto fail;
	stmt_free(st);
	return store_commit(s, e);
fail:
	stmt_free(st);
	store_rollback(s);
	return -1;
}

/* ---- answers ------------------------------------------------------------------------------ */

static int check_partners(const struct scan_answer_input *in, struct err *e)
{
	if (in->npartners > SCAN_PARTNERS_MAX)
		return err_set(e, ERR_INVALID, "%zu partners given; at most %d are allowed",
			       in->npartners, SCAN_PARTNERS_MAX);
	for (size_t i = 0; i < in->npartners; i++) {
		char field[32];
		snprintf(field, sizeof(field), "partner %zu", i + 1);
		if (check_text(in->partners[i], field, true, SCAN_PARTNER_MAX, false, e) < 0)
			return -1;
	}
	return 0;
}

static int insert_partners(struct store *s, int64_t answer_id, const struct scan_answer_input *in,
			   struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, insert_partner_sql, &st, e) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; rc >= 0 && i < in->npartners; i++) {
		char *name = collapse_blanks(in->partners[i]);
		stmt_reset(st);
		stmt_bind_int64(st, 1, answer_id);
		stmt_bind_int64(st, 2, (int64_t)i + 1);
		stmt_bind_text(st, 3, name);
		rc = stmt_step(st, e);
		free(name);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int scan_answer(struct store *s, const struct access *who, int64_t scan_id,
		const struct scan_answer_input *in, int64_t *answer_id, struct err *e)
{
	char now[SCAN_TIME_SIZE];
	int level;
	scan_now(now);
	if (check_actor(who, e) < 0 || scan_level_parse(in->level, &level, e) < 0 ||
	    check_text(in->note, "the note", false, SCAN_NOTE_MAX, true, e) < 0 ||
	    check_partners(in, e) < 0)
		return -1;
	if (store_begin(s, e) < 0)
		return -1;
	struct scan scan;
	struct stmt *st = NULL;
	int64_t action_id, id;
	if (scan_get(s, scan_id, &scan, e) < 0)
		goto fail;
	bool closed = scan.closed;
	scan_release(&scan);
	if (closed) {
		err_set(e, ERR_CONFLICT, "scan %lld is closed: its answers no longer change",
			(long long)scan_id);
		goto fail;
	}
	if (scan_content_action_id(s, in->action, &action_id, e) < 0 ||
	    store_prepare(s, insert_answer_sql, &st, e) < 0)
		goto fail;
	stmt_bind_int64(st, 1, scan_id);
	stmt_bind_int64(st, 2, action_id);
	stmt_bind_text(st, 3, level_names[level]);
	stmt_bind_text(st, 4, in->note && *in->note ? in->note : NULL);
	stmt_bind_text(st, 5, who->actor);
	stmt_bind_text(st, 6, who->organisation);
	stmt_bind_text(st, 7, now);
	int rc = stmt_step(st, e);
	if (rc == STORE_DONE)
		err_set(e, ERR_INTERNAL, "the new answer got no id");
	if (rc != STORE_ROW)
		goto fail;
	id = stmt_int64(st, 0);
	stmt_free(st);
	st = NULL;
	if (insert_partners(s, id, in, e) < 0 || store_commit(s, e) < 0)
		goto fail;
	if (answer_id)
		*answer_id = id;
	return 0;
fail:
	stmt_free(st);
	store_rollback(s);
	return -1;
}

void scan_answer_release(struct scan_answer *a)
{
	if (!a)
		return;
	free(a->action_slug);
	free(a->note);
	scan_strings_free(a->partners, a->npartners);
	free(a->answered_by);
	free(a->answered_by_org);
	free(a->answered_at);
	int64_t action_id = a->action_id;
	memset(a, 0, sizeof(*a));
	a->action_id = action_id;
	a->level = SCAN_UNANSWERED;
}

void scan_answer_free_array(struct scan_answer *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		scan_answer_release(&a[i]);
	free(a);
}

static void read_answer_row(struct stmt *st, struct scan_answer *a)
{
	memset(a, 0, sizeof(*a));
	a->id = stmt_int64(st, 0);
	a->action_id = stmt_int64(st, 1);
	a->action_slug = scan_col_dup(st, 2);
	struct err ignored = ERR_INIT;
	if (scan_level_parse(stmt_text(st, 3), &a->level, &ignored) < 0)
		a->level = SCAN_UNANSWERED; /* the schema's CHECK keeps this from happening */
	a->note = scan_col_dup(st, 4);
	a->answered_by = scan_col_dup(st, 5);
	a->answered_by_org = scan_col_dup(st, 6);
	a->answered_at = scan_col_dup(st, 7);
}

/* Attach the partners of the scan's answers to those in `a` (sorted by id or not). */
static int attach_partners(struct store *s, int64_t scan_id, struct scan_answer *a, size_t n,
			   struct err *e)
{
	struct stmt *st;
	if (store_prepare(s, partners_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, scan_id);
	int rc;
	size_t hint = 0;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		int64_t id = stmt_int64(st, 0);
		if (hint >= n || a[hint].id != id)
			for (hint = 0; hint < n && a[hint].id != id; hint++)
				;
		if (hint == n)
			continue; /* a partner of an earlier answer */
		a[hint].partners = xrealloc(a[hint].partners,
					    (a[hint].npartners + 1) * sizeof(char *));
		a[hint].partners[a[hint].npartners++] = xstrdup(stmt_text(st, 1));
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int load_answers(struct store *s, const char *sql, int64_t scan_id, const char *slug,
			struct scan_answer **out, size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	struct stmt *st;
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, scan_id);
	if (sql == history_sql) {
		stmt_bind_int64(st, 2, slug != NULL);
		stmt_bind_text(st, 3, slug ? slug : "");
	}
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(*out, cap, *n + 1);
		read_answer_row(st, &(*out)[(*n)++]);
	}
	stmt_free(st);
	if (rc >= 0)
		rc = attach_partners(s, scan_id, *out, *n, e);
	if (rc < 0) {
		scan_answer_free_array(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int scan_answer_history(struct store *s, int64_t scan_id, const char *action_slug,
			struct scan_answer **out, size_t *n, struct err *e)
{
	struct scan scan;
	if (scan_get(s, scan_id, &scan, e) < 0)
		return -1;
	scan_release(&scan);
	return load_answers(s, history_sql, scan_id, action_slug, out, n, e);
}

int scan_current_answers(struct store *s, int64_t scan_id, struct scan_answer **out, size_t *n,
			 struct err *e)
{
	return load_answers(s, current_sql, scan_id, NULL, out, n, e);
}
