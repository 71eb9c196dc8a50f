/*
 * inbeeld org add --kind KIND --ident ID --name NAME [--school-type T] [--levels L,…]
 *                 [--municipality GMxxxx] [--json]
 * inbeeld org load FILE [--json]
 * inbeeld org list [--kind KIND] [--json]
 * inbeeld org show REF [--json]
 *
 * The organisations of the region: schools, municipalities, care providers, employers, UWV,
 * the employer service point and DUO, each by the identifier of its kind (docs/registry.md).
 */
#include "cli/commands.h"
#include "registry/org.h"

#include <stdio.h>
#include <string.h>

static int display_width(const char *s)
{
	int w = 0;
	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void print_padded(const char *s, int width)
{
	fputs(s ? s : "", stdout);
	for (int w = display_width(s); w < width; w++)
		putchar(' ');
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* "vmbo-b,vmbo-k" → ["vmbo-b", "vmbo-k"]; NULL → []. */
static json_t *levels_json(const char *levels)
{
	json_t *a = json_array();
	for (const char *p = levels; p && *p;) {
		size_t n = strcspn(p, ",");
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n;
		if (*p == ',')
			p++;
	}
	return a;
}

static json_t *org_json(const struct organisation *o)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)o->id,
			 "kind", org_kind_name(o->kind), "ident", text_or_null(o->ident), "name",
			 text_or_null(o->name), "school_type", text_or_null(o->school_type),
			 "levels", levels_json(o->levels), "municipality_code",
			 text_or_null(o->municipality_code), "created_at",
			 text_or_null(o->created_at));
}

/* "VO; havo,vwo; GM0935" — what there is of type, levels and location. */
static void details(const struct organisation *o, char *out, size_t size)
{
	const char *parts[3] = {o->school_type, o->levels, o->municipality_code};
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < 3; i++)
		if (parts[i] && *parts[i] && len < size)
			len += (size_t)snprintf(out + len, size - len, "%s%s", len ? "; " : "",
						parts[i]);
}

/*
 * inbeeld org add --kind KIND --ident ID --name NAME [--school-type T] [--levels L,…]
 *                 [--municipality GMxxxx]
 */
