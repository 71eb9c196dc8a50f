/*
 * What the files of the scan module share: the look at the knowledge platform's content
 * (scan-content.c, the one place with SQL against the tables of migration 0002), timestamps
 * and the current answers.
 */
#ifndef SCAN_SCAN_INTERNAL_H
#define SCAN_SCAN_INTERNAL_H

#include "scan/scan.h"

#define SCAN_TIME_SIZE 21 /* "YYYY-MM-DDTHH:MM:SSZ" */

/* Now, in UTC, as "YYYY-MM-DDTHH:MM:SSZ". */
void scan_now(char out[SCAN_TIME_SIZE]);

/*
 * The themes and actions a scan covers, with titles in `lang`: for a closed scan those kept
 * when it was closed, for an open one the published ones. Fills the identity fields of the
 * theme profiles and action rows (id, slug, title, theme index); everything else is zero, and
 * each row's answer is unanswered.
 */
int scan_content_load(struct store *s, const struct scan *scan, const char *lang,
		      struct scan_theme_profile **themes, size_t *nthemes,
		      struct scan_action_row **actions, size_t *nactions, struct err *e);

/* Free what scan_content_load filled (with the answers put into the rows since). */
void scan_content_release(struct scan_theme_profile *themes, size_t nthemes,
			  struct scan_action_row *actions, size_t nactions);

/* The id of the published action `slug`; ERR_NOTFOUND naming it. */
int scan_content_action_id(struct store *s, const char *slug, int64_t *id, struct err *e);

/* Keep the published actions of the moment as the coverage of closed scan `scan_id`. */
int scan_content_freeze(struct store *s, int64_t scan_id, struct err *e);

/*
 * The published practices linked to the action, or, when there are none, to the theme
 * (*of_theme then true), by name.
 */
int scan_content_practices(struct store *s, int64_t action_id, int64_t theme_id,
			   const char *lang, struct scan_practice **out, size_t *n, bool *of_theme,
			   struct err *e);

void scan_practice_free_array(struct scan_practice *p, size_t n);

/* The latest answer per action of a scan, ordered by action id, with their partners. */
int scan_current_answers(struct store *s, int64_t scan_id, struct scan_answer **out, size_t *n,
			 struct err *e);

/* A copy of a nullable text column. */
char *scan_col_dup(struct stmt *st, int col);

#endif
