/* UTF-8 checks and the text folding that name matching needs. */
#ifndef UTIL_UTF8_H
#define UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* True when s[0..len) is well-formed UTF-8; otherwise *bad (if not NULL) is the offset. */
bool utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Append to `out` the text folded for comparison: lower case, Latin accents removed
 * (é → e, ö → o, ij stays ij), everything but letters and digits dropped. Used for names and
 * search terms; never for display.
 */
void utf8_fold(struct buf *out, const char *s);

#endif
