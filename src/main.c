/*
 * inbeeld — keeps every young person (12–27) of a Dutch region in view across school, care
 * and work. This file reads the command name and hands over to its command (src/cli/); it is
 * the only place, with src/cli/, that prints errors or chooses an exit code.
 *
 *   inbeeld [--db URL] [--keyfile PATH] COMMAND [options]
 */
#include "cli/commands.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"init", cmd_init, "create or upgrade the store and create the key file"},
	{"serve", cmd_serve, "serve the web interface and the API"},
	{"region", cmd_region, "load and list municipalities and regions"},
	{"org", cmd_org, "add, load, list and show organisations"},
	{"person", cmd_person, "add, find and show young people; find and merge duplicates"},
	{"keys", cmd_keys, "rotate the data key"},
	{"access", cmd_access, "grants that widen need-to-know; break-the-glass list"},
	{"audit", cmd_audit, "verify the audit log"},
	{"user", cmd_user, "add, list, disable and enable users; passwords and roles"},
	{"import", cmd_import, "import partners' files: residence, enrolments, … (docs/feeds.md)"},
	{"timeline", cmd_timeline, "a young person's events in date order"},
	{"status", cmd_status, "a young person's situation on a date, with its evidence"},
	{"signals", cmd_signals, "evaluate the signal rules; list, dismiss and handle signals"},
	{"settings", cmd_settings, "the per-region settings of the definitions and the rules"},
	{"monitor", cmd_monitor, "the regional monitor: vsv figures by municipality"},
	{"gen", cmd_gen, "generate a synthetic region with its source files"},
	{"demo", cmd_demo, "create a demo region and serve it"},
	{"version", cmd_version, "print the version"},
	{"scan", cmd_scan, "the self-scan of a region: answer, profile, compare, export"},
	{"forum", cmd_forum, "the forum per theme: threads, replies, moderation"},
	{"kb", cmd_kb, "the knowledge platform: search, export, import, edit and publish"},
	{NULL, NULL, NULL},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: inbeeld [--db URL] [--keyfile PATH] COMMAND [options]\n\n"
		     "commands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\n'inbeeld COMMAND --help' tells more. The store is $INBEELD_DB or "
		     "inbeeld.db, the key file $INBEELD_KEYFILE or inbeeld.key.\n"
		     "Exit codes: 0 ok, 1 error, 2 usage.\n");
}

/* Take the global options that stand before the command; returns the command's index. */
static int global_options(struct cli *cli, int argc, char **argv)
{
	int i = 1;
	while (i < argc && strncmp(argv[i], "--", 2) == 0) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			cli->db_url = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			cli->db_url = argv[i++] + 5;
		} else if (strcmp(argv[i], "--keyfile") == 0 && i + 1 < argc) {
			cli->keyfile = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--keyfile=", 10) == 0) {
			cli->keyfile = argv[i++] + 10;
		} else {
			break;
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "inbeeld: libsodium could not start\n");
		return 1;
	}
	struct cli cli;
	cli_init(&cli);
	int first = global_options(&cli, argc, argv);
	if (first >= argc) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[first];
	if (strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0)
		name = "version";
	const struct command *cmd = NULL;
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			cmd = c;
	if (!cmd) {
		fprintf(stderr, "inbeeld: '%s' is not a command\n\n", name);
		usage(stderr);
		return 2;
	}
	snprintf(cli.command, sizeof(cli.command), "%s", cmd->name);
	int rc = cmd->run(&cli, argc - first, argv + first);
	int status = 0;
	if (rc < 0) {
		fprintf(stderr, "inbeeld %s: %s\n", cli.command,
			cli.err.msg[0] ? cli.err.msg : "failed");
		status = err_exit_code(&cli.err);
	}
	cli_release(&cli);
	return status;
}
