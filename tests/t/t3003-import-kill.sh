#!/usr/bin/env bash
# kill -9 in the middle of an import leaves the store exactly as it was: the same rows in
# every table the import writes. Running the import again then succeeds.
. "$(dirname "$0")/lib.sh"
new_store
ok "init" "$INBEELD" init
ok "a generated region" "$INBEELD" gen --youths 40000 --seed 3 --out "$T/region"
ok "organisations" "$INBEELD" org load "$T/region/organisations.csv"
head -n 2001 "$T/region/residence.csv" >"$T/residence-start.csv"
ok "a first residence snapshot" "$INBEELD" import residence "$T/residence-start.csv" --source municipality:GM0935 --as-of 2026-11-23

# The tables an import writes: row counts and a digest of their contents.
state() {
	local q="SELECT (SELECT count(*) FROM persons) || ' ' || (SELECT count(*) FROM feed_records)
	|| ' ' || (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM imports)
	|| ' ' || (SELECT count(*) FROM audit_log) || ' ' || (SELECT coalesce(max(updated_at), '') FROM persons)"
	local d="SELECT record_key || content_hash || coalesce(valid_to, '') FROM feed_records ORDER BY id"
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		psql -qAt "$INBEELD_TEST_PG" -c "SET search_path TO $INBEELD_SCHEMA" -c "$q"
		psql -qAt "$INBEELD_TEST_PG" -c "SET search_path TO $INBEELD_SCHEMA" -c "$d" | sha256sum
	else
		sqlite3 "$INBEELD_DB" "$q"
		sqlite3 "$INBEELD_DB" "$d" | sha256sum
	fi
}
before=$(state)

file=$T/region/residence.csv
size=$(stat -c %s "$file")
"$INBEELD" import residence "$file" --source municipality:GM0935 --as-of 2026-11-23 >"$T/out" 2>&1 &
pid=$!
# Kill it a quarter of the way through its rows, however fast it runs: the importer reads
# the file once for its hash and then again for the rows; past the first reading (more
# bytes read than the file has), the open file's offset says how far the second has come.
csv_offset() {
	local fd
	for fd in /proc/"$pid"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$file" ] &&
			awk '/^pos:/ { print $2 }' /proc/"$pid"/fdinfo/"${fd##*/}" 2>/dev/null && return
	done
	echo 0
}
midway=""
for _ in $(seq 1 2000); do
	read_bytes=$(awk '/^rchar:/ { print $2 }' /proc/"$pid"/io 2>/dev/null || echo 0)
	if [ "${read_bytes:-0}" -gt "$size" ] && [ "$(csv_offset)" -gt $((size / 4)) ]; then
		midway=yes
		break
	fi
	sleep 0.005
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
is "the import was killed a quarter of the way through its rows" "yes" "$midway"
is "before it said it was done" "" "$(grep 'rows [0-9]*: new' "$T/out" || true)"
is "the store is exactly as before" "$before" "$(state)"

ok "the same import again succeeds" "$INBEELD" import residence "$T/region/residence.csv" --source municipality:GM0935 --as-of 2026-11-23 --json
rows=$(($(wc -l <"$T/region/residence.csv") - 1))
is "all rows imported" "$rows $((rows - 2000)) 2000" \
	"$(printf '%s' "$OUT" | jq -r '"\(.rows) \(.new) \(.changed + .unchanged)"')"
ok "the audit log is intact" "$INBEELD" audit verify
# feed_records' references are not foreign keys on PostgreSQL (migration 0008): none dangles.
q="SELECT count(*) FROM feed_records r WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = r.person_id)
	OR NOT EXISTS (SELECT 1 FROM feed_streams s WHERE s.id = r.stream_id AND s.feed = r.feed AND s.source = r.source)
	OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = r.first_import)
	OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = r.last_import)"
if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
	dangling=$(psql -qAt "$INBEELD_TEST_PG" -c "SET search_path TO $INBEELD_SCHEMA" -c "$q")
else
	dangling=$(sqlite3 "$INBEELD_DB" "$q")
fi
is "no record refers to a missing person, stream or import" 0 "$dangling"
done_testing
