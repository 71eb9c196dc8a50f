/*
 * inbeeld version [--json]
 *
 * The release, the schema version this binary knows, and the libraries it was built with.
 */
#include "cli/commands.h"
#include "version.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>

int cmd_version(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "version [--json]",
			   "Print the version of inbeeld and of the libraries it uses.", 0, 0,
			   &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	char pq[16];
	snprintf(pq, sizeof(pq), "%d.%d", PQlibVersion() / 10000, PQlibVersion() % 10000);
	if (cli->json) {
		cli_print_json(json_pack("{s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "version",
					 INBEELD_VERSION, "libraries", "sqlite",
					 sqlite3_libversion(), "libpq", pq, "libmicrohttpd",
					 MHD_get_version(), "jansson", JANSSON_VERSION, "libsodium",
					 sodium_version_string()));
		return 0;
	}
	printf("inbeeld %s\n", INBEELD_VERSION);
	printf("sqlite %s, libpq %s, libmicrohttpd %s, jansson %s, libsodium %s\n",
	       sqlite3_libversion(), pq, MHD_get_version(), JANSSON_VERSION,
	       sodium_version_string());
	return 0;
}
