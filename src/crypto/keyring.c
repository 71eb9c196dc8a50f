/*
 * Keys, pseudonyms, blind indexes and sealed fields (see keyring.h). The key file is text:
 *
 *   inbeeld-keyfile 1
 *   pseudonym <64 hex>
 *   blind <64 hex>
 *   data <id> <64 hex>        (one or more; the last is current)
 */
#include "crypto/keyring.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEAL_VERSION 1
#define SEAL_HEADER (1 + 4 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)

static void prepare_states(struct keyring *k)
{
	hmac_sha256_set_key(&k->pseudonym_state, sizeof(k->pseudonym), k->pseudonym);
	hmac_sha256_set_key(&k->blind_state, sizeof(k->blind), k->blind);
}

void keyring_generate(struct keyring *k)
{
	memset(k, 0, sizeof(*k));
	randombytes_buf(k->pseudonym, sizeof(k->pseudonym));
	randombytes_buf(k->blind, sizeof(k->blind));
	k->data[0].id = 1;
	randombytes_buf(k->data[0].key, sizeof(k->data[0].key));
	k->ndata = 1;
	prepare_states(k);
}

void keyring_wipe(struct keyring *k)
{
	sodium_memzero(k, sizeof(*k));
}

static void add_hex_line(struct buf *b, const char *label, const unsigned char *key)
{
	buf_adds(b, label);
	buf_addch(b, ' ');
	buf_addhex(b, key, KEYRING_KEY_BYTES);
	buf_addch(b, '\n');
}

static void serialise(const struct keyring *k, struct buf *b)
{
	buf_adds(b, "# inbeeld key file: keep it secret and apart from the database.\n"
		    "# Without it the database reveals no BSN and no name; lose it and that data "
		    "is lost.\n"
		    "inbeeld-keyfile 1\n");
	add_hex_line(b, "pseudonym", k->pseudonym);
	add_hex_line(b, "blind", k->blind);
	for (size_t i = 0; i < k->ndata; i++) {
		char label[32];
		snprintf(label, sizeof(label), "data %u", k->data[i].id);
		add_hex_line(b, label, k->data[i].key);
	}
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_file(const struct keyring *k, const char *path, int flags, struct err *e)
{
	struct buf b = BUF_INIT;
	serialise(k, &b);
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0600);
	if (fd < 0) {
		int saved = errno;
		buf_release(&b);
		if (saved == EEXIST)
			return err_set(e, ERR_CONFLICT,
				       "key file '%s' exists already; it is never overwritten", path);
		return err_set(e, ERR_IO, "cannot create key file '%s': %s", path, strerror(saved));
	}
	int rc = write_all(fd, b.data, b.len) == 0 && fsync(fd) == 0 ? 0 : -1;
	int saved = errno;
	close(fd);
	sodium_memzero(b.data, b.len);
	buf_release(&b);
	if (rc < 0)
		return err_set(e, ERR_IO, "cannot write key file '%s': %s", path, strerror(saved));
	return 0;
}

int keyring_create_file(const struct keyring *k, const char *path, struct err *e)
{
	if (write_file(k, path, O_EXCL, e) < 0)
		return -1;
	if (chmod(path, 0600) < 0)
		return err_set(e, ERR_IO, "cannot set mode 0600 on '%s': %m", path);
	return 0;
}

