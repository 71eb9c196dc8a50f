/*
 * baseline-insert — the ceiling that inbeeld's loaders are measured against: read a CSV with
 * the same reader and insert every row, as text columns, through one prepared INSERT in one
 * SQLite transaction. No validation, no pseudonyms, no encryption, no index.
 *
 *   baseline-insert DB.sqlite FILE.csv
 *
 * Prints "rows N seconds S rows_per_s R".
 */
#include "store/store.h"
#include "util/buf.h"
#include "util/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: baseline-insert DB.sqlite FILE.csv\n");
		return 2;
	}
	struct err e = ERR_INIT;
	struct store *s = NULL;
	struct csv_reader *r = NULL;
	struct stmt *ins = NULL;
	struct buf sql = BUF_INIT;
	unlink(argv[1]);
	if (store_open(&s, argv[1], &e) < 0 || csv_open(&r, argv[2], &e) < 0 ||
	    csv_read_header(r, &e) < 0)
		goto fail;
	size_t ncols = csv_header_count(r);
	buf_adds(&sql, "CREATE TABLE rows (");
	for (size_t i = 0; i < ncols; i++)
		buf_addf(&sql, "%sc%zu TEXT", i ? ", " : "", i);
	buf_adds(&sql, ")");
	if (store_exec(s, sql.data, &e) < 0)
		goto fail;
	buf_reset(&sql);
	buf_adds(&sql, "INSERT INTO rows VALUES (");
	for (size_t i = 0; i < ncols; i++)
		buf_adds(&sql, i ? ", ?" : "?");
	buf_adds(&sql, ")");
	double start = now();
	if (store_begin(s, &e) < 0 || store_prepare(s, sql.data, &ins, &e) < 0)
		goto fail;
	long rows = 0;
	int rc;
	while ((rc = csv_read(r, &e)) == 1) {
		for (size_t i = 0; i < ncols; i++)
			stmt_bind_text(ins, (int)i + 1, csv_field(r, i));
		if (stmt_step(ins, &e) < 0)
			goto fail;
		stmt_reset(ins);
		rows++;
	}
	if (rc < 0 || store_commit(s, &e) < 0)
		goto fail;
	double secs = now() - start;
	printf("rows %ld seconds %.3f rows_per_s %.0f\n", rows, secs, rows / secs);
	stmt_free(ins);
	csv_close(r);
	store_close(s);
	buf_release(&sql);
	return 0;
fail:
	fprintf(stderr, "baseline-insert: %s\n", e.msg);
	stmt_free(ins);
	csv_close(r);
	store_close(s);
	buf_release(&sql);
	return 1;
}
