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
	long municipalities; /* inserted or updated */
	long regions;        /* RMC, labour-market and province rows inserted or updated */
};

/*
 * Load `path` as the municipalities of `year`, in one transaction: all rows or none. Every
 * error names the file, the line and the field. Loading the same file again changes nothing.
 */
int region_load(struct store *s, const char *path, int year, struct region_load_stats *stats,
		struct err *e);

/*
 * The municipalities of `year` (0: the latest year loaded), optionally only those of the
 * RMC region `rmc_code` (NULL: all), ordered by name.
 */
int region_list(struct store *s, int year, const char *rmc_code, struct municipality **out,
		size_t *n, struct err *e);

/* One municipality by CBS code in `year` (0: latest); ERR_NOTFOUND when unknown. */
int region_get(struct store *s, const char *code, int year, struct municipality *out,
	       struct err *e);

/* Whether `code` is a known municipality in any year. */
int region_municipality_exists(struct store *s, const char *code, bool *exists, struct err *e);

void municipality_release(struct municipality *m);
void municipality_free_array(struct municipality *array, size_t n);

#endif
