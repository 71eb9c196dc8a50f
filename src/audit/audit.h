/*
 * The audit log (after NEN 7513): one entry for every read and write of personal data — when,
 * who, for which organisation and role, on whose behalf, what, on which person, on what ground,
 * from where. Entries are append-only and hash-chained: each holds the SHA-256 of the previous
 * entry's hash and its own fields, so that `audit verify` finds any change, deletion or
 * reordering.
 */
#ifndef AUDIT_AUDIT_H
#define AUDIT_AUDIT_H

#include <stdint.h>

#include "access/access.h"
#include "store/store.h"
#include "util/err.h"

#define AUDIT_HASH_HEX_SIZE 65

/*
 * Append an entry for `who` doing `action` (e.g. "person.read") on the person with key
 * `person_key` (may be NULL), touching `detail` (fields or record kinds, may be NULL).
 * Runs inside the caller's transaction when there is one, so the entry and the change it
 * records commit together.
 */
int audit_append(struct store *s, const struct access *who, const char *action,
		 const char *person_key, const char *detail, struct err *e);

/*
 * Recompute the chain. On success *checked is the number of entries; if an entry does not
 * match, *first_bad is its id (or the id after which one is missing) and -1 is returned with
 * a message that names it.
 */
int audit_verify(struct store *s, int64_t *checked, int64_t *first_bad, struct err *e);

#endif
