/*
 * The self-scan (implementatiescan) of the knowledge platform (docs/selfscan.md): a region
 * scores, per theme and per action, where its approach stands, and gets back a profile per
 * theme, the actions to take next with the practices that fit them, and the change since its
 * previous scan.
 *
 * A scan belongs to a region (an RMC region code such as MC39, or a name) and is open until it
 * is closed. While open, several partners answer it together: one answer per action, with a
 * level (not_started, planned, in_progress, embedded: scores 0 to 3), a note and the partners
 * involved. Answers are never overwritten: a new answer to the same action is added, the
 * latest counts, and the earlier ones stay as the history of who answered what. Closing a scan
 * freezes it, with the set of actions it covered.
 *
 * Participants are identified by the acting identity (struct access), kept as text, until
 * accounts exist.
 *
 * Ownership: every struct filled here owns its strings and arrays; free it with the matching
 * *_release or *_free_array function. Strings passed in are borrowed.
 * Errors: ERR_INVALID (bad input, naming the field and the rule), ERR_NOTFOUND (no such scan
 * or published action), ERR_CONFLICT (the scan is closed).
 */
#ifndef SCAN_SCAN_H
#define SCAN_SCAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

enum scan_level {
	SCAN_UNANSWERED = -1,
	SCAN_NOT_STARTED = 0,
	SCAN_PLANNED = 1,
	SCAN_IN_PROGRESS = 2,
	SCAN_EMBEDDED = 3,
};
#define SCAN_LEVELS 4 /* the answered levels, 0 … 3; the score of a level is its number */

#define SCAN_TITLE_MAX 200
#define SCAN_REGION_MAX 120
#define SCAN_NOTE_MAX 4000
#define SCAN_PARTNER_MAX 200
#define SCAN_PARTNERS_MAX 50

/* "not_started" … "embedded", or "unanswered". */
const char *scan_level_name(int level);

/*
 * Parse a level: not_started, planned, in_progress, embedded (also with '-' for '_').
 * ERR_INVALID naming the value and the levels allowed.
 */
int scan_level_parse(const char *text, int *level, struct err *e);

/*
 * Normalise a region: an RMC region code ("MC39", "mc 39") becomes "MC39"; a name is trimmed,
 * its blanks collapsed, and replaced by its code when an RMC region of the store has that name
 * (compared without case and accents). *out is owned by the caller.
 */
int scan_region_normalise(struct store *s, const char *in, char **out, struct err *e);

struct scan {
	int64_t id;
	char *region;
	char *title;
	bool closed;
	char *created_at; /* "YYYY-MM-DDTHH:MM:SSZ" */
	char *created_by;
	char *created_by_org; /* may be NULL */
	char *closed_at;      /* NULL while open */
	char *closed_by;
};

void scan_release(struct scan *scan);
void scan_free_array(struct scan *scans, size_t n);

/* Open a new scan for `region` with `title`, created by `who`. *id gets its id. */
int scan_create(struct store *s, const struct access *who, const char *region, const char *title,
		int64_t *id, struct err *e);

int scan_get(struct store *s, int64_t id, struct scan *out, struct err *e);

/* The scans of a region (all when `region` is NULL), the newest first. */
int scan_list(struct store *s, const char *region, struct scan **out, size_t *n, struct err *e);

/*
 * Close an open scan: its answers are final, and the published actions of the moment are kept
 * as the scan's coverage. ERR_CONFLICT when it is closed already.
 */
int scan_close(struct store *s, const struct access *who, int64_t id, struct err *e);

/* An answer as given; strings borrowed. */
struct scan_answer_input {
	const char *action; /* the action's slug */
	const char *level;  /* see scan_level_parse */
	const char *note;   /* may be NULL */
	const char *const *partners; /* organisation names */
	size_t npartners;
};

/*
 * Answer (or answer again) an action of an open scan, as `who`. The earlier answer stays in
 * the history. *answer_id (may be NULL) gets the new answer's id.
 */
