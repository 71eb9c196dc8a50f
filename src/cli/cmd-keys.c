/*
 * inbeeld keys rotate [--json]
 *
 * Re-encrypt every sealed value under a new data key. The key file gains the new key first
 * and loses the old one only after all values are re-sealed and committed, so an interrupted
 * rotation leaves a key file that still opens everything; running it again finishes the job.
 */
#include "access/access.h"
#include "cli/commands.h"
#include "registry/person.h"

#include <stdio.h>

static int keys_rotate_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "keys rotate [--json]",
			   "Make a new data key, re-encrypt all identifying data under it in one "
			   "transaction and drop the old key from the key file.\n"
			   "Back up the key file first: the rotated store opens only with the new "
			   "one.",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct access who;
	long count;
	access_cli_operator(&who);
	uint32_t old_id = keyring_current_id(&cli->keys);
	if (person_rotate_keys(cli->store, &cli->keys, &who, cli->keyfile, &count, &cli->err) < 0)
		return -1;
	uint32_t new_id = keyring_current_id(&cli->keys);
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:i, s:i, s:s}", "resealed", (json_int_t)count,
					 "old_key_id", (int)old_id, "key_id", (int)new_id,
					 "keyfile", cli->keyfile));
	else
		printf("re-sealed %ld value%s under data key %u (was %u); key file '%s' now holds "
		       "only the new key\n",
		       count, count == 1 ? "" : "s", new_id, old_id, cli->keyfile);
	return 0;
}

static const struct cli_verb verbs[] = {
	{"rotate", keys_rotate_cmd, "re-encrypt all identifying data under a new data key"},
	{NULL, NULL, NULL},
};

int cmd_keys(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
