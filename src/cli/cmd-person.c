/*
 * inbeeld person add|find|show|list|load|duplicates|merge|unmerge
 *
 * Young people in the registry, from the command line. Every read of identifying data and
 * every change goes through the person module, which decides need-to-know and audits it under
 * the operator's name (access_cli_operator), or for show and find under the user named by
 * --user or INBEELD_USER. A BSN is shown masked unless --show-bsn is given.
 */
#include "access/access.h"
#include "access/decide.h"
#include "cli/commands.h"
#include "registry/ident.h"
#include "registry/person.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output ------------------------------------------------------------------------------- */

static json_t *json_text_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* The BSN as it may be shown: masked unless the operator asked for it. */
static void shown_bsn(const char *bsn, bool show, char out[BSN_SIZE])
{
	if (show)
		snprintf(out, BSN_SIZE, "%s", bsn);
	else
		ident_mask_bsn(bsn, out);
}

/* The identifying fields in the order they are shown. */
static const struct {
	const char *name;
	size_t offset;
} pii_keys[] = {
	{"bsn", offsetof(struct person_pii, bsn)},
	{"given_names", offsetof(struct person_pii, given_names)},
	{"surname_prefix", offsetof(struct person_pii, surname_prefix)},
	{"surname", offsetof(struct person_pii, surname)},
	{"street", offsetof(struct person_pii, street)},
	{"house_number", offsetof(struct person_pii, house_number)},
	{"postcode", offsetof(struct person_pii, postcode)},
	{"city", offsetof(struct person_pii, city)},
	{"phone", offsetof(struct person_pii, phone)},
	{"email", offsetof(struct person_pii, email)},
};

static json_t *pii_json(const struct person_pii *pii, bool show_bsn)
{
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof(pii_keys) / sizeof(pii_keys[0]); i++) {
		const char *v = *(char *const *)((const char *)pii + pii_keys[i].offset);
		char bsn[BSN_SIZE];
		if (v && i == 0) {
			shown_bsn(v, show_bsn, bsn);
			v = bsn;
		}
		json_object_set_new(o, pii_keys[i].name, json_text_or_null(v));
	}
	return o;
}

static json_t *person_json(const struct person *p, bool show_bsn)
{
	json_t *o = json_pack("{s:s, s:b, s:s, s:o, s:o, s:o}", "key", p->pkey, "provisional",
			      p->provisional, "birth_date", p->birth_date, "municipality_code",
			      json_text_or_null(p->municipality_code), "postcode4",
			      json_text_or_null(p->postcode4), "merged_into",
			      json_text_or_null(p->merged_into_key));
	if (p->has_pii)
		json_object_set_new(o, "pii", pii_json(&p->pii, show_bsn));
	return o;
}

/* "Zwaantje van den Testbeeld": the name as written, for display only. */
static void display_name(const struct person_pii *pii, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s%s", pii->given_names ? pii->given_names : "",
		 pii->given_names ? " " : "", pii->surname_prefix ? pii->surname_prefix : "",
		 pii->surname_prefix ? " " : "", pii->surname ? pii->surname : "");
}

static void print_line(const char *label, const char *value)
{
	printf("%-14s %s\n", label, value && *value ? value : "-");
}

static void print_person(const struct person *p, bool show_bsn)
{
	print_line("key:", p->pkey);
	print_line("provisional:", p->provisional ? "yes (no BSN known)" : "no");
	print_line("birth date:", p->birth_date);
	print_line("municipality:", p->municipality_code);
	print_line("postcode-4:", p->postcode4);
	if (p->merged_into_key[0])
		print_line("merged into:", p->merged_into_key);
	if (!p->has_pii)
		return;
	const struct person_pii *pii = &p->pii;
	char bsn[BSN_SIZE] = "";
	if (pii->bsn)
		shown_bsn(pii->bsn, show_bsn, bsn);
	print_line("BSN:", bsn);
	print_line("given names:", pii->given_names);
	print_line("tussenvoegsel:", pii->surname_prefix);
	print_line("surname:", pii->surname);
	print_line("street:", pii->street);
	print_line("house number:", pii->house_number);
	print_line("postcode:", pii->postcode);
	print_line("city:", pii->city);
	print_line("phone:", pii->phone);
	print_line("e-mail:", pii->email);
}

/* ---- add ---------------------------------------------------------------------------------- */

