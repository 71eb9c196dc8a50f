/*
 * The audit log (after NEN 7513): one entry for every read and write of personal data — when,
 * who, for which organisation and role, on whose behalf, what, on which person, on what ground,
 * from where. Entries are append-only and hash-chained: each holds the SHA-256 of the previous
 * entry's hash and its own fields, so that `audit verify` finds any change, deletion or
 * reordering.
 *
 * Two anchors hold the chain at its ends (table audit_anchors, docs/access.md "Retention of
 * the audit log" and docs/security.md "The audit log"), each sealed with an HMAC under the
 * audit key, which comes from the key file and so is not in the store:
 *   - the head: how many entries were ever appended and the hash of the last; every append
 *     moves it, so that removing the newest entries (which the chain alone cannot show) is
 *     found;
 *   - the checkpoint: how many entries a prune removed and the hash of the last of them, on
 *     which the oldest entry kept follows.
 * A process that writes entries must have the key (audit_set_key); the CLI and the server set
 * it from the key file.
 *
 * Group commit: a thread may collect the entries of its reads (audit_collect_begin) instead
 * of writing each in the read's own transaction; one writer then appends the entries of many
 * reads in one transaction (audit_commit_batches), and a read is answered only once its
 * entries are committed. Entries of writes are never collected: they commit with the change.
 *
 * Ownership: strings passed in are borrowed and copied; struct audit_batch owns its entries
 * (audit_batch_release); struct audit_entry arrays are freed with audit_entries_free.
 */
#ifndef AUDIT_AUDIT_H
#define AUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access/access.h"
#include "store/store.h"
#include "util/err.h"

#define AUDIT_HASH_HEX_SIZE 65
#define AUDIT_KEY_BYTES 32

/*
 * The key that seals the anchors, for this process (crypto/keyring.h: keyring_audit_key).
 * Set it before the first entry is written; the server's threads only read it.
 */
void audit_set_key(const unsigned char key[AUDIT_KEY_BYTES]);
void audit_clear_key(void);
bool audit_has_key(void);

/*
 * Append an entry for `who` doing `action` (e.g. "person.add") on the person with key
 * `person_key` (may be NULL), touching `detail` (fields or record kinds, may be NULL), and
 * move the head. Runs inside the caller's transaction when there is one, so the entry and
 * the change it records commit together. ERR_FORBIDDEN without the audit key; ERR_INVALID
 * when the head is missing from a log that has entries (it was removed).
 */
int audit_append(struct store *s, const struct access *who, const char *action,
		 const char *person_key, const char *detail, struct err *e);

/*
 * The entry of a read (person.read, person.status, person.timeline, person.denied, …): as
 * audit_append, unless this thread collects its reads (audit_collect_begin), in which case
 * the entry goes into the collection and is written by audit_commit_batches.
 */
int audit_append_read(struct store *s, const struct access *who, const char *action,
		      const char *person_key, const char *detail, struct err *e);

/*
 * The transaction of an audited read: a write transaction, in which the read's entry is
 * written (audit_append_read) and commits with it; or, while the thread collects its reads,
 * a read transaction that takes no write lock. Ends with store_commit / store_rollback.
 */
int audit_tx_begin(struct store *s, struct err *e);

/* Entries collected from one thread's reads, waiting for a group commit. */
struct audit_pending;
struct audit_batch {
	struct audit_pending *entries;
	size_t n, cap;
};

/* From now on this thread's audit_append_read puts entries into *b (borrowed until end). */
void audit_collect_begin(struct audit_batch *b);
void audit_collect_end(void);
bool audit_collecting(void);

/*
 * Append the entries of batches[0..n) (in that order) in one transaction and move the head
 * once. Either all are committed or none (-1). Batches without entries are skipped.
 */
int audit_commit_batches(struct store *s, struct audit_batch *const *batches, size_t n,
			 struct err *e);
void audit_batch_release(struct audit_batch *b);

/*
 * How commits on `s` end, for the connection that group-commits audit entries. on_disk:
 * a commit returns once it is on disk (SQLite synchronous=FULL: the write-ahead log is
 * synced at every commit; PostgreSQL's default), so an answered read's entry survives a
 * crash of the machine. Otherwise a commit returns once the database has it (SQLite's
 * synchronous=NORMAL, as for every other write of the store: it survives a crash of inbeeld
 * but a crash of the machine may lose the last commits; PostgreSQL's synchronous_commit =
 * off: the same, and a crash of its server too).
 */
int audit_set_durability(struct store *s, bool on_disk, struct err *e);

/* The sealed head as it stands: entries ever appended, the last one's id and hash. */
struct audit_head {
	int64_t seq;
	int64_t entry_id;
	char hash[AUDIT_HASH_HEX_SIZE];
	char at[32];
	char mac[AUDIT_HASH_HEX_SIZE];
};

/*
 * What verify found. On failure first_bad is the id of the first entry that does not fit (or
 * the id the head names for the newest entry, when entries were removed from the end) and
 * the error names it.
 */
struct audit_verify_result {
	int64_t checked;       /* entries in the table that verified */
	int64_t pruned;        /* entries removed by prune before the checkpoint */
	int64_t first_bad;
	int64_t anchors;       /* anchors of an anchor file that were checked */
	struct audit_head head;
};

/*
 * Recompute the chain from the checkpoint to the head and check both anchors' seals (needs
 * the audit key). With anchor_file (may be NULL), also each anchor written there by
 * audit_anchor_write: the entry it names must still have its hash, and the log must not be
 * shorter than any of them (a store put back from an older copy). Returns -1 with a message
 * naming what does not fit.
 */
int audit_verify(struct store *s, const char *anchor_file, struct audit_verify_result *r,
		 struct err *e);

/*
 * Verify, then append the sealed head as one line to `path` (created with mode 0600), a file
 * that should live apart from the store (another machine, the privacy officer's mailbox).
 * *head gets what was written.
 */
int audit_anchor_write(struct store *s, const char *path, struct audit_head *head, struct err *e);

/*
 * For a store upgraded to the anchors (migration 0010) with entries already in it: seal a
 * head over the log as it stands. Does nothing when there is a head. For `inbeeld init`.
 */
int audit_seal_existing(struct store *s, struct err *e);

/* Seal and store the checkpoint (inside the caller's transaction): for audit_prune. */
int audit_checkpoint_put(struct store *s, struct audit_head *cp, struct err *e);

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
 * What a prune would remove today (date_today, so INBEELD_TODAY moves it): the oldest
 * entries up to the first that is younger than the retention — a run from the start of the
 * chain, so that what is kept still follows on the checkpoint — as a count and the first and
 * last id and the last time (*first_id 0 when none). Nothing is removed.
 */
int audit_prune_plan(struct store *s, int64_t *count, int64_t *first_id, int64_t *last_id,
		     char last_at[32], struct err *e);

/*
 * Remove the entries of the plan up to and including id `up_to` (which the dry run named),
 * after verifying the whole chain: the checkpoint moves to the last one removed and an entry
 * "audit.prune" records it, in one transaction. ERR_INVALID when `up_to` lies beyond the
 * plan (an entry younger than the retention) or the chain does not verify. *removed gets
 * the count.
 */
int audit_prune(struct store *s, const struct access *who, int64_t up_to, int64_t *removed,
		struct err *e);

#endif
