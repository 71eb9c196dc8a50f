/*
 * inbeeld status KEY [--on DATE] [--json]
 *
 * A young person's situation on a date (default today): in education, startkwalificatie,
 * leerplichtig or kwalificatieplichtig, work, benefit, dagbesteding, youth care or Wmo,
 * moved out, deceased or uit beeld, with the records it was derived from (status/status.h).
 * The read is audited ("person.status") under the operator's name or --user's; for a user
 * without care details the youth care and Wmo facts are not shown.
 */
#include "access/access.h"
#include "cli/commands.h"
#include "status/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static void print_text(const struct status *st, const struct timeline *t)
{
	char a[DATE_STR_SIZE], b[DATE_STR_SIZE];
	printf("on:                  %s\n", date_format(st->on, a));
	if (st->age >= 0)
		printf("age:                 %d\n", st->age);
	else
		printf("age:                 unknown\n");
	printf("resident:            %s%s%s\n", yes(st->resident), st->municipality[0] ? "  " : "",
	       st->municipality);
	printf("moved out:           %s\n", yes(st->moved_out));
	if (st->deceased)
		printf("deceased:            yes (%s)\n", date_format(st->died, a));
	else
		printf("deceased:            no\n");
	if (st->in_education)
		printf("in education:        yes  %s %s %s since %s\n", st->school, st->school_type,
		       st->level, date_format(st->education_since, a));
	else
		printf("in education:        no\n");
	if (st->has_sk)
		printf("startkwalificatie:   yes  %s on %s\n", st->sk_qualification,
		       date_format(st->sk_date, a));
	else
		printf("startkwalificatie:   no\n");
	if (st->leerplicht_end != DATE_UNKNOWN)
		printf("leerplichtig:        %s  (until %s)\n", yes(st->leerplichtig),
		       date_format(st->leerplicht_end, a));
	if (st->kwalificatieplicht_end != DATE_UNKNOWN)
		printf("kwalificatieplichtig: %s (at most until %s)\n",
		       yes(st->kwalificatieplichtig), date_format(st->kwalificatieplicht_end, b));
	printf("at work:             %s\n", yes(st->at_work));
	printf("on a benefit:        %s\n", yes(st->on_benefit));
	printf("dagbesteding:        %s\n", yes(st->dagbesteding));
	if (st->care_withheld) {
		printf("youth care:          not shown (care details are for care roles)\n");
		printf("wmo:                 not shown (care details are for care roles)\n");
	} else {
		printf("youth care:          %s\n", yes(st->youth_care));
		printf("wmo:                 %s\n", yes(st->wmo));
	}
	if (st->vrijstelling_withheld)
		printf("vrijstelling:        not shown (for leerplicht and RMC roles)\n");
	else if (st->vrijstelling[0] && st->vrijstelling_end != DATE_OPEN)
		printf("vrijstelling:        yes  article %s until %s\n", st->vrijstelling,
		       date_format(st->vrijstelling_end, a));
	else if (st->vrijstelling[0])
		printf("vrijstelling:        yes  article %s\n", st->vrijstelling);
	else
		printf("vrijstelling:        no\n");
	printf("uit beeld:           %s\n", yes(st->uit_beeld));
	printf("derived from records:");
	for (int i = 0; i < st->nevidence; i++)
		for (size_t j = 0; j < t->n; j++)
			if (t->rec[j].id == st->evidence[i])
				printf(" %lld", (long long)st->evidence[i]);
	printf("\n");
}

int cli_show_status(struct cli *cli, const struct access *who, const char *pkey,
		    const char *on_text, json_t **json_out)
{
	date_t on = date_today();
	if (on_text && date_parse(on_text, &on, &cli->err) < 0) {
		cli->err.code = ERR_USAGE;
		return -1;
	}
	struct timeline t;
	struct status st;
	timeline_init(&t);
	int rc = status_get(cli->store, who, pkey, on, &t, &st, &cli->err);
	if (rc == 0) {
		if (json_out) {
			char *text = status_to_json(&st, &t);
			*json_out = json_loads(text, 0, NULL);
			free(text);
		} else {
			print_text(&st, &t);
		}
	}
	timeline_release(&t);
	return rc;
}

int cmd_status(struct cli *cli, int argc, char **argv)
{
	const char *on_in = NULL, *user = NULL;
	const struct cli_opt opts[] = {
	    CLI_USER_OPT(user),
	    {"on", OPT_STRING, &on_in, "DATE",
	     "the date (YYYY-MM-DD or DD-MM-YYYY; default today)"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "status KEY [--on DATE] [--user NAME] [--json]",
	                   "A young person's situation on a date, with the records it rests on.", 1,
	                   1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct access who;
	if (cli_acting_user(cli, user, &who) < 0)
		return -1;
	json_t *j = NULL;
	rc = cli_show_status(cli, &who, args[0], on_in, cli->json ? &j : NULL);
	if (j)
		cli_print_json(j);
	return rc;
}
