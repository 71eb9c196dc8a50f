/*
 * inbeeld import FEED FILE --source ORG --as-of DATE [--mode snapshot|delta] [--accept-valid]
 *                [--rescan] [--no-wait] [--json]
 * inbeeld import all DIR [--accept-valid] [--json]
 * inbeeld import list [--limit N] [--json]
 * inbeeld import show ID [--json]
 * inbeeld import token add --source ORG --feed FEED [--json]
 * inbeeld import token list [--json]
 * inbeeld import token revoke ID
 *
 * Import the partners' files (docs/feeds.md, "Importing") through the feeds engine, which
 * validates every row, imports a file wholly or not at all, and turns what changed into
 * events on each young person's timeline. Errors are listed on standard error, one per line,
 * naming file, line, column, field, value (a BSN masked) and rule.
 */
#include "access/access.h"
#include "cli/commands.h"
#include "feeds/feeds.h"
#include "registry/org.h"
#include "signals/signals.h"
#include "util/csv.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- output ------------------------------------------------------------------------------- */

static json_t *result_json(const struct feed_result *r)
{
	json_t *errors = json_array();
	for (size_t i = 0; i < r->nerrors; i++) {
		const struct feed_error *fe = &r->errors[i];
		json_array_append_new(errors,
		                      json_pack("{s:I, s:i, s:s, s:s, s:s}", "line",
		                                (json_int_t)fe->line, "column", fe->column, "field",
		                                fe->field, "value", fe->value, "rule", fe->rule));
	}
	json_t *o = json_pack(
	    "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:I, s:f}",
	    "import_id", (json_int_t)r->import_id, "feed", r->feed, "source", r->source, "mode",
	    r->mode, "as_of", r->as_of, "file", r->file, "sha256", r->hash, "status",
	    r->status ? r->status : "failed", "rows", (json_int_t)r->rows, "new",
	    (json_int_t)r->n_new, "changed", (json_int_t)r->n_changed, "ended",
	    (json_int_t)r->n_ended, "unchanged", (json_int_t)r->n_unchanged, "rejected",
	    (json_int_t)r->n_rejected, "persons_created", (json_int_t)r->persons_created,
	    "persons_updated", (json_int_t)r->persons_updated, "events", (json_int_t)r->events,
	    "seconds", r->seconds);
	if (r->same_as)
		json_object_set_new(o, "same_as_import", json_integer(r->same_as));
	json_object_set_new(o, "rejected_file",
	                    r->rejected_path[0] ? json_string(r->rejected_path) : json_null());
	json_object_set_new(o, "errors", errors);
	json_object_set_new(o, "errors_total", json_integer(r->total_errors));
	return o;
}

/* One line per error on standard error: "FILE, line N, column C (field), value 'V': rule". */
static void print_errors(const struct feed_result *r)
{
	for (size_t i = 0; i < r->nerrors; i++) {
		const struct feed_error *fe = &r->errors[i];
		fprintf(stderr, "%s, line %ld", r->file, fe->line);
		if (fe->column)
			fprintf(stderr, ", column %d", fe->column);
		if (fe->field[0])
			fprintf(stderr, " (%s)", fe->field);
		if (fe->value[0])
			fprintf(stderr, ", value '%s'", fe->value);
		fprintf(stderr, ": %s\n", fe->rule);
	}
	if (r->total_errors > (long)r->nerrors)
		fprintf(stderr, "… and %ld more errors\n", r->total_errors - (long)r->nerrors);
}

static void print_result(const struct feed_result *r)
{
	printf("import %" PRId64 ": %s from %s as of %s (%s), %s\n", r->import_id, r->feed,
	       r->source, r->as_of, r->mode, r->file);
	if (r->same_as) {
		printf("  unchanged: the same content as import %" PRId64 " (sha256 %s); nothing "
		       "changed\n",
		       r->same_as, r->hash);
		return;
	}
	printf("  rows %ld: new %ld, changed %ld, ended %ld, unchanged %ld, rejected %ld\n",
	       r->rows, r->n_new, r->n_changed, r->n_ended, r->n_unchanged, r->n_rejected);
	printf("  persons created %ld, updated %ld; events %ld\n", r->persons_created,
	       r->persons_updated, r->events);
	printf("  sha256 %s; %.2f s (%.0f rows/s)\n", r->hash, r->seconds,
	       r->seconds > 0 ? r->rows / r->seconds : 0.0);
	if (r->rejected_path[0])
		printf("  rejected rows and their reasons: %s\n", r->rejected_path);
}

