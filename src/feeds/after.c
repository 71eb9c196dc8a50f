/*
 * What follows an import that committed (see feeds.h): the incremental run of the signal
 * rules, the same after a file and after records posted to the API.
 */
#include "feeds/feeds.h"

#include "signals/signals.h"
#include "util/date.h"

/* One key for the runs that follow imports, in the advisory-lock space of the server. */
static const char pg_lock_sql[] =
    "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(current_database() || '.' ||"
    " current_schema() || ' inbeeld-signals-after-import'))) x";

int feed_signals_after(struct store *s, const struct access *who, struct signal_run_stats *st,
                       struct err *e)
{
	/* The run's own transaction nests in this one, which holds the lock to its end. */
	if (store_begin(s, e) < 0)
		return -1;
	if (store_backend(s) == STORE_POSTGRES) {
		int64_t ignored;
		if (store_query_int64(s, pg_lock_sql, &ignored, e) < 0)
			goto fail;
	}
	if (signals_run(s, who, date_today(), false, st, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return -1;
}
