/*
 * inbeeld signals run [--on DATE] [--full] [--threads N] [--json]
 * inbeeld signals list [--org KIND:IDENT] [--rule R] [--person KEY] [--open] [--on DATE] [--json]
 * inbeeld signals dismiss ID --reason TEXT
 * inbeeld signals case ID
 *
 * The signal rules (docs/signals.md): evaluate them incrementally (the persons whose
 * records changed since the last run or whose next check day has come) or fully, list the
 * signals per organisation with their evidence, due date and overdue mark, and handle them.
 */
#include "access/access.h"
#include "cli/commands.h"
#include "signals/signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_on(struct cli *cli, const char *in, date_t *on)
{
	*on = date_today();
	if (in && date_parse(in, on, &cli->err) < 0) {
		cli->err.code = ERR_USAGE;
		return -1;
	}
	return 0;
}

static int signals_run_cmd(struct cli *cli, int argc, char **argv)
{
	const char *on_in = NULL;
	bool full = false;
	long threads = SIGNALS_THREADS;
	const struct cli_opt opts[] = {
	    {"on", OPT_STRING, &on_in, "DATE", "evaluate on this date (default today)"},
	    {"full", OPT_FLAG, &full, NULL, "evaluate every person, not only the changed ones"},
	    {"threads", OPT_INT, &threads, "N",
	     "a full run's threads: 1 reads, evaluates and writes in turn; 2 or 3 (default) "
	     "read and evaluate in 1 or 2 threads besides the one that writes"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	date_t on;
	int rc = cli_parse(cli, argc, argv, opts,
	                   "signals run [--on DATE] [--full] [--threads N] [--json]",
	                   "Evaluate the signal rules and keep the signals.", 0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (threads < 1 || threads > 3)
		return cli_usage_error(cli, "--threads is 1, 2 or 3, not %ld", threads);
	if (parse_on(cli, on_in, &on) < 0 || cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	struct signal_run_stats st;
	access_cli_operator(&who);
	struct signal_run_opts o = {.full = full, .threads = (int)threads};
	if (signals_run_opts(cli->store, &who, on, &o, &st, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack(
		    "{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "full", st.full, "persons",
		    (json_int_t)st.persons, "raised", (json_int_t)st.raised, "resolved",
		    (json_int_t)st.resolved, "reopened", (json_int_t)st.reopened, "updated",
		    (json_int_t)st.updated, "open", (json_int_t)st.open, "seconds", st.seconds));
	else
		printf("%s run: %ld persons, %ld raised, %ld resolved, %ld reopened, %ld updated, "
		       "%ld open, %.2f s\n",
		       st.full ? "full" : "incremental", st.persons, st.raised, st.resolved,
		       st.reopened, st.updated, st.open, st.seconds);
	return 0;
}

static json_t *row_json(const struct signal_row *r)
{
	json_t *detail = json_loads(r->detail, 0, NULL);
	json_t *evidence = json_loads(r->evidence, 0, NULL);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:o, s:o}",
	                      "id", (json_int_t)r->id, "rule", r->rule, "person", r->pkey, "org",
	                      r->org, "role", r->role, "episode", r->episode, "state", r->state,
	                      "raised_on", r->raised_on, "due_on", r->due_on, "overdue", r->overdue,
	                      "reopened", r->reopened, "detail", detail ? detail : json_object(),
	                      "evidence", evidence ? evidence : json_array());
	json_object_set_new(o, "region", r->region[0] ? json_string(r->region) : json_null());
	json_object_set_new(o, "resolved_on",
	                    r->resolved_on[0] ? json_string(r->resolved_on) : json_null());
	json_object_set_new(o, "reason", r->reason ? json_string(r->reason) : json_null());
	return o;
}

static int signals_list_cmd(struct cli *cli, int argc, char **argv)
{
	const char *org = NULL, *rule = NULL, *person = NULL, *on_in = NULL;
	bool open_only = false;
	const struct cli_opt opts[] = {
	    {"org", OPT_STRING, &org, "KIND:IDENT", "only this organisation's signals"},
	    {"rule", OPT_STRING, &rule, "RULE", "only this rule's signals"},
	    {"person", OPT_STRING, &person, "KEY", "only this person's signals"},
	    {"open", OPT_FLAG, &open_only, NULL, "only open signals (and those in a case)"},
	    {"on", OPT_STRING, &on_in, "DATE", "the day that decides overdue (default today)"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
	                   "signals list [--org KIND:IDENT] [--rule R] [--person KEY] [--open] "
	                   "[--on DATE] [--json]",
	                   "The signals, newest first, with due date and overdue mark.", 0, 0,
	                   &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct signal_filter f = {.rule = rule, .pkey = person, .open_only = open_only};
	char kind[24] = "", ident[24] = "";
	if (org) {
		const char *colon = strchr(org, ':');
		if (!colon || colon == org || !colon[1] || (size_t)(colon - org) >= sizeof(kind) ||
		    strlen(colon + 1) >= sizeof(ident))
			return cli_usage_error(cli,
			                       "--org '%s': give KIND:IDENT, e.g. "
			                       "municipality:GM0935 or school:14EK00",
			                       org);
		memcpy(kind, org, (size_t)(colon - org));
		snprintf(ident, sizeof(ident), "%s", colon + 1);
		f.org_kind = kind;
		f.org_ident = ident;
	}
	enum signal_rule r;
	if (rule && signal_rule_parse(rule, &r, &cli->err) < 0) {
		cli->err.code = ERR_USAGE;
		return -1;
	}
	if (parse_on(cli, on_in, &f.today) < 0 || cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	struct signal_row *rows;
	size_t n;
	access_cli_operator(&who);
	if (signal_list(cli->store, &who, &f, &rows, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, row_json(&rows[i]));
		cli_print_json(a);
	} else {
		for (size_t i = 0; i < n; i++)
			printf(
			    "%-6lld %-26s %-10.10s… %-22s %-10s %-9s episode %-10s due %s%s %s\n",
			    (long long)rows[i].id, rows[i].rule, rows[i].pkey, rows[i].org,
			    rows[i].role, rows[i].state, rows[i].episode, rows[i].due_on,
			    rows[i].overdue ? " OVERDUE" : "", rows[i].detail);
	}
	signal_rows_free(rows, n);
	return 0;
}

static int signals_dismiss_cmd(struct cli *cli, int argc, char **argv)
{
	const char *reason = NULL;
	const struct cli_opt opts[] = {
	    {"reason", OPT_STRING, &reason, "TEXT", "why the signal needs no action (required)"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int64_t id = 0;
	int rc = cli_parse(cli, argc, argv, opts, "signals dismiss ID --reason TEXT",
	                   "Dismiss an open signal, with the reason.", 1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_parse_id(cli, args[0], "SIGNAL_ID", &id) < 0)
		return -1;
	if (!reason || !*reason)
		return cli_usage_error(cli, "dismissing a signal needs --reason");
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	access_cli_operator(&who);
	if (signal_dismiss(cli->store, &who, id, reason, &cli->err) < 0)
		return -1;
	printf("signal %lld dismissed\n", (long long)id);
	return 0;
}

static int signals_case_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int64_t id = 0;
	int rc = cli_parse(cli, argc, argv, NULL, "signals case ID",
	                   "Take an open signal into a case.", 1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_parse_id(cli, args[0], "SIGNAL_ID", &id) < 0 || cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	access_cli_operator(&who);
	if (signal_take_into_case(cli->store, &who, id, &cli->err) < 0)
		return -1;
	printf("signal %lld taken into a case\n", (long long)id);
	return 0;
}

int cmd_signals(struct cli *cli, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"run", signals_run_cmd, "evaluate the rules (incrementally, or --full)"},
	    {"list", signals_list_cmd, "the signals per organisation, rule or person"},
	    {"dismiss", signals_dismiss_cmd, "dismiss an open signal with a reason"},
	    {"case", signals_case_cmd, "take an open signal into a case"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(cli, argc, argv, verbs);
}