/* ---- import FEED FILE --------------------------------------------------------------------- */

/* Import one file and report it; *json_out (when not NULL) receives the result object. */
static int import_one(struct cli *cli, struct feed_options *o, const char *path, json_t **json_out)
{
	struct access who;
	struct feed_result r;
	struct feed_progress progress;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	access_cli_operator(&who);
	feed_progress_init(&progress, base, isatty(STDERR_FILENO) == 1);
	o->progress = feed_progress_show;
	o->progress_arg = &progress;
	int rc = feed_import_file(cli->store, &cli->keys, &who, o, path, &r, &cli->err);
	print_errors(&r);
	if (json_out)
		*json_out = result_json(&r);
	else if (rc == 0)
		print_result(&r);
	feed_result_release(&r);
	return rc;
}

/*
 * After data came in, the signal rules look again at the persons whose records changed
 * (docs/signals.md): every import is followed by an incremental run, unless --no-signals.
 */
static int signals_after_import(struct cli *cli, bool skip)
{
	if (skip)
		return 0;
	struct access who;
	struct signal_run_stats st;
	access_cli_operator(&who);
	if (feed_signals_after(cli->store, &who, &st, &cli->err) < 0)
		return err_prefix(&cli->err, "imported, but the signal rules did not run");
	if (!cli->json)
		printf("signals: %ld persons looked at, %ld raised, %ld resolved, %ld reopened; "
		       "%ld open\n",
		       st.persons, st.raised, st.resolved, st.reopened, st.open);
	return 0;
}

