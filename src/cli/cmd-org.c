/* PLACEHOLDER: replaced by the real command. */
#include "cli/commands.h"

int cmd_org(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return err_set(&cli->err, ERR_INTERNAL, "not built yet");
}
