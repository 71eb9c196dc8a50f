/*
 * The synthetic-region generator behind `inbeeld gen`: from a seed it writes the source files
 * of a made-up region — organisations, residence, enrolment snapshots, diplomas, absence
 * reports, care allocations, work and income, and a manifest (docs/feeds.md) — for demos,
 * tests and benchmarks. The same options give byte-identical files. Memory stays flat: each
 * young person is generated from a random stream of their own (seed, index) and written out
 * at once; only the organisations, O(schools), are kept. How the region is modelled, and
 * where each rate comes from, is in docs/generator.md.
 */
#ifndef GEN_GEN_H
#define GEN_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "registry/ident.h"
#include "util/date.h"
#include "util/err.h"

#define GEN_MAX_YOUTHS 9000000L /* the BSN permutation covers 9 million numbers */
#define GEN_MAX_YEARS  20
#define GEN_MAX_FILES  (GEN_MAX_YEARS + 8)

struct gen_options {
	long youths;
	uint64_t seed;
	const char *region_path; /* NULL: the embedded demo region (Zuid-Limburg) */
	const char *pc4_path;    /* NULL: the embedded PC4 points of Zuid-Limburg */
	const char *out_dir;
	int years;              /* school years of enrolment snapshots, ending at as_of */
	uint32_t malformed_ppb; /* defective rows per 10^9 data rows (0: none) */
	date_t as_of;           /* the last snapshot date */
	bool force;             /* write into a non-empty out_dir */
};

/* Set the defaults: 4 years, no defects, as_of today (INBEELD_TODAY when set). */
void gen_options_init(struct gen_options *o);

struct gen_file_stats {
	char feed[16];   /* organisations, residence, enrolments, … */
	char file[64];   /* name inside out_dir */
	char source[32]; /* kind:ident */
	char mode[10];   /* snapshot or delta */
	char as_of[DATE_STR_SIZE];
	long rows;      /* data rows, header not counted */
	long malformed; /* rows given a defect on purpose */
};

struct gen_stats {
	long youths;
	int nfiles; /* in import order, as in manifest.csv */
	struct gen_file_stats files[GEN_MAX_FILES];
	long rows;      /* all data rows */
	long malformed; /* all defective rows */
	double seconds;
};

/*
 * Generate the region described by `o` into o->out_dir (created when missing; a non-empty
 * directory only with o->force). The files are written under temporary names and renamed
 * when all are complete, so a failure leaves no half-written set. Fills *stats (may be NULL).
 * Errors: ERR_USAGE for options out of range, ERR_INVALID for a bad region or PC4 file (file,
 * line, field), ERR_CONFLICT for a non-empty directory, ERR_IO for the file system.
 */
int gen_run(const struct gen_options *o, struct gen_stats *stats, struct err *e);

/*
 * The BSN of young person `index` (0 <= index < GEN_MAX_YOUTHS) under `seed`: a valid BSN
 * (elfproef), different for every index of the same seed, because it is made from a keyed
 * permutation of 7-digit prefixes.
 */
void gen_bsn(uint64_t seed, uint64_t index, char out[BSN_SIZE]);

/* The header line (without line end) of a feed file, e.g. "residence"; NULL if unknown. */
const char *gen_feed_header(const char *feed);

#endif
