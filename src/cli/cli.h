/*
 * What every command shares: the common options (--db, --keyfile, --json, --help), an option
 * parser driven by a table so that every command's --help comes out alike, opening the store
 * and the key file, and printing results. A command is
 *
 *     int cmd_NAME(struct cli *cli, int argc, char **argv);
 *
 * with argv[0] its own name; it returns 0 on success or -1 with cli->err filled (main.c prints
 * it and picks the exit code: 0 ok, 1 error, 2 usage).
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <jansson.h>
#include <stdbool.h>

#include "access/access.h"
#include "crypto/keyring.h"
#include "store/store.h"
#include "util/err.h"

struct cli {
	const char *db_url;  /* --db, INBEELD_DB, or "inbeeld.db" */
	const char *keyfile; /* --keyfile, INBEELD_KEYFILE, or "inbeeld.key" */
	bool json;           /* --json: print JSON on standard output */
	struct store *store; /* opened by cli_open; closed by cli_release */
	struct keyring keys;
	bool keys_loaded;
	struct err err;
	char command[64]; /* e.g. "person add", for messages */
	char **args;      /* positional arguments of the last cli_parse, owned */
};

enum cli_opt_kind { OPT_FLAG, OPT_STRING, OPT_INT };

struct cli_opt {
	const char *name; /* without the leading "--" */
	enum cli_opt_kind kind;
	void *target; /* bool *, const char ** or long * */
	const char *metavar;
	const char *help;
};

/* The entry that ends a table of options. */
#define CLI_OPT_END {NULL, 0, NULL, NULL, NULL}

/* What cli_open prepares. */
enum {
	CLI_STORE = 1,  /* open the store and check its schema */
	CLI_KEYS = 2,   /* load the key file and check that it belongs to the store */
	CLI_NOCHECK = 4 /* with CLI_STORE: do not check the schema (init does) */
};

/* A verb of a command with verbs ("person add"). */
struct cli_verb {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

void cli_init(struct cli *cli);
void cli_release(struct cli *cli);

/*
 * Parse the options of a command. `opts` ends with an entry whose name is NULL; the common
 * options are always accepted. Positional arguments are left in (*args, *nargs), and there
 * must be between min_args and max_args of them (max_args < 0: no limit).
 * Returns 0 to go on, 1 after printing --help (the command then returns 0), -1 on a usage
 * error.
 */
int cli_parse(struct cli *cli, int argc, char **argv, const struct cli_opt *opts,
	      const char *usage, const char *description, int min_args, int max_args,
	      char ***args, int *nargs);

/* Run the verb named by argv[1] from `verbs` (ends with a NULL name). */
int cli_dispatch(struct cli *cli, int argc, char **argv, const struct cli_verb *verbs);

/* The key file is in cli->keys: mark it loaded and give the audit log its key. */
void cli_keys_loaded(struct cli *cli);

/*
 * Open what `what` asks for (CLI_STORE, CLI_KEYS). With CLI_STORE the key file is loaded too
 * when it exists (and must belong to the store), for the audit log's seal.
 */
int cli_open(struct cli *cli, int what);

/*
 * Bring the store's schema up to this binary's version and make sure a key file belongs to
 * it, creating one (mode 0600) when the store has none registered. Reports the migrations
 * applied, the schema version and whether the key file was created now. (cli/setup.c)
 */
int cli_setup_store(struct cli *cli, int *applied, int *version, int *key_created);

/*
 * The --as, --org and --role options of commands that act for a named person on the command
 * line (the forum, the self-scan), where there are no sessions: the local operator, with what
 * these options say instead. The strings are borrowed from argv.
 */
struct cli_identity {
	const char *as, *org, *role;
};

#define CLI_IDENTITY_OPTS(id)                                                                 \
	{"as", OPT_STRING, &(id).as, "NAME", "act as NAME (command line only)"},              \
		{"org", OPT_STRING, &(id).org, "ORG", "the acting organisation"},             \
		{"role", OPT_STRING, &(id).role, "ROLE", "the acting role (editor moderates)"}

/* Fill *who from `id` over the local operator's identity; a usage error for an empty --as. */
int cli_acting(struct cli *cli, const struct cli_identity *id, struct access *who);

/*
 * The identity for a command that reads persons (person show/find, status, timeline): the
 * local operator, or with `user` (--user NAME, else INBEELD_USER) that user's organisation
 * and roles, so that the user's need-to-know rules apply (docs/access.md, "The command
 * line"). The local key holder is trusted, so no password is asked. Needs the store open.
 * ERR_NOTFOUND for an unknown user, ERR_FORBIDDEN for a disabled one. The strings are static.
 */
int cli_acting_user(struct cli *cli, const char *user, struct access *who);

#define CLI_USER_OPT(var)                                                                     \
	{"user", OPT_STRING, &(var), "NAME",                                                  \
	 "apply the need-to-know rules of user NAME (default: INBEELD_USER, else operator)"}

/* Parse a positive whole number named `what` (e.g. "SCAN_ID"); a usage error otherwise. */
int cli_parse_id(struct cli *cli, const char *text, const char *what, int64_t *id);

/* Print `value` as JSON on standard output and take ownership of it. */
void cli_print_json(json_t *value);

/* An error for a bad command line; returns -1. */
int cli_usage_error(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
