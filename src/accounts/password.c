/*
 * Passwords (see users.h): the policy for a new one, and argon2id hashing through libsodium's
 * crypto_pwhash_str at the interactive limits, which take some 50–100 ms and 64 MiB per
 * hash on a server of today — slow enough to make guessing from a copied database costly,
 * quick enough for a login.
 */
#include "accounts/users.h"
#include "util/buf.h"
#include "util/utf8.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

_Static_assert(PASSWORD_HASH_SIZE == crypto_pwhash_STRBYTES, "argon2id string size");

/* Characters, not bytes: a UTF-8 continuation byte does not start one. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Whether `needle` occurs in `hay`, ignoring ASCII case. */
static bool contains_folded(const char *hay, const char *needle)
{
	size_t n = strlen(needle), h = strlen(hay);
	for (size_t i = 0; n && i + n <= h; i++) {
		size_t j = 0;
		while (j < n && (hay[i + j] | 0x20) == (needle[j] | 0x20) &&
		       ((unsigned char)hay[i + j] < 0x80))
			j++;
		if (j == n)
			return true;
	}
	return false;
}

int password_check(const char *username, const char *password, struct err *e)
{
	size_t len = strlen(password);
	if (len > PASSWORD_MAX_BYTES)
		return err_set(e, ERR_INVALID, "the password is longer than %d bytes",
			       PASSWORD_MAX_BYTES);
	if (!utf8_valid(password, len, NULL))
		return err_set(e, ERR_INVALID, "the password is not valid UTF-8");
	if (has_control(password))
		return err_set(e, ERR_INVALID,
			       "the password contains a control character (a tab or newline?)");
	if (utf8_chars(password) < PASSWORD_MIN_CHARS)
		return err_set(e, ERR_INVALID, "the password has fewer than %d characters",
			       PASSWORD_MIN_CHARS);
	if (username && *username && contains_folded(password, username))
		return err_set(e, ERR_INVALID, "the password contains the user name");
	return 0;
}

int password_hash(const char *password, char out[PASSWORD_HASH_SIZE], struct err *e)
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return err_set(e, ERR_INTERNAL, "cannot hash the password (out of memory?)");
	return 0;
}

bool password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[PASSWORD_HASH_SIZE];
static bool dummy_ready;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	unsigned char raw[24];
	char random_password[2 * sizeof(raw) + 1];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(random_password, sizeof(random_password), raw, sizeof(raw));
	dummy_ready = password_hash(random_password, dummy_hash, NULL) == 0;
	sodium_memzero(random_password, sizeof(random_password));
}

bool password_verify_dummy(const char *password)
{
	pthread_once(&dummy_once, make_dummy_hash);
	if (dummy_ready)
		(void)password_verify(dummy_hash, password);
	return false;
}
