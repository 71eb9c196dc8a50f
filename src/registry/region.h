/*
 * Reference data of the region: RMC regions, labour-market regions, provinces and the
 * municipalities with their CBS codes, versioned by year because municipalities merge.
 * Loaded from a CSV in the column layout of CBS "Gebieden in Nederland" (or the simpler
 * layout of the demo region file); see docs/registry.md.
 *
 * Arrays returned here are owned by the caller and freed with the matching *_free function.
 */
#ifndef REGISTRY_REGION_H
#define REGISTRY_REGION_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

struct municipality {
	int year;
	char code[7];          /* GM0935 */
	char *name;
	char rmc_code[5];      /* MC39, or "" */
	char *rmc_name;        /* NULL when unknown */
	char labour_code[5];   /* AM35, or "" */
	char *labour_name;
	char province_code[5]; /* PV31, or "" */
	char *province_name;
	bool has_point;
	double lat, lon;       /* a representative point */
};

struct region_load_stats {
	long rows;
	long municipalities; /* inserted or updated: added + changed */
	long added;          /* municipalities new for the year */
	long changed;        /* municipalities whose name, regions or point changed */
	long unchanged;      /* municipalities the file repeats as they are */
	long regions;        /* RMC, labour-market and province rows inserted or renamed */
};

/*
 * Load `path` as the municipalities of `year` (1800–2999), in one transaction: all rows or
 * none. The layout is recognised from the header and the first values (docs/registry.md).
 * A municipality already stored for the year is updated; a column the file does not have
 * (say, no RMC region in gemeenten_2023.csv) leaves the stored value as it is, so files can
 * be loaded one over the other. Loading the same file again changes nothing. A path under
 * "data/regions/" that does not exist on disk is read from the copy shipped in the binary.
 * Every error names the file, the line, the column and the rule. `stats` may be NULL; it is
 * zeroed on failure.
 */
int region_load(struct store *s, const char *path, int year, struct region_load_stats *stats,
		struct err *e);

/*
 * The year a file's name implies: a 4-digit year in the base name ("gemeenten_2023.csv"),
 * else 2023 for the shipped demo_region_zuid_limburg.csv (built from the 2023 list), else 0.
 */
int region_guess_year(const char *path);

/*
 * The municipalities of `year` (0: the latest year loaded), optionally only those of the
 * RMC region `rmc_code` ("MC39" or "39"; NULL: all), ordered by name as folded for reading
 * ("'s-Gravenhage" under S), with the names of their regions. An empty list when nothing is
 * loaded. *out is freed by the caller with municipality_free_array.
 */
int region_list(struct store *s, int year, const char *rmc_code, struct municipality **out,
		size_t *n, struct err *e);

/*
 * One municipality by CBS code ("GM0935" or "0935") in `year`, or with year 0 in the latest
 * year that has it (so a municipality that merged away is still found; its year says so).
 * ERR_INVALID for a malformed code, ERR_NOTFOUND when unknown. *out is released by the
 * caller with municipality_release.
 */
int region_get(struct store *s, const char *code, int year, struct municipality *out,
	       struct err *e);

/* Whether `code` ("GM0935" or "0935") is a known municipality in any year; false for a
 * value that is no gemeentecode at all. */
int region_municipality_exists(struct store *s, const char *code, bool *exists, struct err *e);

/* Whether any municipality has been loaded at all (rules that check codes apply only then). */
int region_any_loaded(struct store *s, bool *any, struct err *e);

void municipality_release(struct municipality *m);
void municipality_free_array(struct municipality *array, size_t n);

#endif
