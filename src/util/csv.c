/*
 * Streaming CSV reader (see csv.h). Bytes come through a fixed window that is refilled from
 * the file; the current record's fields are copied, NUL-separated, into one buffer.
 */
#include "util/csv.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WINDOW (64 * 1024)

struct csv_reader {
	char *name;
	FILE *file; /* NULL when reading from memory */
	bool owns_file;
	const unsigned char *mem;
	size_t mem_len;
	unsigned char *window;
	size_t pos, end;
	bool eof;
	uint64_t consumed;
	long line; /* line of the next unread byte */
	long record_line;
	char delim;
	bool started;
	struct buf record;
	size_t offsets[CSV_MAX_FIELDS + 1]; /* start of each field, and of the next */
	size_t nfields;
	char **header;
	size_t nheader;
};

static struct csv_reader *reader_new(const char *name)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));
	r->name = xstrdup(name);
	r->line = 1;
	buf_init(&r->record);
	return r;
}

int csv_open(struct csv_reader **out, const char *path, struct err *e)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "%s: cannot open: %m", path);
	struct csv_reader *r = reader_new(path);
	r->file = f;
	r->owns_file = f != stdin;
	r->window = xmalloc(WINDOW);
	*out = r;
	return 0;
}

struct csv_reader *csv_open_memory(const void *data, size_t len, const char *name)
{
	struct csv_reader *r = reader_new(name);
	r->mem = data;
	r->mem_len = len;
	r->window = (unsigned char *)data; /* never written through */
	r->end = len;
	r->eof = true;
	return r;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->owns_file)
		fclose(r->file);
	if (!r->mem)
		free(r->window);
	for (size_t i = 0; i < r->nheader; i++)
		free(r->header[i]);
	free(r->header);
	buf_release(&r->record);
	free(r->name);
	free(r);
}

/* Make at least one unread byte available; false at the end of input. */
static bool fill(struct csv_reader *r)
{
	if (r->pos < r->end)
		return true;
	if (r->eof)
		return false;
	size_t n = fread(r->window, 1, WINDOW, r->file);
	r->pos = 0;
	r->end = n;
	if (n < WINDOW)
		r->eof = true;
	return n > 0;
}

static int peek(struct csv_reader *r)
{
	return fill(r) ? r->window[r->pos] : -1;
}

static int next(struct csv_reader *r)
{
	if (!fill(r))
		return -1;
	int c = r->window[r->pos++];
	r->consumed++;
	if (c == '\n')
		r->line++;
	return c;
}

/*
 * Choose the delimiter from the first line: whichever of ';' and ',' occurs more often
 * outside quotes (';' when neither occurs, as a one-column file has no delimiter anyway).
 */
static void detect_delimiter(struct csv_reader *r)
{
	if (r->file) {
		/* Read the first window without consuming it. */
		fill(r);
	}
	size_t semis = 0, commas = 0;
	bool quoted = false;
	for (size_t i = r->pos; i < r->end; i++) {
		unsigned char c = r->window[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && c == '\n')
			break;
		else if (!quoted && c == ';')
			semis++;
		else if (!quoted && c == ',')
			commas++;
	}
	r->delim = commas > semis ? ',' : ';';
}

static void skip_bom(struct csv_reader *r)
{
	fill(r);
	if (r->end - r->pos >= 3 && r->window[r->pos] == 0xEF && r->window[r->pos + 1] == 0xBB &&
	    r->window[r->pos + 2] == 0xBF) {
		r->pos += 3;
		r->consumed += 3;
	}
}

static int end_field(struct csv_reader *r, struct err *e)
{
	if (r->nfields == CSV_MAX_FIELDS)
		return err_set(e, ERR_INVALID, "%s: line %ld: more than %d fields", r->name,
			       r->record_line, CSV_MAX_FIELDS);
	buf_addch(&r->record, '\0');
	r->nfields++;
	r->offsets[r->nfields] = r->record.len;
	return 0;
}

static int check_record(struct csv_reader *r, struct err *e)
{
	for (size_t i = 0; i < r->nfields; i++) {
		const char *f = r->record.data + r->offsets[i];
		size_t len = r->offsets[i + 1] - r->offsets[i] - 1; /* without its NUL */
		size_t bad;
		if (!utf8_valid(f, len, &bad))
			return err_set(e, ERR_INVALID,
				       "%s: line %ld, column %zu: not valid UTF-8 at byte %zu "
				       "(save the file as UTF-8)",
				       r->name, r->record_line, i + 1, bad + 1);
	}
	return 0;
}

/*
 * The bytes that follow in the window up to the next one that means something (the
 * delimiter, a quote, a line end or a NUL), appended at once: most of a field is plain, and
 * appending byte by byte was a fifth of reading a large file. What stops the run is read by
 * the caller's loop as before.
 */
