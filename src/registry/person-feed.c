/*
 * Persons as the feed importers meet them (see person-feed.h): resolve or create by BSN,
 * and replace the identifying data from a residence row, sealing it as person.c does.
 */
#include "registry/person-feed.h"
#include "registry/person-internal.h"

#include "util/hex.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* All persons: a provisional one's random key never equals a pseudonym, and without a
 * condition the scan reads only the index on pkey, not the sealed data. */
static const char all_sql[] = "SELECT pkey, id FROM persons";

static const char by_pkey_sql[] = "SELECT id FROM persons WHERE pkey = ?";

/* A person first seen in a feed that carries only the BSN: nothing but the BSN sealed. */
static const char create_sql[] =
    "INSERT INTO persons (pkey, provisional, pii, key_id, created_at, updated_at)"
    " VALUES (?, 0, ?, ?, ?, ?) ON CONFLICT (pkey) DO NOTHING RETURNING id";

/* A person first seen in a residence row: created with its data at once, not created and
 * then updated (a second write of the row and of every index on it). */
static const char create_full_sql[] =
    "INSERT INTO persons (pkey, provisional, pii, key_id, created_at, updated_at, birth_date,"
    " municipality_code, postcode4, name_index, name_block)"
    " VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pkey) DO NOTHING RETURNING id";

static const char pii_sql[] = "SELECT pii FROM persons WHERE id = ?";

static const char update_sql[] =
    "UPDATE persons SET provisional = 0, birth_date = ?, municipality_code = ?,"
    " postcode4 = ?, name_index = ?, name_block = ?, pii = ?, key_id = ?, updated_at = ?"
    " WHERE id = ?";

/*
 * One slot of the map: the first 16 bytes of a pseudonym and the person's id (0: empty),
 * negative when the person was created by this import (no sealed data worth keeping).
 * 24 bytes; the map is at most 70 % full, so a million persons take about 34 MiB.
 */
struct slot {
	unsigned char key[16];
	int64_t id;
};

/* Store lookups after which an on-demand map is loaded: a lookup costs a few index pages,
 * loading the map reads every person once. */
#define ON_DEMAND_MIN 1024

struct person_feed {
	struct store *s;
	const struct keyring *k;
	enum person_feed_mode mode;
	bool loaded; /* the map holds every person with a BSN */
	struct slot *slots;
	size_t cap, used;
	long lookups;         /* store lookups so far */
	long on_demand_after; /* ON_DEMAND: load the map after this many */
	struct stmt *by_pkey, *create, *create_full, *pii, *update;
	struct buf sealed;
	char now[32];
	long created, updated;
	/* The last row's person: the rows of one person usually follow each other. */
	char last_bsn[BSN_SIZE];
	int64_t last_id;
	/* The pseudonym person_feed_prefetch computed for the coming row. */
	char next_bsn[BSN_SIZE];
	unsigned char next_mac[crypto_auth_hmacsha256_BYTES];
};

/* The first 16 bytes of a pseudonym's 64 hex digits (run once a person by the preload);
 * false for a key that is not a pseudonym. */
static bool key_of(const char *pkey, unsigned char key[16])
{
	return hex_decode(pkey, 16, key);
}

/* The slot to start probing at: the key's first 4 bytes (uniform, they come from an HMAC)
 * scaled to the capacity, which need not be a power of two (and stays below 2^32). */
static size_t slot_index(const struct person_feed *pf, const unsigned char key[16])
{
	uint32_t h;
	memcpy(&h, key, sizeof(h));
	return (size_t)(((uint64_t)h * pf->cap) >> 32);
}

static struct slot *map_find(struct person_feed *pf, const unsigned char key[16])
{
	if (!pf->cap)
		return NULL;
	for (size_t i = slot_index(pf, key);; i = i + 1 == pf->cap ? 0 : i + 1) {
		if (!pf->slots[i].id)
			return NULL;
		if (memcmp(pf->slots[i].key, key, 16) == 0)
			return &pf->slots[i];
	}
}

static void map_resize(struct person_feed *pf, size_t want);

static void map_put(struct person_feed *pf, const unsigned char key[16], int64_t id, bool fresh)
{
	if ((pf->used + 1) * 10 > pf->cap * 7)
		map_resize(pf, pf->used * 2 + 1024);
	size_t i = slot_index(pf, key);
	while (pf->slots[i].id)
		i = i + 1 == pf->cap ? 0 : i + 1;
	memcpy(pf->slots[i].key, key, 16);
	pf->slots[i].id = fresh ? -id : id;
	pf->used++;
}

