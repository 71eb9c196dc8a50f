/* UTF-8 validation and folding for comparison (see utf8.h). */
#include "util/utf8.h"

#include <stdint.h>

/* Decode one code point at s[*i]; returns -1 on malformed input and leaves *i unchanged. */
static int32_t decode(const unsigned char *s, size_t len, size_t *i)
{
	size_t p = *i;
	unsigned char c = s[p];
	int32_t cp;
	size_t n;
	if (c < 0x80) {
		*i = p + 1;
		return c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		cp = c & 0x1F;
		n = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		cp = c & 0x0F;
		n = 2;
	} else if (c >= 0xF0 && c <= 0xF4) {
		cp = c & 0x07;
		n = 3;
	} else {
		return -1;
	}
	for (size_t k = 1; k <= n; k++) {
		if (p + k >= len || (s[p + k] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[p + k] & 0x3F);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*i = p + n + 1;
	return cp;
}

bool utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		/* Nearly all of a feed is ASCII: a run of it costs a compare a byte. */
		while (i < len && u[i] < 0x80)
			i++;
		if (i < len && decode(u, len, &i) < 0) {
			if (bad)
				*bad = i;
			return false;
		}
	}
	return true;
}

/* Latin letters with diacritics and their plain forms, by code point range. */
static const struct {
	int32_t lo, hi;
	const char *plain;
} latin[] = {
	{0xC0, 0xC5, "a"},   {0xC6, 0xC6, "ae"},   {0xC7, 0xC7, "c"},   {0xC8, 0xCB, "e"},
	{0xCC, 0xCF, "i"},   {0xD0, 0xD0, "d"},    {0xD1, 0xD1, "n"},   {0xD2, 0xD6, "o"},
	{0xD8, 0xD8, "o"},   {0xD9, 0xDC, "u"},    {0xDD, 0xDD, "y"},   {0xDF, 0xDF, "ss"},
	{0xE0, 0xE5, "a"},   {0xE6, 0xE6, "ae"},   {0xE7, 0xE7, "c"},   {0xE8, 0xEB, "e"},
	{0xEC, 0xEF, "i"},   {0xF0, 0xF0, "d"},    {0xF1, 0xF1, "n"},   {0xF2, 0xF6, "o"},
	{0xF8, 0xF8, "o"},   {0xF9, 0xFC, "u"},    {0xFD, 0xFD, "y"},   {0xFF, 0xFF, "y"},
	{0x100, 0x105, "a"}, {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
	{0x11C, 0x123, "g"}, {0x124, 0x127, "h"},  {0x128, 0x131, "i"}, {0x132, 0x133, "ij"},
	{0x134, 0x135, "j"}, {0x136, 0x138, "k"},  {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},
	{0x14C, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
	{0x162, 0x167, "t"}, {0x168, 0x173, "u"},  {0x174, 0x175, "w"}, {0x176, 0x178, "y"},
	{0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"},
};

void utf8_fold(struct buf *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = 0, i = 0;
	while (u[len])
		len++;
	while (i < len) {
		int32_t cp = decode(u, len, &i);
		if (cp < 0) {
			i++; /* skip a malformed byte */
			continue;
		}
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			buf_addch(out, (char)cp);
		} else if (cp >= 'A' && cp <= 'Z') {
			buf_addch(out, (char)(cp - 'A' + 'a'));
		} else {
			for (size_t k = 0; k < sizeof(latin) / sizeof(latin[0]); k++)
				if (cp >= latin[k].lo && cp <= latin[k].hi) {
					buf_adds(out, latin[k].plain);
					break;
				}
		}
	}
}
