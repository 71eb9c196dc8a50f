#!/usr/bin/env bash
# Group commit of the audit entries of reads in `inbeeld serve` (docs/access.md, "Group
# commit"): reads from many clients at once are all answered and all audited, each entry is
# in the store by the time its answer arrives, the chain verifies, and a read whose entry
# cannot be written is refused (500) without its data.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
. "$(dirname "$0")/lib-login.sh"

sql() {
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		PGOPTIONS="-csearch_path=$INBEELD_SCHEMA" psql -At "$INBEELD_TEST_PG" -c "$1"
	else
		sqlite3 "$INBEELD_DB" "$1"
	fi
}

new_store
ok "init" "$INBEELD" init
add_org
ok "a leerplicht user" add_user anna leerplicht
# Leerplichtig and living in Maastricht: in anna's scope.
ok "a person" "$INBEELD" person add --bsn 111222333 --given-names Sanne --surname "van Dijk" \
	--birth-date 2014-03-14 --postcode 6211AB --municipality GM0935
key=$(printf '%s' "$OUT" | grep -o -E '[0-9a-f]{64}')

start_server --threads 2
is "server up" 0 $?
login anna
is "login" 200 "$STATUS"

# 8 clients, 10 reads each, at once: every one answered with the person, every one audited.
csrf=$(cat "$T/csrf.anna")
clients=()
for c in 1 2 3 4 5 6 7 8; do
	(
		for i in 1 2 3 4 5 6 7 8 9 10; do
			curl -s -o /dev/null -w '%{http_code}\n' -b "$T/jar.anna" \
				-H "X-CSRF-Token: $csrf" "$URL/api/v1/persons/$key"
		done >"$T/codes.$c"
	) &
	clients+=($!)
done
wait "${clients[@]}"
is "80 reads answered 200" 80 "$(cat "$T"/codes.* | grep -c '^200$')"
is "80 reads audited" 80 \
	"$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.read' AND actor = 'anna'")"
ok "the chain verifies" "$INBEELD" audit verify --json
is "the head counts every entry" "$(sql "SELECT count(*) FROM audit_log")" \
	"$(printf '%s' "$OUT" | jq .appended)"

# Each answer comes after its entry: read, then look at once.
for i in 1 2 3 4 5; do
	before=$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.status'")
	as anna "/api/v1/persons/$key/status"
	after=$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.status'")
	is "status read $i: its entry is there when the answer is" "$((before + 1))" "$after"
done
as anna "/api/v1/persons/$key/timeline"
is "timeline 200" 200 "$STATUS"
is "the timeline read audited" 1 \
	"$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.timeline'")"

# Without a head the writer cannot append: the read is refused, and shows nothing.
sql "DELETE FROM audit_anchors WHERE name = 'head'" >/dev/null
as anna "/api/v1/persons/$key"
is "a read whose entry is lost: 500" 500 "$STATUS"
unlike "without the person's data" 'Sanne|Dijk|333' "$BODY"
like "says why" 'audit log could not be written' "$BODY"
as anna "/api/v1/persons/$key/timeline"
is "the timeline too: 500" 500 "$STATUS"
# A route that reads no person still answers.
as anna /api/v1/session
is "the session route still answers" 200 "$STATUS"

stop_server
is "server stopped" 0 "$STOP_STATUS"
like "the log counts the writer's rounds" 'audit writer committed [0-9]+ entries in [0-9]+ rounds' \
	"$(cat "$SERVER_LOG")"
like "and the refusal" 'audit entries not written' "$(cat "$SERVER_LOG")"
done_testing
