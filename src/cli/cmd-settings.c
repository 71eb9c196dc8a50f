/*
 * inbeeld settings list [--region MCxx] [--json]
 * inbeeld settings get KEY [--region MCxx] [--json]
 * inbeeld settings set KEY VALUE [--region MCxx|*]
 *
 * The per-region settings of the definitions and the signal rules, with their documented
 * defaults (docs/definitions.md, docs/signals.md). Without --region, list and get show the
 * values for every region ('*'); set without --region sets the value for every region.
 */
#include "access/access.h"
#include "cli/commands.h"
#include "signals/settings.h"

#include <stdio.h>
#include <string.h>

static int show(struct cli *cli, const char *region, const struct setting_def *d, json_t *arr)
{
	char value[SETTING_VALUE_SIZE];
	const char *from;
	if (setting_get(cli->store, region, d->name, value, &from, &cli->err) < 0)
		return -1;
	if (arr)
		json_array_append_new(arr,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", d->name,
		                                "value", value, "from", from, "default", d->deflt,
		                                "type", d->type, "help", d->help));
	else
		printf("%-46s %-10s %-12s %s\n", d->name, value[0] ? value : "-", from, d->help);
	return 0;
}

static int settings_list_cmd(struct cli *cli, int argc, char **argv)
{
	const char *region = NULL;
	const struct cli_opt opts[] = {
	    {"region", OPT_STRING, &region, "MCxx", "the values that hold for this RMC region"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "settings list [--region MCxx] [--json]",
	                   "Every setting with its value, where it comes from, and its meaning.", 0,
	                   0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	json_t *arr = cli->json ? json_array() : NULL;
	for (const struct setting_def *d = setting_defs; d->name; d++)
		if (show(cli, region, d, arr) < 0) {
			json_decref(arr);
			return -1;
		}
	if (arr)
		cli_print_json(arr);
	return 0;
}

static int settings_get_cmd(struct cli *cli, int argc, char **argv)
{
	const char *region = NULL;
	const struct cli_opt opts[] = {
	    {"region", OPT_STRING, &region, "MCxx", "the value that holds for this RMC region"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "settings get KEY [--region MCxx] [--json]",
	                   "One setting's value.", 1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	const struct setting_def *d = setting_find(args[0]);
	if (!d)
		return err_set(&cli->err, ERR_NOTFOUND, "no setting '%s' (inbeeld settings list)",
		               args[0]);
	char value[SETTING_VALUE_SIZE];
	const char *from;
	if (setting_get(cli->store, region, d->name, value, &from, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(
		    json_pack("{s:s, s:s, s:s}", "name", d->name, "value", value, "from", from));
	else
		printf("%s\n", value);
	return 0;
}

static int settings_set_cmd(struct cli *cli, int argc, char **argv)
{
	const char *region = "*";
	const struct cli_opt opts[] = {
	    {"region", OPT_STRING, &region, "MCxx|*", "the RMC region (default: every region)"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc =
	    cli_parse(cli, argc, argv, opts, "settings set KEY VALUE [--region MCxx|*]",
	              "Set a setting for one RMC region or for every region.", 2, 2, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	access_cli_operator(&who);
	if (setting_set(cli->store, &who, region, args[0], args[1], &cli->err) < 0)
		return -1;
	if (!cli->json)
		printf("%s = %s for %s\n", args[0], args[1],
		       strcmp(region, "*") == 0 ? "every region" : region);
	return 0;
}

int cmd_settings(struct cli *cli, int argc, char **argv)
{
	static const struct cli_verb verbs[] = {
	    {"list", settings_list_cmd, "every setting with its value and default"},
	    {"get", settings_get_cmd, "one setting's value"},
	    {"set", settings_set_cmd, "set a value for a region or for every region"},
	    {NULL, NULL, NULL},
	};
	return cli_dispatch(cli, argc, argv, verbs);
}
