/*
 * inbeeld scan new --region REGION --title TITLE
 * inbeeld scan answer SCAN_ID --action SLUG --level LEVEL [--note TEXT] [--partners "A,B"]
 * inbeeld scan show SCAN_ID [--lang nl|en] [--json]
 * inbeeld scan history SCAN_ID [--action SLUG] [--json]
 * inbeeld scan close SCAN_ID
 * inbeeld scan list [--region REGION] [--json]
 * inbeeld scan export SCAN_ID --out FILE.html [--lang nl|en]
 *
 * The self-scan (implementatiescan) of a region: open a scan, answer it together, read its
 * profile, recommendations and comparison, close it, export it as a printable page
 * (docs/selfscan.md). Every verb takes --as NAME, --org ORG and --role ROLE to act as someone
 * other than the local operator: for the command line only, until accounts exist.
 */
#include "cli/commands.h"
#include "scan/scan.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check_lang(struct cli *cli, const char *lang)
{
	if (strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0)
		return cli_usage_error(cli, "--lang wants nl or en, not '%s'", lang);
	return 0;
}

static json_t *scan_summary_json(const struct scan *s)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?}", "id", (json_int_t)s->id,
			 "region", s->region, "title", s->title, "status",
			 s->closed ? "closed" : "open", "created_at", s->created_at, "created_by",
			 s->created_by, "created_by_org", s->created_by_org, "closed_at",
			 s->closed_at);
}

/*
 * inbeeld scan new --region REGION --title TITLE [--as NAME --org ORG --role ROLE]
 */
static int scan_new_cmd(struct cli *cli, int argc, char **argv)
{
	const char *region = NULL, *title = NULL;
	struct cli_identity id = {0};
	const struct cli_opt opts[] = {
		{"region", OPT_STRING, &region, "REGION", "an RMC region code (MC39) or a name"},
		{"title", OPT_STRING, &title, "TITLE", "the scan's title"},
		CLI_IDENTITY_OPTS(id),
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "scan new --region REGION --title TITLE",
			   "Open a new self-scan for a region.", 0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!region || !title)
		return cli_usage_error(cli, "scan new needs --region and --title");
	struct access who;
	int64_t scan_id;
	if (cli_acting(cli, &id, &who) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    scan_create(cli->store, &who, region, title, &scan_id, &cli->err) < 0)
		return -1;
	struct scan scan;
	if (scan_get(cli->store, scan_id, &scan, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(scan_summary_json(&scan));
	else
		printf("scan %lld opened for region %s: %s\n", (long long)scan.id, scan.region,
		       scan.title);
	scan_release(&scan);
	return 0;
}

/*
 * inbeeld scan answer SCAN_ID --action SLUG --level LEVEL [--note TEXT] [--partners "A,B"]
 *                     [--as NAME --org ORG --role ROLE]
 */
static int scan_answer_cmd(struct cli *cli, int argc, char **argv)
{
	const char *action = NULL, *level = NULL, *note = NULL, *partners = NULL;
	struct cli_identity id = {0};
	const struct cli_opt opts[] = {
		{"action", OPT_STRING, &action, "SLUG", "the action answered"},
		{"level", OPT_STRING, &level, "LEVEL",
		 "not_started, planned, in_progress or embedded"},
		{"note", OPT_STRING, &note, "TEXT", "a note with the answer"},
		{"partners", OPT_STRING, &partners, "A,B",
		 "the partners involved, comma-separated"},
		CLI_IDENTITY_OPTS(id),
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "scan answer SCAN_ID --action SLUG --level LEVEL [--note TEXT] "
			   "[--partners \"A,B\"]",
			   "Answer an action of an open scan (an earlier answer stays in the "
			   "history).",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!action || !level)
		return cli_usage_error(cli, "scan answer needs --action and --level");
	int64_t scan_id, answer_id;
	struct access who;
	if (cli_parse_id(cli, args[0], "SCAN_ID", &scan_id) < 0 || cli_acting(cli, &id, &who) < 0 ||
	    cli_open(cli, CLI_STORE) < 0)
		return -1;
	char **names;
	size_t nnames;
	scan_split_partners(partners, &names, &nnames);
	struct scan_answer_input in = {action, level, note, (const char *const *)names, nnames};
	rc = scan_answer(cli->store, &who, scan_id, &in, &answer_id, &cli->err);
	scan_strings_free(names, nnames);
	if (rc < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:I, s:s, s:s}", "scan", (json_int_t)scan_id,
					 "answer", (json_int_t)answer_id, "action", action, "level",
					 level));
	else
		printf("scan %lld: %s answered %s by %s\n", (long long)scan_id, action, level,
		       who.actor);
	return 0;
}

