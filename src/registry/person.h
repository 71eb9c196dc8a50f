/*
 * Young people in the registry. A person is keyed by a pseudonym (HMAC-SHA256 of the BSN
 * under the region's key), or by a random key while provisional (registered without a BSN).
 * BSN, names, address and contact details are sealed under a data key (crypto/keyring.h);
 * birth date, municipality and postcode-4 stay in the clear. A name is found through a keyed
 * blind index of the normalised surname and the birth date, so a search decrypts only the
 * rows it finds.
 *
 * Every function that reads or writes personal data takes the acting identity and appends an
 * audit entry in the same transaction. Structs returned own their strings: free them with
 * person_release / person_free_array.
 */
#ifndef REGISTRY_PERSON_H
#define REGISTRY_PERSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "crypto/keyring.h"
#include "store/store.h"
#include "util/err.h"

/* The identifying data, sealed at rest. Any field may be NULL. */
struct person_pii {
	char *bsn; /* 9 digits; NULL for a provisional person */
	char *given_names;
	char *surname_prefix; /* tussenvoegsel: "van", "de", "van der" … */
	char *surname;
	char *street;
	char *house_number;
	char *postcode; /* 1234AB */
	char *city;
	char *phone;
	char *email;
};

struct person {
	int64_t id;
	char pkey[PSEUDONYM_HEX_SIZE];
	bool provisional;
	char birth_date[11];
	char municipality_code[7]; /* "" when unknown */
	char postcode4[5];         /* "" when unknown */
	int64_t merged_into;       /* 0, or the id of the record this one was merged into */
	char merged_into_key[PSEUDONYM_HEX_SIZE]; /* "", or the key of that record */
	bool has_pii;              /* whether pii was opened */
	struct person_pii pii;
};

/* What a caller gives to add a person; strings are borrowed. */
struct person_input {
	const char *bsn; /* NULL or "": provisional */
	const char *given_names;
	const char *surname_prefix; /* may be NULL: split off the surname when it starts with one */
	const char *surname;
	const char *birth_date; /* YYYY-MM-DD or DD-MM-YYYY */
	const char *postcode;
	const char *street;
	const char *house_number;
	const char *city;
	const char *municipality_code; /* GM0935; NULL: unknown */
	const char *phone;
	const char *email;
};

/*
 * Validate and add a person. With a BSN the key is its pseudonym and a person with the same
 * BSN is ERR_CONFLICT. Without one the person is provisional and needs a surname, a birth date
 * and a postcode. Nothing is written when any field is invalid; errors name the field, the
 * value (a BSN masked) and the rule. Fills *out (may be NULL) without opening the pii.
 */
int person_add(struct store *s, const struct keyring *k, const struct access *who,
	       const struct person_input *in, struct person *out, struct err *e);

/*
 * Add or update many persons from a residence CSV (docs/feeds.md; columns by header name,
 * bsn, surname and birth_date required, others ignored), in one transaction: all rows or
 * none, the first error naming the file, line, column and rule (and how many more rows fail).
 * A row replaces the sealed data and clear fields of the person with its BSN; of several rows
 * of one BSN the last counts. One audit entry ("person.load") per load. *count is the number
 * of rows read. docs/registry.md has the details and the measured speed.
 */
int person_load(struct store *s, const struct keyring *k, const struct access *who,
		const char *path, long *count, struct err *e);

/* The person with key `pkey`; with_pii opens the sealed data (and is audited as a read). */
int person_get(struct store *s, const struct keyring *k, const struct access *who,
	       const char *pkey, bool with_pii, struct person *out, struct err *e);

/*
 * Persons not merged away whose surname (normalised) and birth date match, with their pii
 * opened; an array the caller frees with person_free_array. Audited: one "person.find" entry
 * per person found, or one without a person when none is.
 */
int person_find(struct store *s, const struct keyring *k, const struct access *who,
		const char *surname, const char *birth_date, struct person **out, size_t *n,
		struct err *e);

/*
 * A page of the persons `who` may see (access/decide.h: access_visible, the need-to-know
 * rules for a whole population), without pii, ordered by id; *total is how many `who` may
 * see. One audit entry ("person.list") per page. ERR_FORBIDDEN for a role that never sees
 * persons.
 */
int person_list(struct store *s, const struct access *who, int64_t offset, int64_t limit,
		struct person **out, size_t *n, int64_t *total, struct err *e);

/* A likely pair of records of one young person: `a` to keep (with a BSN), `b` provisional. */
struct person_dup {
	char a[PSEUDONYM_HEX_SIZE], b[PSEUDONYM_HEX_SIZE];
	int score;           /* 0–100 */
	char agree[128];     /* the fields that agree, e.g. "surname~1,given_names,birth_date" */
};

/*
 * Likely duplicates among records of which at least one is provisional and neither merged,
 * with score >= min (0–100; the CLI's default is 65). Candidates come from blocks (surname
 * sound + birth year, birth date equal or with day and month swapped, postcode-4 + birth
 * year); a candidate is decrypted only when its clear fields leave `min` within reach, so it
 * stays fast at a million persons. Ordered by score; *out is freed with free(). One audit
 * entry ("person.duplicates") per search.
 */
int person_duplicates(struct store *s, const struct keyring *k, const struct access *who,
		      int min_score, struct person_dup **out, size_t *n, struct err *e);

/*
 * Merge two records of one young person. The record with a BSN survives (two BSNs: refused);
 * the survivor's missing fields are filled from the other; the other is marked merged. An
 * audit entry is written; *merge_id identifies the merge for person_unmerge.
 */
int person_merge(struct store *s, const struct keyring *k, const struct access *who,
		 const char *pkey_a, const char *pkey_b, int64_t *merge_id, struct err *e);

/*
 * Undo a merge: both records as they were before it, and the moved rows moved back.
 * Refused (ERR_CONFLICT) for a merge undone already, or while a later merge on either record
 * stands; ERR_NOTFOUND for an unknown merge.
 */
int person_unmerge(struct store *s, const struct keyring *k, const struct access *who,
		   int64_t merge_id, struct err *e);

/*
 * Re-encrypt all sealed data under a new data key, in one transaction; the key file at
 * `keyfile` is rewritten first with both keys and, after the commit, with the new one only.
 * *count is the number of sealed values re-encrypted. `k` is changed: on success it holds the
 * new key alone; after a failure it may hold both (as the file does), which stays consistent.
 * One audit entry ("person.rotate_keys") records who did it and how many values.
 */
int person_rotate_keys(struct store *s, struct keyring *k, const struct access *who,
		       const char *keyfile, long *count, struct err *e);

/* Surname normalised for matching: folded, tussenvoegsels and non-letters dropped. */
void person_normalise_surname(const char *surname, struct buf *out);

void person_release(struct person *p);
void person_free_array(struct person *array, size_t n);

#endif
