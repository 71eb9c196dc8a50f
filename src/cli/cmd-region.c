/*
 * inbeeld region load FILE [--year YEAR] [--json]
 * inbeeld region list [--year YEAR] [--rmc MC39] [--json]
 * inbeeld region show CODE [--year YEAR] [--json]
 *
 * The region's reference data: the municipalities of a year by CBS code, with their RMC
 * region, labour-market region and province (docs/registry.md).
 */
#include "cli/commands.h"
#include "registry/ident.h"
#include "registry/region.h"

#include <stdio.h>
#include <string.h>

/* Columns on a terminal: UTF-8 continuation bytes take no room of their own. */
static int display_width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void print_padded(const char *s, int width)
{
	fputs(s, stdout);
	for (int w = display_width(s); w < width; w++)
		putchar(' ');
}

static json_t *text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* {"code": …, "name": …} of a region, or null when the municipality has none. */
static json_t *region_json(const char *code, const char *name)
{
	if (!code || !*code)
		return json_null();
	return json_pack("{s:s, s:o}", "code", code, "name", text_or_null(name));
}

static json_t *municipality_json(const struct municipality *m)
{
	return json_pack("{s:s, s:o, s:i, s:o, s:o, s:o, s:o, s:o}", "code", m->code, "name",
			 text_or_null(m->name), "year", m->year, "rmc",
			 region_json(m->rmc_code, m->rmc_name), "labour_market_region",
			 region_json(m->labour_code, m->labour_name), "province",
			 region_json(m->province_code, m->province_name), "lat",
			 m->has_point ? json_real(m->lat) : json_null(), "lon",
			 m->has_point ? json_real(m->lon) : json_null());
}

/* "MC39 Zuid-Limburg", "MC39", or "-". */
static void region_text(char *out, size_t size, const char *code, const char *name)
{
	if (!*code)
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%s%s%s", code, name ? " " : "", name ? name : "");
}

static int check_year(struct cli *cli, long year)
{
	if (year < 0 || year > 2999 || (year > 0 && year < 1800))
		return cli_usage_error(cli, "--year wants a year between 1800 and 2999, not %ld",
				       year);
	return 0;
}

/*
 * inbeeld region load FILE [--year YEAR]
 *
 * Load FILE as the municipalities of YEAR, all rows or none. Without --year the year comes
 * from the file name (gemeenten_2023.csv), or is 2023 for the shipped demo file.
 */
