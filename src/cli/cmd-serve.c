/*
 * inbeeld serve [--listen ADDRESS:PORT] [--threads N] [--token-file PATH]
 *               [--tls-cert FILE --tls-key FILE] [--behind-proxy ADDRESS]
 *               [--session-idle MINUTES] [--session-max HOURS] [--audit-sync full|normal]
 *
 * Serve the JSON API (docs/api.md) until SIGTERM or SIGINT. People log in with a user
 * account (POST /api/v1/session) and carry a session cookie; the bearer token the server
 * makes at start and prints once ("API token: …") opens only the reference-data routes, for
 * scripts (--token-file also writes it to a file of mode 0600). Without TLS the server
 * listens on a loopback address only, unless a reverse proxy at --behind-proxy stands in
 * front of it (docs/security.md, "Running behind a reverse proxy"). The audit entries of
 * reads are group-committed, by default to disk before the reads are answered; with
 * --audit-sync normal a commit ends when the database has it (docs/access.md, "Group
 * commit").
 */
#include "cli/commands.h"
#include "http/http.h"

#include <stdio.h>
#include <string.h>

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	const char *listen = "127.0.0.1:8080", *token_file = NULL, *tls_cert = NULL,
		   *tls_key = NULL, *proxy = NULL, *audit_sync = "full";
	long threads = 2, idle_minutes = SESSION_IDLE_DEFAULT / 60,
	     max_hours = SESSION_MAX_DEFAULT / 3600;
	const struct cli_opt opts[] = {
		{"listen", OPT_STRING, &listen, "ADDRESS:PORT",
		 "address and port (default 127.0.0.1:8080; IPv6 as [::1]:8080; port 0: any free "
		 "one); not loopback only with TLS or --behind-proxy"},
		{"threads", OPT_INT, &threads, "N", "worker threads, 1 to 64 (default 2)"},
		{"token-file", OPT_STRING, &token_file, "PATH",
		 "also write the API token to PATH (mode 0600)"},
		{"tls-cert", OPT_STRING, &tls_cert, "FILE", "serve HTTPS with this PEM certificate"},
		{"tls-key", OPT_STRING, &tls_key, "FILE", "the PEM private key of --tls-cert"},
		{"behind-proxy", OPT_STRING, &proxy, "ADDRESS",
		 "a reverse proxy at ADDRESS stands in front: trust its X-Forwarded-For and "
		 "X-Forwarded-Proto, answer only it and loopback"},
		{"session-idle", OPT_INT, &idle_minutes, "MINUTES",
		 "a session ends after this long without requests (default 30)"},
		{"session-max", OPT_INT, &max_hours, "HOURS",
		 "a session ends this long after the login (default 12)"},
		{"audit-sync", OPT_STRING, &audit_sync, "full|normal",
		 "reads are answered once their audit entries are on disk (full, the default) or "
		 "in the database (normal: faster; a crash of the machine may lose the last)"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "serve [--listen ADDRESS:PORT] [--threads N] [--token-file PATH] "
			   "[--tls-cert FILE --tls-key FILE] [--behind-proxy ADDRESS] "
			   "[--session-idle MINUTES] [--session-max HOURS] [--audit-sync full|normal]",
			   "Serve the JSON API until SIGTERM or SIGINT.", 0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (threads < 1 || threads > 64)
		return cli_usage_error(cli, "--threads wants a number from 1 to 64, not %ld",
				       threads);
	if (!tls_cert != !tls_key)
		return cli_usage_error(cli, "--tls-cert and --tls-key go together");
	if (strcmp(audit_sync, "full") != 0 && strcmp(audit_sync, "normal") != 0)
		return cli_usage_error(cli, "--audit-sync wants full or normal, not '%s'",
				       audit_sync);
	if (idle_minutes < 1 || idle_minutes > 24 * 60)
		return cli_usage_error(cli, "--session-idle wants minutes from 1 to 1440, not %ld",
				       idle_minutes);
	if (max_hours < 1 || max_hours > 24 * 7)
		return cli_usage_error(cli, "--session-max wants hours from 1 to 168, not %ld",
				       max_hours);
	/* A malformed address is a usage error; a non-loopback one without TLS or a proxy is
	 * refused (exit 1). */
	struct http_listen parsed;
	int lrc = tls_cert || proxy ? http_parse_listen_any(listen, &parsed, &cli->err)
				    : http_parse_listen(listen, &parsed, &cli->err);
	if (lrc < 0) {
		if (cli->err.code == ERR_INVALID)
			cli->err.code = ERR_USAGE;
		return -1;
	}
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	/* Each worker thread opens a store of its own; this one served the checks only. */
	store_close(cli->store);
	cli->store = NULL;
	struct http_config cfg = {
		.db_url = cli->db_url,
		.keys = &cli->keys,
		.listen = listen,
		.threads = (int)threads,
		.token_file = token_file,
		.tls_cert = tls_cert,
		.tls_key = tls_key,
		.behind_proxy = proxy,
		.sessions = {.idle_seconds = idle_minutes * 60, .max_seconds = max_hours * 3600},
		.audit_sync_normal = strcmp(audit_sync, "normal") == 0,
	};
	return http_serve(&cfg, &cli->err);
}
