#!/usr/bin/env bash
# A copy of the store with another key file reveals nothing: the program refuses a key file
# that does not belong to the store, and even when that check is forced, the sealed data
# does not open and the blind index finds nobody.
. "$(dirname "$0")/lib.sh"

new_store
"$INBEELD" init >/dev/null
ok "add a person" "$INBEELD" person add --bsn 111222333 --given-name Zwaantje \
	--surname Testbeeld --birth-date 2009-03-04 --postcode 6211AB
key=$OUT

# Another key file, made for another store.
other_key="$T/other.key"
INBEELD_KEYFILE=$other_key "$INBEELD" --db "$T/other.db" init >/dev/null
other_check=$(sqlite3 "$T/other.db" "SELECT value FROM meta WHERE name = 'key_check'")

if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
	copy=$INBEELD_DB
	force_check() {
		psql -q "$INBEELD_TEST_PG" -c "UPDATE $INBEELD_SCHEMA.meta SET value = '$1' WHERE name = 'key_check'"
	}
else
	sqlite3 "$INBEELD_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	copy="$T/copy.db"
	cp "$INBEELD_DB" "$copy"
	force_check() { sqlite3 "$copy" "UPDATE meta SET value = '$1' WHERE name = 'key_check'"; }
fi

fails 1 "the copy refuses another key file" \
	env INBEELD_DB="$copy" INBEELD_KEYFILE="$other_key" "$INBEELD" person show "$key"
like "and says why" "does not belong to this store" "$ERR"

force_check "$other_check"
fails 1 "with the check forced, the sealed data does not open" \
	env INBEELD_DB="$copy" INBEELD_KEYFILE="$other_key" "$INBEELD" person show "$key"
like "the message says so" "does not open" "$ERR"
unlike "and shows no name" "Testbeeld|Zwaantje" "$ERR$OUT"
ok "the blind index finds nobody with the other key" \
	env INBEELD_DB="$copy" INBEELD_KEYFILE="$other_key" "$INBEELD" person find \
	--surname Testbeeld --birth-date 2009-03-04 --json
is "nothing found" "[]" "$OUT"
done_testing
