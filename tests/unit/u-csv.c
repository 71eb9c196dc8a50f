/* Table-driven tests of the streaming CSV reader (util/csv.h). */
#include "testutil.h"

#include "util/csv.h"

#include <sys/stat.h>

/* Read all records of `input` and join them as "a|b/c|d" (records by '/', fields by '|'). */
static int read_all(const char *input, size_t len, struct buf *out, struct err *e)
{
	struct csv_reader *r = csv_open_memory(input, len, "test.csv");
	int rc;
	while ((rc = csv_read(r, e)) == 1) {
		if (out->len)
			buf_addch(out, '/');
		for (size_t i = 0; i < csv_nfields(r); i++) {
			buf_addf(out, "%s%s", i ? "|" : "", csv_field(r, i));
			assert_int_equal(csv_field_len(r, i), strlen(csv_field(r, i)));
		}
		assert_int_equal(csv_field_len(r, csv_nfields(r)), 0); /* past the end */
	}
	csv_close(r);
	return rc;
}

static const struct {
	const char *name;
	const char *input;
	const char *expect;
} good_cases[] = {
	{"semicolons", "a;b;c\n1;2;3\n", "a|b|c/1|2|3"},
	{"commas", "a,b,c\n1,2,3\n", "a|b|c/1|2|3"},
	{"semicolon wins over commas in text", "naam;plaats\n\"Berg, van den\";Heerlen\n",
	 "naam|plaats/Berg, van den|Heerlen"},
	{"byte-order mark", "\xEF\xBB\xBFx;y\n1;2\n", "x|y/1|2"},
	{"CRLF line ends", "x;y\r\n1;2\r\n", "x|y/1|2"},
	{"no final newline", "x;y\n1;2", "x|y/1|2"},
	{"doubled quote", "x\n\"zeg \"\"hoi\"\"\"\n", "x/zeg \"hoi\""},
	{"newline inside quotes", "x;y\n\"twee\nregels\";2\n", "x|y/twee\nregels|2"},
	{"empty fields", "a;b;c\n;;\n", "a|b|c/||"},
	{"blank lines skipped", "a\n\n1\n\n", "a/1"},
	{"UTF-8 text", "naam\nZoë Ğ\n", "naam/Zoë Ğ"},
	{"lone CR inside a field", "x;y\na\rb;2\n", "x|y/a\rb|2"},
	{"quote opening a later field", "x;y\nab;\"c;d\"\n", "x|y/ab|c;d"},
};

static void test_csv__reads_good_input(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		struct buf out = BUF_INIT;
		struct err e = ERR_INIT;
		int rc = read_all(good_cases[i].input, strlen(good_cases[i].input), &out, &e);
		if (rc != 0 || strcmp(out.data, good_cases[i].expect) != 0)
			fail_msg("%s: expected '%s', got '%s' (rc %d, %s)", good_cases[i].name,
				 good_cases[i].expect, out.data, rc, e.msg);
		buf_release(&out);
	}
}

static const struct {
	const char *name;
	const char *input;
	size_t len; /* 0: strlen */
	const char *expect_in_message;
} bad_cases[] = {
	{"unclosed quote", "a;b\n1;\"open\n", 0, "line 2, column 2: quote opened but never closed"},
	{"stray quote", "a;b\n1;x\"y\n", 0, "line 2, column 2: a quote inside an unquoted field"},
	{"text after quote", "a;b\n\"x\"y;1\n", 0, "text after a closing quote"},
	{"NUL byte (UTF-16)", "a\0;b\n", 5, "NUL byte"},
	{"Latin-1 byte", "naam\nZo\xEB\n", 0, "line 2, column 1: not valid UTF-8"},
	/* The checker skips ASCII runs: a bad byte after one, between valid sequences, or a
	 * sequence cut off by the field's end is still found, at its own byte. */
	{"bad byte after ASCII", "a;b\nx;abcdefghijk\xFFz\n", 0,
	 "line 2, column 2: not valid UTF-8 at byte 12"},
	{"overlong after é", "a\n\xC3\xA9\xC0\xAF\n", 0, "column 1: not valid UTF-8 at byte 3"},
	{"cut-off sequence", "a;b\nabc\xE2\x82;1\n", 0, "column 1: not valid UTF-8 at byte 4"},
};

static void test_csv__names_line_and_column_of_bad_input(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct buf out = BUF_INIT;
		struct err e = ERR_INIT;
		size_t len = bad_cases[i].len ? bad_cases[i].len : strlen(bad_cases[i].input);
		int rc = read_all(bad_cases[i].input, len, &out, &e);
		if (rc != -1 || !strstr(e.msg, bad_cases[i].expect_in_message))
			fail_msg("%s: expected an error with '%s', got rc %d and '%s'",
				 bad_cases[i].name, bad_cases[i].expect_in_message, rc, e.msg);
		assert_non_null(strstr(e.msg, "test.csv"));
		buf_release(&out);
	}
}

