/*
 * inbeeld gen --youths N --seed S --out DIR [--region FILE] [--pc4 FILE] [--years K]
 *             [--malformed FRACTION] [--as-of DATE] [--force] [--json]
 *
 * Generate a synthetic region: organisations.csv, residence.csv, one enrolments_YYYY-10-01.csv
 * per school year, diplomas.csv, absence.csv, care.csv, work.csv and manifest.csv in DIR
 * (docs/feeds.md; the model is in docs/generator.md). The same arguments give byte-identical
 * files. Prints one line: young people, rows per file, seconds.
 */
#include "cli/commands.h"
#include "gen/gen.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_seed(struct cli *cli, const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || *s == '-' || errno)
		return cli_usage_error(cli,
		                       "--seed wants a whole number from 0 to 2^64-1, not '%s'", s);
	*out = (uint64_t)v;
	return 0;
}

static int parse_fraction(struct cli *cli, const char *s, uint32_t *ppb)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !(v >= 0.0 && v <= 1.0))
		return cli_usage_error(cli, "--malformed wants a fraction from 0 to 1, not '%s'",
		                       s);
	*ppb = (uint32_t)llround(v * 1e9);
	return 0;
}

/* One line: the young people, the rows of each feed (enrolment snapshots added up), time. */
static void print_summary(const struct gen_stats *st, const char *dir)
{
	printf("generated %ld young people in %s in %.1f s:", st->youths, dir, st->seconds);
	const char *sep = " ";
	for (int i = 0; i < st->nfiles; i++) {
		const struct gen_file_stats *f = &st->files[i];
		long rows = f->rows, bad = f->malformed;
		int n = 1;
		while (i + 1 < st->nfiles && strcmp(st->files[i + 1].feed, f->feed) == 0) {
			i++;
			n++;
			rows += st->files[i].rows;
			bad += st->files[i].malformed;
		}
		printf("%s%s %ld", sep, f->feed, rows);
		if (n > 1)
			printf(" in %d files", n);
		if (bad)
			printf(" (%ld malformed)", bad);
		sep = ", ";
	}
	printf(" rows\n");
}

int cmd_gen(struct cli *cli, int argc, char **argv)
{
	struct gen_options o;
	gen_options_init(&o);
	long youths = 0, years = o.years;
	const char *seed = NULL, *malformed = NULL, *as_of = NULL;
	bool force = false;
	const struct cli_opt opts[] = {
	    {"youths", OPT_INT, &youths, "N", "number of young people (1 to 9000000)"},
	    {"seed", OPT_STRING, &seed, "S", "the random seed: same seed, same files"},
	    {"out", OPT_STRING, &o.out_dir, "DIR", "directory to write (created if missing)"},
	    {"region", OPT_STRING, &o.region_path, "FILE",
	     "municipalities (default: the embedded Zuid-Limburg demo region)"},
	    {"pc4", OPT_STRING, &o.pc4_path, "FILE",
	     "PC4 areas of the region (default: the embedded Zuid-Limburg PC4s)"},
	    {"years", OPT_INT, &years, "K", "school years of enrolment snapshots (default 4)"},
	    {"malformed", OPT_STRING, &malformed, "FRACTION",
	     "give this fraction of data rows one defect (default 0)"},
	    {"as-of", OPT_STRING, &as_of, "DATE",
	     "the last snapshot date (default $INBEELD_TODAY or today)"},
	    {"force", OPT_FLAG, &force, NULL, "write into a directory that is not empty"},
	    {NULL, 0, NULL, NULL, NULL},
	};
	char **args;
	int nargs;
	int rc =
	    cli_parse(cli, argc, argv, opts,
	              "gen --youths N --seed S --out DIR [--region FILE] [--pc4 FILE] "
	              "[--years K] [--malformed FRACTION] [--as-of DATE] [--force]",
	              "Generate a synthetic region: organisations and the residence, enrolment,\n"
	              "diploma, absence, care and work feeds, with a manifest (docs/feeds.md).",
	              0, 0, &args, &nargs);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (!youths)
		return cli_usage_error(cli, "--youths N is required (1 to %ld)", GEN_MAX_YOUTHS);
	if (!seed)
		return cli_usage_error(cli, "--seed S is required");
	if (!o.out_dir)
		return cli_usage_error(cli, "--out DIR is required");
	if (parse_seed(cli, seed, &o.seed) < 0)
		return -1;
	if (malformed && parse_fraction(cli, malformed, &o.malformed_ppb) < 0)
		return -1;
	if (as_of && date_parse(as_of, &o.as_of, NULL) < 0)
		return cli_usage_error(cli, "--as-of wants a date (YYYY-MM-DD), not '%s'", as_of);
	o.youths = youths;
	o.years = years < 0 || years > 1000000 ? -1 : (int)years; /* gen_run says what is wrong */
	o.force = force;
	struct gen_stats st;
	if (gen_run(&o, &st, &cli->err) < 0)
		return -1;
	if (cli->json) {
		json_t *files = json_array();
		for (int i = 0; i < st.nfiles; i++) {
			const struct gen_file_stats *f = &st.files[i];
			json_array_append_new(
			    files, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "feed", f->feed,
			                     "file", f->file, "source", f->source, "mode", f->mode,
			                     "as_of", f->as_of, "rows", (json_int_t)f->rows,
			                     "malformed", (json_int_t)f->malformed));
		}
		cli_print_json(json_pack("{s:I, s:s, s:I, s:I, s:f, s:o}", "youths",
		                         (json_int_t)st.youths, "out", o.out_dir, "rows",
		                         (json_int_t)st.rows, "malformed", (json_int_t)st.malformed,
		                         "seconds", st.seconds, "files", files));
		return 0;
	}
	print_summary(&st, o.out_dir);
	return 0;
}