/*
 * inbeeld person add --surname S --birth-date D [--bsn N] [--given-name G] [--surname-prefix P]
 *     [--postcode PC] [--street S] [--house-number H] [--city C] [--municipality GM0000]
 *     [--phone P] [--email E] [--json]
 */
static int person_add_cmd(struct cli *cli, int argc, char **argv)
{
	struct person_input in = {0};
	const struct cli_opt opts[] = {
		{"bsn", OPT_STRING, &in.bsn, "BSN", "9 digits; leave out for a provisional person"},
		{"given-name", OPT_STRING, &in.given_names, "NAMES", "given names"},
		{"given-names", OPT_STRING, &in.given_names, "NAMES", "the same"},
		{"surname-prefix", OPT_STRING, &in.surname_prefix, "TV",
		 "tussenvoegsel (split off the surname when left out)"},
		{"surname", OPT_STRING, &in.surname, "NAME", "surname (required)"},
		{"birth-date", OPT_STRING, &in.birth_date, "DATE",
		 "YYYY-MM-DD or DD-MM-YYYY (required; at most 30 years ago)"},
		{"postcode", OPT_STRING, &in.postcode, "PC",
		 "1234AB (required without a BSN)"},
		{"street", OPT_STRING, &in.street, "STREET", "street"},
		{"house-number", OPT_STRING, &in.house_number, "NR", "house number, e.g. 12a"},
		{"city", OPT_STRING, &in.city, "CITY", "place of residence"},
		{"municipality", OPT_STRING, &in.municipality_code, "GM0000",
		 "CBS gemeentecode"},
		{"phone", OPT_STRING, &in.phone, "PHONE", "phone number"},
		{"email", OPT_STRING, &in.email, "EMAIL", "e-mail address"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "person add --surname NAME --birth-date DATE [--bsn BSN] "
			   "[--postcode PC] [options]",
			   "Register a young person and print the key. With a BSN the key is its "
			   "pseudonym; without one the person is provisional and needs a "
			   "postcode.\n"
			   "Names, BSN, address and contact details are stored encrypted.",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct access who;
	struct person p;
	access_cli_operator(&who);
	if (person_add(cli->store, &cli->keys, &who, &in, &p, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(person_json(&p, false));
	else
		printf("%s\n", p.pkey);
	person_release(&p);
	return 0;
}

/* ---- find, show, list --------------------------------------------------------------------- */

/* inbeeld person find --surname NAME --birth-date DATE [--show-bsn] [--json] */
/* --show-bsn asks for the BSN in full: refused (and audited) for a role that may not have it. */
static int bsn_refused(struct cli *cli, const struct access *who, const struct person *p,
		       size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct access_decision d;
		if (access_check(cli->store, who, p[i].pkey, ACCESS_READ_BSN, &d, NULL, NULL,
				 &cli->err) < 0)
			return -1;
	}
	return 0;
}

static int person_find_cmd(struct cli *cli, int argc, char **argv)
{
	const char *surname = NULL, *birth_date = NULL, *user = NULL;
	bool show_bsn = false;
	const struct cli_opt opts[] = {
		CLI_USER_OPT(user),
		{"surname", OPT_STRING, &surname, "NAME",
		 "surname, with or without tussenvoegsel (case and accents do not matter)"},
		{"birth-date", OPT_STRING, &birth_date, "DATE", "YYYY-MM-DD or DD-MM-YYYY"},
		{"show-bsn", OPT_FLAG, &show_bsn, NULL, "show the BSN in full"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "person find --surname NAME --birth-date DATE [--show-bsn] [--user NAME] "
			   "[--json]",
			   "Find young people by surname and birth date through the blind index; "
			   "each person found is audited as read.",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!surname || !birth_date)
		return cli_usage_error(cli, "person find needs --surname and --birth-date");
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct access who;
	struct person *found;
	size_t n;
	if (cli_acting_user(cli, user, &who) < 0)
		return -1;
	if (person_find(cli->store, &cli->keys, &who, surname, birth_date, &found, &n,
			&cli->err) < 0)
		return -1;
	if (show_bsn && bsn_refused(cli, &who, found, n) < 0) {
		person_free_array(found, n);
		return -1;
	}
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, person_json(&found[i], show_bsn));
		cli_print_json(a);
	} else if (n == 0) {
		fprintf(stderr, "no person found\n");
	}
	for (size_t i = 0; i < n && !cli->json; i++) {
		char name[700], bsn[BSN_SIZE] = "-";
		display_name(&found[i].pii, name, sizeof(name));
		if (found[i].pii.bsn)
			shown_bsn(found[i].pii.bsn, show_bsn, bsn);
		printf("%s  %s  %s  %s  %s\n", found[i].pkey, found[i].birth_date, bsn,
		       found[i].pii.postcode ? found[i].pii.postcode : "-", name);
	}
	person_free_array(found, n);
	return 0;
}

/* inbeeld person show KEY [--on DATE] [--show-bsn] [--json] */
static int person_show_cmd(struct cli *cli, int argc, char **argv)
{
	bool show_bsn = false;
	const char *on = NULL, *user = NULL;
	const struct cli_opt opts[] = {
		CLI_USER_OPT(user),
		{"show-bsn", OPT_FLAG, &show_bsn, NULL, "show the BSN in full"},
		{"on", OPT_STRING, &on, "DATE",
		 "also the person's status on DATE, with the records it rests on"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "person show KEY [--on DATE] [--show-bsn] [--user NAME] [--json]",
			   "Show a young person with the identifying data (audited as a read), and "
			   "with --on their status on a date.",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct access who;
	struct person p;
	if (cli_acting_user(cli, user, &who) < 0 ||
	    person_get(cli->store, &cli->keys, &who, args[0], true, &p, &cli->err) < 0)
		return -1;
	if (show_bsn && bsn_refused(cli, &who, &p, 1) < 0) {
		person_release(&p);
		return -1;
	}
	json_t *j = cli->json ? person_json(&p, show_bsn) : NULL;
	if (!cli->json)
		print_person(&p, show_bsn);
	person_release(&p);
	rc = 0;
	if (on) {
		json_t *status = NULL;
		if (!cli->json)
			printf("\nstatus on %s:\n", on);
		rc = cli_show_status(cli, &who, args[0], on, cli->json ? &status : NULL);
		if (status)
			json_object_set_new(j, "status", status);
	}
	if (j && rc == 0)
		cli_print_json(j);
	else
		json_decref(j);
	return rc;
}

/* inbeeld person list [--limit N] [--offset N] [--user NAME] [--json] */
static int person_list_cmd(struct cli *cli, int argc, char **argv)
{
	long limit = 50, offset = 0;
	const char *user = NULL;
	const struct cli_opt opts[] = {
		CLI_USER_OPT(user),
		{"limit", OPT_INT, &limit, "N", "at most N persons (default 50)"},
		{"offset", OPT_INT, &offset, "N", "skip the first N (default 0)"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "person list [--limit N] [--offset N] [--user NAME] [--json]",
			   "List the young people the acting user may see, by the order they were "
			   "registered, without identifying data (audited).",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (limit < 0 || offset < 0)
		return cli_usage_error(cli, "--limit and --offset must not be negative");
	if (cli_open(cli, CLI_STORE) < 0)
		return -1;
	struct person *page;
	size_t n;
	int64_t total;
	struct access who;
	if (cli_acting_user(cli, user, &who) < 0 ||
	    person_list(cli->store, &who, offset, limit, &page, &n, &total, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, person_json(&page[i], false));
		cli_print_json(json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total,
					 "offset", (json_int_t)offset, "limit", (json_int_t)limit,
					 "persons", a));
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%s  %s  %-6s  %-4s  %s%s\n", page[i].pkey, page[i].birth_date,
			       page[i].municipality_code[0] ? page[i].municipality_code : "-",
			       page[i].postcode4[0] ? page[i].postcode4 : "-",
			       page[i].provisional ? "provisional" : "bsn",
			       page[i].merged_into ? " merged" : "");
		printf("%zu of %" PRId64 " persons\n", n, total);
	}
	person_free_array(page, n);
	return 0;
}

/* ---- load --------------------------------------------------------------------------------- */

/* inbeeld person load FILE [--json] */
static int person_load_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "person load FILE [--json]",
			   "Load a residence file (CSV with the columns bsn, surname, birth_date "
			   "and optionally given_names, surname_prefix, street, house_number, "
			   "postcode, city, municipality_code). All rows or none: the first error "
			   "names its line, column and rule. A person already known by BSN is "
			   "replaced by the row.",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct access who;
	long rows;
	access_cli_operator(&who);
	if (person_load(cli->store, &cli->keys, &who, args[0], &rows, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:s, s:I}", "file", args[0], "rows", (json_int_t)rows));
	else
		printf("loaded %ld row%s from %s\n", rows, rows == 1 ? "" : "s", args[0]);
	return 0;
}

/* ---- duplicates, merge, unmerge ----------------------------------------------------------- */

/* inbeeld person duplicates [--min-score N] [--json] */
static int person_duplicates_cmd(struct cli *cli, int argc, char **argv)
{
	long min_score = 65;
	const struct cli_opt opts[] = {
		{"min-score", OPT_INT, &min_score, "N",
		 "the lowest score shown, 0-100 (default 65)"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "person duplicates [--min-score N] [--json]",
			   "List likely duplicate records (at least one provisional), best first, "
			   "with the fields that agree. Merge a pair with 'inbeeld person merge'.",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (min_score < 0 || min_score > 100)
		return cli_usage_error(cli, "--min-score %ld is not between 0 and 100", min_score);
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct access who;
	struct person_dup *dups;
	size_t n;
	access_cli_operator(&who);
	if (person_duplicates(cli->store, &cli->keys, &who, (int)min_score, &dups, &n,
			      &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s}", "a", dups[i].a,
							   "b", dups[i].b, "score", dups[i].score,
							   "agree", dups[i].agree));
		cli_print_json(a);
	} else {
		for (size_t i = 0; i < n; i++)
			printf("%3d  %s  %s  %s\n", dups[i].score, dups[i].a, dups[i].b,
			       dups[i].agree);
		if (n == 0)
			fprintf(stderr, "no likely duplicates with a score of %ld or more\n",
				min_score);
	}
	free(dups);
	return 0;
}

/* inbeeld person merge KEY_A KEY_B [--json] */
static int person_merge_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "person merge KEY_A KEY_B [--json]",
			   "Merge two records of one young person. The record with a BSN "
			   "survives (of two provisional ones, KEY_A); its empty fields are filled "
			   "from the other, which is marked merged. Two records with a BSN are "
			   "never merged. Undo with 'inbeeld person unmerge MERGE_ID'.",
			   2, 2, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct access who;
	struct person a;
	int64_t merge_id;
	access_cli_operator(&who);
	if (person_merge(cli->store, &cli->keys, &who, args[0], args[1], &merge_id,
			 &cli->err) < 0 ||
	    person_get(cli->store, &cli->keys, &who, args[0], false, &a, &cli->err) < 0)
		return -1;
	const char *survivor = a.merged_into ? args[1] : args[0];
	const char *merged = a.merged_into ? args[0] : args[1];
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:s, s:s}", "merge_id", (json_int_t)merge_id,
					 "survivor", survivor, "merged", merged));
	else
		printf("merged %s into %s (merge %" PRId64 "); undo with 'inbeeld person unmerge "
		       "%" PRId64 "'\n",
		       merged, survivor, merge_id, merge_id);
	person_release(&a);
	return 0;
}

