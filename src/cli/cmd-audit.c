/*
 * inbeeld audit verify [--anchor FILE] [--json]
 * inbeeld audit anchor --file FILE [--json]
 * inbeeld audit export --person KEY [--json]
 * inbeeld audit retention [--years N] [--json]
 * inbeeld audit prune --dry-run | --up-to ID [--json]
 *
 * Recompute the hash chain of the audit log from its checkpoint to its sealed head and name
 * the first entry that was altered, removed or reordered, or how many were removed from the
 * end (exit code 1 when it does not verify); write the sealed head to a file kept apart from
 * the store; the readable log of one young person; the retention of audit entries, what a
 * prune would remove, and the prune itself.
 */
#include "audit/audit.h"
#include "cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int audit_verify_cmd(struct cli *cli, int argc, char **argv)
{
	const char *anchor = NULL;
	const struct cli_opt opts[] = {
		{"anchor", OPT_STRING, &anchor, "FILE",
		 "also check the anchors written there by 'audit anchor'"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "audit verify [--anchor FILE] [--json]",
			   "Recompute the audit log's hash chain from its checkpoint to its sealed "
			   "head; exit 1 if an entry was altered, removed or added.",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct audit_verify_result r;
	rc = audit_verify(cli->store, anchor, &r, &cli->err);
	if (cli->json) {
		json_t *j = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I}", "intact", rc == 0, "checked",
				      (json_int_t)r.checked, "pruned", (json_int_t)r.pruned,
				      "appended", (json_int_t)r.head.seq, "first_bad",
				      (json_int_t)r.first_bad, "anchors", (json_int_t)r.anchors);
		if (rc < 0)
			json_object_set_new(j, "error", json_string(cli->err.msg));
		cli_print_json(j);
	} else if (rc == 0) {
		printf("audit log intact: %lld entries verified", (long long)r.checked);
		if (r.pruned)
			printf(" after %lld pruned", (long long)r.pruned);
		if (anchor)
			printf(", %lld anchor%s checked", (long long)r.anchors,
			       r.anchors == 1 ? "" : "s");
		printf("\n");
	}
	return rc;
}

/* inbeeld audit anchor --file FILE [--json] */
static int audit_anchor_cmd(struct cli *cli, int argc, char **argv)
{
	const char *file = NULL;
	const struct cli_opt opts[] = {
		{"file", OPT_STRING, &file, "FILE", "append the sealed head to FILE (mode 0600)"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "audit anchor --file FILE [--json]",
			   "Verify the audit log and append its sealed head to FILE, which should "
			   "be kept apart from the store; 'audit verify --anchor FILE' checks the log "
			   "against every anchor there.",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!file)
		return cli_usage_error(cli, "audit anchor needs --file FILE");
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct audit_head h;
	if (audit_anchor_write(cli->store, file, &h, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:I, s:s, s:s}", "appended", (json_int_t)h.seq,
					 "entry", (json_int_t)h.entry_id, "hash", h.hash, "at", h.at));
	else
		printf("anchored: %lld entries, the last %lld with hash %s\n", (long long)h.seq,
		       (long long)h.entry_id, h.hash);
	return 0;
}

