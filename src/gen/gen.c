/*
 * `inbeeld gen` end to end (see gen.h): check the options, read the reference data, make the
 * organisations, then generate the young people one by one straight into the feed files, and
 * finish with the manifest. Files are written as NAME.tmp and renamed only when every one of
 * them is complete.
 */
#include "gen/gen-internal.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void gen_options_init(struct gen_options *o)
{
	memset(o, 0, sizeof(*o));
	o->years = 4;
	o->as_of = date_today();
}

void gen_frame_init(struct gen_frame *f, date_t as_of, int years)
{
	int y, m, d;
	date_to_ymd(as_of, &y, &m, &d);
	int last = m >= 10 ? y : y - 1; /* the last 1 October on or before as_of */
	f->as_of = as_of;
	f->nsnap = years;
	for (int i = 0; i < years; i++)
		f->snap[i] = date_from_ymd(last - years + 1 + i, 10, 1);
	f->window = date_from_ymd(last - years, 10, 1) + 1;
}

void gen_bsn(uint64_t seed, uint64_t index, char out[BSN_SIZE])
{
	/* A unique 7-digit prefix from 1000000 per index; the 8th digit is chosen so that a
	 * check digit exists (for one prefix at most one of ten fails), the 9th completes it. */
	uint32_t p7 = 1000000u + rng_permute(rng_mix64(seed ^ 0xb5aULL), (uint32_t)index, 9000000u);
	uint32_t d8 = (uint32_t)(rng_mix64(seed + index) % 10);
	for (int k = 0; k < 10; k++)
		if (ident_bsn_complete(p7 * 10u + (d8 + (uint32_t)k) % 10u, out))
			return;
	/* Unreachable: 2·d8 takes ten different values mod 11, so only one can need a 10. */
	ident_bsn_complete(p7 * 10u, out);
}

static int check_options(const struct gen_options *o, struct err *e)
{
	if (o->youths < 1 || o->youths > GEN_MAX_YOUTHS)
		return err_set(e, ERR_USAGE, "--youths must be between 1 and %ld, not %ld",
		               GEN_MAX_YOUTHS, o->youths);
	if (o->years < 1 || o->years > GEN_MAX_YEARS)
		return err_set(e, ERR_USAGE, "--years must be between 1 and %d, not %d",
		               GEN_MAX_YEARS, o->years);
	if (o->malformed_ppb > 1000000000u)
		return err_set(e, ERR_USAGE, "--malformed must be a fraction between 0 and 1");
	int y, m, d;
	date_to_ymd(o->as_of, &y, &m, &d);
	if (y < 1990 || y > 2100)
		return err_set(e, ERR_USAGE, "--as-of must lie between 1990 and 2100");
	if (!o->out_dir || !*o->out_dir)
		return err_set(e, ERR_USAGE, "--out DIR is required");
	return 0;
}

/* mkdir -p */
static int make_dirs(const char *path, struct err *e)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			rc = err_set(e, ERR_IO, "%s: cannot create the directory: %s", p,
			             strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}

/* Whether `name` is a file this generator writes (or wrote with other options). */
static bool is_generated_name(const char *name)
{
	static const char *const names[] = {"organisations.csv",  "residence.csv", "diplomas.csv",
	                                    "absence.csv",        "care.csv",      "work.csv",
	                                    "vrijstellingen.csv", "manifest.csv",  "malformed.csv"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	size_t n = strlen(name);
	return strncmp(name, "enrolments_", 11) == 0 && n > 15 && strcmp(name + n - 4, ".csv") == 0;
}

static int prepare_dir(const struct gen_options *o, struct err *e)
{
	if (make_dirs(o->out_dir, e) < 0)
		return -1;
	DIR *d = opendir(o->out_dir);
	if (!d)
		return err_set(e, ERR_IO, "%s: cannot open the directory: %s", o->out_dir,
		               strerror(errno));
	bool empty = true;
	struct dirent *ent;
	while ((ent = readdir(d)))
		if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, ".."))
			empty = false;
	closedir(d);
	if (!empty && !o->force)
		return err_set(e, ERR_CONFLICT,
		               "directory '%s' is not empty (use --force to write into it)",
		               o->out_dir);
	return 0;
}

