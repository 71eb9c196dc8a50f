#!/usr/bin/env bash
# inbeeld person load: a residence file (columns by name, ';' or ',', extra columns ignored)
# is loaded in one transaction; a second load updates by BSN; one bad row anywhere loads
# nothing and the error names the file, line, column and rule, with the BSN masked.
. "$(dirname "$0")/lib.sh"

new_store
"$INBEELD" init >/dev/null

# 2,000 rows with valid BSNs: the ninth digit is the elfproef check digit.
awk 'BEGIN {
	print "bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;city;municipality_code;moved_in;moved_out;died"
	n = 0
	for (f = 20000000; n < 2000; f += 37) {
		s = 0; d = sprintf("%08d", f)
		for (i = 1; i <= 8; i++) s += (10 - i) * substr(d, i, 1)
		c = s % 11
		if (c > 9 || s == c) continue
		printf "%s%d;Kind%d;%s;Achternaam%d;%04d-%02d-%02d;Dorpsstraat;%d;62%02dAB;Maastricht;GM0935;2020-01-01;;\n", \
			d, c, n, (n % 3 == 0 ? "van der" : ""), n, 2000 + n % 14, 1 + n % 12, 1 + n % 28, n, 11 + n % 80
		n++
	}
}' >"$T/residence.csv"
is "the file has 2,000 rows" 2001 "$(wc -l <"$T/residence.csv")"

ok "load it" "$INBEELD" person load "$T/residence.csv"
like "says how many" 'loaded 2000 rows' "$OUT"
ok "list" "$INBEELD" person list --limit 0 --json
like "2,000 persons" '"total": 2000' "$OUT"
ok "a loaded person is found" "$INBEELD" person find --surname Achternaam3 \
	--birth-date 2003-04-04 --json
like "with the tussenvoegsel split off" '"surname_prefix": "van der"' "$OUT"
like "and the postcode" '"postcode": "6214AB"' "$OUT"
key=$(printf '%s' "$OUT" | sed -n 's/.*"key": "\([0-9a-f]*\)".*/\1/p')

# The same person again, moved; comma-separated, columns in another order.
bsn=$(sed -n '5p' "$T/residence.csv" | cut -d';' -f1)
printf 'surname,birth_date,bsn,postcode,given_names\nAchternaam3,2003-04-04,%s,6221CD,Kind3\n' \
	"$bsn" >"$T/moved.csv"
ok "load an update" "$INBEELD" person load "$T/moved.csv" --json
like "one row" '"rows": 1' "$OUT"
ok "still 2,000 persons" "$INBEELD" person list --limit 0 --json
like "no new person" '"total": 2000' "$OUT"
ok "the person has the new postcode" "$INBEELD" person show "$key" --json
like "replaced by the row" '"postcode": "6221CD"' "$OUT"
like "postcode-4 in the clear too" '"postcode4": "6221"' "$OUT"

# One bad row among good ones: nothing is loaded.
{
	head -1 "$T/residence.csv"
	echo "111222333;Nieuw;;Persoon;2010-01-01;;;;;;;;"
	echo "111222334;Fout;;Persoon;2010-01-01;;;;;;;;"
	echo "123456782;Ook;;Fout;2010-01-01;;;6211SS;;;;;"
} >"$T/bad.csv"
fails 1 "a file with bad rows" "$INBEELD" person load "$T/bad.csv"
like "names the file and line" "$T/bad.csv, line 3" "$ERR"
like "the column and the rule" 'column bsn: .*elfproef' "$ERR"
like "counts the other bad rows" '1 more row with errors, at line 4' "$ERR"
like "says nothing was loaded" 'nothing was loaded' "$ERR"
unlike "masks the BSN" '111222334' "$ERR"
ok "still 2,000 persons" "$INBEELD" person list --limit 0 --json
like "the good row was not loaded either" '"total": 2000' "$OUT"

printf 'bsn;given_names\n111222333;Zwaantje\n' >"$T/nocols.csv"
fails 1 "a file without the required columns" "$INBEELD" person load "$T/nocols.csv"
like "names the missing column" "no column 'surname'" "$ERR"
fails 1 "a missing file" "$INBEELD" person load "$T/nothere.csv"
like "names the file" 'nothere.csv' "$ERR"
fails 2 "load without a file" "$INBEELD" person load

ok "the audit log is intact" "$INBEELD" audit verify --json
like "one entry per load" '"checked": [3-9]' "$OUT"
done_testing