/* A map for `want` persons (at most 70 % full), keeping what it holds. */
static void map_resize(struct person_feed *pf, size_t want)
{
	struct slot *old = pf->slots;
	size_t old_cap = pf->cap;
	pf->cap = want * 10 / 7 + 64;
	pf->slots = xcalloc(pf->cap, sizeof(*pf->slots));
	pf->used = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].id)
			map_put(pf, old[i].key, old[i].id < 0 ? -old[i].id : old[i].id,
			        old[i].id < 0);
	free(old);
}

/* Every person with a BSN into the map (those it holds already stay, marks and all). */
static int preload(struct person_feed *pf, struct err *e)
{
	enum { GROUP = 16 };
	struct stmt *st;
	int64_t n = 0;
	if (store_query_int64(pf->s, "SELECT max(id) FROM persons", &n, e) < 0)
		return -1;
	if ((size_t)n + pf->used > pf->cap * 7 / 10)
		map_resize(pf, (size_t)n + pf->used);
	bool empty = pf->used == 0; /* then no key can be in it twice: no need to look */
	if (store_prepare(pf->s, all_sql, &st, e) < 0)
		return -1;
	/* A group of keys at a time: their slots are fetched into the CPU's cache together
	 * instead of one miss after the other (the map is larger than the cache). */
	unsigned char keys[GROUP][16];
	int64_t ids[GROUP];
	int rc, k = 0;
	do {
		rc = stmt_step(st, e);
		if (rc == STORE_ROW) {
			const char *pkey = stmt_text(st, 0);
			if (!pkey || !key_of(pkey, keys[k]))
				continue;
			ids[k] = stmt_int64(st, 1);
			__builtin_prefetch(&pf->slots[slot_index(pf, keys[k])], 1);
			if (++k < GROUP)
				continue;
		}
		for (int i = 0; i < k; i++)
			if (empty || !map_find(pf, keys[i]))
				map_put(pf, keys[i], ids[i], false);
		k = 0;
	} while (rc == STORE_ROW);
	stmt_free(st);
	if (rc < 0)
		return -1;
	pf->loaded = true;
	return 0;
}

int person_feed_open(struct store *s, const struct keyring *k, enum person_feed_mode mode,
                     struct person_feed **out, struct err *e)
{
	struct person_feed *pf = xcalloc(1, sizeof(*pf));
	pf->s = s;
	pf->k = k;
	pf->mode = mode;
	buf_init(&pf->sealed);
	person_now(pf->now);
	*out = NULL;
	int64_t persons = 0;
	if (store_prepare(s, by_pkey_sql, &pf->by_pkey, e) < 0 ||
	    store_prepare(s, create_sql, &pf->create, e) < 0 ||
	    store_prepare(s, create_full_sql, &pf->create_full, e) < 0 ||
	    store_prepare(s, pii_sql, &pf->pii, e) < 0 ||
	    store_prepare(s, update_sql, &pf->update, e) < 0 ||
	    (mode == PERSON_FEED_PRELOAD && preload(pf, e) < 0) ||
	    (mode == PERSON_FEED_ON_DEMAND &&
	     store_query_int64(s, "SELECT max(id) FROM persons", &persons, e) < 0)) {
		person_feed_free(pf);
		return -1;
	}
	pf->on_demand_after = persons / 16 > ON_DEMAND_MIN ? (long)(persons / 16) : ON_DEMAND_MIN;
	*out = pf;
	return 0;
}

void person_feed_free(struct person_feed *pf)
{
	if (!pf)
		return;
	stmt_free(pf->by_pkey);
	stmt_free(pf->create);
	stmt_free(pf->create_full);
	stmt_free(pf->pii);
	stmt_free(pf->update);
	free(pf->slots);
	buf_release(&pf->sealed);
	sodium_memzero(pf->last_bsn, sizeof(pf->last_bsn));
	sodium_memzero(pf->next_bsn, sizeof(pf->next_bsn));
	free(pf);
}

long person_feed_created(const struct person_feed *pf)
{
	return pf->created;
}

long person_feed_updated(const struct person_feed *pf)
{
	return pf->updated;
}

