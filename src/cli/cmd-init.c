/*
 * inbeeld init [--db URL] [--keyfile PATH] [--json]
 *
 * Create the store, or bring its schema up to this binary's version, and create the key file
 * (mode 0600, never overwritten). Running it again is safe: it applies only what is missing.
 * A store that already has a key registered is never given a new one.
 */
#include "cli/commands.h"
#include "knowledge/knowledge.h"

#include <stdio.h>

int cmd_init(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "init [--db URL] [--keyfile PATH] [--json]",
			   "Create the store (or upgrade its schema) and the key file.", 0, 0,
			   &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	int applied, version, created;
	if (cli_setup_store(cli, &applied, &version, &created) < 0)
		return -1;
	int knowledge_loaded;
	if (knowledge_seed(cli->store, &knowledge_loaded, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(json_pack("{s:s, s:i, s:i, s:s, s:b, s:i}", "backend",
					 store_backend_name(cli->store), "schema_version", version,
					 "migrations_applied", applied, "keyfile", cli->keyfile,
					 "keyfile_created", created, "knowledge_items_loaded",
					 knowledge_loaded));
		return 0;
	}
	printf("store ready: %s, schema version %d (%d migration%s applied)\n",
	       store_backend_name(cli->store), version, applied, applied == 1 ? "" : "s");
	if (knowledge_loaded)
		printf("knowledge platform: %d items of starting content loaded and published\n",
		       knowledge_loaded);
	if (created)
		printf("key file created: %s (mode 0600) — keep it safe and apart from the "
		       "database; without it the personal data cannot be read\n",
		       cli->keyfile);
	else
		printf("key file: %s\n", cli->keyfile);
	return 0;
}
