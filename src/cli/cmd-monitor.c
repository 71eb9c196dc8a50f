/*
 * inbeeld monitor vsv --year T [--region MCxx] [--user NAME] [--json]
 *
 * The regional monitor (docs/monitor.md): the vsv count and percentage of school year T
 * (1 October T → 1 October T+1) and the oud-vsv count, by municipality, with small cells
 * suppressed. Aggregates only, so a user with the policy role may run it; the read goes
 * through the acting identity and is audited as "monitor.vsv".
 */
#include "access/access.h"
#include "cli/commands.h"
#include "monitor/monitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int monitor_vsv_cmd(struct cli *cli, int argc, char **argv)
{
	const char *region = NULL, *user = NULL;
	long year = 0;
	const struct cli_opt opts[] = {
	    CLI_USER_OPT(user),
	    {"year", OPT_INT, &year, "T", "the school year T/T+1 (required), e.g. 2024"},
	    {"region", OPT_STRING, &region, "MCxx",
	     "the RMC region (default: the store's only region)"},
	    CLI_OPT_END,
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
	                   "monitor vsv --year T [--region MCxx] [--user NAME] [--json]",
	                   "The vsv count and percentage of school year T and the oud-vsv, by "
	                   "municipality, with small cells suppressed.",
	                   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (year == 0)
		return cli_usage_error(cli, "give the school year: --year T (e.g. 2024 for 2024/25)");
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	struct vsv_report r;
	if (cli_acting_user(cli, user, &who) < 0 ||
	    monitor_vsv(cli->store, &who, (int)year, region, &r, &cli->err) < 0)
		return -1;
	char *text = cli->json ? vsv_report_to_json(&r) : vsv_report_to_text(&r);
	fputs(text, stdout);
	if (cli->json)
		putchar('\n');
	free(text);
	vsv_report_release(&r);
	return 0;
}

int cmd_monitor(struct cli *cli, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"vsv", monitor_vsv_cmd, "the vsv count and percentage of a school year, and oud-vsv"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(cli, argc, argv, verbs);
}
