#!/usr/bin/env bash
# Imports of two sources may run at the same time and both succeed (on SQLite the second
# waits for the single writer, saying so); two of the same source are serialised with a
# clear message, or refused at once with --no-wait.
. "$(dirname "$0")/lib.sh"
F=$INBEELD_SRC/tests/fixtures/feeds
new_store
ok "init" "$INBEELD" init
ok "a generated region" "$INBEELD" gen --youths 40000 --seed 3 --out "$T/region"
ok "organisations" "$INBEELD" org load "$T/region/organisations.csv"
ok "the fixtures' organisations too" "$INBEELD" org load "$F/organisations.csv"

# Start a long import of one source (FILE: a residence file) and wait until it runs.
start_long() {
	"$INBEELD" import residence "$1" --source municipality:GM0935 \
		--as-of 2026-11-23 >"$T/long.out" 2>"$T/long.err" &
	long=$!
	sleep 0.4
}

start_long "$T/region/residence.csv"
ok "another source meanwhile" "$INBEELD" import care "$F/care.csv" --source municipality:GM0917 --as-of 2026-10-01
if [ "${INBEELD_TEST_BACKEND:-sqlite}" = sqlite ]; then
	like "on SQLite it waited for the writer, and said so" "waiting: an import of another source \(SQLite has one writer\) is running" "$ERR"
else
	unlike "on PostgreSQL it did not wait" "waiting" "$ERR"
fi
wait "$long"
is "the long import succeeded too" "0" "$?"
like "… and imported every row" "rejected 0" "$(cat "$T/long.out")"

head -n 101 "$T/region/residence.csv" | sed 's/;2026-11-23;/;2026-11-22;/' >"$T/small.csv"
# Every address renumbered: every row a changed record, so the import takes a while.
awk -F';' -v OFS=';' 'NR > 1 { $7 = $7 "A" } 1' "$T/region/residence.csv" >"$T/moved.csv"
start_long "$T/moved.csv"
fails 1 "the same source with --no-wait is refused" "$INBEELD" import residence "$T/small.csv" --source municipality:GM0935 --as-of 2026-11-23 --no-wait
like "clearly" "another import of source municipality:GM0935 is running; try again when it is done" "$ERR"
ok "the same source waits its turn" "$INBEELD" import residence "$T/small.csv" --source municipality:GM0935 --as-of 2026-11-23 --json
like "saying so" "waiting: another import of source municipality:GM0935 is running" "$ERR"
wait "$long"
is "the first succeeded" "0" "$?"
ok "import list" "$INBEELD" import list --json
is "serialised: the waiting import finished after the long one" "true" \
	"$(printf '%s' "$OUT" | jq '[.[] | select(.feed == "residence" and .status != "failed")] | .[0].finished_at >= .[1].finished_at')"
done_testing
