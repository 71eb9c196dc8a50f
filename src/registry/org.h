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

/* "school", … for a kind; "unknown" for a value outside the enum. */
const char *org_kind_name(enum org_kind kind);

/* A kind by name, case-insensitively; ERR_INVALID naming the field, the value and the kinds. */
int org_kind_parse(const char *s, enum org_kind *out, struct err *e);

/*
 * Validate and add an organisation; ERR_CONFLICT when one of that kind and identifier exists.
 * The identifier follows the kind's rule: a school's BRIN + vestiging (ident_brin), a
 * municipality's CBS code, a care provider's AGB code, an employer's KvK number. UWV, WSP and
 * DUO need no registry identifier: theirs is a short code chosen by the region (2–20
 * letters, digits or '-', stored upper-cased). A school needs school_type (VO, VSO, PrO or
 * mbo, any case) and may list levels of that type (comma-separated; stored in the type's own
 * order, once each); others may have neither. municipality_code is optional (a municipality
 * defaults to itself); when municipalities are loaded (region.h) it must be one of them, as
 * must a municipality's own code. Every error is ERR_INVALID naming the field, the value and
 * the rule. Empty strings count as absent. Fills *out (may be NULL; release it).
 */
int org_add(struct store *s, const struct org_input *in, struct organisation *out,
	    struct err *e);

/*
 * Add, or update the name, type, levels and location of, an existing one (for loads): the
 * stored fields become exactly those of `in`. Validation as org_add.
 */
int org_upsert(struct store *s, const struct org_input *in, struct organisation *out,
	       struct err *e);

/*
 * Load organisations from a CSV with a header naming the columns kind, ident and name and
 * optionally school_type, levels and municipality_code (aliases in docs/registry.md; other
 * columns are ignored), upserting each row, in one transaction: all rows or none. A second
 * row for the same kind:ident is refused. Every error names the file, the line, the column
 * and the rule. *count is the number of rows loaded (0 on failure).
 */
int org_load(struct store *s, const char *path, long *count, struct err *e);

/*
 * By reference: "id:N"; "kind:ident" (school:12ab-00, normalised by the kind's rule); or a
 * bare id or identifier, tried as an id and under every kind whose rule accepts it —
 * ERR_CONFLICT naming the candidates when it fits more than one organisation (an 8-digit
 * number can be an id, an AGB code and a KvK number), ERR_NOTFOUND when none.
 * *out is zeroed first and released by the caller.
 */
int org_get(struct store *s, const char *ref, struct organisation *out, struct err *e);

/*
 * All organisations, optionally of one kind (NULL: all; a kind name in any case, else
 * ERR_INVALID), ordered by kind (in the order of enum org_kind), then by name as folded for
 * reading, then id. *out is freed by the caller with org_free_array.
 */
int org_list(struct store *s, const char *kind, struct organisation **out, size_t *n,
	     struct err *e);

void org_release(struct organisation *o);
void org_free_array(struct organisation *array, size_t n);

#endif
