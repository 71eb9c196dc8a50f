#!/usr/bin/env bash
# inbeeld init: creates the store and a private key file, is safe to run again, and the
# program refuses a store whose schema is newer than itself or a key file of another store.
. "$(dirname "$0")/lib.sh"

new_store
ok "init creates the store" "$INBEELD" init
like "init says it created the key file" "key file created" "$OUT"
is "key file is private (0600)" 600 "$(stat -c %a "$INBEELD_KEYFILE")"
ok "init again is harmless" "$INBEELD" init --json
like "second init applies nothing" '"migrations_applied": 0' "$OUT"
like "second init creates no key" '"keyfile_created": false' "$OUT"
ok "audit verify on a new store" "$INBEELD" audit verify

key_before=$(sha256sum "$INBEELD_KEYFILE")
mv "$INBEELD_KEYFILE" "$T/moved.key"
fails 1 "init without the key file refuses to make a new one" "$INBEELD" init
like "and says where the key should be" "not at" "$ERR"
mv "$T/moved.key" "$INBEELD_KEYFILE"
is "the key file is unchanged" "$key_before" "$(sha256sum "$INBEELD_KEYFILE")"

other_key="$T/other.key"
INBEELD_KEYFILE=$other_key "$INBEELD" --db "$T/other.db" init >/dev/null
fails 1 "a key file of another store is refused" \
	env INBEELD_KEYFILE="$other_key" "$INBEELD" init
like "the refusal says so" "does not belong to this store" "$ERR"

chmod 644 "$INBEELD_KEYFILE"
fails 1 "a key file readable by others is refused" "$INBEELD" init
like "with the fix in the message" "chmod 600" "$ERR"
chmod 600 "$INBEELD_KEYFILE"

# A store from a newer inbeeld: refuse to run on it.
if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
	psql -q "$INBEELD_TEST_PG" -c "INSERT INTO $INBEELD_SCHEMA.schema_migrations VALUES (9999, '9999-future.sql', 'now')"
else
	sqlite3 "$INBEELD_DB" "INSERT INTO schema_migrations VALUES (9999, '9999-future.sql', 'now')"
fi
fails 1 "a newer schema is refused by init" "$INBEELD" init
like "the message says it is newer" "newer than this inbeeld" "$ERR"
fails 1 "a newer schema is refused by other commands" "$INBEELD" audit verify
like "with the same message" "schema version 9999" "$ERR"

new_store
fails 1 "a command before init says to run init" "$INBEELD" audit verify
like "the message names the remedy" "inbeeld init" "$ERR"

ok "--help exits 0" "$INBEELD" init --help
like "--help shows usage" "usage: inbeeld init" "$OUT"
fails 2 "an unknown option is a usage error" "$INBEELD" init --frobnicate
fails 2 "an unknown command is a usage error" "$INBEELD" frobnicate
ok "version prints the release" "$INBEELD" version
like "version names inbeeld" "^inbeeld [0-9]+\.[0-9]+\.[0-9]+" "$OUT"
done_testing
