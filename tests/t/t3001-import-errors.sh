#!/usr/bin/env bash
# Each class of error: a bad BSN, an impossible date, a date in the future, an unknown code,
# an unknown school, a missing column, a wrong encoding (a Latin-1 byte), broken quoting.
# By default one bad row rejects the whole file; --accept-valid imports the valid rows and
# writes the rejected ones, with their reasons, beside the input.
. "$(dirname "$0")/lib.sh"
F=$INBEELD_SRC/tests/fixtures/feeds
new_store
ok "init" "$INBEELD" init
ok "organisations" "$INBEELD" org load "$F/organisations.csv"

imp() { # file [options]
	local file=$1
	shift
	"$INBEELD" import enrolments "$file" --source duo:DUO --as-of 2026-10-01 "$@"
}

cp "$F/enrolments_errors.csv" "$T/errors.csv"
fails 1 "a file with invalid rows is refused" imp "$T/errors.csv"
like "bad BSN: file, line, column, field, masked value, rule" \
	"errors.csv, line 2, column 1 \(bsn\), value '\*\*\*\*\*\*838': .*elfproef" "$ERR"
unlike "the BSN is never shown" "100015838" "$ERR"
like "impossible date" "line 3, column 7 \(start_date\), value '2022-13-01': .*not a date" "$ERR"
like "future date" "line 4, column 7 \(start_date\), value '2027-08-01': lies after the as-of date 2026-10-01" "$ERR"
like "unknown code" "line 5, column 5 \(level\), value 'gymnasium': unknown code \(rule: one of vmbo-b" "$ERR"
like "unknown school" "line 6, column 2 \(brin\), value '99ZZ': no school 99ZZ00 in the registry" "$ERR"
like "the summary" "5 of 6 rows rejected \(5 errors\); nothing was imported" "$ERR"
run "$INBEELD" timeline --bsn 100364275
is "nothing of the valid row was imported" "" "$OUT"
run "$INBEELD" import list --json
is "the failed import is on record with its counts" "failed 6 5 0" \
	"$(printf '%s' "$OUT" | jq -r '.[0] | "\(.status) \(.rows) \(.rejected) \(.new)"')"

ok "--accept-valid imports the valid rows" imp "$T/errors.csv" --accept-valid
like "says where the rejected rows are" "rejected rows and their reasons: $T/errors.csv.rejected.csv" "$OUT"
like "counts" "rows 6: new 1, changed 0, ended 0, unchanged 0, rejected 5" "$OUT"
is "the rejected-rows file: a header and one line per error" "6" "$(wc -l <"$T/errors.csv.rejected.csv")"
like "each with line, column, field, value and rule" \
	'^5;5;level;"gymnasium";"unknown code' "$(sed -n 5p "$T/errors.csv.rejected.csv")"
unlike "no BSN in the rejected-rows file's reasons" "100015838" "$(cat "$T/errors.csv.rejected.csv")"
run "$INBEELD" timeline --bsn 100364275 --json
is "the valid row was imported" "enrolled" "$(printf '%s' "$OUT" | jq -r '.events[0].kind')"

fails 1 "a missing column" imp "$F/enrolments_missing_column.csv"
like "reported once, with the header found" \
	"line 1: missing column vestiging \(the header has: bsn;brin;school_type;level;crebo;start_date;end_date;end_reason\)" "$ERR"
is "… once" "1" "$(printf '%s\n' "$ERR" | grep -c 'missing column vestiging (the header')"

fails 1 "a Latin-1 byte" imp "$F/enrolments_latin1.csv"
like "wrong encoding named with line and column" "line 3, column 9: not valid UTF-8" "$ERR"
fails 1 "… also with --accept-valid: the file cannot be read" imp "$F/enrolments_latin1.csv" --accept-valid
like "nothing imported" "nothing was imported" "$ERR"
fails 1 "broken quoting" imp "$F/enrolments_broken_quote.csv"
like "the quote named with line and column" "line 3, column 2: quote opened but never closed" "$ERR"

printf 'bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason\n' >"$T/e.csv"
printf '100490979;25LR;02;mbo;mbo-2;;2024-08-01;;\n' >>"$T/e.csv"
printf '100490979;14EK;00;VO;havo;;2024-08-01;2024-07-01;overstap\n' >>"$T/e.csv"
printf '100490979;14EK;00;VO;havo;;2020-08-01;2021-07-31;\n' >>"$T/e.csv"
printf '100490979;14EK;00;mbo;mbo-2;25255;2018-08-01;;\n' >>"$T/e.csv"
fails 1 "rules between columns" imp "$T/e.csv"
like "a crebo for mbo" "line 2, column 6 \(crebo\): empty \(rule: crebo is required\)" "$ERR"
like "end before start" "line 3, column 8 \(end_date\), value '2024-07-01': lies before the start" "$ERR"
like "an end without a reason" "line 4, column 9 \(end_reason\): empty \(rule: an ended enrolment has an end_reason\)" "$ERR"
like "the school type of the school" "line 5, column 4 \(school_type\), value 'mbo': the school 14EK00 is VO" "$ERR"

printf 'bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason\n' >"$T/d.csv"
printf '100490979;14EK;00;VO;havo;;2019-08-01;;\n100490979;14EK;00;VO;havo;;2019-08-01;;\n' >>"$T/d.csv"
fails 1 "the same record twice in one delivery" imp "$T/d.csv"
like "names the second" "d.csv, line 3: the same record as an earlier row" "$ERR"

fails 2 "an unknown feed" "$INBEELD" import grades "$T/e.csv" --source duo:DUO --as-of 2026-10-01
fails 1 "an unknown source" "$INBEELD" import enrolments "$T/e.csv" --source duo:NOPE --as-of 2026-10-01
like "names it" "source duo:NOPE is not an organisation in the registry" "$ERR"
fails 1 "an as-of date in the future" "$INBEELD" import enrolments "$T/e.csv" --source duo:DUO --as-of 2030-01-01
fails 1 "a file that is not there" "$INBEELD" import enrolments "$T/nope.csv" --source duo:DUO --as-of 2026-10-01
like "names it" "nope.csv" "$ERR"
done_testing
