/*
 * A streaming CSV reader for the files partners send: UTF-8 with or without a byte-order mark,
 * ';' or ',' as delimiter (detected from the header line, since Dutch spreadsheets write ';'),
 * RFC 4180 quoting with "" for a quote, CRLF or LF line ends. Memory stays flat: one record at
 * a time. Every error names the source, the line and, where it applies, the column.
 *
 * The reader owns the strings it returns; they stay valid until the next csv_read().
 */
#ifndef UTIL_CSV_H
#define UTIL_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "util/err.h"

#define CSV_MAX_FIELDS 256
#define CSV_MAX_RECORD (1 << 20)

struct csv_reader;

/* Open the file at `path` ("-" is standard input). Free with csv_close(). */
int csv_open(struct csv_reader **out, const char *path, struct err *e);

/* Read from memory (not copied; must outlive the reader); `name` is used in messages. */
struct csv_reader *csv_open_memory(const void *data, size_t len, const char *name);

void csv_close(struct csv_reader *r);

/*
 * Read the next record: 1 when there is one, 0 at the end, -1 on malformed input (an open
 * quote at the end, a stray quote, a NUL byte, invalid UTF-8, an over-long record). Empty
 * lines are skipped.
 */
int csv_read(struct csv_reader *r, struct err *e);

/* Read the first record as the header; afterwards csv_column() finds columns by name. */
int csv_read_header(struct csv_reader *r, struct err *e);

/* The index of the header column called `name` (case-insensitive), or -1. */
int csv_column(const struct csv_reader *r, const char *name);

size_t csv_nfields(const struct csv_reader *r);
const char *csv_field(const struct csv_reader *r, size_t i); /* "" past the last field */
size_t csv_field_len(const struct csv_reader *r, size_t i);  /* its strlen, known already */
const char *csv_header_name(const struct csv_reader *r, size_t i);
size_t csv_header_count(const struct csv_reader *r);
long csv_line(const struct csv_reader *r); /* the line on which the current record starts */
char csv_delimiter(const struct csv_reader *r);
const char *csv_name(const struct csv_reader *r);
uint64_t csv_bytes_read(const struct csv_reader *r);

#endif
