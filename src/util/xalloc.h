/*
 * Allocation that never returns NULL: on failure the process says so and aborts, in this one
 * place, so that callers need no error path for memory. Every pointer returned is owned by
 * the caller and freed with free().
 */
#ifndef UTIL_XALLOC_H
#define UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *array (of *cap elements of `size` bytes) so that it holds at least `need`. */
void xgrow(void **array, size_t *cap, size_t need, size_t size);
#define XGROW(array, cap, need) xgrow((void **)&(array), &(cap), (need), sizeof(*(array)))

#endif
