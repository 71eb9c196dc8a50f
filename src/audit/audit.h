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

/* One entry of the log as read back; strings owned (audit_entries_free). */
struct audit_entry {
	int64_t id;
	char *at, *actor, *organisation, *role, *on_behalf_of, *action, *person_key, *detail,
	    *reason, *client;
};

/*
 * The entries about the person with key `pkey`, oldest first: what the young person is
 * entitled to see (NEN 7513, AVG art. 15), and no other person's entries. The export is
 * itself audited ("audit.export") under `who`. *out is freed with audit_entries_free.
 */
int audit_person_entries(struct store *s, const struct access *who, const char *pkey,
			 struct audit_entry **out, size_t *n, struct err *e);

void audit_entries_free(struct audit_entry *entries, size_t n);

/* Audit entries are kept at least this many years (setting "audit.retention_years"). */
#define AUDIT_RETENTION_MIN_YEARS 5

/* The retention in years (the setting, else AUDIT_RETENTION_MIN_YEARS). */
int audit_retention_get(struct store *s, int *years, struct err *e);

/* Set the retention; ERR_INVALID below AUDIT_RETENTION_MIN_YEARS or above 100. Audited. */
int audit_retention_set(struct store *s, const struct access *who, int years, struct err *e);

/*
 * What a prune would remove now: the entries older than the retention, as a count and the
 * first and last id and time (*first_id 0 when none). Nothing is removed.
 */
int audit_prune_plan(struct store *s, int64_t *count, int64_t *first_id, int64_t *last_id,
		     char last_at[32], struct err *e);

#endif
