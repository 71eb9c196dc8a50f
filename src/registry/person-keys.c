/*
 * Rotation of the data key (see person_rotate_keys in person.h). The order makes every
 * moment safe: the key file gains the new key before any value is sealed with it, all values
 * are re-sealed in one transaction, and only after the commit does the file lose the old key.
 * A crash anywhere leaves a key file that opens every sealed value in the store.
 */
#include "registry/person-internal.h"

#include "audit/audit.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sealed values are read in pages by id, so that memory stays flat on PostgreSQL too. */
#define ROTATE_PAGE 1000

static const char persons_page_sql[] =
	"SELECT id, pkey, pii FROM persons WHERE id > ? ORDER BY id LIMIT ?";
static const char persons_update_sql[] = "UPDATE persons SET pii = ?, key_id = ? WHERE id = ?";

/* A merge's copy of the survivor's data is bound to the survivor's key, like the original. */
static const char merges_page_sql[] =
	"SELECT m.id, p.pkey, m.survivor_pii FROM person_merges m"
	" JOIN persons p ON p.id = m.survivor_id WHERE m.id > ? ORDER BY m.id LIMIT ?";
static const char merges_update_sql[] =
	"UPDATE person_merges SET survivor_pii = ?, survivor_key = ? WHERE id = ?";

struct sealed_row {
	int64_t id;
	char pkey[PSEUDONYM_HEX_SIZE];
	struct buf sealed;
};

/* Read the next page of (id, key, sealed value) after `after` into rows[0..*n). */
static int read_page(struct stmt *page, int64_t after, struct sealed_row *rows, size_t *n,
		     struct err *e)
{
	*n = 0;
	stmt_bind_int64(page, 1, after);
	stmt_bind_int64(page, 2, ROTATE_PAGE);
	int rc = STORE_DONE;
	while (*n < ROTATE_PAGE && (rc = stmt_step(page, e)) == STORE_ROW) {
		struct sealed_row *r = &rows[(*n)++];
		size_t len;
		const void *blob = stmt_blob(page, 2, &len);
		r->id = stmt_int64(page, 0);
		snprintf(r->pkey, sizeof(r->pkey), "%s", stmt_text(page, 1));
		buf_reset(&r->sealed);
		buf_add(&r->sealed, blob, len);
	}
	stmt_reset(page);
	return rc < 0 ? -1 : 0;
}

/* Open `r` with whichever key sealed it and seal it again under the current key. */
static int reseal_row(const struct keyring *k, struct stmt *update, const struct sealed_row *r,
		      struct buf *plain, struct buf *sealed, struct err *e)
{
	buf_reset(plain);
	buf_reset(sealed);
	if (crypto_open(k, r->pkey, r->sealed.data, r->sealed.len, plain, e) < 0)
		return err_prefix(e, "row %lld", (long long)r->id);
	crypto_seal(k, r->pkey, plain->data, plain->len, sealed);
	sodium_memzero(plain->data, plain->len);
	stmt_bind_blob(update, 1, sealed->data, sealed->len);
	stmt_bind_int64(update, 2, keyring_current_id(k));
	stmt_bind_int64(update, 3, r->id);
	int rc = stmt_step(update, e);
	stmt_reset(update);
	return rc < 0 ? -1 : 0;
}

/* Re-seal every value that `page_sql` pages through, writing it back with `update_sql`. */
static int reseal_table(struct store *s, const struct keyring *k, const char *page_sql,
			const char *update_sql, const char *what, long *count, struct err *e)
{
	struct stmt *page = NULL, *update = NULL;
	struct sealed_row *rows = xcalloc(ROTATE_PAGE, sizeof(*rows));
	struct buf plain = BUF_INIT, sealed = BUF_INIT;
	int64_t after = 0;
	size_t n = 0;
	int rc = -1;
	for (size_t i = 0; i < ROTATE_PAGE; i++)
		buf_init(&rows[i].sealed);
	if (store_prepare(s, page_sql, &page, e) < 0 ||
	    store_prepare(s, update_sql, &update, e) < 0)
		goto done;
	do {
		if (read_page(page, after, rows, &n, e) < 0)
			goto done;
		for (size_t i = 0; i < n; i++) {
			if (reseal_row(k, update, &rows[i], &plain, &sealed, e) < 0) {
				err_prefix(e, "%s", what);
				goto done;
			}
			(*count)++;
		}
		if (n)
			after = rows[n - 1].id;
	} while (n == ROTATE_PAGE);
	rc = 0;
done:
	stmt_free(page);
	stmt_free(update);
	for (size_t i = 0; i < ROTATE_PAGE; i++)
		buf_release(&rows[i].sealed);
	free(rows);
	buf_release(&plain);
	buf_release(&sealed);
	return rc;
}

/* Forget a key that was added but never written anywhere. */
static void forget_new_key(struct keyring *k)
{
	k->ndata--;
	sodium_memzero(&k->data[k->ndata], sizeof(k->data[0]));
}

int person_rotate_keys(struct store *s, struct keyring *k, const struct access *who,
		       const char *keyfile, long *count, struct err *e)
{
	*count = 0;
	uint32_t new_id = keyring_add_data_key(k);
	if (new_id == 0)
		return err_set(e, ERR_CONFLICT,
			       "key file '%s' holds %d data keys, the most it can: earlier "
			       "rotations did not finish; restore the store and key file from a "
			       "backup",
			       keyfile, KEYRING_MAX_DATA_KEYS);
	if (keyring_save(k, keyfile, e) < 0) {
		forget_new_key(k);
		return -1;
	}
	if (store_begin(s, e) < 0)
		return -1;
	char detail[160];
	if (reseal_table(s, k, persons_page_sql, persons_update_sql, "persons.pii", count, e) < 0 ||
	    reseal_table(s, k, merges_page_sql, merges_update_sql, "person_merges.survivor_pii",
			 count, e) < 0)
		goto fail;
	snprintf(detail, sizeof(detail),
		 "persons.pii,person_merges.survivor_pii re-sealed=%ld under data key %u", *count,
		 new_id);
	if (audit_append(s, who, "person.rotate_keys", NULL, detail, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		return err_prefix(e, "nothing was re-sealed; key file '%s' holds the old and the "
				     "new key",
				  keyfile);
	keyring_drop_old_data_keys(k);
	if (keyring_save(k, keyfile, e) < 0)
		return err_prefix(e, "all data is sealed under data key %u, but key file '%s' "
				     "still holds the old keys too (safe; run 'inbeeld keys "
				     "rotate' again to drop them)",
				  new_id, keyfile);
	return 0;
fail:
	store_rollback(s);
	*count = 0;
	return err_prefix(e, "nothing was re-sealed; key file '%s' holds the old and the new key",
			  keyfile);
}
