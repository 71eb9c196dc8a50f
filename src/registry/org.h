/*
 * Organisations of the region: schools (BRIN + vestiging, school type, levels offered),
 * municipalities (CBS code), care providers (AGB), employers (KvK), UWV and the employer
 * service point (WSP), and DUO, which delivers enrolments, diplomas and absence reports on
 * behalf of the schools. Each identifier is validated by its rule (registry/ident.h).
 *
 * A struct organisation owns its strings; free with org_release / org_free_array.
 */
#ifndef REGISTRY_ORG_H
#define REGISTRY_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/err.h"

enum org_kind { ORG_SCHOOL, ORG_MUNICIPALITY, ORG_CARE, ORG_EMPLOYER, ORG_UWV, ORG_WSP, ORG_DUO };

struct organisation {
	int64_t id;
	enum org_kind kind;
	char *ident;             /* normalised identifier: 12AB00, GM0935, AGB, KvK, … */
	char *name;
	char *school_type;       /* VO, VSO, PrO, mbo; NULL for others */
	char *levels;            /* comma-separated, e.g. "vmbo-b,vmbo-k,havo"; NULL */
	char *municipality_code; /* where it is located; NULL */
	char *created_at;
};

struct org_input {
	const char *kind; /* "school", "municipality", "care", "employer", "uwv", "wsp", "duo" */
	const char *ident;
	const char *name;
	const char *school_type;
	const char *levels;
	const char *municipality_code;
};

const char *org_kind_name(enum org_kind kind);
int org_kind_parse(const char *s, enum org_kind *out, struct err *e);

/*
 * Validate and add an organisation; ERR_CONFLICT when one of that kind and identifier exists.
 * UWV, WSP and DUO need no registry identifier: theirs is a short code chosen by the region
 * (letters, digits, '-'). Fills *out (may be NULL).
 */
int org_add(struct store *s, const struct org_input *in, struct organisation *out,
	    struct err *e);

/* Add, or update the name, type, levels and location of, an existing one (for loads). */
int org_upsert(struct store *s, const struct org_input *in, struct organisation *out,
	       struct err *e);

/* Load organisations from a CSV (kind,ident,name,school_type,levels,municipality_code), in
 * one transaction; every error names file, line and field. *count is the number of rows. */
int org_load(struct store *s, const char *path, long *count, struct err *e);

/* By id, or by "kind:ident" / bare identifier (ERR_CONFLICT when a bare one is ambiguous). */
int org_get(struct store *s, const char *ref, struct organisation *out, struct err *e);

/* All organisations, optionally of one kind (NULL: all), ordered by kind and name. */
int org_list(struct store *s, const char *kind, struct organisation **out, size_t *n,
	     struct err *e);

void org_release(struct organisation *o);
void org_free_array(struct organisation *array, size_t n);

#endif