static json_t *entry_json(const struct audit_entry *a)
{
	bool glass = a->reason && strncmp(a->reason, "break-the-glass", 15) == 0;
	return json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:s?, s:b}", "id",
			 (json_int_t)a->id, "at", a->at, "actor", a->actor, "organisation",
			 a->organisation, "role", a->role, "on_behalf_of", a->on_behalf_of,
			 "action", a->action, "detail", a->detail, "ground", a->reason, "client",
			 a->client, "break_glass", glass);
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* inbeeld audit export --person KEY [--json] */
static int audit_export_cmd(struct cli *cli, int argc, char **argv)
{
	const char *pkey = NULL;
	const struct cli_opt opts[] = {
		{"person", OPT_STRING, &pkey, "KEY", "the young person's key"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "audit export --person KEY [--json]",
			   "The readable log a young person is entitled to: when, which "
			   "organisation and role, what, on what ground; break the glass marked.",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!pkey)
		return cli_usage_error(cli, "audit export needs --person KEY");
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	struct audit_entry *a;
	size_t n;
	access_cli_operator(&who);
	who.reason = "inzageverzoek (AVG art. 15)";
	if (audit_person_entries(cli->store, &who, pkey, &a, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, entry_json(&a[i]));
		cli_print_json(json_pack("{s:s, s:o}", "person", pkey, "entries", arr));
	} else {
		printf("%-24s %-24s %-12s %-16s %-20s %s\n", "when", "organisation", "role", "who",
		       "what", "ground");
		for (size_t i = 0; i < n; i++) {
			const struct audit_entry *x = &a[i];
			bool glass = x->reason && strncmp(x->reason, "break-the-glass", 15) == 0;
			printf("%-24s %-24s %-12s %-16s %-20s %s%s\n", x->at,
			       or_dash(x->organisation), or_dash(x->role), or_dash(x->actor),
			       x->action, glass ? "[BREAK THE GLASS] " : "", or_dash(x->reason));
		}
	}
	audit_entries_free(a, n);
	return 0;
}

/* inbeeld audit retention [--years N] [--json] */
static int audit_retention_cmd(struct cli *cli, int argc, char **argv)
{
	const char *years_in = NULL;
	const struct cli_opt opts[] = {
		{"years", OPT_STRING, &years_in, "N", "keep audit entries N years (at least 5)"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "audit retention [--years N] [--json]",
			   "Show or set how long audit entries are kept (at least 5 years).", 0, 0,
			   &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	int64_t set = 0;
	if (years_in && cli_parse_id(cli, years_in, "--years", &set) < 0)
		return -1;
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	access_cli_operator(&who);
	int years;
	if ((years_in && audit_retention_set(cli->store, &who, set > 1000 ? 1000 : (int)set,
					     &cli->err) < 0) ||
	    audit_retention_get(cli->store, &years, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:i}", "retention_years", years));
	else
		printf("audit entries are kept %d years\n", years);
	return 0;
}

/* inbeeld audit prune --dry-run | --up-to ID [--json] */
static int audit_prune_cmd(struct cli *cli, int argc, char **argv)
{
	bool dry_run = false;
	const char *up_to_in = NULL;
	const struct cli_opt opts[] = {
		{"dry-run", OPT_FLAG, &dry_run, NULL, "list what would be removed"},
		{"up-to", OPT_STRING, &up_to_in, "ID",
		 "remove the entries up to ID, the last one the dry run named"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "audit prune --dry-run | --up-to ID [--json]",
			   "Remove the audit entries older than the retention: first --dry-run, "
			   "which names them, then --up-to with the last id it named. The chain "
			   "stays verifiable from a checkpoint on the last entry removed.",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (dry_run == (up_to_in != NULL))
		return cli_usage_error(cli, "audit prune takes --dry-run or --up-to ID (the id the "
					    "dry run names), one of them");
	int64_t up_to = 0;
	if (up_to_in && cli_parse_id(cli, up_to_in, "--up-to", &up_to) < 0)
		return -1;
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	int years;
	if (audit_retention_get(cli->store, &years, &cli->err) < 0)
		return -1;
	if (up_to) {
		struct access who;
		int64_t removed;
		access_cli_operator(&who);
		who.reason = "retention of the audit log";
		if (audit_prune(cli->store, &who, up_to, &removed, &cli->err) < 0)
			return -1;
		if (cli->json)
			cli_print_json(json_pack("{s:i, s:I}", "retention_years", years, "removed",
						 (json_int_t)removed));
		else
			printf("%lld audit entries older than %d years removed\n",
			       (long long)removed, years);
		return 0;
	}
	int64_t count, first, last;
	char last_at[32];
	if (audit_prune_plan(cli->store, &count, &first, &last, last_at, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:i, s:I, s:I, s:I, s:s}", "retention_years", years,
					 "would_remove", (json_int_t)count, "first_id",
					 (json_int_t)first, "last_id", (json_int_t)last, "last_at",
					 last_at));
	else if (count == 0)
		printf("no audit entry is older than %d years\n", years);
	else
		printf("%lld entries older than %d years would go: ids %lld to %lld (last at %s)\n"
		       "remove them with: inbeeld audit prune --up-to %lld\n",
		       (long long)count, years, (long long)first, (long long)last, last_at,
		       (long long)last);
	return 0;
}

static const struct cli_verb verbs[] = {
	{"verify", audit_verify_cmd, "recompute the hash chain of the audit log"},
	{"anchor", audit_anchor_cmd, "write the sealed head to a file kept apart"},
	{"export", audit_export_cmd, "the readable log of one young person"},
	{"retention", audit_retention_cmd, "show or set how long audit entries are kept"},
	{"prune", audit_prune_cmd, "remove the audit entries older than the retention"},
	{NULL, NULL, NULL},
};

int cmd_audit(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