/* The id of `pkey` from the store; 0 when there is none. */
static int lookup(struct person_feed *pf, const char *pkey, int64_t *id, struct err *e)
{
	pf->lookups++;
	stmt_bind_text(pf->by_pkey, 1, pkey);
	int rc = stmt_step(pf->by_pkey, e);
	*id = rc == STORE_ROW ? stmt_int64(pf->by_pkey, 0) : 0;
	stmt_reset(pf->by_pkey);
	return rc < 0 ? -1 : 0;
}

/* The columns a residence row fills, bound from 6 on (create_full_sql) or from 1 on
 * (update_sql), with its data sealed into pf->sealed. */
static void bind_data(struct person_feed *pf, struct stmt *st, int first, const char *pkey,
                      const struct person_valid *v)
{
	char index[BLIND_HEX_SIZE], block[BLIND_HEX_SIZE];
	person_name_tokens(pf->k, v->pii.surname, v->birth_date, index, block);
	buf_reset(&pf->sealed);
	person_pii_seal(pf->k, pkey, &v->pii, &pf->sealed);
	stmt_bind_text(st, first, v->birth_date);
	stmt_bind_text(st, first + 1, v->municipality_code[0] ? v->municipality_code : NULL);
	stmt_bind_text(st, first + 2, v->postcode4[0] ? v->postcode4 : NULL);
	stmt_bind_text(st, first + 3, index);
	stmt_bind_text(st, first + 4, block);
}

/* Create the person `pkey`: with the BSN only, or with a residence row's data (`in`). */
static int create(struct person_feed *pf, const char *pkey, const char *bsn,
                  const struct person_input *in, int64_t *id, struct err *e)
{
	struct stmt *st = in ? pf->create_full : pf->create;
	if (in) {
		struct person_valid v;
		int rc = person_validate(in, &v, e);
		if (rc == 0)
			bind_data(pf, st, 6, pkey, &v);
		person_valid_release(&v);
		if (rc < 0)
			return -1;
	} else {
		struct person_pii pii;
		memset(&pii, 0, sizeof(pii));
		pii.bsn = (char *)bsn; /* borrowed: sealed, never freed here */
		buf_reset(&pf->sealed);
		person_pii_seal(pf->k, pkey, &pii, &pf->sealed);
	}
	stmt_bind_text(st, 1, pkey);
	stmt_bind_blob(st, 2, pf->sealed.data, pf->sealed.len);
	stmt_bind_int64(st, 3, keyring_current_id(pf->k));
	stmt_bind_text(st, 4, pf->now);
	stmt_bind_text(st, 5, pf->now);
	int rc = stmt_step(st, e);
	*id = rc == STORE_ROW ? stmt_int64(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return -1;
	if (*id)
		return 0;
	/* Created meanwhile by an import of another source: use that one. */
	if (lookup(pf, pkey, id, e) < 0)
		return -1;
	return *id ? 1
	           : err_set(e, ERR_INTERNAL, "person '%.16s…' neither created nor found", pkey);
}

void person_feed_prefetch(struct person_feed *pf, const char *bsn)
{
	if (!bsn || strlen(bsn) != 9 || strspn(bsn, "0123456789") != 9 ||
	    (pf->last_id && strcmp(bsn, pf->last_bsn) == 0)) {
		pf->next_bsn[0] = '\0';
		return;
	}
	memcpy(pf->next_bsn, bsn, 10);
	crypto_pseudonym_bin(pf->k, bsn, pf->next_mac);
	if (pf->cap)
		__builtin_prefetch(&pf->slots[slot_index(pf, pf->next_mac)]);
}

void person_feed_expect(struct person_feed *pf, const char *bsn,
                        const unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	size_t n = strlen(bsn);
	if (n >= sizeof(pf->next_bsn)) {
		pf->next_bsn[0] = '\0';
		return;
	}
	memcpy(pf->next_bsn, bsn, n + 1);
	memcpy(pf->next_mac, mac, sizeof(pf->next_mac));
}

static int resolve(struct person_feed *pf, const char *bsn, const struct person_input *in,
                   int64_t *id, bool *created, struct err *e)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char pkey[PSEUDONYM_HEX_SIZE];
	if (pf->next_bsn[0] && strcmp(bsn, pf->next_bsn) == 0)
		memcpy(mac, pf->next_mac, sizeof(mac));
	else
		crypto_pseudonym_bin(pf->k, bsn, mac);
	pf->next_bsn[0] = '\0';
	*created = false;
	struct slot *found = map_find(pf, mac);
	if (found) {
		*id = found->id < 0 ? -found->id : found->id;
		return 0;
	}
	if (pf->mode == PERSON_FEED_ON_DEMAND && !pf->loaded &&
	    pf->lookups >= pf->on_demand_after) {
		if (preload(pf, e) < 0)
			return -1;
		if ((found = map_find(pf, mac))) {
			*id = found->id < 0 ? -found->id : found->id;
			return 0;
		}
	}
	sodium_bin2hex(pkey, sizeof(pkey), mac, sizeof(mac));
	if (!pf->loaded) {
		if (lookup(pf, pkey, id, e) < 0)
			return -1;
		if (*id) {
			map_put(pf, mac, *id, false);
			return 0;
		}
	}
	int rc = create(pf, pkey, bsn, in, id, e);
	if (rc < 0)
		return -1;
	*created = rc == 0;
	if (*created)
		pf->created++;
	map_put(pf, mac, *id, *created);
	return 0;
}

