/*
 * Signals: the rules that find young people who need attention today, and which
 * organisation (role) must act (docs/signals.md). Each rule is one function,
 * signal_rule_<name>, that reads a person's timeline and status on a date with the
 * region's settings and proposes signals (struct signal_candidate) with their evidence.
 * The rules are pure: they do not touch the store, so they are tested with hand-written
 * timelines. lifecycle.c keeps the proposals as signals: raised once per rule, person,
 * episode and organisation; resolved when the situation ends; reopened when it returns;
 * dismissed with a reason or taken into a case by a person.
 *
 * Ownership: a struct signal_list owns its candidates; a struct signal_row array from
 * signal_list is freed with signal_rows_free.
 */
#ifndef SIGNALS_SIGNALS_H
#define SIGNALS_SIGNALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "signals/settings.h"
#include "status/status.h"
#include "store/store.h"
#include "util/err.h"

enum signal_rule {
	RULE_NEW_VSV,
	RULE_ABSOLUUT_VERZUIM,
	RULE_RELATIEF_VERZUIM,
	RULE_THUISZITTER,
	RULE_18_MIN_PLUS,
	RULE_LEAVER,
	RULE_NAZORG_CHECKPOINT,
	RULE_UIT_BEELD,
	RULE_VERWIJSINDEX_MATCH,
	RULE_COUNT
};

#define SIGNAL_EVIDENCE_MAX 12

/* One signal a rule proposes for one organisation. */
struct signal_candidate {
	enum signal_rule rule;
	char org_kind[16];  /* "municipality" or "school" */
	char org_ident[16]; /* GM0935, 14EK00 */
	char role[16];      /* the acting role: leerplicht, rmc, school, care, jobcoach */
	date_t episode;     /* the first day of the situation: part of the stable key */
	date_t actionable;  /* from when the organisation can act (due counts from here) */
	char extra[16];     /* distinguishes signals of one episode (a checkpoint: "m6") */
	char detail[256];   /* a JSON object of codes and dates */
	int64_t evidence[SIGNAL_EVIDENCE_MAX];
	int nevidence;
};

struct signal_list {
	struct signal_candidate *c;
	size_t n, cap;
};

void signal_list_release(struct signal_list *l);

/* What a rule reads: the person, their status on `on`, and the region's settings. */
struct rule_ctx {
	const struct timeline *t;
	const struct status *st;
	date_t on;
	const struct signal_settings *set;
	const char *rmc_municipality; /* the RMC region's lead municipality, "" when unknown */
	/* For the Verwijsindex match: the organisations with an open signal (or case) now,
	 * as "kind:ident/role", other than match signals. */
	const char *const *involved;
	size_t ninvolved;
	date_t *wake; /* lowered to the first day after `on` on which the outcome may change */
};

typedef void signal_rule_fn(const struct rule_ctx *rc, struct signal_list *out);

/* The rules: see each function's comment and docs/signals.md for basis, settings, role. */
signal_rule_fn signal_rule_new_vsv;
signal_rule_fn signal_rule_absoluut_verzuim;
signal_rule_fn signal_rule_relatief_verzuim_threshold;
signal_rule_fn signal_rule_thuiszitter;
signal_rule_fn signal_rule_18_min_plus;
signal_rule_fn signal_rule_leaver_without_destination;
signal_rule_fn signal_rule_nazorg_checkpoint;
signal_rule_fn signal_rule_uit_beeld;
signal_rule_fn signal_rule_verwijsindex_match;

/* A rule's name as stored and given on the command line ("new_vsv", …). */
const char *signal_rule_name(enum signal_rule r);
int signal_rule_parse(const char *name, enum signal_rule *out, struct err *e);
signal_rule_fn *signal_rule_function(enum signal_rule r);

/*
 * Run every rule but the Verwijsindex match on one person (rc->st computed by the caller);
 * the candidates are appended to `out`. The match needs the states of the stored signals,
 * so lifecycle.c runs it afterwards with rc->involved filled.
 */
void signals_evaluate(const struct rule_ctx *base, struct signal_list *out);

/* The stable key of a candidate for person `person_id`: rule|person|episode|org|role|extra. */
void signal_key(const struct signal_candidate *c, int64_t person_id, char *out, size_t size);

/* ---- lifecycle.c -------------------------------------------------------------------------- */

struct signal_run_stats {
	bool full;
	long persons, raised, resolved, reopened, updated, open;
	int64_t max_import;
	double seconds;
};

/*
 * Evaluate the rules on `on` for every person (full) or only for the persons whose records
 * changed since the last run or whose next check day has come, and keep the signals:
 * raise new ones, resolve those whose situation ended, reopen resolved ones whose
 * situation returned. One transaction; audited as "signals.run".
 */
int signals_run(struct store *s, const struct access *who, date_t on, bool full,
                struct signal_run_stats *stats, struct err *e);

/* How a run reads; signals_run takes the defaults. The outcome is the same whatever they are. */
struct signal_run_opts {
	bool full;         /* every person, not only the changed ones */
	int threads;       /* a full run's threads: 1 reads, evaluates and keeps in turn on the
	                    * store's connection; 2 or 3 read and evaluate in 1 or 2 threads of
	                    * their own, on connections of their own; 0: SIGNALS_THREADS */
	int block_persons; /* person ids read per block; 0: 20,000 */
};

#define SIGNALS_THREADS 3

int signals_run_opts(struct store *s, const struct access *who, date_t on,
                     const struct signal_run_opts *o, struct signal_run_stats *stats,
                     struct err *e);

/* A signal as listed. */
struct signal_row {
	int64_t id;
	char rule[32], pkey[72], org[40], role[16], region[8], episode[DATE_STR_SIZE];
	char state[12], raised_on[DATE_STR_SIZE], due_on[DATE_STR_SIZE];
	char resolved_on[DATE_STR_SIZE];
	int reopened;
	bool overdue;
	char *detail, *evidence, *reason; /* owned; JSON texts and the dismissal reason */
};

struct signal_filter {
	const char *org_kind, *org_ident; /* NULL: every organisation */
	unsigned roles;                   /* ROLE_* bits the viewer holds; 0: every role */
	const char *rule;                 /* NULL: every rule */
	const char *pkey;                 /* NULL: every person */
	bool open_only;                   /* open and in_case only */
	date_t today;                     /* for the overdue mark */
	long limit, offset;               /* limit 0: all */
};

/* The signals that match `f`, newest first, audited as "signals.list". */
int signal_list(struct store *s, const struct access *who, const struct signal_filter *f,
                struct signal_row **out, size_t *n, struct err *e);
void signal_rows_free(struct signal_row *rows, size_t n);

/* Dismiss open signal `id` with a reason (required). ERR_NOTFOUND, ERR_CONFLICT if not open. */
int signal_dismiss(struct store *s, const struct access *who, int64_t id, const char *reason,
                   struct err *e);

/* Take open signal `id` into a case: state in_case (the case module links it). */
int signal_take_into_case(struct store *s, const struct access *who, int64_t id, struct err *e);

#endif
