#!/usr/bin/env bash
# Idempotence (the same file twice changes nothing, and says so with its hash), snapshot
# semantics (a record missing from the next snapshot has ended; a change is an update, not a
# new record) and delta semantics (a record not in the delta is unchanged).
. "$(dirname "$0")/lib.sh"
F=$INBEELD_SRC/tests/fixtures/feeds
new_store
ok "init" "$INBEELD" init
ok "organisations" "$INBEELD" org load "$F/organisations.csv"

events() { # number of events of a person
	"$INBEELD" timeline --bsn "$1" --json | jq '.events | length'
}
field() { # JSON field of the last output
	printf '%s' "$OUT" | jq -r "$1"
}

ok "first import" "$INBEELD" import care "$F/care.csv" --source municipality:GM0935 --as-of 2026-10-01 --json
is "all new" "3 3 0 0 0" "$(field '"\(.rows) \(.new) \(.changed) \(.ended) \(.unchanged)"')"
hash=$(field .sha256)
is "the content hash is the file's SHA-256" "$(sha256sum "$F/care.csv" | cut -d' ' -f1)" "$hash"
before=$(events 100015839)

ok "the same file again" "$INBEELD" import care "$F/care.csv" --source municipality:GM0935 --as-of 2026-10-01 --json
is "status unchanged, same hash, nothing new" "unchanged $hash 0 0 0 3" \
	"$(field '"\(.status) \(.sha256) \(.new) \(.changed) \(.ended) \(.unchanged)"')"
ok "… in words" "$INBEELD" import care "$F/care.csv" --source municipality:GM0935 --as-of 2026-10-01
like "says so with the hash" "unchanged: the same content as import 1 \(sha256 $hash\); nothing changed" "$OUT"
is "no new events" "$before" "$(events 100015839)"

# The same content written otherwise (',' and DD-MM-YYYY dates, CRLF, a BOM): compared row
# by row, every record is unchanged.
{
	printf '\xef\xbb\xbf'
	sed -e 's/;/,/g' -e 's/\([0-9]\{4\}\)-\([0-9][0-9]\)-\([0-9][0-9]\)/\3-\2-\1/g' -e 's/$/\r/' "$F/care.csv"
} >"$T/care-other.csv"
ok "the same records in another spelling" "$INBEELD" import care "$T/care-other.csv" --source municipality:GM0935 --as-of 2026-10-01 --json
is "compared row by row: all unchanged" "done 0 0 0 3" \
	"$(field '"\(.status) \(.new) \(.changed) \(.ended) \(.unchanged)"')"
is "still no new events" "$before" "$(events 100015839)"

# The next snapshot: TW0000001 has gone (it had ended: no event), TW0000002 has gone while
# running (care_ended on the as-of date), TW0000003 ends earlier than planned (care_ended on
# the new date), TW0000004 is new.
cat >"$T/care2.csv" <<'CSV'
allocation_id;bsn;provider_agb;law;product_category;product_code;start_date;end_date;municipality_code
TW0000003;100593926;98765432;jeugdwet;41;;2026-01-05;2026-10-15;GM0935
TW0000004;100593926;91234567;wmo;02;;2026-10-16;;GM0935
CSV
ok "the next snapshot" "$INBEELD" import care "$T/care2.csv" --source municipality:GM0935 --as-of 2026-11-01 --json
is "1 new, 1 changed, 2 ended" "2 1 1 2 0" "$(field '"\(.rows) \(.new) \(.changed) \(.ended) \(.unchanged)"')"
timeline() {
	"$INBEELD" timeline --bsn "$1" --json | jq -r '.events[] | "\(.date) \(.kind) \(.org // "-") \(.code // "-")"'
}
is "a running allocation missing from the snapshot ended on its as-of date" \
"2026-03-01 care_started 91234567 02
2026-11-01 care_ended 91234567 02" "$(timeline 100490979)"
is "an allocation that had ended only left the list" "$before" "$(events 100015839)"
is "an end moved earlier, and a new allocation" \
"2026-01-05 care_started 98765432 41
2026-10-15 care_ended 98765432 41
2026-10-16 care_started 91234567 02
2027-01-04 care_ended 98765432 41" "$(timeline 100593926)"
ok "the next snapshot again (rescan)" "$INBEELD" import care "$T/care2.csv" --source municipality:GM0935 --as-of 2026-11-01 --rescan --json
is "nothing new, changed or ended" "0 0 0 2" "$(field '"\(.new) \(.changed) \(.ended) \(.unchanged)"')"

# A delta: only what it holds changes; the earlier statuses stay.
ok "absence, first delivery" "$INBEELD" import absence "$F/absence.csv" --source duo:DUO --as-of 2026-10-01 --json
is "a delta by default" "delta 3" "$(field '"\(.mode) \(.new)"')"
cat >"$T/absence2.csv" <<'CSV'
report_id;bsn;brin;vestiging;kind;period_from;period_to;hours_lost;reported_on;status;status_date
10000421;100316761;14EK;00;relatief;2026-01-13;2026-02-09;22;2026-02-11;Afgesloten;2026-03-20
CSV
ok "a delta with one new status" "$INBEELD" import absence "$T/absence2.csv" --source duo:DUO --as-of 2026-10-02 --json
is "one new, nothing ended" "1 1 0" "$(field '"\(.rows) \(.new) \(.ended)"')"
is "the report's statuses in order" \
"2026-02-11 absence_reported 14EK00 relatief
2026-02-17 absence_status 14EK00 In behandeling
2026-03-20 absence_status 14EK00 Afgesloten" "$(timeline 100316761)"
is "the other report untouched" "1" "$(events 100467222)"

ok "import list" "$INBEELD" import list
like "lists the imports with their counts" "care +municipality:GM0935 +snapshot 2026-11-01 done +2 +1 +1 +2 +0 +0" "$OUT"
ok "import show" "$INBEELD" import show 2 --json
is "source, date, status and hash" "municipality:GM0935 2026-10-01 unchanged $hash" \
	"$(field '"\(.source) \(.as_of) \(.status) \(.sha256)"')"
fails 1 "import show of an unknown id" "$INBEELD" import show 999
like "names it" "no import with id 999" "$ERR"
done_testing
