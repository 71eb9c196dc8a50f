/*
 * Fuzz the streaming CSV reader: any bytes must give records or a clear error, never a crash,
 * a leak or undefined behaviour. The first record is read as a header, as the importers do.
 */
#include "util/csv.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct csv_reader *r = csv_open_memory(data, size, "fuzz.csv");
	struct err e = ERR_INIT;
	if (csv_read_header(r, &e) == 0) {
		(void)csv_column(r, "bsn");
		while (csv_read(r, &e) == 1) {
			size_t total = 0;
			for (size_t i = 0; i < csv_nfields(r); i++)
				total += strlen(csv_field(r, i));
			(void)total;
			(void)csv_line(r);
		}
	}
	csv_close(r);
	return 0;
}