/* person_feed_resolve, creating a missing person with `in` when it is not NULL. */
static int resolve_last(struct person_feed *pf, const char *bsn, const struct person_input *in,
                        int64_t *id, bool *created, struct err *e)
{
	if (pf->last_id && strcmp(bsn, pf->last_bsn) == 0) {
		*id = pf->last_id;
		*created = false;
		return 0;
	}
	pf->last_id = 0;
	if (resolve(pf, bsn, in, id, created, e) < 0)
		return -1;
	size_t n = strlen(bsn);
	if (n < sizeof(pf->last_bsn)) {
		memcpy(pf->last_bsn, bsn, n + 1);
		pf->last_id = *id;
	}
	return 0;
}

int person_feed_resolve(struct person_feed *pf, const char *bsn, int64_t *id, bool *created,
                        struct err *e)
{
	return resolve_last(pf, bsn, NULL, id, created, e);
}

int person_feed_resolve_with(struct person_feed *pf, const struct person_input *in, int64_t *id,
                             bool *created, struct err *e)
{
	return resolve_last(pf, in->bsn, in, id, created, e);
}

int person_feed_validate(const struct person_input *in, struct err *e)
{
	struct person_valid v;
	int rc = person_validate(in, &v, e);
	person_valid_release(&v);
	return rc;
}

/* Keep phone and e-mail that the person's sealed data already holds. */
static int keep_contact(struct person_feed *pf, int64_t id, const char *pkey,
                        struct person_pii *pii, struct err *e)
{
	stmt_bind_int64(pf->pii, 1, id);
	int rc = stmt_step(pf->pii, e);
	if (rc == STORE_ROW) {
		struct person_pii old;
		size_t len;
		const void *sealed = stmt_blob(pf->pii, 0, &len);
		rc = person_pii_open(pf->k, pkey, sealed, len, &old, e);
		if (rc == 0) {
			if (!pii->phone && old.phone)
				pii->phone = xstrdup(old.phone);
			if (!pii->email && old.email)
				pii->email = xstrdup(old.email);
		}
		person_pii_release(&old);
	}
	stmt_reset(pf->pii);
	return rc < 0 ? -1 : 0;
}

int person_feed_update(struct person_feed *pf, int64_t id, const struct person_input *in,
                       struct err *e)
{
	struct person_valid v;
	char pkey[PSEUDONYM_HEX_SIZE];
	unsigned char key[16];
	int rc = -1;
	if (person_validate(in, &v, e) < 0)
		goto done;
	if (!v.pii.bsn) {
		err_set(e, ERR_INTERNAL, "a residence row without a BSN reached the update");
		goto done;
	}
	crypto_pseudonym(pf->k, v.pii.bsn, pkey);
	key_of(pkey, key);
	struct slot *slot = map_find(pf, key);
	if (!(slot && slot->id < 0) && keep_contact(pf, id, pkey, &v.pii, e) < 0)
		goto done;
	struct stmt *st = pf->update;
	bind_data(pf, st, 1, pkey, &v);
	stmt_bind_blob(st, 6, pf->sealed.data, pf->sealed.len);
	stmt_bind_int64(st, 7, keyring_current_id(pf->k));
	stmt_bind_text(st, 8, pf->now);
	stmt_bind_int64(st, 9, id);
	rc = stmt_step(st, e);
	stmt_reset(st);
	if (rc < 0)
		goto done;
	pf->updated++;
	rc = 0;
done:
	person_valid_release(&v);
	return rc;
}