/* inbeeld person unmerge MERGE_ID [--json] */
static int person_unmerge_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "person unmerge MERGE_ID [--json]",
			   "Undo a merge: both records as they were before it.", 1, 1, &args,
			   &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	char *end = NULL;
	long long id = strtoll(args[0], &end, 10);
	if (!*args[0] || *end || id <= 0)
		return cli_usage_error(cli, "MERGE_ID '%s' is not a merge number", args[0]);
	if (cli_open(cli, CLI_STORE | CLI_KEYS) < 0)
		return -1;
	struct access who;
	access_cli_operator(&who);
	if (person_unmerge(cli->store, &cli->keys, &who, id, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:I, s:b}", "merge_id", (json_int_t)id, "undone", 1));
	else
		printf("merge %lld undone\n", id);
	return 0;
}

static const struct cli_verb verbs[] = {
	{"add", person_add_cmd, "register a young person"},
	{"find", person_find_cmd, "find by surname and birth date"},
	{"show", person_show_cmd, "show one person with identifying data"},
	{"list", person_list_cmd, "list persons without identifying data"},
	{"load", person_load_cmd, "load a residence file (CSV)"},
	{"duplicates", person_duplicates_cmd, "list likely duplicate records"},
	{"merge", person_merge_cmd, "merge two records of one person"},
	{"unmerge", person_unmerge_cmd, "undo a merge"},
	{NULL, NULL, NULL},
};

int cmd_person(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
