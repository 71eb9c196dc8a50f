/*
 * inbeeld timeline KEY [--json]
 * inbeeld timeline --bsn BSN [--json]
 *
 * A young person's timeline: the events that the imports derived from the partners' files,
 * in date order (docs/feeds.md, "Importing"). The read is audited ("person.timeline") under
 * the operator's name. Events hold codes only: schools, providers and employers by their
 * identifiers, never a name or a BSN.
 */
#include "access/access.h"
#include "cli/commands.h"
#include "feeds/feeds.h"
#include "registry/ident.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static json_t *event_json(const struct feed_event *ev)
{
	json_t *detail = ev->detail ? json_loads(ev->detail, 0, NULL) : NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I}", "date", ev->date, "kind",
	                 ev->kind, "feed", ev->feed, "source", ev->source, "org",
	                 ev->org[0] ? json_string(ev->org) : json_null(), "code",
	                 ev->code[0] ? json_string(ev->code) : json_null(), "detail",
	                 detail ? detail : json_null(), "import_id", (json_int_t)ev->import_id);
}

int cmd_timeline(struct cli *cli, int argc, char **argv)
{
	const char *bsn_in = NULL, *user = NULL;
	const struct cli_opt opts[] = {
	    CLI_USER_OPT(user),
	    {"bsn", OPT_STRING, &bsn_in, "BSN", "find the person by BSN instead of key"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "timeline KEY|--bsn BSN [--user NAME] [--json]",
	                   "A young person's events in date order, from the imported feeds.", 0, 1,
	                   &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if ((nargs == 1) == (bsn_in != NULL))
		return cli_usage_error(cli, "give a person key or --bsn, one of them");
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	char pkey[PSEUDONYM_HEX_SIZE];
	if (bsn_in) {
		char bsn[BSN_SIZE];
		if (ident_bsn(bsn_in, "bsn", bsn, &cli->err) < 0)
			return -1;
		crypto_pseudonym(&cli->keys, bsn, pkey);
		sodium_memzero(bsn, sizeof(bsn));
	} else {
		snprintf(pkey, sizeof(pkey), "%s", args[0]);
	}
	struct access who;
	struct feed_event *ev;
	size_t n;
	if (cli_acting_user(cli, user, &who) < 0)
		return -1;
	if (feed_timeline(cli->store, &who, pkey, &ev, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, event_json(&ev[i]));
		cli_print_json(json_pack("{s:s, s:o}", "key", pkey, "events", a));
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s  %-20s %-10s %-8s %-16s %s\n", ev[i].date, ev[i].kind,
			       ev[i].org[0] ? ev[i].org : "-", ev[i].code[0] ? ev[i].code : "-",
			       ev[i].feed, ev[i].detail ? ev[i].detail : "");
	}
	feed_events_free(ev, n);
	return 0;
}
