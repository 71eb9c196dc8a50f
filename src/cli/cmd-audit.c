/*
 * inbeeld audit verify [--json]
 *
 * Recompute the hash chain of the audit log and name the first entry that was altered,
 * removed or reordered. Exit code 1 when the chain is broken.
 */
#include "audit/audit.h"
#include "cli/commands.h"

#include <stdio.h>

static int audit_verify_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "audit verify [--json]",
			   "Recompute the audit log's hash chain; exit 1 if it is broken.", 0, 0,
			   &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	int64_t checked, first_bad;
	rc = audit_verify(cli->store, &checked, &first_bad, &cli->err);
	if (cli->json)
		cli_print_json(json_pack("{s:b, s:I, s:I}", "intact", rc == 0, "checked",
					 (json_int_t)checked, "first_bad", (json_int_t)first_bad));
	else if (rc == 0)
		printf("audit log intact: %lld entries verified\n", (long long)checked);
	return rc;
}

static const struct cli_verb verbs[] = {
	{"verify", audit_verify_cmd, "recompute the hash chain of the audit log"},
	{NULL, NULL, NULL},
};

int cmd_audit(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
