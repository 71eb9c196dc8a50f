/* Hex text by table (util/hex.h), against the digits one by one. */
#include "testutil.h"

#include "util/buf.h"
#include "util/hex.h"

static void test_hex__round_trip_of_every_byte(void **state)
{
	(void)state;
	unsigned char in[256], back[256];
	char text[513];
	for (int i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	hex_encode(in, sizeof(in), text);
	assert_int_equal(strlen(text), 512);
	assert_memory_equal(text, "000102", 6);
	assert_string_equal(text + 506, "fdfeff");
	assert_true(hex_decode(text, sizeof(back), back));
	assert_memory_equal(in, back, sizeof(in));
	/* buf_addhex writes the same text. */
	struct buf b = BUF_INIT;
	buf_adds(&b, "x");
	buf_addhex(&b, in, sizeof(in));
	assert_string_equal(b.data + 1, text);
	buf_release(&b);
}

static void test_hex__refuses_what_is_not_lower_case_hex(void **state)
{
	(void)state;
	unsigned char out[2];
	assert_true(hex_decode("0aff", 2, out));
	assert_int_equal(out[0], 0x0a);
	assert_int_equal(out[1], 0xff);
	/* Every byte that is not a digit, in either place of a pair. */
	for (int c = 1; c < 256; c++) {
		bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
		char hi[] = {(char)c, '0', 0}, lo[] = {'0', (char)c, 0};
		assert_int_equal(hex_decode(hi, 1, out), digit);
		assert_int_equal(hex_decode(lo, 1, out), digit);
	}
	/* A shorter string stops at its NUL, on either digit. */
	assert_false(hex_decode("0a0", 2, out));
	assert_false(hex_decode("0a", 2, out));
	assert_false(hex_decode("", 1, out));
	/* Only the first 2n characters are read. */
	assert_true(hex_decode("0aXYZ", 1, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex__round_trip_of_every_byte),
		cmocka_unit_test(test_hex__refuses_what_is_not_lower_case_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