static int org_add_cmd(struct cli *cli, int argc, char **argv)
{
	struct org_input in = {NULL, NULL, NULL, NULL, NULL, NULL};
	const struct cli_opt opts[] = {
		{"kind", OPT_STRING, &in.kind, "KIND",
		 "school, municipality, care, employer, uwv, wsp or duo"},
		{"ident", OPT_STRING, &in.ident, "ID",
		 "BRIN+vestiging (12AB00), GMxxxx, AGB, KvK, or a short code (uwv/wsp/duo)"},
		{"name", OPT_STRING, &in.name, "NAME", "the organisation's name"},
		{"school-type", OPT_STRING, &in.school_type, "TYPE",
		 "schools: VO, VSO, PrO or mbo (required for a school)"},
		{"levels", OPT_STRING, &in.levels, "L,…",
		 "schools: levels offered, e.g. havo,vwo (see docs/registry.md)"},
		{"municipality", OPT_STRING, &in.municipality_code, "GMxxxx",
		 "the municipality where it is located"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts,
			   "org add --kind KIND --ident ID --name NAME [--school-type TYPE] "
			   "[--levels L,…] [--municipality GMxxxx] [--json]",
			   "Add an organisation, its identifier checked by the rule of its kind.", 0,
			   0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!in.kind || !in.ident || !in.name)
		return cli_usage_error(cli, "org add needs --kind, --ident and --name (see --help)");
	struct organisation o;
	if (cli_open(cli, CLI_STORE) < 0 || org_add(cli->store, &in, &o, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(org_json(&o));
	} else {
		char more[256];
		details(&o, more, sizeof(more));
		printf("added organisation %lld: %s:%s \"%s\"%s%s%s\n", (long long)o.id,
		       org_kind_name(o.kind), o.ident, o.name, *more ? " (" : "", more,
		       *more ? ")" : "");
	}
	org_release(&o);
	return 0;
}

/*
 * inbeeld org load FILE
 *
 * Add or update the organisations of a CSV, all rows or none.
 */
static int org_load_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "org load FILE [--json]",
			   "Add or update organisations from a CSV with the columns kind, ident, "
			   "name and\noptionally school_type, levels, municipality_code (';' or ',' "
			   "separated). All rows\nor none; every error names the line and the "
			   "column.",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	long count;
	if (cli_open(cli, CLI_STORE) < 0 || org_load(cli->store, args[0], &count, &cli->err) < 0)
		return -1;
	if (cli->json)
		cli_print_json(json_pack("{s:s, s:I}", "file", args[0], "rows", (json_int_t)count));
	else
		printf("loaded %ld organisation%s from %s\n", count, count == 1 ? "" : "s",
		       args[0]);
	return 0;
}

static void print_list(const struct organisation *list, size_t n)
{
	int wkind = 4, wident = 5, wname = 4;
	for (size_t i = 0; i < n; i++) {
		int w = display_width(org_kind_name(list[i].kind));
		wkind = w > wkind ? w : wkind;
		w = display_width(list[i].ident);
		wident = w > wident ? w : wident;
		w = display_width(list[i].name);
		wname = w > wname ? w : wname;
	}
	print_padded("id", 6);
	print_padded("kind", wkind + 2);
	print_padded("ident", wident + 2);
	print_padded("name", wname + 2);
	puts("details");
	for (size_t i = 0; i < n; i++) {
		char id[24], more[256];
		snprintf(id, sizeof(id), "%lld", (long long)list[i].id);
		details(&list[i], more, sizeof(more));
		print_padded(id, 6);
		print_padded(org_kind_name(list[i].kind), wkind + 2);
		print_padded(list[i].ident, wident + 2);
		print_padded(list[i].name, wname + 2);
		puts(more);
	}
}

/*
 * inbeeld org list [--kind KIND]
 *
 * All organisations, or those of one kind, ordered by kind and name.
 */
static int org_list_cmd(struct cli *cli, int argc, char **argv)
{
	const char *kind = NULL;
	const struct cli_opt opts[] = {
		{"kind", OPT_STRING, &kind, "KIND", "only organisations of this kind"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "org list [--kind KIND] [--json]",
			   "List the organisations, ordered by kind and name.", 0, 0, &args,
			   &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	enum org_kind parsed;
	struct organisation *list;
	size_t n;
	if ((kind && org_kind_parse(kind, &parsed, &cli->err) < 0) ||
	    cli_open(cli, CLI_STORE) < 0 || org_list(cli->store, kind, &list, &n, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, org_json(&list[i]));
		cli_print_json(json_pack("{s:o, s:I, s:o}", "kind",
					 kind ? json_string(org_kind_name(parsed)) : json_null(),
					 "count", (json_int_t)n, "organisations", items));
	} else if (n) {
		print_list(list, n);
		printf("%zu organisation%s\n", n, n == 1 ? "" : "s");
	} else {
		printf("no organisations%s%s\n", kind ? " of kind " : "",
		       kind ? org_kind_name(parsed) : "");
	}
	org_free_array(list, n);
	return 0;
}

/*
 * inbeeld org show REF
 *
 * One organisation by id, kind:ident (school:12AB00) or identifier.
 */
static int org_show_cmd(struct cli *cli, int argc, char **argv)
{
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, NULL, "org show REF [--json]",
			   "Show one organisation, by id (3 or id:3), by kind:ident "
			   "(school:12AB00) or by its\nidentifier alone when no other organisation "
			   "has it.",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct organisation o;
	if (cli_open(cli, CLI_STORE) < 0 || org_get(cli->store, args[0], &o, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(org_json(&o));
	} else {
		printf("organisation %lld: %s\n", (long long)o.id, o.name);
		printf("  kind:         %s\n", org_kind_name(o.kind));
		printf("  ident:        %s\n", o.ident);
		if (o.school_type)
			printf("  school type:  %s\n", o.school_type);
		if (o.levels)
			printf("  levels:       %s\n", o.levels);
		if (o.municipality_code)
			printf("  municipality: %s\n", o.municipality_code);
		printf("  created:      %s\n", o.created_at);
	}
	org_release(&o);
	return 0;
}

static const struct cli_verb verbs[] = {
	{"add", org_add_cmd, "add an organisation"},
	{"load", org_load_cmd, "add or update organisations from a CSV"},
	{"list", org_list_cmd, "list the organisations"},
	{"show", org_show_cmd, "show one organisation"},
	{NULL, NULL, NULL},
};

int cmd_org(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