static void test_csv__refuses_too_many_fields(void **state)
{
	(void)state;
	struct buf input = BUF_INIT, out = BUF_INIT;
	struct err e = ERR_INIT;
	buf_adds(&input, "a\n");
	for (int i = 0; i < CSV_MAX_FIELDS + 10; i++)
		buf_adds(&input, "x;");
	buf_adds(&input, "\n");
	assert_int_equal(read_all(input.data, input.len, &out, &e), -1);
	assert_non_null(strstr(e.msg, "line 2: more than 256 fields"));
	buf_release(&input);
	buf_release(&out);
}

static void test_csv__header_columns_by_name(void **state)
{
	(void)state;
	static const char input[] = " BSN ;Geboortedatum\n111222333;2009-03-04\n";
	struct err e = ERR_INIT;
	struct csv_reader *r = csv_open_memory(input, strlen(input), "h.csv");
	assert_ok(csv_read_header(r, &e), &e);
	assert_int_equal(csv_column(r, "bsn"), 0);
	assert_int_equal(csv_column(r, "geboortedatum"), 1);
	assert_int_equal(csv_column(r, "postcode"), -1);
	assert_int_equal(csv_read(r, &e), 1);
	assert_int_equal(csv_line(r), 2);
	assert_string_equal(csv_field(r, 1), "2009-03-04");
	assert_string_equal(csv_field(r, 7), ""); /* past the end */
	assert_int_equal(csv_read(r, &e), 0);
	csv_close(r);

	r = csv_open_memory("", 0, "empty.csv");
	assert_int_equal(csv_read_header(r, &e), -1);
	assert_non_null(strstr(e.msg, "empty"));
	csv_close(r);
}

static void test_csv__streams_a_large_file(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/inbeeld-u-csv-%d.csv", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("n;text\n", f);
	for (int i = 0; i < 50000; i++)
		fprintf(f, "%d;\"veld met ; en \"\" erin %d\"\n", i, i);
	fclose(f);
	struct csv_reader *r;
	struct err e = ERR_INIT;
	assert_ok(csv_open(&r, path, &e), &e);
	assert_ok(csv_read_header(r, &e), &e);
	long rows = 0;
	int rc;
	while ((rc = csv_read(r, &e)) == 1) {
		if (atol(csv_field(r, 0)) != rows)
			fail_msg("row %ld out of order", rows);
		rows++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(rows, 50000);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(csv_bytes_read(r), (uint64_t)st.st_size);
	csv_close(r);
	unlink(path);
}

/* Unquoted fields of every length from 1 to 299 bytes, so that fields and line ends fall on
 * every position of the reader's 64 KiB window: each comes back whole, on its own line. */
static void test_csv__plain_fields_across_the_window(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/inbeeld-u-csv-w-%d.csv", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("n;text;tail\n", f);
	enum { ROWS = 3000 };
	for (int i = 0; i < ROWS; i++) {
		fprintf(f, "%d;", i);
		for (int j = 0; j < 1 + i % 299; j++)
			fputc('a' + (i + j) % 26, f);
		fputs(i % 2 ? ";z\r\n" : ";z\n", f);
	}
	fclose(f);
	struct csv_reader *r;
	struct err e = ERR_INIT;
	assert_ok(csv_open(&r, path, &e), &e);
	assert_ok(csv_read_header(r, &e), &e);
	int rows = 0, rc;
	while ((rc = csv_read(r, &e)) == 1) {
		const char *text = csv_field(r, 1);
		size_t len = strlen(text);
		if (atoi(csv_field(r, 0)) != rows || len != (size_t)(1 + rows % 299) ||
		    text[len - 1] != 'a' + (rows + (int)len - 1) % 26 ||
		    strcmp(csv_field(r, 2), "z") != 0 || csv_line(r) != rows + 2)
			fail_msg("row %d: '%s' (%zu bytes), tail '%s', line %ld", rows, text, len,
				 csv_field(r, 2), csv_line(r));
		rows++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(rows, ROWS);
	csv_close(r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv__reads_good_input),
		cmocka_unit_test(test_csv__names_line_and_column_of_bad_input),
		cmocka_unit_test(test_csv__refuses_too_many_fields),
		cmocka_unit_test(test_csv__header_columns_by_name),
		cmocka_unit_test(test_csv__streams_a_large_file),
		cmocka_unit_test(test_csv__plain_fields_across_the_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
