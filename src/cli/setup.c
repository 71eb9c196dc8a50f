/*
 * Setting up a store for use: the schema brought up to this binary's version and a key file
 * that belongs to it (created when the store has none). Shared by `init` and `demo`.
 */
#include "audit/audit.h"
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char get_check_sql[] = "SELECT value FROM meta WHERE name = 'key_check'";
static const char put_check_sql[] = "INSERT INTO meta (name, value) VALUES ('key_check', ?)";

/* Read the key check value stored in the store into `out`; *found says whether there is one. */
static int stored_check(struct cli *cli, char out[PSEUDONYM_HEX_SIZE], int *found)
{
	struct stmt *st;
	if (store_prepare(cli->store, get_check_sql, &st, &cli->err) < 0)
		return -1;
	int rc = stmt_step(st, &cli->err);
	*found = rc == STORE_ROW;
	if (*found)
		snprintf(out, PSEUDONYM_HEX_SIZE, "%s", stmt_text(st, 0));
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int register_key(struct cli *cli)
{
	char check[PSEUDONYM_HEX_SIZE];
	keyring_check_value(&cli->keys, check);
	struct stmt *st;
	if (store_prepare(cli->store, put_check_sql, &st, &cli->err) < 0)
		return -1;
	stmt_bind_text(st, 1, check);
	int rc = stmt_step(st, &cli->err);
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* Make sure a key file exists and belongs to the store; *created says if it was made now. */
static int ensure_keys(struct cli *cli, int *created)
{
	char check[PSEUDONYM_HEX_SIZE];
	int registered;
	*created = 0;
	if (stored_check(cli, check, &registered) < 0)
		return -1;
	if (access(cli->keyfile, F_OK) == 0) {
		if (keyring_load(&cli->keys, cli->keyfile, &cli->err) < 0)
			return -1;
		cli_keys_loaded(cli);
		char mine[PSEUDONYM_HEX_SIZE];
		keyring_check_value(&cli->keys, mine);
		if (registered && strcmp(mine, check) != 0)
			return err_set(&cli->err, ERR_FORBIDDEN,
				       "key file '%s' does not belong to this store", cli->keyfile);
		return registered ? 0 : register_key(cli);
	}
	if (registered)
		return err_set(&cli->err, ERR_NOTFOUND,
			       "this store was initialised with a key file that is not at '%s'; "
			       "point --keyfile or INBEELD_KEYFILE at it (a new key would make the "
			       "stored data unreadable)",
			       cli->keyfile);
	keyring_generate(&cli->keys);
	cli_keys_loaded(cli);
	if (keyring_create_file(&cli->keys, cli->keyfile, &cli->err) < 0)
		return -1;
	*created = 1;
	return register_key(cli);
}

int cli_setup_store(struct cli *cli, int *applied, int *version, int *key_created)
{
	if (cli_open(cli, CLI_STORE | CLI_NOCHECK) < 0 ||
	    store_migrate(cli->store, applied, &cli->err) < 0 ||
	    store_schema_version(cli->store, version, &cli->err) < 0 ||
	    ensure_keys(cli, key_created) < 0)
		return -1;
	/* A store upgraded now to the audit anchors gets a head over its log as it stands. */
	return *applied ? audit_seal_existing(cli->store, &cli->err) : 0;
}