static void print_theme(const struct scan_theme_profile *t)
{
	printf("  %-38s %3.0f%%  %zu of %zu answered (not_started %zu, planned %zu, "
	       "in_progress %zu, embedded %zu)",
	       t->slug, t->score, t->answered, t->nactions, t->counts[SCAN_NOT_STARTED],
	       t->counts[SCAN_PLANNED], t->counts[SCAN_IN_PROGRESS], t->counts[SCAN_EMBEDDED]);
	if (t->has_previous)
		printf("  [before %.0f%%, %+.0f]", t->previous_score, t->change);
	putchar('\n');
}

static void print_recommendations(const struct scan_report *r)
{
	printf("\nactions to take next (lowest theme score first; planned before not_started):\n");
	if (!r->nrecs)
		printf("  none: no action is answered planned or not_started\n");
	for (size_t i = 0; i < r->nrecs; i++) {
		const struct scan_recommendation *rec = &r->recs[i];
		const struct scan_action_row *a = &r->actions[rec->action];
		const struct scan_theme_profile *t = &r->themes[a->theme];
		printf("  %zu. [%s] %s — %s (theme %s, %.0f%%)\n", i + 1,
		       scan_level_name(a->answer.level), a->slug, a->title, t->slug, t->score);
		if (!rec->npractices)
			continue;
		printf("     practices%s:", rec->practices_of_theme ? " of the theme" : "");
		for (size_t p = 0; p < rec->npractices; p++)
			printf("%s %s", p ? ";" : "", rec->practices[p].slug);
		putchar('\n');
	}
}

static void print_comparison(const struct scan_report *r)
{
	if (!r->has_previous) {
		printf("\nno earlier closed scan of region %s to compare with\n", r->scan.region);
		return;
	}
	printf("\ncompared with scan %lld (%s, closed %s): region %.0f%% → %.0f%% (%+.0f)\n",
	       (long long)r->previous.id, r->previous.title, r->previous.closed_at,
	       r->previous_score, r->score, r->score - r->previous_score);
	for (size_t i = 0; i < r->nactions; i++) {
		const struct scan_action_row *a = &r->actions[i];
		if (a->previous_level == a->answer.level)
			continue;
		printf("  %-44s %s → %s", a->slug, scan_level_name(a->previous_level),
		       scan_level_name(a->answer.level));
		if (a->has_change)
			printf(" (%+d)", a->change);
		putchar('\n');
	}
}

/*
 * inbeeld scan show SCAN_ID [--lang nl|en] [--json]
 */