int keyring_save(const struct keyring *k, const char *path, struct err *e)
{
	char *tmp = xasprintf("%s.new", path);
	unlink(tmp);
	int rc = write_file(k, tmp, O_EXCL, e);
	if (rc == 0 && rename(tmp, path) < 0) {
		rc = err_set(e, ERR_IO, "cannot replace key file '%s': %m", path);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

static int parse_key(const char *hex, unsigned char *key)
{
	size_t len = 0;
	const char *end = NULL;
	if (sodium_hex2bin(key, KEYRING_KEY_BYTES, hex, strlen(hex), NULL, &len, &end) != 0 ||
	    len != KEYRING_KEY_BYTES || (end && *end && *end != '\n'))
		return -1;
	return 0;
}

int keyring_load(struct keyring *k, const char *path, struct err *e)
{
	memset(k, 0, sizeof(*k));
	struct stat st;
	if (stat(path, &st) < 0)
		return err_set(e, ERR_NOTFOUND,
			       "no key file at '%s' (create one with 'inbeeld init', or point "
			       "INBEELD_KEYFILE or --keyfile at it)",
			       path);
	if (st.st_mode & 077)
		return err_set(e, ERR_FORBIDDEN,
			       "key file '%s' may be read by others (mode %03o): run chmod 600 '%s'",
			       path, (unsigned)(st.st_mode & 0777), path);
	FILE *f = fopen(path, "r");
	if (!f)
		return err_set(e, ERR_IO, "cannot read key file '%s': %m", path);
	char line[256];
	int lineno = 0, have_header = 0, have_pseudonym = 0, have_blind = 0, rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char hex[160];
		unsigned id;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (strcmp(line, "inbeeld-keyfile 1\n") == 0) {
			have_header = 1;
		} else if (sscanf(line, "pseudonym %159s", hex) == 1 &&
			   parse_key(hex, k->pseudonym) == 0) {
			have_pseudonym = 1;
		} else if (sscanf(line, "blind %159s", hex) == 1 && parse_key(hex, k->blind) == 0) {
			have_blind = 1;
		} else if (sscanf(line, "data %u %159s", &id, hex) == 2 && id > 0 &&
			   k->ndata < KEYRING_MAX_DATA_KEYS &&
			   parse_key(hex, k->data[k->ndata].key) == 0) {
			k->data[k->ndata++].id = id;
		} else {
			rc = err_set(e, ERR_INVALID, "key file '%s', line %d: not understood", path,
				     lineno);
			break;
		}
	}
	fclose(f);
	sodium_memzero(line, sizeof(line));
	if (rc == 0 && (!have_header || !have_pseudonym || !have_blind || k->ndata == 0))
		rc = err_set(e, ERR_INVALID,
			     "key file '%s' is incomplete (needs the header, pseudonym, blind and "
			     "data keys)",
			     path);
	if (rc < 0) {
		keyring_wipe(k);
		return -1;
	}
	prepare_states(k);
	return 0;
}

uint32_t keyring_current_id(const struct keyring *k)
{
	return k->data[k->ndata - 1].id;
}

uint32_t keyring_add_data_key(struct keyring *k)
{
	if (k->ndata == KEYRING_MAX_DATA_KEYS)
		return 0;
	uint32_t id = keyring_current_id(k) + 1;
	k->data[k->ndata].id = id;
	randombytes_buf(k->data[k->ndata].key, KEYRING_KEY_BYTES);
	k->ndata++;
	return id;
}

void keyring_drop_old_data_keys(struct keyring *k)
{
	if (k->ndata <= 1)
		return;
	k->data[0] = k->data[k->ndata - 1];
	sodium_memzero(&k->data[1], sizeof(k->data[0]) * (KEYRING_MAX_DATA_KEYS - 1));
	k->ndata = 1;
}

static void hmac_hex(const struct hmac_sha256_ctx *keyed, const char *domain, const char *value,
		     char *out, size_t out_bytes)
{
	struct hmac_sha256_ctx st = *keyed; /* the shared state stays as it is: thread-safe */
	unsigned char mac[SHA256_DIGEST_SIZE];
	if (domain) {
		hmac_sha256_update(&st, strlen(domain), (const uint8_t *)domain);
		hmac_sha256_update(&st, 1, (const uint8_t *)"");
	}
	hmac_sha256_update(&st, strlen(value), (const uint8_t *)value);
	hmac_sha256_digest(&st, sizeof(mac), mac);
	sodium_bin2hex(out, 2 * out_bytes + 1, mac, out_bytes);
	sodium_memzero(&st, sizeof(st));
}

void keyring_check_value(const struct keyring *k, char out[PSEUDONYM_HEX_SIZE])
{
	hmac_hex(&k->pseudonym_state, "inbeeld key check", "", out, 32);
}

void keyring_audit_key(const struct keyring *k, unsigned char out[KEYRING_KEY_BYTES])
{
	struct hmac_sha256_ctx st = k->pseudonym_state;
	static const char domain[] = "inbeeld audit key";
	/* The domain with its NUL: no BSN (nine digits) hashes alike. */
	hmac_sha256_update(&st, sizeof(domain), (const uint8_t *)domain);
	hmac_sha256_digest(&st, KEYRING_KEY_BYTES, out);
	sodium_memzero(&st, sizeof(st));
}

void crypto_pseudonym(const struct keyring *k, const char *bsn, char out[PSEUDONYM_HEX_SIZE])
{
	hmac_hex(&k->pseudonym_state, NULL, bsn, out, 32);
}

void crypto_pseudonym_bin(const struct keyring *k, const char *bsn,
			  unsigned char out[crypto_auth_hmacsha256_BYTES])
{
	struct hmac_sha256_ctx st = k->pseudonym_state;
	hmac_sha256_update(&st, strlen(bsn), (const uint8_t *)bsn);
	hmac_sha256_digest(&st, SHA256_DIGEST_SIZE, out);
	sodium_memzero(&st, sizeof(st));
}

void crypto_derive_key16(const struct keyring *k, const char *domain, const void *context,
			 size_t len, unsigned char out[16])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, k->blind, sizeof(k->blind), 16);
	crypto_generichash_update(&st, (const unsigned char *)"inbeeld-derive", 15);
	crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1);
	if (len)
		crypto_generichash_update(&st, context, len);
	crypto_generichash_final(&st, out, 16);
}

