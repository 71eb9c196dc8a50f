/* The commands of the inbeeld program, one file each: src/cli/cmd-<name>.c. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "cli/cli.h"

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_region(struct cli *cli, int argc, char **argv);
int cmd_org(struct cli *cli, int argc, char **argv);
int cmd_person(struct cli *cli, int argc, char **argv);
int cmd_keys(struct cli *cli, int argc, char **argv);
int cmd_access(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);
int cmd_gen(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_version(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_timeline(struct cli *cli, int argc, char **argv);
int cmd_scan(struct cli *cli, int argc, char **argv);
int cmd_forum(struct cli *cli, int argc, char **argv);
int cmd_kb(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);

/*
 * A young person's status on the date `on_text` (NULL: today), printed as text, or as JSON
 * into *json_out (owned by the caller) when json_out is not NULL. Shared by `status` and
 * `person show --on`. (cli/cmd-status.c)
 */
int cli_show_status(struct cli *cli, const struct access *who, const char *pkey,
		    const char *on_text, json_t **json_out);
int cmd_signals(struct cli *cli, int argc, char **argv);
int cmd_settings(struct cli *cli, int argc, char **argv);
int cmd_monitor(struct cli *cli, int argc, char **argv);

#endif