/* After a forced run: remove generated files of an earlier run that this one did not write. */
static void remove_stale(const struct gen_options *o, const struct gen_stats *st,
                         bool wrote_malformed)
{
	DIR *d = opendir(o->out_dir);
	if (!d)
		return;
	struct dirent *ent;
	while ((ent = readdir(d))) {
		if (!is_generated_name(ent->d_name) || strcmp(ent->d_name, "manifest.csv") == 0)
			continue;
		bool ours = wrote_malformed && strcmp(ent->d_name, "malformed.csv") == 0;
		for (int i = 0; i < st->nfiles && !ours; i++)
			ours = strcmp(st->files[i].file, ent->d_name) == 0;
		if (!ours) {
			char *path = xasprintf("%s/%s", o->out_dir, ent->d_name);
			unlink(path);
			free(path);
		}
	}
	closedir(d);
}

struct run {
	const struct gen_options *o;
	struct gen_stats *st;
	struct gen_out outs[GEN_MAX_FILES + 2];
	int nouts;
};

static struct gen_file_stats *add_file(struct gen_stats *st, const char *feed, const char *file,
                                       const char *source, const char *mode, date_t as_of)
{
	struct gen_file_stats *f = &st->files[st->nfiles++];
	memset(f, 0, sizeof(*f));
	snprintf(f->feed, sizeof(f->feed), "%s", feed);
	snprintf(f->file, sizeof(f->file), "%s", file);
	snprintf(f->source, sizeof(f->source), "%s", source);
	snprintf(f->mode, sizeof(f->mode), "%s", mode);
	date_format(as_of, f->as_of);
	return f;
}

static struct gen_out *open_file(struct run *run, enum feed feed, const char *file,
                                 struct gen_file_stats *stats, struct err *e)
{
	struct gen_out *out = &run->outs[run->nouts++];
	char *path = xasprintf("%s/%s", run->o->out_dir, file);
	int rc = gen_out_open(out, feed, path, stats, e);
	free(path);
	return rc < 0 ? NULL : out;
}

static const char *const feed_names[] = {
    [FEED_ORGANISATIONS] = "organisations",
    [FEED_RESIDENCE] = "residence",
    [FEED_ENROLMENTS] = "enrolments",
    [FEED_DIPLOMAS] = "diplomas",
    [FEED_ABSENCE] = "absence",
    [FEED_CARE] = "care",
    [FEED_WORK] = "work",
    [FEED_VRIJSTELLINGEN] = "vrijstellingen",
};

/* Open one feed file and list it for the manifest, which keeps this order. */
static int open_feed(struct run *run, struct gen_out **target, enum feed feed, const char *file,
                     const char *source, const char *mode, date_t as_of, struct err *e)
{
	struct gen_file_stats *fs = add_file(run->st, feed_names[feed], file, source, mode, as_of);
	*target = open_file(run, feed, file, fs, e);
	return *target ? 0 : -1;
}

