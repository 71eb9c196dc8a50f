/* Lower-case hexadecimal text, as the store keeps pseudonyms and row digests. */
#ifndef UTIL_HEX_H
#define UTIL_HEX_H

#include <stdbool.h>
#include <stddef.h>

/* `n` bytes as 2n lower-case hex digits and a NUL into out (2n + 1 bytes). */
void hex_encode(const unsigned char *in, size_t n, char *out);

/*
 * The first 2n characters of `in` as n bytes into out; false when one of them is not a
 * lower-case hex digit (a shorter string stops at its NUL, which is not one). Not constant
 * time: for digests and pseudonyms the store holds, never for a secret.
 */
bool hex_decode(const char *in, size_t n, unsigned char *out);

#endif