static int import_feed_cmd(struct cli *cli, int argc, char **argv)
{
	struct feed_options o = {.wait = true};
	bool no_wait = false, no_signals = false;
	const struct cli_opt opts[] = {
	    {"no-signals", OPT_FLAG, &no_signals, NULL,
	     "do not run the signal rules over the changed persons afterwards"},
	    {"source", OPT_STRING, &o.source, "ORG",
	     "the delivering organisation as kind:ident, e.g. duo:DUO (required)"},
	    {"as-of", OPT_STRING, &o.as_of, "DATE", "the date the file is true on (required)"},
	    {"mode", OPT_STRING, &o.mode, "MODE",
	     "snapshot or delta (default: the feed's usual mode, docs/feeds.md)"},
	    {"accept-valid", OPT_FLAG, &o.accept_valid, NULL,
	     "import the valid rows; write the rejected ones to FILE.rejected.csv"},
	    {"rescan", OPT_FLAG, &o.rescan, NULL,
	     "compare row by row even when the file equals the last import"},
	    {"no-wait", OPT_FLAG, &no_wait, NULL,
	     "fail instead of waiting for another import of the same source"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
	                   "import FEED FILE --source ORG --as-of DATE [--mode snapshot|delta] "
	                   "[--accept-valid] [--rescan] [--no-wait] [--json]",
	                   "Import a feed file: residence, enrolments, diplomas, absence, care, "
	                   "work or vrijstellingen (docs/feeds.md).\nOne transaction: the whole file or nothing; any "
	                   "invalid row rejects the file unless --accept-valid.",
	                   2, 2, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	o.feed = args[0];
	o.wait = !no_wait;
	if (!feed_known(o.feed, NULL))
		return cli_usage_error(cli,
		                       "'%s' is not a feed (residence, enrolments, diplomas, "
		                       "absence, care, work; or all, list, show, token)",
		                       o.feed);
	if (!o.source || !o.as_of)
		return cli_usage_error(cli, "--source and --as-of are required (see --help)");
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	json_t *j = NULL;
	rc = import_one(cli, &o, args[1], cli->json ? &j : NULL);
	if (j)
		cli_print_json(j);
	return rc < 0 ? -1 : signals_after_import(cli, no_signals);
}

/* ---- import all DIR ----------------------------------------------------------------------- */

enum { M_ORDER, M_FEED, M_FILE, M_SOURCE, M_MODE, M_AS_OF, M_COUNT };
static const char *const manifest_columns[M_COUNT] = {"order",  "feed", "file",
                                                      "source", "mode", "as_of"};

static int manifest_columns_of(struct cli *cli, struct csv_reader *m, int col[M_COUNT])
{
	for (int i = 0; i < M_COUNT; i++)
		if ((col[i] = csv_column(m, manifest_columns[i])) < 0)
			return err_set(
			    &cli->err, ERR_INVALID,
			    "%s, line 1: no column '%s' (rule: a manifest has the columns "
			    "order;feed;file;source;mode;as_of)",
			    csv_name(m), manifest_columns[i]);
	return 0;
}

static int import_organisations(struct cli *cli, const char *path, json_t *all)
{
	long count = 0;
	if (org_load(cli->store, path, &count, &cli->err) < 0)
		return -1;
	if (all)
		json_array_append_new(all, json_pack("{s:s, s:s, s:I, s:s}", "feed",
		                                     "organisations", "file", path, "rows",
		                                     (json_int_t)count, "status", "done"));
	else
		printf("organisations: %ld loaded from %s\n", count, path);
	return 0;
}

/* One row of the manifest: check it, then import the file it names. */
static int import_manifest_row(struct cli *cli, struct csv_reader *m, const int col[M_COUNT],
                               const char *dir, bool accept_valid, json_t *all)
{
	const char *feed = csv_field(m, (size_t)col[M_FEED]);
	const char *file = csv_field(m, (size_t)col[M_FILE]);
	if (!*file || strstr(file, "..") || file[0] == '/')
		return err_set(&cli->err, ERR_INVALID,
		               "%s, line %ld, column file: '%.60s' (rule: a file name inside the "
		               "manifest's directory)",
		               csv_name(m), csv_line(m), file);
	char *path = xasprintf("%s/%s", dir, file);
	int rc;
	if (strcmp(feed, "organisations") == 0) {
		rc = import_organisations(cli, path, all);
	} else if (!feed_known(feed, NULL)) {
		rc = err_set(&cli->err, ERR_INVALID,
		             "%s, line %ld, column feed: '%.30s' (rule: organisations, residence, "
		             "enrolments, diplomas, absence, care or work)",
		             csv_name(m), csv_line(m), feed);
	} else {
		struct feed_options o = {
		    .feed = feed,
		    .source = csv_field(m, (size_t)col[M_SOURCE]),
		    .as_of = csv_field(m, (size_t)col[M_AS_OF]),
		    .mode = csv_field(m, (size_t)col[M_MODE]),
		    .accept_valid = accept_valid,
		    .wait = true,
		};
		json_t *j = NULL;
		rc = import_one(cli, &o, path, all ? &j : NULL);
		if (j)
			json_array_append_new(all, j);
	}
	free(path);
	return rc;
}

static int import_all_cmd(struct cli *cli, int argc, char **argv)
{
	bool accept_valid = false, no_signals = false;
	const struct cli_opt opts[] = {
	    {"accept-valid", OPT_FLAG, &accept_valid, NULL,
	     "import the valid rows of each file; write the rejected ones beside it"},
	    {"no-signals", OPT_FLAG, &no_signals, NULL,
	     "do not run the signal rules over the changed persons afterwards"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "import all DIR [--accept-valid] [--json]",
	                   "Import every file that DIR/manifest.csv names, in its order: "
	                   "organisations first, then the feeds.\nStops at the first file that "
	                   "fails; the files before it stay imported.",
	                   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	const char *dir = args[0];
	char *manifest = xasprintf("%s/manifest.csv", dir);
	struct csv_reader *m = NULL;
	int col[M_COUNT];
	json_t *all = cli->json ? json_array() : NULL;
	rc = -1;
	if (csv_open(&m, manifest, &cli->err) < 0 || csv_read_header(m, &cli->err) < 0 ||
	    manifest_columns_of(cli, m, col) < 0)
		goto done;
	long last_order = 0;
	int got;
	while ((got = csv_read(m, &cli->err)) == 1) {
		long order = strtol(csv_field(m, (size_t)col[M_ORDER]), NULL, 10);
		if (order <= last_order) {
			err_set(&cli->err, ERR_INVALID,
			        "%s, line %ld, column order: %ld after %ld (rule: the files are "
			        "listed in import order)",
			        manifest, csv_line(m), order, last_order);
			goto done;
		}
		last_order = order;
		if (import_manifest_row(cli, m, col, dir, accept_valid, all) < 0)
			goto done;
	}
	rc = got < 0 ? -1 : signals_after_import(cli, no_signals);
done:
	if (all)
		cli_print_json(all);
	csv_close(m);
	free(manifest);
	return rc;
}

/* ---- list and show ------------------------------------------------------------------------ */

static json_t *info_json(const struct feed_import_info *x)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, "
	                 "s:I, s:I, s:I}",
	                 "id", (json_int_t)x->id, "feed", x->feed, "source", x->source, "mode",
	                 x->mode, "as_of", x->as_of, "file", x->file, "sha256", x->hash,
	                 "started_at", x->started_at, "finished_at", x->finished_at, "status",
	                 x->status, "duration_ms", (json_int_t)x->duration_ms, "rows",
	                 (json_int_t)x->rows, "new", (json_int_t)x->n_new, "changed",
	                 (json_int_t)x->n_changed, "ended", (json_int_t)x->n_ended, "unchanged",
	                 (json_int_t)x->n_unchanged, "rejected", (json_int_t)x->n_rejected);
}

static int import_list_cmd(struct cli *cli, int argc, char **argv)
{
	long limit = 0;
	const struct cli_opt opts[] = {
	    {"limit", OPT_INT, &limit, "N", "the newest N imports only"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "import list [--limit N] [--json]",
	                   "The imports, newest first: source, date, counts, duration, status.", 0,
	                   0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct feed_import_info *list;
	size_t n;
	if (cli_open(cli, CLI_STORE) < 0 ||
	    feed_import_list(cli->store, limit, &list, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, info_json(&list[i]));
		cli_print_json(a);
	} else {
		printf("%5s  %-10s %-22s %-8s %-10s %-9s %8s %7s %7s %7s %9s %8s %8s\n", "id",
		       "feed", "source", "mode", "as_of", "status", "rows", "new", "changed",
		       "ended", "unchanged", "rejected", "seconds");
		for (size_t i = 0; i < n; i++) {
			const struct feed_import_info *x = &list[i];
			printf("%5" PRId64 "  %-10s %-22s %-8s %-10s %-9s %8" PRId64 " %7" PRId64
			       " %7" PRId64 " %7" PRId64 " %9" PRId64 " %8" PRId64 " %8.2f\n",
			       x->id, x->feed, x->source, x->mode, x->as_of, x->status, x->rows,
			       x->n_new, x->n_changed, x->n_ended, x->n_unchanged, x->n_rejected,
			       x->duration_ms / 1000.0);
		}
	}
	free(list);
	return 0;
}

static int import_show_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "import show ID [--json]",
	                   "One import: source, date, counts, duration and the file's SHA-256.", 1,
	                   1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	int64_t id = 0;
	struct feed_import_info x;
	if (cli_parse_id(cli, args[0], "ID", &id) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    feed_import_get(cli->store, id, &x, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(info_json(&x));
		return 0;
	}
	printf("import:     %" PRId64 "\nfeed:       %s\nsource:     %s\nmode:       %s\n"
	       "as of:      %s\nfile:       %s\nsha256:     %s\nstatus:     %s\n"
	       "started:    %s\nfinished:   %s\nduration:   %.2f s\n",
	       x.id, x.feed, x.source, x.mode, x.as_of, x.file, x.hash, x.status, x.started_at,
	       x.finished_at[0] ? x.finished_at : "-", x.duration_ms / 1000.0);
	printf("rows:       %" PRId64 "\nnew:        %" PRId64 "\nchanged:    %" PRId64
	       "\nended:      %" PRId64 "\nunchanged:  %" PRId64 "\nrejected:   %" PRId64 "\n",
	       x.rows, x.n_new, x.n_changed, x.n_ended, x.n_unchanged, x.n_rejected);
	return 0;
}

/* ---- tokens ------------------------------------------------------------------------------- */

static int token_add_cmd(struct cli *cli, int argc, char **argv)
{
	const char *source = NULL, *feed = NULL;
	const struct cli_opt opts[] = {
	    {"source", OPT_STRING, &source, "ORG", "the organisation that posts (kind:ident)"},
	    {"feed", OPT_STRING, &feed, "FEED", "the one feed it may post"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc =
	    cli_parse(cli, argc, argv, opts, "import token add --source ORG --feed FEED [--json]",
	              "Make a token with which ORG's system posts FEED to "
	              "POST /api/v1/feeds/FEED.\nThe token is printed once; only its hash is "
	              "kept.",
	              0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!source || !feed)
		return cli_usage_error(cli, "--source and --feed are required");
	struct access who;
	char token[FEED_TOKEN_HEX_SIZE];
	int64_t id = 0;
	access_cli_operator(&who);
	if (cli_open(cli, CLI_STORE) < 0 ||
	    feed_token_add(cli->store, &who, source, feed, token, &id, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "source",
		                         source, "feed", feed, "token", token));
	else
		printf("feed token %" PRId64 " for %s from %s (shown once, keep it safe):\n%s\n",
		       id, feed, source, token);
	sodium_memzero(token, sizeof(token));
	return 0;
}

static int token_list_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc =
	    cli_parse(cli, argc, argv, NULL, "import token list [--json]",
	              "The feed tokens: id, source, feed, created, revoked.", 0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct feed_token_info *list;
	size_t n;
	if (cli_open(cli, CLI_STORE) < 0 || feed_token_list(cli->store, &list, &n, &cli->err) < 0)
		return -1;
	json_t *a = cli->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct feed_token_info *t = &list[i];
		if (a)
			json_array_append_new(
			    a,
			    json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)t->id,
			              "source", t->source, "feed", t->feed, "created_at",
			              t->created_at, "created_by", t->created_by, "revoked_at",
			              t->revoked_at[0] ? json_string(t->revoked_at) : json_null()));
		else
			printf("%4" PRId64 "  %-24s %-11s created %s by %s%s%s\n", t->id, t->source,
			       t->feed, t->created_at, t->created_by,
			       t->revoked_at[0] ? ", revoked " : "", t->revoked_at);
	}
	if (a)
		cli_print_json(a);
	free(list);
	return 0;
}

static int token_revoke_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "import token revoke ID",
	                   "Revoke a feed token: posts with it are refused from now on.", 1, 1,
	                   &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct access who;
	int64_t id = 0;
	access_cli_operator(&who);
	if (cli_parse_id(cli, args[0], "ID", &id) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    feed_token_revoke(cli->store, &who, id, &cli->err) < 0)
		return -1;
	if (!cli->json)
		printf("feed token %" PRId64 " revoked\n", id);
	return 0;
}

static const struct cli_verb token_verbs[] = {
    {"add", token_add_cmd, "make a feed token for one source and feed"},
    {"list", token_list_cmd, "list the feed tokens"},
    {"revoke", token_revoke_cmd, "revoke a feed token"},
    {NULL, NULL, NULL},
};

static int import_token_cmd(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, token_verbs);
}

static const struct cli_verb verbs[] = {
    {"all", import_all_cmd, "import every file of a manifest, in order"},
    {"list", import_list_cmd, "list the imports"},
    {"show", import_show_cmd, "show one import"},
    {"token", import_token_cmd, "feed tokens for POST /api/v1/feeds/FEED"},
    {NULL, NULL, NULL},
};

int cmd_import(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && feed_known(argv[1], NULL)) {
		snprintf(cli->command, sizeof(cli->command), "import %s", argv[1]);
		return import_feed_cmd(cli, argc, argv);
	}
	return cli_dispatch(cli, argc, argv, verbs);
}