static void take_plain_run(struct csv_reader *r)
{
	const unsigned char *w = r->window;
	size_t i = r->pos;
	while (i < r->end && w[i] != (unsigned char)r->delim && w[i] != '\n' && w[i] != '\r' &&
	       w[i] != '"' && w[i] != '\0')
		i++;
	buf_add(&r->record, w + r->pos, i - r->pos);
	r->consumed += i - r->pos;
	r->pos = i;
}

/* Parse one record into r->record; 1 on a record, 0 at the end. */
static int parse_record(struct csv_reader *r, struct err *e)
{
	buf_reset(&r->record);
	r->nfields = 0;
	r->offsets[0] = 0;
	int c;
	/* Skip empty lines between records. */
	while ((c = peek(r)) == '\n' || c == '\r')
		next(r);
	if (c < 0)
		return 0;
	r->record_line = r->line;
	for (;;) {
		c = next(r);
		if (c == '"' && r->record.len == r->offsets[r->nfields]) {
			/* A quoted field: read to the closing quote. */
			for (;;) {
				c = next(r);
				if (c < 0)
					return err_set(e, ERR_INVALID,
						       "%s: line %ld, column %zu: quote opened but never "
						       "closed",
						       r->name, r->record_line, r->nfields + 1);
				if (c == '"') {
					if (peek(r) == '"') {
						next(r);
					} else {
						break;
					}
				}
				if (c == '\0')
					goto nul;
				buf_addch(&r->record, (char)c);
				if (r->record.len > CSV_MAX_RECORD)
					goto too_long;
			}
			c = next(r);
			if (c == '\r' && peek(r) == '\n')
				c = next(r);
			if (c != r->delim && c != '\n' && c >= 0)
				return err_set(e, ERR_INVALID,
					       "%s: line %ld, column %zu: text after a closing quote",
					       r->name, r->line, r->nfields + 1);
		}
		if (c < 0 || c == '\n' || (c == '\r' && (peek(r) == '\n' || peek(r) < 0))) {
			if (c == '\r')
				next(r);
			if (end_field(r, e) < 0)
				return -1;
			return check_record(r, e) < 0 ? -1 : 1;
		}
		if (c == r->delim) {
			if (end_field(r, e) < 0)
				return -1;
			continue;
		}
		if (c == '"')
			return err_set(e, ERR_INVALID,
				       "%s: line %ld, column %zu: a quote inside an unquoted field "
				       "(quote the whole field and double the quote)",
				       r->name, r->line, r->nfields + 1);
		if (c == '\0')
			goto nul;
		buf_addch(&r->record, (char)c);
		take_plain_run(r);
		if (r->record.len > CSV_MAX_RECORD)
			goto too_long;
	}
nul:
	return err_set(e, ERR_INVALID,
		       "%s: line %ld, column %zu: a NUL byte (is the file UTF-16? save it as UTF-8)",
		       r->name, r->line, r->nfields + 1);
too_long:
	return err_set(e, ERR_INVALID, "%s: line %ld: record longer than %d bytes", r->name,
		       r->record_line, CSV_MAX_RECORD);
}

int csv_read(struct csv_reader *r, struct err *e)
{
	if (!r->started) {
		r->started = true;
		skip_bom(r);
		detect_delimiter(r);
	}
	return parse_record(r, e);
}

int csv_read_header(struct csv_reader *r, struct err *e)
{
	int rc = csv_read(r, e);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, ERR_INVALID, "%s: the file is empty (expected a header line)",
			       r->name);
	r->nheader = r->nfields;
	r->header = xcalloc(r->nheader, sizeof(char *));
	for (size_t i = 0; i < r->nheader; i++) {
		const char *h = csv_field(r, i);
		while (*h == ' ')
			h++;
		size_t n = strlen(h);
		while (n && h[n - 1] == ' ')
			n--;
		r->header[i] = xstrndup(h, n);
	}
	return 0;
}

int csv_column(const struct csv_reader *r, const char *name)
{
	for (size_t i = 0; i < r->nheader; i++)
		if (strcasecmp(r->header[i], name) == 0)
			return (int)i;
	return -1;
}

size_t csv_nfields(const struct csv_reader *r)
{
	return r->nfields;
}

const char *csv_field(const struct csv_reader *r, size_t i)
{
	return i < r->nfields ? r->record.data + r->offsets[i] : "";
}

size_t csv_field_len(const struct csv_reader *r, size_t i)
{
	return i < r->nfields ? r->offsets[i + 1] - r->offsets[i] - 1 : 0;
}

const char *csv_header_name(const struct csv_reader *r, size_t i)
{
	return i < r->nheader ? r->header[i] : "";
}

size_t csv_header_count(const struct csv_reader *r)
{
	return r->nheader;
}

long csv_line(const struct csv_reader *r)
{
	return r->record_line;
}

char csv_delimiter(const struct csv_reader *r)
{
	return r->delim;
}

const char *csv_name(const struct csv_reader *r)
{
	return r->name;
}

uint64_t csv_bytes_read(const struct csv_reader *r)
{
	return r->consumed;
}