static int scan_show_cmd(struct cli *cli, int argc, char **argv)
{
	const char *lang = "nl";
	const struct cli_opt opts[] = {
		{"lang", OPT_STRING, &lang, "nl|en", "the language of titles (default nl)"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "scan show SCAN_ID [--lang nl|en] [--json]",
			   "Show a scan's profile per theme, the actions to take next and the "
			   "comparison with the region's previous closed scan.",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	int64_t scan_id;
	struct scan_report r;
	if (cli_parse_id(cli, args[0], "SCAN_ID", &scan_id) < 0 || check_lang(cli, lang) < 0 ||
	    cli_open(cli, CLI_STORE) < 0 ||
	    scan_report_build(cli->store, scan_id, lang, &r, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(scan_report_json(&r));
		scan_report_release(&r);
		return 0;
	}
	printf("scan %lld: %s — region %s, %s (created %s by %s)\n", (long long)r.scan.id,
	       r.scan.title, r.scan.region, r.scan.closed ? "closed" : "open", r.scan.created_at,
	       r.scan.created_by);
	printf("region score: %.0f%%\n\nprofile per theme:\n", r.score);
	for (size_t i = 0; i < r.nthemes; i++)
		print_theme(&r.themes[i]);
	print_recommendations(&r);
	print_comparison(&r);
	scan_report_release(&r);
	return 0;
}

/*
 * inbeeld scan history SCAN_ID [--action SLUG] [--json]
 */
static int scan_history_cmd(struct cli *cli, int argc, char **argv)
{
	const char *action = NULL;
	const struct cli_opt opts[] = {
		{"action", OPT_STRING, &action, "SLUG", "only the answers to this action"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "scan history SCAN_ID [--action SLUG] [--json]",
			   "Every answer given in a scan, oldest first: who answered what.", 1, 1,
			   &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	int64_t scan_id;
	struct scan_answer *answers;
	size_t n;
	if (cli_parse_id(cli, args[0], "SCAN_ID", &scan_id) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    scan_answer_history(cli->store, scan_id, action, &answers, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, scan_answer_json(&answers[i]));
		cli_print_json(a);
	}
	for (size_t i = 0; !cli->json && i < n; i++) {
		const struct scan_answer *a = &answers[i];
		printf("%s  %-40s %-12s %s%s%s%s\n", a->answered_at, a->action_slug,
		       scan_level_name(a->level), a->answered_by, a->answered_by_org ? " (" : "",
		       a->answered_by_org ? a->answered_by_org : "", a->answered_by_org ? ")" : "");
	}
	scan_answer_free_array(answers, n);
	return 0;
}

/*
 * inbeeld scan close SCAN_ID [--as NAME --org ORG --role ROLE]
 */
static int scan_close_cmd(struct cli *cli, int argc, char **argv)
{
	struct cli_identity id = {0};
	const struct cli_opt opts[] = {
		CLI_IDENTITY_OPTS(id),
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "scan close SCAN_ID",
			   "Close a scan: its answers become final, and later scans of the region "
			   "compare with it.",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	int64_t scan_id;
	struct access who;
	if (cli_parse_id(cli, args[0], "SCAN_ID", &scan_id) < 0 || cli_acting(cli, &id, &who) < 0 ||
	    cli_open(cli, CLI_STORE) < 0 || scan_close(cli->store, &who, scan_id, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:s}", "scan", (json_int_t)scan_id, "status",
					 "closed"));
	else
		printf("scan %lld closed\n", (long long)scan_id);
	return 0;
}

/*
 * inbeeld scan list [--region REGION] [--json]
 */
static int scan_list_cmd(struct cli *cli, int argc, char **argv)
{
	const char *region = NULL;
	const struct cli_opt opts[] = {
		{"region", OPT_STRING, &region, "REGION", "only the scans of this region"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "scan list [--region REGION] [--json]",
			   "List the scans, the newest first.", 0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct scan *scans;
	size_t n;
	if (cli_open(cli, CLI_STORE) < 0 ||
	    scan_list(cli->store, region, &scans, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, scan_summary_json(&scans[i]));
		cli_print_json(a);
	}
	for (size_t i = 0; !cli->json && i < n; i++)
		printf("%-5lld %-8s %-6s %s  %s\n", (long long)scans[i].id, scans[i].region,
		       scans[i].closed ? "closed" : "open", scans[i].created_at, scans[i].title);
	scan_free_array(scans, n);
	return 0;
}

/* Write `data` to `path` through a temporary file beside it, so no half page is left. */
static int write_file(struct cli *cli, const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp%d", path, (int)getpid());
	FILE *f = fopen(tmp, "w");
	int rc = 0;
	if (!f) {
		rc = err_set(&cli->err, ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
	} else {
		bool ok = fwrite(data, 1, len, f) == len;
		ok = fclose(f) == 0 && ok;
		if (!ok || rename(tmp, path) < 0) {
			rc = err_set(&cli->err, ERR_IO, "cannot write %s: %s", path,
				     strerror(errno));
			unlink(tmp);
		}
	}
	free(tmp);
	return rc;
}

/*
 * inbeeld scan export SCAN_ID --out FILE.html [--lang nl|en]
 */
static int scan_export_cmd(struct cli *cli, int argc, char **argv)
{
	const char *out = NULL, *lang = "nl";
	const struct cli_opt opts[] = {
		{"out", OPT_STRING, &out, "FILE.html", "where to write the page"},
		{"lang", OPT_STRING, &lang, "nl|en", "the page's language (default nl)"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "scan export SCAN_ID --out FILE.html [--lang nl|en]",
			   "Write a scan's report as a printable HTML page (print it or save it as "
			   "PDF from the browser).",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!out || !*out)
		return cli_usage_error(cli, "scan export needs --out FILE.html");
	int64_t scan_id;
	struct scan_report r;
	if (cli_parse_id(cli, args[0], "SCAN_ID", &scan_id) < 0 || check_lang(cli, lang) < 0 ||
	    cli_open(cli, CLI_STORE) < 0 ||
	    scan_report_build(cli->store, scan_id, lang, &r, &cli->err) < 0)
		return -1;
	struct buf page = BUF_INIT;
	scan_report_html(&r, &page);
	scan_report_release(&r);
	rc = write_file(cli, out, page.data, page.len);
	if (rc == 0 && cli->json)
		cli_print_json(json_pack("{s:I, s:s, s:I}", "scan", (json_int_t)scan_id, "out", out,
					 "bytes", (json_int_t)page.len));
	else if (rc == 0)
		printf("scan %lld written to %s (%zu bytes)\n", (long long)scan_id, out, page.len);
	buf_release(&page);
	return rc;
}

static const struct cli_verb verbs[] = {
	{"new", scan_new_cmd, "open a new self-scan for a region"},
	{"answer", scan_answer_cmd, "answer an action of an open scan"},
	{"show", scan_show_cmd, "profile, actions to take next, comparison"},
	{"history", scan_history_cmd, "every answer given: who answered what"},
	{"close", scan_close_cmd, "close a scan"},
	{"list", scan_list_cmd, "list the scans"},
	{"export", scan_export_cmd, "write a scan's report as a printable HTML page"},
	{NULL, NULL, NULL},
};

int cmd_scan(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