int scan_answer(struct store *s, const struct access *who, int64_t scan_id,
		const struct scan_answer_input *in, int64_t *answer_id, struct err *e);

/* Split "A, B,C" at commas into trimmed, non-empty names (owned; free with scan_strings_free). */
void scan_split_partners(const char *text, char ***out, size_t *n);
void scan_strings_free(char **v, size_t n);

struct scan_answer {
	int64_t id; /* 0: unanswered */
	int64_t action_id;
	char *action_slug;
	int level;
	char *note;
	char **partners;
	size_t npartners;
	char *answered_by;
	char *answered_by_org;
	char *answered_at;
};

void scan_answer_release(struct scan_answer *a);
void scan_answer_free_array(struct scan_answer *a, size_t n);

/* An answer as JSON (a new reference). */
json_t *scan_answer_json(const struct scan_answer *a);

/* Every answer given in a scan, to one action (by slug) or to all (NULL), oldest first. */
int scan_answer_history(struct store *s, int64_t scan_id, const char *action_slug,
			struct scan_answer **out, size_t *n, struct err *e);

/* ---- the report: profile, recommendations, comparison ------------------------------------- */

struct scan_practice {
	char *slug;
	char *name;
	char *region;
};

struct scan_theme_profile {
	int64_t theme_id;
	char *slug;
	char *title;
	size_t nactions;
	size_t answered;
	size_t counts[SCAN_LEVELS]; /* actions answered at each level */
	double score;               /* 0–100: the mean level over all the theme's actions */
	double answered_share;      /* 0–1 */
	bool has_previous;          /* the previous scan covered this theme */
	double previous_score;
	double change; /* score − previous_score */
};

struct scan_action_row {
	int64_t action_id;
	char *slug;
	char *title;
	size_t theme;              /* index into the report's themes */
	struct scan_answer answer; /* id 0 and level SCAN_UNANSWERED when not answered */
	int previous_level;        /* SCAN_UNANSWERED when no previous answer */
	bool has_change;           /* answered in both scans */
	int change;                /* level − previous_level */
};

struct scan_recommendation {
	size_t action; /* index into the report's actions */
	struct scan_practice *practices;
	size_t npractices;
	bool practices_of_theme; /* none linked to the action: these are the theme's */
};

struct scan_report {
	struct scan scan;
	char lang[3];
	struct scan_theme_profile *themes; /* in the themes' order */
	size_t nthemes;
	struct scan_action_row *actions; /* by theme, in the actions' order */
	size_t nactions;
	double score; /* region-wide: the mean of the theme scores */
	struct scan_recommendation *recs;
	size_t nrecs;
	bool has_previous;
	struct scan previous;
	double previous_score;
};

/*
 * Build the report of a scan, with titles in `lang` ("nl" or "en"):
 *   - per theme, score = 100 × (sum of the levels of its answered actions) / (3 × number of
 *     its actions): an unanswered action counts as not started; the count per level and the
 *     share answered;
 *   - the region's score, the mean of the theme scores (themes without actions left out);
 *   - the recommendations: the actions answered planned or not_started, ordered by theme score
 *     (lowest first; ties by theme order), then planned before not_started, then the action's
 *     order; each with the practices linked to the action, or to its theme when none are;
 *   - the comparison with the region's previous closed scan: the latest closed scan of the
 *     same region created before this one.
 */
int scan_report_build(struct store *s, int64_t scan_id, const char *lang,
		      struct scan_report *out, struct err *e);
void scan_report_release(struct scan_report *r);

/* The report as JSON (a new reference). */
json_t *scan_report_json(const struct scan_report *r);

/*
 * The report as a printable HTML page (a whole document): the profile with an inline SVG bar
 * chart per theme, the recommendations, the comparison and the answers. Every text is
 * escaped. Appends to `out`.
 */
void scan_report_html(const struct scan_report *r, struct buf *out);

#endif
