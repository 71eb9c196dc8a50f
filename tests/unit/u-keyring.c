/* Unit tests of the keyring: key files, pseudonyms, blind tokens and sealed values. */
#include "testutil.h"

#include <sys/stat.h>

static char *temp_key_path(void)
{
	static unsigned n;
	char *p = xasprintf("/tmp/inbeeld-u-keyring-%d-%u.key", (int)getpid(), n++);
	unlink(p);
	return p;
}

static void test_keyring__file_is_private_and_never_overwritten(void **state)
{
	(void)state;
	struct keyring k, again;
	struct err e = ERR_INIT;
	char *path = temp_key_path();
	keyring_generate(&k);
	assert_ok(keyring_create_file(&k, path, &e), &e);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(keyring_create_file(&k, path, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);

	assert_ok(keyring_load(&again, path, &e), &e);
	assert_memory_equal(again.pseudonym, k.pseudonym, KEYRING_KEY_BYTES);
	assert_int_equal(keyring_current_id(&again), 1);

	/* A key file that others may read is refused. */
	chmod(path, 0644);
	assert_int_equal(keyring_load(&again, path, &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	assert_non_null(strstr(e.msg, "chmod 600"));
	unlink(path);
	free(path);
}

static void test_keyring__pseudonym_is_keyed_and_stable(void **state)
{
	(void)state;
	struct keyring a, b;
	keyring_generate(&a);
	keyring_generate(&b);
	char p1[PSEUDONYM_HEX_SIZE], p2[PSEUDONYM_HEX_SIZE], p3[PSEUDONYM_HEX_SIZE];
	crypto_pseudonym(&a, "111222333", p1);
	crypto_pseudonym(&a, "111222333", p2);
	crypto_pseudonym(&b, "111222333", p3);
	assert_string_equal(p1, p2);
	assert_string_not_equal(p1, p3); /* another region's key gives another pseudonym */
	assert_int_equal(strlen(p1), 64);
	assert_null(strstr(p1, "111222333"));

	/* HMAC-SHA256 exactly (computed by nettle, checked against libsodium), so that the
	 * pseudonyms of a store hold whichever library computes them; the binary form is the
	 * same value. */
	unsigned char mac[crypto_auth_hmacsha256_BYTES], bin[crypto_auth_hmacsha256_BYTES];
	char hex[PSEUDONYM_HEX_SIZE];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, a.pseudonym, sizeof(a.pseudonym));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"111222333", 9);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	assert_string_equal(p1, hex);
	crypto_pseudonym_bin(&a, "111222333", bin);
	assert_memory_equal(bin, mac, sizeof(mac));

	char t1[BLIND_HEX_SIZE], t2[BLIND_HEX_SIZE];
	crypto_blind(&a, "name", "berg|2009-03-04", t1);
	crypto_blind(&a, "block", "berg|2009-03-04", t2);
	assert_string_not_equal(t1, t2); /* domains separate the tokens */
	assert_int_equal(strlen(t1), 32);
}

static void test_keyring__seal_opens_only_with_key_and_context(void **state)
{
	(void)state;
	struct keyring k, other;
	struct err e = ERR_INIT;
	keyring_generate(&k);
	keyring_generate(&other);
	const char secret[] = "{\"bsn\":\"111222333\",\"surname\":\"Testbeeld\"}";
	struct buf sealed = BUF_INIT, opened = BUF_INIT;
	crypto_seal(&k, "person-a", secret, strlen(secret), &sealed);
	assert_null(memmem(sealed.data, sealed.len, "Testbeeld", 9));
	assert_int_equal(crypto_sealed_key_id(sealed.data, sealed.len), 1);

	assert_ok(crypto_open(&k, "person-a", sealed.data, sealed.len, &opened, &e), &e);
	assert_string_equal(opened.data, secret);

	buf_reset(&opened);
	assert_int_equal(crypto_open(&k, "person-b", sealed.data, sealed.len, &opened, &e), -1);
	assert_int_equal(crypto_open(&other, "person-a", sealed.data, sealed.len, &opened, &e),
			 -1);
	sealed.data[sealed.len - 1] ^= 1; /* one flipped bit */
	assert_int_equal(crypto_open(&k, "person-a", sealed.data, sealed.len, &opened, &e), -1);
	assert_int_equal(crypto_open(&k, "person-a", "short", 5, &opened, &e), -1);
	buf_release(&sealed);
	buf_release(&opened);
}

static void test_keyring__rotation_keeps_old_values_readable(void **state)
{
	(void)state;
	struct keyring k;
	struct err e = ERR_INIT;
	keyring_generate(&k);
	struct buf old = BUF_INIT, fresh = BUF_INIT, out = BUF_INIT;
	crypto_seal(&k, "ad", "old", 3, &old);
	assert_int_equal(keyring_add_data_key(&k), 2);
	crypto_seal(&k, "ad", "new", 3, &fresh);
	assert_int_equal(crypto_sealed_key_id(fresh.data, fresh.len), 2);
	assert_ok(crypto_open(&k, "ad", old.data, old.len, &out, &e), &e);
	assert_string_equal(out.data, "old");
	keyring_drop_old_data_keys(&k);
	buf_reset(&out);
	assert_int_equal(crypto_open(&k, "ad", old.data, old.len, &out, &e), -1);
	assert_non_null(strstr(e.msg, "data key 1"));
	assert_ok(crypto_open(&k, "ad", fresh.data, fresh.len, &out, &e), &e);
	assert_string_equal(out.data, "new");

	/* The saved file holds exactly the keys in memory. */
	char *path = temp_key_path();
	struct keyring back;
	assert_ok(keyring_save(&k, path, &e), &e);
	assert_ok(keyring_load(&back, path, &e), &e);
	assert_int_equal(back.ndata, 1);
	assert_int_equal(keyring_current_id(&back), 2);
	unlink(path);
	free(path);
	buf_release(&old);
	buf_release(&fresh);
	buf_release(&out);
}

int main(void)
{
	assert_true(sodium_init() >= 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyring__file_is_private_and_never_overwritten),
		cmocka_unit_test(test_keyring__pseudonym_is_keyed_and_stable),
		cmocka_unit_test(test_keyring__seal_opens_only_with_key_and_context),
		cmocka_unit_test(test_keyring__rotation_keeps_old_values_readable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
