/*
 * A growable byte buffer, always NUL-terminated (like git's strbuf). A struct buf owns its
 * data; buf_release frees it, buf_detach hands it to the caller (free() it).
 */
#ifndef UTIL_BUF_H
#define UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* never NULL after buf_init: "" when empty */
	size_t len;
	size_t cap;
};

#define BUF_INIT {buf_empty, 0, 0}
extern char buf_empty[];

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps the allocation */
char *buf_detach(struct buf *b, size_t *len);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Lower-case hex of `len` bytes. */
void buf_addhex(struct buf *b, const void *data, size_t len);

#endif
