/*
 * Files compiled into the binary by tools/embed.c (migrations, web assets, content).
 * The table and its bytes are static data: nothing here is ever freed.
 */
#ifndef UTIL_EMBEDDED_H
#define UTIL_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;          /* path as given at build time, e.g. "web/app.css" */
	const unsigned char *data; /* followed by a NUL byte not counted in len */
	size_t len;
};

/* The table, ending in an entry whose name is NULL; sorted as the build listed it. */
extern const struct embedded_file embedded_files[];

/* The file called `name`, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
