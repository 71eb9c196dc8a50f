/*
 * What the parts of the person module share (person.c, person-dedup.c, person-merge.c,
 * person-keys.c) and what its unit tests look into: validation into a normalised record,
 * sealing and opening the identifying data, the name keys, the duplicate score, and the table
 * of columns that point at a person. Nothing outside src/registry/person*.c and the unit
 * tests includes this file.
 */
#ifndef REGISTRY_PERSON_INTERNAL_H
#define REGISTRY_PERSON_INTERNAL_H

#include "registry/ident.h"
#include "registry/person.h"
#include "util/buf.h"
#include "util/date.h"

/* The longest name, street, city or e-mail address accepted, in bytes. */
#define PERSON_TEXT_MAX 200

/* The columns every person query selects, in this order (see person_from_row). */
#define PERSON_COLUMNS                                                                         \
	"p.id, p.pkey, p.provisional, p.birth_date, p.municipality_code, p.postcode4, "       \
	"p.merged_into, (SELECT m.pkey FROM persons m WHERE m.id = p.merged_into), p.pii"
#define PERSON_COLUMN_PII 8

/* A person's input after validation: trimmed, normalised, the tussenvoegsel split off. */
struct person_valid {
	struct person_pii pii; /* owned; bsn NULL for a provisional person */
	char birth_date[DATE_STR_SIZE];
	char municipality_code[GEMEENTE_SIZE]; /* "" when unknown */
	char postcode4[5];                     /* "" when unknown */
};

/*
 * Check every field of `in` and fill `v` (which the caller releases with
 * person_valid_release, also after a failure). Errors read "field NAME: … (rule: …)", with a
 * BSN masked and no name, address or contact value in them.
 */
int person_validate(const struct person_input *in, struct person_valid *v, struct err *e);
void person_valid_release(struct person_valid *v);

/* The pii fields by name, in the order they are stored and shown. */
struct person_pii_field {
	const char *name;
	size_t offset;
};
extern const struct person_pii_field person_pii_fields[];
extern const size_t person_pii_nfields;
#define PERSON_PII_FIELD(pii, i) (*(char **)((char *)(pii) + person_pii_fields[i].offset))

void person_pii_release(struct person_pii *pii);
/* Copy `from` into `to` (released first); the strings are duplicated. */
void person_pii_copy(struct person_pii *to, const struct person_pii *from);
/* Append "pii(bsn,surname,…)": the names of the fields that hold a value, never the values. */
void person_pii_detail(const struct person_pii *pii, struct buf *out);

/* Seal `pii` as a JSON object under the current data key, bound to `pkey`; appends to out. */
void person_pii_seal(const struct keyring *k, const char *pkey, const struct person_pii *pii,
		     struct buf *out);
/* Open a sealed pii value of the person `pkey` into `out` (released by the caller). */
int person_pii_open(const struct keyring *k, const char *pkey, const void *sealed, size_t len,
		    struct person_pii *out, struct err *e);

/*
 * The keyed tokens of a surname (as given, with or without tussenvoegsel) and a birth date
 * "YYYY-MM-DD": the name index (exact search) and the name block (duplicate candidates).
 */
void person_name_tokens(const struct keyring *k, const char *surname, const char *birth_date,
			char index[BLIND_HEX_SIZE], char block[BLIND_HEX_SIZE]);

/* The byte length of a leading tussenvoegsel in `surname` with the blanks after it; 0 if none. */
size_t person_prefix_length(const char *surname);

/* The Dutch-aware sound code of a normalised surname (docs/registry.md); appends to out. */
void person_sound_code(const char *normalised, struct buf *out);

/* Damerau-Levenshtein distance (optimal string alignment) of two byte strings. */
int person_edit_distance(const char *a, const char *b);

/* A random key for a provisional person: 64 hex digits, like a pseudonym. */
void person_random_key(char out[PSEUDONYM_HEX_SIZE]);

/* Now as "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void person_now(char out[32]);

/* Fill the clear fields of `p` from a row of PERSON_COLUMNS; the pii stays closed. */
void person_from_row(struct stmt *st, struct person *p);

/* What the duplicate score compares of one record, from its clear fields and opened pii. */
struct person_match {
	char surname[PERSON_TEXT_MAX + 1]; /* normalised */
	char given[PERSON_TEXT_MAX + 1];   /* the first given name, folded; "" unknown */
	char birth_date[DATE_STR_SIZE];
	char postcode[POSTCODE_SIZE]; /* "" unknown */
	char postcode4[5];            /* "" unknown */
};

void person_match_from(const struct person *p, struct person_match *m);

/*
 * The score (0–100) of a pair and the fields that agree ("surname~1,birth_date(swapped)"),
 * written into agree (128 bytes). Weights in docs/registry.md.
 */
int person_dup_score(const struct person_match *a, const struct person_match *b,
		     char agree[128]);

/* How two birth dates agree: 0 not, 1 one digit off, 2 day and month swapped, 3 equal. */
enum person_date_agreement {
	DATE_DIFFERENT,
	DATE_ONE_DIGIT,
	DATE_SWAPPED,
	DATE_EQUAL,
};
enum person_date_agreement person_date_agreement(const char *a, const char *b);

/*
 * The highest score a pair could reach, from what is in the clear (birth dates, postcode-4,
 * whether the name blocks are equal); a pair below the minimum is never decrypted.
 */
int person_dup_bound(const char *birth_a, const char *birth_b, const char *pc4_a,
		     const char *pc4_b, bool same_block);

/*
 * A column of another table that holds a person's id (persons.id). A merge moves the rows of
 * the merged record to the survivor and records each one in person_merge_moves, so that an
 * undo moves them back. The table needs an integer primary key called `id`. The list ends
 * with a NULL table; a table that refers to persons adds one line to person_refs.
 *
 * `unique` (or NULL) names the columns that are unique together with the person's: a row
 * of the merged record whose values there the survivor has already is the same thing twice
 * and stays with the merged record (a feed record both were delivered).
 */
struct person_ref {
	const char *table;
	const char *column;
	const char *unique; /* "a, b": unique with `column`; NULL: nothing */
};
extern const struct person_ref person_refs[];

/* person_merge and person_unmerge over a given list of references (tests use their own). */
int person_merge_refs(struct store *s, const struct keyring *k, const struct access *who,
		      const char *pkey_a, const char *pkey_b, const struct person_ref *refs,
		      int64_t *merge_id, struct err *e);
int person_unmerge_refs(struct store *s, const struct keyring *k, const struct access *who,
			int64_t merge_id, const struct person_ref *refs, struct err *e);

#endif
