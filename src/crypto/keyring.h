/*
 * The region's keys and what is done with them. A key file (created by `inbeeld init`, mode
 * 0600, kept apart from the database) holds:
 *   - the pseudonymisation key: a person's key is HMAC-SHA256(pseudonym key, BSN);
 *   - the blind-index key: keyed tokens that let a name be looked up without decrypting;
 *   - one or more data keys: identifying data is sealed with XChaCha20-Poly1305 under the
 *     newest; older ones stay only while `inbeeld keys rotate` re-encrypts.
 * A database copied without its key file reveals no BSN and no name.
 *
 * A struct keyring is a plain value owned by whoever declared it; keyring_wipe() clears it.
 * Call sodium_init() before any function here.
 */
#ifndef CRYPTO_KEYRING_H
#define CRYPTO_KEYRING_H

#include <nettle/hmac.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define KEYRING_KEY_BYTES 32
#define KEYRING_MAX_DATA_KEYS 4
#define PSEUDONYM_HEX_SIZE 65 /* 64 hex digits and NUL */
#define BLIND_HEX_SIZE 33     /* 32 hex digits and NUL */

struct keyring {
	unsigned char pseudonym[KEYRING_KEY_BYTES];
	unsigned char blind[KEYRING_KEY_BYTES];
	struct {
		uint32_t id;
		unsigned char key[KEYRING_KEY_BYTES];
	} data[KEYRING_MAX_DATA_KEYS];
	size_t ndata; /* data[ndata - 1] is the current key */
	/*
	 * HMAC-SHA256 states with the key already absorbed: copying one is cheaper than keying
	 * anew. Nettle's, which uses the CPU's SHA instructions where there are some: a
	 * pseudonym then costs about 0.2 µs instead of libsodium's 0.8–1.0 µs, and the feeds
	 * compute one a row (docs/architecture.md, "Why these libraries").
	 */
	struct hmac_sha256_ctx pseudonym_state;
	struct hmac_sha256_ctx blind_state;
};

/* Fresh random keys with one data key (id 1). */
void keyring_generate(struct keyring *k);

/* Write `k` to a new file at `path` with mode 0600; refuses to overwrite an existing file. */
int keyring_create_file(const struct keyring *k, const char *path, struct err *e);

/* Replace the file at `path` with `k` atomically (write beside it, then rename). */
int keyring_save(const struct keyring *k, const char *path, struct err *e);

/* Read the key file; refuses one that others than its owner may read. */
int keyring_load(struct keyring *k, const char *path, struct err *e);

void keyring_wipe(struct keyring *k);

uint32_t keyring_current_id(const struct keyring *k);

/* Add a new random data key and make it current; returns its id (0 when full). */
uint32_t keyring_add_data_key(struct keyring *k);

/* Forget every data key but the current one. */
void keyring_drop_old_data_keys(struct keyring *k);

/* A value stored in the database that shows which key file belongs to it (hex, 65 bytes). */
void keyring_check_value(const struct keyring *k, char out[PSEUDONYM_HEX_SIZE]);

/*
 * The key that seals the audit log's anchors (audit/audit.h), derived from the pseudonym key
 * (which never changes, unlike the data keys), so that the key file needs no new line.
 */
void keyring_audit_key(const struct keyring *k, unsigned char out[KEYRING_KEY_BYTES]);

/* The pseudonym of a (validated, 9-digit) BSN: 64 lower-case hex digits. */
void crypto_pseudonym(const struct keyring *k, const char *bsn, char out[PSEUDONYM_HEX_SIZE]);

/* The same as 32 bytes, for a lookup that needs no text (the feed importer's map). */
void crypto_pseudonym_bin(const struct keyring *k, const char *bsn,
			  unsigned char out[crypto_auth_hmacsha256_BYTES]);

/* A keyed token of `value` in `domain` (e.g. "name", "block"): 32 hex digits. */
void crypto_blind(const struct keyring *k, const char *domain, const char *value,
		  char out[BLIND_HEX_SIZE]);

/*
 * A 16-byte key for keyed digests of one kind (`domain`, e.g. "feed-row"), derived from the
 * blind-index key with `context` (may be NULL when len is 0) mixed in. Stable as long as the
 * key file is: the blind-index key is not rotated.
 */
void crypto_derive_key16(const struct keyring *k, const char *domain, const void *context,
			 size_t len, unsigned char out[16]);

/*
 * Seal `len` bytes under the current data key, bound to `ad` (the person's key, so that a
 * sealed value cannot be moved to another row). Appends to `out`:
 * version (1 byte) | key id (4, big-endian) | nonce (24) | ciphertext and tag.
 */
void crypto_seal(const struct keyring *k, const char *ad, const void *plain, size_t len,
		 struct buf *out);

/* Open a sealed value; appends the plaintext to `out`. Fails on a wrong key or tampering. */
int crypto_open(const struct keyring *k, const char *ad, const void *sealed, size_t len,
		struct buf *out, struct err *e);

/* The data key id a sealed value was made with (0 when it is not a sealed value). */
uint32_t crypto_sealed_key_id(const void *sealed, size_t len);

#endif