void crypto_blind(const struct keyring *k, const char *domain, const char *value,
		  char out[BLIND_HEX_SIZE])
{
	hmac_hex(&k->blind_state, domain, value, out, 16);
}

static const unsigned char *data_key(const struct keyring *k, uint32_t id)
{
	for (size_t i = 0; i < k->ndata; i++)
		if (k->data[i].id == id)
			return k->data[i].key;
	return NULL;
}

void crypto_seal(const struct keyring *k, const char *ad, const void *plain, size_t len,
		 struct buf *out)
{
	uint32_t id = keyring_current_id(k);
	size_t total = SEAL_HEADER + len + crypto_aead_xchacha20poly1305_ietf_ABYTES;
	buf_grow(out, total);
	unsigned char *p = (unsigned char *)out->data + out->len;
	p[0] = SEAL_VERSION;
	p[1] = (unsigned char)(id >> 24);
	p[2] = (unsigned char)(id >> 16);
	p[3] = (unsigned char)(id >> 8);
	p[4] = (unsigned char)id;
	unsigned char *nonce = p + 5;
	randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(p + SEAL_HEADER, &clen, plain, len,
						   (const unsigned char *)ad, strlen(ad), NULL,
						   nonce, data_key(k, id));
	out->len += SEAL_HEADER + (size_t)clen;
	out->data[out->len] = '\0';
}

uint32_t crypto_sealed_key_id(const void *sealed, size_t len)
{
	const unsigned char *p = sealed;
	if (len < SEAL_HEADER || p[0] != SEAL_VERSION)
		return 0;
	return (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
}

int crypto_open(const struct keyring *k, const char *ad, const void *sealed, size_t len,
		struct buf *out, struct err *e)
{
	uint32_t id = crypto_sealed_key_id(sealed, len);
	if (id == 0 || len < SEAL_HEADER + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return err_set(e, ERR_INVALID, "not a sealed value");
	const unsigned char *key = data_key(k, id);
	if (!key)
		return err_set(e, ERR_FORBIDDEN,
			       "sealed with data key %u, which this key file does not hold", id);
	const unsigned char *p = sealed;
	size_t clen = len - SEAL_HEADER;
	buf_grow(out, clen);
	unsigned long long plen = 0;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    (unsigned char *)out->data + out->len, &plen, NULL, p + SEAL_HEADER, clen,
		    (const unsigned char *)ad, strlen(ad), p + 5, key) != 0)
		return err_set(e, ERR_FORBIDDEN,
			       "sealed data does not open: wrong key file, or the data was altered");
	out->len += (size_t)plen;
	out->data[out->len] = '\0';
	return 0;
}
