/*
 * The enrolments feed (DUO's 1-October picture, docs/feeds.md): one row per enrolment at a
 * school location, level and start date. Its events are not written but derived from the
 * stored records when a timeline is read (feed_enrolment_events): enrolled on the start,
 * left_school on the end (with the reason, or not_delivered for a running enrolment that a
 * later snapshot no longer held), changed_school where an enrolment that ended with
 * `overstap` is followed within three months by one at another school, changed_level where
 * the next one is at the same school. The bulk feed of the region thus costs one row per
 * enrolment, and a correction of an enrolment corrects its events too.
 */
#include "feeds/feed-internal.h"
#include "status/status.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum {
	C_BSN,
	C_BRIN,
	C_VESTIGING,
	C_SCHOOL_TYPE,
	C_LEVEL,
	C_CREBO,
	C_START,
	C_END,
	C_REASON,
	C_COUNT
};

static const char *const columns[C_COUNT] = {
    "bsn",   "brin",       "vestiging", "school_type", "level",
    "crebo", "start_date", "end_date",  "end_reason",
};

#define REQUIRED                                                                                   \
	(1u << C_BSN | 1u << C_BRIN | 1u << C_VESTIGING | 1u << C_SCHOOL_TYPE | 1u << C_LEVEL |    \
	 1u << C_START)

static const char *const school_types[] = {"VO", "VSO", "PrO", "mbo", NULL};

static const char *const levels_vo[] = {"vmbo-b", "vmbo-k", "vmbo-t", "havo", "vwo", NULL};
static const char *const levels_vso[] = {"vervolgonderwijs", "arbeidsmarkt", "dagbesteding", NULL};
static const char *const levels_pro[] = {"arbeidsmarkt", "vervolgonderwijs", NULL};
static const char *const levels_mbo[] = {"mbo-1", "mbo-2", "mbo-3", "mbo-4", NULL};
static const char *const *const levels_by_type[] = {levels_vo, levels_vso, levels_pro, levels_mbo};

static const char *const reasons[] = {"diploma",    "overstap",   "uitval", "uitstroom",
                                      "verhuizing", "overlijden", NULL};

/* How long after an overstap the next enrolment may start and still count as its follow-up. */
#define OVERSTAP_DAYS 92

static bool listed(const char *list, const char *item)
{
	if (strcmp(item, "mbo-1") == 0)
		item = "entree";
	else if (strcmp(item, "arbeidsmarkt") == 0 && strstr(list, "pro"))
		item = "pro";
	else if (strcmp(item, "vervolgonderwijs") == 0 && strstr(list, "pro"))
		item = "pro";
	size_t n = strlen(item);
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, item, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static void parse(struct feed_ctx *c)
{
	char school[BRIN_SIZE], crebo[CREBO_SIZE] = "";
	date_t start, end;
	feed_bsn(c, C_BSN);
	feed_school(c, C_BRIN, C_VESTIGING, true, school);
	int type = feed_code(c, C_SCHOOL_TYPE, true, school_types);
	int level = type >= 0 ? feed_code(c, C_LEVEL, true, levels_by_type[type]) : -1;
	if (type < 0 && feed_required(c, C_LEVEL) == 0)
		level = 0;
	if (type == 3)
		feed_ident(c, C_CREBO, true, ident_crebo, crebo);
	else if (feed_val(c, C_CREBO))
		feed_reject(c, C_CREBO, "given for school type %s (rule: a crebo only for mbo)",
		            feed_val(c, C_SCHOOL_TYPE));
	feed_date(c, C_START, true, DATE_NOT_FUTURE, &start);
	feed_date(c, C_END, false, DATE_NOT_FUTURE, &end);
	feed_date_order(c, C_END, start, end);
	int reason = feed_code(c, C_REASON, false, reasons);
	if (end != DATE_NONE && reason == -2)
		feed_reject(c, C_REASON, "empty (rule: an ended enrolment has an end_reason)");
	if (end == DATE_NONE && reason >= 0)
		feed_reject(c, C_REASON,
		            "given without end_date (rule: only an ended enrolment "
		            "has an end_reason)");
	if (c->nerrors)
		return;
	const char *offered;
	const char *stype = feed_school_type(c, school, &offered);
	if (stype && strcmp(stype, feed_val(c, C_SCHOOL_TYPE)) != 0)
		feed_reject(c, C_SCHOOL_TYPE,
		            "the school %s is %s (rule: the school type of the "
		            "location in the registry)",
		            school, stype);
	else if (offered && *offered && !listed(offered, feed_val(c, C_LEVEL)))
		feed_reject(c, C_LEVEL,
		            "not offered by school %s (rule: a level the location "
		            "offers: %.80s)",
		            school, offered);
	(void)level;
	if (c->nerrors)
		return;
	char s[DATE_STR_SIZE];
	buf_adds(&c->key, school);
	buf_addch(&c->key, '|');
	buf_adds(&c->key, feed_val(c, C_LEVEL));
	buf_addch(&c->key, '|');
	buf_add(&c->key, feed_date_text(start, s), DATE_STR_SIZE - 1);
	feed_json_begin(&c->content);
	feed_json_text(&c->content, "school", school);
	feed_json_text(&c->content, "school_type", feed_val(c, C_SCHOOL_TYPE));
	feed_json_text(&c->content, "level", feed_val(c, C_LEVEL));
	feed_json_text(&c->content, "crebo", crebo);
	feed_json_text(&c->content, "end_reason", feed_val(c, C_REASON));
	feed_json_end(&c->content);
	/* The start and end are the record's validity, not repeated in its content: the
	 * region's bulk feed writes a million of these rows (migration 0008). */
	feed_set_validity(c, start, end);
}

/* ---- the events, derived from the records ---------------------------------------------- */

static const char records_sql[] =
    "SELECT content, valid_from, valid_to, first_import, last_import, ended_import, source"
    " FROM feed_records WHERE person_id = ? AND feed = 'enrolments' ORDER BY valid_from, id";

/* One enrolment of a person, as stored. */
struct enrolment {
	char school[8], level[32], school_type[8], reason[16]; /* as in struct tl_record, or wider */
	char from[DATE_STR_SIZE], to[DATE_STR_SIZE], source[FEED_SOURCE_SIZE];
	date_t start, end; /* end: DATE_NONE while running */
	int64_t first_import, last_import, ended_import;
};

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* The content is read by the status module's parser of what the importer writes (parse
 * above): the codes come from fixed lists and the school is a checked BRIN, so they fit its
 * fields and need no unescaping. A content it does not take leaves them empty. */