static int region_load_cmd(struct cli *cli, int argc, char **argv)
{
	long year = 0;
	const struct cli_opt opts[] = {
		{"year", OPT_INT, &year, "YEAR",
		 "the year of the municipal division (default: the year in the file name)"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "region load FILE [--year YEAR] [--json]",
			   "Load the municipalities of a year, with their RMC region, labour-market "
			   "region and\nprovince, from a CSV: CBS \"Gebieden in Nederland\", the "
			   "shipped gemeenten_2023.csv\nor demo_region_zuid_limburg.csv (see "
			   "docs/registry.md). All rows or none; loading\nthe same file again "
			   "changes nothing.",
			   1, 1, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (check_year(cli, year) < 0)
		return -1;
	const char *file = args[0];
	if (!year)
		year = region_guess_year(file);
	if (!year)
		return cli_usage_error(cli,
				       "the year of '%s' cannot be told from its name: give --year",
				       file);
	struct region_load_stats st;
	if (cli_open(cli, CLI_STORE) < 0 ||
	    region_load(cli->store, file, (int)year, &st, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(json_pack("{s:s, s:i, s:I, s:I, s:I, s:I, s:I}", "file", file,
					 "year", (int)year, "rows", (json_int_t)st.rows, "added",
					 (json_int_t)st.added, "changed", (json_int_t)st.changed,
					 "unchanged", (json_int_t)st.unchanged, "regions",
					 (json_int_t)st.regions));
		return 0;
	}
	printf("loaded %s as the municipalities of %ld: %ld rows; %ld added, %ld changed, %ld "
	       "unchanged; %ld regions added or renamed\n",
	       file, year, st.rows, st.added, st.changed, st.unchanged, st.regions);
	return 0;
}

static void print_list(const struct municipality *list, size_t n)
{
	char text[3][160];
	int wname = 4, wreg[3] = {3, 20, 8};
	for (size_t i = 0; i < n; i++) {
		const struct municipality *m = &list[i];
		if (display_width(m->name) > wname)
			wname = display_width(m->name);
		region_text(text[0], sizeof(text[0]), m->rmc_code, m->rmc_name);
		region_text(text[1], sizeof(text[1]), m->labour_code, m->labour_name);
		region_text(text[2], sizeof(text[2]), m->province_code, m->province_name);
		for (int k = 0; k < 3; k++)
			if (display_width(text[k]) > wreg[k])
				wreg[k] = display_width(text[k]);
	}
	print_padded("code", 8);
	print_padded("name", wname + 2);
	print_padded("rmc", wreg[0] + 2);
	print_padded("labour-market region", wreg[1] + 2);
	puts("province");
	for (size_t i = 0; i < n; i++) {
		const struct municipality *m = &list[i];
		region_text(text[0], sizeof(text[0]), m->rmc_code, m->rmc_name);
		region_text(text[1], sizeof(text[1]), m->labour_code, m->labour_name);
		region_text(text[2], sizeof(text[2]), m->province_code, m->province_name);
		print_padded(m->code, 8);
		print_padded(m->name, wname + 2);
		print_padded(text[0], wreg[0] + 2);
		print_padded(text[1], wreg[1] + 2);
		puts(text[2]);
	}
}

/*
 * inbeeld region list [--year YEAR] [--rmc MC39]
 *
 * The municipalities of YEAR (the latest loaded by default), ordered by name.
 */
static int region_list_cmd(struct cli *cli, int argc, char **argv)
{
	long year = 0;
	const char *rmc_arg = NULL;
	const struct cli_opt opts[] = {
		{"year", OPT_INT, &year, "YEAR", "the year (default: the latest loaded)"},
		{"rmc", OPT_STRING, &rmc_arg, "MCxx", "only the municipalities of this RMC region"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "region list [--year YEAR] [--rmc MCxx] [--json]",
			   "List the municipalities of a year with their RMC region, labour-market "
			   "region and\nprovince, ordered by name.",
			   0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	char rmc[REGION_CODE_SIZE];
	struct municipality *list;
	size_t n;
	if (check_year(cli, year) < 0 ||
	    (rmc_arg && ident_region_code(rmc_arg, "MC", "rmc", rmc, &cli->err) < 0) ||
	    cli_open(cli, CLI_STORE) < 0 ||
	    region_list(cli->store, (int)year, rmc_arg ? rmc : NULL, &list, &n, &cli->err) < 0)
		return -1;
	int shown_year = n ? list[0].year : (int)year;
	if (cli->json) {
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, municipality_json(&list[i]));
		cli_print_json(json_pack("{s:o, s:o, s:I, s:o}", "year",
					 shown_year ? json_integer(shown_year) : json_null(), "rmc",
					 text_or_null(rmc_arg ? rmc : NULL), "count", (json_int_t)n,
					 "municipalities", items));
	} else if (n) {
		print_list(list, n);
		printf("%zu municipalit%s in %d%s%s\n", n, n == 1 ? "y" : "ies", shown_year,
		       rmc_arg ? " in " : "", rmc_arg ? rmc : "");
	} else if (!year && !rmc_arg) {
		printf("no municipalities loaded yet (inbeeld region load FILE)\n");
	} else {
		printf("no municipalities");
		if (rmc_arg)
			printf(" of %s", rmc);
		if (year)
			printf(" in %ld", year);
		putchar('\n');
	}
	municipality_free_array(list, n);
	return 0;
}

/*
 * inbeeld region show CODE [--year YEAR]
 *
 * One municipality, in YEAR or the latest year that has it.
 */
static int region_show_cmd(struct cli *cli, int argc, char **argv)
{
	long year = 0;
	const struct cli_opt opts[] = {
		{"year", OPT_INT, &year, "YEAR", "the year (default: the latest that has it)"},
		{NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc = cli_parse(cli, argc, argv, opts, "region show CODE [--year YEAR] [--json]",
			   "Show one municipality (GM0935 or 0935) with its regions.", 1, 1, &args,
			   &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct municipality m;
	if (check_year(cli, year) < 0 || cli_open(cli, CLI_STORE) < 0 ||
	    region_get(cli->store, args[0], (int)year, &m, &cli->err) < 0)
		return -1;
	if (cli->json) {
		cli_print_json(municipality_json(&m));
	} else {
		char text[160];
		printf("%s %s (%d)\n", m.code, m.name, m.year);
		region_text(text, sizeof(text), m.rmc_code, m.rmc_name);
		printf("  rmc:                  %s\n", text);
		region_text(text, sizeof(text), m.labour_code, m.labour_name);
		printf("  labour-market region: %s\n", text);
		region_text(text, sizeof(text), m.province_code, m.province_name);
		printf("  province:             %s\n", text);
		if (m.has_point)
			printf("  point:                %.5f, %.5f\n", m.lat, m.lon);
	}
	municipality_release(&m);
	return 0;
}

static const struct cli_verb verbs[] = {
	{"load", region_load_cmd, "load the municipalities of a year from a CSV"},
	{"list", region_list_cmd, "list the municipalities of a year"},
	{"show", region_show_cmd, "show one municipality"},
	{NULL, NULL, NULL},
};

int cmd_region(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, argc, argv, verbs);
}