/* Open every feed file in import order: organisations, residence, enrolments old to new, … */
static int open_files(struct run *run, struct gen_writer *wr, const struct gen_world *w,
                      struct err *e)
{
	const struct gen_options *o = run->o;
	char lead[32], name[64], day[DATE_STR_SIZE];
	snprintf(lead, sizeof(lead), "municipality:%s", w->ref->munis[w->orgs->lead_muni].code);
	if (open_feed(run, &wr->orgs, FEED_ORGANISATIONS, "organisations.csv", lead, "snapshot",
	              o->as_of, e) < 0 ||
	    open_feed(run, &wr->residence, FEED_RESIDENCE, "residence.csv", lead, "snapshot",
	              o->as_of, e) < 0)
		return -1;
	for (int j = 0; j < w->frame.nsnap; j++) {
		snprintf(name, sizeof(name), "enrolments_%s.csv",
		         date_format(w->frame.snap[j], day));
		if (open_feed(run, &wr->enrolments[j], FEED_ENROLMENTS, name, "duo:DUO", "snapshot",
		              w->frame.snap[j], e) < 0)
			return -1;
	}
	if (open_feed(run, &wr->diplomas, FEED_DIPLOMAS, "diplomas.csv", "duo:DUO", "snapshot",
	              o->as_of, e) < 0 ||
	    open_feed(run, &wr->absence, FEED_ABSENCE, "absence.csv", "duo:DUO", "delta", o->as_of,
	              e) < 0 ||
	    open_feed(run, &wr->care, FEED_CARE, "care.csv", lead, "snapshot", o->as_of, e) < 0 ||
	    open_feed(run, &wr->work, FEED_WORK, "work.csv", "uwv:UWV-ZL", "snapshot", o->as_of,
	              e) < 0 ||
	    open_feed(run, &wr->vrijstellingen, FEED_VRIJSTELLINGEN, "vrijstellingen.csv", lead,
	              "snapshot", o->as_of, e) < 0)
		return -1;
	if (o->malformed_ppb &&
	    !(wr->malformed = open_file(run, FEED_MALFORMED, "malformed.csv", NULL, e)))
		return -1;
	return 0;
}

static int write_manifest(struct run *run, struct err *e)
{
	struct gen_out *m = open_file(run, FEED_MANIFEST, "manifest.csv", NULL, e);
	if (!m)
		return -1;
	for (int i = 0; i < run->st->nfiles; i++)
		gen_write_manifest_row(m, i + 1, &run->st->files[i]);
	return gen_out_close(m, e);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int gen_run(const struct gen_options *o, struct gen_stats *stats, struct err *e)
{
	struct gen_stats local;
	struct gen_stats *st = stats ? stats : &local;
	memset(st, 0, sizeof(*st));
	double t0 = now_seconds();
	if (check_options(o, e) < 0)
		return -1;
	struct gen_ref ref;
	struct gen_orgs orgs;
	if (gen_ref_load(&ref, o->region_path, o->pc4_path, e) < 0)
		return -1;
	int rc = -1;
	struct run run = {.o = o, .st = st};
	if (gen_orgs_build(&orgs, &ref, o->seed, o->youths, e) < 0) {
		gen_orgs_release(&orgs);
		gen_ref_release(&ref);
		return -1;
	}
	struct gen_world w = {.seed = o->seed, .ref = &ref, .orgs = &orgs};
	gen_frame_init(&w.frame, o->as_of, o->years);
	struct gen_writer wr = {.w = &w, .malformed_ppb = o->malformed_ppb};
	struct youth *y = xmalloc(sizeof(*y));
	if (prepare_dir(o, e) < 0 || open_files(&run, &wr, &w, e) < 0)
		goto out;
	gen_write_organisations(&wr);
	for (long i = 0; i < o->youths; i++) {
		gen_youth(&w, (uint64_t)i, y);
		gen_write_youth(&wr, y);
	}
	for (int i = 0; i < run.nouts; i++)
		if (gen_out_close(&run.outs[i], e) < 0)
			goto out;
	if (write_manifest(&run, e) < 0)
		goto out;
	/* Every file is complete: give them their names, the manifest last. */
	for (int i = 0; i < run.nouts; i++)
		if (rename(run.outs[i].tmp, run.outs[i].path) < 0) {
			err_set(e, ERR_IO, "%s: cannot rename: %s", run.outs[i].tmp,
			        strerror(errno));
			goto out;
		}
	if (o->force)
		remove_stale(o, st, wr.malformed != NULL);
	st->youths = o->youths;
	for (int i = 0; i < st->nfiles; i++) {
		st->rows += st->files[i].rows;
		st->malformed += st->files[i].malformed;
	}
	st->seconds = now_seconds() - t0;
	rc = 0;
out:
	for (int i = 0; i < run.nouts; i++) {
		if (rc < 0)
			gen_out_discard(&run.outs[i]);
		else
			gen_out_release(&run.outs[i]);
	}
	free(y);
	gen_orgs_release(&orgs);
	gen_ref_release(&ref);
	return rc;
}
