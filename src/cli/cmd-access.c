/*
 * inbeeld access grant KEY --org REF --kind handover|consent --purpose TEXT
 *                      --legal-ground TEXT [--until DATE] [--json]
 * inbeeld access grants KEY [--json]
 * inbeeld access revoke GRANT_ID [--json]
 * inbeeld access glass-list [--org REF] [--since DATE] [--json]
 *
 * The grants that widen the need-to-know rule for one person (docs/access.md, "Grants and
 * break the glass"), recorded by the operator, and the list of break-the-glass accesses for
 * the privacy officer. Every change is audited.
 */
#include "access/decide.h"
#include "cli/commands.h"
#include "registry/org.h"
#include "util/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *grant_json(const struct access_grant *g)
{
	return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:s, s:s?, s:b}", "id",
	                 (json_int_t)g->id, "person", g->person_key, "org", g->org, "user",
	                 g->user[0] ? g->user : NULL, "kind", g->kind, "purpose", g->purpose,
	                 "legal_ground", g->legal_ground, "granted_by", g->granted_by, "valid_from",
	                 g->valid_from, "valid_to", g->valid_to[0] ? g->valid_to : NULL, "revoked",
	                 g->revoked);
}

static void print_grants(struct cli *cli, const struct access_grant *g, size_t n)
{
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, grant_json(&g[i]));
		cli_print_json(a);
		return;
	}
	if (n == 0)
		fprintf(stderr, "no grants\n");
	for (size_t i = 0; i < n; i++)
		printf("%lld  %-11s %-16s %s  %s – %s%s  %s  (%s; by %s%s%s)\n", (long long)g[i].id,
		       g[i].kind, g[i].org, g[i].person_key, g[i].valid_from,
		       g[i].valid_to[0] ? g[i].valid_to : "open", g[i].revoked ? " revoked" : "",
		       g[i].purpose, g[i].legal_ground, g[i].granted_by,
		       g[i].user[0] ? ", for user " : "", g[i].user);
}

/* The organisation's id from a reference (org_get: kind:ident, id:N, …). */
static int org_id_of(struct cli *cli, const char *ref, int64_t *id)
{
	struct organisation o;
	if (org_get(cli->store, ref, &o, &cli->err) < 0)
		return -1;
	*id = o.id;
	org_release(&o);
	return 0;
}

/* inbeeld access grant KEY --org REF --kind K --purpose P --legal-ground G [--until DATE] */
static int access_grant_cmd(struct cli *cli, int argc, char **argv)
{
	const char *org = NULL;
	struct access_grant_input in = {0};
	const struct cli_opt opts[] = {
	    {"org", OPT_STRING, &org, "REF", "the organisation that may see the person"},
	    {"kind", OPT_STRING, &in.kind, "KIND", "handover or consent"},
	    {"purpose", OPT_STRING, &in.purpose, "TEXT", "what the access is for"},
	    {"legal-ground", OPT_STRING, &in.legal_ground, "TEXT",
	     "the legal ground (e.g. consent of the young person, art. …)"},
	    {"until", OPT_STRING, &in.until, "DATE", "the last day (default: until revoked)"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
	                   "access grant KEY --org REF --kind handover|consent --purpose TEXT "
	                   "--legal-ground TEXT [--until DATE] [--json]",
	                   "Let an organisation see one young person outside its rules, for a "
	                   "purpose and on a legal ground.",
	                   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!org || !in.kind || !in.purpose || !in.legal_ground)
		return cli_usage_error(cli, "access grant needs --org, --kind, --purpose and "
		                            "--legal-ground");
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	int64_t id;
	access_cli_operator(&who);
	in.pkey = args[0];
	if (org_id_of(cli, org, &in.organisation_id) < 0 ||
	    access_grant_add(cli->store, &who, &in, &id, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I}", "id", (json_int_t)id));
	else
		printf("%lld\n", (long long)id);
	return 0;
}

/* inbeeld access grants KEY [--json] */
static int access_grants_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "access grants KEY [--json]",
	                   "The grants of one young person, newest first.", 1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	struct access_grant *g;
	size_t n;
	access_cli_operator(&who);
	if (access_grant_list(cli->store, &who, args[0], &g, &n, &cli->err) < 0)
		return -1;
	print_grants(cli, g, n);
	free(g);
	return 0;
}

/* inbeeld access revoke GRANT_ID [--json] */
static int access_revoke_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int64_t id;
	int rc = cli_parse(cli, argc, argv, NULL, "access revoke GRANT_ID [--json]",
	                   "Revoke a grant; the person is no longer seen through it.", 1, 1, &args,
	                   &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_parse_id(cli, args[0], "GRANT_ID", &id) < 0 || cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	access_cli_operator(&who);
	if (access_grant_revoke(cli->store, &who, id, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
	else
		printf("grant %lld revoked\n", (long long)id);
	return 0;
}

/* inbeeld access glass-list [--org REF] [--since DATE] [--json] */
static int access_glass_list_cmd(struct cli *cli, int argc, char **argv)
{
	const char *org = NULL, *since = NULL;
	const struct cli_opt opts[] = {
	    {"org", OPT_STRING, &org, "REF", "only this organisation's users"},
	    {"since", OPT_STRING, &since, "DATE", "only from this date on"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
	                   "access glass-list [--org REF] [--since DATE] [--json]",
	                   "The break-the-glass accesses, newest first, for the privacy officer.",
	                   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	char day[DATE_STR_SIZE] = "";
	if (since) {
		date_t d;
		if (date_parse(since, &d, &cli->err) < 0)
			return cli_usage_error(cli, "--since: %s", cli->err.msg);
		date_format(d, day);
	}
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	int64_t org_id = 0;
	struct access_grant *g;
	size_t n;
	if ((org && org_id_of(cli, org, &org_id) < 0) ||
	    access_glass_list(cli->store, org_id, day, &g, &n, &cli->err) < 0)
		return -1;
	print_grants(cli, g, n);
	free(g);
	return 0;
}

static const struct cli_verb verbs[] = {
    {"grant", access_grant_cmd, "let an organisation see one person (handover, consent)"},
    {"grants", access_grants_cmd, "the grants of one person"},
    {"revoke", access_revoke_cmd, "revoke a grant"},
    {"glass-list", access_glass_list_cmd, "the break-the-glass accesses"},
    {NULL, NULL, NULL},
};

int cmd_access(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