static void enrolment_from_row(struct stmt *st, struct enrolment *en)
{
	struct err ignored = ERR_INIT;
	struct tl_record r;
	memset(en, 0, sizeof(*en));
	if (tl_record_parse(&r, 0, "enrolments", stmt_text(st, 0), NULL, NULL, &ignored) == 0) {
		copy(en->school, sizeof(en->school), r.school);
		copy(en->level, sizeof(en->level), r.level);
		copy(en->school_type, sizeof(en->school_type), r.school_type);
		copy(en->reason, sizeof(en->reason), r.reason);
	}
	copy(en->from, sizeof(en->from), stmt_text(st, 1));
	copy(en->to, sizeof(en->to), stmt_text(st, 2));
	en->first_import = stmt_int64(st, 3);
	en->last_import = stmt_int64(st, 4);
	en->ended_import = stmt_is_null(st, 5) ? 0 : stmt_int64(st, 5);
	copy(en->source, sizeof(en->source), stmt_text(st, 6));
	if (date_parse(en->from, &en->start, &ignored) < 0)
		en->start = DATE_NONE;
	if (!en->to[0] || date_parse(en->to, &en->end, &ignored) < 0)
		en->end = DATE_NONE;
}

static struct feed_event *add_event(struct feed_event **out, size_t *n, size_t *cap,
                                    const struct enrolment *en, const char *date, const char *kind,
                                    const char *code, int64_t import_id)
{
	XGROW(*out, *cap, *n + 1);
	struct feed_event *ev = &(*out)[(*n)++];
	memset(ev, 0, sizeof(*ev));
	copy(ev->date, sizeof(ev->date), date);
	copy(ev->kind, sizeof(ev->kind), kind);
	copy(ev->feed, sizeof(ev->feed), "enrolments");
	copy(ev->source, sizeof(ev->source), en->source);
	copy(ev->org, sizeof(ev->org), en->school);
	copy(ev->code, sizeof(ev->code), code);
	ev->import_id = import_id;
	return ev;
}

/*
 * Where an enrolment that ended with overstap led: the next enrolment starting within
 * OVERSTAP_DAYS at another school (changed_school) or at the same one (changed_level).
 */
static const char *overstap_kind(const struct enrolment *list, size_t n, size_t i)
{
	const char *kind = "left_school";
	for (size_t j = 0; j < n; j++) {
		if (j == i || list[j].start == DATE_NONE || list[j].start < list[i].end ||
		    list[j].start > list[i].end + OVERSTAP_DAYS)
			continue;
		if (strcmp(list[j].school, list[i].school) != 0)
			return "changed_school";
		kind = "changed_level";
	}
	return kind;
}

static void derive(const struct enrolment *list, size_t n, struct feed_event **out, size_t *count,
                   size_t *cap)
{
	for (size_t i = 0; i < n; i++) {
		const struct enrolment *en = &list[i];
		struct feed_event *ev;
		if (en->start != DATE_NONE) {
			ev = add_event(out, count, cap, en, en->from, "enrolled", en->level,
			               en->first_import);
			ev->detail = xasprintf("{\"school_type\":\"%s\"}", en->school_type);
		}
		if (en->end == DATE_NONE)
			continue;
		if (en->reason[0]) {
			const char *kind = strcmp(en->reason, "overstap") == 0
			                       ? overstap_kind(list, n, i)
			                       : "left_school";
			ev = add_event(out, count, cap, en, en->to, kind, en->reason,
			               en->last_import);
		} else if (en->ended_import) {
			/* Running, then missing from a later 1-October picture. */
			ev = add_event(out, count, cap, en, en->to, "left_school", "not_delivered",
			               en->ended_import);
		} else {
			continue;
		}
		ev->detail = xasprintf("{\"level\":\"%s\"}", en->level);
	}
}

int feed_enrolment_events(struct store *s, int64_t person_id, struct feed_event **out, size_t *n,
                          size_t *cap, struct err *e)
{
	struct stmt *st;
	struct enrolment *list = NULL;
	size_t count = 0, list_cap = 0;
	if (store_prepare(s, records_sql, &st, e) < 0)
		return -1;
	stmt_bind_int64(st, 1, person_id);
	int rc;
	while ((rc = stmt_step(st, e)) == STORE_ROW) {
		XGROW(list, list_cap, count + 1);
		enrolment_from_row(st, &list[count++]);
	}
	stmt_free(st);
	if (rc == 0)
		derive(list, count, out, n, cap);
	free(list);
	return rc < 0 ? -1 : 0;
}

const struct feed_def feed_enrolments = {
    .name = "enrolments",
    .mode = FEED_SNAPSHOT,
    .columns = columns,
    .ncolumns = C_COUNT,
    .required = REQUIRED,
    .bsn_column = C_BSN,
    .key_has_person = true,
    .parse = parse,
    .derived = true,
};
