/*
 * Hex digits by table: the importers decode a million stored pseudonyms or digests in one
 * go, and a branch per digit was a tenth of reading a source's records (docs/feeds.md).
 */
#include "util/hex.h"

/* A digit's value plus one; 0 for every other byte, the NUL included. */
static const unsigned char digit_value[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
    ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
    ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

bool hex_decode(const char *in, size_t n, unsigned char *out)
{
	const unsigned char *p = (const unsigned char *)in;
	for (size_t i = 0; i < n; i++) {
		unsigned hi = digit_value[p[2 * i]];
		if (!hi)
			return false;
		unsigned lo = digit_value[p[2 * i + 1]];
		if (!lo)
			return false;
		out[i] = (unsigned char)((hi - 1) << 4 | (lo - 1));
	}
	return true;
}
